"""What every delivery shares: its result, its marker, counting its requests, cleaning up.

* Every object a delivery creates carries a **marker** in ``partnerData``
  (``kaltura-reach-vendor:task=<id>:attempt=<n>``), so that a write whose outcome is unknown
  can be reconciled by finding the object instead of creating a second one.
* :func:`counted` wraps a workflow and counts the HTTP requests it makes (the ``Send``
  effects it yields, retries included): the figure a :class:`DeliveryResult` reports.
"""

from __future__ import annotations

from collections.abc import Generator
from contextvars import ContextVar
from typing import Any, TypeVar

import attrs

from .._effects import Send
from .._tasks import check_accuracy
from ..enums import EntryVendorTaskStatus, VendorServiceFeature
from ..errors import StateError, UsageError
from ..lifecycle import check_transition
from ..models import EntryVendorTask

__all__ = [
    "ATTEMPT",
    "MARKER_PREFIX",
    "DeliveryResult",
    "check_feature",
    "counted",
    "marker",
    "marker_task",
    "ready_to_deliver",
    "result_of",
    "resuming",
]

T = TypeVar("T")
MARKER_PREFIX = "kaltura-reach-vendor:task="
#: Set by the worker around a handler: (task id, the attempt's marker from its journal, and
#: whether an earlier attempt with that marker may have created objects already). Deliveries
#: of that task then use that marker, and when resuming look for its objects first.
ATTEMPT: ContextVar[tuple[int, str, bool] | None] = ContextVar(
    "kaltura_reach_vendor_attempt", default=None
)


@attrs.frozen
class DeliveryResult:
    """What a delivery did: the task (READY), the objects it created, its HTTP requests."""

    task: EntryVendorTask
    #: Ids of the objects created on the customer's entry, the task's output first.
    object_ids: tuple[str, ...]
    #: HTTP requests the delivery took after the claim (retries included).
    requests: int

    @property
    def output_object_id(self) -> str:
        return self.object_ids[0]


def check_feature(task: EntryVendorTask, helper: str, *features: VendorServiceFeature) -> None:
    """Refuse, before any request, a helper that does not deliver the task's service feature
    (a translation delivered as captions, say). A task whose feature is unknown (neither the
    task nor its catalog item names one) is let through: the server is the judge then."""
    feature = task.effective_service_feature
    if feature is None or feature in features:
        return
    wanted = " or ".join(f.name for f in features)
    raise UsageError(
        f"task {task.id} is a {getattr(feature, 'name', feature)} task; {helper} delivers "
        f"{wanted} tasks"
    )


def ready_to_deliver(task: EntryVendorTask, accuracy: int, units_used: int | None) -> str:
    """What every delivery refuses locally, before anything is created: an accuracy that is
    not an integer 0–100 (ACC-1), a task that may not turn READY from its status (LIFE-1), a
    task without an entry, a pay-per-use task without ``units_used`` (LIFE-10). Returns the
    task's entry id."""
    check_accuracy(accuracy)
    check_transition(task.status, EntryVendorTaskStatus.READY, live=task.is_live, task_id=task.id)
    if not task.entry_id:
        raise StateError(f"task {task.id} names no entry to deliver to")
    catalog = task.catalog_item
    if units_used is None and catalog is not None and catalog.pay_per_use:
        raise UsageError(
            f"task {task.id}: its catalog item is pay-per-use, so delivery needs units_used "
            "(LIFE-10)"
        )
    return task.entry_id


def marker(task: EntryVendorTask, attempt: int) -> str:
    """The ``partnerData`` marker of objects one delivery attempt creates (the worker's
    journalled marker when it runs the delivery, see :data:`ATTEMPT`)."""
    current = ATTEMPT.get()
    if current is not None and task.id is not None and current[0] == int(task.id):
        return current[1]
    return f"{MARKER_PREFIX}{task.id}:attempt={attempt}"


def resuming(task: EntryVendorTask) -> bool:
    """True when an earlier attempt with this delivery's marker may have created objects
    (a restarted worker): the delivery looks for them before creating anything."""
    current = ATTEMPT.get()
    return current is not None and task.id is not None and current[0] == int(task.id) and current[2]


def marker_task(partner_data: str | None) -> str | None:
    """The task id a marker names, or None for objects the SDK did not create."""
    if not partner_data or not partner_data.startswith(MARKER_PREFIX):
        return None
    return partner_data[len(MARKER_PREFIX) :].split(":", 1)[0]


def counted(flow: Generator[Any, Any, T], box: list[int]) -> Generator[Any, Any, T]:
    """Run ``flow`` unchanged, adding to ``box[0]`` one per HTTP request it sends."""
    outcome: Any = None
    failure: BaseException | None = None
    while True:
        try:
            effect = flow.throw(failure) if failure is not None else flow.send(outcome)
        except StopIteration as stop:
            result: T = stop.value
            return result
        if isinstance(effect, Send):
            box[0] += 1
        failure = None
        try:
            outcome = yield effect
        except GeneratorExit:
            flow.close()
            raise
        except BaseException as error:
            failure, outcome = error, None


def result_of(
    flow: Generator[Any, Any, tuple[EntryVendorTask, tuple[str, ...]]],
) -> Generator[Any, Any, DeliveryResult]:
    """Run a delivery workflow, counting its requests, into a :class:`DeliveryResult`."""
    box = [0]
    task, ids = yield from counted(flow, box)
    return DeliveryResult(task, ids, box[0])
