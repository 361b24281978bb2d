"""Translation: fetch the source captions, translate them, deliver the translated captions.

Run: ``python examples/translation.py`` (sandbox without ``KALTURA_*`` variables, your account
with them).

Rules relied on (docs/rules.md): LIFE-10 (units_used when pay-per-use), LIFE-2 (claim first),
TRANS-1 and TRANS-2 (the source captions of the source language), TRANS-3 (a catalog item may
translate from the audio), CAP-1 (the translated caption asset, task READY).
"""

from __future__ import annotations

from _account import account, billed_minutes

from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.captions import apply_profile, parse_captions
from kaltura_reach_vendor.demo_handlers import stand_in_transcript, toy_translate
from kaltura_reach_vendor.enums import VendorServiceFeature as F


def main(client: ReachClient) -> None:
    for task in client.iter_jobs():
        if task.effective_service_feature != F.TRANSLATION or task.is_human:
            continue
        client.claim(task, external_task_id=f"translation-{task.id}")
        source = str(task.source_language.value) if task.source_language else "English"
        target = str(task.target_language.value) if task.target_language else "Spanish"
        catalog = task.catalog_item
        if catalog is not None and getattr(catalog, "require_source", None) is False:
            original = stand_in_transcript(source)  # TRANS-3: translate from the audio
        else:
            fetched = client.source_captions(task)
            original = parse_captions(fetched.text, format=fetched.format)
        doc = apply_profile(toy_translate(original, source, target), task)  # stand-in engine
        result = client.deliver_translation(
            task, doc, accuracy=80, units_used=billed_minutes(task, 9_800)
        )
        status = result.task.status.name if result.task.status else "?"
        print(
            f"translation task {task.id} ({source} -> {target}): {status}, "
            f"caption asset {result.output_object_id}"
        )
        return
    print("no machine translation task pending")


if __name__ == "__main__":
    with account() as reach:
        main(reach)
