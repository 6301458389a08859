"""G2R-DM-MI teacher scores from the generator itself, for distilling the meaning scorer.

For a source ``s`` and a candidate ``c`` the student bundle (the ONNX runtime, exactly as
the app runs it) gives three log-probabilities:

* ``fwd``   = log P(c | s): the prompt rendered from ``s``, then ``c``'s tokens and the
  stop token teacher-forced;
* ``rev``   = log P(s | c): the prompt rendered from ``c``, then ``s``'s tokens and stop;
* ``prior`` = log P(s): ``s``'s tokens and stop after the template's fixed prefix
  (``"Sentence:"``), i.e. the source as the prompt itself presents it.

The MI score is ``fwd + rev - prior``: a candidate the generator would write for ``s`` and
from which it would write ``s`` back, beyond how likely ``s`` is anyway. Sums and token
counts are kept so the trainer can choose a length normalisation.

Prompts are rendered the bundle's own way (:meth:`models.prompt.PromptFormat.render`): a
controlled student (v2) reads its mode's and the slider's codes in every prompt, as the app
prompts it (standard mode, diversity 0.5 unless asked otherwise); an uncontrolled one (v1)
gets its bare template. Filling only ``{text}`` left a literal ``{controls}`` in a v2 prompt,
so the figures were not the generator's.

Tokens are those the runtime and the training use: a target is ``" " + text`` followed by
the newline the student learnt to end a paraphrase with (:mod:`distill.prompt_format`;
the generator stops on it), text cleaned like the runtime's input (:func:`models.text.clean_text`),
prompts tokenized whole and prefilled after the cached template prefix as
:meth:`models.Paraphraser._run_prompt` does. The graph returns only the last position's
logits, so teacher forcing runs step by step: every prompt runs on one row (the source's
once), and the 2k+1 rows of a group (k fwd rows copied from the source's prompt, k rev
rows, one prior row) are joined into one batch by :class:`models.batch_decode.RowPool`,
which takes prompts of different lengths (the cache keeps a length per row). Every step
feeds each row its next forced token. Rows are sorted longest target first, so a finished
row is always at the end and leaves the batch without moving the others
(:meth:`KVCache.keep_rows`). Log-softmax is taken in float64 on the float32 logits.

CLI (resumable: groups already in ``--out`` are skipped; one line appended and flushed per
group)::

    python -m distill.mi_teacher --in GROUPS.jsonl --out SCORES.jsonl [--bundle NAME]
                                 [--mode MODE] [--diversity D] [--threads N] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.batch_decode import RowPool
from models.controls import STANDARD_MODE
from models.onnx_decoder import KVCache, OnnxDecoder
from models.prompt import PromptFormat
from models.text import clean_text

from .prompt_format import TARGET_PREFIX, TARGET_SUFFIX

log = logging.getLogger(__name__)

__all__ = ["MIScore", "MITeacher", "main", "mi_scores"]

#: Rows teacher-forced together: the 2k+1 rows of a group of 10 candidates in one batch
#: (one step of 21 rows cost 75 ms against 62 + 48 ms for 10 and 11 rows, 1 thread, busy 2-core box).
MAX_ROWS = 32
#: KV cache one batch may hold (float32, all layers): 21 rows at 60 positions is ~58 MB.
MAX_KV_BYTES = 512 * 2**20
#: The slider value prompts are rendered at: the app's default (a controlled student's
#: change code depends on it; an uncontrolled one ignores it).
DEFAULT_DIVERSITY = 0.5


@dataclass(frozen=True)
class MIScore:
    """One candidate's teacher figures; every ``*_tokens`` count includes the stop token."""

    fwd_sum: float
    fwd_tokens: int
    rev_sum: float
    rev_tokens: int
    prior_sum: float
    prior_tokens: int

    @property
    def mi(self) -> float:
        """G2R-DM-MI: log P(c|s) + log P(s|c) - log P(s)."""
        return self.fwd_sum + self.rev_sum - self.prior_sum

    def to_dict(self) -> dict[str, float | int]:
        return {**asdict(self), "mi": self.mi}


@dataclass
class _Start:
    """A one-row cache after a prompt ran, and its next-token logits [V] (a copy)."""

    cache: KVCache
    logits: np.ndarray


class MITeacher:
    """Scores (source, candidates) groups with one bundle's decoder, tokenizer and prompt.

    :meth:`load` reads a bundle; :meth:`from_paraphraser` shares a loaded
    :class:`models.Paraphraser`'s session and tokenizer, so the figures are what that very
    generator assigns. ``prompt`` is the bundle's :class:`~models.prompt.PromptFormat`;
    ``mode`` and ``diversity`` choose a controlled student's codes (see the module
    docstring). Keeps the template prefix's cache. Not thread-safe (one decoder).
    """

    def __init__(self, decoder: OnnxDecoder, tokenizer: Any, prompt: PromptFormat, *,
                 mode: str = STANDARD_MODE, diversity: float = DEFAULT_DIVERSITY,
                 max_positions: int | None = None, max_rows: int = MAX_ROWS) -> None:
        if not isinstance(prompt, PromptFormat):
            raise TypeError("MITeacher needs the bundle's PromptFormat (manifest.prompt), not a bare template")
        if mode not in prompt.modes:
            raise ValueError(f"the bundle has no mode {mode!r}; its modes: {', '.join(prompt.modes)}")
        if isinstance(diversity, bool) or not isinstance(diversity, (int, float)) or not 0.0 <= diversity <= 1.0:
            raise ValueError(f"diversity must be between 0 and 1, got {diversity!r}")
        self.decoder = decoder
        self.tokenizer = tokenizer
        self.prompt = prompt
        self.template = prompt.template
        self.mode = mode
        self.diversity = float(diversity)
        #: The mode update's weight this mode decodes with (models.controls), as the runtime's.
        self.update = prompt.update_weight(mode)
        self.max_rows = max(1, int(max_rows))
        self.max_positions = max_positions or decoder.geometry.max_positions
        stop = tokenizer.encode(TARGET_SUFFIX, add_special_tokens=False).ids
        if len(stop) != 1 or stop[0] not in set(prompt.stop_token_ids):
            raise ValueError(f"the bundle does not stop on {TARGET_SUFFIX!r} as one token: it is not a "
                             "distilled student's bundle, whose candidates end with it")
        self.stop_id = int(stop[0])
        # As the runtime: the text before {text}, without a trailing space (it would merge
        # into the sentence's first token in the full prompt). For both templates it is
        # "Sentence:", before any codes, so the prior log P(s) is code-free either way.
        self.prefix_ids: list[int] = tokenizer.encode(self.template.split("{text}", 1)[0].rstrip(" "),
                                                      add_special_tokens=False).ids
        if not self.prefix_ids:
            raise ValueError("the prompt template has no text before {text}: the prior log P(s) needs a context")
        self._prefix: _Start | None = None

    @classmethod
    def from_paraphraser(cls, paraphraser: Any, *, mode: str = STANDARD_MODE,
                         diversity: float = DEFAULT_DIVERSITY) -> MITeacher:
        """The teacher of a loaded :class:`models.Paraphraser` (same session, tokenizer and prompt)."""
        return cls(paraphraser.decoder, paraphraser.tokenizer, paraphraser.prompt, mode=mode, diversity=diversity,
                   max_positions=paraphraser.manifest.geometry.max_positions)

    @classmethod
    def load(cls, bundle: str | Path | None = None, *, threads: int | None = None, mode: str = STANDARD_MODE,
             diversity: float = DEFAULT_DIVERSITY) -> MITeacher:
        """Load a bundle by name or folder (the default student when None); verifies its files.

        Only what scoring needs (tokenizer, decoder, prompt): not a whole Paraphraser, which
        would also load the app's meaning scorer, the model these scores teach.
        """
        from models.bundle import load_manifest, load_tokenizer
        from models.catalog import rebuild_command, resolve_bundle
        from models.errors import BundleError

        folder = resolve_bundle(bundle)
        manifest = load_manifest(folder, verify=True)
        try:
            tokenizer = load_tokenizer(folder / manifest.tokenizer_file)
            decoder = OnnxDecoder(folder / manifest.model_file, manifest.geometry, threads=threads)
        except Exception as exc:  # onnxruntime / tokenizers raise many types on bad files
            raise BundleError(f"Model bundle '{manifest.name}' could not be loaded: {exc}", bundle=manifest.name,
                              rebuild_command=rebuild_command(manifest.name, folder)) from exc
        log.info("MI teacher: bundle %s (%s), mode %s, diversity %.2f, threads=%s", manifest.name, folder, mode,
                 diversity, threads)
        return cls(decoder, tokenizer, manifest.prompt, mode=mode, diversity=diversity,
                   max_positions=manifest.geometry.max_positions)

    # -- scoring ------------------------------------------------------------------------

    def score(self, source: str, candidates: Sequence[str]) -> list[MIScore]:
        """One :class:`MIScore` per candidate, in order.

        Raises ValueError for an empty source or text too long for the model.
        """
        if isinstance(candidates, str) or not all(isinstance(c, str) for c in candidates):
            raise ValueError("candidates must be a list of strings")
        if not isinstance(source, str) or not clean_text(source).strip():
            raise ValueError("the source is empty")
        src = clean_text(source).strip()
        cands = [clean_text(c).strip() for c in candidates]
        if not cands:
            return []
        src_target = self._target(src)
        cand_targets = [self._target(c) for c in cands]
        k = len(cands)
        # fwd: the source's prompt once, fanned out to one row per candidate; rev: every
        # candidate's prompt forcing the source; prior: the bare prefix forcing the source.
        # One batch for all 2k+1 rows: a step costs far less per row with more rows.
        src_start = self._prefill(self._prompt_ids(src), max(map(len, cand_targets)))
        rev_starts = [self._prefill(self._prompt_ids(c), len(src_target)) for c in cands]
        sums = self._force([src_start] * k + rev_starts + [self._prefix_start()],
                           cand_targets + [src_target] * (k + 1))
        fwd, rev, prior = sums[:k], sums[k:2 * k], sums[2 * k]
        return [MIScore(fwd_sum=f, fwd_tokens=len(t), rev_sum=r, rev_tokens=len(src_target),
                        prior_sum=prior, prior_tokens=len(src_target))
                for f, t, r in zip(fwd, cand_targets, rev)]

    def _target(self, text: str) -> list[int]:
        """A continuation as the student was trained to write it: " text", then the newline."""
        ids = self.tokenizer.encode(TARGET_PREFIX + text, add_special_tokens=False).ids if text else []
        return [*ids, self.stop_id]

    def _prompt_ids(self, text: str) -> list[int]:
        """The prompt for ``text`` exactly as :meth:`models.Paraphraser._plan` tokenizes it."""
        return self.tokenizer.encode(self.prompt.render(text, self.mode, self.diversity),
                                     add_special_tokens=False).ids

    def _prefix_start(self) -> _Start:
        """The template's fixed prefix, run once: the prompt cache's start and the prior's context."""
        if self._prefix is None:
            cache = self.decoder.new_cache(1, len(self.prefix_ids), update=self.update)
            logits = self.decoder.forward(np.array([self.prefix_ids], dtype=np.int64), cache)
            self._prefix = _Start(cache, logits[0].copy())
        return self._prefix

    def _prefill(self, prompt_ids: list[int], room: int) -> _Start:
        """Run a prompt on one row (after the cached prefix when it matches, as the runtime)."""
        if len(prompt_ids) + room > self.max_positions:
            raise ValueError(f"the text is too long for this model ({len(prompt_ids) + room} positions, "
                             f"at most {self.max_positions})")
        prefix = self._prefix_start()
        n = len(self.prefix_ids)
        if prompt_ids[:n] == self.prefix_ids and len(prompt_ids) > n:
            rest, cache = prompt_ids[n:], prefix.cache.with_capacity(len(prompt_ids) + room)
        else:  # the text changed how the prefix tokenizes: run the whole prompt
            rest, cache = prompt_ids, self.decoder.new_cache(1, len(prompt_ids) + room, update=self.update)
        logits = self.decoder.forward(np.array([rest], dtype=np.int64), cache)
        return _Start(cache, logits[0].copy())

    def _force(self, starts: Sequence[_Start], targets: Sequence[list[int]]) -> list[float]:
        """Sum of log P(target | start) per row, teacher-forced.

        Rows are batched ``max_rows`` at a time, fewer when their cache would pass
        ``MAX_KV_BYTES`` (very long sentences).
        """
        sums = [0.0] * len(targets)
        order = sorted(range(len(targets)), key=lambda r: -len(targets[r]))  # longest first
        capacity = max(s.cache.longest for s in starts) + max(len(t) for t in targets)
        per_row = starts[0].cache.position_bytes * capacity
        size = max(1, min(self.max_rows, MAX_KV_BYTES // per_row))
        for begin in range(0, len(order), size):
            chunk = order[begin:begin + size]
            for r, value in zip(chunk, self._force_rows([starts[r] for r in chunk], [targets[r] for r in chunk])):
                sums[r] = value
        return sums

    def _force_rows(self, starts: list[_Start], targets: list[list[int]]) -> list[float]:
        """One batch; ``targets`` sorted longest first, each at least one token."""
        lengths = np.array([len(t) for t in targets], dtype=np.int64)
        longest = int(lengths[0])
        padded = np.zeros((len(targets), longest), dtype=np.int64)
        for r, t in enumerate(targets):
            padded[r, :len(t)] = t
        capacity = max(s.cache.longest for s in starts) + longest
        cache = RowPool(len(starts), capacity).join(None, _runs(starts))
        logits: np.ndarray = np.stack([s.logits for s in starts])
        sums = np.zeros(len(targets), dtype=np.float64)
        for step in range(longest):
            live = int(np.count_nonzero(lengths > step))  # the first `live` rows (longest first)
            sums[:live] += _log_probs(logits[:live], padded[:live, step])
            going = int(np.count_nonzero(lengths > step + 1))
            if not going:
                break
            if going < cache.rows:  # finished rows are the last ones: nothing moves
                cache = cache.keep_rows(np.arange(going))
            logits = self.decoder.forward(padded[:going, step:step + 1], cache)
        return [float(v) for v in sums]


def _runs(starts: list[_Start]) -> list[tuple[KVCache, int]]:
    """Consecutive rows of one start cache as (cache, count), what :meth:`RowPool.join` takes."""
    runs: list[tuple[KVCache, int]] = []
    for start in starts:
        if runs and runs[-1][0] is start.cache:
            runs[-1] = (start.cache, runs[-1][1] + 1)
        else:
            runs.append((start.cache, 1))
    return runs


def _log_probs(logits: np.ndarray, tokens: np.ndarray) -> np.ndarray:
    """log_softmax(logits)[r, tokens[r]] in float64."""
    x = np.asarray(logits, dtype=np.float64)
    peak = x.max(axis=1)
    lse = peak + np.log(np.exp(x - peak[:, None]).sum(axis=1))
    return x[np.arange(len(tokens)), tokens] - lse


def mi_scores(decoder_or_paraphraser: Any, source: str, candidates: Sequence[str]) -> list[MIScore]:
    """MI teacher figures of each candidate of ``source`` (see the module docstring).

    Takes an :class:`MITeacher` or a loaded :class:`models.Paraphraser` (a teacher is made
    for it and kept on it, so the template prefix runs once per paraphraser).
    """
    if isinstance(decoder_or_paraphraser, MITeacher):
        teacher = decoder_or_paraphraser
    elif hasattr(decoder_or_paraphraser, "tokenizer") and hasattr(decoder_or_paraphraser, "decoder"):
        teacher = getattr(decoder_or_paraphraser, "_mi_teacher", None)
        if teacher is None:
            teacher = MITeacher.from_paraphraser(decoder_or_paraphraser)
            decoder_or_paraphraser._mi_teacher = teacher
    else:
        raise TypeError("mi_scores needs an MITeacher or a models.Paraphraser (a bare decoder has no tokenizer)")
    return teacher.score(source, candidates)


# -- CLI ----------------------------------------------------------------------------------


class GroupsError(ValueError):
    """A line of the groups file is not a group; the message names the line."""


def _read_groups(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GroupsError(f"{path}:{number}: not JSON ({exc.msg})") from None
            if not isinstance(obj, dict) or not isinstance(obj.get("source"), str) \
                    or not isinstance(obj.get("candidates"), list) \
                    or not all(isinstance(c, str) for c in obj["candidates"]):
                raise GroupsError(f"{path}:{number}: needs \"source\" (a string) and "
                                  "\"candidates\" (a list of strings)")
            yield number, obj


def _key(obj: dict[str, Any]) -> str:
    """What identifies a group already scored: its source and candidates."""
    return json.dumps([obj.get("source"), obj.get("candidates")], ensure_ascii=False)


def _done_keys(out: Path) -> set[str]:
    """Groups already in ``out``; a torn last line (a killed run) is cut off first."""
    if not out.exists():
        return set()
    data = out.read_bytes()
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
        log.warning("%s ends in a partial line (an interrupted run): cutting %d bytes", out, len(data) - keep)
        with out.open("r+b") as handle:
            handle.truncate(keep)
        data = data[:keep]
    done: set[str] = set()
    for number, line in enumerate(data.decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            raise GroupsError(f"{out}:{number}: not JSON; fix or move the output file before resuming") from None
        if isinstance(obj, dict):
            done.add(_key(obj))
    return done


def run(groups: Path, out: Path, *, bundle: str | None = None, threads: int | None = None,
        limit: int | None = None, progress: bool = True, mode: str = STANDARD_MODE,
        diversity: float = DEFAULT_DIVERSITY) -> dict[str, int]:
    """Score every group of ``groups`` (the first ``limit``) not yet in ``out``; returns counts.

    ``mode`` and ``diversity`` choose a controlled student's codes; a resumed run should
    use the ones the file was started with (the groups already there are not re-scored).
    """
    from tqdm.auto import tqdm

    items = list(_read_groups(groups))  # validates the whole file before any model work
    if limit is not None:
        items = items[:limit]
    done = _done_keys(out)
    todo = [(number, obj) for number, obj in items if _key(obj) not in done]
    counts = {"groups": len(items), "skipped": len(items) - len(todo), "scored": 0, "failed": 0}
    if not todo:
        log.info("nothing to do: all %d groups are in %s", len(items), out)
        return counts
    teacher = MITeacher.load(bundle, threads=threads, mode=mode, diversity=diversity)
    log.info("scoring %d groups (%d already in %s)", len(todo), counts["skipped"], out)
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with out.open("a", encoding="utf-8") as handle, \
            tqdm(total=len(items), initial=counts["skipped"], unit="group", desc="mi teacher",
                 disable=not progress, dynamic_ncols=True) as bar:
        for number, obj in todo:
            key = _key(obj)
            if key in done:  # the same group twice in the input
                counts["skipped"] += 1
                bar.update(1)
                continue
            try:
                scores = teacher.score(obj["source"], obj["candidates"])
            except ValueError as exc:
                log.warning("%s:%d skipped: %s", groups, number, exc)
                counts["failed"] += 1
                bar.update(1)
                continue
            handle.write(json.dumps({**obj, "mi": [s.to_dict() for s in scores]}, ensure_ascii=False) + "\n")
            handle.flush()
            done.add(key)
            counts["scored"] += 1
            bar.update(1)
    elapsed = time.perf_counter() - started
    log.info("scored %d groups in %.0f s (%.2f s/group); %d failed", counts["scored"], elapsed,
             elapsed / max(1, counts["scored"]), counts["failed"])
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m distill.mi_teacher",
                                     description="G2R-DM-MI teacher scores (fwd + rev - prior) from a student bundle.")
    parser.add_argument("--in", dest="groups", type=Path, required=True,
                        help="JSONL: {\"source\": str, \"candidates\": [str, ...], ...} per line")
    parser.add_argument("--out", type=Path, required=True,
                        help="JSONL: each group plus \"mi\" (appended; groups already there are skipped)")
    parser.add_argument("--bundle", default=None, help="bundle name or folder (default: the default student)")
    parser.add_argument("--mode", default=STANDARD_MODE,
                        help="the mode whose codes a controlled student's prompts carry (default standard)")
    parser.add_argument("--diversity", type=float, default=DEFAULT_DIVERSITY,
                        help=f"the slider value whose change code they carry (default {DEFAULT_DIVERSITY})")
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime threads (default: all cores)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N groups of --in")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from models.threads import threads_error

    if (message := threads_error(args.threads)) is not None:
        parser.error(message)
    if args.limit is not None and args.limit < 0:
        parser.error("--limit must be 0 or more")
    if not 0.0 <= args.diversity <= 1.0:
        parser.error("--diversity must be between 0 and 1")
    if not args.groups.is_file():
        parser.error(f"--in {args.groups}: no such file")
    from models.errors import ParaphraseStudioError

    try:
        counts = run(args.groups, args.out, bundle=args.bundle, threads=args.threads, limit=args.limit,
                     progress=not args.no_progress, mode=args.mode, diversity=args.diversity)
    except (ValueError, ParaphraseStudioError) as exc:  # a bad groups line, a mode the bundle lacks
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
