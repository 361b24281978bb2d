"""AI moderation delivery (MOD-1, MOD-2, MOD-5, the moderation guide §7.5), written once.

The output of a moderation task is not an object on the entry but a JSON string in the task
itself: ``taskJobData.moderationOutputJson`` (MOD-2). ``updateJob`` replaces ``taskJobData``
whole (MOD-5, reference §4.3), so the delivery sends the order's ``ruleIds``, ``policyIds``
and ``categoryIds`` back with the output and the ``objectType``, in the **same** ``updateJob``
that sets READY, the accuracy and the output id: **one HTTP request** after the claim.

When the task names categories, the verdict is applied to them (the moderation guide §7.5):
every policy
complies → ``categoryEntry.activate``, otherwise ``categoryEntry.reject``, for each category,
in one multirequest made with the task's access key *before* READY (the key dies with
READY, LIFE-5): **two requests**. The server activates or rejects only a PENDING category
entry; one that is no longer pending (decided by a channel manager, or by an earlier attempt
of this delivery) is left as it is, and the delivery goes on. Any other refusal raises
:class:`~kaltura_reach_vendor.errors.DeliveryError` and leaves the task PROCESSING for the
caller to ``fail`` or deliver again. The category calls are not sent in the ``updateJob``'s
multirequest because a multirequest runs every item even after one failed: READY would be
set regardless.

``outputObjectId`` (LIFE-5 wants one before READY) is the **entry id**: moderation creates
no object, its output lives in the task, and the entry is the object the verdict is about;
the server stores ``outputObjectId`` as an opaque string for this feature (reference §4.1,
§12: no server-side use of moderation output).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from .._engine import Engine
from .._tasks import task_multirequest, update_status
from .._wire.call import ApiCall
from ..enums import EntryVendorTaskStatus as Status
from ..enums import VendorServiceFeature
from ..errors import ApiError, DeliveryError, UsageError
from ..models import EntryVendorTask
from ._common import DeliveryResult, check_feature, ready_to_deliver, result_of

if TYPE_CHECKING:
    from ..moderation import ModerationReport

__all__ = ["deliver_moderation"]

_CATEGORY_SERVICE = "categoryEntry"
#: The server's answers for a category entry that is no longer PENDING: already decided.
_DECIDED = frozenset(
    {
        "CANNOT_ACTIVATE_CATEGORY_ENTRY_SINCE_IT_IS_NOT_PENDING",
        "CANNOT_REJECT_CATEGORY_ENTRY_SINCE_IT_IS_NOT_PENDING",
    }
)


def _category_id(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _deliver(
    engine: Engine,
    task: EntryVendorTask,
    report: ModerationReport,
    accuracy: int,
    units_used: int | None,
    external_task_id: str | None,
) -> Generator[Any, Any, tuple[EntryVendorTask, tuple[str, ...]]]:
    # The moderation package is pure and imported on first use (a cheap top-level import).
    from ..moderation import ModerationReport, moderation_order

    check_feature(task, "deliver_moderation", VendorServiceFeature.MODERATION)
    if not isinstance(report, ModerationReport):
        raise UsageError(
            "deliver_moderation needs a moderation.ModerationReport (see moderation.evaluate), "
            f"got {type(report).__name__}"
        )
    ready_to_deliver(task, accuracy, units_used)
    order = moderation_order(task)  # MOD-1; refuses a task whose order is hidden (MOD-5)
    missing = [p for p in order.policy_ids if report.policy(p) is None]
    if missing:
        raise UsageError(
            f"task {task.id} orders policies {', '.join(order.policy_ids)}; the report has no "
            f"summary for {', '.join(missing)} (evaluate with every policy the task names, MOD-2)"
        )
    if order.category_ids and not report.summary:
        raise UsageError(
            f"task {task.id} names categories {', '.join(order.category_ids)}: their action "
            "follows the policies' verdict, and the report has no policy summary"
        )
    entry_id = task.entry_id
    if not entry_id:
        raise UsageError(f"task {task.id} names no entry: nothing to moderate")
    output = report.to_json()
    if order.category_ids:
        action = "activate" if report.complies else "reject"
        calls = [
            ApiCall(_CATEGORY_SERVICE, action, {"entryId": entry_id, "categoryId": _category_id(c)})
            for c in order.category_ids
        ]
        results = yield from task_multirequest(engine, task, calls)
        refused = [
            f"category {c}: {r.code}"
            for c, r in zip(order.category_ids, results, strict=True)
            if isinstance(r, ApiError) and r.code not in _DECIDED
        ]
        if refused:
            raise DeliveryError(
                f"task {task.id}: categoryEntry.{action} refused ({'; '.join(refused)}); "
                "the task is still PROCESSING: fail it or deliver again"
            )
    fields = {
        "outputObjectId": entry_id,
        "accuracy": accuracy,
        "unitsUsed": units_used,
        "externalTaskId": external_task_id,
        "taskJobData": order.task_data(output),  # MOD-5: the whole task data, resent
    }
    yield from update_status(engine, task, Status.READY, fields)
    return task, (entry_id,)


def deliver_moderation(
    engine: Engine,
    task: EntryVendorTask,
    report: ModerationReport,
    *,
    accuracy: int,
    units_used: int | None = None,
    external_task_id: str | None = None,
) -> Generator[Any, Any, DeliveryResult]:
    """Write ``report`` as the task's ``moderationOutputJson`` (MOD-2), resending its
    ruleIds, policyIds and categoryIds (MOD-5), apply the category verdict when the task names
    categories (§7.5), and complete the task READY: one HTTP request after the claim, two
    with categories. ``object_ids`` is ``(entry id,)``, the task's ``outputObjectId``.

    Refused before any request: a task of another service feature (not MODERATION, 15), a
    task whose order is hidden (read through the reach_vendor profile and not claimed since:
    :class:`StateError`), a report without a summary for a policy the task names."""
    flow = _deliver(engine, task, report, accuracy, units_used, external_task_id)
    return (yield from result_of(flow))
