"""A scripted stand-in for api_v3, for unit tests of the foundation (no sockets).

``FakeKaltura`` answers through ``httpx.MockTransport``, which serves both ``httpx.Client``
and ``httpx.AsyncClient``; ``Runner`` lets one test body drive either client, so every
behaviour is proven for ``ReachClient`` and ``AsyncReachClient`` alike.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import AppToken, AsyncReachClient, ReachClient, RetryPolicy

VENDOR_PID = 5000
APP_TOKEN = AppToken("1_apptokenid", "0123456789abcdef0123456789abcdef", "SHA256")
ADMIN_SECRET = "vendor-admin-secret-7f3a9c"


def v2_ks(partner_id: int, tail: str) -> str:
    raw = f"v2|{partner_id}|".encode() + tail.encode()
    return base64.urlsafe_b64encode(raw).decode()


WIDGET_KS = v2_ks(VENDOR_PID, "widget-session-bytes")
VENDOR_KS = v2_ks(VENDOR_PID, "vendor-session-bytes-1")
VENDOR_KS_2 = v2_ks(VENDOR_PID, "vendor-session-bytes-2")
ACCESS_KEY = v2_ks(1001, "task-access-key-bytes")

Handler = Callable[[str, str, dict[str, Any], httpx.Request], Any]


class FakeKaltura:
    """Records every request and answers from ``routes`` (``"service.action"`` → handler)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.bodies: list[dict[str, Any]] = []
        self.routes: dict[str, Any] = {}
        self.vendor_keys = [VENDOR_KS, VENDOR_KS_2]
        self.sessions_started = 0
        self.now = 1_900_000_000.0

    # default session behaviour: app-token flow
    def _session(self, name: str, body: dict[str, Any]) -> Any:
        if name == "session.startwidgetsession":
            return {"objectType": "KalturaStartWidgetSessionResponse", "ks": WIDGET_KS}
        if name in {"apptoken.startsession", "session.start"}:
            ks = self.vendor_keys[min(self.sessions_started, len(self.vendor_keys) - 1)]
            self.sessions_started += 1
            if name == "session.start":
                return ks
            return {"objectType": "KalturaSessionInfo", "ks": ks, "expiry": self.now + 86400}
        return None

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        body = parse_body(request)
        self.bodies.append(body)
        path = request.url.path.split("/")
        service = path[path.index("service") + 1].lower()
        action = path[path.index("action") + 1].lower() if "action" in path else ""
        name = f"{service}.{action}" if action else service
        route = self.routes.get(name)
        if route is None:
            answer = self._session(name, body)
        else:
            answer = route(body, request) if callable(route) else route
        if isinstance(answer, httpx.Response):
            return answer
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(200, json=answer)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def names(self) -> list[str]:
        out = []
        for r in self.requests:
            parts = r.url.path.split("/")
            out.append(".".join(parts[parts.index("service") + 1 :: 2]))
        return out


def parse_body(request: httpx.Request) -> dict[str, Any]:
    ctype = request.headers.get("content-type", "")
    if ctype == "application/json":
        parsed: dict[str, Any] = json.loads(request.content)
        return parsed
    if ctype.startswith("multipart/form-data"):
        text = request.content.decode("latin-1")
        marker = 'name="json"\r\n\r\n'
        start = text.index(marker) + len(marker)
        end = text.index("\r\n--", start)
        parsed = json.loads(text[start:end].encode("latin-1").decode("utf-8"))
        parsed["__multipart__"] = text
        return parsed
    raise AssertionError(f"unexpected content type {ctype!r}")


class Runner:
    """Builds a sync or async client on a FakeKaltura and runs a method to its result."""

    def __init__(self, kind: str, fake: FakeKaltura) -> None:
        self.kind = kind
        self.fake = fake

    def client(self, **kwargs: Any) -> Any:
        options: dict[str, Any] = {
            "vendor_partner_id": VENDOR_PID,
            "vendor_name": "acme",
            "app_version": "2.3.1",
            "service_url": "https://reach.test",
            "retry": RetryPolicy(max_attempts=3, backoff=0.0, jitter=0.0),
        }
        if "admin_secret" not in kwargs:
            options["app_token"] = APP_TOKEN
        options.update(kwargs)
        if self.kind == "sync":
            return ReachClient(http_client=httpx.Client(transport=self.fake.transport()), **options)
        return AsyncReachClient(
            http_client=httpx.AsyncClient(transport=self.fake.transport()), **options
        )

    def run(self, client: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(client, method)(*args, **kwargs)
        if self.kind == "async":
            return asyncio.run(result)
        return result


@pytest.fixture
def fake() -> FakeKaltura:
    return FakeKaltura()


@pytest.fixture(params=["sync", "async"])
def runner(request: pytest.FixtureRequest, fake: FakeKaltura) -> Runner:
    return Runner(request.param, fake)


def api_exception(code: str, message: str, args: Any = None) -> dict[str, Any]:
    return {
        "objectType": "KalturaAPIException",
        "code": code,
        "message": message,
        "args": [] if args is None else args,
    }
