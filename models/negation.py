"""A negation that a candidate lost or added: "we aren't overprotective" → "we have been overprotective".

No other check sees it. The facts check keeps names and numbers, the reversal check keeps
pairs of opposite words, and the meaning scorer passed "we arent overprotective were
involved" → "The people involved have been overprotective, and we are here to stay." at
0.88 (student v2, the dev split, the default slider). It also passed "Women experience
less navel lint …" → "Women don't experience less navel lint …" (Simpler, held-out ASSET) and
"NME … was slow to cover this new phenomenon" → "… didn't cover this new phenomenon".

The rule, per direction:

* **lost**: the source negates something ("not", "no", "never", "nothing", "without", a
  "n't" form, or the apostrophe-less forms the lower-cased review data writes: "arent",
  "does nt") and the candidate negates nothing. The negation may have gone into a word:
  a candidate word with a negative sense the source lacks ("lacks", "refused", "avoid",
  "steer clear", "closed", "hardly", a "-less" word) or a negative prefix on a source word
  ("not able" → "unable", "didn't agree" → "disagreed") excuses it, and so does a negative
  word just before what was negated ("doesn't have enough innovation … and it lacks charm" →
  "lacks the innovation and the charm"). A double negation is read as what it says: "not
  inaccurately" is "accurately", and "not accurately" for it is a negation added.
* **added**: the other way round: the candidate negates something, the source nothing, and
  no negative-sense or negatively prefixed source word left ("poorly received" → "wasn't
  well received", "unhappy" → "not happy").

Fixed phrases that negate nothing are read as a unit and count for neither side: "no doubt",
"look no further", "not only … but", "whether or not", "no matter", "in no time", "can't wait".

``omission_allowed`` (the Simpler and Shorter modes, which may drop a clause): a lost
negation counts only when the word it negated is still there (the statement turned round,
not a detail dropped: "Diffie-Hellman … allows two parties that have no prior knowledge of
each other to …" may lose that clause when simplified). A lost "without" counts only so in
every mode, and an added "without" only where its word is in the source: "The train left
without us." → "The train departed before we arrived." says the same with no negation.

**A negation carried by a prefix** (:func:`flipped_prefix`, since session 31): with no "not"
gained or lost, a word and its negatively prefixed form that changed places
("unsuccessfully contested" → "successfully contested", "thought to be unlikely" → "is
likely", "non-German nationals" → "German citizens", all shown by student v2) count as a
negation lost or added, unless a negation or a word that turns the next one round ("lacks",
"failed to", "yet to be", "least") stands within five words before it in its clause: "not
sure" → "unsure", "not uncommon" → "common" and "inability" → "lacks the ability" pass.
Only un-, non- and in-/im-/il-/ir- on long enough words count ("inform" is no "form"
negated), and "like"/"unlike" not at all. On the sets below (``runs/s31/neg_diff.py``) it
adds 7 flags among the 3,668 shown candidates (all 7 say the opposite), none on PAWS-Wiki or
MRPC, 14 of 34,053 pairs of GPT paraphrases of one seed and 60 of the 115,963 teacher seed →
paraphrase pairs (0.05 %: "legal proceedings" next to "illegal fishing", "soon-to-be-born" for
"unborn", loose rewrites of review seeds); it costs about 0.1 ms a row.

Measured (``runs/s30/neg_measure.py``, not committed; Standard's rule unless said):

* the 3,668 candidates student v2 showed in sessions 28-29's evaluation runs: 37 flagged;
  read by eye, 34 say something else or invent a detail ("… had no impact on schools serving
  poor students" for "… because of their disproportionate impact on schools that serve poor
  students", eight times "not accurately" for "not inaccurately"), 2 are borderline and 1 is
  a Simpler candidate that dropped a clause (which its mode's rule passes);
* what it costs the student: on the 65 sources with a negation among the dev split's and
  held-out news's first 100 (5 candidates each, seed 1, ``runs/s30/neg_refused.py``) it
  refused 116 sampled rows, of which the meaning scorer would have passed 13; read by eye, 9
  of those changed the meaning ("we arent overprotective" → "The situation is unappreciated"),
  3 dropped a review's last clause ("theres no chance of me returning here") and 1 was faithful
  ("very bad services" → "the service quality isn't worth it");
* the product before and after (``paraphrase-studio evaluate``, 5 candidates, the same
  seeds, this check the only change; ``runs/s30/evals3.sh``, ``evals5.sh``): the dev split at
  0.5 (100 inputs) changed 8 inputs' cards, 445 → 441 candidates, good rate 0.717 → 0.717,
  top-1 0.758 → 0.758; 11 of the 12 cards it took away read as changed, 2 of the 8 that came in
  as faithful (these review sentences are the student's weakest); held-out news at 0.5 changed
  3 inputs (471 candidates, good 0.828, top-1 0.847 both times), at Creative 3 (464 → 462, good
  0.806 → 0.812, top-1 0.833 both); held-out ASSET in Simpler mode (116) changed 2 ("Women
  don't experience less navel lint" and "… more navel lint" are gone), SARI 41.01 → 41.04,
  top-1 good 0.730 → 0.739. The check sees whether a text negates, not how often: "one he
  describes, not inaccurately," → "This is not a typical book; he describes it … yet
  inaccurately" (Creative) still passes;
* PAWS-Wiki dev: 2 of its 4,461 non-paraphrases, 1 of its 3,539 paraphrases;
* the GPT teachers' cased seed → paraphrase pairs: 1 of 2,369 (0.04 %); all 115,963 seed →
  paraphrase pairs (GPT-3.5, GPT-4, Llama, with the diversity prompts that summarise and
  rewrite figuratively: "not very pleased wont return" → "I am dissatisfied and unlikely to
  come back"): 5.6 %, 2.0 % where a detail may go;
* MRPC train: 30 of 2,752 paraphrases (1.1 %), 84 of 1,323 non-paraphrases (6.3 %).
"""

from __future__ import annotations

import re

from .phrase_words import BARE_NT, NEGATIVE_PREFIXES
from .text import STRAIGHT_APOSTROPHES

#: Words that negate what follows them.
_NEGATORS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "cannot",
                       "without", "noone"})
#: Negators that are prepositions: "left without us" → "departed before we arrived" keeps the
#: meaning with no negation ("left promptly" → "left without delay" the other way round), so
#: losing or adding one counts only where the word it governs is in the other text too.
_PREPOSITIONS = frozenset({"without"})
#: Words that carry a negation themselves, so a negation may turn into one of them
#: ("not enough" → "insufficient", "didn't come" → "failed to come", "no toll roads" →
#: "steer clear of toll roads").
_NEGATIVE_SENSE = re.compile(
    r"^(?:lack\w*|fail\w*|refus\w*|absen\w*|unable|incapable|avoid\w*|prevent\w*|den(?:y|ies|ied|ying)|reject\w*|"
    r"hardly|barely|rarely|seldom|scarcely|little|few|fewer|free|devoid|miss\w*|lost|los(?:e|es|ing)|stop\w*|"
    r"quit\w*|ceas\w*|halt\w*|declin\w*|neglect\w*|ignor\w*|omi(?:t|ts|tted|tting|ssion)|exclud\w*|except\w*|"
    r"instead|rather|only|merely|solely|just|close[ds]?|closing|closure|shut\w*|ban|bans|banned|forbid\w*|"
    r"prohibit\w*|impossib\w*|insufficient\w*|inadequat\w*|nonexist\w*|non|doubt\w*|beyond|longer|anymore|yet|"
    r"too|against|zero|empty|vacant|away|off|outside|steer|bypass\w*|skip\w*|forgo\w*|forego\w*|refrain\w*|"
    r"abstain\w*|escap\w*|spare[ds]?|sparing|short\w*|subpar|less|lesser|hesitan\w*|reluctan\w*|terminat\w*|"
    r"ended|gone|former\w*|anonym\w*|unless|other|apart|clear|minus|aside|drop\w*|remov\w*|eliminat\w*|"
    r"withh\w*|withdr\w*|abandon\w*|cancel\w*|abolish\w*|poor\w*|defie[sd]|defy\w*|\w{3,}less|\w{3,}lessly)$")
#: A word with a negative prefix (the phrase index's :data:`~models.phrase_words.NEGATIVE_PREFIXES`);
#: it counts where the rest of the word is in the other text ("able" → "unable").
_NEGATIVE_PREFIX = re.compile(
    "^(" + "|".join(sorted(map(re.escape, NEGATIVE_PREFIXES), key=len, reverse=True)) + r")(\w{3,})$")
#: The only bases "dis" turns round (how they start): its common opposites ("agreed" / "disagreed",
#: "satisfied" / "dissatisfied"; "They agreed to the terms" → "They disagreed with the terms"
#: passed every check at 0.10, ``runs/s51/flip_probe2.py``); elsewhere it makes ordinary words
#: ("display", "discover", "dismiss").
_DIS_BASES = ("agree", "approv", "appear", "honest", "satisf", "obey", "continu", "allow", "qualif", "trust",
              "connect", "advantage", "comfort", "prove", "loyal", "organi", "respect", "belief", "believ", "like",
              "able", "arm", "order", "orient", "own", "please", "pleasing")
#: Negative prefixes whose removal or addition turns a word round, each with the shortest
#: word it may stand on and the starts its base must have (None: any): stricter than
#: :data:`_NEGATIVE_PREFIX` (which only ever excuses a candidate), since here a match refuses
#: one. "in"/"im" make ordinary words of short ones ("inform", "intense", "improve",
#: "insight"); "mis" and "anti" mostly do ("misbehavior" for "unruly behavior", "antispam"),
#: and "dis" does but for :data:`_DIS_BASES`.
_FLIP_PREFIXES: dict[str, tuple[int, tuple[str, ...] | None]] = {
    "un": (4, None), "non": (4, None), "in": (6, None), "im": (6, None), "il": (5, None), "ir": (6, None),
    "dis": (3, _DIS_BASES)}
#: How many words before a mention a negation or a negative-sense word turns it round ("not
#: exactly the most inspiring", "failing to carry it out successfully").
_PREFIX_WINDOW = 5
#: Words that turn round what follows them, for :func:`_polarity` ("lacks the ability", "yet
#: to be published", "least polite"): the firm part of :data:`_NEGATIVE_SENSE`, whose "other",
#: "only" or "instead" excuse a lost negation but do not negate the word after them.
_TURNS_ROUND = re.compile(
    r"^(?:lack(?:s|ed|ing)?|fail(?:s|ed|ing)?|refus(?:e|es|ed|ing)|unable|incapable|hardly|barely|rarely|seldom|"
    r"scarcely|little|non|least|less|yet|den(?:y|ies|ied|ying)|doubt(?:s|ed|ful)?)$")
#: Words whose prefixed form is not their opposite in a way the rule can read: "unlike" is
#: a preposition, "like" also a verb and the end of "fairytale-like".
_NOT_A_BASE = frozenset({"like"})
#: Clause ends, kept as tokens by :func:`_clause_words`.
_BREAKS = frozenset(".,;:!?()")
_CLAUSE_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|[.,;:!?()]")
#: Phrases that negate nothing, blanked before anything is counted ("No. 31" is a number).
_IDIOMS = re.compile(
    r"\b(?:no doubt|without (?:a )?doubt|look no further|in no time|no time|not only|whether or not|or not|"
    r"no matter|no sooner|not-so|no signs? of|not to mention|nothing but|no less than|not least|"
    r"none other than|no wonder|never mind|(?:can't|cannot|couldn't|could not|can not) wait|"
    r"(?:can't|cannot|couldn't|could not) help|(?:don't|do not) miss|never before|no-one else|"
    r"knows? no bounds|(?:need|needs) no introduction|like no other|(?:\w*n'?t|not) just|no\.?\s*(?=\d))\b",
    re.IGNORECASE)
#: Words skipped when looking for what a negation negates ("is not very good": "good").
_LINKING = frozenset({
    "a", "an", "the", "be", "been", "being", "is", "are", "was", "were", "am", "do", "does", "did", "have", "has",
    "had", "to", "of", "for", "in", "on", "at", "by", "with", "any", "very", "really", "quite", "so", "too", "even",
    "yet", "more", "much", "all", "ever", "one", "seem", "seems", "seemed", "it", "that", "this", "there", "i",
    "we", "you", "he", "she", "they", "me", "us", "them", "my", "our", "your", "his", "her", "their", "its", "get",
    "got", "as", "just", "only", "longer", "such", "enough", "will", "would", "can", "could", "should", "may",
    "might", "must"})


def _clause_words(text: str) -> list[str]:
    """Lower-cased words with fixed phrases that negate nothing blanked out, and a
    :data:`_BREAKS` token where a clause ends (``.,;:!?`` and brackets), so that a negation in
    one sentence does not turn a word of the next round (:func:`_polarity`)."""
    return _CLAUSE_TOKEN.findall(_IDIOMS.sub(" ", text.translate(STRAIGHT_APOSTROPHES)).lower())


def _words(clause_words: list[str]) -> list[str]:
    """The words of :func:`_clause_words`' tokens, clause ends left out."""
    return [w for w in clause_words if w not in _BREAKS]


def _negates(word: str) -> bool:
    return word in _NEGATORS or word in BARE_NT or word.endswith("n't")


def _stem(word: str) -> str:
    """The word's first five letters: close enough to match "agreed" and "agree"."""
    return word[:5]


def _carries_negation(words: list[str], other: list[str]) -> bool:
    """A word of ``words`` that says "not" on its own and is not in ``other``: a negative-sense
    word, or a negative prefix on a word ``other`` has ("unable" with "able")."""
    other_words, other_stems = set(other), {_stem(w) for w in other}
    for word in words:
        if word in other_words:
            continue
        if _NEGATIVE_SENSE.match(word):
            return True
        prefixed = _NEGATIVE_PREFIX.match(word)
        if prefixed and _stem(prefixed.group(2)) in other_stems:
            return True
    return False


def _negated_by_sense(words: list[str], heads: set[str]) -> bool:
    """Every one of ``heads`` (what the other text negates) follows a negative-sense word of
    ``words`` closely: "doesn't have enough innovation … and it lacks the charm" → "lacks the
    innovation and the charm" negates both with the one "lacks" the source had already."""
    covered = set()
    for i, word in enumerate(words):
        if _NEGATIVE_SENSE.match(word):
            covered.update(_stem(w) for w in words[i + 1:i + 5])
    return bool(heads) and heads <= covered


def _resolve_double_negations(words: list[str], stems: set[str]) -> list[str]:
    """``words`` with each negation that stands before a negatively prefixed word whose stem is
    among ``stems`` (both texts' words) read as that stem: "described, not inaccurately," says
    "accurately", so it matches "described accurately" and differs from "not accurately".
    ("not interested" stays: no "terested" anywhere.)"""
    out: list[str] = []
    skip = False
    for i, word in enumerate(words):
        if skip:
            skip = False
            continue
        prefixed = _NEGATIVE_PREFIX.match(words[i + 1]) if _negates(word) and i + 1 < len(words) else None
        if prefixed and _stem(prefixed.group(2)) in stems:
            out.append(prefixed.group(2))
            skip = True
        else:
            out.append(word)
    return out


def _negated_heads(words: list[str]) -> set[str]:
    """The stem of the first content word after each negation (what it negates)."""
    heads = set()
    for i, word in enumerate(words):
        if not _negates(word):
            continue
        for after in words[i + 1:i + 5]:
            if _negates(after):
                break
            if after not in _LINKING and len(after) > 2:
                heads.add(_stem(after))
                break
    return heads


def _polarity(words: list[str], base: str, prefixed: str) -> int | None:
    """+1 when ``words`` say ``base`` ("likely", "not unlikely"), -1 when they say its
    opposite ("unlikely", "not likely", "lacks the ability"), None when neither or both: each
    mention is -1 for a negative prefix and flips again for each negation or
    :data:`_TURNS_ROUND` word among the :data:`_PREFIX_WINDOW` words before it in its clause."""
    seen = set()
    for i, word in enumerate(words):
        if word != base and word != prefixed:
            continue
        sign = -1 if word == prefixed else 1
        turns = 0
        for before in reversed(words[max(0, i - _PREFIX_WINDOW):i]):
            if before in _BREAKS:
                break
            turns += _negates(before) or bool(_TURNS_ROUND.match(before))
        seen.add(-sign if turns % 2 else sign)
    return seen.pop() if len(seen) == 1 else None


def flipped_prefix(source: str, candidate: str) -> str:
    """``"lost"`` or ``"added"`` when a word and its negatively prefixed form changed places
    and nothing turned it back ("unsuccessfully contested" → "successfully contested",
    "unlikely" → "likely", "non-German nationals" → "German citizens"), "" otherwise (see
    :data:`_FLIP_PREFIXES`)."""
    return _flipped_prefix(_clause_words(source), _clause_words(candidate))


def _flipped_prefix(said: list[str], written: list[str]) -> str:
    """:func:`flipped_prefix` on both texts' :func:`_clause_words`; the words are tried in
    sorted order, so which of two opposite flips is named does not depend on set order."""
    said_words, written_words = set(said), set(written)
    # "non-German" is two words here: its base is what follows "non"
    hyphenated = {"non" + after for words in (said, written) for before, after in zip(words, words[1:])
                  if before == "non" and after in said_words and after in written_words}
    for word in sorted((said_words ^ written_words) | hyphenated):
        for prefix, (shortest, starts) in _FLIP_PREFIXES.items():
            base = word[len(prefix):]
            if (not word.startswith(prefix) or len(base) < shortest or base in _NOT_A_BASE
                    or (starts is not None and not base.startswith(starts))):
                continue
            if not (base in said_words or base in written_words):
                continue
            if prefix != "non" and any(prefix == a and base == b for words in (said, written)
                                       for a, b in zip(words, words[1:])):
                continue  # "inperson" is "in person", as the lower-cased seeds write it
            was, now = _polarity(said, base, word), _polarity(written, base, word)
            if was is not None and now is not None and was != now:
                return "lost" if was < 0 else "added"
    return ""


def changed_negation(source: str, candidate: str, *, omission_allowed: bool = False) -> str:
    """``"lost"`` when ``candidate`` drops the source's negation, ``"added"`` when it negates
    what the source does not, "" otherwise (see the module docstring)."""
    said_clauses, written_clauses = _clause_words(source), _clause_words(candidate)
    said, written = _words(said_clauses), _words(written_clauses)
    stems = {_stem(w) for w in said + written}
    said, written = _resolve_double_negations(said, stems), _resolve_double_negations(written, stems)
    said_negates, written_negates = any(map(_negates, said)), any(map(_negates, written))
    if said_negates == written_negates:
        return _flipped_prefix(said_clauses, written_clauses)
    negating, other = (said, written) if said_negates else (written, said)
    heads = _negated_heads(negating)
    if _carries_negation(other, negating) or _negated_by_sense(other, heads):
        return ""
    scoped = all(w in _PREPOSITIONS for w in negating if _negates(w)) or (said_negates and omission_allowed)
    if scoped and not heads & {_stem(w) for w in other}:
        return _flipped_prefix(said_clauses, written_clauses)
    return "lost" if said_negates else "added"
