"""INPUT-3 output format and its caption asset format; INPUT-5 speakers; line wrapping."""

from __future__ import annotations

from typing import Any

import pytest

from kaltura_reach_vendor import (
    CaptionDocument,
    CaptionFormat,
    CaptionType,
    Cue,
    EntryVendorTask,
    UsageError,
    VendorCatalogItemOutputFormat,
    apply_profile,
    caption_type_for,
    label_speakers,
    mark_speaker_changes,
    output_format,
    parse,
    wrap_lines,
)
from kaltura_reach_vendor.captions import max_line_chars


def task_with(catalog: dict[str, Any] | None, profile: dict[str, Any] | None) -> EntryVendorTask:
    related: dict[str, Any] = {}
    if catalog is not None:
        related["reach_vendor_catalog_item"] = {
            "objects": [{"serviceFeature": 1, **catalog}],
            "totalCount": 1,
            "objectType": "KalturaVendorCatalogItemListResponse",
        }
    if profile is not None:
        related["reach_vendor_profile"] = {
            "objects": [{**profile, "objectType": "KalturaReachProfile"}],
            "totalCount": 1,
            "objectType": "KalturaReachProfileListResponse",
        }
    raw: dict[str, Any] = {"id": "1", "status": 1, "objectType": "KalturaEntryVendorTask"}
    if related:
        raw["relatedObjects"] = related
    return parse(raw, EntryVendorTask)


CAPTIONS_ITEM = {"objectType": "KalturaVendorCaptionsCatalogItem"}


@pytest.mark.rule("INPUT-3")
@pytest.mark.rule("INPUT-6")
@pytest.mark.parametrize(
    ("catalog", "profile", "expected"),
    [
        ({**CAPTIONS_ITEM, "outputFormat": 3}, {"defaultOutputFormat": 2}, CaptionFormat.VTT),
        (CAPTIONS_ITEM, {"defaultOutputFormat": 2}, CaptionFormat.DFXP),
        (CAPTIONS_ITEM, {"name": "no default"}, CaptionFormat.SRT),
        (None, None, CaptionFormat.SRT),
    ],
)
def test_output_format_catalog_then_profile_then_srt(
    catalog: dict[str, Any] | None, profile: dict[str, Any] | None, expected: CaptionFormat
) -> None:
    assert output_format(task_with(catalog, profile)) is expected


@pytest.mark.rule("INPUT-3")
def test_output_format_maps_to_the_caption_asset_format_and_extension() -> None:
    # The two enums disagree on VTT, which is why the mapping exists.
    assert VendorCatalogItemOutputFormat.VTT != CaptionType.WEBVTT
    assert caption_type_for(VendorCatalogItemOutputFormat.SRT) is CaptionType.SRT
    assert caption_type_for(VendorCatalogItemOutputFormat.DFXP) is CaptionType.DFXP
    assert caption_type_for(VendorCatalogItemOutputFormat.VTT) is CaptionType.WEBVTT
    assert [(f.caption_type, f.extension, f.output_format) for f in CaptionFormat] == [
        (CaptionType.SRT, "srt", VendorCatalogItemOutputFormat.SRT),
        (CaptionType.WEBVTT, "vtt", VendorCatalogItemOutputFormat.VTT),
        (CaptionType.DFXP, "dfxp", VendorCatalogItemOutputFormat.DFXP),
    ]
    fmt = output_format(task_with({**CAPTIONS_ITEM, "outputFormat": 3}, None))
    assert (fmt.caption_type, fmt.extension) == (CaptionType.WEBVTT, "vtt")
    assert CaptionFormat.of(CaptionType.WEBVTT) is CaptionFormat.VTT
    with pytest.raises(UsageError):
        CaptionFormat.of(CaptionType.SCC)


SPEAKERS = CaptionDocument(
    [
        Cue(0, 1000, ("Hello",), speaker="Speaker 1"),
        Cue(1000, 2000, ("still me", "two lines"), speaker="Speaker 1"),
        Cue(2000, 3000, ("music",)),
        Cue(3000, 4000, ("Hi",), speaker="Interviewer"),
        Cue(4000, 5000, ("Back",), speaker="Speaker 1"),
    ]
)


@pytest.mark.rule("INPUT-5")
def test_speaker_labels_on_every_cue_with_a_speaker() -> None:
    lines = [cue.lines for cue in label_speakers(SPEAKERS)]
    assert lines == [
        ("[Speaker 1] Hello",),
        ("[Speaker 1] still me", "two lines"),
        ("music",),
        ("[Interviewer] Hi",),
        ("[Speaker 1] Back",),
    ]


@pytest.mark.rule("INPUT-5")
def test_change_of_speaker_is_marked_with_chevrons() -> None:
    lines = [cue.lines[0] for cue in mark_speaker_changes(SPEAKERS)]
    assert lines == [">> Hello", "still me", "music", ">> Hi", ">> Back"]


@pytest.mark.rule("INPUT-5")
@pytest.mark.rule("INPUT-6")
def test_apply_profile_follows_the_task_flags() -> None:
    both = task_with(
        {**CAPTIONS_ITEM, "enableSpeakerId": True},
        {"enableSpeakerChangeIndication": True, "maxCharactersPerCaptionLine": 14},
    )
    doc = apply_profile(SPEAKERS, both)
    assert doc.cues[0].lines == (">> [Speaker 1]", "Hello")
    assert doc.cues[1].lines == ("[Speaker 1]", "still me", "two lines")
    neither = task_with({**CAPTIONS_ITEM, "enableSpeakerId": False}, {"name": "p"})
    assert apply_profile(SPEAKERS, neither) == SPEAKERS
    assert max_line_chars(neither) is None and max_line_chars(both) == 14


@pytest.mark.rule("INPUT-6")
def test_the_settings_a_vendor_ignores_change_nothing() -> None:
    plain = task_with(CAPTIONS_ITEM, {"maxCharactersPerCaptionLine": 14})
    ignored = {
        "enableMachineModeration": True,
        "enableHumanModeration": True,
        "labelAdditionForMachineServiceType": "(machine)",
        "labelAdditionForHumanServiceType": "(human)",
    }
    noisy = task_with(CAPTIONS_ITEM, {"maxCharactersPerCaptionLine": 14, **ignored})
    assert apply_profile(SPEAKERS, noisy) == apply_profile(SPEAKERS, plain)
    assert output_format(noisy) is output_format(plain)


@pytest.mark.rule("INPUT-6")
def test_wrap_lines_respects_the_limit_and_keeps_words() -> None:
    doc = CaptionDocument([Cue(0, 1000, ("the quick brown fox jumps", "over"))])
    wrapped = wrap_lines(doc, 10)
    assert wrapped.cues[0].lines == ("the quick", "brown fox", "jumps", "over")
    assert all(len(line) <= 10 for line in wrapped.cues[0].lines)
    assert wrap_lines(CaptionDocument([Cue(0, 9, ("abcdefghij",))]), 4).cues[0].lines == (
        "abcd",
        "efgh",
        "ij",
    )
    assert wrap_lines(doc, None) is doc
    with pytest.raises(UsageError):
        wrap_lines(doc, -3)
