"""The worker's journal: what it knows about each task, behind one small interface.

The worker writes a step to the journal before and after everything it does to a task, so
that a restart (after ``kill -9``, a reboot, a deploy) knows where each task stood:

* **seen** – listed by ``getJobs`` and queued here;
* **claimed** – moved to PROCESSING by this vendor (LIFE-2);
* **scheduled** – a live task registered and SCHEDULED (LIFE-3), until its event starts;
* **handed_off** – given to a person or an outside system (``Handoff(external_id)``), to be
  delivered later, possibly from another process;
* **delivering** – a delivery attempt has started: its marker is recorded *before* any object
  is created, so that a restarted worker reconciles by that marker instead of creating a
  second output;
* **done**, **failed**, **cancelled** – final.

No secret is kept: the journal holds task ids, customers, features, markers and object ids,
never a KS or an access key (a resumed task is read again from Kaltura, which gives a fresh
copy with its key).

:class:`Journal` is the interface; :class:`~.sqlite.SQLiteJournal` is the embedded default
(one file, WAL); the PostgreSQL backend implements the same interface for many hosts.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Protocol

import attrs

from ..fairness import TaskKey

__all__ = ["Attempt", "Journal", "JournalRecord", "Listed", "Step"]


class Step(str, enum.Enum):
    """Where a task stands in the worker (see the module docstring)."""

    SEEN = "seen"
    CLAIMED = "claimed"
    SCHEDULED = "scheduled"
    HANDED_OFF = "handed_off"
    DELIVERING = "delivering"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in (Step.DONE, Step.FAILED, Step.CANCELLED)


@attrs.frozen
class Attempt:
    """One delivery attempt: its marker (written before anything is created) and, once known,
    the ids of what it created."""

    number: int
    marker: str
    started_at: float
    object_ids: tuple[str, ...] = ()
    finished: bool = False


@attrs.frozen
class JournalRecord:
    """What the journal knows about one task."""

    key: TaskKey
    partner_id: int | None
    service_feature: int | None
    step: Step
    updated_at: float
    external_id: str | None = None
    detail: str | None = None
    attempts: tuple[Attempt, ...] = ()

    @property
    def open_attempt(self) -> Attempt | None:
        """The attempt a crash interrupted, if any (started, not finished)."""
        for attempt in reversed(self.attempts):
            if not attempt.finished:
                return attempt
        return None


@attrs.frozen
class Listed:
    """A task as ``getJobs`` listed it, for :meth:`Journal.seen_many`."""

    key: TaskKey
    partner_id: int | None
    service_feature: int | None


class Journal(Protocol):
    """The worker's memory; every method is safe to call from several threads.

    Writes are durable when the method returns (a ``kill -9`` right after loses nothing).
    """

    def seen(
        self, key: TaskKey, *, partner_id: int | None, service_feature: int | None, at: float
    ) -> bool:
        """Record a task listed by ``getJobs``; True if it was new to the journal."""
        ...

    def seen_many(self, listed: Sequence[Listed], *, at: float) -> dict[TaskKey, tuple[Step, bool]]:
        """:meth:`seen` for a whole ``getJobs`` answer at once (one round trip to the store):
        for each task, its step and whether it was new (new ones are SEEN)."""
        ...

    def step(
        self,
        key: TaskKey,
        step: Step,
        *,
        at: float,
        external_id: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Move a known task to ``step`` (a final step is never left again)."""
        ...

    def begin_attempt(self, key: TaskKey, marker: str, *, at: float) -> Attempt:
        """Record a delivery attempt's marker before anything is created; step DELIVERING."""
        ...

    def finish_attempt(self, key: TaskKey, number: int, object_ids: Sequence[str]) -> None:
        """Record what an attempt created (its output first)."""
        ...

    def get(self, key: TaskKey) -> JournalRecord | None:
        """The record of one task, or None."""
        ...

    def unfinished(self, service_url: str) -> list[JournalRecord]:
        """Tasks of one region not in a final step, oldest first: the work a restart resumes."""
        ...

    def summary(self) -> dict[tuple[int | None, Step], int]:
        """How many tasks each customer has at each step (every region): the status view."""
        ...

    def close(self) -> None:
        """Release the journal's resources."""
        ...
