"""The student's own word choices, for words the teachers never swapped (data-level G2R).

The phrase index (:mod:`distill.phrase_mining`) is mined from what paraphrase writers
substituted. Its gaps are words they kept every time or never met: on issue 16's held-out news
sentences "luggage", "telephone", "rubble", "recruit" get no alternative at all, because no
teacher pair swaps them. G2R's data level turns a generator's output into a retrieval pool;
here the generator is our distilled student, asked in context.

For a word in a real sentence, the student is given the sentence with Creative's codes and
teacher-forced to copy it up to the word. Its next-token distribution there is what it would
write instead (" baggage", " bags", " belongings" for "her luggage at the station"). Each
choice that starts a new word is completed greedily (at most :data:`MAX_PIECES` pieces) and
kept only when the student then continues with the sentence's own next token at a reasonable
probability (:data:`MIN_BACK_LOGPROB`): an alternative that does not fit the rest of the
sentence ("calls" for "telephone" in "telephone calls") is dropped there. One such
(sentence, word) is one vote; the mining keeps an alternative the student chose in
:data:`distill.phrase_mining.MIN_STUDENT_VOTES` different sentences, only for words whose
teacher-made list is short, only when they make that list long enough, and only after its own
checks (antonyms, names, numbers, inflections...).

``python -m distill.student_substitutes --index FOLDER --out FILE`` picks the target words
(content words of the cased source text with fewer than three one-word alternatives in the
index at ``FOLDER``, most frequent first: give it an index mined with ``--no-student-pool``),
their sentences (Brown, WikiSplit, MRPC pairs evaluation does not use; never newstest, from
which the held-out news sets are drawn) and writes one line per (word, alternative): the votes
and the mean log-probabilities. Runs on the ONNX bundle (no torch): 15,000 (sentence, word)
targets for 5,000 words took 47 minutes on two threads of an AVX2 host.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import logging
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.phrase_words import FUNCTION_WORDS, WORD, norm_word, same_lemma

from .eval_data import MRPC_FILE
from .paths import data_root
from .phrase_mining import THIN_BELOW, brown_sentences, wikisplit_sentences
from .scorer_data import protected_sources
from .source_text import detokenize
from .teacher_data import seed_key

log = logging.getLogger(__name__)

#: The slider's Creative end: the student's change code that asks for the most rewording.
DIVERSITY = 1.0
#: Next tokens considered at the word's position, by probability.
TOP_TOKENS = 20
#: An alternative's own log-probability (all its pieces) must be at least this. Read on 40
#: words in context: above it mostly "baggage", "bags", "belongings" for "luggage", "debris"
#: for "rubble"; below it the neighbours ("clothes" -4.7, "shoes" -5.1, "ruins" -4.9, "fell"
#: for "rose" -4.8).
MIN_LOGPROB = -4.5
#: After the alternative, the sentence's own next token must have at least this log-probability.
MIN_BACK_LOGPROB = -2.5
#: A word is completed with at most this many more pieces after its first token.
MAX_PIECES = 2
#: Sentences a target word is asked in (the votes it can get).
CONTEXTS_PER_WORD = 3
#: The student's best choices per (sentence, word) that are judged and can vote.
CHOICES_PER_TARGET = 8
#: Sentence lengths (words) used as contexts.
MIN_CONTEXT_WORDS, MAX_CONTEXT_WORDS = 8, 40
#: A target word: letters only, at least this long, seen this often in the context text.
MIN_LETTERS, MIN_SEEN = 4, 3
#: Number words are never targets: the index offers no other number (the facts check's job).
NUMBER_WORDS = frozenset("""
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
million billion trillion first second third fourth fifth sixth seventh eighth ninth tenth half
quarter percent cent cents dozen dozens hundreds thousands millions billions
""".split())


@dataclass(frozen=True)
class Choice:
    """One alternative the student wrote for a word in one sentence."""

    text: str
    logprob: float  # log P(alternative | prompt, the sentence copied up to the word)
    back_logprob: float  # log P(the sentence's next token | ... alternative)


def context_sentences(root: Path) -> Iterator[str]:
    """Cased sentences the mining may read: Brown, WikiSplit's long side (detokenized as teacher
    prompts are, :func:`distill.source_text.detokenize`), MRPC pairs evaluation leaves alone."""
    for sentence in itertools.chain(brown_sentences(root), wikisplit_sentences(root)):
        yield detokenize(sentence)
    protected = protected_sources(root)
    with open(root / MRPC_FILE, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) != 5 or row[0] == "Quality":
                continue
            for text in (row[3], row[4]):
                text = " ".join(text.split())
                if seed_key(text) not in protected:
                    yield text


def covered_words(index_folder: Path, min_alternatives: int = THIN_BELOW) -> set[str]:
    """Single words the index already gives ``min_alternatives`` or more one-word alternatives."""
    from models.phrase_store import read_arrays, read_manifest

    table = read_arrays(index_folder, read_manifest(index_folder))
    rich = set()
    for row, sid in enumerate(table.phrase_ids):
        phrase = table.strings[sid]
        if " " in phrase:
            continue
        alts = table.alt_ids[table.offsets[row]:table.offsets[row + 1]]
        if sum(1 for a in alts if " " not in table.strings[a]) >= min_alternatives:
            rich.add(phrase)
    return rich


def pick_targets(sentences: Sequence[str], covered: set[str], limit: int,
                 per_word: int = CONTEXTS_PER_WORD, seed: int = 0) -> list[tuple[str, int, int, str]]:
    """(sentence, start, end, word) for the ``limit`` most frequent thin content words.

    A word counts where it is written in lower case inside a sentence (not a name, not a
    sentence start) and is not a function or number word; ``covered`` are the words the
    index already gives enough alternatives. Contexts are drawn at random, ``per_word`` each.
    """
    seen: Counter = Counter()
    where: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for i, sentence in enumerate(sentences):
        n = len(sentence.split())
        if not MIN_CONTEXT_WORDS <= n <= MAX_CONTEXT_WORDS:
            continue
        for match in WORD.finditer(sentence):
            word = match.group()
            after_a_space = match.start() > 0 and sentence[match.start() - 1] == " "
            if not after_a_space or not word.isalpha() or not word.islower() or len(word) < MIN_LETTERS:
                continue
            if word in FUNCTION_WORDS or word in NUMBER_WORDS or word in covered:
                continue
            seen[word] += 1
            where[word].append((i, match.start(), match.end()))
    rng = random.Random(seed)
    targets = []
    for word, count in seen.most_common():
        if count < MIN_SEEN:
            break
        if len(targets) >= limit * per_word:
            break
        places = where[word]
        for i, start, end in rng.sample(places, min(per_word, len(places))):
            targets.append((sentences[i], start, end, word))
    return targets


class StudentChooser:
    """Asks a student bundle what it would write for one word of a sentence it is copying."""

    def __init__(self, bundle: str | None = None, threads: int | None = None) -> None:
        from models.bundle import load_manifest, load_tokenizer
        from models.catalog import resolve_bundle
        from models.controls import STANDARD_MODE
        from models.onnx_decoder import OnnxDecoder

        folder = resolve_bundle(bundle)
        self.manifest = load_manifest(folder, verify=True)
        self.tokenizer = load_tokenizer(folder / self.manifest.tokenizer_file)
        self.decoder = OnnxDecoder(folder / self.manifest.model_file, self.manifest.geometry, threads=threads)
        self.prompt = self.manifest.prompt
        self.mode = STANDARD_MODE
        self.update = self.prompt.update_weight(self.mode)
        vocab_size = self.tokenizer.get_vocab_size()
        pieces = [self.tokenizer.id_to_token(i) or "" for i in range(vocab_size)]
        # Byte-level BPE: "Ġ" marks a leading space. A word start is "Ġ" + letters; a piece that
        # continues a word is letters alone.
        self.starts = np.array([len(p) > 1 and p[0] == "Ġ" and p[1:].isalpha() for p in pieces])
        self.continues = np.array([p.isalpha() for p in pieces])
        self.pieces = pieces

    def choices(self, sentence: str, start: int, end: int) -> list[Choice]:
        """What the student writes for ``sentence[start:end]`` there, best first (see the module doc)."""
        if start == 0 or sentence[start - 1] != " ":
            return []  # the copy's next token would not start with a space
        prompt = self.prompt.render(sentence, self.mode, DIVERSITY)
        prefix_ids = self.tokenizer.encode(prompt + " " + sentence[:start - 1], add_special_tokens=False).ids
        whole = self.tokenizer.encode(prompt + " " + sentence, add_special_tokens=False)
        # The token after the word in the copy, from the whole copy's offsets.
        word_end = len(prompt) + 1 + end
        after = [tid for tid, (s, _e) in zip(whole.ids, whole.offsets) if s >= word_end]
        if not after:
            return []
        next_id = after[0]
        original = self.tokenizer.encode(" " + sentence[start:end], add_special_tokens=False).ids
        capacity = len(prefix_ids) + MAX_PIECES + 3
        cache = self.decoder.new_cache(1, capacity, update=self.update)
        logits = self.decoder.forward(np.array([prefix_ids], dtype=np.int64), cache)[0]
        logp = _log_softmax(logits)
        order = np.argsort(-logp)[:TOP_TOKENS]
        firsts = [int(t) for t in order if self.starts[t] and logp[t] >= MIN_LOGPROB and t != original[0]]
        if not firsts:
            return []
        rows = cache.repeat(len(firsts))
        texts = [self.pieces[t][1:] for t in firsts]
        totals = [float(logp[t]) for t in firsts]
        current = np.array(firsts, dtype=np.int64)
        live = list(range(len(firsts)))
        back = [float("-inf")] * len(firsts)
        for piece in range(MAX_PIECES + 1):
            step = _log_softmax(self.decoder.forward(current[:, None], rows))
            going = []
            for r, row in enumerate(live):
                best = int(np.argmax(step[r]))
                if piece < MAX_PIECES and self.continues[best] and not self.starts[best]:
                    texts[row] += self.pieces[best]
                    totals[row] += float(step[r, best])
                    going.append((r, row, best))
                else:
                    back[row] = float(step[r, next_id])
            if not going:
                break
            rows = rows.keep_rows(np.array([r for r, _, _ in going]))
            live = [row for _, row, _ in going]
            current = np.array([best for _, _, best in going], dtype=np.int64)
        out = [Choice(text, round(total, 3), round(b, 3)) for text, total, b in zip(texts, totals, back)
               if total >= MIN_LOGPROB and b >= MIN_BACK_LOGPROB and text.isalpha()
               and text.lower() != sentence[start:end].lower()]
        return sorted(out, key=lambda c: -(c.logprob + c.back_logprob))


def _log_softmax(x: np.ndarray) -> np.ndarray:
    """log_softmax over the last axis, in float64 (a row of logits or a batch of them)."""
    x = np.asarray(x, dtype=np.float64)
    peak = x.max(axis=-1, keepdims=True)
    return x - peak - np.log(np.exp(x - peak).sum(axis=-1, keepdims=True))


def collect(chooser: StudentChooser, targets: Sequence[tuple[str, int, int, str]], *,
            per_target: int = CHOICES_PER_TARGET, progress: bool = True) -> dict[tuple[str, str], list[Choice]]:
    """Every target's choices, grouped by (word, alternative) in lower case: one vote per sentence.

    Not judged by the meaning scorer here: on a one-word swap it cannot tell a synonym from a
    neighbour (0.86 for "wine" -> "water" and for "wine" -> "liquor"), and the query ranks
    by it in context anyway. What keeps neighbours out is the student's own probability
    (:data:`MIN_LOGPROB`) and the votes of several sentences.
    """
    from tqdm import tqdm

    pool: dict[tuple[str, str], list[Choice]] = defaultdict(list)
    for sentence, start, end, word in tqdm(targets, desc="asking the student", unit="word", disable=not progress,
                                           mininterval=10):
        try:
            found = chooser.choices(sentence, start, end)
        except ValueError as exc:  # a sentence too long for the model
            log.debug("skipped %r: %s", sentence[:60], exc)
            continue
        found = [c for c in {c.text.lower(): c for c in found}.values()
                 if not same_lemma(word, norm_word(c.text))][:per_target]
        for choice in found:
            pool[(word, norm_word(choice.text))].append(choice)
    return pool


def write_pool(path: Path, pool: dict[tuple[str, str], list[Choice]], info: dict[str, Any]) -> None:
    """One TSV line per (word, alternative, votes, mean log-prob, mean back log-prob), a JSON header line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# " + json.dumps(info, sort_keys=True) + "\n")
        for (word, alternative), found in sorted(pool.items()):
            fh.write(f"{word}\t{alternative}\t{len(found)}\t{np.mean([c.logprob for c in found]):.3f}\t"
                     f"{np.mean([c.back_logprob for c in found]):.3f}\n")


def read_pool(path: Path) -> Iterator[tuple[str, str, int]]:
    """(word, alternative, votes) from a pool file written by :func:`write_pool`."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            word, alternative, votes, *_ = line.rstrip("\n").split("\t")
            yield word, alternative, int(votes)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m distill.student_substitutes", description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="the teacher-made phrase index folder")
    parser.add_argument("--out", type=Path, required=True, help="pool file to write (TSV)")
    parser.add_argument("--words", type=int, default=5000, help="target words, most frequent first")
    parser.add_argument("--bundle", default=None, help="student bundle (default: the default student)")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder (default ../shared/data)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    root = args.data or data_root()
    started = time.perf_counter()
    sentences = list(dict.fromkeys(s for s in context_sentences(root) if s))
    covered = covered_words(args.index)
    targets = pick_targets(sentences, covered, args.words)
    log.info("%d context sentences, %d (sentence, word) targets for %d words", len(sentences), len(targets),
             len({t[3] for t in targets}))
    chooser = StudentChooser(args.bundle, threads=args.threads)
    pool = collect(chooser, targets)
    info = {"bundle": chooser.manifest.name, "index": args.index.name, "sentences": len(sentences),
            "targets": len(targets), "words": len({t[3] for t in targets}), "diversity": DIVERSITY,
            "top_tokens": TOP_TOKENS, "min_logprob": MIN_LOGPROB, "min_back_logprob": MIN_BACK_LOGPROB,
            "seconds": round(time.perf_counter() - started, 1),
            "command": "python -m distill.student_substitutes " + " ".join(argv if argv is not None else sys.argv[1:])}
    write_pool(args.out, pool, info)
    log.info("wrote %d (word, alternative) pairs to %s in %.0f s", len(pool), args.out, info["seconds"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
