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
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import logging
import os
import signal
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Generator, Mapping
from typing import Any

from .. import _polling, _tasks
from .._secrets import mask
from ..access_keys import estimate_expiry
from ..client import AsyncReachClient, ReachClient
from ..deliveries import DeliveryResult
from ..deliveries._common import ATTEMPT, MARKER_PREFIX
from ..enums import EntryVendorTaskStatus as Status
from ..enums import VendorServiceFeature
from ..errors import (
    AlreadyClaimedError,
    ConfigurationError,
    ReachError,
    StateError,
    TaskCancelled,
    TaskFinalStateError,
    TaskNotFoundError,
    UsageError,
)
from ..fairness import TaskKey, task_key
from ..models import EntryVendorTask
from ..tat import TatMonitor, TatState
from .job import EventKind, Handler, Handoff, Job, TatFacts, WorkerEvent, WorkerStats
from .journal import Journal, Step
from .sqlite import SQLiteJournal

__all__ = ["Worker"]

log = logging.getLogger("kaltura_reach_vendor.worker")

#: Extend a handed-off task's access key when it has less than this left (seconds).
KEY_MARGIN = 86_400.0
#: Longest error description sent with a failed task (LIFE-4: short).
MAX_REASON = 250
Client = ReachClient | AsyncReachClient


def _reason(error: BaseException) -> str:
    """LIFE-4: a short, non-empty, secret-free description of why a handler failed."""
    text = mask(str(error)).strip().splitlines()
    first = text[0].strip() if text else ""
    reason = first or type(error).__name__
    return reason if len(reason) <= MAX_REASON else reason[: MAX_REASON - 1] + "…"


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


class Worker:
    """A REACH vendor service: see the module docstring. ``handlers`` maps a service feature
    (``VendorServiceFeature`` or its number) to a handler."""

    def __init__(
        self,
        client: Client,
        handlers: Mapping[VendorServiceFeature | int, Handler],
        *,
        concurrency: int = 8,
        journal: str | os.PathLike[str] | Journal = "reach-journal.sqlite3",
        poll_interval: float = 30.0,
        on_event: Callable[[WorkerEvent], None] | None = None,
        grace: float = 30.0,
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
        self.journal: Journal = (
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
        return asyncio.run(self._main(until_idle, install_signals))

    async def run_async(self, *, until_idle: bool = False) -> WorkerStats:
        """Run with an ``AsyncReachClient`` (see :meth:`run`)."""
        if not self._async:
            raise UsageError("this worker has a ReachClient: call worker.run()")
        return await self._main(until_idle, False)

    def stop(self) -> None:
        """Stop polling; running handlers get ``grace`` seconds to finish (thread-safe)."""
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            loop.call_soon_threadsafe(stop.set)

    async def _main(self, until_idle: bool, install_signals: bool) -> WorkerStats:
        self._loop = asyncio.get_running_loop()
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
            key, partner_id=task.partner_id, service_feature=_int(task), at=self._now()
        )
        record = self.journal.get(key)
        open_attempt = record.open_attempt if record is not None else None
        if open_attempt is not None:
            return task, (open_attempt.number, open_attempt.marker), True
        started = self.journal.begin_attempt(key, _marker(int(task.id or 0)), at=self._now())
        return task, (started.number, started.marker), False

    def _after_delivery(
        self, task: EntryVendorTask, attempt: tuple[int, str], result: DeliveryResult
    ) -> DeliveryResult:
        self.journal.finish_attempt(self._key(task), attempt[0], result.object_ids)
        self._done(task, result.output_object_id, result.requests)
        return result

    # -- the SDK's workflows, through either client ----------------------------------------
    async def _call(self, flow: Callable[..., Generator[Any, Any, Any]], *args: Any) -> Any:
        workflow = flow(self.client._engine, *args)
        if isinstance(self.client, AsyncReachClient):
            return await self.client._run(workflow)
        return await asyncio.to_thread(self.client._run, workflow)

    def _event(
        self, kind: EventKind, task: EntryVendorTask | None, detail: str, **extra: Any
    ) -> None:
        feature = task.effective_service_feature if task is not None else None
        event = WorkerEvent(
            kind,
            int(task.id) if task is not None and task.id is not None else None,
            task.partner_id if task is not None else None,
            int(feature) if feature is not None else None,
            detail,
            self._now(),
            **extra,
        )
        level = (
            logging.WARNING if kind in (EventKind.ERROR, EventKind.TAT_OVERDUE) else logging.INFO
        )
        log.log(level, "task %s: %s %s", event.task_id, kind.value, detail)
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:  # a broken hook must not stop the worker
                log.exception("on_event hook failed")

    def _key(self, task: EntryVendorTask) -> TaskKey:
        return task_key(self.service_url, task)

    # -- polling ----------------------------------------------------------------------------
    async def _poll(self) -> bool:
        """One full ``getJobs`` walk; queues what is new or still waiting. True if any."""
        try:
            tasks = await self._call(_pending)
        except ReachError as error:
            self.stats.errors += 1
            self._event(EventKind.ERROR, None, f"getJobs failed: {error}")
            return False
        added = False
        for task in tasks:
            if task.id is None or int(task.id) in self._active:
                continue
            feature = task.effective_service_feature
            if feature not in self._handlers:
                continue  # another service's task: not ours to claim
            key = self._key(task)
            now = self._now()
            if self.journal.seen(
                key, partner_id=task.partner_id, service_feature=int(feature), at=now
            ):
                self.stats.seen += 1
                self._event(EventKind.SEEN, task, "queued")
            else:
                record = self.journal.get(key)
                if record is not None and record.step is not Step.SEEN:
                    continue  # already ours (claimed, handed off, scheduled or final)
            self._active.add(int(task.id))
            self._queue.put(task)
            added = True
        return added

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
                    self._key(task), _marker(task_id), at=self._now()
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
        except ReachError as error:  # left SEEN: the next poll tries again
            self.stats.errors += 1
            self._event(EventKind.ERROR, task, f"claim failed: {error}")
            return False
        self.journal.step(self._key(task), Step.CLAIMED, at=self._now())
        self.stats.claimed += 1
        self._event(EventKind.CLAIMED, task, "PENDING → PROCESSING")
        return True

    async def _handle(self, task: EntryVendorTask, attempt: tuple[int, str], resume: bool) -> None:
        handler = self._handlers[_feature(task)]
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
            await self._fail(task, _reason(error))
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

    def _done(self, task: EntryVendorTask, output: str | None, requests: int | None) -> None:
        self._finished(task, Step.DONE, EventKind.DELIVERED, "READY", output, requests)

    def _finished(
        self,
        task: EntryVendorTask,
        step: Step,
        kind: EventKind,
        detail: str,
        output: str | None = None,
        requests: int | None = None,
    ) -> None:
        self.journal.step(self._key(task), step, at=self._now(), detail=detail)
        self._watched.pop(int(task.id or 0), None)
        counter = {Step.DONE: "delivered", Step.FAILED: "failed", Step.CANCELLED: "cancelled"}
        name = counter[step]
        setattr(self.stats, name, getattr(self.stats, name) + 1)
        self._event(kind, task, detail, output_id=output, requests=requests)

    async def _fail(self, task: EntryVendorTask, reason: str) -> None:
        try:
            await self._call(_tasks.fail, task, reason)
        except (TaskCancelled, TaskNotFoundError) as error:
            self._finished(task, Step.CANCELLED, EventKind.CANCELLED, str(error))
            return
        except ReachError as error:
            self.stats.errors += 1
            self._event(EventKind.ERROR, task, f"could not fail the task ({error}): {reason}")
            return
        self._finished(task, Step.FAILED, EventKind.FAILED, reason)

    def _now(self) -> float:
        return float(self.client._engine.clock())

    # -- restarts ---------------------------------------------------------------------------
    async def _resume(self, running: set[asyncio.Task[None]]) -> None:
        """Take up what the journal says was in flight (POLL-8)."""
        for record in self.journal.unfinished(self.service_url):
            if record.step is Step.SEEN:
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
                self._watched[int(task.id or 0)] = task
                continue
            open_attempt = record.open_attempt
            if task.status == Status.PROCESSING and _feature(task) in self._handlers:
                if open_attempt is None:
                    started = self.journal.begin_attempt(
                        record.key, _marker(record.key.task_id), at=self._now()
                    )
                    attempt = (started.number, started.marker)
                else:
                    attempt = (open_attempt.number, open_attempt.marker)
                self._active.add(record.key.task_id)
                self._start(running, self._process(task, attempt))

    def _final(self, task: EntryVendorTask) -> bool:
        """Record a task Kaltura already finished (READY, ERROR: TAT-4, ABORTED…)."""
        status = task.status
        if status is None or not status.is_final:
            return False
        if status == Status.READY:
            self._done(task, task.output_object_id, None)
        elif status == Status.ERROR:
            why = task.err_description or "ERROR"
            self._finished(task, Step.FAILED, EventKind.FAILED, f"Kaltura set ERROR: {why}")
        else:
            self._finished(task, Step.CANCELLED, EventKind.CANCELLED, status.name)
        return True

    # -- handed-off and live tasks ----------------------------------------------------------
    async def _maintain(self) -> None:
        if not self._watched:
            return
        try:
            in_flight = {int(t.id): t for t in await self._call(_polling.list_in_flight) if t.id}
        except ReachError as error:
            self._event(EventKind.ERROR, None, f"list of in-flight tasks failed: {error}")
            return
        now = self._now()
        for task_id, known in list(self._watched.items()):
            fresh = in_flight.get(task_id)
            if fresh is None:
                await self._left_in_flight(known)
                continue
            task = _tasks.absorb(known, fresh)
            if task.is_live:
                await self._live_step(task, now)
            else:
                await self._keep_key(task, now)
        handed = [t for t in self._watched.values() if not t.is_live]
        self._tat.check(handed, _utc(now))

    async def _left_in_flight(self, task: EntryVendorTask) -> None:
        """A watched task is no longer PROCESSING/SCHEDULED: find out why."""
        try:
            fresh = await self._call(_tasks.get_task, int(task.id or 0))
        except TaskCancelled as error:
            self._finished(task, Step.CANCELLED, EventKind.CANCELLED, str(error))
            return
        except ReachError as error:
            self._event(EventKind.ERROR, task, f"could not read the task: {error}")
            return
        self._final(fresh)

    async def _keep_key(self, task: EntryVendorTask, now: float) -> None:
        """KEY-1/KEY-2: extend a handed-off task's access key before it expires."""
        expiry = estimate_expiry(task.access_key, None, None)
        if expiry is None or expiry - now > KEY_MARGIN:
            return
        try:
            await self._call(_tasks.extend_access_key, task)
        except ReachError as error:
            self._event(EventKind.ERROR, task, f"could not extend the access key: {error}")
            return
        self._event(EventKind.KEY_EXTENDED, task, "access key extended before it expired")

    def _tat_alert(self, alert: Any) -> None:
        task = self._watched.get(int(alert.task_id or 0))
        if alert.state is TatState.HALFWAY:
            self._event(EventKind.TAT_HALF, task, "half of the turnaround time has passed")
        else:
            self._event(EventKind.TAT_OVERDUE, task, "the turnaround time has passed (stuck)")

    async def _register_live(self, task: EntryVendorTask) -> None:
        """Live tasks are registered by their handler, not claimed (LIVE-2, LIFE-3)."""
        handler = self._handlers[_feature(task)]
        job: Job[Any] = Job(task, self.client, self._key(task), TatFacts.of(task))
        try:
            if self._async:
                await handler(job)  # type: ignore[misc]
            else:
                await asyncio.to_thread(handler, job)
        except TaskCancelled as error:
            self._finished(task, Step.CANCELLED, EventKind.CANCELLED, str(error))
            return
        except Exception as error:
            self._event(EventKind.ERROR, task, f"live registration failed: {_reason(error)}")
            return
        self.journal.step(self._key(task), Step.SCHEDULED, at=self._now())
        self._watched[int(task.id or 0)] = task
        self.stats.live_scheduled += 1
        self._event(EventKind.LIVE_SCHEDULED, task, "live feature registered; SCHEDULED")

    async def _live_step(self, task: EntryVendorTask, now: float) -> None:
        """LIVE-3/LIVE-4: check and start at the start, finish after the end."""
        data = task.task_job_data
        start = getattr(data, "start_date", None)
        end = getattr(data, "end_date", None)
        try:
            if task.status == Status.SCHEDULED and start is not None and now >= start:
                if not await self._call(_tasks.check_scheduled, task):
                    self._finished(task, Step.CANCELLED, EventKind.CANCELLED, "cancelled")
                    return
                await self._call(_tasks.start_live, task)
                self.journal.step(self._key(task), Step.CLAIMED, at=now, detail="live")
                self._event(EventKind.LIVE_STARTED, task, "event started; PROCESSING")
            elif task.status == Status.PROCESSING and end is not None and now >= end:
                await self._call(_tasks.finish_live, task)
                self._finished(task, Step.DONE, EventKind.LIVE_FINISHED, "event ended; READY")
        except TaskCancelled as error:
            self._finished(task, Step.CANCELLED, EventKind.CANCELLED, str(error))
        except ReachError as error:
            self._event(EventKind.ERROR, task, f"live step failed: {error}")

    def _live_waiting(self) -> bool:
        return any(t.is_live for t in self._watched.values())


def _pending(engine: Any) -> Generator[Any, Any, list[EntryVendorTask]]:
    """Every pending task (all pages), oldest first."""
    pager = _polling.JobPager("getJobs", (Status.PENDING,))
    return (yield from _polling.collect(engine, pager))


def _feature(task: EntryVendorTask) -> VendorServiceFeature:
    feature = task.effective_service_feature
    if feature is None:
        raise StateError(f"task {task.id} names no service feature")
    return feature


def _int(task: EntryVendorTask) -> int | None:
    feature = task.effective_service_feature
    return int(feature) if feature is not None else None


def _marker(task_id: int) -> str:
    """A fresh delivery marker for one attempt (random part: two runs never share one)."""
    return f"{MARKER_PREFIX}{task_id}:attempt={os.urandom(4).hex()}"


def _utc(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc)
