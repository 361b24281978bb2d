"""Moderation scoring (MOD-3) on seed 004's predefined policies, by hand and by hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaltura_reach_vendor import UsageError
from kaltura_reach_vendor.moderation import (
    PREDEFINED_POLICIES,
    PREDEFINED_RULES,
    TEXT_POLICY,
    TEXT_RULES,
    VISUAL_POLICY,
    VISUAL_RULES,
    ModerationType,
    Policy,
    RuleConf,
    Violation,
    evaluate,
    resolve_policies,
    score_policy,
)


def v(rule_id: str, severity: float, text: str = "x", *times: float) -> Violation:
    return Violation(
        rule_id, PREDEFINED_RULES.get(rule_id, TEXT_RULES[0]).name, text, severity, times
    )


# -- the predefined rules and policies, as seed 004 §8 gives them -------------------------------
def test_predefined_rules_are_the_seeds() -> None:
    assert [(r.id, r.name, r.severity) for r in TEXT_RULES] == [
        ("1", "Hate Speech & Discrimination", 95),
        ("2", "Explicit & Sexual Content", 90),
        ("3", "Violence & Gore", 90),
        ("4", "Profanity & Inappropriate Language", 75),
        ("5", "Harassment & Cyberbullying", 90),
        ("6", "Illegal Activities & Dangerous Behavior", 85),
        ("7", "Misinformation & False Claims", 80),
        ("8", "Confidential & Sensitive Data", 95),
    ]
    assert [(r.id, r.name, r.severity) for r in VISUAL_RULES] == [
        ("20", "Explicit Nudity", 80),
        ("21", "Violence", 80),
        ("22", "Hate Symbols", 80),
        ("23", "Drugs", 50),
        ("24", "Self-harm / Suicide", 80),
        ("25", "Graphic Medical Content", 50),
        ("26", "Non-Explicit Nudity", 70),
    ]
    assert all(r.type is ModerationType.TEXT for r in TEXT_RULES)
    assert all(r.type is ModerationType.VIDEO for r in VISUAL_RULES)
    assert not any(r.is_custom for r in PREDEFINED_RULES.values())


def test_predefined_policies_are_the_seeds() -> None:
    assert set(PREDEFINED_POLICIES) == {"1", "2"}
    assert TEXT_POLICY.name == "Corporate Verbal Content Integrity & Compliance"
    assert TEXT_POLICY.type is ModerationType.TEXT and TEXT_POLICY.threshold == 0.2
    assert TEXT_POLICY.rule_ids == tuple(str(i) for i in range(1, 9))
    assert TEXT_POLICY.run_on == ("name", "description", "tags", "captions")
    assert VISUAL_POLICY.name == "Corporate Visual Content Integrity & Compliance"
    assert VISUAL_POLICY.type is ModerationType.VIDEO and VISUAL_POLICY.threshold == 0.6
    assert VISUAL_POLICY.rule_ids == tuple(str(i) for i in range(20, 27))
    # "equal weight", adding up to 1.0 (§8.4); nothing critical, nothing capped
    for policy, n in ((TEXT_POLICY, 8), (VISUAL_POLICY, 7)):
        assert {c.weight for c in policy.rule_confs} == {1 / n}
        assert sum(c.weight for c in policy.rule_confs) == pytest.approx(1.0)
        assert not any(c.critical or c.max_score is not None for c in policy.rule_confs)
    assert TEXT_POLICY.key == "policy_1"


def test_resolve_policies_predefined_custom_and_unknown() -> None:
    custom = Policy("7", "Mine", "text", [RuleConf("100", 1.0)], 0.5)
    assert resolve_policies(["2", " 1", "2"]) == (VISUAL_POLICY, TEXT_POLICY)
    assert resolve_policies(["7"], custom=[custom]) == (custom,)
    with pytest.raises(UsageError, match="unknown moderation policies 9"):
        resolve_policies(["1", "9"])


# -- MOD-3 by hand --------------------------------------------------------------------------------
@pytest.mark.rule("MOD-3")
def test_one_severe_text_violation_still_complies_with_policy_1() -> None:
    # rule 1 severity 85, weight 1/8: 85 × 0.125 = 10.625 < 0.2 × 100 = 20 → complies
    score = score_policy(TEXT_POLICY, [v("1", 85)])
    assert score.score == 10.625
    assert score.comply is True and score.critical_violation is False


@pytest.mark.rule("MOD-3")
def test_severities_of_a_rule_add_up_across_violations() -> None:
    # rule 1: 85 → 85/8 = 10.625; rule 4: 60 + 70 = 130 → 130/8 = 16.25
    # total 26.875 ≥ 20 → does not comply
    score = score_policy(TEXT_POLICY, [v("1", 85), v("4", 60, "a"), v("4", 70, "b")])
    assert score.score == 26.875
    assert score.comply is False and score.critical_violation is False


@pytest.mark.rule("MOD-3")
def test_a_score_equal_to_the_threshold_does_not_comply() -> None:
    # rule 2: 80, rule 3: 80 → (80 + 80) / 8 = 20.0; comply needs score < 20 (strict)
    score = score_policy(TEXT_POLICY, [v("2", 80), v("3", 80)])
    assert score.score == 20.0
    assert score.comply is False
    just_below = score_policy(TEXT_POLICY, [v("2", 80), v("3", 79)])
    assert just_below.score == 19.875 and just_below.comply is True  # 159 / 8


@pytest.mark.rule("MOD-3")
def test_visual_policy_2_by_hand() -> None:
    # rules 20, 21, 22 at 80 each: 240 / 7 = 34.2857… < 60 → complies
    three = [v("20", 80), v("21", 80), v("22", 80)]
    assert score_policy(VISUAL_POLICY, three).score == pytest.approx(240 / 7)
    assert score_policy(VISUAL_POLICY, three).comply is True
    # + rule 26 twice at 70 (two findings): 380 / 7 = 54.2857… < 60 → complies
    five = [*three, v("26", 70, "kiss"), v("26", 70, "swimwear")]
    assert score_policy(VISUAL_POLICY, five).score == pytest.approx(380 / 7)
    assert score_policy(VISUAL_POLICY, five).comply is True
    # + rule 24 at 80: 460 / 7 = 65.714… ≥ 60 → does not comply
    six = [*five, v("24", 80)]
    assert score_policy(VISUAL_POLICY, six).score == pytest.approx(460 / 7)
    assert score_policy(VISUAL_POLICY, six).comply is False


@pytest.mark.rule("MOD-3")
def test_violations_of_other_policies_rules_do_not_count() -> None:
    # a visual finding (rule 21) and a custom rule (100) are not rules of policy 1
    score = score_policy(TEXT_POLICY, [v("21", 100), v("100", 100)])
    assert score.score == 0 and score.comply is True


@pytest.mark.rule("MOD-3")
def test_max_score_caps_a_rule_and_critical_fails_whatever_the_score() -> None:
    policy = Policy(
        "5",
        "Custom",
        "text",
        [RuleConf("100", 0.5, critical=True), RuleConf("101", 0.5, max_score=100)],
        0.6,
    )
    # rule 101: 90 + 60 = 150, capped at 100, × 0.5 = 50 < 60 → complies
    capped = [v("101", 90, "a"), v("101", 60, "b")]
    assert score_policy(policy, capped).score == 50
    assert score_policy(policy, capped).comply is True
    # + the critical rule 100 at severity 10: 50 + 10 × 0.5 = 55 < 60, yet it fails
    failed = score_policy(policy, [*capped, v("100", 10)])
    assert failed.score == 55
    assert failed.comply is False and failed.critical_violation is True
    # even a severity-0 violation of a critical rule is a violation
    assert score_policy(policy, [v("100", 0)]).comply is False


@pytest.mark.rule("MOD-3")
def test_evaluate_scores_every_policy_after_post_processing() -> None:
    # the duplicate of "slur" is merged (max severity 85), so rule 1 counts 85 once: 10.625
    report = evaluate(
        [v("1", 85, "slur", 10.0), v("1", 40, "Slur", 12.0), v("20", 80, "gun", 3.0)],
        [TEXT_POLICY, VISUAL_POLICY],
    )
    assert report.policy("1") is not None and report.policy("1").score == 10.625  # type: ignore[union-attr]
    assert report.policy(2).score == pytest.approx(80 / 7)  # type: ignore[union-attr]
    assert report.complies is True


def test_models_refuse_values_outside_the_seed() -> None:
    with pytest.raises(UsageError, match="severity must be from 0 to 100"):
        v("1", 101)
    with pytest.raises(UsageError, match="threshold must be from 0 to 1"):
        Policy("1", "p", "text", [], 20)
    with pytest.raises(UsageError, match="weight must be >= 0"):
        RuleConf("1", -0.1)
    with pytest.raises(UsageError, match="each rule once"):
        Policy("1", "p", "text", [RuleConf("1", 0.5), RuleConf("1", 0.5)], 0.2)
    with pytest.raises(ValueError):
        Policy("1", "p", "audio", [], 0.2)


# -- MOD-3 by hypothesis --------------------------------------------------------------------------
RULE_IDS = ["1", "2", "3", "100", "101"]

confs = st.lists(
    st.builds(
        RuleConf,
        st.sampled_from(RULE_IDS),
        st.floats(0, 2, allow_nan=False),
        st.booleans(),
        st.none() | st.floats(0, 500, allow_nan=False),
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda c: c.id,
)
policies = st.builds(
    Policy,
    st.just("9"),
    st.just("generated"),
    st.sampled_from(["text", "video"]),
    confs,
    st.floats(0, 1, allow_nan=False),
)
violations = st.builds(
    Violation,
    st.sampled_from([*RULE_IDS, "20"]),
    st.just("rule"),
    st.sampled_from(["a", "b", "c", "A"]),
    st.integers(0, 100),
    st.lists(st.floats(0, 600, allow_nan=False), max_size=3),
)


@pytest.mark.rule("MOD-3")
@given(policies, st.lists(violations, max_size=15), violations)
def test_a_violated_critical_rule_always_fails_the_policy(
    policy: Policy, found: list[Violation], extra: Violation
) -> None:
    critical = {c.id for c in policy.rule_confs if c.critical}
    for found_now in (found, [*found, extra]):
        score = score_policy(policy, found_now)
        if any(x.rule_id in critical for x in found_now):
            assert score.comply is False and score.critical_violation is True
        else:
            assert score.critical_violation is False
            assert score.comply == (score.score < policy.threshold * 100)


@pytest.mark.rule("MOD-3")
@given(policies, st.lists(violations, max_size=15), violations)
def test_a_score_never_decreases_when_a_violation_is_added(
    policy: Policy, found: list[Violation], extra: Violation
) -> None:
    before = score_policy(policy, found)
    after = score_policy(policy, [*found, extra])
    assert after.score >= before.score
    assert not (before.comply is False and after.comply is True)
    # the same holds for the whole evaluation, with MOD-4 post-processing in between
    assert (
        evaluate([*found, extra], [policy]).summary[0].score
        >= evaluate(found, [policy]).summary[0].score
    )


@pytest.mark.rule("MOD-3")
def test_the_worked_example_of_docs_moderation_md() -> None:
    found = [
        TEXT_RULES[0].violation("a slur", 12.0, severity=85),
        TEXT_RULES[3].violation("darn", 40.0, severity=60),
        TEXT_RULES[3].violation("damn it", 300.0, severity=70),
        VISUAL_RULES[1].violation("a gun on screen", 3.0, severity=80),
    ]
    report = evaluate(found, [TEXT_POLICY, VISUAL_POLICY])
    # policy 1: 85 × 0.125 + (60 + 70) × 0.125 = 10.625 + 16.25 = 26.875 ≥ 20
    assert report.to_dict()["summary"]["policy_1"] == {
        "score": 26.875,
        "comply": False,
        "critical_violation": False,
    }
    # policy 2: 80 / 7 ≈ 11.43 < 60
    second = report.policy("2")
    assert second is not None and second.score == pytest.approx(11.43, abs=0.01) and second.comply
    assert score_policy(TEXT_POLICY, found[:1]).score == 10.625
