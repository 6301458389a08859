"""The MI teacher's teacher-forced sums are the generator's own log-probabilities.

Checked two independent ways on the real default bundle: against the sampler's recorded
log-probs of a greedy candidate (raw model log-probs, the stop token included), and against
a slow reference that runs every prompt whole on one row and steps one token at a time.
The greedy check also runs on the uncontrolled student v1, and the teacher's prompts are
compared with the runtime's for every mode of the default (a controlled student's prompt
carries its codes; filling only ``{text}`` left a literal ``{controls}`` in it).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from built_students import UNCONTROLLED, built_bundle

SOURCE = "The museum will close early on Friday because of the storm."


@pytest.fixture(scope="module")
def paraphraser(default_bundle: Path):  # noqa: ANN201
    from models import Paraphraser

    return Paraphraser.load(default_bundle, threads=1)


@pytest.fixture(scope="module")
def uncontrolled() -> object:  # models.Paraphraser of student v1
    from models import Paraphraser

    return Paraphraser.load(built_bundle(UNCONTROLLED), threads=1, scorer=None)


@pytest.fixture(scope="module")
def teacher(paraphraser):  # noqa: ANN001, ANN201
    from distill.mi_teacher import MITeacher

    return MITeacher.from_paraphraser(paraphraser)


def _greedy(paraphraser, source: str, mode: str = "standard") -> tuple[list[int], list[float]]:  # noqa: ANN001
    """One greedy row through the runtime's own decode loop: its tokens and recorded log-probs."""
    from models.batch_decode import Request, decode
    from models.sampling import DecodingSettings, Sampler

    greedy = DecodingSettings(temperature=1.0, top_k=1, top_p=1.0, repetition_penalty=1.0, copy_penalty=0.0,
                              no_repeat_ngram=0)

    class Greedy(Request):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[tuple[list[int], list[float], bool]] = []

        def start(self):  # noqa: ANN202
            plan = paraphraser._plan(source, mode)
            return paraphraser._run_prompt(plan, Sampler(greedy, np.random.default_rng(0)))

        def offer(self, token_ids: list[int], log_probs: list[float], finished: bool) -> bool:
            self.rows.append((list(token_ids), list(log_probs), finished))
            return True

        def wanted(self) -> int:
            return 1 - len(self.rows)

    request = Greedy()
    decode(paraphraser.decoder, [request], frozenset(paraphraser.prompt.stop_token_ids))
    tokens, log_probs, finished = request.rows[0]
    assert finished, "the greedy row ran out of room"
    return tokens, log_probs


@pytest.mark.parametrize(("student", "mode"), [("default", "standard"), ("default", "simpler"),
                                             (UNCONTROLLED, "standard")])
def test_fwd_equals_the_samplers_log_probs_of_a_greedy_candidate(student: str, mode: str,
                                                                 request: pytest.FixtureRequest) -> None:
    """Simpler included: its rows decode with the bundle's mode update, and so must its scores."""
    from distill.mi_teacher import MITeacher, mi_scores

    paraphraser = request.getfixturevalue("paraphraser" if student == "default" else "uncontrolled")
    tokens, log_probs = _greedy(paraphraser, SOURCE, mode)
    text = paraphraser.tokenizer.decode(tokens, skip_special_tokens=True).strip()
    teacher = MITeacher.from_paraphraser(paraphraser, mode=mode)
    # the re-tokenized text must be the very tokens sampled (else the sums are of other tokens)
    assert teacher._target(text)[:-1] == tokens
    [score] = mi_scores(teacher, SOURCE, [text])
    assert score.fwd_tokens == len(log_probs) == len(tokens) + 1  # the stop token is counted
    assert score.fwd_sum == pytest.approx(sum(log_probs), abs=KERNEL_SLACK * len(log_probs))
    assert score.fwd_sum < 0
    if mode == "simpler":  # the slack is wide: the update must also be what brings the sums together
        assert teacher.update == 1.0
        teacher.update, teacher._prefix = 0.0, None
        [without] = mi_scores(teacher, SOURCE, [text])
        assert abs(score.fwd_sum - sum(log_probs)) * 5 < abs(without.fwd_sum - sum(log_probs))


def test_the_prompts_are_the_runtimes_for_every_mode_and_slider_third(paraphraser) -> None:  # noqa: ANN001
    """The very token ids :meth:`Paraphraser._plan` feeds the model, codes included."""
    from distill.mi_teacher import MITeacher

    for mode in paraphraser.modes:
        for diversity in (0.0, 0.5, 1.0):
            teacher = MITeacher.from_paraphraser(paraphraser, mode=mode, diversity=diversity)
            for text in (SOURCE, "The museum shuts early."):
                assert teacher._prompt_ids(text) == paraphraser._plan(text, mode, diversity).prompt_ids
            prompt = paraphraser.tokenizer.decode(teacher._prompt_ids(SOURCE))
            assert "{" not in prompt and SOURCE in prompt
            if paraphraser.prompt.controls is not None:  # the default student v2 reads its codes
                assert paraphraser.prompt.controls.render(mode, diversity) in prompt
    assert MITeacher.from_paraphraser(paraphraser).prefix_ids == paraphraser._prefix_cache()[0]


def test_the_uncontrolled_student_gets_its_bare_template(uncontrolled) -> None:  # noqa: ANN001
    from distill.mi_teacher import MITeacher

    teacher = MITeacher.from_paraphraser(uncontrolled)
    assert uncontrolled.prompt.controls is None
    assert uncontrolled.tokenizer.decode(teacher._prompt_ids(SOURCE)) == f"Sentence: {SOURCE}\nParaphrase:"
    assert teacher._prompt_ids(SOURCE) == uncontrolled._plan(SOURCE).prompt_ids


#: Nats per token a sum may move between a batched prefill (many positions per ``MatMulNBits``
#: call) and one position per step: onnxruntime takes other kernels for the two. They agreed
#: within 1e-3 in all on an AVX-512 VNNI CPU; on an AVX2 one they differ by ~0.002 (8-bit
#: attention) to ~0.01 (every projection 4-bit) per token. A token or a position off by one
#: costs whole nats, which this still catches.
KERNEL_SLACK = 0.02


def _slow(teacher, prompt_ids: list[int], target: list[int]) -> float:  # noqa: ANN001
    """Reference: the whole prompt on a fresh one-row cache, then one forced token per step."""
    decoder = teacher.decoder
    cache = decoder.new_cache(1, len(prompt_ids) + len(target))
    logits = decoder.forward(np.array([prompt_ids], dtype=np.int64), cache)[0].astype(np.float64)
    total = 0.0
    for i, token in enumerate(target):
        peak = logits.max()
        total += logits[token] - (peak + np.log(np.exp(logits - peak).sum()))
        if i + 1 < len(target):
            logits = decoder.forward(np.array([[token]], dtype=np.int64), cache)[0].astype(np.float64)
    return total


def test_batched_sums_match_a_slow_one_row_reference(teacher) -> None:  # noqa: ANN001
    candidates = ["Because of the storm, the museum closes early on Friday.", "The museum shuts early."]
    scores = teacher.score(SOURCE, candidates)
    src_target = teacher._target(SOURCE)
    prior = _slow(teacher, teacher.prefix_ids, src_target)
    for candidate, score in zip(candidates, scores):
        target = teacher._target(candidate)
        assert score.fwd_tokens == len(target) and score.rev_tokens == score.prior_tokens == len(src_target)
        assert score.fwd_sum == pytest.approx(_slow(teacher, teacher._prompt_ids(SOURCE), target),
                                              abs=KERNEL_SLACK * len(target))
        assert score.rev_sum == pytest.approx(_slow(teacher, teacher._prompt_ids(candidate), src_target),
                                              abs=KERNEL_SLACK * len(src_target))
        assert score.prior_sum == pytest.approx(prior, abs=KERNEL_SLACK * len(src_target))
        assert score.mi == pytest.approx(score.fwd_sum + score.rev_sum - score.prior_sum)
    assert scores[0].fwd_tokens != scores[1].fwd_tokens  # rows of different lengths were batched


def test_a_row_scores_the_same_alone_and_beside_longer_rows(teacher) -> None:  # noqa: ANN001
    short = "The museum closes early."
    [alone] = teacher.score(SOURCE, [short])
    beside = teacher.score(SOURCE, ["On Friday the museum will close its doors early, as a storm is coming.", short])[1]
    for field in ("fwd_sum", "rev_sum", "prior_sum"):
        assert getattr(beside, field) == pytest.approx(getattr(alone, field), abs=1e-4)


def test_a_related_candidate_outscores_an_unrelated_one(teacher) -> None:  # noqa: ANN001
    kept, unrelated = teacher.score(SOURCE, ["Because of the storm, the museum closes early on Friday.",
                                             "My brother plays the violin in a jazz band."])
    assert kept.mi > unrelated.mi


def test_bad_input_is_refused_with_a_message(teacher) -> None:  # noqa: ANN001
    from distill.mi_teacher import mi_scores

    with pytest.raises(ValueError, match="source is empty"):
        teacher.score("   ", ["x"])
    with pytest.raises(ValueError, match="list of strings"):
        teacher.score(SOURCE, "not a list")
    with pytest.raises(TypeError, match="tokenizer"):
        mi_scores(teacher.decoder, SOURCE, ["x"])
    assert teacher.score(SOURCE, []) == []


def test_a_mode_or_slider_value_the_bundle_cannot_take_is_refused(paraphraser) -> None:  # noqa: ANN001
    from distill.mi_teacher import MITeacher

    with pytest.raises(ValueError, match="has no mode 'formal'; its modes: standard"):
        MITeacher.from_paraphraser(paraphraser, mode="formal")
    with pytest.raises(ValueError, match="between 0 and 1"):
        MITeacher.from_paraphraser(paraphraser, diversity=1.5)
    with pytest.raises(TypeError, match="PromptFormat"):
        MITeacher(paraphraser.decoder, paraphraser.tokenizer, paraphraser.prompt.template)


def test_cli_appends_resumes_and_repairs_a_torn_line(default_bundle: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from distill.mi_teacher import main

    groups = tmp_path / "groups.jsonl"
    rows = [{"source": "It rained all day.", "candidates": ["It was rainy all day.", "Rain fell."], "id": 1},
            {"source": "She sold the car.", "candidates": ["The car was sold by her."], "id": 2}]
    groups.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "scores.jsonl"
    common = ["--in", str(groups), "--out", str(out), "--bundle", str(default_bundle), "--threads", "1",
              "--no-progress"]
    assert main([*common, "--limit", "1"]) == 0
    first = out.read_text(encoding="utf-8")
    with out.open("a", encoding="utf-8") as handle:
        handle.write('{"source": "She sold')  # a run killed mid-write
    assert main(common) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert out.read_text(encoding="utf-8").startswith(first)
    assert [line["id"] for line in lines] == [1, 2]
    assert [len(line["mi"]) for line in lines] == [2, 1]
    assert set(lines[0]["mi"][0]) == {"fwd_sum", "fwd_tokens", "rev_sum", "rev_tokens", "prior_sum",
                                      "prior_tokens", "mi"}
    capsys.readouterr()
    assert main(common) == 0  # nothing left: the model is not even loaded
    assert json.loads(capsys.readouterr().out) == {"groups": 2, "skipped": 2, "scored": 0, "failed": 0}

    groups.write_text('{"source": "ok", "candidates": ["fine"]}\n{"source": 3}\n', encoding="utf-8")
    assert main(common) == 2
    assert f"{groups}:2" in capsys.readouterr().err

    groups.write_text('{"source": "ok", "candidates": ["fine"]}\n', encoding="utf-8")
    assert main([*common, "--mode", "formal"]) == 2  # a mode the bundle lacks: a sentence, no traceback
    assert "has no mode 'formal'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main([*common, "--diversity", "2"])
    assert exited.value.code == 2 and "--diversity must be between 0 and 1" in capsys.readouterr().err
