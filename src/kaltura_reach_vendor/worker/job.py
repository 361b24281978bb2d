"""What a handler receives and may return, and what the worker reports.

A handler is called with a :class:`Job` for each claimed task of its service feature. It
returns the :class:`~kaltura_reach_vendor.deliveries.DeliveryResult` of a ``deliver_*`` call
(the task is done), or :class:`Handoff` when a person or an outside system will deliver later;
it raises to fail the task (the exception's message becomes the task's short error
description, LIFE-4).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import attrs

from .. import tat
from ..deliveries import DeliveryResult
from ..enums import VendorServiceFeature, VendorServiceTurnAroundTime
from ..errors import ReachError
from ..fairness import TaskKey
from ..models import EntryVendorTask, ReachProfile, VendorCatalogItem

__all__ = [
    "EventKind",
    "Handler",
    "HandlerResult",
    "Handoff",
    "Job",
    "TatFacts",
    "WorkerEvent",
    "WorkerStats",
]

C = TypeVar("C")


@attrs.frozen
class Handoff:
    """Returned by a handler that gave the job to a person or an outside system: the task
    stays PROCESSING, the worker keeps it alive, and it is delivered later (from any process)
    through :meth:`Worker.deliver <kaltura_reach_vendor.worker.Worker.deliver>`."""

    external_id: str


HandlerResult = DeliveryResult | Handoff | None
#: A handler: a function of a :class:`Job` (in a worker thread, with a ``ReachClient``), or a
#: coroutine function (with an ``AsyncReachClient``).
Handler = Callable[["Job[Any]"], HandlerResult] | Callable[["Job[Any]"], Awaitable[HandlerResult]]


@attrs.frozen
class TatFacts:
    """What a person doing the job must know (TAT-3): when it is due, its turnaround, and
    the customer's notes and dictionary (INPUT-4). Times are UTC."""

    expected_finish: dt.datetime | None
    turnaround: VendorServiceTurnAroundTime | None
    is_human: bool
    notes: str | None
    dictionary: tuple[str, ...]

    @classmethod
    def of(cls, task: EntryVendorTask) -> TatFacts:
        try:
            details = tat.human_job_details(task)
        except ReachError:  # absurd times: the job is still worth doing
            return cls(None, task.effective_turn_around_time, task.is_human, None, ())
        return cls(
            details.expected_finish_time,
            details.turn_around_time,
            task.is_human,
            details.notes,
            details.dictionary_terms,
        )


@attrs.frozen
class Job(Generic[C]):
    """One claimed task handed to a handler, with the client to fetch media and deliver."""

    task: EntryVendorTask
    client: C
    key: TaskKey
    tat: TatFacts
    #: 1 on the first try; more when a restarted worker takes the task up again.
    attempt: int = 1

    @property
    def feature(self) -> VendorServiceFeature | None:
        return self.task.effective_service_feature

    @property
    def catalog_item(self) -> VendorCatalogItem | None:
        return self.task.catalog_item

    @property
    def profile(self) -> ReachProfile | None:
        return self.task.reach_profile

    @property
    def customer(self) -> int | None:
        """The customer's partner id."""
        return self.task.partner_id


class EventKind(str, enum.Enum):
    """What a :class:`WorkerEvent` reports."""

    SEEN = "seen"
    CLAIMED = "claimed"
    DELIVERED = "delivered"
    HANDED_OFF = "handed_off"
    FAILED = "failed"
    CANCELLED = "cancelled"
    KEY_EXTENDED = "key_extended"
    TAT_HALF = "tat_half"
    TAT_OVERDUE = "tat_overdue"
    LIVE_SCHEDULED = "live_scheduled"
    LIVE_STARTED = "live_started"
    LIVE_FINISHED = "live_finished"
    ERROR = "error"


@attrs.frozen
class WorkerEvent:
    """One thing the worker did or noticed, given to ``on_event`` and logged."""

    kind: EventKind
    task_id: int | None
    partner_id: int | None
    feature: int | None
    detail: str
    at: float
    output_id: str | None = None
    requests: int | None = None


@attrs.define
class WorkerStats:
    """Counters of one run."""

    seen: int = 0
    claimed: int = 0
    delivered: int = 0
    handed_off: int = 0
    failed: int = 0
    cancelled: int = 0
    live_scheduled: int = 0
    errors: int = 0
