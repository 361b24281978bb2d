"""Masking of secrets (AUTH-9).

Secrets are KS strings (vendor sessions and task access keys), app tokens, admin secrets,
caption tokens and URL-resource headers. Two defences work together:

* every secret the SDK handles is *registered* here, and :func:`mask` replaces each
  registered value wherever it appears in a text;
* patterns catch secrets the SDK never registered (a KS echoed back by the server inside an
  ``INVALID_KS`` message, a ``ks=...`` query parameter, an ``Authorization`` header).

:func:`mask` is applied to every log record of the ``kaltura_reach_vendor`` logger and to
every exception message, and reprs of objects holding secrets use :func:`redact`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any

__all__ = ["MASK", "mask", "mask_value", "redact", "register_secret"]

MASK = "***"

# Known secret values; a set of strings guarded by a lock (clients may live in threads).
_known: set[str] = set()
_lock = threading.Lock()
# Shortest value worth registering: masking a 2-letter "secret" would shred every log line.
_MIN_SECRET_LEN = 6

# A v2 KS is url-safe base64 starting with "djJ8" ("v2|"); a v1 KS is standard base64 of
# "<40 hex>|<partnerId>;..." which starts with the base64 of hex digits. Long base64 runs
# after "ks" keys are also caught.
_PATTERNS = [
    re.compile(r"djJ8[A-Za-z0-9_\-+/=]{8,}"),
    re.compile(
        r"(?i)((?:\bks|secret|token|tokenhash|captiontoken|mediakey|password)"
        r"[\"']?\s*[:=]\s*[\"']?)([^\s\"'&,;}]+)"
    ),
    re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)([^\"'\r\n]+)"),
    re.compile(r"(?i)(/ks/)([^/\s?\"']+)"),
    re.compile(r"[A-Za-z0-9+/]{60,}={0,2}"),
]


def register_secret(value: str | None) -> None:
    """Remember ``value`` so that :func:`mask` hides it from now on."""
    if value and len(value) >= _MIN_SECRET_LEN:
        with _lock:
            _known.add(value)


def redact(value: str | None) -> str:
    """A short, safe stand-in for a secret in a repr: its kind hint and length only."""
    if value is None:
        return "None"
    hint = "djJ8" if value.startswith("djJ8") else ""
    return f"'{hint}{MASK}({len(value)} chars)'"


def mask(text: str) -> str:
    """Return ``text`` with every known secret and every secret-looking value masked."""
    if not text:
        return text
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        if pattern.groups == 2:
            text = pattern.sub(lambda m: m.group(1) + MASK, text)
        else:
            text = pattern.sub(MASK, text)
    return text


def mask_value(value: Any) -> Any:
    """Mask secrets inside a JSON-like value (strings, lists, mappings), for logging."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if str(key).lower() in _SECRET_KEYS:
                out[str(key)] = MASK
            else:
                out[str(key)] = mask_value(item)
        return out
    if isinstance(value, (list, tuple)):
        return [mask_value(item) for item in value]
    return value


_SECRET_KEYS = frozenset(
    {
        "ks",
        "secret",
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
