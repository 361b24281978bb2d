"""Building the HTTP request for one call or a multirequest (reference §1.1, §1.2, §1.6).

Bodies are JSON with ``Content-Type: application/json`` exactly: the server ignores a JSON
body whose content type carries a ``; charset=`` suffix (§1.2). Uploads are multipart with
the parameters in the ``json`` field and each file as its own part (``{N}:fileData`` inside a
multirequest). Every request carries ``format=1`` (JSON answers, AUTH-8) and ``clientTag``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from .call import ApiCall, FilePart
from .params import to_wire

__all__ = ["JSON_CONTENT_TYPE", "build_multirequest", "build_request", "call_url"]

JSON_CONTENT_TYPE = "application/json"
RESPONSE_FORMAT_JSON = 1


def call_url(service_url: str, service: str, action: str | None) -> str:
    base = service_url.rstrip("/")
    if action is None:
        return f"{base}/api_v3/service/{service}"
    return f"{base}/api_v3/service/{service}/action/{action}"


def _common(ks: str | None, client_tag: str) -> dict[str, Any]:
    common: dict[str, Any] = {"format": RESPONSE_FORMAT_JSON, "clientTag": client_tag}
    if ks:
        common["ks"] = ks
    return common


def _encode(
    url: str, body: Mapping[str, Any], files: Sequence[tuple[str, FilePart]]
) -> httpx.Request:
    payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if not files:
        return httpx.Request(
            "POST",
            url,
            content=payload,
            headers={"Content-Type": JSON_CONTENT_TYPE, "Accept": JSON_CONTENT_TYPE},
        )
    parts = [(name, (f.filename, f.content, f.content_type)) for name, f in files]
    return httpx.Request(
        "POST",
        url,
        data={"json": payload.decode("utf-8")},
        files=parts,
        headers={"Accept": JSON_CONTENT_TYPE},
    )


def build_request(
    service_url: str, call: ApiCall, *, ks: str | None, client_tag: str
) -> httpx.Request:
    """The POST for one call: its parameters plus ``ks``, ``format=1`` and ``clientTag``."""
    body = to_wire(call.params)
    body.update(_common(ks, client_tag))
    return _encode(call_url(service_url, call.service, call.action), body, list(call.files.items()))


def build_multirequest(
    service_url: str,
    calls: Sequence[tuple[ApiCall, str | None, str]],
    *,
    ks: str | None,
    client_tag: str,
) -> httpx.Request:
    """One POST to ``service/multirequest`` with the sub-calls keyed ``1``, ``2``, ...

    Each entry of ``calls`` is ``(call, ks, client_tag)``: a sub-call may carry its own KS
    (an access key) and client tag; top-level ``ks``/``clientTag`` fill in for the rest.
    """
    body: dict[str, Any] = _common(ks, client_tag)
    files: list[tuple[str, FilePart]] = []
    for number, (call, sub_ks, sub_tag) in enumerate(calls, start=1):
        sub = to_wire(call.params)
        sub["service"] = call.service
        sub["action"] = call.action
        if sub_ks and sub_ks != ks:
            sub["ks"] = sub_ks
        if sub_tag != client_tag:
            sub["clientTag"] = sub_tag
        body[str(number)] = sub
        files.extend((f"{number}:{name}", part) for name, part in call.files.items())
    return _encode(call_url(service_url, "multirequest", None), body, files)
