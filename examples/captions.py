"""Machine captions: find a captions task, claim it, write an SRT, deliver it.

Run: ``python examples/captions.py`` (an in-process sandbox when no ``KALTURA_*`` variables are
set; your account when they are, see examples/README.md).

Rules relied on (docs/rules.md): LIFE-10 (units_used when pay-per-use), POLL-1 (poll with
getJobs), LIFE-2 (claim before work), INPUT-3 (the task's output format), INPUT-5 (the profile's
line length and speaker labels), CAP-1 (the caption asset delivered and the task set READY).
"""

from __future__ import annotations

from _account import account, billed_minutes

from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.captions import CaptionDocument, Cue, apply_profile
from kaltura_reach_vendor.enums import VendorServiceFeature as F


def transcribe(language: str) -> CaptionDocument:
    """A stand-in speech recognizer: replace with your engine."""
    return CaptionDocument(
        [
            Cue(500, 3_000, [f"Welcome ({language})."], speaker="Dana"),
            Cue(3_200, 6_400, ["These captions come from a stand-in engine."], speaker="Dana"),
        ]
    )


def main(client: ReachClient) -> None:
    for task in client.iter_jobs():
        if task.effective_service_feature != F.CAPTIONS or task.is_human:
            continue
        client.claim(task, external_task_id=f"captions-{task.id}")
        language = task.source_language.value if task.source_language else "English"
        doc = apply_profile(transcribe(str(language)), task)
        result = client.deliver_captions(
            task, doc, accuracy=95, units_used=billed_minutes(task, 6_400)
        )
        status = result.task.status.name if result.task.status else "?"
        print(f"captions task {task.id}: {status}, caption asset {result.output_object_id}")
        return
    print("no machine captions task pending")


if __name__ == "__main__":
    with account() as reach:
        main(reach)
