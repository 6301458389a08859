"""Is this text clearly not English? A small, offline, conservative guess.

The student was trained on English paraphrases only. Given Chinese it answers with
unrelated English ("我们去了公园，因为博物馆关门了。" came back as "exploring the city of
Rome"), so clearly non-English text is refused with a message instead. English with foreign
names or a few foreign words must still pass, so only two strong cues are used:

* **Script.** Letters are counted by script (from their Unicode names); a Han, kana or
  Hangul character counts as several Latin letters, since one stands for a syllable or a
  word. When other scripts outweigh the Latin letters, the text is refused, named by its
  script (kana → Japanese, Han → Chinese, Hangul → Korean, others by script name).
* **Function words**, for Latin-script text. Short words that carry grammar ("le", "und",
  "porque", "het") are counted per language (French, German, Spanish, Italian,
  Portuguese, Dutch) against English ones ("the", "and", "with"). Words both languages
  use ("a", "in", "no", "die", "was") count for neither. A text of four words or more
  is refused when one language has at least two different function words, at least
  three in all and at least ``2 × English + 2``. Latin text in other languages
  (Vietnamese, Polish…) is refused only without a single English function word and
  dense with diacritics (at least four letters and 15 % of its letters).

So "We ate at Café Müller in Zürich.", "She said 'merci beaucoup' and left.", "Dr. Nguyễn
Thị Minh Khai presented the results." and "Thanks!" pass; "Le chat dort sur le canapé."
does not. Latin-script languages outside the lists with few diacritics (Indonesian,
Swahili…) are not detected: a wrong refusal would be worse than a poor paraphrase.
The caller decides the unit: the runtime judges a whole text, then leaves a clearly
foreign sentence inside an English text as typed (see :mod:`models.paraphraser`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Weight of one character of a script written a syllable or a word per character.
_SYLLABIC_WEIGHT = {"HAN": 3.0, "KANA": 3.0, "HANGUL": 2.0}
#: What a refused script is called in the message.
_SCRIPT_LANGUAGE = {"HAN": "Chinese", "KANA": "Japanese", "HANGUL": "Korean"}
_LATIN = "LATIN"

_ENGLISH = frozenset("""
the an and or but of to at for with from by about into onto than then is are were be been
being have had does did will would can could should shall may might must it its this he
that these those there here she they we you i me him her us them his hers their our my
your not yes if what which who whom whose when where why how all some any each every
very just only also more most after before because while over under up out said one two
upon off down ours mine themselves himself herself itself myself yourself
""".split())

#: Function words per language; a word English also uses is dropped below (_AMBIGUOUS).
_FOREIGN = {
    "French": """le la les un une des du de et est sont dans pour pas que qui avec sur au aux ce
        cette ces il elle nous vous ils elles je tu mais ou où sa ses leur leurs ne se en très
        été était étaient avait être avoir fait parce aussi comme mon ma mes ton ta notre votre
        lui y à ça cela alors donc quand sous chez suis sommes êtes ai avons va""",
    "German": """der das und ist nicht ein eine einen einem einer dem des mit von zu auf für ich
        sie wir es im auch sich wie aber wird sind haben noch nach bei aus wenn weil dass oder
        nur kein keine sehr schon zum zur vom ihr mir mich uns dich dir wurde waren hatte
        können kann muss diese dieser dieses ihre ihren sein seine gibt jetzt bin bist habe""",
    "Spanish": """el la los las un una y de que en es por para con se del al lo su sus pero más
        como está están fue muy porque yo ella ellos este esta estos hay nosotros también
        cuando donde dónde qué eso esto tiene tienen sobre entre nos les estaba había soy
        estoy somos fueron""",
    "Italian": """il lo la gli le un una è di che non per del della delle degli dei nel nella
        alla sono anche questo questa quello quella perché io lui lei siamo sul sulla ci
        mio mia suo sua loro erano aveva hanno essere molto più quando stato stata""",
    "Portuguese": """o os as um uma e de que em não com para por da das dos na nas no é são mas
        mais como foi porque eu nós ele ela eles elas muito também ao à aos isso isto
        está estava estão seu sua já quando onde sem sobre entre pelo pela sou somos tem""",
    "Dutch": """de het een en is niet dat die op te voor zijn ik wij we je hij ze maar ook naar
        als aan bij werd heeft hebben wordt deze dit geen nog wel zo uit wat er om tot
        omdat waren kunnen kan moet ons onze hun jullie zij ben bent hebt""",
}
#: Words English uses too ("a", "in", "die", "was", "hay", "com" of ".com"…): no evidence
#: either way, so they are dropped from every list.
_AMBIGUOUS = frozenset("""
a i o e in on as is was die war hat will also so an am man no do me has per con come son
te op ma ha um er van met den dit had tot we era sin nos ton dos pour sans yo hay ya al
lei ho dove os em com eu na nas om
""".split())
_ENGLISH_WORDS = _ENGLISH - _AMBIGUOUS
_FOREIGN_WORDS = {language: frozenset(words.split()) - _ENGLISH - _AMBIGUOUS for language, words in _FOREIGN.items()}

#: Fewest words before the function-word cue may refuse a text ("Et tu, Brute?" passes).
MIN_WORDS = 4
#: Fewest foreign function words that refuse a text (two is a name: "Señor García y su esposa").
MIN_HITS = 3
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True)
class Verdict:
    """Why a text was judged not English: the language (or script) and the evidence."""

    language: str
    reason: str

    def message(self) -> str:
        """What the user reads: names the language and says what the app does."""
        if self.language:
            return f"This looks like {self.language} text; Paraphrase Studio paraphrases English."
        return "This does not look like English text; Paraphrase Studio paraphrases English."


def not_english(text: str) -> Verdict | None:
    """A :class:`Verdict` when ``text`` is clearly not English, else None (English or unsure)."""
    counts = _script_weights(text)
    latin = counts.pop(_LATIN, 0.0)
    other = sum(counts.values())
    if other > latin and other >= 2:
        script = max(counts, key=counts.__getitem__)
        if script == "HAN" and counts.get("KANA", 0.0) > 0:
            script = "KANA"  # Japanese mixes Han and kana; Chinese has no kana
        name = _SCRIPT_LANGUAGE.get(script, f"{script.title()}-script")
        return Verdict(name, f"{other:.0f} of {other + latin:.0f} weighted letters are not Latin")
    if latin <= 0:
        return None
    return _latin_verdict(text)


def _latin_verdict(text: str) -> Verdict | None:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return None
    tokens = [part for word in words for part in re.split(r"['’]", word) if part]  # "c'est": c, est
    english = sum(1 for t in tokens if t in _ENGLISH_WORDS)
    found = {language: [t for t in tokens if t in vocabulary] for language, vocabulary in _FOREIGN_WORDS.items()}
    hits = max(len(words_found) for words_found in found.values())
    leaders = [language for language, words_found in found.items()
               if len(words_found) == hits and len(set(words_found)) >= 2]
    if leaders and hits >= max(MIN_HITS, 2 * english + 2):
        name = leaders[0] if len(leaders) == 1 else ""  # "de la" is French and Spanish: name neither
        return Verdict(name, f"{hits} {' or '.join(leaders)} function words against {english} English")
    if english == 0:
        letters = [ch for word in words for ch in word]
        marked = sum(1 for ch in letters if _has_diacritic(ch))
        if marked >= 4 and marked >= 0.15 * len(letters):
            return Verdict("", f"{marked} of {len(letters)} letters carry diacritics and no English word")
    return None


def _script_weights(text: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        script = _script(ch)
        if script:
            weights[script] = weights.get(script, 0.0) + _SYLLABIC_WEIGHT.get(script, 1.0)
    return weights


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    """The script of a letter from its Unicode name ("CJK UNIFIED IDEOGRAPH-…" → HAN)."""
    name = unicodedata.name(ch, "")
    for prefix in ("FULLWIDTH ", "HALFWIDTH "):
        name = name.removeprefix(prefix)
    first = name.split(" ", 1)[0]
    if first in ("CJK", "IDEOGRAPHIC", "KANGXI"):
        return "HAN"
    if first in ("HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"):
        return "KANA"
    if first == "MODIFIER" or not first:
        return ""  # modifier letters (ʼ, ˈ) belong to no language
    return first


@lru_cache(maxsize=4096)
def _has_diacritic(ch: str) -> bool:
    """True for a Latin letter with a mark ("é", "ễ") or a Latin letter beyond ASCII ("đ", "ł")."""
    if ch.isascii():
        return False
    decomposed = unicodedata.normalize("NFD", ch)
    return len(decomposed) > 1 or _script(ch) == _LATIN
