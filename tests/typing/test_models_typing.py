"""Typing test: must pass ``mypy --strict tests/typing`` (and runs under pytest)."""

from __future__ import annotations

from typing import Any

from typing_extensions import assert_type

from kaltura_reach_vendor import (
    CatalogItemLanguage,
    EntryVendorTask,
    EntryVendorTaskListResponse,
    EntryVendorTaskStatus,
    KalturaObject,
    VendorCatalogItem,
    VendorCatalogItemOutputFormat,
    VendorServiceFeature,
    dump,
    parse,
)
from kaltura_reach_vendor.models import ReachProfile, VendorTaskData

RAW: dict[str, Any] = {
    "id": "15",
    "status": 1,
    "relatedObjects": {
        "reach_vendor_catalog_item": {
            "objects": [{"serviceFeature": 1, "objectType": "KalturaVendorCaptionsCatalogItem"}],
            "objectType": "KalturaVendorCatalogItemListResponse",
        }
    },
    "objectType": "KalturaEntryVendorTask",
}


def test_parse_is_typed() -> None:
    task = parse(RAW, EntryVendorTask)
    assert_type(task, EntryVendorTask)
    assert_type(task.status, EntryVendorTaskStatus | None)
    assert_type(task.catalog_item, VendorCatalogItem | None)
    assert_type(task.reach_profile, ReachProfile | None)
    assert_type(task.task_job_data, VendorTaskData | None)
    assert_type(task.effective_service_feature, VendorServiceFeature | None)
    assert_type(task.output_format, VendorCatalogItemOutputFormat)
    assert_type(task.source_language, CatalogItemLanguage | None)
    assert_type(task.dictionary_terms, list[str])
    assert_type(parse(RAW), KalturaObject)
    assert_type(dump(task), dict[str, Any])
    assert task.status is EntryVendorTaskStatus.PENDING
    ci = task.catalog_item
    assert ci is not None and ci.service_feature is VendorServiceFeature.CAPTIONS


def test_list_response_is_typed() -> None:
    lst = parse(
        {"objects": [RAW], "objectType": "KalturaEntryVendorTaskListResponse"},
        EntryVendorTaskListResponse,
    )
    for task in lst:
        assert_type(task, EntryVendorTask)
    assert lst.objects is not None
    assert_type(lst.objects[0], EntryVendorTask)
