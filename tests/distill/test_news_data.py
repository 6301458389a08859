"""The news set: newstest2012's Moses tokens and HTML escapes back to a writer's text."""

from __future__ import annotations

from pathlib import Path

import pytest

from distill import eval_data, news_data
from distill.news_data import detokenize


@pytest.mark.parametrize(("line", "text"), [
    # Lines as they are in newstest2012.en.
    ("The verdict is not yet final ; the court will hear Tymoshenko &apos;s appeal in December .",
     "The verdict is not yet final; the court will hear Tymoshenko's appeal in December."),
    ("At Tuesday noon , students &apos; prayers in front of the building were followed by chanting .",
     "At Tuesday noon, students' prayers in front of the building were followed by chanting."),
    ("&apos;Then you can start breaking them , &apos; Jakub told us .",
     "'Then you can start breaking them,' Jakub told us."),
    ("the soundtrack is &apos; flecked in from all quarters &apos; ; but",
     "the soundtrack is 'flecked in from all quarters'; but"),
    ("&quot; I remember arguments ... &#91; to build a mouse that would cost $ 300 &#93; , and I left . &quot;",
     "\"I remember arguments... [to build a mouse that would cost $300], and I left.\""),
    ("Your speedometer shows 150 to 200 km / h ( let &apos;s say it does ) , when I don &apos;t brake .",
     "Your speedometer shows 150 to 200 km/h (let's say it does), when I don't brake."),
    ("Prices rose 12 % - a record - at AT &amp; T , o &apos;clock .",
     "Prices rose 12% - a record - at AT & T, o'clock."),
    ("the request was made \u200b \u200b to the Secretary .", "the request was made to the Secretary."),
    ("every Saturday from 8 : 00 o &apos;clock : tests .", "every Saturday from 8:00 o'clock: tests."),
])
def test_detokenize_real_lines(line: str, text: str) -> None:
    assert detokenize(line) == text


def _news_root(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / news_data.NEWS_FILE
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_news_sentences_keep_8_to_40_words(tmp_path: Path) -> None:
    root = _news_root(tmp_path, [
        "Parliament Does Not Support Amendment Freeing Tymoshenko",                 # 7 words: a headline
        "In October , Tymoshenko was sentenced to seven years in prison .",          # 11 words
        "",
        " ".join(["word"] * 41) + " .",                                             # 41 words
        "One two three four five six seven eight",                                  # exactly 8
    ])
    assert news_data.news_sentences(root) == [
        "In October, Tymoshenko was sentenced to seven years in prison.", "One two three four five six seven eight"]
    inputs = eval_data.news_inputs(root)
    assert [i.key for i in inputs] == ["in october tymoshenko was sentenced to seven years in prison",
                                       "one two three four five six seven eight"]
    assert all(i.references == () for i in inputs)
    assert eval_data.sample(inputs, 1) == eval_data.sample(list(reversed(inputs)), 1)


def test_missing_news_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="newstest2012.en"):
        news_data.news_sentences(tmp_path)
