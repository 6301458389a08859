"""Word rules shared by phrase mining (``distill/phrase_mining.py``) and the phrase query.

Mining and the query must cut and normalise words the same way, or the query looks up keys
the index never stored; so the tokenizer, the lookup key, the word lists (function words,
numbers, negations) and the cheap inflection rules live here, in the runtime package
(plain ``re``, no dependencies), and ``distill`` imports them.

Nothing here is a thesaurus: which words can replace which comes only from the mined
index. The lists say which words are not worth offering alternatives for (function words),
which substitutions change a fact (numbers, negations), and how an English suffix moves
from one word to another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

#: A word: letters or digits, with inner apostrophes or hyphens ("don't", "well-known", "U.S"-less).
WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")

#: Longest phrase, in words, that is mined and looked up (PPDB's lexical + short phrasal range).
MAX_PHRASE_WORDS = 4

#: Function words: a phrase made only of these gets no alternatives (and is not mined).
FUNCTION_WORDS = frozenset("""
a an the this that these those some any each every either neither both all such what which who whom whose
i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself she her
hers herself it its itself they them their theirs themselves one ones
am is are was were be been being have has had having do does did doing will would shall should can could
may might must ought
and or but nor so yet if then than because as while when where whether though although unless until since
of in on at by for with about against between into through during before after above below to from up down
out off over under again further once here there why how too very just also only own same other
not no never s t d ll m re ve
""".split())

#: Function words that may end a phrase ("look into", "carry out", "rely on"); any other
#: function word at a phrase's edge, on one side only, marks an alignment that took a
#: neighbour along ("the previous" for "last", "to approve" for "approved").
PARTICLES = frozenset("""
up down out off over in on into onto about for with at by from through away back around along across
""".split())

#: Number words: a substitution that writes or drops one changes a fact.
NUMBER_WORDS = frozenset("""
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand
thousands million millions billion billions trillion dozen dozens half quarter first second third fourth
fifth sixth seventh eighth ninth tenth twice thrice double triple single percent percentage percentages
""".split())

#: Words that negate: a substitution that adds or removes one reverses the statement.
NEGATIONS = frozenset("""
not no never none nobody nothing nowhere neither nor without cannot can't won't don't doesn't didn't
isn't aren't wasn't weren't hasn't haven't hadn't shouldn't wouldn't couldn't mustn't needn't lack lacks
lacking lacked fail fails failed failing
""".split())
#: "n't" forms written without the apostrophe (lower-cased review and query data: "arent",
#: "cant", and the teachers' lower-cased pairs the index is mined from: it had "dont think" for
#: "believe"); "wont" is left out (it is also a word) and "nt" is what "does n't" loses its
#: apostrophe to.
BARE_NT = frozenset({"dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "hasnt", "havent", "hadnt",
                     "cant", "couldnt", "wouldnt", "shouldnt", "aint", "mustnt", "neednt", "nt"})

#: Antonyms the index's blocked list (``models.reversals.REVERSAL_PAIRS``, built into the index by
#: the mining) lacks, each with its forms; never offered either way. Found by listing the index's
#: one-word alternatives that WordNet 3.0 calls antonyms (52 pairs, ``runs/s29/ph16/scan_ant.py``)
#: and reading each: "attacking" -> "defending" (score 0.47), "borrow" -> "lend", "right" ->
#: "wrong" (offered in "pressing the right buttons" on held-out news), "deny" -> "admit".
#: Pairs that are often faithful ("broke" / "made") were left out.
EXTRA_ANTONYMS: tuple[tuple[str, str], ...] = (
    ("attack", "defend"), ("attacks", "defends"), ("attacked", "defended"), ("attacking", "defending"),
    ("accept", "reject"), ("accepts", "rejects"), ("accepting", "rejecting"),
    ("borrow", "lend"), ("borrows", "lends"), ("borrowed", "lent"), ("borrowing", "lending"),
    ("patronize", "boycott"), ("patronise", "boycott"), ("earliest", "latest"), ("right", "wrong"),
    ("admit", "deny"), ("admits", "denies"), ("admitted", "denied"), ("admitting", "denying"),
    ("presence", "absence"), ("present", "absent"), ("maximum", "minimum"), ("public", "private"),
    ("top", "bottom"), ("keep", "lose"), ("keeps", "loses"), ("kept", "lost"), ("keeping", "losing"),
    ("well", "ill"), ("question", "answer"), ("questions", "answers"), ("general", "particular"),
    ("give", "take"), ("gives", "takes"), ("gave", "took"), ("giving", "taking"), ("given", "taken"),
    ("arrive", "leave"), ("arrives", "leaves"), ("arriving", "leaving"), ("start", "finish"),
    ("starts", "finishes"), ("started", "finished"), ("starting", "finishing"), ("much", "little"),
    ("good", "evil"), ("come", "go"), ("comes", "goes"), ("came", "went"), ("coming", "going"),
    ("bigger", "smaller"), ("big", "small"),
    # life and death: the teachers wrote "deaths" for "lives" after "claimed" or "cost" (26 seed
    # groups), which the index cannot tell from "Their lives flicker here like votive candles"
    # (held-out news, where "deaths" ranked first)
    ("life", "death"), ("lives", "deaths"), ("lives", "fatalities"), ("life", "demise"), ("lives", "demise"),
    ("lives", "death"), ("alive", "dead"), ("life", "dead"), ("lives", "dead"), ("life", "loss"), ("lives", "loss"), ("lives", "casualties"),
    # other things of one kind, which the teachers swapped where either fitted their sentence
    # ("take the bus" / "take a taxi"); read in the index's lists for transport, selling and troops
    ("bus", "taxi"), ("train", "taxi"), ("train", "tram"), ("train", "metro"), ("buses", "taxis"), ("trains", "taxis"),
    ("sold", "kept"), ("sell", "keep"), ("sell", "keeping"), ("soldiers", "guerrillas"), ("soldiers", "mercenaries"),
    # steps of the law, each a different fact about a person: arrested is not charged, charged not
    # convicted, suing not prosecuting; and a death is not a killing (an agent the sentence never
    # gave); read in the index's lists for these words
    ("arrested", "charged"), ("accused", "convicted"), ("accused", "guilty"), ("accused", "found guilty"),
    ("charged", "convicted"), ("sued", "prosecuted"), ("murder", "verdict"), ("murder", "trial"),
    ("murder", "sentencing"), ("murder", "sexual assault"), ("death", "killing"), ("death", "assassination"),
    ("death", "detention"), ("deaths", "killing"), ("deaths", "slayings"), ("died", "suffered"),
    ("killed", "executed"), ("killing", "genocide"), ("lost", "killed"),
    # a role or an age the sentence never gave a person: "suspects" for "men", "babies" for
    # "children", "graduate" for "student", "servers" for "girls"
    ("men", "suspects"), ("men", "defendants"), ("men", "fugitives"), ("men", "assailants"), ("boys", "suspects"),
    ("children", "babies"), ("children", "infants"), ("children", "toddlers"), ("children", "preschoolers"),
    ("student", "graduate"), ("adults", "parents"), ("girl", "server"), ("girl", "employee"), ("girls", "servers"),
    ("girls", "employees"), ("girls", "dancers"), ("girls", "workers"),
)

#: Prefixes that make an antonym of a word: "likely" / "unlikely", "agree" / "disagree".
NEGATIVE_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non", "non-", "anti", "anti-", "mis")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
_VOWEL_SOUND = re.compile(r"^(?:[aeio]|u(?!ni|s[eu]|ti|ro|ra|k)|hour|honest|honou?r|heir)", re.IGNORECASE)
_CONSONANT_SOUND_EXCEPTIONS = re.compile(r"^(?:one\b|once|eu|ewe|uni|use|usu|ura|uro|uk)", re.IGNORECASE)


def words(text: str) -> list[str]:
    """The words of ``text`` as written (punctuation and spaces dropped)."""
    return WORD.findall(text)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``text``."""
    return [m.span() for m in WORD.finditer(text)]


def norm_word(word: str) -> str:
    """Lower case, typographic apostrophes made plain: how a word is stored and looked up."""
    return word.translate(_APOSTROPHES).lower()


def match_key(word: str) -> str:
    """What alignment compares: lower case without apostrophes or hyphens.

    The kinit seeds were lower-cased with punctuation stripped ("iraqs", "wellknown"), so a
    cased paraphrase's "Iraq's" must align with them as the same word.
    """
    return norm_word(word).replace("'", "").replace("-", "")


def phrase_key(text: str | Sequence[str]) -> str:
    """The index key of a phrase: its normalised words joined by one space."""
    tokens = words(text) if isinstance(text, str) else text
    return " ".join(norm_word(w) for w in tokens)


def is_function_phrase(tokens: Iterable[str]) -> bool:
    """True when every word is a function word (nothing worth replacing)."""
    return all(norm_word(w) in FUNCTION_WORDS for w in tokens)


def edge_mismatch(phrase: Sequence[str], alternative: Sequence[str]) -> bool:
    """One side starts with a function word and the other does not, or ends with one that is no particle."""
    def starts(tokens: Sequence[str]) -> bool:
        return norm_word(tokens[0]) in FUNCTION_WORDS

    def ends(tokens: Sequence[str]) -> bool:
        last = norm_word(tokens[-1])
        return last in FUNCTION_WORDS and last not in PARTICLES

    return starts(phrase) != starts(alternative) or ends(phrase) != ends(alternative)


def has_number(tokens: Iterable[str]) -> bool:
    """A digit or a number word ("three", "dozen", "first") anywhere in the phrase."""
    return any(any(ch.isdigit() for ch in w) or norm_word(w) in NUMBER_WORDS for w in tokens)


def negation_count(tokens: Iterable[str]) -> int:
    """How many negating words (``not``, ``never``, ``-n't``, ``without``…) the phrase has."""
    return sum(1 for w in map(norm_word, tokens) if w in NEGATIONS or w in BARE_NT or w.endswith("n't"))


#: Words that say a person is male or female. An alternative of the other sex names another
#: person: the index had "female", "lady" and "woman" for "boy", "dad" for "mother" and "boy" for
#: "female" (teachers' substitutions in sentences about both, aligned across the pair).
MALE_WORDS = frozenset("""
man men boy boys male males father fathers dad dads son sons husband husbands brother brothers uncle uncles
nephew nephews grandfather grandson grandsons king kings gentleman gentlemen guy guys he him his himself
mr sir businessman businessmen chairman spokesman congressman actor actors widower boyfriend prince
""".split())
FEMALE_WORDS = frozenset("""
woman women girl girls female females mother mothers mom moms mum mums daughter daughters wife wives sister
sisters aunt aunts niece nieces grandmother granddaughter granddaughters queen queens lady ladies she her
hers herself mrs ms madam businesswoman businesswomen chairwoman spokeswoman congresswoman actress actresses
widow girlfriend princess
""".split())


def other_sex(phrase: Sequence[str], alternative: Sequence[str], sentence: Sequence[str] = ()) -> bool:
    """Whether ``alternative`` names a person of the other sex than ``phrase`` does ("boy" -> "lady"),
    or, for a phrase that names none, of a sex ``sentence`` (its words) never gives: the index had
    "girl" for "person" and "server", "man" for "human", "guys" for "people"."""
    said, written = _sexes(phrase), _sexes(alternative)
    if said:
        return bool(written and not written <= said)
    return bool(written - _sexes(sentence))


def _sexes(words_: Sequence[str]) -> set[str]:
    found = {norm_word(w) for w in words_}
    return {sex for sex, listed in (("m", MALE_WORDS), ("f", FEMALE_WORDS)) if found & listed}


#: Comparatives and superlatives not made with -er/-est.
COMPARATIVES = frozenset("more less better worse fewer further farther elder".split())
SUPERLATIVES = frozenset("most least best worst fewest furthest farthest eldest".split())


def degree(word: str, vocabulary: frozenset[str]) -> str:
    """"comparative", "superlative" or "" for ``word``: "better" and "larger" compare, "best" and
    "largest" single one out. A regular form counts where its twin is in ``vocabulary`` too
    ("largest" beside "larger", "happier" beside "happiest"), so "forest", "modest", "under" and
    "farmer" are neither."""
    word = norm_word(word)
    if word in COMPARATIVES:
        return "comparative"
    if word in SUPERLATIVES:
        return "superlative"
    if len(word) > 5 and word.endswith("est") and word[:-3] + "er" in vocabulary:
        return "superlative"
    if len(word) > 4 and word.endswith("er") and word[:-2] + "est" in vocabulary:
        return "comparative"
    return ""


#: Family relations, each with its words. An alternative may keep a relation ("mom" for "mother",
#: "parent" for "father") or drop it ("woman" for "mother"), never bring one the span lacks: the
#: index had "mother" and "daughter" for "girl" and "mothers" for "women".
KIN_WORDS = {
    "parent": "mother mothers mom moms mum mums father fathers dad dads parent parents",
    "child": "son sons daughter daughters",
    "spouse": "husband husbands wife wives spouse spouses widow widower",
    "sibling": "brother brothers sister sisters sibling siblings",
    "grandparent": "grandfather grandfathers grandmother grandmothers grandparent grandparents",
    "grandchild": "grandson grandsons granddaughter granddaughters grandchild grandchildren",
    "uncle or aunt": "uncle uncles aunt aunts",
    "nephew or niece": "nephew nephews niece nieces",
}
_KIN_OF = {word: kin for kin, listed in KIN_WORDS.items() for word in listed.split()}


def new_relation(phrase: Sequence[str], alternative: Sequence[str]) -> bool:
    """Whether ``alternative`` names a family relation ``phrase`` does not ("girl" -> "daughter")."""
    said = {_KIN_OF[w] for w in map(norm_word, phrase) if w in _KIN_OF}
    written = {_KIN_OF[w] for w in map(norm_word, alternative) if w in _KIN_OF}
    return bool(written - said)


def prefix_antonyms(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by a negative prefix or a -ful/-less swap ("able"/"unable")."""
    a, b = norm_word(a), norm_word(b)
    if a == b:
        return False
    for x, y in ((a, b), (b, a)):
        for prefix in NEGATIVE_PREFIXES:
            if y == prefix + x:
                return True
        if x.endswith("ful") and y == x[:-3] + "less":
            return True
    return False


def suffix_of(word: str) -> str:
    """The inflection a word shows, cheaply: ``"ing"``, ``"ed"``, ``"s"`` or ``""``."""
    w = norm_word(word)
    if len(w) > 4 and w.endswith("ing"):
        return "ing"
    if len(w) > 3 and w.endswith("ed") and not w.endswith("eed"):
        return "ed"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ous")):
        return "s"
    return ""


def lemma_variants(word: str) -> list[str]:
    """Base forms a word may come from, most likely first ("rising" -> "rise", "ris").

    Cheap suffix rules, not a lemmatizer: every guess is looked up in the index, so a wrong
    guess costs one dictionary probe and finds nothing.
    """
    w = norm_word(word)
    out: list[str] = []
    if w.endswith("'s") and len(w) > 3:
        return [w[:-2]]
    suffix = suffix_of(w)
    if suffix == "ing":
        stem = w[:-3]
        out += [stem + "e", stem]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            out.append(stem[:-1])
    elif suffix == "ed":
        stem = w[:-2]
        if stem.endswith("i"):
            out.append(stem[:-1] + "y")
        out += [stem + "e", stem]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            out.append(stem[:-1])
    elif suffix == "s":
        if w.endswith("ies"):
            out.append(w[:-3] + "y")
        if w.endswith(("ches", "shes", "xes", "sses", "zes", "oes")):
            out.append(w[:-2])
        out.append(w[:-1])
    return [v for v in dict.fromkeys(out) if len(v) > 1 and v != w]


def inflect(word: str, suffix: str) -> str:
    """``word`` (a base form) with ``suffix`` (``"ing"``, ``"ed"``, ``"s"``) added by the regular rules."""
    w = word
    if not suffix or suffix_of(w) == suffix:
        return w
    if suffix == "s":
        if w.endswith("y") and len(w) > 1 and w[-2] not in "aeiou":
            return w[:-1] + "ies"
        if w.endswith(("s", "x", "z", "ch", "sh", "o")):
            return w + "es"
        return w + "s"
    if suffix == "ed":
        if w.endswith("e"):
            return w + "d"
        if w.endswith("y") and len(w) > 1 and w[-2] not in "aeiou":
            return w[:-1] + "ied"
        return w + "ed"
    if suffix == "ing":
        if w.endswith("ie"):
            return w[:-2] + "ying"
        if w.endswith("e") and not w.endswith(("ee", "ye", "oe")):
            return w[:-1] + "ing"
        return w + "ing"
    return w


def same_lemma(a: str, b: str) -> bool:
    """``a`` and ``b`` are inflections of one word ("death"/"deaths", "rise"/"rising")."""
    a, b = norm_word(a), norm_word(b)
    if a == b:
        return True
    forms_a = {a, *lemma_variants(a)}
    forms_b = {b, *lemma_variants(b)}
    return bool(forms_a & forms_b)


def _one_edit_apart(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by at most one inserted, deleted or replaced letter."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def looks_like_same_word(a: str, b: str) -> bool:
    """A form of ``a`` and a form of ``b`` are one letter apart: an irregular form of one word
    ("rose"/"rising" via "rise"), a spelling ("grey"/"gray"), not an alternative."""
    forms_a = [f for f in (norm_word(a), *lemma_variants(a)) if len(f) >= 3]
    forms_b = [f for f in (norm_word(b), *lemma_variants(b)) if len(f) >= 3]
    return any(_one_edit_apart(x, y) for x in forms_a for y in forms_b)


def shares_stem(a: str, b: str, min_length: int = 4) -> bool:
    """One word is (a form of) the other with letters added: "approve"/"reapprove", "close"/"closest".

    Such a pair is the same word rebuilt, not an alternative to it; both words need
    ``min_length`` letters so "man"/"mankind" style coincidences of short words stay apart.
    """
    a, b = norm_word(a), norm_word(b)
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < min_length:
        return False
    return any(len(form) >= min_length and form in long_ for form in (short, *lemma_variants(short)))


#: British spellings the index may hold in American form, or the other way round.
_SPELLINGS = (("our", "or"), ("ise", "ize"), ("ised", "ized"), ("ising", "izing"), ("isation", "ization"),
              ("tre", "ter"), ("ogue", "og"), ("ence", "ense"), ("lled", "led"), ("lling", "ling"))


def spelling_variants(word: str) -> list[str]:
    """The other side of the Atlantic's spelling of ``word`` by suffix rules ("colour" <-> "color").

    A rule that makes a word the index lacks costs one probe and finds nothing.
    """
    w = norm_word(word)
    out = []
    for uk, us in _SPELLINGS:
        if w.endswith(uk) and len(w) > len(uk) + 2:
            out.append(w[: -len(uk)] + us)
        elif w.endswith(us) and len(w) > len(us) + 2:
            out.append(w[: -len(us)] + uk)
    if "our" in w[1:]:
        out.append(w[0] + w[1:].replace("our", "or", 1))
    return [v for v in dict.fromkeys(out) if v != w]


def wants_an(word: str) -> bool:
    """True when ``word`` takes "an" rather than "a" (by its first sound, cheaply)."""
    if _CONSONANT_SOUND_EXCEPTIONS.match(word):
        return False
    return bool(_VOWEL_SOUND.match(word))


def case_like(source: str, replacement: str) -> str:
    """``replacement`` written in ``source``'s casing style.

    ALL CAPS stays all caps, a capitalised first word stays capitalised (sentence start),
    Title Case stays title case; otherwise the replacement is left in lower case (the
    index stores it so). "I" keeps its capital.
    """
    source_words = words(source)
    letters = [ch for ch in source if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return replacement.upper()
    out = re.sub(r"\bi\b", "I", replacement)
    if not source_words or not source_words[0][:1].isupper():
        return out
    if len(source_words) > 1 and all(w[:1].isupper() for w in source_words):
        return " ".join(w[:1].upper() + w[1:] for w in out.split(" "))
    return out[:1].upper() + out[1:]
