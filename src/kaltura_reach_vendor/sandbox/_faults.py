"""Fault injection: off by default, seeded for repeatable runs.

Two ways to inject: *rates* (a probability per API request, drawn from a seeded RNG) and
*one-shot queues* (``drop_next()``, ``error_next()`` …) that fire on the next matching requests.

Two kinds of cut connection: ``drop`` cuts it *before* the request is applied (nothing happened),
``drop_after`` applies the request and then cuts it *before* the answer (the write happened, the
client cannot know): over HTTP the server closes the socket without a response; in process the
transport raises ``httpx.RemoteProtocolError`` after the state changed.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass


@dataclass
class FaultDecision:
    """What to do with one request."""

    drop: bool = False
    drop_after: bool = False
    error_status: int | None = None
    delay: float = 0.0
    expire_access_key: bool = False
    cancel_task: bool = False


class Faults:
    """Fault switches of a sandbox (all off by default)."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self.drop_rate = 0.0
        """Probability that the connection is dropped without a response."""
        self.processed_drop_rate = 0.0
        """Probability that the request is applied, then the connection dropped unanswered."""
        self.error_rate = 0.0
        """Probability of an HTTP 5xx answer (``error_status``)."""
        self.error_status = 503
        self.delay_rate = 0.0
        """Probability that a response is delayed by ``delay_seconds``."""
        self.delay_seconds = 0.0
        self.access_key_expiry_rate = 0.0
        """Probability that a call made with an access key finds the key expired."""
        self.cancel_rate = 0.0
        """Probability that a task touched by the vendor is cancelled (aborted) first."""
        self.actions: set[str] | None = None
        """Limit rate-based faults to these ``service.action`` names (lower case)."""
        self.latency_ms = 0.0
        """Milliseconds added to every request, API and media alike (not random, not counted
        as a fault): a stand-in for the round trip to a distant server."""
        self._media_cuts: list[int] = []
        self._drop_next = 0
        self._drop_after_next = 0
        self._error_next: list[int] = []
        self._delay_next: list[float] = []
        self._expire_next = 0
        self._cancel_next = 0
        self._conversion_failures: list[int] = []

    def seed(self, seed: int) -> None:
        """Restart the fault RNG."""
        with self._lock:
            self._rng = random.Random(seed)

    def reset(self) -> None:
        """Switch every fault off."""
        with self._lock:
            self.drop_rate = self.error_rate = self.delay_rate = 0.0
            self.processed_drop_rate = 0.0
            self._drop_after_next = 0
            self.access_key_expiry_rate = self.cancel_rate = 0.0
            self.delay_seconds = 0.0
            self.latency_ms = 0.0
            self._media_cuts.clear()
            self.actions = None
            self._drop_next = self._expire_next = self._cancel_next = 0
            self._error_next.clear()
            self._delay_next.clear()
            self._conversion_failures.clear()

    # one-shot switches
    def drop_next(self, count: int = 1) -> None:
        """Drop the connection of the next ``count`` API requests."""
        with self._lock:
            self._drop_next += count

    def drop_after_processing_next(self, count: int = 1) -> None:
        """Apply the next ``count`` API requests, then drop their connections unanswered."""
        with self._lock:
            self._drop_after_next += count

    def error_next(self, count: int = 1, status: int = 503) -> None:
        """Answer the next ``count`` API requests with HTTP ``status``."""
        with self._lock:
            self._error_next.extend([status] * count)

    def delay_next(self, seconds: float, count: int = 1) -> None:
        """Delay the next ``count`` API requests by ``seconds``."""
        with self._lock:
            self._delay_next.extend([seconds] * count)

    def drop_media_after_bytes(self, n: int, count: int = 1) -> None:
        """Cut the connection after ``n`` body bytes of the next ``count`` media file answers.

        Media files are progressive MP4 downloads and HLS segments answered 200 or 206
        (playlists and refusals do not count). The headers announce the full length, ``n``
        bytes follow, then the loopback server closes the socket; in process, reading the body
        raises ``httpx.RemoteProtocolError`` after ``n`` bytes. An answer of ``n`` bytes or
        fewer is sent whole (the cut is still used up).
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        with self._lock:
            self._media_cuts.extend([n] * count)

    def expire_next_access_key(self, count: int = 1) -> None:
        """The next ``count`` calls made with an access key find it expired."""
        with self._lock:
            self._expire_next += count

    def cancel_next_task(self, count: int = 1) -> None:
        """The next ``count`` task-specific calls find their task cancelled mid-flight."""
        with self._lock:
            self._cancel_next += count

    def fail_next_conversion(self, status: int = -1, count: int = 1) -> None:
        """The next ``count`` media conversions fail (not an API error: the object's status).

        A conversion starts with ``flavorAsset.setContent`` (the flavor ends ERROR, -1) or
        ``media.addContent`` (the entry ends ``status``: -1 ERROR_CONVERTING or -2
        ERROR_IMPORTING, its source flavor ERROR). The failure shows when the conversion would
        have finished (``Sandbox(media_ready_after=...)`` sandbox-clock seconds later).
        """
        if status not in (-1, -2):
            raise ValueError("status must be -1 (ERROR_CONVERTING) or -2 (ERROR_IMPORTING)")
        with self._lock:
            self._conversion_failures.extend([status] * count)

    # used by the app
    def _hit(self, rate: float, name: str) -> bool:
        if rate <= 0:
            return False
        if self.actions is not None and name not in self.actions:
            return False
        return self._rng.random() < rate

    def transport_decision(self, name: str) -> FaultDecision:
        """Drop / 5xx / delay for one API request (``name`` = ``service.action``)."""
        with self._lock:
            decision = FaultDecision()
            if self._drop_next > 0:
                self._drop_next -= 1
                decision.drop = True
            elif self._hit(self.drop_rate, name):
                decision.drop = True
            elif self._drop_after_next > 0:
                self._drop_after_next -= 1
                decision.drop_after = True
            elif self._hit(self.processed_drop_rate, name):
                decision.drop_after = True
            if self._error_next:
                decision.error_status = self._error_next.pop(0)
            elif self._hit(self.error_rate, name):
                decision.error_status = self.error_status
            if self._delay_next:
                decision.delay = self._delay_next.pop(0)
            elif self._hit(self.delay_rate, name):
                decision.delay = self.delay_seconds
            return decision

    def take_media_cut(self) -> int | None:
        """Bytes after which this media file answer is cut, if a cut is queued."""
        with self._lock:
            return self._media_cuts.pop(0) if self._media_cuts else None

    def take_expire(self, name: str) -> bool:
        """Whether this access-key call should find its key expired."""
        with self._lock:
            if self._expire_next > 0:
                self._expire_next -= 1
                return True
            return self._hit(self.access_key_expiry_rate, name)

    def take_conversion_failure(self) -> int | None:
        """The status a starting conversion must fail with, if a failure is queued."""
        with self._lock:
            return self._conversion_failures.pop(0) if self._conversion_failures else None

    def take_cancel(self, name: str) -> bool:
        """Whether this task-specific call should find its task cancelled."""
        with self._lock:
            if self._cancel_next > 0:
                self._cancel_next -= 1
                return True
            return self._hit(self.cancel_rate, name)
