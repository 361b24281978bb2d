"""What the worker's parts share: running the SDK's workflows through either client,
reporting events, and recording a task's end in the journal."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections.abc import Callable, Generator
from typing import Any

from .. import _polling, _tasks
from .._secrets import mask
from ..client import AsyncReachClient, ReachClient
from ..deliveries._common import MARKER_PREFIX
from ..enums import EntryVendorTaskStatus as Status
from ..enums import VendorServiceFeature
from ..errors import (
    ReachError,
    StateError,
    TaskCancelled,
    TaskNotFoundError,
)
from ..fairness import TaskKey, task_key
from ..models import EntryVendorTask
from ..tat import TatMonitor
from .job import EventKind, Handler, WorkerEvent, WorkerStats
from .journal import Journal, Step

log = logging.getLogger("kaltura_reach_vendor.worker")

#: Longest error description sent with a failed task (LIFE-4: short).
MAX_REASON = 250
#: Tries to move a failed task to ERROR (each after reading the task again).
FAIL_TRIES = 3


def short_reason(error: BaseException) -> str:
    """LIFE-4: a short, non-empty, secret-free description of why a handler failed."""
    text = mask(str(error)).strip().splitlines()
    first = text[0].strip() if text else ""
    reason = first or type(error).__name__
    return reason if len(reason) <= MAX_REASON else reason[: MAX_REASON - 1] + "…"


class WorkerBase:
    """The worker's shared machinery (see :class:`~.worker.Worker`)."""

    client: ReachClient | AsyncReachClient
    journal: Journal
    service_url: str
    stats: WorkerStats
    poll_interval: float
    _async: bool
    _handlers: dict[VendorServiceFeature, Handler]
    _on_event: Callable[[WorkerEvent], None] | None
    _watched: dict[int, EntryVendorTask]
    _tat: TatMonitor

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
        for tries_left in range(FAIL_TRIES - 1, -1, -1):
            try:
                await self._call(_tasks.fail, task, reason)
            except (TaskCancelled, TaskNotFoundError) as error:
                self._finished(task, Step.CANCELLED, EventKind.CANCELLED, str(error))
                return
            except ReachError as error:
                # The ERROR may have been applied with its answer lost, or the task may have
                # ended meanwhile (a READY whose answer was lost): read it before trying again.
                if await self._ended(task):
                    return
                if tries_left:
                    continue
                self.stats.errors += 1
                self._event(EventKind.ERROR, task, f"could not fail the task ({error}): {reason}")
                return
            self._finished(task, Step.FAILED, EventKind.FAILED, reason)
            return

    async def _ended(self, task: EntryVendorTask) -> bool:
        """Read ``task`` again; True (and recorded) if Kaltura has it final or gone."""
        try:
            fresh = await self._call(_tasks.get_task, int(task.id or 0))
        except TaskNotFoundError as error:  # cancelled (LIFE-8)
            self._finished(task, Step.CANCELLED, EventKind.CANCELLED, str(error))
            return True
        except ReachError:
            return False
        return self._final(fresh)

    def _now(self) -> float:
        return float(self.client._engine.clock())

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


def pending_tasks(engine: Any) -> Generator[Any, Any, list[EntryVendorTask]]:
    """Every pending task (all pages), oldest first."""
    pager = _polling.JobPager("getJobs", (Status.PENDING,))
    return (yield from _polling.collect(engine, pager))


def feature_of(task: EntryVendorTask) -> VendorServiceFeature:
    feature = task.effective_service_feature
    if feature is None:
        raise StateError(f"task {task.id} names no service feature")
    return feature


def feature_number(task: EntryVendorTask) -> int | None:
    feature = task.effective_service_feature
    return int(feature) if feature is not None else None


def new_marker(task_id: int) -> str:
    """A fresh delivery marker for one attempt (random part: two runs never share one)."""
    return f"{MARKER_PREFIX}{task_id}:attempt={os.urandom(4).hex()}"


def utc(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc)
