"""Evaluation inputs (dev split, MRPC, QQP, held-out ASSET, news) and the teacher paraphrases of those inputs.

Every system of one set is scored on the same inputs, chosen deterministically: items are
ordered by a salted sha1 of their key and the first ``limit`` are taken, so a larger
``--limit`` extends a smaller one instead of reshuffling it, and the choice does not depend
on which systems are asked for.

Dev inputs are the seeds of the dev groups of :func:`distill.pairs.split_groups` (a pure
function of the seed key and the dev fraction), kept only where the *reference teacher*
(``gpt-3.5`` by default) has at least two paraphrases, so the teacher row is defined on
every dev input. The seed is the input because it is what the teachers paraphrased.

Teacher rows come from the raw kinit rows (not the critic-filtered ``dev.jsonl``): the bar
compares the student with what the teacher really produced.

``asset`` is the held-out share of ASSET (:func:`distill.simplify_data.asset_split`, never
trained on), each input with its 10 human simplifications for SARI; ``news`` is detokenized
WMT newstest2012 (:mod:`distill.news_data`), 8-40 words, for the facts and the Shorter mode.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import news_data, simplify_data
from .pairs import is_dev_group
from .teacher_data import (DIV_INCENTIVES, LLM_VS_AUG, iter_teacher_rows, normalize_teacher,
                           seed_key)

log = logging.getLogger(__name__)

SAMPLE_SALT = "paraphrase-studio-eval-v1"
MRPC_FILE = Path("eval") / "mrpc" / "msr_paraphrase_train.txt"
QQP_FILE = Path("eval") / "quora_qqp" / "eval.csv"
#: What ``evaluate`` runs when no ``--sets`` is given (the distillation bar's sets).
DEFAULT_SETS = ("dev", "mrpc", "qqp")
SETS = (*DEFAULT_SETS, "asset", "news")
DEFAULT_DEV_FRACTION = 0.05
#: Dev inputs need this teacher's paraphrases (the teacher the bar compares with).
DEFAULT_REFERENCE_TEACHER = "gpt-3.5"


@dataclass(frozen=True)
class EvalInput:
    """One sentence to paraphrase; ``key`` matches teacher seeds (``seed_key``)."""

    text: str
    key: str
    #: Human rewrites of ``text`` (ASSET's simplifications), for reference metrics such as SARI.
    references: tuple[str, ...] = ()


def sample(items: Iterable[EvalInput], limit: int | None, salt: str = SAMPLE_SALT) -> list[EvalInput]:
    """De-duplicate by key and take the first ``limit`` in salted-hash order."""
    unique: dict[str, EvalInput] = {}
    for item in items:
        if item.key and item.key not in unique:
            unique[item.key] = item
    ordered = sorted(unique.values(), key=lambda i: hashlib.sha1(f"{salt}\0{i.key}".encode()).hexdigest())
    return ordered if limit is None else ordered[:limit]


def mrpc_sources(data_root: str | Path) -> list[EvalInput]:
    """``#1 String`` of the Quality=1 MRPC train pairs (BOM, no header, raw quotes)."""
    path = Path(data_root) / MRPC_FILE
    out = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) == 5 and row[0].strip() == "1" and row[3].strip():
                out.append(EvalInput(" ".join(row[3].split()), seed_key(row[3])))
    return out


def qqp_sources(data_root: str | Path) -> list[EvalInput]:
    """``question1`` of the QQP duplicate pairs (a quoted CSV with a header)."""
    path = Path(data_root) / QQP_FILE
    with open(path, encoding="utf-8", newline="") as fh:
        return [EvalInput(" ".join(row["question1"].split()), seed_key(row["question1"]))
                for row in csv.DictReader(fh) if row.get("question1", "").strip()]


def asset_inputs(data_root: str | Path) -> list[EvalInput]:
    """The held-out ASSET sentences (never trained on), each with its 10 simplifications."""
    _, heldout = simplify_data.asset_split(Path(data_root))
    return [EvalInput(source, seed_key(source), tuple(refs)) for source, refs in heldout]


def news_inputs(data_root: str | Path, min_words: int = news_data.MIN_WORDS,
                max_words: int = news_data.MAX_WORDS) -> list[EvalInput]:
    """Detokenized newstest2012 sentences of ``min_words``..``max_words`` words."""
    return [EvalInput(text, seed_key(text)) for text in news_data.news_sentences(data_root, min_words, max_words)]


@dataclass(frozen=True)
class TeacherRow:
    raw: str       # teacher name as written in the file
    short: str     # normalised name (teacher_data.TEACHER_ALIASES)
    origin: str    # kinit set
    text: str


@dataclass
class TeacherIndex:
    """Seed key -> (first seed text seen, teacher rows), de-duplicated like ``load_groups``."""

    seeds: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[TeacherRow]] = field(default_factory=dict)

    @classmethod
    def load(cls, data_root: str | Path, sources: Sequence[str] = (LLM_VS_AUG, DIV_INCENTIVES)) -> TeacherIndex:
        index = cls()
        seen: set[tuple[str, str, str]] = set()
        for origin, row in iter_teacher_rows(data_root, sources):
            key = seed_key(row["seed"])
            if not key:
                continue
            short = normalize_teacher(row["teacher"])
            dedupe = (key, short, seed_key(row["paraphrase"]))
            if dedupe in seen:
                continue
            seen.add(dedupe)
            index.seeds.setdefault(key, row["seed"])
            index.rows.setdefault(key, []).append(TeacherRow(row["teacher"], short, origin, row["paraphrase"]))
        log.info("teacher index: %d seeds", len(index.seeds))
        return index

    def teacher_names(self) -> set[str]:
        return {r.raw for rows in self.rows.values() for r in rows}


@dataclass(frozen=True)
class TeacherSpec:
    """``NAME[@ORIGIN]`` of a teacher row, e.g. ``gpt-3.5`` or ``gpt-3.5-turbo-0125``.

    NAME matches an upstream name exactly (``gpt-3.5-turbo-0125`` is the kinit_llm_vs_aug
    GPT-3.5 only), else a short name or upstream name by prefix (``gpt-3.5`` is both sets'
    GPT-3.5, ``llama`` both Llamas). ``@ORIGIN`` keeps one kinit set.
    """

    name: str
    origin: str | None = None

    @classmethod
    def parse(cls, text: str) -> TeacherSpec:
        name, _, origin = text.partition("@")
        if not name.strip():
            raise ValueError(f"empty teacher name in '{text}'")
        return cls(name.strip(), origin.strip() or None)

    @property
    def label(self) -> str:
        return f"teacher:{self.name}" + (f"@{self.origin}" if self.origin else "")

    def matcher(self, raw_names: Iterable[str]):  # noqa: ANN201 - a predicate on TeacherRow
        """A predicate on rows; exact upstream names win over prefixes."""
        wanted = self.name.lower()
        exact = {r for r in raw_names if r.lower() == wanted}

        def match(row: TeacherRow) -> bool:
            if self.origin and row.origin != self.origin:
                return False
            if exact:
                return row.raw in exact
            return (row.short == wanted or row.short.startswith(wanted)
                    or row.raw.lower().startswith(wanted))
        return match


def teacher_candidates(index: TeacherIndex, key: str, spec: TeacherSpec, n: int, seed: int = 0,
                       raw_names: Iterable[str] | None = None) -> list[str]:
    """Up to ``n`` of the teacher's paraphrases of one seed, a fixed random choice."""
    match = spec.matcher(raw_names if raw_names is not None else index.teacher_names())
    texts = [r.text for r in index.rows.get(key, ()) if match(r)]
    rng = random.Random(int.from_bytes(hashlib.sha1(f"{seed}\0{spec.label}\0{key}".encode()).digest()[:8], "big"))
    rng.shuffle(texts)
    return texts[:n]


def dev_inputs(index: TeacherIndex, dev_fraction: float = DEFAULT_DEV_FRACTION,
               reference: TeacherSpec | None = TeacherSpec(DEFAULT_REFERENCE_TEACHER),
               min_reference: int = 2) -> list[EvalInput]:
    """Seeds of the dev groups that the reference teacher paraphrased ``min_reference`` times."""
    match = reference.matcher(index.teacher_names()) if reference else None
    out = []
    for key, seed in index.seeds.items():
        if not is_dev_group(key, dev_fraction):
            continue
        if match is not None and sum(match(r) for r in index.rows[key]) < min_reference:
            continue
        out.append(EvalInput(seed, key))
    return out


def check_against_run(inputs: Sequence[EvalInput], run_dir: str | Path) -> dict[str, int]:
    """Dev inputs vs a prepared run's ``dev.jsonl``/``train.jsonl``: a train group here is a leak.

    Returns counts for the report; logs a warning when an input's group is in train.
    """
    run_dir = Path(run_dir)
    groups: dict[str, set[str]] = {}
    for split in ("train", "dev"):
        path = run_dir / f"{split}.jsonl"
        if path.is_file():
            with open(path, encoding="utf-8") as fh:
                groups[split] = {json.loads(line)["group"] for line in fh if line.strip()}
    keys = {i.key for i in inputs}
    counts = {f"in_{split}": len(keys & g) for split, g in groups.items()}
    if counts.get("in_train"):
        log.warning("%d dev inputs are train groups of %s: the dev fraction differs from the run's",
                    counts["in_train"], run_dir)
    return counts


def run_dev_fraction(run_dir: str | Path) -> float | None:
    """The dev fraction a prepared run used (``prepare.json``), if it recorded one."""
    path = Path(run_dir) / "prepare.json"
    if not path.is_file():
        return None
    value = json.loads(path.read_text(encoding="utf-8")).get("dev_fraction")
    return float(value) if value is not None else None
