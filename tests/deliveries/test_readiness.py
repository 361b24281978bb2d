"""Media readiness: the sandbox converts vendor-delivered media on its clock, and
``wait_ready`` polls with backoff until READY, failing on ERROR (-1/-2) or at its bound.

Both clients; the media is real (PyAV), the non-MP4 file a real WebM.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import ConversionError
from kaltura_reach_vendor._readiness import ReadyWait, wait_ready
from kaltura_reach_vendor.enums import EntryVendorTaskStatus
from kaltura_reach_vendor.errors import ApiError, UsageError
from kaltura_reach_vendor.models import EntryVendorTask
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Driver
from .media_files import make_video_mp4, make_video_webm

DUBBING = 30004  # demo scenario: dubbing, flavorParamsId 200
SIGN_LANGUAGE = 30009
QUICK = ReadyWait(timeout=30.0, first=0.02, factor=2.0, longest=0.1)
VIDEO = make_video_mp4()


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("demo", seed=1, media_ready_after=0.15) as box:
        yield box


def _run(drive: Driver, flow: Any) -> Any:
    """Drive a workflow with the client's own driver (blocking or asyncio)."""
    outcome = drive.client._run(flow)
    return drive.loop.run_until_complete(outcome) if drive.kind == "async" else outcome


def _flavor(drive: Driver, task: EntryVendorTask, content: bytes) -> dict[str, Any]:
    """A vendor-delivered flavor: ``flavorAsset.add`` + ``setContent`` from an upload."""
    added = drive(
        "task_call",
        task,
        "flavorAsset",
        "add",
        {
            "entryId": task.entry_id,
            "flavorAsset": {"objectType": "KalturaFlavorAsset", "flavorParamsId": 200},
        },
    )
    token = drive("upload", task, content, filename="track.mp4")
    resource = {"objectType": "KalturaUploadedFileTokenResource", "token": token.id}
    set_content = {"id": added["id"], "contentResource": resource}
    result: dict[str, Any] = drive("task_call", task, "flavorAsset", "setContent", set_content)
    return result


def _claimed(drive: Driver, catalog_item: int) -> EntryVendorTask:
    task = drive.task_for(catalog_item)
    drive("claim", task)
    return task


def _polls(sandbox: Sandbox, service: str) -> int:
    """Reads of ``service`` sent alone (polls), not inside a multirequest."""
    return sum(
        1
        for r in sandbox.request_log
        if (r.service, r.action) == (service, "get") and r.multirequest_index is None
    )


def test_a_delivered_flavor_converts_on_the_sandbox_clock(drive: Driver) -> None:
    with Sandbox("demo", seed=1, media_ready_after=60) as box:
        local = Driver(drive.kind, box)
        try:
            task = _claimed(local, DUBBING)
            flavor = _flavor(local, task, VIDEO)
            assert flavor["status"] == 1  # CONVERTING
            with pytest.raises(ApiError, match="FLAVOR_ASSET_IS_NOT_READY"):
                local("task_call", task, "flavorAsset", "getUrl", {"id": flavor["id"]})
            box.clock.advance(59)
            assert (
                local("task_call", task, "flavorAsset", "get", {"id": flavor["id"]})["status"] == 1
            )
            box.clock.advance(1.5)  # sandbox time only: no real waiting
            read = local("task_call", task, "flavorAsset", "get", {"id": flavor["id"]})
            assert read["status"] == 2
            listed = local(
                "task_call",
                task,
                "flavorAsset",
                "list",
                {"filter": {"entryIdEqual": task.entry_id}},
            )
            assert {f["id"]: f["status"] for f in listed["objects"]}[flavor["id"]] == 2
        finally:
            local.close()


def test_scenario_media_and_captions_are_ready_at_once(drive: Driver) -> None:
    with Sandbox("demo", seed=1, media_ready_after=3600) as box:
        local = Driver(drive.kind, box)
        try:
            assert {e["status"] for e in box.entries() if e.get("mediaType") == 1} == {2}
            assert {f["status"] for f in box.assets(kind="flavor")} == {2}
            task = _claimed(local, 30001)
            result = local(
                "deliver_captions", task, "1\n00:00:01,000 --> 00:00:02,000\nHi\n", accuracy=95
            )
            [caption] = [
                a for a in box.assets(kind="caption") if a["id"] == result.output_object_id
            ]
            assert caption["status"] == 2  # captions never convert
        finally:
            local.close()


def test_wait_ready_polls_a_flavor_until_ready(drive: Driver, sandbox: Sandbox) -> None:
    task = _claimed(drive, DUBBING)
    flavor = _flavor(drive, task, VIDEO)
    sandbox.clear_request_log()
    started = time.monotonic()
    read = _run(drive, wait_ready(drive.client._engine, task, "flavor", flavor["id"], wait=QUICK))
    assert read["status"] == 2 and read["id"] == flavor["id"]
    assert _polls(sandbox, "flavorasset") >= 2  # CONVERTING, then READY
    assert time.monotonic() - started >= 0.1


@pytest.mark.rule("DUB-3")
def test_an_injected_flavor_failure_is_error_minus_one(drive: Driver, sandbox: Sandbox) -> None:
    task = _claimed(drive, DUBBING)
    sandbox.faults.fail_next_conversion()
    flavor = _flavor(drive, task, VIDEO)
    with pytest.raises(ConversionError) as failed:
        _run(drive, wait_ready(drive.client._engine, task, "flavor", flavor["id"], wait=QUICK))
    assert failed.value.status == "-1" and failed.value.kind == "flavor"
    assert failed.value.object_id == flavor["id"] and not failed.value.timed_out
    assert "-1" in str(failed.value)


def test_a_flavor_that_is_not_mp4_ends_in_error(drive: Driver, sandbox: Sandbox) -> None:
    task = _claimed(drive, DUBBING)
    flavor = _flavor(drive, task, make_video_webm())
    assert flavor["status"] == 1  # Kaltura only finds out while converting
    with pytest.raises(ConversionError) as failed:
        _run(drive, wait_ready(drive.client._engine, task, "flavor", flavor["id"], wait=QUICK))
    assert failed.value.status == "-1"
    [stored] = [f for f in sandbox.assets(kind="flavor") if f["id"] == flavor["id"]]
    assert stored["status"] == -1 and "not an MP4" in stored["description"]


@pytest.mark.rule("SIGN-1")
@pytest.mark.parametrize("status", [-1, -2])
def test_an_entry_conversion_error_fails_the_delivery(
    drive: Driver, sandbox: Sandbox, status: int
) -> None:
    task = _claimed(drive, SIGN_LANGUAGE)
    sandbox.faults.fail_next_conversion(status=status)
    with pytest.raises(ConversionError) as failed:
        drive("deliver_sign_language", task, VIDEO, accuracy=90, ready_wait=QUICK)
    error = failed.value
    assert error.status == str(status) and error.kind == "entry"
    assert sandbox.entry(error.object_id)["status"] == status
    assert error.left == (error.object_id,)
    assert sandbox.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.PROCESSING
    assert not any(r.action == "update" for r in sandbox.request_log if r.service == "media")


def test_a_bounded_wait_times_out(drive: Driver) -> None:
    with Sandbox("demo", seed=1, media_ready_after=3600) as box:
        local = Driver(drive.kind, box)
        try:
            task = _claimed(local, SIGN_LANGUAGE)
            wait = ReadyWait(timeout=0.2, first=0.02, factor=2.0, longest=0.05)
            started = time.monotonic()
            with pytest.raises(ConversionError) as failed:
                local("deliver_sign_language", task, VIDEO, accuracy=90, ready_wait=wait)
            elapsed = time.monotonic() - started
            error = failed.value
            assert error.timed_out and error.status == "1"  # still PRECONVERT
            assert "not READY after 0.2s" in str(error)
            assert 0.2 <= elapsed < 5
            assert _polls(box, "media") >= 3  # backoff: several reads within the bound
            assert box.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.PROCESSING
        finally:
            local.close()


def test_an_entry_waits_for_its_upload_then_converts(sandbox: Sandbox) -> None:
    """IMPORT (0) while the upload token is incomplete, PRECONVERT (1), then READY (2)."""
    key = sandbox.access_key(next(t["id"] for t in sandbox.tasks() if t["serviceFeature"] == 19))
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.service_url) as http:

        def call(service: str, action: str, **params: Any) -> Any:
            url = f"/api_v3/service/{service}/action/{action}"
            return http.post(url, json={"ks": key, "format": 1, **params}).json()

        entry = call("media", "add", entry={"objectType": "KalturaMediaEntry", "mediaType": 1})
        token = call("uploadtoken", "add", uploadToken={"objectType": "KalturaUploadToken"})
        resource = {"objectType": "KalturaUploadedFileTokenResource", "token": token["id"]}
        waiting = call("media", "addContent", entryId=entry["id"], resource=resource)
        assert waiting["status"] == 0  # IMPORT
        sent = http.post(
            "/api_v3/service/uploadtoken/action/upload",
            data={"ks": key, "format": "1", "uploadTokenId": token["id"]},
            files={"fileData": ("sign.mp4", VIDEO, "video/mp4")},
        ).json()
        assert sent["status"] in (2, 3)
        assert call("media", "get", entryId=entry["id"])["status"] == 1  # PRECONVERT
        sandbox.clock.advance(1)
        assert call("media", "get", entryId=entry["id"])["status"] == 2


def test_fault_switches() -> None:
    box = Sandbox("empty")
    with pytest.raises(ValueError, match="-1"):
        box.faults.fail_next_conversion(status=2)
    box.faults.fail_next_conversion(count=2)
    box.faults.reset()
    assert box.faults.take_conversion_failure() is None
    with pytest.raises(ValueError):
        Sandbox("empty", media_ready_after=-1)


def test_ready_wait_is_validated() -> None:
    with pytest.raises(UsageError):
        ReadyWait(timeout=-1)
    with pytest.raises(UsageError):
        ReadyWait(first=0)
