"""Read the sentences a teacher should paraphrase, from the files users actually have.

Accepted inputs (a file, or a folder of them read in name order):

* plain text, one sentence per line (``newstest2012.en``, the Gutenberg books);
* ``.jsonl`` / ``.ndjson`` with a ``text`` field (``--field`` picks another);
* ``.tsv`` with a header naming a ``sentence``/``text``/``source`` column (``brown_sentences.tsv``),
  or without a header, first column (WikiSplit).

The public corpora in ``../shared/data/sources/`` are tokenized (``sister 's``, ````` … ''``,
``&quot;``): a teacher copies that style into its paraphrases and the student would learn it,
so tokenized lines are detokenized first (``detok="auto"``). Headings, one-word lines and very
long lines are skipped, and repeated sentences are kept once.
"""

from __future__ import annotations

import html
import json
import logging
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

DetokMode = Literal["auto", "on", "off"]

TEXT_COLUMNS = ("sentence", "text", "source", "seed")
SUFFIXES = (".txt", ".tsv", ".jsonl", ".ndjson", ".en", ".csv")

_TOKENIZED = re.compile(r" [,.;:!?)\]](?: |$)|[(\[] | n't\b| '(?:s|re|ve|ll|d|m)\b|``|''|&(?:quot|apos|amp|lt|gt|#\d+);")
_HEADING = re.compile(r"^\[.*\]$|^(?:chapter|volume|book|part)\s+(?:[\dIVXLC]+|one|two|three)\b(?!\S*\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+)", re.I)


def looks_tokenized(text: str) -> bool:
    """True for Moses/PTB-style text (spaces before punctuation, split clitics, `` quotes)."""
    return bool(_TOKENIZED.search(text))


def detokenize(text: str) -> str:
    """Undo Moses/PTB tokenization well enough for a teacher prompt (and a training seed)."""
    text = html.unescape(html.unescape(text))  # newstest has &amp;quot; in places
    text = text.replace("``", '"').replace("''", '"')
    text = re.sub(r" (n't|N'T|'s|'S|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    # Quotes first, while they are still tokens of their own: an opening quote hugs the next
    # word, a closing one the previous word. ` opens a single quote; a lone ' closes one, or is
    # a plural possessive (students '), or opens one.
    out: list[str] = []
    glue_next = False
    open_double = open_single = False
    for token in text.split(" "):
        if not token:
            continue
        if token == '"':
            if open_double and out:
                out[-1] += '"'
            else:
                out.append('"')
                glue_next = True
                open_double = True
                continue
            open_double = False
            continue
        if token in ("`", "'"):
            if token == "'" and out and (open_single or out[-1].endswith(("s", "S"))):
                out[-1] += "'"
                open_single = False
                continue
            out.append("'")
            glue_next = True
            open_single = True
            continue
        if glue_next and out:
            out[-1] += token
        else:
            out.append(token)
        glue_next = False
    text = " ".join(out)
    text = re.sub(r" ([,.;:!?%)\]}])", r"\1", text)
    text = re.sub(r"([(\[{$]) ", r"\1", text)
    text = re.sub(r"\b([A-Z][a-z]{0,3}\.)\.$", r"\1", text)  # "Jr .." at the end of a sentence
    return " ".join(text.split())


@dataclass
class SourceReport:
    """How many lines were read, skipped and kept, for the job summary."""

    lines: int = 0
    kept: int = 0
    detokenized: int = 0
    short: int = 0
    long: int = 0
    headings: int = 0
    duplicates: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _tsv_lines(lines: list[str], column: str | int | None) -> Iterator[str]:
    if not lines:
        return
    header = [h.strip().lower() for h in lines[0].split("\t")]
    col: int
    body = lines
    if isinstance(column, int):
        col = column
    elif column:
        if column.lower() not in header:
            raise ValueError(f"column {column!r} not in header {header}")
        col, body = header.index(column.lower()), lines[1:]
    else:
        named = [i for i, h in enumerate(header) if h in TEXT_COLUMNS]
        col, body = (named[0], lines[1:]) if named else (0, lines)
    for line in body:
        fields = line.split("\t")
        if len(fields) > col:
            yield fields[col]


def _jsonl_lines(lines: list[str], field: str, path: Path) -> Iterator[str]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            log.warning("%s:%d: not JSON, skipped", path.name, n)
            continue
        value = row.get(field) if isinstance(row, dict) else None
        if isinstance(value, str):
            yield value
        else:
            log.warning("%s:%d: no string field %r, skipped", path.name, n, field)


def iter_raw(path: str | Path, column: str | int | None = None, field: str = "text") -> Iterator[str]:
    """Raw sentence strings from one file or a folder of files, in order."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not files:
            raise FileNotFoundError(f"{path}: no {'/'.join(SUFFIXES)} files")
        for file in files:
            yield from iter_raw(file, column, field)
        return
    lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from _jsonl_lines(lines, field, path)
    elif suffix == ".tsv":
        yield from _tsv_lines(lines, column)
    else:
        yield from lines


def read_sources(paths: Iterable[str | Path], *, column: str | int | None = None, field: str = "text",
                 detok: DetokMode = "auto", min_words: int = 4, max_chars: int = 600,
                 report: SourceReport | None = None) -> list[str]:
    """Clean, de-duplicated source sentences from ``paths`` (files or folders), in order."""
    report = report if report is not None else SourceReport()
    seen: set[str] = set()
    out: list[str] = []
    for path in paths:
        for raw in iter_raw(path, column, field):
            report.lines += 1
            text = " ".join(raw.split())
            if not text:
                continue
            if detok == "on" or (detok == "auto" and looks_tokenized(text)):
                text = detokenize(text)
                report.detokenized += 1
            if _HEADING.match(text) or (text.isupper() and len(text.split()) < 12):
                report.headings += 1
                continue
            if len(text.split()) < min_words:
                report.short += 1
                continue
            if len(text) > max_chars:
                report.long += 1
                continue
            key = text.lower()
            if key in seen:
                report.duplicates += 1
                continue
            seen.add(key)
            out.append(text)
    report.kept = len(out)
    return out


def select(sentences: list[str], limit: int | None = None, shuffle_seed: int | None = None) -> list[str]:
    """The first ``limit`` sentences, optionally of a seeded shuffle (the same on every resume)."""
    chosen = list(sentences)
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(chosen)
    return chosen if limit is None else chosen[:limit]
