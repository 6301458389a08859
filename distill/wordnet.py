"""A small reader of WordNet 3.0's dictionary files, for judging phrase alternatives.

Issue 16's held-out check asks how many of the top one-word alternatives an *independent*
lexical resource relates to the word (a synonym or one step away) and how many it calls
antonyms. WordNet is that resource. It is read only by the evaluation
(:mod:`distill.phrase_eval`), never by the runtime, so the alternatives the app offers still
come from what the teachers wrote.

The files are Princeton's ``dict/`` folder as Debian's ``wordnet-base`` package installs it
(``/usr/share/wordnet``: ``index.noun``, ``data.noun``, ``noun.exc``…); no Python package
is needed. :func:`WordNet.base_forms` is WordNet's own *morphy* (exception lists, then the
detachment rules), so "rising" finds "rise".
"""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path

log = logging.getLogger(__name__)

#: Where Debian's ``wordnet-base`` puts the dictionary.
DEFAULT_DICT = Path("/usr/share/wordnet")
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
#: morphy's detachment rules: (suffix, replacement) per part of speech.
_RULES = {
    "n": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
          ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}
ANTONYM = "!"

Synset = tuple[str, int]  # (part of speech, byte offset in its data file)


class WordNetMissing(FileNotFoundError):
    """The dictionary files are not where they were looked for."""


class WordNet:
    """Lemmas, synsets and one-step pointers of WordNet 3.0, loaded whole (about 2 s, 150 MB)."""

    def __init__(self, folder: str | Path = DEFAULT_DICT) -> None:
        root = Path(folder)
        if not (root / "data.noun").is_file():
            raise WordNetMissing(f"WordNet 3.0 dictionary not found in {root} (Debian: apt install wordnet-base; "
                                 "or pass the folder holding data.noun, index.noun …)")
        self._senses: dict[tuple[str, str], list[Synset]] = {}
        self._exceptions: dict[str, dict[str, list[str]]] = {pos: defaultdict(list) for pos in POS_FILES}
        self._pointers: dict[Synset, set[Synset]] = defaultdict(set)
        self._words: dict[Synset, tuple[str, ...]] = {}
        self._antonym_links: list[tuple[Synset, int, Synset, int]] = []
        self._antonyms: dict[str, set[str]] = defaultdict(set)
        for pos, name in POS_FILES.items():
            self._read_index(root / f"index.{name}", pos)
            self._read_data(root / f"data.{name}", pos)
            exceptions = root / f"{name}.exc"
            if exceptions.is_file():
                for line in exceptions.read_text(encoding="utf-8", errors="replace").splitlines():
                    inflected, *bases = line.split()
                    self._exceptions[pos][inflected].extend(bases)
        for synset, word, target, target_word in self._antonym_links:  # lexical: this word's own opposite
            self._antonyms[self._words[synset][word - 1]].add(self._words[target][target_word - 1])

    def _read_index(self, path: Path, pos: str) -> None:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(" "):
                continue  # the licence header
            fields = line.split()
            lemma, synset_count, pointer_count = fields[0], int(fields[2]), int(fields[3])
            offsets = fields[6 + pointer_count:6 + pointer_count + synset_count]
            self._senses[(lemma, pos)] = [(pos, int(offset)) for offset in offsets]

    def _read_data(self, path: Path, pos: str) -> None:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split(" | ")[0].split()
            offset, word_count = int(fields[0]), int(fields[3], 16)
            synset: Synset = (pos, offset)
            self._words[synset] = tuple(fields[4 + 2 * i].lower().split("(")[0] for i in range(word_count))
            at = 4 + 2 * word_count
            for i in range(int(fields[at])):
                symbol, target, target_pos, source_target = fields[at + 1 + 4 * i:at + 5 + 4 * i]
                other: Synset = ("a" if target_pos == "s" else target_pos, int(target))
                if symbol == ANTONYM:
                    self._antonym_links.append((synset, int(source_target[:2], 16), other, int(source_target[2:], 16)))
                else:
                    self._pointers[synset].add(other)

    def base_forms(self, word: str) -> list[tuple[str, str]]:
        """(lemma, part of speech) pairs WordNet knows ``word`` as: itself, its exceptions, morphy's rules."""
        word = word.lower().replace(" ", "_")
        found: list[tuple[str, str]] = []
        for pos in POS_FILES:
            options = [word, *self._exceptions[pos].get(word, ())]
            options += [word[:-len(suffix)] + replacement for suffix, replacement in _RULES[pos]
                        if word.endswith(suffix) and len(word) > len(suffix)]
            found += [(lemma, pos) for lemma in dict.fromkeys(options) if (lemma, pos) in self._senses]
        return found

    def synsets(self, word: str) -> set[Synset]:
        """Every synset of every base form of ``word``, any part of speech."""
        return {synset for key in self.base_forms(word) for synset in self._senses[key]}

    def knows(self, word: str) -> bool:
        return bool(self.base_forms(word))

    def related(self, word: str, other: str) -> bool:
        """A synonym (a shared synset) or one pointer away (hypernym, hyponym, similar-to, derivation…),
        either direction, antonymy excluded; the same base form counts too."""
        mine, theirs = self.synsets(word), self.synsets(other)
        if not mine or not theirs:
            return False
        if mine & theirs:
            return True
        return any(self._pointers[s] & theirs for s in mine) or any(self._pointers[t] & mine for t in theirs)

    def antonyms(self, word: str, other: str) -> bool:
        """WordNet calls them opposites: a direct antonym pointer between a base form of each
        (lexical, as WordNet stores antonymy: "push"/"pull", not every synonym of "pull")."""
        mine = {lemma for lemma, _ in self.base_forms(word)}
        theirs = {lemma for lemma, _ in self.base_forms(other)}
        return any(self._antonyms[lemma] & theirs for lemma in mine)
