"""Parse time of a 500-task getJobs response, as a ratio to ``json.loads`` of the same bytes.

Run: ``python benchmarks/parse_jobs.py`` (``PYTHONPATH=src`` to measure the working tree
rather than an installed copy).  Both are measured side by side in one run (interleaved, best
of several repeats) so machine load affects them alike.  The measured operation is
``parse(json.loads(body))`` (``parse`` is ``models.converter.structure``: per class, a
function generated on first use in ``models/_convert.py``) vs ``json.loads(body)``: the
ratio is the total cost of getting typed models relative to getting plain dicts.  Target
(issue 16): at most 2x.  ``dump`` of the same page is printed for information.
"""

from __future__ import annotations

import json
import time

from kaltura_reach_vendor.models import EntryVendorTaskListResponse, dump, parse

N_TASKS = 500
TARGET = 2.0


def make_task(i: int) -> dict[str, object]:
    feature = 2 if i % 3 == 0 else 1
    catalog: dict[str, object] = {
        "outputFormat": "1" if i % 2 else 1,
        "enableSpeakerId": i % 2 == 0,
        "fixedPriceAddons": 0,
        "serviceType": 1 + i % 2,
        "serviceFeature": feature,
        "turnAroundTime": [-1, 1800, 10800, 86400][i % 4],
        "engineType": "OpenCalaisReachVendor.OPEN_CALAIS",
        "sourceLanguage": "English",
        "allowResubmission": False,
        "objectType": "KalturaVendorCaptionsCatalogItem",
    }
    task: dict[str, object] = {
        "id": str(381257922 + i),
        "partnerId": 5162732,
        "vendorPartnerId": 5162702,
        "createdAt": 1698137683 + i,
        "entryId": f"1_{i:08x}",
        "status": 1,
        "version": 11,
        "reachProfileId": 222762,
        "catalogItemId": 18202 + feature,
        "accessKey": "djJ8NTE2MjczMnw8fp5_FOtBtUK4j4sV--auKnGLuC6EMsYFYMgAuYd8I0pWs6QipGKRhSaY"
        "G-9QXR3upOmeoAY9Aorpe4B7n3Vkuf8q9E3aWs3y1RVuoe5lXZ7AvxSrT0GjLQEyA6g1sLuxF_z-AxYZ"
        "NgjG4vQ0vGDq6bbK_kzMK_q8RybUQBH63Ow5vT3xkQLtA4WnNcdLwGTwFfgR6sJVsveZ2P7FRGKxMXmW",
        "notes": "Please use the glossary" if i % 5 == 0 else "",
        "dictionary": "Kaltura\nREACH\nentryVendorTask",
    }
    if feature == 2:
        task["taskJobData"] = {
            "captionAssetId": f"1_c{i:07x}",
            "objectType": "KalturaTranslationVendorTaskData",
        }
        catalog.update(targetLanguage="Spanish", objectType="KalturaVendorTranslationCatalogItem")
    task["relatedObjects"] = {
        "reach_vendor_catalog_item": {
            "objects": [catalog],
            "totalCount": 1,
            "objectType": "KalturaVendorCatalogItemListResponse",
        },
        "reach_vendor_profile": {
            "objects": [
                {
                    "name": "REACH profile - US Region",
                    "defaultOutputFormat": 1,
                    "enableMetadataExtraction": True,
                    "enableSpeakerChangeIndication": False,
                    "enableAudioTags": False,
                    "enableProfanityRemoval": True,
                    "maxCharactersPerCaptionLine": 26,
                    "labelAdditionForMachineServiceType": "",
                    "labelAdditionForHumanServiceType": "",
                    "contentDeletionPolicy": 2,
                    "flavorParamsIds": "",
                    "vendorTaskProcessingRegion": 1,
                    "objectType": "KalturaReachProfile",
                }
            ],
            "totalCount": 1,
            "objectType": "KalturaReachProfileListResponse",
        },
    }
    task["objectType"] = "KalturaEntryVendorTask"
    return task


def make_body(n: int = N_TASKS) -> bytes:
    response = {
        "objects": [make_task(i) for i in range(n)],
        "totalCount": n,
        "objectType": "KalturaEntryVendorTaskListResponse",
    }
    return json.dumps(response).encode()


def measure(body: bytes, rounds: int = 15) -> tuple[float, float]:
    """Best time of ``json.loads`` and of ``parse(json.loads(...))``, interleaved."""
    loads_best = parse_best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        json.loads(body)
        t1 = time.perf_counter()
        result = parse(json.loads(body), EntryVendorTaskListResponse)
        t2 = time.perf_counter()
        loads_best = min(loads_best, t1 - t0)
        parse_best = min(parse_best, t2 - t1)
        assert len(result) == N_TASKS
    return loads_best, parse_best


def main() -> None:
    body = make_body()
    # Warm up: compiles the per-class parse functions once, as a long-running vendor would.
    tasks = parse(json.loads(body), EntryVendorTaskListResponse)
    assert tasks.objects is not None and tasks.objects[0].catalog_item is not None
    loads_t, parse_t = measure(body)
    ratio = parse_t / loads_t
    dump(tasks)  # warm up
    dump_t = float("inf")
    for _ in range(15):
        t0 = time.perf_counter()
        dump(tasks)
        dump_t = min(dump_t, time.perf_counter() - t0)
    print(f"getJobs response: {N_TASKS} tasks with relatedObjects, {len(body) / 1024:.0f} KiB")
    print(f"json.loads:               {loads_t * 1000:7.2f} ms")
    print(f"parse(json.loads(body)):  {parse_t * 1000:7.2f} ms")
    print(f"ratio: {ratio:.2f}x json.loads (target <= {TARGET}x)")
    print(f"dump(tasks):              {dump_t * 1000:7.2f} ms ({dump_t / loads_t:.2f}x json.loads)")


if __name__ == "__main__":
    main()
