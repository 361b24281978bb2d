"""Lifecycle rules a mutation run showed untested, proven through the clients end to end.

Each test drives ``ReachClient`` and ``AsyncReachClient`` against the sandbox and fails on one
small change of the SDK (``nox -s mutation`` reruns the search). Where the sandbox cannot
produce an answer on demand (a task Kaltura moved to ABORTED, REJECTED or ERROR and that is
still readable), a spy transport in front of the sandbox answers that one call instead.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import (
    IllegalTransitionError,
    InvalidSessionError,
    UsageError,
)
from kaltura_reach_vendor.enums import EntryVendorTaskStatus as Status
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.tat import TatMonitor, TatState, deadline

from .conftest import HUMAN_CAPTIONS, LIVE_CAPTIONS, MACHINE_CAPTIONS, PAY_PER_USE, Driver

UTC = dt.timezone.utc
Answer = Callable[[dict[str, Any]], Any]


class Spy:
    """A transport in front of the sandbox: records each request body, may answer in its place."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.inner = sandbox.transport()
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.answers: dict[str, Answer] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.split("/")
        name = ".".join(parts[parts.index("service") + 1 :: 2]).lower()
        body = json.loads(request.content) if request.content.startswith(b"{") else {}
        self.requests.append((name, body))
        answer = self.answers.get(name)
        value = answer(body) if answer is not None else None
        if value is not None:
            return httpx.Response(200, json=value)
        return self.inner.handle_request(request)

    def bodies(self, name: str) -> list[dict[str, Any]]:
        return [body for n, body in self.requests if n == name.lower()]


class SpiedDriver(Driver):
    """A :class:`Driver` whose client talks to the sandbox through a :class:`Spy`."""

    def __init__(self, kind: str, sandbox: Sandbox, spy: Spy) -> None:
        super().__init__(kind, sandbox, transport=httpx.MockTransport(spy))


@pytest.fixture
def spy(sandbox: Sandbox) -> Spy:
    return Spy(sandbox)


@pytest.fixture(params=["sync", "async"])
def spied(request: pytest.FixtureRequest, sandbox: Sandbox, spy: Spy) -> Iterator[SpiedDriver]:
    driver = SpiedDriver(request.param, sandbox, spy)
    yield driver
    driver.close()


def _now(sandbox: Sandbox) -> dt.datetime:
    return dt.datetime.fromtimestamp(sandbox.clock.now(), UTC)


def _task_calls(sandbox: Sandbox) -> list[str]:
    return [r.action.lower() for r in sandbox.request_log if r.service != "session"]


# -- KEY-2: extend and retry once, not more ---------------------------------------------------
@pytest.mark.rule("KEY-2")
def test_key_2_a_fresh_key_that_is_expired_too_is_extended_only_once(
    drive: Driver, sandbox: Sandbox
) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    drive("claim", task)
    sandbox.clear_request_log()
    sandbox.faults.expire_next_access_key(2)  # the key, and the fresh one after extending it
    with pytest.raises(InvalidSessionError) as info:
        drive("get_task", task)
    assert info.value.ksid == "EXPIRED"
    assert _task_calls(sandbox) == ["get", "extendaccesskey", "get"]


# -- LIFE-6: accuracy is an integer percentage -----------------------------------------------
@pytest.mark.rule("LIFE-6")
@pytest.mark.parametrize("accuracy", [True, False, 98.5, 90.0, "90", -1, 101])
def test_life_6_accuracy_that_is_not_an_integer_percent_is_refused_before_sending(
    drive: Driver, sandbox: Sandbox, accuracy: Any
) -> None:
    task = drive.task_for(MACHINE_CAPTIONS)
    drive("claim", task)
    sandbox.clear_request_log()
    with pytest.raises(UsageError, match="accuracy"):
        drive("complete", task, "1_x", accuracy)
    assert sandbox.request_log == []
    assert task.status == Status.PROCESSING
    assert sandbox.task(task.id or 0)["status"] == int(Status.PROCESSING)


# -- LIFE-8 and LIVE-3: what a readable task's status says -----------------------------------
def _answer_get_with(spy: Spy, sandbox: Sandbox, task_id: int, status: Status) -> None:
    def get(body: dict[str, Any]) -> Any:
        return {**sandbox.task(task_id), "status": int(status)}

    spy.answers["reach_entryvendortask.get"] = get


@pytest.mark.rule("LIFE-8")
@pytest.mark.parametrize(
    ("status", "cancelled"),
    [
        (Status.ABORTED, True),
        (Status.REJECTED, True),
        (Status.PROCESSING, False),
        (Status.ERROR, False),
        (Status.READY, False),
    ],
)
def test_life_8_a_readable_aborted_or_rejected_task_is_cancelled(
    spied: SpiedDriver, sandbox: Sandbox, spy: Spy, status: Status, cancelled: bool
) -> None:
    task = spied.task_for(MACHINE_CAPTIONS)
    spied("claim", task)
    _answer_get_with(spy, sandbox, task.id or 0, status)
    assert spied("is_cancelled", task) is cancelled
    assert task.status == status
    assert spy.bodies("reach_entryVendorTask.get")  # it did read the task


@pytest.mark.rule("LIVE-3")
@pytest.mark.parametrize(
    ("status", "still_ordered"),
    [
        (Status.SCHEDULED, True),
        (Status.PROCESSING, True),
        (Status.READY, False),
        (Status.ERROR, False),
        (Status.ABORTED, False),
        (Status.REJECTED, False),
    ],
)
def test_live_3_a_scheduled_task_now_in_a_final_status_is_not_still_ordered(
    spied: SpiedDriver, sandbox: Sandbox, spy: Spy, status: Status, still_ordered: bool
) -> None:
    added = sandbox.customer.add_task("1_live0001", LIVE_CAPTIONS, status=int(Status.SCHEDULED))
    task = next(t for t in spied.iter_jobs(include_scheduled=True) if t.id == int(added["id"]))
    _answer_get_with(spy, sandbox, task.id or 0, status)
    assert spied("check_scheduled", task) is still_ordered


# -- POLL-4 / POLL-7: oldest first ------------------------------------------------------------
@pytest.mark.rule("POLL-4")
@pytest.mark.rule("POLL-7")
def test_poll_4_jobs_are_asked_for_and_yielded_oldest_first(
    spied: SpiedDriver, sandbox: Sandbox, spy: Spy
) -> None:
    added = []
    for _ in range(3):
        sandbox.clock.advance(60)
        added.append(int(sandbox.customer.add_task("1_skilm10u", MACHINE_CAPTIONS)["id"]))
    page = spied("get_jobs")
    created = [t.created_at for t in page]
    assert created == sorted(created) and created[0] != created[-1]
    assert [t.id for t in page][-3:] == added
    walked = list(spied.iter_jobs(page_size=2))
    created = [t.created_at for t in walked]
    assert created == sorted(created)
    assert [t.id for t in walked][-3:] == added
    asked = spy.bodies("reach_entryVendorTask.getJobs")
    assert len(asked) > 2
    assert all(b["filter"]["orderBy"] == "+createdAt" for b in asked)


# -- AUTH-3: the client tag the server receives ------------------------------------------------
@pytest.mark.rule("AUTH-3")
def test_auth_3_the_client_tags_vendor_calls_and_task_calls(
    drive: Driver, sandbox: Sandbox
) -> None:
    vendor_tag = f"app:2.3.1_acme-{sandbox.credentials.vendor_partner_id}"
    task = drive.task_for(MACHINE_CAPTIONS)  # starts the session, then getJobs
    drive("claim", task)  # updateJob (vendor KS) about the task
    drive("get_task", task)  # get with the task's access key
    tags: dict[str, set[str | None]] = {}
    for record in sandbox.request_log:
        tags.setdefault(f"{record.service}.{record.action}".lower(), set()).add(record.client_tag)
    task_tag = f"{vendor_tag}-{task.id}"
    assert tags.pop("reach_entryvendortask.getjobs") == {vendor_tag}
    assert tags.pop("reach_entryvendortask.updatejob") == {task_tag}
    assert tags.pop("reach_entryvendortask.get") == {task_tag}
    assert tags and all(found == {vendor_tag} for found in tags.values())  # session start(s)


# -- TAT-1 and TAT-4 on tasks read through the client -----------------------------------------
@pytest.mark.rule("TAT-1")
@pytest.mark.parametrize(
    ("catalog_item", "tat"),
    [(MACHINE_CAPTIONS, 1800), (PAY_PER_USE, 7200), (LIVE_CAPTIONS, 7 * 86400)],
)
def test_tat_1_due_time_of_a_task_read_through_the_client(
    drive: Driver, sandbox: Sandbox, catalog_item: int, tat: int
) -> None:
    added = int(sandbox.customer.add_task("1_skilm10u", catalog_item)["id"])
    server_due = dt.datetime.fromtimestamp(sandbox.task(added)["expectedFinishTime"], UTC)
    task = next(t for t in drive.iter_jobs() if t.id == added)
    # getJobs' reach_vendor profile leaves out expectedFinishTime and turnAroundTime: the SDK
    # computes the due time from createdAt and the catalog item's TAT, as the server did
    assert task.expected_finish_time is None
    limit = deadline(task)
    assert limit is not None and limit.source == "computed"
    assert limit.due == server_due
    assert (limit.due - limit.start).total_seconds() == tat
    if task.is_live:
        return
    drive("claim", task)
    # ``list`` (no profile) carries expectedFinishTime: it is authoritative
    listed = next(t for t in drive("list_in_flight") if t.id == added)
    assert listed.expected_finish_time is not None
    limit = deadline(listed)
    assert limit is not None and limit.source == "expectedFinishTime"
    assert limit.due == server_due


@pytest.mark.rule("TAT-4")
def test_tat_4_a_task_kaltura_failed_for_being_overdue_is_a_final_state(
    spied: SpiedDriver, sandbox: Sandbox, spy: Spy
) -> None:
    task = spied.task_for(HUMAN_CAPTIONS)
    spied("claim", task)
    sandbox.clock.advance(3600)  # twice its 30-minute TAT
    assert [a.state for a in TatMonitor().check([task], _now(sandbox))] == [
        TatState.HALFWAY,
        TatState.OVERDUE,
    ]
    reason = "Job Due Date was exceeded in 100%"

    def overdue(body: dict[str, Any]) -> Any:
        return {**sandbox.task(task.id or 0), "status": 6, "errDescription": reason}

    spy.answers["reach_entryvendortask.get"] = overdue
    spied("get_task", task)
    assert task.status == Status.ERROR and task.is_final and task.err_description == reason
    assert TatMonitor().check([task], _now(sandbox)) == []
    assert spied("is_cancelled", task) is False  # failed, not cancelled by the customer
    sent = len(spy.requests)
    with pytest.raises(IllegalTransitionError, match="LIFE-9"):
        spied("complete", task, "1_cap", 90)
    assert len(spy.requests) == sent


# -- POLL-6 / AUTH-7: each task object carries its own id and current access key -------------
@pytest.mark.rule("POLL-6")
@pytest.mark.rule("AUTH-7")
def test_poll_6_each_task_keeps_its_id_and_current_access_key_until_delivery(
    spied: SpiedDriver, sandbox: Sandbox, spy: Spy
) -> None:
    first = spied.task_for(MACHINE_CAPTIONS)
    second = spied.task_for(HUMAN_CAPTIONS)
    ids = (first.id, second.id)
    spied("claim", first)
    spied("claim", second)
    assert first.access_key and first.access_key != second.access_key
    old_key = first.access_key
    spied("extend_access_key", first)  # the server issues a new key for the first task only
    assert first.access_key == sandbox.access_key(first.id or 0) != old_key
    spied("get_task", second)
    spied("get_task", first)
    assert (first.id, second.id) == ids
    assert first.access_key == sandbox.access_key(first.id or 0)
    assert second.access_key == sandbox.access_key(second.id or 0)
    spy.requests.clear()
    sandbox.clear_request_log()
    # delivery-style calls on each task's content go out with that task's current key
    for task in (second, first):
        spied("task_call", task, "baseEntry", "get", {"entryId": task.entry_id})
    sent = spy.bodies("baseEntry.get")
    assert [(b["ks"], b["entryId"]) for b in sent] == [
        (second.access_key, second.entry_id),
        (first.access_key, first.entry_id),
    ]
    assert [(r.ks_kind, r.task_id, r.error_code) for r in sandbox.request_log] == [
        ("access_key", second.id, None),
        ("access_key", first.id, None),
    ]
