"""The sans-I/O core shared by ``ReachClient`` and ``AsyncReachClient``.

:class:`Engine` turns :class:`~kaltura_reach_vendor._wire.call.ApiCall` objects into
workflows: pick the KS (vendor session, a task's access key, or none; AUTH-7), build the
request with its client tag (AUTH-3), send it with the retry rules, decode the answer into
a value or a typed error, and renew the vendor KS once when the server says it expired
(AUTH-6). It never performs I/O: it yields :mod:`~kaltura_reach_vendor._effects` effects.

Concurrency: one engine serves every thread (sync client) or coroutine (async client) that
shares a client. The vendor session is started and renewed single-flight, under a
:class:`~kaltura_reach_vendor._effects.Gate`: one start in flight, the other callers wait
for it and use its KS; a caller whose KS was refused drops only that KS, never a newer one.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Generator, Sequence
from typing import Any

import attrs
import httpx

from ._effects import Gate, HttpResult, Send, Sleep, locked
from ._log import get_logger
from ._secrets import mask_value, register_secret
from ._wire.call import ApiCall, JsonValue, SessionKind
from ._wire.request import build_multirequest, build_request
from ._wire.response import decode_multirequest, decode_response
from .client_tag import build_client_tag
from .errors import ApiError, ConfigurationError, HTTPStatusError, InvalidSessionError, ReachError
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
    #: Seconds one HTTP exchange may take in total (connect to last byte); None: no limit.
    deadline: float | None = None
    #: Largest API response body accepted, in bytes.
    max_response_bytes: int | None = None


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
        #: Held while the vendor session is started or renewed (single flight).
        self.session_gate = Gate("vendor-session")

    # -- client tags (AUTH-3) -------------------------------------------------------------
    def client_tag(self, task_id: int | str | None = None) -> str:
        c = self.config
        return build_client_tag(c.app_version, c.vendor_name, c.vendor_partner_id, task_id)

    # -- sending ------------------------------------------------------------------------
    def _effect(self, request: httpx.Request, service: str | None, action: str | None) -> Send:
        if self.config.timeout is not None:
            request.extensions["timeout"] = self.config.timeout
        return Send(
            request,
            service,
            action,
            deadline=self.config.deadline,
            max_bytes=self.config.max_response_bytes,
        )

    def fetch(
        self,
        url: str,
        service: str,
        action: str,
        *,
        params: dict[str, str] | None = None,
    ) -> Generator[Any, Any, HttpResult]:
        """GET a URL that is no api_v3 call (a media playlist, a caption file to serve) with
        the client's timeouts, deadline, size limit and read-retry rules. Unlike API calls,
        redirects are followed: media URLs redirect to packagers and CDNs."""
        request = httpx.Request("GET", url, params=params)
        send = attrs.evolve(self._effect(request, service, action), follow_redirects=True)
        return (yield from self.exchange(send, write=False))

    def exchange(
        self, send: Send, *, write: bool, label: str | None = None
    ) -> Generator[Any, Any, HttpResult]:
        """Yield ``send`` until it gets an answer, following the retry rules."""
        retry = self.config.retry
        name = label or (f"{send.service}.{send.action}" if send.action else str(send.service))
        attempt = 0
        while True:
            attempt += 1
            started = self.clock()
            try:
                result: HttpResult = yield send
            except ReachError as error:
                if not retry.should_retry(error, write=write, attempt=attempt):
                    raise
                delay = retry.delay(attempt, self.rng)
                log.warning(
                    "%s attempt %d failed (%s); retrying in %.2fs", name, attempt, error, delay
                )
                yield Sleep(delay)
                continue
            if log.isEnabledFor(logging.DEBUG):
                elapsed = (self.clock() - started) * 1000
                log.debug("%s -> HTTP %d in %.0f ms", name, result.status, elapsed)
            if 300 <= result.status < 400:
                # Never follow a redirect: it would re-send the KS or the admin secret to
                # wherever the Location points (and re-POST a write).
                raise HTTPStatusError(
                    f"{name}: HTTP {result.status} redirect refused: API calls never follow "
                    "redirects; check the service URL",
                    status_code=result.status,
                    service=send.service,
                    action=send.action,
                )
            if retry.should_retry_status(result.status, write=write, attempt=attempt):
                delay = retry.delay_after_status(
                    attempt,
                    self.rng,
                    status=result.status,
                    retry_after=result.headers.get("retry-after"),
                    now=self.clock(),
                )
                log.warning("%s got HTTP %d; retrying in %.2fs", name, result.status, delay)
                yield Sleep(delay)
                continue
            return result

    def _send(self, call: ApiCall, ks: str | None) -> Flow:
        tag = self.client_tag(call.task_id)
        request = build_request(self.config.service_url, call, ks=ks, client_tag=tag)
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "%s (clientTag=%s, session=%s) params=%s",
                call.name,
                tag,
                call.session.value,
                mask_value(call.params),
            )
        result = yield from self.exchange(
            self._effect(request, call.service, call.action), write=call.write
        )
        try:
            return decode_response(
                result.status, result.content, service=call.service, action=call.action
            )
        except ApiError as error:
            log.info("%s -> %s", call.name, error.code)
            raise

    # -- sessions (AUTH-4 to AUTH-6) ----------------------------------------------------
    def vendor_ks(self) -> Generator[Any, Any, str]:
        """The vendor session's KS, started on first use and renewed ahead of its expiry.

        Single flight: a caller that finds no valid KS takes the session gate, looks again
        (another caller may have just started one) and only then starts a session.
        """
        session = self.session
        if session is None:
            raise ConfigurationError(
                "this call needs the vendor session: give app_token=... or admin_secret=..."
            )
        ks = session.valid_ks(self.clock())
        if ks is not None:
            return ks
        return (yield from locked(self.session_gate, self._start_session(session)))

    def _start_session(self, session: VendorSession) -> Generator[Any, Any, str]:
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
        session.store(ks, expires_at, now)
        return ks

    def _renewable(self, error: InvalidSessionError, ks: str | None) -> bool:
        """AUTH-6: an expired or killed vendor KS is dropped (only that KS) and renewed."""
        if not error.is_expired or self.session is None or ks is None:
            return False
        log.info("vendor session %s; starting a new one (AUTH-6)", error.ksid)
        self.session.invalidate(ks)
        return True

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
                if renewed or not self._renewable(error, ks):
                    raise
                renewed = True

    def multirequest(
        self, calls: Sequence[ApiCall]
    ) -> Generator[Any, Any, list[JsonValue | ApiError]]:
        """Several calls in one request; a failed item is an ``ApiError`` in the list (the
        others still ran). An expired vendor KS is renewed and the request sent again once
        (AUTH-6): the whole request was refused, so nothing in it ran."""
        if not calls:
            return []
        needs_vendor = any(c.session is SessionKind.VENDOR for c in calls)
        task_ids = {c.task_id for c in calls}
        top_tag = self.client_tag(task_ids.pop() if len(task_ids) == 1 else None)
        names = [(c.service, c.action) for c in calls]
        listing = ", ".join(c.name for c in calls)
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
            request = build_multirequest(
                self.config.service_url, subs, ks=top_ks, client_tag=top_tag
            )
            log.debug("multirequest of %d: %s", len(calls), listing)
            result = yield from self.exchange(
                self._effect(request, "multirequest", None),
                write=any(c.write for c in calls),
                label=f"multirequest({listing})",
            )
            try:
                return decode_multirequest(result.status, result.content, names)
            except InvalidSessionError as error:
                if renewed or not needs_vendor or not self._renewable(error, vendor):
                    raise
                renewed = True
