"""How often do paraphrases break :mod:`models.facts` rules? A measurement, not a test.

Three uses (``python -m distill.facts_report --help``):

* default: score human and teacher paraphrase pairs, which keep facts almost always, so
  what they "violate" is mostly a false alarm of the rules (read the printed examples):
  - MRPC positives (``eval/mrpc``, Quality=1): ``#1 String`` is the source, ``#2`` the
    candidate; both are cased human news sentences;
  - the GPT-3.5 paraphrases of ``teacher/kinit_llm_vs_aug``: the seeds are lower-cased and
    stripped of punctuation, so each cased paraphrase is the source and another cased
    paraphrase of the same seed the candidate (GPT sometimes paraphrases only part of a
    long seed, so some of these pairs really differ in facts).
* ``--candidates FILE``: score the ``paraphrase --json`` output of the app (one object per
  line, ``input`` and ``paraphrases``): the student's baseline.
* ``--write-sources FILE``: write MRPC sources that contain a number, one per line, as
  input for ``paraphrase-studio paraphrase -i FILE``.
* ``--write-words``: rebuild ``models/facts_words.py`` (the common lower-case word list the
  name rule uses) from the plain-text sources in ``../shared/data``. The runtime never
  reads ``../shared``: it imports the committed list.

Printed with ``print`` on purpose: this is a command whose output is the report.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import textwrap
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from models.facts import NEW_NUMBER, NUMBER, SourceFacts, Violation, stems

from .paths import REPO_ROOT, data_root
from .teacher_data import LLM_VS_AUG_COLUMNS, LLM_VS_AUG_FILE, is_cased, normalize_teacher, read_tsv, seed_key

MRPC_FILE = Path("eval") / "mrpc" / "msr_paraphrase_train.txt"
WORDS_FILE = REPO_ROOT / "models" / "facts_words.py"
#: A word is common when at least this share of its mid-sentence uses is lower case ...
COMMON_SHARE = 0.5
#: ... and it was seen in lower case at least this often.
COMMON_MIN_COUNT = 3
#: A common word joins a following name when this share of its mid-sentence uses is capitalised.
NAME_PART_SHARE = 0.2
NUMBER_KINDS = ("missing_number", "changed_number")


# --------------------------------------------------------------------------- scoring

@dataclass
class Tally:
    """Counts over one set of (source, candidate) pairs."""

    name: str
    pairs: int = 0
    with_numbers: int = 0        # pairs whose source has a (non-weak) number
    kept_numbers: int = 0        # ... of which the candidate keeps every one
    invented: int = 0            # pairs whose candidate has a number not in the source
    any_violation: int = 0
    by_kind: Counter = field(default_factory=Counter)
    examples: list[tuple[str, str, list[Violation]]] = field(default_factory=list)

    def add(self, facts: SourceFacts, candidate: str) -> list[Violation]:
        violations = facts.check(candidate)
        self.pairs += 1
        kinds = {v.kind for v in violations}
        if any(not s.weak for s in facts.of_kind(NUMBER)):
            self.with_numbers += 1
            if not kinds & set(NUMBER_KINDS):
                self.kept_numbers += 1
        if NEW_NUMBER in kinds:
            self.invented += 1
        if violations:
            self.any_violation += 1
            self.examples.append((facts.source, candidate, violations))
        self.by_kind.update(kinds)
        return violations

    def report(self, show: int, rng: random.Random) -> str:
        pct = lambda n, d: f"{100 * n / d:5.1f} %" if d else "  n/a"  # noqa: E731
        lines = [f"## {self.name}: {self.pairs:,} pairs",
                 f"  any violation          {pct(self.any_violation, self.pairs)}",
                 f"  invented number        {pct(self.invented, self.pairs)}",
                 f"  keeps all numbers      {pct(self.kept_numbers, self.with_numbers)}"
                 f"  (of {self.with_numbers:,} pairs whose source has a number)"]
        for kind, count in self.by_kind.most_common():
            lines.append(f"  {kind:<22} {pct(count, self.pairs)}")
        picks = rng.sample(self.examples, min(show, len(self.examples)))
        if picks:
            lines.append(f"  {len(picks)} random pairs with a violation:")
        for source, candidate, violations in picks:
            lines.append(textwrap.indent(f"S: {source}\nC: {candidate}\n=> "
                                         + "; ".join(v.reason for v in violations), "    "))
        return "\n".join(lines)


def mrpc_pairs(root: Path) -> Iterator[tuple[str, str]]:
    """(#1, #2) of the Quality=1 MRPC pairs (BOM, no header, raw quotes)."""
    with open(root / MRPC_FILE, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) == 5 and row[0].strip() == "1" and row[3].strip() and row[4].strip():
                yield " ".join(row[3].split()), " ".join(row[4].split())


def teacher_pairs(root: Path, rng: random.Random, per_source: int = 1) -> Iterator[tuple[str, str]]:
    """(paraphrase, another paraphrase of the same seed) over the cased GPT-3.5 outputs."""
    groups: dict[str, list[str]] = {}
    for row in read_tsv(root / LLM_VS_AUG_FILE, LLM_VS_AUG_COLUMNS):
        if normalize_teacher(row["teacher"]) == "gpt-3.5" and is_cased(row["paraphrase"]):
            group = groups.setdefault(seed_key(row["seed"]), [])
            if row["paraphrase"] not in group:
                group.append(row["paraphrase"])
    for key in sorted(groups):
        texts = groups[key]
        for i, source in enumerate(texts):
            others = texts[:i] + texts[i + 1:]
            for candidate in rng.sample(others, min(per_source, len(others))):
                yield source, candidate


def score_pairs(name: str, pairs: Iterable[tuple[str, str]], limit: int | None) -> Tally:
    tally = Tally(name)
    for n, (source, candidate) in enumerate(pairs):
        if limit is not None and n >= limit:
            break
        tally.add(SourceFacts(source), candidate)
    return tally


def score_candidates(path: Path, name: str) -> Tally:
    """Score ``paraphrase --json`` output: every candidate against its input."""
    tally = Tally(name)
    inputs = returned = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            item = json.loads(line)
            inputs += 1
            facts = SourceFacts(item["input"])
            for cand in item.get("paraphrases", []):
                returned += 1
                tally.add(facts, cand["text"])
    tally.name += f" ({inputs} inputs, {returned / max(inputs, 1):.2f} candidates per input)"
    return tally


def write_sources(root: Path, out: Path, count: int, seed: int) -> int:
    """MRPC sources with a digit, sampled reproducibly, one per line."""
    sources = sorted({s for s, _ in mrpc_pairs(root) if re.search(r"\d", s)})
    picked = random.Random(seed).sample(sources, min(count, len(sources)))
    out.write_text("".join(s + "\n" for s in picked), encoding="utf-8")
    return len(picked)


# --------------------------------------------------------------------------- word list

_TOKEN = re.compile(r"[^\W\d_]+|\d[\d,.]*|[^\w\s]")
_ALPHA = re.compile(r"[^\W\d_]+")


def _word_counts(token_lines: Iterable[list[str]]) -> tuple[Counter, Counter]:
    """Mid-sentence lower-case and capitalised counts per word (a word after punctuation is
    not counted: it may be capitalised by position)."""
    lower: Counter = Counter()
    capital: Counter = Counter()
    for tokens in token_lines:
        prev = None
        for i, tok in enumerate(tokens):
            word = _ALPHA.fullmatch(tok)
            if word and i > 0 and prev is not None and (_ALPHA.fullmatch(prev) or prev == ","
                                                        or prev[:1].isdigit()):
                if tok.islower():
                    lower[tok] += 1
                elif tok[:1].isupper():
                    capital[tok.lower()] += 1
            prev = tok
    return lower, capital


def _corpus_lines(root: Path) -> Iterator[list[str]]:
    """Tokenized lines from Brown, WikiSplit, newstest and the cased GPT paraphrases."""
    brown = root / "sources" / "brown" / "brown_sentences.tsv"
    with open(brown, encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) == 4:
                yield row[3].split()
    for path in sorted((root / "sources" / "wikisplit").glob("*.tsv")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                yield line.split("\t")[0].split()
    with open(root / "sources" / "newstest_wmt" / "newstest2012.en", encoding="utf-8") as fh:
        for line in fh:
            yield line.split()
    for row in read_tsv(root / LLM_VS_AUG_FILE, LLM_VS_AUG_COLUMNS):
        if is_cased(row["paraphrase"]):
            yield _TOKEN.findall(row["paraphrase"])


def build_words(root: Path) -> tuple[list[str], list[str]]:
    """(common words, name-part words). A word that :func:`models.facts.stems` derives from
    a listed word ("serenely" from "serene") is left out: the runtime finds it by its stem."""
    lower, capital = _word_counts(_corpus_lines(root))
    common: set[str] = set()
    name_part = []
    for word in sorted(lower, key=lambda w: (len(w), w)):
        n, cap = lower[word], capital[word]
        if n >= COMMON_MIN_COUNT and word.isascii() and n / (n + cap) >= COMMON_SHARE:
            if cap / (n + cap) >= NAME_PART_SHARE and cap >= 20:
                name_part.append(word)
            if not any(stem in common for stem in stems(word)):
                common.add(word)
    return sorted(common), sorted(name_part)


def write_words(root: Path, path: Path = WORDS_FILE) -> tuple[int, int]:
    common, name_part = build_words(root)

    def block(words: list[str]) -> str:
        return "\n".join(textwrap.wrap(" ".join(words), 96, break_on_hyphens=False))

    path.write_text(
        '"""Common lower-case English words, for the name rule of :mod:`models.facts`.\n\n'
        "Generated by ``python -m distill.facts_report --write-words`` from Brown, WikiSplit,\n"
        "newstest 2012 and the cased GPT-3.5 paraphrases in ``../shared/data``: a word is\n"
        f"common when it was seen in lower case mid-sentence at least {COMMON_MIN_COUNT} times and\n"
        f"in at least {COMMON_SHARE:.0%} of its mid-sentence uses. A sentence-initial capitalised word\n"
        "that is common is not a name (\"Yesterday\"); one that is not common is (\"Apple\").\n"
        "NAME_PART_WORDS are common words capitalised in at least "
        f"{NAME_PART_SHARE:.0%} of their mid-sentence uses\n"
        "(\"New\", \"General\"): at a sentence start they join a name that follows them.\n"
        '"""\n\nfrom __future__ import annotations\n\n'
        f"COMMON_WORDS = frozenset(\"\"\"\n{block(common)}\n\"\"\".split())\n\n"
        f"NAME_PART_WORDS = frozenset(\"\"\"\n{block(name_part)}\n\"\"\".split())\n",
        encoding="utf-8")
    return len(common), len(name_part)


# --------------------------------------------------------------------------- command

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m distill.facts_report", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="data root (default ../shared/data)")
    parser.add_argument("--limit", type=int, default=None, help="pairs per set (default all)")
    parser.add_argument("--show", type=int, default=20, help="random violations printed per set")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sets", default="mrpc,teacher", help="comma list of mrpc, teacher")
    parser.add_argument("--candidates", type=Path, action="append", default=[],
                        help="score a `paraphrase --json` output file instead (repeatable)")
    parser.add_argument("--write-sources", type=Path, metavar="FILE",
                        help="write MRPC sources that contain a number to FILE and exit")
    parser.add_argument("--count", type=int, default=30, help="sources for --write-sources")
    parser.add_argument("--write-words", action="store_true", help="rebuild models/facts_words.py and exit")
    args = parser.parse_args(argv)
    root = args.data or data_root()
    rng = random.Random(args.seed)
    try:
        if args.write_words:
            n_common, n_part = write_words(root)
            print(f"wrote {WORDS_FILE}: {n_common:,} common words, {n_part:,} name-part words")
            return 0
        if args.write_sources:
            n = write_sources(root, args.write_sources, args.count, args.seed)
            print(f"wrote {n} sources to {args.write_sources}")
            return 0
        if args.candidates:
            for path in args.candidates:
                print(score_candidates(path, str(path)).report(args.show, rng))
            return 0
        sets = [s.strip() for s in args.sets.split(",") if s.strip()]
        for name in sets:
            if name == "mrpc":
                tally = score_pairs("MRPC positives (#1 -> #2)", mrpc_pairs(root), args.limit)
            elif name == "teacher":
                tally = score_pairs("GPT-3.5 paraphrase -> paraphrase of the same seed",
                                    teacher_pairs(root, random.Random(args.seed)), args.limit)
            else:
                parser.error(f"unknown set {name!r} (known: mrpc, teacher)")
            print(tally.report(args.show, rng))
    except FileNotFoundError as exc:
        print(f"error: {exc} (set PARAPHRASE_STUDIO_DATA or --data to the folder that holds eval/ and teacher/)",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
