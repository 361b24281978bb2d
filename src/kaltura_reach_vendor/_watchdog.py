"""A wall-clock deadline for one blocking HTTP exchange (the sync driver's part).

httpx's timeouts apply to each socket operation: a server that sends one byte every half
second never trips a one-second read timeout, and a blocking ``recv`` cannot be cancelled
like a coroutine. The asyncio driver simply wraps the exchange in ``asyncio.wait_for``. The
sync driver arms a :class:`Watchdog`: a timer that, when the deadline passes, shuts down the
socket the exchange is using, so the blocked read returns at once and the driver reports a
timeout.

The socket is found through public httpx/httpcore hooks where they exist: the ``trace``
request extension reports the stream of a new connection (``connection.connect_tcp``), and
a response's ``network_stream`` extension covers the body. A request sent on a reused
keep-alive connection is matched in the connection pool's queue; that lookup reads httpcore
internals and is best effort (with other transports it finds nothing, and the deadline is
then checked between body chunks only).

All watchdogs of a process share one timer thread (:class:`_Timers`, a heap of deadlines):
arming one costs a heap push, not a new thread per request.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import httpx

__all__ = ["Watchdog"]


class Watchdog:
    """Arms a timer for ``deadline`` seconds around one ``http.send`` of ``request``."""

    def __init__(self, http: httpx.Client, request: httpx.Request, deadline: float | None) -> None:
        self._http = http
        self._request = request
        self._deadline = deadline
        self._stream: Any = None
        self._timer: list[Any] | None = None
        self._lock = threading.Lock()
        self._done = False
        self.fired = False
        if deadline is not None:
            previous = request.extensions.get("trace")
            request.extensions["trace"] = self._tracer(previous)

    def _tracer(self, previous: Any) -> Any:
        def trace(name: str, info: dict[str, Any]) -> None:
            if name == "connection.connect_tcp.complete" and "return_value" in info:
                self._stream = info["return_value"]
            if previous is not None:
                previous(name, info)

        return trace

    def attach(self, response: httpx.Response) -> None:
        """The headers arrived: the body is read from this response's stream."""
        stream = response.extensions.get("network_stream")
        if stream is not None:
            with self._lock:
                self._stream = stream

    def __enter__(self) -> Watchdog:
        if self._deadline is not None:
            self._timer = _TIMERS.arm(time.monotonic() + self._deadline, self._fire)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with self._lock:
            self._done = True
        if self._timer is not None:
            _TIMERS.cancel(self._timer)

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            stream = self._stream or self._pooled_stream()
            sock = _socket_of(stream)
            if sock is None:
                return
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _pooled_stream(self) -> Any:
        """The stream of the pooled connection serving this request (httpcore internals)."""
        try:
            transport = self._http._transport_for_url(self._request.url)
            pool = transport._pool  # type: ignore[attr-defined]
            for queued in list(pool._requests):
                if queued.request.extensions is self._request.extensions:
                    connection = queued.connection
                    inner = getattr(connection, "_connection", connection)
                    return getattr(inner, "_network_stream", None)
        except Exception:
            return None
        return None


def _socket_of(stream: Any) -> socket.socket | None:
    if stream is None:
        return None
    try:
        sock = stream.get_extra_info("socket")
    except Exception:
        return None
    return sock if isinstance(sock, socket.socket) else None


class _Timers:
    """One daemon thread calling each armed callback at its deadline (monotonic seconds).

    :meth:`cancel` drops a callback at once (the heap entry stays until it is cheaper to
    rebuild the heap than to keep it). The thread starts on first use, and again in a child
    process after ``fork``."""

    def __init__(self) -> None:
        self._heap: list[list[Any]] = []  # [when, order, callback or None when cancelled]
        self._order = itertools.count()
        self._cancelled = 0
        self._wake = threading.Condition(threading.Lock())
        self._pid: int | None = None

    def arm(self, when: float, callback: Callable[[], None]) -> list[Any]:
        entry = [when, next(self._order), callback]
        with self._wake:
            if self._pid != os.getpid():  # first use, or a child after fork
                self._pid = os.getpid()
                self._heap.clear()
                self._cancelled = 0
                threading.Thread(target=self._run, name="reach-deadlines", daemon=True).start()
            heapq.heappush(self._heap, entry)
            if self._heap[0] is entry:
                self._wake.notify()
        return entry

    def cancel(self, entry: list[Any]) -> None:
        with self._wake:
            if entry[2] is None:
                return
            entry[2] = None
            self._cancelled += 1
            if self._cancelled > 64 and self._cancelled * 2 > len(self._heap):
                self._heap = [e for e in self._heap if e[2] is not None]
                heapq.heapify(self._heap)
                self._cancelled = 0

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    wait = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._wake.wait(wait)
                entry = heapq.heappop(self._heap)
                callback, entry[2] = entry[2], None
                if callback is None:
                    self._cancelled -= 1
                    continue
            with contextlib.suppress(Exception):
                callback()


_TIMERS = _Timers()
