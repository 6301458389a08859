"""Loaders, grouping, pairs and the split: no group may leak across train/dev."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SEEDS, write_llm_vs_aug

from distill.pairs import build_pairs, cap_pairs, count_pairs, group_pairs, split_groups
from distill.paths import DATA_ENV, data_root
from distill.teacher_data import (LLM_VS_AUG_COLUMNS, LoadReport, ReadReport, is_cased, load_groups,
                                  read_seed_list, read_tsv, seed_key)


def test_read_tsv_joins_split_rows_and_drops_malformed(tmp_path: Path) -> None:
    path = write_llm_vs_aug(tmp_path / "pairs_all.tsv", ["gpt-4\tyelp\t1\tonly four"])
    report = ReadReport()
    rows = list(read_tsv(path, LLM_VS_AUG_COLUMNS, report))
    assert report.joined == 1
    assert report.dropped_malformed == 1
    joined = [r for r in rows if r["dataset"] == "sst5"]
    assert joined[0]["seed"] == "the red dog was happy and the cat was sad"  # quotes removed
    assert joined[0]["paraphrase"].startswith("The red dog")


def test_read_tsv_rejects_wrong_header(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    path.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected columns"):
        list(read_tsv(path, LLM_VS_AUG_COLUMNS))


def test_seed_key_matches_cased_and_stripped_forms() -> None:
    assert seed_key("The cat's mat, near the House!") == seed_key("the cats mat near the house")
    assert is_cased("The cat.") and not is_cased("the cat sat")


def test_load_groups_merges_sources_dedupes_and_filters_teachers(teacher_root: Path) -> None:
    report = LoadReport()
    groups = load_groups(teacher_root, report=report)
    first = groups[seed_key(SEEDS[0])]
    teachers = sorted({p.teacher for p in first.paraphrases})
    assert teachers == ["gpt-3.5", "gpt-4", "llama-3-8b"]  # both kinit sets in one group
    assert report.duplicates == 1
    assert report.skipped_teacher["mistral-7b"] == 1
    assert report.files["kinit_div_incentives"]["dropped_malformed"] == 1
    assert report.rows_by_teacher["gpt-3.5"] == 6 * 3 + 1


def test_heldout_seeds_and_methods_are_excluded(teacher_root: Path) -> None:
    report = LoadReport()
    groups = load_groups(teacher_root, methods=["seeds"], heldout_seeds=[SEEDS[1].upper()], report=report)
    assert seed_key(SEEDS[1]) not in groups
    assert report.heldout_groups == 1 and report.heldout_rows == 4
    assert report.skipped_method == 1  # the taboo row


def test_read_seed_list_formats(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one\ntwo\n", encoding="utf-8")
    (tmp_path / "b.tsv").write_text("id\tseed\n1\tone\n", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"seed": "one"}\n', encoding="utf-8")
    assert read_seed_list(tmp_path / "a.txt") == ["one", "two"]
    assert read_seed_list(tmp_path / "b.tsv") == ["one"]
    assert read_seed_list(tmp_path / "c.jsonl") == ["one"]


def test_split_is_deterministic_and_disjoint() -> None:
    keys = [f"seed {i}" for i in range(2000)]
    train, dev = split_groups(keys, dev_fraction=0.1)
    assert not set(train) & set(dev)
    assert set(train) | set(dev) == set(keys)
    assert 120 < len(dev) < 280
    assert split_groups(reversed(keys), dev_fraction=0.1) == (train, dev)
    # Adding groups never moves an existing one to the other side.
    train2, dev2 = split_groups(keys + ["new"], dev_fraction=0.1)
    assert set(dev) <= set(dev2) and set(train) <= set(train2)


def test_pairs_never_cross_the_split(teacher_root: Path) -> None:
    groups = load_groups(teacher_root)
    train, dev = split_groups(groups, dev_fraction=0.3)
    train_pairs = build_pairs(groups, train)
    dev_pairs = build_pairs(groups, dev)
    assert {p.group for p in train_pairs}.isdisjoint({p.group for p in dev_pairs})
    texts_by_group = {k: {g.seed, *(p.text for p in g.paraphrases)} for k, g in groups.items()}
    for pair in train_pairs + dev_pairs:
        assert pair.source in texts_by_group[pair.group] and pair.target in texts_by_group[pair.group]


def test_group_pairs_targets_cased_unless_kept(teacher_root: Path) -> None:
    group = load_groups(teacher_root)[seed_key(SEEDS[0])]
    pairs = group_pairs(group, seed_pairs=None, para_pairs=None)
    assert pairs and all(is_cased(p.target) for p in pairs)
    assert all(p.source != p.target for p in pairs)
    assert {p.kind for p in pairs} == {"seed", "para"}
    kept = group_pairs(group, seed_pairs=None, para_pairs=None, lowercase_targets="keep")
    lower = [p for p in kept if not is_cased(p.target)]
    assert lower and all(not is_cased(p.source) for p in lower)  # style follows the input
    assert group_pairs(group, 2, 1) == group_pairs(group, 2, 1)  # deterministic


def test_cap_and_count(teacher_root: Path) -> None:
    groups = load_groups(teacher_root)
    pairs = build_pairs(groups, sorted(groups), seed_pairs=None, para_pairs=None)
    capped = cap_pairs(pairs, seed_pairs=1, para_pairs=1)
    counts = count_pairs(capped)
    assert counts["by_kind"]["seed"] <= counts["groups"]
    assert counts["by_teacher"] == {"gpt-3.5": counts["pairs"]}


def test_data_root_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    assert data_root() == tmp_path
    monkeypatch.delenv(DATA_ENV)
    assert data_root("/x/repo") == Path("/x/shared/data")


REAL = data_root() / "teacher" / "kinit_llm_vs_aug" / "pairs_all.tsv"


@pytest.mark.skipif(not REAL.is_file() or bool(os.environ.get("DISTILL_SKIP_REAL")),
                    reason="the shared teacher data is not present")
def test_real_llm_vs_aug_file_parses() -> None:
    report = ReadReport()
    rows = list(read_tsv(REAL, LLM_VS_AUG_COLUMNS, report))
    assert report.rows + report.joined == 71_923  # SOURCES.md: 71,923 rows, some split in two
    assert report.dropped_malformed == 0
    assert {r["teacher"] for r in rows} == {"gpt-3.5-turbo-0125", "Meta-Llama-3-8B-Instruct"}
