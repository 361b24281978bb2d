"""Type-checked with ``mypy --strict tests/typing`` (in .ci/run): the public API as a user sees it.

Nothing here runs; the functions exist to be type-checked.
"""

from __future__ import annotations

from typing import Any

import httpx
from typing_extensions import assert_type

import kaltura_reach_vendor as krv
from kaltura_reach_vendor import (
    ApiCall,
    ApiError,
    AppToken,
    AsyncReachClient,
    InvalidSessionError,
    KsInfo,
    ReachClient,
    Region,
    ResultRef,
    RetryPolicy,
)


def check_sync() -> None:
    client = ReachClient(
        vendor_partner_id=12345,
        vendor_name="acme",
        app_version="2.3.1",
        app_token=AppToken(id="1_x", token="t" * 32, hash_type="SHA256"),
        region=Region.US,
        http_client=httpx.Client(),
        retry=RetryPolicy(max_attempts=2),
    )
    with client:
        assert_type(client.vendor_ks(), str)
        results = client.multirequest(
            [
                ApiCall("media", "get", {"entryId": "0_x"}),
                ApiCall("a", "b", {"id": ResultRef(1).id}),
            ]
        )
        assert_type(results, list[Any])
        assert_type(client.client_tag(5), str)
    try:
        client.call("reach_entryVendorTask", "getJobs")
    except InvalidSessionError as error:
        assert_type(error.ksid, str)
        assert_type(error.is_expired, bool)
    except ApiError as error:
        assert_type(error.code, str)
        assert_type(error.message, str)
        assert_type(error.args, dict[str, str])


async def check_async() -> None:
    async with AsyncReachClient(
        vendor_partner_id=1, vendor_name="a", app_version="1", admin_secret="s", region="EU"
    ) as client:
        assert_type(await client.vendor_ks(), str)
    info = krv.parse_ks("djJ8MXw=")
    assert_type(info, KsInfo)
    assert_type(info.partner_id, int)
    assert_type(info.expires_at, int | None)
