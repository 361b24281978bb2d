"""A refused KS invalidates only itself, never a newer one another caller stored (AUTH-6)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import AsyncReachClient, RetryPolicy
from kaltura_reach_vendor.session import AdminSecret, VendorSession

from .conftest import ADMIN_SECRET, VENDOR_KS, VENDOR_KS_2, VENDOR_PID, api_exception, v2_ks

LIST = {"objectType": "KalturaEntryVendorTaskListResponse", "objects": [], "totalCount": 0}


@pytest.mark.rule("AUTH-6")
def test_invalidating_an_old_ks_keeps_the_new_one() -> None:
    session = VendorSession(AdminSecret(ADMIN_SECRET), VENDOR_PID)
    session.store(VENDOR_KS_2, 2_000_000_000.0, 1_900_000_000.0)
    assert session.invalidate(VENDOR_KS) is False
    assert session.valid_ks(1_900_000_100.0) == VENDOR_KS_2
    assert session.invalidate(VENDOR_KS_2) is True
    assert session.valid_ks(1_900_000_100.0) is None


@pytest.mark.rule("AUTH-6")
def test_a_late_refusal_of_the_old_ks_does_not_start_a_third_session() -> None:
    keys = [VENDOR_KS, VENDOR_KS_2, v2_ks(VENDOR_PID, "vendor-session-bytes-3")]
    started: list[str] = []
    slow_released = asyncio.Event()
    first_seen = asyncio.Event()

    async def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if request.url.path.endswith("/session/action/start"):
            started.append(keys[len(started)])
            return httpx.Response(200, json=started[-1])
        if body.get("ks") == VENDOR_KS:
            if not first_seen.is_set():
                # The first caller's answer is held back until the second caller renewed.
                first_seen.set()
                await slow_released.wait()
            return httpx.Response(
                200, json=api_exception("INVALID_KS", "expired", {"KSID": "EXPIRED"})
            )
        return httpx.Response(200, json=LIST)

    async def scenario() -> Any:
        client = AsyncReachClient(
            vendor_partner_id=VENDOR_PID,
            vendor_name="acme",
            app_version="1",
            admin_secret=ADMIN_SECRET,
            service_url="https://reach.test",
            retry=RetryPolicy(max_attempts=1),
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(handle)),
        )
        slow = asyncio.create_task(client.get_jobs())
        await first_seen.wait()
        await client.get_jobs()  # refused with KS 1, renews to KS 2, succeeds
        slow_released.set()
        await slow  # refused with KS 1 late: must keep KS 2, not start KS 3
        await client.aclose()

    asyncio.run(scenario())
    assert started == [VENDOR_KS, VENDOR_KS_2]
