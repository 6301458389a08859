"""A tiny phrase index written through the real format code, for the runtime and CLI tests.

Entries are given as ``phrase -> [(alternative, count, p_alt, p_phrase), ...]``, scored by the
mining's own :func:`distill.phrase_mining.rank_score` formula (similarity 1.0) and written
best first, as the mining writes them. (Plain arithmetic here, so the runtime tests need no
``distill`` import.)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.phrase_store import PhraseTable, write_index

Entry = tuple[str, int, float, float]

#: Enough to exercise casing, inflection, antonyms, agreement and ranking.
ENTRIES: dict[str, list[Entry]] = {
    "significant": [("considerable", 9, 0.30, 0.40), ("substantial", 8, 0.25, 0.30), ("major", 5, 0.15, 0.10),
                    ("important", 4, 0.10, 0.05)],
    "rise": [("increase", 6, 0.4, 0.2), ("climb", 4, 0.3, 0.3), ("senior", 2, 0.1, 0.1)],
    "rose": [("increased", 6, 0.4, 0.3), ("fell", 5, 0.3, 0.3), ("climbed", 3, 0.2, 0.2), ("rising", 2, 0.1, 0.1)],
    "big": [("large", 9, 0.5, 0.4), ("enormous", 5, 0.3, 0.3), ("huge", 4, 0.2, 0.2)],
    "allowed": [("permitted", 6, 0.5, 0.5), ("not allowed", 3, 0.2, 0.2), ("disallowed", 2, 0.1, 0.1)],
    "running": [("operating", 5, 0.4, 0.4), ("ran", 3, 0.2, 0.2), ("managing", 2, 0.1, 0.1)],
    "look into": [("investigate", 7, 0.6, 0.5), ("examine", 4, 0.3, 0.3)],
    "house": [("home", 8, 0.6, 0.5), ("residence", 3, 0.2, 0.3)],
    "neighborhood": [("district", 5, 0.4, 0.3), ("area", 4, 0.3, 0.1), ("community", 3, 0.2, 0.1)],
    "asylum": [("refuge", 3, 0.5, 0.4)],
    "islands": [("isles", 3, 0.5, 0.5), ("atolls", 2, 0.2, 0.3), ("archipelago", 2, 0.2, 0.2)],
    "refuge": [("sanctuary", 4, 0.4, 0.4), ("asylum", 3, 0.3, 0.5), ("shelter", 3, 0.3, 0.3)],
}
BLOCKED = [("rose", "fell"), ("fell", "rose")]
VOCABULARY = ["atoll", "bigger", "climbing", "increasing", "investigating", "isle", "largest", "rising"]


def score(count: int, p_alt: float, p_phrase: float) -> float:
    """``rank_score`` at similarity 1.0, same length: p(e|f)^0.75 p(f|e)^0.25, damped by count."""
    return p_alt ** 0.75 * p_phrase ** 0.25 * count / (count + 1.0)


def write_tiny_index(folder: Path, entries: dict[str, list[Entry]] | None = None,
                     vocabulary: list[str] | None = None) -> Path:
    """Write the index to ``folder`` (its name is the index name) and return the folder;
    ``vocabulary``: words the index knows besides :data:`VOCABULARY`."""
    entries = ENTRIES if entries is None else entries
    strings: dict[str, int] = {}

    def sid(text: str) -> int:
        return strings.setdefault(text, len(strings))

    phrase_ids, offsets, alt_ids, counts, p_alt, p_phrase, scores = [], [0], [], [], [], [], []
    for phrase in sorted(entries):
        phrase_ids.append(sid(phrase))
        for alt, count, pa, pp in sorted(entries[phrase], key=lambda e: -score(e[1], e[2], e[3])):
            alt_ids.append(sid(alt))
            counts.append(count)
            p_alt.append(pa)
            p_phrase.append(pp)
            scores.append(score(count, pa, pp))
        offsets.append(len(alt_ids))
    table = PhraseTable(strings=list(strings), phrase_ids=np.array(phrase_ids, dtype=np.int32),
                        offsets=np.array(offsets, dtype=np.int64), alt_ids=np.array(alt_ids, dtype=np.int32),
                        counts=np.array(counts, dtype=np.int32), p_alt=np.array(p_alt, dtype=np.float32),
                        p_phrase=np.array(p_phrase, dtype=np.float32), similarity=np.ones(len(alt_ids), np.float32),
                        score=np.array(scores, dtype=np.float32), blocked=BLOCKED,
                       vocabulary=sorted({*VOCABULARY, *(vocabulary or [])}))
    return write_index(folder, table, {"name": folder.name, "description": "tiny test index"})
