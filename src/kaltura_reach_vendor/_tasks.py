"""Task lifecycle workflows (POLL, LIFE, KEY, LIVE-3/4), written once, without I/O.

Each function returns a workflow (a generator of effects) that ``ReachClient`` runs with
blocking I/O and ``AsyncReachClient`` with asyncio. The rules they apply live in the pure
modules :mod:`.lifecycle`, :mod:`.access_keys`, :mod:`.tat` and :mod:`.fairness`.

A task object is the vendor's handle on an order: workflows update it in place with what
the server answers (status, a fresh access key), and return it.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any, TypeVar

import attrs

from ._engine import Engine, Flow
from ._wire.call import ApiCall
from .enums import EntryVendorTaskStatus as Status
from .errors import (
    InvalidSessionError,
    ResponseValidationError,
    StateError,
    TaskCancelled,
    TaskNotFoundError,
    UsageError,
)
from .lifecycle import check_transition, error_text
from .models import EntryVendorTask, EntryVendorTaskListResponse, KalturaObject, parse

__all__ = [
    "REACH_VENDOR_PROFILE",
    "JobPager",
    "check_scheduled",
    "claim",
    "complete",
    "extend_access_key",
    "fail",
    "finish_live",
    "get_task",
    "is_cancelled",
    "start_live",
    "task_call",
]

SERVICE = "reach_entryVendorTask"
TASK_OBJECT = "KalturaEntryVendorTask"
#: POLL-2: the response profile that fills ``relatedObjects``.
REACH_VENDOR_PROFILE = {"objectType": "KalturaResponseProfileHolder", "systemName": "reach_vendor"}
MAX_PAGE_SIZE = 500

TaskFlow = Generator[Any, Any, EntryVendorTask]
M = TypeVar("M", bound=KalturaObject)


def parse_as(value: Any, cls: type[M], what: str) -> M:
    """Parse a result into ``cls`` or raise :class:`ResponseValidationError`."""
    if not isinstance(value, Mapping):
        raise ResponseValidationError(
            f"{what}: expected a {cls.__name__} object, got {type(value).__name__}", body=value
        )
    try:
        return parse(value, cls)
    except (ValueError, TypeError) as exc:
        raise ResponseValidationError(f"{what}: {exc}", body=value) from exc


def _task_id(task: EntryVendorTask) -> int:
    if task.id is None:
        raise UsageError("this task has no id: was it parsed from a getJobs answer?")
    return int(task.id)


def absorb(task: EntryVendorTask, fresh: EntryVendorTask) -> EntryVendorTask:
    """Copy every field the server returned into ``task`` (kept: what it left out)."""
    for field in attrs.fields(type(task)):
        if field.name == "extra":
            continue
        value = getattr(fresh, field.name)
        if value is not None:
            setattr(task, field.name, value)
    if fresh.extra:
        task.extra.update(fresh.extra)
    return task


def cancelled(error: TaskNotFoundError, task: EntryVendorTask) -> TaskCancelled:
    """LIFE-8: ``ENTRY_VENDOR_TASK_NOT_FOUND`` on a task the vendor holds means cancelled."""
    if isinstance(error, TaskCancelled):
        return error
    return TaskCancelled(
        error.code,
        f"task {task.id} was cancelled or is no longer available: {error.message}",
        error.args,
        service=error.service,
        action=error.action,
    )


# -- calls with the vendor KS about one task --------------------------------------------------
def _vendor_task_call(
    engine: Engine, task: EntryVendorTask, action: str, params: Mapping[str, Any]
) -> Flow:
    call = ApiCall(SERVICE, action, params, task_id=task.id)
    try:
        return (yield from engine.call(call))
    except TaskNotFoundError as error:
        raise cancelled(error, task) from error


# -- calls with the task's access key (AUTH-7, KEY-2) -----------------------------------------
def task_call(
    engine: Engine,
    task: EntryVendorTask,
    service: str,
    action: str,
    params: Mapping[str, Any],
    *,
    write: bool | None = None,
) -> Flow:
    """One call made with ``task``'s access key, named after the task in the client tag.

    An expired key is extended with the vendor KS and the call retried once (KEY-2);
    ``ENTRY_VENDOR_TASK_NOT_FOUND`` becomes :class:`TaskCancelled` (LIFE-8).
    """
    _task_id(task)
    extended = False
    while True:
        if not task.access_key:
            raise StateError(
                f"task {task.id} carries no access key (EXTERNAL_OBJECT tasks have none)"
            )
        options: dict[str, Any] = {"ks": task.access_key, "task_id": task.id}
        if write is not None:
            options["write"] = write
        try:
            return (yield from engine.call(ApiCall(service, action, params, **options)))
        except InvalidSessionError as error:
            if extended or error.ksid != "EXPIRED":
                raise
            yield from extend_access_key(engine, task)
            extended = True
        except TaskNotFoundError as error:
            raise cancelled(error, task) from error


def extend_access_key(engine: Engine, task: EntryVendorTask) -> TaskFlow:
    """KEY-2/3/4: a fresh access key (full validity) for a PROCESSING or SCHEDULED task."""
    result = yield from _vendor_task_call(engine, task, "extendAccessKey", {"id": _task_id(task)})
    fresh = parse_as(result, EntryVendorTask, "extendAccessKey")
    if not fresh.access_key:
        raise ResponseValidationError("extendAccessKey returned no access key")
    absorb(task, fresh)
    task.access_key_issued_at = engine.clock()
    return task


def get_task(engine: Engine, task: EntryVendorTask) -> TaskFlow:
    """POLL-2, AUTH-7: re-read the task with its access key and the reach_vendor profile."""
    result = yield from task_call(
        engine,
        task,
        SERVICE,
        "get",
        {"id": _task_id(task), "responseProfile": REACH_VENDOR_PROFILE},
    )
    return absorb(task, parse_as(result, EntryVendorTask, "entryVendorTask.get"))


# -- status changes (vendor KS: updateJob) ----------------------------------------------------
def update_status(
    engine: Engine,
    task: EntryVendorTask,
    target: Status,
    fields: Mapping[str, Any] | None = None,
) -> TaskFlow:
    """Move ``task`` to ``target`` after the local lifecycle check (LIFE-1, LIFE-9)."""
    check_transition(task.status, target, live=task.is_live, task_id=task.id)
    update: dict[str, Any] = {"objectType": TASK_OBJECT, "status": target}
    update.update({k: v for k, v in (fields or {}).items() if v is not None})
    result = yield from _vendor_task_call(
        engine, task, "updateJob", {"id": _task_id(task), "entryVendorTask": update}
    )
    fresh = parse_as(result, EntryVendorTask, "updateJob")
    if fresh.status is not None and fresh.status != target:
        # The server drops a field the session may not write and still answers OK
        # (reference §1.4): say so instead of carrying on as if the task had moved.
        raise ResponseValidationError(
            f"task {task.id}: updateJob answered status {fresh.status.name}, not "
            f"{target.name}; the vendor session may lack permission to change it",
            body=result,
        )
    absorb(task, fresh)
    task.status = target
    return task


def claim(engine: Engine, task: EntryVendorTask, external_task_id: str | None) -> TaskFlow:
    """LIFE-2, LIFE-7: PENDING → PROCESSING before any work on a VOD task."""
    if task.is_live:
        raise StateError(
            f"task {task.id} is a live task: register it with register_live_feature "
            "(→ SCHEDULED), then start_live when the event starts (LIFE-3)"
        )
    return (
        yield from update_status(
            engine, task, Status.PROCESSING, {"externalTaskId": external_task_id}
        )
    )


def fail(engine: Engine, task: EntryVendorTask, reason: str) -> TaskFlow:
    """LIFE-4: ERROR with a non-empty, short ``errDescription``."""
    text = error_text(reason)
    return (yield from update_status(engine, task, Status.ERROR, {"errDescription": text}))


def check_accuracy(accuracy: int) -> int:
    """ACC-1, LIFE-6: an integer percentage."""
    if isinstance(accuracy, bool) or not isinstance(accuracy, int) or not 0 <= accuracy <= 100:
        raise UsageError(f"accuracy must be an integer from 0 to 100, got {accuracy!r}")
    return accuracy


def complete(
    engine: Engine,
    task: EntryVendorTask,
    output_object_id: str,
    accuracy: int,
    units_used: int | None,
) -> TaskFlow:
    """LIFE-5, LIFE-6, LIFE-10: READY with the output id, accuracy and (pay-per-use) units."""
    if not output_object_id or not str(output_object_id).strip():
        raise UsageError(
            f"task {task.id}: READY needs the id of the delivered object (LIFE-5, outputObjectId)"
        )
    catalog = task.catalog_item
    if units_used is None and catalog is not None and catalog.pay_per_use:
        raise UsageError(
            f"task {task.id}: its catalog item is pay-per-use, so READY needs units_used (LIFE-10)"
        )
    fields = {
        "outputObjectId": str(output_object_id),
        "accuracy": check_accuracy(accuracy),
        "unitsUsed": units_used,
    }
    return (yield from update_status(engine, task, Status.READY, fields))


def start_live(engine: Engine, task: EntryVendorTask) -> TaskFlow:
    """LIVE-4: SCHEDULED → PROCESSING when the event starts."""
    _require_live(task)
    return (yield from update_status(engine, task, Status.PROCESSING))


def finish_live(engine: Engine, task: EntryVendorTask, accuracy: int | None) -> TaskFlow:
    """LIVE-4: PROCESSING → READY once the event ended and the input disconnected."""
    _require_live(task)
    fields = {"accuracy": check_accuracy(accuracy) if accuracy is not None else None}
    return (yield from update_status(engine, task, Status.READY, fields))


def _require_live(task: EntryVendorTask) -> None:
    if not task.is_live:
        raise StateError(f"task {task.id} is not a live task; use claim/complete")


def is_cancelled(engine: Engine, task: EntryVendorTask) -> Generator[Any, Any, bool]:
    """LIFE-8: gone (``ENTRY_VENDOR_TASK_NOT_FOUND``) or ABORTED by the customer."""
    try:
        yield from get_task(engine, task)
    except TaskCancelled:
        return True
    return task.status in (Status.ABORTED, Status.REJECTED)


def check_scheduled(engine: Engine, task: EntryVendorTask) -> Generator[Any, Any, bool]:
    """LIVE-3: still ordered (readable and not yet in a final status)?"""
    cancelled = yield from is_cancelled(engine, task)
    return not cancelled and not task.is_final


# -- finding work (POLL-1 to POLL-4, POLL-8) --------------------------------------------------
def _pager(page_size: int, page_index: int) -> dict[str, Any]:
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise UsageError(f"page_size must be 1..{MAX_PAGE_SIZE} (POLL-4), got {page_size}")
    if page_index < 1:
        raise UsageError(f"page_index starts at 1 (POLL-4), got {page_index}")
    return {"objectType": "KalturaFilterPager", "pageSize": page_size, "pageIndex": page_index}


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
            "pager": _pager(page_size, page_index),
            "responseProfile": REACH_VENDOR_PROFILE,
        },
    )


def parse_list(result: Any, what: str) -> EntryVendorTaskListResponse:
    return parse_as(result, EntryVendorTaskListResponse, what)


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
        params: dict[str, Any] = {"filter": task_filter, "pager": _pager(self.page_size, page)}
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
