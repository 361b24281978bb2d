"""Access-key validity (KEY-1, KEY-4): pure, no I/O.

A task's access key is a KS of the customer partner, valid for ``max(7 days, 2 × TAT)``
counted from its issue (the task's creation, or the last ``extendAccessKey``, which gives a
fresh full period). TAT values 1–7 mean business days but the server multiplies them as raw
numbers, so they always give the 7-day minimum (reference §2.4). A v1 KS states its own
expiry, which wins over the estimate.
"""

from __future__ import annotations

from .errors import MalformedKsError
from .ks import parse_ks

__all__ = ["MIN_VALIDITY", "estimate_expiry", "validity_seconds"]

MIN_VALIDITY = 7 * 86_400


def validity_seconds(turn_around_time: int | None) -> int:
    """``max(7 days, 2 × TAT)`` with TAT as the raw number the server multiplies (KEY-1)."""
    tat = int(turn_around_time) if turn_around_time is not None else 0
    return max(MIN_VALIDITY, 2 * tat)


def estimate_expiry(
    access_key: str | None, issued_at: float | None, turn_around_time: int | None
) -> float | None:
    """When the key stops working: the KS's own expiry (v1), else ``issued_at + validity``."""
    if not access_key:
        return None
    try:
        stated = parse_ks(access_key).expires_at
    except MalformedKsError:
        stated = None
    if stated is not None:
        return float(stated)
    if issued_at is None:
        return None
    return float(issued_at) + validity_seconds(turn_around_time)
