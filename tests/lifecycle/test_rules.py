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


@pytest.mark.rule("LIFE-2")
@pytest.mark.parametrize("live", [False, True])
def test_life_2_a_task_of_unknown_status_never_goes_back_to_pending(live: bool) -> None:
    """An unknown local status (None) leaves the decision to the server, except PENDING."""
    assert S.PENDING not in allowed_targets(None, live=live)
    with pytest.raises(IllegalTransitionError, match="UNKNOWN to PENDING"):
        check_transition(None, S.PENDING, live=live, task_id=5)
    for target in (S.PROCESSING, S.READY, S.ERROR):
        check_transition(None, target, live=live)  # the server decides these


@pytest.mark.rule("LIFE-1")
@pytest.mark.parametrize(
    ("current", "target", "live", "task_id", "message"),
    [
        (S.READY, S.ERROR, False, 5, "task 5: cannot go from READY to ERROR: a task in a final"),
        (S.ABORTED, S.PROCESSING, True, None, "task: cannot go from ABORTED to PROCESSING"),
        (S.PENDING, S.PROCESSING, True, 7, "PENDING to PROCESSING: a live task is registered"),
        (S.PENDING, S.SCHEDULED, False, 7, "to SCHEDULED: only live tasks are SCHEDULED (LIFE-3)"),
        (S.PENDING, S.READY, False, 7, "to READY: claim the task (PROCESSING) before delivering"),
        (S.PENDING, S.READY, True, 7, "to READY: claim the task (PROCESSING) before delivering"),
        (S.SCHEDULED, S.READY, True, 7, "from SCHEDULED to READY: claim the task"),
        (None, S.PENDING, False, 7, "task 7: cannot go from UNKNOWN to PENDING: see the lifecycle"),
        (S.PENDING_MODERATION, S.PROCESSING, False, 7, "PROCESSING: see the lifecycle table"),
        (S.SCHEDULED, S.PENDING, True, 7, "from SCHEDULED to PENDING: see the lifecycle table"),
    ],
)
def test_life_1_a_refused_transition_says_which_task_what_and_why(
    current: S | None, target: S, live: bool, task_id: int | None, message: str
) -> None:
    with pytest.raises(IllegalTransitionError) as info:
        check_transition(current, target, live=live, task_id=task_id)
    assert message in str(info.value)
    if current is not None and current in FINAL:
        assert "LIFE-9" in str(info.value)


@pytest.mark.rule("LIFE-4")
@pytest.mark.parametrize(
    ("reason", "text"),
    [
        ("x" * 500, "x" * 500),  # exactly the limit: kept whole
        ("x" * 498 + " " + "y" * 9, "x" * 498 + "…"),  # cut; no space left before "…"
        ("  " + "y" * 600, "y" * 499 + "…"),
    ],
)
def test_life_4_error_text_is_cut_only_beyond_the_limit(reason: str, text: str) -> None:
    assert error_text(reason) == text
    assert len(error_text(reason)) <= 500


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


@pytest.mark.rule("TAT-1")
@pytest.mark.parametrize(
    ("tat", "due"),
    [
        # 1 and 7 are the ends of the business-day range; 8 is a number of seconds again
        (1, dt.datetime(2026, 11, 19, 15, tzinfo=UTC)),
        (6, dt.datetime(2026, 11, 26, 15, tzinfo=UTC)),
        (7, dt.datetime(2026, 11, 27, 15, tzinfo=UTC)),
        (8, dt.datetime(2026, 11, 18, 15, 0, 8, tzinfo=UTC)),
    ],
)
def test_tat_1_business_day_range_is_1_to_7(tat: int, due: dt.datetime) -> None:
    wednesday = dt.datetime(2026, 11, 18, 15, tzinfo=UTC)
    limit = deadline(_task(id=1, queueTime=int(wednesday.timestamp()), turnAroundTime=tat))
    assert limit is not None and limit.source == "computed"
    assert limit.due == due


def _new_york_known() -> bool:
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo("America/New_York")
    except Exception:
        return False
    return True


@pytest.mark.rule("TAT-1")
@pytest.mark.skipif(not _new_york_known(), reason="no time zone database on this machine")
def test_tat_1_business_days_are_counted_in_new_york() -> None:
    # Friday 02:00 UTC is Thursday evening in New York: one business day later is Friday
    # evening there (Saturday 02:00 UTC); counted in UTC it would be Monday.
    thursday_evening = dt.datetime(2026, 11, 20, 2, tzinfo=UTC)
    assert add_business_days(thursday_evening, 1) == dt.datetime(2026, 11, 21, 2, tzinfo=UTC)
    assert add_business_days(thursday_evening, 1, UTC) == dt.datetime(2026, 11, 23, 2, tzinfo=UTC)
    sunday = dt.datetime(2026, 11, 22, 15, tzinfo=UTC)  # counts from Monday: due Tuesday
    assert add_business_days(sunday, 1) == dt.datetime(2026, 11, 24, 15, tzinfo=UTC)
    limit = deadline(_task(id=1, createdAt=int(thursday_evening.timestamp()), turnAroundTime=1))
    assert limit is not None and limit.due == dt.datetime(2026, 11, 21, 2, tzinfo=UTC)


@pytest.mark.rule("TAT-1")
@pytest.mark.parametrize("created_at", [None, 1_800_007_300])  # missing, or after the due time
def test_tat_1_without_a_usable_start_the_window_is_counted_back_from_the_due_time(
    created_at: int | None,
) -> None:
    due = dt.datetime.fromtimestamp(1_800_007_200, UTC)
    fields: dict[str, object] = {"id": 1, "expectedFinishTime": 1_800_007_200}
    if created_at is not None:
        fields["createdAt"] = created_at
    limit = deadline(_task(turnAroundTime=7200, **fields))
    assert limit is not None and limit.source == "expectedFinishTime"
    assert (limit.start, limit.due) == (due - dt.timedelta(hours=2), due)
    assert limit.state(due - dt.timedelta(minutes=61)) is TatState.ON_TIME
    assert limit.state(due - dt.timedelta(minutes=59)) is TatState.HALFWAY
    bare = deadline(_task(**fields))  # no TAT either: due at once
    assert bare is not None and bare.start == bare.due == due


@pytest.mark.rule("TAT-1")
def test_tat_1_no_deadline_without_a_start_or_a_tat() -> None:
    assert deadline(_task(id=1, createdAt=1_800_000_000)) is None
    assert deadline(_task(id=1, turnAroundTime=1800)) is None
    limit = deadline(_task(id=1, createdAt=1_800_000_000, turnAroundTime=1800))
    assert limit is not None and limit.start == dt.datetime.fromtimestamp(1_800_000_000, UTC)


@pytest.mark.rule("TAT-2")
def test_tat_2_a_final_task_or_one_without_a_deadline_does_not_stop_the_batch() -> None:
    start = 1_800_000_000
    now = dt.datetime.fromtimestamp(start + 7200, UTC)
    final = _task(id=1, status=6, queueTime=start, turnAroundTime=1800)
    undated = _task(id=2, status=3)
    late = _task(id=3, status=3, queueTime=start, turnAroundTime=1800)
    alerts = TatMonitor().check([final, undated, late], now)
    assert [(a.task_id, a.state) for a in alerts] == [
        (3, TatState.HALFWAY),
        (3, TatState.OVERDUE),
    ]
    assert all(a.deadline == deadline(late) and a.at == now for a in alerts)


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
    assert details.task_id == 4
    assert (details.source_language, details.target_language) == (None, None)


@pytest.mark.rule("TAT-3")
def test_tat_3_human_job_details_name_the_languages_of_the_catalog_item() -> None:
    item = {
        "objectType": "KalturaVendorTranslationCatalogItem",
        "serviceType": 1,
        "serviceFeature": 2,
        "sourceLanguage": "English",
        "targetLanguage": "Hebrew",
    }
    related = {"objectType": "KalturaVendorCatalogItemListResponse", "objects": [item]}
    task = _task(id=8, notes="n", relatedObjects={"reach_vendor_catalog_item": related})
    details = human_job_details(task)
    assert (details.task_id, details.notes) == (8, "n")
    assert (details.source_language, details.target_language) == ("English", "Hebrew")
    assert details.expected_finish_time is None  # no times on the task: no due time


@pytest.mark.rule("TAT-3")
@pytest.mark.rule("INPUT-4")
def test_input_4_notes_of_a_machine_job_are_not_handed_to_the_worker() -> None:
    task = _task(
        id=4,
        queueTime=1_800_000_000,
        turnAroundTime=1800,
        serviceType=int(VendorServiceType.MACHINE),
        notes="Speaker names: Dana, Eli",
        dictionary="Kaltura",
    )
    assert task.worker_notes is None
    details = human_job_details(task)
    assert details.notes is None
    assert details.dictionary_terms == ("Kaltura",)  # the dictionary is for machine jobs too
    assert details.turn_around_time == TAT.THIRTY_MINUTES


@pytest.mark.rule("TAT-4")
@pytest.mark.rule("TAT-2")
def test_tat_4_an_overdue_task_kaltura_moved_to_error_raises_no_alert() -> None:
    """Past its due time a running task is reported; once Kaltura made it ERROR, it is not."""
    start, now = 1_800_000_000, dt.datetime.fromtimestamp(1_800_100_000, UTC)
    fields = {"id": 5, "queueTime": start, "turnAroundTime": 1800}
    running = _task(status=3, **fields)
    overdue = _task(status=6, errDescription="Job Due Date was exceeded in 100%", **fields)
    limit = deadline(overdue)
    assert limit is not None and limit.state(now) is TatState.OVERDUE  # it has a deadline
    assert overdue.is_final
    monitor = TatMonitor()
    assert [a.state for a in monitor.check([running], now)] == [
        TatState.HALFWAY,
        TatState.OVERDUE,
    ]
    assert TatMonitor().check([overdue], now) == []
    # a task the monitor already reported, then seen final, is forgotten: no further alerts
    assert monitor.check([overdue], now) == []
    assert monitor.check([overdue], now + dt.timedelta(days=1)) == []
    with pytest.raises(IllegalTransitionError, match="LIFE-9"):
        check_transition(overdue.status, S.READY, live=False)


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
