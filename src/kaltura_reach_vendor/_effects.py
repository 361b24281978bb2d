"""Sans-I/O effects and the two drivers that perform them.

Workflows (request building, retries, session renewal, the task helpers) are generators
that *yield* effects and receive their outcomes; they never touch the network or the clock
themselves. :func:`drive_sync` performs the effects with an ``httpx.Client`` and
``time.sleep``; :func:`drive_async` with an ``httpx.AsyncClient`` and ``asyncio.sleep``.
These two small loops are the only code that differs between ``ReachClient`` and
``AsyncReachClient``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Generator
from typing import Any, Generic, TypeVar

import attrs
import httpx

from .errors import ReachConnectionError, ReachError, ReachTimeoutError, TransportError

__all__ = ["Effect", "HttpResult", "Send", "Sleep", "Workflow", "drive_async", "drive_sync"]

T = TypeVar("T")


@attrs.frozen
class Send:
    """Send this HTTP request; the outcome is an :class:`HttpResult` or a TransportError."""

    request: httpx.Request
    service: str | None = None
    action: str | None = None


@attrs.frozen
class Sleep:
    """Wait this many seconds before going on."""

    seconds: float


@attrs.frozen
class HttpResult:
    status: int
    headers: httpx.Headers
    content: bytes


Effect = Send | Sleep
Workflow = Generator[Effect, Any, T]

# httpx errors raised before a single byte of the request could reach the server.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def transport_error(exc: httpx.HTTPError, effect: Send) -> TransportError:
    """The SDK's error for an httpx failure (no URL in the text: it may carry a KS)."""
    where = f"{effect.service}.{effect.action}" if effect.service else "request"
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


class _Stepper(Generic[T]):
    """Feeds outcomes into a workflow and hands out its next effect: the part both drivers
    share. ``next()`` is ``None`` once the workflow returned; its value is in ``result``."""

    def __init__(self, workflow: Workflow[T]) -> None:
        self._workflow = workflow
        self._outcome: Any = None
        self._failure: BaseException | None = None
        self.result: T

    def next(self) -> Effect | None:
        failure, self._failure = self._failure, None
        outcome, self._outcome = self._outcome, None
        try:
            if failure is not None:
                return self._workflow.throw(failure)
            return self._workflow.send(outcome)
        except StopIteration as stop:
            self.result = stop.value
            return None

    def answered(self, status: int, headers: httpx.Headers, content: bytes) -> None:
        self._outcome = HttpResult(status, headers, content)

    def failed(self, exc: Exception, effect: Send) -> None:
        self._failure = transport_error(exc, effect) if isinstance(exc, httpx.HTTPError) else exc


def drive_sync(
    workflow: Workflow[T],
    http: httpx.Client,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``workflow`` to completion with blocking I/O."""
    stepper = _Stepper(workflow)
    while (effect := stepper.next()) is not None:
        if isinstance(effect, Sleep):
            sleep(effect.seconds)
            continue
        try:
            response = http.send(effect.request)
            stepper.answered(response.status_code, response.headers, response.read())
        except (httpx.HTTPError, ReachError) as exc:  # ReachError: from an injected transport
            stepper.failed(exc, effect)
    return stepper.result


async def drive_async(
    workflow: Workflow[T],
    http: httpx.AsyncClient,
    *,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> T:
    """Run ``workflow`` to completion with asyncio I/O."""
    stepper = _Stepper(workflow)
    while (effect := stepper.next()) is not None:
        if isinstance(effect, Sleep):
            await sleep(effect.seconds)
            continue
        try:
            response = await http.send(effect.request)
            stepper.answered(response.status_code, response.headers, await response.aread())
        except (httpx.HTTPError, ReachError) as exc:
            stepper.failed(exc, effect)
    return stepper.result
