"""The vendor worker: poll, queue fairly, claim, run the handler, deliver, survive restarts.

One implementation for both clients: the worker's loop is written once with ``asyncio`` and
runs the SDK's workflows through the client it was given, directly with an
``AsyncReachClient`` (``await worker.run_async()``), or in threads with a ``ReachClient``
(``worker.run()``, whose handlers are plain functions called in worker threads).

Each cycle:

1. **Poll** ``getJobs`` (every page, POLL-1, POLL-4) every ``poll_interval`` seconds; each task
   is recorded in the journal (keyed by service URL and task id, POLL-5) and queued.
2. **Queue fairly**: one task of each customer in turn (POLL-7), at most ``concurrency``
   handlers at once; a free slot takes the next task without waiting for the next poll.
3. **Claim** (PENDING → PROCESSING, LIFE-2) and call the handler registered for the task's
   service feature with a :class:`~.job.Job`. Tasks of a feature without a handler are left
   alone (not claimed). The delivery's marker is written to the journal *before* the handler
   runs, so that after a crash the restarted worker finds what the attempt created instead
   of creating a second output.
4. **Finish**: a ``DeliveryResult`` → done; :class:`~.job.Handoff` → handed off (kept alive);
   an exception → the task fails with a short message (LIFE-4); ``TaskCancelled`` → cancelled
   (LIFE-8).
5. **Maintain** handed-off and live tasks: one ``list`` of in-flight tasks (POLL-8) per cycle;
   access keys are extended a day before they expire (KEY-1, KEY-2); half-time and overdue
   alerts (TAT-2); cancellations and Kaltura's own overdue ERROR are noticed (LIFE-8, TAT-4);
   live tasks are checked (LIVE-3), started (LIVE-4) at their start and finished after their
   end.

``stop()`` (and SIGINT/SIGTERM under ``run()``) stops polling; running handlers get ``grace``
seconds to finish. A task interrupted by a crash or by the end of the grace period is resumed
from the journal by the next run.

The loop, polling, claiming and handlers are here; keeping handed-off and live tasks alive is
in :mod:`._watch`; what both use (running workflows, events, recording a task's end) in
:mod:`._base`.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import signal
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .. import _polling, _tasks
from ..client import AsyncReachClient, ReachClient
from ..deliveries import DeliveryResult
from ..deliveries._common import ATTEMPT
from ..enums import EntryVendorTaskStatus as Status
from ..enums import VendorServiceFeature
from ..errors import (
    AlreadyClaimedError,
    ConfigurationError,
    ReachConnectionError,
    ReachError,
    ReachTimeoutError,
    StateError,
    TaskCancelled,
    TaskFinalStateError,
    TaskNotFoundError,
    UsageError,
)
from ..fairness import TaskKey
from ..models import EntryVendorTask
from ..tat import TatMonitor
from ._base import feature_number, feature_of, new_marker, pending_tasks, short_reason
from ._watch import Watching
from .job import EventKind, Handler, Handoff, Job, TatFacts, WorkerEvent, WorkerStats
from .journal import Journal, JournalRecord, Listed, Step
from .sqlite import SQLiteJournal

__all__ = ["Worker"]


class _FairQueue:
    """Tasks waiting for a slot, one customer after another (POLL-7)."""

    def __init__(self) -> None:
        self._by_customer: OrderedDict[int | None, deque[EntryVendorTask]] = OrderedDict()

    def __len__(self) -> int:
        return sum(len(q) for q in self._by_customer.values())

    def put(self, task: EntryVendorTask) -> None:
        self._by_customer.setdefault(task.partner_id, deque()).append(task)

    def pop(self) -> EntryVendorTask:
        customer, queue = next(iter(self._by_customer.items()))
        task = queue.popleft()
        del self._by_customer[customer]
        if queue:  # this customer goes to the back of the line
            self._by_customer[customer] = queue
        return task


class Worker(Watching):
    """A REACH vendor service: see the module docstring. ``handlers`` maps a service feature
    (``VendorServiceFeature`` or its number) to a handler."""

    def __init__(
        self,
        client: ReachClient | AsyncReachClient,
        handlers: Mapping[VendorServiceFeature | int, Handler],
        *,
        concurrency: int = 8,
        journal: str | os.PathLike[str] | Journal = "reach-journal.sqlite3",
        poll_interval: float = 30.0,
        on_event: Callable[[WorkerEvent], None] | None = None,
        grace: float = 30.0,
        backend: str | None = None,
    ) -> None:
        if not isinstance(client, (ReachClient, AsyncReachClient)):
            raise ConfigurationError("Worker needs a ReachClient or an AsyncReachClient")
        if concurrency < 1 or poll_interval <= 0 or grace < 0:
            raise UsageError("concurrency ≥ 1, poll_interval > 0 and grace ≥ 0, please")
        self.client = client
        self._async = isinstance(client, AsyncReachClient)
        self._handlers: dict[VendorServiceFeature, Handler] = {}
        for feature, handler in handlers.items():
            if inspect.iscoroutinefunction(handler) != self._async:
                kind = "coroutine functions" if self._async else "plain functions"
                raise ConfigurationError(
                    f"the handler for feature {feature} must be one of the {kind} that a "
                    f"{type(client).__name__} calls"
                )
            self._handlers[VendorServiceFeature(int(feature))] = handler
        self.concurrency = concurrency
        self.poll_interval = poll_interval
        self.grace = grace
        self._on_event = on_event
        #: ``postgresql://…``: many workers on many hosts share one database (:mod:`.cluster`).
        self.backend = backend
        if backend is not None:
            from .cluster import cluster_journal

            self.journal: Journal = cluster_journal(backend)
        else:
            self.journal = (
                SQLiteJournal(journal) if isinstance(journal, (str, os.PathLike)) else journal
            )
        self.service_url = client._engine.config.service_url.rstrip("/")
        self.stats = WorkerStats()
        self._queue = _FairQueue()
        self._active: set[int] = set()  # queued or running task ids
        self._watched: dict[int, EntryVendorTask] = {}  # handed-off and live tasks
        self._tat = TatMonitor(self._tat_alert)
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- running ------------------------------------------------------------------------
    def run(self, *, until_idle: bool = False, install_signals: bool = True) -> WorkerStats:
        """Run with a ``ReachClient`` until :meth:`stop` (or SIGINT/SIGTERM), or with
        ``until_idle`` until nothing is left to do."""
        if self._async:
            raise UsageError("this worker has an AsyncReachClient: await worker.run_async()")
        if self.backend is not None:
            from .cluster import run_cluster

            return asyncio.run(run_cluster(self, until_idle, install_signals))
        return asyncio.run(self._main(until_idle, install_signals))

    async def run_async(self, *, until_idle: bool = False) -> WorkerStats:
        """Run with an ``AsyncReachClient`` (see :meth:`run`)."""
        if not self._async:
            raise UsageError("this worker has a ReachClient: call worker.run()")
        if self.backend is not None:
            from .cluster import run_cluster

            return await run_cluster(self, until_idle, False)
        return await self._main(until_idle, False)

    def stop(self) -> None:
        """Stop polling; running handlers get ``grace`` seconds to finish (thread-safe)."""
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            loop.call_soon_threadsafe(stop.set)

    async def _main(self, until_idle: bool, install_signals: bool) -> WorkerStats:
        self._loop = asyncio.get_running_loop()
        if not self._async:  # run()'s own loop: a thread for each handler, and a few for polls
            # (asyncio's default pool has only cpu_count + 4 threads: fewer than concurrency).
            self._loop.set_default_executor(
                ThreadPoolExecutor(self.concurrency + 4, thread_name_prefix="reach-worker")
            )
        self._stop = asyncio.Event()
        if install_signals:
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    self._loop.add_signal_handler(sig, self._stop.set)
        running: set[asyncio.Task[None]] = set()
        try:
            await self._resume(running)
            next_poll = 0.0
            quiet = False  # the latest poll found nothing while nothing ran
            while not self._stop.is_set():
                if time.monotonic() >= next_poll:
                    busy = bool(running or len(self._queue))
                    found_new = await self._poll()
                    await self._maintain()
                    quiet = not (found_new or busy)
                    next_poll = time.monotonic() + self.poll_interval
                while len(self._queue) and len(running) < self.concurrency:
                    self._start(running, self._process(self._queue.pop()))
                    quiet = False
                idle = not (running or len(self._queue) or self._live_waiting())
                if until_idle and idle:
                    if quiet:
                        break
                    next_poll = 0.0  # make sure: poll once more now
                    continue
                await self._wait(running, next_poll)
        finally:
            if running:
                _done, late = await asyncio.wait(running, timeout=self.grace)
                for job in late:
                    job.cancel()  # resumed from the journal by the next run
            if install_signals:
                for sig in (signal.SIGINT, signal.SIGTERM):
                    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                        self._loop.remove_signal_handler(sig)
        return self.stats

    def _start(self, running: set[asyncio.Task[None]], work: Any) -> None:
        job = asyncio.ensure_future(work)
        running.add(job)
        job.add_done_callback(running.discard)

    async def _wait(self, running: set[asyncio.Task[None]], next_poll: float) -> None:
        assert self._stop is not None
        stopper = asyncio.ensure_future(self._stop.wait())
        timeout = max(0.0, next_poll - time.monotonic())
        try:
            await asyncio.wait({stopper, *running}, timeout=timeout, return_when="FIRST_COMPLETED")
        finally:
            stopper.cancel()

    # -- delivering a handed-off task later, from any process ------------------------------
    def deliver(self, task_id: int, helper: str, *args: Any, **kwargs: Any) -> DeliveryResult:
        """Deliver a handed-off task now (``helper``: ``"deliver_captions"`` …, called with
        the task read fresh from Kaltura and ``args``), and record it in the journal. Works
        from any process sharing the journal; an attempt a crash interrupted is reconciled
        by its marker, never delivered twice."""
        if not isinstance(self.client, ReachClient):
            raise UsageError("this worker has an AsyncReachClient: await worker.deliver_async()")
        task, attempt, resume = self._before_delivery(self.client.get_task(task_id), helper)
        token = ATTEMPT.set((task_id, attempt[1], resume))
        try:
            result = getattr(self.client, helper)(task, *args, **kwargs)
        finally:
            ATTEMPT.reset(token)
        return self._after_delivery(task, attempt, result)

    async def deliver_async(
        self, task_id: int, helper: str, *args: Any, **kwargs: Any
    ) -> DeliveryResult:
        """:meth:`deliver` for a worker with an ``AsyncReachClient``."""
        if not isinstance(self.client, AsyncReachClient):
            raise UsageError("this worker has a ReachClient: call worker.deliver()")
        fresh = await self.client.get_task(task_id)
        task, attempt, resume = self._before_delivery(fresh, helper)
        token = ATTEMPT.set((task_id, attempt[1], resume))
        try:
            result = await getattr(self.client, helper)(task, *args, **kwargs)
        finally:
            ATTEMPT.reset(token)
        return self._after_delivery(task, attempt, result)

    def _before_delivery(
        self, task: EntryVendorTask, helper: str
    ) -> tuple[EntryVendorTask, tuple[int, str], bool]:
        if not helper.startswith("deliver_") or not hasattr(self.client, helper):
            raise UsageError(f"{helper!r} is not a delivery helper of the client")
        if task.status != Status.PROCESSING:
            raise StateError(f"task {task.id} is {task.status!r}, not PROCESSING: nothing to do")
        key = self._key(task)
        self.journal.seen(
            key, partner_id=task.partner_id, service_feature=feature_number(task), at=self._now()
        )
        record = self.journal.get(key)
        open_attempt = record.open_attempt if record is not None else None
        if open_attempt is not None:
            return task, (open_attempt.number, open_attempt.marker), True
        started = self.journal.begin_attempt(key, new_marker(int(task.id or 0)), at=self._now())
        return task, (started.number, started.marker), False

    def _after_delivery(
        self, task: EntryVendorTask, attempt: tuple[int, str], result: DeliveryResult
    ) -> DeliveryResult:
        self.journal.finish_attempt(self._key(task), attempt[0], result.object_ids)
        self._done(task, result.output_object_id, result.requests)
        return result

    # -- polling ----------------------------------------------------------------------------
    async def _poll(self) -> bool:
        """One full ``getJobs`` walk; queues what is new or still waiting. True if any."""
        tasks = await self._fetch_new()
        if tasks is None:
            return True  # getJobs failed: not a sign that nothing is left
        for task in tasks:
            self._active.add(int(task.id or 0))
            self._queue.put(task)
        return bool(tasks)

    async def _fetch_new(self) -> list[EntryVendorTask] | None:
        """The pending tasks of our features that are new or still waiting (journal SEEN);
        None when getJobs failed."""
        try:
            tasks = await self._call(pending_tasks)
        except ReachError as error:
            self.stats.errors += 1
            self._event(EventKind.ERROR, None, f"getJobs failed: {error}")
            return None
        ours: dict[TaskKey, EntryVendorTask] = {}
        listed: list[Listed] = []
        for task in tasks:
            if task.id is None or int(task.id) in self._active:
                continue
            feature = task.effective_service_feature
            if feature not in self._handlers:
                continue  # another service's task: not ours to claim
            key = self._key(task)
            if key not in ours:
                ours[key] = task
                listed.append(Listed(key, task.partner_id, int(feature)))
        if not listed:
            return []
        known = self.journal.seen_many(listed, at=self._now())  # one round trip for the page
        fresh: list[EntryVendorTask] = []
        for key, task in ours.items():
            step, new = known[key]
            if new:
                self.stats.seen += 1
                self._event(EventKind.SEEN, task, "queued")
            elif step is not Step.SEEN:
                continue  # already ours (claimed, handed off, scheduled or final)
            fresh.append(task)
        return fresh

    # -- one task ---------------------------------------------------------------------------
    async def _process(self, task: EntryVendorTask, attempt: tuple[int, str] | None = None) -> None:
        task_id = int(task.id or 0)
        resume = attempt is not None  # taken up from the journal after a restart
        try:
            if task.is_live:
                await self._register_live(task)
                return
            if attempt is None:
                if not await self._claim(task):
                    return
                started = self.journal.begin_attempt(
                    self._key(task), new_marker(task_id), at=self._now()
                )
                attempt = (started.number, started.marker)
            await self._handle(task, attempt, resume=resume)
        finally:
            self._active.discard(task_id)

    async def _claim(self, task: EntryVendorTask) -> bool:
        try:
            await self._call(_tasks.claim, task)
        except TaskCancelled as error:
            self._finished(task, Step.CANCELLED, EventKind.CANCELLED, str(error))
            return False
        except (AlreadyClaimedError, StateError, TaskFinalStateError) as error:
            self._event(EventKind.ERROR, task, f"not claimed: {error}")
            return False
        except (ReachConnectionError, ReachTimeoutError) as error:
            # Unknown outcome: the claim may have been applied and its answer lost. A task
            # now PROCESSING would never be listed by getJobs again: read it to know.
            if not await self._claimed_after_all(task):
                self.stats.errors += 1
                self._event(EventKind.ERROR, task, f"claim failed: {error}")
                return False
        except ReachError as error:  # left SEEN: the next poll tries again
            self.stats.errors += 1
            self._event(EventKind.ERROR, task, f"claim failed: {error}")
            return False
        self.journal.step(self._key(task), Step.CLAIMED, at=self._now())
        self.stats.claimed += 1
        self._event(EventKind.CLAIMED, task, "PENDING → PROCESSING")
        return True

    async def _claimed_after_all(self, task: EntryVendorTask) -> bool:
        """After a claim whose answer was lost: True (``task`` updated) if it is PROCESSING."""
        try:
            fresh = await self._call(_tasks.get_task, int(task.id or 0))
        except TaskNotFoundError as error:  # cancelled meanwhile (LIFE-8)
            self._finished(task, Step.CANCELLED, EventKind.CANCELLED, str(error))
            return False
        except ReachError:
            return False  # the restart's check (_claimed_unjournalled) catches it later
        if fresh.status != Status.PROCESSING:
            self._final(fresh)  # cancelled or ended meanwhile: recorded as such
            return False
        _tasks.absorb(task, fresh)
        return True

    async def _claimed_unjournalled(self, records: list[JournalRecord]) -> set[int]:
        """Ids of tasks the journal still has as SEEN but Kaltura has PROCESSING: claimed by a
        run that died (or lost the answer) before journalling it; one ``list`` (POLL-8)."""
        if not any(r.step is Step.SEEN for r in records):
            return set()
        try:
            in_flight = await self._call(_polling.list_in_flight)
        except ReachError as error:
            self._event(EventKind.ERROR, None, f"list of in-flight tasks failed: {error}")
            return set()
        return {
            int(t.id) for t in in_flight if t.id and t.status == Status.PROCESSING and not t.is_live
        }

    async def _handle(self, task: EntryVendorTask, attempt: tuple[int, str], resume: bool) -> None:
        handler = self._handlers[feature_of(task)]
        job: Job[Any] = Job(task, self.client, self._key(task), TatFacts.of(task), attempt[0])
        token = ATTEMPT.set((int(task.id or 0), attempt[1], resume))
        try:
            if self._async:
                result = await handler(job)  # type: ignore[misc]
            else:
                result = await asyncio.to_thread(handler, job)
        except TaskCancelled as error:
            self._finished(task, Step.CANCELLED, EventKind.CANCELLED, str(error))
            return
        except Exception as error:
            await self._fail(task, short_reason(error))
            return
        finally:
            ATTEMPT.reset(token)
        await self._outcome(task, attempt, result)

    async def _outcome(self, task: EntryVendorTask, attempt: tuple[int, str], result: Any) -> None:
        key = self._key(task)
        if isinstance(result, Handoff):
            self.journal.step(key, Step.HANDED_OFF, at=self._now(), external_id=result.external_id)
            self._watched[int(task.id or 0)] = task
            self.stats.handed_off += 1
            self._event(EventKind.HANDED_OFF, task, f"handed off as {result.external_id}")
            return
        if isinstance(result, DeliveryResult):
            self.journal.finish_attempt(key, attempt[0], result.object_ids)
            self._done(task, result.output_object_id, result.requests)
            return
        if getattr(result, "status", None) == Status.READY or task.status == Status.READY:
            self._done(task, task.output_object_id, None)
            return
        await self._fail(task, "the handler returned without delivering (no DeliveryResult)")

    # -- restarts ---------------------------------------------------------------------------
    async def _resume(self, running: set[asyncio.Task[None]]) -> None:
        """Take up what the journal says was in flight (POLL-8)."""
        records = self.journal.unfinished(self.service_url)
        claimed = await self._claimed_unjournalled(records)
        for record in records:
            if record.step is Step.SEEN and record.key.task_id not in claimed:
                continue  # still PENDING or taken by another: the next poll decides
            try:
                task = await self._call(_tasks.get_task, record.key.task_id)
            except TaskCancelled:
                stub = EntryVendorTask(id=record.key.task_id, partner_id=record.partner_id)
                self._finished(stub, Step.CANCELLED, EventKind.CANCELLED, "gone after a restart")
                continue
            except ReachError as error:
                self._event(EventKind.ERROR, None, f"task {record.key.task_id}: {error}")
                continue
            if self._final(task):
                continue
            if record.step in (Step.HANDED_OFF, Step.SCHEDULED) or task.is_live:
                # Watched by an earlier run of this worker: keep what only it knows (when it
                # last extended the access key), updated from the fresh copy.
                known = self._watched.get(int(task.id or 0))
                fresh = task if known is None else _tasks.absorb(known, task)
                self._watched[int(task.id or 0)] = fresh
                continue
            open_attempt = record.open_attempt
            if task.status == Status.PROCESSING and feature_of(task) in self._handlers:
                if open_attempt is None:
                    started = self.journal.begin_attempt(
                        record.key, new_marker(record.key.task_id), at=self._now()
                    )
                    attempt = (started.number, started.marker)
                else:
                    attempt = (open_attempt.number, open_attempt.marker)
                self._active.add(record.key.task_id)
                self._start(running, self._process(task, attempt))
