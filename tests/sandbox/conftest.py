"""Fixtures: a demo sandbox, and a tiny plain-httpx api_v3 caller (no SDK code)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor.sandbox import Sandbox


def flatten(params: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Nested dict → PHP bracket-syntax form pairs."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, dict):
            pairs.extend(flatten(value, name))
        elif isinstance(value, list):
            pairs.extend(flatten({str(i): v for i, v in enumerate(value)}, name))
        elif value is None:
            continue
        else:
            pairs.append((name, str(value)))
    return pairs


class Api:
    """Calls the sandbox with plain httpx; form-encoded unless told otherwise."""

    def __init__(self, client: httpx.Client, sandbox: Sandbox) -> None:
        self.client = client
        self.sandbox = sandbox

    def raw(self, service: str, action: str, **params: Any) -> httpx.Response:
        """POST a form-encoded call; returns the HTTP response."""
        params.setdefault("format", 1)
        return self.client.post(
            f"/api_v3/service/{service}/action/{action}",
            content="&".join(f"{httpx.QueryParams({k: v})}" for k, v in flatten(params)).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def call(self, service: str, action: str, **params: Any) -> Any:
        """A form-encoded call, JSON-decoded."""
        response = self.raw(service, action, **params)
        assert response.status_code == 200, response.text
        return response.json()

    def json_call(self, service: str, action: str, **params: Any) -> Any:
        """A JSON-body call."""
        params.setdefault("format", 1)
        response = self.client.post(
            f"/api_v3/service/{service}/action/{action}",
            content=json.dumps(params).encode(),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def vendor_ks(self) -> str:
        """A vendor KS via session.start with the admin secret."""
        creds = self.sandbox.credentials
        ks = self.call(
            "session",
            "start",
            secret=creds.vendor_admin_secret,
            partnerId=creds.vendor_partner_id,
            type=2,
            privileges="disableentitlement",
        )
        assert isinstance(ks, str)
        return ks

    def admin_ks(self, partner_id: int) -> str:
        """A customer admin KS via session.start."""
        secret = {c.partner_id: c.admin_secret for c in self.sandbox.credentials.customers}[
            partner_id
        ]
        ks = self.call("session", "start", secret=secret, partnerId=partner_id, type=2)
        assert isinstance(ks, str)
        return ks


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A fresh demo sandbox."""
    with Sandbox("demo", seed=7) as sb:
        yield sb


@pytest.fixture(params=["in_process", "http"])
def api(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[Api]:
    """The same tests over the in-process transport and over real HTTP on 127.0.0.1."""
    if request.param == "http":
        url = sandbox.serve("127.0.0.1", 0)
        client = httpx.Client(base_url=url, timeout=10)
    else:
        client = httpx.Client(transport=sandbox.transport(), base_url=sandbox.service_url)
    with client:
        yield Api(client, sandbox)


@pytest.fixture
def inproc(sandbox: Sandbox) -> Iterator[Api]:
    """In-process only (for tests that need no socket)."""
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.service_url) as client:
        yield Api(client, sandbox)


def task_by_feature(sandbox: Sandbox, feature: int) -> dict[str, Any]:
    """The first demo task of a service feature."""
    return next(t for t in sandbox.tasks() if t["serviceFeature"] == feature)


def assert_error(result: Any, code: str) -> dict[str, Any]:
    """Assert a KalturaAPIException with ``code``; return it."""
    assert isinstance(result, dict), result
    assert result.get("objectType") == "KalturaAPIException", result
    assert result["code"] == code, result
    return result
