"""Same words, another order: the pairs the meaning scorer cannot judge.

"The union sued the city" and "The city sued the union" share every word. The meaning scorer
learnt lexical evidence well (an invented detail, a changed name, a negation: held-out AUC
0.97-0.999) and word order hardly at all: on PAWS-Wiki's word-swap pairs it ranks paraphrases
above non-paraphrases 62 % of the time. A second cross-encoder, trained on such pairs only
(``models/scorers/minilm-l6-order-v4``), judges them instead.

Which pairs go to it: those whose words are nearly the same (:data:`SAME_WORDS_AT`, the Dice
share of their word multisets) and where at least one shared word moved (shared words minus
their longest common subsequence). A word replaced in place ("the city sued the union" →
"the town sued the union") moves nothing, so the phrase alternatives' rewritten sentences and
a source scored against itself stay with the meaning scorer; a student row that reorders the
source's own words goes to the order model. Measured on PAWS-Wiki dev (8,000 pairs): 6,562
are such pairs; of the 468 candidates student v2 showed on held-out news and dev in session
42, 48 are.

Runtime only, pure Python: a 40-word pair costs a fraction of a millisecond.
"""

from __future__ import annotations

from collections import Counter

from .dedupe import words

#: The least Dice share of the two word multisets for a pair to count as "the same words".
SAME_WORDS_AT = 0.8
#: How many shared words must have moved (see the module docstring).
MOVED_AT = 1

def common_subsequence(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two word lists (dynamic programming)."""
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def reorder_measure(source: str, candidate: str) -> tuple[float, int]:
    """(Dice share of the two word multisets, shared words that moved); words as the copy check
    compares them (:func:`models.dedupe.words`: case-folded, punctuation ignored)."""
    a, b = words(source), words(candidate)
    if not a or not b:
        return 0.0, 0
    shared = sum((Counter(a) & Counter(b)).values())
    if not shared:
        return 0.0, 0
    return 2 * shared / (len(a) + len(b)), shared - common_subsequence(a, b)


def is_reordering(source: str, candidate: str) -> bool:
    """True when ``candidate`` says ``source`` with nearly the same words, some in other places:
    a pair whose meaning turns on word order, which the order model judges."""
    share, moved = reorder_measure(source, candidate)
    return share >= SAME_WORDS_AT and moved >= MOVED_AT
