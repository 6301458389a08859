"""The catalog of meaning scorers: which committed scorer builds which bundle.

A committed scorer (``models/scorers/<name>/``: ``scorer.json``, fp16 ``weights.safetensors``,
a model card) is what training produces; ``export`` turns it into a bundle under
``models/bundles/<name>/`` (int8 ONNX + tokenizer + manifest), which the runtime
(:mod:`models.scorer`) loads. The rebuild command every scorer error shows is made here,
from one list of arguments, so the message and any process that runs it cannot disagree.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path

from .catalog import FROZEN_FIX, bundles_dir, is_frozen
from .errors import ParaphraseStudioError

#: The scorer the candidate pipeline and ``paraphrase-studio score`` use when none is named.
DEFAULT_SCORER = "minilm-l4-meaning-v1"
#: The default scorer's companion for pairs that reorder the same words (:mod:`models.word_order`).
ORDER_SCORER = "minilm-l6-order-v4"
#: ``none`` switches the order companion off (the meaning scorer then judges every pair); a
#: bundle name or folder puts that companion in its place (an A/B of a new one, no code edited).
ORDER_SCORER_ENV = "PARAPHRASE_STUDIO_ORDER_SCORER"
_OFF = frozenset({"none", "off", "0", "false", "no"})

#: Where trained scorers are committed, one folder each.
SCORERS_DIR = Path(__file__).resolve().parent / "scorers"

#: The file that makes a folder a committed scorer.
SCORER_CONFIG = "scorer.json"


class UnknownScorerError(ParaphraseStudioError, ValueError):
    """No committed scorer has this name; the message lists the known ones."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"unknown scorer '{name}' (known: {', '.join(known) or 'none'})")


@dataclass(frozen=True)
class ScorerRecipe:
    """A committed scorer: its name and the folder ``export`` builds it from."""

    name: str
    folder: Path
    description: str = ""
    #: The scorer that judges this one's reordering pairs (:mod:`models.word_order`), if any.
    order_scorer: str | None = None

    @property
    def committed(self) -> bool:
        """True once training has committed it (the lead may still be training it)."""
        return (self.folder / SCORER_CONFIG).is_file()


SCORERS: dict[str, ScorerRecipe] = {
    DEFAULT_SCORER: ScorerRecipe(
        name=DEFAULT_SCORER,
        folder=SCORERS_DIR / DEFAULT_SCORER,
        description=("A 4-layer cut of all-MiniLM-L6-v2 as a cross-encoder: the probability that a "
                     "candidate keeps its source's meaning (models/scorers/minilm-l4-meaning-v1/README.md)."),
        order_scorer=ORDER_SCORER,
    ),
    ORDER_SCORER: ScorerRecipe(
        name=ORDER_SCORER,
        folder=SCORERS_DIR / ORDER_SCORER,
        description=("All six layers of all-MiniLM-L6-v2 as a cross-encoder trained on reordered pairs (PAWS-Wiki, "
                     "MRPC, teacher rewrites, PAWS-style swaps, details changed), read both ways: judges a "
                     "candidate that reorders its source's words (models/scorers/minilm-l6-order-v4/README.md)."),
    ),
}

#: The scorers ``./studio build`` builds: the default and its companion (the installer ships the
#: default only: ``build.spec``).
DEFAULT_SCORERS = (DEFAULT_SCORER, ORDER_SCORER)


def get_scorer(name: str) -> ScorerRecipe:
    """The catalog entry called ``name``, or :class:`UnknownScorerError` naming the known ones."""
    try:
        return SCORERS[name]
    except KeyError:
        raise UnknownScorerError(name, sorted(SCORERS)) from None


def order_scorer_for(folder: Path) -> str | None:
    """The order companion to load beside the scorer bundle in ``folder`` (a catalog scorer's,
    found by the folder's name), or None: none in the catalog, or switched off by
    :envvar:`PARAPHRASE_STUDIO_ORDER_SCORER` = ``none``.

    Any other value of that variable names the companion instead: a bundle name beside
    ``folder`` or a folder path (an absolute path stays itself when joined to ``folder``'s
    parent). Why: a newly trained companion is compared with the shipped one through the
    real ``score`` and ``evaluate`` commands, not through a copy of their wiring."""
    recipe = SCORERS.get(Path(folder).name)
    if recipe is None or recipe.order_scorer is None:
        return None
    chosen = _order_setting()
    if chosen.casefold() in _OFF:
        return None
    return os.path.abspath(os.path.expanduser(chosen)) if ("/" in chosen or os.sep in chosen) else (
        chosen or recipe.order_scorer)


def order_scorer_is_chosen() -> bool:
    """Whether :envvar:`PARAPHRASE_STUDIO_ORDER_SCORER` names a companion (not unset, not ``none``):
    then a missing bundle is an error, not the installer's quiet fallback, so a typo never
    measures the meaning scorer alone under the new companion's name."""
    chosen = _order_setting()
    return bool(chosen) and chosen.casefold() not in _OFF


def _order_setting() -> str:
    """:envvar:`PARAPHRASE_STUDIO_ORDER_SCORER` as set, trimmed ("" when unset)."""
    return os.environ.get(ORDER_SCORER_ENV, "").strip()


def resolve_scorer_bundle(name_or_folder: str | os.PathLike[str] | None) -> Path:
    """A scorer name, a bundle folder or ``None`` (the default) -> the bundle folder.

    The same rule as :func:`models.catalog.resolve_bundle`: an existing folder, or anything
    that looks like a path, is taken as is; a bare name lives in :func:`bundles_dir`.
    """
    if name_or_folder is None:
        return bundles_dir() / DEFAULT_SCORER
    candidate = Path(name_or_folder).expanduser()
    text = os.fspath(name_or_folder)
    if candidate.is_dir() or os.sep in text or "/" in text or text.startswith("."):
        return candidate
    return bundles_dir() / text


def scorer_rebuild_arguments(name: str, folder: Path | None = None) -> list[str]:
    """The ``paraphrase-studio`` arguments that rebuild scorer bundle ``name`` (kept in ``folder``)."""
    if folder is not None:
        name = Path(folder).name or name
    arguments = ["export", "--scorer", name]
    if folder is not None and not _in_bundles_dir(Path(folder)):
        arguments += ["--out", str(Path(folder).expanduser().absolute().parent)]
    return [*arguments, "--force"]


def scorer_rebuild_command(name: str, folder: Path | None = None) -> str:
    """The command a user runs to (re)build a scorer bundle; shown in every scorer error."""
    if is_frozen():
        return FROZEN_FIX
    arguments = scorer_rebuild_arguments(name, folder)
    command = shlex.join(["paraphrase-studio", *arguments])
    if arguments in (["export", "--scorer", name, "--force"] for name in DEFAULT_SCORERS):
        return f"./studio build   (or: {command})"
    return command


def _in_bundles_dir(folder: Path) -> bool:
    try:
        return folder.expanduser().resolve().parent == bundles_dir().resolve()
    except (OSError, RuntimeError):  # unreadable path or symlink loop: name --out explicitly
        return False
