"""Ask an OpenAI-compatible chat-completions server for paraphrases, and parse its answer.

Works with llama.cpp's server, llama-cpp-python's server, vLLM, Ollama (``/v1``) and hosted
APIs: only ``POST <base>/chat/completions`` and, for ``--model auto``, ``GET <base>/models``
are used. HTTP goes through :mod:`urllib.request` so the runtime gains no dependency.

Errors are classified once, here, so the batch job only has to decide *when* to retry:

* :class:`RetryableError`: connection refused/reset, timeouts, HTTP 408/409/425/429 and 5xx
  (with the server's ``Retry-After`` in seconds, when it sent one);
* :class:`SourceError`: this sentence cannot be done (HTTP 400/413/422, e.g. too long for
  the context): recorded as failed, the batch goes on;
* :class:`FatalTeacherError`: no sentence can be done (HTTP 401/403/404: wrong key, wrong
  URL, unknown model): the batch stops at once instead of failing every sentence.

The model answers in whatever shape it likes despite the prompt (a JSON array, a numbered
list, bullets, a preamble, the source echoed back), so :func:`parse_paraphrases` accepts
all of them and returns clean, de-duplicated sentences.
"""

from __future__ import annotations

import email.utils
import json
import logging
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

#: Bump when the prompt changes: records carry it, so data from two prompts can be told apart.
PROMPT_VERSION = "paraphrase-list-v1"

SYSTEM_PROMPT = ("You rewrite English sentences. A paraphrase keeps the full meaning, every fact "
                 "and the register of the original, but uses different words and structure.")

USER_TEMPLATE = ("Write {k} different paraphrases of the sentence below. Make them diverse: vary "
                 "the vocabulary, the word order and the sentence structure. Keep names, numbers "
                 "and facts unchanged. Write normal English with capital letters and punctuation.\n"
                 "Reply with a JSON array of {k} strings and nothing else.\n\n"
                 "Sentence: {sentence}")

RETRYABLE_STATUS = frozenset({408, 409, 425, 429}) | frozenset(range(500, 600))
FATAL_STATUS = frozenset({401, 402, 403, 404, 405})


class TeacherError(Exception):
    """Base class of the errors a request can end in."""


class RetryableError(TeacherError):
    """Transient failure: the same request may succeed later."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SourceError(TeacherError):
    """This source cannot be paraphrased by this server (retrying will not help)."""


class FatalTeacherError(TeacherError):
    """The server, key or model is wrong: every source would fail, so the batch stops."""


def build_messages(sentence: str, k: int) -> list[dict[str, str]]:
    """The chat messages asking for ``k`` paraphrases of ``sentence``."""
    return [{"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": USER_TEMPLATE.format(k=k, sentence=sentence)}]


def endpoint(base_url: str, path: str) -> str:
    """``path`` (``chat/completions`` or ``models``) under an OpenAI-style base URL.

    Users paste base URLs in every form: ``http://host:8080``, ``…/v1``, ``…/v1/`` or the full
    ``…/v1/chat/completions``; all of them resolve to the same endpoint.
    """
    url = base_url.strip().rstrip("/")
    for suffix in ("/chat/completions", "/models"):
        if url.endswith(suffix):
            url = url[: -len(suffix)]
    if not urllib.parse.urlsplit(url).path:
        url += "/v1"
    return f"{url}/{path}"


def host_of(base_url: str) -> str:
    """``host[:port]`` of a URL, without credentials: what records and logs may show."""
    parts = urllib.parse.urlsplit(base_url if "//" in base_url else f"//{base_url}")
    host = parts.hostname or ""
    return f"{host}:{parts.port}" if parts.port else host


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass
class Completion:
    """One answer from the server."""

    text: str
    model: str
    finish_reason: str | None = None
    usage: dict[str, Any] = field(default_factory=dict)


@dataclass
class ChatClient:
    """Minimal OpenAI chat-completions client (stdlib only, thread-safe: no shared state).

    The API key is sent as a bearer token and never logged or put in an exception message.
    """

    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 120.0
    temperature: float = 0.9
    top_p: float | None = 0.95
    max_tokens: int = 512
    seed: int | None = None

    def _request(self, url: str, payload: dict[str, Any] | None) -> dict[str, Any]:
        headers = {"Accept": "application/json", "User-Agent": "paraphrase-studio-distill"}
        data = None
        if payload is not None:
            data = json.dumps(payload).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = self._redact(_error_detail(exc))
            message = f"HTTP {exc.code} from {host_of(url)}: {detail}"
            if exc.code in RETRYABLE_STATUS:
                raise RetryableError(message, parse_retry_after(exc.headers.get("Retry-After"))) from None
            if exc.code in FATAL_STATUS:
                raise FatalTeacherError(message) from None
            raise SourceError(message) from None
        except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RetryableError(f"cannot reach {host_of(url)}: {self._redact(str(reason))}") from None
        try:
            return json.loads(body)
        except ValueError:
            # A proxy's HTML error page or a half-sent body: worth another try.
            raise RetryableError(f"non-JSON answer from {host_of(url)}: {body[:120]!r}") from None

    def _redact(self, text: str) -> str:
        return text.replace(self.api_key, "***") if self.api_key else text

    def list_models(self) -> list[str]:
        """Model ids the server offers (``GET /v1/models``)."""
        data = self._request(endpoint(self.base_url, "models"), None)
        return [str(m.get("id")) for m in data.get("data", []) if isinstance(m, dict) and m.get("id")]

    def complete(self, messages: list[dict[str, str]], seed: int | None = None) -> Completion:
        """One chat completion; raises a :class:`TeacherError` subclass on failure.

        ``seed`` overrides :attr:`seed` (a retry after an unusable answer must not ask for
        the very same sample again).
        """
        payload: dict[str, Any] = {"model": self.model, "messages": messages,
                                   "temperature": self.temperature, "max_tokens": self.max_tokens}
        if self.top_p is not None:
            payload["top_p"] = self.top_p
        seed = self.seed if seed is None else seed
        if seed is not None:
            payload["seed"] = seed
        data = self._request(endpoint(self.base_url, "chat/completions"), payload)
        try:
            choice = data["choices"][0]
            text = choice["message"].get("content") or ""
        except (KeyError, IndexError, TypeError, AttributeError):
            raise RetryableError(f"unexpected answer shape: {json.dumps(data)[:200]}") from None
        return Completion(text=text, model=str(data.get("model") or self.model),
                          finish_reason=choice.get("finish_reason"), usage=dict(data.get("usage") or {}))


def _error_detail(exc: urllib.error.HTTPError) -> str:
    try:
        body = exc.read().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - the status code alone is still a useful message
        return exc.reason if isinstance(exc.reason, str) else ""
    try:
        err = json.loads(body).get("error")
        if isinstance(err, dict):
            return str(err.get("message") or err)[:300]
        if err:
            return str(err)[:300]
    except (ValueError, AttributeError):
        pass
    return " ".join(body.split())[:300]


# ----------------------------------------------------------------------------- parsing

_FENCE = re.compile(r"```[a-zA-Z]*\s*\n?(.*?)```", re.S)
_MARKER = re.compile(r"^\s*(?:\(?\d{1,2}\s*[.):\]]|\(\d{1,2}\)|[-*\u2022\u00b7\u2013\u2014+>])\s*")
_HEADING = re.compile(r"^\s*#{1,6}\s")
_BARE_LABEL = re.compile(r"^[\s#*\-\d.)]*(?:paraphrase|option|version|variant|alternative|rewrite|sentence)s?"
                         r"\s*#?\s*\d{1,2}\s*[:.)\-\u2013]?[\s*]*$", re.I)
_LABEL = re.compile(r"^\s*(?:\*\*)?(?:paraphrase|option|version|variant|alternative|rewrite|sentence)"
                    r"\s*#?\s*\d{0,2}\s*(?:\*\*)?\s*[:.)\-\u2013]\s*(?:\*\*)?\s*", re.I)
_INLINE_NUMBERED = re.compile(r"(?:^|\s)(\d{1,2})[.)]\s+")
_PREAMBLE = re.compile(r"^(?:(?:sure|certainly|of course|okay|ok|absolutely)\b[\s,!.]|"
                       r"(?:here|below) (?:are|is)\b.*\b(?:paraphras|version|rewrit|alternativ|sentence|option)|"
                       r"the following\b|i hope\b|i've\b|i have (?:written|provided|created)|let me\b|"
                       r"(?:note|original(?: sentence)?|input|source|sentence|paraphrases)\s*:|json\b)", re.I)
# Broken or nested JSON read line by line: keys, brackets, ellipses (not sentences).
_JSON_FRAGMENT = re.compile(r'^\s*(?:[\[\]{}]|"[^"]*"\s*:|\.\.\.\s*$|```)|[\[{]\s*$|==>')
_META = re.compile(r"\b(?:json|paraphras\w*|rewritten|the (?:original|given|above|following) (?:sentence|text)|"
                   r"this (?:sentence|version|rewrite)|the sentence (?:was|is))\b", re.I)
_BOUNDARY_APOSTROPHE = re.compile(r"(?:^|\s)'|'(?:\s|$)")
_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb", "`": "`"}
_ARRAY_OPENING = re.compile(r'(?m)^\s*\[\s*"')
_JSON_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_NORM = re.compile(r"[^0-9a-z]+")


def _norm(text: str) -> str:
    return " ".join(_NORM.split(text.lower())).strip()


def clean_item(text: str) -> str:
    """One candidate without list markers, labels, markdown emphasis or wrapping quotes."""
    text = " ".join(text.split())
    for _ in range(3):  # "1. **Paraphrase 1:** "text"" needs several passes
        before = text
        text = _MARKER.sub("", text, count=1) if _MARKER.match(text) and not _is_number_start(text) else text
        text = _LABEL.sub("", text, count=1)
        if text.startswith("**") and text.endswith("**") and len(text) > 4:
            text = text[2:-2].strip()
        text = text.strip().rstrip(",").strip()
        if len(text) >= 2 and text[0] in _QUOTES and text[-1] == _QUOTES[text[0]]:
            inner = text[1:-1]
            if (text[0] == "'" and not _BOUNDARY_APOSTROPHE.search(inner)) or \
                    (text[0] != "'" and text[0] not in inner):
                text = inner.strip()
        if text == before:
            break
    return text


def _is_number_start(text: str) -> bool:
    """``1990 was…`` or ``3.5 million…`` start with a number, not a list marker."""
    return bool(re.match(r"^\s*\d+(?:[.,:]\d+|\d{2,})", text))


def _json_candidates(text: str) -> list[str] | None:
    """Strings from a JSON array (or ``{"paraphrases": [...]}``) inside ``text``, or None."""
    start = text.find("[")
    obj_start = text.find("{")
    if obj_start != -1 and (start == -1 or obj_start < start):
        end = text.rfind("}")
        if end > obj_start:
            data = _json_or_none(text[obj_start:end + 1])
            if isinstance(data, dict):
                for value in data.values():
                    if isinstance(value, list):
                        return _strings(value)
    if start == -1:
        return None
    end = text.rfind("]")
    if end > start:
        data = _json_or_none(text[start:end + 1])
        if isinstance(data, list):
            return _strings(data)
    # A truncated array (max_tokens hit) or one with a stray comment: take the complete strings,
    # but only where the answer *is* an array (a list item may contain brackets and quotes).
    opening = _ARRAY_OPENING.search(text)
    if opening is None:
        return None
    tail = text[opening.start():]
    found = []
    for m in _JSON_STRING.finditer(tail):
        try:
            found.append(json.loads(f'"{m.group(1)}"'))
        except ValueError:
            continue
    return found or None


def _json_or_none(fragment: str) -> Any:
    """``fragment`` parsed as JSON, or None: a model's "JSON" is often only JSON-shaped."""
    try:
        return json.loads(fragment)
    except ValueError:
        return None


def _strings(items: list[Any]) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            for key in ("paraphrase", "text", "sentence", "content"):
                if isinstance(item.get(key), str):
                    out.append(item[key])
                    break
    return out


def _split_inline(line: str) -> list[str]:
    """``1. A. 2. B. 3. C.`` on one line -> three items (only for a 1, 2, 3… sequence)."""
    matches = list(_INLINE_NUMBERED.finditer(line))
    numbers = [int(m.group(1)) for m in matches]
    if len(matches) < 2 or numbers != list(range(1, len(numbers) + 1)) or matches[0].start() > 0:
        return [line]
    bounds = [m.start() for m in matches] + [len(line)]
    return [line[bounds[i]:bounds[i + 1]] for i in range(len(matches))]


def _line_candidates(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and line not in ("[", "]") and not line.startswith("```")]
    if len(lines) == 1:
        lines = _split_inline(lines[0])
    items: list[tuple[str, bool]] = []   # (line, is a list item)
    labelled = False                      # the previous line was a bare "Paraphrase 2:" label
    for line in lines:
        if _BARE_LABEL.match(line):
            labelled = True
            continue
        if _HEADING.match(line):
            continue
        marked = bool(_MARKER.match(line) and not _is_number_start(line) or _LABEL.match(line))
        items.append((line, marked or labelled))
        labelled = False
    marked_lines = [line for line, marked in items if marked]
    # With a list present, unmarked lines are preambles, epilogues or notes.
    if marked_lines and len(marked_lines) >= len(items) / 3:
        return marked_lines
    return [line for line, _ in items]


def parse_paraphrases(text: str, source: str | None = None, k: int | None = None,
                      min_words: int = 2) -> list[str]:
    """Clean paraphrases out of a model's answer, in the order given.

    Drops preambles ("Here are 5 paraphrases:"), notes, blank lines, list markers, labels,
    wrapping quotes, echoes of ``source`` and duplicates (compared without case and
    punctuation); keeps at most ``k``.
    """
    text = text.replace("\r\n", "\n").strip()
    fenced = _FENCE.search(text)
    if fenced and fenced.group(1).strip():
        text = fenced.group(1).strip()
    candidates = _json_candidates(text)
    if not candidates:
        candidates = _line_candidates(text)
    seen = {_norm(source)} if source else set()
    meta_ok = bool(source and _META.search(source))
    out: list[str] = []
    for raw in candidates:
        if _JSON_FRAGMENT.search(str(raw)):
            continue
        item = clean_item(str(raw))
        if not item or item.endswith(":") or _PREAMBLE.match(item):
            continue
        if not meta_ok and _META.search(item):  # talk about the task, not a paraphrase
            continue
        if len(item.split()) < min_words:
            continue
        key = _norm(item)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(item)
        if k is not None and len(out) >= k:
            break
    return out
