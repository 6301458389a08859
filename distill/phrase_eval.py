"""Held-out check of the phrase alternatives (issue 16), as the issue words its bar.

For sentences the mining never read, up to three content words each (4+ letters, not a
function word, not a name: no capital letter), ask the phrase index for alternatives the way
the app does (``k`` 8, the default meaning scorer ranking in context) and measure:

* ``covered``: the share of words given at least three alternatives (bar 85 %);
* ``wordnet_related``: of the top-3 one-word alternatives, the share WordNet 3.0 relates to the
  word: a synonym or one pointer away (bar 55 %); ``antonyms``: the share it calls opposites
  (bar 2 %). WordNet is read only here (:mod:`distill.wordnet`), never by the runtime;
* ``close``: of the top-3 alternatives, the share whose sentence, with the alternative in
  place, stays at cosine >= 0.85 from the original by the evaluation embedder
  (paraphrase-MiniLM-L3-v2, not the scorer's base; bar 90 %);
* ``p50_ms``/``p90_ms``: the query's own ``elapsed_ms`` (bar p50 50 ms), on ``--threads``.

The sets: ``news`` and ``news2`` are 60 sentences of 15-40 words each from WMT newstest2012
(never mined: the mining reads paraphrase pairs, and Brown/Gutenberg/WikiSplit only for
vocabulary), drawn with two seeds; ``mrpc`` is 60 of the MRPC sentences the mining leaves out
because ``paraphrase-studio evaluate`` draws them. The words are chosen with a fixed seed, so
a run is repeatable and two runs compare word for word.

``python -m distill.phrase_eval --set news [--out FILE.json] [--threads 1]`` prints the
report; ``--out`` also keeps every word's alternatives for reading by eye.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from models.phrase_words import FUNCTION_WORDS, word_spans

from .eval_data import mrpc_sources
from .news_data import news_sentences
from .paths import data_root
from .scorer_data import protected_sources

log = logging.getLogger(__name__)

SETS = {"news": 0, "news2": 1, "mrpc": 2}
SENTENCES = 60
WORDS_PER_SENTENCE = 3
MIN_LETTERS = 4
MIN_WORDS, MAX_WORDS = 15, 40
MIN_ALTERNATIVES = 3
TOP = 3
CLOSE_COSINE = 0.85


@dataclass
class WordResult:
    """One word's query and how its alternatives were judged."""

    sentence: str
    start: int
    end: int
    word: str
    alternatives: list[str]
    elapsed_ms: float
    top_one_word: list[str] = field(default_factory=list)
    related: list[bool] = field(default_factory=list)
    antonym: list[bool] = field(default_factory=list)
    cosine: list[float] = field(default_factory=list)


def sentences_for(name: str, root: Path, count: int = SENTENCES) -> list[str]:
    """The ``count`` held-out sentences of set ``name`` (repeatable: a fixed seed per set)."""
    if name not in SETS:
        raise ValueError(f"unknown set {name!r}: choose from {', '.join(SETS)}")
    rng = random.Random(SETS[name])
    if name == "mrpc":
        protected = protected_sources(root)
        pool = sorted({i.text for i in mrpc_sources(root) if i.key in protected
                       and MIN_WORDS <= len(i.text.split()) <= MAX_WORDS})
    else:
        pool = news_sentences(root, MIN_WORDS, MAX_WORDS)
    return rng.sample(pool, min(count, len(pool)))


def content_spans(sentence: str, rng: random.Random, limit: int = WORDS_PER_SENTENCE) -> list[tuple[int, int]]:
    """Up to ``limit`` spans of content words: 4+ letters, no capital (not a name), not a function word."""
    spans = [(s, e) for s, e in word_spans(sentence)
             if sentence[s:e].isalpha() and len(sentence[s:e]) >= MIN_LETTERS and sentence[s:e].islower()
             and sentence[s:e] not in FUNCTION_WORDS]
    chosen = rng.sample(spans, min(limit, len(spans)))
    return sorted(chosen)


def run_queries(sentences: Sequence[str], *, threads: int | None, seed: int,
                index_folder: Path | None = None) -> list[WordResult]:
    """Query every chosen word of every sentence through the app's index and scorer."""
    from tqdm import tqdm

    from models.confidence import default_scorer
    from models.phrases import shared_index

    index = shared_index(index_folder)
    scorer = default_scorer(threads)
    if scorer is None:
        log.warning("no meaning scorer: alternatives ranked by the index alone")
    rng = random.Random(seed)
    jobs = [(sentence, span) for sentence in sentences for span in content_spans(sentence, rng)]
    if jobs:  # the first query loads lazily built parts; keep it out of the timings
        index.alternatives(jobs[0][0], *jobs[0][1], scorer=scorer)
    results = []
    for sentence, (start, end) in tqdm(jobs, desc="phrase queries", unit="word"):
        found = index.alternatives(sentence, start, end, scorer=scorer)
        results.append(WordResult(sentence, found.start, found.end, found.phrase,
                                  [a.text for a in found.alternatives], found.elapsed_ms))
    return results


def judge(results: list[WordResult], wordnet: Any, embedder: Any) -> None:
    """Fill in WordNet relatedness, antonymy and the cosine of each word's top alternatives."""
    originals, rewritten, owners = [], [], []
    for result in results:
        result.top_one_word = [a for a in result.alternatives[:TOP] if len(a.split()) == 1]
        if wordnet is not None:
            result.related = [wordnet.related(result.word, a) for a in result.top_one_word]
            result.antonym = [wordnet.antonyms(result.word, a) for a in result.top_one_word]
        for alternative in result.alternatives[:TOP]:
            originals.append(result.sentence)
            rewritten.append(result.sentence[:result.start] + alternative + result.sentence[result.end:])
            owners.append(result)
    if embedder is not None and originals:
        for owner, cosine in zip(owners, embedder.cosine_pairs(originals, rewritten)):
            owner.cosine.append(round(float(cosine), 4))


def summary(results: list[WordResult]) -> dict[str, Any]:
    """The issue's figures over one set."""
    def share(hits: int, total: int) -> float | None:
        return round(100.0 * hits / total, 1) if total else None

    judged = [flag for r in results for flag in r.related]
    opposite = [flag for r in results for flag in r.antonym]
    cosines = [c for r in results for c in r.cosine]
    times = sorted(r.elapsed_ms for r in results)
    return {
        "words": len(results),
        "covered_pct": share(sum(len(r.alternatives) >= MIN_ALTERNATIVES for r in results), len(results)),
        "none_pct": share(sum(not r.alternatives for r in results), len(results)),
        "top3_one_word": len(judged),
        "wordnet_related_pct": share(sum(judged), len(judged)),
        "antonyms_pct": share(sum(opposite), len(opposite)),
        "close_pct": share(sum(c >= CLOSE_COSINE for c in cosines), len(cosines)),
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p90_ms": round(times[int(0.9 * (len(times) - 1))], 1) if times else None,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m distill.phrase_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), default="news")
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder (default ../shared/data)")
    parser.add_argument("--index", type=Path, default=None, help="a phrase index folder (default: the app's)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for the scorer (default 1)")
    parser.add_argument("--wordnet", type=Path, default=None, help="WordNet 3.0 dict folder (default /usr/share/wordnet)")
    parser.add_argument("--no-embedder", action="store_true", help="skip the cosine figure")
    parser.add_argument("--out", type=Path, default=None, help="write the report and every word's alternatives here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from .wordnet import DEFAULT_DICT, WordNet, WordNetMissing

    try:
        wordnet = WordNet(args.wordnet or DEFAULT_DICT)
    except WordNetMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    embedder = None
    if not args.no_embedder:
        from .eval_embedder import EvalEmbedder
        embedder = EvalEmbedder()
    root = args.data or data_root()
    results = run_queries(sentences_for(args.set, root), threads=args.threads, seed=SETS[args.set],
                          index_folder=args.index)
    judge(results, wordnet, embedder)
    report = {"set": args.set, "threads": args.threads, **summary(results)}
    print(json.dumps(report, indent=1))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"report": report, "words": [asdict(r) for r in results]}, indent=1),
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
