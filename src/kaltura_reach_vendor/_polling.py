"""Finding work (POLL-1 to POLL-4, POLL-8): pages of tasks, written once, without I/O.

``getJobs`` finds new work (PENDING, and SCHEDULED when asked, POLL-3) with the reach_vendor
profile (POLL-2); ``list`` with the vendor KS finds the PROCESSING and SCHEDULED tasks again
after a restart (POLL-8). :class:`JobPager` walks every page without skipping or repeating a
task (POLL-4).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import attrs

from ._engine import Engine
from ._tasks import MAX_PAGE_SIZE, REACH_VENDOR_PROFILE, SERVICE, pager, parse_list
from ._wire.call import ApiCall
from .enums import EntryVendorTaskStatus as Status
from .models import EntryVendorTask, EntryVendorTaskListResponse

__all__ = ["JobPager", "collect", "get_jobs", "get_jobs_call", "list_in_flight", "pending_statuses"]


def pending_statuses(include_scheduled: bool) -> tuple[Status, ...]:
    """POLL-3: PENDING, plus SCHEDULED when asked."""
    pending = Status.PENDING
    return (pending, Status.SCHEDULED) if include_scheduled else (pending,)


def get_jobs(
    engine: Engine, page_size: int = 500, page_index: int = 1, *, include_scheduled: bool = False
) -> Generator[Any, Any, EntryVendorTaskListResponse]:
    """One page of pending tasks, oldest first, with the reach_vendor profile (POLL-1 to 4)."""
    call = get_jobs_call(page_size, page_index, pending_statuses(include_scheduled))
    return parse_list((yield from engine.call(call)), "getJobs")


def list_in_flight(engine: Engine) -> Generator[Any, Any, list[EntryVendorTask]]:
    """PROCESSING and SCHEDULED tasks via ``list`` (vendor KS), to pick work up again after a
    restart (POLL-8)."""
    return (yield from collect(engine, JobPager("list", (Status.PROCESSING, Status.SCHEDULED))))


def _statuses(statuses: tuple[Status, ...]) -> str:
    return ",".join(str(int(s)) for s in statuses)


def get_jobs_call(page_size: int, page_index: int, statuses: tuple[Status, ...]) -> ApiCall:
    """POLL-1..4: one ``getJobs`` page with the reach_vendor profile."""
    return ApiCall(
        SERVICE,
        "getJobs",
        {
            "filter": {
                "objectType": "KalturaEntryVendorTaskFilter",
                "statusIn": _statuses(statuses),
                "orderBy": "+createdAt",
            },
            "pager": pager(page_size, page_index),
            "responseProfile": REACH_VENDOR_PROFILE,
        },
    )


@attrs.define
class JobPager:
    """Walks every task of a listing exactly once, even while tasks leave it (POLL-4).

    Offsets skip tasks when earlier ones disappear between pages (a claimed task leaves the
    PENDING set), so each page is asked for from the start with a cursor instead: tasks
    created at or after the last one seen (``orderBy=+createdAt``), minus the ids already seen
    at that very second. Every task is yielded once; a task created meanwhile is picked up.
    """

    action: str  # "getJobs" or "list"
    statuses: tuple[Status, ...]
    page_size: int = MAX_PAGE_SIZE
    _cursor: int | None = None
    _at_cursor: set[int] = attrs.field(factory=set)
    _seen: set[int] = attrs.field(factory=set)
    _done: bool = False
    _offset_page: int = 1  # fallback when tasks carry no createdAt

    def next_call(self) -> ApiCall | None:
        if self._done:
            return None
        task_filter: dict[str, Any] = {
            "objectType": "KalturaEntryVendorTaskFilter",
            "statusIn": _statuses(self.statuses),
            "orderBy": "+createdAt",
        }
        if self._cursor is not None:
            task_filter["createdAtGreaterThanOrEqual"] = self._cursor
            if self._at_cursor:
                task_filter["idNotIn"] = ",".join(str(i) for i in sorted(self._at_cursor))
        page = 1 if self._cursor is not None or self._offset_page == 1 else self._offset_page
        params: dict[str, Any] = {"filter": task_filter, "pager": pager(self.page_size, page)}
        if self.action == "getJobs":
            params["responseProfile"] = REACH_VENDOR_PROFILE
        # ``list`` goes without the profile: it would hide externalTaskId, the link to the
        # vendor's own journal that a restart needs (POLL-8); the task still carries its
        # serviceFeature, serviceType and turnAroundTime.
        return ApiCall(SERVICE, self.action, params)

    def feed(self, result: Any) -> list[EntryVendorTask]:
        """Take one page's answer; return the tasks not seen before."""
        page = parse_list(result, f"entryVendorTask.{self.action}")
        objects = list(page)
        fresh = [t for t in objects if t.id is not None and int(t.id) not in self._seen]
        self._seen.update(int(t.id) for t in fresh if t.id is not None)
        if len(objects) < self.page_size or not fresh:
            self._done = True
        elif all(t.created_at is not None for t in objects):
            last = max(int(t.created_at) for t in objects if t.created_at is not None)
            if last != self._cursor:
                self._at_cursor = set()
            self._cursor = last
            self._at_cursor.update(
                int(t.id) for t in objects if t.id is not None and t.created_at == last
            )
        else:
            self._offset_page += 1
        return fresh


def collect(engine: Engine, pager: JobPager) -> Generator[Any, Any, list[EntryVendorTask]]:
    """POLL-8: every task of a listing, as one list (used for ``list_in_flight``)."""
    out: list[EntryVendorTask] = []
    while (call := pager.next_call()) is not None:
        out.extend(pager.feed((yield from engine.call(call))))
    return out
