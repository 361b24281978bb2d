"""The sans-I/O core shared by ``ReachClient`` and ``AsyncReachClient``.

:class:`Engine` turns :class:`~kaltura_reach_vendor._wire.call.ApiCall` objects into
workflows: pick the KS (vendor session, a task's access key, or none; AUTH-7), build the
request with its client tag (AUTH-3), send it with the retry rules, decode the answer into
a value or a typed error, and renew the vendor KS once when the server says it expired
(AUTH-6). It never performs I/O: it yields :mod:`~kaltura_reach_vendor._effects` effects.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Generator, Sequence
from typing import Any

import attrs
import httpx

from ._effects import HttpResult, Send, Sleep
from ._log import get_logger
from ._secrets import mask_value, register_secret
from ._wire.call import ApiCall, SessionKind
from ._wire.request import build_multirequest, build_request
from ._wire.response import decode_multirequest, decode_response
from .client_tag import build_client_tag
from .errors import ConfigurationError, InvalidSessionError, ReachError
from .retry import RetryPolicy
from .session import DEFAULT_EXPIRY, Credentials, VendorSession, start_vendor_session

__all__ = ["ClientConfig", "Engine"]

log = get_logger(__name__)

Flow = Generator[Any, Any, Any]


@attrs.frozen
class ClientConfig:
    service_url: str
    vendor_partner_id: int
    vendor_name: str
    app_version: str
    credentials: Credentials | None = None
    retry: RetryPolicy = attrs.Factory(RetryPolicy)
    session_expiry: int = DEFAULT_EXPIRY
    #: httpx timeout settings put on every request (``httpx.Timeout.as_dict()``).
    timeout: dict[str, float | None] | None = None


class Engine:
    """Calls as workflows. One per client; holds the cached vendor session."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.rng = rng or random.Random()
        self.session: VendorSession | None = (
            VendorSession(config.credentials, config.vendor_partner_id, config.session_expiry)
            if config.credentials is not None
            else None
        )

    # -- client tags (AUTH-3) -------------------------------------------------------------
    def client_tag(self, task_id: int | str | None = None) -> str:
        c = self.config
        return build_client_tag(c.app_version, c.vendor_name, c.vendor_partner_id, task_id)

    # -- sending ------------------------------------------------------------------------
    def _timed(self, request: httpx.Request) -> httpx.Request:
        if self.config.timeout is not None:
            request.extensions["timeout"] = self.config.timeout
        return request

    def _exchange(self, send: Send, *, write: bool) -> Generator[Any, Any, HttpResult]:
        """Yield ``send`` until it gets an answer, following the retry rules."""
        attempt = 0
        while True:
            attempt += 1
            started = self.clock()
            try:
                result: HttpResult = yield send
            except ReachError as error:
                if not self.config.retry.should_retry(error, write=write, attempt=attempt):
                    raise
                delay = self.config.retry.delay(attempt, self.rng)
                log.warning(
                    "%s.%s attempt %d failed (%s); retrying in %.2fs",
                    send.service,
                    send.action,
                    attempt,
                    error,
                    delay,
                )
                yield Sleep(delay)
                continue
            log.debug(
                "%s.%s -> HTTP %d in %.0f ms",
                send.service,
                send.action,
                result.status,
                (self.clock() - started) * 1000,
            )
            if self.config.retry.should_retry_status(result.status, write=write, attempt=attempt):
                delay = self.config.retry.delay(attempt, self.rng)
                log.warning(
                    "%s.%s got HTTP %d; retrying in %.2fs",
                    send.service,
                    send.action,
                    result.status,
                    delay,
                )
                yield Sleep(delay)
                continue
            return result

    def _send(self, call: ApiCall, ks: str | None) -> Flow:
        tag = self.client_tag(call.task_id)
        request = self._timed(build_request(self.config.service_url, call, ks=ks, client_tag=tag))
        log.debug(
            "%s (clientTag=%s, session=%s) params=%s",
            call.name,
            tag,
            call.session.value,
            mask_value(call.params),
        )
        result = yield from self._exchange(
            Send(request, call.service, call.action), write=call.write
        )
        return decode_response(
            result.status, result.content, service=call.service, action=call.action
        )

    # -- sessions (AUTH-4 to AUTH-6) ----------------------------------------------------
    def vendor_ks(self) -> Generator[Any, Any, str]:
        """The vendor KS, started on first use and renewed ahead of its expiry."""
        session = self.session
        if session is None:
            raise ConfigurationError(
                "this call needs the vendor session: give app_token=... or admin_secret=..."
            )
        now = self.clock()
        ks = session.valid_ks(now)
        if ks is not None:
            return ks
        log.info("starting vendor session for partner %d", self.config.vendor_partner_id)
        ks, expires_at = yield from start_vendor_session(
            self._send_no_vendor,
            session.credentials,
            partner_id=self.config.vendor_partner_id,
            expiry=self.config.session_expiry,
            now=now,
        )
        session.store(ks, expires_at)
        return ks

    def _send_no_vendor(self, call: ApiCall) -> Flow:
        return self._send(call, call.ks if call.session is SessionKind.GIVEN else None)

    def call(self, call: ApiCall) -> Flow:
        """The workflow of one call; its value is the decoded JSON result."""
        if call.ks:
            register_secret(call.ks)
        if call.session is not SessionKind.VENDOR:
            return (yield from self._send_no_vendor(call))
        renewed = False
        while True:
            ks = yield from self.vendor_ks()
            try:
                return (yield from self._send(call, ks))
            except InvalidSessionError as error:
                if renewed or not error.is_expired or self.session is None:
                    raise
                log.info("vendor session %s; starting a new one (AUTH-6)", error.ksid)
                self.session.invalidate()
                renewed = True

    def multirequest(self, calls: Sequence[ApiCall]) -> Generator[Any, Any, list[Any]]:
        """Several calls in one request. Failed items come back as ``ApiError`` objects."""
        if not calls:
            return []
        needs_vendor = any(c.session is SessionKind.VENDOR for c in calls)
        task_ids = {c.task_id for c in calls}
        top_tag = self.client_tag(task_ids.pop() if len(task_ids) == 1 else None)
        renewed = False
        while True:
            vendor = (yield from self.vendor_ks()) if needs_vendor else None
            subs: list[tuple[ApiCall, str | None, str]] = []
            for c in calls:
                if c.ks:
                    register_secret(c.ks)
                sub_ks = vendor if c.session is SessionKind.VENDOR else c.ks
                subs.append((c, sub_ks, self.client_tag(c.task_id)))
            top_ks = vendor if vendor is not None else next((s[1] for s in subs if s[1]), None)
            request = self._timed(
                build_multirequest(self.config.service_url, subs, ks=top_ks, client_tag=top_tag)
            )
            names = [(c.service, c.action) for c in calls]
            log.debug("multirequest of %d: %s", len(calls), ", ".join(c.name for c in calls))
            result = yield from self._exchange(
                Send(request, "multirequest", None), write=any(c.write for c in calls)
            )
            try:
                return decode_multirequest(result.status, result.content, names)
            except InvalidSessionError as error:
                if renewed or not needs_vendor or not error.is_expired or self.session is None:
                    raise
                self.session.invalidate()
                renewed = True
