"""Which account the examples talk to: Kaltura when ``KALTURA_*`` variables are set, else a sandbox.

With ``KALTURA_VENDOR_PARTNER_ID`` set, the client comes from ``ReachClient.from_env()`` (the
variables are listed in docs/client.md). Without it, an in-process sandbox with the ``demo``
scenario (tasks of every feature) is served on loopback, and the client signs in to it with
the sandbox's app token. Secrets are never printed.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

from kaltura_reach_vendor import AppToken, AsyncReachClient, ReachClient
from kaltura_reach_vendor.models import EntryVendorTask
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.session import as_hash_type

__all__ = ["account", "async_account", "billed_minutes"]

VENDOR_NAME = "example-vendor"


def _has_credentials() -> bool:
    return bool(os.environ.get("KALTURA_VENDOR_PARTNER_ID", "").strip())


@contextlib.contextmanager
def _sandbox_kwargs() -> Iterator[dict[str, Any]]:
    with Sandbox("demo") as box:
        url = box.serve()  # loopback HTTP
        creds = box.credentials
        token = AppToken(
            creds.app_token.id, creds.app_token.token, as_hash_type(creds.app_token.hash_type)
        )
        print(f"no KALTURA_* credentials: using an in-process sandbox at {url}")
        yield {
            "vendor_partner_id": creds.vendor_partner_id,
            "vendor_name": VENDOR_NAME,
            "app_version": "0.1",
            "app_token": token,
            "service_url": url,
        }


@contextlib.contextmanager
def account() -> Iterator[ReachClient]:
    """A ``ReachClient`` for the account (Kaltura or the sandbox), closed on exit."""
    if _has_credentials():
        with ReachClient.from_env() as client:
            print(f"using partner {client.vendor_partner_id} at {client.service_url}")
            yield client
        return
    with _sandbox_kwargs() as kwargs, ReachClient(**kwargs) as client:
        yield client


@contextlib.asynccontextmanager
async def async_account() -> AsyncIterator[AsyncReachClient]:
    """The same choice, for an ``AsyncReachClient``."""
    if _has_credentials():
        async with AsyncReachClient.from_env() as client:
            print(f"using partner {client.vendor_partner_id} at {client.service_url}")
            yield client
        return
    with _sandbox_kwargs() as kwargs:
        async with AsyncReachClient(**kwargs) as client:
            yield client


def billed_minutes(task: EntryVendorTask, media_ms: int) -> int | None:
    """``units_used`` for a delivery: the minutes of media processed when the task's catalog
    item is pay-per-use (LIFE-10), else ``None``."""
    catalog = task.catalog_item
    if catalog is None or not catalog.pay_per_use:
        return None
    return max(1, math.ceil(media_ms / 60_000))
