"""What the editor asks the phrase index for: plain Python, no Qt, no index.

A double-click on a word, or Ctrl+J on a selection, asks for instant alternatives to a short
span of the editor's text. Before anything runs, this module decides what exactly to ask
(so it can be tested with plain pytest):

- the span, trimmed of spaces and edge punctuation (:func:`trim_span`);
- whether it may be asked at all: not empty, a few words at most, and not a phrase the
  writer froze with Keep unchanged (:class:`Refusal` says why, in the writer's words);
- the context the index reads: the sentence around the span, or its paragraph (line) when
  the sentence split is not available, with the span's offsets and the kept phrases inside
  it (``protected``), all relative to that context (:func:`plan_phrase`).

The index answers with the span it actually replaces (trimmed and widened to whole words),
as offsets into the context; :meth:`PhraseRequest.editor_span_of` maps them back to the
editor. The index writes each alternative in the phrase's casing, so the app does not. The request keeps the editor's text as it was (``snapshot``), so
an answer that comes back after the writer changed the text is recognised and dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

#: How many alternatives the popup asks for.
DEFAULT_K = 8
#: Longer selections are not phrases: the index holds substitutions of 1-4 words
#: (``models.phrase_words.MAX_PHRASE_WORDS``); a longer one is refused with a message, not "none found".
MAX_PHRASE_WORDS = 4
#: The command that builds the phrase index, when the runtime's error does not name one.
PHRASE_REBUILD_COMMAND = "./studio build"

#: Punctuation trimmed from the edges of a span (a double-click never takes it; a selection may).
_EDGE = ",;:!?\"'“”‘’()[]{}«»<>…—–"
#: A word as the index counts them: letters or digits, joined by an apostrophe or a hyphen ("don't", "well-known").
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")

Span = tuple[int, int]


@dataclass(frozen=True)
class PhraseRequest:
    """One query: ``context[start:end]`` is the phrase; ``offset`` is where ``context`` is in the editor."""

    context: str
    start: int
    end: int
    offset: int
    protected: tuple[Span, ...] = ()  # kept phrases inside ``context`` (its offsets)
    k: int = DEFAULT_K
    snapshot: str = field(default="", repr=False, compare=False)  # the editor's whole text when asked

    @property
    def phrase(self) -> str:
        return self.context[self.start:self.end]

    @property
    def editor_span(self) -> Span:
        """Where the phrase is in the editor's text (Python indices), as it was when asked."""
        return self.offset + self.start, self.offset + self.end

    def editor_span_of(self, start: int, end: int) -> Span:
        """A span the index answered with (offsets into ``context``), in the editor's text."""
        return self.offset + start, self.offset + end

    def is_stale(self, editor_text: str) -> bool:
        """True when the editor's text is no longer what was asked about: the answer must be dropped."""
        return editor_text != self.snapshot


@dataclass(frozen=True)
class Refusal:
    """Why no query runs for a span; ``quiet`` when nothing needs saying (a double-click on a space)."""

    message: str
    quiet: bool = False


def trim_span(text: str, start: int, end: int) -> Span:
    """``[start, end)`` without surrounding spaces and edge punctuation (may come back empty).

    A full stop is trimmed only when the phrase holds no other one ("quick." -> "quick",
    "U.S." stays), and apostrophes and hyphens inside a word stay where they are.
    """
    start, end = max(0, start), min(len(text), end)
    while start < end and (text[start].isspace() or text[start] in _EDGE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE
                           or (text[end - 1] == "." and "." not in text[start:end - 1])):
        end -= 1
    return start, end


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _context(text: str, start: int, end: int, sentences: Sequence[Span]) -> Span | None:
    """The sentence holding ``[start, end)``, else its line; None when the span crosses a line."""
    for first, last in sentences:
        if first <= start and end <= last:
            return first, last
    if "\n" in text[start:end]:
        return None
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return first, len(text) if last < 0 else last


def _stripped(text: str, first: int, last: int) -> Span:
    chunk = text[first:last]
    return first + len(chunk) - len(chunk.lstrip()), last - (len(chunk) - len(chunk.rstrip()))


def plan_phrase(text: str, start: int, end: int, *, sentences: Sequence[Span] = (),
                kept: Sequence[Span] = (), k: int = DEFAULT_K) -> PhraseRequest | Refusal:
    """The query for the editor's ``text[start:end]`` (Python indices), or why there is none.

    ``sentences``: the sentence spans of the text (may be empty: the phrase's line is then
    its context); ``kept``: the spans the writer marked Keep unchanged.
    """
    start, end = trim_span(text, start, end)
    phrase = text[start:end]
    if not _WORD.search(phrase):
        return Refusal("Double-click a word, or select a few words, for alternatives.", quiet=True)
    frozen = [text[s:e] for s, e in kept if _overlaps((s, e), (start, end))]
    if frozen:
        return Refusal(f"\u201c{frozen[0]}\u201d is kept unchanged, so it gets no alternatives "
                       "(Ctrl+K on it stops keeping it).")
    if len(_WORD.findall(phrase)) > MAX_PHRASE_WORDS:
        return Refusal(f"Phrase alternatives are for a few words: select up to {MAX_PHRASE_WORDS} "
                       "(Paraphrase rewrites whole sentences).")
    bounds = _context(text, start, end, sentences)
    if bounds is None:
        return Refusal("Select words within one sentence for phrase alternatives.")
    first, last = _stripped(text, *bounds)
    protected = tuple((max(s, first) - first, min(e, last) - first)
                      for s, e in sorted(kept) if _overlaps((s, e), (first, last)))
    return PhraseRequest(context=text[first:last], start=start - first, end=end - first, offset=first,
                         protected=protected, k=k, snapshot=text)


def fit_levels(scores: Sequence[float]) -> list[int]:
    """A quiet 1-3 level per alternative, relative to the best one in the list.

    The index's scores are comparable within one answer, not across phrases, so the hint
    says how an alternative compares with the first: 3 within 80 % of the best, 2 within
    40 %, else 1. Scores that are not all positive (log-probabilities) are spread between
    the list's lowest and highest instead.
    """
    if not scores:
        return []
    best, worst = max(scores), min(scores)
    if worst > 0:
        ratios = [s / best for s in scores]
    elif best > worst:
        ratios = [(s - worst) / (best - worst) for s in scores]
    else:
        ratios = [1.0] * len(scores)
    return [3 if r >= 0.8 else 2 if r >= 0.4 else 1 for r in ratios]


def unavailable_message(error: Exception) -> str:
    """What the window says when the phrase index cannot be loaded: what, and the command that fixes it."""
    detail = str(error).strip() or type(error).__name__
    command = getattr(error, "rebuild_command", "") or PHRASE_REBUILD_COMMAND
    if command in detail:
        return f"Phrase alternatives are not available: {detail}"
    return f"Phrase alternatives are not available: {detail}\nBuild the phrase index with: {command}"
