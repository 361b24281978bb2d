"""Extended audio description: deliver a WebVTT of descriptions on the original timeline.

Run: ``python examples/extended_audio_description.py`` (sandbox without ``KALTURA_*``
variables, your account with them).

Rules relied on (docs/rules.md): LIFE-10 (units_used when pay-per-use), LIFE-2 (claim first),
EAD-1 (a WebVTT caption asset of descriptions), EAD-2 (times on the original timeline), task
READY.
"""

from __future__ import annotations

from _account import account, billed_minutes

from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.captions import CaptionDocument, Cue, apply_profile
from kaltura_reach_vendor.enums import VendorServiceFeature as F


def main(client: ReachClient) -> None:
    for task in client.iter_jobs():
        if task.effective_service_feature != F.EXTENDED_AUDIO_DESCRIPTION:
            continue
        client.claim(task, external_task_id=f"ead-{task.id}")
        descriptions = CaptionDocument(  # a stand-in describer
            [
                Cue(0, 500, ["A lecture hall. A speaker stands at a lectern."]),
                Cue(6_400, 6_600, ["The speaker waves at the camera."]),
            ]
        )
        vtt = apply_profile(descriptions, task).to_vtt()
        result = client.deliver_extended_audio_description(
            task, vtt, accuracy=90, units_used=billed_minutes(task, 6_600)
        )
        status = result.task.status.name if result.task.status else "?"
        print(
            f"extended audio description task {task.id}: {status}, "
            f"caption asset {result.output_object_id}"
        )
        return
    print("no extended audio description task pending")


if __name__ == "__main__":
    with account() as reach:
        main(reach)
