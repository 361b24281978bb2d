"""``deliver_dubbing`` and ``deliver_audio_description`` end to end on the sandbox, both clients.

Every field DUB-1 to DUB-5 names is read back from the sandbox's own state; the HTTP requests
after the claim are counted at the transport (the uploads plus at most 2).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import (
    ApiCall,
    AudioFormatError,
    ConversionError,
    DeliveryError,
    EntryVendorTask,
    EntryVendorTaskStatus,
    UsageError,
)
from kaltura_reach_vendor._readiness import ReadyWait
from kaltura_reach_vendor.deliveries import DeliveryResult
from kaltura_reach_vendor.deliveries._common import ATTEMPT, marker, marker_task
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Driver
from .media_files import make_aac_mp4, make_alac_mp4, make_mp3, make_mp3_in_mp4

DUBBING = 30004  # demo scenario: EN > ES, flavorParamsId 200, clearAudioFlavorParamsId 201
DESCRIPTION = 30005  # demo scenario: EN, flavorParamsId 202, clearAudioFlavorParamsId 203
SRT = "1\n00:00:00,500 --> 00:00:02,000\nHola a todos.\n"
DUB = make_aac_mp4(128_000)
ORIGINAL = make_aac_mp4(64_000)


Forward = Callable[[], httpx.Response]


class Wire:
    """In front of the sandbox: counts HTTP requests; the next multirequests can be scripted
    (each script gets a function forwarding the request to the sandbox)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.inner = sandbox.transport()
        self.requests = 0
        self.multirequests: list[Callable[[Forward], httpx.Response]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1

        def forward() -> httpx.Response:
            return self.inner.handle_request(request)

        if "service/multirequest" in str(request.url) and self.multirequests:
            return self.multirequests.pop(0)(forward)
        return forward()


def dropped_after_processing(sandbox: Sandbox) -> Callable[[Forward], httpx.Response]:
    """The server runs the multirequest, then the connection drops unanswered."""

    def script(forward: Forward) -> httpx.Response:
        sandbox.faults.drop_after_processing_next()
        return forward()

    return script


def rewritten(change: Callable[[Any], Any]) -> Callable[[Forward], httpx.Response]:
    """The sandbox's answer, changed by ``change``."""

    def script(forward: Forward) -> httpx.Response:
        answer = forward()
        return httpx.Response(answer.status_code, json=change(json.loads(answer.read())))

    return script


def refused(code: str, items: int) -> Callable[[Forward], httpx.Response]:
    """Every item refused with ``code``; the sandbox never sees the request."""
    error = {"objectType": "KalturaAPIException", "code": code, "message": code, "args": []}
    return lambda forward: httpx.Response(200, json=[error] * items)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """The demo scenario, converting delivered media at once (polling has its own tests)."""
    with Sandbox("demo", seed=1, media_ready_after=0) as box:
        yield box


@pytest.fixture(params=["sync", "async"])
def wired(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[tuple[Driver, Wire]]:
    wire = Wire(sandbox)
    driver = Driver(request.param, sandbox, transport=httpx.MockTransport(wire))
    yield driver, wire
    driver.close()


def _claimed(drive: Driver, catalog_item: int) -> EntryVendorTask:
    task = drive.task_for(catalog_item)
    drive("claim", task)
    return task


def _flavors(sandbox: Sandbox, task: EntryVendorTask) -> dict[int, dict[str, Any]]:
    """The task's entry's live flavors by flavorParamsId."""
    return {
        int(f["flavorParamsId"]): f
        for f in sandbox.assets(task.entry_id, "flavor")
        if f.get("status") != 3
    }


def _uploads(sandbox: Sandbox) -> int:
    """HTTP requests the resumable uploads took (uploadToken.add / upload, one per request)."""
    return sum(
        1
        for r in sandbox.request_log
        if r.service.lower() == "uploadtoken" and r.multirequest_index is None
    )


@pytest.mark.rule("DUB-1")
@pytest.mark.rule("DUB-2")
@pytest.mark.rule("DUB-3")
@pytest.mark.rule("DUB-5")
@pytest.mark.rule("ACC-1")
@pytest.mark.rule("LIFE-5")
def test_deliver_dubbing(wired: tuple[Driver, Wire], sandbox: Sandbox, tmp_path: Path) -> None:
    drive, wire = wired
    task = _claimed(drive, DUBBING)
    dub_path = tmp_path / "dub-es.mp4"
    dub_path.write_bytes(DUB)
    sandbox.clear_request_log()
    wire.requests = 0
    result = drive(
        "deliver_dubbing", task, dub_path, ORIGINAL, accuracy=93, external_task_id="job-7"
    )
    assert isinstance(result, DeliveryResult)
    assert wire.requests == result.requests == _uploads(sandbox) + 2  # multirequest, updateJob
    assert _uploads(sandbox) == 4  # two files: uploadToken.add + one chunk each
    flavors = _flavors(sandbox, task)
    dub, clear = flavors[200], flavors[201]
    assert result.object_ids == (dub["id"], clear["id"])
    # DUB-1, DUB-2: the dub in the target language, not default; the original the default
    assert (dub["language"], dub["label"], dub["isDefault"]) == ("Spanish", "Spanish", False)
    assert (clear["language"], clear["isDefault"]) == ("English", True)
    # DUB-3: MP4 files, fileExt set, READY; the bytes are the files given
    for flavor, data in ((dub, DUB), (clear, ORIGINAL)):
        assert flavor["fileExt"] == "mp4" and flavor["status"] == 2
        assert sandbox.asset_content(flavor["id"]) == data
        assert marker_task(flavor["partnerData"]) == str(task.id)
    stored = sandbox.task(int(task.id or 0))
    assert stored["status"] == EntryVendorTaskStatus.READY
    assert stored["outputObjectId"] == dub["id"] == result.output_object_id  # DUB-5
    assert stored["accuracy"] == 93 and stored["externalTaskId"] == "job-7"  # ACC-1, LIFE-7


@pytest.mark.rule("DUB-1")
@pytest.mark.rule("DUB-2")
@pytest.mark.rule("DUB-5")
def test_deliver_audio_description(wired: tuple[Driver, Wire], sandbox: Sandbox) -> None:
    drive, wire = wired
    task = _claimed(drive, DESCRIPTION)
    sandbox.clear_request_log()
    wire.requests = 0
    described = io.BytesIO(DUB)  # a file object: probed, then uploaded from its start
    result = drive("deliver_audio_description", task, described, ORIGINAL, accuracy=88)
    assert wire.requests == result.requests == _uploads(sandbox) + 2
    flavors = _flavors(sandbox, task)
    described, clear = flavors[202], flavors[203]
    assert described["label"] == "English - Audio description"
    assert (described["language"], described["isDefault"]) == ("English", False)
    assert (clear["language"], clear["label"], clear["isDefault"]) == ("English", "English", True)
    assert described["fileExt"] == clear["fileExt"] == "mp4"
    assert sandbox.asset_content(described["id"]) == DUB
    stored = sandbox.task(int(task.id or 0))
    assert stored["status"] == EntryVendorTaskStatus.READY
    assert stored["outputObjectId"] == described["id"] and stored["accuracy"] == 88


@pytest.mark.rule("DUB-4")
def test_the_dub_captions(wired: tuple[Driver, Wire], sandbox: Sandbox) -> None:
    drive, wire = wired
    task = _claimed(drive, DUBBING)
    sandbox.clear_request_log()
    wire.requests = 0
    result = drive(
        "deliver_dubbing", task, DUB, ORIGINAL, accuracy=95, captions=SRT, captions_accuracy=90
    )
    assert wire.requests == _uploads(sandbox) + 2  # the captions ride in the same multirequest
    caption = next(
        a for a in sandbox.assets(task.entry_id, "caption") if a["id"] == result.object_ids[2]
    )
    assert caption["label"] == "Spanish (Dub translation)" and caption["language"] == "Spanish"
    assert caption["accuracy"] == 90
    assert caption["displayOnPlayer"] in (1, True) and caption["isDefault"] in (0, False)
    assert caption["status"] == 2
    assert b"Hola a todos." in (sandbox.asset_content(caption["id"]) or b"")
    assert sandbox.task(int(task.id or 0))["outputObjectId"] == result.object_ids[0]  # the dub


@pytest.mark.rule("DUB-4")
def test_dub_captions_at_99_or_more_are_refused_before_any_request(
    wired: tuple[Driver, Wire],
) -> None:
    drive, wire = wired
    task = _claimed(drive, DUBBING)
    wire.requests = 0
    with pytest.raises(UsageError, match="DUB-4"):
        drive("deliver_dubbing", task, DUB, ORIGINAL, accuracy=99, captions=SRT)
    with pytest.raises(UsageError, match="DUB-4"):
        drive(
            "deliver_dubbing", task, DUB, ORIGINAL, accuracy=90, captions=SRT, captions_accuracy=99
        )
    assert wire.requests == 0


@pytest.mark.rule("DUB-3")
@pytest.mark.parametrize(
    ("bad", "found"),
    [
        (make_aac_mp4(96_000), r"found AAC-LC at 9\d kbps"),
        (make_mp3(), "found no MP4 audio track"),
        (make_mp3_in_mp4(), "found MP3 at"),
        (make_alac_mp4(), "found ALAC at"),
    ],
    ids=["96kbps", "mp3-file", "mp3-in-mp4", "alac"],
)
@pytest.mark.parametrize("slot", ["dubbed", "original"])
def test_a_file_outside_dub3_is_refused_before_any_request(
    wired: tuple[Driver, Wire], sandbox: Sandbox, bad: bytes, found: str, slot: str
) -> None:
    drive, wire = wired
    task = _claimed(drive, DUBBING)
    files = (bad, ORIGINAL) if slot == "dubbed" else (DUB, bad)
    wire.requests = 0
    with pytest.raises(AudioFormatError, match=found) as refused:
        drive("deliver_dubbing", task, *files, accuracy=90)
    which = "dubbed audio" if slot == "dubbed" else "original audio"
    assert str(refused.value).startswith(f"{which}: found")
    assert "DUB-3 needs AAC-LC at 64 or 128 kbps" in str(refused.value)
    assert wire.requests == 0
    assert _flavors(sandbox, task).keys().isdisjoint({200, 201})


@pytest.mark.rule("ACC-1")
@pytest.mark.parametrize("accuracy", [101, -1, 93.5, True])
def test_accuracy_is_an_integer_percentage(wired: tuple[Driver, Wire], accuracy: Any) -> None:
    drive, wire = wired
    task = _claimed(drive, DESCRIPTION)
    wire.requests = 0
    with pytest.raises(UsageError, match="accuracy"):
        drive("deliver_audio_description", task, DUB, ORIGINAL, accuracy=accuracy)
    assert wire.requests == 0


def test_an_unreadable_file_is_a_usage_error(wired: tuple[Driver, Wire], tmp_path: Path) -> None:
    drive, wire = wired
    task = _claimed(drive, DUBBING)
    wire.requests = 0
    with pytest.raises(UsageError, match="cannot read the dubbed audio file"):
        drive("deliver_dubbing", task, tmp_path / "missing.mp4", ORIGINAL, accuracy=90)
    with pytest.raises(UsageError, match="a path, bytes or a seekable binary file"):
        drive("deliver_dubbing", task, DUB, 42, accuracy=90)
    assert wire.requests == 0


@pytest.mark.parametrize(
    ("catalog_item", "method", "refusal"),
    [
        (DESCRIPTION, "deliver_dubbing", "AUDIO_DESCRIPTION task; deliver_dubbing delivers DUBB"),
        (DUBBING, "deliver_audio_description", "delivers AUDIO_DESCRIPTION tasks"),
    ],
)
def test_the_task_feature_must_match(
    wired: tuple[Driver, Wire], catalog_item: int, method: str, refusal: str
) -> None:
    drive, wire = wired
    task = _claimed(drive, catalog_item)
    wire.requests = 0
    with pytest.raises(UsageError, match=refusal):
        drive(method, task, DUB, ORIGINAL, accuracy=90)
    assert wire.requests == 0


@pytest.mark.rule("LIFE-5")
def test_an_unknown_outcome_leaves_exactly_one_pair_of_flavors(
    wired: tuple[Driver, Wire], sandbox: Sandbox
) -> None:
    drive, wire = wired
    task = _claimed(drive, DUBBING)
    wire.multirequests = [dropped_after_processing(sandbox)]  # the creating multirequest
    result = drive("deliver_dubbing", task, DUB, ORIGINAL, accuracy=90)
    assert wire.multirequests == []  # the drop happened
    assert any(  # and was reconciled by listing the entry's flavors
        (r.service.lower(), r.action) == ("flavorasset", "list") for r in sandbox.request_log
    )
    flavors = [
        f for f in sandbox.assets(task.entry_id, "flavor") if f["flavorParamsId"] in (200, 201)
    ]
    assert sorted(f["flavorParamsId"] for f in flavors) == [200, 201]
    assert all(f["status"] == 2 for f in flavors)
    assert sandbox.task(int(task.id or 0))["outputObjectId"] == result.output_object_id
    assert sandbox.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.READY


def _add_flavor(
    drive: Driver, task: EntryVendorTask, params_id: int, partner_data: str | None
) -> str:
    """A flavor already on the entry (added with the task's access key)."""
    fields = {"objectType": "KalturaFlavorAsset", "flavorParamsId": params_id}
    if partner_data is not None:
        fields["partnerData"] = partner_data
    call = ApiCall("flavorAsset", "add", {"entryId": task.entry_id, "flavorAsset": fields})
    (added,) = drive("task_multirequest", task, [call])
    return str(added["id"])


def test_a_redelivery_reuses_the_flavor_an_earlier_attempt_left(
    wired: tuple[Driver, Wire], sandbox: Sandbox
) -> None:
    drive, _wire = wired
    task = _claimed(drive, DUBBING)
    earlier = _add_flavor(drive, task, 200, marker(task, 1))  # an earlier attempt, not removed
    result = drive("deliver_dubbing", task, DUB, ORIGINAL, accuracy=90)
    flavors = [f for f in sandbox.assets(task.entry_id, "flavor") if f["flavorParamsId"] == 200]
    assert [f["id"] for f in flavors] == [earlier] == [result.output_object_id]  # never two
    reused = flavors[0]
    assert reused["label"] == "Spanish" and reused["fileExt"] == "mp4"
    assert reused["partnerData"] != marker(task, 1)  # this attempt's marker now
    assert sandbox.asset_content(earlier) == DUB and reused["status"] == 2
    assert sandbox.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.READY


def test_a_restarted_worker_reuses_what_its_interrupted_attempt_made(
    wired: tuple[Driver, Wire], sandbox: Sandbox
) -> None:
    """The worker was killed after step 3: its journal hands the attempt's marker to the
    delivery (``ATTEMPT``, resuming), which finds the flavors and the dub's captions first."""
    drive, _wire = wired
    task = _claimed(drive, DUBBING)
    tag = marker(task, 7)
    dub = _add_flavor(drive, task, 200, tag)
    clear = _add_flavor(drive, task, 201, f"{tag}:clear")
    fields = {"objectType": "KalturaCaptionAsset", "language": "Spanish", "partnerData": tag}
    fields["partnerData"] = f"{tag}:captions"
    call = ApiCall(
        "caption_captionAsset", "add", {"entryId": task.entry_id, "captionAsset": fields}
    )
    (caption,) = drive("task_multirequest", task, [call])
    sandbox.clear_request_log()
    resumed = ATTEMPT.set((int(task.id or 0), tag, True))
    try:
        result = drive(
            "deliver_dubbing", task, DUB, ORIGINAL, accuracy=95, captions=SRT, captions_accuracy=90
        )
    finally:
        ATTEMPT.reset(resumed)
    assert result.object_ids == (dub, clear, caption["id"])
    adds = [r for r in sandbox.request_log if r.action == "add" and "asset" in r.service.lower()]
    assert adds == []  # nothing made a second time
    captions = [a for a in sandbox.assets(task.entry_id, "caption") if a.get("status") != 3]
    assert [a["id"] for a in captions if "task=" in str(a.get("partnerData"))] == [caption["id"]]
    assert b"Hola a todos." in (sandbox.asset_content(caption["id"]) or b"")
    assert sandbox.asset_content(dub) == DUB
    assert sandbox.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.READY


def test_a_flavor_not_made_for_this_task_is_not_touched(
    wired: tuple[Driver, Wire], sandbox: Sandbox
) -> None:
    drive, _wire = wired
    task = _claimed(drive, DUBBING)
    foreign = _add_flavor(drive, task, 200, None)
    with pytest.raises(DeliveryError, match="flavorParamsId 200") as refused:
        drive("deliver_dubbing", task, DUB, ORIGINAL, accuracy=90)
    assert refused.value.left == ()  # the clear flavor this attempt made was deleted
    live = _flavors(sandbox, task)
    assert live[200]["id"] == foreign and live[200].get("partnerData") in (None, "")
    assert 201 not in live
    stored = sandbox.task(int(task.id or 0))
    assert stored["status"] == EntryVendorTaskStatus.PROCESSING  # left for the caller to fail


def _converted_with_error(body: Any) -> Any:
    """Kaltura's answer when conversion failed: every flavor read back in ERROR (-1)."""
    for item in body:
        if isinstance(item, dict) and item.get("objectType") == "KalturaFlavorAsset":
            item["status"] = -1
    return body


@pytest.mark.rule("DUB-3")
def test_a_flavor_in_error_fails_the_delivery_and_removes_both(
    wired: tuple[Driver, Wire], sandbox: Sandbox
) -> None:
    drive, wire = wired
    task = _claimed(drive, DUBBING)
    wire.multirequests = [rewritten(_converted_with_error)]
    with pytest.raises(ConversionError) as failed:
        drive("deliver_dubbing", task, DUB, ORIGINAL, accuracy=90)
    assert isinstance(failed.value, DeliveryError)
    assert failed.value.kind == "flavor" and failed.value.status == "-1"
    assert "fail the task" in str(failed.value) and failed.value.left == ()
    assert _flavors(sandbox, task).keys().isdisjoint({200, 201})  # both deleted
    assert sandbox.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.PROCESSING


def test_what_cannot_be_removed_is_named_in_left(
    wired: tuple[Driver, Wire], sandbox: Sandbox
) -> None:
    drive, wire = wired
    task = _claimed(drive, DUBBING)
    # conversion fails, and the access key may not delete the flavors
    wire.multirequests = [rewritten(_converted_with_error), refused("SERVICE_FORBIDDEN", 2)]
    with pytest.raises(ConversionError) as failed:
        drive("deliver_dubbing", task, DUB, ORIGINAL, accuracy=90)
    flavors = _flavors(sandbox, task)
    assert failed.value.left == (flavors[200]["id"], flavors[201]["id"])
    assert sandbox.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.PROCESSING


# -- Kaltura converting the flavors on its own time ------------------------------------------

QUICK = ReadyWait(timeout=10, first=0.05, factor=2, longest=0.2)


@pytest.fixture(params=["sync", "async"])
def converting(request: pytest.FixtureRequest) -> Iterator[tuple[Driver, Wire, Sandbox]]:
    """A sandbox whose delivered flavors are CONVERTING for 0.3 s (sandbox clock)."""
    with Sandbox("demo", seed=1, media_ready_after=0.3) as box:
        wire = Wire(box)
        driver = Driver(request.param, box, transport=httpx.MockTransport(wire))
        yield driver, wire, box
        driver.close()


def _polls(sandbox: Sandbox) -> int:
    return sum(
        1
        for r in sandbox.request_log
        if (r.service.lower(), r.action) == ("flavorasset", "get") and r.multirequest_index is None
    )


@pytest.mark.rule("DUB-3")
def test_converting_flavors_are_polled_until_ready(
    converting: tuple[Driver, Wire, Sandbox],
) -> None:
    drive, wire, box = converting
    task = _claimed(drive, DUBBING)
    box.clear_request_log()
    wire.requests = 0
    result = drive("deliver_dubbing", task, DUB, ORIGINAL, accuracy=90, ready_wait=QUICK)
    polls = _polls(box)
    assert polls >= 1  # the read-back said CONVERTING: flavorAsset.get again, with backoff
    assert wire.requests == result.requests == _uploads(box) + 2 + polls
    flavors = _flavors(box, task)
    assert flavors[200]["status"] == flavors[201]["status"] == 2
    assert box.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.READY


@pytest.mark.rule("DUB-3")
def test_a_conversion_error_fails_the_delivery(converting: tuple[Driver, Wire, Sandbox]) -> None:
    drive, _wire, box = converting
    task = _claimed(drive, DESCRIPTION)
    box.faults.fail_next_conversion(status=-1, count=1)  # the described track's conversion
    with pytest.raises(ConversionError) as failed:
        drive("deliver_audio_description", task, DUB, ORIGINAL, accuracy=90, ready_wait=QUICK)
    assert failed.value.status == "-1" and not failed.value.timed_out
    assert failed.value.left == () and "fail the task" in str(failed.value)
    gone = [f for f in box.assets(task.entry_id, "flavor") if f["flavorParamsId"] in (202, 203)]
    assert failed.value.object_id in [f["id"] for f in gone]
    assert all(f["status"] == 3 for f in gone)  # both removed
    assert box.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.PROCESSING


@pytest.mark.rule("DUB-3")
def test_a_wait_that_runs_out_fails_the_delivery(converting: tuple[Driver, Wire, Sandbox]) -> None:
    drive, _wire, box = converting
    task = _claimed(drive, DUBBING)
    short = ReadyWait(timeout=0.1, first=0.02)
    with pytest.raises(ConversionError, match=r"not READY after 0\.1s") as failed:
        drive("deliver_dubbing", task, DUB, ORIGINAL, accuracy=90, ready_wait=short)
    assert failed.value.timed_out and failed.value.status == "1"  # still CONVERTING
    assert box.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.PROCESSING
