"""Task status rules (LIFE-1 to LIFE-4, LIFE-9, LIVE-3/4): pure, no I/O.

Kaltura itself validates only one thing: a task in a final status (READY, REJECTED, ERROR,
ABORTED) never changes again (LIFE-9). The SDK also refuses, before any request, the moves a
vendor should never make, so that a bug shows up as a clear local error rather than a task
in a state the customer cannot understand:

======================  ==========================================================
from                    the vendor may move it to
======================  ==========================================================
PENDING                 PROCESSING (VOD claim, LIFE-2), SCHEDULED (live, LIFE-3), ERROR
PROCESSING              READY (LIFE-2, LIVE-4), ERROR (LIFE-4), PROCESSING (idempotent)
SCHEDULED               PROCESSING (the event started, LIVE-4), ERROR
final statuses          nothing (LIFE-9)
anything else           ERROR only (PENDING_MODERATION, PENDING_ENTRY_READY belong to Kaltura)
======================  ==========================================================

A VOD task cannot be SCHEDULED and a live task cannot be claimed straight to PROCESSING
from PENDING: it is registered first (the live feature is registered on the event and the
task moves to SCHEDULED, LIFE-3), then started with ``start_live`` (LIVE-4).
"""

from __future__ import annotations

from .enums import EntryVendorTaskStatus as S
from .errors import IllegalTransitionError, UsageError

__all__ = ["ERR_DESCRIPTION_MAX", "FINAL", "allowed_targets", "check_transition", "error_text"]

FINAL = frozenset({S.READY, S.REJECTED, S.ERROR, S.ABORTED})

_VOD: dict[S, frozenset[S]] = {
    S.PENDING: frozenset({S.PROCESSING, S.ERROR}),
    S.PROCESSING: frozenset({S.PROCESSING, S.READY, S.ERROR}),
    S.SCHEDULED: frozenset({S.PROCESSING, S.ERROR}),
}
_LIVE: dict[S, frozenset[S]] = {
    S.PENDING: frozenset({S.SCHEDULED, S.ERROR}),
    S.SCHEDULED: frozenset({S.SCHEDULED, S.PROCESSING, S.ERROR}),
    S.PROCESSING: frozenset({S.PROCESSING, S.READY, S.ERROR}),
}

#: Longest ``errDescription`` the SDK sends (LIFE-4: short); longer reasons are cut.
ERR_DESCRIPTION_MAX = 500


def allowed_targets(current: S | None, *, live: bool) -> frozenset[S]:
    """The statuses a vendor may move a task to from ``current``."""
    if current is None:
        # Unknown local state: let the server decide, except nothing goes back to PENDING.
        return frozenset({S.PROCESSING, S.SCHEDULED, S.READY, S.ERROR})
    if current in FINAL:
        return frozenset()
    table = _LIVE if live else _VOD
    return table.get(current, frozenset({S.ERROR}))


def check_transition(current: S | None, target: S, *, live: bool, task_id: object = None) -> None:
    """Raise :class:`IllegalTransitionError` unless ``current`` → ``target`` is allowed."""
    if target in allowed_targets(current, live=live):
        return
    name = current.name if current is not None else "UNKNOWN"
    where = f"task {task_id}" if task_id is not None else "task"
    if current in FINAL:
        hint = "a task in a final status is never updated again (LIFE-9)"
    elif live and target is S.PROCESSING and current is S.PENDING:
        hint = (
            "a live task is registered first (PENDING → SCHEDULED, LIFE-3), "
            "then started with start_live (LIVE-4)"
        )
    elif not live and target is S.SCHEDULED:
        hint = "only live tasks are SCHEDULED (LIFE-3)"
    elif target is S.READY:
        hint = "claim the task (PROCESSING) before delivering it (LIFE-2)"
    else:
        hint = "see the lifecycle table in kaltura_reach_vendor.lifecycle"
    raise IllegalTransitionError(f"{where}: cannot go from {name} to {target.name}: {hint}")


def error_text(reason: str) -> str:
    """A non-empty, single-line ``errDescription`` of at most ``ERR_DESCRIPTION_MAX`` chars."""
    text = " ".join(str(reason).split())
    if not text:
        raise UsageError("a failed task needs a reason (LIFE-4): errDescription cannot be empty")
    if len(text) > ERR_DESCRIPTION_MAX:
        text = text[: ERR_DESCRIPTION_MAX - 1].rstrip() + "…"
    return text
