"""The committed benchmark sentences (``bench/data/sentences.txt``).

A fixed, versioned set (5 to 40 words) keeps runs comparable across machines and over
time; the sentence closest to :data:`REFERENCE_WORDS` words is the headline case.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SENTENCES_FILE = Path(__file__).resolve().parent / "data" / "sentences.txt"
#: The headline case is a sentence of about this many words (a typical sentence in prose).
REFERENCE_WORDS = 20


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def load_sentences(path: Path = SENTENCES_FILE) -> list[Sentence]:
    """Non-empty, non-comment lines, in file order."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    texts = [line for line in lines if line and not line.startswith("#")]
    if not texts:
        raise ValueError(f"{path} holds no sentences")
    return [Sentence(i, text) for i, text in enumerate(texts)]


def reference_sentence(sentences: list[Sentence]) -> Sentence:
    """The sentence whose length is closest to :data:`REFERENCE_WORDS` (the shorter on a tie)."""
    return min(sentences, key=lambda s: (abs(s.words - REFERENCE_WORDS), s.words))


def quick_subset(sentences: list[Sentence]) -> list[Sentence]:
    """For ``--quick``: the shortest sentence and the reference one (still two points per line)."""
    shortest = min(sentences, key=lambda s: s.words)
    reference = reference_sentence(sentences)
    return sorted({shortest, reference}, key=lambda s: s.index)
