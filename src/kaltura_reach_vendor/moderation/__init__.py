"""AI moderation (serviceFeature 15), pure: rules, policies, scoring and the output JSON.

Nothing here does I/O. A vendor's moderation engine finds :class:`Violation` objects;
:func:`evaluate` post-processes them (MOD-4) and scores each policy the task names (MOD-3)
into a :class:`ModerationReport`, whose :meth:`~ModerationReport.to_json` is the
``moderationOutputJson`` of MOD-2. ``client.deliver_moderation(task, report, accuracy=...)``
then writes it on the task (MOD-5) and applies the category action (the moderation guide
§7.5)::

    from kaltura_reach_vendor.moderation import TEXT_RULES, evaluate, moderation_order,
        resolve_policies

    order = moderation_order(task)                 # MOD-1: ruleIds, policyIds, categoryIds
    policies = resolve_policies(order.policy_ids)  # predefined 1 and 2, or your custom ones
    hate = TEXT_RULES[0]
    report = evaluate([hate.violation("quote", 125.5, severity=85)], policies)

The predefined rules and policies (the moderation guide §8), and where the guide is ambiguous,
are in :mod:`.predefined`; the scoring and its reading of the guide in :mod:`.scoring`.
"""

from __future__ import annotations

from .models import CUSTOM_RULE_MIN_ID, ModerationType, Policy, Rule, RuleConf, Violation
from .order import MODERATION_TASK_DATA, ModerationOrder, moderation_order, split_ids
from .output import ModerationReport, PolicyScore, parse_report
from .predefined import (
    PREDEFINED_POLICIES,
    PREDEFINED_RULES,
    TEXT_POLICY,
    TEXT_RULES,
    VISUAL_POLICY,
    VISUAL_RULES,
    resolve_policies,
)
from .scoring import (
    COMBINE_WINDOW_S,
    MAX_VIOLATIONS_PER_RULE,
    combine_times,
    evaluate,
    post_process,
    score_policy,
)

__all__ = [
    "COMBINE_WINDOW_S",
    "CUSTOM_RULE_MIN_ID",
    "MAX_VIOLATIONS_PER_RULE",
    "MODERATION_TASK_DATA",
    "PREDEFINED_POLICIES",
    "PREDEFINED_RULES",
    "TEXT_POLICY",
    "TEXT_RULES",
    "VISUAL_POLICY",
    "VISUAL_RULES",
    "ModerationOrder",
    "ModerationReport",
    "ModerationType",
    "Policy",
    "PolicyScore",
    "Rule",
    "RuleConf",
    "Violation",
    "combine_times",
    "evaluate",
    "moderation_order",
    "parse_report",
    "post_process",
    "resolve_policies",
    "score_policy",
    "split_ids",
]
