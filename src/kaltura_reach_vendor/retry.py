"""When to send a request again (pure rules, no I/O).

* Reads (``get``, ``list``, ``getJobs`` ...) are retried on connection errors, timeouts and
  HTTP 5xx, with exponential backoff and jitter.
* Writes (``updateJob``, any ``add`` ...) are retried only when the request provably never
  reached the server: a connect error or connect timeout. Once the server may have seen a
  write, sending it again could apply it twice, so the error is raised instead.
"""

from __future__ import annotations

import random

import attrs

from .errors import HTTPStatusError, ReachConnectionError, ReachError, ReachTimeoutError

__all__ = ["RetryPolicy"]


@attrs.frozen
class RetryPolicy:
    """Retry settings. ``RetryPolicy(max_attempts=1)`` turns retries off."""

    max_attempts: int = attrs.field(default=4, validator=attrs.validators.ge(1))
    backoff: float = 0.5  # first delay in seconds; doubles each attempt
    max_backoff: float = 30.0
    jitter: float = 0.25  # +/- this fraction of the delay, at random

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
        """Whether an HTTP ``status`` answer to attempt ``attempt`` may be retried (5xx reads)."""
        return status >= 500 and not write and attempt < self.max_attempts

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based)."""
        base = min(self.backoff * (2.0 ** (attempt - 1)), self.max_backoff)
        spread = base * self.jitter
        return max(0.0, base + rng.uniform(-spread, spread))
