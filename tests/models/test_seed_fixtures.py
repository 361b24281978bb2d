"""Every JSON example of the seeds parses into typed models with nothing lost.

``dump(parse(x)) == x`` up to the documented normalisation (docs/models.md):
numbers sent as strings come back as numbers, ``0``/``1``/``true``/``false`` booleans come
back in the field's declared form, and string enums sent as ints come back as strings.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from kaltura_reach_vendor import (
    CaptionAsset,
    CaptionAssetStatus,
    CaptionType,
    CatalogItemLanguage,
    EntryVendorTask,
    EntryVendorTaskListResponse,
    EntryVendorTaskStatus,
    NullableBoolean,
    VendorCatalogItemOutputFormat,
    VendorServiceFeature,
    VendorServiceType,
    dump,
    parse,
)
from kaltura_reach_vendor.enums import ModerationFlagStatus, ModerationFlagType
from kaltura_reach_vendor.models import (
    CaptionAssetListResponse,
    ModerationFlagListResponse,
    ReachProfile,
    TranslationVendorTaskData,
    VendorCaptionsCatalogItem,
    VendorTranslationCatalogItem,
)

from .conftest import load

_NUM = re.compile(r"-?\d+(\.\d+)?")


def normalise(x: Any) -> Any:
    """The documented normalisation: numeric strings → numbers, booleans → 0/1."""
    if isinstance(x, dict):
        return {k: normalise(v) for k, v in x.items()}
    if isinstance(x, list):
        return [normalise(v) for v in x]
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, str) and _NUM.fullmatch(x):
        return float(x)
    if isinstance(x, (int, float)):
        return float(x)
    return x


FIXTURES = [
    "task_machine_translation_003.json",
    "task_human_translation_003.json",
    "task_translation_no_source_003.json",
    "catalog_item_translation_003.json",
    "caption_asset_list_003.json",
    "caption_asset_get_003.json",
    "list_flags_004.json",
]


@pytest.mark.parametrize("name", FIXTURES)
def test_round_trip_up_to_normalisation(name: str) -> None:
    x = load(name)
    model = parse(x)
    out = dump(model)
    assert normalise(out) == normalise(x)
    assert not _has_extra(model), "every field of the seed examples is modelled"


def _has_extra(obj: Any) -> bool:
    from kaltura_reach_vendor.models import KalturaObject

    if isinstance(obj, KalturaObject):
        if obj.extra:
            return True
        return any(_has_extra(getattr(obj, a)) for a in type(obj).__slots__ if a != "extra")
    if isinstance(obj, list):
        return any(_has_extra(v) for v in obj)
    if isinstance(obj, dict):
        return any(_has_extra(v) for v in obj.values())
    return False


def test_seed_002_getjobs_typo_is_kept_losslessly() -> None:
    """Seed 002's getJobs example has misplaced braces: ``totalCount``/``objectType`` of the
    catalog list sit in ``relatedObjects`` and ``reach_vendor_profile`` sits on the task.
    Nothing is lost: the stray values are kept in ``extra`` and dumped back in place."""
    x = load("getjobs_captions_002.json")
    tasks = parse(x, EntryVendorTaskListResponse)
    (task,) = tasks
    assert task.id == 15  # sent as the string "15"
    assert task.status is EntryVendorTaskStatus.PENDING
    assert "reach_vendor_profile" in task.extra
    # The abstract objectType is refined by serviceFeature; the wire objectType is kept.
    ci = task.catalog_item
    assert isinstance(ci, VendorCaptionsCatalogItem)
    assert ci.output_format is VendorCatalogItemOutputFormat.SRT
    assert ci.enable_speaker_id is NullableBoolean.TRUE_VALUE
    assert ci.extra == {"objectType": "KalturaVendorCatalogItem"}
    out = dump(tasks)
    # Only normalisation: the objectType-less list gets its declared base objectType.
    related = out["objects"][0]["relatedObjects"]
    assert related["reach_vendor_catalog_item"].pop("objectType") == "KalturaListResponse"
    assert normalise(out) == normalise(x)


def test_machine_translation_task_is_typed() -> None:
    task = parse(load("task_machine_translation_003.json"), EntryVendorTask)
    assert task.id == 381257922
    assert isinstance(task.task_job_data, TranslationVendorTaskData)
    assert task.task_job_data.caption_asset_id == "1_bq18b0sa"
    ci = task.catalog_item
    assert isinstance(ci, VendorTranslationCatalogItem)
    assert ci.target_language is CatalogItemLanguage.ES
    assert ci.service_type is VendorServiceType.MACHINE
    assert task.effective_service_feature is VendorServiceFeature.TRANSLATION
    assert isinstance(task.reach_profile, ReachProfile)
    assert task.reach_profile.max_characters_per_caption_line == 26


def test_catalog_item_output_format_sent_as_string() -> None:
    ci = parse(load("catalog_item_translation_003.json"))
    assert isinstance(ci, VendorTranslationCatalogItem)
    assert ci.output_format is VendorCatalogItemOutputFormat.SRT  # "1" on the wire
    assert ci.pricing is not None and ci.pricing.price_per_unit == 0.0


def test_caption_assets() -> None:
    lst = parse(load("caption_asset_list_003.json"), CaptionAssetListResponse)
    assert lst.total_count == 4 and len(lst) == 4
    first = next(iter(lst))
    assert first.format is CaptionType.SRT and first.status is CaptionAssetStatus.READY
    assert first.size_in_bytes == 73002 and first.version == 1  # both sent as strings
    assert first.associated_transcript_ids == "1_462rzb5h,1_zoymftge"
    one = parse(load("caption_asset_get_003.json"), CaptionAsset)
    assert one.accuracy == 100 and one.display_on_player is True


def test_list_flags() -> None:
    flags = parse(load("list_flags_004.json"), ModerationFlagListResponse)
    (flag,) = flags
    assert flag.flag_type is ModerationFlagType.SEXUAL_CONTENT
    assert flag.status is ModerationFlagStatus.PENDING  # int 1 for a string enum
    assert dump(flag)["status"] == "1"
