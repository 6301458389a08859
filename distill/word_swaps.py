"""PAWS-style pairs from one sentence: the same words in another order, meaning kept or broken.

Why: the order scorer (``models/scorers/minilm-l4-order-v*``) judges pairs that reorder the
source's words. PAWS-Wiki teaches it that such pairs are mostly non-paraphrases, and the
held-out errors show what it never learnt to tell apart: "Lake Michigan and Lake Huron" ->
"Lake Huron and Lake Michigan" (kept) against "born in Falmouth ... buried in Vineyard Haven"
-> the places traded (broken). Both edits here work on the same sentence and keep its exact
words, so only the structure can tell the label:

* kept (label 1): two conjuncts of an "and"/"or" trade places; a leading phrase ("In 1990 ,")
  moves to the end;
* broken (label 0): two names, two nouns after a determiner, or two past-tense verbs that are
  *not* conjuncts of one another trade places.

Plain token rules on tokenized or untokenized text; each is deterministic given its
``random.Random`` and returns None when the sentence offers nothing to edit. Pick one of a
family with :func:`distill.perturb.first_change`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

#: Tokens a conjunct may start after or end before: punctuation, prepositions, determiners.
_BOUNDARY = {",", ".", ";", ":", "(", ")", "!", "?", "--",
             "in", "of", "on", "at", "for", "from", "with", "by", "to", "as", "into", "during",
             "between", "both", "either", "the", "a", "an", "his", "her", "its", "their", "our",
             "including", "like", "such", "than", "about", "under", "over", "through", "after",
             "before", "since", "until", "is", "are", "was", "were"}
#: Words that are not conjunct material: pronouns, auxiliaries, adverbs that head a new clause.
_NOT_CONJUNCT = {"he", "she", "it", "they", "we", "i", "you", "him", "them", "who", "which", "that",
                 "was", "were", "is", "are", "be", "been", "has", "have", "had", "will", "would",
                 "can", "could", "also", "later", "then", "not", "never", "so", "but", "and", "or",
                 "there", "this", "these", "those", "when", "where", "while", "because", "although",
                 "did", "does", "do", "may", "might", "must", "should", "being", "again", "still"}
_CONJUNCTIONS = {"and", "or"}
#: Determiners after which a word is (nearly always) a noun or its adjective; "a"/"an" are left
#: out because a swap would break their agreement ("an apple" / "a dogs").
_DETERMINERS = {"the", "his", "her", "its", "their", "our", "my", "your", "this", "these", "those"}
_STOP = _NOT_CONJUNCT | _BOUNDARY | {"same", "first", "last", "other", "most", "more", "only",
                                     "new", "own", "such", "next", "two", "three", "following"}
_LEADING = {"In", "On", "At", "During", "After", "Before", "Since", "By", "From", "Following",
            "Until", "Under", "With"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*$")


def _is_tokenized(text: str) -> bool:
    """PAWS and WikiSplit put spaces around punctuation ("Paris , France ."); teacher text does not."""
    return bool(re.search(r"\w [,.;:)!?]", text))


def _tokens(text: str) -> list[str] | None:
    """The text's tokens, or None when they would not join back to the same text (an edit must
    change nothing but the order)."""
    if _is_tokenized(text):
        tokens = text.split()
    else:
        tokens = re.findall(r"(?:[A-Z]\.){2,}|[\w'-]+|[^\w\s]", text)
    return tokens if _join(tokens, text) == text else None


def _join(tokens: list[str], like: str) -> str:
    """Tokens back to text in the style of ``like``: spaced for tokenized text, else punctuation
    attached to the word before it."""
    text = " ".join(tokens)
    if _is_tokenized(like):
        return text
    text = re.sub(r" ([,.;:!?)%])", r"\1", text)
    return re.sub(r"([($]) ", r"\1", text)


#: Around lower-case conjuncts a narrower set: after "to", "was" or a determiner, or before a
#: determiner, a lower-case conjunct is as likely a verb phrase ("to establish bases and training
#: camps", "with his family and became the cantor"), whose swap breaks the text.
_WORD_BEFORE = (_BOUNDARY - _DETERMINERS - {"a", "an", "to", "is", "are", "was", "were", "as", "than",
                                             "like", "such"})
_WORD_AFTER = (_BOUNDARY - _DETERMINERS - {"a", "an", "is", "are", "was", "were", "both", "either"})


def _suffix_class(word: str) -> str:
    """A crude part of speech from the ending, so "regulating fear" is not swapped with
    "pleasure responses"."""
    for ending in ("ing", "ed", "ly", "s"):
        if word.endswith(ending):
            return ending
    return ""


def _trade(tokens: list[str], a: tuple[int, int], b: tuple[int, int], like: str) -> str:
    """The text with token spans ``a`` and ``b`` (start, end; ``a`` first) traded."""
    (a0, a1), (b0, b1) = a, b
    return _join(tokens[:a0] + tokens[b0:b1] + tokens[a1:b0] + tokens[a0:a1] + tokens[b1:], like)


def _conjunct_shape(span: list[str]) -> str | None:
    """"name" (every word capitalised), "word" (lower-case words), or None (not conjunct material)."""
    if not span or any(not _WORD.match(t) or t.lower() in _NOT_CONJUNCT for t in span):
        return None
    if all(t[0].isupper() for t in span):
        return "name"
    if all(t[0].islower() and t not in _BOUNDARY for t in span):
        return "word"
    return None


def _conjunct_swaps(tokens: list[str]) -> list[tuple[int, int, int, int]]:
    """(left start, left end, right start, right end) of each "A and B" whose conjuncts have the
    same shape and length, sit between boundaries, and differ."""
    found = []
    for i, token in enumerate(tokens):
        if token.lower() not in _CONJUNCTIONS or i == 0:
            continue
        for size in (1, 2, 3):
            a0, b1 = i - size, i + 1 + size
            if a0 < 1 or b1 > len(tokens):
                break
            left, right = tokens[a0:i], tokens[i + 1:b1]
            before = tokens[a0 - 1].lower()
            after = tokens[b1].lower() if b1 < len(tokens) else "."
            shape = _conjunct_shape(left)
            if shape == "word":
                fits = (before in _WORD_BEFORE and after in _WORD_AFTER
                        and [_suffix_class(t) for t in left] == [_suffix_class(t) for t in right])
            else:
                # "Professor of History and Professor of Government", "The Matt and Jo Show": a
                # name joined by "of" or led by "The" is likely one name with "and" inside it.
                fits = (before in _BOUNDARY - {"of"} and after in _BOUNDARY - {"of"}
                        and left[0] != "The" and right[0] != "The")
            if (shape and shape == _conjunct_shape(right) and fits
                    and [t.lower() for t in left] != [t.lower() for t in right]):
                found.append((a0, i, i + 1, b1))
                break
    return found


def swap_conjuncts(text: str, rng: random.Random) -> str | None:
    """Two conjuncts trade places ("indie music and alternative music" -> "alternative music and
    indie music"); the meaning is kept."""
    tokens = _tokens(text)
    spans = _conjunct_swaps(tokens) if tokens else []
    if not spans:
        return None
    a0, a1, b0, b1 = rng.choice(spans)
    return _trade(tokens, (a0, a1), (b0, b1), text)


def move_leading_phrase(text: str, rng: random.Random) -> str | None:
    """A leading prepositional phrase moves to the end ("In 1990 , he left ." -> "He left in 1990 .");
    the meaning is kept."""
    tokens = _tokens(text)
    if not tokens or len(tokens) < 8 or tokens[0] not in _LEADING or tokens[-1] not in {".", "!", "?"}:
        return None
    try:
        comma = tokens.index(",", 2, 8)
    except ValueError:
        return None
    phrase, rest = tokens[:comma], tokens[comma + 1:-1]
    if len(rest) < 4 or "," in phrase or not _WORD.match(rest[0]):
        return None
    head = rest[0]
    if head.lower() in {"he", "she", "it", "they", "we", "there", "the", "a", "an", "his", "her",
                        "its", "their", "this", "these", "many", "some", "most", "both"}:
        head = head[0].upper() + head[1:]
    elif not head[0].isupper():
        return None
    moved = [head] + rest[1:] + [phrase[0].lower()] + phrase[1:] + [tokens[-1]]
    return _join(moved, text)


def _coordinated(tokens: list[str], a: int, b: int) -> bool:
    """Whether positions ``a`` < ``b`` are joined as a list ("the cat and the dog", "X , Y")."""
    between = [t.lower() for t in tokens[a + 1:b]]
    return bool(between) and set(between) <= (_CONJUNCTIONS | _DETERMINERS | {",", "a", "an"}) and len(between) <= 3


def _swap_positions(tokens: list[str], picks: list[int], rng: random.Random, like: str) -> str | None:
    """Two of ``picks`` (distinct words, not listed together, both plural or both not, so the
    sentence stays grammatical) trade places."""
    options = [(a, b) for i, a in enumerate(picks) for b in picks[i + 1:]
               if tokens[a].lower() != tokens[b].lower() and not _coordinated(tokens, a, b)
               and tokens[a].endswith("s") == tokens[b].endswith("s")]
    if not options:
        return None
    a, b = rng.choice(options)
    return _trade(tokens, (a, a + 1), (b, b + 1), like)


def swap_nouns(text: str, rng: random.Random) -> str | None:
    """Two words after determiners trade places ("the union sued the city" -> "the city sued the
    union"); the meaning is broken."""
    tokens = _tokens(text) or []
    picks = [i for i in range(1, len(tokens)) if tokens[i - 1].lower() in _DETERMINERS
             and _WORD.match(tokens[i]) and tokens[i].islower() and len(tokens[i]) >= 3
             and tokens[i] not in _STOP]
    return _swap_positions(tokens, picks, rng, text)


def swap_verbs(text: str, rng: random.Random) -> str | None:
    """Two past-tense verbs trade places ("founded in 1901 and renamed in 1920" -> "renamed in
    1901 and founded in 1920"); the meaning is broken."""
    tokens = _tokens(text) or []
    picks = [i for i, t in enumerate(tokens) if i > 0 and t.islower() and t.endswith("ed") and len(t) >= 5
             and _WORD.match(t) and t not in _STOP and tokens[i - 1].lower() not in _DETERMINERS]
    return _swap_positions(tokens, picks, rng, text)


def swap_names(text: str, rng: random.Random) -> str | None:
    """Two names trade places ("from Falmouth to Vineyard Haven" -> "from Vineyard Haven to
    Falmouth"), unless they are listed together; broken."""
    tokens = _tokens(text) or []
    spans: list[tuple[int, int]] = []
    i = 1
    while i < len(tokens):
        if _WORD.match(tokens[i]) and tokens[i][0].isupper() and tokens[i - 1] not in {".", "``", '"'}:
            j = i
            while j + 1 < len(tokens) and _WORD.match(tokens[j + 1]) and tokens[j + 1][0].isupper():
                j += 1
            spans.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    spans = [s for s in spans if " ".join(tokens[s[0]:s[1]]) not in _LEADING]
    options = [(a, b) for k, a in enumerate(spans) for b in spans[k + 1:]
               if tokens[a[0]:a[1]] != tokens[b[0]:b[1]] and not _coordinated(tokens, a[1] - 1, b[0])]
    if not options:
        return None
    a, b = rng.choice(options)
    return _trade(tokens, a, b, text)


#: Edits that keep the meaning (label 1) and edits that break it (label 0), by name.
KEEPING: dict[str, Callable[[str, random.Random], str | None]] = {
    "conjuncts": swap_conjuncts,
    "leading": move_leading_phrase,
}
BREAKING: dict[str, Callable[[str, random.Random], str | None]] = {
    "names": swap_names,
    "nouns": swap_nouns,
    "verbs": swap_verbs,
}
