"""Keeping handed-off and live tasks alive: one ``list`` of in-flight tasks per cycle
(POLL-8), access keys extended before they expire (KEY-1, KEY-2), turnaround alerts (TAT-2),
cancellations and Kaltura's own overdue ERROR noticed (LIFE-8, TAT-4), live tasks registered
(LIVE-2), checked (LIVE-3), started and finished (LIVE-4)."""

from __future__ import annotations

import asyncio
from typing import Any

from .. import _polling, _tasks
from ..enums import EntryVendorTaskStatus as Status
from ..errors import (
    ReachError,
    TaskCancelled,
)
from ..models import EntryVendorTask
from ..tat import TatState
from ._base import WorkerBase, feature_of, short_reason, utc
from .job import EventKind, Job, TatFacts
from .journal import Step

#: Extend a handed-off task's access key when it has less than this left (seconds).
KEY_MARGIN = 86_400.0


class Watching(WorkerBase):
    """The maintenance half of the worker."""

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
        self._tat.check(handed, utc(now))

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
        # A v1 KS states its expiry; a v2 key's is estimated from its issue (the task's
        # creation or the last extension) and the TAT.
        expiry = task.access_key_expires_at
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
        handler = self._handlers[feature_of(task)]
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
            self._event(EventKind.ERROR, task, f"live registration failed: {short_reason(error)}")
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
