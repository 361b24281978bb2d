"""Sign language: deliver a signed video as a child entry of the task's entry.

Run: ``python examples/sign_language.py`` (sandbox without ``KALTURA_*`` variables, your
account with them). The video is the small MP4 shipped with the package.

Rules relied on (docs/rules.md): LIFE-10 (units_used when pay-per-use), LIFE-2 (claim first),
SIGN-1 to SIGN-3 (a child entry with the signed video, linked to the parent), task READY.
"""

from __future__ import annotations

from _account import account, billed_minutes

from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.demo_handlers import demo_media
from kaltura_reach_vendor.enums import VendorServiceFeature as F


def main(client: ReachClient) -> None:
    for task in client.iter_jobs():
        if task.effective_service_feature != F.SIGN_LANGUAGE:
            continue
        client.claim(task, external_task_id=f"sign-{task.id}")
        result = client.deliver_sign_language(
            task, demo_media("sign.mp4"), accuracy=90, units_used=billed_minutes(task, 1_000)
        )
        status = result.task.status.name if result.task.status else "?"
        print(f"sign language task {task.id}: {status}, child entry {result.output_object_id}")
        return
    print("no sign language task pending")


if __name__ == "__main__":
    with account() as reach:
        main(reach)
