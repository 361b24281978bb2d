"""``source_captions`` end to end on the ``media`` scenario (TRANS-1 to TRANS-3, CAP-6)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kaltura_reach_vendor import EntryVendorTask, SourceCaptionsRejected, StateError
from kaltura_reach_vendor._source_captions import cue_times
from kaltura_reach_vendor.sandbox import MEDIA_TASKS, Sandbox

from .conftest import Driver


@pytest.fixture
def media() -> Iterator[Sandbox]:
    with Sandbox("media", seed=3) as box:
        yield box


@pytest.fixture(params=["sync", "async"])
def drive(request: pytest.FixtureRequest, media: Sandbox) -> Iterator[Driver]:
    driver = Driver(request.param, media)
    yield driver
    driver.close()


def _claim(drive: Driver, name: str) -> EntryVendorTask:
    task = drive("get_task", MEDIA_TASKS[name])
    drive("claim", task)
    return task


@pytest.mark.rule("TRANS-1")
def test_the_source_is_read_by_its_id_never_by_listing(drive: Driver, media: Sandbox) -> None:
    task = _claim(drive, "translate_accurate")
    media.clear_request_log()
    source = drive("source_captions", task)
    assert source.format == "srt" and source.cues and source.asset.accuracy == 100
    assert source.asset.id == task.task_job_data.caption_asset_id  # type: ignore[union-attr]
    actions = [(r.service.lower(), r.action.lower()) for r in media.request_log]
    assert ("caption_captionasset", "geturl") in actions
    assert ("caption_captionasset", "list") not in actions
    tags = [r.client_tag for r in media.request_log if r.service.lower() != "session"]
    assert tags and all(str(tag).endswith(f"-{task.id}") for tag in tags)


@pytest.mark.rule("TRANS-2")
def test_a_source_below_100_percent_is_refused_for_fail(drive: Driver) -> None:
    task = _claim(drive, "translate_inaccurate")
    with pytest.raises(SourceCaptionsRejected, match="TRANS-2") as refused:
        drive("source_captions", task)
    failed = drive("fail", task, str(refused.value))  # short enough for errDescription
    assert failed.is_final


@pytest.mark.rule("TRANS-2")
@pytest.mark.rule("CAP-6")
def test_a_source_with_a_1_ms_block_is_refused(drive: Driver) -> None:
    task = _claim(drive, "translate_one_ms")
    with pytest.raises(SourceCaptionsRejected, match="1 ms"):
        drive("source_captions", task)


@pytest.mark.rule("TRANS-3")
def test_a_translation_from_the_audio_points_to_the_media(drive: Driver) -> None:
    task = _claim(drive, "translate_from_audio")
    with pytest.raises(StateError, match="download_media"):
        drive("source_captions", task)


@pytest.mark.rule("CAP-6")
def test_cue_times_of_each_format() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,500\nHello\n\n2\n00:00:03,000 --> 00:00:03,001\nx\n"
    assert cue_times(srt, "srt") == ((1000, 2500), (3000, 3001))
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello\n"
    assert cue_times(vtt, "vtt") == ((1000, 2500),)
    dfxp = (
        '<tt xmlns="http://www.w3.org/ns/ttml"><body><div>'
        '<p begin="00:00:01.000" end="00:00:02.500">Hello</p>'
        '<p begin="3s" end="3001ms">x</p></div></body></tt>'
    )
    assert cue_times(dfxp, "dfxp") == ((1000, 2500), (3000, 3001))
    with pytest.raises(ValueError):
        cue_times("not captions at all -->", "srt")
