"""``paraphrase-studio evaluate``: score bundles and teachers on the same inputs.

For each set (the distillation dev split, MRPC, QQP, held-out ASSET, news) and each system
(an ONNX bundle run through the app's own ``Paraphraser`` in one of its modes, or a teacher's
paraphrases from the kinit data) it reports adequacy (cosine under an embedder the critic
does not use), lexical diversity (1 - BLEU against the source), set diversity (1 - self-BLEU
among the N candidates), copy rate, the good rate (adequacy >= 0.75 and lexical diversity
>= 0.30), the words ratio (candidate words / source words) and the numbers (invented, kept:
the runtime's facts check), as JSON and a Markdown table; ``--bar STUDENT`` also checks the
distillation bar on the dev split.

Modes: ``--mode standard|simpler|shorter`` is the mode of every bundle; a bundle written
``NAME@MODE`` in ``--systems`` runs in that mode instead, so one report compares modes:
``--systems smollm2-135m-student-v1,smollm2-135m-student-v2@simpler``. A bundle in a mode
other than standard is reported as ``NAME@MODE`` (its row and ``config.bundles`` say
``mode``); a bundle without the mode is refused before any generation, naming it.

Sets with references (``asset``: the held-out ASSET sentences, 10 simplifications each) also
get SARI (:mod:`distill.sari`, EASSE's corpus SARI): ``sari`` is the corpus SARI of each
input's *first* candidate (the writer's first card: what ACCESS and EASSE report, one output
per sentence), ``sari_all_candidates`` pools every candidate as its own output row; an input
with no candidate counts as a copy of its source (``sari_no_output`` of them).

Candidates (``--candidates``):

* ``app`` (default): what the app returns. Its filter drops copies and near-duplicates and
  samples again, so the copy rate is measured on the *sampled rows* the filter saw (the
  model's own tendency to copy), and adequacy/diversity/good rate on the returned candidates;
* ``raw``: the first N finished samples, copies included, like the teacher rows.

Example::

    python -m distill.evaluate --systems smollm2-135m-student-v1,smollm2-135m-fewshot,teacher:gpt-3.5 \\
        --sets dev,mrpc,qqp --limit 50 --n 5 --json out.json --markdown out.md
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import platform
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from models import dedupe
from models.catalog import DEFAULT_BUNDLE
from models.pipeline import Candidate, CandidatePipeline, NonEmpty, Source, default_pipeline
from models.student_calibration import StudentCalibration

from . import eval_data, metrics, sari
from .eval_data import EvalInput, TeacherIndex, TeacherSpec
from .eval_embedder import EvalEmbedder, sanity_check
from .paths import data_root

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 100
DEFAULT_N = 5
DEFAULT_DIVERSITY = 0.5
DEFAULT_SEED = 0
TEACHER_PREFIX = "teacher:"
STANDARD_MODE = "standard"
#: A mode suffix: ``NAME@simpler`` (a word after the last ``@``).
_MODE_SUFFIX = re.compile(r"^(?P<name>.+)@(?P<mode>[A-Za-z][A-Za-z0-9_-]*)$")

#: The distillation bar (on the dev split).
BAR_MIN_GOOD_VS_TEACHER = 0.95
BAR_MAX_COPY_RATE = 0.05
BAR_MIN_GOOD_VS_BASE = 2.0
DEFAULT_BAR_BASE = "smollm2-135m-fewshot"
DEFAULT_BAR_TEACHER = "teacher:gpt-3.5"
#: The default student, the zero-shot base it must beat 2x, and the teacher it must reach 0.95x.
DEFAULT_SYSTEMS = f"{DEFAULT_BUNDLE},{DEFAULT_BAR_BASE},{DEFAULT_BAR_TEACHER}"


@dataclass(frozen=True)
class GenerationSettings:
    n: int = DEFAULT_N
    diversity: float = DEFAULT_DIVERSITY
    seed: int = DEFAULT_SEED
    candidates: str = "app"    # "app" or "raw", see the module docstring


@dataclass(frozen=True)
class BundleSpec:
    """A bundle (catalog name or folder) and the mode it runs in.

    ``NAME@MODE`` picks the mode; a plain ``NAME`` runs in the default mode (``--mode``). A
    folder whose path itself ends in ``@word`` is taken as written when it exists.
    """

    name: str
    mode: str = STANDARD_MODE

    @classmethod
    def parse(cls, text: str, default_mode: str = STANDARD_MODE) -> BundleSpec:
        text = text.strip()
        match = _MODE_SUFFIX.match(text)
        if match and not Path(text).exists():
            return cls(match["name"], match["mode"])
        return cls(text, default_mode)

    @property
    def label(self) -> str:
        """The row's name: ``NAME`` in standard mode (as before modes), else ``NAME@MODE``."""
        return self.name if self.mode == STANDARD_MODE else f"{self.name}@{self.mode}"


def system_label(system: str, default_mode: str = STANDARD_MODE) -> str:
    """The report row a ``--systems`` entry becomes (teachers as written)."""
    if system.startswith(TEACHER_PREFIX):
        return system
    return BundleSpec.parse(system, default_mode).label


@dataclass
class SystemOutput:
    """One system's candidates for one set: ``None`` where an input was not covered."""

    candidates: list[list[str] | None]
    seconds: float
    copy_rate: float | None = None      # set when measured on sampled rows (app mode)
    rows_checked: int = 0
    errors: int = 0
    #: Per input, the app's counters (rows sampled, refusals by check...): bundles only, for
    #: the dump, so a shortfall can be traced to the check that caused it.
    stats: list[dict[str, Any]] = field(default_factory=list)


# -- systems ------------------------------------------------------------------------------


class CopyCounter:
    """A pipeline check that refuses nothing and counts the copies of the input it sees.

    Placed right after :class:`~models.pipeline.NonEmpty`, it sees every finished sample
    with words, so the copy rate is the model's own tendency to copy, measured on exactly
    what the app's filter judges.
    """

    name = "copy-counter"

    def __init__(self) -> None:
        self.rows_checked = 0
        self.copies = 0

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        self.rows_checked += 1
        self.copies += dedupe.is_copy(text, source.text)
        return True


def counting_pipeline(counter: CopyCounter, candidates: str, scorer: Any = None,
                      calibration: StudentCalibration | None = None) -> CandidatePipeline:
    """The app's pipeline (with ``scorer``, the meaning check, oversampling and its ranking; with
    the student's ``calibration``, its confidence) with ``counter`` after its non-empty check;
    ``raw``: non-empty only, no oversampling."""
    app = default_pipeline(scorer, calibration=calibration)
    rest = () if candidates == "raw" else tuple(c for c in app.checks if not isinstance(c, NonEmpty))
    return CandidatePipeline(checks=(NonEmpty(), counter, *rest), ranking=app.ranking,
                             oversample=0.0 if candidates == "raw" else app.oversample)


def load_bundle(name: str, settings: GenerationSettings, threads: int | None = None):  # noqa: ANN201
    """Load a bundle by name or folder, its pipeline counting copies (:class:`CopyCounter`)."""
    from models import Paraphraser

    paraphraser = Paraphraser.load(name, threads=threads)
    paraphraser.pipeline = counting_pipeline(CopyCounter(), settings.candidates, paraphraser.scorer,
                                             paraphraser.manifest.confidence)
    return paraphraser


def _copy_counter(paraphraser: Any) -> CopyCounter:
    """The counter in ``paraphraser``'s pipeline (a fresh, unseen one if it has none)."""
    return next((c for c in paraphraser.pipeline.checks if isinstance(c, CopyCounter)), CopyCounter())


def input_seed(seed: int, key: str) -> int:
    """Sampling seed of one input: fixed, and independent of its position in the set."""
    return int.from_bytes(hashlib.sha1(f"{seed}\0{key}".encode()).digest()[:4], "big")


def check_mode(paraphraser: Any, spec: BundleSpec) -> None:
    """Refuse a mode the bundle was not trained for, before minutes of generation elsewhere."""
    modes = tuple(getattr(paraphraser, "modes", (STANDARD_MODE,)))
    if spec.mode not in modes:
        raise ValueError(f"{spec.label}: the model {spec.name} has no mode “{spec.mode}”; "
                         f"its modes: {', '.join(modes)}")


def run_bundle(paraphraser: Any, inputs: Sequence[EvalInput], settings: GenerationSettings,
               desc: str = "", mode: str = STANDARD_MODE) -> SystemOutput:
    """Paraphrase every input with the app's decoding in ``mode``; an input the app refuses is ``[]``."""
    from tqdm.auto import tqdm

    from models import InputError

    counter = _copy_counter(paraphraser)
    counter.rows_checked = counter.copies = 0
    out: list[list[str] | None] = []
    stats: list[dict[str, Any]] = []
    errors = 0
    started = time.perf_counter()
    for item in tqdm(inputs, desc=desc, unit="sent", leave=False):
        try:
            result = paraphraser.paraphrase_sentence(item.text, n=settings.n, diversity=settings.diversity,
                                                     seed=input_seed(settings.seed, item.key), mode=mode)
            out.append([c.text for c in result.candidates])
            stats.append(dict(result.stats))
        except InputError as exc:
            log.warning("%s: input refused (%s): %.60s", desc, exc, item.text)
            errors += 1
            out.append([])
            stats.append({"refused": str(exc)})
    seconds = time.perf_counter() - started
    checked = counter.rows_checked
    copy_rate = counter.copies / checked if checked and settings.candidates == "app" else None
    return SystemOutput(out, seconds, copy_rate, checked, errors, stats)


def run_teacher(index: TeacherIndex, spec: TeacherSpec, inputs: Sequence[EvalInput],
                settings: GenerationSettings) -> SystemOutput:
    """The teacher's own paraphrases of each input (up to N), ``None`` where it has none."""
    started = time.perf_counter()
    names = index.teacher_names()
    out: list[list[str] | None] = []
    for item in inputs:
        texts = eval_data.teacher_candidates(index, item.key, spec, settings.n, settings.seed, names)
        out.append(texts or None)
    return SystemOutput(out, time.perf_counter() - started)


# -- scoring ------------------------------------------------------------------------------


def score_output(embedder: EvalEmbedder, inputs: Sequence[EvalInput], output: SystemOutput,
                 requested: int) -> tuple[metrics.SystemMetrics, list[metrics.ScoredInput]]:
    """Adequacy for every (input, candidate) pair in one embedder call, then the aggregates."""
    covered = [(item, cands) for item, cands in zip(inputs, output.candidates) if cands is not None]
    sources = [item.text for item, cands in covered for _ in cands]
    targets = [c for _, cands in covered for c in cands]
    cosines = embedder.cosine_pairs(sources, targets).tolist()
    scored, at = [], 0
    for item, cands in covered:
        scored.append(metrics.score_input(item.text, cands, cosines[at:at + len(cands)], requested))
        at += len(cands)
    result = metrics.aggregate(scored, copy_rate=output.copy_rate)
    result.extra.update(sari_metrics(inputs, output))
    result.extra.update({"seconds": round(output.seconds, 2),
                         "copy_rate_basis": "sampled rows" if output.copy_rate is not None else "candidates"})
    if output.rows_checked:
        result.extra["rows_checked"] = output.rows_checked
    if output.errors:
        result.extra["errors"] = output.errors
    return result, scored


def sari_metrics(inputs: Sequence[EvalInput], output: SystemOutput) -> dict[str, Any]:
    """Corpus SARI on the inputs that have references and that the system covered ({} if none).

    ``sari``: each input's first candidate (the writer's first card), the number simplification
    papers report (one output per sentence); ``sari_all_candidates``: every candidate as its own
    row. An input with no candidate is scored as a copy of its source (what the writer keeps).
    """
    rows = [(item, cands) for item, cands in zip(inputs, output.candidates)
            if cands is not None and item.references]
    if not rows:
        return {}
    top1 = sari.corpus_sari([item.text for item, _ in rows],
                            [cands[0] if cands else item.text for item, cands in rows],
                            [item.references for item, _ in rows])
    pooled = [(item, cand) for item, cands in rows for cand in (cands or [item.text])]
    every = sari.corpus_sari([item.text for item, _ in pooled], [cand for _, cand in pooled],
                             [item.references for item, _ in pooled])
    return {"sari": top1.sari, "sari_add": top1.add, "sari_keep": top1.keep, "sari_delete": top1.delete,
            "sari_all_candidates": every.sari, "sari_inputs": len(rows),
            "sari_no_output": sum(1 for _, cands in rows if not cands)}


SARI_NOTE = {
    "implementation": "EASSE corpus_sari defaults: lower-cased, sacreBLEU 13a tokens, F1 per n-gram order "
                      "1-4 averaged (deletion F1 too)",
    "sari": "corpus SARI of each input's first candidate (the writer's first card)",
    "sari_all_candidates": "corpus SARI with every candidate as its own row",
    "sari_no_output": "inputs without a candidate, scored as a copy of their source",
    "sari_copy_source": "corpus SARI of copying every source (per set)",
}


def copy_baseline(inputs: Sequence[EvalInput]) -> float | None:
    """Corpus SARI of copying every source: the floor a simplifier must clear (about 20)."""
    rows = [item for item in inputs if item.references]
    if not rows:
        return None
    return sari.corpus_sari([i.text for i in rows], [i.text for i in rows], [i.references for i in rows]).sari


# -- orchestration ------------------------------------------------------------------------


def load_inputs(set_name: str, root: Path, limit: int | None, index: TeacherIndex | None,
                dev_fraction: float, reference: TeacherSpec | None) -> list[EvalInput]:
    if set_name == "dev":
        if index is None:
            raise ValueError("the dev set needs the teacher index")
        items = eval_data.dev_inputs(index, dev_fraction, reference)
    elif set_name == "mrpc":
        items = eval_data.mrpc_sources(root)
    elif set_name == "qqp":
        items = eval_data.qqp_sources(root)
    elif set_name == "asset":
        items = eval_data.asset_inputs(root)
    elif set_name == "news":
        items = eval_data.news_inputs(root)
    else:
        raise ValueError(f"unknown set '{set_name}' (known: {', '.join(eval_data.SETS)})")
    return eval_data.sample(items, limit)


def evaluate(systems: Sequence[str], sets: Sequence[str], *, limit: int | None = DEFAULT_LIMIT,
             settings: GenerationSettings = GenerationSettings(), root: str | Path | None = None,
             dev_fraction: float = eval_data.DEFAULT_DEV_FRACTION,
             reference_teacher: str | None = eval_data.DEFAULT_REFERENCE_TEACHER,
             run_dir: str | Path | None = None, threads: int | None = None,
             embedder: EvalEmbedder | None = None, dump: str | Path | None = None,
             inputs_override: dict[str, list[EvalInput]] | None = None,
             mode: str = STANDARD_MODE, loader: Any = None) -> dict[str, Any]:
    """Evaluate ``systems`` (bundle ``NAME[@MODE]``/folders or ``teacher:NAME[@ORIGIN]``) on ``sets``.

    ``mode``: the mode of a bundle written without ``@MODE``. ``inputs_override`` supplies a
    set's inputs directly (tests, ad-hoc sentence lists); ``loader(name, settings, threads)``
    replaces :func:`load_bundle` (tests).
    """
    root = Path(root) if root else data_root()
    specs: dict[str, BundleSpec] = {}
    for system in systems:
        if system.startswith(TEACHER_PREFIX):
            continue
        spec = BundleSpec.parse(system, mode)
        if spec.label in specs:
            log.warning("%s is listed twice; measured once", spec.label)
        specs[spec.label] = spec
    teachers = [TeacherSpec.parse(s[len(TEACHER_PREFIX):]) for s in systems if s.startswith(TEACHER_PREFIX)]
    reference = TeacherSpec.parse(reference_teacher) if reference_teacher else None
    embedder = embedder or EvalEmbedder(threads=threads)
    sanity = sanity_check(embedder)
    # Load every bundle (once, whatever its modes) and check its modes first: a missing
    # bundle or mode should fail before minutes of generation.
    loader = loader or load_bundle
    models_by_name: dict[str, Any] = {}
    for spec in specs.values():
        if spec.name not in models_by_name:
            models_by_name[spec.name] = loader(spec.name, settings, threads)
        check_mode(models_by_name[spec.name], spec)
    loaded = {label: models_by_name[spec.name] for label, spec in specs.items()}
    needs_index = bool(teachers) or any(s == "dev" and s not in (inputs_override or {}) for s in sets)
    index = TeacherIndex.load(root) if needs_index else None

    report: dict[str, Any] = {
        "config": {
            "systems": list(systems), "sets": list(sets), "limit": limit, "n": settings.n,
            "diversity": settings.diversity, "seed": settings.seed, "candidates": settings.candidates,
            "mode": mode,
            "thresholds": {"min_adequacy": metrics.MIN_ADEQUACY,
                           "min_lexical_diversity": metrics.MIN_LEXICAL_DIVERSITY},
            "embedder": {**embedder.description, "sanity": {"paraphrase": round(sanity[0], 4),
                                                           "unrelated": round(sanity[1], 4)}},
            "bundles": {label: {"folder": str(p.folder), "model": p.name, "mode": specs[label].mode,
                                "modes": list(getattr(p, "modes", (STANDARD_MODE,)))}
                        for label, p in loaded.items()},
            "data_root": str(root), "dev_fraction": dev_fraction, "reference_teacher": reference_teacher,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "host": platform.node(), "threads": threads,
        },
        "sets": {},
    }
    dump_fh = open(dump, "w", encoding="utf-8") if dump else None
    try:
        for set_name in sets:
            if inputs_override and set_name in inputs_override:
                inputs = list(inputs_override[set_name])
            else:
                inputs = load_inputs(set_name, root, limit, index, dev_fraction, reference)
            entry: dict[str, Any] = {"n_inputs": len(inputs), "systems": {}, "unavailable": []}
            baseline = copy_baseline(inputs)
            if baseline is not None:
                entry["sari_copy_source"] = baseline
            if set_name == "dev" and run_dir:
                entry["run_check"] = eval_data.check_against_run(inputs, run_dir)
            log.info("%s: %d inputs", set_name, len(inputs))
            outputs: dict[str, SystemOutput] = {}
            for label, paraphraser in loaded.items():
                outputs[label] = run_bundle(paraphraser, inputs, settings, desc=f"{set_name} {label}",
                                            mode=specs[label].mode)
            for spec in teachers:
                out = run_teacher(index, spec, inputs, settings)
                if all(c is None for c in out.candidates):
                    entry["unavailable"].append(spec.label)
                    log.info("%s: %s has no paraphrases of these inputs", set_name, spec.label)
                    continue
                outputs[spec.label] = out
            for label, out in outputs.items():
                result, scored = score_output(embedder, inputs, out, settings.n)
                if label in specs:
                    result.extra["mode"] = specs[label].mode
                entry["systems"][label] = result.to_dict()
                if dump_fh:
                    stats = [s for s, cands in zip(out.stats, out.candidates) if cands is not None] or None
                    _dump(dump_fh, set_name, label, scored, specs[label].mode if label in specs else None, stats)
            report["sets"][set_name] = entry
            if baseline is not None:
                report["config"]["sari"] = SARI_NOTE
    finally:
        if dump_fh:
            dump_fh.close()
    return report


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _dump(fh: Any, set_name: str, label: str, scored: Sequence[metrics.ScoredInput],
          mode: str | None = None, stats: Sequence[dict[str, Any]] | None = None) -> None:
    """One JSON line per input; ``stats``: each input's app counters, in ``scored``'s order."""
    for i, item in enumerate(scored):
        row = {
            "set": set_name, "system": label, "source": item.source,
            "set_diversity": _round(item.set_diversity),
            "candidates": [{"text": c.text, "adequacy": round(c.adequacy, 4),
                            "lexical_diversity": round(c.lexical_diversity, 4), "copy": c.copy,
                            "good": c.good, "words_ratio": _round(c.words_ratio),
                            "invented_number": c.invented_number, "numbers_kept": c.numbers_kept}
                           for c in item.candidates],
        }
        if mode is not None:
            row["mode"] = mode
        if stats is not None:
            row["stats"] = stats[i]
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")


# -- the bar ------------------------------------------------------------------------------


def check_bar(report: dict[str, Any], student: str, base: str = DEFAULT_BAR_BASE,
              teacher: str = DEFAULT_BAR_TEACHER, set_name: str = "dev") -> dict[str, Any]:
    """The issue's bar on one set: good rate >= 0.95x the teacher's and >= 2x the base's,
    copy rate <= 5%. Missing rows make the check fail with the reason, never pass."""
    rows = report["sets"].get(set_name, {}).get("systems", {})
    missing = [name for name in (student, base, teacher) if name not in rows]
    if missing:
        return {"set": set_name, "passed": False, "reason": f"no rows for {', '.join(missing)}"}
    s, b, t = rows[student], rows[base], rows[teacher]

    def at_least(num: float | None, den: float | None, factor: float) -> dict[str, Any]:
        """``num >= factor * den``, compared by multiplication so a zero ``den`` is fine."""
        ok = num is not None and den is not None and num >= factor * den and num > 0
        value = None if num is None or not den else round(num / den, 4)
        return {"value": value, "min": factor, "passed": ok}

    copy = s["copy_rate"]
    checks = {
        "good_vs_teacher": at_least(s["good_rate"], t["good_rate"], BAR_MIN_GOOD_VS_TEACHER),
        "copy_rate": {"value": copy, "max": BAR_MAX_COPY_RATE,
                      "passed": copy is not None and copy <= BAR_MAX_COPY_RATE},
        "good_vs_base": at_least(s["good_rate"], b["good_rate"], BAR_MIN_GOOD_VS_BASE),
    }
    return {"set": set_name, "student": student, "base": base, "teacher": teacher,
            "passed": all(c["passed"] for c in checks.values()), "checks": checks}


# -- output -------------------------------------------------------------------------------

COLUMNS = (("n_inputs", "inputs"), ("n_candidates", "candidates"), ("adequacy_mean", "adequacy"),
           ("lexical_diversity_mean", "lexical div."), ("set_diversity", "set div."),
           ("copy_rate", "copy rate"), ("good_rate", "good rate"), ("top1_good_rate", "top-1 good"),
           ("words_ratio", "words ratio"), ("invented_number_rate", "new numbers"),
           ("numbers_kept_rate", "numbers kept"), ("seconds", "seconds"))
#: Shown before ``seconds`` on a set where some row has SARI.
SARI_COLUMNS = (("sari", "SARI (top-1)"), ("sari_all_candidates", "SARI (all)"))


def _columns(rows: Sequence[dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    if any("sari" in row for row in rows):
        return (*COLUMNS[:-1], *SARI_COLUMNS, COLUMNS[-1])
    return COLUMNS


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def render_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: a config line, one table per set, then the bar if checked."""
    cfg = report["config"]
    lines = [f"Evaluation: n={cfg['n']}, diversity={cfg['diversity']}, seed={cfg['seed']}, "
             f"candidates={cfg['candidates']}, limit={cfg['limit']}, mode={cfg.get('mode', STANDARD_MODE)} "
             f"(NAME@MODE rows: that mode); adequacy = cosine under "
             f"{cfg['embedder']['model']}; good = adequacy ≥ {cfg['thresholds']['min_adequacy']} and "
             f"lexical diversity ≥ {cfg['thresholds']['min_lexical_diversity']}.", ""]
    for set_name, entry in report["sets"].items():
        columns = _columns(list(entry["systems"].values()))
        lines += [f"### {set_name} ({entry['n_inputs']} inputs)", "",
                  "| system | " + " | ".join(h for _, h in columns) + " |",
                  "|---|" + "---:|" * len(columns)]
        for label, row in entry["systems"].items():
            lines.append(f"| {label} | " + " | ".join(_cell(row.get(k)) for k, _ in columns) + " |")
        if entry.get("unavailable"):
            lines.append(f"\nNo data for: {', '.join(entry['unavailable'])}.")
        if "sari_copy_source" in entry:
            lines.append(f"\nSARI (EASSE's corpus SARI) of the first candidate per input (the writer's first "
                         f"card; an input without a candidate counts as a copy) and of all candidates; "
                         f"copying the sources scores {entry['sari_copy_source']:.2f}.")
        lines.append("")
    bar = report.get("bar")
    if bar:
        verdict = "PASSED" if bar["passed"] else "FAILED"
        lines.append(f"**Bar on {bar['set']}: {verdict}**" + (f" ({bar['reason']})" if "reason" in bar else ""))
        for name, check in bar.get("checks", {}).items():
            limit = f"≥ {check['min']}" if "min" in check else f"≤ {check['max']}"
            lines.append(f"- {name}: {_cell(check['value'])} ({limit}) {'ok' if check['passed'] else 'FAIL'}")
        lines.append("")
    copy_note = any(r.get("copy_rate_basis") == "sampled rows"
                    for e in report["sets"].values() for r in e["systems"].values())
    if copy_note:
        lines.append("Bundle copy rates are measured on all sampled rows the app's filter saw "
                     "(it drops copies before returning); teacher copy rates on their paraphrases.")
    return "\n".join(lines).rstrip() + "\n"


# -- CLI ----------------------------------------------------------------------------------


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="paraphrase-studio evaluate", description=__doc__.split("\n")[0])
    p.add_argument("--systems", default=DEFAULT_SYSTEMS,
                   help="comma-separated bundle names/folders, each optionally NAME@MODE (e.g. "
                        "smollm2-135m-student-v2@simpler), and teacher:NAME[@ORIGIN] rows "
                        f"(default: {DEFAULT_SYSTEMS})")
    p.add_argument("--sets", default=",".join(eval_data.DEFAULT_SETS),
                   help=f"comma-separated: {', '.join(eval_data.SETS)} (default: {','.join(eval_data.DEFAULT_SETS)}); "
                        "asset: the held-out ASSET sentences with SARI; news: newstest2012, 8-40 words")
    p.add_argument("--mode", default=STANDARD_MODE,
                   help="the mode of every bundle without @MODE: standard, simpler, shorter... "
                        "(a bundle without that mode is refused)")
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="sentences per set (0 = all)")
    p.add_argument("--n", type=int, default=DEFAULT_N, help="candidates per sentence")
    p.add_argument("--diversity", type=float, default=DEFAULT_DIVERSITY)
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--candidates", choices=("app", "raw"), default="app",
                   help="app: what the app returns (copy rate on sampled rows); raw: first N samples")
    p.add_argument("--data-root", help="default: $PARAPHRASE_STUDIO_DATA or ../shared/data")
    p.add_argument("--run", help="a prepared run folder: use its dev fraction and check dev inputs against it")
    p.add_argument("--dev-fraction", type=float, default=None,
                   help=f"default: the run's, else {eval_data.DEFAULT_DEV_FRACTION}")
    p.add_argument("--reference-teacher", default=eval_data.DEFAULT_REFERENCE_TEACHER,
                   help="dev inputs are seeds this teacher paraphrased at least twice")
    p.add_argument("--threads", type=int, default=None, help="onnxruntime threads (default: all cores)")
    p.add_argument("--bar", metavar="STUDENT", help="check the distillation bar for this bundle on dev")
    p.add_argument("--bar-base", default=DEFAULT_BAR_BASE)
    p.add_argument("--bar-teacher", default=DEFAULT_BAR_TEACHER)
    p.add_argument("--json", help="write the report here")
    p.add_argument("--markdown", help="write the Markdown table here")
    p.add_argument("--dump", help="write every candidate with its scores here (JSONL)")
    p.add_argument("-v", "--verbose", action="store_true")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    systems = _csv(args.systems)
    sets = _csv(args.sets)
    if args.bar:
        for name in (args.bar, args.bar_base, args.bar_teacher):
            if name not in systems:
                systems.append(name)
        if "dev" not in sets:
            sets.insert(0, "dev")
    dev_fraction = args.dev_fraction
    if dev_fraction is None and args.run:
        dev_fraction = eval_data.run_dev_fraction(args.run)
    from models import ParaphraseStudioError

    unknown = [s for s in sets if s not in eval_data.SETS]
    if unknown:
        print(f"error: unknown set {', '.join(unknown)} (known: {', '.join(eval_data.SETS)})", file=sys.stderr)
        return 2
    settings = GenerationSettings(n=args.n, diversity=args.diversity, seed=args.seed, candidates=args.candidates)
    try:
        report = evaluate(systems, sets, limit=args.limit or None, settings=settings, root=args.data_root,
                          dev_fraction=dev_fraction or eval_data.DEFAULT_DEV_FRACTION,
                          reference_teacher=args.reference_teacher or None, run_dir=args.run,
                          threads=args.threads, dump=args.dump, mode=args.mode)
    except (FileNotFoundError, ValueError, RuntimeError, ParaphraseStudioError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.bar:
        report["bar"] = check_bar(report, system_label(args.bar, args.mode),
                                  system_label(args.bar_base, args.mode), args.bar_teacher)
    markdown = render_markdown(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.markdown:
        Path(args.markdown).write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0 if not args.bar or report["bar"]["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
