"""Audio description: deliver the described audio track and the clear original.

Run: ``python examples/audio_description.py`` (sandbox without ``KALTURA_*`` variables, your
account with them). The audio is the AAC-LC media shipped with the package.

Rules relied on (docs/rules.md): LIFE-10 (units_used when pay-per-use), LIFE-2 (claim first),
DUB-1 to DUB-3 (audio flavors, AAC-LC in MP4), DUB-5 (the described track), task READY.
"""

from __future__ import annotations

from _account import account, billed_minutes

from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.demo_handlers import demo_media
from kaltura_reach_vendor.enums import VendorServiceFeature as F


def main(client: ReachClient) -> None:
    for task in client.iter_jobs():
        if task.effective_service_feature != F.AUDIO_DESCRIPTION:
            continue
        client.claim(task, external_task_id=f"ad-{task.id}")
        result = client.deliver_audio_description(
            task,
            demo_media("described.m4a"),
            demo_media("original.m4a"),
            accuracy=90,
            units_used=billed_minutes(task, 1_000),
        )
        status = result.task.status.name if result.task.status else "?"
        print(f"audio description task {task.id}: {status}, flavor {result.output_object_id}")
        return
    print("no audio description task pending")


if __name__ == "__main__":
    with account() as reach:
        main(reach)
