"""Progress of a run over several sentences: "Paraphrasing… 12 / 140 sentences" and a bar.

A text of many sentences is decoded in one batch and its alternatives appear only at the
end (up to a minute for 3,000 words on two cores), so the wait must say how far it is.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar


def progress_text(done: int, total: int) -> str:
    return f"Paraphrasing… {done:,} / {total:,} sentence{'s' if total != 1 else ''}"


def show_progress(label: QLabel, bar: QProgressBar, done: int, total: int) -> None:
    """Sentences done of all, in words and on the bar (which stops moving on its own)."""
    label.setText(progress_text(done, total))
    if total > 0:
        bar.setRange(0, total)
        bar.setValue(min(done, total))
