"""Batch job: k teacher paraphrases per source sentence, into append-only JSONL.

This is how a user distils their own domain: point it at any OpenAI-compatible server
(llama.cpp, vLLM, Ollama, a hosted API) and a file of their sentences. The job is meant to
run for hours against flaky servers, so:

* every finished source is one JSONL line, flushed and fsynced at once: a crash loses at
  most the requests in flight;
* a rerun skips every source already in the output (matched by :func:`source_id`, a hash
  of the text) and cuts off a half-written last line first; sources recorded as failed are
  tried again unless ``retry_failed=False``;
* connection errors, timeouts, HTTP 429 and 5xx are retried with exponential backoff and
  full jitter (or the server's ``Retry-After``, if longer); a source that still fails after
  ``attempts`` tries is written as ``"status": "failed"`` and the batch goes on;
* the batch stops early only when going on is pointless: a wrong key, URL or model
  (HTTP 401/403/404), or ``max_consecutive_failures`` failed sources in a row (server down).

Record (one per source)::

    {"id": "…16 hex…", "source": "…", "paraphrases": ["…", …], "status": "ok",
     "teacher": "<model>", "base_url": "host:port", "created": "2025-…Z", "k": 5,
     "temperature": 0.9, "prompt": "paraphrase-list-v1", "attempts": 1,
     "finish_reason": "stop", "usage": {…}, "raw": "<the model's answer>"}

:func:`load_teach_groups` turns such files into the :class:`~distill.teacher_data.SeedGroup`
structure that :mod:`distill.pairs` and the critic already consume.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tqdm import tqdm

from .teacher_client import (PROMPT_VERSION, ChatClient, FatalTeacherError, RetryableError, SourceError,
                             TeacherError, build_messages, host_of, parse_paraphrases)
from .teacher_data import SeedGroup, TeacherParaphrase, seed_key

log = logging.getLogger(__name__)

#: ``origin`` of paraphrases loaded from teach files (kinit data uses the kinit set names).
TEACH_ORIGIN = "teach"


def source_id(text: str) -> str:
    """Stable key of a source sentence: the resume key, and the join key for later tools."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter; a server's Retry-After wins when it is longer."""

    attempts: int = 5
    base: float = 1.0
    cap: float = 60.0
    max_retry_after: float = 600.0

    def delay(self, attempt: int, retry_after: float | None = None,
              rng: random.Random | None = None) -> float:
        """Seconds to sleep after failed attempt number ``attempt`` (1-based)."""
        backoff = min(self.cap, self.base * 2 ** (attempt - 1))
        wait_s = (rng or random).uniform(0, backoff)
        if retry_after is not None:
            wait_s = max(wait_s, min(retry_after, self.max_retry_after))
        return wait_s


@dataclass
class TeachConfig:
    """Everything the job needs besides the sources; mirrors ``python -m distill teach``."""

    output: str | Path
    base_url: str
    model: str = "auto"
    k: int = 5
    temperature: float = 0.9
    top_p: float | None = 0.95
    max_tokens: int = 512
    timeout: float = 120.0
    concurrency: int = 1
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    min_paraphrases: int = 1
    keep_raw: bool = True
    retry_failed: bool = True
    max_consecutive_failures: int = 20
    api_key_env: str = "OPENAI_API_KEY"
    seed: int | None = None
    progress: bool = True


@dataclass
class TeachSummary:
    """What a run did; printed by the CLI and returned for tests."""

    output: str
    teacher: str
    base_url: str
    sources: int = 0
    already_done: int = 0
    attempted: int = 0
    ok: int = 0
    failed: int = 0
    paraphrases: int = 0
    stop_reason: str = "done"
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# ----------------------------------------------------------------------------- the output file

def repair_tail(path: Path) -> int:
    """Cut a half-written last line (a killed run) so appends start on a clean line.

    Returns the number of bytes removed. Only the incomplete tail is touched: every
    complete line ends in a newline, so nothing that was fully written is lost.
    """
    if not path.is_file():
        return 0
    size = path.stat().st_size
    if size == 0:
        return 0
    with open(path, "rb+") as fh:
        fh.seek(-1, os.SEEK_END)
        if fh.read(1) == b"\n":
            return 0
        block = 1 << 16
        pos = size
        keep = 0
        while pos > 0:
            start = max(0, pos - block)
            fh.seek(start)
            chunk = fh.read(pos - start)
            nl = chunk.rfind(b"\n")
            if nl != -1:
                keep = start + nl + 1
                break
            pos = start
        fh.truncate(keep)
    log.warning("%s: removed a truncated last line (%d bytes) left by an interrupted run", path, size - keep)
    return size - keep


def read_records(path: str | Path) -> Iterator[dict[str, Any]]:
    """Records of a teach file; unreadable lines are skipped with a warning, never fatal."""
    path = Path(path)
    if not path.is_file():
        return
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                log.warning("%s:%d: not a complete JSON record, skipped", path.name, n)
                continue
            if isinstance(record, dict) and isinstance(record.get("source"), str):
                yield record


def finished_ids(path: str | Path, include_failed: bool = False,
                 teachers: Counter | None = None) -> set[str]:
    """Ids of sources that a rerun should skip (``ok`` ones; also ``failed`` ones if asked).

    ``teachers``, when given, counts the records per teacher (to warn about mixed files).
    """
    done = set()
    for record in read_records(path):
        if teachers is not None:
            teachers[str(record.get("teacher"))] += 1
        if record.get("status", "ok") == "ok" or include_failed:
            done.add(record.get("id") or source_id(record["source"]))
    return done


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


# ----------------------------------------------------------------------------- one source

def teach_one(client: ChatClient, source: str, config: TeachConfig,
              sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None) -> dict[str, Any]:
    """Ask for ``config.k`` paraphrases of ``source`` with retries; always returns a record.

    An answer with fewer than ``min_paraphrases`` parseable paraphrases counts as a failed
    attempt too (sampling again usually fixes it). :class:`FatalTeacherError` propagates.
    """
    record: dict[str, Any] = {"id": source_id(source), "source": source, "paraphrases": [], "status": "failed",
                              "teacher": client.model, "base_url": host_of(client.base_url),
                              "created": "", "k": config.k, "temperature": config.temperature,
                              "prompt": PROMPT_VERSION}
    messages = build_messages(source, config.k)
    policy = config.retry
    last_error = ""
    raw = None
    attempt = 0
    for attempt in range(1, max(1, policy.attempts) + 1):
        try:
            seed = None if client.seed is None else client.seed + attempt - 1
            completion = client.complete(messages, seed=seed)
        except RetryableError as exc:
            last_error = str(exc)
            if attempt < policy.attempts:
                delay = policy.delay(attempt, exc.retry_after, rng)
                log.debug("attempt %d for %s failed (%s); retrying in %.1f s", attempt, record["id"], exc, delay)
                sleep(delay)
            continue
        except SourceError as exc:
            last_error = str(exc)
            break
        raw = completion.text
        paraphrases = parse_paraphrases(completion.text, source, config.k)
        if len(paraphrases) >= config.min_paraphrases:
            record.update(paraphrases=paraphrases, status="ok", finish_reason=completion.finish_reason)
            if completion.usage:
                record["usage"] = completion.usage
            break
        last_error = (f"{len(paraphrases)} paraphrase(s) parsed, {config.min_paraphrases} needed"
                      f" (finish_reason={completion.finish_reason})")
        log.debug("attempt %d for %s: %s", attempt, record["id"], last_error)
    record["attempts"] = attempt
    record["created"] = _now()
    if record["status"] != "ok":
        record["error"] = last_error
    if config.keep_raw and raw is not None:
        record["raw"] = raw
    return record


# ----------------------------------------------------------------------------- the batch

def resolve_model(client: ChatClient, policy: RetryPolicy, sleep: Callable[[float], None] = time.sleep) -> str:
    """The first model the server lists (for ``model="auto"``: local servers serve one)."""
    for attempt in range(1, policy.attempts + 1):
        try:
            models = client.list_models()
        except RetryableError as exc:
            if attempt == policy.attempts:
                raise
            sleep(policy.delay(attempt, exc.retry_after))
            continue
        if not models:
            raise FatalTeacherError(f"{host_of(client.base_url)} lists no models; pass --model")
        if len(models) > 1:
            log.info("server offers %d models; using the first, %s (choose with --model)", len(models), models[0])
        return models[0]
    raise AssertionError("unreachable")


def make_client(config: TeachConfig) -> ChatClient:
    """A client for ``config``; the API key is read from the environment, never from argv."""
    api_key = os.environ.get(config.api_key_env) if config.api_key_env else None
    return ChatClient(base_url=config.base_url, model=config.model, api_key=api_key or None,
                      timeout=config.timeout, temperature=config.temperature, top_p=config.top_p,
                      max_tokens=config.max_tokens, seed=config.seed)


def _progress(total: int, enabled: bool) -> tqdm:
    return tqdm(total=total, unit="sent", desc="teacher", disable=not enabled, dynamic_ncols=True)


def run_teach(sources: Iterable[str], config: TeachConfig, client: ChatClient | None = None,
              sleep: Callable[[float], None] = time.sleep) -> TeachSummary:
    """Paraphrase every source not yet in ``config.output``; append one record per source."""
    started = time.monotonic()
    output = Path(config.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    client = client or make_client(config)
    if client.model == "auto":
        client.model = resolve_model(client, config.retry, sleep)
    summary = TeachSummary(output=str(output), teacher=client.model, base_url=host_of(client.base_url))

    repair_tail(output)
    teachers: Counter = Counter()
    done = finished_ids(output, include_failed=not config.retry_failed, teachers=teachers)
    others = sorted(t for t in teachers if t != client.model)
    if others:
        # Resume is keyed by the source alone: a source done by another teacher is not redone.
        log.warning("%s already holds records from %s; sources in it are skipped whatever their teacher "
                    "(use a separate --out per teacher)", output.name, ", ".join(others))
    todo: list[str] = []
    queued: set[str] = set()
    for source in sources:
        summary.sources += 1
        sid = source_id(source)
        if sid in done:
            summary.already_done += 1
        elif sid not in queued:
            queued.add(sid)
            todo.append(source)
    log.info("%d sources: %d already in %s, %d to ask %s (%s) for k=%d", summary.sources,
             summary.already_done, output.name, len(todo), summary.base_url, client.model, config.k)

    consecutive_failures = 0
    window = max(1, config.concurrency) * 2  # bounded queue: an abort leaves little in flight
    pending: set[Future] = set()
    it = iter(todo)
    pool = ThreadPoolExecutor(max_workers=max(1, config.concurrency), thread_name_prefix="teach")
    with open(output, "a", encoding="utf-8") as out, _progress(len(todo), config.progress) as bar:
        try:
            while True:
                while len(pending) < window:
                    source = next(it, None)
                    if source is None:
                        break
                    pending.add(pool.submit(teach_one, client, source, config, sleep))
                if not pending:
                    break
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    record = future.result()  # FatalTeacherError surfaces here
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    out.flush()
                    os.fsync(out.fileno())
                    summary.attempted += 1
                    if record["status"] == "ok":
                        summary.ok += 1
                        summary.paraphrases += len(record["paraphrases"])
                        consecutive_failures = 0
                    else:
                        summary.failed += 1
                        consecutive_failures += 1
                        log.warning("gave up on %s after %d attempt(s): %s", record["id"],
                                    record["attempts"], record.get("error"))
                    bar.update(1)
                    bar.set_postfix(ok=summary.ok, failed=summary.failed)
                # Finished records are always written first: they are paid-for work.
                if config.max_consecutive_failures and consecutive_failures >= config.max_consecutive_failures:
                    summary.stop_reason = f"{consecutive_failures} sources failed in a row"
                    log.error("stopping: %s; is the server up? Rerun the same command to resume.",
                              summary.stop_reason)
                    break
        except FatalTeacherError as exc:
            summary.stop_reason = f"fatal: {exc}"
            log.error("stopping: %s", exc)
            raise
        except KeyboardInterrupt:
            summary.stop_reason = "interrupted"
            log.warning("interrupted: rerun the same command to resume")
            raise
        finally:
            # Requests still in flight are dropped, not written: a rerun asks for them again.
            pool.shutdown(wait=False, cancel_futures=True)
            summary.seconds = round(time.monotonic() - started, 1)
            log.info("%s: %d ok, %d failed, %d paraphrases in %.0f s (%s)", output.name, summary.ok,
                     summary.failed, summary.paraphrases, summary.seconds, summary.stop_reason)
    return summary


# ----------------------------------------------------------------------------- as training data

@dataclass
class TeachLoadReport:
    """Counts from loading teach files (for prepare-style summaries)."""

    records: int = 0
    failed: int = 0
    superseded: int = 0
    heldout: int = 0
    duplicates: int = 0
    paraphrases: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def load_teach_groups(paths: Iterable[str | Path], heldout_seeds: Iterable[str] = (),
                      report: TeachLoadReport | None = None) -> dict[str, SeedGroup]:
    """Seed groups from teach JSONL files, shaped like :func:`distill.teacher_data.load_groups`.

    Each ``ok`` record becomes one group (``seed`` = the source, cased as written) whose
    paraphrases carry ``teacher`` = the record's model and ``origin`` = ``"teach"``; the
    latest record of a source wins (a rerun with ``retry_failed`` may add a second one).
    Groups are keyed by :func:`~distill.teacher_data.seed_key`, so they merge with kinit
    groups of the same seed (``groups.update`` or a per-key merge) and split the same way.
    """
    report = report if report is not None else TeachLoadReport()
    heldout = {seed_key(s) for s in heldout_seeds}
    latest: dict[str, dict[str, Any]] = {}
    for path in paths:
        for record in read_records(path):
            report.records += 1
            sid = record.get("id") or source_id(record["source"])
            if sid in latest:
                report.superseded += 1
            latest[sid] = record
    groups: dict[str, SeedGroup] = {}
    seen: set[tuple[str, str, str]] = set()
    for record in latest.values():
        if record.get("status", "ok") != "ok":
            report.failed += 1
            continue
        key = seed_key(record["source"])
        if not key:
            continue
        if key in heldout:
            report.heldout += 1
            continue
        teacher = str(record.get("teacher") or "teacher")
        group = groups.get(key)
        if group is None:
            group = groups[key] = SeedGroup(key=key, seed=record["source"])
        group.datasets.add(TEACH_ORIGIN)
        for text in record.get("paraphrases") or []:
            dedupe = (key, teacher, seed_key(text) if isinstance(text, str) else "")
            if dedupe[2] in ("", key) or dedupe in seen:
                report.duplicates += 1
                continue
            seen.add(dedupe)
            group.paraphrases.append(TeacherParaphrase(teacher, text, TEACH_ORIGIN))
            report.paraphrases += 1
    empty = [k for k, g in groups.items() if not g.paraphrases]
    for key in empty:
        del groups[key]
    log.info("%d teach groups, %d paraphrases (%d failed, %d superseded records)", len(groups),
             report.paraphrases, report.failed, report.superseded)
    return groups
