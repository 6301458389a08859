"""Units of measure after a number: "5 miles" is not "5 kilometres".

The facts check keeps every number's value, and its currency or percent sign, but until this
rule "The road is 5 miles long." -> "… 5 kilometres long.", "He weighs 80 kilograms." -> "…
80 pounds." and "It took 3 hours." -> "It took 3 days." passed every check: the number was
kept, the unit after it was not read. A paraphrase that converts ("5 miles" -> "8 kilometres")
already changes the number and is refused for that.

:func:`unit_after` reads the unit written right after a number ("5 miles", "5-mile", "80 kg",
"300 square feet", "3 more hours" does not count: only an optional "square"/"cubic"/"metric"
may stand between); :func:`changed_units` compares the (value, unit) pairs of a candidate with
its source's: a value the source gives with one unit and the candidate with another, which
the source never gives that value with, is a change.
"""

from __future__ import annotations

import re

#: Each unit and the ways it is written (lower case; plurals are added by the pattern).
_UNITS: dict[str, tuple[str, ...]] = {
    "second": ("second", "sec", "secs"),
    "minute": ("minute", "min", "mins"),
    "hour": ("hour", "hr", "hrs", "h"),
    "day": ("day",),
    "week": ("week", "wk"),
    "month": ("month",),
    "year": ("year", "yr", "yrs"),
    "decade": ("decade",),
    "century": ("century", "centuries"),
    "millimetre": ("millimetre", "millimeter", "mm"),
    "centimetre": ("centimetre", "centimeter", "cm"),
    "metre": ("metre", "meter", "m"),
    "kilometre": ("kilometre", "kilometer", "km", "kms"),
    "inch": ("inch", "inches", "in"),
    "foot": ("foot", "feet", "ft"),
    "yard": ("yard", "yd"),
    "mile": ("mile", "mi"),
    "milligram": ("milligram", "mg"),
    "gram": ("gram", "gramme", "g"),
    "kilogram": ("kilogram", "kilogramme", "kilo", "kg", "kgs"),
    "tonne": ("tonne", "ton", "tons", "t"),
    "pound": ("pound", "lb", "lbs"),
    "ounce": ("ounce", "oz"),
    "stone": ("stone",),
    "millilitre": ("millilitre", "milliliter", "ml"),
    "litre": ("litre", "liter", "l"),
    "gallon": ("gallon", "gal"),
    "pint": ("pint",),
    "acre": ("acre",),
    "hectare": ("hectare", "ha"),
    "mph": ("mph", "miles per hour"),
    "km/h": ("km/h", "kph", "kilometres per hour", "kilometers per hour"),
    "degree": ("degree", "°"),
    "watt": ("watt", "w"),
    "kilowatt": ("kilowatt", "kw"),
    "megawatt": ("megawatt", "mw"),
    "gigawatt": ("gigawatt", "gw"),
    "kilowatt-hour": ("kilowatt-hour", "kilowatt hour", "kwh"),
    "kilobyte": ("kilobyte", "kb", "kbyte", "k-byte", "k byte"),
    "megabyte": ("megabyte", "mb", "mbyte", "m-byte", "m byte"),
    "gigabyte": ("gigabyte", "gb", "gbyte", "g-byte", "g byte"),
    "terabyte": ("terabyte", "tb", "tbyte", "t-byte", "t byte"),
    "calorie": ("calorie", "kcal", "cal"),
    "barrel": ("barrel", "bbl"),
}
#: Abbreviations that are also words or letters ("in", "m", "h"): read only written onto a digit
#: ("5m", "3h"), never after a space ("5 in the morning") or a number word ("five m").
_AMBIGUOUS = frozenset({"in", "m", "h", "t", "l", "g", "w", "ha", "min", "sec", "gal", "cal", "mi", "kilo"})
_UNIT_OF = {form: unit for unit, forms in _UNITS.items() for form in forms}
_FORMS = sorted(_UNIT_OF, key=len, reverse=True)
_UNIT_AFTER = re.compile(
    r"(?:\s*-\s*|\s+|(?<=\d))(?:(?P<shape>square|sq\.?|cubic|cu\.?|metric)\s+)?"
    r"(?P<unit>" + "|".join(re.escape(f) for f in _FORMS) + r")(?:e?s)?(?![\w/])",
    re.IGNORECASE)


def unit_after(text: str, end: int) -> str | None:
    """The unit written right after a number that ends at ``end`` in ``text`` ("square mile", "kilogram"), or None."""
    match = _UNIT_AFTER.match(text, end)
    if not match:
        return None
    written = match.group("unit").lower()
    if written in _AMBIGUOUS and (match.start("unit") != end or not text[end - 1:end].isdigit()):
        return None  # "5 in the morning", "five m"
    unit = _UNIT_OF[written]  # the group matches only the listed forms; a plural ending stays outside it
    shape = (match.group("shape") or "").lower().rstrip(".")
    shape = {"sq": "square", "cu": "cubic", "metric": ""}.get(shape, shape)
    return f"{shape} {unit}".strip()


def changed_units(said: list[tuple[str, str]], written: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(value, the source's unit, the candidate's) for each number the candidate gives another
    unit, where it never gives that value the source's unit ("two-year leases" kept beside a new
    "2 percent" is two numbers, not a changed unit).

    ``said`` / ``written``: (number value, unit) pairs of the source and of the candidate.
    """
    given: dict[str, set[str]] = {}
    for value, unit in said:
        given.setdefault(value, set()).add(unit)
    kept: dict[str, set[str]] = {}
    for value, unit in written:
        kept.setdefault(value, set()).add(unit)
    out = []
    for value, unit in written:
        units = given.get(value)
        if units and unit not in units and not units & kept[value]:  # "two-year leases" kept beside "2 percent"
            out.append((value, "/".join(sorted(units)), unit))
    return out
