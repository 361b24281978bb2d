"""Entry and category moderation with a partner KS, end to end, both clients (MOD-6)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kaltura_reach_vendor import (
    ApiError,
    BaseEntry,
    CannotFlagError,
    EntryModerationStatus,
    ModerationFlag,
    ModerationFlagType,
    ObjectNotFoundError,
    UsageError,
)
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Driver

PARTNER = 1001
LECTURE = "1_skilm10u"
CATEGORY = 9001


class Group:
    """``drive.client.<group>.<op>`` run to its result, whichever client."""

    def __init__(self, drive: Driver, name: str) -> None:
        self._drive, self._name = drive, name

    def __call__(self, op: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(getattr(self._drive.client, self._name), op)(*args, **kwargs)
        if self._drive.kind == "async":
            return self._drive.loop.run_until_complete(result)
        return result


@pytest.fixture
def moderation(drive: Driver) -> Group:
    return Group(drive, "moderation")


@pytest.fixture
def categories(drive: Driver) -> Group:
    return Group(drive, "categories")


@pytest.fixture
def ks(sandbox: Sandbox) -> Iterator[str]:
    yield sandbox.customer.admin_ks(PARTNER)


def _entry(sandbox: Sandbox, name: str, moderation: int, status: str = "2") -> str:
    entry_id = sandbox.customer.add_entry(PARTNER, name)
    with sandbox.state.lock:
        data = sandbox.state.entries[entry_id].data
        data["moderationStatus"] = moderation
        data["status"] = status
    return entry_id


def _calls(sandbox: Sandbox, since: int) -> list[tuple[str, str, str]]:
    return [(r.service.lower(), r.action.lower(), r.ks_kind) for r in sandbox.request_log[since:]]


@pytest.mark.rule("MOD-6")
def test_flag_an_entry_by_id_with_the_partner_ks(
    moderation: Group, sandbox: Sandbox, ks: str
) -> None:
    since = len(sandbox.request_log)
    flag = moderation("flag", LECTURE, ModerationFlagType.COPYRIGHT, ks=ks, comments="a film clip")
    assert isinstance(flag, ModerationFlag)
    assert flag.flagged_entry_id == LECTURE and flag.flag_type is ModerationFlagType.COPYRIGHT
    # the status is read first (an id says nothing about it), then the flag: both as the partner
    assert _calls(sandbox, since) == [("baseentry", "get", "admin"), ("baseentry", "flag", "admin")]
    assert sandbox.entry(LECTURE)["moderationStatus"] == EntryModerationStatus.FLAGGED_FOR_REVIEW
    flags = moderation("list_flags", LECTURE, ks=ks)
    assert [f.comments for f in flags] == ["a film clip"]
    # a flagged entry may be flagged again
    moderation("flag", LECTURE, 2, ks=ks)
    assert len(moderation("list_flags", LECTURE, ks=ks)) == 2


@pytest.mark.rule("MOD-6")
@pytest.mark.parametrize(
    "status", [EntryModerationStatus.REJECTED, EntryModerationStatus.PENDING_MODERATION]
)
def test_flagging_is_refused_from_rejected_or_pending_without_a_request(
    moderation: Group, sandbox: Sandbox, ks: str, status: EntryModerationStatus
) -> None:
    entry_id = _entry(sandbox, "held back", int(status))
    known = BaseEntry(id=entry_id, moderation_status=status)
    since = len(sandbox.request_log)
    with pytest.raises(CannotFlagError, match=f"entry {entry_id} is {status.name}") as caught:
        moderation("flag", known, ModerationFlagType.SPAM_COMMERCIALS, ks=ks)
    assert caught.value.status is status
    assert sandbox.request_log[since:] == []
    # given only the id, the entry is read, and no flag is sent
    with pytest.raises(CannotFlagError):
        moderation("flag", entry_id, ModerationFlagType.SPAM_COMMERCIALS, ks=ks)
    assert _calls(sandbox, since) == [("baseentry", "get", "admin")]
    assert sandbox.flags() == []


@pytest.mark.rule("MOD-6")
def test_the_servers_refusal_is_the_same_error(
    moderation: Group, sandbox: Sandbox, ks: str
) -> None:
    entry_id = _entry(sandbox, "rejected meanwhile", int(EntryModerationStatus.REJECTED))
    stale = BaseEntry(id=entry_id, moderation_status=EntryModerationStatus.APPROVED)
    with pytest.raises(CannotFlagError, match="the server refused") as caught:
        moderation("flag", stale, ModerationFlagType.SEXUAL_CONTENT, ks=ks)
    assert getattr(caught.value.__cause__, "code", None) == "ENTRY_CANNOT_BE_FLAGGED"


@pytest.mark.rule("MOD-6")
def test_approve_and_reject_moderate_the_pending_flags(
    moderation: Group, sandbox: Sandbox, ks: str
) -> None:
    moderation("flag", LECTURE, ModerationFlagType.VIOLENT_REPULSIVE, ks=ks)
    assert moderation("approve", LECTURE, ks=ks) is None
    assert sandbox.entry(LECTURE)["moderationStatus"] == EntryModerationStatus.APPROVED
    assert len(moderation("list_flags", LECTURE, ks=ks)) == 0
    assert [f["status"] for f in sandbox.flags()] == [2]  # MODERATED
    moderation("reject", LECTURE, ks=ks)
    assert sandbox.entry(LECTURE)["moderationStatus"] == EntryModerationStatus.REJECTED


@pytest.mark.rule("MOD-6")
def test_the_queue_lists_ready_entries_pending_or_flagged(
    moderation: Group, sandbox: Sandbox, ks: str
) -> None:
    pending = _entry(sandbox, "pending", 1)
    flagged = _entry(sandbox, "flagged", 5)
    _entry(sandbox, "approved", 2)
    _entry(sandbox, "rejected", 3)
    _entry(sandbox, "pending, still converting", 1, status="1")
    queue = moderation("queue", ks=ks)
    assert [e.id for e in queue] == [pending, flagged]
    assert {e.moderation_status for e in queue} == {
        EntryModerationStatus.PENDING_MODERATION,
        EntryModerationStatus.FLAGGED_FOR_REVIEW,
    }


@pytest.mark.rule("MOD-6")
def test_bulk_approve_reports_each_entry_in_one_request(
    moderation: Group, sandbox: Sandbox, ks: str
) -> None:
    first = _entry(sandbox, "one", 1)
    second = _entry(sandbox, "two", 5)
    since = len(sandbox.request_log)
    results = moderation("bulk_approve", [first, "1_missing0", second], ks=ks)
    assert [r.entry_id for r in results] == [first, "1_missing0", second]
    assert [r.ok for r in results] == [True, False, True]
    assert isinstance(results[1].error, ObjectNotFoundError)
    assert results[1].error.code == "ENTRY_ID_NOT_FOUND"
    log = sandbox.request_log[since:]
    assert [r.multirequest_index for r in log] == [1, 2, 3]  # one HTTP request
    for entry_id in (first, second):
        assert sandbox.entry(entry_id)["moderationStatus"] == EntryModerationStatus.APPROVED
    rejected = moderation("bulk_reject", [first], ks=ks)
    assert [r.ok for r in rejected] == [True]
    assert sandbox.entry(first)["moderationStatus"] == EntryModerationStatus.REJECTED
    assert moderation("bulk_reject", [], ks=ks) == ()


@pytest.mark.rule("MOD-6")
def test_category_activate_and_reject(categories: Group, sandbox: Sandbox, ks: str) -> None:
    def status() -> int:
        (link,) = [c for c in sandbox.category_entries() if c["entryId"] == LECTURE]
        return int(link["status"])

    since = len(sandbox.request_log)
    assert categories("activate", LECTURE, CATEGORY, ks=ks) is None
    assert status() == 2
    # only a PENDING category entry is activated or rejected (the server's rule)
    with pytest.raises(ApiError) as caught:
        categories("reject", LECTURE, CATEGORY, ks=ks)
    assert caught.value.code == "CANNOT_REJECT_CATEGORY_ENTRY_SINCE_IT_IS_NOT_PENDING"
    with sandbox.state.lock:
        sandbox.state.category_entries[(CATEGORY, LECTURE)]["status"] = 1
    categories("reject", LECTURE, CATEGORY, ks=ks)
    assert status() == 4
    assert _calls(sandbox, since) == [
        ("categoryentry", "activate", "admin"),
        ("categoryentry", "reject", "admin"),
        ("categoryentry", "reject", "admin"),
    ]


@pytest.mark.rule("MOD-6")
def test_the_partner_ks_is_required_and_never_shown(
    moderation: Group, categories: Group, sandbox: Sandbox, ks: str
) -> None:
    with pytest.raises(TypeError):
        moderation("approve", LECTURE)  # ks= is a required keyword
    with pytest.raises(UsageError, match="customer partner's KS"):
        moderation("approve", LECTURE, ks=" ")
    with pytest.raises(UsageError, match="category id"):
        categories("activate", LECTURE, "9001", ks=ks)
    since = len(sandbox.request_log)
    with pytest.raises(UsageError, match=r"ModerationFlagType \(1-6\), got 7"):
        moderation("flag", LECTURE, 7, ks=ks)  # MOD-6: flag types 1-6
    with pytest.raises(UsageError, match="at most 1024"):
        moderation("flag", LECTURE, 1, ks=ks, comments="x" * 1025)
    assert sandbox.request_log[since:] == []
    with pytest.raises(ObjectNotFoundError) as caught:
        moderation("approve", "1_missing0", ks=ks)
    assert ks not in str(caught.value) and ks not in repr(caught.value)
    assert sandbox.entry(LECTURE)["moderationStatus"] == EntryModerationStatus.AUTO_APPROVED


def test_the_groups_are_bound_once_per_client(drive: Driver) -> None:
    client = drive.client
    assert client.moderation is client.moderation
    assert client.categories is client.categories
    assert type(client.moderation).__name__ == (
        "SyncModeration" if drive.kind == "sync" else "AsyncModeration"
    )
    assert "MOD-6" in (type(client.moderation).flag.__doc__ or "")
