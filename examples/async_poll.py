"""The same polling with ``AsyncReachClient``, in-process against the sandbox (no socket).

Run: ``python examples/async_poll.py``.
"""

from __future__ import annotations

import asyncio

import httpx

from kaltura_reach_vendor import AppToken, AsyncReachClient
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.session import as_hash_type


async def main() -> None:
    with Sandbox("demo") as sandbox:
        creds = sandbox.credentials
        token = AppToken(
            creds.app_token.id, creds.app_token.token, as_hash_type(creds.app_token.hash_type)
        )
        async with AsyncReachClient(
            vendor_partner_id=creds.vendor_partner_id,
            vendor_name="example",
            app_version="0.1",
            app_token=token,
            service_url=sandbox.service_url,
            http_client=httpx.AsyncClient(transport=sandbox.transport()),
        ) as client:
            async for task in client.iter_jobs():
                feature = task.effective_service_feature
                print(task.id, feature.name if feature else "?", task.output_format.name)


if __name__ == "__main__":
    asyncio.run(main())
