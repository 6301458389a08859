"""Job titles and offices: a paraphrase keeps the one its source gives a person.

"The company's chairman said" -> "the company's president said" names another office, as
much a changed fact as another name: a chairman and a president are different people in most
companies. The phrase index offers exactly these swaps ("chairman" -> "director", "chief",
"president": teachers wrote them for each other in other sentences), and a paraphrase may make
them too. A title may become a word of the same office ("CEO" for "chief executive", "chair"
for "chairman", "premier" for "prime minister") or a wider word that names no office ("head",
"leader", "official", "boss"), never another office.

:func:`title_offices` reads which offices a text names; :func:`changed_titles` compares a
candidate with its source, like :func:`models.time_words.changed_times`: an office the
candidate names that the source does not, where the source named one, is a change.
"""

from __future__ import annotations

import re

#: Offices, each with the ways it is written (lower case; a space also matches a hyphen).
_OFFICES: dict[str, tuple[str, ...]] = {
    "chief executive": ("chief executive officer", "chief executive", "ceo"),
    "chief financial officer": ("chief financial officer", "cfo", "finance chief"),
    "chief operating officer": ("chief operating officer", "coo"),
    "chairman": ("chairman", "chairwoman", "chairperson", "chair"),
    "vice chairman": ("vice chairman", "vice chair"),
    "president": ("president",),
    "vice president": ("vice president", "vp"),
    "managing director": ("managing director",),
    "director": ("director",),
    "prime minister": ("prime minister", "premier"),
    "minister": ("minister",),
    "secretary": ("secretary",),
    "governor": ("governor",),
    "mayor": ("mayor",),
    "senator": ("senator",),
    "congressman": ("congressman", "congresswoman"),
    "spokesman": ("spokesman", "spokeswoman", "spokesperson"),
    "founder": ("founder", "co-founder", "cofounder"),
    "owner": ("owner",),
    "captain": ("captain",),
    "judge": ("judge",),
    "treasurer": ("treasurer",),
    "ambassador": ("ambassador", "envoy"),
    "editor": ("editor",),
    "chancellor": ("chancellor",),
    "commissioner": ("commissioner",),
    "sheriff": ("sheriff",),
    "attorney general": ("attorney general",),
    "prosecutor": ("prosecutor", "district attorney"),
}
_WRITTEN = sorted(((written, office) for office, forms in _OFFICES.items() for form in forms
                   for written in {form, re.sub(r"man$", "men", form)}),  # "chairmen", "vice chairmen"
                  key=lambda item: -len(item[0]))
#: Each form as :func:`title_offices` normalises what it matched (hyphens and runs of spaces read as
#: one space), so "co-founder" and "co founder" are one key.
_OFFICE_OF = {re.sub(r"[\s-]+", " ", form): office for form, office in _WRITTEN}
_TITLE = re.compile(r"\b(?:" + "|".join(r"[\s-]+".join(map(re.escape, re.split(r"[\s-]", form)))
                                       for form, _ in _WRITTEN)
                    + r")(?:s|es)?\b", re.IGNORECASE)
#: After "premier", a word that makes it the adjective ("first, best"), not the office: a noun
#: ("destination", "League") rather than a name, a verb or punctuation. A GPT teacher wrote "the
#: premier vape destination in the valley", read as the prime minister.
_ADJECTIVE_PREMIER = re.compile(r"\s+(?!(?:said|says|told|has|had|was|is|will|would|and|of|who|to|in|on|at|for)\b)"
                                r"(?:[a-z]\w*|League|Division|Inn)\b")
#: The last word of every form: a text without any of them names no office, and the pattern need
#: not run (most sentences name none).
_KEYS = frozenset(re.split(r"[\s-]", form)[-1] for form, _ in _WRITTEN)


def title_offices(text: str) -> set[str]:
    """The offices ``text`` names ("chief executive", "chairman"...), however written.

    "Deputy director" and "acting chairman" name the director's and chairman's office here
    too: the check is about which office, and "deputy director" -> "deputy chairman" still
    changes it.
    """
    lower = text.lower()
    if not any(key in lower for key in _KEYS):
        return set()
    out = set()
    for match in _TITLE.finditer(text):
        written = re.sub(r"[\s-]+", " ", match.group().lower())
        if written == "premier" and _ADJECTIVE_PREMIER.match(text, match.end()):
            continue  # "the premier vape destination", "the Premier League"
        office = _OFFICE_OF.get(written) or _OFFICE_OF.get(re.sub(r"(?:es|s)$", "", written))
        if office:
            out.add(office)
    return out


def changed_titles(source_offices: set[str], candidate: str) -> tuple[str, str] | None:
    """(the source's offices, the new ones) when ``candidate`` names an office its source does not
    while the source named one ("chairman" -> "president"); None otherwise.

    ``source_offices``: :func:`title_offices` of the source, read once per source.
    """
    if not source_offices:
        return None
    new = title_offices(candidate) - source_offices
    if not new:
        return None
    return ", ".join(sorted(source_offices)), ", ".join(sorted(new))


#: "former", "ex-", "then-" before a role: the person held it once and holds it no longer (or
#: held it then). Up to three words are read after it, to a preposition ("a former candidate for
#: governor": the role is "candidate"); the role is the first lower-case word there ("his former
#: Australian boss revealed": "boss"), or the first word when all are capitalised ("former
#: President Bill Clinton": "president").
_FORMER = re.compile(r"\b(?:former|onetime|one-time|erstwhile)\s+((?:[\w'-]+\s+){0,2}[\w'-]+)|\b(?:ex|then)-([\w'-]+)",
                     re.IGNORECASE)
_ROLE_STOP = frozenset({"for", "of", "at", "in", "on", "with", "to", "and", "or", "who", "which", "that"})
#: Words in a candidate that say the role is past (or was held then) all the same.
_STILL_PAST = re.compile(r"\b(?:former(?:ly)?|onetime|one-time|erstwhile|previous(?:ly)?|past|prior|once|used\s+to"
                         r"|retired|outgoing|deposed|ousted|late|then|ex|earlier)\b|\bex-", re.IGNORECASE)


def _former_role(match: re.Match[str]) -> tuple[str, str]:
    """(the role word, lower-cased; the source's words from "former" to it)."""
    if match.group(2):
        return match.group(2).lower(), match.group(0)
    window: list[str] = []
    for word in match.group(1).split():
        if word.lower() in _ROLE_STOP:
            break
        if word.endswith(("'s", "\u2019s")):  # "the former Texas oilman's plans": the role ends there
            window.append(word[:-2])
            break
        window.append(word)
    if not window:
        return "", ""
    first = next((i for i, w in enumerate(window) if w.islower()), 0)
    text, offset = match.group(0), len(match.group(0)) - len(match.group(1))
    for word in window[:first + 1]:
        offset = text.index(word, offset) + len(word)
    return window[first].lower(), text[:offset]


def made_current(source: str, candidate: str) -> str | None:
    """The source's past role ("former chief executive") that ``candidate`` names without saying
    it is past, or None.

    Why: "Former chief executive John Smith spoke at the annual meeting." -> "At the yearly
    gathering, chief executive John Smith gave a speech." passed every check (0.29 on its card):
    a writer who pastes it has a retired man running the company. Only a role the candidate
    still names counts ("a former investment banker" dropped altogether is a detail left out,
    the details count's). Flags 6 of 5,506 MRPC paraphrase directions ("his former Australian
    boss" -> "his Australian boss", "then-President Clinton vetoed" -> "President Bill Clinton
    vetoed"), 2 of 3,539 PAWS-Wiki paraphrases ("a former Finnish footballer" -> "a Finnish
    footballer") and 4 of 40,000 cased teacher pairs (``runs/s50/misc_probe.py``)."""
    if _STILL_PAST.search(candidate):
        return None
    lower = candidate.lower()
    for match in _FORMER.finditer(source):
        role, shown = _former_role(match)
        if len(role) > 2 and re.search(r"(?<![\w-])" + re.escape(role) + r"(?![\w-])", lower):
            return shown
    return None
