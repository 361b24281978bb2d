"""ACC-1: accuracy is an integer 0–100; tiers and machine confidence map onto it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaltura_reach_vendor import UsageError
from kaltura_reach_vendor.accuracy import ReviewTier, from_confidence, from_tier, tier_of


@pytest.mark.rule("ACC-1")
@pytest.mark.parametrize(
    ("confidence", "percent"),
    [(0.0, 0), (1.0, 100), (0.875, 88), (0.8749, 87), (0.005, 1), (0.004, 0), (1, 100)],
)
def test_machine_confidence_to_percent(confidence: float, percent: int) -> None:
    assert from_confidence(confidence) == percent


@pytest.mark.rule("ACC-1")
@given(st.floats(min_value=0.0, max_value=1.0))
def test_any_confidence_gives_an_integer_percent(confidence: float) -> None:
    percent = from_confidence(confidence)
    assert isinstance(percent, int) and 0 <= percent <= 100


@pytest.mark.rule("ACC-1")
@pytest.mark.parametrize("bad", [-0.01, 1.01, float("nan"), True, "0.9", None])
def test_bad_confidence_is_refused(bad: object) -> None:
    with pytest.raises(UsageError):
        from_confidence(bad)  # type: ignore[arg-type]


@pytest.mark.rule("ACC-1")
@pytest.mark.parametrize(
    ("percent", "tier"),
    [
        (100, "excellent"),
        (90, "excellent"),
        (89, "good"),
        (80, "good"),
        (79, "fair"),
        (70, "fair"),
        (69, "poor"),
        (0, "poor"),
    ],
)
def test_tier_bands(percent: int, tier: str) -> None:
    assert tier_of(percent) is ReviewTier(tier)
    # A tier's own percent falls back into that tier.
    assert tier_of(from_tier(tier)) is ReviewTier(tier)


@pytest.mark.rule("ACC-1")
def test_tiers_by_name_and_refusals() -> None:
    assert from_tier("Excellent") == from_tier(ReviewTier.EXCELLENT)
    with pytest.raises(UsageError, match="excellent, good, fair, poor"):
        from_tier("perfect")
    for bad in (101, -1, 98.5, True):
        with pytest.raises(UsageError):
            tier_of(bad)  # type: ignore[arg-type]
