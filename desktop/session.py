"""The editor's text as a list of sentences the writer steps through.

The model paraphrases one sentence at a time, so the app splits the input with the
runtime's own :func:`models.split_sentences` (same boundaries as the CLI) and rebuilds it
with :func:`models.text.join_segments`, which keeps the writer's spacing and line breaks.
Offsets are computed on the raw editor text (no cleaning) so a replacement lands exactly
on the sentence it was made for.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import Segment, split_sentences
from models.text import join_segments


@dataclass(frozen=True)
class Replacement:
    """An edit to apply to the editor: replace ``[start, end)`` with ``text``."""

    start: int
    end: int
    text: str


class SentenceSession:
    """Sentences of one version of the text, with the writer's picks applied so far."""

    def __init__(self, text: str) -> None:
        self.segments: list[Segment] = split_sentences(text) if text else []
        self.texts: list[str] = [s.text for s in self.segments]
        if self.compose() != text:  # cannot happen with split_sentences' contract; be safe
            self.segments = [Segment(text, "")]
            self.texts = [text]

    def __len__(self) -> int:
        return len(self.segments)

    def compose(self) -> str:
        """The whole text as it stands: each sentence's current text plus its own separator."""
        return join_segments(self.texts, self.segments)

    @property
    def wordy(self) -> list[int]:
        """Indices of sentences that can be paraphrased (dashes and emoji lines are kept as is)."""
        return [i for i, s in enumerate(self.segments) if Segment(self.texts[i]).has_words or s.has_words]

    def starts(self) -> list[int]:
        """Start offset of every sentence in :meth:`compose` (one pass, for cursor lookups)."""
        offsets, position = [], 0
        for text, segment in zip(self.texts, self.segments):
            offsets.append(position)
            position += len(text) + len(segment.trailing)
        return offsets

    def selected(self, start: int, end: int) -> tuple[int, int, int] | None:
        """The sentences a selection ``[start, end)`` touches, widened to whole sentences.

        Returns ``(start, end, count)`` of the paraphrasable sentences it touches when there
        are two or more (the app paraphrases them as one text), else None: a selection
        within one sentence means that sentence, as the cursor alone does.
        """
        if end <= start:
            return None
        starts = self.starts()
        touched = [i for i in self.wordy if starts[i] < end and starts[i] + len(self.texts[i]) > start]
        if len(touched) < 2:
            return None
        first, last = touched[0], touched[-1]
        lead = len(self.texts[first]) - len(self.texts[first].lstrip())
        tail = len(self.texts[last]) - len(self.texts[last].rstrip())
        return starts[first] + lead, starts[last] + len(self.texts[last]) - tail, len(touched)

    def span(self, index: int) -> tuple[int, int]:
        """Character range of sentence ``index`` in :meth:`compose` (without its separator)."""
        start = sum(len(self.texts[i]) + len(self.segments[i].trailing) for i in range(index))
        return start, start + len(self.texts[index])

    def sentence(self, index: int) -> str:
        """The text to send to the model: the sentence without surrounding whitespace."""
        return self.texts[index].strip()

    def index_at(self, position: int) -> int | None:
        """The paraphrasable sentence at (or just before) a cursor position."""
        wordy = self.wordy
        if not wordy:
            return None
        starts = self.starts()
        best = wordy[0]
        for index in wordy:
            if starts[index] <= position:
                best = index
            else:
                break
        return best

    def neighbour(self, index: int, step: int) -> int | None:
        """The previous (-1) or next (+1) paraphrasable sentence, or None at either end."""
        wordy = self.wordy
        if index not in wordy:
            return wordy[0] if wordy else None
        position = wordy.index(index) + step
        return wordy[position] if 0 <= position < len(wordy) else None

    def replace(self, index: int, new_text: str) -> Replacement:
        """Put ``new_text`` in place of sentence ``index``, keeping its leading whitespace."""
        old = self.texts[index]
        leading = old[: len(old) - len(old.lstrip())]
        start, end = self.span(index)
        self.texts[index] = leading + new_text.strip()
        return Replacement(start, end, self.texts[index])
