"""News sentences for the evaluation: WMT newstest2012's English side, detokenized.

``../shared/data/sources/newstest_wmt/newstest2012.en`` (3,003 lines; see its SOURCES.md)
is Moses-tokenized with HTML escapes: ``Tymoshenko &apos;s appeal , in December .``. Students
never saw it, and news is where numbers, names and dates are dense, so it is the held-out
check of the facts rules and of the Shorter mode. A writer types ``Tymoshenko's appeal, in
December.``, so the lines are detokenized first (:func:`detokenize`, a small rule set for
what this file contains: entities, clitics, punctuation, quotes, brackets, ``$``, ``/``,
zero-width spaces), then kept when they have ``min_words``..``max_words`` words.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

NEWS_FILE = Path("sources") / "newstest_wmt" / "newstest2012.en"
MIN_WORDS = 8
MAX_WORDS = 40

#: Tokens that attach to the word before them ("U.S. ," -> "U.S.,").
_CLOSE = {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "...", "..", "....", "…"}
#: Tokens that attach to the word after them ("( see" -> "(see", "$ 300" -> "$300").
_OPEN = {"(", "[", "{", "$", "£", "€", "#"}
#: Clitics Moses splits off: "don 't", "it 's", "we 've" join the word before.
_CLITICS = {"'s", "'t", "'re", "'ve", "'ll", "'d", "'m", "n't"}
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None)
#: Words ending in s that are no plural noun: a lone ``'`` after them opens a quote.
_NOT_PLURAL = {"is", "was", "has", "does", "as", "this", "his", "its", "us", "thus", "yes", "says",
               "whereas", "perhaps", "unless", "always", "sometimes"}


def detokenize(line: str) -> str:
    """Undo Moses tokenization and HTML escaping of one line, well enough for a writer's text.

    Double quotes alternate open/close; a lone ``'`` after a word ending in s (not "is", "was",
    "his"...) with no single quote open is a possessive ("students ' prayers" -> "students'
    prayers"), otherwise it opens or closes a single quote.
    """
    tokens = html.unescape(line).translate(_ZERO_WIDTH).split()
    out: list[str] = []
    glue_next = False          # the previous token opens: the next one attaches to it
    double_open = single_open = False
    for i, token in enumerate(tokens):
        attach = False         # attach this token to the previous one
        opens = False
        lower = token.lower()
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token == ":" and out and out[-1][-1:].isdigit() and following[:1].isdigit():
            attach = opens = True  # a clock time: "8 : 00" -> "8:00"
        elif token in _CLOSE:
            attach = True
        elif token in _OPEN:
            opens = True
        elif token == "/":
            attach = opens = True
        elif token == '"':
            if double_open:
                attach = True
            else:
                opens = True
            double_open = not double_open
        elif token == "'":
            if single_open:
                attach, single_open = True, False
            elif out and out[-1][-1:].lower() == "s" and out[-1].lower() not in _NOT_PLURAL:
                attach = True              # possessive plural
            else:
                opens, single_open = True, True
        elif lower in _CLITICS:
            attach = True
        elif token.startswith("'") and len(token) > 1:
            if out and len(out[-1]) == 1 and out[-1].isalpha():
                attach = True              # elision: "l 'homme", "o 'clock"
            else:
                single_open = True         # "'Then" opens a quote
        if out and (attach or glue_next):
            out[-1] += token
        else:
            out.append(token)
        glue_next = opens
    return " ".join(out)


def read_news(data_root: str | Path) -> Iterator[str]:
    """Every line of newstest2012.en, detokenized (FileNotFoundError names the file)."""
    path = Path(data_root) / NEWS_FILE
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield detokenize(line)


def news_sentences(data_root: str | Path, min_words: int = MIN_WORDS, max_words: int = MAX_WORDS) -> list[str]:
    """Detokenized lines with ``min_words``..``max_words`` words (whitespace-separated), in file order."""
    out = [text for text in read_news(data_root) if min_words <= len(text.split()) <= max_words]
    log.info("news: %d sentences of %d-%d words", len(out), min_words, max_words)
    return out
