"""Many workers on many hosts, one PostgreSQL: the worker on ``procrastinate``.

Kaltura gives no help to a vendor with several hosts: ``getJobs`` cannot be partitioned,
``updateJob`` has no compare-and-set, and task ids are unique only per region (POLL-5). The
coordination therefore lives in one PostgreSQL database, through procrastinate (an existing
Postgres task engine) and the worker's journal (:class:`~.postgres.PostgresJournal`) in the
same database:

* **one poll for the whole cluster**: a periodic procrastinate job (``reach.poll``, its
  queueing lock keeps at most one waiting) walks ``getJobs`` and defers **one job per Kaltura
  task**, with the queueing lock ``<service URL>#<task id>`` (never two waiting for one task)
  and the same **lock** (never two running for one task, on any host);
* **fair across customers, cluster-wide** (POLL-7): each deferred job's priority is minus the
  number of its customer's jobs already waiting, so jobs are taken one customer after another
  whatever host polled them;
* **exactly-once delivery**: a task job reads the task and its journal record, claims only a
  task the journal has as waiting, and delivers with the journalled marker (an interrupted
  attempt is reconciled, never repeated);
* **hosts die**: a periodic ``reach.maintain`` job gives the jobs of a worker whose heartbeat
  stopped back to the queue (procrastinate's stalled jobs), and keeps handed-off and live
  tasks alive (key extensions, TAT alerts, cancellations, live checks).

Start it with ``Worker(client, handlers, backend="postgresql://…").run()`` (or
``kaltura-reach-vendor work --backend postgresql://…``) on every host.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from .. import _tasks
from ..enums import EntryVendorTaskStatus as Status
from ..errors import ConfigurationError, ReachError, TaskCancelled
from ..fairness import TaskKey, fair_order
from ..models import EntryVendorTask
from .job import EventKind, WorkerStats
from .journal import Journal, Step

if TYPE_CHECKING:
    import procrastinate

    from .worker import Worker

__all__ = [
    "MAINTAIN_TASK",
    "POLL_TASK",
    "QUEUE",
    "TASK_TASK",
    "build_app",
    "cluster_journal",
    "queue_counts",
    "run_cluster",
]

QUEUE = "kaltura-reach"
POLL_TASK = "reach.poll"
TASK_TASK = "reach.task"
MAINTAIN_TASK = "reach.maintain"
#: Seconds without a heartbeat after which a worker's running jobs are given back.
STALLED_AFTER = 30.0
_LIVE = (8, 11)
_INSTALL = "the PostgreSQL backend needs: pip install 'kaltura-reach-vendor[postgres]'"


def _require() -> None:
    """A clear error when the ``[postgres]`` extra is not installed."""
    try:
        import procrastinate  # noqa: F401
        import psycopg  # noqa: F401
    except ImportError:
        raise ConfigurationError(_INSTALL) from None


def cluster_journal(backend: str) -> Journal:
    """The journal of a cluster: in the backend's PostgreSQL database."""
    if not backend.startswith(("postgresql://", "postgres://")):
        raise ConfigurationError("backend must be a postgresql:// URL")
    _require()
    from .postgres import PostgresJournal

    return PostgresJournal(backend)


def _cron(seconds: float) -> str:
    """A procrastinate cron (6 fields: seconds last) for about every ``seconds``."""
    every = max(1, round(seconds))
    if every < 60:
        return f"* * * * * */{every}"
    return f"*/{min(59, max(1, every // 60))} * * * *"


def build_app(worker: Worker) -> procrastinate.App:
    """The procrastinate app of one worker process: the same task names on every host."""
    _require()
    import procrastinate

    assert worker.backend is not None
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=worker.backend))
    cron = _cron(worker.poll_interval)

    @app.periodic(cron=cron, periodic_id="poll")
    @app.task(name=POLL_TASK, queue=QUEUE, queueing_lock=POLL_TASK, priority=1_000_000)
    async def poll(timestamp: int) -> None:
        await _poll(worker, app)

    @app.task(name=TASK_TASK, queue=QUEUE)
    async def task(task_id: int, partner_id: int | None = None) -> None:
        await _process(worker, task_id)

    @app.periodic(cron=cron, periodic_id="maintain")
    @app.task(name=MAINTAIN_TASK, queue=QUEUE, queueing_lock=MAINTAIN_TASK, priority=1_000_000)
    async def maintain(timestamp: int) -> None:
        await _maintain(worker, app)

    return app


async def _waiting(app: procrastinate.App) -> tuple[Counter[int | None], set[str]]:
    """The waiting task jobs: how many per customer, and their queueing locks."""
    rows = await app.connector.execute_query_all_async(
        "SELECT args->>'partner_id' AS partner, queueing_lock FROM procrastinate_jobs "
        "WHERE task_name = %(task)s AND status = 'todo'",
        task=TASK_TASK,
    )
    counts: Counter[int | None] = Counter()
    locks: set[str] = set()
    for row in rows:
        partner = row["partner"]
        counts[int(partner) if partner not in (None, "null") else None] += 1
        if row["queueing_lock"]:
            locks.add(row["queueing_lock"])
    return counts, locks


def _lock(worker: Worker, task_id: int) -> str:
    return f"{worker.service_url}#{task_id}"


async def _poll(worker: Worker, app: procrastinate.App) -> int:
    """getJobs → one job per new task, each customer's next job behind the others' (POLL-7).
    Returns how many jobs it deferred (-1 when getJobs failed).

    Tasks whose job already waits are skipped; the others are deferred in one batch (one
    round trip), or one by one when another host deferred some of them meanwhile."""
    tasks = await worker._fetch_new()
    if tasks is None:
        return -1
    if not tasks:
        return 0
    rank, waiting = await _waiting(app)
    jobs: list[tuple[int, int | None, int]] = []
    for item in fair_order(tasks):
        task_id, customer = int(item.id or 0), item.partner_id
        if _lock(worker, task_id) in waiting:
            continue
        jobs.append((task_id, customer, -rank[customer]))
        rank[customer] += 1
    if not jobs:
        return 0
    from procrastinate.exceptions import AlreadyEnqueued

    try:
        await app.job_manager.batch_defer_jobs_async([_job(worker, app, *job) for job in jobs])
    except AlreadyEnqueued:
        return sum([await _defer(worker, app, *job) for job in jobs])
    return len(jobs)


def _job(
    worker: Worker, app: procrastinate.App, task_id: int, customer: int | None, priority: int
) -> procrastinate.jobs.Job:
    """The job of one Kaltura task: its queueing lock and lock are the task's key (POLL-5)."""
    lock = _lock(worker, task_id)
    deferrer = app.configure_task(
        TASK_TASK, queueing_lock=lock, lock=lock, priority=priority, queue=QUEUE
    )
    return deferrer.make_new_job(task_id=task_id, partner_id=customer)


async def _defer(
    worker: Worker, app: procrastinate.App, task_id: int, customer: int | None, priority: int
) -> int:
    """One job for one Kaltura task, unless one is already waiting (1 if deferred)."""
    from procrastinate.exceptions import AlreadyEnqueued

    try:
        await app.job_manager.defer_job_async(_job(worker, app, task_id, customer, priority))
    except AlreadyEnqueued:
        return 0
    return 1


async def _process(worker: Worker, task_id: int) -> None:
    """One Kaltura task, on whichever host took its job (the lock: one at a time)."""
    key = TaskKey(worker.service_url, task_id)
    record = worker.journal.get(key)
    if record is None or record.step.is_final:
        return
    if record.step in (Step.HANDED_OFF, Step.SCHEDULED):
        return  # kept alive by reach.maintain
    try:
        task = await worker._call(_tasks.get_task, task_id)
    except TaskCancelled as error:
        stub = EntryVendorTask(id=task_id, partner_id=record.partner_id)
        worker._finished(stub, Step.CANCELLED, EventKind.CANCELLED, str(error))
        return
    except ReachError as error:
        worker._event(EventKind.ERROR, None, f"task {task_id}: {error}")
        raise  # the job fails; the next poll defers it again
    if worker._final(task):
        return
    if task.status == Status.PENDING and record.step is Step.SEEN:
        await worker._process(task)
    elif task.status == Status.PROCESSING and not task.is_live:
        # Claimed by a job that died (or whose claim answer was lost): go on from the journal.
        attempt = record.open_attempt
        if attempt is None:
            started = worker.journal.begin_attempt(key, _marker(task_id), at=worker._now())
            await worker._process(task, (started.number, started.marker))
        else:
            await worker._process(task, (attempt.number, attempt.marker))


def _marker(task_id: int) -> str:
    from ._base import new_marker

    return new_marker(task_id)


async def _maintain(worker: Worker, app: procrastinate.App) -> None:
    """Jobs of dead hosts back to the queue; handed-off and live tasks kept alive."""
    from procrastinate.exceptions import ConnectorException
    from procrastinate.jobs import Status as Status_

    stalled = await app.job_manager.get_stalled_jobs(
        queue=QUEUE, seconds_since_heartbeat=STALLED_AFTER
    )
    for job in stalled:
        try:
            await app.job_manager.retry_job(job)
        except ConnectorException:
            # Another host gave it back first, or a newer job for the same task is already
            # waiting (its queueing lock refuses a second): that one will do the work, so
            # this one is closed as failed, which frees the task's lock.
            with contextlib.suppress(ConnectorException):
                await app.job_manager.finish_job(job, Status_.FAILED, delete_job=False)
    now = worker._now()
    for record in worker.journal.unfinished(worker.service_url):
        task_id = record.key.task_id
        watched = record.step in (Step.HANDED_OFF, Step.SCHEDULED) or (
            record.step is Step.CLAIMED and record.service_feature in _LIVE
        )
        if not watched:
            if now - record.updated_at > STALLED_AFTER:
                # No job finished it (its host died, or failing it failed): a new job does.
                await _defer(worker, app, task_id, record.partner_id, 0)
            continue
        if task_id in worker._watched:
            continue
        try:
            worker._watched[task_id] = await worker._call(_tasks.get_task, task_id)
        except TaskCancelled as error:
            stub = EntryVendorTask(id=task_id, partner_id=record.partner_id)
            worker._finished(stub, Step.CANCELLED, EventKind.CANCELLED, str(error))
        except ReachError as error:
            worker._event(EventKind.ERROR, None, f"task {task_id}: {error}")
    await worker._maintain()


def _in_progress(worker: Worker) -> bool:
    """Tasks the journal has as taken but not finished (and not handed off or scheduled)."""
    waiting = (Step.HANDED_OFF, Step.SCHEDULED)
    return any(r.step not in waiting for r in worker.journal.unfinished(worker.service_url))


async def _backlog(app: procrastinate.App) -> int:
    row = await app.connector.execute_query_one_async(
        "SELECT count(*) AS n FROM procrastinate_jobs WHERE queue_name = %(queue)s "
        "AND status IN ('todo', 'doing')",
        queue=QUEUE,
    )
    return int(row["n"])


def queue_counts(backend: str) -> dict[str, int]:
    """The cluster's jobs by procrastinate status (todo, doing, succeeded, failed …)."""
    try:
        import psycopg
    except ImportError:
        raise ConfigurationError(_INSTALL) from None
    with psycopg.connect(backend) as connection:
        present = connection.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
        if present is None or present[0] is None:
            return {}
        rows = connection.execute(
            "SELECT status::text, count(*) FROM procrastinate_jobs WHERE queue_name = %s "
            "GROUP BY 1",
            (QUEUE,),
        ).fetchall()
    return {str(status): int(count) for status, count in rows}


#: ``pg_advisory_lock`` key held while the first host creates procrastinate's tables.
_SCHEMA_LOCK = 0x5EAC4_0001


async def ensure_schema(backend: str, app: procrastinate.App) -> None:
    """Create procrastinate's tables once: hosts starting together take turns (an advisory
    lock), and the first one creates them."""
    import psycopg

    async with await psycopg.AsyncConnection.connect(backend, autocommit=True) as connection:
        await connection.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            cursor = await connection.execute("SELECT to_regclass('procrastinate_jobs')")
            row = await cursor.fetchone()
            if row is None or row[0] is None:
                await app.schema_manager.apply_schema_async()
        finally:
            await connection.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))


async def run_cluster(worker: Worker, until_idle: bool, install_signals: bool) -> WorkerStats:
    """Run this process's share of the cluster's work (see the module docstring)."""
    if worker.backend is None:
        raise ConfigurationError("run_cluster needs a worker with backend=postgresql://…")
    backend = worker.backend
    app = build_app(worker)
    worker._loop = asyncio.get_running_loop()
    if not worker._async:
        worker._loop.set_default_executor(
            ThreadPoolExecutor(worker.concurrency + 4, thread_name_prefix="reach-worker")
        )
    options: dict[str, Any] = {
        "queues": [QUEUE],
        "concurrency": worker.concurrency,
        "shutdown_graceful_timeout": worker.grace,
        "install_signal_handlers": install_signals,
        "stalled_worker_timeout": STALLED_AFTER,
    }
    async with app.open_async():
        await ensure_schema(backend, app)
        if not until_idle:
            await app.run_worker_async(wait=True, **options)
            return worker.stats
        while True:  # tests, demos, benchmarks: poll, drain, until nothing is left
            found = await _poll(worker, app)
            await app.run_worker_async(wait=False, listen_notify=False, **options)
            await _maintain(worker, app)
            settled = not await _backlog(app) and not worker._live_waiting()
            if not found and settled and not _in_progress(worker):
                return worker.stats
            if not found:
                await asyncio.sleep(min(worker.poll_interval, 1.0))
