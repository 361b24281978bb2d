"""Turnaround times (TAT-1 to TAT-3): due times, half-way and overdue alerts. Pure, no I/O.

TAT-1: ``turnAroundTime`` is -1 (best effort), 0 (immediate), 1–7 (business days) or a
number of seconds. The task's ``expectedFinishTime`` is authoritative when present; else the
due time is computed the way the server does it (reference §4.2): from the moment the task
was queued, seconds are added as they are; business days skip Saturdays and Sundays in
America/New_York; best effort counts as 7 days; immediate is due at once.

TAT-2: a job raises one alert when it reaches half its TAT and another when it is overdue
("stuck"). :class:`TatMonitor` remembers what it already reported, so a worker can call
:meth:`TatMonitor.check` on every poll and pass a hook that pages someone.

TAT-3: :func:`human_job_details` gathers what a human worker must see.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs

from .enums import VendorServiceTurnAroundTime

if TYPE_CHECKING:
    from .models import EntryVendorTask

__all__ = [
    "BEST_EFFORT_SECONDS",
    "Deadline",
    "HumanJobDetails",
    "TatAlert",
    "TatMonitor",
    "TatState",
    "add_business_days",
    "deadline",
    "human_job_details",
]

BEST_EFFORT_SECONDS = 7 * 86_400
UTC = dt.timezone.utc


def _business_tz() -> dt.tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("America/New_York")
    except Exception:  # no tz database on this machine: weekends in UTC are close enough
        return UTC


def add_business_days(start: dt.datetime, days: int, tz: dt.tzinfo | None = None) -> dt.datetime:
    """``start`` plus ``days`` business days (Monday to Friday in ``tz``, New York by default).

    A start on a weekend counts from the next Monday at the same local time.
    """
    zone = tz or _business_tz()
    local = start.astimezone(zone)
    while local.weekday() >= 5:
        local += dt.timedelta(days=1)
    remaining = days
    while remaining > 0:
        local += dt.timedelta(days=1)
        if local.weekday() < 5:
            remaining -= 1
    return local.astimezone(UTC)


def _utc(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(float(ts), UTC)


class TatState(enum.Enum):
    ON_TIME = "on_time"
    HALFWAY = "halfway"  # half the TAT has passed (TAT-2)
    OVERDUE = "overdue"  # past the due time: "stuck" (TAT-2)


@attrs.frozen
class Deadline:
    """When a task started its clock and when it is due."""

    start: dt.datetime
    due: dt.datetime
    #: ``"expectedFinishTime"`` when the server said so, else ``"computed"`` (TAT-1).
    source: str

    @property
    def halfway(self) -> dt.datetime:
        return self.start + (self.due - self.start) / 2

    def state(self, now: dt.datetime) -> TatState:
        if now >= self.due:
            return TatState.OVERDUE
        if now >= self.halfway:
            return TatState.HALFWAY
        return TatState.ON_TIME

    def remaining(self, now: dt.datetime) -> dt.timedelta:
        return self.due - now


def deadline(task: EntryVendorTask) -> Deadline | None:
    """The task's due time (TAT-1), or ``None`` when the task gives nothing to go on."""
    start_ts = task.queue_time or task.created_at
    tat = task.effective_turn_around_time
    start = _utc(start_ts) if start_ts else None
    if task.expected_finish_time:
        due = _utc(task.expected_finish_time)
        if start is None or start > due:
            start = due - dt.timedelta(seconds=_duration(tat, due))
        return Deadline(start, due, "expectedFinishTime")
    if start is None or tat is None:
        return None
    return Deadline(start, _compute_due(start, tat), "computed")


def _compute_due(start: dt.datetime, tat: VendorServiceTurnAroundTime) -> dt.datetime:
    value = int(tat)
    if value == VendorServiceTurnAroundTime.BEST_EFFORT:
        return start + dt.timedelta(seconds=BEST_EFFORT_SECONDS)
    if 1 <= value <= 7:
        return add_business_days(start, value)
    return start + dt.timedelta(seconds=max(value, 0))


def _duration(tat: VendorServiceTurnAroundTime | None, due: dt.datetime) -> float:
    if tat is None:
        return 0.0
    start = due - dt.timedelta(days=30)
    return (_compute_due(start, tat) - start).total_seconds()


@attrs.frozen
class TatAlert:
    """One TAT-2 alert: ``state`` is HALFWAY or OVERDUE."""

    task_id: int | None
    state: TatState
    deadline: Deadline
    at: dt.datetime


class TatMonitor:
    """Reports each task's half-way and overdue moments once each (TAT-2).

    ``hook`` (optional) is called with every new :class:`TatAlert`; :meth:`check` also
    returns them. Tasks in a final status are forgotten.
    """

    def __init__(self, hook: Callable[[TatAlert], None] | None = None) -> None:
        self._hook = hook
        self._reported: dict[int | None, set[TatState]] = {}

    def check(self, tasks: Iterable[EntryVendorTask], now: dt.datetime) -> list[TatAlert]:
        alerts: list[TatAlert] = []
        for task in tasks:
            if task.is_final:
                self._reported.pop(task.id, None)
                continue
            limit = deadline(task)
            if limit is None:
                continue
            state = limit.state(now)
            if state is TatState.ON_TIME:
                continue
            seen = self._reported.setdefault(task.id, set())
            # An overdue task that was never reported half-way gets both alerts, in order.
            wanted = [TatState.HALFWAY, TatState.OVERDUE] if state is TatState.OVERDUE else [state]
            for item in wanted:
                if item not in seen:
                    seen.add(item)
                    alert = TatAlert(task.id, item, limit, now)
                    alerts.append(alert)
                    if self._hook is not None:
                        self._hook(alert)
        return alerts


@attrs.frozen
class HumanJobDetails:
    """What a human worker must be told about a job (TAT-3, INPUT-4)."""

    task_id: int | None
    expected_finish_time: dt.datetime | None
    turn_around_time: VendorServiceTurnAroundTime | None
    notes: str | None
    dictionary_terms: tuple[str, ...]
    source_language: str | None
    target_language: str | None


def human_job_details(task: EntryVendorTask) -> HumanJobDetails:
    """The due time, TAT, notes and dictionary to hand to the human worker (TAT-3)."""
    limit = deadline(task)
    source, target = task.source_language, task.target_language
    return HumanJobDetails(
        task_id=task.id,
        expected_finish_time=limit.due if limit is not None else None,
        turn_around_time=task.effective_turn_around_time,
        notes=task.worker_notes,
        dictionary_terms=tuple(task.dictionary_terms),
        source_language=source.value if source is not None else None,
        target_language=target.value if target is not None else None,
    )
