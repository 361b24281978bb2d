"""Per-item outcomes of a delivery's multirequest, on a scripted server (CHAP-1, CAP-3)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import (
    Chapter,
    DeliveryError,
    EntryVendorTask,
    EntryVendorTaskStatus,
    parse,
)

from .conftest import ACCESS_KEY, FakeKaltura, Runner, api_exception


def _task() -> EntryVendorTask:
    return EntryVendorTask(
        id=77, entry_id="0_e", access_key=ACCESS_KEY, status=EntryVendorTaskStatus.PROCESSING
    )


@pytest.mark.rule("CHAP-1")
def test_a_refused_chapter_is_reported_and_the_others_removed(
    runner: Runner, fake: FakeKaltura
) -> None:
    deleted: list[str] = []
    fake.routes["multirequest"] = [
        {"objectType": "KalturaThumbCuePoint", "id": "c1"},
        api_exception("PROPERTY_VALIDATION_MAX_LENGTH", "title too long"),
        {"objectType": "KalturaThumbCuePoint", "id": "c3"},
    ]

    def delete(body: dict[str, Any], request: httpx.Request) -> Any:
        deleted.append(str(body["id"]))
        return httpx.Response(200, text="null")  # Kaltura's delete answers null

    fake.routes["cuepoint_cuepoint.delete"] = delete
    chapters = [Chapter(0, "a"), Chapter(1000, "b"), Chapter(2000, "c")]
    client = runner.client()
    with pytest.raises(DeliveryError, match="chapter 2: PROPERTY_VALIDATION_MAX_LENGTH") as failed:
        runner.run(client, "deliver_chapters", _task(), chapters, accuracy=90)
    assert deleted == ["c1", "c3"] and failed.value.left == ()
    assert "reach_entryvendortask.updatejob" not in [n.lower() for n in fake.names()]


@pytest.mark.rule("CAP-3")
def test_a_caption_asset_that_is_not_ready_is_deleted_and_the_task_left(
    runner: Runner, fake: FakeKaltura
) -> None:
    deleted: list[str] = []
    asset = {"objectType": "KalturaCaptionAsset", "id": "1_cap", "status": -1}
    fake.routes["multirequest"] = [asset, asset, asset]  # add, setContent, get: ERROR (-1)

    def delete(body: dict[str, Any], request: httpx.Request) -> Any:
        deleted.append(str(body["captionAssetId"]))
        return httpx.Response(200, text="null")

    fake.routes["caption_captionasset.delete"] = delete
    task = parse(
        {
            "objectType": "KalturaEntryVendorTask",
            "id": 78,
            "entryId": "0_e",
            "accessKey": ACCESS_KEY,
            "status": 3,
            "relatedObjects": {
                "reach_vendor_catalog_item": {
                    "objectType": "KalturaVendorCatalogItemListResponse",
                    "objects": [
                        {
                            "objectType": "KalturaVendorCaptionsCatalogItem",
                            "id": 1,
                            "serviceFeature": 1,
                            "sourceLanguage": "English",
                        }
                    ],
                }
            },
        },
        EntryVendorTask,
    )
    srt = "1\n00:00:01,000 --> 00:00:02,000\nHello\n"
    client = runner.client()
    with pytest.raises(DeliveryError, match="did not become READY"):
        runner.run(client, "deliver_captions", task, srt, accuracy=90, format="srt")
    assert deleted == ["1_cap"]
    assert task.status is EntryVendorTaskStatus.PROCESSING  # never READY on failure
