"""Training pairs from seed groups, and the train/dev split by group.

Two kinds of pair come out of a group:

* ``seed``: the (lower-cased, unpunctuated) seed -> a teacher paraphrase;
* ``para``: one paraphrase -> another paraphrase of the same seed (the only way to get
  cased-to-cased pairs, which is what the student sees at inference time).

Targets must be cased by default (``lowercase_targets="drop"``): the student would
otherwise learn to answer without capitals or punctuation. Lower-cased paraphrases still
serve as *inputs* of ``para`` pairs. ``"keep"`` also allows lower-cased targets, but only
from a lower-cased input, so the output style follows the input style.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from .teacher_data import SeedGroup, TeacherParaphrase

LowercasePolicy = Literal["drop", "keep"]

#: Changing the salt reshuffles the split; keep it fixed so runs stay comparable.
SPLIT_SALT = "paraphrase-studio-distill-v1"


@dataclass(frozen=True)
class Pair:
    """One training example: ``source`` is prompted, ``target`` is learnt."""

    source: str
    target: str
    group: str            # seed key: pairs of one group never straddle the split
    kind: str             # "seed" or "para"
    teacher: str          # teacher of the target
    origin: str           # kinit set of the target
    source_teacher: str = ""   # "seed" for seed pairs
    controls: str = ""         # control codes (distill.controls); "" for an uncontrolled student

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pair:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def is_dev_group(key: str, dev_fraction: float, salt: str = SPLIT_SALT) -> bool:
    """Deterministic, order-independent assignment of a group to dev."""
    digest = hashlib.sha1(f"{salt}\0{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < dev_fraction


def split_groups(keys: Iterable[str], dev_fraction: float = 0.05,
                 salt: str = SPLIT_SALT) -> tuple[list[str], list[str]]:
    """(train keys, dev keys), each sorted; a key is on exactly one side."""
    train, dev = [], []
    for key in sorted(set(keys)):
        (dev if is_dev_group(key, dev_fraction, salt) else train).append(key)
    return train, dev


def _group_rng(key: str, seed: int) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha1(f"{seed}\0{key}".encode()).digest()[:8], "big"))


def _target_ok(target: TeacherParaphrase, source_cased: bool, policy: LowercasePolicy) -> bool:
    if target.cased:
        return True
    return policy == "keep" and not source_cased


def group_pairs(group: SeedGroup, seed_pairs: int | None = 4, para_pairs: int | None = 4,
                lowercase_targets: LowercasePolicy = "drop", seed: int = 0) -> list[Pair]:
    """Candidate pairs of one group, in a deterministic random order.

    ``seed_pairs`` / ``para_pairs`` cap how many candidates of each kind are made (``None``:
    all seed pairs, and one para pair per paraphrase). Ask for more than you will keep and
    cap again after the critic (see :func:`cap_pairs`).
    """
    rng = _group_rng(group.key, seed)
    paras = list(group.paraphrases)
    rng.shuffle(paras)
    out: list[Pair] = []

    seed_cased = TeacherParaphrase("seed", group.seed, "").cased
    seed_targets = [p for p in paras if _target_ok(p, seed_cased, lowercase_targets)]
    for p in seed_targets[:seed_pairs]:
        out.append(Pair(group.seed, p.text, group.key, "seed", p.teacher, p.origin, "seed"))

    # Para pairs: walk the targets in a rotated order so seed and para pairs tend to use
    # different targets; each source is a different paraphrase of the same seed.
    limit = len(paras) if para_pairs is None else para_pairs
    made = 0
    used: set[tuple[str, str]] = set()
    targets = seed_targets[len(seed_targets) // 2:] + seed_targets[:len(seed_targets) // 2]
    for tgt in targets:
        if made >= limit:
            break
        sources = [p for p in paras if p.text != tgt.text and _target_ok(tgt, p.cased, lowercase_targets)]
        if not sources:
            continue
        src = sources[rng.randrange(len(sources))]
        if (src.text, tgt.text) in used:
            continue
        used.add((src.text, tgt.text))
        out.append(Pair(src.text, tgt.text, group.key, "para", tgt.teacher, tgt.origin, src.teacher))
        made += 1
    return out


def build_pairs(groups: dict[str, SeedGroup], keys: Sequence[str], seed_pairs: int | None = 4,
                para_pairs: int | None = 4, lowercase_targets: LowercasePolicy = "drop",
                seed: int = 0) -> list[Pair]:
    """Candidate pairs of the groups named by ``keys`` (in key order)."""
    out: list[Pair] = []
    for key in keys:
        out.extend(group_pairs(groups[key], seed_pairs, para_pairs, lowercase_targets, seed))
    return out


def cap_pairs(pairs: Iterable[Pair], seed_pairs: int | None, para_pairs: int | None) -> list[Pair]:
    """Keep the first N pairs of each kind per group (after filtering)."""
    caps = {"seed": seed_pairs, "para": para_pairs}
    seen: Counter = Counter()
    out = []
    for pair in pairs:
        cap = caps.get(pair.kind)
        if cap is not None and seen[pair.group, pair.kind] >= cap:
            continue
        seen[pair.group, pair.kind] += 1
        out.append(pair)
    return out


def count_pairs(pairs: Iterable[Pair]) -> dict[str, Any]:
    """Pairs per target teacher, per kinit set, per kind, and groups covered."""
    pairs = list(pairs)
    return {
        "pairs": len(pairs),
        "groups": len({p.group for p in pairs}),
        "by_teacher": dict(sorted(Counter(p.teacher for p in pairs).items())),
        "by_origin": dict(sorted(Counter(p.origin for p in pairs).items())),
        "by_kind": dict(sorted(Counter(p.kind for p in pairs).items())),
        "by_source_teacher": dict(sorted(Counter(p.source_teacher for p in pairs).items())),
    }
