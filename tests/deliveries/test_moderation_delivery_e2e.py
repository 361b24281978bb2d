"""``deliver_moderation`` end to end on the sandbox, both clients (MOD-1, MOD-2, MOD-5, §7.5)."""

from __future__ import annotations

import json

import pytest

from kaltura_reach_vendor import (
    DeliveryError,
    EntryVendorTaskStatus,
    StateError,
    UsageError,
)
from kaltura_reach_vendor.models import EntryVendorTask
from kaltura_reach_vendor.moderation import (
    TEXT_POLICY,
    TEXT_RULES,
    VISUAL_POLICY,
    evaluate,
    moderation_order,
    resolve_policies,
)
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Driver

MODERATION = 30010  # demo scenario: AI moderation, categoryIds "9001"
LECTURE = "1_skilm10u"
CATEGORY = 9001

CLEAN = evaluate([], [TEXT_POLICY])
#: rule 1 at 95 and rule 8 at 95: 190 / 8 = 23.75 ≥ 20 → policy 1 does not comply
DIRTY = evaluate(
    [
        TEXT_RULES[0].violation("a slur", 12.0, severity=95),
        TEXT_RULES[7].violation("the Q3 numbers", 80.5, severity=95),
    ],
    [TEXT_POLICY],
)


def _http_requests(sandbox: Sandbox, since: int) -> int:
    """HTTP requests the sandbox received after log position ``since`` (a multirequest: 1)."""
    return sum(1 for r in sandbox.request_log[since:] if r.multirequest_index in (None, 1))


def _claimed(drive: Driver, sandbox: Sandbox, task_job_data: dict[str, str]) -> EntryVendorTask:
    sandbox.customer.add_task(LECTURE, MODERATION, task_job_data=task_job_data)
    task = [t for t in drive.pending() if t.catalog_item_id == MODERATION][-1]
    drive("claim", task)
    return task


def _category_status(sandbox: Sandbox) -> int:
    (link,) = [
        c
        for c in sandbox.category_entries()
        if c["categoryId"] == CATEGORY and c["entryId"] == LECTURE
    ]
    return int(link["status"])


@pytest.mark.rule("MOD-1")
@pytest.mark.rule("MOD-2")
@pytest.mark.rule("MOD-5")
def test_without_categories_one_request_keeps_the_order(drive: Driver, sandbox: Sandbox) -> None:
    task = _claimed(
        drive,
        sandbox,
        {
            "ruleIds": "1,2,3,4,5,6,7,8",
            "policyIds": "1,2",
            "objectType": "KalturaModerationVendorTaskData",
        },
    )
    order = moderation_order(task)  # MOD-1: the claim's answer carries the task data
    assert order.policy_ids == ("1", "2") and order.category_ids == ()
    report = evaluate(DIRTY.violations, resolve_policies(order.policy_ids))
    since = len(sandbox.request_log)
    result = drive("deliver_moderation", task, report, accuracy=88)
    assert result.requests == 1 == _http_requests(sandbox, since)
    record = sandbox.task(int(task.id or 0))
    assert record["status"] == EntryVendorTaskStatus.READY
    assert record["outputObjectId"] == LECTURE == result.output_object_id
    assert record["accuracy"] == 88
    data = record["taskJobData"]
    # MOD-5: updateJob replaced the task data whole; the order is still there
    assert data["objectType"] == "KalturaModerationVendorTaskData"
    assert data["ruleIds"] == "1,2,3,4,5,6,7,8"
    assert data["policyIds"] == "1,2"
    output = json.loads(data["moderationOutputJson"])
    assert output["summary"] == {
        "policy_1": {"score": 23.75, "comply": False, "critical_violation": False},
        "policy_2": {"score": 0, "comply": True, "critical_violation": False},
    }
    assert [v["id"] for v in output["violations"]] == ["1", "8"]
    assert _category_status(sandbox) == 1  # untouched: the task names no category


@pytest.mark.rule("MOD-5")
def test_a_task_read_through_the_profile_is_refused_before_a_request(
    drive: Driver, sandbox: Sandbox
) -> None:
    task = drive.task_for(MODERATION)  # getJobs: the reach_vendor profile hides the order
    task.status = EntryVendorTaskStatus.PROCESSING  # as if claimed elsewhere, never re-read
    since = len(sandbox.request_log)
    with pytest.raises(StateError, match="claim the task first"):
        drive("deliver_moderation", task, CLEAN, accuracy=90)
    assert len(sandbox.request_log) == since
    assert sandbox.task(int(task.id or 0))["taskJobData"]["categoryIds"] == "9001"


@pytest.mark.rule("MOD-5")
def test_a_complying_entry_is_activated_in_the_tasks_category(
    drive: Driver, sandbox: Sandbox
) -> None:
    task = drive.task_for(MODERATION)
    drive("claim", task)
    assert _category_status(sandbox) == 1  # PENDING
    since = len(sandbox.request_log)
    result = drive("deliver_moderation", task, CLEAN, accuracy=95)
    assert result.requests == 2 == _http_requests(sandbox, since)
    assert _category_status(sandbox) == 2  # ACTIVE
    calls = [(r.service.lower(), r.action.lower(), r.ks_kind) for r in sandbox.request_log[since:]]
    assert calls == [
        ("categoryentry", "activate", "access_key"),
        ("reach_entryvendortask", "updatejob", "vendor"),
    ]
    record = sandbox.task(int(task.id or 0))
    assert record["status"] == EntryVendorTaskStatus.READY
    assert record["taskJobData"]["categoryIds"] == "9001"  # MOD-5
    assert record["taskJobData"]["ruleIds"] == "1,2,3,4,5,6,7,8"
    assert json.loads(record["taskJobData"]["moderationOutputJson"])["summary"]["policy_1"][
        "comply"
    ]


def test_a_failing_entry_is_rejected_in_the_tasks_category(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(MODERATION)
    drive("claim", task)
    result = drive("deliver_moderation", task, DIRTY, accuracy=95)
    assert result.requests == 2
    assert _category_status(sandbox) == 4  # REJECTED
    assert sandbox.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.READY


def test_a_refused_category_action_leaves_the_task_processing(
    drive: Driver, sandbox: Sandbox
) -> None:
    task = drive.task_for(MODERATION)
    drive("claim", task)
    with sandbox.state.lock:
        del sandbox.state.category_entries[(CATEGORY, LECTURE)]
    with pytest.raises(DeliveryError, match="category 9001: ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY"):
        drive("deliver_moderation", task, CLEAN, accuracy=95)
    record = sandbox.task(int(task.id or 0))
    assert record["status"] == EntryVendorTaskStatus.PROCESSING
    assert "moderationOutputJson" not in record["taskJobData"]


def test_refused_before_any_request(drive: Driver, sandbox: Sandbox) -> None:
    captions = drive.task_for(30002)
    drive("claim", captions)
    task = drive.task_for(MODERATION)
    drive("claim", task)
    since = len(sandbox.request_log)
    with pytest.raises(UsageError, match="CAPTIONS task; deliver_moderation delivers MODERATION"):
        drive("deliver_moderation", captions, CLEAN, accuracy=90)
    with pytest.raises(UsageError, match="no summary for 1"):
        drive("deliver_moderation", task, evaluate([], [VISUAL_POLICY]), accuracy=90)
    with pytest.raises(UsageError, match="ModerationReport"):
        drive("deliver_moderation", task, {"violations": []}, accuracy=90)
    with pytest.raises(UsageError, match="accuracy"):
        drive("deliver_moderation", task, CLEAN, accuracy=0.9)
    assert len(sandbox.request_log) == since
    assert sandbox.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.PROCESSING


def test_a_category_entry_already_decided_is_left_as_it_is(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(MODERATION)
    drive("claim", task)
    # a channel manager published it meanwhile (or an earlier attempt of this delivery did)
    with sandbox.state.lock:
        sandbox.state.category_entries[(CATEGORY, LECTURE)]["status"] = 2
    since = len(sandbox.request_log)
    result = drive("deliver_moderation", task, DIRTY, accuracy=95)
    assert result.requests == 2
    errors = [r.error_code for r in sandbox.request_log[since:]]
    assert errors == ["CANNOT_REJECT_CATEGORY_ENTRY_SINCE_IT_IS_NOT_PENDING", None]
    assert _category_status(sandbox) == 2  # that decision stands
    assert sandbox.task(int(task.id or 0))["status"] == EntryVendorTaskStatus.READY
