"""The vendor's caption websocket: Kaltura's caption puller connects, captions flow out.

At the scheduled time Kaltura connects to the ``captionUrl`` the vendor registered
(``register_live_feature``) and reads caption messages (reference §15.2) from it.
:func:`serve_captions` runs that endpoint on the ``websockets`` library (imported only when
an endpoint starts); :func:`serve_captions_in_thread` runs it on a background thread for a
synchronous vendor. The engine puts messages into a :class:`CaptionFeed` from any thread; the
endpoint sends them, in order, to the connected puller.

Token convention (an assumption: Kaltura documents no wire format, reference §11; its guide
says the per-stream token's use is "up to the vendor"). The puller presents the
``captionToken`` as ``Authorization: Bearer <token>``, or, failing that, as a ``token`` query
parameter of the URL. Anything else is refused at the handshake with HTTP 401, before any
caption is sent; the comparison is constant-time (``hmac.compare_digest``). The token is
registered as a secret: it never appears in logs, reprs or errors, the ``websockets`` records
included (they go to the SDK's masked logger).

One puller at a time: a new authenticated connection takes over from the previous one (closed
with code 1001), as a reconnecting puller would. Messages put while nobody is connected wait
in the feed (up to ``backlog``, oldest dropped first) and go out when the puller connects; a
message whose send fails goes back to the head of the feed. After the end-of-stream message
the connection is closed normally (1000).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hmac
import json
import secrets
import threading
from collections.abc import Mapping
from http import HTTPStatus
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from .._log import get_logger
from .._secrets import register_secret
from ..errors import ConfigurationError, StateError, UsageError
from .stream import CaptionMessage

if TYPE_CHECKING:  # pragma: no cover - typing only; websockets is imported lazily
    from ssl import SSLContext

    from websockets.asyncio.server import Server, ServerConnection
    from websockets.http11 import Request, Response

__all__ = [
    "MIN_TOKEN_LENGTH",
    "CaptionEndpoint",
    "CaptionFeed",
    "ThreadedCaptionEndpoint",
    "check_caption_token",
    "new_caption_token",
    "serve_captions",
    "serve_captions_in_thread",
]

log = get_logger("live.endpoint")
#: Shortest caption token accepted (a guessable token would open the stream to anyone).
MIN_TOKEN_LENGTH = 16


def new_caption_token() -> str:
    """A fresh random caption token (256 bits, URL-safe), registered as a secret."""
    token = secrets.token_urlsafe(32)
    register_secret(token)
    return token


def check_caption_token(token: object) -> str:
    """Refuse a token that is not a string of at least :data:`MIN_TOKEN_LENGTH` printable,
    non-space ASCII characters (it travels in an HTTP header); register it as a secret."""
    if not isinstance(token, str):
        raise UsageError(f"a caption token is a string, not {type(token).__name__}")
    if len(token) < MIN_TOKEN_LENGTH or not all(33 <= ord(c) < 127 for c in token):
        raise UsageError(  # the token itself is never part of the message
            f"a caption token needs at least {MIN_TOKEN_LENGTH} printable ASCII characters "
            "without spaces (new_caption_token() makes one)"
        )
    register_secret(token)
    return token


def presented_token(headers: Mapping[str, str], path: str) -> str | None:
    """The token a connection presents: ``Authorization: Bearer …``, else ``?token=…``."""
    auth = headers.get("Authorization")
    if auth:
        scheme, _, value = auth.strip().partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    query = path.partition("?")[2]
    values = parse_qs(query).get("token") if query else None
    return values[0] if values else None


def token_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison (``hmac.compare_digest``) of the presented token."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class CaptionFeed:
    """Messages waiting for the caption endpoint, in order. Thread-safe: :meth:`put` from
    the engine's thread (or coroutine), :meth:`close` when no more will come.

    A text message is checked against §15.2 (:meth:`CaptionMessage.from_json`) first.
    """

    def __init__(self, backlog: int = 10_000) -> None:
        if backlog < 1:
            raise UsageError(f"backlog must be at least 1, got {backlog}")
        self._lock = threading.Lock()
        self._items: collections.deque[tuple[str, bool]] = collections.deque(maxlen=backlog)
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None
        #: Messages sent to a puller so far.
        self.sent = 0
        #: Messages dropped because the backlog was full.
        self.dropped = 0

    def put(self, message: CaptionMessage | Mapping[str, Any] | str) -> None:
        """Queue one message for the puller."""
        if isinstance(message, CaptionMessage):
            parsed = message
        else:
            parsed = CaptionMessage.from_json(
                message if isinstance(message, str) else json.loads(json.dumps(message))
            )
        with self._lock:
            if self._closed:
                raise StateError("the caption feed is closed (end of stream)")
            if len(self._items) == self._items.maxlen:
                self.dropped += 1
            self._items.append((parsed.dumps(), parsed.is_end_of_stream))
            if parsed.is_end_of_stream:
                self._closed = True
        self._wake()

    def close(self) -> None:
        """No more messages: the endpoint closes the connection once the feed is drained."""
        with self._lock:
            self._closed = True
        self._wake()

    @property
    def closed(self) -> bool:
        with self._lock:
            return self._closed

    @property
    def pending(self) -> int:
        """Messages not sent yet."""
        with self._lock:
            return len(self._items)

    # -- the endpoint's side (its event loop) ----------------------------------------------
    def _bind(self, loop: asyncio.AbstractEventLoop) -> None:
        with self._lock:
            self._loop = loop
            self._event = asyncio.Event()

    def _wake(self) -> None:
        with self._lock:
            loop, event = self._loop, self._event
        if loop is not None and event is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed: nobody is waiting
                loop.call_soon_threadsafe(event.set)

    async def _wait(self) -> None:
        while True:
            with self._lock:
                if self._items or self._closed:
                    return
                event = self._event
                assert event is not None, "the feed is not bound to an endpoint"
                event.clear()
            await event.wait()

    def _pop(self) -> tuple[str, bool] | None:
        with self._lock:
            return self._items.popleft() if self._items else None

    def _unget(self, item: tuple[str, bool]) -> None:
        with self._lock:
            self._items.appendleft(item)

    def _finished(self) -> bool:
        with self._lock:
            return self._closed and not self._items


class CaptionEndpoint:
    """A running caption websocket (from :func:`serve_captions`); ``url`` is what to register
    as ``captionUrl`` (with ``host`` as the puller reaches it: see ``public_url``)."""

    def __init__(self, feed: CaptionFeed, token: str, path: str | None) -> None:
        self.feed = feed
        self._token = token
        self.path = path
        self.url = ""
        self._server: Server | None = None
        self._active: ServerConnection | None = None
        #: Authenticated connections so far.
        self.connections = 0
        #: Connections refused at the handshake (wrong or missing token, wrong path).
        self.refused = 0

    def __repr__(self) -> str:
        return (
            f"CaptionEndpoint(url={self.url!r}, connections={self.connections}, "
            f"refused={self.refused})"
        )

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        where, _, _ = request.path.partition("?")
        if self.path is not None and where != self.path:
            self.refused += 1
            log.warning("refused a caption connection to an unknown path")
            return connection.respond(HTTPStatus.NOT_FOUND, "Not Found\n")
        given = presented_token(request.headers, request.path)
        if not token_matches(self._token, given):
            self.refused += 1
            why = "no caption token" if given is None else "a wrong caption token"
            log.warning("refused a caption connection from %s: %s", connection.remote_address, why)
            return connection.respond(HTTPStatus.UNAUTHORIZED, "Unauthorized\n")
        return None

    async def _handler(self, connection: ServerConnection) -> None:
        from websockets.exceptions import ConnectionClosed

        previous, self._active = self._active, connection
        if previous is not None:
            await previous.close(1001, "superseded by a new connection")
        self.connections += 1
        log.info("caption puller connected from %s", connection.remote_address)
        try:
            while True:
                if self.feed._finished():
                    await connection.close(1000, "end of stream")
                    return
                waiter = asyncio.ensure_future(self.feed._wait())
                closing = asyncio.ensure_future(connection.wait_closed())
                done, _ = await asyncio.wait({waiter, closing}, return_when=asyncio.FIRST_COMPLETED)
                for task in (waiter, closing):
                    if task not in done:
                        task.cancel()
                if waiter not in done:
                    return  # the puller went away
                item = self.feed._pop()
                if item is None:
                    continue  # closed and drained: the check above ends the connection
                try:
                    await connection.send(item[0])
                except ConnectionClosed:
                    self.feed._unget(item)
                    return
                self.feed.sent += 1
                if item[1]:
                    await connection.close(1000, "end of stream")
                    return
        finally:
            if self._active is connection:
                self._active = None
            log.info("caption puller disconnected")

    async def close(self) -> None:
        """Stop listening and close the connection, if any."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> CaptionEndpoint:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


async def serve_captions(
    feed: CaptionFeed,
    *,
    token: str,
    host: str = "127.0.0.1",
    port: int = 0,
    path: str | None = None,
    ssl: SSLContext | None = None,
    public_url: str | None = None,
) -> CaptionEndpoint:
    """Start the caption websocket on the running event loop; return it once listening.

    :param feed: where the engine puts the messages (:class:`CaptionFeed`).
    :param token: the ``captionToken`` registered with Kaltura; a connection must present it
        (``Authorization: Bearer``, or ``?token=``) or is refused with HTTP 401.
    :param host, port: where to listen (port 0: any free port; see ``endpoint.url``).
    :param path: if given, only this path is served (others: 404).
    :param ssl: a server ``SSLContext`` for ``wss://`` (Kaltura connects over the internet:
        use TLS, here or in a proxy in front).
    :param public_url: the URL Kaltura reaches the endpoint at, when behind a proxy
        (defaults to ``ws[s]://host:port/path``).
    """
    from websockets.asyncio.server import serve

    check_caption_token(token)
    if path is not None and not path.startswith("/"):
        raise UsageError(f"path must start with '/', got {path!r}")
    endpoint = CaptionEndpoint(feed, token, path)
    feed._bind(asyncio.get_running_loop())
    try:
        server = await serve(
            endpoint._handler,
            host,
            port,
            process_request=endpoint._process_request,
            ssl=ssl,
            logger=log,
            server_header=None,
        )
    except OSError as error:  # the address is taken, or not ours
        raise ConfigurationError(
            f"the caption endpoint cannot listen on {host}:{port}: {error}"
        ) from error
    endpoint._server = server
    bound = next(iter(server.sockets)).getsockname()
    shown_host = host if ":" not in host else f"[{host}]"
    scheme = "wss" if ssl is not None else "ws"
    endpoint.url = public_url or f"{scheme}://{shown_host}:{bound[1]}{path or '/'}"
    log.info("caption endpoint listening on %s", endpoint.url)
    return endpoint


class ThreadedCaptionEndpoint:
    """A caption endpoint running on its own thread and event loop, for synchronous code
    (from :func:`serve_captions_in_thread`). ``close()`` (or ``with``) stops it."""

    def __init__(
        self, endpoint: CaptionEndpoint, loop: asyncio.AbstractEventLoop, thread: threading.Thread
    ) -> None:
        self.endpoint = endpoint
        self._loop = loop
        self._thread = thread

    @property
    def url(self) -> str:
        return self.endpoint.url

    @property
    def feed(self) -> CaptionFeed:
        return self.endpoint.feed

    @property
    def connections(self) -> int:
        return self.endpoint.connections

    @property
    def refused(self) -> int:
        return self.endpoint.refused

    def __repr__(self) -> str:
        return f"Threaded{self.endpoint!r}"

    def close(self, timeout: float = 10.0) -> None:
        """Stop the endpoint and its thread."""
        if self._loop.is_closed() or not self._thread.is_alive():
            return
        future = asyncio.run_coroutine_threadsafe(self.endpoint.close(), self._loop)
        try:
            future.result(timeout)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)

    def __enter__(self) -> ThreadedCaptionEndpoint:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def serve_captions_in_thread(
    feed: CaptionFeed,
    *,
    token: str,
    host: str = "127.0.0.1",
    port: int = 0,
    path: str | None = None,
    ssl: SSLContext | None = None,
    public_url: str | None = None,
    timeout: float = 10.0,
) -> ThreadedCaptionEndpoint:
    """:func:`serve_captions` on a background thread (its own event loop); returns once it
    listens. The engine keeps calling ``feed.put(...)`` from its own thread."""
    check_caption_token(token)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    thread = threading.Thread(
        target=_run_loop, args=(loop, started), name="caption-endpoint", daemon=True
    )
    thread.start()
    started.wait(timeout)
    started_endpoint = serve_captions(
        feed, token=token, host=host, port=port, path=path, ssl=ssl, public_url=public_url
    )
    future = asyncio.run_coroutine_threadsafe(started_endpoint, loop)
    try:
        endpoint = future.result(timeout)
    except BaseException:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        raise
    return ThreadedCaptionEndpoint(endpoint, loop, thread)


def _run_loop(loop: asyncio.AbstractEventLoop, started: threading.Event) -> None:
    asyncio.set_event_loop(loop)
    loop.call_soon(started.set)
    try:
        loop.run_forever()
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
