"""The paragraph benchmark alternates row budgets and reports what it timed."""

from __future__ import annotations

from bench import paragraphs


class _RecordingParaphraser:
    def __init__(self) -> None:
        self.max_batch_rows = 0
        self.calls: list[tuple[int, str, int]] = []

    def paraphrase(self, text: str, *, n: int, seed: int) -> None:
        self.calls.append((self.max_batch_rows, text, n))


def test_budgets_alternate_and_every_paragraph_is_timed() -> None:
    fake = _RecordingParaphraser()
    results = paragraphs.measure(fake, {"batched": 18, "alone": 6}, repeat=2)
    texts = paragraphs.paragraphs()
    timed = fake.calls[1:]  # the first call is the warm-up
    assert [rows for rows, _, _ in timed] == [18] * 3 + [6] * 3 + [6] * 3 + [18] * 3
    assert [text for _, text, _ in timed[:3]] == texts
    assert all(n == paragraphs.CANDIDATES for _, _, n in fake.calls)
    for name, rows in (("batched", 18), ("alone", 6)):
        assert results[name]["rows"] == rows
        assert len(results[name]["runs_s"]) == 2 and len(results[name]["per_paragraph_p50_s"]) == 3


def test_paragraphs_hold_several_committed_sentences() -> None:
    texts = paragraphs.paragraphs()
    assert len(texts) == len(paragraphs.PARAGRAPHS)
    assert all(text.count(". ") >= 1 for text in texts)
