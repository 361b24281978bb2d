"""End-to-end fixtures: the real SDK against the sandbox, sync and async alike.

``Driver`` hides whether a test runs ``ReachClient`` or ``AsyncReachClient``: every
lifecycle test runs for both (parametrised), proving one implementation behind both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import AppToken, AsyncReachClient, ReachClient, RetryPolicy
from kaltura_reach_vendor.models import EntryVendorTask
from kaltura_reach_vendor.sandbox import Sandbox


def client_options(sandbox: Sandbox, **overrides: Any) -> dict[str, Any]:
    """Keyword arguments for a client of ``sandbox`` (its app token, quick retries)."""
    creds = sandbox.credentials
    options: dict[str, Any] = {
        "vendor_partner_id": creds.vendor_partner_id,
        "vendor_name": "acme",
        "app_version": "2.3.1",
        "app_token": AppToken(creds.app_token.id, creds.app_token.token, creds.app_token.hash_type),
        "retry": RetryPolicy(max_attempts=3, backoff=0.0, jitter=0.0),
        "clock": sandbox.clock.now,
        "service_url": sandbox.service_url,
    }
    options.update(overrides)
    return options


class Driver:
    """Runs a client method to its result, whichever client it is."""

    def __init__(
        self,
        kind: str,
        sandbox: Sandbox,
        *,
        over_http: bool = False,
        transport: httpx.MockTransport | None = None,
    ) -> None:
        self.kind = kind
        self.sandbox = sandbox
        options = client_options(sandbox)
        if over_http:
            options["service_url"] = sandbox.serve()
            http: Any = None
        else:
            transport = transport or sandbox.transport()
            http = (
                httpx.Client(transport=transport)
                if kind == "sync"
                else httpx.AsyncClient(transport=transport)
            )
        if kind == "sync":
            self.client: Any = ReachClient(http_client=http, **options)
        else:
            self.client = AsyncReachClient(http_client=http, **options)
            self.loop = asyncio.new_event_loop()

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, method)(*args, **kwargs)
        if self.kind == "async":
            return self.loop.run_until_complete(result)
        return result

    def iter_jobs(self, **kwargs: Any) -> Iterator[EntryVendorTask]:
        if self.kind == "sync":
            yield from self.client.iter_jobs(**kwargs)
            return
        agen = self.client.iter_jobs(**kwargs)
        while True:
            try:
                yield self.loop.run_until_complete(agen.__anext__())
            except StopAsyncIteration:
                return

    def close(self) -> None:
        if self.kind == "sync":
            self.client.close()
        else:
            self.loop.run_until_complete(self.client.aclose())
            self.loop.close()

    def pending(self) -> list[EntryVendorTask]:
        return list(self.iter_jobs())

    def task_for(self, catalog_item_id: int) -> EntryVendorTask:
        for task in self.pending():
            if task.catalog_item_id == catalog_item_id:
                return task
        raise AssertionError(f"no pending task for catalog item {catalog_item_id}")


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("demo", seed=1) as box:
        yield box


@pytest.fixture(params=["sync", "async"])
def drive(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[Driver]:
    driver = Driver(request.param, sandbox)
    yield driver
    driver.close()


#: demo-scenario catalog items
MACHINE_CAPTIONS = 30002
HUMAN_CAPTIONS = 30001
PAY_PER_USE = 30003
LIVE_CAPTIONS = 30008
