"""Simplification pairs for the "Simpler" mode, from ASSET (CC BY-NC 4.0).

``../shared/data/eval/asset`` holds 2,000 Wikipedia sentences (ASSET's validation split),
each with 10 crowd-written simplifications. A salted hash keeps a fixed share of the
sentences out of training (``heldout``), where the SARI check of the Simpler mode runs;
the rest give up to ``per_sentence`` pairs each. Pairs that lose a number, date or name
are dropped like teacher pairs (the app rejects such candidates anyway, so a student that
learnt to drop them would only waste samples).

The licence is non-commercial: the model card of a student trained on these pairs says so.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .critic import facts_rule, words
from .pairs import Pair

log = logging.getLogger(__name__)

ASSET_DIR = Path("eval") / "asset"
ASSET_LICENSE = "CC BY-NC 4.0"
HELDOUT_SALT = "paraphrase-studio-asset-heldout-v1"
REFERENCES = 10


@dataclass
class AssetReport:
    sentences: int = 0
    heldout: int = 0
    candidates: int = 0
    removed: Counter = field(default_factory=Counter)
    pairs: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"sentences": self.sentences, "heldout_sentences": self.heldout,
                "candidates": self.candidates, "removed": dict(self.removed), "pairs": self.pairs,
                "license": ASSET_LICENSE}


def is_heldout(sentence: str, fraction: float) -> bool:
    digest = hashlib.sha1(f"{HELDOUT_SALT}\0{sentence}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


def read_asset(data_root: Path, split: str = "valid") -> list[tuple[str, list[str]]]:
    """(source, [10 simplifications]) per line; FileNotFoundError names the missing file."""
    folder = data_root / ASSET_DIR
    orig = (folder / f"asset.{split}.orig").read_text(encoding="utf-8").splitlines()
    refs = [(folder / f"asset.{split}.simp.{k}").read_text(encoding="utf-8").splitlines()
            for k in range(REFERENCES)]
    if any(len(r) != len(orig) for r in refs):
        raise ValueError(f"ASSET {split}: reference files are not line-aligned with the sources")
    return [(src.strip(), [r[i].strip() for r in refs]) for i, src in enumerate(orig)]


def asset_split(data_root: Path, heldout_fraction: float = 0.06,
                ) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """(train rows, held-out rows) of ASSET valid, split by a salted hash of the source."""
    rows = read_asset(data_root)
    train = [row for row in rows if not is_heldout(row[0], heldout_fraction)]
    heldout = [row for row in rows if is_heldout(row[0], heldout_fraction)]
    return train, heldout


def asset_pairs(data_root: Path, per_sentence: int = 2, heldout_fraction: float = 0.06,
                ) -> tuple[list[Pair], AssetReport]:
    """Simplification pairs from the training part of ASSET, and their counts.

    Of each sentence's references, the first ``per_sentence`` that are not copies, keep the
    facts and have at least half the source's words (one-clause stubs teach deletion, not
    simplification) are used.
    """
    train, heldout = asset_split(data_root, heldout_fraction)
    report = AssetReport(sentences=len(train) + len(heldout), heldout=len(heldout))
    pairs: list[Pair] = []
    for index, (source, references) in enumerate(train):
        taken = 0
        for reference in references:
            if taken >= per_sentence:
                break
            report.candidates += 1
            pair = Pair(source=source, target=reference, group=f"asset:{index}", kind="simplify",
                        teacher="human", origin="asset")
            rule = _rule(pair)
            if rule:
                report.removed[rule] += 1
                continue
            pairs.append(pair)
            taken += 1
    report.pairs = len(pairs)
    log.info("ASSET: %d pairs from %d sentences (%d held out); removed %s", report.pairs,
             len(train), report.heldout, dict(report.removed))
    return pairs, report


def _rule(pair: Pair) -> str | None:
    src, tgt = words(pair.source), words(pair.target)
    if not src or not tgt:
        return "empty"
    if src == tgt:
        return "copy"
    if len(tgt) < 0.5 * len(src):
        return "length_ratio"
    if not facts_rule(pair):
        return "facts"
    return None
