"""Business-day turnaround times (TAT 1–7), counted the way the server counts them.

Server facts (``plugins/reach/lib/model/EntryVendorTask.php``, ``calculateBusinessDays`` and
``calculateSecondsToNextBusinessDay``, called from ``preSave`` when a task becomes PENDING):

* The clock is read in **America/New_York** (the server switches PHP's default zone to it for
  the computation), not UTC; business hours are 06:00–18:00, Monday (1) to Friday (5).
* Each business day moves a deadline forward from the previous one:
  on Saturday or Sunday → the next Monday at 18:00; on a weekday between 06:00:00 and 18:00:00
  (both included) → the same wall-clock time the next day; before 06:00 → 18:00 the same day;
  after 18:00 → 18:00 the next day. A weekday step that lands on Saturday or Sunday is pushed
  two days further (Friday 14:00 → Monday 14:00).
* Days are added on the wall clock, so a step across a DST change is 23 or 25 hours long.

Without the tz database (some Windows installs), the United States rules since 2007 are used.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

ZONE = "America/New_York"
_START_HOUR = 6
_END_HOUR = 18


def _zone_functions() -> tuple[Callable[[int], _dt.datetime], Callable[[_dt.datetime], int]]:
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(ZONE)
    except Exception:  # no tz database: fall back to the fixed US rules
        return _us_eastern_local, _us_eastern_timestamp

    def local(ts: int) -> _dt.datetime:
        return _dt.datetime.fromtimestamp(ts, zone).replace(tzinfo=None)

    def timestamp(wall: _dt.datetime) -> int:
        return int(wall.replace(tzinfo=zone).timestamp())

    return local, timestamp


def _nth_sunday(year: int, month: int, nth: int) -> _dt.datetime:
    first = _dt.datetime(year, month, 1)
    return first + _dt.timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))


def _daylight_wall(wall: _dt.datetime) -> bool:
    start = _nth_sunday(wall.year, 3, 2).replace(hour=2)
    end = _nth_sunday(wall.year, 11, 1).replace(hour=2)
    return start <= wall < end


def _us_eastern_local(ts: int) -> _dt.datetime:
    standard = _dt.datetime(1970, 1, 1) + _dt.timedelta(seconds=ts - 5 * 3600)
    start = _nth_sunday(standard.year, 3, 2).replace(hour=2)
    end = _nth_sunday(standard.year, 11, 1).replace(hour=1)  # 02:00 daylight = 01:00 standard
    return standard + _dt.timedelta(hours=1) if start <= standard < end else standard


def _us_eastern_timestamp(wall: _dt.datetime) -> int:
    offset = 4 if _daylight_wall(wall) else 5
    return int((wall + _dt.timedelta(hours=offset) - _dt.datetime(1970, 1, 1)).total_seconds())


_local, _timestamp = _zone_functions()


def _end_of_day(wall: _dt.datetime) -> _dt.datetime:
    return wall.replace(hour=_END_HOUR, minute=0, second=0, microsecond=0)


def _next_deadline(wall: _dt.datetime) -> _dt.datetime:
    weekday = wall.isoweekday()
    if weekday > 5:
        return _end_of_day(wall + _dt.timedelta(days=8 - weekday))
    clock = (wall.hour, wall.minute, wall.second)
    if (_START_HOUR, 0, 0) <= clock <= (_END_HOUR, 0, 0):
        deadline = wall + _dt.timedelta(days=1)
    elif clock < (_START_HOUR, 0, 0):
        deadline = _end_of_day(wall)
    else:
        deadline = _end_of_day(wall + _dt.timedelta(days=1))
    if deadline.isoweekday() > 5:
        deadline += _dt.timedelta(days=2)
    return deadline


def business_days_seconds(days: int, now: int) -> int:
    """Seconds from ``now`` until ``days`` business days have passed (server arithmetic)."""
    total = 0
    for _ in range(days):
        current = now + total
        total += _timestamp(_next_deadline(_local(current))) - current
    return total
