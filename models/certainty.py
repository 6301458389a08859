"""How sure a sentence is: "certainly", "likely", "possibly", "unlikely". A paraphrase keeps it.

"The vote is likely to pass." -> "The vote is possibly going to pass." weakens the claim and
"-> almost certain to pass" strengthens it; the meaning scorer reads both as near copies. The
phrase index offers exactly these swaps: the teachers wrote "possibly", "perhaps" and "almost
certain" for "likely" in other sentences.

Four degrees, each with the words that say it:

* *certain*: certainly, definitely, surely, undoubtedly, inevitably, without (a) doubt, for
  sure, (almost) certain;
* *probable*: likely, probably, probable, presumably, in all likelihood, expected (not "as
  expected", which says it happened);
* *possible*: possibly, perhaps, maybe, possible, potentially, conceivably, might, "may" (not
  "May", read as the month);
* *unlikely*: unlikely, improbable, doubtful, "probably not", "not expected".

:func:`changed_certainty` compares a text with another the way
:func:`models.quantifiers.changed_amounts` does: a degree given in place of one the first text
gave (one new, one gone) is a change; a degree dropped or added beside the first's is not.
:func:`dropped_hedge` reads the other way a hedge goes: a statement the source hedged ("may",
"likely", "unlikely") that the candidate makes with no hedge at all. :func:`unrealized` reads
whether it happened at all: a flat statement of what happened or happens ("have resigned") that
the candidate makes into what is only about to, meant to or likely to ("are on the verge of
resigning").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .facts import LOWER_MAY_MARCH_DAY_RE
from .near_miss import barely, dropped_barely, near_misses, says_near_miss
from .phrase_words import inflect, suffix_of, words
from .quantifiers import replaced_values
from .word_forms import is_past_form, past_forms

CERTAIN, PROBABLE, POSSIBLE, UNLIKELY = "certain", "probable", "possible", "unlikely"

#: (degree, expression), the first listed winning where two start at one place ("probably not"
#: before "probably", "almost certain" before "certain").
_DEGREES: list[tuple[str, str]] = [
    (UNLIKELY, r"\bunlikely\b|\bimprobabl[ey]\b|\bdoubtful\b|\bprobably\s+not\b"
               r"|\bnot\s+(?:be\s+)?(?:likely|expected)\b"),
    # "certain" alone is a determiner as often ("certain groups", "a certain man"): it counts after a
    # verb of being or a hedge ("is certain to", "almost certain")
    (CERTAIN, r"\b(?:(?:is|are|was|were|be|been|seems?|seemed|appears?|looks?)\s+(?:almost\s+|nearly\s+|virtually\s+"
              r"|quite\s+|all\s+but\s+)?|(?:almost|nearly|virtually|all\s+but)\s+)certain\b|\bcertainly\b"
              r"|\bdefinitely\b|\bsurely\b|\bundoubtedly\b|\binevitabl[ey]\b|\bwithout\s+(?:a\s+)?doubt\b"
              r"|\bfor\s+sure\b"),
    (PROBABLE, r"\blikely\b|\bprobabl[ey]\b|\bpresumably\b|\bin\s+all\s+likelihood\b|(?<!\bas\s)\bexpected\b"),
    (POSSIBLE, r"\bpossibl[ey]\b|\bperhaps\b|\bmaybe\b|\bpotentially\b|\bconceivabl[ey]\b|\bmight\b|\bmay\b"),
]
_PATTERN = re.compile("|".join(f"(?P<d{n}>{pattern})" for n, (_, pattern) in enumerate(_DEGREES)))
#: A text without one of these (lower-cased) names no degree and skips the pattern.
_KEYWORDS = ("likel", "probab", "presum", "expect", "certain", "definite", "sure", "doubt", "inevitab", "possib",
             "perhaps", "maybe", "potential", "conceivab", "might", "may")


def certainty(text: str) -> set[str]:
    """The degrees of certainty ``text`` states: ``{"probable"}`` for "The vote is likely to pass."."""
    lower = text.lower()
    if not any(word in lower for word in _KEYWORDS):
        return set()
    return {_DEGREES[int(m.lastgroup[1:])][0] for m in _PATTERN.finditer(_cased_may(text))}  # type: ignore[index]


def _cased_may(text: str) -> str:
    """``text`` lower-cased except "May", which is read as the month (a sentence opening with the
    verb, "May I ask", is rare in the prose this reads)."""
    return "".join(piece if piece == "May" else piece.lower() for piece in re.split(r"(\bMay\b)", text))


#: A hedge the candidate may keep in other words than the degrees above: a modal, a verb of
#: seeming or expecting, a word of chance, a condition, a report. Any of them in the candidate
#: and a source's hedge counts as kept (the check is for a hedge gone, not for its strength);
#: "may", "might", "perhaps" are degrees already, read by :func:`certainty` (which knows the month).
_HEDGE_KEPT = re.compile(
    r"\b(?:could|can|cannot|can't|would|should|seems?|seemed|appears?|appeared|suggests?|suggested"
    r"|chances?|risks?|if|whether|expects?|expected|expecting|anticipated|possibilit(?:y|ies)|likelihood|potential"
    r"|tends?|tended|probability|odds|hopes?|plans?\s+to|planned|aims?\s+to|intends?|estimated?|estimates"
    r"|predicted|forecast(?:s|ed)?|projected|believed?|thought|thinks?|suspected|alleged(?:ly)?|reportedly|apparently"
    r"|unclear|uncertain|doubts?|set\s+to|scheduled|due|poised|slated|arguably|argu(?:e|es|ed|ing)|going\s+to"
    r"|speculat\w*|rumou?r\w*"
    r"|necessarily)\b", re.IGNORECASE)
#: Where "may" or "possible" hedges nothing: politeness ("whom you may know", "may I ask"), what
#: something enabled ("made it possible to
#: establish" -> "enabled us to create", held-out news), "as soon as possible", "where possible",
#: and "possible" after a superlative, which stresses it ("the best possible outcome").
_NOT_A_HEDGE = re.compile(
    r"\b(?:mak\w*|made)\s+(?:it\s+)?possible\b|\bas\s+\w+\s+as\s+possible\b"
    r"|\b(?:if|when|where|how|whenever|wherever|however)\s+possible\b"
    r"|\b(?:\w+est|best|worst|most|least|only|every|all)\s+possible\b|\byou\s+may\b|\bmay\s+i\b", re.IGNORECASE)
#: A concession, not a hedge: "It may not be Shrek, but it's not that bad", "While she may have died
#: in 1982, …", "I might sound insane, but …" grant a point; "Not quite Shrek, but …" keeps it.
_CONCEDED = re.compile(r"\b(?:may|might)\b(?=[^.;!?]*\b(?:but|yet)\b)"
                       r"|\b(?P<lead>while|though|although)\b(?P<clause>[^,.;!?]*?)\b(?:may|might)\b", re.IGNORECASE)
#: "expected" says what is foreseen, often of a date ("is expected to attend"); the writers of
#: MRPC and the LLM teachers write "will" and "is set to" for it, so a hedge made of it alone is
#: not required to stay.
_EXPECTED = re.compile(r"\bexpected\b", re.IGNORECASE)


#: "could" that allows for something ("the plan could raise taxes"), not a past ability denied
#: ("could not find"), a polite request ("could you", "if you could"), "could use" (needs) or
#: a concession (read as "may" is).
_COULD = re.compile(r"(?<!\bif you )(?<!\bif i )\bcould\b(?!\s+not\b|n't)(?!\s+(?:you|i|we|use)\b)", re.IGNORECASE)


#: "could" in a purpose clause ("so a witness could identify him") says what for, not how sure.
_PURPOSE_COULD = re.compile(r"\bso\s+(?:that\s+)?(?:[\w'-]+\s+){0,4}could\b", re.IGNORECASE)


def hedges(text: str) -> set[str]:
    """The degrees short of certain that ``text`` hedges a statement with ("may", "could",
    "likely", "unlikely"); none for a question, which asks rather than states.

    "could" joined on 2026-12-04: "Critics say the plan could raise taxes for the middle
    class." -> "The plan will raise taxes for the middle class." passed every check at 0.46
    (MRPC: "Ozzy Osbourne could be kept in intensive care for several days" -> "… was in
    intensive care today"). With :func:`dropped_attribution` it newly flags 17 of 5,506 MRPC
    paraphrase directions, none of PAWS-Wiki's 3,539 or APTY's 483 paraphrases, and 134 of
    40,000 cased teacher pairs (``runs/s50/sure_diff.py``)."""
    if text.rstrip().endswith("?"):
        return set()
    stated = _NOT_A_HEDGE.sub(" ", _CONCEDED.sub(lambda m: f"{m.group('lead') or ''}{m.group('clause') or ''} ", text))
    stated = LOWER_MAY_MARCH_DAY_RE.sub(" ", stated)  # the month, as the facts check reads it ("arriving may seventh")
    found = certainty(_EXPECTED.sub(" ", stated)) - {CERTAIN}
    if _COULD.search(_PURPOSE_COULD.sub(" ", stated)):
        found.add(POSSIBLE)
    return found


#: A statement the writer only reports or that is only alleged: "the alleged killer", "reportedly".
_ATTRIBUTED = re.compile(
    r"\b(?:alleged(?:ly)?|reportedly|purportedly|supposedly|suspected|rumou?red)\b"
    # what is only believed, said or seen of it: "is believed to have resigned", "appear to control"
    r"|\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?(?:believed|said|thought|reported|understood|presumed"
    r"|feared|claimed|rumou?red|alleged)\s+to\b|(?<!\bi\s)(?<!\bwe\s)\b(?:appears?|appeared|seems?|seemed)\s+to\b(?!\s+me\b)"
    # what evidence only points to: "Early results suggest the treatment works"
    r"|\b(?:results?|stud(?:y|ies)|research|evidence|data|findings|polls?|surveys?|figures|signs|analys[ie]s|tests?)"
    r"\s+(?:\w+\s+)?(?:suggest|suggests|suggested|indicate|indicates|indicated)\b"
    # what others only foresee: "Analysts predict that sales will fall"
    r"|\b(?:analysts?|experts?|economists?|forecasters?|observers?|scientists?|officials?|investors?|traders?)"
    r"\s+(?:\w+\s+)?(?:predict|predicts|predicted|forecast|forecasts|fear|fears|feared|estimate|estimates)\b",
    re.IGNORECASE)
#: What keeps it: the same words, or the report made explicit ("according to police", "accused
#: of", "charged with", "said to"), or a degree of certainty; not a plan or a modal ("reportedly
#: plans to close" -> "intends to shut down" states the plan as fact).
_ATTRIBUTION_KEPT = re.compile(
    r"\b(?:alleged(?:ly)?|allegations?|reportedly|purportedly|supposedly|suspected|suspects?|rumou?red|presumed"
    r"|seemingly|ostensibly|apparently|believed?|believes|thought|thinks?|perceived|appears?|appeared|seems?|seemed"
    r"|accus\w*|charged|report(?:s|ed)?|said|says|say|claim(?:s|ed|ing)?|according|understood|suggest\w*|indicat\w*"
    r"|point(?:s|ed)?\s+to|evidence|predict\w*|forecast\w*|expect\w*|anticipat\w*|project(?:s|ed|ions?)|estimat\w*"
    r"|fear\w*|worr\w*|concern\w*|warn\w*|could|would|might|may|possibl[ey]|perhaps|reckon\w*|view\w*|opinion"
    r"|evidently|looks?|looked|looking|comes?\s+across|came\s+across|feels?|felt|appearing|apparent|impressions?"
    r"|sounds?)\b", re.IGNORECASE)


#: "will" the noun, not a time to come ("free will", "the will of the people").
_NOT_FUTURE_WILL = re.compile(r"\b(?:free|good|ill|own|his|her|their|the|a|political|popular)\s+will\b", re.IGNORECASE)
#: Words that keep a time to come in a candidate besides :data:`_IRREALIS`'s modals and plans
#: ("was to be launched" is a future seen from the past, "are to be deployed" one from now).
_FUTURE_KEPT = re.compile(r"\b(?:next|tomorrow|upcoming|coming|soon|later|future|forthcoming|tonight"
                          r"|(?:is|are|am|was|were)\s+to)\b|\w'll\b", re.IGNORECASE)
#: The verb "will" governs: "will reopen" -> "reopen", "will be formally launched" -> "launched".
_WILL_VERB = re.compile(r"(?:\b(?:will|shall)|\w'll)\s+(?:(?:not|also|now|soon|still|then|only|never|\w+ly)\s+)*"
                        r"(?:(?P<be>be)\s+(?:\w+ly\s+)?)?(?P<verb>[a-z][a-z-]+)", re.IGNORECASE)


#: The verb an attempt, plan, wish or schedule governs: "tried to escape" -> "escape", "plans to
#: hire" -> "hire", "is expected to be approved" -> "approved". Such a verb has not happened
#: (yet) either, so it joins "will"'s in :func:`future_pasts`.
_MEANT_VERB = re.compile(
    r"\b(?:tried|tries|try|trying|attempted|attempts|attempt|attempting|sought|seeks|seek|seeking|plans?|planned"
    r"|planning|intends?|intended|intending|aims?|aimed|aiming|hopes?|hoped|hoping|wants?|wanted|wanting|expects?"
    r"|promised?|promises|pledged?|pledges|vowed?|vows|agreed?|agrees|offered|offers?|threaten(?:s|ed)?"
    r"|refused?|refuses|urged?|urges"
    r"|(?:is|are|was|were|be|been)\s+(?:set|scheduled|slated|due|expected|going|about|asked|told|ordered|urged"
    r"|intended|designed|meant|supposed))\s+to\s+(?:\w+ly\s+)?"
    r"(?:(?P<be>be)\s+(?:\w+ly\s+)?)?(?P<verb>[a-z][a-z-]+)", re.IGNORECASE)


def future_pasts(text: str) -> frozenset[str]:
    """The past forms of the verbs ``text`` says will happen: "will reopen" -> "reopened";
    "will be launched" -> "launched"; "will take" -> "took", "taken"; and of those it says
    were only tried, planned, wanted or scheduled ("tried to escape" -> "escaped", "plans to
    hire" -> "hired"). None for a question; a form the text also writes outside those phrases
    (it says the thing happened too) is left out."""
    if text.rstrip().endswith("?"):
        return frozenset()
    forms: set[str] = set()
    cleaned = _NOT_FUTURE_WILL.sub(" ", text)
    found = [*_WILL_VERB.finditer(cleaned), *_MEANT_VERB.finditer(cleaned)]
    elsewhere = cleaned
    for m in found:
        elsewhere = elsewhere[:m.start()] + " " * (m.end() - m.start()) + elsewhere[m.end():]
    for m in found:
        verb = m.group("verb").lower()
        if m.group("be"):
            if suffix_of(verb) == "ed" or is_past_form(verb):
                forms.add(verb)
            continue
        if verb in ("be", "have", "not"):
            continue
        forms.add(inflect(verb, "ed"))
        forms.update(past_forms(verb))
    return frozenset(forms - {word.lower() for word in words(elsewhere)})


def future_made_past(source_future: frozenset[str], text: str) -> str | None:
    """The word by which ``text`` tells as done what its source says will happen, or None.
    ``source_future``: :func:`future_pasts` of the source, the past forms of its future verbs.

    "The museum will reopen to the public after the renovation." -> "The museum reopened to the
    public after the renovation." passed every check (0.32). A candidate with no modal, plan or
    time to come (:data:`_IRREALIS`, :data:`_FUTURE_KEPT`) that writes one of those verbs in the
    past ("reopened") has moved it (another verb in the past may be another event). MRPC's
    paraphrases, written from other days' reports, do it too ("will impose a 44.71 percent
    tariff" -> "imposed a 44.71 percent tariff", "will be sent to Iraq" -> "were dispatched")."""
    if not source_future or _IRREALIS.search(text) or _FUTURE_KEPT.search(text):
        return None
    return next((word for word in words(text) if word.lower() in source_future), None)


#: A condition a statement holds under: "if", "unless", "provided that", "as long as", "in case".
_CONDITION = re.compile(r"\b(?:if|unless|provided\s+that|providing\s+that|in\s+case|as\s+long\s+as"
                        r"|on\s+condition\s+that)\b(?!\s+(?:any|not|so|only|anything|possible|necessary|needed|ever"
                        r"|at\s+all)\b)", re.IGNORECASE)
#: "if" that is no condition: "whether" ("unsure if", "ask if"), politeness ("grateful if you
#: could"), a manner ("as if"), a concession ("even if"), or a generic "if you" (reviews and advice
#: rewrite "If you care about your time, avoid it" as "Value your time: avoid it").
_NOT_A_CONDITION = re.compile(
    r"\b(?:even|as)\s+if\b|\bif\s+(?:any|not|you)\b|\b(?:unsure|sure|certain|wonder\w*|ask\w*|know\w*|see|check\w*"
    r"|decide\w*|doubt\w*|determine\w*|inquir\w*|question\w*|find\s+out|tell\s+me|curious)\s+(?:about\s+)?if\b"
    r"|\b(?:appreciate\s+it|grateful|glad|thankful|happy)\s+if\b", re.IGNORECASE)
#: What keeps a condition in a candidate (a condition word, a modal, "depends", "assuming" …).
_CONDITION_KEPT = re.compile(
    r"\b(?:if|unless|provided|providing|in\s+case|as\s+long\s+as|conditions?|conditional|assuming|suppos\w+|should"
    r"|were|whether|when|whenever|once|in\s+the\s+event|otherwise|would|could|might|may|depend\w*|without|only\s+with"
    r"|given|subject\s+to|permitting)\b", re.IGNORECASE)


def states_condition(text: str) -> bool:
    """Whether ``text`` (not a question) makes a statement under a condition ("If the talks fail, …")."""
    return (not text.rstrip().endswith("?") and _CONDITION.search(text) is not None
            and _NOT_A_CONDITION.search(text) is None)


def dropped_condition(conditional: bool, text: str) -> bool:
    """Whether ``text`` states flat what its source (``conditional``: :func:`states_condition`)
    said holds only under a condition.

    "If the talks fail, oil prices will rise sharply next month." -> "Oil prices will rise
    sharply next month because the talks failed." passed every check (0.39): the condition became
    a fact and a cause. Flags 2 of 5,506 MRPC paraphrase directions ("If accepted by the judge,
    Grass' plea will leave …" -> "Grass' plea will leave …"), none of PAWS-Wiki's or APTY's
    paraphrases, and 49 of 40,000 cased teacher pairs, about half of them real ("possibly sell
    off the division if stock performance lags" -> "… due to its stock performance"; "as long as
    your closest companions support you" -> "the important thing is that …" is one that is not:
    ``runs/s50/cond_probe.py``)."""
    return conditional and _CONDITION_KEPT.search(text) is None


#: "unless" kept, or said as a condition with a negation ("if no buyer is found", "if it fails").
_UNLESS_KEPT = re.compile(r"\b(?:unless|except\s+(?:if|when|where)|only\s+if|otherwise|not|no|never|without|fail\w*"
                          r"|lack\w*|absence|nobody|nothing|none)\b|n't\b", re.IGNORECASE)
#: A condition word a candidate may have written "unless" as.
_CONDITION_WORD = re.compile(r"\b(?:if|when|whenever|once|provided|providing|as\s+long\s+as|in\s+case)\b",
                             re.IGNORECASE)


def states_unless(text: str) -> bool:
    """Whether ``text`` (not a question) holds something unless a condition is met."""
    return not text.rstrip().endswith("?") and re.search(r"\bunless\b", text, re.IGNORECASE) is not None


def unless_made_if(says_unless: bool, text: str) -> bool:
    """Whether ``text`` turns its source's "unless" (``says_unless``: :func:`states_unless`) into
    a plain condition: "The factory will close unless a buyer is found." -> "The factory will
    close if a buyer is found." passed every check at 0.53, the opposite claim. A candidate
    that keeps "unless", says "only if" or "otherwise", or has any negation ("if no buyer is
    found", "if it fails to find a buyer") is left alone; one with no condition at all is
    :func:`dropped_condition`'s."""
    return says_unless and _CONDITION_WORD.search(text) is not None and _UNLESS_KEPT.search(text) is None


#: What a statement obliges someone to do: "must", "have to", "is required to", "mandatory".
_OBLIGATION = re.compile(r"\b(?:must|have\s+to|has\s+to|(?:is|are|am|be|being|been|was|were)\s+required\s+to"
                         r"|obliged\s+to|obligated\s+to|mandatory|compulsory)\b", re.IGNORECASE)
#: Those words where they oblige no one: a "must-see", "don't have to", "what it has to offer",
#: "I must admit", "you have to hand it to them", and the "must be" of a guess (how sure a
#: guess is, :func:`certainty` reads).
_NOT_AN_OBLIGATION = re.compile(
    r"\bmust-\w+|\b(?:do|does|did)(?:n't|\s+not)\s+have\s+to\b|\b(?:has|have)\s+to\s+offer\b"
    r"|\b(?:i|we|you|one)\s+(?:must|have\s+to)\s+(?:admit|say|confess|acknowledge|add|agree|give|hand|point\s+out"
    r"|stress|emphasi[sz]e|note|tell|mention|warn|ask)\b|\bmust\s+(?:have\s+been|have\s+\w+ed|be)\b", re.IGNORECASE)
#: What keeps an obligation in a candidate: any word of duty, need or prohibition.
_OBLIGATION_KEPT = re.compile(
    r"\b(?:must|mustn't|have\s+to|has\s+to|had\s+to|having\s+to|need(?:s|ed)?\s+to|needs?|required?|requires"
    r"|requiring|requirement|obliged|obligated|obligations?|obligatory|mandatory|compulsory|necessary|necessity"
    r"|essential|should|shouldn't|ought|shall|got\s+to|duty|forced|compelled|no\s+choice|cannot|can't|not\s+allowed"
    r"|not\s+permitted|prohibited|forbidden|banned|never|only\s+if|imperative|demand\w*|insist\w*|make\s+sure"
    r"|ensure|always|expected\s+to|responsib\w*|crucial|vital|call(?:s|ed)?\s+for)\b", re.IGNORECASE)
#: What makes an obligation a permission, a suggestion or a choice ("can you", "could you", "may
#: I" are polite requests, left out).
_PERMISSION = re.compile(
    r"\b(?:may|might|can|could|encouraged|recommended|suggested|advised|advisable|optional(?:ly)?|free\s+to"
    r"|welcome\s+to|allowed|permitted|invited|option|choose|prefer\w*"
    r"|if\s+(?:you|they|he|she|we)\s+(?:want|wish|like))\b", re.IGNORECASE)
_POLITE = re.compile(r"\b(?:can|could|may|might)\s+(?:you|i|we)\b", re.IGNORECASE)


def obliges(text: str) -> bool:
    """Whether ``text`` (not a question) tells someone they must do something (:data:`_OBLIGATION`)."""
    return (not text.rstrip().endswith("?")
            and _OBLIGATION.search(_NOT_AN_OBLIGATION.sub(" ", text)) is not None)


def weakened_obligation(obliging: bool, text: str) -> bool:
    """Whether ``text`` makes its source's obligation (``obliging``: :func:`obliges`) a permission,
    a suggestion or a choice: "Employees must wear a badge at all times." -> "Employees may wear
    a badge …" passed every check at 0.21, "… are encouraged to wear a badge …" at 0.50. Only a
    candidate with such a word and no word of duty, need or prohibition left is refused (one
    that just drops the "must" is not: "We must come together" -> "Our responsibility is …").
    Flags no paraphrase of MRPC (38 with an obligation), PAWS-Wiki or APTY and none of 40,000
    cased teacher pairs (``runs/s51/oblig_probe.py``)."""
    if not obliging or _OBLIGATION_KEPT.search(text):
        return False
    return _PERMISSION.search(_POLITE.sub(" ", text)) is not None


#: What leaves a choice: "can", "may", "allowed to", "free to", "optional" (not "cannot", "may not").
_PERMITS = re.compile(r"\b(?:can|may|allowed\s+to|permitted\s+to|free\s+to|optional(?:ly)?|welcome\s+to)\b"
                      r"(?!\s*not\b)", re.IGNORECASE)


def permits(text: str) -> bool:
    """Whether ``text`` (not a question) leaves someone a choice and obliges no one ("You can park
    here after 6 p.m."); a polite request ("can you") is no permission."""
    return (not text.rstrip().endswith("?") and not obliges(text) and _OBLIGATION_KEPT.search(text) is None
            and _PERMITS.search(_POLITE.sub(" ", text)) is not None)


def made_obligation(permitting: bool, text: str) -> bool:
    """Whether ``text`` makes its source's permission (``permitting``: :func:`permits`) a duty:
    "You can park here after 6 p.m." -> "You must park here after 6 p.m." passed every check
    (0.46), the other way round from :func:`weakened_obligation`. Flags no pair of PAWS-Wiki,
    MRPC, APTY or 40,000 cased teacher pairs (``runs/s52/perm_flags.py``)."""
    return permitting and obliges(text)


def dropped_attribution(attributed: bool, text: str) -> bool:
    """Whether a source that only reports or alleges something (``attributed``: :data:`_ATTRIBUTED`
    found in it) became ``text`` stating it as fact.

    "Police arrested the alleged killer at his home on Friday." -> "On Friday, police arrested
    the killer at his home." passed every check: a writer who pastes it says the man is a killer.
    MRPC's paraphrases do it too ("Iraq's alleged chemical and biological weapons" -> "Iraq's
    banned weapons programs", "the suspected ritual murder" -> "the murder")."""
    return attributed and not (_ATTRIBUTION_KEPT.search(text) or certainty(text))


#: What a subject only means, wants or is meant to do: "aims to double its sales", "hopes to win",
#: "is intended to protect", "promised to lower". Not a writer's own wish ("I want to know", "we
#: hope to see you") or advice ("Aim to visit early"): requests and greetings are rewritten
#: freely (:data:`_OWN_WISH`). Nor "intends to" or "plans to": news writes "will" for them.
_INTENTION = re.compile(
    r"\b(?:aims?|aimed|aiming|hopes?|hoped|hoping|wants?|wanted|wishes|wished"
    r"|seeks?|sought|seeking|strives?|strove|striving|promised?|promises|pledged?|pledges|vowed?|vows"
    r"|(?:is|are|was|were|be|been)\s+(?:\w+ly\s+)?(?:intended|designed|meant|determined|eager|keen|looking)"
    r"|(?:would|'d)\s+(?:like|love|prefer))\s+to\b", re.IGNORECASE)
_OWN_WISH = re.compile(r"\b(?:i|we|you|i'm|we're|you're|i'd|we'd|you'd)\s+(?:\S+\s+)?"
                       r"(?:aim|hope|want|wish|seek|striv|promis|pledg|vow|am|are|was|were|like|love|prefer)\w*\s+to\b"
                       r"|(?:^|[.;:!?]\s*)(?:aim|hope|try|seek|strive|plan|want)\s+to\b", re.IGNORECASE)
#: What keeps an intention in a candidate: a word of aim, wish, effort, plan or promise, or a hedge.
_INTENTION_KEPT = re.compile(
    r"\b(?:aim\w*|hop(?:e|es|ed|ing)|intend\w*|intent\w*|want\w*|wish\w*|seek\w*|sought|striv\w*|strove|promis\w*"
    r"|pledg\w*|vow\w*|design\w*|meant|determin\w*|eager\w*|keen|looking|goals?|target\w*|objectives?|purposes?"
    r"|direct(?:s|ed)?\s+(?:at|to|towards?)"
    r"|ambitions?|ambitious|bid|efforts?|mission|in\s+order\s+to|so\s+as\s+to|would\s+like|desir\w*|plan\w*"
    r"|tr(?:y|ies|ied|ying)|attempt\w*|endeavou?r\w*|push\w*|commit\w*|resolv\w*|set\s+out|set\s+to|going\s+to"
    r"|about\s+to|expect\w*|propos\w*|pursu\w*|search\w*|work\w*\s+(?:to|on|towards?)|fight\w*|campaign\w*"
    r"|strategy|agenda|prepar\w*|ready|willing|dream\w*|long(?:s|ed|ing)\s+(?:to|for)|yearn\w*|aspir\w*|could|might"
    r"|may|would|should|'d\s+(?:like|love|prefer)|hopeful|optimistic|focus\w*|idea|vision|struggl\w*|assur\w*"
    r"|guarantee\w*|tailor\w*|geared|(?:built|made|developed|created|engineered|crafted)\s+to|bent\s+on|set\s+on"
    r"|can|able|enabl\w*|allow\w*|capable|lov(?:e|es|ed|ing)\s+to|prefer\w*|rather)\b", re.IGNORECASE)


def intends(text: str) -> bool:
    """Whether ``text`` (not a question) says what someone only means, wants or promises to do
    (:data:`_INTENTION`), the writer's own wishes left out."""
    return not text.rstrip().endswith("?") and _INTENTION.search(_OWN_WISH.sub(" ", text)) is not None


def dropped_intention(intending: bool, text: str) -> bool:
    """Whether ``text`` states as what will happen or happens what its source (``intending``:
    :func:`intends`) said someone only aims, hopes, wants or is meant to do.

    "The firm aims to double its sales." -> "The firm will double its sales." (0.45), "She hopes
    to win the election." -> "She will win the election." (0.41) and "The bill is intended to
    protect children." -> "The bill protects children." (0.36) passed every check: a writer who
    pastes them predicts or asserts what the source only reports as a wish. One told as done
    ("hopes to win" -> "won") is :func:`future_made_past`'s; any word of aim, wish, effort,
    plan or promise, or a hedge, keeps it."""
    return intending and not text.rstrip().endswith("?") and _INTENTION_KEPT.search(text) is None


def dropped_hedge(said: set[str], text: str) -> str | None:
    """The degree ``said`` (:func:`hedges` of the source) that ``text`` states flat, or None.

    "Commodities trading may be reduced or stopped completely." -> "Commodities trading will
    stop completely." gives no degree in place of the source's, so :func:`changed_certainty`
    passes it; here a candidate with no degree and no other hedging word at all
    (:data:`_HEDGE_KEPT`) has dropped the hedge and asserts what the writer only allowed for.
    """
    if not said or certainty(text) or _HEDGE_KEPT.search(text):
        return None
    return sorted(said)[0]


def changed_certainty(said: set[str], text: str) -> tuple[str, str] | None:
    """(the degrees first said, the new ones) when ``text`` gives a degree in place of one ``said``
    gave ("likely" -> "possibly"); None otherwise. ``said``: :func:`certainty` of the first text."""
    return replaced_values(said, certainty(text)) if said else None


#: What a candidate may not bring to a source that states what happened or happens: the event
#: made imminent, attempted, probable, scheduled or intended instead of done.
_UNREALIZED_WORDS = (
    r"\bon\s+the\s+(?:verge|brink)\s+of\b|\babout\s+to\b|\bpoised\s+to\b|\b(?:is|are|was|were|be|been|being)\s+set\s+to\b"
    r"|\b(?:attempt|attempts|attempted|attempting|try|tries|tried|trying)\s+to\b"
    r"|\b(?:expected|likely|scheduled|slated)\s+to\b|\b(?:is|are|am|was|were|be|been)\s+going\s+to\b"
    r"|\b(?:plan|plans|planned|planning|intend|intends|intended|intending|aim|aims|aimed|aiming|hope|hopes|hoped|hoping"
    r"|threaten|threatens|threatened|threatening)\s+to\b"
    # harm made a threat: "Fear of recession in Europe depresses US stock exchange" -> "… poses a
    # significant threat to the US stock market" was shown on held-out news (2026-12-04)
    r"|\bpos(?:e|es|ed|ing)\s+(?:a|an)\s+(?:\w+\s+){0,2}(?:threat|risk|danger)\s+to\b")
_UNREALIZED = re.compile(_UNREALIZED_WORDS, re.IGNORECASE)
#: What makes a source speak of what is not (yet) real: any of the above, or a modal, another
#: verb of wanting or striving, a condition, a time to come. A source with one is left to the
#: checks above (its "will" may fairly become "is set to"); one without states what happened or
#: happens.
_IRREALIS = re.compile(
    _UNREALIZED_WORDS + r"|\bset\s+to\b|\bgoing\s+to\b"
    r"|\b(?:seek|seeks|sought|seeking|fight|fights|fought|fighting|struggle|struggles|struggled|struggling|strive"
    r"|strives|strove|striving|want|wants|wanted|wanting|wish|wishes|wished|wishing|desire|desires|desired|need|needs"
    r"|needed|needing|prepare|prepares|prepared|preparing|promise|promises|promised|vow|vows|vowed|pledge|pledges"
    r"|pledged|propose|proposes|proposed|ask|asks|asked|urge|urges|urged)\s+to\b"
    r"|\b(?:unlikely|due|bound|ready|eager|willing)\s+to\b"
    r"|\b(?:will|would|shall|should|may|might|could|can|cannot|must|won't|wouldn't|couldn't|shouldn't|can't|mustn't)\b"
    r"|\b(?:if|whether|unless|until|soon|next|future|tomorrow|later|upcoming|expects?|expected|plans?)\b"
    r"|\b(?:is|are|was|were|be|been|being)\s+(?:a|an)\s+(?:\w+\s+){0,2}(?:threat|risk|danger)\b", re.IGNORECASE)


def states_what_is(text: str) -> bool:
    """Whether ``text`` is a statement of what happened or happens: not a question, and no modal,
    plan, attempt, condition or schedule anywhere in it (:data:`_IRREALIS`)."""
    return not text.rstrip().endswith("?") and _IRREALIS.search(text) is None


def unrealized(source_states_what_is: bool, text: str) -> str | None:
    """The words by which ``text`` makes what its source states as done (or doing) only imminent,
    intended, attempted, likely or scheduled, or None. ``source_states_what_is``:
    :func:`states_what_is` of the source, read once for all of its candidates.

    Shown on held-out news: "the prime ministers of both Italy and Greece have resigned" → "…
    are now on the verge of resigning"; "6,000 young people … have been helped" → "… are likely
    to be helped"; "Hungry Labrador turns on hotplate" → "… is set to burn hotplate"; "took a
    shot … that just missed" → "attempt to take a shot … was thwarted": 4 of 2,675 shown student
    cards of sessions 46-48, each a change. People do it less cleanly: 42 of 5,506 MRPC paraphrase
    directions and 29 of 3,326 teacher ones (the meaning scorer's data), about half of them real
    changes ("was acquiring" → "intends to acquire", "just failed to stay above" → "tries to stay
    above", "Today's sentencing concerns …" → "… is set to be sentenced"), the rest a purpose said
    another way ("efforts to control" → "attempts to restrict"); PAWS 3 of 7,078, APTY 1 of 966,
    QQP 0 of 8,000 (``runs/s48/realis_probe.py``).
    """
    if not source_states_what_is:
        return None
    found = _UNREALIZED.search(text)
    return found.group(0) if found else None


@dataclass(frozen=True)
class Sureness:
    """How sure a source is, read once for all of its candidates: the degrees it gives
    (:func:`certainty`), the hedges it states something with (:func:`hedges`) and whether it
    states what happened (:func:`states_what_is`). The candidate checks and the phrase look-up
    both ask :meth:`changed_by` of it, so the two read a sentence's certainty alike."""

    degrees: frozenset[str]
    hedges: frozenset[str]
    states_what_is: bool
    near_misses: tuple[str, ...] = ()
    attributed: bool = False
    future: frozenset[str] = frozenset()
    conditional: bool = False
    unless: bool = False
    obliging: bool = False
    barely: bool = False
    intending: bool = False
    permitting: bool = False

    @classmethod
    def of(cls, text: str) -> Sureness:
        missed = tuple(near_misses(text))  # "he almost died" states what did not happen
        return cls(frozenset(certainty(text)), frozenset(hedges(text)), states_what_is(text) and not missed, missed,
                   _ATTRIBUTED.search(text) is not None, future_pasts(text), states_condition(text),
                   states_unless(text), obliges(text), barely(text), intends(text), permits(text))

    def changed_by(self, text: str, *, hedge_may_go: bool = False) -> bool:
        """Whether ``text`` says it another way sure: another degree (:func:`changed_certainty`),
        what was done made only meant or likely (:func:`unrealized`), what almost happened made
        to happen (:mod:`models.near_miss`: "He almost died" -> "He lost his life", in every
        mode), what was only just so stated plainly ("can hardly hear" -> "can hear clearly"),
        what was alleged or reported stated as fact (:func:`dropped_attribution`, in every
        mode), what will happen or was only tried, planned or wanted told as done
        (:func:`future_made_past`), what holds under a condition stated flat
        (:func:`dropped_condition`), "unless" made "if" (:func:`unless_made_if`), "must" made
        "may" (:func:`weakened_obligation`) or "can" made "must" (:func:`made_obligation`), what
        was only meant or wished stated as what will be
        (:func:`dropped_intention`), or, unless
        ``hedge_may_go`` (a mode that may drop the clause it hedged), no hedge left at all
        (:func:`dropped_hedge`)."""
        if changed_certainty(set(self.degrees), text) is not None or unrealized(self.states_what_is, text):
            return True
        if (self.near_misses and not says_near_miss(text)) or dropped_barely(self.barely, text):
            return True
        if (dropped_attribution(self.attributed, text) or future_made_past(self.future, text)
                or dropped_condition(self.conditional, text) or unless_made_if(self.unless, text)
                or weakened_obligation(self.obliging, text) or made_obligation(self.permitting, text)
                or dropped_intention(self.intending, text)):
            return True
        return not hedge_may_go and dropped_hedge(set(self.hedges), text) is not None
