"""Chapters: claim a chaptering task and deliver chapters made by a stand-in engine.

Run: ``python examples/chapters.py`` (sandbox without ``KALTURA_*`` variables, your account
with them).

Rules relied on (docs/rules.md): LIFE-10 (units_used when pay-per-use), LIFE-2 (claim first),
CHAP-1 and CHAP-2 (chapters as cue points of the entry, task READY).
"""

from __future__ import annotations

from _account import account, billed_minutes

from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.deliveries.chapters import Chapter
from kaltura_reach_vendor.enums import VendorServiceFeature as F


def main(client: ReachClient) -> None:
    for task in client.iter_jobs():
        if task.effective_service_feature != F.CHAPTERING:
            continue
        client.claim(task, external_task_id=f"chapters-{task.id}")
        chapters = [  # a stand-in engine: (start ms, title, summary)
            Chapter(0, "Welcome", "The speaker opens the talk"),
            Chapter(6_600, "Thanks", "The talk closes"),
        ]
        result = client.deliver_chapters(
            task, chapters, accuracy=90, units_used=billed_minutes(task, 9_800)
        )
        status = result.task.status.name if result.task.status else "?"
        print(
            f"chapters task {task.id}: {status}, {len(result.object_ids)} objects, "
            f"output {result.output_object_id}"
        )
        return
    print("no chaptering task pending")


if __name__ == "__main__":
    with account() as reach:
        main(reach)
