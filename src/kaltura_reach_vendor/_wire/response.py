"""Decoding api_v3 JSON answers (reference §1.5, §1.6; AUTH-8).

A single call's body *is* its result: an object with ``objectType``, a bare string (a KS),
a number, or ``null``. Errors come as HTTP 200 with ``objectType: KalturaAPIException``
and become typed exceptions. A body that is not JSON becomes, with an HTTP error status (an
HTML 502 page from a proxy), an :class:`~kaltura_reach_vendor.errors.HTTPStatusError` (5xx
stay retryable); with a 2xx status (a body cut short, a maintenance page, JSON nested too
deeply to read) a :class:`~kaltura_reach_vendor.errors.ResponseDecodingError`. Excerpts of
such bodies in messages are masked first and cut afterwards, so no part of a secret shows.
"""

from __future__ import annotations

import json
import reprlib
from collections.abc import Mapping
from typing import Any

from .._secrets import mask_prefix
from ..errors import (
    ApiError,
    HTTPStatusError,
    ResponseDecodingError,
    ResponseValidationError,
    api_error_from,
)

__all__ = ["API_EXCEPTION", "decode_multirequest", "decode_response", "error_from_object"]

API_EXCEPTION = "KalturaAPIException"
_SNIPPET = 200


def _is_exception(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get("objectType") == API_EXCEPTION


def error_from_object(
    obj: Mapping[str, Any], *, service: str | None = None, action: str | None = None
) -> ApiError:
    """The typed exception for a ``KalturaAPIException`` object.

    Kaltura sends a string ``code`` and ``message``; anything else (a server or proxy that
    garbles them) still gives an :class:`ApiError`, never a crash.
    """
    code = obj.get("code")
    if isinstance(code, int) and not isinstance(code, bool):
        code = str(code)
    message = obj.get("message")
    return api_error_from(
        code if isinstance(code, str) and code else "UNKNOWN_ERROR",
        "" if message is None else message if isinstance(message, str) else _short(message),
        obj.get("args"),
        service=service,
        action=action,
    )


def _short(value: Any) -> str:
    """A bounded text for a value of the wrong type (depth and length limited)."""
    return reprlib.repr(value)


def _where(service: str | None, action: str | None) -> str:
    if not service:
        return "request"
    return f"{service}.{action}" if action else service


def _status_error(
    status: int, detail: str, service: str | None, action: str | None
) -> HTTPStatusError:
    return HTTPStatusError(
        f"{_where(service, action)}: HTTP {status}{detail}",
        status_code=status,
        service=service,
        action=action,
    )


def _excerpt(body: bytes) -> str:
    """The start of a bad body for an error message: masked first, then cut (AUTH-9)."""
    return mask_prefix(body, _SNIPPET)


def _not_json(
    status: int, body: bytes, why: str, service: str | None, action: str | None
) -> ResponseDecodingError | HTTPStatusError:
    snippet = _excerpt(body)
    if 200 <= status < 300:
        return ResponseDecodingError(
            f"{_where(service, action)}: HTTP {status} answer {why}: {snippet!r}",
            status_code=status,
            body=snippet,
        )
    return _status_error(status, f", not a JSON response: {snippet!r}", service, action)


def _parse(status: int, body: bytes, *, service: str | None, action: str | None) -> Any:
    text = body.strip()
    if not text:
        if not 200 <= status < 300:
            raise _status_error(status, " with an empty body", service, action)
        where = _where(service, action)
        raise ResponseDecodingError(
            f"{where}: empty response body (HTTP {status})", status_code=status
        )
    try:
        return json.loads(text)
    except RecursionError:
        why = "is JSON nested too deeply to read"
        raise _not_json(status, text, why, service, action) from None
    except ValueError:  # includes UnicodeDecodeError and json.JSONDecodeError
        why = "is not JSON (cut short, or an HTML page?)"
        raise _not_json(status, text, why, service, action) from None


def decode_response(
    status: int, body: bytes, *, service: str | None = None, action: str | None = None
) -> Any:
    """The result of one call, or raise its typed error."""
    value = _parse(status, body, service=service, action=action)
    if _is_exception(value):
        raise error_from_object(value, service=service, action=action)
    if status >= 400:
        raise _status_error(status, "", service, action)
    return value


def decode_multirequest(status: int, body: bytes, names: list[tuple[str, str]]) -> list[Any]:
    """The results of a multirequest, in order; a failed item is an :class:`ApiError` object.

    ``names`` gives each sub-call's ``(service, action)`` so errors say where they came from.
    If the whole request failed (a bad top-level KS), the error is raised instead.
    """
    value = decode_response(status, body, service="multirequest", action=None)
    if not isinstance(value, list):
        raise ResponseValidationError(
            f"multirequest: expected a list of {len(names)} results, got {type(value).__name__}",
            body=None,
        )
    if len(value) != len(names):
        raise ResponseValidationError(
            f"multirequest: sent {len(names)} calls but got {len(value)} results"
        )
    results: list[Any] = []
    for item, (service, action) in zip(value, names, strict=False):
        if _is_exception(item):
            results.append(error_from_object(item, service=service, action=action))
        else:
            results.append(item)
    return results
