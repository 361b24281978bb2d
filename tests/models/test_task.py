"""What a vendor reads off a task: service, languages, output format, dictionary, notes."""

from __future__ import annotations

from typing import Any

import pytest

from kaltura_reach_vendor import (
    CatalogItemLanguage,
    EntryVendorTask,
    VendorCatalogItemOutputFormat,
    VendorServiceFeature,
    VendorServiceType,
    parse,
)

from .conftest import load


def task_with(
    catalog: dict[str, Any] | None, profile: dict[str, Any] | None, **fields: Any
) -> EntryVendorTask:
    related: dict[str, Any] = {}
    if catalog is not None:
        related["reach_vendor_catalog_item"] = {
            "objects": [catalog],
            "totalCount": 1,
            "objectType": "KalturaVendorCatalogItemListResponse",
        }
    if profile is not None:
        related["reach_vendor_profile"] = {
            "objects": [{**profile, "objectType": "KalturaReachProfile"}],
            "totalCount": 1,
            "objectType": "KalturaReachProfileListResponse",
        }
    raw = {"id": "1", "status": 1, "objectType": "KalturaEntryVendorTask", **fields}
    if related:
        raw["relatedObjects"] = related
    return parse(raw, EntryVendorTask)


CAPTIONS = {
    "serviceFeature": 1,
    "serviceType": 2,
    "sourceLanguage": "English",
    "objectType": "KalturaVendorCaptionsCatalogItem",
}


@pytest.mark.rule("INPUT-3")
def test_output_format_from_catalog_item_first() -> None:
    task = task_with({**CAPTIONS, "outputFormat": 3}, {"defaultOutputFormat": 2})
    assert task.output_format is VendorCatalogItemOutputFormat.VTT


@pytest.mark.rule("INPUT-3")
def test_output_format_falls_back_to_profile_default() -> None:
    task = task_with(CAPTIONS, {"defaultOutputFormat": 2})
    assert task.output_format is VendorCatalogItemOutputFormat.DFXP


@pytest.mark.rule("INPUT-3")
def test_output_format_defaults_to_srt() -> None:
    assert task_with(None, None).output_format is VendorCatalogItemOutputFormat.SRT
    assert task_with(CAPTIONS, {"name": "p"}).output_format is VendorCatalogItemOutputFormat.SRT


@pytest.mark.rule("INPUT-3")
def test_output_format_of_unknown_catalog_subclass_read_from_extra() -> None:
    unknown = {
        "serviceFeature": 99,
        "outputFormat": "3",
        "objectType": "KalturaVendorHoloCatalogItem",
    }
    task = task_with(unknown, None)
    assert task.catalog_item is not None and task.catalog_item.extra["outputFormat"] == "3"
    assert task.output_format is VendorCatalogItemOutputFormat.VTT


@pytest.mark.rule("INPUT-4")
def test_dictionary_terms_are_lines_for_machine_and_human_jobs() -> None:
    for service_type in (1, 2):
        task = task_with(
            {**CAPTIONS, "serviceType": service_type},
            None,
            dictionary="Kaltura\r\n  REACH  \n\nentry vendor task\n",
        )
        assert task.dictionary_terms == ["Kaltura", "REACH", "entry vendor task"]


@pytest.mark.rule("INPUT-4")
def test_dictionary_falls_back_to_profile_dictionary_of_source_language() -> None:
    profile = {
        "dictionaries": [
            {"language": "French", "data": "bonjour", "objectType": "KalturaDictionary"},
            {"language": "English", "data": "hello\nworld", "objectType": "KalturaDictionary"},
        ]
    }
    assert task_with(CAPTIONS, profile).dictionary_terms == ["hello", "world"]
    assert task_with(CAPTIONS, None).dictionary_terms == []


@pytest.mark.rule("INPUT-4")
def test_notes_only_for_human_jobs() -> None:
    human = task_with({**CAPTIONS, "serviceType": 1}, None, notes="speaker names: Ann, Bob")
    machine = task_with({**CAPTIONS, "serviceType": 2}, None, notes="speaker names: Ann, Bob")
    assert human.is_human and human.worker_notes == "speaker names: Ann, Bob"
    assert machine.is_machine and machine.worker_notes is None
    assert machine.notes == "speaker names: Ann, Bob"  # the raw field is still there


@pytest.mark.rule("INPUT-1")
def test_service_feature_and_type_from_task_or_catalog_item() -> None:
    task = task_with(CAPTIONS, None)
    assert task.effective_service_feature is VendorServiceFeature.CAPTIONS
    assert task.effective_service_type is VendorServiceType.MACHINE
    own = task_with(CAPTIONS, None, serviceFeature=2, serviceType=1)
    assert own.effective_service_feature is VendorServiceFeature.TRANSLATION
    assert own.is_human


@pytest.mark.rule("INPUT-8")
def test_languages_are_catalog_item_languages() -> None:
    task = parse(load("task_human_translation_003.json"), EntryVendorTask)
    assert task.source_language is CatalogItemLanguage.CA
    assert task.target_language is CatalogItemLanguage.NL
    assert task.target_language.value == "Dutch"


def test_is_live() -> None:
    live = task_with(
        {"serviceFeature": 8, "objectType": "KalturaVendorLiveCaptionCatalogItem"},
        None,
        taskJobData={
            "startDate": 1,
            "endDate": 2,
            "scheduledEventId": 3,
            "objectType": "KalturaScheduledVendorTaskData",
        },
    )
    assert live.is_live
    assert not task_with(CAPTIONS, None).is_live
    assert not task_with(None, None).is_live


def test_task_without_related_objects() -> None:
    task = task_with(None, None)
    assert task.catalog_item is None and task.reach_profile is None
    assert task.source_language is None and task.effective_service_type is None
