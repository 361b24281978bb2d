"""Fair ordering of work across customers (POLL-7) and task identity (POLL-5). Pure, no I/O.

Jobs from all customers get equal priority: :func:`fair_order` interleaves tasks round-robin
by customer partner, keeping each customer's own order (oldest first as ``getJobs`` gives
them), so one customer's bulk order cannot starve the others.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar

import attrs

if TYPE_CHECKING:
    from .models import EntryVendorTask

__all__ = ["TaskKey", "fair_order", "task_key"]

T = TypeVar("T", bound="EntryVendorTask")


def fair_order(tasks: Iterable[T]) -> list[T]:
    """Round-robin by ``partner_id``: one task of each customer in turn (POLL-7)."""
    queues: OrderedDict[int | None, deque[T]] = OrderedDict()
    for task in tasks:
        queues.setdefault(task.partner_id, deque()).append(task)
    ordered: list[T] = []
    while queues:
        for partner in list(queues):
            queue = queues[partner]
            ordered.append(queue.popleft())
            if not queue:
                del queues[partner]
    return ordered


@attrs.frozen
class TaskKey:
    """A task's identity: ids are unique only within one region (POLL-5)."""

    service_url: str
    task_id: int


def task_key(service_url: str, task: EntryVendorTask) -> TaskKey:
    if task.id is None:
        raise ValueError("a task without an id has no identity")
    return TaskKey(service_url.rstrip("/"), int(task.id))
