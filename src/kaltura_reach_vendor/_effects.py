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
from collections.abc import Callable, Generator
from typing import Any, TypeVar

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


def drive_sync(
    workflow: Workflow[T],
    http: httpx.Client,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``workflow`` to completion with blocking I/O."""
    outcome: Any = None
    failure: BaseException | None = None
    while True:
        try:
            effect = workflow.throw(failure) if failure is not None else workflow.send(outcome)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        outcome, failure = None, None
        if isinstance(effect, Sleep):
            sleep(effect.seconds)
            continue
        try:
            response = http.send(effect.request)
            outcome = HttpResult(response.status_code, response.headers, response.read())
        except httpx.HTTPError as exc:
            failure = transport_error(exc, effect)
        except ReachError as exc:  # raised by an injected transport
            failure = exc


async def drive_async(
    workflow: Workflow[T],
    http: httpx.AsyncClient,
    *,
    sleep: Callable[[float], Any] = asyncio.sleep,
) -> T:
    """Run ``workflow`` to completion with asyncio I/O."""
    outcome: Any = None
    failure: BaseException | None = None
    while True:
        try:
            effect = workflow.throw(failure) if failure is not None else workflow.send(outcome)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        outcome, failure = None, None
        if isinstance(effect, Sleep):
            await sleep(effect.seconds)
            continue
        try:
            response = await http.send(effect.request)
            outcome = HttpResult(response.status_code, response.headers, await response.aread())
        except httpx.HTTPError as exc:
            failure = transport_error(exc, effect)
        except ReachError as exc:
            failure = exc
