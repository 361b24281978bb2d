"""Operating a cluster: procrastinate's own admin tools on our jobs, and ``status --backend``.

After a small in-process cluster run on a real PostgreSQL (``tests/pg.py``): the procrastinate
CLI (a subprocess, ``--app=kaltura_reach_vendor.worker.admin.app``) lists the cluster's jobs
and passes its healthchecks; ``kaltura-reach-vendor status --backend`` counts each customer's
tasks and prints the job queue; a backend URL's password is never printed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from kaltura_reach_vendor.cli import main
from kaltura_reach_vendor.errors import ConfigurationError
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.worker import Worker
from kaltura_reach_vendor.worker.cluster import QUEUE, TASK_TASK

from .support import CUSTOMERS, HANDLERS, client, order

ROOT = Path(__file__).resolve().parents[2]
APP = "kaltura_reach_vendor.worker.admin.app"
PASSWORD = "s3cret-Pa55word"


@pytest.fixture
def cluster(postgres_url: str) -> Iterator[tuple[str, list[int]]]:
    """A database after a one-process cluster run of 12 tasks; the backend URL and task ids."""
    with Sandbox("empty", seed=53) as box:
        ids = order(box, 12)
        with client(box.serve()) as vendor:
            worker = Worker(vendor, HANDLERS, backend=postgres_url, poll_interval=1)
            stats = worker.run(until_idle=True, install_signals=False)
        assert stats.delivered == 12
        yield postgres_url, ids


def _procrastinate(backend: str, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KALTURA_REACH_BACKEND": backend,
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("PROCRASTINATE_APP", None)
    return subprocess.run(
        [sys.executable, "-m", "procrastinate", f"--app={APP}", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_procrastinate_cli_lists_our_jobs_and_passes_healthchecks(
    cluster: tuple[str, list[int]],
) -> None:
    backend, ids = cluster
    listed = _procrastinate(
        backend, "shell", "list_jobs", f"queue={QUEUE}", f"task={TASK_TASK}", "details"
    )
    assert listed.returncode == 0, listed.stderr
    lines = [line for line in listed.stdout.splitlines() if TASK_TASK in line]
    # A job per Kaltura task (a task polled again after its job finished gets a second job,
    # which finds it done), every one succeeded, each locked on its task.
    assert all(f"on {QUEUE} - [succeeded]" in line for line in lines), lines
    listed_ids = {int(m) for m in re.findall(r"'task_id': (\d+)", listed.stdout)}
    assert listed_ids == set(ids)
    assert all(re.search(r"lock=\S+#\d+\)", line) for line in lines), lines
    queues = _procrastinate(backend, "shell", "list_queues")
    assert queues.returncode == 0, queues.stderr
    assert f"{QUEUE}:" in queues.stdout and "todo: 0, doing: 0" in queues.stdout
    health = _procrastinate(backend, "healthchecks")
    assert health.returncode == 0, health.stderr
    assert "DB connection: OK" in health.stdout
    assert "Found procrastinate_jobs table: OK" in health.stdout


def test_admin_app_without_the_variable_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kaltura_reach_vendor.worker import admin

    monkeypatch.delenv("KALTURA_REACH_BACKEND", raising=False)
    monkeypatch.setattr(admin, "_built", {})
    with pytest.raises(ConfigurationError, match="KALTURA_REACH_BACKEND"):
        admin.app  # noqa: B018
    with pytest.raises(AttributeError):
        admin.nothing  # noqa: B018


def _with_password(backend: str, role: str) -> str:
    """The same database as ``role`` with a password (the role created with it)."""
    import psycopg

    with psycopg.connect(backend, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
    parts = urlsplit(backend)
    netloc = f"{role}:{PASSWORD}@{parts.hostname}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def test_status_with_a_backend_counts_each_customer_and_the_queue(
    cluster: tuple[str, list[int]], capsys: pytest.CaptureFixture[str]
) -> None:
    backend, ids = cluster
    url = _with_password(backend, f"ops_{Path(urlsplit(backend).path).name}")
    assert main(["status", "--backend", url, "--json"]) == 0
    out, err = capsys.readouterr()
    assert PASSWORD not in out + err
    body = json.loads(out)
    rows = {row["customer"]: row for row in body["customers"]}
    assert set(rows) == set(CUSTOMERS)
    assert sum(row["done"] for row in rows.values()) == len(ids)
    for customer in CUSTOMERS:  # order() spreads the tasks evenly: 4 each
        assert rows[customer]["done"] == 4
        assert rows[customer]["waiting"] == rows[customer]["running"] == 0
    assert body["jobs"]["succeeded"] >= len(ids) and "todo" not in body["jobs"]

    assert main(["status", "--backend", url]) == 0
    out, err = capsys.readouterr()
    assert PASSWORD not in out + err
    assert "1001" in out and "handed off" in out
    queue_line = [line for line in out.splitlines() if line.startswith("job queue: ")]
    assert len(queue_line) == 1 and "succeeded" in queue_line[0]


def test_status_of_an_unreachable_backend_is_one_line_without_the_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import socket

    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql://ops:{PASSWORD}@127.0.0.1:{port}/reach?connect_timeout=5"
    assert main(["status", "--backend", url]) != 0
    out, err = capsys.readouterr()
    assert PASSWORD not in out + err
    assert "cannot read the status" in err and err.strip().count("\n") == 0
