"""Dubbing: deliver a dubbed audio track, the clear original, and the dub's captions.

Run: ``python examples/dubbing.py`` (sandbox without ``KALTURA_*`` variables, your account
with them). The audio is the AAC-LC media shipped with the package (a stand-in engine).

Rules relied on (docs/rules.md): LIFE-10 (units_used when pay-per-use), LIFE-2 (claim first),
DUB-1 to DUB-3 (audio flavors, AAC-LC in MP4), DUB-4 (the dub's captions), task READY.
"""

from __future__ import annotations

from _account import account, billed_minutes

from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.captions import apply_profile
from kaltura_reach_vendor.demo_handlers import demo_media, stand_in_transcript, toy_translate
from kaltura_reach_vendor.enums import VendorServiceFeature as F


def main(client: ReachClient) -> None:
    for task in client.iter_jobs():
        if task.effective_service_feature != F.DUBBING:
            continue
        client.claim(task, external_task_id=f"dubbing-{task.id}")
        target = str(task.target_language.value) if task.target_language else "Spanish"
        words = apply_profile(toy_translate(stand_in_transcript(), "English", target), task)
        result = client.deliver_dubbing(
            task,
            demo_media("dub.m4a"),  # the dubbed track
            demo_media("original.m4a"),  # the clear original audio
            accuracy=90,
            captions=words,
            captions_accuracy=80,
            units_used=billed_minutes(task, 1_000),
        )
        status = result.task.status.name if result.task.status else "?"
        print(f"dubbing task {task.id} ({target}): {status}, flavor {result.output_object_id}")
        return
    print("no dubbing task pending")


if __name__ == "__main__":
    with account() as reach:
        main(reach)
