"""Scoring (MOD-3) and post-processing (MOD-4) of violations (the moderation guide §8.5).

Scoring one policy (§8.5 steps 1–5):

1. for each rule of the policy, add up the severities (0–100) of its violations;
2. cap that sum at the rule's ``max_score`` when one is configured;
3. multiply by the rule's ``weight``;
4. add the products: the policy's ``score``;
5. if any *critical* rule has a violation, the policy does not comply, whatever the score;
   otherwise it complies when ``score < threshold * 100``.

How the scale is read: ``threshold`` is a fraction 0–1 ("0.2 (20%)") while severities are
0–100, so ``threshold * 100`` puts the threshold on the severity scale. With weights adding
up to 1 and one violation per rule, the score is a weighted mean severity (0–100); without a
``max_score`` several violations of one rule can push it above 100, which only makes the
verdict clearer. The comparison is strict: a score equal to ``threshold * 100`` fails. "Has
violations" means at least one violation of the rule, whatever its severity (even 0).

Post-processing (§8.5 "Post-processing", MOD-4), applied by :func:`evaluate` *before*
scoring, so the summary it writes can be recomputed from the violations it writes:

* **duplicates merged**: violations of the same rule whose texts are equal (ignoring case and
  runs of white space) become one, with the highest severity and every timestamp;
* **timestamps within 5 s combined**: a violation's times are sorted and each time less than
  or equal to 5 s after the previous one joins its group; a group is reported by its first
  time (so a scene flagged every 2 s for a minute becomes one time, its start);
* **at most 10 per rule**: the 10 most severe violations of a rule are kept (ties: the one
  reported first), in the order they were reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .models import Policy, Violation
from .output import ModerationReport, PolicyScore

__all__ = [
    "COMBINE_WINDOW_S",
    "MAX_VIOLATIONS_PER_RULE",
    "combine_times",
    "evaluate",
    "post_process",
    "score_policy",
]

#: Timestamps of one violation closer than this (seconds) are combined (MOD-4).
COMBINE_WINDOW_S = 5.0
#: Violations kept per rule (MOD-4).
MAX_VIOLATIONS_PER_RULE = 10


def score_policy(policy: Policy, violations: Iterable[Violation]) -> PolicyScore:
    """MOD-3: the policy's weighted score, whether it complies, and whether a critical rule
    was violated. Violations of rules outside the policy are ignored."""
    sums: dict[str, float] = {}
    for violation in violations:
        if policy.conf(violation.rule_id) is not None:
            sums[violation.rule_id] = sums.get(violation.rule_id, 0.0) + violation.severity
    score = 0.0
    critical = False
    for conf in policy.rule_confs:
        if conf.id not in sums:
            continue
        total = sums[conf.id]
        if conf.max_score is not None:
            total = min(total, conf.max_score)
        score += total * conf.weight
        critical = critical or conf.critical
    comply = not critical and score < policy.threshold * 100
    return PolicyScore(policy.id, score, comply, critical)


def combine_times(times: Iterable[float], window: float = COMBINE_WINDOW_S) -> tuple[float, ...]:
    """MOD-4: sorted times, each run of times at most ``window`` seconds apart reported by
    its first time."""
    combined: list[float] = []
    previous: float | None = None
    for time in sorted(set(times)):
        if previous is None or time - previous > window:
            combined.append(time)
        previous = time
    return tuple(combined)


def _same_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def post_process(
    violations: Iterable[Violation], *, max_per_rule: int = MAX_VIOLATIONS_PER_RULE
) -> tuple[Violation, ...]:
    """MOD-4: duplicates merged, timestamps within 5 s combined, at most 10 per rule."""
    merged: dict[tuple[str, str], Violation] = {}
    for violation in violations:
        key = (violation.rule_id, _same_text(violation.text))
        seen = merged.get(key)
        if seen is None:
            merged[key] = violation
            continue
        severity = max(seen.severity, violation.severity)
        times = (*seen.start_time, *violation.start_time)
        merged[key] = Violation(seen.rule_id, seen.rule, seen.text, severity, times)
    ordered = [
        Violation(v.rule_id, v.rule, v.text, v.severity, combine_times(v.start_time))
        for v in merged.values()
    ]
    kept: set[int] = set()
    by_rule: dict[str, list[int]] = {}
    for index, violation in enumerate(ordered):
        by_rule.setdefault(violation.rule_id, []).append(index)
    for indexes in by_rule.values():
        best = sorted(indexes, key=lambda i: (-ordered[i].severity, i))[:max_per_rule]
        kept.update(best)
    return tuple(v for i, v in enumerate(ordered) if i in kept)


def evaluate(
    violations: Iterable[Violation],
    policies: Sequence[Policy],
    *,
    post_processing: bool = True,
) -> ModerationReport:
    """The moderation output of MOD-2 for ``policies``: the violations after MOD-4
    post-processing, and each policy's MOD-3 summary computed from them."""
    found = post_process(violations) if post_processing else tuple(violations)
    summary = tuple(score_policy(policy, found) for policy in policies)
    return ModerationReport(found, summary)
