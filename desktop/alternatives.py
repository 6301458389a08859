"""What the window asks the model for and what it keeps: plain Python, no Qt, no model.

The window shows alternatives for one sentence at a time (or for a selection of several
sentences). This module owns the state behind that, so it can be tested with plain pytest:

- :class:`JobRequest`, what one job asks for, and its :attr:`JobRequest.key`: the one
  answer to "is this the same work?", used by the worker (adopting a write-ahead job) and
  by the cache alike;
- which of the writer's kept phrases (Keep unchanged) a sentence holds (:func:`phrases_within`);
- the :class:`SentenceSession` for the editor's text, rebuilt only when the text changed;
- the :class:`Target`, which sentence the alternatives on screen belong to;
- the alternatives written in this session (shown again instead of written again) and
  which of them were written ahead while the writer was reading;
- the write-ahead decision: which sentence, if any, to write next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from models import Candidate
from models.controls import STANDARD_MODE

from .session import SentenceSession

#: What makes two requests the same work: sentence, n, diversity, seed, whole-text, kept phrases, mode.
WorkKey = tuple[str, int, float, int | None, bool, tuple[str, ...], str]
#: Where kept phrases are: Python ``[start, end)`` into the editor's text.
Spans = Sequence[tuple[int, int]]


def phrases_within(text: str, spans: Spans, start: int, end: int) -> tuple[str, ...]:
    """The kept phrases wholly inside ``text[start:end]``, in text order, each once.

    A phrase that reaches outside (across two sentences) is not this sentence's to keep:
    the runtime would refuse it, so it is left out rather than fail the run.
    """
    phrases = (text[s:e].strip() for s, e in sorted(spans) if start <= s and e <= end)
    return tuple(dict.fromkeys(p for p in phrases if p))


@dataclass(frozen=True)
class JobRequest:
    """What the GUI asks for; kept with the job so results can be matched to a sentence."""

    sentence: str
    n: int = 5
    diversity: float = 0.5
    seed: int | None = None
    index: int = 0  # sentence index in the editor's session (for "Use this"); not part of the work
    whole: bool = False  # several sentences at once (``Paraphraser.paraphrase``), with progress
    keep: tuple[str, ...] = ()  # phrases the writer marked Keep unchanged, in the sentence(s)
    mode: str = STANDARD_MODE  # the student's mode (``Paraphraser.modes``): standard, simpler, shorter...

    @property
    def key(self) -> WorkKey:
        """The work itself, wherever the sentence now stands in the text (the index is left out).

        The kept phrases are part of it: alternatives written before a phrase was marked
        need not keep it, so they are not shown again for the marked sentence. So is the
        mode: a Simpler rewrite is not what the writer asked for in Standard.
        """
        return (self.sentence, self.n, self.diversity, self.seed, self.whole, self.keep, self.mode)

    def same_work(self, other: JobRequest) -> bool:
        """The same sentence at the same settings: one job's output serves the other."""
        return self.key == other.key


@dataclass(frozen=True)
class Target:
    """Which sentence the alternatives on screen were written for, and what it reads now."""

    index: int  # -1 for a selection of several sentences
    current: str  # the sentence's text in the editor (changes when an alternative is used)
    original: str  # the text the alternatives were written for (the history key)
    span: tuple[int, int] | None = None  # where ``current`` is, for a selection of several sentences


@dataclass(frozen=True)
class Recalled:
    """Alternatives written earlier in this session, and whether they were written ahead (unseen)."""

    candidates: list[Candidate]
    written_ahead: bool


class Alternatives:
    """The sentence session, the target on screen, the alternatives written in this session."""

    def __init__(self) -> None:
        self.session: SentenceSession | None = None
        self.session_text: str | None = None
        self.target: Target | None = None
        self.active = False  # the writer has asked for alternatives at least once
        self._cache: dict[WorkKey, list[Candidate]] = {}
        self._unseen: set[WorkKey] = set()  # written ahead, cached, not shown yet

    # -- the session ---------------------------------------------------------------------

    def is_current(self, text: str) -> bool:
        """True when the session was built for exactly ``text``."""
        return self.session is not None and text == self.session_text

    def session_for(self, text: str) -> SentenceSession:
        """The session for ``text``, split again only if the text changed since the last look."""
        if self.session is None or text != self.session_text:
            self.session = SentenceSession(text)
            self.session_text = text
        return self.session

    def forget_session(self) -> None:
        """The text changed in a way the session cannot follow: split it again on the next look."""
        self.session = None
        self.session_text = None

    def sentence_request(self, index: int, n: int, diversity: float, keep_spans: Spans = (), *,
                         mode: str = STANDARD_MODE) -> JobRequest:
        """The request for sentence ``index`` of the current session, with the kept phrases it holds."""
        assert self.session is not None and self.session_text is not None
        start, end = self.session.span(index)
        keep = phrases_within(self.session_text, keep_spans, start, end)
        return JobRequest(sentence=self.session.sentence(index), n=n, diversity=diversity, index=index, keep=keep,
                          mode=mode)

    def title(self, index: int) -> str:
        """The cards' heading: which sentence they are for, once there is more than one."""
        session = self.session
        if session is None or len(session.wordy) <= 1:
            return "Alternatives"
        return f"Alternatives for sentence {session.wordy.index(index) + 1}"

    # -- alternatives written in this session --------------------------------------------

    def finished(self, request: JobRequest, candidates: list[Candidate]) -> None:
        """Keep a finished sentence's alternatives, to show them again without a run."""
        if candidates and not request.whole:
            self._cache[request.key] = list(candidates)

    def written_ahead(self, request: JobRequest, candidates: list[Candidate]) -> None:
        """Keep alternatives written ahead; the first time they are shown says so."""
        if candidates:
            self._cache[request.key] = list(candidates)
            self._unseen.add(request.key)

    def forget_written(self) -> None:
        """Drop every kept alternative: another student is in use, and "shown again" would show
        the previous one's work as if it were this one's."""
        self._cache.clear()
        self._unseen.clear()

    def has(self, request: JobRequest) -> bool:
        return request.key in self._cache

    def recall(self, request: JobRequest) -> Recalled | None:
        """The alternatives kept for ``request``'s work, or None; marks written-ahead ones as seen."""
        candidates = self._cache.get(request.key)
        if not candidates:
            return None
        unseen = request.key in self._unseen
        self._unseen.discard(request.key)
        return Recalled(list(candidates), unseen)

    def to_write_ahead(self, index: int, n: int, diversity: float, writing: JobRequest | None,
                       keep_spans: Spans = (), *, mode: str = STANDARD_MODE) -> JobRequest | None:
        """The sentence after ``index`` to write while the writer reads, or None.

        None at the last sentence, when its alternatives are already kept, or when
        ``writing`` (the write-ahead job under way) already does that very work.
        """
        if self.session is None:
            return None
        following = self.session.neighbour(index, 1)
        if following is None:
            return None
        request = self.sentence_request(following, n, diversity, keep_spans, mode=mode)
        if self.has(request) or (writing is not None and writing.same_work(request)):
            return None
        return request

    # -- using an alternative ------------------------------------------------------------

    def locate_target(self, session: SentenceSession) -> int | None:
        """Where the target sentence is now: its index, or the first sentence that reads the same.

        None when no sentence reads as it did (the writer edited it since).
        """
        target = self.target
        assert target is not None
        if target.index < len(session) and session.sentence(target.index) == target.current:
            return target.index
        matches = [i for i in session.wordy if session.sentence(i) == target.current]
        return matches[0] if matches else None

    def locate_selection(self, text: str) -> tuple[int, int] | None:
        """Where the selected sentences the alternatives were written for are in ``text`` now."""
        target = self.target
        assert target is not None and target.span is not None
        start, end = target.span
        if text[start:end] == target.current:
            return start, end
        start = text.find(target.current)
        return None if start < 0 else (start, start + len(target.current))
