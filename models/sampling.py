"""Decoding settings and the sampler.

The diversity slider is one number in [0, 1]; this module is the only place that turns it
into decoding settings, so the mapping is documented once:

=========  ===========  =====  =====  ==========  ============
diversity  temperature  top-k  top-p  rep. pen.   copy penalty
=========  ===========  =====  =====  ==========  ============
0.0        0.50         10     0.80   1.10        0.0
0.5        0.80         35     0.89   1.15        0.75
1.0        1.10         60     0.98   1.20        1.5
=========  ===========  =====  =====  ==========  ============

The copy penalty column is scaled by the bundle's ``copy_penalty_scale`` (1 for the
few-shot base, 0 for distilled students, which rephrase without it). A bundle's
``creative_sampling_scale`` moves the sampler more slowly right of the default (0.5): student
v2 declares 0.2, so its Creative end (1.0) samples as 0.6 does here (temperature 0.86, top-k
40, top-p 0.91) while its change code still asks for a bigger rewrite.

*Faithful* (0) keeps sampling close to the model's most likely wording; *creative* (1)
flattens the distribution and lowers the logits of tokens that appear in the source
sentence (``copy penalty``), which is what pushes a paraphrase away from the source's words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .constraints import TokenConstraint, apply_constraints


@dataclass(frozen=True)
class DecodingSettings:
    temperature: float
    top_k: int
    top_p: float
    repetition_penalty: float
    copy_penalty: float
    no_repeat_ngram: int = 3


#: The slider's default: ``creative_scale`` slows the sampler only to its right.
DEFAULT_DIVERSITY = 0.5


def settings_for_diversity(diversity: float, copy_penalty_scale: float = 1.0,
                           sampling_scale: float = 1.0, creative_scale: float = 1.0) -> DecodingSettings:
    """Map the slider value to decoding settings (see the module docstring).

    ``copy_penalty_scale`` comes from the bundle (``prompt.extra``): the few-shot base needs
    the copy penalty to stop echoing its input, while a distilled student has learnt to
    rephrase and loses adequacy under it (dev good rate 0.409 with it, 0.532 without), so
    student recipes declare 0.

    ``creative_scale`` (the bundle's ``creative_sampling_scale``, clamped to [0, 1]) is how
    fast the sampler moves right of :data:`DEFAULT_DIVERSITY`; the default and everything left
    of it sample as before. Student v2 at full speed wrote cards of which 4 of 60 kept every
    detail at Creative, read by eye on held-out news (a third did at the default); at 0.2,
    6 of 40, with 4.58 candidates per input instead of 4.01 and set diversity 0.62 instead of
    0.79 (the default: 0.54). At 0.35 the Creative end was less diverse than the default.
    """
    if not 0.0 <= float(diversity) <= 1.0:
        raise ValueError(f"diversity must be between 0 and 1, got {diversity}")
    slider = float(diversity)
    if slider > DEFAULT_DIVERSITY:
        slider = DEFAULT_DIVERSITY + (slider - DEFAULT_DIVERSITY) * min(1.0, max(0.0, float(creative_scale)))
    # A controlled student's codes ask for the change; its bundle may move the sampler less
    # (``sampling_diversity_scale``, clamped to [0, 1]): the slider's value is checked first.
    d = slider * min(1.0, max(0.0, float(sampling_scale)))
    return DecodingSettings(
        temperature=0.5 + 0.6 * d,
        top_k=int(round(10 + 50 * d)),
        top_p=0.80 + 0.18 * d,
        repetition_penalty=1.10 + 0.10 * d,
        copy_penalty=1.5 * d * max(0.0, float(copy_penalty_scale)),
    )


class Sampler:
    """Samples one token per row; vectorised where it matters (vocabulary-wide work).

    Top-k uses ``argpartition`` (linear in the vocabulary) and only the k survivors are
    sorted for top-p: a full sort of 49k logits per row per step is what made naive
    samplers slow.

    ``constraints`` (:mod:`models.constraints`: the source's numbers and their units, frozen
    phrases) limit each row's next token after the penalties and before top-k; without them
    the output is exactly that of an unconstrained sampler. Scores stay those of the
    unmodified model.

    ``ngram_exempt_ids``: tokens the no-repeat n-gram rule never bans: the digit tokens, when
    the number constraint decides which numbers may be written. A tokenizer that writes one
    digit per token (SmolLM2's) spells "1952 and 1953" as " 1 9 5 2 and 1 9 5 3", so the
    second year repeats the trigram " 1 9" and the rule banned its "9": of 77 rows student v2
    wrote for "The first driver to win multiple Championships was Alberto Ascari, in 1952
    and 1953.", none kept 1953 ("in 1952 and 1-year later"), and every one was refused.
    """

    def __init__(self, settings: DecodingSettings, rng: np.random.Generator,
                 source_token_ids: np.ndarray | None = None,
                 constraints: Sequence[TokenConstraint] = (),
                 ngram_exempt_ids: np.ndarray | None = None) -> None:
        self.settings = settings
        self.rng = rng
        self.ngram_exempt = frozenset(int(i) for i in ngram_exempt_ids) if ngram_exempt_ids is not None \
            else frozenset()
        ids = np.unique(source_token_ids) if source_token_ids is not None else np.empty(0, np.int64)
        self.source_token_ids = ids.astype(np.int64)
        self.constraints = tuple(constraints)

    def sample(self, logits: np.ndarray, histories: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Return (token ids [R], log-probabilities [R] under the unmodified model)."""
        logits = np.asarray(logits, dtype=np.float32)
        rows, vocab = logits.shape
        work = logits.copy()
        s = self.settings
        if s.copy_penalty > 0 and self.source_token_ids.size:
            work[:, self.source_token_ids] -= s.copy_penalty
        for r, history in enumerate(histories):
            if history:
                _apply_repetition_penalty(work[r], history, s.repetition_penalty)
                for banned in _ngram_bans(history, s.no_repeat_ngram):
                    if banned not in self.ngram_exempt:
                        work[r, banned] = -np.inf
        limited: dict[int, np.ndarray] = {}  # rows a constraint limits to a few tokens
        if self.constraints:
            for r, history in enumerate(histories):
                allowed = apply_constraints(self.constraints, history, work[r], logits[r])
                if allowed is not None:
                    limited[r] = allowed
        k = max(1, min(s.top_k, vocab))
        top = _top_k_indices(work, k, limited)
        top_logits = np.take_along_axis(work, top, axis=1) / max(s.temperature, 1e-5)
        order = np.argsort(-top_logits, axis=1)
        top = np.take_along_axis(top, order, axis=1)
        top_logits = np.take_along_axis(top_logits, order, axis=1)
        probs = np.exp(top_logits - top_logits[:, :1])
        probs /= probs.sum(axis=1, keepdims=True)
        cumulative = np.cumsum(probs, axis=1)
        keep = cumulative - probs < s.top_p  # always keeps the first token
        probs = np.where(keep, probs, 0.0)
        probs /= probs.sum(axis=1, keepdims=True)
        picks = np.array([self.rng.choice(k, p=probs[r]) for r in range(rows)])
        tokens = top[np.arange(rows), picks]
        scores = _token_log_probs(logits, tokens)
        return tokens.astype(np.int64), scores


#: Logits this far below a row's maximum are candidates for its top-k in the first pass.
_TOP_K_WINDOW = 8.0


def _top_k_indices(work: np.ndarray, k: int, limited: Mapping[int, np.ndarray] | None = None) -> np.ndarray:
    """Indices of each row's ``k`` largest values (unordered), [rows, k].

    ``argpartition`` over the whole vocabulary cost 0.5 ms of the sampler's 1.3 ms per
    6-row step. Almost always fewer than a few hundred logits lie within a few units of
    the row's maximum, so rows are thresholded first (two vectorised passes) and only
    those candidates are partitioned; the window widens until it holds ``k`` values, so
    the result is exactly the top-k. A row in ``limited`` has finite values only at the
    given ids (a decoding constraint): its candidates are those, padded with -inf entries
    (the widening window would take dozens of passes to reach them).
    """
    rows, vocab = work.shape
    if k >= vocab:
        return np.tile(np.arange(vocab), (rows, 1))
    out = np.empty((rows, k), dtype=np.int64)
    peaks = work.max(axis=1)
    for r in range(rows):
        row = work[r]
        if limited and r in limited:
            out[r] = _top_k_of_few(row, limited[r], k)
            continue
        window = _TOP_K_WINDOW
        while True:
            candidates = np.flatnonzero(row >= peaks[r] - window)
            if len(candidates) >= k or not np.isfinite(peaks[r] - window):
                break
            window *= 4
        if len(candidates) < k:  # fewer than k finite values: fall back to the full row
            candidates = np.arange(vocab)
        chosen = np.argpartition(-row[candidates], k - 1)[:k]
        out[r] = candidates[chosen]
    return out


def _top_k_of_few(row: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """The top-k of a row whose only finite values are at ``ids`` (padded with other ids)."""
    if len(ids) >= k:
        return ids[np.argpartition(-row[ids], k - 1)[:k]]
    pad = np.setdiff1d(np.arange(min(len(row), len(ids) + k)), ids, assume_unique=True)
    return np.concatenate([ids, pad[:k - len(ids)]])


def _token_log_probs(logits: np.ndarray, tokens: np.ndarray) -> np.ndarray:
    maxes = logits.max(axis=1)
    lse = maxes + np.log(np.exp(logits - maxes[:, None]).sum(axis=1))
    return logits[np.arange(len(tokens)), tokens] - lse


def _apply_repetition_penalty(row: np.ndarray, history: list[int], penalty: float) -> None:
    if penalty == 1.0:
        return
    ids = np.unique(np.asarray(history, dtype=np.int64))
    values = row[ids]
    row[ids] = np.where(values > 0, values / penalty, values * penalty)


def _ngram_bans(history: list[int], n: int) -> list[int]:
    """Tokens that would repeat an n-gram already generated in this row."""
    if n <= 1 or len(history) < n:
        return []
    prefix = tuple(history[-(n - 1):])
    return [history[i + n - 1] for i in range(len(history) - n + 1)
            if tuple(history[i:i + n - 1]) == prefix]
