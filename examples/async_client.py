"""The captions flow with ``AsyncReachClient``: poll, claim and deliver without blocking.

Run: ``python examples/async_client.py`` (sandbox without ``KALTURA_*`` variables, your account
with them). ``async_poll.py`` only lists the pending tasks; this one also delivers.

Rules relied on (docs/rules.md): LIFE-10 (units_used when pay-per-use), POLL-1 (getJobs), LIFE-2
(claim first), CAP-1 (the caption asset delivered and the task set READY).
"""

from __future__ import annotations

import asyncio

from _account import async_account, billed_minutes

from kaltura_reach_vendor import AsyncReachClient
from kaltura_reach_vendor.captions import apply_profile
from kaltura_reach_vendor.demo_handlers import stand_in_transcript
from kaltura_reach_vendor.enums import VendorServiceFeature as F


async def main(client: AsyncReachClient) -> None:
    async for task in client.iter_jobs():
        if task.effective_service_feature != F.CAPTIONS or task.is_human:
            continue
        await client.claim(task, external_task_id=f"async-{task.id}")
        doc = apply_profile(stand_in_transcript(), task)  # your engine here
        result = await client.deliver_captions(
            task, doc, accuracy=95, units_used=billed_minutes(task, 9_800)
        )
        status = result.task.status.name if result.task.status else "?"
        print(f"captions task {task.id}: {status}, caption asset {result.output_object_id}")
        return
    print("no machine captions task pending")


async def run() -> None:
    async with async_account() as reach:
        await main(reach)


if __name__ == "__main__":
    asyncio.run(run())
