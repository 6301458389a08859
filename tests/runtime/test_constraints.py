"""Constrained decoding (models.constraints): source numbers only, in the source's units; frozen
phrases copied exactly."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from models.constraints import (
    NumberConstraint,
    PhraseConstraint,
    Restriction,
    TokenTable,
    UnitConstraint,
    apply_constraints,
    build_constraints,
    source_number_forms,
    source_units,
)
from models.facts import check_candidate
from models.sampling import Sampler, settings_for_diversity

SOURCE = ("Our quarterly revenue rose 12% to $4.3 million, driven by 1,250.75 units sold in Germany "
          "before March 2027, at 3:30 p.m. in the Q3 plan.")


@pytest.fixture(scope="module")
def tokenizer(default_bundle: Path):  # noqa: ANN201
    from models.bundle import load_tokenizer, read_manifest

    return load_tokenizer(default_bundle / read_manifest(default_bundle).tokenizer_file)


@pytest.fixture(scope="module")
def table(tokenizer) -> TokenTable:  # noqa: ANN001
    return TokenTable.from_tokenizer(tokenizer)


def _ids(table: TokenTable, text: str) -> list[int]:
    return table.encode(text)


def _open(constraints: Sequence, history: Sequence[int], vocab: int) -> np.ndarray:
    """The token ids the constraints leave open after ``history`` (on a flat row)."""
    row = np.zeros(vocab, dtype=np.float32)
    apply_constraints(constraints, history, row)
    return np.flatnonzero(np.isfinite(row))


def _open_texts(table: TokenTable, constraints: Sequence, text: str) -> set[str]:
    return {table.texts[i] for i in _open(constraints, _ids(table, text), table.size)}


def _writable(table: TokenTable, constraints: Sequence, text: str) -> bool:
    """Whether every token of ``text`` is allowed after the ones before it."""
    ids = _ids(table, text)
    for i, token in enumerate(ids):
        if token not in set(_open(constraints, ids[:i], table.size).tolist()):
            return False
    return True


# --------------------------------------------------------------------------- numbers

def test_forms_cover_every_written_form() -> None:
    forms = source_number_forms(SOURCE)
    assert {"12", "4.3", "1,250.75", "1250.75", "2027", "3:30", "3"} <= forms
    assert "2,027" not in forms  # a year is not written with a thousands separator
    assert {"36,350,000", "36350000"} <= source_number_forms("It sold 36350000 shares.")
    assert {"0.5", ".5"} <= source_number_forms("It rose .5 points.")
    assert "3" in source_number_forms("It happened three times.")  # a spelled number may be digits
    assert "77" in source_number_forms("Ask @bob77 about https://x.com/a/2024.")  # verbatim spans too
    assert not source_number_forms("No numbers here.")


def test_a_started_number_is_finished_as_written(table: TokenTable) -> None:
    numbers = [NumberConstraint(SOURCE, table)]
    assert _open_texts(table, numbers, " rose $4") == {"."}
    assert _open_texts(table, numbers, " rose $4.") == {"3"}
    after = _open_texts(table, numbers, " rose $4.3")
    assert " million" in after and "," in after and not any(ch.isdecimal() for t in after for ch in t)
    assert _writable(table, numbers, " rose $4.3 million")
    assert not _writable(table, numbers, " rose $4 million")
    assert not _writable(table, numbers, " rose $4.35 million")


def test_thousands_separators_may_come_or_go(table: TokenTable) -> None:
    numbers = [NumberConstraint(SOURCE, table)]
    assert _writable(table, numbers, " sold 1,250.75 units")
    assert _writable(table, numbers, " sold 1250.75 units")
    assert _open_texts(table, numbers, " sold 1250") == {"."}
    assert _open_texts(table, numbers, " sold 1,") == {"2"}
    assert not _writable(table, numbers, " sold 1,250 units")


def test_units_after_a_complete_number_and_repeats(table: TokenTable) -> None:
    numbers = [NumberConstraint(SOURCE, table)]
    assert _writable(table, numbers, " up 12%, and 12% again")
    assert "%" in _open_texts(table, numbers, " up 12")
    assert _writable(table, numbers, " in the Q3 plan")


def test_a_number_not_in_the_source_cannot_start(table: TokenTable) -> None:
    numbers = [NumberConstraint(SOURCE, table)]
    start = _open_texts(table, numbers, " rose")
    assert {"1", "2", "3", "4"} <= start
    assert not {"0", "5", "6", "7", "8", "9"} & start
    assert not _writable(table, numbers, " rose 13%")
    assert not _writable(table, numbers, " rose 1%")  # "1" begins "12" but is no source number
    bare = [NumberConstraint("Costs rose sharply.", table)]
    assert not any(ch.isdecimal() for t in _open_texts(table, bare, " Costs rose") for ch in t)


@pytest.mark.parametrize(("source", "kept", "changed"), [
    ("It cost $300 last year.", " for $300 then", " for $30 then"),
    ("It cost $2,800 in all.", " for $2,800 in", " for $280 in"),
    ("The index fell 11.64 points.", " down 11.64 points", " down 1.64 points"),
    ("The vote is on May 22.", " on May 22.", " on May 21."),
])
def test_the_issues_changed_numbers_cannot_be_written(table: TokenTable, source: str, kept: str,
                                                      changed: str) -> None:
    numbers = [NumberConstraint(source, table)]
    assert _writable(table, numbers, kept)
    assert not _writable(table, numbers, changed)


def test_a_full_stop_after_a_year_ends_it(table: TokenTable) -> None:
    numbers = [NumberConstraint(SOURCE, table)]
    assert "." in _open_texts(table, numbers, " before March 2027")
    after_stop = _open_texts(table, numbers, " before March 2027.")
    assert not any(ch.isdecimal() for t in after_stop for ch in t)
    assert _writable(table, numbers, " before March 2027.")
    assert not _writable(table, numbers, " before March 2027.5")
    assert not _writable(table, numbers, " before March 202.")


def test_times(table: TokenTable) -> None:
    numbers = [NumberConstraint("They met at 3:30 p.m. on Friday.", table)]
    assert _writable(table, numbers, " at 3:30 p.m.")
    assert _open_texts(table, numbers, " at 3") == {":"}
    assert _open_texts(table, numbers, " at 3:") == {"3"}
    assert not _writable(table, numbers, " at 3:45 p.m.")
    assert not _writable(table, numbers, " at 3 p.m.")
    also_three = [NumberConstraint(SOURCE, table)]  # "Q3" makes "3" a number too: "3:" may be "3" + ":"
    assert {"3", " the"} <= _open_texts(table, also_three, " at 3:")


def test_signs_ranges_and_leading_dots(table: TokenTable) -> None:
    numbers = [NumberConstraint("Sales fell -5% to 10-20 units, up .5 points.", table)]
    assert _writable(table, numbers, " sales fell 5% to 10 to 20 units")
    assert _writable(table, numbers, " sales fell -5% to 10-20 units")
    assert _writable(table, numbers, " up 0.5 points") and _writable(table, numbers, " up .5 points")
    only_five = [NumberConstraint("Sales fell 5 points.", table)]
    assert not _writable(table, only_five, " fell .5 points")  # " .5" is 0.5, not 5
    assert _writable(table, only_five, " fell 5 points")


def test_tokens_with_several_digits_are_simulated() -> None:
    """A tokenizer whose tokens hold several digits, or digits and letters, is judged exactly."""
    texts = ["a", " ", ".", ",", "4", "3", "43", "4.3", ".3", ".3m", " 4", "20", "27", "2027", "5", " a"]
    table = TokenTable(texts)
    ids = {text: i for i, text in enumerate(texts)}
    numbers = [NumberConstraint("", table, forms={"4.3", "2027"})]

    def open_after(history: list[str]) -> set[str]:
        return {texts[i] for i in _open(numbers, [ids[t] for t in history], len(texts))}

    start = open_after(["a", " "])
    assert {"4", "4.3", "20", "2027"} <= start and not {"43", "27", "5", "3"} & start
    assert " 4" in open_after(["a"])
    assert open_after(["a", " ", "4"]) == {".", ".3", ".3m"}
    assert open_after(["a", " ", "20"]) == {"27"}
    after_year = open_after(["a", " ", "2027"])
    assert {" a", ".", ",", "a"} <= after_year and not {"5", "4", "20"} & after_year


# --------------------------------------------------------------------------- units

YEN = "Prior to the financial crisis of 2008-2009, the dollar was about 120 yen and the Euro over 160 yen."


def test_source_units_are_the_verifiers() -> None:
    assert source_units(YEN) == {"¥"}  # "120 yen" is ¥120 to the verifier
    assert source_units("IBM sold assets worth 15 billion dollars.") == {"$"}
    assert {"A$", "$"} <= source_units("It cost A$5.")
    assert source_units("Sales rose 5 percent.") == {"%"}
    assert source_units("Run `echo $HOME` now.") == {"$"}  # a sign the paraphrase copies verbatim
    assert source_units("Costs rose sharply.") == frozenset()


def test_the_issues_currency_signs_cannot_be_written(table: TokenTable) -> None:
    """The student wrote "$160" for "160 yen"; the number was the source's, the sign was not."""
    constraints = build_constraints(YEN, table)
    assert not _writable(table, constraints, " the Euro was worth approximately $160")
    assert not _writable(table, constraints, " about $160 yen")
    assert not _writable(table, constraints, " about €160")
    assert _writable(table, constraints, " the Euro was worth about 160 yen")
    assert _writable(table, constraints, " about ¥160")  # the verifier reads "160 yen" as ¥160
    assert not check_candidate(YEN, "Before the 2008-2009 crisis, the dollar was about ¥120 and the Euro over ¥160.")
    signs = {t for t in _open_texts(table, constraints, " worth") if any(ch in t for ch in "$€£")}
    assert not signs  # " $", "$.", " ($", "€™"...: every token that holds one
    numbers_only = [c for c in constraints if not isinstance(c, UnitConstraint)]
    assert _writable(table, numbers_only, " the Euro was worth approximately $160")  # what the rule stops


def test_a_sign_is_allowed_by_its_currency(table: TokenTable) -> None:
    dollars = build_constraints("IBM sold assets worth 15 billion dollars.", table)
    assert _writable(table, dollars, " worth $15 billion")
    assert not _writable(table, dollars, " worth €15 billion")
    assert not _writable(table, dollars, " worth ¥15 billion")
    assert _writable(table, build_constraints("It cost A$5 in all.", table), " it cost $5")  # "$" writes "A$"
    many = UnitConstraint("It cost $5, €4, £3, ¥2, ₹1 and 5% more.", table)
    assert {sign.decode() for sign in many.signs} == {"₩", "₽", "₺", "₪"}
    assert many.suffixes.words == {"CHF", "peso"} and not many.suffixes.percent and not many.suffixes.cent
    everything = build_constraints("It cost $5, €4, £3, ¥2, ₹1, ₩1, ₽1, ₺1, ₪1, 2 francs, 3 pesos and 5% more.",
                                   table)
    assert not any(isinstance(c, UnitConstraint) for c in everything)  # nothing to ban: not built


def test_a_sign_split_into_byte_tokens_is_banned(table: TokenTable) -> None:
    """SmolLM2 spells "¥" and "₹" as two byte tokens that are no character alone."""
    yen_ids = _ids(table, " ¥160")
    assert "\ufffd" in table.texts[yen_ids[0]]  # " \xc2": half a character
    assert b"".join(table.token_bytes[i] for i in _ids(table, " ¥160, ₹5 and €3")).decode() == " ¥160, ₹5 and €3"
    dollars = build_constraints("IBM sold assets worth 15 billion dollars.", table)
    assert not _writable(table, dollars, " worth ¥15 billion")
    assert not _writable(table, dollars, " worth ₹15 billion")
    assert _writable(table, dollars, " worth 15 billion ©")  # "©" shares "¥"'s first byte


def test_signs_split_any_way_are_judged_on_bytes() -> None:
    """A tokenizer may write a sign in byte tokens split any way ("€" is e2 82 ac, "₩" e2 82 a9)."""
    pieces = [b"a", b" ", b"5", b" \xe2", b"\x82", b"\xac", b"\x82\xac", b"\xe2\x82", b"\xa9", b"\xa9x",
              b"\xc2", b"\xa5", b" \xe2\x82\xac", b"x\xc2\xa5"]
    table = TokenTable([p.decode("utf-8", errors="replace") for p in pieces], token_bytes=pieces)
    ids = {p: i for i, p in enumerate(pieces)}

    def open_after(units: set[str], history: list[bytes]) -> set[bytes]:
        constraint = UnitConstraint("", table, units=units)
        return {pieces[i] for i in _open([constraint], [ids[p] for p in history], len(pieces))}

    no_euro = {"$", "¥"}  # "¥" allowed; "€", "₩" and the rest banned
    assert b" \xe2\x82\xac" not in open_after(no_euro, [b"a"]) and b"x\xc2\xa5" in open_after(no_euro, [b"a"])
    after_lead = open_after(no_euro, [b"a", b" \xe2"])
    assert b"\x82\xac" not in after_lead and b"\x82" in after_lead
    assert not {b"\xac", b"\xa9", b"\xa9x"} & open_after(no_euro, [b" \xe2", b"\x82"])
    assert not {b"\xac", b"\xa9"} & open_after(no_euro, [b"\xe2\x82"])
    assert b"\xac" in open_after(no_euro, [b"a", b"\x82"])  # no sign begun: a lone \x82 is none
    assert {b"\xa5", b"\xa9", b"\xa9x"} <= open_after(no_euro, [b"a", b"\xc2"])  # "¥" allowed, "©" no sign
    only_won = {"$", "€", "£", "¥", "₹", "₽", "₺", "₪"}
    assert open_after(only_won, [b"\xe2\x82"]) == set(pieces) - {b"\xa9", b"\xa9x"}


@pytest.mark.parametrize("changed", [
    " rose 5%", " rose 5 %", " rose 5 percent", " rose 5 Percent", " rose 5 per cent", " rose 5 percentage points",
    " rose 5 pct", " rose 5¢", " rose 5 dollars", " rose 5 euros", " rose 5 million euros", " rose 5 yen"])
def test_a_unit_after_a_number_needs_one_in_the_source(table: TokenTable, changed: str) -> None:
    source = "The index rose 5 points to 160."
    assert check_candidate(source, "The index" + changed + ", ending at 160.")  # the verifier refuses it anyway
    assert not _writable(table, build_constraints(source, table), changed)


def test_a_unit_the_verifier_would_accept_stays(table: TokenTable) -> None:
    source = "The index rose 5 points to 160."
    points = build_constraints(source, table)
    for fine in (" rose 5 points", " rose 5 percentage", " rose 5 per share", " rose 5 pounds",
                 " rose 5, a percent", " rose 5  percent"):
        assert _writable(table, points, fine), fine
        assert not check_candidate(source, "The index" + fine + ", ending at 160."), fine
    assert _writable(table, points, " the % sign")
    percent = build_constraints("Sales rose 5 percent to 160 units.", table)
    assert _writable(table, percent, " rose 5%") and _writable(table, percent, " rose 5 per cent")
    assert check_candidate("Sales rose 5 percent to 160 units.", "Sales rose 5% to 160 units.") == []
    euros = build_constraints("It made around 12.5 billion Euros last year.", table)
    assert _writable(table, euros, " made 12.5 billion euros") and _writable(table, euros, " made €12.5 billion")
    assert not _writable(table, euros, " made 12.5 billion dollars")


# --------------------------------------------------------------------------- frozen phrases

def test_a_started_phrase_is_copied_exactly(table: TokenTable) -> None:
    phrases = [PhraseConstraint(["Q3 plan", "Dr. Chen", "Germany's sales", "the annual report"], table)]
    assert _open_texts(table, phrases, " in the Q3") == {" plan"}
    assert _open_texts(table, phrases, " said Dr.") == {" Chen"}
    assert _open_texts(table, phrases, " in Germany") == {"'s"}  # a rare first word starts it
    assert _open_texts(table, phrases, "(Germany") == {"'s"}  # the spelling without a space
    assert len(_open_texts(table, phrases, "xGermany")) > 1000  # not inside a word
    assert len(_open_texts(table, phrases, " said Dr")) > 1000  # "Dr" alone is too short to commit
    assert len(_open_texts(table, phrases, " in the")) > 1000  # " the" is too common to commit
    assert _open_texts(table, phrases, " in the annual") == {" report"}  # two tokens commit
    after = _open_texts(table, phrases, " in the Q3 plan")
    assert "ned" not in after and " to" in after and "." in after  # a whole word: no "planned"


def test_a_started_quotation_of_the_source_is_copied_exactly(table: TokenTable) -> None:
    """The facts check wants a source's quotation verbatim; a row that began it keeps it."""
    source = 'Alvarez said the game is "the first title designed for this console" in years.'
    constraints = build_constraints(source, table)
    assert _open_texts(table, constraints, ' called it "the first title') == {" designed"}
    assert len(_open_texts(table, constraints, " called it the")) > 1000  # " the" alone starts nothing
    assert len(_open_texts(table, build_constraints("He called it the first title of the year.", table),
                           ' called it "the first title')) > 1000  # no quotation in this source


def test_an_opened_quotation_is_one_of_the_source_s(table: TokenTable) -> None:
    """Read on news output: rows quoted their own rewording of the source's quotation, and
    30 of 32 rows of that sentence were refused; a quotation the row opens is the source's."""
    source = '"But no such person has currently been found," Paclík said to ČTK.'
    constraints = build_constraints(source, table)
    assert _open_texts(table, constraints, '"') == {"But"}  # at the output's start
    assert _open_texts(table, constraints, 'Paclík told ČTK: "') == {"But"}
    assert _open_texts(table, constraints, '"But') == {" no"}  # "But" after the mark commits the quotation
    assert _writable(table, constraints, '"But no such person has currently been found," Paclík told ČTK.')
    assert not _writable(table, constraints, '"No one has been found yet," Paclík told ČTK.')
    assert _writable(table, constraints, 'No one has been found yet, Paclík told ČTK.')  # no marks: not judged
    # a closing mark is no opening one: the words after it are free
    assert len(_open_texts(table, constraints, 'He said "But no such person has currently been found"')) > 1000
    two = build_constraints('He called it "a mess" and "a scandal" on Monday.', table)
    assert _open_texts(table, two, 'It was "') == {"a"}
    assert len(_open_texts(table, build_constraints("No quotation here at all.", table), 'It was "')) > 1000


# --------------------------------------------------------------------------- applying

class _Fixed:
    def __init__(self, restriction: Restriction | None) -> None:
        self.fixed = restriction

    def restriction(self, history: Sequence[int]) -> Restriction | None:
        return self.fixed


def _r(allowed: list[int] | None = None, banned: list[int] | None = None) -> Restriction:
    as_ids = (lambda v: None if v is None else np.array(sorted(v), dtype=np.int64))
    return Restriction(allowed=as_ids(allowed), banned=as_ids(banned))


def test_restrictions_combine() -> None:
    row = np.zeros(10, dtype=np.float32)
    limited = apply_constraints([_Fixed(_r(allowed=[1, 2, 3])), _Fixed(_r(allowed=[2, 3, 4], banned=[3]))], [], row)
    assert limited.tolist() == [2] and np.flatnonzero(np.isfinite(row)).tolist() == [2]
    row = np.zeros(10, dtype=np.float32)
    assert apply_constraints([_Fixed(_r(banned=[0, 5]))], [], row) is None
    assert np.flatnonzero(~np.isfinite(row)).tolist() == [0, 5]


def test_a_row_left_with_nothing_falls_back_unconstrained(caplog: pytest.LogCaptureFixture) -> None:
    row = np.zeros(6, dtype=np.float32)
    row[2] = -np.inf
    with caplog.at_level(logging.WARNING, logger="models.constraints"):
        assert apply_constraints([_Fixed(_r(allowed=[2]))], [], row) is None
        assert apply_constraints([_Fixed(_r(banned=[0, 1, 3, 4, 5]))], [], row) is None
    assert np.isfinite(row).sum() == 5  # untouched
    assert len([r for r in caplog.records if "unconstrained" in r.message]) == 2


def test_the_constraint_wins_over_the_no_repeat_rule() -> None:
    """ "1,000,000" repeats the trigram "0 0 0"; the n-gram ban must not stop the number."""
    logits = np.zeros((1, 8), dtype=np.float32)
    logits[0, 5] = 3.0
    history = [0, 0, 0, 1, 0, 0]  # the n-gram rule bans 0 next
    settings = settings_for_diversity(0.0)
    free = Sampler(settings, np.random.default_rng(0)).sample(logits, [history])[0]
    forced = Sampler(settings, np.random.default_rng(0), constraints=[_Fixed(_r(allowed=[0]))])
    tokens, scores = forced.sample(logits, [history])
    assert free.tolist() != [0] and tokens.tolist() == [0]
    np.testing.assert_allclose(scores, logits[0, 0] - np.log(np.exp(logits[0]).sum()), rtol=1e-5)


# --------------------------------------------------------------------------- sampling

_STEPS = 30
_ROWS = 200
_NUMBER_RUN = re.compile(r"(?:(?<![\w.])\.)?\d+(?:[.,:]\d+)*")


def _decode_random(table: TokenTable, constraints: Sequence, rows: int = _ROWS,
                   extra: Sequence[str] = ()) -> tuple[list[list[int]], list[float]]:
    """``rows`` rows x 30 steps of random logits that favour digits and separators (and the
    first token of each ``extra`` text)."""
    rng = np.random.default_rng(7)
    words = (" million", "%", " the", " in", " and", " ", "-", " points", " rose", *extra)
    favoured = np.unique(np.concatenate([
        table.digit_ids, *table.separator_ids.values(), [_ids(table, w)[0] for w in words]]))
    sampler = Sampler(settings_for_diversity(1.0), np.random.default_rng(11), constraints=constraints)
    histories: list[list[int]] = [[] for _ in range(rows)]
    scores: list[float] = []
    base = rng.normal(size=(rows, table.size)).astype(np.float32) - 8.0
    digits = np.isin(favoured, table.digit_ids)
    for _ in range(_STEPS):
        logits = base.copy()
        logits[:, favoured] = rng.normal(size=(rows, len(favoured))) * 2.0 + np.where(digits, 1.5, 0.0)
        tokens, step_scores = sampler.sample(logits, histories)
        for history, token in zip(histories, tokens.tolist()):
            history.append(token)
        scores.extend(step_scores.tolist())
    return histories, scores


def _finished_numbers(tokenizer, histories: list[list[int]]) -> list[str]:  # noqa: ANN001
    """Every number in the decoded rows, but the one a row was cut off in after 30 steps."""
    out = []
    for history in histories:
        text = tokenizer.decode(history)
        out += [m.group() for m in _NUMBER_RUN.finditer(text) if text[m.end():] not in ("", ".", ",", ":")]
    return out


def test_random_decoding_writes_only_source_numbers(table: TokenTable, tokenizer) -> None:  # noqa: ANN001
    constraints = build_constraints(SOURCE, table, keep=["Q3 plan"])
    forms = source_number_forms(SOURCE)
    histories, _ = _decode_random(table, constraints)
    written = _finished_numbers(tokenizer, histories)
    assert len(written) > _ROWS  # the test exercises numbers, many of them
    assert {"4.3", "1,250.75", "3:30"} <= set(written)
    bad = sorted({run for run in written if run not in forms})
    assert not bad, bad
    free, _ = _decode_random(table, [], rows=40)
    assert any(run not in forms for run in _finished_numbers(tokenizer, free))  # unconstrained, they appear


_UNIT_RE = re.compile(r"[$€£₹]|\d\s?%|\d\s(?:percent|per\s?cent)\b", re.I)


def test_random_decoding_writes_no_unit_the_source_lacks(table: TokenTable, tokenizer) -> None:  # noqa: ANN001
    signs = (" $", "$", " €", "€", " £", " ₹", " %", " percent", " per", " cent", " yen")
    constraints = build_constraints(YEN, table)
    histories, _ = _decode_random(table, constraints, rows=100, extra=signs)
    texts = [tokenizer.decode(history) for history in histories]
    assert sum(bool(re.search(r"\d", t)) for t in texts) > 50  # numbers are written, with units around
    assert not [t for t in texts if _UNIT_RE.search(t)]
    numbers_only = [c for c in constraints if not isinstance(c, UnitConstraint)]
    free, _ = _decode_random(table, numbers_only, rows=40, extra=signs)
    assert any(_UNIT_RE.search(tokenizer.decode(history)) for history in free)  # without the rule, they appear


class _NoOp:
    def restriction(self, history: Sequence[int]) -> Restriction | None:
        return None


def test_without_constraints_the_output_is_unchanged(table: TokenTable) -> None:
    """The hook's path with nothing to restrict gives the same tokens and scores, bit for bit."""
    plain, plain_scores = _decode_random(table, [], rows=40)
    hooked, hooked_scores = _decode_random(table, [_NoOp()], rows=40)
    assert plain == hooked
    assert plain_scores == hooked_scores
