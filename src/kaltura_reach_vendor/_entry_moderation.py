"""Entry and category moderation (MOD-6, the moderation guide §4–§6, §9), written once, without I/O.

These calls act on the customer's content as the customer: they need a **partner KS** (an
admin session of the customer partner for approve, reject, the queue and the flag list; any
session of it for flagging), never the vendor's. Every workflow takes it explicitly as
``ks=`` and sends it as that call's KS (``SessionKind.GIVEN``); it is registered as a secret,
so it never appears in logs or error text.

Flagging is allowed only from APPROVED, AUTO_APPROVED or FLAGGED_FOR_REVIEW (MOD-6). The rule
is checked before the flag is sent: given a :class:`~kaltura_reach_vendor.BaseEntry` that
carries ``moderation_status`` (read earlier, from ``queue`` for instance), with no request;
given an entry id, by reading the entry first (``baseEntry.get``, one request). The server
stays the judge of a status that changed meanwhile: its ``ENTRY_CANNOT_BE_FLAGGED`` is raised
as the same :class:`~kaltura_reach_vendor.errors.CannotFlagError`.

Bulk approve and reject go in **one multirequest**; each entry gets its own
:class:`EntryModerationResult`, since one failed item does not stop the others (the
moderation guide §6.5).

Both clients expose these as ``client.moderation`` and ``client.categories``, operation groups
(:mod:`._operation`) with the same signatures on ``ReachClient`` and ``AsyncReachClient``.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

import attrs

from ._engine import Engine
from ._operation import AsyncGroup, Operation, SyncGroup
from ._secrets import register_secret
from ._tasks import pager, parse_as
from ._wire.call import ApiCall
from .enums import EntryModerationStatus, EntryStatus, ModerationFlagType
from .errors import ApiError, CannotFlagError, UsageError
from .models import BaseEntry, BaseEntryListResponse, ModerationFlag, ModerationFlagListResponse

__all__ = [
    "FLAGGABLE",
    "QUEUE_STATUSES",
    "AsyncCategories",
    "AsyncModeration",
    "EntryModerationResult",
    "SyncCategories",
    "SyncModeration",
]

#: MOD-6: the moderation statuses an entry may be flagged from.
FLAGGABLE = frozenset(
    {
        EntryModerationStatus.APPROVED,
        EntryModerationStatus.AUTO_APPROVED,
        EntryModerationStatus.FLAGGED_FOR_REVIEW,
    }
)
#: MOD-6: the KMC moderation queue: pending moderation and flagged for review (1,5).
QUEUE_STATUSES = (
    EntryModerationStatus.PENDING_MODERATION,
    EntryModerationStatus.FLAGGED_FOR_REVIEW,
)
#: The longest flag comment the server takes (§5.1).
MAX_COMMENT = 1024

Flow = Generator[Any, Any, None]


@attrs.frozen
class EntryModerationResult:
    """One entry's outcome in a bulk approve or reject: done, or the error it failed with."""

    entry_id: str
    error: ApiError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _partner_ks(ks: object) -> str:
    if not isinstance(ks, str) or not ks.strip():
        raise UsageError(
            "entry moderation needs the customer partner's KS (ks=...), not the vendor's"
        )
    register_secret(ks)
    return ks


def _entry_id(entry_id: object) -> str:
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise UsageError(f"an entry id is a non-empty string, got {type(entry_id).__name__}")
    return entry_id.strip()


def _call(action: str, params: dict[str, Any], ks: str, service: str = "baseEntry") -> ApiCall:
    return ApiCall(service, action, params, ks=ks)


def _flag_type(value: object) -> ModerationFlagType:
    # The SDK's enums keep unknown wire values (a server newer than the SDK), so the six
    # documented types are checked by value here.
    known = {int(member) for member in ModerationFlagType.__members__.values()}
    if isinstance(value, bool) or not isinstance(value, int) or int(value) not in known:
        raise UsageError(f"flag_type must be a ModerationFlagType (1-6), got {value!r} (MOD-6)")
    return ModerationFlagType(value)


def check_flaggable(entry_id: str, status: EntryModerationStatus | int | None) -> None:
    """MOD-6: refuse to flag an entry whose moderation status does not allow it."""
    if status in FLAGGABLE:
        return
    name = getattr(status, "name", status)
    raise CannotFlagError(
        f"entry {entry_id} is {name}: only APPROVED, AUTO_APPROVED or FLAGGED_FOR_REVIEW "
        "entries can be flagged (MOD-6)",
        entry_id=entry_id,
        status=status,
    )


# -- entry moderation ---------------------------------------------------------------------------
def flag_entry(
    engine: Engine,
    entry: str | BaseEntry,
    flag_type: ModerationFlagType | int,
    *,
    ks: str,
    comments: str | None = None,
) -> Generator[Any, Any, ModerationFlag]:
    """Flag an entry for review (``baseEntry.flag``): it becomes FLAGGED_FOR_REVIEW and stays
    playable. Only from APPROVED, AUTO_APPROVED or FLAGGED_FOR_REVIEW (MOD-6), checked first:
    on a given entry's ``moderation_status`` (no request), or by reading an entry id."""
    key = _partner_ks(ks)
    kind = _flag_type(flag_type)
    if comments is not None and len(comments) > MAX_COMMENT:
        raise UsageError(f"a flag comment has at most {MAX_COMMENT} characters")
    if isinstance(entry, BaseEntry):
        entry_id, status = _entry_id(entry.id), entry.moderation_status
    else:
        entry_id, status = _entry_id(entry), None
    if status is None:
        answer = yield from engine.call(_call("get", {"entryId": entry_id}, key))
        status = parse_as(answer, BaseEntry, "baseEntry.get").moderation_status
    check_flaggable(entry_id, status)
    sent: dict[str, Any] = {
        "objectType": "KalturaModerationFlag",
        "flaggedEntryId": entry_id,
        "flagType": int(kind),
    }
    if comments is not None:
        sent["comments"] = comments
    try:
        answer = yield from engine.call(_call("flag", {"moderationFlag": sent}, key))
    except ApiError as error:
        if error.code != "ENTRY_CANNOT_BE_FLAGGED":
            raise
        raise CannotFlagError(
            f"entry {entry_id} cannot be flagged (the server refused: its moderation status "
            "is not APPROVED, AUTO_APPROVED or FLAGGED_FOR_REVIEW, MOD-6)",
            entry_id=entry_id,
        ) from error
    return parse_as(answer, ModerationFlag, "baseEntry.flag")


def list_entry_flags(
    engine: Engine, entry_id: str, *, ks: str, page_size: int = 50, page_index: int = 1
) -> Generator[Any, Any, ModerationFlagListResponse]:
    """The entry's PENDING flags (``baseEntry.listFlags``); approve and reject moderate them."""
    params = {"entryId": _entry_id(entry_id), "pager": pager(page_size, page_index)}
    answer = yield from engine.call(_call("listFlags", params, _partner_ks(ks)))
    return parse_as(answer, ModerationFlagListResponse, "baseEntry.listFlags")


def approve_entry(engine: Engine, entry_id: str, *, ks: str) -> Flow:
    """APPROVED (``baseEntry.approve``): playable, its pending flags MODERATED."""
    yield from engine.call(_call("approve", {"entryId": _entry_id(entry_id)}, _partner_ks(ks)))
    return None


def reject_entry(engine: Engine, entry_id: str, *, ks: str) -> Flow:
    """REJECTED (``baseEntry.reject``): hidden and blocked, its pending flags MODERATED."""
    yield from engine.call(_call("reject", {"entryId": _entry_id(entry_id)}, _partner_ks(ks)))
    return None


def moderation_queue(
    engine: Engine, *, ks: str, page_size: int = 50, page_index: int = 1
) -> Generator[Any, Any, BaseEntryListResponse]:
    """The moderation queue as the KMC shows it (MOD-6): READY entries pending moderation or
    flagged for review (``moderationStatusIn=1,5``, ``statusEqual=2``), oldest first."""
    params = {
        "filter": {
            "objectType": "KalturaBaseEntryFilter",
            "moderationStatusIn": ",".join(str(int(s)) for s in QUEUE_STATUSES),
            "statusEqual": EntryStatus.READY.value,
            "orderBy": "+createdAt",
        },
        "pager": pager(page_size, page_index),
    }
    answer = yield from engine.call(_call("list", params, _partner_ks(ks)))
    return parse_as(answer, BaseEntryListResponse, "baseEntry.list")


def _bulk(
    engine: Engine, action: str, entry_ids: Sequence[str], ks: str
) -> Generator[Any, Any, tuple[EntryModerationResult, ...]]:
    if isinstance(entry_ids, str):
        raise UsageError("give a list of entry ids, not one string")
    key = _partner_ks(ks)
    ids = [_entry_id(e) for e in entry_ids]
    if not ids:
        return ()
    results = yield from engine.multirequest([_call(action, {"entryId": e}, key) for e in ids])
    return tuple(
        EntryModerationResult(e, r if isinstance(r, ApiError) else None)
        for e, r in zip(ids, results, strict=True)
    )


def bulk_approve(
    engine: Engine, entry_ids: Sequence[str], *, ks: str
) -> Generator[Any, Any, tuple[EntryModerationResult, ...]]:
    """Approve several entries in one multirequest; one result per entry, in order (MOD-6)."""
    return (yield from _bulk(engine, "approve", entry_ids, ks))


def bulk_reject(
    engine: Engine, entry_ids: Sequence[str], *, ks: str
) -> Generator[Any, Any, tuple[EntryModerationResult, ...]]:
    """Reject several entries in one multirequest; one result per entry, in order (MOD-6)."""
    return (yield from _bulk(engine, "reject", entry_ids, ks))


# -- category moderation ------------------------------------------------------------------------
def _category(action: str, entry_id: str, category_id: int, ks: str) -> ApiCall:
    if isinstance(category_id, bool) or not isinstance(category_id, int) or category_id <= 0:
        raise UsageError(f"a category id is a positive integer, got {category_id!r}")
    params = {"entryId": _entry_id(entry_id), "categoryId": category_id}
    return _call(action, params, _partner_ks(ks), service="categoryEntry")


def activate_category_entry(engine: Engine, entry_id: str, category_id: int, *, ks: str) -> Flow:
    """Publish the entry in the category (``categoryEntry.activate``: PENDING → ACTIVE)."""
    yield from engine.call(_category("activate", entry_id, category_id, ks))
    return None


def reject_category_entry(engine: Engine, entry_id: str, category_id: int, *, ks: str) -> Flow:
    """Reject the entry in the category (``categoryEntry.reject``)."""
    yield from engine.call(_category("reject", entry_id, category_id, ks))
    return None


# -- the groups the clients expose ----------------------------------------------------------------
class _ModerationOps:
    """``client.moderation``: entry moderation with the customer partner's KS (MOD-6)."""

    flag = Operation(flag_entry)
    list_flags = Operation(list_entry_flags)
    approve = Operation(approve_entry)
    reject = Operation(reject_entry)
    queue = Operation(moderation_queue)
    bulk_approve = Operation(bulk_approve)
    bulk_reject = Operation(bulk_reject)


class _CategoryOps:
    """``client.categories``: category moderation with the customer partner's KS (§9)."""

    activate = Operation(activate_category_entry)
    reject = Operation(reject_category_entry)


class SyncModeration(_ModerationOps, SyncGroup):
    __slots__ = ()


class AsyncModeration(_ModerationOps, AsyncGroup):
    __slots__ = ()


class SyncCategories(_CategoryOps, SyncGroup):
    __slots__ = ()


class AsyncCategories(_CategoryOps, AsyncGroup):
    __slots__ = ()
