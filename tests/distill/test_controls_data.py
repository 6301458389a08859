"""Training data for a controlled student: codes from the pair, facts and meaning rules, ASSET.

The codes must describe the pair they tag (a "shorter" code on a longer target would teach
the opposite), and the critic's new rules must remove what they say and count it per source.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from distill.controls import ChangeCuts, change_cuts, code_counts, length_code, tag_pairs
from distill.critic import CriticThresholds, filter_pairs
from distill.pairs import Pair
from distill.prompt_format import render_prompt
from distill.simplify_data import asset_pairs, asset_split
from models.recipes import CONTROLLED_TEMPLATE, STUDENT_TEMPLATE


def pair(source: str, target: str, origin: str = "o", group: str = "g") -> Pair:
    return Pair(source=source, target=target, group=group, kind="para", teacher="t", origin=origin)


def test_length_codes_follow_the_word_ratio() -> None:
    ten = "one two three four five six seven eight nine ten"
    assert length_code(ten, "one two three four five six seven") == "length: shorter"
    assert length_code(ten, ten) == "length: same"
    assert length_code(ten, ten + " eleven twelve thirteen") == "length: longer"


def test_change_cuts_are_tertiles_and_codes_follow_them() -> None:
    src = "the quick brown fox jumps over the lazy dog today"
    pairs = [pair(src, src.replace("quick", "fast")),                       # little change
             pair(src, "a fast brown fox leaps over the idle dog today"),  # some
             pair(src, "today a speedy russet fox vaults past one sleepy hound")]  # much
    cuts = change_cuts(pairs)
    assert cuts.low_below <= cuts.high_from
    tagged = tag_pairs(pairs, cuts)
    assert [p.controls.split("; ")[-1] for p in tagged] == ["change: low", "change: mid", "change: high"]
    assert code_counts(tagged)["task: paraphrase"] == 3
    with pytest.raises(ValueError):
        change_cuts([])
    assert ChangeCuts(0.4, 0.7).code(0.4) == "change: mid"


def test_a_prompt_and_its_pair_must_agree_on_codes() -> None:
    assert render_prompt("Hi.", CONTROLLED_TEMPLATE, "task: paraphrase") == (
        "Sentence: Hi.\nControls: task: paraphrase\nParaphrase:")
    with pytest.raises(ValueError, match="no control codes"):
        render_prompt("Hi.", CONTROLLED_TEMPLATE)
    with pytest.raises(ValueError, match="no \\{controls\\} slot"):
        render_prompt("Hi.", STUDENT_TEMPLATE, "task: paraphrase")


def test_the_facts_rule_drops_changed_numbers_and_counts_per_source() -> None:
    pairs = [pair("Revenue rose 12% to $4.3 million in 2024.", "In 2024, revenue grew by 12% to $4.3 million.", "a"),
             pair("Revenue rose 12% to $4.3 million in 2024.", "In 2024, revenue grew by 21% to $4.3 million.", "a", "g2"),
             pair("Dr. Chen warned that costs will stay high.", "Costs will remain elevated, the doctor cautioned.", "b")]
    kept, report = filter_pairs(pairs, CriticThresholds(min_diversity=0.0), facts=True)
    assert kept == [pairs[0]]
    assert report.removed["facts"] == 2
    by_source = report.as_dict()["by_source"]
    assert by_source["a"] == {"facts": 1, "kept": 1, "total": 2}
    assert by_source["b"] == {"facts": 1, "total": 1}
    kept_without, _ = filter_pairs(pairs, CriticThresholds(min_diversity=0.0))
    assert len(kept_without) == 3  # opt-in: v1's recipe is unchanged


def test_the_meaning_rule_uses_the_scorer_probabilities() -> None:
    pairs = [pair("The cat chased the dog.", "The dog was chased by the cat.", group="g1"),
             pair("The cat chased the dog.", "The dog chased the cat.", group="g2")]
    kept, report = filter_pairs(pairs, CriticThresholds(min_diversity=0.0),
                                meaning=lambda s, t: np.array([0.9, 0.2]), min_meaning=0.5)
    assert kept == [pairs[0]] and report.removed["meaning"] == 1
    assert report.as_dict()["thresholds"]["min_meaning"] == 0.5


def _fake_asset(root: Path, rows: list[tuple[str, list[str]]]) -> Path:
    folder = root / "eval" / "asset"
    folder.mkdir(parents=True)
    (folder / "asset.valid.orig").write_text("\n".join(src for src, _ in rows) + "\n")
    for k in range(10):
        (folder / f"asset.valid.simp.{k}").write_text("\n".join(refs[k] for _, refs in rows) + "\n")
    return root


def test_asset_pairs_hold_out_a_fixed_share_and_keep_facts(tmp_path: Path) -> None:
    rows = []
    for i in range(200):
        src = f"The committee, which met on {i + 1} occasions, subsequently ratified the treaty number {i}."
        refs = [f"The committee met {i + 1} times and then approved treaty {i}.",   # keeps facts
                "After meeting many times, the committee later approved that treaty.",  # loses the numbers
                src] + [f"The group met {i + 1} times and later approved treaty number {i}."] * 7
        rows.append((src, refs))
    root = _fake_asset(tmp_path, rows)
    train, heldout = asset_split(root, heldout_fraction=0.1)
    assert 5 <= len(heldout) <= 40 and len(train) + len(heldout) == 200
    assert asset_split(root, heldout_fraction=0.1)[1] == heldout  # deterministic
    pairs, report = asset_pairs(root, per_sentence=2, heldout_fraction=0.1)
    held = {src for src, _ in heldout}
    assert not {p.source for p in pairs} & held
    assert len(pairs) == 2 * len(train)
    assert report.removed["facts"] == len(train) and report.removed["copy"] == len(train)
    assert all(p.kind == "simplify" and p.origin == "asset" for p in pairs)


def test_asset_files_must_be_line_aligned(tmp_path: Path) -> None:
    root = _fake_asset(tmp_path, [("A sentence here.", ["A short one."] * 10)])
    (root / "eval" / "asset" / "asset.valid.simp.3").write_text("x\ny\n")
    with pytest.raises(ValueError, match="line-aligned"):
        asset_split(root)
