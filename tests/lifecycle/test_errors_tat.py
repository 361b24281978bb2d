"""TAT helpers on absurd times from the server: a typed error per task, never a crash.

``createdAt``, ``queueTime``, ``expectedFinishTime`` and ``turnAroundTime`` come from the
network. Values no calendar can hold make :func:`deadline` and :func:`human_job_details`
raise :class:`ResponseValidationError` naming the task and the field, and one such task does
not stop :class:`TatMonitor` from alerting on the others (TAT-1, TAT-2).
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from kaltura_reach_vendor import EntryVendorTask, ReachError, ResponseValidationError, parse
from kaltura_reach_vendor.tat import (
    TatMonitor,
    TatProblem,
    TatState,
    deadline,
    human_job_details,
)

UTC = dt.timezone.utc
START = 1_800_000_000
HUGE = 10**20


def _task(**fields: object) -> EntryVendorTask:
    return parse({"objectType": "KalturaEntryVendorTask", "status": 1, **fields}, EntryVendorTask)


ABSURD = [
    ("createdAt", {"createdAt": HUGE, "turnAroundTime": 1800}),
    ("createdAt", {"createdAt": -HUGE, "turnAroundTime": 1800}),
    ("createdAt", {"createdAt": 10**12, "turnAroundTime": 3}),  # the year 33658
    ("queueTime", {"queueTime": HUGE, "createdAt": START, "turnAroundTime": 1800}),
    ("queueTime", {"queueTime": -(10**12), "turnAroundTime": 1800}),
    ("expectedFinishTime", {"createdAt": START, "expectedFinishTime": HUGE}),
    ("expectedFinishTime", {"createdAt": START, "expectedFinishTime": -HUGE}),
    ("expectedFinishTime", {"expectedFinishTime": 10**40, "turnAroundTime": 1800}),
    ("turnAroundTime", {"createdAt": START, "turnAroundTime": HUGE}),
    ("turnAroundTime", {"createdAt": START, "turnAroundTime": 2**63}),
    ("turnAroundTime", {"createdAt": START, "turnAroundTime": 10**12}),
    # counted back from the due time, because the start is after it
    (
        "turnAroundTime",
        {"createdAt": START + 1, "expectedFinishTime": START, "turnAroundTime": HUGE},
    ),
    # a real TAT that runs past the year 9999
    ("turnAroundTime", {"createdAt": 253_402_000_000, "turnAroundTime": 7}),
]


@pytest.mark.rule("TAT-1")
@pytest.mark.parametrize(("field", "fields"), ABSURD)
def test_tat_1_absurd_times_are_a_typed_error_naming_task_and_field(
    field: str, fields: dict[str, int]
) -> None:
    task = _task(id=41, **fields)
    with pytest.raises(ResponseValidationError) as info:
        deadline(task)
    assert "task 41" in str(info.value) and field in str(info.value)
    assert isinstance(info.value, ReachError)
    with pytest.raises(ResponseValidationError, match=field):
        human_job_details(task)


@pytest.mark.rule("TAT-1")
def test_tat_1_sane_extremes_still_compute() -> None:
    early = deadline(_task(id=1, createdAt=1, turnAroundTime=1800))
    assert early is not None and early.due == dt.datetime.fromtimestamp(1801, UTC)
    best = deadline(_task(id=2, createdAt=START, turnAroundTime=-(10**12)))  # below -1: immediate
    assert best is not None and best.due == best.start


def _at(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(START + seconds, UTC)


@pytest.mark.rule("TAT-2")
def test_tat_2_one_bad_task_does_not_break_the_batch(caplog: pytest.LogCaptureFixture) -> None:
    good = _task(id=1, queueTime=START, turnAroundTime=1800)
    bad = _task(id=2, queueTime=START, turnAroundTime=HUGE)
    later = _task(id=3, queueTime=START, turnAroundTime=7200)
    problems: list[TatProblem] = []
    monitor = TatMonitor(on_error=problems.append)
    with caplog.at_level(logging.WARNING, logger="kaltura_reach_vendor"):
        alerts = monitor.check([good, bad, later], _at(3600))
    assert [(a.task_id, a.state) for a in alerts] == [
        (1, TatState.HALFWAY),
        (1, TatState.OVERDUE),
        (3, TatState.HALFWAY),
    ]
    assert [p.task_id for p in monitor.problems] == [2] == [p.task_id for p in problems]
    problem = monitor.problems[0]
    assert isinstance(problem.error, ResponseValidationError) and problem.at == _at(3600)
    assert "task 2" in str(problem.error) and "turnAroundTime" in str(problem.error)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "task 2" in warnings[0].getMessage()


@pytest.mark.rule("TAT-2")
def test_tat_2_a_bad_task_is_reported_once_and_listed_on_every_check(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bad = _task(id=2, createdAt=HUGE, turnAroundTime=1800)
    problems: list[TatProblem] = []
    monitor = TatMonitor(on_error=problems.append)
    with caplog.at_level(logging.WARNING, logger="kaltura_reach_vendor"):
        monitor.check([bad], _at(0))
        monitor.check([bad], _at(10))
    assert len(problems) == 1 and len(monitor.problems) == 1  # still listed, not re-reported
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1
    assert monitor.check([], _at(20)) == [] and monitor.problems == []
    # Fixed by the server (or turned final): forgotten, so a new fault is reported again.
    fixed = _task(id=2, createdAt=START, turnAroundTime=1800)
    assert [a.state for a in monitor.check([fixed], _at(900))] == [TatState.HALFWAY]
    monitor.check([bad], _at(1000))
    assert len(problems) == 2


def test_a_monitor_without_on_error_still_reports_problems() -> None:
    monitor = TatMonitor()
    good = _task(id=1, queueTime=START, turnAroundTime=1800)
    bad = _task(id=9, expectedFinishTime=-HUGE)
    assert [a.task_id for a in monitor.check([bad, good], _at(1800))] == [1, 1]
    assert [p.task_id for p in monitor.problems] == [9]
