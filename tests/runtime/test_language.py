"""Clearly non-English input is refused; English with foreign names or words is not (no model)."""

from __future__ import annotations

import pytest

from models.errors import InputError
from models.language import not_english
from models.text import check_input

ACCEPTED = [
    "We ate at Café Müller in Zürich.",
    "She said 'merci beaucoup' and left.",
    "Dr. Nguyễn Thị Minh Khai presented the results.",
    "The term Schadenfreude comes from German.",
    "The prize went to Zhang Wei (张伟) last year.",
    "I love Tokyo (東京) in spring.",
    "Thanks!",
    "OK",
    "Et tu, Brute?",
    "C'est la vie.",
    "As they say in France, c'est la vie.",
    "Los Angeles and Las Vegas are in the west.",
    "The novel Don Quixote de la Mancha was written by Cervantes.",
    "I watched La La Land yesterday.",
    "Die Hard is a film.",
    "Das Kapital was written by Marx.",
    "Leonardo da Vinci painted the Mona Lisa.",
    "We had crème brûlée and café au lait.",
    "Un café, s'il vous plaît, she told the waiter.",
    "Señor García y su esposa arrived late.",
    "Naïve café owners in Besançon serve crêpes.",
    "Kraków, Gdańsk, Łódź and Wrocław are cities.",
    "Let α, β and γ be the angles of the triangle.",
    "Meet me at 5 o'clock.",
    "Send it to info@example.com today.",
    "The EU and the US signed it.",
    "Nos. 3 and 4 are missing.",
    "im going to the store",
    "My name is Wei. 我叫魏。 I live in Boston.",
    "Café RTL emoji 🙂 זה טקסט end",
    "It was a cold morning in the valley.",
]

REJECTED = [
    ("我们去了公园，因为博物馆关门了。", "Chinese"),
    ("谢谢", "Chinese"),
    ("我喜欢用iPhone拍照", "Chinese"),
    ("公園に行きました、博物館が閉まっていたので。", "Japanese"),
    ("박물관이 문을 닫아서 우리는 공원에 갔다.", "Korean"),
    ("Мы пошли в парк, потому что музей был закрыт.", "Cyrillic-script"),
    ("ذهبنا إلى الحديقة لأن المتحف كان مغلقا.", "Arabic-script"),
    ("हम पार्क गए क्योंकि संग्रहालय बंद था।", "Devanagari-script"),
    ("Η γάτα κοιμάται στον καναπέ.", "Greek-script"),
    ("Nous sommes allés au parc parce que le musée était fermé.", "French"),
    ("Le chat dort sur le canapé.", "French"),
    ("Je ne sais pas ce que je fais ici.", "French"),
    ("Wir sind in den Park gegangen, weil das Museum geschlossen war.", "German"),
    ("Der Hund schläft im Garten, weil es regnet.", "German"),
    ("Fuimos al parque porque el museo estaba cerrado.", "Spanish"),
    ("¿Dónde está la estación de tren?", "Spanish"),
    ("Siamo andati al parco perché il museo era chiuso.", "Italian"),
    ("Fomos ao parque porque o museu estava fechado.", "Portuguese"),
    ("We zijn naar het park gegaan omdat het museum dicht was.", "Dutch"),
    ("Ik ga morgen naar de markt.", "Dutch"),
    ("Chúng tôi đã đi công viên vì bảo tàng đóng cửa.", ""),  # Vietnamese: diacritics, no English word
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_english_with_foreign_names_and_words_is_accepted(text: str) -> None:
    assert not_english(text) is None
    assert check_input(text)


@pytest.mark.parametrize(("text", "language"), REJECTED)
def test_clearly_non_english_text_is_refused_by_name(text: str, language: str) -> None:
    """Chinese came back as unrelated English ("exploring the city of Rome") without a word."""
    verdict = not_english(text)
    assert verdict is not None
    assert verdict.language == language
    with pytest.raises(InputError) as raised:
        check_input(text)
    expected = (f"This looks like {language} text" if language else "This does not look like English text")
    assert str(raised.value) == expected + "; Paraphrase Studio paraphrases English."


def test_a_text_is_judged_as_a_whole() -> None:
    """One foreign sentence in an English text does not refuse the text (the runtime keeps it as typed)."""
    text = ("We spent the summer in Lyon with our friends. On the last day the owner said: "
            "« Je ne sais pas ce que je fais ici. » Then we drove back to the coast and slept for a day.")
    assert not_english(text) is None
    assert not_english("Je ne sais pas ce que je fais ici.") is not None


def test_the_sentence_level_check_can_be_skipped() -> None:
    assert check_input("Le chat dort sur le canapé.", english=False) == "Le chat dort sur le canapé."
