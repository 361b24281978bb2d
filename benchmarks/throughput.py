"""Tasks per second: the worker (``concurrency=16``) against the plain sequential flow.

Run: ``PYTHONPATH=src python benchmarks/throughput.py [TASKS]``. Machine captions tasks over
three customers are delivered (one short SRT each) twice per setting, on fresh sandboxes:

* **worker**: ``Worker(client, {CAPTIONS: handler}, concurrency=16)`` run until idle, with its
  SQLite journal in a temporary directory (polling, the journal and fair queueing included);
* **plain**: the same flow written the plain way with the same kind of client: one
  ``getJobs`` walk (``iter_jobs``), then per task ``claim`` → ``deliver_captions``, one task
  after the other.

Settings: the in-process sandbox (``httpx.Client(transport=sandbox.transport())``: the SDK's
and the sandbox's own cost, no network) and the loopback HTTP sandbox with 20 ms added to
every request (``faults.latency_ms``), a stand-in for the round trip to Kaltura. Printed: tasks
per second for each and the worker/plain ratio. Target: at least 10x on loopback with 20 ms.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from kaltura_reach_vendor import AppToken, ReachClient, RetryPolicy
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.sandbox.scenarios import (
    APP_TOKEN,
    APP_TOKEN_HASH_TYPE,
    APP_TOKEN_ID,
    VENDOR_PARTNER_ID,
)
from kaltura_reach_vendor.worker import Worker

TASKS = int(sys.argv[1]) if len(sys.argv) > 1 else 320
CONCURRENCY = 16
LATENCY_MS = 20.0
MACHINE_CAPTIONS = 30002
SRT = "1\n00:00:01,000 --> 00:00:02,500\nHello there.\n\n2\n00:00:03,000 --> 00:00:04,000\nBye.\n"


def captions(job: Any) -> Any:
    return job.client.deliver_captions(job.task, SRT, accuracy=95)


def _sandbox(latency_ms: float) -> Sandbox:
    """``TASKS`` pending tasks over three customers, ten to an entry."""
    box = Sandbox("empty", seed=7)
    entries: dict[int, str] = {}
    for n in range(TASKS):
        customer = (1001, 1002, 1003)[n % 3]
        if n % 30 < 3:
            entry = box.customer.add_entry(customer, f"lecture {n}")
            entries[customer] = entry
        box.customer.add_task(entries[customer], MACHINE_CAPTIONS)
    box.faults.latency_ms = latency_ms
    return box


def _client(box: Sandbox, *, in_process: bool) -> ReachClient:
    options: dict[str, Any] = {
        "vendor_partner_id": VENDOR_PARTNER_ID,
        "vendor_name": "bench",
        "app_version": "1.0",
        "app_token": AppToken(APP_TOKEN_ID, APP_TOKEN, APP_TOKEN_HASH_TYPE),
        "retry": RetryPolicy(max_attempts=1),
    }
    if in_process:
        options["service_url"] = box.service_url
        options["http_client"] = httpx.Client(transport=box.transport(), base_url=box.service_url)
    else:
        options["service_url"] = box.serve()
    return ReachClient(**options)


def worker_run(client: ReachClient, journal: Path) -> int:
    worker = Worker(client, {1: captions}, concurrency=CONCURRENCY, journal=journal)
    return worker.run(until_idle=True, install_signals=False).delivered


def plain_run(client: ReachClient, journal: Path) -> int:
    done = 0
    for task in list(client.iter_jobs()):  # one getJobs walk, then task after task
        client.claim(task)
        client.deliver_captions(task, SRT, accuracy=95)
        done += 1
    return done


def measure(flow: Callable[[ReachClient, Path], int], *, in_process: bool, latency: float) -> float:
    with _sandbox(latency) as box:
        client = _client(box, in_process=in_process)
        client.get_jobs()  # the session, outside the timing
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            done = flow(client, Path(tmp) / "journal.sqlite3")
            elapsed = time.perf_counter() - started
        client.close()
        ready = sum(1 for t in box.tasks() if t["status"] == 2)
    if done != ready or ready < TASKS:
        raise SystemExit(f"{flow.__name__}: {done} delivered, {ready} READY of {TASKS}")
    return done / elapsed


def main() -> None:
    print(f"{TASKS} machine captions tasks, worker concurrency={CONCURRENCY}")
    for label, in_process, latency in (
        ("in-process sandbox", True, 0.0),
        (f"loopback HTTP, {LATENCY_MS:.0f} ms latency", False, LATENCY_MS),
    ):
        worker = measure(worker_run, in_process=in_process, latency=latency)
        plain = measure(plain_run, in_process=in_process, latency=latency)
        print(
            f"{label:34s} worker {worker:7.1f} tasks/s   plain {plain:7.1f} tasks/s   "
            f"ratio {worker / plain:5.1f}x"
        )


if __name__ == "__main__":
    main()
