"""``deliver_captions`` and ``deliver_translation`` end to end on the sandbox, both clients.

Every field the rules name is read back from the sandbox's own state (CAP-1, CAP-3, CAP-7,
TRANS-4, TRANS-5, LIFE-5, LIFE-6, LIFE-7); the HTTP requests after the claim are counted
at the transport, not only by the SDK's own counter.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import (
    CaptionValidationError,
    EntryVendorTask,
    EntryVendorTaskStatus,
    UsageError,
)
from kaltura_reach_vendor._secrets import mask
from kaltura_reach_vendor.deliveries import DeliveryResult
from kaltura_reach_vendor.sandbox import MEDIA_TASKS, Sandbox

from .conftest import MACHINE_CAPTIONS, Driver

# The demo scenario's `sandbox` and `drive` fixtures come from conftest.py.

SRT = (
    "1\n00:00:01,000 --> 00:00:03,500\nHello and welcome.\n\n"
    "2\n00:00:04,000 --> 00:00:06,000\nToday: captions.\n"
)
ONE_MS = "1\n00:00:04,000 --> 00:00:04,001\nToo short.\n"


class Counter:
    """In front of the sandbox: counts HTTP requests."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.inner = sandbox.transport()
        self.requests = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return self.inner.handle_request(request)


@pytest.fixture
def media() -> Iterator[Sandbox]:
    with Sandbox("media", seed=5) as box:
        yield box


@pytest.fixture(params=["sync", "async"])
def counted(request: pytest.FixtureRequest, media: Sandbox) -> Iterator[tuple[Driver, Counter]]:
    counter = Counter(media)
    driver = Driver(request.param, media, transport=httpx.MockTransport(counter))
    yield driver, counter
    driver.close()


def _claim(drive: Driver, name: str) -> EntryVendorTask:
    task = drive("get_task", MEDIA_TASKS[name])
    drive("claim", task, external_task_id="job-1")
    return task


def _captions(media: Sandbox, entry_id: str | None) -> list[dict[str, Any]]:
    return [a for a in media.assets(entry_id, "caption")]


@pytest.mark.rule("CAP-1")
@pytest.mark.rule("CAP-3")
@pytest.mark.rule("CAP-7")
@pytest.mark.rule("LIFE-6")
def test_deliver_captions_in_two_requests(counted: tuple[Driver, Counter], media: Sandbox) -> None:
    drive, counter = counted
    task = _claim(drive, "hls")
    before = {a["id"] for a in _captions(media, task.entry_id)}
    counter.requests = 0
    result = drive("deliver_captions", task, SRT, accuracy=97, external_task_id="job-1")
    assert isinstance(result, DeliveryResult)
    assert counter.requests == result.requests == 2  # one multirequest, one updateJob
    new = [a for a in _captions(media, task.entry_id) if a["id"] not in before]
    assert len(new) == 1
    asset = new[0]
    assert asset["id"] == result.output_object_id
    assert str(asset["format"]) == "1" and asset["fileExt"] == "srt"  # INPUT-3: SRT by default
    assert asset["accuracy"] == 97
    assert asset["language"] == asset["label"] == "English"
    assert asset["isDefault"] in (1, True) and asset["displayOnPlayer"] in (1, True)
    assert asset["status"] == 2  # READY (CAP-3)
    assert b"Hello and welcome." in (media.asset_content(asset["id"]) or b"")
    stored = media.task(int(task.id or 0))
    assert stored["status"] == EntryVendorTaskStatus.READY
    assert stored["outputObjectId"] == asset["id"] and stored["accuracy"] == 97
    assert stored["externalTaskId"] == "job-1"
    assert result.task.status is EntryVendorTaskStatus.READY


@pytest.mark.rule("CAP-6")
def test_an_invalid_file_creates_nothing(counted: tuple[Driver, Counter], media: Sandbox) -> None:
    drive, counter = counted
    task = _claim(drive, "hls")
    before = len(_captions(media, task.entry_id))
    counter.requests = 0
    with pytest.raises(CaptionValidationError) as refused:
        drive("deliver_captions", task, ONE_MS, accuracy=97)
    assert counter.requests == 0
    assert len(_captions(media, task.entry_id)) == before
    assert "1 ms" in str(refused.value) or refused.value.report.problems


@pytest.mark.rule("TRANS-4")
@pytest.mark.rule("TRANS-5")
def test_deliver_translation(counted: tuple[Driver, Counter], media: Sandbox) -> None:
    drive, counter = counted
    task = _claim(drive, "translate_accurate")
    counter.requests = 0
    result = drive("deliver_translation", task, SRT, accuracy=99, format="vtt")
    assert counter.requests == 2
    asset = next(a for a in _captions(media, task.entry_id) if a["id"] == result.output_object_id)
    assert asset["isDefault"] in (0, False) and asset["displayOnPlayer"] in (1, True)
    assert asset["language"] == asset["label"] == "Spanish"
    assert str(asset["format"]) == "3" and asset["fileExt"] == "vtt"
    assert media.task(int(task.id or 0))["outputObjectId"] == asset["id"]  # the new asset


@pytest.mark.rule("LIFE-5")
def test_a_write_of_unknown_outcome_leaves_exactly_one_asset(
    counted: tuple[Driver, Counter], media: Sandbox
) -> None:
    drive, _counter = counted
    task = _claim(drive, "hls")
    before = {a["id"] for a in _captions(media, task.entry_id)}
    media.faults.drop_after_processing_next()  # the create multirequest runs, then drops
    result = drive("deliver_captions", task, SRT, accuracy=90)
    new = [a for a in _captions(media, task.entry_id) if a["id"] not in before]
    assert [a["id"] for a in new] == [result.output_object_id]
    assert media.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.READY


def test_a_refusal_before_the_work_sends_nothing(
    counted: tuple[Driver, Counter], media: Sandbox
) -> None:
    drive, counter = counted
    task = drive("get_task", MEDIA_TASKS["hls"])  # not claimed: PENDING
    counter.requests = 0
    with pytest.raises(Exception, match=r"PROCESSING|claim"):
        drive("deliver_captions", task, SRT, accuracy=90)
    with pytest.raises(Exception, match="accuracy"):
        drive("deliver_captions", task, SRT, accuracy=101)
    assert counter.requests == 0


VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nA woman opens the door.\n"
EAD_CATALOG = 30006  # demo scenario: extended audio description


@pytest.mark.rule("EAD-1")
@pytest.mark.rule("EAD-2")
@pytest.mark.rule("EAD-4")
def test_deliver_extended_audio_description(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(EAD_CATALOG)
    drive("claim", task)
    result = drive("deliver_extended_audio_description", task, VTT, accuracy=95)
    asset = next(
        a for a in sandbox.assets(task.entry_id, "caption") if a["id"] == result.output_object_id
    )
    assert str(asset["usage"]) == "1"
    assert asset["displayOnPlayer"] in (0, False) and asset["isDefault"] in (0, False)
    assert str(asset["format"]) == "3" and asset["fileExt"] == "vtt"
    assert asset["label"] == f"{asset['language']} Extended Audio Description"
    assert b"00:00:01.000 --> 00:00:04.000" in (sandbox.asset_content(asset["id"]) or b"")
    assert sandbox.task(int(task.id or 0))["outputObjectId"] == asset["id"]
    assert result.requests == 2


@pytest.mark.rule("EAD-3")
def test_the_legacy_attachment_form_only_on_request(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(EAD_CATALOG)
    drive("claim", task)
    before = len(sandbox.assets(task.entry_id, "caption"))
    result = drive(
        "deliver_extended_audio_description", task, VTT, accuracy=95, legacy_attachment=True
    )
    attachment = next(
        a for a in sandbox.assets(task.entry_id, "attachment") if a["id"] == result.output_object_id
    )
    assert attachment["tags"] == "AAD" and attachment["fileExt"] == "vtt"
    assert attachment["title"].endswith("Extended Audio Description")
    assert len(sandbox.assets(task.entry_id, "caption")) == before  # no caption asset


@pytest.mark.rule("CAP-4")
def test_a_transcript_is_added_verified_and_linked_in_the_same_request(
    counted: tuple[Driver, Counter], media: Sandbox
) -> None:
    drive, counter = counted
    task = _claim(drive, "hls")
    counter.requests = 0
    text = "Hello and welcome. Today: captions."
    result = drive("deliver_captions", task, SRT, accuracy=96, transcript=text)
    assert counter.requests == result.requests == 2
    caption_id, transcript_id = result.object_ids
    transcript = next(
        a for a in media.assets(task.entry_id, "attachment") if a["id"] == transcript_id
    )
    assert transcript["objectType"] == "KalturaTranscriptAsset"
    assert transcript["accuracy"] == pytest.approx(0.96) and transcript["status"] == 2
    assert transcript["language"] == "English" and transcript["fileExt"] == "txt"
    assert media.asset_content(transcript_id) == text.encode()
    caption = next(a for a in _captions(media, task.entry_id) if a["id"] == caption_id)
    assert caption["associatedTranscriptIds"] == transcript_id
    assert media.task(int(task.id or 0))["outputObjectId"] == caption_id


@pytest.mark.rule("CAP-5")
def test_tags_are_appended_to_the_entry_tags(
    counted: tuple[Driver, Counter], media: Sandbox
) -> None:
    drive, counter = counted
    task = _claim(drive, "hls")
    entry_id = str(task.entry_id)
    with media.state.lock:
        media.state.entries[entry_id].data["tags"] = "lecture,physics"
    counter.requests = 0
    result = drive("deliver_captions", task, SRT, accuracy=96, tags=["Physics", "optics"])
    assert counter.requests == result.requests == 3  # the entry's tags take one more request
    assert media.entry(entry_id)["tags"] == "lecture,physics,optics"


SECRET_HEADER = "Bearer vendor-storage-token-7f3a9c2e"


@pytest.mark.rule("CAP-2")
@pytest.mark.rule("AUTH-9")
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_captions_from_an_authenticated_url(
    kind: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[str | None] = []

    def storage(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        if request.headers.get("authorization") != SECRET_HEADER:
            return httpx.Response(403)
        return httpx.Response(200, text=SRT)

    with Sandbox("media", seed=6, url_fetch_transport=httpx.MockTransport(storage)) as box:
        drive = Driver(kind, box)
        try:
            task = _claim(drive, "hls")
            with caplog.at_level(logging.DEBUG, logger="kaltura_reach_vendor"):
                result = drive(
                    "deliver_captions",
                    task,
                    SRT,
                    accuracy=95,
                    url="https://storage.vendor.test/job-17.srt",
                    headers={"Authorization": SECRET_HEADER},
                )
            assert seen == [SECRET_HEADER]  # Kaltura fetched it with the header (CAP-2)
            content = box.asset_content(result.output_object_id) or b""
            assert b"Hello and welcome." in content
            logged = "\n".join(r.getMessage() for r in caplog.records)
            assert "vendor-storage-token" not in logged
            assert "vendor-storage-token" not in mask(f"header {SECRET_HEADER}")
        finally:
            drive.close()


@pytest.mark.rule("CAP-2")
def test_a_large_file_goes_up_through_an_upload_token(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    drive("claim", task)
    cues = "".join(
        f"{i}\n{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d},000 --> "
        f"{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d},800\n{'word ' * 3}{i}\n\n"
        for i in range(1, 20_000)
    )
    assert len(cues.encode()) > 512 * 1024
    result = drive("deliver_captions", task, cues, accuracy=90)
    assert result.requests > 2  # uploadToken.add and upload, then the usual two
    tokens = [t for t in sandbox.upload_tokens() if t.get("fileName") == "captions.srt"]
    assert tokens
    assert (sandbox.asset_content(result.output_object_id) or b"").startswith(b"1\n00:00:01,000")


@pytest.mark.rule("CAP-5")
def test_translation_tags_go_into_multilingual_tags(
    counted: tuple[Driver, Counter], media: Sandbox
) -> None:
    drive, counter = counted
    task = _claim(drive, "translate_accurate")
    entry_id = str(task.entry_id)
    french = {"objectType": "KalturaMultiLingualString", "language": "FR", "value": "francais"}
    with media.state.lock:
        media.state.entries[entry_id].data["multiLingual_tags"] = [dict(french)]
    with pytest.raises(UsageError, match="tags_language"):
        drive("deliver_translation", task, SRT, accuracy=99, tags=["uno"])
    counter.requests = 0
    result = drive(
        "deliver_translation",
        task,
        SRT,
        accuracy=99,
        tags=["uno", "Dos", "UNO"],
        tags_language="ES",
    )
    assert counter.requests == result.requests == 3
    tags = media.entry(entry_id)["multiLingual_tags"]
    assert french in tags
    assert {"objectType": "KalturaMultiLingualString", "language": "ES", "value": "uno,Dos"} in tags
