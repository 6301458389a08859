"""Hard negatives for the meaning scorer: a good paraphrase, changed in one way that breaks it.

The embedders we measure adequacy with are blind to exactly the edits that hurt a writer
most (a changed number, a swapped name, an added "not", "rose" for "fell", two roles
swapped, a dropped clause, an invented detail), so the scorer has to see them as
negatives. Each edit here takes a sentence that keeps its source's meaning and returns
the sentence changed in one such way, or None when the sentence offers nothing to change
(no number, no name, ...). Edits are plain string rules on purpose: they must be cheap for
thousands of pairs and predictable enough to read; each is deterministic given its
``random.Random``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from models.reversals import REVERSAL_PAIRS

#: Word pairs whose swap reverses a statement (both directions are used); the runtime's list.
FLIPS = REVERSAL_PAIRS
_FLIP = {a: b for a, b in FLIPS} | {b: a for a, b in FLIPS}

_AUX = ("is", "was", "are", "were", "will", "can", "could", "would", "should", "has", "have",
        "had", "does", "did", "must", "may", "might")
_NEGATED = re.compile(r"\b(" + "|".join(_AUX) + r") not\b|\bnever\b|\b(\w+)n't\b", re.IGNORECASE)
_AUX_WORD = re.compile(r"\b(" + "|".join(_AUX) + r")\b(?! not)", re.IGNORECASE)

_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])")
#: A capitalised word that is not the sentence's first word (a name, more or less).
_NAME = re.compile(r"(?<=[\w,;:)] )[A-Z][a-z]+(?:[- ][A-Z][a-z]+)*")
_NOT_NAMES = {"I", "The", "A", "An", "In", "On", "At", "This", "That", "It", "He", "She", "They",
              "We", "You", "But", "And", "Or", "If", "When", "While", "After", "Before", "As"}
_NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve",
                 "twenty", "fifty", "hundred")

#: Names to swap in: common, varied, and not likely to be in the sentence already.
REPLACEMENT_NAMES = ("Smith", "Johnson", "Garcia", "Miller", "Brown", "Chen", "Patel", "Nguyen",
                     "London", "Paris", "Texas", "Canada", "Germany", "Tokyo", "Microsoft", "Apple",
                     "Monday", "Friday", "January", "October", "Robert", "Maria", "David", "Sarah")

#: Details a writer never wrote: a date, a place, a source, an amount, a manner.
INVENTED_DETAILS = ("in 2019", "last Tuesday", "in Chicago", "according to the police",
                    "for the first time", "by 15 percent", "after a long delay", "in secret",
                    "at the request of the mayor", "for $2 million", "within three weeks",
                    "despite strong opposition", "in the north of the country", "by mistake",
                    "twice", "on Sunday morning", "with the help of volunteers", "for the last time")

_CLAUSE_CUTS = re.compile(r",\s+(?:and|but|which|who|while|although|because|after|before|when|as)\s+"
                          r"|\s+(?:because|although|while|after|before|which|who|and|but)\s+|,\s+")


def change_number(text: str, rng: random.Random) -> str | None:
    """One number written differently: "$300" -> "$30", "1998" -> "1999", "12%" -> "21%"."""
    matches = list(_NUMBER.finditer(text))
    if not matches:
        return None
    match = rng.choice(matches)
    digits = match.group()
    plain = digits.replace(",", "")
    choices: list[str] = []
    if "." in plain:
        whole, frac = plain.split(".", 1)
        choices += [f"{whole}.{frac[::-1]}" if frac[::-1] != frac else f"{whole}.{int(frac) + 1}",
                    whole or "0"]
    else:
        value = int(plain)
        choices += [str(value + rng.choice((1, 2, 10))), str(max(0, value - rng.choice((1, 3)))),
                    str(value * 10), str(value // 10) if value >= 10 else str(value + 5)]
        if len(plain) >= 2 and plain[::-1] != plain and not plain.endswith("0"):
            choices.append(plain[::-1])
    choices = [c for c in choices if c != plain]
    if not choices:
        return None
    return text[:match.start()] + rng.choice(choices) + text[match.end():]


def swap_name(text: str, rng: random.Random) -> str | None:
    """One name replaced by another ("Dr. Chen" -> "Dr. Patel")."""
    names = [m for m in _NAME.finditer(text) if m.group() not in _NOT_NAMES]
    if not names:
        return None
    match = rng.choice(names)
    options = [n for n in REPLACEMENT_NAMES if n not in text]
    return text[:match.start()] + rng.choice(options) + text[match.end():]


def toggle_negation(text: str, rng: random.Random) -> str | None:
    """Remove a negation where there is one, else add one after an auxiliary verb."""
    negated = list(_NEGATED.finditer(text))
    if negated:
        match = rng.choice(negated)
        found = match.group()
        if found.lower() == "never":
            new = "always" if found.islower() else "Always"
        elif found.lower().endswith("n't"):
            stem = found[:-3]
            new = {"won": "will", "can": "can", "Won": "Will", "Can": "Can"}.get(stem, stem)
        else:
            new = found.split()[0]
        return text[:match.start()] + new + text[match.end():]
    aux = list(_AUX_WORD.finditer(text))
    if not aux:
        return None
    match = rng.choice(aux)
    return text[:match.end()] + " not" + text[match.end():]


def flip_direction(text: str, rng: random.Random) -> str | None:
    """One word replaced by its opposite: rose/fell, before/after, because/despite, ..."""
    words = [m for m in re.finditer(r"[A-Za-z']+", text) if m.group().lower() in _FLIP]
    if not words:
        return None
    match = rng.choice(words)
    found = match.group()
    new = _FLIP[found.lower()]
    if found[0].isupper():
        new = new[0].upper() + new[1:]
    return text[:match.start()] + new + text[match.end():]


def swap_roles(text: str, rng: random.Random) -> str | None:
    """Two names or two numbers trade places ("Smith beat Jones" -> "Jones beat Smith").

    PAWS-style: the same words, so bag-of-words and embedding similarity barely move.
    """
    for pattern in (_NAME, _NUMBER):
        found = [m for m in pattern.finditer(text) if m.group() not in _NOT_NAMES]
        distinct = list({m.group(): m for m in found}.values())
        if len(distinct) >= 2:
            a, b = sorted(rng.sample(distinct, 2), key=lambda m: m.start())
            return (text[:a.start()] + b.group() + text[a.end():b.start()] + a.group()
                    + text[b.end():])
    return None


def drop_clause(text: str, rng: random.Random) -> str | None:
    """A clause or trailing detail left out (at least three words go, at least four stay)."""
    cuts = [m for m in _CLAUSE_CUTS.finditer(text)]
    options: list[str] = []
    for match in cuts:
        head, tail = text[:match.start()], text[match.end():]
        # Drop the part after the cut, or the part before it (when the tail is a full clause).
        for kept, dropped in ((head, tail), (tail, head)):
            if len(kept.split()) >= 4 and len(dropped.split()) >= 3:
                kept = kept.strip(" ,;")
                options.append(kept[0].upper() + kept[1:] + ("" if kept[-1] in ".!?" else "."))
    return rng.choice(options) if options else None


def invent_detail(text: str, rng: random.Random) -> str | None:
    """A detail the source never gave, added before the final punctuation or at a comma."""
    detail = rng.choice([d for d in INVENTED_DETAILS if d not in text])
    body, end = (text[:-1], text[-1]) if text and text[-1] in ".!?" else (text, "")
    commas = [m.start() for m in re.finditer(",", body)]
    if commas and rng.random() < 0.4:
        at = rng.choice(commas)
        return body[:at] + " " + detail + body[at:] + end
    return f"{body} {detail}{end}"


def change_number_word(text: str, rng: random.Random) -> str | None:
    """A number written as a word changed ("three" -> "five")."""
    words = [m for m in re.finditer(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", text, re.IGNORECASE)]
    if not words:
        return None
    match = rng.choice(words)
    new = rng.choice([w for w in _NUMBER_WORDS if w != match.group().lower()])
    if match.group()[0].isupper():
        new = new.capitalize()
    return text[:match.start()] + new + text[match.end():]


#: Every edit by name; the name is written with each negative so its share can be counted.
PERTURBATIONS: dict[str, Callable[[str, random.Random], str | None]] = {
    "number": change_number,
    "number_word": change_number_word,
    "name": swap_name,
    "negation": toggle_negation,
    "flip": flip_direction,
    "roles": swap_roles,
    "drop": drop_clause,
    "invent": invent_detail,
}


def perturb(text: str, rng: random.Random, kinds: tuple[str, ...] | None = None) -> tuple[str, str] | None:
    """``(kind, changed text)`` from the first applicable edit in a random order, or None."""
    return first_change(text, {kind: PERTURBATIONS[kind] for kind in (kinds or PERTURBATIONS)}, rng)


def first_change(text: str, edits: dict[str, Callable[[str, random.Random], str | None]],
                 rng: random.Random) -> tuple[str, str] | None:
    """``(kind, changed text)`` from the first of ``edits``, tried in a random order, that
    changes the text, or None; the one loop behind :func:`perturb` and the order data's
    swaps (:mod:`distill.word_swaps`)."""
    order = list(edits)
    rng.shuffle(order)
    for kind in order:
        changed = edits[kind](text, rng)
        if changed and changed.strip() != text.strip():
            return kind, changed
    return None
