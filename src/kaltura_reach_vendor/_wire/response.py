"""Decoding api_v3 JSON answers (reference §1.5, §1.6; AUTH-8).

A single call's body *is* its result: an object with ``objectType``, a bare string (a KS),
a number, or ``null``. Errors come as HTTP 200 with ``objectType: KalturaAPIException``
and become typed exceptions. Anything that is not JSON (an HTML 502 page from a proxy)
becomes an :class:`~kaltura_reach_vendor.errors.HTTPStatusError` with the HTTP status.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .._secrets import mask
from ..errors import ApiError, HTTPStatusError, ResponseValidationError, api_error_from

__all__ = ["API_EXCEPTION", "decode_multirequest", "decode_response", "error_from_object"]

API_EXCEPTION = "KalturaAPIException"
_SNIPPET = 200


def _is_exception(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get("objectType") == API_EXCEPTION


def error_from_object(
    obj: Mapping[str, Any], *, service: str | None = None, action: str | None = None
) -> ApiError:
    """The typed exception for a ``KalturaAPIException`` object."""
    code = obj.get("code")
    message = obj.get("message")
    return api_error_from(
        str(code) if code is not None else "UNKNOWN_ERROR",
        str(message) if message is not None else "",
        obj.get("args"),
        service=service,
        action=action,
    )


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


def _parse(status: int, body: bytes, *, service: str | None, action: str | None) -> Any:
    text = body.strip()
    if not text:
        if status >= 400:
            raise _status_error(status, " with an empty body", service, action)
        where = _where(service, action)
        raise ResponseValidationError(f"{where}: empty response body (HTTP {status})")
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError):
        snippet = mask(text[:_SNIPPET].decode("utf-8", "replace"))
        detail = f", not a JSON response: {snippet!r}"
        raise _status_error(status, detail, service, action) from None


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
