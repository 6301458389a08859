"""Word pairs whose swap reverses a statement, and the candidate check that uses them.

``REVERSAL_PAIRS`` is the list the meaning scorer's hard negatives (``distill/perturb.py``)
and the phrase mining's blocked pairs (``distill/phrase_mining.py``) are made from; it lives
here so the runtime can read it too (data flows from ``distill`` into ``models``, never back).

:func:`reversed_words` is the candidate pipeline's check (:class:`models.pipeline.KeepsDirection`):
a candidate that writes one word of a pair where the source has the other ("The bill was
defeated in the House" → "The House passed the bill", "Prior to the financial crisis" → "In
the aftermath of the financial crisis": both shown at the default slider, both passed by the
meaning scorer) says the opposite. Only :data:`CHECKED_PAIRS` are checked: pairs whose words
have other senses or are often swapped in a faithful rewording ("up"/"down" in "set up",
"more"/"less", "old"/"new", "first"/"last", family words) are left to the scorer. On the GPT-3.5
and GPT-4 teachers' 65,472 paraphrases in ``../shared/data/teacher``'s two kinit files it flags
196 (0.30 %; 144 before the during/postponed classes), many of them long news seeds rewritten
in part, where the word belongs to another clause; a converse ("A sold B to C" → "C bought B
from A") is refused too, a sample lost for safety.
"""

from __future__ import annotations

import re

from .facts import is_common_word
from .text import STRAIGHT_APOSTROPHES
from .word_forms import irregular_verb

REVERSAL_PAIRS: tuple[tuple[str, str], ...] = (
    ("rose", "fell"), ("rises", "falls"), ("rising", "falling"), ("increased", "decreased"),
    ("increase", "decrease"), ("increases", "decreases"), ("higher", "lower"), ("more", "less"),
    ("before", "after"), ("because", "despite"), ("above", "below"), ("up", "down"),
    ("gained", "lost"), ("won", "lost"), ("win", "lose"), ("bought", "sold"), ("buy", "sell"),
    ("larger", "smaller"), ("largest", "smallest"), ("biggest", "smallest"), ("first", "last"),
    ("always", "never"), ("north", "south"), ("east", "west"), ("early", "late"),
    ("earlier", "later"), ("accepted", "rejected"), ("approved", "rejected"), ("agreed", "refused"),
    ("allowed", "banned"), ("strong", "weak"), ("stronger", "weaker"), ("positive", "negative"),
    ("success", "failure"), ("successful", "unsuccessful"), ("good", "bad"), ("better", "worse"),
    ("best", "worst"), ("open", "closed"), ("opened", "closed"), ("started", "ended"),
    ("begin", "end"), ("began", "ended"), ("import", "export"), ("imports", "exports"),
    ("most", "least"), ("many", "few"), ("old", "new"), ("older", "younger"), ("love", "hate"),
    ("loves", "hates"), ("easy", "difficult"), ("cheap", "expensive"), ("cheaper", "costlier"),
    ("supports", "opposes"), ("supported", "opposed"), ("support", "oppose"), ("entered", "left"),
    ("arrived", "departed"), ("inside", "outside"), ("male", "female"), ("men", "women"),
    ("husband", "wife"), ("father", "mother"), ("son", "daughter"), ("brother", "sister"),
    ("king", "queen"), ("morning", "evening"), ("day", "night"), ("summer", "winter"),
    ("true", "false"), ("same", "different"), ("with", "without"), ("can", "cannot"),
    ("will", "won't"), ("all", "none of"), ("full", "empty"), ("hot", "cold"),
    ("fast", "slow"), ("quickly", "slowly"), ("long", "short"), ("high", "low"),
    # Offered as a phrase alternative on held-out news ("acquitted" -> "convicted"):
    ("acquitted", "convicted"), ("acquit", "convict"), ("acquittal", "conviction"),
    ("guilty", "innocent"),
)

#: Adjective and adverb antonyms the teachers keep: WordNet 3.0's direct antonyms (the same
#: inflection of both words where the corpus has both), kept where at least 20 kinit seed groups
#: (outside the dev split) mention one of the words and at most 1 in 100 has one paraphrase
#: with one word and another with the other (``runs/s31/ant_mine.py``, ``ant_select.py``: 288
#: pairs), then read by eye: 97 kept, those with another common sense left out ("close",
#: "even", "found", "hard", "just", "kind", "back", "general", "local", "pointed"), and those a
#: negative prefix makes (``models.negation.flipped_prefix`` has them). Checked like the
#: pairs above and never offered as phrase alternatives. On the 3,668 candidates student v2
#: showed in sessions 28-29 they flag 3 ("by a wide bipartisan margin" → "by a narrow margin"
#: twice, "arrested alive" → "dead in prison"), none of PAWS-Wiki dev's or MRPC's pairs but one
#: MRPC non-paraphrase, 5 of 34,053 pairs of GPT paraphrases of one seed ("any one person" →
#: "multiple factors") and 12 of the 115,963 teacher seed → paraphrase pairs.
TEACHER_KEPT_ANTONYMS: tuple[tuple[str, str], ...] = (
    ("abundant", "scarce"), ("actively", "passively"), ("alive", "dead"), ("amateur", "professional"),
    ("amateurishly", "expertly"), ("amicable", "hostile"), ("ample", "meager"), ("artificial", "natural"),
    ("attractive", "repulsive"), ("beautiful", "ugly"), ("black", "white"), ("bold", "timid"),
    ("bored", "interested"), ("brave", "timid"), ("bright", "dull"), ("busy", "idle"), ("calm", "stormy"),
    ("careful", "careless"), ("carefully", "carelessly"), ("cheerful", "depressing"), ("coarse", "fine"),
    ("conservative", "liberal"), ("constructive", "destructive"), ("counterfeit", "genuine"),
    ("crooked", "straight"), ("crying", "laughing"), ("darker", "lighter"), ("defensive", "offensive"),
    ("discouraged", "encouraged"), ("discouraging", "encouraging"), ("disliked", "liked"),
    ("dissimilar", "similar"), ("divided", "united"), ("domestic", "foreign"), ("downward", "upward"),
    ("dull", "lively"), ("dull", "sharp"), ("dry", "wet"), ("energetic", "lethargic"), ("evil", "good"),
    ("exclusive", "inclusive"), ("fastest", "slowest"), ("fat", "thin"), ("friendly", "hostile"),
    ("glad", "sad"), ("gradual", "sudden"), ("gradual", "steep"), ("greater", "lesser"), ("happily", "sadly"),
    ("hated", "loved"), ("heavier", "lighter"), ("highest", "lowest"), ("hollow", "solid"), ("humble", "proud"),
    ("incoming", "outgoing"), ("indoor", "outdoor"), ("inner", "outer"), ("intense", "mild"),
    ("joyful", "sorrowful"), ("junior", "senior"), ("liquid", "solid"), ("longer", "shorter"),
    ("longest", "shortest"), ("loose", "tight"), ("loud", "soft"), ("lowering", "raising"),
    ("maximum", "minimum"), ("meaningful", "meaningless"), ("minus", "plus"), ("multiple", "single"),
    ("narrow", "wide"), ("nasty", "nice"), ("newest", "oldest"), ("noisy", "quiet"), ("northern", "southern"),
    ("objective", "subjective"), ("optimistic", "pessimistic"), ("poor", "rich"), ("powerful", "powerless"),
    ("privately", "publicly"), ("reassured", "worried"), ("reassuring", "worrying"), ("refreshed", "tired"),
    ("refreshing", "tiring"), ("rested", "tired"), ("retail", "wholesale"), ("right", "wrong"),
    ("short", "tall"), ("shorter", "taller"), ("smart", "stupid"), ("strongly", "weakly"), ("tame", "wild"),
    ("tasteful", "tasteless"), ("tender", "tough"), ("thick", "thin"), ("useful", "useless"),
    ("valuable", "worthless"),
)

#: Pairs too often faithful, or too ambiguous, to refuse a candidate for (see the module docstring);
#: "always"/"never" and "because"/"despite" are checked as classes below instead.
_AMBIGUOUS = frozenset({
    ("more", "less"), ("up", "down"), ("first", "last"), ("old", "new"), ("good", "bad"), ("day", "night"),
    ("long", "short"), ("high", "low"), ("with", "without"), ("can", "cannot"), ("will", "won't"),
    ("all", "none of"), ("men", "women"), ("male", "female"), ("husband", "wife"), ("father", "mother"),
    ("son", "daughter"), ("brother", "sister"), ("king", "queen"), ("morning", "evening"), ("summer", "winter"),
    ("north", "south"), ("east", "west"), ("true", "false"), ("same", "different"), ("many", "few"),
    ("most", "least"), ("best", "worst"), ("better", "worse"), ("hot", "cold"), ("fast", "slow"),
    ("quickly", "slowly"), ("full", "empty"), ("open", "closed"), ("inside", "outside"), ("love", "hate"),
    ("loves", "hates"), ("easy", "difficult"), ("import", "export"), ("imports", "exports"), ("begin", "end"),
    ("early", "late"), ("strong", "weak"), ("success", "failure"), ("entered", "left"), ("always", "never"),
    ("because", "despite"), ("before", "after"),
})
#: Reversals checked as classes of words: the source has a word of one class and none of the
#: other, the candidate the other way round ("since" is left out: it is also "since January").
#: "because" → "due to" … "despite" elsewhere (the
#: GPT teachers' long reviews) is no reversal; "never had a problem" → "always had good
#: experiences" is none either, so "always"/"never" are not checked at all.
#: What a deadline or a start is set by: a day, a month, "the end of …", "tomorrow", "next week".
#: ("may" is left out: it is a modal as often as a month.)
_DATES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
          "april", "june", "july", "august", "september", "october", "november", "december", "the end of",
          "tomorrow", "tonight", "next week", "next month", "next year", "noon", "midnight")
#: The verbs a place's state follows ("is closed", "remains open").
_STATE_VERBS = ("is", "are", "was", "were", "be", "been", "remains", "remain", "remained", "stays", "stay", "stayed",
                "will be", "is now", "are now", "was now")
_BEFORE = ("before", "prior to", "ahead of", "earlier than")
_AFTER = ("after", "aftermath", "afterwards", "later than")
_DURING = ("during", "throughout")
CLASS_PAIRS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("because", "due to", "owing to", "thanks to", "as a result", "therefore", "so that"),
     ("despite", "in spite of", "although", "though", "even though", "notwithstanding", "regardless of")),
    (_BEFORE, _AFTER),
    # read in the student's shown output ("The bill was defeated" -> "The House passed the bill")
    (("defeated", "voted down"), ("passed", "approved", "adopted")),
    # read in the student's shown output ("Prior to the financial crisis" -> "During the financial
    # crisis", "during which she was questioned" -> "after being questioned"): 11 distinct such
    # rows among the 10,893 shown in sessions 25-27's runs, every one changed. "amid" is left out
    # ("amid concerns" is a cause).
    (_BEFORE, _DURING),
    (_AFTER, _DURING),
    # a delay is not a cancellation: 0 of the 146 kinit teacher paraphrases of a source with the
    # first class write the second
    (("postponed", "postpone", "postpones", "postponing", "postponement", "delayed", "deferred", "put off",
      "rescheduled"),
     ("cancelled", "canceled", "cancel", "cancels", "cancelling", "canceling", "cancellation", "called off",
      "scrapped")),
    # a direction of change said with another verb: "The drug reduced the risk of heart attacks" ->
    # "the medication raised the likelihood of heart attacks" passed every check (0.16); only the
    # verb forms ("lower", "cut", "drop" and "raise" alone have other senses; "rose"/"fell" are a pair
    # above). 0 of 5,506 MRPC, 3,539 PAWS-Wiki and 483 APTY paraphrase pairs flagged with the denial
    # class below, 13 of 40,000 cased teacher pairs (``runs/s50/rev_diff.py``)
    (("reduced", "reduces", "reducing", "reduce", "decreased", "decreases", "decreasing", "lowered", "lowers",
      "lowering", "lessened", "lessens", "diminished", "diminishes", "curbed", "curbs", "slashed", "slashes",
      "shrank", "shrunk", "shrinks", "declined", "declines", "declining", "dwindled", "dwindling", "plunged", "plunges",
      "plummeted", "plummets", "tumbled", "tumbles", "slumped", "slumps", "sank", "sinks", "dived", "crashed"),
     ("increased", "increases", "increasing", "increase", "raised", "raises", "raising", "boosted", "boosts",
      "boosting", "heightened", "heightens", "elevated", "grew", "grows", "growing", "soared", "soaring",
      "surged", "surging", "surge", "climbed", "climbing", "jumped")),
    # a denial made an admission ("The minister denied that the government had misled parliament"
    # -> "… acknowledged that parliament had been misled", refused by the scorer; "… she conceded"
    # passed at 0.27)
    (("denied", "denies", "deny", "denying", "disputed", "disputes", "rejected claims"),
     ("admitted", "admits", "admit", "admitting", "acknowledged", "acknowledges", "acknowledging", "conceded",
      "concedes", "confessed", "confesses", "confirmed", "confirms")),
    # a side taken the other way with another verb: "The senator opposed the bill" -> "The
    # senator backed the bill" (0.15) and "criticised by the unions" -> "supported by the unions"
    # (0.25) passed every check (probe of 2026-12-04, ``runs/s51/flip_probe.py``)
    (("opposed", "opposes", "oppose", "opposing", "criticised", "criticized", "criticises", "criticizes",
      "criticising", "criticizing", "condemned", "condemns", "condemning", "objected to", "objects to", "rejected",
      "rejects", "resisted", "resists", "resisting", "resist"),
     ("supported", "supports", "supporting", "backed", "backs", "backing", "endorsed", "endorses", "endorsing",
      "praised", "praises", "praising", "praise", "lauded", "lauds", "laud", "hailed", "hails", "applauded",
      "commended", "commends", "commend", "endorse", "welcomed",
      "welcomes", "championed", "champions", "favoured", "favored", "favours", "favors")),
    # ahead of schedule made late: "The train arrived ahead of schedule" -> "… behind schedule" (0.51)
    (("ahead of schedule", "ahead of time", "early"), ("behind schedule", "behind time", "late", "overdue")),
    # a price the other way: "more expensive than the old one" -> "cheaper than the old one" (0.48)
    (("cheaper", "cheapest", "less expensive", "inexpensive", "cheaply"),
     ("more expensive", "most expensive", "pricier", "priciest", "costlier", "dearer")),
    # what is left out put in: "open every day except Monday" -> "every day, including Monday" (0.28)
    (("except", "excluding", "except for", "with the exception of"), ("including", "inclusive of")),
    # verbs and adjectives turned round that passed every check in the same probes
    # (``runs/s51/flip_probe2.py``; the meaning scorer's probability on the card in brackets)
    (("confirmed", "confirms", "corroborated", "corroborates", "verified", "verifies", "proved", "proves"),
     ("contradicted", "contradicts", "refuted", "refutes", "disproved", "disproves", "debunked", "debunks")),  # 0.33
    (("upheld", "upholds", "upholding", "uphold"),
     ("overturned", "overturns", "overturning", "overturn", "quashed", "quashes", "struck down", "overruled",
      "overrules", "annulled", "annuls")),  # 0.45
    (("extended", "extends", "extending", "lengthened", "lengthens", "prolonged", "prolongs"),
     ("shortened", "shortens", "shortening", "curtailed", "curtails", "truncated")),  # 0.31
    (("borrowed", "borrows", "borrowing", "borrow"), ("lent", "lends", "lending", "lend", "loaned", "loans")),  # 0.34
    (("slowed", "slows", "slowing", "decelerated", "decelerates"),
     ("accelerated", "accelerates", "accelerating", "sped up", "speeds up", "quickened", "quickens")),  # 0.48
    (("mandatory", "compulsory", "obligatory"), ("optional", "voluntary")),  # 0.13
    (("wide margin", "large margin", "big margin", "comfortable margin", "landslide"),
     ("narrow", "narrowly", "slim margin", "small margin", "thin margin", "razor-thin margin")),  # 0.11
    (("reopened", "reopens", "reopening", "reopen"), ("closed", "closes", "closing", "shut", "shuts", "shut down")),
    # 0.51
    (("hired", "hires", "hiring", "recruited", "recruits", "recruiting"),
     ("fired", "fires", "firing", "dismissed", "dismisses", "laid off", "lays off", "sacked", "sacks")),
    (("promoted", "promotes", "promotion"), ("demoted", "demotes", "demotion")),
    (("included", "includes", "include", "inclusion"), ("excluded", "excludes", "exclude", "exclusion", "omitted")),
    (("ahead of",), ("behind",)),  # "finished ahead of the competition" -> "behind" (0.48)
    (("attended", "attends", "attending"), ("missed", "misses", "skipped", "skips")),
    # a third probe (``runs/s51/flip_probe3.py``), each passed every check before
    (("discharged", "discharges"), ("admitted", "admits", "hospitalised", "hospitalized")),  # 0.47
    (("succeeded", "succeeds", "succeeding", "managed to"), ("failed", "fails", "failing", "failure", "failures")),
    # 0.47
    (("stepped down", "steps down", "stepping down", "resigned", "resigns", "quit"),
     ("took over", "takes over", "taking over", "took office", "was appointed", "were appointed")),  # 0.28
    (("flat", "unchanged", "stagnant"),
     ("grew", "rose", "fell", "dropped", "increased", "decreased", "declined", "jumped", "surged", "soared",
      "plunged", "slumped")),  # 0.32
    (("easier", "easiest"), ("harder", "hardest", "more difficult", "most difficult", "tougher", "toughest")),  # 0.48
    (("brief", "briefly"), ("lengthy", "long-winded", "protracted")),  # 0.26
    (("conceded defeat", "admitted defeat", "suffered defeat", "suffered a defeat"), ("victory",)),  # 0.24
    (("moved out", "moves out", "moving out"), ("moved in", "moves in", "moving in")),
    (("under budget", "below budget"), ("over budget", "above budget")),  # 0.53
    (("within walking distance", "a short walk", "nearby", "close to"), ("far from", "far away", "a long way")),
    # 0.26
    (("expanded into", "expands into", "expanding into", "moved into", "entered"),
     ("withdrew from", "withdraws from", "withdrawing from", "pulled out of", "pulls out of", "exited",
      "left")),  # 0.13
    (("raised interest rates", "raises interest rates", "raised rates", "raises rates", "hiked rates",
      "hiked interest rates", "raise interest rates", "raise rates"),
     ("cut interest rates", "cuts interest rates", "cut rates", "cuts rates", "lowered interest rates",
      "lowers interest rates", "lowered rates", "lower interest rates", "lower rates")),  # 0.24
    # the other side of a ledger, a vote, a contract or a case: "The budget showed a surplus of $2 billion" ->
    # "… a deficit of $2 billion" (0.57), "A majority of voters" -> "A minority" (0.47), "The employer must pay
    # the tax" -> "The employee …" (0.49), "The landlord is responsible" -> "The tenant …" (0.49), "The
    # plaintiff appealed" -> "The defendant appealed" (0.35), "permitted" -> "prohibited" (0.34), "a narrow
    # victory" -> "a narrow defeat" (0.16), "The sender pays" -> "The recipient pays" (0.46), "allies" ->
    # "enemies" (0.38), "a profit" -> "a loss" (0.10): each passed every check (``runs/s52/noun_pairs.tsv``).
    # Not "defeated" (a verb of winning: "defeated the Dolphins" is "a victory over the Dolphins") or
    # "legal" ("legal proceedings"): 18 of 40,000 teacher pairs flagged with them, none without
    (("surplus", "surpluses"), ("deficit", "deficits")),
    (("profit", "profits", "profitable"), ("loss", "losses", "loss-making", "unprofitable")),
    (("majority",), ("minority",)),
    (("employer", "employers"), ("employee", "employees")),
    (("landlord", "landlords", "landlady"), ("tenant", "tenants")),
    (("plaintiff", "plaintiffs", "claimant", "claimants"), ("defendant", "defendants")),
    (("permitted", "allowed", "authorised", "authorized"), ("prohibited", "forbidden", "banned", "outlawed")),
    (("victory", "victories", "victorious"), ("a defeat", "narrow defeat", "heavy defeat", "crushing defeat")),
    (("sender", "senders"), ("recipient", "recipients", "receiver", "receivers")),
    (("ally", "allies", "allied"), ("enemy", "enemies", "foe", "foes", "adversary", "adversaries")),
    (("winner", "winners"), ("loser", "losers")),
    (("lender", "lenders", "creditor", "creditors"), ("borrower", "borrowers", "debtor", "debtors")),
    # a plan dropped made a plan carried out: "The plan was abandoned last year" -> "… adopted" (0.11); a
    # difference made a likeness: "Unlike his brother, he studied law" -> "Like his brother, …" (0.30)
    (("abandoned", "abandons", "abandon", "scrapped", "scraps", "shelved", "shelves", "ditched"),
     ("adopted", "adopts", "implemented", "implements", "enacted", "enacts")),
    (("unlike", "in contrast to", "as opposed to", "contrary to"), ("like", "just like", "similar to", "as with")),
    # what happened to a person or a law turned: "Only two passengers survived the crash" -> "… died in the crash"
    # (0.42), "The suspect was arrested" -> "… released" (0.52), "The governor signed the bill" -> "… vetoed"
    # (0.20), "resigned after the scandal" -> "was fired" (0.14), "charged with theft" -> "cleared of theft"
    # (0.39), "takes effect in January" -> "expires in January" (0.17): ``runs/s52/misc2_pairs.tsv``
    (("survived", "survives", "survive", "surviving", "survivor", "survivors"),
     ("died", "dies", "killed", "perished", "dead", "fatalities")),
    (("arrested", "detained", "jailed", "imprisoned", "taken into custody"), ("released", "freed", "set free")),
    (("signed", "signs"), ("vetoed", "vetoes", "veto")),
    (("resigned", "resigns", "quit", "stepped down"), ("was fired", "were fired", "was sacked", "was dismissed",
                                                          "was ousted", "was removed", "got fired")),
    (("charged with", "indicted", "accused of"), ("cleared of", "exonerated", "acquitted of")),
    (("takes effect", "take effect", "took effect", "comes into force", "came into force", "goes into effect",
      "went into effect", "enters into force"), ("expires", "expire", "expired", "lapses", "lapsed", "is repealed",
                                                 "was repealed")),
    # a place's state turned: "The museum is closed on Mondays" -> "… is open on Mondays" (0.41), "The border
    # is closed to tourists" -> "… is open to tourists" (0.52), "stays open" -> "is closed" (0.46): "open"
    # and "closed" alone are too often faithful ("opened a branch" is another sense), a state after "be",
    # "remain" or "stay" is not
    (tuple(f"{verb} {state}" for verb in _STATE_VERBS for state in ("closed", "shut", "shut down")),
     tuple(f"{verb} {state}" for verb in _STATE_VERBS for state in ("open", "opened", "reopened"))),
    # a deadline made a start: "Please submit the report by Friday" -> "after Friday" (0.45), "valid
    # until the end of May" -> "valid from the end of May" (0.47)
    (tuple(f"{bound} {when}" for bound in ("by", "until", "till", "no later than") for when in _DATES),
     tuple(f"{start} {when}" for start in ("after", "from", "starting", "beginning") for when in _DATES)),
)
#: Phrases read as a unit so that their words count for no class: "after all" and "one
#: setback after another" say no time.
_NEUTRAL = ("after all", "after another")
#: The pairs :func:`reversed_words` checks: each word of a pair alone, then the classes.
CHECKED_PAIRS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = tuple(
    ((a,), (b,)) for a, b in REVERSAL_PAIRS if (a, b) not in _AMBIGUOUS) + CLASS_PAIRS + tuple(
    ((a,), (b,)) for a, b in TEACHER_KEPT_ANTONYMS)

_ALL_PHRASES = sorted({phrase for a, b in CHECKED_PAIRS for phrase in (*a, *b)} | set(_NEUTRAL), key=len,
                      reverse=True)
#: Every checked word or phrase in one pattern: two scans per call (~0.02 ms) instead of two per pair.
_ANY = re.compile(r"(?<![\w'-])(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in _ALL_PHRASES)
                  + r")(?![\w'-])", re.IGNORECASE)


def _present(text: str) -> list[str]:
    """The checked words and phrases ``text`` has, lower-cased, in text order."""
    return [" ".join(m.group(0).lower().split()) for m in _ANY.finditer(text.translate(STRAIGHT_APOSTROPHES))]


_WORD = re.compile(r"[a-z']+")


def _few_readings(text: str) -> set[str]:
    """How ``text`` uses "few": "few" (hardly any: "few", "very few", "only a few", "only
    offered a few") and/or "a few" (some: "a few", "quite a few", "not a few")."""
    words = _WORD.findall(text.lower())
    readings = set()
    for i, word in enumerate(words):
        if word != "few":
            continue
        if i and words[i - 1] == "a" and not {"only", "just"} & set(words[max(0, i - 4):i - 1]):
            readings.add("a few")
        else:
            readings.add("few")
    return readings


#: Units of time a relative date counts in ("next year", "last week", "this quarter").
_TIME_UNITS = (r"year|month|week|quarter|season|decade|century|monday|tuesday|wednesday|thursday|friday|"
               r"saturday|sunday|weekend|spring|summer|autumn|fall|winter|night|morning|evening|time")
#: Which way a relative date points, by the word before the unit.
_TIME_DIRECTIONS = {"next": ("next", "following", "coming", "upcoming"), "this": ("this", "current", "present"),
                    "last": ("last", "previous", "past", "prior", "preceding")}
_RELATIVE_TIME = re.compile(
    r"\b(?P<when>" + "|".join(w for words in _TIME_DIRECTIONS.values() for w in words) + r")\s+(?P<unit>"
    + _TIME_UNITS + r")\b|\b(?P<day>tomorrow|yesterday|today|tonight)\b", re.IGNORECASE)
_DIRECTION_OF = {w: d for d, words in _TIME_DIRECTIONS.items() for w in words} | {
    "tomorrow": "next", "yesterday": "last", "today": "this", "tonight": "this"}


def _relative_times(text: str) -> dict[str, dict[str, str]]:
    """unit -> {direction: the phrase as written} for the relative dates of ``text``."""
    found: dict[str, dict[str, str]] = {}
    for match in _RELATIVE_TIME.finditer(text):
        word = (match.group("day") or match.group("when")).lower()
        unit = "day" if match.group("day") else match.group("unit").lower()
        found.setdefault(unit, {}).setdefault(_DIRECTION_OF[word], match.group(0))
    return found


def shifted_times(source: str, candidate: str) -> list[tuple[str, str]]:
    """``(source phrase, candidate phrase)`` where a relative date now points elsewhere in time:
    the candidate counts in the same unit but never in the source's direction ("over the next
    decade" → "over the past decade", "the same quarter last year" → "this year", "this year's
    nominees" → "the following year": all three shown by student v2 on held-out news, read as
    changed). Dropping the date is left to the scorer. Of the candidates shown in session 25's
    runs and session 26's ablation runs whose source has such a date, it flags 4 of 262, all 4
    changed; of the GPT-3.5 teacher's 591 filtered paraphrases with one, none."""
    said = _relative_times(source)
    if not said:
        return []
    written = _relative_times(candidate)
    return [(next(iter(said[unit].values())), next(iter(written[unit].values())))
            for unit in said if unit in written and said[unit].keys().isdisjoint(written[unit].keys())]


#: The direction each preposition gives the place or name after it.
_TOWARD = {"to": "to", "into": "to", "toward": "to", "towards": "to", "from": "from"}
#: Words before "to"/"from" that make no direction ("according to", "due to", "apart from") or a
#: symmetric one ("the distance from Chicago to Milwaukee" = "the distance to Milwaukee from Chicago").
_NO_DIRECTION_BEFORE = frozenset({
    "according", "due", "thanks", "next", "close", "closer", "compared", "comparison", "similar", "related",
    "opposed", "addition", "regard", "respect", "prior", "owing", "adjacent", "relative", "contrary", "apart",
    "aside", "subject", "equal", "equivalent", "identical", "different", "far", "distance", "miles", "kilometres",
    "kilometers", "km", "separate", "separates", "separated", "separating", "between", "up"})
_PLACE_AFTER = re.compile(r"(?<![\w'-])(?:([\w'-]+)\s+)?(to|into|towards?|from)\s+(?:(?:the|a|an)\s+)?"
                          r"([^\W\d_][\w'.-]*)", re.IGNORECASE)


def _headings(text: str, lower_case_source: bool) -> dict[str, set[tuple[str, str | None, str]]]:
    """name word -> {(direction, the common word before the preposition or None, phrase as written)}."""
    found: dict[str, set[tuple[str, str | None, str]]] = {}
    for match in _PLACE_AFTER.finditer(text.translate(STRAIGHT_APOSTROPHES)):
        before, preposition, word = match.group(1) or "", match.group(2).lower(), match.group(3)
        if before.lower() in _NO_DIRECTION_BEFORE:
            continue
        key = word.lower().removesuffix("'s").rstrip(".'")
        if not (word[:1].isupper() or (lower_case_source and not is_common_word(key))):
            continue  # "to walk", "from time": only a name or, in a lower-case source, a rare word
        # The anchor: a lower-case common word before the preposition ("moved", "sent", "on").
        anchor = before.lower() if before.islower() and is_common_word(before) else None
        phrase = match.group(0)[len(before):].strip().rstrip(".")
        found.setdefault(key, set()).add((_TOWARD[preposition], anchor, phrase))
    return found


def turned_places(source: str, candidate: str) -> list[tuple[str, str]]:
    """``(source phrase, candidate phrase)`` where a place or name is now reached from the other
    side after the same word: "moving on to the European Championship" → "moving on from the
    European Championship" (shown by student v2), "She moved to Estonia from Finland" → "She moved
    from Estonia to Finland" (PAWS), "my drive home from spokane" → "my drive home to Spokane".
    The source must head for the name one way only, the candidate the other way only, and one
    anchor word must be the same in both, so "from Tulsa to Oklahoma City" → "separate Tulsa from
    Oklahoma City" passes; a converse that keeps the anchor ("what I know from Gary" → "what I
    owe to Gary") is refused, a sample lost for safety. On ``../shared``'s 115,963 teacher
    seed-paraphrase pairs it flags 6 (``runs/s34/places_measure.py``): 3 reversed, 3 not ("withhold
    payments from X" → "retain payments to X", twice "learned from X" → "owe to X"); on the 34,053
    filtered GPT teacher pairs and MRPC's paraphrases none; on PAWS-Wiki dev's 4,461 word-swap
    non-paraphrases 13, all of them turned."""
    lower = source == source.lower()
    said = _headings(source, lower)
    if not said:
        return []
    written = _headings(candidate, lower)
    found = []
    for key, headings in said.items():
        other = written.get(key)
        if not other:
            continue
        said_ways, written_ways = {h[0] for h in headings}, {h[0] for h in other}
        anchors = ({h[1] for h in headings} & {h[1] for h in other}) - {None}
        if len(said_ways) == 1 and len(written_ways) == 1 and said_ways != written_ways and anchors:
            found.append((next(h[2] for h in headings if h[1] in anchors),
                          next(h[2] for h in other if h[1] in anchors)))
    return found


#: Words of taking a side, by stem ("voted", "argues", "fought", "campaigning"), each with its
#: verb: "for" or "in favour of" after one is the other side from "against".
_STANCE_STEMS = {"vot": "vote", "argu": "argue", "campaign": "campaign", "fight": "fight", "fought": "fight",
                 "lobb": "lobby", "speak": "speak", "spoke": "speak", "testif": "testify", "rul": "rule",
                 "decid": "decide", "protest": "protest", "rall": "rally", "march": "march", "battl": "battle",
                 "struggl": "struggle", "advocat": "advocate", "petition": "petition", "sid": "side",
                 "stand": "stand", "stood": "stand"}
_STANCE = re.compile(r"\b(" + "|".join(sorted(_STANCE_STEMS, key=len, reverse=True)) + r")\w*\s+(?:\w+\s+)?"
                     r"(for|in\s+fav(?:o|ou)r\s+of|against)\s+"
                     r"(?:(?:the|a|an|his|her|its|their|our|my|your|this|that)\s+)?([\w'’-]+)", re.IGNORECASE)


def _stances(text: str) -> dict[tuple[str, str], dict[str, str]]:
    """{(verb, what it is for or against): {side: the words as written}} of ``text``, side "for"
    or "against" ("in favour of" is "for")."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for match in _STANCE.finditer(text):
        side = "against" if match.group(2).lower() == "against" else "for"
        key = (_STANCE_STEMS[match.group(1).lower()], match.group(3).lower())
        found.setdefault(key, {}).setdefault(side, match.group(0))
    return found


def turned_stance(source: str, candidate: str) -> list[tuple[str, str]]:
    """``(source words, candidate words)`` where the same verb now takes the other side of the same
    thing: "I'd fight for him" → "I'd be in the fight against him" (student v2, shown on held-out
    news), "voted for the bill" → "voted against the bill". Both passed every check. The thing must
    be the same word, so "led the fight for his ouster" → "led the fight against Hoeveler" (an
    MRPC paraphrase) passes. Flags (``runs/s39/stance_proto.py``, with that rule): 3 of 2,355
    cards student v2 showed in sessions 38-39 (the card above, in three runs), none of MRPC's
    paraphrases, PAWS-Wiki dev, 36,503 GPT teacher pairs or 115,963 teacher seed pairs."""
    said = _stances(source)
    if not said:
        return []
    written = _stances(candidate)
    return [(next(iter(sides.values())), next(iter(written[key].values()))) for key, sides in said.items()
            if len(sides) == 1 and len(written.get(key, {})) == 1 and written[key].keys() != sides.keys()]


#: An alternative not taken: "Rather than raise taxes, …", "instead of flying".
_NOT_TAKEN = re.compile(
    r"\brather\s+than\s+(?:just\s+|simply\s+)?"
    r"(?!(?:the|a|an|his|her|their|its|our|my|your|this|that|these|those|one|two|being|having|getting|any|some|all"
    r"|more|less|what|who|which|it|them|him|us|me|you|they|we|he|she)\b)(?P<verb>[a-z]{3,})"
    r"|\b(?:instead\s+of|as\s+opposed\s+to|in\s+place\s+of)\s+(?:just\s+|simply\s+)?"
    r"(?!(?:being|having|getting)\b)(?P<doing>[a-z]{2,}ing)\b", re.IGNORECASE)
#: What keeps it not taken in a candidate: the same words, "instead", a refusal, a choice between two.
_NOT_TAKEN_KEPT = re.compile(
    r"\b(?:rather|instead|opposed|in\s+place\s+of|not|no|never|without|avoid\w*|refus\w*|declin\w*|reject\w*"
    r"|chose|choose|chos\w*|opt\w*|prefer\w*|over|skip\w*|forgo\w*|forwent|passed\s+on|alternative\w*|than"
    r"|versus|vs|whereas|while|but|bypass\w*|unlike|besides|other\s+than|apart\s+from|except)\b"
    r"|n't\b", re.IGNORECASE)


def _stem(word: str) -> str:
    """A verb's rough stem, for telling "raise", "raised", "raising" and "flying", "flew" alike."""
    word = word.lower()
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[:-len(suffix)]
    return word


def taken_alternative(source: str, candidate: str) -> list[tuple[str, str]]:
    """(the source's "rather than X", the candidate's X) where the candidate does X with no word
    left that it was not done: "Rather than raise taxes, the government cut spending." -> "The
    government raised taxes and cut spending." (0.36), "Instead of flying, they took the train to
    Paris." -> "They flew to Paris and took the train." (0.24) passed every check."""
    if _NOT_TAKEN_KEPT.search(candidate):
        return []
    found = []
    for match in _NOT_TAKEN.finditer(source):
        verb = (match.group("verb") or match.group("doing")).lower()
        stem = _stem(verb)
        outside = source[:match.start()] + " " + source[match.end():]
        if any(_stem(word) == stem for word in re.findall(r"[a-z]+", outside.lower())):
            continue  # the source does it elsewhere too ("shopping rather than flying, as flying comes after")
        forms = {stem}
        irregular = next(filter(None, map(irregular_verb, (verb, stem, stem + "e"))), None)  # flown, flying, taking
        if irregular is not None:
            forms |= {_stem(irregular.base), *irregular.forms}
        for word in re.findall(r"[a-z]+", candidate.lower()):
            if _stem(word) in forms or word in forms:
                found.append((match.group(0).lower(), word))
                break
    return found


#: "without a deal" -> "with a deal": "with"/"without" alone are left to the negation check,
#: which reads "without" as a negation; the same thing had or not is a flip.
_WITHOUT = re.compile(r"\bwithout\s+(?:a|an|any|the)?\s*(?P<thing>[a-z]{3,})", re.IGNORECASE)


def gained_without(source: str, candidate: str) -> list[tuple[str, str]]:
    """(the source's "without X", the candidate's "with X") where the candidate has the thing the
    source says was missing and no "without" at all: "The talks ended without an agreement." ->
    "The talks ended with an agreement." passed every check (0.12)."""
    if re.search(r"\bwithout\b", candidate, re.IGNORECASE):
        return []
    found = []
    for match in _WITHOUT.finditer(source):
        thing = match.group("thing").lower()
        had = re.search(rf"\bwith\s+(?:a|an|the|some)?\s*(?:\w+\s+)?{re.escape(thing)}\b", candidate, re.IGNORECASE)
        if had and not re.search(r"\b(?:no|little|few|zero|limited|minimal|scant|hardly|barely)\b", had.group(0),
                                 re.IGNORECASE):
            found.append((match.group(0).lower(), had.group(0).lower()))
    return found


def reversed_words(source: str, candidate: str) -> list[tuple[str, str]]:
    """``(source word, candidate word)`` for each checked pair the candidate turns around: the
    source has a word of one side and none of the other, the candidate the other way round.
    Also "few" ↔ "a few" ("It contains few big names" → "It has a few big names", shown at the
    default slider on held-out news); "only a few" is "few", as the GPT teachers write it; and
    a relative date that now points elsewhere (:func:`shifted_times`), and a place reached from
    the other side (:func:`turned_places`), and a side taken the other way (:func:`turned_stance`),
    an alternative not taken made taken (:func:`taken_alternative`), and a thing missing made
    had (:func:`gained_without`)."""
    found = (shifted_times(source, candidate) + turned_places(source, candidate) + turned_stance(source, candidate)
             + taken_alternative(source, candidate) + gained_without(source, candidate))
    if "few" in source.lower() and "few" in candidate.lower():
        said, written = _few_readings(source), _few_readings(candidate)
        if len(said) == 1 and len(written) == 1 and said != written:
            found.append((next(iter(said)), next(iter(written))))
    in_source = _present(source)
    if not in_source:
        return found
    in_candidate = _present(candidate)
    if not in_candidate:
        return found
    source_set, candidate_set = set(in_source), set(in_candidate)
    for a, b in CHECKED_PAIRS:
        for x, y in ((a, b), (b, a)):
            if (source_set.isdisjoint(x) or not source_set.isdisjoint(y) or not candidate_set.isdisjoint(x)
                    or candidate_set.isdisjoint(y)):
                continue
            found.append((next(w for w in in_source if w in x), next(w for w in in_candidate if w in y)))
    return found
