"""``task_call``, ``task_multirequest`` and ``get_task`` by id, end to end on the sandbox.

The access key heals everywhere a task's key is used through the SDK (KEY-2): an expired key
is extended with the vendor KS and the call retried once. ``ENTRY_VENDOR_TASK_NOT_FOUND``
means the customer cancelled (LIFE-8), and calls about a task name it in the client tag
(AUTH-3).
"""

from __future__ import annotations

import pytest

from kaltura_reach_vendor import (
    ApiCall,
    BaseEntry,
    EntryVendorTask,
    EntryVendorTaskStatus,
    IllegalTransitionError,
    InvalidSessionError,
    TaskCancelled,
    TaskNotFoundError,
)
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import MACHINE_CAPTIONS, Driver


def _claimed(drive: Driver) -> EntryVendorTask:
    task = drive.task_for(MACHINE_CAPTIONS)
    drive("claim", task)
    return task


def _count(sandbox: Sandbox, action: str) -> int:
    return sum(1 for r in sandbox.request_log if r.action.lower() == action.lower())


@pytest.mark.rule("KEY-2")
@pytest.mark.rule("AUTH-3")
def test_task_call_heals_an_expired_key_once_and_names_the_task(
    drive: Driver, sandbox: Sandbox
) -> None:
    task = _claimed(drive)
    old_key = task.access_key
    sandbox.expire_access_key(int(task.id or 0))
    sandbox.clear_request_log()
    entry = drive("task_call", task, "baseEntry", "get", {"entryId": task.entry_id}, into=BaseEntry)
    assert isinstance(entry, BaseEntry)
    assert entry.id == task.entry_id
    assert _count(sandbox, "extendAccessKey") == 1
    assert task.access_key and task.access_key != old_key
    tags = [r.client_tag for r in sandbox.request_log if r.service.lower() == "baseentry"]
    assert tags and all(tag == drive.client.client_tag(task.id) for tag in tags)
    assert all(str(tag).endswith(f"-{task.id}") for tag in tags)


@pytest.mark.rule("KEY-2")
def test_task_call_extends_at_most_once(drive: Driver, sandbox: Sandbox) -> None:
    task = _claimed(drive)
    sandbox.faults.expire_next_access_key(5)  # the fresh key is expired too
    sandbox.expire_access_key(int(task.id or 0))
    sandbox.clear_request_log()
    with pytest.raises(InvalidSessionError) as refused:
        drive("task_call", task, "baseEntry", "get", {"entryId": task.entry_id})
    assert refused.value.ksid == "EXPIRED"
    assert _count(sandbox, "extendAccessKey") == 1


@pytest.mark.rule("LIFE-8")
def test_task_call_on_a_cancelled_task_raises_task_cancelled(
    drive: Driver, sandbox: Sandbox
) -> None:
    task = _claimed(drive)
    sandbox.customer.abort_task(int(task.id or 0))
    with pytest.raises(TaskCancelled):
        drive("task_call", task, "reach_entryVendorTask", "get", {"id": task.id})


@pytest.mark.rule("KEY-2")
@pytest.mark.rule("AUTH-3")
def test_task_multirequest_heals_an_expired_key_and_tags_each_call(
    drive: Driver, sandbox: Sandbox
) -> None:
    task = _claimed(drive)
    sandbox.expire_access_key(int(task.id or 0))
    sandbox.clear_request_log()
    calls = [
        ApiCall("baseEntry", "get", {"entryId": task.entry_id}),
        ApiCall("reach_entryVendorTask", "get", {"id": task.id}),
    ]
    entry, fresh = drive("task_multirequest", task, calls)
    assert isinstance(entry, dict) and entry["id"] == task.entry_id
    assert isinstance(fresh, dict) and int(fresh["id"]) == task.id
    assert _count(sandbox, "extendAccessKey") == 1
    items = [r for r in sandbox.request_log if r.multirequest_index is not None]
    assert items and all(str(r.client_tag).endswith(f"-{task.id}") for r in items)
    assert all(r.ks_kind != "vendor" for r in items)


@pytest.mark.rule("LIFE-8")
def test_task_multirequest_reports_a_cancelled_task_per_item(
    drive: Driver, sandbox: Sandbox
) -> None:
    task = _claimed(drive)
    sandbox.customer.abort_task(int(task.id or 0))
    (item,) = drive(
        "task_multirequest", task, [ApiCall("reach_entryVendorTask", "get", {"id": task.id})]
    )
    assert isinstance(item, TaskCancelled)


@pytest.mark.rule("POLL-8")
def test_get_task_by_id(drive: Driver) -> None:
    task = _claimed(drive)
    assert task.id is not None
    found = drive("get_task", int(task.id))
    assert found.id == task.id
    assert found.status is EntryVendorTaskStatus.PROCESSING
    assert found.access_key
    assert found.catalog_item is not None  # re-read with the reach_vendor profile (POLL-2)
    with pytest.raises(TaskNotFoundError):
        drive("get_task", 999_999_999)


@pytest.mark.rule("LIFE-9")
def test_claiming_a_bare_id_checks_the_real_status_first(drive: Driver, sandbox: Sandbox) -> None:
    task = _claimed(drive)
    drive("complete", task, "1_output", 97)
    sandbox.clear_request_log()
    with pytest.raises(IllegalTransitionError):
        drive("claim", EntryVendorTask(id=task.id))
    assert _count(sandbox, "updateJob") == 0
