"""Enums: wire values exactly as reference §8, unknown values kept (forward compatibility)."""

from __future__ import annotations

import json

import pytest

from kaltura_reach_vendor.enums import (
    CaptionType,
    CatalogItemLanguage,
    EntryStatus,
    EntryVendorTaskStatus,
    NullableBoolean,
    VendorServiceFeature,
    VendorServiceTurnAroundTime,
)


def test_task_status_values_and_final_states() -> None:
    assert [s.value for s in EntryVendorTaskStatus] == list(range(1, 10))
    finals = {s for s in EntryVendorTaskStatus if s.is_final}
    assert finals == {
        EntryVendorTaskStatus.READY,
        EntryVendorTaskStatus.ERROR,
        EntryVendorTaskStatus.ABORTED,
        EntryVendorTaskStatus.REJECTED,
    }


@pytest.mark.rule("INPUT-1")
def test_service_features_cover_1_to_23() -> None:
    assert [f.value for f in VendorServiceFeature] == list(range(1, 24))
    assert VendorServiceFeature.SPEECH_TO_VIDEO == 20  # the guides' table omits 20
    assert {f for f in VendorServiceFeature if f.is_live} == {
        VendorServiceFeature.LIVE_CAPTION,
        VendorServiceFeature.LIVE_TRANSLATION,
    }


def test_turnaround_business_days_vs_seconds() -> None:
    assert VendorServiceTurnAroundTime(3).business_days == 3
    assert VendorServiceTurnAroundTime.THREE_HOURS.seconds == 10800
    assert VendorServiceTurnAroundTime.BEST_EFFORT.business_days is None
    assert VendorServiceTurnAroundTime.BEST_EFFORT.seconds is None


@pytest.mark.rule("INPUT-8")
def test_languages_are_english_names_97_values() -> None:
    assert len(CatalogItemLanguage) == 97
    assert CatalogItemLanguage("Spanish (Latin America)") is CatalogItemLanguage.ES_XL
    assert CatalogItemLanguage.EN_US.value == "English (American)"
    assert CatalogItemLanguage.AUTO_DETECT.value == "Auto Detect"
    assert all(not lang.value.islower() for lang in CatalogItemLanguage)  # never ISO codes


def test_unknown_int_value_is_kept_and_round_trips() -> None:
    s = EntryVendorTaskStatus(42)
    assert s.value == 42 and s == 42 and not s.is_known
    assert s.name == "UNKNOWN_42"
    assert EntryVendorTaskStatus(42) is s  # cached
    assert json.dumps(s.value) == "42"
    assert 42 not in [m.value for m in EntryVendorTaskStatus]  # iteration lists known only


def test_unknown_string_value_is_kept() -> None:
    lang = CatalogItemLanguage("Klingon")
    assert lang.value == "Klingon" and not lang.is_known
    assert EntryStatus("newPlugin.Status").value == "newPlugin.Status"


def test_lenient_scalar_forms() -> None:
    assert EntryVendorTaskStatus("3") is EntryVendorTaskStatus.PROCESSING
    assert CaptionType(1) is CaptionType.SRT  # dynamic string enum sent as int
    assert NullableBoolean(True) is NullableBoolean.TRUE_VALUE
    assert NullableBoolean(False) is NullableBoolean.FALSE_VALUE
    assert bool(NullableBoolean.NULL_VALUE) is False
    assert bool(NullableBoolean.TRUE_VALUE) is True


def test_wrong_type_still_rejected() -> None:
    with pytest.raises(ValueError):
        EntryVendorTaskStatus("pending")
    with pytest.raises(ValueError):
        CaptionType(None)
