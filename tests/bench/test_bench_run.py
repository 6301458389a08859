"""A real (tiny) benchmark run: the JSON keys the README and CI rely on, the table, the plot."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from bench.report import SCHEMA_VERSION, build_document, markdown


def test_json_has_the_headline_keys(bench_doc: dict[str, Any]) -> None:
    assert bench_doc["schema_version"] == SCHEMA_VERSION
    assert bench_doc["n5_p50_s"] > 0
    assert "speedup_vs_pytorch" in bench_doc  # None here: PyTorch was not part of this run
    head = bench_doc["headline"]
    assert head["path"] == "Paraphraser.paraphrase"
    assert 15 <= head["words"] <= 25
    assert head["n5_p50_s"] == bench_doc["n5_p50_s"]
    assert head["matched_new_tokens"] >= 2
    json.dumps(bench_doc)  # serializable as is


def test_json_describes_machine_bundle_and_cold_start(bench_doc: dict[str, Any]) -> None:
    machine = bench_doc["machine"]
    for key in ("cpu_model", "logical_cores", "isa_flags", "os", "onnxruntime", "threads"):
        assert key in machine
    bundle = next(iter(bench_doc["bundles"].values()))
    assert bundle["status"] == "ok"
    assert bundle["size_mb"] > 50
    assert bundle["n5"]["pooled"]["p50_s"] > 0 and bundle["n1"]["pooled"]["p95_s"] > 0
    cold = bench_doc["cold_start"]
    for key in ("import_models_s", "verify_s", "session_load_s", "process_start_to_first_candidate_s", "peak_rss_mb"):
        assert cold[key] > 0


def test_our_backend_reports_prefill_and_decode(bench_doc: dict[str, Any]) -> None:
    ours = bench_doc["backends"]["ours-int8"]
    assert ours["status"] == "ok"
    ref = ours["reference"]
    assert ref["prefill_s"] > 0 and ref["decode_ms_per_token_n1"] is not None
    assert ref["tokens_per_s_n5"] > 0
    inside = ref["measured_inside"]
    assert inside["forward_ms_per_step_n1"] > 0 and inside["forward_ms_per_step_n5"] > 0
    assert all(c["new_tokens"] in (1, 8) or c["matched"] for c in ours["cases"])


def test_missing_backend_is_skipped_with_its_install_hint(bench_doc: dict[str, Any]) -> None:
    llama = bench_doc["backends"]["llamacpp-q8_0"]
    assert llama["status"] == "skipped"
    assert "llama_cpp" in llama["reason"]
    assert "pip install" in llama["install_hint"] and "llama-cpp-python" in llama["install_hint"]
    table = markdown(bench_doc)
    assert "skipped" in table and llama["install_hint"] in table


def test_markdown_table_has_every_section(bench_doc: dict[str, Any]) -> None:
    table = markdown(bench_doc)
    assert "**Headline:**" in table
    assert "| ours-int8: our loop" in table
    assert "### Product path" in table and "### 5 candidates by input length" in table
    lines = table.splitlines()
    header = next(line for line in lines if line.startswith("| backend |"))
    rows = [line for line in lines if line.startswith(("| ours-int8", "| llamacpp-q8_0"))]
    assert len(rows) == 2 and all(row.count("|") == header.count("|") for row in rows)


def test_speedup_is_pytorch_p50_over_ours_on_the_matched_case(bench_raw: dict[str, Any]) -> None:
    """Pretend PyTorch took exactly twice as long as our loop on every case."""
    raw = copy.deepcopy(bench_raw)
    slow = copy.deepcopy(raw["backends"]["ours-int8"])
    for runs in slow["runs"].values():
        for run in runs:
            run["total_s"] *= 2
    raw["backends"]["pytorch"] = slow
    doc = build_document(raw)
    head = doc["headline"]
    assert head["engine_speedup_vs_pytorch"] == pytest.approx(2.0, abs=0.01)
    expected = 2 * head["ours_loop_n5_matched_p50_s"] / head["n5_p50_s"]
    assert doc["speedup_vs_pytorch"] == pytest.approx(expected, abs=0.01)
    assert doc["backends"]["ours-int8"]["reference"]["vs_pytorch_n5"] == pytest.approx(2.0, abs=0.01)
    assert "faster" in markdown(doc)


def test_plot_is_a_png(bench_doc: dict[str, Any], tmp_path) -> None:  # noqa: ANN001
    pytest.importorskip("matplotlib")
    from bench.plot import write_plot

    path = write_plot(bench_doc, tmp_path / "latency.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
