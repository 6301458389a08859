"""Which English word forms state a past tense or a plural, for the phrase look-up's agreement checks.

Why a table: the look-up's suffix rules (:func:`models.phrase_words.suffix_of`) read "-ed",
"-s" and "-ing", so an irregular form passed as uninflected, and the index offered "says" for
"said", "takes" for "took", "stands" for "stood" and "tooths" for "teeth" (held-out news and
MRPC words, ``runs/s50``). A changed tense moves what the writer reported into the present; a
changed number changes how many. The verbs are the common irregular ones (base, simple past,
past participle); forms that are also everyday words of another kind ("left", "saw" as a tool,
"found", "felt", "lay", "bound", "ground", "wound", "fell") are left out, since the table cannot
tell which one a sentence uses ("rose" stays: "Prices rose" is far commoner than the flower).
"""
from __future__ import annotations

import functools
from typing import NamedTuple

from .phrase_words import inflect, lemma_variants, suffix_of

__all__ = ["IRREGULAR_PLURALS", "IRREGULAR_VERBS", "changes_number", "changes_tense", "irregular_verb",
           "is_irregular_plural", "is_past_form", "is_present_form", "past_forms", "singular_of_irregular"]

#: (base, simple past, past participle); several pasts or participles separated by "/".
IRREGULAR_VERBS: tuple[tuple[str, str, str], ...] = (
    ("arise", "arose", "arisen"), ("awake", "awoke", "awoken"), ("bear", "bore", "borne/born"),
    ("beat", "beat", "beaten"), ("become", "became", "become"), ("begin", "began", "begun"),
    ("bend", "bent", "bent"), ("bet", "bet", "bet"), ("bite", "bit", "bitten"), ("bleed", "bled", "bled"),
    ("blow", "blew", "blown"), ("break", "broke", "broken"), ("breed", "bred", "bred"),
    ("bring", "brought", "brought"), ("build", "built", "built"), ("burn", "burnt", "burnt"),
    ("buy", "bought", "bought"), ("catch", "caught", "caught"), ("choose", "chose", "chosen"),
    ("cling", "clung", "clung"), ("come", "came", "come"), ("creep", "crept", "crept"),
    ("deal", "dealt", "dealt"), ("dig", "dug", "dug"), ("do", "did", "done"), ("draw", "drew", "drawn"),
    ("dream", "dreamt", "dreamt"), ("drink", "drank", "drunk"), ("drive", "drove", "driven"),
    ("eat", "ate", "eaten"), ("feed", "fed", "fed"), ("feel", "felt", "felt"), ("fight", "fought", "fought"),
    ("flee", "fled", "fled"), ("fly", "flew", "flown"), ("forbid", "forbade", "forbidden"),
    ("forget", "forgot", "forgotten"), ("forgive", "forgave", "forgiven"), ("freeze", "froze", "frozen"),
    ("get", "got", "gotten/got"), ("give", "gave", "given"), ("go", "went", "gone"),
    ("grow", "grew", "grown"), ("hang", "hung", "hung"), ("have", "had", "had"), ("hear", "heard", "heard"),
    ("hide", "hid", "hidden"), ("hold", "held", "held"), ("keep", "kept", "kept"), ("kneel", "knelt", "knelt"),
    ("know", "knew", "known"), ("lead", "led", "led"), ("leap", "leapt", "leapt"), ("learn", "learnt", "learnt"),
    ("leave", "left", "left"),
    ("lend", "lent", "lent"), ("lose", "lost", "lost"), ("make", "made", "made"), ("mean", "meant", "meant"),
    ("meet", "met", "met"), ("overcome", "overcame", "overcome"), ("pay", "paid", "paid"),
    ("prove", "proved", "proven"), ("ride", "rode", "ridden"), ("ring", "rang", "rung"), ("rise", "rose", "risen"),
    ("run", "ran", "run"), ("say", "said", "said"), ("see", "saw", "seen"), ("seek", "sought", "sought"),
    ("sell", "sold", "sold"), ("send", "sent", "sent"), ("shake", "shook", "shaken"), ("shine", "shone", "shone"),
    ("shoot", "shot", "shot"), ("show", "showed", "shown"), ("shrink", "shrank", "shrunk"),
    ("sing", "sang", "sung"), ("sink", "sank", "sunk"), ("sit", "sat", "sat"), ("sleep", "slept", "slept"),
    ("slide", "slid", "slid"), ("speak", "spoke", "spoken"), ("speed", "sped", "sped"),
    ("spend", "spent", "spent"), ("spin", "spun", "spun"), ("spring", "sprang", "sprung"),
    ("stand", "stood", "stood"), ("steal", "stole", "stolen"), ("stick", "stuck", "stuck"),
    ("sting", "stung", "stung"), ("strike", "struck", "struck"), ("strive", "strove", "striven"),
    ("swear", "swore", "sworn"), ("sweep", "swept", "swept"), ("swim", "swam", "swum"), ("swing", "swung", "swung"),
    ("take", "took", "taken"), ("teach", "taught", "taught"), ("tear", "tore", "torn"), ("tell", "told", "told"),
    ("think", "thought", "thought"), ("throw", "threw", "thrown"), ("understand", "understood", "understood"),
    ("undertake", "undertook", "undertaken"), ("wake", "woke", "woken"), ("wear", "wore", "worn"),
    ("weep", "wept", "wept"), ("win", "won", "won"), ("withdraw", "withdrew", "withdrawn"),
    ("write", "wrote", "written"),
)

#: (singular, plural) pairs whose plural takes no "-s".
IRREGULAR_PLURALS: tuple[tuple[str, str], ...] = (
    ("man", "men"), ("woman", "women"), ("child", "children"), ("person", "people"), ("foot", "feet"),
    ("tooth", "teeth"), ("goose", "geese"), ("mouse", "mice"), ("ox", "oxen"), ("louse", "lice"),
    ("criterion", "criteria"), ("phenomenon", "phenomena"), ("medium", "media"), ("datum", "data"),
    ("analysis", "analyses"), ("crisis", "crises"), ("thesis", "theses"), ("hypothesis", "hypotheses"),
    ("basis", "bases"), ("diagnosis", "diagnoses"), ("index", "indices"), ("appendix", "appendices"),
    ("nucleus", "nuclei"), ("stimulus", "stimuli"), ("fungus", "fungi"), ("curriculum", "curricula"),
    ("bacterium", "bacteria"), ("alumnus", "alumni"), ("policeman", "policemen"), ("chairman", "chairmen"),
    ("spokesman", "spokesmen"), ("businessman", "businessmen"), ("fireman", "firemen"),
    ("congressman", "congressmen"), ("fisherman", "fishermen"), ("salesman", "salesmen"),
    ("gentleman", "gentlemen"), ("workman", "workmen"), ("life", "lives"), ("wife", "wives"),
    ("knife", "knives"), ("half", "halves"), ("leaf", "leaves"), ("wolf", "wolves"), ("thief", "thieves"),
    ("shelf", "shelves"), ("loaf", "loaves"), ("calf", "calves"),
)


@functools.cache
def _verb_forms() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(simple pasts, past participles, present forms: base and "-s") of :data:`IRREGULAR_VERBS`;
    a form that is also its verb's base ("beat", "bet", "come", "become") is none of them: the
    table cannot tell which it is."""
    pasts, participles, presents, ambiguous = set(), set(), set(), set()
    for base, past, participle in IRREGULAR_VERBS:
        presents.update({base, inflect(base, "s")})
        for forms, kind in ((past, pasts), (participle, participles)):
            for form in forms.split("/"):
                (ambiguous if form == base else kind).add(form)
    presents.update({"has", "does", "goes", "says", "is", "are", "am"})
    pasts.update({"was", "were"})
    return frozenset(pasts), frozenset(participles), frozenset(presents - pasts - participles - ambiguous)


@functools.cache
def _pasts_of() -> dict[str, tuple[str, ...]]:
    """Each irregular verb's simple pasts and participles other than its base, by base form."""
    return {base: tuple(dict.fromkeys(f for f in (*past.split("/"), *participle.split("/")) if f != base))
            for base, past, participle in IRREGULAR_VERBS}


def is_past_form(word: str) -> bool:
    """An irregular simple past or past participle ("said", "took", "known"), not a base too."""
    pasts, participles, _ = _verb_forms()
    return word in pasts or word in participles


def is_present_form(word: str) -> bool:
    """A base or third-person form of an irregular verb ("say", "says", "take", "takes")."""
    return word in _verb_forms()[2]


@functools.cache
def _plurals() -> dict[str, str]:
    return {plural: singular for singular, plural in IRREGULAR_PLURALS}


def is_irregular_plural(word: str) -> bool:
    """A plural without "-s" ("people", "children", "teeth", "data")."""
    return word in _plurals()


def singular_of_irregular(word: str) -> str:
    """The singular of an irregular plural, or ``""``."""
    return _plurals().get(word, "")


#: Words whose "-s" is not a plural or third-person ending, though the word without it exists.
NOT_INFLECTED_S = frozenset({
    "sometimes", "news", "series", "species", "means", "politics", "economics", "physics", "mathematics",
    "statistics", "ethics", "aesthetics", "linguistics", "athletics", "headquarters", "thanks", "whereas",
    "afterwards", "towards", "indoors", "outdoors", "upwards", "downwards", "backwards", "forwards", "besides",
    "overseas", "nowadays", "always", "perhaps", "lens", "gas", "bus", "yes", "this", "his", "its"})
#: Nouns that take either number ("the staff is" and "the staff are"): no number change to find.
EITHER_NUMBER = frozenset({
    "police", "staff", "personnel", "cattle", "crew", "team", "family", "public", "audience", "committee",
    "government", "management", "workforce", "clergy", "folk", "youth", "data", "media", "aircraft", "sheep",
    "fish", "deer", "offspring"})
#: Words before a noun that ask for a singular ("this time", never "this hours").
SINGULAR_BEFORE = frozenset({"a", "an", "this", "that", "each", "every", "another", "one", "either", "neither",
                             "much"})
#: Words after a subject that ask for a singular ("the information is").
SINGULAR_AFTER = frozenset({"is", "was", "has", "does", "seems", "remains", "appears", "becomes", "looks", "means",
                            "makes", "takes", "gets", "gives", "goes", "says"})


def is_past(word: str) -> bool:
    """A past form: regular "-ed" or an irregular past or participle ("said", "took", "known")."""
    return suffix_of(word) == "ed" or is_past_form(word)


def is_present(word: str) -> bool:
    """A present verb form the table or the "-s" ending shows ("says", "take"); an irregular plural is not."""
    return (suffix_of(word) == "s" and not is_irregular_plural(word)) or is_present_form(word)


#: Words after which a past participle is an adjective ("is finished" -> "is complete" keeps the tense).
COPULAS = frozenset({"is", "was", "are", "were", "be", "been", "being", "am", "become", "became", "becomes", "seem",
                     "seems", "seemed", "look", "looks", "looked", "feel", "feels", "felt", "remain", "remains",
                     "remained", "get", "gets", "got", "very", "so", "too", "more", "most", "less", "quite"})


def looks_like_verb_base(word: str, vocabulary: frozenset[str]) -> bool:
    """A regular verb's base form: the vocabulary has its "-ed", "-ing" and "-s" forms ("jump",
    "demonstrate"). Adjectives such as "complete" pass this too, hence :data:`COPULAS`."""
    if suffix_of(word) or len(word) < 3:
        return False
    return all(inflect(word, suffix) in vocabulary for suffix in ("ed", "ing", "s"))


def changes_tense(word: str, alternative: str, previous: str = "", vocabulary: frozenset[str] = frozenset()) -> bool:
    """One word for another that moves a past into the present or back ("said" -> "says",
    "took" -> "takes", "think" -> "thought", "paid" -> "paying", "rose" -> "jump"); both normalised
    single words; ``previous``: the word before (after a copula a participle may become an adjective)."""
    if is_past(word):
        if is_present_form(alternative) or suffix_of(alternative) in ("s", "ing"):
            return True
        return previous not in COPULAS and looks_like_verb_base(alternative, vocabulary)
    if is_present(word):
        return is_past_form(alternative) or suffix_of(alternative) == "ed"
    return False


def is_plural(word: str, vocabulary: frozenset[str]) -> bool:
    """A plural (or third-person) form: irregular, or "-s" on a word the vocabulary has without it."""
    if is_irregular_plural(word):
        return True
    return (suffix_of(word) == "s" and word not in NOT_INFLECTED_S
            and any(base in vocabulary for base in lemma_variants(word)))


def changes_number(word: str, alternative: str, previous: str, following: str, vocabulary: frozenset[str]) -> bool:
    """A singular made plural where the words around it ask for a singular ("a difference" ->
    "a distinctions", "this time" -> "this hours", "the information is" -> "the details is"),
    or an irregular plural given a made-up regular one ("teeth" -> "tooths"). Normalised single words."""
    singular = singular_of_irregular(word)
    if singular and alternative not in vocabulary and singular in lemma_variants(alternative):
        return True
    if suffix_of(word) == "s" or is_irregular_plural(word) or word in EITHER_NUMBER:
        return False
    if alternative in EITHER_NUMBER or not is_plural(alternative, vocabulary):
        return False
    return previous in SINGULAR_BEFORE or following in SINGULAR_AFTER


class IrregularVerb(NamedTuple):
    """One row of :data:`IRREGULAR_VERBS`, read: its base, simple pasts, participles and every form."""

    base: str
    pasts: frozenset[str]
    participles: frozenset[str]
    forms: frozenset[str]  # base, "-s", pasts and participles


@functools.cache
def _verbs_by_form() -> dict[str, IrregularVerb]:
    """Every form of an irregular verb -> that verb (no form belongs to two verbs in the table)."""
    out: dict[str, IrregularVerb] = {}
    for base, past, participle in IRREGULAR_VERBS:
        pasts, participles = frozenset(past.split("/")), frozenset(participle.split("/"))
        verb = IrregularVerb(base, pasts, participles, frozenset({base, inflect(base, "s")}) | pasts | participles)
        for form in verb.forms:
            out[form] = verb
    return out


def irregular_verb(form: str) -> IrregularVerb | None:
    """The irregular verb ``form`` is a form of ("beaten": beat), or None: one table for the checks
    that must know a verb in any tense (:func:`models.roles.flipped_voice`,
    :func:`models.reversals.taken_alternative`)."""
    return _verbs_by_form().get(form)


def past_forms(base: str) -> tuple[str, ...]:
    """An irregular verb's simple pasts and participles other than its base ("take": "took",
    "taken"); () for a verb the table does not have."""
    return _pasts_of().get(base, ())
