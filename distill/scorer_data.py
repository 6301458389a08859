"""Labelled (source, candidate) pairs for the meaning scorer, with held-out parts kept apart.

Where the labels come from (``origin`` on every pair):

* ``paws``: PAWS-Wiki dev, adversarial word-swap pairs, human labels (1 = paraphrase);
* ``mrpc``: MRPC train, news pairs, human labels (Quality);
* ``apty``: ChatGPT paraphrases annotated by people (``paraphrase`` True = meaning kept);
* ``qqp``: Quora duplicate questions (all positives) and one hard negative made from each;
* ``teacher``: two LLM-teacher paraphrases of one seed (a paraphrase of each other, cased),
  and one hard negative made from the candidate (:mod:`distill.perturb`);
* ``kd``: candidate *sets* for model-level G2R distillation: one source, several teacher
  paraphrases and several hard negatives made from them; :mod:`distill.mi_teacher` adds the
  generator's score to each and the trainer learns the softmax over the set.

Held out, never trained on: a salted-hash share of each human set (``holdout``), every pair
whose source is among the first :data:`EVAL_PROTECT` inputs the evaluate command draws from
MRPC and QQP (so ``paraphrase-studio evaluate`` stays held out), and the teacher dev groups
(:func:`distill.pairs.is_dev_group`, the student's dev split).
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import random
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .eval_data import DEFAULT_DEV_FRACTION, MRPC_FILE, QQP_FILE, mrpc_sources, qqp_sources, sample
from .pairs import is_dev_group
from .perturb import first_change, perturb
from .word_swaps import BREAKING, KEEPING
from .teacher_data import (DIV_INCENTIVES, DIV_INCENTIVES_FILE, LLM_VS_AUG, LLM_VS_AUG_FILE, is_cased,
                           load_groups, seed_key)

log = logging.getLogger(__name__)

PAWS_FILE = Path("eval") / "paws_wiki" / "dev.tsv"
APTY_FILE = Path("teacher") / "apty" / "apty_base.csv"
HOLDOUT_SALT = "paraphrase-studio-scorer-v1"
#: The evaluate command's first inputs from MRPC and QQP that no scorer pair may use as source.
EVAL_PROTECT = 600
#: Share of each human-labelled set kept for the scorer's own held-out checks.
HOLDOUT_FRACTION = {"paws": 0.25, "mrpc": 0.15, "apty": 0.2, "qqp": 0.1, "teacher": 0.05, "swaps": 0.1}
#: Plain sentences the PAWS-style swaps are made from (:func:`swap_pairs`): Wikipedia, like
#: PAWS-Wiki, and the Brown corpus for other registers.
SWAP_SOURCES = (Path("sources") / "wikisplit", Path("sources") / "brown" / "brown_sentences.tsv")


@dataclass
class ScorerPair:
    """One labelled pair; ``kind`` says how a negative was made (empty for human labels)."""

    source: str
    candidate: str
    label: int
    origin: str
    kind: str = ""


@dataclass
class CandidateSet:
    """One source and its candidates, for the KD loss; ``mi`` is filled by the generator later."""

    source: str
    candidates: list[str]
    labels: list[int]
    kinds: list[str]
    origin: str = "kd"
    mi: list[dict[str, Any]] = field(default_factory=list)


def in_holdout(key: str, origin: str) -> bool:
    """Deterministic held-out assignment of one item (a pair id or a seed key)."""
    digest = hashlib.sha1(f"{HOLDOUT_SALT}\0{origin}\0{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < HOLDOUT_FRACTION[origin]


def _tsv_rows(path: Path) -> Iterator[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        yield from csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


def paws_pairs(root: Path) -> Iterator[tuple[bool, ScorerPair]]:
    """``(held out, pair)`` for PAWS-Wiki dev (id, sentence1, sentence2, label; tokenized)."""
    for row in _tsv_rows(root / PAWS_FILE):
        if len(row) != 4 or row[3] not in ("0", "1"):
            continue
        yield in_holdout(row[0], "paws"), ScorerPair(row[1], row[2], int(row[3]), "paws")


def mrpc_pairs(root: Path, protected: set[str]) -> Iterator[tuple[bool, ScorerPair]]:
    """MRPC train (Quality, id1, id2, s1, s2); a pair whose s1 the evaluator uses is held out."""
    for row in _tsv_rows(root / MRPC_FILE):
        if len(row) != 5 or row[0] not in ("0", "1"):
            continue
        a, b = " ".join(row[3].split()), " ".join(row[4].split())
        held = in_holdout(row[1] + row[2], "mrpc") or seed_key(a) in protected
        yield held, ScorerPair(a, b, int(row[0]), "mrpc")


def apty_pairs(root: Path) -> Iterator[tuple[bool, ScorerPair]]:
    """APTY's annotated ChatGPT paraphrases (semicolon CSV); identical copies are skipped."""
    with open(root / APTY_FILE, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            a = " ".join((row.get("original") or "").split())
            b = " ".join((row.get("paraphrase-text") or "").split())
            if not a or not b or row.get("paraphrase") not in ("True", "False") or a == b:
                continue
            yield (in_holdout(a + "\0" + b, "apty"),
                   ScorerPair(a, b, int(row["paraphrase"] == "True"), "apty"))


def qqp_pairs(root: Path, protected: set[str], rng: random.Random,
              limit: int) -> Iterator[tuple[bool, ScorerPair]]:
    """QQP duplicates as positives, each with one hard negative made from its second question."""
    with open(root / QQP_FILE, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("is_duplicate") == "1"]
    rows.sort(key=lambda r: hashlib.sha1(f"{HOLDOUT_SALT}\0{r['id']}".encode()).hexdigest())
    for row in rows[:limit]:
        a, b = " ".join(row["question1"].split()), " ".join(row["question2"].split())
        if not a or not b:
            continue
        held = in_holdout(row["id"], "qqp") or seed_key(a) in protected
        yield held, ScorerPair(a, b, 1, "qqp")
        negative = perturb(b, rng)
        if negative:
            yield held, ScorerPair(a, negative[1], 0, "qqp", negative[0])


def _usable(text: str) -> bool:
    words = len(text.split())
    return is_cased(text) and 5 <= words <= 45


def teacher_sets(root: Path, rng: random.Random, *, pairs_limit: int, sets_limit: int,
                 set_size: int = 8) -> tuple[list[tuple[bool, ScorerPair]], list[tuple[bool, CandidateSet]]]:
    """Cased teacher paraphrase pairs (+ one negative each) and candidate sets for KD.

    Two paraphrases of one seed are a paraphrase pair; seeds of long news items are sometimes
    paraphrased only in part, so the two must be of similar length (0.7-1.4) to count.
    """
    groups = load_groups(root, sources=(LLM_VS_AUG,))
    keys = sorted(groups, key=lambda k: hashlib.sha1(f"{HOLDOUT_SALT}\0{k}".encode()).hexdigest())
    pairs: list[tuple[bool, ScorerPair]] = []
    sets: list[tuple[bool, CandidateSet]] = []
    for key in keys:
        if is_dev_group(key, DEFAULT_DEV_FRACTION):
            continue  # the student's dev split: its seeds stay unseen by the scorer too
        texts = list(dict.fromkeys(p.text for p in groups[key].paraphrases if _usable(p.text)))
        if len(texts) < 3:
            continue
        rng.shuffle(texts)
        held = in_holdout(key, "teacher")
        source, rest = texts[0], [t for t in texts[1:] if 0.7 <= len(t) / len(texts[0]) <= 1.4]
        if not rest:
            continue
        if len(sets) < sets_limit and len(rest) >= 3:
            positives = rest[: set_size // 2]
            candidates, labels, kinds = list(positives), [1] * len(positives), [""] * len(positives)
            for text in positives:
                negative = perturb(text, rng)
                if negative and len(candidates) < set_size:
                    candidates.append(negative[1])
                    labels.append(0)
                    kinds.append(negative[0])
            if 0 in labels:
                sets.append((held, CandidateSet(source, candidates, labels, kinds)))
                continue
        if len(pairs) < 2 * pairs_limit:
            candidate = rest[0]
            pairs.append((held, ScorerPair(source, candidate, 1, "teacher")))
            negative = perturb(candidate, rng)
            if negative:
                pairs.append((held, ScorerPair(source, negative[1], 0, "teacher", negative[0])))
        if len(sets) >= sets_limit and len(pairs) >= 2 * pairs_limit:
            break
    return pairs, sets


def protected_sources(root: Path) -> set[str]:
    """Keys of the sources the evaluate command draws first from MRPC and QQP."""
    return ({i.key for i in sample(mrpc_sources(root), EVAL_PROTECT)}
            | {i.key for i in sample(qqp_sources(root), EVAL_PROTECT)})


#: ``--only`` choices, with the same held-out split as the meaning scorer's: ``paws``, PAWS-Wiki
#: alone; ``order``, the order scorer's data (``models/scorers/minilm-l6-order-v4``, see
#: :func:`order_pairs`).
ONLY_CHOICES = ("paws", "order")


def order_pairs(root: Path, rng: random.Random, *, teacher_limit: int = 1500) -> list[tuple[bool, ScorerPair]]:
    """Pairs that reorder the same words (:func:`models.word_order.is_reordering`) from outside
    PAWS: MRPC's (human labels), and two teacher paraphrases of one seed (positives), each with
    the candidate's names or numbers swapped as a negative where it has two (``roles``).

    Why: PAWS's reordered pairs are two-thirds non-paraphrases, natural rewrites that move a
    phrase nearly all faithful, and a model that saw PAWS alone carries its suspicion to them.
    The swapped negatives come from the same sentences, so the domain alone does not decide.
    """
    from models.word_order import is_reordering

    pairs = [(held, p) for held, p in mrpc_pairs(root, protected_sources(root)) if is_reordering(p.source, p.candidate)]
    groups = load_groups(root, sources=(LLM_VS_AUG,))
    keys = sorted(groups, key=lambda k: hashlib.sha1(f"{HOLDOUT_SALT}\0{k}".encode()).hexdigest())
    taken = 0
    for key in keys:
        if taken >= teacher_limit:
            break
        if is_dev_group(key, DEFAULT_DEV_FRACTION):
            continue
        texts = list(dict.fromkeys(p.text for p in groups[key].paraphrases if _usable(p.text)))
        held = in_holdout(key, "teacher")
        for i, source in enumerate(texts):
            for candidate in texts[i + 1:]:
                if taken >= teacher_limit or not is_reordering(source, candidate):
                    continue
                pairs.append((held, ScorerPair(source, candidate, 1, "teacher_order")))
                swapped = perturb(candidate, rng, kinds=("roles",))
                if swapped:
                    pairs.append((held, ScorerPair(source, swapped[1], 0, "teacher_order", swapped[0])))
                taken += 1
    return pairs


def swap_sentences(root: Path) -> Iterator[str]:
    """WikiSplit's long sentences, then Brown's, each once (both tokenized, PAWS-style)."""
    seen: set[str] = set()
    folder, brown = (root / p for p in SWAP_SOURCES)
    texts: list[str] = []
    for path in sorted(folder.glob("*.tsv")):
        texts += [row[0] for row in _tsv_rows(path) if row]
    if brown.is_file():
        texts += [row[-1] for row in _tsv_rows(brown) if len(row) == 4 and row[0] != "doc_id"]
    for text in texts:
        text = " ".join(text.split())
        if text not in seen and 8 <= len(text.split()) <= 45 and text[0].isupper():
            seen.add(text)
            yield text


def swap_pairs(root: Path, rng: random.Random, *, positives: int = 3000) -> list[tuple[bool, ScorerPair]]:
    """PAWS-style pairs made from one plain sentence (:mod:`distill.word_swaps`): up to
    ``positives`` kept-meaning reorders (conjuncts swapped, a leading phrase moved) and as many
    broken ones (names, nouns or verbs traded), the broken one from the same sentence where it
    has one, so the sentence alone does not give the label away.

    Why: the order scorer's held-out PAWS errors are of exactly these two kinds, and PAWS-Wiki
    dev is too small to teach them apart. Sentences that PAWS-Wiki or a teacher seed uses are
    skipped, so no held-out check sees them.
    """
    paws = {" ".join(t.split()) for row in _tsv_rows(root / PAWS_FILE) if len(row) == 4 for t in row[1:3]}
    present = tuple(name for name, path in ((LLM_VS_AUG, LLM_VS_AUG_FILE), (DIV_INCENTIVES, DIV_INCENTIVES_FILE))
                    if (root / path).is_file())
    seeds = set(load_groups(root, sources=present, teachers=None))
    texts = [t for t in swap_sentences(root) if t not in paws and seed_key(t) not in seeds]
    rng.shuffle(texts)
    pairs: list[tuple[bool, ScorerPair]] = []
    kept = broken = 0
    spare: list[tuple[bool, ScorerPair]] = []
    for text in texts:
        if kept >= positives and broken >= positives:
            break
        held = in_holdout(text, "swaps")
        good = first_change(text, KEEPING, rng) if kept < positives else None
        bad = first_change(text, BREAKING, rng)
        if good:
            pairs.append((held, ScorerPair(text, good[1], 1, "swaps", good[0])))
            kept += 1
            if bad:
                pairs.append((held, ScorerPair(text, bad[1], 0, "swaps", bad[0])))
                broken += 1
        elif bad and len(spare) < positives:
            spare.append((held, ScorerPair(text, bad[1], 0, "swaps", bad[0])))
    pairs += spare[:max(0, kept - broken)]
    return pairs


#: The edits :func:`changed_pairs` makes: every kind but ``roles``, which the order data
#: already makes from the teachers' pairs.
CHANGES = ("number", "number_word", "name", "negation", "flip", "drop", "invent")


def changed_pairs(labelled: list[tuple[bool, ScorerPair]], rng: random.Random, *,
                  limit: int) -> list[tuple[bool, ScorerPair]]:
    """Up to ``limit`` negatives made from reordered positives: the candidate with a number,
    a name, a negation, a direction, a clause or an invented detail changed, kept where the
    pair still reorders the source's words (only those reach the order scorer); each stays on
    its positive's side of the hold-out.

    Why: the order scorer's data taught word order alone, and a scorer read both ways gave
    reordered candidates with "not" or "in secret" added 0.6-0.9 (held-out QQP made
    negatives), though such a candidate is one the app must not show.
    """
    from models.word_order import is_reordering

    positives = [(held, p) for held, p in labelled if p.label == 1 and is_reordering(p.source, p.candidate)]
    rng.shuffle(positives)
    made: list[tuple[bool, ScorerPair]] = []
    for held, pair in positives:
        if len(made) >= limit:
            break
        changed = perturb(pair.candidate, rng, kinds=CHANGES)
        if changed and is_reordering(pair.source, changed[1]):
            made.append((held, ScorerPair(pair.source, changed[1], 0, "changed", changed[0])))
    return made


def build(root: Path, out_dir: Path, *, seed: int = 13, qqp_limit: int = 4000,
          teacher_pairs: int = 5000, kd_sets: int = 600, only: str | None = None,
          swaps: int = 0, changed: int = 0) -> dict[str, Any]:
    """Write train.jsonl, holdout.jsonl, kd_train.jsonl and kd_holdout.jsonl; return counts.

    ``only="paws"``: PAWS-Wiki's pairs alone and no candidate sets (the KD files are empty);
    ``only="order"``: those and :func:`order_pairs`, plus ``swaps`` kept-meaning PAWS-style
    pairs and as many broken ones (:func:`swap_pairs`), and ``changed`` negatives made from
    the reordered positives (:func:`changed_pairs`).
    """
    rng = random.Random(seed)
    labelled: list[tuple[bool, ScorerPair]] = []
    labelled += paws_pairs(root)
    sets: list[tuple[bool, CandidateSet]] = []
    if only is None:
        protected = protected_sources(root)
        labelled += mrpc_pairs(root, protected)
        labelled += apty_pairs(root)
        labelled += qqp_pairs(root, protected, rng, qqp_limit)
        pairs, sets = teacher_sets(root, rng, pairs_limit=teacher_pairs, sets_limit=kd_sets)
        labelled += pairs
    elif only == "order":
        labelled += order_pairs(root, rng)
        if swaps:
            labelled += swap_pairs(root, rng, positives=swaps)
        if changed:
            labelled += changed_pairs(labelled, rng, limit=changed)
    elif only not in ONLY_CHOICES:
        raise ValueError(f"only must be one of {', '.join(ONLY_CHOICES)}, got {only!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, Any] = {"seed": seed, "only": only, "train": {}, "holdout": {}, "kd": {"train": 0, "holdout": 0}}
    for name, held_flag in (("train", False), ("holdout", True)):
        chosen = [p for held, p in labelled if held == held_flag]
        _write(out_dir / f"{name}.jsonl", (asdict(p) for p in chosen))
        for p in chosen:
            key = f"{p.origin}/{'pos' if p.label else 'neg'}"
            counts[name][key] = counts[name].get(key, 0) + 1
        kd = [s for held, s in sets if held == held_flag]
        _write(out_dir / f"kd_{name}.jsonl", (asdict(s) for s in kd))
        counts["kd"][name] = len(kd)
    (out_dir / "counts.json").write_text(json.dumps(counts, indent=2) + "\n", encoding="utf-8")
    log.info("scorer data in %s: %s", out_dir, json.dumps(counts))
    return counts


def _write(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_pairs(path: Path) -> list[ScorerPair]:
    with open(path, encoding="utf-8") as fh:
        return [ScorerPair(**json.loads(line)) for line in fh if line.strip()]


def read_sets(path: Path) -> list[CandidateSet]:
    with open(path, encoding="utf-8") as fh:
        return [CandidateSet(**json.loads(line)) for line in fh if line.strip()]


def main(argv: list[str] | None = None) -> int:
    import argparse

    from .paths import data_root

    parser = argparse.ArgumentParser(description="build the meaning scorer's labelled pairs")
    parser.add_argument("--out", type=Path, required=True, help="folder for the jsonl files")
    parser.add_argument("--data", type=Path, default=None, help="shared data root (default ../shared/data)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--kd-sets", type=int, default=600)
    parser.add_argument("--teacher-pairs", type=int, default=5000)
    parser.add_argument("--qqp", type=int, default=4000)
    parser.add_argument("--only", choices=ONLY_CHOICES, default=None,
                        help="paws: PAWS-Wiki alone; order: the order scorer's reordered pairs")
    parser.add_argument("--swaps", type=int, default=0,
                        help="with --only order: this many PAWS-style kept-meaning pairs made from "
                             "plain sentences, and as many broken ones")
    parser.add_argument("--changed", type=int, default=0,
                        help="with --only order: this many negatives made from the reordered positives "
                             "(a number, name, negation, direction, clause or invented detail changed)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    counts = build(args.data or data_root(), args.out, seed=args.seed, qqp_limit=args.qqp,
                   teacher_pairs=args.teacher_pairs, kd_sets=args.kd_sets, only=args.only,
                   swaps=args.swaps, changed=args.changed)
    print(json.dumps(counts, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
