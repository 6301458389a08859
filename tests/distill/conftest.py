"""Fixtures for the distill tests: teacher TSVs in the real formats, written to tmp."""

from __future__ import annotations

from pathlib import Path

import pytest

LLM_VS_AUG_HEADER = "teacher\tdataset\tlabel\tseed\tparaphrase"
DIV_HEADER = "teacher\tdataset\tfold\tfile_method\tlabel\tseed\tparaphrase"

# Seeds as the kinit authors left them: lower-cased, punctuation stripped.
SEEDS = [
    "the cat sat on the mat near the house",
    "the dog ran quickly under the old rug",
    "it was a big red house with a small garden",
    "the blue cat was happy in the morning",
    "a small dog sat near the garden in the evening",
    "the old house was sad when it was far",
]
GPT = [
    ["The cat was sitting on the mat close to the house.", "Near the house, a cat sat on the mat.",
     "On the mat by the house, the cat sat."],
    ["The dog rushed beneath the old rug.", "Quickly, the dog ran under the ancient rug.",
     "Under the old rug, the dog ran fast."],
    ["It was a large red home with a little garden.", "The house was big and red, with a small garden.",
     "A big red house, it had a tiny garden."],
    ["In the morning, the blue cat was happy.", "The blue cat felt happy in the morning.",
     "Each morning the blue cat was cheerful."],
    ["In the evening, a little dog sat by the garden.", "A small dog was sitting near the garden at dusk.",
     "Near the garden, a small dog sat in the evening."],
    ["When it was far away, the old house was sad.", "The old house felt sad when it was distant.",
     "Far away, the old house was unhappy."],
]


def write_llm_vs_aug(path: Path, extra_lines: list[str] = ()) -> Path:
    """pairs_all.tsv: cased GPT-3.5 rows, lower-cased Llama-3 rows, a duplicate, a split row."""
    lines = [LLM_VS_AUG_HEADER]
    for seed, paras in zip(SEEDS, GPT):
        for para in paras:
            lines.append(f"gpt-3.5-turbo-0125\tyelp\t1\t{seed}\t{para}")
        lines.append(f"Meta-Llama-3-8B-Instruct\tyelp\t1\t{seed}\t{paras[0].lower().rstrip('.').replace(',', '')}")
    lines.append(f"gpt-3.5-turbo-0125\tyelp\t1\t{SEEDS[0]}\t{GPT[0][0]}")  # exact duplicate
    # A seed broken by a raw newline inside quotes (4 fields, then 2 fields).
    lines.append('gpt-3.5-turbo-0125\tsst5\t2\t"the red dog was happy')
    lines.append('and the cat was sad"\tThe red dog was glad, and the cat was unhappy.')
    lines.extend(extra_lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_div(path: Path) -> Path:
    """pairs_seed_mapped.tsv: all lower-cased; one seed shared with the other file; a bad row."""
    lines = [DIV_HEADER,
             f"gpt-4\tyelp\t0\tyelp_0_seeds\t1\t{SEEDS[0]}\ta cat was sitting on the mat by the house",
             "gpt-4\tyelp\t0\tyelp_1_taboo\t1\tthe sun is up\tdaylight has arrived",
             "Mistral-7B-Instruct-v0.1\tyelp\t0\tyelp_0_seeds\t1\tthe sun is up\tthe sun has risen",
             "gpt-4\tyelp\t0\tyelp_0_seeds\t1\ttoo\tmany\tfields\there"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def teacher_root(tmp_path: Path) -> Path:
    """A data root laid out like ../shared/data with small teacher files."""
    root = tmp_path / "data"
    write_llm_vs_aug(root / "teacher" / "kinit_llm_vs_aug" / "pairs_all.tsv")
    write_div(root / "teacher" / "kinit_div_incentives" / "pairs_seed_mapped.tsv")
    return root
