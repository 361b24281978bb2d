"""The pure lifecycle rules: transitions, access-key validity, TAT, fairness, identity."""

from __future__ import annotations

import datetime as dt

import pytest

from kaltura_reach_vendor import (
    EntryVendorTask,
    IllegalTransitionError,
    TaskKey,
    UsageError,
    fair_order,
    parse,
    task_key,
)
from kaltura_reach_vendor.access_keys import MIN_VALIDITY, estimate_expiry, validity_seconds
from kaltura_reach_vendor.enums import EntryVendorTaskStatus as S
from kaltura_reach_vendor.enums import VendorServiceTurnAroundTime as TAT
from kaltura_reach_vendor.enums import VendorServiceType
from kaltura_reach_vendor.lifecycle import FINAL, allowed_targets, check_transition, error_text
from kaltura_reach_vendor.tat import (
    TatAlert,
    TatMonitor,
    TatState,
    add_business_days,
    deadline,
    human_job_details,
)

UTC = dt.timezone.utc


@pytest.mark.rule("LIFE-1")
def test_life_1_status_values_and_final_set() -> None:
    assert [int(s) for s in S] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert {s for s in S if s.is_final} == FINAL == {S.READY, S.REJECTED, S.ERROR, S.ABORTED}


@pytest.mark.rule("LIFE-2")
@pytest.mark.rule("LIFE-3")
@pytest.mark.rule("LIFE-9")
@pytest.mark.parametrize(
    ("current", "target", "live", "ok"),
    [
        (S.PENDING, S.PROCESSING, False, True),
        (S.PROCESSING, S.READY, False, True),
        (S.PENDING, S.READY, False, False),  # LIFE-2: claim first
        (S.PENDING, S.SCHEDULED, False, False),  # only live tasks are scheduled
        (S.PENDING, S.SCHEDULED, True, True),  # LIFE-3
        (S.PENDING, S.PROCESSING, True, False),  # live: register first
        (S.SCHEDULED, S.PROCESSING, True, True),
        (S.PROCESSING, S.READY, True, True),
        (S.PENDING, S.ERROR, False, True),
        (S.PENDING_MODERATION, S.ERROR, False, True),
        (S.PENDING_MODERATION, S.PROCESSING, False, False),
    ]
    + [(final, target, live, False) for final in FINAL for target in S for live in (False, True)],
)
def test_transition_table(current: S, target: S, live: bool, ok: bool) -> None:
    assert (target in allowed_targets(current, live=live)) is ok
    if ok:
        check_transition(current, target, live=live)
    else:
        with pytest.raises(IllegalTransitionError):
            check_transition(current, target, live=live, task_id=5)


@pytest.mark.rule("LIFE-4")
def test_life_4_error_text_is_short_single_line_and_non_empty() -> None:
    assert error_text("  bad\n\taudio  ") == "bad audio"
    assert len(error_text("x" * 10_000)) == 500
    with pytest.raises(UsageError):
        error_text("\n \t")


@pytest.mark.rule("KEY-1")
@pytest.mark.parametrize(
    ("tat", "seconds"),
    [
        (None, MIN_VALIDITY),
        (-1, MIN_VALIDITY),
        (5, MIN_VALIDITY),
        (1800, MIN_VALIDITY),
        (302400, MIN_VALIDITY),
        (432000, 864_000),
        (864000, 1_728_000),
    ],
)
def test_key_1_validity_is_max_of_7_days_and_twice_tat(tat: int | None, seconds: int) -> None:
    assert validity_seconds(tat) == seconds


@pytest.mark.rule("KEY-1")
def test_key_1_v1_ks_states_its_own_expiry() -> None:
    import base64

    v1 = base64.b64encode(("f" * 40 + "|1001;1001;1900000123;0;1;;edit:x").encode()).decode()
    assert estimate_expiry(v1, 0, None) == 1900000123
    v2 = base64.urlsafe_b64encode(b"v2|1001|opaque").decode()
    assert estimate_expiry(v2, 1000.0, 864000) == 1000.0 + 1_728_000
    assert estimate_expiry(None, 1000.0, None) is None


def _task(**fields: object) -> EntryVendorTask:
    return parse({"objectType": "KalturaEntryVendorTask", **fields}, EntryVendorTask)


@pytest.mark.rule("TAT-1")
def test_tat_1_expected_finish_time_is_authoritative() -> None:
    task = _task(id=1, createdAt=1_000_000, turnAroundTime=1800, expectedFinishTime=1_100_000)
    limit = deadline(task)
    assert limit is not None and limit.source == "expectedFinishTime"
    assert limit.due == dt.datetime.fromtimestamp(1_100_000, UTC)


@pytest.mark.rule("TAT-1")
@pytest.mark.parametrize(
    ("tat", "due_after"),
    [(1800, dt.timedelta(seconds=1800)), (0, dt.timedelta(0)), (-1, dt.timedelta(days=7))],
)
def test_tat_1_seconds_immediate_and_best_effort(tat: int, due_after: dt.timedelta) -> None:
    start = int(dt.datetime(2026, 11, 18, 15, tzinfo=UTC).timestamp())  # a Wednesday
    limit = deadline(_task(id=1, queueTime=start, turnAroundTime=tat))
    assert limit is not None and limit.source == "computed"
    assert limit.due - limit.start == due_after


@pytest.mark.rule("TAT-1")
def test_tat_1_business_days_skip_weekends() -> None:
    friday = dt.datetime(2026, 11, 20, 15, tzinfo=UTC)
    assert add_business_days(friday, 1).date() == dt.date(2026, 11, 23)  # Monday
    assert add_business_days(friday, 5).date() == dt.date(2026, 11, 27)
    saturday = dt.datetime(2026, 11, 21, 15, tzinfo=UTC)
    assert add_business_days(saturday, 1).date() == dt.date(2026, 11, 24)
    limit = deadline(_task(id=1, queueTime=int(friday.timestamp()), turnAroundTime=2))
    assert limit is not None and limit.due.date() == dt.date(2026, 11, 24)


@pytest.mark.rule("TAT-2")
def test_tat_2_halfway_and_overdue_alerts_fire_once_each() -> None:
    start = 1_800_000_000
    task = _task(id=9, queueTime=start, turnAroundTime=7200, status=3)
    seen: list[TatAlert] = []
    monitor = TatMonitor(seen.append)
    at = lambda s: dt.datetime.fromtimestamp(start + s, UTC)  # noqa: E731
    assert monitor.check([task], at(3000)) == []
    assert [a.state for a in monitor.check([task], at(3600))] == [TatState.HALFWAY]
    assert monitor.check([task], at(5000)) == []
    assert [a.state for a in monitor.check([task], at(7200))] == [TatState.OVERDUE]
    assert monitor.check([task], at(9000)) == []
    assert [a.state for a in seen] == [TatState.HALFWAY, TatState.OVERDUE]


@pytest.mark.rule("TAT-2")
def test_tat_2_a_late_first_look_reports_both_in_order() -> None:
    task = _task(id=3, queueTime=0 + 1_800_000_000, turnAroundTime=1800, status=1)
    alerts = TatMonitor().check([task], dt.datetime.fromtimestamp(1_900_000_000, UTC))
    assert [a.state for a in alerts] == [TatState.HALFWAY, TatState.OVERDUE]


@pytest.mark.rule("TAT-3")
@pytest.mark.rule("INPUT-4")
def test_tat_3_human_job_details() -> None:
    task = _task(
        id=4,
        queueTime=1_800_000_000,
        expectedFinishTime=1_800_086_400,
        turnAroundTime=86400,
        serviceType=int(VendorServiceType.HUMAN),
        notes="Speaker names: Dana, Eli",
        dictionary="Kaltura\nREACH",
    )
    details = human_job_details(task)
    assert details.expected_finish_time == dt.datetime.fromtimestamp(1_800_086_400, UTC)
    assert details.turn_around_time == TAT.TWENTY_FOUR_HOURS
    assert details.notes == "Speaker names: Dana, Eli"
    assert details.dictionary_terms == ("Kaltura", "REACH")


@pytest.mark.rule("TAT-4")
def test_tat_4_overdue_error_is_a_final_state_not_a_crash() -> None:
    task = _task(id=5, status=6, errDescription="Job Due Date was exceeded in 100%")
    assert task.is_final
    assert TatMonitor().check([task], dt.datetime.now(UTC)) == []
    with pytest.raises(IllegalTransitionError, match="LIFE-9"):
        check_transition(task.status, S.READY, live=False)


@pytest.mark.rule("POLL-7")
def test_poll_7_round_robin_by_customer() -> None:
    tasks = [_task(id=i, partnerId=p) for i, p in enumerate([1, 1, 1, 1, 2, 3, 3])]
    order = [(t.partner_id, t.id) for t in fair_order(tasks)]
    assert order == [(1, 0), (2, 4), (3, 5), (1, 1), (3, 6), (1, 2), (1, 3)]


@pytest.mark.rule("POLL-5")
def test_poll_5_identity_includes_the_region() -> None:
    task = _task(id=42)
    us = task_key("https://api.kaltura.com/", task)
    eu = task_key("https://api.eu.kaltura.com", task)
    assert us == TaskKey("https://api.kaltura.com", 42) and us != eu
    assert len({us, eu, task_key("https://api.kaltura.com", task)}) == 2
