"""A handed-off human task kept alive by the worker and delivered later from another process
(issue 14, "Done when"): its access key extended before it expires (KEY-1, KEY-2), half-time
and overdue alerts (TAT-2), and Kaltura's own overdue ERROR (TAT-4) and a customer's
cancellation (LIFE-8) noticed. The sandbox clock is advanced; the worker's client reads the
same clock, as a worker's host clock would follow Kaltura's."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kaltura_reach_vendor import EntryVendorTaskStatus as Status
from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.enums import VendorServiceFeature as F
from kaltura_reach_vendor.fairness import TaskKey
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.worker import EventKind, Handoff, Job, SQLiteJournal, Step, Worker

from .support import HUMAN_CAPTIONS, MARKER, client_options, outputs

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("crash_child.py")
TAT = 1800  # catalog item 30001: professional captions, 30 minutes
DAY = 86_400.0
#: KEY-1: the access key's validity, max(7 days, 2 × TAT).
VALIDITY = max(7 * DAY, 2 * TAT)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("empty", seed=3) as box:
        yield box


class Desk:
    """A worker that hands human captions to people, one poll cycle at a time."""

    def __init__(self, box: Sandbox, journal: Path) -> None:
        self.box = box
        self.url = box.serve()
        self.journal = journal
        self.events: list[Any] = []
        self.handed: list[Any] = []
        self.client = ReachClient(**client_options(self.url, clock=box.clock.now))
        self.worker = Worker(
            self.client,
            {F.CAPTIONS: self.hand_off},
            journal=journal,
            poll_interval=0.05,
            on_event=self.events.append,
        )

    def hand_off(self, job: Job[Any]) -> Handoff:
        self.handed.append(job.tat)
        return Handoff(f"ext-{job.task.id}")

    def cycle(self) -> None:
        self.worker.run(until_idle=True, install_signals=False)

    def kinds(self, task_id: int) -> list[EventKind]:
        return [e.kind for e in self.events if e.task_id == task_id]

    def step(self, task_id: int) -> Step:
        record = SQLiteJournal(self.journal).get(TaskKey(self.url, task_id))
        assert record is not None
        return record.step


@pytest.fixture
def desk(sandbox: Sandbox, tmp_path: Path) -> Iterator[Desk]:
    desk = Desk(sandbox, tmp_path / "journal.sqlite3")
    yield desk
    desk.client.close()


def _order(box: Sandbox, count: int) -> list[int]:
    entry = box.customer.add_entry(1001, "board meeting")
    return [int(box.customer.add_task(entry, HUMAN_CAPTIONS)["id"]) for _ in range(count)]


def _deliver_from_another_process(url: str, journal: Path, task_id: int) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, str(CHILD), "deliver", url, str(journal), str(task_id)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


@pytest.mark.rule("KEY-1")
@pytest.mark.rule("KEY-2")
@pytest.mark.rule("TAT-2")
@pytest.mark.rule("TAT-3")
def test_a_handed_off_task_is_kept_alive_and_delivered_from_another_process(
    desk: Desk, sandbox: Sandbox
) -> None:
    (task_id,) = _order(sandbox, 1)
    desk.cycle()
    assert desk.kinds(task_id) == [EventKind.SEEN, EventKind.CLAIMED, EventKind.HANDED_OFF]
    assert desk.step(task_id) is Step.HANDED_OFF
    (facts,) = desk.handed
    assert facts.is_human and facts.expected_finish is not None  # TAT-3, for the person
    assert sandbox.task(task_id)["status"] == Status.PROCESSING
    first_key = sandbox.access_key(task_id)

    sandbox.clock.advance(TAT * 0.6)
    desk.cycle()
    assert desk.kinds(task_id)[-1] is EventKind.TAT_HALF
    sandbox.clock.advance(TAT * 0.5)
    desk.cycle()
    assert desk.kinds(task_id)[-1] is EventKind.TAT_OVERDUE
    desk.cycle()  # each alert once
    assert desk.kinds(task_id).count(EventKind.TAT_OVERDUE) == 1
    assert EventKind.KEY_EXTENDED not in desk.kinds(task_id)  # days of validity left

    # Most of the key's validity gone: less than a day left, and the worker extends it.
    sandbox.clock.advance(VALIDITY - TAT * 1.1 - DAY / 2)
    sandbox.clear_request_log()
    desk.cycle()
    assert desk.kinds(task_id)[-1] is EventKind.KEY_EXTENDED
    extended = [r for r in sandbox.request_log if r.action == "extendaccesskey"]
    assert [r.task_id for r in extended] == [task_id]
    assert sandbox.access_key(task_id) != first_key
    desk.cycle()  # a fresh full validity (KEY-4): nothing to extend now
    assert desk.kinds(task_id).count(EventKind.KEY_EXTENDED) == 1

    # Past the old key's end: the person's work is delivered from a second process.
    sandbox.clock.advance(DAY)
    output = _deliver_from_another_process(desk.url, desk.journal, task_id)
    record = sandbox.task(task_id)
    assert record["status"] == Status.READY and record["accuracy"] == 99
    assert outputs(sandbox, [task_id]) == {task_id: [output]} and output == record["outputObjectId"]
    assert desk.step(task_id) is Step.DONE
    desk.cycle()  # the first worker stops watching it
    assert desk.kinds(task_id)[-1] is EventKind.DELIVERED
    desk.cycle()
    assert desk.kinds(task_id).count(EventKind.DELIVERED) == 1
    caption = next(a for a in sandbox.assets(kind="caption") if a["id"] == output)
    assert str(caption["partnerData"]).startswith(MARKER.format(task_id))


@pytest.mark.rule("TAT-4")
@pytest.mark.rule("LIFE-8")
def test_kaltura_overdue_error_and_a_cancellation_are_noticed(desk: Desk, sandbox: Sandbox) -> None:
    overdue, cancelled, kept = _order(sandbox, 3)
    desk.cycle()
    assert [desk.step(t) for t in (overdue, cancelled, kept)] == [Step.HANDED_OFF] * 3

    sandbox.clock.advance(TAT * 2)
    with sandbox.state.lock:  # what Kaltura does to an overdue human task (TAT-4)
        task = sandbox.state.tasks[overdue]
        task.data["status"] = Status.ERROR
        task.data["errDescription"] = "Job Due Date was exceeded"
    sandbox.customer.abort_task(cancelled)
    desk.cycle()

    assert desk.step(overdue) is Step.FAILED
    failed = [e for e in desk.events if e.task_id == overdue and e.kind is EventKind.FAILED]
    assert [e.detail for e in failed] == ["Kaltura set ERROR: Job Due Date was exceeded"]
    assert desk.step(cancelled) is Step.CANCELLED
    assert desk.kinds(cancelled)[-1] is EventKind.CANCELLED
    assert desk.step(kept) is Step.HANDED_OFF  # still watched
    assert EventKind.ERROR not in {e.kind for e in desk.events}
    # No update was sent for the tasks Kaltura ended.
    desk.cycle()
    assert desk.kinds(overdue).count(EventKind.FAILED) == 1
    assert desk.kinds(cancelled).count(EventKind.CANCELLED) == 1
