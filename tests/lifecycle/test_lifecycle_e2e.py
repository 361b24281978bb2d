"""Task lifecycle end to end against the sandbox, for ReachClient and AsyncReachClient."""

from __future__ import annotations

import re

import httpx
import pytest

from kaltura_reach_vendor import (
    CannotExtendAccessKeyError,
    IllegalTransitionError,
    InvalidSessionError,
    ReachClient,
    ResponseValidationError,
    StateError,
    TaskCancelled,
    TaskNotFoundError,
    UsageError,
    parse,
)
from kaltura_reach_vendor.enums import EntryVendorTaskStatus as Status
from kaltura_reach_vendor.lifecycle import ERR_DESCRIPTION_MAX
from kaltura_reach_vendor.models import EntryVendorTask, EntryVendorTaskListResponse
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import HUMAN_CAPTIONS, LIVE_CAPTIONS, MACHINE_CAPTIONS, PAY_PER_USE, Driver


@pytest.mark.rule("POLL-1")
@pytest.mark.rule("POLL-2")
@pytest.mark.rule("POLL-3")
def test_get_jobs_returns_typed_pending_tasks_with_related_objects(drive: Driver) -> None:
    page = drive("get_jobs", page_size=5)
    assert isinstance(page, EntryVendorTaskListResponse)
    assert len(page) == 5 and page.total_count is not None and page.total_count > 5
    for task in page:
        assert isinstance(task, EntryVendorTask)
        assert task.status == Status.PENDING
        assert task.access_key and task.catalog_item is not None
        assert task.reach_profile is not None
    log = [r for r in drive.sandbox.request_log if r.action.lower() == "getjobs"]
    assert log and all(r.ks_kind == "vendor" for r in log)


@pytest.mark.rule("POLL-3")
def test_scheduled_tasks_only_when_asked(drive: Driver, sandbox: Sandbox) -> None:
    entry = "1_skilm10u"
    scheduled = sandbox.customer.add_task(entry, LIVE_CAPTIONS, status=int(Status.SCHEDULED))
    ids = {t.id for t in drive.iter_jobs()}
    assert int(scheduled["id"]) not in ids
    ids = {t.id for t in drive.iter_jobs(include_scheduled=True)}
    assert int(scheduled["id"]) in ids


@pytest.mark.rule("POLL-4")
def test_page_size_is_bounded(drive: Driver) -> None:
    with pytest.raises(UsageError, match="POLL-4"):
        drive("get_jobs", page_size=501)
    with pytest.raises(UsageError):
        drive("get_jobs", page_index=0)


@pytest.mark.rule("POLL-4")
def test_iterating_1234_tasks_yields_each_once_while_100_are_claimed(
    drive: Driver, sandbox: Sandbox
) -> None:
    existing = {int(t["id"]) for t in sandbox.tasks() if t["status"] == 1}
    for _ in range(1234 - len(existing)):
        sandbox.customer.add_task("1_skilm10u", MACHINE_CAPTIONS)
    pending = {int(t["id"]) for t in sandbox.tasks() if t["status"] == 1}
    assert len(pending) == 1234
    seen: list[int] = []
    claimed: set[int] = set()
    for task in drive.iter_jobs(page_size=500):
        assert task.id is not None
        seen.append(task.id)
        if len(seen) == 500:
            # between the first and second page, another worker claims 100 tasks that the
            # iterator has already yielded and 0 it has not: offsets would now skip 100.
            for victim in seen[:100]:
                drive("claim", EntryVendorTask(id=victim, status=Status.PENDING))
                claimed.add(victim)
    assert len(seen) == len(set(seen)) == 1234
    assert set(seen) == pending
    assert len(claimed) == 100


@pytest.mark.rule("POLL-8")
def test_in_flight_tasks_are_found_again_after_a_restart(drive: Driver) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    drive("claim", task, external_task_id="job-1")
    assert task.id not in {t.id for t in drive.iter_jobs()}
    in_flight = drive("list_in_flight")
    found = [t for t in in_flight if t.id == task.id]
    assert found and found[0].status == Status.PROCESSING
    assert found[0].external_task_id == "job-1"


@pytest.mark.rule("LIFE-2")
@pytest.mark.rule("LIFE-7")
def test_claim_moves_to_processing_with_external_id(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    returned = drive("claim", task, external_task_id="acme-42")
    assert returned is task and task.status == Status.PROCESSING
    stored = sandbox.task(task.id or 0)
    assert stored["status"] == 3 and stored["externalTaskId"] == "acme-42"


@pytest.mark.rule("LIFE-1")
@pytest.mark.rule("LIFE-9")
def test_illegal_transitions_are_refused_before_any_request(
    drive: Driver, sandbox: Sandbox
) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    before = len(sandbox.request_log)
    with pytest.raises(IllegalTransitionError, match="LIFE-2"):
        drive("complete", task, "1_out", 95)
    assert len(sandbox.request_log) == before
    drive("claim", task)
    drive("fail", task, "audio missing")
    assert task.status == Status.ERROR
    before = len(sandbox.request_log)
    with pytest.raises(IllegalTransitionError, match="LIFE-9"):
        drive("claim", task)
    assert len(sandbox.request_log) == before


@pytest.mark.rule("LIFE-9")
def test_server_final_state_error_is_typed(drive: Driver, sandbox: Sandbox) -> None:
    from kaltura_reach_vendor import TaskFinalStateError

    task = drive.task_for(MACHINE_CAPTIONS)
    drive("claim", task)
    stale = EntryVendorTask(id=task.id, status=Status.PROCESSING, access_key=task.access_key)
    drive("fail", task, "first")
    # a stale local copy passes the local guard; the server's LIFE-9 answer is typed
    with pytest.raises(TaskFinalStateError):
        drive("complete", stale, "1_cap", 90)


@pytest.mark.rule("LIFE-4")
def test_fail_needs_a_short_non_empty_reason(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    drive("claim", task)
    with pytest.raises(UsageError, match="LIFE-4"):
        drive("fail", task, "   ")
    drive("fail", task, "x" * 5000 + "\n")
    stored = sandbox.task(task.id or 0)
    assert stored["status"] == 6
    assert 0 < len(stored["errDescription"]) <= ERR_DESCRIPTION_MAX


@pytest.mark.rule("LIFE-5")
@pytest.mark.rule("LIFE-6")
def test_complete_needs_output_id_and_sets_accuracy(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    drive("claim", task)
    with pytest.raises(UsageError, match="LIFE-5"):
        drive("complete", task, "", 90)
    with pytest.raises(UsageError, match="accuracy"):
        drive("complete", task, "1_cap", 101)
    key = task.access_key
    drive("complete", task, "1_cap", 97)
    stored = sandbox.task(task.id or 0)
    assert (stored["status"], stored["outputObjectId"], stored["accuracy"]) == (2, "1_cap", 97)
    # LIFE-5: the access key died with READY
    with pytest.raises(InvalidSessionError) as info:
        drive("call", "reach_entryVendorTask", "get", {"id": task.id}, ks=key, task_id=task.id)
    assert info.value.ksid == "LOGOUT"


@pytest.mark.rule("LIFE-10")
def test_pay_per_use_needs_units_used(drive: Driver, sandbox: Sandbox) -> None:
    sandbox.customer.add_task("1_skilm10u", PAY_PER_USE)
    task = drive.task_for(PAY_PER_USE)
    drive("claim", task)
    with pytest.raises(UsageError, match="LIFE-10"):
        drive("complete", task, "1_cap", 90)
    drive("complete", task, "1_cap", 90, units_used=12)
    assert sandbox.task(task.id or 0)["unitsUsed"] == 12


@pytest.mark.rule("LIFE-8")
def test_task_cancelled_mid_flight_raises_task_cancelled(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    drive("claim", task)
    assert drive("is_cancelled", task) is False
    sandbox.customer.abort_task(task.id or 0)
    with pytest.raises(TaskCancelled) as info:
        drive("complete", task, "1_cap", 90)
    assert isinstance(info.value, TaskNotFoundError)
    assert info.value.code == "ENTRY_VENDOR_TASK_NOT_FOUND"
    assert drive("is_cancelled", task) is True


@pytest.mark.rule("KEY-1")
def test_access_key_expiry_is_estimated(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    created = task.created_at or 0
    assert task.access_key_expires_at == pytest.approx(created + 7 * 86400, abs=5)


@pytest.mark.rule("KEY-2")
@pytest.mark.rule("KEY-4")
def test_expired_access_key_is_extended_and_the_call_retried(
    drive: Driver, sandbox: Sandbox
) -> None:
    task = drive.task_for(HUMAN_CAPTIONS)
    drive("claim", task)
    old_key = task.access_key
    sandbox.clock.advance(3 * 86400)
    sandbox.expire_access_key(task.id or 0)
    sandbox.clear_request_log()
    drive("get_task", task)
    assert task.access_key and task.access_key != old_key
    assert task.access_key == sandbox.access_key(task.id or 0)
    actions = [r.action.lower() for r in sandbox.request_log if r.service != "session"]
    # three days later the vendor KS was renewed too (AUTH-6), before extendAccessKey
    assert [a for a in actions if a != "startsession"] == ["get", "extendaccesskey", "get"]
    # KEY-4: a full new validity counted from the extension
    now = sandbox.clock.now()
    assert task.access_key_expires_at == pytest.approx(now + 7 * 86400, abs=5)


@pytest.mark.rule("KEY-3")
def test_extending_a_pending_task_raises_the_typed_error(drive: Driver) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    with pytest.raises(CannotExtendAccessKeyError) as info:
        drive("extend_access_key", task)
    assert info.value.code == "CANNOT_EXTEND_ACCESS_KEY"


@pytest.mark.rule("LIVE-3")
@pytest.mark.rule("LIVE-4")
def test_live_task_checks_and_transitions(drive: Driver, sandbox: Sandbox) -> None:
    live = drive.task_for(LIVE_CAPTIONS)
    with pytest.raises(StateError, match="start_live") as refused:
        drive("claim", live)
    # The message names only methods that exist on the client.
    for name in re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", str(refused.value)):
        assert hasattr(drive.client, name), name
    added = sandbox.customer.add_task(
        "1_live0001",
        LIVE_CAPTIONS,
        status=int(Status.SCHEDULED),
        task_job_data={
            "objectType": "KalturaScheduledVendorTaskData",
            "scheduledEventId": 7001,
            "startDate": int(sandbox.clock.now()) + 3600,
            "endDate": int(sandbox.clock.now()) + 7200,
        },
    )
    scheduled = next(t for t in drive.iter_jobs(include_scheduled=True) if t.id == int(added["id"]))
    assert drive("check_scheduled", scheduled) is True
    drive("start_live", scheduled)
    assert sandbox.task(scheduled.id or 0)["status"] == 3
    drive("finish_live", scheduled, accuracy=85)
    assert sandbox.task(scheduled.id or 0)["status"] == 2


@pytest.mark.rule("LIVE-3")
def test_cancelled_scheduled_task_is_detected(drive: Driver, sandbox: Sandbox) -> None:
    added = sandbox.customer.add_task("1_live0001", LIVE_CAPTIONS, status=int(Status.SCHEDULED))
    task = next(t for t in drive.iter_jobs(include_scheduled=True) if t.id == int(added["id"]))
    sandbox.customer.abort_task(task.id or 0)
    assert drive("check_scheduled", task) is False


@pytest.mark.rule("AUTH-3")
@pytest.mark.rule("AUTH-7")
def test_request_log_has_client_tags_and_task_ids(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    drive("claim", task)
    drive("get_task", task)
    drive("complete", task, "1_cap", 90)
    assert sandbox.request_log
    for record in sandbox.request_log:
        assert record.client_tag and record.client_tag.startswith("app:2.3.1_acme-5000")
        if record.ks_kind == "access_key":
            assert record.client_tag.endswith(f"-{record.task_id}")
            assert record.task_id == task.id
    task_calls = [r for r in sandbox.request_log if r.action.lower() in {"updatejob", "get"}]
    assert all(r.client_tag == f"app:2.3.1_acme-5000-{task.id}" for r in task_calls)


def test_over_real_http_on_loopback(sandbox: Sandbox) -> None:
    for kind in ("sync", "async"):
        driver = Driver(kind, sandbox, over_http=True)
        try:
            task = driver.task_for(MACHINE_CAPTIONS if kind == "sync" else HUMAN_CAPTIONS)
            driver("claim", task)
            driver("complete", task, "1_cap", 88)
            assert sandbox.task(task.id or 0)["status"] == 2
        finally:
            driver.close()


def test_a_silently_dropped_status_change_is_reported(sandbox: Sandbox) -> None:
    """Reference §1.4: without permission the server drops ``status`` and still answers OK."""
    stored = next(t for t in sandbox.tasks() if t["catalogItemId"] == MACHINE_CAPTIONS)
    task = parse(stored, EntryVendorTask)
    inner = sandbox.transport()

    def drops_status(request: httpx.Request) -> httpx.Response:
        if request.url.path.lower().endswith("/updatejob"):
            return httpx.Response(200, json=stored)  # still PENDING
        return inner.handle_request(request)

    creds = sandbox.credentials
    client = ReachClient(
        vendor_partner_id=creds.vendor_partner_id,
        vendor_name="acme",
        app_version="1",
        admin_secret=creds.vendor_admin_secret,
        service_url=sandbox.service_url,
        http_client=httpx.Client(transport=httpx.MockTransport(drops_status)),
    )
    with pytest.raises(ResponseValidationError, match="permission"):
        client.claim(task)
    assert task.status == Status.PENDING
