"""Deliveries per second and HTTP requests per delivery, against the in-process sandbox.

Run: ``PYTHONPATH=src python benchmarks/delivery.py``. For each helper, ``N`` tasks are
ordered on one entry, claimed, and then delivered one after the other; only the deliveries
are timed (live tasks are registered, not claimed). Printed per helper: HTTP requests per
delivery after the claim, against its target, and deliveries per second (in process: the SDK's
own cost plus the sandbox's, no network). Targets: at most 2 for a caption, translation,
extended audio description or chapters file that fits one request; 1 for moderation without
a category action; dubbing and audio description: the two
files' uploads (2 requests each up to 8 MiB) plus 2; sign language: the parent's name, the
upload (2), one multirequest, the child's update and READY (6); live registration at most 2.
Dubbing and sign language need PyAV (a test dependency) to make real media files.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from kaltura_reach_vendor import AppToken, Chapter, EntryVendorTask, ReachClient
from kaltura_reach_vendor.moderation import TEXT_POLICY, TEXT_RULES, evaluate
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.session import as_hash_type

N = 40
SRT = "".join(
    f"{i}\n00:00:{i:02d},000 --> 00:00:{i:02d},900\nLine {i} of the captions.\n\n"
    for i in range(1, 30)
)
VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nA woman opens the door.\n"
CHAPTERS = [Chapter(i * 60_000, f"Part {i}", "") for i in range(8)]
REPORT = evaluate([TEXT_RULES[3].violation("darn", 12.0, severity=40)], [TEXT_POLICY])
#: A moderation order without categories: 1 request (with categories: 2).
MODERATION_DATA = {"objectType": "KalturaModerationVendorTaskData", "policyIds": "1"}
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from deliveries.media_files import (  # noqa: E402  (real media, via PyAV)
    make_aac_mp4,
    make_video_mp4,
)

AUDIO = make_aac_mp4(64_000)
VIDEO = make_video_mp4()
#: Requests per delivery where a helper uploads files: the uploads (2 per small file) + 2;
#: sign language: the parent's name, the upload (2), one multirequest, the child's update and
#: READY.
TARGETS = {
    "deliver_moderation": 1,
    "deliver_dubbing": 6,
    "deliver_audio_description": 6,
    "deliver_sign_language": 6,
}
#: Helpers that need an entry per task (Kaltura keeps one flavor per flavorParamsId on one).
OWN_ENTRY = {"deliver_dubbing", "deliver_audio_description"}
#: Live tasks are registered, not claimed (LIFE-3).
LIVE = {"register_live_feature"}

HELPERS: dict[str, tuple[int, Callable[[ReachClient, EntryVendorTask], Any]]] = {
    "deliver_captions": (30002, lambda c, t: c.deliver_captions(t, SRT, accuracy=95)),
    "deliver_translation": (18202, lambda c, t: c.deliver_translation(t, SRT, accuracy=95)),
    "deliver_extended_audio_description": (
        30006,
        lambda c, t: c.deliver_extended_audio_description(t, VTT, accuracy=95),
    ),
    "deliver_chapters": (30007, lambda c, t: c.deliver_chapters(t, CHAPTERS, accuracy=95)),
    "deliver_moderation": (30010, lambda c, t: c.deliver_moderation(t, REPORT, accuracy=90)),
    "deliver_dubbing": (30004, lambda c, t: c.deliver_dubbing(t, AUDIO, AUDIO, accuracy=90)),
    "deliver_audio_description": (
        30005,
        lambda c, t: c.deliver_audio_description(t, AUDIO, AUDIO, accuracy=90),
    ),
    "deliver_sign_language": (
        30009,
        lambda c, t: c.deliver_sign_language(t, VIDEO, accuracy=90),
    ),
    "register_live_feature": (
        30008,
        lambda c, t: c.register_live_feature(
            t,
            media_url="rtmps://media.vendor.example/live",
            media_key="stream-key-0123456789",
            caption_url="wss://captions.vendor.example/reach",
            caption_token="caption-token-0123456789abcdef",
        ),
    ),
}


def main() -> int:
    ok = True
    with Sandbox("demo", seed=11, media_ready_after=0) as box:  # media converted at once
        creds = box.credentials
        client = ReachClient(
            vendor_partner_id=creds.vendor_partner_id,
            vendor_name="bench",
            app_version="1",
            app_token=AppToken(
                creds.app_token.id, creds.app_token.token, as_hash_type(creds.app_token.hash_type)
            ),
            service_url=box.service_url,
            http_client=httpx.Client(transport=box.transport()),
        )
        entry = box.customer.add_entry(1001, "benchmark lecture")
        source = box.customer.add_caption(entry, "English", SRT)  # for the translations
        translation_data = {
            "objectType": "KalturaTranslationVendorTaskData",
            "captionAssetId": source,
        }
        now = int(box.clock.now())
        event = next(e for e in box.schedule_events() if e["id"] == 7001)
        live_entry = str(event["templateEntryId"])  # the live stream the event belongs to
        live_data = {
            "objectType": "KalturaScheduledVendorTaskData",
            "startDate": now + 3600,
            "endDate": now + 7200,
            "scheduledEventId": 7001,
        }
        print(f"{N} deliveries per helper, in process\n")
        for name, (catalog_item, deliver) in HELPERS.items():
            tasks = []
            for _ in range(N):
                data = translation_data if name == "deliver_translation" else None
                data = MODERATION_DATA if name == "deliver_moderation" else data
                data = live_data if name in LIVE else data
                own = box.customer.add_entry(1001, "dub") if name in OWN_ENTRY else entry
                own = live_entry if name in LIVE else own
                added = box.customer.add_task(own, catalog_item, task_job_data=data)
                task = client.get_task(int(added["id"]))
                if name not in LIVE:
                    client.claim(task)
                tasks.append(task)
            started = time.perf_counter()
            requests = [deliver(client, task).requests for task in tasks]
            elapsed = time.perf_counter() - started
            most = max(requests)
            target = TARGETS.get(name, 2)
            passed = most <= target
            ok &= passed
            print(
                f"{name:36} {most} HTTP requests per delivery "
                f"{'PASS' if passed else 'FAIL'} (target <= {target}), "
                f"{N / elapsed:6.1f} deliveries/s"
            )
        client.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
