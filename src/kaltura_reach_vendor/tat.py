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

Times come from the server: a ``createdAt``, ``queueTime``, ``expectedFinishTime`` or
``turnAroundTime`` that no calendar can hold (``10**20``) makes :func:`deadline` raise
:class:`~kaltura_reach_vendor.errors.ResponseValidationError` naming the task and the field;
:class:`TatMonitor` reports such a task as a :class:`TatProblem` and goes on with the others.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs

from ._log import get_logger
from .enums import VendorServiceTurnAroundTime
from .errors import ResponseValidationError

if TYPE_CHECKING:
    from .models import EntryVendorTask

__all__ = [
    "BEST_EFFORT_SECONDS",
    "Deadline",
    "HumanJobDetails",
    "TatAlert",
    "TatMonitor",
    "TatProblem",
    "TatState",
    "add_business_days",
    "deadline",
    "human_job_details",
]

BEST_EFFORT_SECONDS = 7 * 86_400
UTC = dt.timezone.utc
log = get_logger(__name__)
#: What the ``datetime`` module raises for times no calendar can hold.
_OUT_OF_RANGE = (OverflowError, ValueError, OSError, TypeError)


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


def _show(value: object) -> str:
    if isinstance(value, int) and abs(value) >= 10**30:
        return f"(a {value.bit_length()}-bit {'negative ' if value < 0 else ''}number)"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _bad(task: EntryVendorTask, field: str, value: object, why: str) -> ResponseValidationError:
    return ResponseValidationError(
        f"task {task.id}: {field} {_show(value)} {why}; its due time cannot be computed (TAT-1)"
    )


def _utc(ts: float, task: EntryVendorTask, field: str) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(float(ts), UTC)
    except _OUT_OF_RANGE:
        raise _bad(task, field, ts, "is not a time a calendar can hold") from None


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
    """The task's due time (TAT-1), or ``None`` when the task gives nothing to go on.

    Raises :class:`~kaltura_reach_vendor.errors.ResponseValidationError`, naming the task and
    the field, when a time or the TAT is out of any calendar's range.
    """
    start_field = "queueTime" if task.queue_time else "createdAt"
    start_ts = task.queue_time or task.created_at
    tat = task.effective_turn_around_time
    start = _utc(start_ts, task, start_field) if start_ts else None
    if task.expected_finish_time:
        due = _utc(task.expected_finish_time, task, "expectedFinishTime")
        if start is None or start > due:
            try:
                start = due - dt.timedelta(seconds=_duration(tat, due))
            except _OUT_OF_RANGE:
                why = f"counted back from expectedFinishTime {_show(task.expected_finish_time)}"
                raise _bad(task, "turnAroundTime", _tat_value(tat), why) from None
        return Deadline(start, due, "expectedFinishTime")
    if start is None or tat is None:
        return None
    try:
        due = _compute_due(start, tat)
    except _OUT_OF_RANGE:
        why = f"added to {start_field} {_show(start_ts)}"
        raise _bad(task, "turnAroundTime", _tat_value(tat), why) from None
    return Deadline(start, due, "computed")


def _tat_value(tat: object) -> object:
    return int(tat) if isinstance(tat, int) else tat


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


@attrs.frozen
class TatProblem:
    """A task whose due time cannot be computed: the server sent absurd times for it."""

    task_id: int | None
    #: Names the task and the field (``createdAt``, ``turnAroundTime`` ...).
    error: ResponseValidationError
    at: dt.datetime


class TatMonitor:
    """Reports each task's half-way and overdue moments once each (TAT-2).

    ``hook`` (optional) is called with every new :class:`TatAlert`; :meth:`check` also
    returns them. Tasks in a final status are forgotten.

    A task whose times are absurd does not stop the others: it is skipped, listed in
    :attr:`problems` after each :meth:`check`, and reported once (until its times are fixed)
    as a warning on the ``kaltura_reach_vendor.tat`` logger and to ``on_error`` if given.
    """

    def __init__(
        self,
        hook: Callable[[TatAlert], None] | None = None,
        *,
        on_error: Callable[[TatProblem], None] | None = None,
    ) -> None:
        self._hook = hook
        self._on_error = on_error
        self._reported: dict[int | None, set[TatState]] = {}
        self._broken: set[int | None] = set()
        #: The tasks the latest :meth:`check` could not judge, one :class:`TatProblem` each.
        self.problems: list[TatProblem] = []

    def check(self, tasks: Iterable[EntryVendorTask], now: dt.datetime) -> list[TatAlert]:
        alerts: list[TatAlert] = []
        problems: list[TatProblem] = []
        self.problems = problems
        for task in tasks:
            if task.is_final:
                self._reported.pop(task.id, None)
                self._broken.discard(task.id)
                continue
            try:
                limit = deadline(task)
            except ResponseValidationError as error:
                self._problem(problems, TatProblem(task.id, error, now))
                continue
            self._broken.discard(task.id)
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

    def _problem(self, problems: list[TatProblem], problem: TatProblem) -> None:
        problems.append(problem)
        if problem.task_id in self._broken:
            return
        self._broken.add(problem.task_id)
        log.warning("TAT check skipped a task: %s", problem.error)
        if self._on_error is not None:
            self._on_error(problem)


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
    """The due time, TAT, notes and dictionary to hand to the human worker (TAT-3).

    Raises :class:`~kaltura_reach_vendor.errors.ResponseValidationError` like
    :func:`deadline` when the task's times are absurd.
    """
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
