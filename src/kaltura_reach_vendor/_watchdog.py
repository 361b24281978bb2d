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
"""

from __future__ import annotations

import contextlib
import socket
import threading
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
        self._timer: threading.Timer | None = None
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
            self._timer = threading.Timer(self._deadline, self._fire)
            self._timer.daemon = True
            self._timer.start()
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
            self._timer.cancel()

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
