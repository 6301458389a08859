"""Generate several paraphrases of a sentence from a verified bundle.

The prompt runs once; its KV cache is copied to N rows that are sampled together, and a
row leaves the batch as soon as it finishes, so one slow candidate does not keep the others'
compute alive. Copies of the input and near-duplicates are dropped and replaced by further
samples drawn from the same cached prompt.
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
from .bundle import Manifest, load_manifest
from .cancel import CancelToken
from .catalog import rebuild_command, resolve_bundle
from .errors import BundleError, InputError
from .onnx_decoder import KVCache, OnnxDecoder
from .sampling import Sampler, settings_for_diversity
from .text import Segment, check_input, join_segments, split_sentences

log = logging.getLogger(__name__)

MAX_CANDIDATES = 10
#: Extra sampling rounds allowed to replace duplicates before giving up.
MAX_EXTRA_ROUNDS = 3
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


@dataclass
class _PromptState:
    cache: KVCache
    last_logits: np.ndarray
    source_ids: np.ndarray
    max_new: int  # the cache has room for this many new tokens


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
        try:
            self.tokenizer = Tokenizer.from_file(str(folder / manifest.tokenizer_file))
            self.decoder = OnnxDecoder(folder / manifest.model_file, manifest.geometry, threads=threads)
        except BundleError:
            raise
        except Exception as exc:  # onnxruntime / tokenizers raise many types on bad files
            raise BundleError(f"Model bundle '{self.name}' could not be loaded: {exc}",
                              bundle=self.name, rebuild_command=rebuild_command(self.name)) from exc

    @classmethod
    def load(cls, name_or_path: str | Path | None = None, *, threads: int | None = None,
             verify: bool = True) -> Paraphraser:
        """Load a bundle by name (from the catalog) or folder; verifies every file's sha256."""
        folder = resolve_bundle(name_or_path)
        manifest = load_manifest(folder, verify=verify)
        return cls(folder, manifest, threads=threads)

    # -- public API ---------------------------------------------------------------------

    def paraphrase(self, text: str, *, n: int = 5, diversity: float = 0.5, seed: int | None = None,
                   on_candidate: CandidateCallback | None = None,
                   cancel: CancelToken | None = None) -> ParaphraseResult:
        """Paraphrase ``text``; multi-sentence text is split and composed sentence by sentence.

        For one sentence, ``on_candidate`` fires as each candidate finishes; for several,
        it fires once per composed paragraph at the end.
        """
        started = time.perf_counter()
        cleaned = check_input(text)
        _check_n(n)
        segments = split_sentences(cleaned)
        wordy = [s for s in segments if s.has_words]
        if len(wordy) == 1 and len(segments) == 1:
            result = self.paraphrase_sentence(segments[0].text, n=n, diversity=diversity, seed=seed,
                                              on_candidate=on_candidate, cancel=cancel)
            result.input = text
            result.elapsed_ms = (time.perf_counter() - started) * 1000
            return result
        return self._paraphrase_paragraph(text, segments, n, diversity, seed, on_candidate, cancel, started)

    def paraphrase_sentence(self, sentence: str, *, n: int = 5, diversity: float = 0.5,
                            seed: int | None = None, on_candidate: CandidateCallback | None = None,
                            cancel: CancelToken | None = None) -> ParaphraseResult:
        """N distinct paraphrases of one sentence, best score first."""
        started = time.perf_counter()
        _check_n(n)
        source = check_input(sentence).strip()
        settings = settings_for_diversity(diversity, self.copy_penalty_scale)
        rng = np.random.default_rng(seed)
        state = self._run_prompt(source)
        sampler = Sampler(settings, rng, state.source_ids)
        accepted: list[Candidate] = []
        first_ms: list[float] = []
        stats = {"rows_sampled": 0, "rejected": 0, "truncated": 0, "rounds": 0}

        def offer(token_ids: list[int], logps: list[float], finished: bool) -> bool:
            """Accept a finished row if it is a new, usable paraphrase; True once we have n."""
            text = self.tokenizer.decode(token_ids, skip_special_tokens=True).strip()
            if not finished:
                stats["truncated"] += 1
            elif self._acceptable(text, source, accepted):
                candidate = Candidate(text, float(np.mean(logps)) if logps else -99.0)
                accepted.append(candidate)
                if not first_ms:
                    first_ms.append((time.perf_counter() - started) * 1000)
                if on_candidate is not None:
                    on_candidate(candidate)
            else:
                stats["rejected"] += 1
            return len(accepted) >= n

        rows = n + _spare_rows(n)
        for _ in range(1 + MAX_EXTRA_ROUNDS):
            if cancel is not None and cancel.cancelled:
                break
            stats["rounds"] += 1
            stats["rows_sampled"] += rows
            self._sample_rows(state, rows, sampler, offer, cancel)
            missing = n - len(accepted)
            if missing <= 0:
                break
            rows = missing + _spare_rows(missing)
        cancelled = cancel is not None and cancel.cancelled
        ranked = sorted(accepted[:n], key=lambda c: c.score, reverse=True)
        return ParaphraseResult(input=sentence, candidates=ranked, model=self.name,
                                elapsed_ms=(time.perf_counter() - started) * 1000, cancelled=cancelled,
                                first_candidate_ms=first_ms[0] if first_ms else None, stats=stats)

    def warm_up(self) -> None:
        """Compute the fixed prompt prefix's KV cache now, so the first request doesn't pay for it."""
        self._prefix_cache()

    # -- internals ----------------------------------------------------------------------

    def _run_prompt(self, source: str) -> _PromptState:
        prompt_ids = self.tokenizer.encode(self.prompt.render(source), add_special_tokens=False).ids
        if len(prompt_ids) + MAX_NEW_TOKENS > self.manifest.geometry.max_positions:
            raise InputError("The sentence is too long for this model.")
        source_ids = np.array(self.tokenizer.encode(" " + source, add_special_tokens=False).ids, dtype=np.int64)
        max_new = _max_new_tokens(len(source_ids))
        capacity = len(prompt_ids) + max_new
        prefix_ids, prefix_cache = self._prefix_cache()
        if prefix_ids and prompt_ids[:len(prefix_ids)] == prefix_ids and len(prompt_ids) > len(prefix_ids):
            rest, cache = prompt_ids[len(prefix_ids):], prefix_cache.with_capacity(capacity)
        else:  # the text changed how the prefix tokenizes: run the whole prompt
            rest, cache = prompt_ids, self.decoder.new_cache(1, capacity)
        logits = self.decoder.forward(np.array([rest], dtype=np.int64), cache)
        return _PromptState(cache=cache, last_logits=logits.copy(), source_ids=source_ids, max_new=max_new)

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

    def _sample_rows(self, state: _PromptState, rows: int, sampler: Sampler,
                     offer: Callable[[list[int], list[float], bool], bool],
                     cancel: CancelToken | None) -> None:
        """Decode ``rows`` candidates in one batch from the cached prompt."""
        cache = state.cache.repeat(rows)
        logits = np.repeat(state.last_logits, rows, axis=0)
        histories: list[list[int]] = [[] for _ in range(rows)]
        logps: list[list[float]] = [[] for _ in range(rows)]
        active = list(range(rows))
        max_new = state.max_new
        for step in range(max_new):
            if cancel is not None and cancel.cancelled:
                return
            tokens, token_logps = sampler.sample(logits, [histories[r] for r in active])
            keep: list[int] = []
            for j, row in enumerate(active):
                token = int(tokens[j])
                logps[row].append(float(token_logps[j]))
                if token in self._stop_ids:
                    if offer(histories[row], logps[row], True):
                        return
                    continue
                histories[row].append(token)
                keep.append(j)
            if not keep:
                return
            if step == max_new - 1:
                for j in keep:
                    offer(histories[active[j]], logps[active[j]], False)
                return
            if len(keep) < len(active):
                index = np.array(keep)
                cache = cache.select(index)
                tokens = tokens[index]
            active = [active[j] for j in keep]
            logits = self.decoder.forward(tokens[:, None], cache)

    def _acceptable(self, text: str, source: str, accepted: list[Candidate]) -> bool:
        if not dedupe.words(text):
            return False
        if dedupe.is_copy(text, source):
            return False
        return not dedupe.is_near_duplicate(text, [c.text for c in accepted])

    def _paraphrase_paragraph(self, text: str, segments: list[Segment], n: int, diversity: float,
                              seed: int | None, on_candidate: CandidateCallback | None,
                              cancel: CancelToken | None, started: float) -> ParaphraseResult:
        per_segment: list[list[Candidate]] = []
        cancelled = False
        for index, segment in enumerate(segments):
            if not segment.has_words:
                per_segment.append([Candidate(segment.text, 0.0)])
                continue
            part = self.paraphrase_sentence(segment.text, n=n, diversity=diversity,
                                            seed=None if seed is None else seed + index, cancel=cancel)
            cancelled = cancelled or part.cancelled
            per_segment.append(part.candidates or [Candidate(segment.text, 0.0)])
            if cancelled:
                break
        composed: list[Candidate] = []
        if not cancelled:
            for k in range(n):
                picks = [options[k % len(options)] for options in per_segment]
                paragraph = join_segments([c.text for c in picks], segments).strip()
                scores = [c.score for c, s in zip(picks, segments) if s.has_words]
                candidate = Candidate(paragraph, float(np.mean(scores)) if scores else 0.0)
                if any(c.text == paragraph for c in composed):
                    continue
                composed.append(candidate)
                if on_candidate is not None:
                    on_candidate(candidate)
        return ParaphraseResult(input=text, candidates=composed, model=self.name,
                                elapsed_ms=(time.perf_counter() - started) * 1000, cancelled=cancelled)


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


def _check_n(n: int) -> None:
    if not 1 <= int(n) <= MAX_CANDIDATES:
        raise InputError(f"The number of paraphrases must be between 1 and {MAX_CANDIDATES}.")
