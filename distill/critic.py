"""The critic: which teacher pairs are good enough to distil.

Teacher outputs include copies, partial paraphrases of long seeds, chatbot answers and
"diversity incentive" outputs that drift away from the meaning. The rules, cheapest first:

1. ``empty``: source or target has no word;
2. ``copy``: the target equals the source once case and punctuation are ignored;
3. ``length_ratio``: target/source word count outside ``[min_length_ratio, max_length_ratio]``
   (catches paraphrases of half a news item and rambling answers);
4. ``low_diversity``: the target reuses too much of the source's wording (a BLEU-like
   n-gram overlap above ``1 - min_diversity``): the student would learn to copy;
5. ``facts`` (opt-in): the target loses a number, date, name or quote of the source, or
   invents a number (:func:`models.facts.check_candidate`, the rules the app enforces: a
   student trained on "$300" -> "$30" learns to write it);
6. ``sense`` (on with ``facts``): the target turns the source around in a way the app refuses
   too (:mod:`models.pipeline`'s sentence checks): a question answered or a statement asked, a
   contrast the source draws dropped, a cause it never draws made up, a word turned into its
   opposite ("defeated" → "passed"), a hedge turned or dropped ("may be steeped in history" →
   "is steeped in history");
7. ``details`` (opt-in): the target leaves more than ``max_missing_details`` of the source's
   content words without any counterpart (:class:`models.details.DetailMatcher`, the count
   the app's confidence weighs): GPT-3.5 leaves two or more out in 59 % of its cased pairs,
   the student v2's shown cards in 36 %, and a dropped detail is the commonest reason a card
   is read as unfaithful. Measured once (README, "Tried: a student trained only on targets
   that keep every word"): v2 trained on for 55 minutes with ``1`` raised the embedder's good
   rates but not the share of shown cards read blind as faithful;
8. ``adequacy``: cosine of all-MiniLM-L6-v2 embeddings below ``min_adequacy`` (meaning lost);
9. ``meaning`` (opt-in): the meaning scorer's probability below ``min_meaning`` (it sees
   flipped roles and polarity that an embedding cosine is blind to);
10. ``near_duplicate``: a target nearly identical (token Jaccard) to a target already kept
   for the same group: repeating one output teaches little.

Each pair is removed by the first rule it fails, so the report's counts add up.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from .pairs import Pair

log = logging.getLogger(__name__)

_WORD = re.compile(r"[0-9a-z]+")

RULES = ("empty", "copy", "length_ratio", "low_diversity", "facts", "sense", "details", "adequacy", "meaning", "near_duplicate")


@dataclass(frozen=True)
class CriticThresholds:
    """Filter thresholds. Defaults were set from the distributions on the kinit data.

    min_adequacy: MiniLM cosine; median for teacher pairs is ~0.80, unrelated sentences are
        near 0, and below ~0.6 the target usually covers only part of the source.
    min_diversity / max_diversity: 1 - n-gram overlap; below 0.25 the target is a near copy
        (one word swapped in a ten-word sentence scores ~0.24; 95% of teacher pairs are > 0.45),
        above 0.95 (almost no shared word) it is usually a different sentence altogether.
    min_length_ratio / max_length_ratio: target words / source words.
    near_duplicate_jaccard: token-set Jaccard at or above which two targets are duplicates.
    min_words: shortest text kept on either side.
    """

    min_adequacy: float = 0.65
    min_diversity: float = 0.25
    max_diversity: float = 0.97
    min_length_ratio: float = 0.5
    max_length_ratio: float = 2.0
    near_duplicate_jaccard: float = 0.8
    min_words: int = 2

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CriticReport:
    """How many pairs each rule removed, and how many survived."""

    total: int = 0
    kept: int = 0
    removed: Counter = field(default_factory=Counter)
    thresholds: dict[str, Any] = field(default_factory=dict)
    adequacy_quantiles: dict[str, float] = field(default_factory=dict)
    #: origin (teacher data set) -> rule -> pairs it removed, plus "kept" and "total".
    by_source: dict[str, Counter] = field(default_factory=dict)

    def count(self, pair: Pair, rule: str) -> None:
        self.removed[rule] += 1
        self.by_source.setdefault(pair.origin, Counter())[rule] += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "kept": self.kept,
            "removed": {rule: int(self.removed.get(rule, 0)) for rule in RULES},
            "thresholds": self.thresholds,
            "adequacy_quantiles": self.adequacy_quantiles,
            **({"by_source": {origin: dict(sorted(c.items())) for origin, c in sorted(self.by_source.items())}}
               if self.by_source else {}),
        }


def words(text: str) -> list[str]:
    """Lower-case word tokens with apostrophes removed (matching how seeds were normalised)."""
    return _WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))


def ngram_overlap(source: Sequence[str], target: Sequence[str], max_n: int = 3) -> float:
    """BLEU-like overlap: mean clipped n-gram precision of ``target`` against ``source``.

    1.0 for a copy, 0.0 for no shared word; n-grams longer than the target are skipped.
    """
    precisions = []
    for n in range(1, max_n + 1):
        tgt = Counter(tuple(target[i:i + n]) for i in range(len(target) - n + 1))
        if not tgt:
            break
        src = Counter(tuple(source[i:i + n]) for i in range(len(source) - n + 1))
        matched = sum(min(count, src[gram]) for gram, count in tgt.items())
        precisions.append(matched / sum(tgt.values()))
    return float(np.mean(precisions)) if precisions else 0.0


def lexical_diversity(source: str, target: str) -> float:
    """1 - n-gram overlap of the target with the source."""
    return 1.0 - ngram_overlap(words(source), words(target))


def jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


def cheap_rule(pair: Pair, t: CriticThresholds) -> str | None:
    """The first of the embedding-free rules ``pair`` fails, or None."""
    src, tgt = words(pair.source), words(pair.target)
    if len(src) < t.min_words or len(tgt) < t.min_words:
        return "empty"
    if src == tgt:
        return "copy"
    ratio = len(tgt) / len(src)
    if not t.min_length_ratio <= ratio <= t.max_length_ratio:
        return "length_ratio"
    diversity = 1.0 - ngram_overlap(src, tgt)
    if not t.min_diversity <= diversity <= t.max_diversity:
        return "low_diversity"
    return None


AdequacyFn = Callable[[Sequence[str], Sequence[str]], np.ndarray]


def facts_rule(pair: Pair) -> bool:
    """True when the target keeps the source's facts (numbers, dates, names, quotes)."""
    from models.facts import check_candidate

    return not check_candidate(pair.source, pair.target)


def sense_rule(pair: Pair) -> bool:
    """True when the target keeps the source's kind of sentence, its contrast, its direction and
    who did what, and makes up or leaves out no cause (the candidate pipeline's
    :class:`~models.pipeline.KeepsQuestion`, :class:`~models.pipeline.KeepsContrast`,
    :class:`~models.pipeline.KeepsCause`, :class:`~models.pipeline.KeepsDirection` and
    :class:`~models.pipeline.KeepsRoles`): a student trained on "X and Y" → "X, causing Y"
    learns to write it. The GPT teachers do so in 0.7 % of their pairs, about half of them
    inventing a cause ("we had to shut down our operations due to financial difficulties").
    It also keeps how sure the source is (:class:`~models.pipeline.KeepsCertainty`): of the
    default teachers' 117,564 seed pairs, 1,318 more are removed, mostly a hedge dropped
    ("she may have mental health issues" left out, "may be steeped in history" → "is steeped
    in history"), a student that learns it states as fact what the writer only allowed for. And
    since 2026-12-04 it keeps what the source states as done done (:func:`models.certainty.unrealized`):
    968 more of those pairs go (``runs/s48/critic_realis.py``), many a lower-cased request or
    question rewritten as "im trying to find …", others "here are the shows joining amazon" →
    "amazon is set to bolster its catalog". Since 2026-12-04 (later) a cause the source states
    and the target no longer links is a change too (:func:`models.connectives.dropped_cause`:
    258 of 40,000 cased teacher pairs, "My experience was fantastic due to the delicious food"
    → "The food and service were exceptional, and I thoroughly enjoyed my visit")."""
    from models.pipeline import (KeepsCause, KeepsCertainty, KeepsContrast, KeepsDirection, KeepsQuestion,
                                 KeepsRoles, Source)

    source = Source(pair.source)
    checks = (KeepsQuestion(), KeepsContrast(), KeepsCause(), KeepsDirection(), KeepsRoles(), KeepsCertainty())
    return all(check.accepts(pair.target, source, []) for check in checks)


MissingFn = Callable[[str, str], Sequence[str]]


def filter_pairs(pairs: Sequence[Pair], thresholds: CriticThresholds | None = None,
                 adequacy: AdequacyFn | None = None, *, facts: bool = False,
                 meaning: AdequacyFn | None = None, min_meaning: float = 0.5,
                 missing: MissingFn | None = None, max_missing_details: int = 1,
                 ) -> tuple[list[Pair], CriticReport]:
    """Apply the rules in order; returns (kept pairs in input order, report).

    ``adequacy(sources, targets)`` returns cosine similarities; pass None to skip that rule
    (e.g. in tests, or to filter without torch). ``facts`` turns the facts and sense rules on;
    ``meaning(sources, targets)`` returns the meaning scorer's probabilities (None: off);
    ``missing(source, target)`` lists the source's content words the target leaves out, and a
    pair with more than ``max_missing_details`` of them is removed (None: off).
    """
    t = thresholds or CriticThresholds()
    report = CriticReport(total=len(pairs), thresholds=t.as_dict() | {
        "facts": facts, "min_meaning": min_meaning if meaning is not None else None,
        "max_missing_details": max_missing_details if missing is not None else None})
    survivors: list[Pair] = []
    for pair in tqdm(pairs, desc="critic rules", unit="pair", disable=len(pairs) < 1000):
        report.by_source.setdefault(pair.origin, Counter())["total"] += 1
        rule = cheap_rule(pair, t)
        if rule is None and facts and not facts_rule(pair):
            rule = "facts"
        if rule is None and facts and not sense_rule(pair):
            rule = "sense"
        if rule is None and missing is not None and len(missing(pair.source, pair.target)) > max_missing_details:
            rule = "details"
        if rule:
            report.count(pair, rule)
        else:
            survivors.append(pair)

    if adequacy is not None and survivors:
        scores = np.asarray(adequacy([p.source for p in survivors], [p.target for p in survivors]))
        report.adequacy_quantiles = {
            f"p{q}": round(float(v), 4) for q, v in zip((5, 25, 50, 75, 95),
                                                        np.percentile(scores, [5, 25, 50, 75, 95]))}
        kept_adequate = []
        for pair, score in zip(survivors, scores):
            if score < t.min_adequacy:
                report.count(pair, "adequacy")
            else:
                kept_adequate.append(pair)
        survivors = kept_adequate
    elif adequacy is None:
        report.thresholds = {**report.thresholds, "min_adequacy": None}

    if meaning is not None and survivors:
        probabilities = np.asarray(meaning([p.source for p in survivors], [p.target for p in survivors]))
        kept_meaning = []
        for pair, probability in zip(survivors, probabilities):
            if probability < min_meaning:
                report.count(pair, "meaning")
            else:
                kept_meaning.append(pair)
        survivors = kept_meaning

    kept: list[Pair] = []
    targets_by_group: dict[str, list[list[str]]] = {}
    for pair in survivors:
        tgt = words(pair.target)
        previous = targets_by_group.setdefault(pair.group, [])
        if any(jaccard(tgt, other) >= t.near_duplicate_jaccard for other in previous):
            report.count(pair, "near_duplicate")
            continue
        previous.append(tgt)
        kept.append(pair)
        report.by_source[pair.origin]["kept"] += 1
    report.kept = len(kept)
    log.info("critic kept %d of %d pairs; removed %s", report.kept, report.total,
             dict(report.removed))
    return kept, report


def minilm_adequacy(embedder: Any = None, progress: bool = True) -> AdequacyFn:
    """An adequacy function backed by :class:`distill.embedder.SentenceEmbedder`."""
    from .embedder import SentenceEmbedder, cosine_pairs

    model = embedder or SentenceEmbedder()

    def score(sources: Sequence[str], targets: Sequence[str]) -> np.ndarray:
        return cosine_pairs(model, sources, targets, progress=progress)

    return score


def scorer_meaning(threads: int | None = 2, progress: bool = True, batch: int = 256) -> AdequacyFn:
    """A ``meaning`` function backed by the shipped meaning scorer (its ONNX bundle must be
    built: ``./studio build``)."""
    from tqdm.auto import tqdm

    from models.scorer import MeaningScorer

    scorer = MeaningScorer.load(threads=threads)

    def score(sources: Sequence[str], targets: Sequence[str]) -> np.ndarray:
        out = []
        for start in tqdm(range(0, len(sources), batch), desc="meaning", unit="batch", disable=not progress):
            out.append(np.asarray(scorer.score(sources[start:start + batch], targets[start:start + batch])))
        return np.concatenate(out) if out else np.empty(0)

    return score
