"""Sans-I/O effects and the two drivers that perform them.

Workflows (request building, retries, session renewal, the task helpers) are generators
that *yield* effects and receive their outcomes; they never touch the network, the clock or
a lock themselves. :func:`drive_sync` performs the effects with an ``httpx.Client``,
``time.sleep`` and ``threading.Lock``; :func:`drive_async` with an ``httpx.AsyncClient``,
``asyncio.sleep`` and ``asyncio.Lock``. These two small loops are the only code that differs
between ``ReachClient`` and ``AsyncReachClient``.

Effects:

* :class:`Send`: one HTTP exchange, never following redirects, with a total deadline
  (not only per read) and a maximum body size; the outcome is an :class:`HttpResult`.
* :class:`Sleep`: wait before going on (retry back-off).
* :class:`Acquire` / :class:`Release`: hold a :class:`Gate` (a lock owned by a client) so
  that one flow at a time runs a critical section, such as starting the vendor session.
  :func:`locked` wraps a flow in a gate; a driver releases whatever a flow still holds if
  the flow dies (an exception, a cancelled task).
* :class:`~kaltura_reach_vendor._transfer.ReadChunk`, ``FileSize`` and ``ProbeAudio``: short,
  bounded reads of a local file (an upload's chunk, its size, an audio file's headers), done
  inline by both drivers; their failures are handed to the workflow as outcomes.
* :class:`~kaltura_reach_vendor._transfer.Download` and
  :class:`~kaltura_reach_vendor._transfer.FetchSegments`: media streamed to a file with a
  fixed buffer (:mod:`._transfer`), never read into memory whole.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeAlias, TypeVar

import attrs
import httpx

from .errors import (
    ReachConnectionError,
    ReachError,
    ReachTimeoutError,
    ResponseTooLargeError,
    TransportError,
)

if TYPE_CHECKING:
    import asyncio

    from ._transfer import Download, FetchSegments, FileSize, ProbeAudio, ReadChunk

# asyncio and ._transfer (downloads, chunked reads, audio probes) are imported when first
# needed: a sync client that only makes API calls loads neither (tests/test_import_cost.py).

__all__ = [
    "Acquire",
    "Effect",
    "Gate",
    "HttpResult",
    "Release",
    "Send",
    "Sleep",
    "Workflow",
    "drive_async",
    "drive_sync",
    "locked",
]

T = TypeVar("T")


@attrs.frozen
class Send:
    """Send this HTTP request; the outcome is an :class:`HttpResult` or a TransportError."""

    request: httpx.Request
    service: str | None = None
    action: str | None = None
    #: Seconds the whole exchange (connect, send, headers, body) may take; None: no limit.
    deadline: float | None = None
    #: Largest body accepted, in bytes; a larger one raises ResponseTooLargeError.
    max_bytes: int | None = None
    #: API calls never follow redirects; media playlists may (playManifest → packager).
    follow_redirects: bool = False


# The small effects are NamedTuples: immutable, compared and shown like the attrs classes,
# and a fifth of the cost to define at import (tests/test_import_cost.py, docs/performance.md).
class Sleep(NamedTuple):
    """Wait this many seconds before going on."""

    seconds: float


class Gate:
    """A named lock owned by one client: the sync driver holds its ``threading.Lock``, the
    async driver its ``asyncio.Lock`` (made on first use, in the running loop)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.thread_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    def async_lock(self) -> asyncio.Lock:
        if self._async_lock is None:
            import asyncio

            self._async_lock = asyncio.Lock()
        return self._async_lock

    def __repr__(self) -> str:
        return f"Gate({self.name!r})"


class Acquire(NamedTuple):
    """Wait until ``gate`` is free, then hold it."""

    gate: Gate


class Release(NamedTuple):
    """Let go of ``gate``."""

    gate: Gate


class HttpResult(NamedTuple):
    status: int
    headers: httpx.Headers
    content: bytes


Effect: TypeAlias = (
    "Send | Sleep | Acquire | Release | Download | FetchSegments | ReadChunk | FileSize"
    " | ProbeAudio"
)
Workflow = Generator[Effect, Any, T]


def locked(gate: Gate, flow: Generator[Any, Any, T]) -> Generator[Any, Any, T]:
    """Run ``flow`` while holding ``gate``; released on success and on failure."""
    yield Acquire(gate)
    try:
        result = yield from flow
    except GeneratorExit:  # the driver is abandoning the workflow: it releases the gate
        raise
    except BaseException:
        yield Release(gate)
        raise
    yield Release(gate)
    return result


# httpx errors raised before a single byte of the request could reach the server.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _where(effect: Send) -> str:
    if not effect.service:
        return "request"
    return f"{effect.service}.{effect.action}" if effect.action else effect.service


def transport_error(exc: httpx.HTTPError, effect: Send) -> TransportError:
    """The SDK's error for an httpx failure (no URL in the text: it may carry a KS)."""
    where = _where(effect)
    never_sent = isinstance(exc, _NEVER_SENT)
    text = f"{where}: {type(exc).__name__}"
    detail = str(exc)
    if detail:
        text += f": {detail}"
    kwargs: dict[str, Any] = {"service": effect.service, "action": effect.action}
    if isinstance(exc, httpx.TimeoutException):
        return ReachTimeoutError(text, never_sent=never_sent, **kwargs)
    if isinstance(exc, httpx.TransportError):
        return ReachConnectionError(text, never_sent=never_sent, **kwargs)
    return TransportError(text, **kwargs)


def deadline_error(effect: Send) -> ReachTimeoutError:
    return ReachTimeoutError(
        f"{_where(effect)}: no complete answer within the {effect.deadline:g} s request deadline",
        service=effect.service,
        action=effect.action,
    )


class _Body:
    """Collects a response body, enforcing the size limit and the deadline between chunks."""

    def __init__(self, effect: Send, response: httpx.Response, started: float) -> None:
        self.effect = effect
        self.started = started
        self.chunks: list[bytes] = []
        self.size = 0
        declared = response.headers.get("content-length", "")
        if effect.max_bytes is not None and declared.isdigit() and int(declared) > effect.max_bytes:
            raise self._too_large(int(declared))

    def _too_large(self, size: int) -> ResponseTooLargeError:
        limit = self.effect.max_bytes
        return ResponseTooLargeError(
            f"{_where(self.effect)}: response body over the {limit} byte limit "
            f"({size} bytes or more); raise max_response_bytes if this is expected",
            service=self.effect.service,
            action=self.effect.action,
        )

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        limit = self.effect.max_bytes
        if limit is not None and self.size > limit:
            raise self._too_large(self.size)
        self.chunks.append(chunk)
        deadline = self.effect.deadline
        if deadline is not None and time.monotonic() - self.started > deadline:
            raise deadline_error(self.effect)

    def content(self) -> bytes:
        return b"".join(self.chunks)


class _Stepper(Generic[T]):
    """Feeds outcomes into a workflow and hands out its next effect: the part both drivers
    share. ``next()`` is ``None`` once the workflow returned; its value is in ``result``.
    ``held`` lists the gates the driver acquired for the workflow and has not released yet,
    so that a driver can free them if the workflow is abandoned (an error, a cancellation)."""

    def __init__(self, workflow: Workflow[T]) -> None:
        self._workflow = workflow
        self._outcome: Any = None
        self._failure: BaseException | None = None
        self.held: list[Gate] = []
        self.result: T

    def next(self) -> Effect | None:
        failure, self._failure = self._failure, None
        outcome, self._outcome = self._outcome, None
        try:
            if failure is not None:
                effect = self._workflow.throw(failure)
            else:
                effect = self._workflow.send(outcome)
        except StopIteration as stop:
            self.result = stop.value
            return None
        return effect

    def answered(self, status: int, headers: httpx.Headers, content: bytes) -> None:
        self._outcome = HttpResult(status, headers, content)

    def give(self, outcome: object) -> None:
        """The outcome of an effect that reports its own failures (downloads)."""
        self._outcome = outcome

    def failed(self, exc: Exception, effect: Send) -> None:
        self._failure = transport_error(exc, effect) if isinstance(exc, httpx.HTTPError) else exc

    def abandon(self) -> list[Gate]:
        """Close the workflow; returns the gates it still held (the driver frees them)."""
        self._workflow.close()
        held, self.held = self.held, []
        return held


def _local(effect: ReadChunk | FileSize) -> int | bytes | OSError:
    """Disk reads for uploads (one bounded chunk: done inline by both drivers). An OSError
    is handed to the workflow as the outcome, to raise as a typed error."""
    from ._transfer import ReadChunk, file_size, read_chunk

    try:
        return read_chunk(effect) if isinstance(effect, ReadChunk) else file_size(effect)
    except OSError as error:
        return error


def _transfer_sync(http: httpx.Client, effect: Any) -> object:
    """The outcome of a :mod:`._transfer` effect (the module is loaded: it made the effect)."""
    from ._transfer import (
        Download,
        FetchSegments,
        ProbeAudio,
        download_sync,
        probe_audio,
        segments_sync,
    )

    if isinstance(effect, Download):
        return download_sync(http, effect)
    if isinstance(effect, FetchSegments):
        return segments_sync(http, effect)
    if isinstance(effect, ProbeAudio):
        return probe_audio(effect)  # headers only: inline, like _local
    return _local(effect)


async def _transfer_async(http: httpx.AsyncClient, effect: Any) -> object:
    from ._transfer import (
        Download,
        FetchSegments,
        ProbeAudio,
        download_async,
        probe_audio,
        segments_async,
    )

    if isinstance(effect, Download):
        return await download_async(http, effect)
    if isinstance(effect, FetchSegments):
        return await segments_async(http, effect)
    if isinstance(effect, ProbeAudio):
        return probe_audio(effect)
    return _local(effect)


def _send_sync(http: httpx.Client, effect: Send) -> tuple[httpx.Response, bytes]:
    started = time.monotonic()
    from ._watchdog import Watchdog  # the sync driver's deadline timer, made on first use

    watchdog = Watchdog(http, effect.request, effect.deadline)
    with watchdog:
        try:
            response = http.send(
                effect.request, stream=True, follow_redirects=effect.follow_redirects
            )
        except httpx.HTTPError:
            if watchdog.fired:
                raise deadline_error(effect) from None
            raise
        watchdog.attach(response)
        try:
            body = _Body(effect, response, started)
            for chunk in response.iter_bytes():
                body.add(chunk)
        except httpx.HTTPError:
            if watchdog.fired:
                raise deadline_error(effect) from None
            raise
        finally:
            response.close()
    return response, body.content()


def drive_sync(
    workflow: Workflow[T],
    http: httpx.Client,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``workflow`` to completion with blocking I/O."""
    stepper = _Stepper(workflow)
    try:
        while (effect := stepper.next()) is not None:
            if isinstance(effect, Sleep):
                sleep(effect.seconds)
            elif isinstance(effect, Acquire):
                effect.gate.thread_lock.acquire()
                stepper.held.append(effect.gate)
            elif isinstance(effect, Release):
                stepper.held.remove(effect.gate)
                effect.gate.thread_lock.release()
            elif not isinstance(effect, Send):
                stepper.give(_transfer_sync(http, effect))  # a ._transfer effect
            else:
                try:
                    response, content = _send_sync(http, effect)
                    stepper.answered(response.status_code, response.headers, content)
                except (httpx.HTTPError, ReachError) as exc:  # ReachError: limits, transports
                    stepper.failed(exc, effect)
    finally:
        for gate in stepper.abandon():
            gate.thread_lock.release()
    return stepper.result


async def _send_async(http: httpx.AsyncClient, effect: Send) -> tuple[httpx.Response, bytes]:
    started = time.monotonic()

    async def exchange() -> tuple[httpx.Response, bytes]:
        response = await http.send(
            effect.request, stream=True, follow_redirects=effect.follow_redirects
        )
        try:
            body = _Body(effect, response, started)
            async for chunk in response.aiter_bytes():
                body.add(chunk)
        finally:
            await response.aclose()
        return response, body.content()

    if effect.deadline is None:
        return await exchange()
    import asyncio

    try:
        return await asyncio.wait_for(exchange(), effect.deadline)
    except asyncio.TimeoutError:
        raise deadline_error(effect) from None


async def drive_async(
    workflow: Workflow[T],
    http: httpx.AsyncClient,
    *,
    sleep: Callable[[float], Awaitable[Any]] | None = None,
) -> T:
    """Run ``workflow`` to completion with asyncio I/O (``sleep``: ``asyncio.sleep``)."""
    if sleep is None:
        import asyncio

        sleep = asyncio.sleep
    stepper = _Stepper(workflow)
    try:
        while (effect := stepper.next()) is not None:
            if isinstance(effect, Sleep):
                await sleep(effect.seconds)
            elif isinstance(effect, Acquire):
                await effect.gate.async_lock().acquire()
                stepper.held.append(effect.gate)
            elif isinstance(effect, Release):
                stepper.held.remove(effect.gate)
                effect.gate.async_lock().release()
            elif not isinstance(effect, Send):
                stepper.give(await _transfer_async(http, effect))  # a ._transfer effect
            else:
                try:
                    response, content = await _send_async(http, effect)
                    stepper.answered(response.status_code, response.headers, content)
                except (httpx.HTTPError, ReachError) as exc:
                    stepper.failed(exc, effect)
    finally:
        for gate in stepper.abandon():
            gate.async_lock().release()
    return stepper.result
