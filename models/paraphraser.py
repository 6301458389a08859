"""Generate several paraphrases of a sentence, or of each sentence of a text, from a bundle.

The prompt runs once; its KV cache is copied to N rows that are sampled together
(:mod:`models.batch_decode`). Every row is sampled under the sentence's constraints
(:mod:`models.constraints`: only the source's numbers, frozen phrases finished as written).
Each finished row goes through the candidate pipeline (:mod:`models.pipeline`): a row a
check refuses (empty, a copy of the input, a lost or invented fact, a near-duplicate) is
replaced by a further sample drawn from the same cached prompt, within a bounded budget,
and the accepted ones are ranked. A result never holds a candidate that broke a fact: when
fewer than N pass, fewer are returned and :attr:`ParaphraseResult.note` says so. The sentences of a longer text are decoded in one batch and the
paraphrases composed back into paragraphs.

When the meaning scorer's bundle is built (:func:`models.confidence.default_scorer`), each
candidate also carries :attr:`Candidate.confidence`, rows the scorer doubts are refused like
the others, and a sentence accepts a few more candidates than it shows so the ranking can
keep the likeliest (:data:`models.pipeline.DEFAULT_OVERSAMPLE`). The first n still stream as
they pass; the result's order is the ranking's, and may differ from the streamed one.

A job is a :class:`ParaphraseRequest` (what the caller asked for); each sentence of it
becomes one :class:`~models.batch_decode.Request` for the decoder, which keeps that
sentence's candidates and counts (:class:`SentenceStats`).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .batch_decode import MAX_BATCH_ROWS, Prompt, Request, decode
from .bundle import Manifest, load_manifest, load_tokenizer
from .cancel import CancelToken
from .catalog import rebuild_command, resolve_bundle
from .confidence import Scorer, default_scorer
from .connectives import restore_link
from .constraints import TokenTable, build_constraints
from .controls import STANDARD_MODE
from .errors import BundleError, InputError
from .facts import SourceFacts, missing_keeps
from .language import not_english
from .onnx_decoder import KVCache, OnnxDecoder
from .pipeline import Candidate, CandidatePipeline, Source, default_pipeline, mean_log_prob
from .sampling import DecodingSettings, Sampler, settings_for_diversity
from .text import Segment, check_input, join_segments, split_sentences, word_count

log = logging.getLogger(__name__)

MAX_CANDIDATES = 10
#: Largest ``seed`` accepted (numpy's generators take any non-negative integer; the CLI and
#: the API promise 32 bits, what ``evaluate``'s per-input seeds use).
MAX_SEED = 2**32 - 1
#: Hard cap on new tokens for one candidate, whatever the input length.
MAX_NEW_TOKENS = 200
#: Once a sentence's rows have broken a fact, a later round samples ``missing / rate`` rows
#: (``rate``: the share of its rows accepted so far, at least this much) ...
MIN_ACCEPT_RATE = 0.25
#: ... but never more rows than this, or than its first round had (see
#: :data:`models.batch_decode.MAX_EXTRA_ROUNDS` for what 12 against 8 bought).
MAX_RETRY_ROWS = 12
#: The message for a text whose every word is a name, a number, a date, a code or quoted (:func:`_rewordable`).
NOTHING_TO_REWORD = ("There is nothing to reword: the text is only names, numbers, dates, codes or quotations, "
                     "which every paraphrase keeps as written.")
#: Checks that refuse a row for saying something else; the "fewer than asked" note counts them together.
MEANING_CHECKS = ("meaning", "prompt", "question", "contrast", "cause", "link", "reversal", "negation", "certainty")
#: Checks whose refusals mean a sentence's rows are often unusable, so a later round samples
#: for the acceptance rate seen (a copy or a duplicate is rarer and replaced by the spares).
SELECTIVE_CHECKS = ("facts", "length", *MEANING_CHECKS)
#: A sentence that has a card samples no round after this many (one without keeps trying, up to
#: :data:`models.batch_decode.MAX_EXTRA_ROUNDS` more). Why: since no card may be shown under
#: :data:`models.pipeline.MIN_CONFIDENCE`, a third of the held-out news sentences at the default
#: slider ran all 7 rounds, and rounds 5-7 gave 6 % of the cards (20 of 313) for most of the
#: extra time.
ROUNDS_WITH_A_CARD = 4
#: A later round after mostly copies samples as if the slider stood this much further right.
RETRY_WARMER = 0.5
#: From this many words a sentence counts as long, and a short result's note suggests splitting
#: it. Why: the student keeps every detail of a long sentence far less often. Held-out news at
#: the default slider (100 inputs, ``evaluate --sets news``, 2026-12-04): 3.9 cards per input under
#: 15 words, 3.4 at 15-24, 2.1 at 25-34 (8 of 25 inputs without any), 1.6 at 35 or more. The
#: four long bench sentences (28-40 words, 3 seeds each): 13 of 60 cards as written, 59 of 60
#: when split by hand into two sentences, in 56 s against 79 s. The cause is in the data: the
#: cased teacher set paraphrases long seeds in part (GPT-3.5 on 35+-word seeds: half the words
#: at the median, 8 of 5,539 paraphrases keep every content word), and so does the student.
LONG_SENTENCE_WORDS = 25
#: ``scorer=`` of :class:`Paraphraser`: the app's scorer when its bundle is built, else none.
DEFAULT_SCORER: Literal["default"] = "default"


__all__ = ["MAX_CANDIDATES", "MAX_NEW_TOKENS", "MAX_SEED", "Candidate", "ParaphraseRequest", "ParaphraseResult",
           "Paraphraser", "SentenceStats", "spare_rows"]


@dataclass(frozen=True)
class ParaphraseRequest:
    """One paraphrase job: what the caller asked for (the later issues add fields here).

    ``seed`` None draws fresh randomness; a paragraph's k-th segment uses ``seed + k``.
    ``keep``: phrases the writer froze; each must be in ``text``, and every candidate of
    the sentence that holds it keeps it verbatim.
    """

    text: str
    n: int = 5
    diversity: float = 0.5
    seed: int | None = None
    keep: tuple[str, ...] = ()
    #: A mode the student offers (:attr:`Paraphraser.modes`): standard, simpler, shorter...
    mode: str = STANDARD_MODE


@dataclass
class ParaphraseResult:
    input: str
    candidates: list[Candidate]
    model: str
    elapsed_ms: float
    cancelled: bool = False
    first_candidate_ms: float | None = None
    #: Counters for logs and the bench (:class:`SentenceStats` and
    #: :class:`~models.batch_decode.DecodeStats` as one dict; a paragraph's are summed).
    stats: dict[str, Any] = field(default_factory=dict)
    #: The protected spans of the input (numbers, dates, names, quotes, frozen phrases...),
    #: as written, sentence by sentence: what every candidate keeps.
    protected: list[str] = field(default_factory=list)
    #: Candidates asked for (0: not known, as for a result made by hand).
    requested: int = 0

    @property
    def note(self) -> str | None:
        """Why fewer candidates than requested came back, for the writer; None when all did."""
        returned = len(self.candidates)
        if self.cancelled or not self.requested or returned >= self.requested:
            return None
        facts = self.stats.get("rejected_facts", 0)
        meaning = sum(self.stats.get(f"rejected_{name}", 0) for name in MEANING_CHECKS)
        length = self.stats.get("rejected_length", 0)
        if length and length >= max(facts, meaning):
            why = "the other samples were not short enough for this mode"
        elif facts and facts >= meaning:
            why = "the other samples changed or dropped a protected fact"
        elif meaning:
            why = "the other samples did not keep the meaning closely enough"
        else:
            why = "the other samples repeated the input or each other"
        note = f"{returned} of {self.requested} paraphrases: {why}"
        if facts or meaning:
            note += _long_sentence_hint(self.input)
        return note

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``--json`` object (a contract: other tools parse it).

        ``protected`` lists the spans every candidate keeps; ``note`` is there only when
        fewer paraphrases than requested came back. Each paraphrase's ``confidence`` is the
        meaning scorer's probability (3 places), null when no scorer is loaded; ``reason``,
        only where one is known, is what the card says is worth checking ("may leave out
        “sorely”", "a negation may be missing"), as ``paraphrase-studio score`` adds it.
        """
        out = {
            "input": self.input,
            "paraphrases": [_paraphrase_json(c) for c in self.candidates],
            "model": self.model,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "protected": list(self.protected),
        }
        if self.note:
            out["note"] = self.note
        return out


def _paraphrase_json(candidate: Candidate) -> dict[str, Any]:
    """One paraphrase of :meth:`ParaphraseResult.to_json`."""
    out: dict[str, Any] = {"text": candidate.text, "score": round(candidate.score, 4),
                           "confidence": None if candidate.confidence is None else round(candidate.confidence, 3)}
    if candidate.reason:
        out["reason"] = candidate.reason
    return out


CandidateCallback = Callable[[Candidate], None]
#: ``on_progress(done, total)``, counted in sentences.
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class _PromptPlan:
    """A sentence's prompt, tokenized (no model call yet)."""

    prompt_ids: list[int]
    source_ids: np.ndarray  # the sentence's own tokens (the copy penalty's and the sampler's)
    max_new: int  # new tokens a candidate may take
    update: float = 0.0  # the mode update's weight the mode decodes with (models.controls)

    @property
    def capacity(self) -> int:
        """KV positions its rows need: the prompt and the longest candidate."""
        return len(self.prompt_ids) + self.max_new


class Paraphraser:
    """A loaded bundle: tokenizer + ONNX decoder + the manifest's prompt format.

    ``scorer``: the meaning scorer the pipeline asks (:class:`models.confidence.Scorer`);
    by default the app's, when its bundle is built (loaded with the same ``threads``), else
    none, said once in the log; ``None`` runs the student alone (candidates' confidence None).
    """

    def __init__(self, folder: Path, manifest: Manifest, *, threads: int | None = None,
                 scorer: Scorer | None | Literal["default"] = DEFAULT_SCORER) -> None:
        self.folder = folder
        self.manifest = manifest
        self.name = manifest.name
        self.prompt = manifest.prompt
        self._stop_ids = frozenset(manifest.prompt.stop_token_ids)
        self.copy_penalty_scale = float(manifest.prompt.extra.get("copy_penalty_scale", 1.0))
        #: A controlled student asks for more change by its codes, so the slider moves the
        #: sampler less (``sampling_diversity_scale`` in the manifest; 1: the full mapping).
        self.sampling_diversity_scale = float(manifest.prompt.extra.get("sampling_diversity_scale", 1.0))
        #: ... and right of the default, more slowly still (``creative_sampling_scale``; 1: as left of it).
        self.creative_sampling_scale = float(manifest.prompt.extra.get("creative_sampling_scale", 1.0))
        #: The fixed prompt prefix's cache, per mode update weight (0 for most modes).
        self._prefixes: dict[float, tuple[list[int], KVCache]] = {}
        #: Rows a text's sentences may decode together (see models.batch_decode).
        self.max_batch_rows = MAX_BATCH_ROWS
        self._token_table: TokenTable | None = None  # built on first use (~0.2 s), or by warm_up()
        _check_threads(threads)  # a bad count is the caller's mistake, not a damaged bundle
        #: The meaning scorer, or None: the student alone.
        self.scorer: Scorer | None = _scorer(scorer, threads)
        #: The checks and the ranking every finished row goes through; a caller may replace
        #: it (``distill/evaluate.py`` counts copies with its own).
        self.pipeline: CandidatePipeline = default_pipeline(self.scorer, calibration=manifest.confidence)
        try:
            self.tokenizer = load_tokenizer(folder / manifest.tokenizer_file)
            self.decoder = OnnxDecoder(folder / manifest.model_file, manifest.geometry, threads=threads)
        except BundleError:
            raise
        except Exception as exc:  # onnxruntime / tokenizers raise many types on bad files
            raise BundleError(f"Model bundle '{self.name}' could not be loaded: {exc}",
                              bundle=self.name, rebuild_command=rebuild_command(self.name, folder)) from exc
        controls = manifest.prompt.controls
        if controls is not None and controls.mode_updates and not self.decoder.has_mode_update:
            raise BundleError(f"Model bundle '{self.name}' names a mode update "
                              f"({', '.join(controls.mode_updates)}) that its model file lacks; rebuild it.",
                              bundle=self.name, rebuild_command=rebuild_command(self.name, folder))

    @classmethod
    def load(cls, name_or_path: str | Path | None = None, *, threads: int | None = None,
             verify: bool = True, scorer: Scorer | None | Literal["default"] = DEFAULT_SCORER) -> Paraphraser:
        """Load a bundle by name (from the catalog) or folder; verifies every file's sha256.

        ``scorer``: see :class:`Paraphraser` (default: the app's meaning scorer if built).
        """
        folder = resolve_bundle(name_or_path)
        manifest = load_manifest(folder, verify=verify)
        return cls(folder, manifest, threads=threads, scorer=scorer)

    # -- public API ---------------------------------------------------------------------

    @property
    def modes(self) -> tuple[str, ...]:
        """The modes this student was trained for (``standard`` always; the bundle says which)."""
        return self.prompt.modes

    def max_words(self, sentence: str, mode: str = STANDARD_MODE) -> int | None:
        """The most words a candidate of ``sentence`` may have in ``mode`` (the bundle's
        ``max_words_ratio``: Shorter's limit), or None when the mode sets none."""
        controls = self.prompt.controls
        return controls.max_words(mode, word_count(sentence)) if controls is not None else None

    def paraphrase(self, text: str, *, n: int = 5, diversity: float = 0.5, seed: int | None = None,
                   keep: Sequence[str] = (), on_candidate: CandidateCallback | None = None,
                   cancel: CancelToken | None = None,
                   on_progress: ProgressCallback | None = None, mode: str = STANDARD_MODE) -> ParaphraseResult:
        """Paraphrase ``text``; multi-sentence text is split and composed sentence by sentence.

        For one sentence, ``on_candidate`` fires as each candidate finishes; for several,
        it fires once per composed paragraph at the end. What has no words (an emoji, a
        bullet, a dash at a sentence's start or end) is kept exactly as typed, and so is a
        sentence that is clearly not English inside a text that is (a quoted French line):
        the whole text is judged first, and refused when it is clearly not English.

        ``on_progress(done, total)`` counts sentences: ``(0, total)`` once the text is
        planned, then once each time a sentence has its candidates (one sentence: ``(0, 1)``
        then ``(1, 1)``). It runs on the calling thread; a cancelled run stops short of total.

        ``keep``: phrases to keep verbatim (each must be in ``text``, within one sentence: an
        :class:`InputError` names the one that is not). Numbers, names, dates, quotes... are
        protected without asking: no candidate returned loses one or adds a number.

        ``mode``: one of :attr:`modes` (an :class:`InputError` lists them for any other).
        """
        request = ParaphraseRequest(text, n=n, diversity=diversity, seed=seed, keep=tuple(keep), mode=mode)
        return self.run(request, on_candidate=on_candidate, cancel=cancel, on_progress=on_progress)

    def run(self, request: ParaphraseRequest, *, on_candidate: CandidateCallback | None = None,
            cancel: CancelToken | None = None, on_progress: ProgressCallback | None = None) -> ParaphraseResult:
        """:meth:`paraphrase` for a typed request (same callbacks, same result)."""
        started = time.perf_counter()
        cleaned = check_input(request.text)
        _check_n(request.n)
        _check_seed(request.seed)
        self._check_mode(request.mode)
        _check_keep(cleaned, request.keep)
        segments = split_sentences(cleaned)
        wordy = [i for i, s in enumerate(segments) if s.has_words]
        _check_keep_within_sentences([segments[i].text for i in wordy], request.keep)
        rewordable = [i for i in wordy if _rewordable(segments[i].text, request.keep)]
        if wordy and not rewordable:
            raise InputError(NOTHING_TO_REWORD)
        if len(rewordable) == 1:  # one sentence, perhaps with an emoji, a bullet or a heading kept beside it
            return self._paraphrase_one(request, segments, rewordable[0], on_candidate, cancel, started, on_progress)
        return self._paraphrase_paragraph(request, segments, on_candidate, cancel, started, on_progress,
                                          fixed=frozenset(wordy) - frozenset(rewordable))

    def paraphrase_sentence(self, sentence: str, *, n: int = 5, diversity: float = 0.5,
                            seed: int | None = None, keep: Sequence[str] = (),
                            on_candidate: CandidateCallback | None = None, cancel: CancelToken | None = None,
                            on_progress: ProgressCallback | None = None,
                            mode: str = STANDARD_MODE) -> ParaphraseResult:
        """Up to N distinct paraphrases of one sentence, best first (``on_progress``: (0, 1), (1, 1))."""
        return self._sentence(ParaphraseRequest(sentence, n=n, diversity=diversity, seed=seed, keep=tuple(keep),
                                                mode=mode),
                              on_candidate, cancel, on_progress)

    def warm_up(self) -> None:
        """Compute the fixed prompt prefix's KV cache and the constraints' token table now,
        and run the meaning scorer once (with its order companion: the second pair reorders the
        first's words), so the first request doesn't pay for them."""
        self._prefix_cache()
        self._constraint_table()
        for check in self.pipeline.checks:  # the detail count's phrase index
            warm = getattr(check, "warm_up", None)
            if callable(warm):
                warm()
        if self.scorer is not None:
            self.scorer.score(["The first request is ready."] * 2,
                              ["The first request can start.", "The request is ready first."])

    # -- internals ----------------------------------------------------------------------

    def _check_mode(self, mode: str) -> None:
        if mode not in self.modes:
            raise InputError(f"The model {self.name} has no mode “{mode}”; "
                             f"its modes: {', '.join(self.modes)}.")

    def sampling_settings(self, diversity: float, *, creative_scale: bool = True) -> DecodingSettings:
        """The sampler's settings for a slider value (gentler for a controlled student).

        ``creative_scale=False`` ignores the bundle's ``creative_sampling_scale``: a later round
        that escapes copies (:meth:`_SentenceRequest.before_round`) needs the full warmth.
        """
        return settings_for_diversity(diversity, self.copy_penalty_scale, self.sampling_diversity_scale,
                                      self.creative_sampling_scale if creative_scale else 1.0)

    def _plan(self, source: str, mode: str = STANDARD_MODE, diversity: float = 0.5) -> _PromptPlan:
        """Tokenize ``source``'s prompt; refuses a sentence too long for the model."""
        prompt_ids = self.tokenizer.encode(self.prompt.render(source, mode, diversity),
                                           add_special_tokens=False).ids
        if len(prompt_ids) + MAX_NEW_TOKENS > self.manifest.geometry.max_positions:
            raise InputError("The sentence is too long for this model.")
        source_ids = np.array(self.tokenizer.encode(" " + source, add_special_tokens=False).ids, dtype=np.int64)
        return _PromptPlan(prompt_ids, source_ids, _max_new_tokens(len(source_ids)), self.prompt.update_weight(mode))

    def _run_prompt(self, plan: _PromptPlan, sampler: Sampler) -> Prompt:
        prompt_ids = plan.prompt_ids
        prefix_ids, prefix_cache = self._prefix_cache(plan.update)
        if prefix_ids and prompt_ids[:len(prefix_ids)] == prefix_ids and len(prompt_ids) > len(prefix_ids):
            rest, cache = prompt_ids[len(prefix_ids):], prefix_cache.with_capacity(plan.capacity)
        else:  # the text changed how the prefix tokenizes: run the whole prompt
            rest, cache = prompt_ids, self.decoder.new_cache(1, plan.capacity, update=plan.update)
        logits = self.decoder.forward(np.array([rest], dtype=np.int64), cache)
        return Prompt(cache=cache, last_logits=logits.copy(), max_new=plan.max_new, sampler=sampler)

    def _constraint_table(self) -> TokenTable:
        """The tokenizer's table for constrained decoding, built once per bundle."""
        if self._token_table is None:
            self._token_table = TokenTable.from_tokenizer(self.tokenizer)
        return self._token_table

    def _prefix_cache(self, update: float = 0.0) -> tuple[list[int], KVCache]:
        """KV cache of the template's fixed text before ``{text}``, computed once per mode
        update weight (the same tokens give other keys and values with the update).

        A few-shot prompt is ~90 tokens, nearly all of it fixed; running it once per
        session instead of once per request removes most of the prefill time.
        """
        if update not in self._prefixes:
            # A trailing space would tokenize alone here but merge into the next word in the
            # full prompt ("Ġ" vs "ĠThe"), so the cached prefix would never match.
            prefix_text = self.prompt.template.split("{text}", 1)[0].rstrip(" ")
            ids = self.tokenizer.encode(prefix_text, add_special_tokens=False).ids
            cache = self.decoder.new_cache(1, max(1, len(ids)), update=update)
            if ids:
                self.decoder.forward(np.array([ids], dtype=np.int64), cache)
            self._prefixes[update] = (ids, cache)
        return self._prefixes[update]

    def _sentence(self, request: ParaphraseRequest, on_candidate: CandidateCallback | None,
                  cancel: CancelToken | None, on_progress: ProgressCallback | None) -> ParaphraseResult:
        """``request.text`` as one sentence: its own decode, candidates streamed as they finish."""
        started = time.perf_counter()
        _check_n(request.n)
        _check_seed(request.seed)
        self._check_mode(request.mode)
        source = check_input(request.text).strip()
        _check_keep(source, request.keep)
        progress = _Progress(on_progress, 1)
        job = _SentenceRequest(self, replace(request, text=source), started, on_candidate, progress.on_finish)
        if not job.source.facts.rewordable:
            raise InputError(NOTHING_TO_REWORD)
        progress.start()
        decode(self.decoder, [job], self._stop_ids, cancel)
        cancelled = cancel is not None and cancel.cancelled
        candidates = job.ranked()
        return ParaphraseResult(input=request.text, candidates=candidates, model=self.name,
                                elapsed_ms=(time.perf_counter() - started) * 1000, cancelled=cancelled,
                                first_candidate_ms=job.first_ms, stats=job.stats_dict(),
                                protected=list(job.source.protected), requested=request.n)

    def _paraphrase_one(self, request: ParaphraseRequest, segments: list[Segment], index: int,
                        on_candidate: CandidateCallback | None, cancel: CancelToken | None,
                        started: float, on_progress: ProgressCallback | None) -> ParaphraseResult:
        """The one sentence of ``segments``, streamed, with the wordless segments around it kept."""

        def in_place(candidate: Candidate) -> Candidate:
            texts = [candidate.text if i == index else segment.text for i, segment in enumerate(segments)]
            return replace(candidate, text=join_segments(texts, segments).strip())

        stream = (lambda candidate: on_candidate(in_place(candidate))) if on_candidate is not None else None
        result = self.paraphrase_sentence(segments[index].text, n=request.n, diversity=request.diversity,
                                          seed=request.seed, keep=request.keep, on_candidate=stream, cancel=cancel,
                                          on_progress=on_progress, mode=request.mode)
        result.candidates = [in_place(c) for c in result.candidates]
        result.input = request.text
        result.elapsed_ms = (time.perf_counter() - started) * 1000
        return result

    def _paraphrase_paragraph(self, request: ParaphraseRequest, segments: list[Segment],
                              on_candidate: CandidateCallback | None, cancel: CancelToken | None,
                              started: float, on_progress: ProgressCallback | None,
                              fixed: frozenset[int] = frozenset()) -> ParaphraseResult:
        """Every sentence's candidates in one batched decode, then composed into paragraphs;
        the ``fixed`` segments (nothing to reword: :func:`_rewordable`) stay as written."""
        sentences = {index: check_input(segment.text, english=False).strip()
                     for index, segment in enumerate(segments) if segment.has_words and index not in fixed}
        foreign = {index: verdict for index, sentence in sentences.items()
                   if (verdict := not_english(sentence)) is not None}
        if sentences and len(foreign) == len(sentences):  # each sentence foreign, yet the whole passed
            raise InputError(next(iter(foreign.values())).message())
        progress = _Progress(on_progress, len(sentences) - len(foreign))
        seed = request.seed
        # every sentence is tokenized now, so a too-long one is refused before any model work
        jobs = {index: _SentenceRequest(self, replace(request, text=sentence,
                                                      seed=None if seed is None else seed + index),
                                        started, None, progress.on_finish)
                for index, sentence in sentences.items() if index not in foreign}
        if foreign:
            log.info("kept %d sentence(s) that are not English as typed", len(foreign))
        if fixed:
            log.info("kept %d segment(s) with nothing to reword (only names, numbers, codes...) as typed", len(fixed))
        progress.start()
        decode(self.decoder, list(jobs.values()), self._stop_ids, cancel,
               max_rows=self.max_batch_rows, capacity=max(job.capacity for job in jobs.values()))
        cancelled = cancel is not None and cancel.cancelled
        composed: list[Candidate] = []
        if not cancelled:
            # a sentence without usable candidates (or without words) stays as it was written
            per_segment = [(jobs[i].ranked() if i in jobs else []) or [Candidate(segment.text, 0.0)]
                           for i, segment in enumerate(segments)]
            composed = _compose(per_segment, segments, request.n, on_candidate,
                                scored=set(sentences) - set(foreign))
        stats = {"sentences": len(jobs), "not_english": len(foreign),
                 **_summed([job.stats_dict() for job in jobs.values()])}
        protected = [text for job in jobs.values() for text in job.source.protected]
        return ParaphraseResult(input=request.text, candidates=composed, model=self.name,
                                elapsed_ms=(time.perf_counter() - started) * 1000, cancelled=cancelled,
                                stats=stats, protected=protected, requested=request.n)


@dataclass
class SentenceStats:
    """What the candidate pipeline did with one sentence's finished rows.

    ``rejected`` counts every refused row, ``rejected_by`` the same rows by the check that
    refused them; ``truncated`` rows ran out of room before they finished.
    """

    rejected: int = 0
    truncated: int = 0
    rejected_by: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, int]:
        """Flat, for :attr:`ParaphraseResult.stats`: ``rejected_copy``, ``rejected_duplicate``, …"""
        flat = {key: value for key, value in asdict(self).items() if key != "rejected_by"}
        flat.update({f"rejected_{name}": count for name, count in self.rejected_by.items()})
        return flat


class _SentenceRequest(Request):
    """One sentence's decode request: runs its prompt, judges its rows, keeps its candidates.

    Its prompt is tokenized now (a sentence too long for the model is refused before any
    model work) and runs when :func:`~models.batch_decode.decode` first needs its rows.
    ``on_finish`` runs once when the request is done (its n candidates, or out of rounds).
    """

    def __init__(self, paraphraser: Paraphraser, request: ParaphraseRequest, started: float,
                 on_candidate: CandidateCallback | None, on_finish: Callable[[], None] | None) -> None:
        super().__init__()
        self.request = request
        self.source = Source(request.text, request.keep, paraphraser.max_words(request.text, request.mode),
                             omission_allowed=request.mode != STANDARD_MODE)
        self.plan = paraphraser._plan(request.text, request.mode, request.diversity)
        self.settings = paraphraser.sampling_settings(request.diversity)
        self.pipeline = paraphraser.pipeline
        #: Candidates accepted beyond n in the first round, for the ranking to choose from.
        self.extra = self.pipeline.extra(request.n)
        self.candidate_stats = SentenceStats(rejected_by={check.name: 0 for check in self.pipeline.checks})
        self.accepted: list[Candidate] = []
        self.first_ms: float | None = None
        self._paraphraser = paraphraser
        self._started = started
        self._on_candidate = on_candidate
        self._on_finish = on_finish

    @property
    def capacity(self) -> int:
        """KV positions its rows need."""
        return self.plan.capacity

    def start(self) -> Prompt:
        table = self._paraphraser._constraint_table()
        constraints = build_constraints(self.request.text, table, self.request.keep, self.source.facts)
        # Which numbers a row may write is the number constraint's to say, not the n-gram rule's.
        sampler = Sampler(self.settings, np.random.default_rng(self.request.seed), self.plan.source_ids,
                          constraints=constraints, ngram_exempt_ids=table.digit_ids)
        return self._paraphraser._run_prompt(self.plan, sampler)

    def wanted(self) -> int:
        """Candidates still missing, or 0 once a sentence with a card has had
        :data:`ROUNDS_WITH_A_CARD` rounds: later rounds add few cards for their time."""
        if self.accepted and self.stats.rounds >= ROUNDS_WITH_A_CARD:
            return 0
        return self.request.n - len(self.accepted)

    def spare(self, missing: int) -> int:
        """:func:`spare_rows`, plus the first round's extra candidates (the pipeline's
        oversampling); once a row broke a fact or lost the meaning, enough for the
        acceptance rate seen."""
        usual = spare_rows(missing)
        if self.stats.rounds == 0:  # the first round: nothing refused yet
            return usual + self.extra
        stats = self.candidate_stats
        if not any(stats.rejected_by.get(name) for name in SELECTIVE_CHECKS):
            return usual
        seen = len(self.accepted) + stats.rejected + stats.truncated
        rate = max(len(self.accepted) / seen, MIN_ACCEPT_RATE)
        first_round = self.request.n + spare_rows(self.request.n)
        rows = min(math.ceil(missing / rate), max(first_round, MAX_RETRY_ROWS))
        return max(usual, rows - missing)

    def before_round(self) -> None:
        """A later round after mostly copies and near-duplicates samples as if the slider
        stood :data:`RETRY_WARMER` further right (the prompt and its codes stay), on the full
        mapping: the bundle's slower Creative half would undo the escape.

        Student v2 copies short plain sentences: over seeds 0-7 at 0.5 (no scorer), "The
        last line is here." got 0 of 40 candidates, "The river was frozen." 8 of 40 (v1: 25
        and 29), the museum sentence at Faithful 0 of 40; with this, 40, 40 and 32 of 40.
        Also tried: +0.25 with the source's tokens penalised by 0.75 (40, 40, 26) and +0.25
        alone (35, 32, 10); the penalty pushes rows away from the source's names too, so the
        plain move was kept. A sentence with nothing to change still gets rows that drift
        (for "Birmingham is a city in Van Buren County, Iowa, United States." in Simpler, an
        invented second sentence): the meaning scorer is what stands between them and the
        writer. The opposite move, a cooler round after facts refusals, was tried and left
        out: on the 17 news sentences that fell short it gave 2.24 candidates per input at
        half the diversity and 2.12 at none, against 2.18. Asking the prompt again half the
        slider to the left (the change code too) after two rounds without a candidate gave
        the 11 held-out news sentences with none at Creative 20 candidates, of which about 5
        kept the meaning by eye ("P.S. 36" → "Please don't forget to mention P.S."): left out.
        """
        if self.prompt is None:
            return
        refused = self.candidate_stats.rejected_by
        repeats = refused.get("copy", 0) + refused.get("duplicate", 0)
        if repeats <= sum(refused.get(name, 0) for name in SELECTIVE_CHECKS):
            return
        self.prompt.sampler.settings = self._paraphraser.sampling_settings(
            min(1.0, self.request.diversity + RETRY_WARMER), creative_scale=False)

    def offer(self, token_ids: list[int], log_probs: list[float], finished: bool) -> bool:
        """Accept a finished row the pipeline passes; True once there are enough.

        Enough is n plus the pipeline's extra candidates in the first round, n in a later
        one (a later round only makes up for refused rows). When the first round's rows run
        out with at least n, the sentence is done without waiting for the extra ones.
        """
        if not finished:
            self.candidate_stats.truncated += 1
        else:
            text = self._paraphraser.tokenizer.decode(token_ids, skip_special_tokens=True).strip()
            if not self.source.omission_allowed:  # Standard: the writer's "However," goes back in front
                text = restore_link(self.source.text, text)
            score = mean_log_prob(log_probs)
            verdict = self.pipeline.judge(text, self.source, self.accepted, score)
            if verdict.refused_by is None:
                self._accept(Candidate(text, score, self.source.protected,
                                       verdict.confidence, verdict.reason, verdict.left_out))
            else:
                self.candidate_stats.rejected += 1
                self.candidate_stats.rejected_by[verdict.refused_by.name] += 1  # every check's name is a key
        enough = self.request.n + (self.extra if self.stats.rounds <= 1 else 0)
        return len(self.accepted) >= enough

    def finish(self) -> None:
        was_done = self.done
        super().finish()
        if not was_done and self._on_finish is not None:
            self._on_finish()

    def ranked(self) -> list[Candidate]:
        """The best n of the accepted candidates, in the pipeline's order."""
        return self.pipeline.rank(self.accepted, self.source)[:self.request.n]

    def stats_dict(self) -> dict[str, int]:
        """Counters; ``ranked_out``: accepted candidates the ranking left out (oversampling)."""
        returned = min(len(self.accepted), self.request.n)
        return {**self.stats.as_dict(), **self.candidate_stats.as_dict(), "requested": self.request.n,
                "returned": returned, "ranked_out": len(self.accepted) - returned}

    def _accept(self, candidate: Candidate) -> None:
        """Keep ``candidate``; the first n are streamed as they pass (the extra ones only
        compete in :meth:`ranked`, so a writer never sees more than n cards)."""
        self.accepted.append(candidate)
        if self.first_ms is None:
            self.first_ms = (time.perf_counter() - self._started) * 1000
        if self._on_candidate is not None and len(self.accepted) <= self.request.n:
            self._on_candidate(candidate)


def _summed(stats: list[dict[str, int]]) -> dict[str, int]:
    """A paragraph's counters: each sentence's, added up."""
    total: dict[str, int] = {}
    for one in stats:
        for key, value in one.items():
            total[key] = total.get(key, 0) + value
    return total


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


def _compose(per_segment: list[list[Candidate]], segments: list[Segment], n: int,
             on_candidate: CandidateCallback | None, *, scored: set[int]) -> list[Candidate]:
    """Up to n distinct paragraphs: the k-th takes each sentence's k-th best candidate.

    A paragraph's score is the mean over the ``scored`` segments (those sent to the model);
    its confidence is its least confident sentence's (an upper bound on the chance that all
    of them keep their meaning), with that sentence's reason; None without a scorer.
    """
    composed: list[Candidate] = []
    for k in range(n):
        picks = [options[k % len(options)] for options in per_segment]
        paragraph = join_segments([c.text for c in picks], segments).strip()
        scores = [c.score for i, c in enumerate(picks) if i in scored]
        if any(c.text == paragraph for c in composed):
            continue
        kept = tuple(dict.fromkeys(text for c in picks for text in c.kept))
        # a sentence kept as written (no candidate passed) has no confidence and loses nothing
        rated = [c for i, c in enumerate(picks) if i in scored and c.confidence is not None]
        weakest = min(rated, key=lambda c: c.confidence) if rated else None  # type: ignore[arg-type, return-value]
        counted = [c.left_out for c in picks if c.left_out is not None]
        left_out = tuple(dict.fromkeys(word for words in counted for word in words)) if counted else None
        composed.append(Candidate(paragraph, float(np.mean(scores)) if scores else 0.0, kept,
                                  weakest.confidence if weakest else None, weakest.reason if weakest else "",
                                  left_out))
        if on_candidate is not None:
            on_candidate(composed[-1])
    return composed


def _long_sentence_hint(text: str) -> str:
    """What a short result's note adds when ``text`` has a long sentence (:data:`LONG_SENTENCE_WORDS`):
    a writer can split it, and the student keeps the details of shorter sentences far more often."""
    lengths = [word_count(segment.text) for segment in split_sentences(text) if segment.has_words]
    longest = max(lengths, default=0)
    if longest < LONG_SENTENCE_WORDS:
        return ""
    which = "this sentence" if len(lengths) == 1 else "the longest sentence"
    return f". Long sentences often lose a detail: splitting {which} ({longest} words) in two usually helps"


def _max_new_tokens(source_tokens: int) -> int:
    """Room for a paraphrase: twice the source plus a little, never more than the cap."""
    return min(MAX_NEW_TOKENS, 2 * source_tokens + 12)


def spare_rows(n: int) -> int:
    """Rows sampled beyond the n wanted: the first n acceptable candidates to finish win.

    A spare row absorbs a duplicate or a copy without a second round (which would cost
    another full decode), and stops the batch from waiting on its single longest, usually
    rambling, row. One spare per four candidates, at least one.
    """
    return max(1, n // 4)



def _scorer(scorer: Scorer | None | str, threads: int | None) -> Scorer | None:
    """``scorer=`` as given: ``"default"`` loads the app's (None when it is not built)."""
    if isinstance(scorer, str):
        if scorer != DEFAULT_SCORER:
            raise ValueError(f"scorer must be a scorer object, None or {DEFAULT_SCORER!r}, got {scorer!r}")
        return default_scorer(threads)
    return scorer


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


def _check_keep(text: str, keep: Sequence[str]) -> None:
    """Each frozen phrase must be a phrase of ``text``: a typo would protect nothing, silently."""
    missing = missing_keeps(text, keep)
    if not missing:
        return
    phrase = missing[0]
    if not phrase.strip():
        raise InputError("A phrase to keep is empty.")
    raise InputError(f"The phrase to keep \u201c{phrase}\u201d is not in the text.")


def _rewordable(segment: str, keep: Sequence[str]) -> bool:
    """Whether a segment has a word a paraphrase may change (:attr:`SourceFacts.rewordable`).

    A heading, a label or a code with none ("Q3 2024", "42", "iPhone 15", "Paris"; "Chapter 3"
    has one) gets no decode: whatever the student writes around it is made up ("42 years.",
    "The quarter for Q3 2024."). The segment is parsed again by its job; a parse costs about 2 ms
    a news sentence (500 of them, this host), nothing beside the decode.
    """
    return SourceFacts(check_input(segment, english=False).strip(), keep).rewordable


def _check_keep_within_sentences(sentences: Sequence[str], keep: Sequence[str]) -> None:
    """Protection works per sentence, so a phrase must lie inside one of them."""
    for phrase in keep:
        if all(missing_keeps(sentence, [phrase]) for sentence in sentences):
            raise InputError(f"The phrase to keep \u201c{phrase}\u201d spans two sentences; "
                             "keep each part on its own.")


def _check_n(n: int) -> None:
    if not 1 <= int(n) <= MAX_CANDIDATES:
        raise InputError(f"The number of paraphrases must be between 1 and {MAX_CANDIDATES}.")
