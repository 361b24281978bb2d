"""Crash: the worker process is killed (SIGKILL) at random moments, 10 times across a 100-task
run, and restarted each time; after the last restart runs until idle, every task is READY
and none has two outputs (issue 14, "Done when"; POLL-8).

The sandbox lives in this process (served on loopback); the worker runs in a child process
(``crash_child.py``) with its journal in ``tmp_path``. The kill moments are seeded and spread
over the run: each waits until a seeded number of tasks is READY, then a seeded few
milliseconds more, so that work is in flight when the process dies.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kaltura_reach_vendor import EntryVendorTaskStatus as Status
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.worker import SQLiteJournal

from .support import order, outputs

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("crash_child.py")
TASKS = 100
KILLS = 10


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("empty", seed=41) as box:
        yield box


def _start(url: str, journal: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    return subprocess.Popen(
        [sys.executable, str(CHILD), "run", url, str(journal), "8"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _ready(box: Sandbox, ids: list[int]) -> int:
    wanted = set(ids)
    return sum(1 for t in box.tasks() if int(t["id"]) in wanted and t["status"] == Status.READY)


@pytest.mark.rule("POLL-8")
def test_ten_kills_leave_every_task_ready_with_one_output(sandbox: Sandbox, tmp_path: Path) -> None:
    ids = order(sandbox, TASKS)
    url = sandbox.serve()
    # Slow answers to the deliveries' multirequests and to updateJob (applied at once,
    # answered 30 ms later): a kill often lands after a claim, an output's creation or READY
    # was applied but before the worker heard of it.
    faults = sandbox.faults
    faults.actions = {"multirequest.", "multirequest", "reach_entryvendortask.updatejob"}
    faults.delay_rate, faults.delay_seconds = 1.0, 0.03
    journal = tmp_path / "journal.sqlite3"
    rng = random.Random(1414)
    thresholds = sorted(rng.sample(range(3, TASKS - 5), KILLS))
    killed_mid_work = 0
    for threshold in thresholds:
        goal = max(threshold, _ready(sandbox, ids) + 1)  # each life gets some work done
        child = _start(url, journal)
        deadline = time.monotonic() + 60
        while _ready(sandbox, ids) < goal and child.poll() is None:
            assert time.monotonic() < deadline, "the worker made no progress"
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.03))
        if child.poll() is None:
            killed_mid_work += 1
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert child.stdout is not None
        child.stdout.close()
    assert killed_mid_work >= KILLS - 1  # the kills did land while the worker was working

    last = _start(url, journal)
    out, _ = last.communicate(timeout=120)
    assert last.returncode == 0, out

    records = {int(t["id"]): t for t in sandbox.tasks()}
    not_ready = {t: records[t]["status"] for t in ids if records[t]["status"] != Status.READY}
    assert not_ready == {}
    made = outputs(sandbox, ids)
    doubled = {t: objects for t, objects in made.items() if len(objects) != 1}
    assert doubled == {}
    for task_id in ids:
        assert made[task_id] == [records[task_id]["outputObjectId"]]
    assert SQLiteJournal(journal).unfinished(url) == []
    # The kills did interrupt deliveries: resumed ones looked for their attempt's objects
    # (a list by the task's access key), some after the output had been created.
    reconciled, created_first = _resumed_deliveries(sandbox)
    print(
        f"\n{KILLS} kills at READY counts {thresholds}; deliveries resumed: {len(reconciled)}, "
        f"of which the output existed already: {len(created_first)}"
    )
    assert reconciled and created_first


def _resumed_deliveries(box: Sandbox) -> tuple[set[int], set[int]]:
    """Tasks whose delivery looked for an earlier attempt's objects, and those of them whose
    output had been created before (the add logged before the look)."""
    added: set[int] = set()
    reconciled: set[int] = set()
    created_first: set[int] = set()
    for record in box.request_log:
        task = record.task_id
        if task is None or record.service not in _OUTPUT_SERVICES:
            continue
        if record.action == "add":
            added.add(task)
        elif record.action == "list" and task not in reconciled:
            reconciled.add(task)
            if task in added:
                created_first.add(task)
    return reconciled, created_first


_OUTPUT_SERVICES = {"caption_captionasset", "cuepoint_cuepoint"}
