"""Soak: 500 tasks through the worker while the sandbox misbehaves (issue 14, "Done when").

Faults at the issue's rates, per API request: 5 % connections dropped unanswered, 5 % HTTP
503, 5 % "processed, then dropped" (the write happened, the answer never came), 5 % access
keys found expired, and cancellations by the customer. The worker (concurrency 16, sync
client over loopback HTTP) runs until idle, again while a task is still open (a real worker
keeps polling). Every task must end READY with exactly one output, ERROR with a short
description, or cancelled and known as such to the journal; nothing escapes the worker.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from kaltura_reach_vendor import EntryVendorTaskStatus as Status
from kaltura_reach_vendor.fairness import TaskKey
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.worker import EventKind, SQLiteJournal, Step, Worker, WorkerEvent

from .support import HANDLERS, KNOWN_KINDS, client, order, outputs

TASKS = 500
#: Runs of the worker before giving up on a task that never ends.
MAX_RUNS = 8


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("empty", seed=14) as box:
        yield box


@pytest.mark.rule("LIFE-4")
@pytest.mark.rule("LIFE-8")
@pytest.mark.rule("KEY-2")
def test_500_tasks_under_faults_all_end_properly(
    sandbox: Sandbox, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ids = order(sandbox, TASKS)
    url = sandbox.serve()
    faults = sandbox.faults
    faults.drop_rate = 0.05
    faults.error_rate = 0.05
    faults.processed_drop_rate = 0.05
    faults.access_key_expiry_rate = 0.05
    faults.cancel_rate = 0.02  # per task-specific call: about 5 % of the tasks end cancelled
    events: list[WorkerEvent] = []
    journal_path = tmp_path / "journal.sqlite3"
    caplog.set_level(logging.ERROR, logger="asyncio")
    started = time.perf_counter()
    runs = 0
    with client(url) as vendor:
        worker = Worker(
            vendor,
            HANDLERS,
            concurrency=16,
            journal=journal_path,
            poll_interval=0.05,
            on_event=events.append,
            grace=5.0,
        )
        while runs < MAX_RUNS:
            runs += 1
            worker.run(until_idle=True, install_signals=False)
            ended = all(Status(sandbox.task(t)["status"]).is_final for t in ids)
            if ended and not worker.journal.unfinished(url):
                break
    elapsed = time.perf_counter() - started
    faults.reset()

    statuses = Counter(Status(sandbox.task(t)["status"]) for t in ids)
    print(f"\n{TASKS} tasks in {elapsed:.1f} s over {runs} run(s): {dict(statuses)}")
    print(f"worker stats: {worker.stats}")
    assert set(statuses) <= {Status.READY, Status.ERROR, Status.ABORTED}, statuses
    # The faults did happen, and most tasks still got through.
    assert statuses[Status.READY] > TASKS * 0.5
    assert statuses[Status.ABORTED] > 0 and statuses[Status.ERROR] > 0

    made = outputs(sandbox, ids)
    journal = SQLiteJournal(journal_path)
    for task_id in ids:
        record = sandbox.task(task_id)
        status = Status(record["status"])
        if status == Status.READY:
            assert made[task_id] == [record["outputObjectId"]], (task_id, made[task_id])
        elif status == Status.ERROR:
            reason = record.get("errDescription") or ""
            assert reason.strip() and len(reason) <= 250 and "\n" not in reason, reason
        else:
            entry = journal.get(TaskKey(url, task_id))
            assert entry is not None and entry.step is Step.CANCELLED, (task_id, entry)
    # No task the worker took up is left open in its journal.
    assert journal.unfinished(url) == []

    # Expired access keys were healed (KEY-2): extended, and the call made again.
    assert any(r.action == "extendaccesskey" for r in sandbox.request_log)

    kinds = Counter(e.kind for e in events)
    print(f"events: {dict(kinds)}")
    assert set(kinds) <= KNOWN_KINDS
    assert kinds[EventKind.DELIVERED] == statuses[Status.READY]
    # Nothing escaped the worker's loop (an asyncio task dying would be logged here).
    assert not [r for r in caplog.records if r.name == "asyncio"]
