"""``register_live_feature`` end to end on the sandbox, both clients (LIVE-1, LIVE-2, LIFE-3),
and the live checks for live translation (LIVE-3, LIVE-4 with serviceFeature 11).

Every field the rules name is read back from the sandbox's own state; HTTP requests are
counted at the transport as well as by the SDK.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import httpx
import pytest

from kaltura_reach_vendor import (
    EntryVendorTaskStatus,
    ReachError,
    StateError,
    TaskCancelled,
    UsageError,
)
from kaltura_reach_vendor.deliveries import LiveRegistration
from kaltura_reach_vendor.live import LiveCaptionStream, LiveSchedule
from kaltura_reach_vendor.models import ScheduledVendorTaskData
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Driver

LIVE_CAPTIONS = 30008
LIVE_TRANSLATION = 30011
EVENT = 7001
TOKEN = "caption-token-0123456789abcdef"
MEDIA_KEY = "stream-key-9f8e7d6c"
MEDIA_URL = "rtmps://ingest.vendor.example:443/live"
CAPTION_URL = "wss://captions.vendor.example/stream/42"


class Counter:
    """In front of the sandbox: counts HTTP requests; can drop one action's answer."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.inner = sandbox.transport()
        self.requests = 0
        self.drop_answer_of: str | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if self.drop_answer_of and self.drop_answer_of in request.url.path:
            self.drop_answer_of = None
            self.sandbox.faults.drop_after_processing_next()  # runs, then the answer is lost
        return self.inner.handle_request(request)


@pytest.fixture(params=["sync", "async"])
def counted(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[tuple[Driver, Counter]]:
    counter = Counter(sandbox)
    driver = Driver(request.param, sandbox, transport=httpx.MockTransport(counter))
    yield driver, counter
    driver.close()


def _register(drive: Driver, task: object, **overrides: str) -> LiveRegistration:
    options = {
        "media_url": MEDIA_URL,
        "media_key": MEDIA_KEY,
        "caption_url": CAPTION_URL,
        "caption_token": TOKEN,
    }
    options.update(overrides)
    result = drive("register_live_feature", task, **options)
    assert isinstance(result, LiveRegistration)
    return result


def _feature(sandbox: Sandbox, name: str) -> dict[str, object]:
    (feature,) = [f for f in sandbox.live_features(EVENT) if f["systemName"] == name]
    return feature


@pytest.mark.rule("LIVE-1")
@pytest.mark.rule("LIVE-2")
@pytest.mark.rule("LIFE-3")
@pytest.mark.parametrize("catalog_item", [LIVE_CAPTIONS, LIVE_TRANSLATION])
def test_register_live_feature_in_two_requests(
    counted: tuple[Driver, Counter], sandbox: Sandbox, catalog_item: int
) -> None:
    drive, counter = counted
    task = drive.task_for(catalog_item)
    # getJobs (reach_vendor profile) hides the scheduled slot: LIVE-1 needs it read again
    assert task.status is EntryVendorTaskStatus.PENDING
    with pytest.raises(StateError, match="register_live_feature"):
        LiveSchedule.of(task)
    counter.requests = 0
    result = _register(drive, task, external_task_id="vendor-job-7")
    assert counter.requests == result.requests == 2

    wire = sandbox.task(task.id or 0)
    assert wire["status"] == int(EntryVendorTaskStatus.SCHEDULED)
    assert wire["externalTaskId"] == "vendor-job-7"
    assert task.status is EntryVendorTaskStatus.SCHEDULED
    name = f"LiveCaptionFeature-reach-{task.id}"
    assert result.feature_name == name
    feature = _feature(sandbox, name)
    assert (feature["mediaUrl"], feature["mediaKey"]) == (MEDIA_URL, MEDIA_KEY)
    assert (feature["captionUrl"], feature["captionToken"]) == (CAPTION_URL, TOKEN)
    assert feature["objectType"] == "KalturaLiveCaptionFeature"
    assert feature["language"] == ("spa" if catalog_item == LIVE_TRANSLATION else "eng")
    # LIVE-1: the task now carries its slot, as the server holds it
    job = wire["taskJobData"]
    assert isinstance(task.task_job_data, ScheduledVendorTaskData)
    assert result.schedule == LiveSchedule(job["startDate"], job["endDate"], EVENT)
    assert LiveSchedule.of(task) == result.schedule
    assert result.schedule.duration == job["endDate"] - job["startDate"]
    # the access key made the event update, the vendor KS the status change (AUTH-7)
    calls = [(r.service.lower(), r.action.lower(), r.ks_kind) for r in sandbox.request_log]
    feature_calls = [c for c in calls if c[1] == "updatelivefeature"]
    assert feature_calls and feature_calls[-1][2] == "access_key"
    assert [c for c in calls if c[1] == "updatejob"][-1][2] != "access_key"


@pytest.mark.rule("LIVE-2")
def test_a_task_that_knows_its_slot_and_a_second_registration(
    counted: tuple[Driver, Counter], sandbox: Sandbox
) -> None:
    drive, counter = counted
    task = drive.task_for(LIVE_CAPTIONS)
    full = drive("get_task", task.id)  # a task read by id (list) carries its slot
    assert LiveSchedule.of(full).scheduled_event_id == EVENT
    counter.requests = 0
    assert _register(drive, full).requests == counter.requests == 2
    # registering again (new URLs) changes the feature only: one request, no updateJob
    sandbox.clear_request_log()
    counter.requests = 0
    again = _register(drive, full, caption_url="wss://captions.vendor.example/v2")
    assert again.requests == counter.requests == 1
    assert [r.action.lower() for r in sandbox.request_log] == ["updatelivefeature"]
    assert _feature(sandbox, again.feature_name)["captionUrl"] == "wss://captions.vendor.example/v2"
    assert sandbox.task(full.id or 0)["status"] == int(EntryVendorTaskStatus.SCHEDULED)


@pytest.mark.rule("LIFE-3")
def test_unknown_outcome_of_the_status_change_is_read_back(
    counted: tuple[Driver, Counter], sandbox: Sandbox
) -> None:
    drive, counter = counted
    task = drive.task_for(LIVE_CAPTIONS)
    counter.drop_answer_of = "updateJob"  # the server schedules it; the answer is lost
    sandbox.clear_request_log()
    result = _register(drive, task)
    actions = [r.action.lower() for r in sandbox.request_log]
    assert actions.count("updatejob") == 1, actions  # never sent twice
    assert actions[-1] == "get"  # the task was read back instead
    assert result.requests == 3
    assert task.status is EntryVendorTaskStatus.SCHEDULED
    assert LiveSchedule.of(task).scheduled_event_id == EVENT  # the profile read kept the slot


def test_register_refuses_before_any_request(drive: Driver, sandbox: Sandbox) -> None:
    live = drive.task_for(LIVE_CAPTIONS)
    vod = drive.task_for(30002)
    sandbox.clear_request_log()
    with pytest.raises(UsageError, match="register_live_feature delivers LIVE_CAPTION"):
        _register(drive, vod)
    with pytest.raises(UsageError, match="caption_url must be a ws or wss URL"):
        _register(drive, live, caption_url="https://captions.vendor.example/")
    with pytest.raises(UsageError, match="media_url must be"):
        _register(drive, live, media_url="http://ingest.vendor.example/")
    with pytest.raises(UsageError, match="at least 16"):
        _register(drive, live, caption_token="short")
    with pytest.raises(UsageError, match="media_key"):
        _register(drive, live, media_key=" ")
    assert sandbox.request_log == []


@pytest.mark.rule("LIVE-2")
def test_claim_of_a_live_task_points_to_registration(drive: Driver) -> None:
    task = drive.task_for(LIVE_TRANSLATION)
    with pytest.raises(StateError, match="register_live_feature") as refused:
        drive("claim", task)
    for name in re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", str(refused.value)):
        assert hasattr(drive.client, name), name


@pytest.mark.rule("LIVE-3")
@pytest.mark.rule("LIVE-4")
@pytest.mark.rule("LIFE-3")
def test_live_translation_checks_and_transitions(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(LIVE_TRANSLATION)
    assert task.is_live and int(task.effective_service_feature or 0) == 11
    with pytest.raises(StateError, match=r"register_live_feature|start_live"):
        drive("start_live", task)  # PENDING → PROCESSING is not a live move
    _register(drive, task)
    assert drive("check_scheduled", task) is True  # LIVE-3: still ordered
    # the check re-reads the task with the reach_vendor profile: the slot is kept (LIVE-1)
    stream = LiveCaptionStream.for_task(task, clock=sandbox.clock.now)
    assert stream.end == sandbox.task(task.id or 0)["taskJobData"]["endDate"]
    drive("start_live", task)
    assert sandbox.task(task.id or 0)["status"] == int(EntryVendorTaskStatus.PROCESSING)
    drive("finish_live", task, accuracy=88)
    wire = sandbox.task(task.id or 0)
    assert (wire["status"], wire["accuracy"]) == (int(EntryVendorTaskStatus.READY), 88)


@pytest.mark.rule("LIVE-3")
def test_a_cancelled_live_translation_is_detected(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(LIVE_TRANSLATION)
    _register(drive, task)
    sandbox.customer.abort_task(task.id or 0)
    assert drive("check_scheduled", task) is False
    # ABORTED removes the task's live feature from the event (reference §11)
    names = [f["systemName"] for f in sandbox.live_features(EVENT)]
    assert f"LiveCaptionFeature-reach-{task.id}" not in names


@pytest.mark.rule("LIFE-8")
def test_registering_a_task_cancelled_meanwhile(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(LIVE_CAPTIONS)  # from getJobs: the slot is read with the feature
    sandbox.customer.abort_task(task.id or 0)
    with pytest.raises(TaskCancelled, match="cancelled by the customer"):
        _register(drive, task)
    assert task.status is EntryVendorTaskStatus.ABORTED
    assert sandbox.task(task.id or 0)["status"] == int(EntryVendorTaskStatus.ABORTED)


@pytest.mark.rule("AUTH-9")
def test_live_secrets_stay_out_of_logs_reprs_and_errors(
    drive: Driver, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    task = drive.task_for(LIVE_CAPTIONS)
    caplog.set_level(logging.DEBUG)
    result = _register(drive, task)
    token = "another-caption-token-abcdef012345"
    sandbox.customer.abort_task(task.id or 0)
    with pytest.raises(ReachError) as failed:  # the feature left with the task
        _register(drive, task, caption_token=token, media_key="key-" + token)
    shown = caplog.text + repr(result) + str(failed.value) + repr(failed.value)
    for secret in (TOKEN, MEDIA_KEY, token, CAPTION_URL, MEDIA_URL):
        assert secret not in shown
