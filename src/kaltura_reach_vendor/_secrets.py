"""Masking of secrets (AUTH-9).

Secrets are KS strings (vendor sessions and task access keys), app tokens, admin secrets,
caption tokens and URL-resource headers. Three defences work together, each usable alone:

* every secret the SDK handles is *registered* here (:func:`register_secret`), and
  :func:`mask` replaces each registered value wherever it appears in a text;
* patterns catch secrets the SDK never registered or has already forgotten (a KS echoed back
  by the server inside an ``INVALID_KS`` message, a ``ks=...`` query parameter, an
  ``Authorization`` header, the password of a ``https://user:pw@host`` URL);
* :func:`mask_value` masks whole values under secret-named keys (``ks``, ``secret``,
  ``urlHeaders``...) in the parameters the SDK logs.

:func:`mask` is applied to every log record of the ``kaltura_reach_vendor``, ``httpx`` and
``httpcore`` loggers and to every exception message; reprs of objects holding secrets use
:func:`redact`.

Cost. Masking never depends on how many secrets are registered: a registered secret of
``_LONG_LEN`` characters or more is indexed by the ``_WINDOW``-character windows of its last
``_LONG_LEN`` characters, and :func:`mask` looks up one window every ``_WINDOW`` characters
of the text (one dict lookup each: any occurrence of such a secret covers exactly one of
those positions). Shorter secrets (rare: test credentials) live in a small capped set
matched by one compiled pattern rebuilt when it changes. The registry is bounded
(:data:`DEFAULT_CAPACITY` secrets, least recently registered dropped first) and secrets
leave with their session or task (:func:`forget_secret`); a dropped KS is still caught by
the patterns. Reads take no lock: writers swap immutable buckets under one.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "DEFAULT_CAPACITY",
    "DEFAULT_LONG_LIVED_CAPACITY",
    "MASK",
    "Masked",
    "SecretRegistry",
    "forget_secret",
    "mask",
    "mask_patterns",
    "mask_prefix",
    "mask_url",
    "mask_value",
    "masked",
    "redact",
    "register_secret",
]

MASK = "***"

# A registered value of at least this length is masked wherever it appears, even inside a
# word; a shorter one only as a whole token, so that a 3-letter secret cannot shred prose.
_MIN_SECRET_LEN = 6
# Window length of the index, and the shortest secret the index holds (2 * _WINDOW - 1: its
# last _LONG_LEN characters hold _WINDOW windows, one of which starts at a multiple of
# _WINDOW in any text that contains it).
_WINDOW = 8
_LONG_LEN = 2 * _WINDOW - 1
#: Most secrets remembered at once (least recently registered dropped first).
DEFAULT_CAPACITY = 4096
#: Most long-lived secrets (credentials: app tokens, admin secrets), kept apart from the
#: per-session and per-task keys so that a busy worker never pushes them out.
DEFAULT_LONG_LIVED_CAPACITY = 256
# Most secrets shorter than _LONG_LEN (each costs a little on every mask() call).
_SMALL_CAPACITY = 64
_WORD = "A-Za-z0-9_"


class SecretRegistry:
    """A bounded, thread-safe set of secret values and the index :meth:`spans` reads."""

    def __init__(
        self,
        capacity: int = DEFAULT_CAPACITY,
        long_lived_capacity: int = DEFAULT_LONG_LIVED_CAPACITY,
    ) -> None:
        self._lock = threading.Lock()
        self.capacity = capacity
        self.long_lived_capacity = long_lived_capacity
        # Insertion (re-registration) order: the first entry is dropped first.
        self._pools: tuple[OrderedDict[str, None], OrderedDict[str, None]] = (
            OrderedDict(),  # per-session and per-task secrets
            OrderedDict(),  # credentials
        )
        # window -> the secrets holding it among their last _LONG_LEN characters
        self._index: dict[str, tuple[str, ...]] = {}
        self._small: OrderedDict[str, None] = OrderedDict()
        # The pattern of the short secrets and the values (a cheap pre-check), swapped as one.
        self._small_match: tuple[re.Pattern[str], tuple[str, ...]] | None = None
        #: High-water mark of registered lengths (see :func:`mask_prefix`).
        self.longest = 0

    # -- writing (under the lock) -----------------------------------------------------------
    def add(self, value: str | None, *, long_lived: bool = False) -> None:
        """Remember ``value`` (refreshing its age if it is known already)."""
        if not value or not isinstance(value, str):
            return
        with self._lock:
            sessions, credentials = self._pools
            pool = credentials if long_lived else sessions
            if value in pool:
                pool.move_to_end(value)
                return
            if value in credentials:  # a credential stays a credential
                credentials.move_to_end(value)
                return
            if value in sessions:  # promoted to a credential: already indexed
                del sessions[value]
                credentials[value] = None
            else:
                pool[value] = None
                self.longest = max(self.longest, len(value))
                if len(value) >= _LONG_LEN:
                    self._index_add(value)
                else:
                    self._small[value] = None
                    while len(self._small) > _SMALL_CAPACITY:
                        self._drop(next(iter(self._small)))
                    self._rebuild_small()
            limit = self.long_lived_capacity if long_lived else self.capacity
            while len(pool) > limit:
                self._drop(next(iter(pool)))

    def discard(self, value: str | None) -> None:
        """Forget ``value``; unknown values are ignored."""
        if not value or not isinstance(value, str):
            return
        with self._lock:
            self._drop(value)

    def clear(self) -> None:
        with self._lock:
            for pool in self._pools:
                pool.clear()
            self._index = {}
            self._small.clear()
            self._small_match = None
            self.longest = 0

    def _drop(self, value: str) -> None:
        pool = next((p for p in self._pools if value in p), None)
        if pool is None:
            return
        del pool[value]
        if len(value) >= _LONG_LEN:
            self._index_remove(value)
        else:
            del self._small[value]
            self._rebuild_small()

    @staticmethod
    def _windows(value: str) -> set[str]:
        start = len(value) - _LONG_LEN
        return {value[offset : offset + _WINDOW] for offset in range(start, start + _WINDOW)}

    def _index_add(self, value: str) -> None:
        index = self._index
        for key in self._windows(value):
            index[key] = (*index.get(key, ()), value)

    def _index_remove(self, value: str) -> None:
        index = self._index
        for key in self._windows(value):
            bucket = tuple(secret for secret in index.get(key, ()) if secret != value)
            if bucket:
                index[key] = bucket
            else:
                index.pop(key, None)

    def _rebuild_small(self) -> None:
        if not self._small:
            self._small_match = None
            return
        alternatives = []
        for value in sorted(self._small, key=len, reverse=True):  # longest wins
            literal = re.escape(value)
            if len(value) < _MIN_SECRET_LEN:  # a whole token only
                literal = f"(?<![{_WORD}]){literal}(?![{_WORD}])"
            alternatives.append(literal)
        # Inside a lookahead, so that overlapping occurrences are all found.
        pattern = re.compile("(?=(" + "|".join(alternatives) + "))")
        self._small_match = (pattern, tuple(self._small))

    # -- reading (no lock: buckets and the small pattern are swapped, never mutated) --------
    def __len__(self) -> int:
        return sum(len(pool) for pool in self._pools)

    def __contains__(self, value: object) -> bool:
        return any(value in pool for pool in self._pools)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` of every occurrence of a registered secret in ``text``."""
        found: list[tuple[int, int]] = []
        index = self._index
        if index and len(text) >= _LONG_LEN:
            chunks = _CHUNK.findall(text)  # the windows at 0, _WINDOW, 2 * _WINDOW...
            if any(map(index.__contains__, chunks)):
                for i, chunk in enumerate(chunks):
                    for secret in index.get(chunk, ()):
                        found.extend(_occurrences(text, secret, chunk, i * _WINDOW))
        small = self._small_match
        if small is not None and any(map(text.__contains__, small[1])):
            for match in small[0].finditer(text):
                found.append((match.start(), match.start() + len(match.group(1))))
        return found

    def replace(self, text: str) -> str:
        """``text`` with every registered secret replaced by :data:`MASK`."""
        found = self.spans(text)
        if not found:
            return text
        found.sort()
        merged = [list(found[0])]
        for start, end in found[1:]:  # overlapping or touching secrets are masked as one
            if start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        out: list[str] = []
        done = 0
        for start, end in merged:
            out.append(text[done:start])
            out.append(MASK)
            done = end
        out.append(text[done:])
        return "".join(out)


def _occurrences(text: str, secret: str, chunk: str, at: int) -> Iterator[tuple[int, int]]:
    """Occurrences of ``secret`` in ``text`` whose indexed window is ``chunk`` at ``at``."""
    first = len(secret) - _LONG_LEN  # the windows start at first .. first + _WINDOW - 1
    offset = secret.find(chunk, first, first + _LONG_LEN)
    while 0 <= offset < first + _WINDOW:
        start = at - offset
        if start >= 0 and text.startswith(secret, start):
            yield start, start + len(secret)
        offset = secret.find(chunk, offset + 1, first + _LONG_LEN)


_CHUNK = re.compile(f".{{{_WINDOW}}}", re.DOTALL)

_registry = SecretRegistry()


def register_secret(value: str | None, *, long_lived: bool = False) -> None:
    """Remember ``value`` so that :func:`mask` hides it from now on.

    ``long_lived=True`` for credentials (app token, admin secret): they are kept in their own
    pool, so that thousands of task keys cannot push them out.
    """
    _registry.add(value, long_lived=long_lived)


def forget_secret(value: str | None) -> None:
    """Stop masking ``value`` as a registered secret (its session or task is over).

    Patterns still catch it if it looks like a KS.
    """
    _registry.discard(value)


def redact(value: str | None) -> str:
    """A short, safe stand-in for a secret in a repr: its kind hint and length only."""
    if value is None:
        return "None"
    hint = "djJ8" if value.startswith("djJ8") else ""
    return f"'{hint}{MASK}({len(value)} chars)'"


# -- patterns: secrets nobody registered ----------------------------------------------------
# A v2 KS is url-safe base64 starting with "djJ8" ("v2|"); a v1 KS is standard base64 of
# "<40 hex>|<partnerId>;..." (caught as a long base64 run).
_V2_KS = re.compile(r"djJ8[A-Za-z0-9_\-+/=]{8,}")
_LONG_BASE64 = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{60,}={0,2}")
# key=value and "key": "value" for secret-named keys. A value must follow at once (no
# whitespace after "=") unless it is quoted, and must hold a letter or digit, so that prose
# such as "give app_token= or admin_secret=" or "app_token=..." is left alone.
_KEY_NAMES = ("ks", "secret", "token", "tokenhash", "captiontoken", "mediakey", "password")
_KEYS = r"(?:\b" + "|".join(_KEY_NAMES) + ")"  # "\bks": not the end of "tasks"
_KEY_VALUE = re.compile(
    rf"""(?ix)
    (?=[kstcmp])(?P<key>{_KEYS}["']?\s*[:=])
    (?:
        (?P<space>\s*)
        (?: (?P<dq>")(?=[^"\n]*[a-z0-9])[^"\n]*" | (?P<sq>')(?=[^'\n]*[a-z0-9])[^'\n]*' )
      | (?=[^\s"'&,;}}]*[a-z0-9])[^\s"'&,;}}]+
    )
    """
)
# Cheap, case-sensitive pre-checks of _KEY_VALUE, run on the lower-cased text.
_KEY_VALUE_HINT = re.compile("(?:" + "|".join(_KEY_NAMES) + ")[\"']?\\s*[:=]")
_AUTHORIZATION = re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)([^\"'\r\n]+)")
_KS_PATH = re.compile(r"(?i)(/ks/)([^/\s?\"']+)")
# The password of a URL's userinfo: scheme://user:password@host (up to the last "@").
_USERINFO = re.compile(r"(://[^\s/?#@:]*):([^\s/?#]+)@")


def _key_value(match: re.Match[str]) -> str:
    quote = match.group("dq") or match.group("sq")
    if quote:
        return f"{match.group('key')}{match.group('space')}{quote}{MASK}{quote}"
    return match.group("key") + MASK


def mask_patterns(text: str) -> str:
    """Mask what looks like a secret in ``text`` (the pattern layer alone)."""
    if "djJ8" in text:
        text = _V2_KS.sub(MASK, text)
    text = _LONG_BASE64.sub(MASK, text)
    if "://" in text:
        text = _USERINFO.sub(lambda m: f"{m.group(1)}:{MASK}@", text)
    lower = text.lower()
    if any(map(lower.__contains__, _KEY_NAMES)) and _KEY_VALUE_HINT.search(lower):
        text = _KEY_VALUE.sub(_key_value, text)
    if "authorization" in lower:
        text = _AUTHORIZATION.sub(lambda m: m.group(1) + MASK, text)
    if "/ks/" in lower:
        text = _KS_PATH.sub(lambda m: m.group(1) + MASK, text)
    return text


def mask(text: str) -> str:
    """Return ``text`` with every registered secret and every secret-looking value masked."""
    if not text:
        return text
    return mask_patterns(_registry.replace(text))


def mask_prefix(text: str | bytes, limit: int) -> str:
    """The first ``limit`` characters of ``text``, masked *before* it is cut.

    Masking a cut text would show the head of a secret the cut made unrecognisable; masking
    the whole of a huge body would cost too much. A window past ``limit`` is masked; the
    head of a secret cut at the window's end sits in the window's last ``longest``
    characters, so the excerpt is safe once the masked window still reaches ``margin``
    characters past ``limit``. Masking shrinks text (every secret becomes ``***``): when the
    masked window is shorter than that, a window four times larger is tried, up to the
    whole text. Bytes are decoded as UTF-8.
    """
    margin = max(_registry.longest, 256)
    window = limit + margin
    while True:
        if isinstance(text, bytes):
            whole = len(text) <= 4 * window
            piece = text[: 4 * window].decode("utf-8", "replace")
        else:
            whole = len(text) <= window
            piece = text[:window]
        shown = mask(piece)
        if whole or len(shown) >= limit + margin:
            return shown[:limit]
        window *= 4


def mask_url(url: str) -> str:
    """``url`` with the password of its userinfo (``https://user:***@host``) and any secret
    in it masked: for reprs of a service URL."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # not a URL we can read: the patterns still apply
        return mask(url)
    if password:
        userinfo, _, hostport = parts.netloc.rpartition("@")
        user = userinfo.partition(":")[0]
        url = urlunsplit(parts._replace(netloc=f"{user}:{MASK}@{hostport}"))
    return mask(url)


def mask_value(value: Any) -> Any:
    """Mask secrets inside a JSON-like value (strings, lists, mappings), for logging.

    Costs a walk of ``value``: build it only when the record will be emitted (see
    :func:`masked`).
    """
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = str(key)
            if name.lower().replace("_", "") in _SECRET_KEYS:
                out[name] = MASK
            else:
                out[name] = mask_value(item)
        return out
    if isinstance(value, (list, tuple)):
        return [mask_value(item) for item in value]
    return value


class Masked:
    """A log argument that masks ``value`` only when the record is formatted.

    ``log.debug("params=%s", masked(params))`` costs one small object when DEBUG is off.
    """

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __str__(self) -> str:
        return str(mask_value(self.value))

    def __repr__(self) -> str:
        return repr(mask_value(self.value))


def masked(value: Any) -> Masked:
    """Wrap ``value`` for logging: :func:`mask_value` runs only if the record is emitted."""
    return Masked(value)


_SECRET_KEYS = frozenset(
    {
        "ks",
        "secret",
        "adminsecret",
        "token",
        "tokenhash",
        "accesskey",
        "captiontoken",
        "mediakey",
        "urlheaders",
        "authorization",
        "password",
    }
)
