"""Constrained decoding: a row writes only the source's numbers, in the source's units, and
finishes a frozen phrase it began.

The sampler asks each constraint, per row and step, what the row's next token may be
(:meth:`TokenConstraint.restriction`, given the row's generated token ids so far) and
applies the answers with :func:`apply_constraints`. Three constraints exist; all are built
once per source sentence from a :class:`TokenTable`, which is built once per tokenizer.
numpy and the tokenizer's own methods only (no torch).

Numbers (:class:`NumberConstraint`)
-----------------------------------
The source's numbers are reduced to digit strings, the *forms* a number may be written in
(:func:`source_number_forms`): every :mod:`models.facts` number span's ``forms`` ("36,350,000",
"36350000"; "4.3" for "$4.3 million"; "3:30" for "3:30 p.m."; "2.1.3" for "v2.1.3"), the
digits of a spelled number ("three" may be written "3"), every run of digits in the source
text itself (digits inside URLs, handles and code, which :mod:`models.facts` leaves out of
its numbers but a paraphrase copies verbatim, and those of the phrases the writer froze), and
each form with and without thousands separators (not for years). ``.5`` and ``0.5`` are the
same form.

A *run* is the trailing number of the generated text: digits joined by single separators
``.``, ``,`` or ``:`` (a separator between digits is part of the number; one after the last
digit may be punctuation). A ``.`` right before the first digit belongs to the number when
nothing word-like precedes it (" .5" is 0.5, as :mod:`models.facts` reads it; "end.5" is 5).
Digits are Unicode decimal digits (``str.isdecimal``). Every token's text is appended to
the run character by character, so tokens holding several digits, or digits and letters,
are judged exactly; for a tokenizer whose digits are single tokens the work per step is a
table look-up. The rules:

(a) a number may start only with the beginning of a source form (a source without numbers
    writes none);
(b) inside a number, a token is allowed only if the run stays a prefix of some form;
(c) a number once started is finished as written: while the run is a proper prefix of a form
    and not itself a form, every token that would end the number (a space, a letter, a stop
    token, a separator that no form continues with) is banned;
(d) a separator after a complete number is allowed (the full stop after "2027"), but a digit
    may follow it only if that continues a form ("2027.5" is not a source number).

Numbers may repeat. Signs and range dashes are not part of a number: "-5%" and "10-20" are
the forms "5", "10" and "20", so a candidate may drop a sign or write "10 to 20"; the
verifier (:mod:`models.facts`) does not compare signs either. A number whose value the
verifier would accept in another spelling ("4,300,000" for "$4.3 million", "15:30" for
"3:30 p.m.") is not a form: the decoder is stricter than the verifier, never looser. A
scale word after a complete number ("4.3 billion" for "4.3 million") is not this rule's to
judge: the verifier rejects such a candidate. A unit is, below.

Units (:class:`UnitConstraint`)
-------------------------------
:mod:`models.facts` reads a currency sign before a number, and a percent sign or word or a
money word after it, as part of the number: for "the dollar was about 120 yen and the Euro
over 160 yen", "the Euro was worth $160" changes the number ``160 yen`` to ``$160``, and
"rose 5%" is not "rose 5 points". Rule (a) lets a row write the source's 160 after any
sign, so such a row was sampled to the end and then refused. The units a source allows
(:func:`source_units`) are the units of its numbers as :mod:`models.facts` reads them
(``$`` for "15 billion dollars", ``¥`` for "120 yen", ``%`` for "5 percent", ``A$`` for
"A$5") and every sign written in it. Then:

(e) a currency sign (``$`` and the money symbols of :mod:`models.facts`: ``€ £ ¥ ₹ ₩ ₽ ₺
    ₪``) the source does not allow is never written: every token holding it is banned
    (" $", "$.", "€™"), and so is the rest of it after its first bytes, since a byte-level
    tokenizer spells ``¥`` and ``₹`` as two or three tokens that are no character alone
    ("Â" + "¥"). Any dollar (``A$``, "Canadian dollars") allows ``$``. The decoder cannot
    know whether a number will follow the sign, so the sign is banned everywhere, also where
    the verifier would let it pass ("the € fell" for "the euro fell"): prose that names a
    currency in words has no reason to write its sign without an amount;
(f) right after a number, or after its scale word ("1.5 billion"), a unit the source's
    numbers do not have is banned: ``%`` and the words the verifier reads as percent
    (``percent``, ``per cent``, ``pct``, ``percentage points``) when the source has no
    percent number, a money word ("dollars", "euros", "yen", "pence"...; not "pounds",
    which may be a weight) of a currency the source has no amount in, and ``¢`` when it
    has no dollar amount. These follow the number, so the decoder sees the number and bans
    them only where the verifier would read them as its unit, with its own patterns:
    ``%`` with at most one space before it, a word after exactly one space; a word written
    in several tokens is judged at the one that completes it (" y" + "en", " per" + " cent").
    ``12%`` and ``12 percent`` are the same number to the verifier, so a source with
    either allows both; "the % sign" is left alone.

Besides a sign without an amount, the units rules are stricter than the verifier only in
nonsense such as "$5 euros" (the verifier reads the sign and skips the word). They are
looser where a unit is allowed for every number of a source once one of them has it ("12%
and 30 points" allows "30%", which the verifier refuses: the unit of each number is not
tracked). Signs the verifier reads from letters (``USD``, ``EUR``, ``Rs``), glued scales
("5bn"), spelled numbers ("five percent") and a number glued to its word ("160yen", which
the verifier reads as a bare 160) are the verifier's alone.

Frozen phrases (:class:`PhraseConstraint`)
------------------------------------------
Each phrase is tokenized with a leading space (" Q3 plan": ``Ġ Q``, ``3``, ``Ġplan``) and
without (after an opening quote or bracket). A row has *started* a phrase when its last
tokens are the first m tokens of one of these and either m >= 2, or m == 1 and that first
token is distinctive: a word of at least three characters that is not a common lower-case
English word (:data:`models.facts_words.COMMON_WORDS`), so " Germany" starts "Germany's
sales" but " the" does not start "the Q3 plan" until " Q" follows. The spelling without a
space counts only after a non-word character or at the output's start ("ex" + "plan" is no
start of "plan B"). Once started, only the phrase's next token is allowed until it is done,
and a finished phrase that ends in a letter or digit is not glued onto ("plan" + "ned"): the
verifier wants it as whole words. Right after an opening quotation mark the spelling without
a space is started by its first token alone, distinctive or not (``"`` + "But" starts "But
no such person has been found").

Quotations (:class:`QuotationConstraint`)
-----------------------------------------
The source's quotations are frozen phrases (above), and:

(g) a quotation mark the row opens begins one of the source's quotations: right after it only
    their first tokens are allowed. Opening marks are ``“``, ``«``, ``„`` and a straight
    ``"`` at the output's start or after a space or bracket that is the odd one of the row's
    straight marks. A row may still report a quotation in its own words without marks; the
    verifier refuses that, but the decoder cannot tell it coming.

Applying them
-------------
A :class:`Restriction` either bans a few token ids (the usual case, cheap) or allows only a
few. :func:`apply_constraints` combines a row's restrictions (allowed sets intersect, bans
add up). The sampler's own no-repeat n-gram ban yields to an allowed set: "1,000,000" repeats
the digit trigram "0 0 0" and "2027" written twice repeats " 2 0", yet the number must be
finished. If the constraints would leave a row no token at all (which should not happen),
the row is sampled without them and a warning is logged.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

import numpy as np

# models.facts (and its word list) is imported where a constraint is built, not here: the
# sampler imports this module, and most of it needs no regular expressions (~25 ms).
if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from .facts import SourceFacts, Span

log = logging.getLogger(__name__)
_T = TypeVar("_T")

__all__ = [
    "NumberConstraint", "PhraseConstraint", "QuotationConstraint", "Restriction", "TokenConstraint", "TokenTable",
    "UnitConstraint", "apply_constraints", "build_constraints", "source_number_forms", "source_units",
]

#: Characters that join digits into one number ("1,250.75", "3:30").
SEPARATORS = ".,:"

#: A number as written: an optional leading dot (not after a word or a dot), digits, and
#: single separators between digits.
_RUN_RE = re.compile(r"(?:(?<![\w.])\.)?\d+(?:[.,:]\d+)*")
_COMMA_GROUPED_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_PLAIN_DECIMAL_RE = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True, eq=False)  # holds arrays: compared by identity
class Restriction:
    """What a constraint says about a row's next token: only ``allowed``, or not ``banned``.

    Arrays are sorted, unique int64 token ids and read-only (they are shared between rows
    and steps).
    """

    allowed: np.ndarray | None = None
    banned: np.ndarray | None = None
    #: The smallest id ``banned`` leaves open: probing it makes the "is anything left?"
    #: check O(1) per step (computed once, as restrictions are memoised).
    open_id: int = field(init=False, default=0)
    _unions: dict[Restriction, Restriction] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "open_id", _smallest_missing(self.banned) if self.banned is not None else 0)

    def union(self, other: Restriction) -> Restriction:
        """A restriction banning what either bans (``allowed`` is not kept), memoised here:
        a row's constraints give the same few memoised restrictions step after step, and
        one ban of their union is cheaper than two. Only for restrictions a constraint
        memoises: a union is kept as long as ``self``."""
        try:
            return self._unions[other]
        except KeyError:
            banned = np.union1d(_or_empty(self.banned), _or_empty(other.banned))
            banned.flags.writeable = False
            found = self._unions[other] = Restriction(banned=banned)
            return found


class TokenConstraint(Protocol):
    """A decoding constraint: given a row's generated token ids, what may come next."""

    def restriction(self, history: Sequence[int]) -> Restriction | None:
        """The row's restriction for its next token, or None when anything goes."""
        ...


def _or_empty(ids: np.ndarray | None) -> np.ndarray:
    return ids if ids is not None else np.empty(0, dtype=np.int64)


def _smallest_missing(ids: np.ndarray) -> int:
    """The smallest non-negative id not in the sorted, unique ``ids``."""
    gaps = np.flatnonzero(ids != np.arange(len(ids)))
    return int(gaps[0]) if gaps.size else len(ids)


def _ids(values: Iterable[int]) -> np.ndarray:
    out = np.unique(np.fromiter(values, dtype=np.int64))
    out.flags.writeable = False
    return out


def _is_digit(ch: str) -> bool:
    return ch.isdecimal()


def _is_num_char(ch: str) -> bool:
    return ch.isdecimal() or ch in SEPARATORS


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _is_boundary(ch: str | None) -> bool:
    """Whether a '.' after ``ch`` would begin a number (" .5"), as :mod:`models.facts` reads it."""
    return ch is None or not (ch.isalnum() or ch in "_.")


# --------------------------------------------------------------------------- the vocabulary

class TokenTable:
    """Per tokenizer: each token's text and the few token classes the constraints look at.

    Built once per tokenizer (~0.3 s for a 49k vocabulary, the unit rules' token classes
    included) and shared by every sentence's constraints. A token's text is taken from
    decoding it after an anchor token and removing the anchor's text, so a decoder that
    drops a leading space on the first token (SentencePiece) still shows it; special tokens
    keep their text ("<|im_end|>"). A token's bytes (:attr:`token_bytes`) are its text in
    UTF-8, but for a byte-level token that holds part of a character (its text is then
    "\ufffd"): :func:`_token_bytes`.
    """

    def __init__(self, texts: Sequence[str], tokenizer: Tokenizer | None = None,
                 token_bytes: Sequence[bytes] | None = None) -> None:
        self.tokenizer = tokenizer
        self.texts = list(texts)
        self.size = len(self.texts)
        self.token_bytes = list(token_bytes) if token_bytes is not None else [t.encode() for t in self.texts]
        if len(self.token_bytes) != self.size:
            raise ValueError(f"{len(self.token_bytes)} token byte strings for {self.size} tokens")
        #: The token's bytes end inside a character, or begin inside one: the text around it
        #: decides what it writes (the only tokens whose bytes the unit rule looks past).
        self.byte_open_ids = frozenset(i for i, b in enumerate(self.token_bytes) if not _whole_utf8(b))
        self._memo: dict[object, object] = {}
        self._joined: tuple[bytes, np.ndarray] | None = None
        digit = [i for i, text in enumerate(self.texts) if any(map(_is_digit, text))]
        self.digit_ids = _ids(digit)
        #: (id, text) of every token holding a digit: the only tokens whose effect on a
        #: number needs simulating.
        self.digit_tokens = [(i, self.texts[i]) for i in self.digit_ids.tolist()]
        #: Token ids whose whole text is one separator character.
        self.separator_ids = {sep: _ids(i for i, text in enumerate(self.texts) if text == sep)
                              for sep in SEPARATORS}
        #: The token's last character may continue a number (a digit or a separator).
        self.tail_open = np.array([bool(text) and _is_num_char(text[-1]) for text in self.texts], dtype=bool)
        #: A '.' right after the token would begin a number (the text ends in a space, a
        #: bracket...; an empty text counts as a boundary).
        self.tail_boundary = np.array([_is_boundary(text[-1] if text else None) for text in self.texts],
                                      dtype=bool)
        self._word_start_ids: np.ndarray | None = None

    @property
    def word_start_ids(self) -> np.ndarray:
        """Tokens that glue onto the word before them (their text starts with a letter or digit)."""
        if self._word_start_ids is None:
            self._word_start_ids = _ids(i for i, text in enumerate(self.texts) if text and _is_word_char(text[0]))
        return self._word_start_ids

    @classmethod
    def from_tokenizer(cls, tokenizer: Tokenizer) -> TokenTable:
        size = tokenizer.get_vocab_size(with_added_tokens=True)
        anchor_ids = tokenizer.encode("a", add_special_tokens=False).ids
        plain = tokenizer.decode_batch([[i] for i in range(size)], skip_special_tokens=False)
        if len(anchor_ids) != 1:
            table = cls(plain, tokenizer, _token_bytes(tokenizer, plain))
            _prepare_units(table)
            return table
        anchor = tokenizer.decode(anchor_ids, skip_special_tokens=False)
        joined = tokenizer.decode_batch([[anchor_ids[0], i] for i in range(size)], skip_special_tokens=False)
        texts = [j[len(anchor):] if j.startswith(anchor) else p for j, p in zip(joined, plain)]
        table = cls(texts, tokenizer, _token_bytes(tokenizer, texts))
        _prepare_units(table)
        return table

    def memo(self, key: object, compute: Callable[[], _T]) -> _T:
        """A value that depends on the vocabulary alone, computed once per table (``key``
        names it) and shared by every sentence."""
        try:
            return self._memo[key]  # type: ignore[return-value]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def ids_with_bytes(self, needle: bytes, *, at_start: bool = False) -> np.ndarray:
        """Tokens whose bytes contain ``needle`` (no NUL byte in it), or begin with it.

        One search of all tokens' bytes joined by NUL bytes: ~1 ms, once per needle.
        """
        def find() -> np.ndarray:
            joined, starts = self._joined_bytes()
            pattern = re.escape(b"\x00" + needle if at_start else needle)
            positions = np.array([m.start() + at_start for m in re.finditer(pattern, joined)], dtype=np.int64)
            return _ids(np.searchsorted(starts, positions, side="right") - 1)

        return self.memo(("bytes", needle, at_start), find)

    def bytes_of(self, token: int) -> bytes:
        return self.token_bytes[token] if 0 <= token < self.size else b""

    def _joined_bytes(self) -> tuple[bytes, np.ndarray]:
        """Every token's bytes, each after a NUL byte, and where each token's bytes begin."""
        if self._joined is None:
            lengths = np.fromiter((len(b) + 1 for b in self.token_bytes), dtype=np.int64, count=self.size)
            starts = np.cumsum(lengths) - lengths + 1
            self._joined = b"\x00" + b"\x00".join(self.token_bytes), starts
        return self._joined

    def text(self, token: int) -> str:
        """A token's text; ids past the tokenizer's vocabulary (padding rows) have none."""
        return self.texts[token] if 0 <= token < self.size else ""

    def encode(self, text: str) -> list[int]:
        if self.tokenizer is None:
            raise ValueError("this token table was built without a tokenizer")
        return list(self.tokenizer.encode(text, add_special_tokens=False).ids)


def _whole_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _byte_level_chars() -> dict[str, int]:
    """GPT-2's byte-level alphabet, inverted: the character a byte-level BPE token spells each byte with."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    chars = {chr(b): b for b in printable}
    rest = [b for b in range(256) if b not in chars.values()]
    chars.update({chr(256 + i): b for i, b in enumerate(rest)})
    return chars


def _token_bytes(tokenizer: Tokenizer, texts: Sequence[str]) -> list[bytes]:
    """Each token's bytes: its text in UTF-8, unless it holds part of a character (its text
    has "\\ufffd"); then what its piece spells in the byte-level alphabet ("ĠÂ" is
    b" \\xc2") or as a byte-fallback token ("<0xC2>"), where that decodes to its text.
    """
    alphabet: dict[str, int] | None = None
    out: list[bytes] = []
    for i, text in enumerate(texts):
        if "\ufffd" not in text:
            out.append(text.encode())
            continue
        alphabet = alphabet or _byte_level_chars()
        piece = tokenizer.id_to_token(i) or ""
        spelled = text.encode()
        if m := _BYTE_FALLBACK_RE.fullmatch(piece):
            spelled = bytes([int(m.group(1), 16)])
        elif piece and all(ch in alphabet for ch in piece):
            spelled = bytes(alphabet[ch] for ch in piece)
        out.append(spelled if spelled.decode("utf-8", errors="replace") == text else text.encode())
    return out


_BYTE_FALLBACK_RE = re.compile(r"<0x([0-9A-Fa-f]{2})>")


# --------------------------------------------------------------------------- numbers

def _variants(run: str) -> set[str]:
    """``run`` and the same number with or without thousands separators, and .5 = 0.5."""
    out = {run}
    if run.startswith("."):
        out.add("0" + run)
        return out
    if run.startswith("0.") and _PLAIN_DECIMAL_RE.fullmatch(run):
        out.add(run[1:])
    if not _COMMA_GROUPED_RE.fullmatch(run):
        return out
    plain = run.replace(",", "")
    whole, _, frac = plain.partition(".")
    out.add(plain)
    if len(whole) > 30 or (len(whole) > 1 and whole.startswith("0")):
        return out  # a digit string (an ID, "007"), not a quantity written with separators
    value = int(whole)
    is_year = len(whole) == 4 and 1000 <= value <= 2100
    if value >= 1000 and not is_year:
        out.add(f"{value:,}" + ("." + frac if frac else ""))
    return out


def _runs(text: str) -> list[str]:
    return _RUN_RE.findall(text)


def source_number_forms(source: str, keep: Iterable[str] = (), spans: Sequence[Span] | None = None) -> frozenset[str]:
    """Every digit string a paraphrase of ``source`` may write (see the module docstring).

    ``spans``: ``source``'s number spans (:func:`models.facts.extract_numbers`), when the
    caller has them.
    """
    from . import facts

    runs: set[str] = set()
    for span in facts.extract_numbers(source) if spans is None else spans:
        for form in span.forms:
            runs.update(_runs(form))
        if not span.forms and span.bare and _PLAIN_DECIMAL_RE.fullmatch(span.bare):
            runs.add(span.bare)  # a spelled number: "three" may be written "3"
    runs.update(_runs(source))  # digits the number parser leaves out (URLs, handles, code)
    present = [p for p in keep if p.strip() and not facts.missing_keeps(source, [p])]
    for phrase in present:
        runs.update(_runs(phrase))
    forms: set[str] = set()
    for run in runs:
        forms |= _variants(run)
    return frozenset(forms)


class _AnsweredByState:
    """A constraint whose answer depends only on a small state of the row (:meth:`state`):
    each state's :class:`Restriction` is computed once per sentence (:meth:`_compute`)."""

    _memo: dict[tuple[object, ...], Restriction | None]

    def _answer(self, key: tuple[object, ...]) -> Restriction | None:
        try:
            return self._memo[key]
        except KeyError:
            result = self._memo[key] = self._compute(*key)  # type: ignore[attr-defined]
            return result


class NumberConstraint(_AnsweredByState):
    """Rows write only the source's numbers, each finished as written (rules in the module doc).

    Answers are memoised per state (the run, and whether a '.' would begin a number), so a
    state's tokens are simulated once per sentence; a row whose last token cannot continue a
    number costs one array look-up.
    """

    def __init__(self, source: str, table: TokenTable, keep: Iterable[str] = (),
                 forms: Iterable[str] | None = None) -> None:
        self.table = table
        self.forms = frozenset(forms) if forms is not None else source_number_forms(source, keep)
        self.prefixes = frozenset(form[:i] for form in self.forms for i in range(1, len(form) + 1))
        self._memo = {}

    # -- public -----------------------------------------------------------------------------

    def restriction(self, history: Sequence[int]) -> Restriction | None:
        return self._answer(self.state(history))

    def state(self, history: Sequence[int]) -> tuple[str, bool]:
        """(the run, whether a '.' would begin a number); the flag is only kept for an empty run."""
        if not history:
            return "", True
        last = history[-1]
        table = self.table
        if not 0 <= last < table.size:
            return "", True
        if not table.tail_open[last]:
            return "", bool(table.tail_boundary[last])
        chars, before = _trailing_num_chars(table, history)
        run, boundary = "", _is_boundary(before)
        for ch in chars:
            run = _step(run, ch, boundary)
            boundary = _is_boundary(ch)
        return run, boundary if run == "" else False

    # -- the state machine --------------------------------------------------------------------

    def _closes_ok(self, run: str) -> bool:
        """Whether the number may end here (its digits so far are a whole form, or there are none)."""
        base = run[:-1] if run and run[-1] in SEPARATORS else run
        return base == "" or base in self.forms

    def _viable(self, run: str) -> bool:
        if run in ("", ".") or run in self.prefixes:
            return True
        return run[-1] in SEPARATORS and run[:-1] in self.forms

    def advance(self, run: str, boundary: bool, text: str) -> str | None:
        """The run after appending ``text``, or None when ``text`` breaks a rule."""
        if run:
            boundary = _is_boundary(run[-1])
        for ch in text:
            if _is_digit(ch):
                run += ch
                if run not in self.prefixes:
                    return None
            elif ch in SEPARATORS and run[-1:].isdecimal():
                run += ch  # a separator or punctuation: the next character decides
            else:
                if not self._closes_ok(run):
                    return None
                run = "." if ch == "." and boundary else ""
            boundary = _is_boundary(ch)
        if not text:  # an empty (special) token ends the number, like a stop token
            return "" if self._closes_ok(run) else None
        return run if self._viable(run) else None

    def _compute(self, run: str, boundary: bool) -> Restriction | None:
        table = self.table
        if not self._viable(run):
            # Only reachable after a fallback wrote an unknown number: add no more digits.
            log.debug("number run %r is not a source number; banning digits until it ends", run)
            return Restriction(banned=table.digit_ids) if table.digit_ids.size else None
        passing = [i for i, text in table.digit_tokens if self.advance(run, boundary, text) is not None]
        if self._closes_ok(run):
            banned = np.setdiff1d(table.digit_ids, np.array(passing, dtype=np.int64), assume_unique=True)
            if not banned.size:
                return None
            banned.flags.writeable = False
            return Restriction(banned=banned)
        # Inside an unfinished number: only tokens that continue it. A token without digits
        # continues it only if it is one separator that some form has next.
        if run[-1:].isdecimal():
            for sep, ids in table.separator_ids.items():
                if run + sep in self.prefixes:
                    passing.extend(ids.tolist())
        return Restriction(allowed=_ids(passing))


def _step(run: str, ch: str, boundary: bool) -> str:
    """The run after one digit or separator, without checking it against the forms."""
    if _is_digit(ch):
        return run + ch
    if run[-1:].isdecimal():
        return run + ch
    return "." if ch == "." and boundary else ""


def _trailing_num_chars(table: TokenTable, history: Sequence[int]) -> tuple[str, str | None]:
    """The digits and separators that end the generated text, and the character before them."""
    parts: list[str] = []
    for token in reversed(history):
        text = table.text(token)
        if not text:
            return "".join(reversed(parts)), None
        i = len(text)
        while i and _is_num_char(text[i - 1]):
            i -= 1
        parts.append(text[i:])
        if i:
            return "".join(reversed(parts)), text[i - 1]
    return "".join(reversed(parts)), None


# --------------------------------------------------------------------------- units

#: Scale words :mod:`models.facts` reads between a number and its unit ("1.5 billion euros").
_SCALES = ("", " hundred", " thousand", " million", " billion", " trillion")
_LAST_DIGIT_RE = re.compile(r"\d(?=\D*\Z)")
_SPACES = str.maketrans({ch: " " for ch in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002"
                         "\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"})


def _norm(text: str) -> str:
    """Lower case, each space character a plain space: how unit contexts are compared."""
    return text.lower().translate(_SPACES)


@functools.cache
def _unit_spellings() -> tuple[str, ...]:
    """How the verifier's units after a number are written (lower case, one space before a
    word): percent, the cent sign, and its money words, singular and plural."""
    from . import facts

    money = [f" {word}{plural}" for word in facts._MONEY_WORDS for plural in ("", "s")]  # noqa: SLF001
    return ("%", " %", "¢", " percent", " per cent", " pct", " percentage point", " percentage points",
            *money, " pound sterling", " pounds sterling")


@functools.cache
def unit_contexts() -> frozenset[str]:
    """Rule (f)'s contexts: the text after a number's last digit (:func:`_norm`) after
    which the next token is judged: a scale word or none, then the beginning of a unit
    ("", " ", " y" of " yen", " per" of " per cent", " percentage" of " percentage points")."""
    return frozenset(scale + spelling[:k] for scale in _SCALES for spelling in _unit_spellings()
                     for k in range(len(spelling)))


@functools.cache
def _context_pieces() -> tuple[frozenset[str], int]:
    """Every end of a context (a token that may close one), and the longest context."""
    contexts = unit_contexts()
    return frozenset(c[i:] for c in contexts for i in range(len(c))), max(map(len, contexts))


@dataclass(frozen=True)
class _SuffixBans:
    """The units rule (f) bans after a number: percent, cent, money words of these currencies."""

    percent: bool
    cent: bool
    words: frozenset[str]

    def __bool__(self) -> bool:
        return self.percent or self.cent or bool(self.words)


def _currency_signs() -> dict[str, str]:
    """Every sign :mod:`models.facts` reads as money before a number, and its currency."""
    from . import facts

    return {"$": "$", **facts._MONEY_SYMBOLS}  # noqa: SLF001 -- the verifier's own table


def _word_currencies() -> frozenset[str]:
    """The currencies of the money words :mod:`models.facts` reads after a number."""
    from . import facts

    return frozenset(currency for currency, _ in facts._MONEY_WORDS.values())  # noqa: SLF001


def source_units(source: str, spans: Sequence[Span] | None = None) -> frozenset[str]:
    """The units a paraphrase of ``source`` may give a number (rules (e) and (f)).

    Every unit of a source number as :mod:`models.facts` reads it (``%``, ``$``, ``¥``,
    ``A$``...: its canonical value without the bare number), and every currency, percent
    or cent sign written in ``source`` (inside a URL or code too: a paraphrase copies
    those). ``spans``: ``source``'s number spans, when the caller has them.
    """
    from . import facts

    spans = facts.extract_numbers(source) if spans is None else spans
    units = {span.value[:-len(span.bare)] for span in spans
             if span.bare and span.value and span.value != span.bare and span.value.endswith(span.bare)}
    units.update(sign for sign in (*_currency_signs(), "%", "¢") if sign in source)
    return frozenset(units)


def _unit_context(table: TokenTable, history: Sequence[int]) -> str | None:
    """The text after the last digit of the generated text, when it is a unit context."""
    contexts = unit_contexts()
    longest = _context_pieces()[1]
    tail = ""
    for token in reversed(history[-(longest + 1):]):
        text = table.text(token)
        if m := _LAST_DIGIT_RE.search(text):
            context = _norm(text[m.end():] + tail)
            return context if context in contexts else None
        tail = text + tail
        if len(tail) > longest:
            return None
    return None


def _norms(table: TokenTable) -> list[str]:
    return table.memo("norms", lambda: [_norm(text) for text in table.texts])


def _context_open(table: TokenTable) -> frozenset[int]:
    """Tokens that may end a unit context: only after one is :func:`_unit_context` worth
    working out."""
    def compute() -> frozenset[int]:
        contexts = unit_contexts()
        pieces, longest = _context_pieces()
        out = []
        for i, norm in enumerate(_norms(table)):
            tail = norm[-(longest + 1):]
            if m := _LAST_DIGIT_RE.search(tail):
                if tail[m.end():] in contexts:
                    out.append(i)
            elif len(norm) <= longest and norm in pieces:
                out.append(i)
        return frozenset(out)

    return table.memo("unit-context-open", compute)


def _sorted_texts(table: TokenTable) -> tuple[list[str], list[int]]:
    """Every token's :func:`_norm` text in order, and its id: the tokens that begin with a
    given text are one slice."""
    def compute() -> tuple[list[str], list[int]]:
        norms = _norms(table)
        order = sorted(range(table.size), key=norms.__getitem__)
        return [norms[i] for i in order], order

    return table.memo("sorted-texts", compute)


def _starting_with(table: TokenTable, prefix: str) -> list[int]:
    """Tokens whose :func:`_norm` text begins with ``prefix``."""
    texts, ids = _sorted_texts(table)
    return ids[bisect.bisect_left(texts, prefix):bisect.bisect_left(texts, prefix + "\U0010ffff")]


def _unit_of(tail: str) -> str | None:
    """The unit the verifier reads at the start of ``tail``, the text right after a number
    (or its scale word): "%", "¢", a currency of a money word, or None."""
    from . import facts

    if facts._PERCENT_RE.match(tail):  # noqa: SLF001 -- the verifier's own patterns
        return "%"
    if tail.startswith("¢"):
        return "¢"
    m = facts._MONEY_WORD_RE.match(tail)  # noqa: SLF001
    if not m or m.group("country"):
        return None
    word = m.group("word").lower()
    first = word.split()[0]
    first = first if first == "pence" else first.rstrip("s")
    if first == "pound" and not word.endswith("sterling"):
        return None  # "30 pounds" may be a weight: a bare 30 keeps it
    return facts._MONEY_WORDS.get(first, ("$", 1))[0]  # noqa: SLF001


def _suffix_ids(table: TokenTable, context: str, bans: _SuffixBans) -> np.ndarray:
    """Tokens that would give the number before ``context`` a banned unit: those that
    finish a unit's spelling, where the verifier's own patterns read it as one (after the
    scale word) — its word boundaries included ("eurosceptic" is no euro)."""
    def compute() -> np.ndarray:
        scale = max((s for s in _SCALES if context.startswith(s)), key=len)
        rest = context[len(scale):]
        candidates: set[int] = set()
        for spelling in _unit_spellings():
            if len(spelling) > len(rest) and spelling.startswith(rest):
                candidates.update(_starting_with(table, spelling[len(rest):]))
        banned = []
        for i in candidates:
            unit = _unit_of(rest + table.texts[i])
            if (unit == "%" and bans.percent) or (unit == "¢" and bans.cent and not rest) or unit in bans.words:
                banned.append(i)
        return _ids(banned)

    return table.memo(("suffix", context, bans), compute)


def _prepare_units(table: TokenTable) -> None:
    """Work out the vocabulary's unit tokens now (~0.1 s), not in a sentence's first step."""
    _context_open(table)
    _sorted_texts(table)
    for sign in _currency_signs():
        table.ids_with_bytes(sign.encode())


class UnitConstraint(_AnsweredByState):
    """No currency sign the source does not allow, and after a number no percent, cent or
    money word the source's numbers do not have (rules (e) and (f) of the module doc).

    Most steps cost one set look-up (the last token neither holds part of a character nor
    ends a unit context) and return one memoised restriction: the banned sign tokens.
    """

    def __init__(self, source: str, table: TokenTable, units: Iterable[str] | None = None) -> None:
        self.table = table
        self.units = frozenset(units) if units is not None else source_units(source)
        dollars = any(unit.endswith("$") for unit in self.units)
        #: Signs to ban, as bytes ("$" when no unit is a dollar, "¥" when none is the yen...).
        self.signs = tuple(sign.encode() for sign, currency in _currency_signs().items()
                           if sign not in self.units and currency not in self.units
                           and not (currency == "$" and dollars))
        #: What may not follow a number.
        self.suffixes = _SuffixBans(percent="%" not in self.units, cent="¢" not in self.units and not dollars,
                                    words=_word_currencies() - self.units)
        #: The first bytes of a banned sign, longest first: a row that ends with them may not
        #: take the rest.
        self.partial = sorted({sign[:k] for sign in self.signs for k in range(1, len(sign))}, key=len, reverse=True)
        self._reach = max(map(len, self.signs), default=1) - 1  # tokens the partial bytes may span
        self._static = _ids(np.concatenate([table.ids_with_bytes(sign) for sign in self.signs])) \
            if self.signs else _ids(())
        self._context_open = _context_open(table) if self.suffixes else frozenset()
        #: Tokens after which the state needs working out; after any other, it is the plain one.
        self._open = (table.byte_open_ids if self.partial else frozenset()) | self._context_open
        self._memo = {}
        self._plain = self._compute(b"", None)

    @property
    def active(self) -> bool:
        """Whether the source leaves anything to ban."""
        return bool(self.signs or self.suffixes)

    def restriction(self, history: Sequence[int]) -> Restriction | None:
        if history and history[-1] not in self._open:
            return self._plain
        return self._answer(self.state(history))

    def state(self, history: Sequence[int]) -> tuple[bytes, str | None]:
        """(the first bytes of a banned sign the row ends with, or b""; the unit context
        after the row's last digit, or None)."""
        if not history:
            return b"", None
        last = history[-1]
        table = self.table
        if not 0 <= last < table.size:
            return b"", None
        partial = b""
        if self.partial and last in table.byte_open_ids:
            tail = b"".join(table.bytes_of(token) for token in history[-self._reach:])
            partial = next((p for p in self.partial if tail.endswith(p)), b"")
        context = _unit_context(table, history) if last in self._context_open else None
        return partial, context

    def _compute(self, partial: bytes, context: str | None) -> Restriction | None:
        table = self.table
        parts = [self._static]
        if partial:
            parts += [table.ids_with_bytes(sign[len(partial):], at_start=True)
                      for sign in self.signs if len(sign) > len(partial) and sign.startswith(partial)]
        if context is not None:
            parts.append(_suffix_ids(table, context, self.suffixes))
        banned = _ids(np.concatenate(parts))
        return Restriction(banned=banned) if banned.size else None


# --------------------------------------------------------------------------- frozen phrases

def _distinctive(text: str) -> bool:
    """A first token that starts a phrase on its own: a rare word of three or more characters."""
    from .facts_words import COMMON_WORDS

    word = text.strip()
    return len(word) >= 3 and any(ch.isalpha() for ch in word) and word.lower() not in COMMON_WORDS


class PhraseConstraint:
    """A row that has started a frozen phrase must finish it token by token (module doc).

    A finished phrase that ends in a letter or digit may not be glued onto ("plan" +
    "ned"): the phrase must stay a whole word, as the verifier requires.
    """

    def __init__(self, phrases: Iterable[str], table: TokenTable) -> None:
        self.table = table
        #: (token ids, whether the spelling has no leading space and so needs a boundary
        #: before it, whether it ends in a word character)
        self.spellings: list[tuple[tuple[int, ...], bool, bool]] = []
        for phrase in dict.fromkeys(p.strip() for p in phrases):
            if not phrase:
                continue
            closed = _is_word_char(phrase[-1])
            for ids, bare in ((tuple(table.encode(" " + phrase)), False), (tuple(table.encode(phrase)), True)):
                if ids and all(ids != seen for seen, _, _ in self.spellings):
                    self.spellings.append((ids, bare, closed))
        self._inner = frozenset(t for ids, _, _ in self.spellings for t in ids[:-1])
        self._last = frozenset(ids[-1] for ids, _, closed in self.spellings if closed)
        self._distinct = {ids[0]: _distinctive(table.text(ids[0])) for ids, _, _ in self.spellings}
        self._ended: Restriction | None = None  # built on first use: ~30k ids

    def restriction(self, history: Sequence[int]) -> Restriction | None:
        if not history:
            return None
        last = history[-1]
        if last not in self._inner and last not in self._last:
            return None
        allowed: set[int] = set()
        ended = False
        for ids, bare, closed in self.spellings:
            for m in range(1, min(len(ids), len(history)) + 1):
                if not self._started(history, ids, m, bare):
                    continue
                if m < len(ids):
                    allowed.add(ids[m])
                elif closed:
                    ended = True
        if not ended:
            return Restriction(allowed=_ids(allowed)) if allowed else None
        if self._ended is None:
            self._ended = Restriction(banned=self.table.word_start_ids)
        return Restriction(allowed=_ids(allowed), banned=self._ended.banned) if allowed else self._ended

    def _started(self, history: Sequence[int], ids: tuple[int, ...], m: int, bare: bool) -> bool:
        """Whether ``history`` ends with the first ``m`` tokens of ``ids``, as a committed start."""
        n = len(history)
        if history[-1] != ids[m - 1] or tuple(history[n - m:]) != ids[:m]:
            return False
        if m == 1 and len(ids) > 1 and not self._distinct[ids[0]] and not (
                bare and opens_quotation(self.table, history, n - 1)):
            return False
        return not bare or self._boundary_before(history, n - m)

    def _boundary_before(self, history: Sequence[int], start: int) -> bool:
        if start == 0:
            return True
        text = self.table.text(history[start - 1])
        return not text or not _is_word_char(text[-1])


#: Marks that open a quotation ("«" and "„" and the curly one always; the straight one by
#: where it stands). Single marks are left out: they are apostrophes as often.
_OPENING_MARKS = "\"“«„"


def opens_quotation(table: TokenTable, history: Sequence[int], end: int) -> bool:
    """Whether the text of ``history[:end]`` ends with a mark that opens a quotation: a curly
    or angle opening mark, or a straight ``"`` at the output's start or after a space or
    bracket that is the odd one of the row's straight marks (not the one that closes)."""
    if end <= 0:
        return False
    last = table.text(history[end - 1])
    if not last or last[-1] not in _OPENING_MARKS:
        return False
    if last[-1] != '"':
        return True
    text = "".join(table.text(t) for t in history[:end])
    before = text[-2] if len(text) >= 2 else ""
    return (before == "" or before.isspace() or before in "([{—–-") and text.count('"') % 2 == 1


class QuotationConstraint:
    """A quotation the row opens is one of the source's (module doc, rule (g)).

    The facts check refuses a candidate whose quotation is not the source's, word for word:
    on a news sentence with a quotation, rows wrote ``"No such person has been found yet,"
    Paclík explained`` for ``"But no such person has currently been found," Paclík said``
    and 30 of 32 were refused. Right after an opening mark only the first token of a source
    quotation is allowed; :class:`PhraseConstraint` then holds the row to the rest of it.
    """

    def __init__(self, quotations: Iterable[str], table: TokenTable) -> None:
        self.table = table
        firsts = {ids[0] for q in dict.fromkeys(q.strip() for q in quotations) if q
                  for ids in (table.encode(q),) if ids}
        self.first_ids = _ids(firsts)
        self.mark_ids = table.memo("opening marks", lambda: frozenset(
            i for i, text in enumerate(table.texts) if text and text[-1] in _OPENING_MARKS))

    def restriction(self, history: Sequence[int]) -> Restriction | None:
        if not history or history[-1] not in self.mark_ids or not self.first_ids.size:
            return None
        if not opens_quotation(self.table, history, len(history)):
            return None
        return Restriction(allowed=self.first_ids)


# --------------------------------------------------------------------------- building and applying

def build_constraints(source: str, table: TokenTable, keep: Iterable[str] = (),
                      parsed: SourceFacts | None = None) -> list[TokenConstraint]:
    """The constraints for one source sentence: its numbers, their units, and the frozen
    phrases it contains: the writer's and the source's quotations.

    ``parsed``: the source's facts when the caller has them already (the paraphraser's
    :class:`~models.pipeline.Source` parses each sentence once for its checks); parsed
    here otherwise.

    A phrase that is not in ``source`` is left out (it may belong to another sentence). A
    quotation must come back verbatim (the facts check refuses a reworded one), so a row
    that has started one is held to it like a frozen phrase: on 11 news sentences with
    quotations (n=5, diversity 0.5, one seed each) this raised the candidates that passed
    from 2.0 to 3.0 per input, without one fewer on any sentence.
    """
    from . import facts

    keep = [p for p in keep if p.strip()]
    present = [p for p in keep if not facts.missing_keeps(source, [p])]
    parsed = parsed if parsed is not None else facts.SourceFacts(source)
    quotes = [span.text for span in parsed.of_kind("quote") if span.text.strip()]
    present += [quote for quote in dict.fromkeys(quotes) if quote not in present]
    spans = parsed.of_kind("number")  # what facts.extract_numbers(source) finds
    out: list[TokenConstraint] = [NumberConstraint(source, table, forms=source_number_forms(source, present, spans))]
    units = UnitConstraint(source, table, source_units(source, spans))
    if units.active:
        out.append(units)
    if present:
        out.append(PhraseConstraint(present, table))
    if quotes:
        out.append(QuotationConstraint(quotes, table))
    return out


def apply_constraints(constraints: Sequence[TokenConstraint], history: Sequence[int], row: np.ndarray,
                      model_row: np.ndarray | None = None) -> np.ndarray | None:
    """Apply the constraints' restrictions to ``row`` (a row's working logits) in place.

    Returns the ids the row is now limited to (the finite ones), or None when the row may
    still take any token that was not banned. ``model_row`` (the unmodified logits) lets an
    allowed token the sampler's n-gram ban had removed come back (module doc). When nothing
    would be left, ``row`` is left as it was and a warning is logged.
    """
    allowed: np.ndarray | None = None
    banned: list[Restriction] = []
    for constraint in constraints:
        found = constraint.restriction(history)
        if found is None:
            continue
        if found.allowed is not None:
            allowed = found.allowed if allowed is None else np.intersect1d(allowed, found.allowed,
                                                                           assume_unique=True)
        if found.banned is not None and found.banned.size:
            banned.append(found)
    if allowed is None:
        if banned:
            merged = banned[0]
            for other in banned[1:]:
                merged = merged.union(other)  # ban-only restrictions are memoised: so is this
            _ban(row, merged.banned, merged.open_id)  # type: ignore[arg-type]
        return None
    for found in banned:
        allowed = allowed[~np.isin(allowed, found.banned)]  # type: ignore[arg-type]
    return _allow(row, allowed, model_row)


def _ban(row: np.ndarray, ids: np.ndarray, open_id: int) -> None:
    """Set ``ids`` to -inf unless that leaves nothing; ``open_id`` (not in ``ids``) is probed first."""
    saved = row[ids]
    row[ids] = -np.inf
    if open_id < len(row) and np.isfinite(row[open_id]):
        return
    if not np.isfinite(row).any():
        row[ids] = saved
        log.warning("decoding constraints banned every token of a row; sampling it unconstrained")


def _allow(row: np.ndarray, allowed: np.ndarray, model_row: np.ndarray | None) -> np.ndarray | None:
    allowed = allowed[allowed < len(row)]
    values = row[allowed]
    finite = np.isfinite(values)
    if not finite.any() and model_row is not None:
        values = np.asarray(model_row)[allowed].astype(row.dtype, copy=False)
        finite = np.isfinite(values)
        if finite.any():
            log.debug("a constrained token was banned by the n-gram rule; the constraint wins")
    if not finite.any():
        log.warning("decoding constraints allowed no token of a row; sampling it unconstrained")
        return None
    ids = allowed[finite]
    kept = values[finite]
    row.fill(-np.inf)
    row[ids] = kept
    return ids
