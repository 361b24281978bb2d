"""Deliveries per second and HTTP requests per delivery, against the in-process sandbox.

Run: ``PYTHONPATH=src python benchmarks/delivery.py``. For each helper, ``N`` tasks are
ordered on one entry, claimed, and then delivered one after the other; only the deliveries
are timed. Printed per helper: HTTP requests per delivery after the claim (target: at most
2 for a file that fits one request) and deliveries per second (in process: the SDK's own
cost plus the sandbox's, no network).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import httpx

from kaltura_reach_vendor import AppToken, Chapter, EntryVendorTask, ReachClient
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.session import as_hash_type

N = 40
SRT = "".join(
    f"{i}\n00:00:{i:02d},000 --> 00:00:{i:02d},900\nLine {i} of the captions.\n\n"
    for i in range(1, 30)
)
VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nA woman opens the door.\n"
CHAPTERS = [Chapter(i * 60_000, f"Part {i}", "") for i in range(8)]

HELPERS: dict[str, tuple[int, Callable[[ReachClient, EntryVendorTask], Any]]] = {
    "deliver_captions": (30002, lambda c, t: c.deliver_captions(t, SRT, accuracy=95)),
    "deliver_translation": (18202, lambda c, t: c.deliver_translation(t, SRT, accuracy=95)),
    "deliver_extended_audio_description": (
        30006,
        lambda c, t: c.deliver_extended_audio_description(t, VTT, accuracy=95),
    ),
    "deliver_chapters": (30007, lambda c, t: c.deliver_chapters(t, CHAPTERS, accuracy=95)),
}


def main() -> int:
    ok = True
    with Sandbox("demo", seed=11) as box:
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
        print(f"{N} deliveries per helper, in process\n")
        for name, (catalog_item, deliver) in HELPERS.items():
            tasks = []
            for _ in range(N):
                data = translation_data if name == "deliver_translation" else None
                added = box.customer.add_task(entry, catalog_item, task_job_data=data)
                task = client.get_task(int(added["id"]))
                client.claim(task)
                tasks.append(task)
            started = time.perf_counter()
            requests = [deliver(client, task).requests for task in tasks]
            elapsed = time.perf_counter() - started
            most = max(requests)
            passed = most <= 2
            ok &= passed
            print(
                f"{name:36} {most} HTTP requests per delivery "
                f"{'PASS' if passed else 'FAIL'} (target <= 2), "
                f"{N / elapsed:6.1f} deliveries/s"
            )
        client.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
