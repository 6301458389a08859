"""Input hygiene and sentence splitting.

The model sees one sentence at a time (that is what it was trained on and what keeps a
prompt short), so long text is split here, and the separators are kept so a composed
paragraph has the writer's own spacing and line breaks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import InputError
from .language import not_english

#: Longest input accepted in one request (about 3,000 words). Longer text is refused with
#: a message rather than tying up the CPU for many minutes.
MAX_INPUT_CHARS = 20_000
#: A "sentence" longer than this is cut at clause punctuation or between words, so the
#: prompt and the KV cache stay bounded.
MAX_SENTENCE_CHARS = 400

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "no",
    "fig", "approx", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "a.m", "p.m", "mt", "gen", "col",
}
_SENTENCE_END = re.compile(r"""([.!?…]+["'”’)\]]*)(\s+)""")
_WORD_CHARS = re.compile(r"\w", re.UNICODE)
#: Unicode categories of the decorations peeled off a sentence's ends (emoji and other
#: symbols, dashes, joiners and variation selectors, spaces) and the bullets of a list.
_DECORATION_CATEGORIES = {"So", "Sk", "Sm", "Pd", "Cf", "Mn", "Zs"}
_BULLETS = set("•‣◦⁃∙·*")
_SURROGATES = re.compile("[\ud800-\udfff]")


def word_count(text: str) -> int:
    """Words as a writer counts them: whitespace-separated, with a letter or digit ("U.S." and
    "$4.3" are one word each, a lone dash none). The Shorter mode's length limit and the
    evaluator's words ratio both count this way, so what is measured is what is enforced."""
    return sum(1 for w in text.split() if _WORD_CHARS.search(w))


#: Curly and modifier apostrophes as the straight one, for rules written with "'" ("can't").
STRAIGHT_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})

#: What may follow a sentence's final mark: closing quotes and brackets.
_CLOSERS = "\"'”’»)]"
QUESTION, STATEMENT = "question", "statement"


def sentence_kind(text: str) -> str | None:
    """:data:`QUESTION` when the text ends with a question mark (before any closing quotes or
    brackets: 'She asked, "Why?"' too), :data:`STATEMENT` when it ends with a full stop, an
    exclamation mark or an ellipsis, None when it has no final mark (a headline, a lower-cased
    question from a search box): the candidate pipeline keeps a question a question by it."""
    end = text.rstrip().rstrip(_CLOSERS).rstrip()
    if end.endswith(("?", "？", "?!", "!?", "‽")):
        return QUESTION
    if end.endswith((".", "!", "…", "。", "！")):
        return STATEMENT
    return None


@dataclass(frozen=True)
class Segment:
    """One piece of the input: ``text`` to paraphrase and the whitespace that followed it."""

    text: str
    trailing: str = ""

    @property
    def has_words(self) -> bool:
        """Segments with no letters or digits (an emoji, a dash) are kept as they are."""
        return bool(_WORD_CHARS.search(self.text))


def clean_text(text: str) -> str:
    """Normalise Unicode and drop control characters, keeping newlines and tabs.

    NFC keeps accents composed (one token path for "é"); lone surrogates from badly decoded
    bytes become U+FFFD so the tokenizer never sees invalid UTF-8.
    """
    text = _SURROGATES.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch) != "Cc" else " " for ch in text
    )


#: Control characters text may carry: tab, line feed, vertical tab (Word's manual line
#: break), form feed (page breaks in plain-text documents) and carriage return.
_TEXT_CONTROLS = frozenset("\t\n\v\f\r")


def binary_reason(text: str) -> str | None:
    """Why ``text`` is binary data rather than text, or None.

    One character is enough: a control character other than the whitespace ones (NUL, BEL,
    ESC, DEL, the C1 range), a replacement character U+FFFD or a lone surrogate (bytes that
    were not UTF-8), or a Unicode noncharacter. Random bytes split at newlines leave short
    runs of letters ("BS", "иԹI") that a share-based test let through as "text".
    Everything a writer types stays allowed: accents, CJK, emoji and their joiners and
    variation selectors, non-breaking spaces, soft hyphens, directional marks, private-use
    icons and characters newer than this Python's Unicode tables.
    """
    for index, ch in enumerate(text, 1):
        if ch in _TEXT_CONTROLS:
            continue
        code = ord(ch)
        if unicodedata.category(ch) == "Cc":
            return f"character {index:,} is the control character U+{code:04X}"
        if ch == "\ufffd" or 0xD800 <= code <= 0xDFFF:
            return f"character {index:,} is not valid UTF-8 (shown as \ufffd)"
        if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
            return f"character {index:,} is the Unicode noncharacter U+{code:04X}"
    return None


def looks_binary(text: str) -> bool:
    """True for binary data decoded as text (see :func:`binary_reason`)."""
    return binary_reason(text) is not None


def check_input(text: str, *, max_chars: int = MAX_INPUT_CHARS, english: bool = True) -> str:
    """Return cleaned text or raise :class:`InputError` with a message for the user.

    ``english``: also refuse text that is clearly not English (:mod:`models.language`);
    the paraphraser judges a whole text once and its sentences with ``english=False``.
    """
    if not isinstance(text, str):
        raise InputError("Input must be text.")
    if len(text) > max_chars:
        raise InputError(
            f"The text is {len(text):,} characters long; the limit is {max_chars:,} characters "
            "per request. Paraphrase it in smaller parts."
        )
    reason = binary_reason(text)
    if reason is not None:
        raise InputError(f"The input looks like binary data, not text: {reason}.")
    cleaned = clean_text(text)
    if not _WORD_CHARS.search(cleaned):
        raise InputError("There is no text to paraphrase (the input is empty or has no words).")
    if english:
        verdict = not_english(cleaned)
        if verdict is not None:
            raise InputError(verdict.message())
    return cleaned


def split_sentences(text: str) -> list[Segment]:
    """Split text into sentences, keeping each one's trailing whitespace.

    ``"".join(s.text + s.trailing for s in segments)`` gives back the input exactly, minus
    leading whitespace which is attached to the first segment's text. Line breaks always end
    a sentence (lists, dialogue, headings).
    """
    segments: list[Segment] = []
    for line, newline in _lines(text):
        pieces = _split_line(line)
        for i, (sentence, trailing) in enumerate(pieces):
            if i == len(pieces) - 1:
                trailing += newline
            for segment in _cap_length(sentence, trailing):
                segments.extend(_peel_decorations(segment))
        if not pieces and newline:
            if segments:
                last = segments[-1]
                segments[-1] = Segment(last.text, last.trailing + line + newline)
            else:
                segments.append(Segment("", line + newline))
    return segments


def join_segments(texts: list[str], segments: list[Segment]) -> str:
    """Rebuild a paragraph from one replacement text per segment, keeping separators."""
    return "".join(t + s.trailing for t, s in zip(texts, segments, strict=True))


def _lines(text: str) -> list[tuple[str, str]]:
    parts = re.split(r"(\n+)", text)
    out: list[tuple[str, str]] = []
    for i in range(0, len(parts), 2):
        out.append((parts[i], parts[i + 1] if i + 1 < len(parts) else ""))
    return out


def _split_line(line: str) -> list[tuple[str, str]]:
    stripped = line.rstrip()
    if not stripped.strip():
        return []
    tail = line[len(stripped):]
    pieces: list[tuple[str, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(stripped):
        end = match.end(1)
        if _is_abbreviation(stripped[start:end]) or not _starts_sentence(stripped[match.end():]):
            continue
        pieces.append((stripped[start:end], match.group(2)))
        start = match.end()
    pieces.append((stripped[start:], tail))
    return [(s, t) for s, t in pieces if s]


def _is_abbreviation(sentence: str) -> bool:
    words = sentence.split()
    if not words:
        return False
    last = words[-1].rstrip(".").lower()
    return last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def _starts_sentence(rest: str) -> bool:
    first = rest[:1]
    return bool(first) and not first.islower()


def _peel_decorations(segment: Segment) -> list[Segment]:
    """Split emoji, bullets and dashes at a sentence's start or end into segments of their own.

    Those segments have no words, so they are kept exactly as typed; the model, which drops
    a leading "🙂 —" from every candidate, only sees the words between them. A decoration
    must stand apart from the words (a space between), so "-5 degrees" keeps its sign.
    """
    text = segment.text
    if not _WORD_CHARS.search(text):
        return [segment]
    start = 0
    while start < len(text) and _is_decoration(text[start]):
        start += 1
    end = len(text)
    while end > start and _is_decoration(text[end - 1]):
        end -= 1
    if start and not text[start - 1].isspace():
        start = 0
    if end < len(text) and not text[end].isspace():
        end = len(text)
    out: list[Segment] = []
    head, body, tail = text[:start], text[start:end], text[end:]
    if head.strip():
        mark = head.rstrip()
        out.append(Segment(mark, head[len(mark):]))
    elif head:
        body = head + body  # only spaces before the words: they stay where they were
    if tail.strip():
        mark = tail.lstrip()
        out.append(Segment(body, tail[:len(tail) - len(mark)]))
        out.append(Segment(mark, segment.trailing))
    else:
        out.append(Segment(body + tail, segment.trailing))
    return out


def _is_decoration(ch: str) -> bool:
    return ch in _BULLETS or unicodedata.category(ch) in _DECORATION_CATEGORIES


def _cap_length(sentence: str, trailing: str) -> list[Segment]:
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return [Segment(sentence, trailing)]
    out: list[Segment] = []
    rest = sentence
    while len(rest) > MAX_SENTENCE_CHARS:
        window = rest[:MAX_SENTENCE_CHARS]
        cut = max(window.rfind("; "), window.rfind(", "), window.rfind(": "))
        if cut < MAX_SENTENCE_CHARS // 3:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = MAX_SENTENCE_CHARS - 1
        out.append(Segment(rest[: cut + 1], " " if rest[cut + 1: cut + 2] == " " else ""))
        rest = rest[cut + 1:].lstrip(" ")
    out.append(Segment(rest, trailing))
    return out
