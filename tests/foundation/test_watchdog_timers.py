"""The sync driver's shared deadline thread (``_watchdog._Timers``): one thread for every
request's deadline, callbacks in deadline order, cancellation that frees the entry."""

from __future__ import annotations

import threading
import time

from kaltura_reach_vendor._watchdog import _Timers


def test_callbacks_run_in_deadline_order_and_an_earlier_one_wakes_the_thread() -> None:
    timers = _Timers()
    fired: list[str] = []
    done = threading.Event()
    now = time.monotonic()
    timers.arm(now + 30, lambda: fired.append("late"))  # the thread sleeps towards this one
    timers.arm(now + 0.10, lambda: (fired.append("second"), done.set()))
    timers.arm(now + 0.05, lambda: fired.append("first"))
    assert done.wait(5), "an earlier deadline armed later must wake the thread"
    assert fired == ["first", "second"]


def test_a_cancelled_callback_never_runs_and_cancelled_entries_are_dropped() -> None:
    timers = _Timers()
    fired: list[int] = []
    now = time.monotonic()
    entries = [timers.arm(now + 60 + i, lambda i=i: fired.append(i)) for i in range(200)]
    for entry in entries[:150]:
        timers.cancel(entry)
    timers.cancel(entries[0])  # twice: nothing more
    assert len(timers._heap) <= 100  # rebuilt once more than half of it was cancelled
    soon = threading.Event()
    timers.arm(time.monotonic() + 0.05, soon.set)
    cancelled = timers.arm(time.monotonic() + 0.01, lambda: fired.append(-1))
    timers.cancel(cancelled)
    assert soon.wait(5)
    assert fired == []


def test_one_thread_serves_every_deadline() -> None:
    timers = _Timers()
    before = threading.active_count()
    entries = [timers.arm(time.monotonic() + 60, lambda: None) for _ in range(50)]
    assert threading.active_count() == before + 1
    for entry in entries:
        timers.cancel(entry)
