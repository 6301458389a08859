"""Generate several paraphrases of a sentence, or of each sentence of a text, from a bundle.

The prompt runs once; its KV cache is copied to N rows that are sampled together
(:mod:`models.batch_decode`). Copies of the input and near-duplicates are dropped and
replaced by further samples drawn from the same cached prompt. The sentences of a longer
text are decoded in one batch and the paraphrases composed back into paragraphs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tokenizers import Tokenizer

from . import dedupe
from .batch_decode import MAX_BATCH_ROWS, Prompt, Request, decode
from .bundle import Manifest, load_manifest
from .cancel import CancelToken
from .catalog import rebuild_command, resolve_bundle
from .errors import BundleError, InputError
from .language import not_english
from .onnx_decoder import KVCache, OnnxDecoder
from .sampling import Sampler, settings_for_diversity
from .text import Segment, check_input, join_segments, split_sentences

log = logging.getLogger(__name__)

MAX_CANDIDATES = 10
#: Largest ``seed`` accepted (numpy's generators take any non-negative integer; the CLI and
#: the API promise 32 bits, what ``evaluate``'s per-input seeds use).
MAX_SEED = 2**32 - 1
#: Hard cap on new tokens for one candidate, whatever the input length.
MAX_NEW_TOKENS = 200


@dataclass(frozen=True)
class Candidate:
    """One paraphrase; ``score`` is its mean token log-probability (closer to 0 = surer)."""

    text: str
    score: float


@dataclass
class ParaphraseResult:
    input: str
    candidates: list[Candidate]
    model: str
    elapsed_ms: float
    cancelled: bool = False
    first_candidate_ms: float | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``--json`` object (a contract: other tools parse it)."""
        return {
            "input": self.input,
            "paraphrases": [{"text": c.text, "score": round(c.score, 4)} for c in self.candidates],
            "model": self.model,
            "elapsed_ms": round(self.elapsed_ms, 1),
        }


CandidateCallback = Callable[[Candidate], None]
#: ``on_progress(done, total)``, counted in sentences.
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class _PromptPlan:
    """A sentence's prompt, tokenized (no model call yet)."""

    prompt_ids: list[int]
    source_ids: np.ndarray  # the sentence's own tokens (the copy penalty's and the sampler's)
    max_new: int  # new tokens a candidate may take

    @property
    def capacity(self) -> int:
        """KV positions its rows need: the prompt and the longest candidate."""
        return len(self.prompt_ids) + self.max_new


class Paraphraser:
    """A loaded bundle: tokenizer + ONNX decoder + the manifest's prompt format."""

    def __init__(self, folder: Path, manifest: Manifest, *, threads: int | None = None) -> None:
        self.folder = folder
        self.manifest = manifest
        self.name = manifest.name
        self.prompt = manifest.prompt
        self._stop_ids = frozenset(manifest.prompt.stop_token_ids)
        self.copy_penalty_scale = float(manifest.prompt.extra.get("copy_penalty_scale", 1.0))
        self._prefix: tuple[list[int], KVCache] | None = None
        #: Rows a text's sentences may decode together (see models.batch_decode).
        self.max_batch_rows = MAX_BATCH_ROWS
        _check_threads(threads)  # a bad count is the caller's mistake, not a damaged bundle
        try:
            self.tokenizer = Tokenizer.from_file(str(folder / manifest.tokenizer_file))
            self.decoder = OnnxDecoder(folder / manifest.model_file, manifest.geometry, threads=threads)
        except BundleError:
            raise
        except Exception as exc:  # onnxruntime / tokenizers raise many types on bad files
            raise BundleError(f"Model bundle '{self.name}' could not be loaded: {exc}",
                              bundle=self.name, rebuild_command=rebuild_command(self.name, folder)) from exc

    @classmethod
    def load(cls, name_or_path: str | Path | None = None, *, threads: int | None = None,
             verify: bool = True) -> Paraphraser:
        """Load a bundle by name (from the catalog) or folder; verifies every file's sha256."""
        folder = resolve_bundle(name_or_path)
        manifest = load_manifest(folder, verify=verify)
        return cls(folder, manifest, threads=threads)

    # -- public API ---------------------------------------------------------------------

    def paraphrase(self, text: str, *, n: int = 5, diversity: float = 0.5, seed: int | None = None,
                   on_candidate: CandidateCallback | None = None, cancel: CancelToken | None = None,
                   on_progress: ProgressCallback | None = None) -> ParaphraseResult:
        """Paraphrase ``text``; multi-sentence text is split and composed sentence by sentence.

        For one sentence, ``on_candidate`` fires as each candidate finishes; for several,
        it fires once per composed paragraph at the end. What has no words (an emoji, a
        bullet, a dash at a sentence's start or end) is kept exactly as typed, and so is a
        sentence that is clearly not English inside a text that is (a quoted French line):
        the whole text is judged first, and refused when it is clearly not English.

        ``on_progress(done, total)`` counts sentences: ``(0, total)`` once the text is
        planned, then once each time a sentence has its candidates (one sentence: ``(0, 1)``
        then ``(1, 1)``). It runs on the calling thread; a cancelled run stops short of total.
        """
        started = time.perf_counter()
        cleaned = check_input(text)
        _check_n(n)
        _check_seed(seed)
        segments = split_sentences(cleaned)
        wordy = [i for i, s in enumerate(segments) if s.has_words]
        if len(wordy) == 1:  # one sentence, perhaps with an emoji or a bullet kept beside it
            return self._paraphrase_one(text, segments, wordy[0], n, diversity, seed, on_candidate, cancel, started,
                                        on_progress)
        return self._paraphrase_paragraph(text, segments, n, diversity, seed, on_candidate, cancel, started,
                                          on_progress)

    def paraphrase_sentence(self, sentence: str, *, n: int = 5, diversity: float = 0.5,
                            seed: int | None = None, on_candidate: CandidateCallback | None = None,
                            cancel: CancelToken | None = None,
                            on_progress: ProgressCallback | None = None) -> ParaphraseResult:
        """N distinct paraphrases of one sentence, best score first (``on_progress``: (0, 1), (1, 1))."""
        started = time.perf_counter()
        _check_n(n)
        _check_seed(seed)
        source = check_input(sentence).strip()
        progress = _Progress(on_progress, 1)
        job = self._sentence_job(source, n, diversity, seed, on_candidate, started, progress.on_finish)
        progress.start()
        decode(self.decoder, [job.request], self._stop_ids, cancel)
        cancelled = cancel is not None and cancel.cancelled
        return ParaphraseResult(input=sentence, candidates=job.ranked(), model=self.name,
                                elapsed_ms=(time.perf_counter() - started) * 1000, cancelled=cancelled,
                                first_candidate_ms=job.first_ms, stats=job.request.stats)

    def warm_up(self) -> None:
        """Compute the fixed prompt prefix's KV cache now, so the first request doesn't pay for it."""
        self._prefix_cache()

    # -- internals ----------------------------------------------------------------------

    def _plan(self, source: str) -> _PromptPlan:
        """Tokenize ``source``'s prompt; refuses a sentence too long for the model."""
        prompt_ids = self.tokenizer.encode(self.prompt.render(source), add_special_tokens=False).ids
        if len(prompt_ids) + MAX_NEW_TOKENS > self.manifest.geometry.max_positions:
            raise InputError("The sentence is too long for this model.")
        source_ids = np.array(self.tokenizer.encode(" " + source, add_special_tokens=False).ids, dtype=np.int64)
        return _PromptPlan(prompt_ids, source_ids, _max_new_tokens(len(source_ids)))

    def _run_prompt(self, plan: _PromptPlan, sampler: Sampler) -> Prompt:
        prompt_ids = plan.prompt_ids
        prefix_ids, prefix_cache = self._prefix_cache()
        if prefix_ids and prompt_ids[:len(prefix_ids)] == prefix_ids and len(prompt_ids) > len(prefix_ids):
            rest, cache = prompt_ids[len(prefix_ids):], prefix_cache.with_capacity(plan.capacity)
        else:  # the text changed how the prefix tokenizes: run the whole prompt
            rest, cache = prompt_ids, self.decoder.new_cache(1, plan.capacity)
        logits = self.decoder.forward(np.array([rest], dtype=np.int64), cache)
        return Prompt(cache=cache, last_logits=logits.copy(), max_new=plan.max_new, sampler=sampler)

    def _prefix_cache(self) -> tuple[list[int], KVCache]:
        """KV cache of the template's fixed text before ``{text}``, computed once.

        A few-shot prompt is ~90 tokens, nearly all of it fixed; running it once per
        session instead of once per request removes most of the prefill time.
        """
        if self._prefix is None:
            # A trailing space would tokenize alone here but merge into the next word in the
            # full prompt ("Ġ" vs "ĠThe"), so the cached prefix would never match.
            prefix_text = self.prompt.template.split("{text}", 1)[0].rstrip(" ")
            ids = self.tokenizer.encode(prefix_text, add_special_tokens=False).ids
            cache = self.decoder.new_cache(1, max(1, len(ids)))
            if ids:
                self.decoder.forward(np.array([ids], dtype=np.int64), cache)
            self._prefix = (ids, cache)
        return self._prefix

    def _acceptable(self, text: str, source: str, accepted: list[Candidate]) -> bool:
        if not dedupe.words(text):
            return False
        if dedupe.is_copy(text, source):
            return False
        return not dedupe.is_near_duplicate(text, [c.text for c in accepted])

    def _sentence_job(self, source: str, n: int, diversity: float, seed: int | None,
                      on_candidate: CandidateCallback | None, started: float,
                      on_finish: Callable[[], None] | None = None) -> _SentenceJob:
        """A decode request that collects ``source``'s candidates (its prompt runs when it joins).

        ``on_finish`` runs once when the request is done (its n candidates, or out of rounds).
        """
        plan = self._plan(source)
        job = _SentenceJob(n=n, started=started, on_candidate=on_candidate, capacity=plan.capacity)
        settings = settings_for_diversity(diversity, self.copy_penalty_scale)

        def start() -> Prompt:
            return self._run_prompt(plan, Sampler(settings, np.random.default_rng(seed), plan.source_ids))

        def offer(token_ids: list[int], log_probs: list[float], finished: bool) -> bool:
            """Accept a finished row if it is a new, usable paraphrase; True once we have n."""
            text = self.tokenizer.decode(token_ids, skip_special_tokens=True).strip()
            if not finished:
                job.request.stats["truncated"] += 1
            elif self._acceptable(text, source, job.accepted):
                job.accept(Candidate(text, float(np.mean(log_probs)) if log_probs else -99.0))
            else:
                job.request.stats["rejected"] += 1
            return len(job.accepted) >= n

        job.request = _SentenceRequest(start=start, offer=offer, wanted=lambda: n - len(job.accepted),
                                       spare=_spare_rows, on_finish=on_finish)
        return job

    def _paraphrase_one(self, text: str, segments: list[Segment], index: int, n: int, diversity: float,
                        seed: int | None, on_candidate: CandidateCallback | None, cancel: CancelToken | None,
                        started: float, on_progress: ProgressCallback | None) -> ParaphraseResult:
        """The one sentence of ``segments``, streamed, with the wordless segments around it kept."""

        def in_place(candidate: Candidate) -> Candidate:
            texts = [candidate.text if i == index else segment.text for i, segment in enumerate(segments)]
            return Candidate(join_segments(texts, segments).strip(), candidate.score)

        stream = (lambda candidate: on_candidate(in_place(candidate))) if on_candidate is not None else None
        result = self.paraphrase_sentence(segments[index].text, n=n, diversity=diversity, seed=seed,
                                          on_candidate=stream, cancel=cancel, on_progress=on_progress)
        result.candidates = [in_place(c) for c in result.candidates]
        result.input = text
        result.elapsed_ms = (time.perf_counter() - started) * 1000
        return result

    def _paraphrase_paragraph(self, text: str, segments: list[Segment], n: int, diversity: float,
                              seed: int | None, on_candidate: CandidateCallback | None,
                              cancel: CancelToken | None, started: float,
                              on_progress: ProgressCallback | None) -> ParaphraseResult:
        """Every sentence's candidates in one batched decode, then composed into paragraphs."""
        sentences = {index: check_input(segment.text, english=False).strip()
                     for index, segment in enumerate(segments) if segment.has_words}
        foreign = {index: verdict for index, sentence in sentences.items()
                   if (verdict := not_english(sentence)) is not None}
        if sentences and len(foreign) == len(sentences):  # each sentence foreign, yet the whole passed
            raise InputError(next(iter(foreign.values())).message())
        progress = _Progress(on_progress, len(sentences) - len(foreign))
        # every sentence is tokenized now, so a too-long one is refused before any model work
        jobs = {index: self._sentence_job(sentence, n, diversity, None if seed is None else seed + index,
                                          None, started, progress.on_finish)
                for index, sentence in sentences.items() if index not in foreign}
        if foreign:
            log.info("kept %d sentence(s) that are not English as typed", len(foreign))
        progress.start()
        decode(self.decoder, [job.request for job in jobs.values()], self._stop_ids, cancel,
               max_rows=self.max_batch_rows, capacity=max(job.capacity for job in jobs.values()))
        cancelled = cancel is not None and cancel.cancelled
        composed: list[Candidate] = []
        if not cancelled:
            # a sentence without usable candidates (or without words) stays as it was written
            per_segment = [(jobs[i].ranked() if i in jobs else []) or [Candidate(segment.text, 0.0)]
                           for i, segment in enumerate(segments)]
            composed = _compose(per_segment, segments, n, on_candidate, scored=set(sentences) - set(foreign))
        stats = {"sentences": len(jobs), "not_english": len(foreign),
                 "rounds": sum(j.request.stats["rounds"] for j in jobs.values()),
                 "rows_sampled": sum(j.request.stats["rows_sampled"] for j in jobs.values())}
        return ParaphraseResult(input=text, candidates=composed, model=self.name,
                                elapsed_ms=(time.perf_counter() - started) * 1000, cancelled=cancelled,
                                stats=stats)


@dataclass(eq=False)  # hashed by identity, like Request
class _SentenceRequest(Request):
    """A :class:`Request` that says when it is done (the progress count)."""

    on_finish: Callable[[], None] | None = None

    def finish(self) -> None:
        was_done = self.done
        super().finish()
        if not was_done and self.on_finish is not None:
            self.on_finish()


class _Progress:
    """Counts finished sentences for an ``on_progress(done, total)`` callback (or for none)."""

    def __init__(self, callback: ProgressCallback | None, total: int) -> None:
        self.callback, self.total, self.done = callback, total, 0

    @property
    def on_finish(self) -> Callable[[], None] | None:
        """What a sentence's request calls when it is done (None without a callback)."""
        return self.one_more if self.callback is not None else None

    def start(self) -> None:
        if self.callback is not None:
            self.callback(0, self.total)

    def one_more(self) -> None:
        self.done += 1
        if self.callback is not None:
            self.callback(self.done, self.total)


@dataclass
class _SentenceJob:
    """What one sentence's decode request has produced so far."""

    n: int
    started: float
    on_candidate: CandidateCallback | None
    capacity: int  # KV positions its rows need
    accepted: list[Candidate] = field(default_factory=list)
    first_ms: float | None = None
    request: Request = field(init=False)

    def accept(self, candidate: Candidate) -> None:
        self.accepted.append(candidate)
        if self.first_ms is None:
            self.first_ms = (time.perf_counter() - self.started) * 1000
        if self.on_candidate is not None:
            self.on_candidate(candidate)

    def ranked(self) -> list[Candidate]:
        return sorted(self.accepted[:self.n], key=lambda c: c.score, reverse=True)


def _compose(per_segment: list[list[Candidate]], segments: list[Segment], n: int,
             on_candidate: CandidateCallback | None, *, scored: set[int]) -> list[Candidate]:
    """Up to n distinct paragraphs: the k-th takes each sentence's k-th best candidate.

    A paragraph's score is the mean over the ``scored`` segments (those sent to the model).
    """
    composed: list[Candidate] = []
    for k in range(n):
        picks = [options[k % len(options)] for options in per_segment]
        paragraph = join_segments([c.text for c in picks], segments).strip()
        scores = [c.score for i, c in enumerate(picks) if i in scored]
        if any(c.text == paragraph for c in composed):
            continue
        composed.append(Candidate(paragraph, float(np.mean(scores)) if scores else 0.0))
        if on_candidate is not None:
            on_candidate(composed[-1])
    return composed


def _max_new_tokens(source_tokens: int) -> int:
    """Room for a paraphrase: twice the source plus a little, never more than the cap."""
    return min(MAX_NEW_TOKENS, 2 * source_tokens + 12)


def _spare_rows(n: int) -> int:
    """Rows sampled beyond the n wanted: the first n acceptable candidates to finish win.

    A spare row absorbs a duplicate or a copy without a second round (which would cost
    another full decode), and stops the batch from waiting on its single longest, usually
    rambling, row. One spare per four candidates, at least one.
    """
    return max(1, n // 4)


def _check_threads(threads: int | None) -> None:
    """onnxruntime would refuse a count below 1 as it loads, which read as a damaged bundle.

    The upper bound (this machine's cores) belongs to the ``--threads`` flags
    (:mod:`models.threads`): a benchmark may oversubscribe on purpose.
    """
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, (int, np.integer))
                                or threads < 1):
        raise ValueError(f"threads must be a whole number of at least 1 (or None for all cores), got {threads!r}")


def _check_seed(seed: int | None) -> None:
    """numpy raises a bare ValueError for a negative seed; the caller gets a message instead."""
    if seed is None:
        return
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) <= MAX_SEED:
        raise InputError(f"The seed must be a whole number from 0 to {MAX_SEED}.")


def _check_n(n: int) -> None:
    if not 1 <= int(n) <= MAX_CANDIDATES:
        raise InputError(f"The number of paraphrases must be between 1 and {MAX_CANDIDATES}.")
