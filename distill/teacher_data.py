"""Load the kinit teacher paraphrase files into seed groups.

A *group* is one seed sentence with every teacher paraphrase of it, from both kinit sets
(seeds are matched on a normalised key, so the ~190 seeds the two sets share form one
group and can never straddle the train/dev split).

Quirks handled here (see ``../shared/data/teacher/*/SOURCES.md``):

* the TSVs have raw ``"`` characters: read with quoting off;
* ``pairs_all.tsv`` has ~25 rows broken by a raw newline inside a quoted seed (a 4-field
  line followed by a 2-field line): they are joined and the wrapping quotes removed;
* rows with too many fields (a raw tab inside a field) cannot be parsed safely: dropped;
* seeds are lower-cased with punctuation stripped; so are *all* kinit_div_incentives
  paraphrases and the Llama-3-8B paraphrases of kinit_llm_vs_aug (measured: 0 of 35,164
  contain a capital letter or punctuation). Each paraphrase records whether it is cased;
* ~3k exact duplicate (teacher, seed, paraphrase) rows: kept once per group;
* 150 seeds were removed upstream for held-out evaluation; a held-out list can be passed
  again so that a later data refresh cannot leak them into training.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

LLM_VS_AUG = "kinit_llm_vs_aug"
DIV_INCENTIVES = "kinit_div_incentives"

LLM_VS_AUG_FILE = Path("teacher") / LLM_VS_AUG / "pairs_all.tsv"
DIV_INCENTIVES_FILE = Path("teacher") / DIV_INCENTIVES / "pairs_seed_mapped.tsv"

LLM_VS_AUG_COLUMNS = ("teacher", "dataset", "label", "seed", "paraphrase")
DIV_INCENTIVES_COLUMNS = ("teacher", "dataset", "fold", "file_method", "label", "seed", "paraphrase")

#: Upstream teacher names -> short stable names (the same model under two spellings merges).
TEACHER_ALIASES: dict[str, str] = {
    "gpt-3.5-turbo-0125": "gpt-3.5",
    "gpt-3.5-turbo (ChatGPT)": "gpt-3.5",
    "gpt-4": "gpt-4",
    "Meta-Llama-3-8B-Instruct": "llama-3-8b",
    "Llama-2-70b-chat-hf": "llama-2-70b",
    "Platypus2-70B-instruct": "platypus2-70b",
    "Mistral-7B-Instruct-v0.1": "mistral-7b",
}

#: Teachers used by default: the GPT family and the Llama chat models.
DEFAULT_TEACHERS = ("gpt-3.5", "gpt-4", "llama")

_CASED = re.compile(r"[A-Z.,;:!?'\"]")
_KEY_DROP = re.compile(r"['\u2019`]")
_KEY_SPLIT = re.compile(r"[^0-9a-z]+")


def normalize_teacher(name: str) -> str:
    """Short teacher name; unknown names are kept (lower-cased) rather than dropped."""
    return TEACHER_ALIASES.get(name.strip(), name.strip().lower())


def seed_key(text: str) -> str:
    """Grouping key: lower-case, apostrophes removed, everything else non-alphanumeric a space.

    Matches how the kinit authors normalised seeds, so a cased sentence and its
    lower-cased, punctuation-stripped copy get the same key.
    """
    text = _KEY_DROP.sub("", text.lower())
    return " ".join(_KEY_SPLIT.split(text)).strip()


def clean_text(text: str) -> str:
    """Collapse whitespace and drop one pair of quotes that wraps the whole text."""
    text = " ".join(text.split())
    if len(text) >= 2 and text[0] == text[-1] == '"' and '"' not in text[1:-1]:
        text = text[1:-1].strip()
    return text


def is_cased(text: str) -> bool:
    """True when the text kept capitals or punctuation (usable as a style target)."""
    return bool(_CASED.search(text))


@dataclass
class ReadReport:
    """What the TSV reader had to repair or drop, per file."""

    rows: int = 0
    joined: int = 0
    dropped_malformed: int = 0
    dropped_empty: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def read_tsv(path: str | Path, columns: tuple[str, ...],
             report: ReadReport | None = None) -> Iterator[dict[str, str]]:
    """Yield rows of a header-first, unquoted TSV as dicts, repairing split lines."""
    report = report if report is not None else ReadReport()
    n = len(columns)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        lines = fh.read().split("\n")
    header = lines[0].rstrip("\r").split("\t")
    if tuple(header) != columns:
        raise ValueError(f"{path}: expected columns {columns}, found {tuple(header)}")
    i = 1
    while i < len(lines):
        line = lines[i].rstrip("\r")
        i += 1
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < n and i < len(lines):
            # A raw newline inside a quoted field: the rest of the row is on the next line.
            nxt = lines[i].rstrip("\r").split("\t")
            if len(fields) + len(nxt) - 1 == n:
                fields = fields[:-1] + [fields[-1] + " " + nxt[0]] + nxt[1:]
                report.joined += 1
                i += 1
        if len(fields) != n:
            report.dropped_malformed += 1
            continue
        row = {col: clean_text(value) for col, value in zip(columns, fields)}
        if not row["seed"] or not row["paraphrase"]:
            report.dropped_empty += 1
            continue
        report.rows += 1
        yield row


@dataclass(frozen=True)
class TeacherParaphrase:
    """One teacher output for a seed."""

    teacher: str
    text: str
    origin: str          # which kinit set it came from
    method: str = ""     # kinit_div_incentives prompt variant (file_method), else ""

    @property
    def cased(self) -> bool:
        return is_cased(self.text)


@dataclass
class SeedGroup:
    """A seed and all its teacher paraphrases; the unit of the train/dev split."""

    key: str
    seed: str
    datasets: set[str] = field(default_factory=set)
    paraphrases: list[TeacherParaphrase] = field(default_factory=list)


@dataclass
class LoadReport:
    """Counts from loading, for ``training.json`` and the prepare log."""

    files: dict[str, dict[str, int]] = field(default_factory=dict)
    rows_by_teacher: Counter = field(default_factory=Counter)
    skipped_teacher: Counter = field(default_factory=Counter)
    skipped_method: int = 0
    duplicates: int = 0
    heldout_groups: int = 0
    heldout_rows: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "rows_by_teacher": dict(sorted(self.rows_by_teacher.items())),
            "skipped_teacher": dict(sorted(self.skipped_teacher.items())),
            "skipped_method": self.skipped_method,
            "duplicates": self.duplicates,
            "heldout_groups": self.heldout_groups,
            "heldout_rows": self.heldout_rows,
        }


def teacher_selected(teacher: str, teachers: Iterable[str] | None) -> bool:
    """``teachers`` are prefixes of the short names ("llama" selects both Llama models)."""
    return teachers is None or any(teacher.startswith(t) for t in teachers)


def iter_teacher_rows(data_root: str | Path, sources: Iterable[str] = (LLM_VS_AUG, DIV_INCENTIVES),
                      report: LoadReport | None = None) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield ``(origin, row)`` from the selected kinit files under ``data_root``."""
    report = report if report is not None else LoadReport()
    files = {LLM_VS_AUG: (LLM_VS_AUG_FILE, LLM_VS_AUG_COLUMNS),
             DIV_INCENTIVES: (DIV_INCENTIVES_FILE, DIV_INCENTIVES_COLUMNS)}
    for origin in sources:
        if origin not in files:
            raise ValueError(f"unknown teacher source '{origin}' (known: {', '.join(files)})")
        rel, columns = files[origin]
        path = Path(data_root) / rel
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} not found: set PARAPHRASE_STUDIO_DATA to the folder that holds teacher/")
        read = ReadReport()
        for row in read_tsv(path, columns, read):
            yield origin, row
        report.files[origin] = read.as_dict()
        log.info("%s: %d rows (%d joined, %d malformed, %d empty)", origin, read.rows,
                 read.joined, read.dropped_malformed, read.dropped_empty)


def load_groups(data_root: str | Path, sources: Iterable[str] = (LLM_VS_AUG, DIV_INCENTIVES),
                teachers: Iterable[str] | None = DEFAULT_TEACHERS,
                methods: Iterable[str] | None = None,
                heldout_seeds: Iterable[str] = (),
                report: LoadReport | None = None) -> dict[str, SeedGroup]:
    """Group teacher paraphrases by seed.

    ``methods`` keeps only kinit_div_incentives rows whose ``file_method`` ends with one of
    the given suffixes (e.g. ``("seeds", "hints")``); ``None`` keeps all. Groups whose seed
    is in ``heldout_seeds`` are left out entirely.
    """
    report = report if report is not None else LoadReport()
    teachers = tuple(teachers) if teachers is not None else None
    methods = tuple(methods) if methods is not None else None
    heldout = {seed_key(s) for s in heldout_seeds}
    heldout_found: set[str] = set()
    groups: dict[str, SeedGroup] = {}
    seen: set[tuple[str, str, str]] = set()
    for origin, row in iter_teacher_rows(data_root, sources, report):
        teacher = normalize_teacher(row["teacher"])
        if not teacher_selected(teacher, teachers):
            report.skipped_teacher[teacher] += 1
            continue
        method = row.get("file_method", "")
        if methods is not None and method and not method.endswith(methods):
            report.skipped_method += 1
            continue
        key = seed_key(row["seed"])
        if not key:
            continue
        if key in heldout:
            heldout_found.add(key)
            report.heldout_rows += 1
            continue
        dedupe = (key, teacher, seed_key(row["paraphrase"]))
        if dedupe in seen:
            report.duplicates += 1
            continue
        seen.add(dedupe)
        group = groups.get(key)
        if group is None:
            group = groups[key] = SeedGroup(key=key, seed=row["seed"])
        group.datasets.add(row["dataset"])
        group.paraphrases.append(TeacherParaphrase(teacher, row["paraphrase"], origin, method))
        report.rows_by_teacher[teacher] += 1
    report.heldout_groups = len(heldout_found)
    log.info("%d seed groups, %d paraphrases, %d duplicates dropped", len(groups),
             sum(report.rows_by_teacher.values()), report.duplicates)
    return groups


def read_seed_list(path: str | Path) -> list[str]:
    """Held-out seeds: one per line, or a TSV/JSONL whose rows carry a ``seed`` field."""
    import json

    seeds: list[str] = []
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    if not lines:
        return seeds
    if lines[0].lstrip().startswith("{"):
        return [str(json.loads(line)["seed"]) for line in lines if line.strip()]
    header = lines[0].split("\t")
    if "seed" in header and len(header) > 1:
        col = header.index("seed")
        return [f[col] for f in (line.split("\t") for line in lines[1:]) if len(f) > col]
    return [line for line in lines if line.strip()]
