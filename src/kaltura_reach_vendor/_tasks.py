"""Task lifecycle workflows (POLL, LIFE, KEY, LIVE-3/4), written once, without I/O.

Each function returns a workflow (a generator of effects) that ``ReachClient`` runs with
blocking I/O and ``AsyncReachClient`` with asyncio. The rules they apply live in the pure
modules :mod:`.lifecycle`, :mod:`.access_keys`, :mod:`.tat` and :mod:`.fairness`.

A task object is the vendor's handle on an order: workflows update it in place with what
the server answers (status, a fresh access key), and return it.
"""

from __future__ import annotations

import logging
import reprlib
from collections.abc import Generator, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from ._claims import CLAIMS
from ._engine import Engine, Flow
from ._secrets import forget_secret, register_secret
from ._wire.call import ApiCall, FilePart, JsonValue, SessionKind
from .enums import EntryVendorTaskStatus as Status
from .errors import (
    ApiError,
    CannotExtendAccessKeyError,
    InvalidSessionError,
    ReachError,
    ResponseValidationError,
    StateError,
    TaskCancelled,
    TaskFinalStateError,
    TaskNotFoundError,
    UsageError,
)
from .fairness import TaskKey, task_key
from .lifecycle import FINAL, check_transition, error_text
from .models import EntryVendorTask, EntryVendorTaskListResponse, KalturaObject, parse

log = logging.getLogger("kaltura_reach_vendor.tasks")

__all__ = [
    "REACH_VENDOR_PROFILE",
    "check_scheduled",
    "claim",
    "complete",
    "extend_access_key",
    "fail",
    "finish_live",
    "get_task",
    "get_task_by_id",
    "is_cancelled",
    "start_live",
    "task_call",
    "task_multirequest",
]

SERVICE = "reach_entryVendorTask"
TASK_OBJECT = "KalturaEntryVendorTask"
#: POLL-2: the response profile that fills ``relatedObjects``.
REACH_VENDOR_PROFILE = {"objectType": "KalturaResponseProfileHolder", "systemName": "reach_vendor"}
MAX_PAGE_SIZE = 500

TaskFlow = Generator[Any, Any, EntryVendorTask]
M = TypeVar("M", bound=KalturaObject)


def parse_as(value: Any, cls: type[M], what: str) -> M:
    """Parse a result into ``cls`` or raise :class:`ResponseValidationError`.

    The answer comes from the network: whatever goes wrong while reading it (a wrong type,
    related objects nested deeper than Python's stack allows) is reported as a
    :class:`ResponseValidationError` naming ``what``, never as a bare Python error.
    """
    if not isinstance(value, Mapping):
        raise ResponseValidationError(
            f"{what}: expected a {cls.__name__} object, got {type(value).__name__}", body=value
        )
    try:
        parsed = parse(value, cls)
    except RecursionError:
        raise ResponseValidationError(
            f"{what}: the {cls.__name__} is nested too deeply to read "
            "(relatedObjects within relatedObjects?)",
            body=value,
        ) from None
    except ReachError:
        raise
    except Exception as exc:  # the model layer refusing untrusted data, whatever its error
        raise ResponseValidationError(
            f"{what}: not a valid {cls.__name__}: {exc}", body=value
        ) from exc
    if not isinstance(parsed, cls):
        raise ResponseValidationError(
            f"{what}: expected a {cls.__name__}, got {type(parsed).__name__}", body=value
        )
    return parsed


def _task_id(task: EntryVendorTask) -> int:
    if task.id is None:
        raise UsageError("this task has no id: was it parsed from a getJobs answer?")
    return int(task.id)


def absorb(task: EntryVendorTask, fresh: EntryVendorTask) -> EntryVendorTask:
    """Copy every field the server returned into ``task`` (kept: what it left out)."""
    kept = task.task_job_data
    for field in attrs.fields(type(task)):
        if field.name == "extra":
            continue
        value = getattr(fresh, field.name)
        if value is not None:
            setattr(task, field.name, value)
    data = task.task_job_data
    if kept is not None and data is not None and type(kept) is type(data) and kept is not data:
        # The reach_vendor profile filters the task data too (it hides a live task's
        # startDate, endDate and scheduledEventId, LIVE-1): keep what it left out.
        for field in attrs.fields(type(kept)):
            if getattr(data, field.name) is None:
                setattr(data, field.name, getattr(kept, field.name))
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
def _access_key(task: EntryVendorTask) -> str:
    _task_id(task)
    if not task.access_key:
        raise StateError(f"task {task.id} carries no access key (EXTERNAL_OBJECT tasks have none)")
    return task.access_key


def _key_expired(error: object) -> bool:
    return isinstance(error, InvalidSessionError) and error.ksid == "EXPIRED"


def task_call(
    engine: Engine,
    task: EntryVendorTask,
    service: str,
    action: str,
    params: Mapping[str, Any],
    *,
    files: Mapping[str, FilePart] | None = None,
    write: bool | None = None,
) -> Flow:
    """One call made with ``task``'s access key, named after the task in the client tag.

    An expired key is extended with the vendor KS and the call retried once (KEY-2);
    ``ENTRY_VENDOR_TASK_NOT_FOUND`` becomes :class:`TaskCancelled` (LIFE-8). An expired key
    is refused before the server runs the action, so the retry never repeats a write.
    """
    extended = False
    while True:
        options: dict[str, Any] = {
            "ks": _access_key(task),
            "task_id": task.id,
            "files": files or {},
        }
        if write is not None:
            options["write"] = write
        try:
            return (yield from engine.call(ApiCall(service, action, params, **options)))
        except InvalidSessionError as error:
            if extended or not _key_expired(error):
                raise
            yield from extend_access_key(engine, task)
            extended = True
        except TaskNotFoundError as error:
            raise cancelled(error, task) from error


def task_multirequest(
    engine: Engine, task: EntryVendorTask, calls: Sequence[ApiCall]
) -> Generator[Any, Any, list[JsonValue | ApiError]]:
    """Several calls about ``task`` in one request, each with the task's access key.

    Calls that name no KS get the task's key and its id (client tag, AUTH-3), except the
    actions that take the vendor KS (AUTH-7: ``updateJob``, ``extendAccessKey``, ``list``,
    ``getJobs`` of ``reach_entryVendorTask``), which keep it. When the key has
    expired, every call using it fails and none ran, so the key is extended and the whole
    request sent once more (KEY-2). If only some items failed, nothing is re-sent: items
    that failed come back as :class:`ApiError` objects, and ``ENTRY_VENDOR_TASK_NOT_FOUND``
    items as :class:`TaskCancelled`.
    """
    extended = False
    while True:
        key = _access_key(task)
        bound = [_bind(call, key, task) for call in calls]
        keyed = [i for i, call in enumerate(bound) if call.ks == key]
        try:
            results = yield from engine.multirequest(bound)
        except InvalidSessionError as error:
            if extended or not _key_expired(error):
                raise
            yield from extend_access_key(engine, task)
            extended = True
            continue
        if not extended and keyed and all(_key_expired(results[i]) for i in keyed):
            yield from extend_access_key(engine, task)
            extended = True
            continue
        return [
            cancelled(item, task) if isinstance(item, TaskNotFoundError) else item
            for item in results
        ]


def _bind(call: ApiCall, key: str, task: EntryVendorTask) -> ApiCall:
    task_id = call.task_id if call.task_id is not None else task.id
    if call.ks is not None or call.session is not SessionKind.VENDOR or _vendor_only(call):
        return attrs.evolve(call, task_id=task_id)
    return attrs.evolve(call, ks=key, session=SessionKind.GIVEN, task_id=task_id)


#: AUTH-7: the task-service actions that take the vendor KS, never an access key.
_VENDOR_ACTIONS = frozenset({"getjobs", "updatejob", "extendaccesskey", "list"})


def _vendor_only(call: ApiCall) -> bool:
    return call.service.lower() == SERVICE.lower() and call.action.lower() in _VENDOR_ACTIONS


def extend_access_key(engine: Engine, task: EntryVendorTask) -> TaskFlow:
    """KEY-2/3/4: a fresh access key (full validity) for a PROCESSING or SCHEDULED task."""
    result = yield from _vendor_task_call(engine, task, "extendAccessKey", {"id": _task_id(task)})
    fresh = parse_as(result, EntryVendorTask, "extendAccessKey")
    if not fresh.access_key:
        raise ResponseValidationError("extendAccessKey returned no access key")
    register_secret(fresh.access_key)
    if task.access_key != fresh.access_key:
        forget_secret(task.access_key)  # the old key leaves with its replacement
    absorb(task, fresh)
    task.access_key_issued_at = engine.clock()
    return task


def get_task_by_id(engine: Engine, task_id: int) -> TaskFlow:
    """A task known only by its id: found with ``list`` and the vendor KS (any status; the
    server filters it to this vendor), then, while it carries an access key, re-read with
    that key and the reach_vendor profile (POLL-2) for its catalog item and profile."""
    if isinstance(task_id, bool) or not isinstance(task_id, int) or task_id <= 0:
        raise UsageError(f"a task id is a positive integer, got {task_id!r}")
    params = {
        "filter": {"objectType": "KalturaEntryVendorTaskFilter", "idEqual": task_id},
        "pager": pager(1, 1),
    }
    page = parse_list((yield from engine.call(ApiCall(SERVICE, "list", params))), "list")
    found = [t for t in page if t.id is not None and int(t.id) == task_id]
    if not found:
        raise TaskNotFoundError(
            "ENTRY_VENDOR_TASK_NOT_FOUND",
            f"no task {task_id} for this vendor at {engine.config.service_url}",
            service=SERVICE,
            action="list",
        )
    task = found[0]
    if task.access_key and task.status is not None and task.status not in FINAL:
        try:
            yield from reread(engine, task)
        except CannotExtendAccessKeyError:
            # An expired key of a task that is not PROCESSING cannot be extended (KEY-3):
            # the vendor's own read above is all there is until the task is claimed.
            log.info("task %s: its access key is expired; read without it", task_id)
    return task


def get_task(engine: Engine, task: EntryVendorTask | int) -> TaskFlow:
    """Re-read ``task`` with its access key and the reach_vendor profile (POLL-2, AUTH-7),
    updating it in place; given a bare id, find the task with ``list`` (vendor KS) first."""
    if isinstance(task, EntryVendorTask):
        return (yield from reread(engine, task))
    return (yield from get_task_by_id(engine, task))


def reread(engine: Engine, task: EntryVendorTask) -> TaskFlow:
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
    try:
        result = yield from _vendor_task_call(
            engine, task, "updateJob", {"id": _task_id(task), "entryVendorTask": update}
        )
    except (TaskCancelled, TaskFinalStateError):
        _finished(engine, task)
        raise
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
    if target in FINAL:
        _finished(engine, task)
    return task


def _claim_key(engine: Engine, task: EntryVendorTask) -> TaskKey:
    return task_key(engine.config.service_url, task)


def _finished(engine: Engine, task: EntryVendorTask) -> None:
    """The task is final or gone: its claim and its access key leave with it (AUTH-9)."""
    if task.id is not None:
        CLAIMS.release(_claim_key(engine, task), engine)
    forget_secret(task.access_key)


def claim(engine: Engine, task: EntryVendorTask, external_task_id: str | None = None) -> TaskFlow:
    """LIFE-2, LIFE-7: PENDING → PROCESSING before any work on a VOD task.

    Exclusive within the process (POLL-5): a second claim of a task this process already
    claimed raises :class:`AlreadyClaimedError` before any request. A task known only by
    its id (no status yet) is read first, so the lifecycle check sees its real status.
    """
    key = _claim_key(engine, task)
    CLAIMS.reserve(key, engine)
    try:
        if task.status is None:
            absorb(task, (yield from get_task_by_id(engine, _task_id(task))))
        if task.is_live:
            raise StateError(
                f"task {task.id} is a live task: it is not claimed but registered with "
                "register_live_feature (PENDING → SCHEDULED, LIVE-2, LIFE-3), then started "
                "with start_live (LIVE-4)"
            )
        return (
            yield from update_status(
                engine, task, Status.PROCESSING, {"externalTaskId": external_task_id}
            )
        )
    except BaseException:
        CLAIMS.release(key, engine)
        raise


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
    units_used: int | None = None,
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


def finish_live(engine: Engine, task: EntryVendorTask, accuracy: int | None = None) -> TaskFlow:
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
        yield from reread(engine, task)
    except TaskCancelled:
        _finished(engine, task)
        return True
    if task.status in (Status.ABORTED, Status.REJECTED):
        _finished(engine, task)
        return True
    return False


def check_scheduled(engine: Engine, task: EntryVendorTask) -> Generator[Any, Any, bool]:
    """LIVE-3: still ordered (readable and not yet in a final status)?"""
    cancelled = yield from is_cancelled(engine, task)
    return not cancelled and not task.is_final


# -- pages of tasks ---------------------------------------------------------------------------
def pager(page_size: int, page_index: int) -> dict[str, Any]:
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise UsageError(f"page_size must be 1..{MAX_PAGE_SIZE} (POLL-4), got {page_size}")
    if page_index < 1:
        raise UsageError(f"page_index starts at 1 (POLL-4), got {page_index}")
    return {"objectType": "KalturaFilterPager", "pageSize": page_size, "pageIndex": page_index}


def parse_list(result: Any, what: str) -> EntryVendorTaskListResponse:
    """A page of tasks (``getJobs``, ``list``). An answer that is not a list of task objects
    is refused: read as an empty page, it would hide every pending task without a word."""
    if isinstance(result, Mapping):
        kind = result.get("objectType")
        if kind is not None and not (isinstance(kind, str) and kind.endswith("ListResponse")):
            raise ResponseValidationError(
                f"{what}: expected a list response, got objectType {reprlib.repr(kind)}",
                body=result,
            )
        if "objects" not in result and "totalCount" not in result:
            raise ResponseValidationError(
                f"{what}: the answer has neither 'objects' nor 'totalCount'", body=result
            )
        objects = result.get("objects")
        if objects is not None and not isinstance(objects, list):
            raise ResponseValidationError(
                f"{what}: 'objects' must be a list of tasks, got {type(objects).__name__}",
                body=result,
            )
        for index, item in enumerate(objects or ()):
            if not isinstance(item, Mapping):
                raise ResponseValidationError(
                    f"{what}: objects[{index}] must be a task object, got {type(item).__name__}",
                    body=result,
                )
    page = parse_as(result, EntryVendorTaskListResponse, what)
    tasks = page.objects or []
    sent = result.get("objects") if isinstance(result, Mapping) else None
    if len(tasks) != len(sent or ()) or not all(isinstance(t, EntryVendorTask) for t in tasks):
        raise ResponseValidationError(f"{what}: 'objects' could not be read as tasks", body=result)
    return page
