"""SARI (Xu et al. 2016), the simplification metric, computed exactly as EASSE's ``corpus_sari``.

SARI compares a system's output with the *source* and several *references*, n-gram by n-gram
(n = 1..4), and averages three operation scores:

* **add**: n-grams of the output not in the source (as sets), checked against those the
  references added; F1;
* **keep**: source n-grams the output kept, with counts weighted by the number of references
  (a source n-gram kept by 7 of 10 references is worth keeping more than one kept by 1); F1;
* **delete**: source n-grams the output dropped, weighted the same way; F1 (EASSE's default,
  ``use_f1_for_deletion=True``; the paper's sentence-level SARI uses precision only).

This is the version simplification papers report since EASSE (Alva-Manchego et al. 2019;
ACCESS's 40.1 on ASSET, MUSS): statistics summed over the whole corpus, then per-n-gram-order
precision/recall/F1 averaged over the 4 orders (EASSE's "macro" SARI, the Java implementation
the authors used), every text lower-cased and tokenized with sacreBLEU's ``13a`` tokenizer
(source, output and references alike: EASSE's non-legacy mode). It is pure Python so the
number does not depend on a package version; ``tests/distill/test_sari.py`` pins values that
EASSE itself gives.

Scores are in [0, 100]. Copying the source scores about 20 on ASSET, a reference about 45.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

NGRAM_ORDER = 4

# sacreBLEU's tokenizer_13a / tokenizer_re (mteval-v13a, as used by WMT), line for line.
_13A_RULES = (
    # symbols and most punctuation are split off
    (re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), r" \1 "),
    # period and comma unless preceded by a digit
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),
    # period and comma unless followed by a digit
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),
    # dash when preceded by a digit
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),
)


def tokenize_13a(line: str) -> list[str]:
    """sacreBLEU's ``13a`` tokenization of one line (HTML entities for quotes and ``&<>`` undone)."""
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = (line.replace("&quot;", '"').replace("&amp;", "&")
                .replace("&lt;", "<").replace("&gt;", ">"))
    line = f" {line} "
    for pattern, replacement in _13A_RULES:
        line = pattern.sub(replacement, line)
    return line.split()


def normalize(text: str, lowercase: bool = True) -> list[str]:
    """EASSE's ``normalize(text, lowercase, "13a")``: lower-case first, then ``13a`` tokens."""
    return tokenize_13a(text.lower() if lowercase else text)


def _ngrams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def _times(counter: Counter, factor: int) -> Counter:
    return Counter({gram: count * factor for gram, count in counter.items()})


def _total(counter: Counter) -> int:
    return sum(counter.values())


@dataclass
class SariStats:
    """Summed counts per n-gram order (index 0 = unigrams): what corpus SARI is computed from.

    ``*_sys_correct`` / ``*_sys_total`` / ``*_ref_total``: the output's correct operations,
    all the output's operations, and all the references' operations (for recall).
    """

    add_sys_correct: list[int] = field(default_factory=lambda: [0] * NGRAM_ORDER)
    add_sys_total: list[int] = field(default_factory=lambda: [0] * NGRAM_ORDER)
    add_ref_total: list[int] = field(default_factory=lambda: [0] * NGRAM_ORDER)
    keep_sys_correct: list[int] = field(default_factory=lambda: [0] * NGRAM_ORDER)
    keep_sys_total: list[int] = field(default_factory=lambda: [0] * NGRAM_ORDER)
    keep_ref_total: list[int] = field(default_factory=lambda: [0] * NGRAM_ORDER)
    del_sys_correct: list[int] = field(default_factory=lambda: [0] * NGRAM_ORDER)
    del_sys_total: list[int] = field(default_factory=lambda: [0] * NGRAM_ORDER)
    del_ref_total: list[int] = field(default_factory=lambda: [0] * NGRAM_ORDER)

    def add_sentence(self, source: Sequence[str], output: Sequence[str],
                     references: Sequence[Sequence[str]]) -> None:
        """Add one (source, output, references) triple, all already tokenized."""
        if not references:
            raise ValueError("SARI needs at least one reference per sentence")
        num_refs = len(references)
        for n in range(1, NGRAM_ORDER + 1):
            i = n - 1
            src, out = _ngrams(source, n), _ngrams(output, n)
            refs: Counter = Counter()
            for reference in references:
                refs += _ngrams(reference, n)
            # ADD, on sets: an n-gram is added or not.
            added = set(out) - set(src)
            self.add_sys_total[i] += len(added)
            self.add_ref_total[i] += len(set(refs) - set(src))
            self.add_sys_correct[i] += len(added & set(refs))
            # KEEP and DELETE, on source counts weighted by the number of references.
            src_w, out_w = _times(src, num_refs), _times(out, num_refs)
            kept_sys, kept_ref = src_w & out_w, src_w & refs
            self.keep_sys_total[i] += _total(kept_sys)
            self.keep_ref_total[i] += _total(kept_ref)
            self.keep_sys_correct[i] += _total(kept_sys & kept_ref)
            deleted_sys, deleted_ref = src_w - out_w, src_w - refs
            self.del_sys_total[i] += _total(deleted_sys)
            self.del_ref_total[i] += _total(deleted_ref)
            self.del_sys_correct[i] += _total(deleted_sys & deleted_ref)


@dataclass(frozen=True)
class SariScore:
    """Corpus SARI and its three operation scores, each in [0, 100]; ``sari`` is their mean."""

    sari: float
    add: float
    keep: float
    delete: float
    sentences: int

    def as_dict(self) -> dict[str, float | int]:
        return {"sari": self.sari, "add": self.add, "keep": self.keep, "delete": self.delete,
                "sentences": self.sentences}


def _f1(correct: int, sys_total: int, ref_total: int) -> float:
    precision = correct / sys_total if sys_total > 0 else 0.0
    recall = correct / ref_total if ref_total > 0 else 0.0
    if precision > 0 and recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


def score(stats: SariStats, sentences: int = 0) -> SariScore:
    """EASSE's macro SARI: F1 per operation and n-gram order, averaged over the 4 orders."""
    add = keep = delete = 0.0
    for i in range(NGRAM_ORDER):
        add += _f1(stats.add_sys_correct[i], stats.add_sys_total[i], stats.add_ref_total[i]) / NGRAM_ORDER
        keep += _f1(stats.keep_sys_correct[i], stats.keep_sys_total[i], stats.keep_ref_total[i]) / NGRAM_ORDER
        delete += _f1(stats.del_sys_correct[i], stats.del_sys_total[i], stats.del_ref_total[i]) / NGRAM_ORDER
    add, keep, delete = 100 * add, 100 * keep, 100 * delete
    return SariScore((add + keep + delete) / 3, add, keep, delete, sentences)


def corpus_sari(sources: Sequence[str], outputs: Sequence[str], references: Sequence[Sequence[str]],
                lowercase: bool = True) -> SariScore:
    """Corpus SARI of ``outputs`` (one per source) with ``references[i]`` the references of source i.

    Same as ``easse.sari.corpus_sari(sources, outputs, refs_sents)`` with its defaults, except that
    the references are given per sentence (EASSE takes them per reference file) and may differ
    in number from one sentence to another.
    """
    if not len(sources) == len(outputs) == len(references):
        raise ValueError(f"SARI needs one output and one reference list per source "
                         f"({len(sources)} sources, {len(outputs)} outputs, {len(references)} reference lists)")
    stats = SariStats()
    for source, output, refs in zip(sources, outputs, references):
        stats.add_sentence(normalize(source, lowercase), normalize(output, lowercase),
                           [normalize(r, lowercase) for r in refs])
    return score(stats, len(sources))
