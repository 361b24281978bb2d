"""Accuracy as Kaltura wants it (ACC-1, LIFE-6): an integer percent from 0 to 100. Pure.

Vendors measure quality in their own terms: a human reviewer's tier, or a speech engine's
confidence between 0 and 1. These helpers turn both into the integer percent that tasks and
caption assets carry, and back into a tier for reports.

========  ===========
tier      percent
========  ===========
excellent 90 to 100
good      80 to 89
fair      70 to 79
poor      below 70
========  ===========
"""

from __future__ import annotations

import enum
import math

from .errors import UsageError

__all__ = ["ReviewTier", "from_confidence", "from_tier", "tier_of"]


class ReviewTier(enum.Enum):
    """A human review's verdict (ACC-1)."""

    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


#: The percent each tier reports when nothing finer is known: the middle of its band.
_TIER_PERCENT = {
    ReviewTier.EXCELLENT: 95,
    ReviewTier.GOOD: 85,
    ReviewTier.FAIR: 75,
    ReviewTier.POOR: 50,
}


def from_confidence(confidence: float) -> int:
    """A machine confidence in [0, 1] as an integer percent (rounded half up)."""
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)):
        raise UsageError(f"confidence is a number from 0 to 1, got {confidence!r}")
    if math.isnan(confidence) or not 0.0 <= confidence <= 1.0:
        raise UsageError(f"confidence is a number from 0 to 1, got {confidence!r}")
    return math.floor(confidence * 100 + 0.5)


def from_tier(tier: ReviewTier | str) -> int:
    """The integer percent for a human review tier (the middle of its band)."""
    try:
        chosen = tier if isinstance(tier, ReviewTier) else ReviewTier(str(tier).lower())
    except ValueError:
        names = ", ".join(t.value for t in ReviewTier)
        raise UsageError(f"unknown review tier {tier!r}; use one of {names}") from None
    return _TIER_PERCENT[chosen]


def tier_of(accuracy: int) -> ReviewTier:
    """The tier an integer percent falls in."""
    if isinstance(accuracy, bool) or not isinstance(accuracy, int) or not 0 <= accuracy <= 100:
        raise UsageError(f"accuracy is an integer from 0 to 100, got {accuracy!r}")
    if accuracy >= 90:
        return ReviewTier.EXCELLENT
    if accuracy >= 80:
        return ReviewTier.GOOD
    if accuracy >= 70:
        return ReviewTier.FAIR
    return ReviewTier.POOR
