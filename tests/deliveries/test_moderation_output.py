"""MOD-1 (the task data read), MOD-2 (the output JSON) and MOD-4 (post-processing), pure."""

from __future__ import annotations

import json

import pytest

from kaltura_reach_vendor import ModerationOutputError, StateError, parse
from kaltura_reach_vendor.models import EntryVendorTask
from kaltura_reach_vendor.moderation import (
    TEXT_POLICY,
    TEXT_RULES,
    VISUAL_POLICY,
    ModerationReport,
    PolicyScore,
    Violation,
    combine_times,
    evaluate,
    moderation_order,
    parse_report,
    post_process,
)

HATE = TEXT_RULES[0]


# -- MOD-1 ----------------------------------------------------------------------------------------
@pytest.mark.rule("MOD-1")
def test_the_task_data_is_read_as_the_moderation_order() -> None:
    task = parse(
        {
            "objectType": "KalturaEntryVendorTask",
            "id": 7,
            "serviceFeature": 15,
            "taskJobData": {
                "objectType": "KalturaModerationVendorTaskData",
                "ruleIds": "1, 2,,3",
                "policyIds": "1,2",
                "categoryIds": "9001",
            },
        },
        EntryVendorTask,
    )
    order = moderation_order(task)
    assert order.rule_ids == ("1", "2", "3")
    assert order.policy_ids == ("1", "2")
    assert order.category_ids == ("9001",)
    # MOD-5: what goes back is every field as received, the output, and the objectType
    assert order.task_data("{}") == {
        "ruleIds": "1, 2,,3",
        "policyIds": "1,2",
        "categoryIds": "9001",
        "moderationOutputJson": "{}",
        "objectType": "KalturaModerationVendorTaskData",
    }


@pytest.mark.rule("MOD-1")
@pytest.mark.rule("MOD-5")
def test_an_order_hidden_by_the_profile_or_another_task_data_is_refused() -> None:
    hidden = parse(
        {
            "objectType": "KalturaEntryVendorTask",
            "id": 8,
            "taskJobData": {"objectType": "KalturaModerationVendorTaskData"},
        },
        EntryVendorTask,
    )
    with pytest.raises(StateError, match="claim the task first"):
        moderation_order(hidden)
    other = parse(
        {
            "objectType": "KalturaEntryVendorTask",
            "id": 9,
            "taskJobData": {"objectType": "KalturaTranslationVendorTaskData"},
        },
        EntryVendorTask,
    )
    with pytest.raises(StateError, match="KalturaModerationVendorTaskData"):
        moderation_order(other)
    # an order naming only policies keeps the others absent (not sent as empty strings)
    only = parse(
        {
            "objectType": "KalturaEntryVendorTask",
            "id": 10,
            "taskJobData": {"objectType": "KalturaModerationVendorTaskData", "policyIds": "2"},
        },
        EntryVendorTask,
    )
    assert set(moderation_order(only).task_data("{}")) == {
        "policyIds",
        "moderationOutputJson",
        "objectType",
    }


# -- MOD-2 ----------------------------------------------------------------------------------------
@pytest.mark.rule("MOD-2")
def test_the_output_json_has_the_documented_shape() -> None:
    report = evaluate(
        [HATE.violation("exact quote", 125.5, 340.2, severity=85)], [TEXT_POLICY, VISUAL_POLICY]
    )
    data = json.loads(report.to_json())
    assert data == {
        "violations": [
            {
                "id": "1",
                "rule": "Hate Speech & Discrimination",
                "text": "exact quote",
                "severity": 85,
                "start_time": [125.5, 340.2],
            }
        ],
        "summary": {
            "policy_1": {"score": 10.625, "comply": True, "critical_violation": False},
            "policy_2": {"score": 0, "comply": True, "critical_violation": False},
        },
    }
    assert parse_report(report.to_json()) == report


@pytest.mark.rule("MOD-2")
def test_reading_the_seeds_sample_and_unknown_keys() -> None:
    sample = {
        "violations": [
            {
                "id": 1,
                "rule": "Hate Speech & Discrimination",
                "text": "exact quote from content",
                "severity": 85,
                "start_time": 125.5,
                "confidence": 0.9,
            },
            {"id": "20", "severity": 80},
        ],
        "summary": {
            "policy_1": {"score": 42.5, "comply": False, "critical_violation": False, "x": 1},
            "policy_2": {"score": 0, "comply": True, "critical_violation": False},
            "engine": {"version": "kai-2"},
        },
        "model": "llm",
    }
    report = parse_report(json.dumps(sample))
    assert report.violations == (
        Violation("1", "Hate Speech & Discrimination", "exact quote from content", 85, (125.5,)),
        Violation("20", "", "", 80, ()),
    )
    assert report.summary == (
        PolicyScore("1", 42.5, False, False),
        PolicyScore("2", 0, True, False),
    )
    assert report.complies is False


@pytest.mark.rule("MOD-2")
@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("not json", "not JSON"),
        ("[]", "expected an object"),
        ('{"violations": [{"id": "1", "severity": 120}]}', "severity must be from 0 to 100"),
        ('{"violations": [{"id": "1"}]}', "needs 'id' and 'severity'"),
        ('{"violations": [{"id": "1", "severity": "high"}]}', "severity must be a number"),
        ('{"summary": {"policy_1": {"score": 1, "comply": "yes"}}}', "booleans"),
        ('{"violations": {}}', "must be a list"),
    ],
)
def test_a_malformed_output_is_a_typed_error(text: str, match: str) -> None:
    with pytest.raises(ModerationOutputError, match=match):
        parse_report(text)


def test_an_empty_report_complies_and_writes_both_keys() -> None:
    assert json.loads(ModerationReport().to_json()) == {"violations": [], "summary": {}}
    assert ModerationReport().complies is True


# -- MOD-4 ----------------------------------------------------------------------------------------
@pytest.mark.rule("MOD-4")
def test_duplicate_violations_are_merged() -> None:
    merged = post_process(
        [
            HATE.violation("Go  home", 10.0, severity=60),
            HATE.violation("go home", 100.0, severity=85),
            HATE.violation("another quote", 50.0, severity=70),
            TEXT_RULES[3].violation("go home", 10.0, severity=75),  # another rule: kept apart
        ]
    )
    assert len(merged) == 3
    first = merged[0]
    assert (first.rule_id, first.text, first.severity, first.start_time) == (
        "1",
        "Go  home",
        85,
        (10.0, 100.0),
    )
    assert [m.rule_id for m in merged] == ["1", "1", "4"]


@pytest.mark.rule("MOD-4")
def test_timestamps_within_5_seconds_are_combined() -> None:
    # 0, 3, 8 are each ≤ 5 s after the previous: one group, reported at 0
    # 20 starts a group (12 s later); 25 is exactly 5 s after it: combined; 30.5 is not
    assert combine_times([8, 0, 3, 20, 25, 30.5]) == (0, 20, 30.5)
    (merged,) = post_process([HATE.violation("q", 40, 41, 100, 44.9, severity=50)])
    assert merged.start_time == (40, 100)


@pytest.mark.rule("MOD-4")
def test_at_most_10_violations_per_rule_the_most_severe_kept() -> None:
    many = [HATE.violation(f"quote {i}", float(i * 60), severity=i * 5) for i in range(15)]
    visual = [Violation("20", "Explicit Nudity", f"frame {i}", 80, (i * 60.0,)) for i in range(3)]
    kept = post_process([*many, *visual])
    hate = [k for k in kept if k.rule_id == "1"]
    assert len(hate) == 10
    assert [k.severity for k in hate] == [i * 5 for i in range(5, 15)]  # order kept
    assert len([k for k in kept if k.rule_id == "20"]) == 3


@pytest.mark.rule("MOD-4")
def test_evaluate_writes_post_processed_violations() -> None:
    report = evaluate(
        [HATE.violation("q", 1.0, severity=40), HATE.violation("Q", 3.0, severity=90)],
        [TEXT_POLICY],
    )
    assert len(report.violations) == 1
    assert report.violations[0].start_time == (1.0,)
    # the summary is computed from what is written: 90 / 8
    assert report.summary[0].score == 11.25
    raw = evaluate(
        [HATE.violation("q", 1.0, severity=40), HATE.violation("Q", 3.0, severity=90)],
        [TEXT_POLICY],
        post_processing=False,
    )
    assert raw.summary[0].score == 16.25  # (40 + 90) / 8
