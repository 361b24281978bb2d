"""Moderation: score stand-in findings against the task's policies and deliver the report.

Run: ``python examples/moderation.py`` (sandbox without ``KALTURA_*`` variables, your account
with them).

Rules relied on (docs/rules.md): LIFE-10 (units_used when pay-per-use), LIFE-2 (claim first),
MOD-1 (the task data naming rules and policies), MOD-2 (the output JSON), MOD-3 and MOD-4
(violations scored per policy), task READY.
"""

from __future__ import annotations

from _account import account, billed_minutes

from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.enums import VendorServiceFeature as F
from kaltura_reach_vendor.moderation import (
    PREDEFINED_RULES,
    Violation,
    evaluate,
    moderation_order,
    resolve_policies,
)


def main(client: ReachClient) -> None:
    for task in client.iter_jobs():
        if task.effective_service_feature != F.MODERATION:
            continue
        client.claim(task, external_task_id=f"moderation-{task.id}")
        order = moderation_order(task)
        found: list[Violation] = []
        for rule_id in order.rule_ids[:2]:  # a stand-in detector "finds" something mild
            rule = PREDEFINED_RULES.get(rule_id)
            if rule is not None:
                found.append(rule.violation("a mildly rude word", 4.2, severity=20))
        report = evaluate(found, resolve_policies(order.policy_ids))
        result = client.deliver_moderation(
            task, report, accuracy=92, units_used=billed_minutes(task, 9_800)
        )
        status = result.task.status.name if result.task.status else "?"
        print(
            f"moderation task {task.id}: {status}, {len(found)} findings, "
            f"output {result.output_object_id}"
        )
        return
    print("no moderation task pending")


if __name__ == "__main__":
    with account() as reach:
        main(reach)
