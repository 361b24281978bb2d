"""The SDK against the sandbox's fault injection: retries where safe, typed errors elsewhere."""

from __future__ import annotations

import pytest

from kaltura_reach_vendor import ReachConnectionError, TaskCancelled
from kaltura_reach_vendor.enums import EntryVendorTaskStatus as Status
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import MACHINE_CAPTIONS, Driver


def test_reads_survive_5xx_and_dropped_connections(
    drive: Driver, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    drive("get_jobs", page_size=1)  # session first, so the faults hit getJobs itself
    with caplog.at_level("WARNING", logger="kaltura_reach_vendor"):
        sandbox.faults.error_next(1, status=503)
        assert len(drive("get_jobs", page_size=5)) == 5
        sandbox.faults.drop_next(1)
        assert len(drive("get_jobs", page_size=5)) == 5
    retries = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retries) == 2
    assert "HTTP 503" in retries[0] and "RemoteProtocolError" in retries[1]


def test_a_dropped_write_is_not_sent_twice(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    sandbox.clear_request_log()
    sandbox.faults.drop_next(1)
    with pytest.raises(ReachConnectionError):
        drive("claim", task)
    # The sandbox drops the connection before it handles the request, so the one updateJob the
    # SDK sent never ran; a resend would have run (and the claim would have succeeded).
    updates = [r for r in sandbox.request_log if r.action.lower() == "updatejob"]
    assert updates == []
    assert sandbox.task(task.id or 0)["status"] == int(Status.PENDING)
    assert task.status == Status.PENDING  # not moved locally either
    drive("claim", task)  # the caller decides to try again: exactly one more updateJob
    updates = [r for r in sandbox.request_log if r.action.lower() == "updatejob"]
    assert len(updates) == 1 and task.status == Status.PROCESSING


@pytest.mark.rule("KEY-2")
def test_forced_access_key_expiry_is_healed(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    drive("claim", task)
    sandbox.faults.expire_next_access_key(1)
    drive("get_task", task)
    assert task.status == Status.PROCESSING
    assert "extendaccesskey" in [r.action.lower() for r in sandbox.request_log]


@pytest.mark.rule("LIFE-8")
def test_cancellation_mid_flight_from_the_fault_switch(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    drive("claim", task)
    sandbox.faults.cancel_next_task(1)
    with pytest.raises(TaskCancelled):
        drive("get_task", task)
    sandbox.clear_request_log()
    with pytest.raises(TaskCancelled):  # the task stays cancelled: delivering it fails too
        drive("complete", task, "1_cap", 90)
    assert [(r.action.lower(), r.error_code) for r in sandbox.request_log] == [
        ("updatejob", "ENTRY_VENDOR_TASK_NOT_FOUND")
    ]
