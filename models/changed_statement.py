"""A pair score that knows what the scorer cannot see: a statement turned round.

``paraphrase-studio score`` gives the probability that a candidate keeps its source's meaning.
The meaning scorer reads word order poorly: two names that changed places ("Anna sent the
report to Mark" → "Mark sent the report to Anna") keep every word, and on PAWS-Wiki's
word-swap pairs it ranks paraphrases above non-paraphrases only 62 % of the time. The
candidate pipeline refuses such a candidate outright (:class:`models.pipeline.KeepsRoles` for
names, numbers or words that changed places, :class:`~models.pipeline.KeepsDirection` for a word turned
into its opposite), so a pair score should say what the app would do.

Only these rules apply here: they say the statement changed under any reading. The facts
rules do not: human paraphrase labels allow a dropped detail (of 777 held-out MRPC pairs the
facts check flags, 615 are labelled paraphrases), and applying them lowered the held-out
PAWS and MRPC AUC (0.623 → 0.584, 0.760 → 0.729).

A pair a rule flags keeps :data:`FLAGGED_SHARE` of the scorer's probability. Measured on the
scorer's 3,834 held-out pairs (``runs/s26/auc_final.py``): 415 flagged, 19 of them labelled as
keeping the meaning (4.6 %), at a mean scorer probability of 0.52, so 0.09 maps them to what
was observed. Held-out ROC AUC: PAWS 0.623 → 0.743, teacher pairs with made negatives 0.904 →
0.924, QQP 0.955 → 0.958, MRPC 0.760 → 0.755 (two of its pairs are reports of one event written
on different days, "yesterday" against "today", labelled paraphrases; for a writer's sentence
that is a changed date).
"""

from __future__ import annotations

from .reversals import reversed_words
from .roles import swapped

#: The share of the scorer's probability a flagged pair keeps (see the module docstring).
FLAGGED_SHARE = 0.09


def changed_statement(source: str, candidate: str) -> str:
    """Why ``candidate`` says something else than ``source`` whatever its wording ("Anna and
    Mark changed places", "“defeated” became “passed”"), or "" when no rule sees it."""
    pairs = swapped(source, candidate)
    if pairs:
        a, b = pairs[0]
        return f"{a} and {b} changed places" if a[:1].isupper() else f"“{a}” and “{b}” changed places"
    reversed_pairs = reversed_words(source, candidate)
    if reversed_pairs:
        said, written = reversed_pairs[0]
        return f"“{said}” became “{written}”"
    return ""


def pair_score(probability: float, reason: str) -> float:
    """The scorer's ``probability``, scaled by :data:`FLAGGED_SHARE` when ``reason`` is set."""
    return probability * FLAGGED_SHARE if reason else probability
