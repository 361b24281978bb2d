"""When to send a request again (pure rules, no I/O).

* Reads (``get``, ``list``, ``getJobs`` ...) are retried on connection errors, timeouts,
  HTTP 5xx and HTTP 429, with exponential backoff and jitter; a ``Retry-After`` header on a
  429 or 503 (seconds or an HTTP date) is honoured, capped at ``max_retry_after``.
* Writes (``updateJob``, any ``add`` ...) are retried only when the request provably never
  reached the server: a connect error or connect timeout. Once the server may have seen a
  write, sending it again could apply it twice, so the error is raised instead.
"""

from __future__ import annotations

import email.utils
import random

import attrs

from .errors import HTTPStatusError, ReachConnectionError, ReachError, ReachTimeoutError

__all__ = ["RetryPolicy", "parse_retry_after"]

#: Statuses whose ``Retry-After`` header says when to come back.
_RETRY_AFTER_STATUSES = frozenset({429, 503})


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


@attrs.frozen
class RetryPolicy:
    """Retry settings. ``RetryPolicy(max_attempts=1)`` turns retries off."""

    max_attempts: int = attrs.field(default=4, validator=attrs.validators.ge(1))
    backoff: float = 0.5  # first delay in seconds; doubles each attempt
    max_backoff: float = 30.0
    jitter: float = 0.25  # +/- this fraction of the delay, at random
    #: Longest wait a server's ``Retry-After`` may impose before the next attempt.
    max_retry_after: float = 120.0

    def should_retry(self, error: ReachError, *, write: bool, attempt: int) -> bool:
        """Whether attempt number ``attempt`` (1-based) that failed with ``error`` may repeat."""
        if attempt >= self.max_attempts:
            return False
        if isinstance(error, (ReachConnectionError, ReachTimeoutError)):
            return error.never_sent or not write
        if isinstance(error, HTTPStatusError) and error.status_code is not None:
            return self.should_retry_status(error.status_code, write=write, attempt=attempt)
        return False

    def should_retry_status(self, status: int, *, write: bool, attempt: int) -> bool:
        """Whether an HTTP ``status`` answer to attempt ``attempt`` may be retried: 5xx and 429,
        reads only (a write that got an answer may have been applied)."""
        return (status >= 500 or status == 429) and not write and attempt < self.max_attempts

    def delay_after_status(
        self,
        attempt: int,
        rng: random.Random,
        *,
        status: int,
        retry_after: str | None,
        now: float,
    ) -> float:
        """The wait after HTTP ``status``: the server's ``Retry-After`` (capped) on a 429 or
        503, else the usual back-off."""
        if status in _RETRY_AFTER_STATUSES:
            asked = parse_retry_after(retry_after, now)
            if asked is not None:
                return min(asked, self.max_retry_after)
        return self.delay(attempt, rng)

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based)."""
        base = min(self.backoff * (2.0 ** (attempt - 1)), self.max_backoff)
        spread = base * self.jitter
        return max(0.0, base + rng.uniform(-spread, spread))
