"""``python -m distill teach``: the command line of :mod:`distill.teach`.

Kept apart from :mod:`distill.cli` so that the teacher job's many options do not crowd the
training commands, and so that ``cli.py`` only has to register the subcommand.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
from collections.abc import Iterator

from .source_text import SourceReport, read_sources, select
from .teach import RetryPolicy, TeachConfig, run_teach
from .teacher_client import TeacherError

log = logging.getLogger("distill.teach")

DEFAULT_BASE_URL = "http://127.0.0.1:8080/v1"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Register the ``teach`` options on its subparser."""
    p.set_defaults(run=None)  # cli.main's log-file logic looks for a run folder; teach has none
    src = p.add_argument_group("sources")
    src.add_argument("--input", "-i", nargs="+", required=True,
                     help="sentence files or folders: .txt (one per line), .jsonl (a text field), .tsv "
                          "(a sentence/text column, else the first); e.g. ../shared/data/sources/newstest_wmt")
    src.add_argument("--field", default="text", help="JSONL field holding the sentence")
    src.add_argument("--column", default=None, help="TSV column name or 0-based index")
    src.add_argument("--detok", choices=["auto", "on", "off"], default="auto",
                     help="undo Moses/PTB tokenization (auto: only lines that look tokenized)")
    src.add_argument("--min-words", type=int, default=4)
    src.add_argument("--max-chars", type=int, default=600)
    src.add_argument("--limit", type=int, default=None, help="at most this many sources")
    src.add_argument("--shuffle-seed", type=int, default=None,
                     help="take --limit sources from a seeded shuffle (the same on every resume)")

    srv = p.add_argument_group("teacher server")
    srv.add_argument("--base-url", default=os.environ.get("OPENAI_BASE_URL", DEFAULT_BASE_URL),
                     help="OpenAI-compatible base URL (default: $OPENAI_BASE_URL or %(default)s)")
    srv.add_argument("--model", default="auto", help="model name; auto = the first one the server lists")
    srv.add_argument("--api-key-env", default="OPENAI_API_KEY",
                     help="environment variable holding the API key (keys are never taken from the "
                          "command line or logged); unset: no Authorization header")
    srv.add_argument("--serve-gguf", default=None,
                     help="start llama-cpp-python's server on this GGUF for the job (or "
                          "smollm2-135m-instruct for the packaged one); overrides --base-url")
    srv.add_argument("--serve-ctx", type=int, default=2048)
    srv.add_argument("--serve-threads", type=int, default=None)

    gen = p.add_argument_group("generation")
    gen.add_argument("--out", "-o", required=True, help="append-only JSONL output (resumed if it exists)")
    gen.add_argument("-k", type=int, default=5, help="paraphrases asked per source")
    gen.add_argument("--temperature", type=float, default=0.9)
    gen.add_argument("--top-p", type=float, default=0.95)
    gen.add_argument("--max-tokens", type=int, default=512)
    gen.add_argument("--seed", type=int, default=None, help="sampling seed, where the server supports one")
    gen.add_argument("--min-paraphrases", type=int, default=1,
                     help="fewer parsed paraphrases than this counts as a failed attempt")
    gen.add_argument("--no-raw", action="store_true", help="do not keep the model's raw answer")

    run = p.add_argument_group("robustness")
    run.add_argument("--concurrency", type=int, default=1, help="requests in flight")
    run.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    run.add_argument("--attempts", type=int, default=5, help="tries per source before it is recorded as failed")
    run.add_argument("--backoff", type=float, default=1.0, help="first backoff in seconds (doubles, full jitter)")
    run.add_argument("--max-backoff", type=float, default=60.0)
    run.add_argument("--max-consecutive-failures", type=int, default=20,
                     help="stop when this many sources fail in a row (0: never)")
    run.add_argument("--no-retry-failed", action="store_true",
                     help="on resume, also skip sources recorded as failed")
    run.add_argument("--no-progress", action="store_true")


@contextlib.contextmanager
def _teacher_url(args: argparse.Namespace) -> Iterator[str]:
    if not args.serve_gguf:
        yield args.base_url
        return
    from export.base_weights import resolve_base

    from .local_server import LocalLlamaServer

    gguf = resolve_base(args.serve_gguf).path
    with LocalLlamaServer(gguf, n_ctx=args.serve_ctx, n_threads=args.serve_threads) as server:
        yield server.base_url


def main(args: argparse.Namespace) -> int:
    """Read sources, run the job, print the summary; exit 1 when the job had to stop early."""
    report = SourceReport()
    column: str | int | None = args.column
    if isinstance(column, str) and column.isdigit():
        column = int(column)
    sentences = read_sources(args.input, column=column, field=args.field, detok=args.detok,
                             min_words=args.min_words, max_chars=args.max_chars, report=report)
    sentences = select(sentences, args.limit, args.shuffle_seed)
    log.info("sources: %s; using %d", report.as_dict(), len(sentences))
    if not sentences:
        log.error("no usable sentences in %s", ", ".join(args.input))
        return 1
    with _teacher_url(args) as base_url:
        config = TeachConfig(
            output=args.out, base_url=base_url, model=args.model, k=args.k, temperature=args.temperature,
            top_p=args.top_p, max_tokens=args.max_tokens, timeout=args.timeout, concurrency=args.concurrency,
            retry=RetryPolicy(attempts=args.attempts, base=args.backoff, cap=args.max_backoff),
            min_paraphrases=args.min_paraphrases, keep_raw=not args.no_raw,
            retry_failed=not args.no_retry_failed, max_consecutive_failures=args.max_consecutive_failures,
            api_key_env=args.api_key_env, seed=args.seed, progress=not args.no_progress)
        try:
            summary = run_teach(sentences, config)
        except TeacherError as exc:
            log.error("teacher job stopped: %s", exc)
            return 1
        except KeyboardInterrupt:
            return 130
    print(json.dumps(summary.as_dict(), indent=2))
    return 0 if summary.stop_reason == "done" else 1
