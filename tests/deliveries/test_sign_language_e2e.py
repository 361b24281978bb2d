"""Sign language end to end (SIGN-1 to SIGN-3): the real SDK, both clients, the sandbox.

The video is a real H.264 MP4 made with PyAV; the sandbox converts the child entry on its
clock (``media_ready_after``), so the delivery waits for READY by polling.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from kaltura_reach_vendor import ConversionError, DeliveryError, ReadyWait, UsageError
from kaltura_reach_vendor.deliveries.sign_language import merged_admin_tags, sign_language_code
from kaltura_reach_vendor.enums import CatalogItemLanguage, EntryVendorTaskStatus
from kaltura_reach_vendor.models import EntryVendorTask
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Driver
from .media_files import make_video_mp4, make_video_webm

SIGN_LANGUAGE = 30009  # demo scenario: "Sign language ASL", target "English (ASL)"
HUMAN_CAPTIONS = 30001
QUICK = ReadyWait(timeout=30.0, first=0.02, factor=2.0, longest=0.2)
VIDEO = make_video_mp4()


class Counter:
    """In front of the sandbox: counts HTTP requests, optionally cuts the multirequest."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.inner = sandbox.transport()
        self.paths: list[str] = []
        self.cut_multirequest = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path.lower())
        if self.cut_multirequest and "multirequest" in request.url.path:
            self.cut_multirequest = False
            self.sandbox.faults.drop_after_processing_next()  # runs, then the answer is lost
        return self.inner.handle_request(request)


def _driver(kind: str, sandbox: Sandbox) -> tuple[Driver, Counter]:
    counter = Counter(sandbox)
    return Driver(kind, sandbox, transport=httpx.MockTransport(counter)), counter


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("demo", seed=1, media_ready_after=0.15) as box:
        yield box


@pytest.fixture(params=["sync", "async"])
def counted(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[tuple[Driver, Counter]]:
    driver, counter = _driver(request.param, sandbox)
    yield driver, counter
    driver.close()


def _claimed(drive: Driver, catalog_item: int = SIGN_LANGUAGE) -> EntryVendorTask:
    task = drive.task_for(catalog_item)
    drive("claim", task)
    return task


def _children(sandbox: Sandbox, name_part: str = "child signLang") -> list[dict[str, object]]:
    return [e for e in sandbox.entries() if name_part in str(e.get("name"))]


@pytest.mark.rule("SIGN-1")
@pytest.mark.rule("SIGN-2")
@pytest.mark.rule("SIGN-3")
@pytest.mark.rule("ACC-1")
@pytest.mark.rule("LIFE-5")
def test_deliver_sign_language(counted: tuple[Driver, Counter], sandbox: Sandbox) -> None:
    drive, _counter = counted
    task = _claimed(drive)
    parent = sandbox.entry(str(task.entry_id))
    sandbox.clear_request_log()
    result = drive(
        "deliver_sign_language", task, VIDEO, accuracy=96, external_task_id="sl-7", ready_wait=QUICK
    )
    # the child converted on the sandbox clock: polled with media.get, each poll one request
    polls = [r for r in sandbox.request_log if (r.service, r.action) == ("media", "get")]
    assert len(polls) >= 2 and polls[0].multirequest_index == 3  # the read-back, then polls
    assert result.requests == 6 + len(polls) - 1
    child = sandbox.entry(result.output_object_id)
    # SIGN-1: a child video entry named after the parent, with the uploaded video, READY
    assert child["name"] == f"{parent['name']} child signLangASL"
    assert child["mediaType"] == 1 and child["status"] == 2
    source = [f for f in sandbox.assets(child["id"], "flavor") if f.get("isOriginal")]
    assert [sandbox.asset_content(str(f["id"])) for f in source] == [VIDEO]
    # SIGN-2: bound to the task's entry, admin tags with signLang (not the seed's typo)
    assert child["parentEntryId"] == task.entry_id
    assert child["adminTags"] == "signLang,signLangASL,acme"
    assert "singLang" not in str(child["adminTags"])
    # SIGN-3, ACC-1, LIFE-7: READY with the child as output
    stored = sandbox.task(int(task.id or 0))
    assert stored["status"] == EntryVendorTaskStatus.READY
    assert stored["outputObjectId"] == child["id"] == result.object_ids[0]
    assert stored["accuracy"] == 96 and stored["externalTaskId"] == "sl-7"
    assert str(child["partnerData"]).startswith(f"kaltura-reach-vendor:task={task.id}:")
    assert parent.get("adminTags") == sandbox.entry(str(task.entry_id)).get("adminTags")


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_six_requests_when_the_child_is_ready_at_once(kind: str) -> None:
    with Sandbox("demo", seed=1, media_ready_after=0) as box:
        drive, counter = _driver(kind, box)
        try:
            task = _claimed(drive)
            counter.paths.clear()
            result = drive("deliver_sign_language", task, VIDEO, accuracy=90)
        finally:
            drive.close()
    assert result.requests == len(counter.paths) == 6
    assert [p.split("/service/")[1] for p in counter.paths] == [
        "baseentry/action/get",
        "uploadtoken/action/add",
        "uploadtoken/action/upload",
        "multirequest",
        "media/action/update",
        "reach_entryvendortask/action/updatejob",
    ]


@pytest.mark.rule("SIGN-2")
def test_bsl_and_a_vendor_tag(counted: tuple[Driver, Counter], sandbox: Sandbox) -> None:
    drive, _counter = counted
    task = _claimed(drive)
    task.catalog_item.target_language = CatalogItemLanguage.EN_BSL  # type: ignore[union-attr]
    result = drive(
        "deliver_sign_language", task, VIDEO, accuracy=90, sign_language="bsl", vendor_tag="Signs"
    )
    child = sandbox.entry(result.output_object_id)
    assert str(child["name"]).endswith(" child signLangBSL")
    assert child["adminTags"] == "signLang,signLangBSL,Signs"


@pytest.mark.rule("SIGN-1")
def test_a_video_kaltura_cannot_convert_fails_and_leaves_the_child(
    counted: tuple[Driver, Counter], sandbox: Sandbox
) -> None:
    drive, _counter = counted
    task = _claimed(drive)
    with pytest.raises(ConversionError) as failed:
        drive("deliver_sign_language", task, make_video_webm(), accuracy=90, ready_wait=QUICK)
    error = failed.value
    assert error.status == "-1" and error.kind == "entry" and not error.timed_out
    [child] = _children(sandbox)
    assert error.left == (child["id"],) and error.object_id == child["id"]
    assert child["status"] == -1 and child.get("parentEntryId") is None  # never linked
    assert sandbox.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.PROCESSING


def test_the_task_must_be_a_sign_language_task(
    counted: tuple[Driver, Counter], sandbox: Sandbox
) -> None:
    drive, counter = counted
    task = _claimed(drive, HUMAN_CAPTIONS)
    counter.paths.clear()
    with pytest.raises(UsageError, match="deliver_sign_language delivers SIGN_LANGUAGE"):
        drive("deliver_sign_language", task, VIDEO, accuracy=90)
    assert counter.paths == []


def test_refusals_before_any_request(counted: tuple[Driver, Counter], sandbox: Sandbox) -> None:
    drive, counter = counted
    task = _claimed(drive)
    counter.paths.clear()
    with pytest.raises(UsageError, match="ASL or BSL"):
        drive("deliver_sign_language", task, VIDEO, accuracy=90, sign_language="LSF")
    with pytest.raises(UsageError, match="orders ASL, not BSL"):
        drive("deliver_sign_language", task, VIDEO, accuracy=90, sign_language="BSL")
    with pytest.raises(UsageError, match="accuracy"):
        drive("deliver_sign_language", task, VIDEO, accuracy=100.0)
    with pytest.raises(UsageError, match="without commas"):
        drive("deliver_sign_language", task, VIDEO, accuracy=90, vendor_tag="a,b")
    assert counter.paths == []
    assert _children(sandbox) == []


@pytest.mark.rule("LIFE-5")
def test_an_unknown_outcome_is_reconciled_through_the_upload_token(
    counted: tuple[Driver, Counter], sandbox: Sandbox
) -> None:
    drive, counter = counted
    task = _claimed(drive)
    counter.cut_multirequest = True
    result = drive("deliver_sign_language", task, VIDEO, accuracy=90, ready_wait=QUICK)
    children = _children(sandbox)
    assert [c["id"] for c in children] == [result.output_object_id]  # never two children
    assert children[0]["parentEntryId"] == task.entry_id
    assert any(p.endswith("uploadtoken/action/get") for p in counter.paths)
    assert sandbox.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.READY


def test_an_update_the_server_drops_is_an_error(
    counted: tuple[Driver, Counter], sandbox: Sandbox
) -> None:
    drive, _counter = counted
    task = _claimed(drive)
    # a key without editadmintags: Kaltura drops adminTags silently (§1.4)
    key = sandbox.state.ks.lookup(str(task.access_key))
    assert key is not None
    key.privileges.pop("editadmintags")
    with pytest.raises(DeliveryError, match="editadmintags") as failed:
        drive("deliver_sign_language", task, VIDEO, accuracy=90, ready_wait=QUICK)
    [child] = _children(sandbox)
    assert failed.value.left == (child["id"],)
    assert sandbox.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.PROCESSING


def test_admin_tags_are_appended_each_once() -> None:
    new = ("signLang", "signLangASL", "acme")
    assert merged_admin_tags(None, new) == "signLang,signLangASL,acme"
    assert merged_admin_tags("news, signlang ,", new) == "news,signlang,signLangASL,acme"
    assert merged_admin_tags("a,acme,b", new) == "a,acme,b,signLang,signLangASL"


def test_sign_language_names() -> None:
    assert sign_language_code("asl") == "ASL"
    assert sign_language_code("English (BSL)") == "BSL"
    assert sign_language_code(CatalogItemLanguage.EN_ASL) == "ASL"
    assert sign_language_code(None) == "ASL"
    with pytest.raises(UsageError):
        sign_language_code("English")
