"""The predefined rules and policies, exactly as the moderation guide §8.1–§8.3 gives them.

Where the guide is silent or contradicts itself, the reading taken is stated here:

* **Weights.** Policies 1 and 2 use their rules with "equal weight" and weights "should sum
  to 1.0" (§8.4): 1/8 for each of the 8 text rules, 1/7 for each of the 7 visual rules.
* **critical / max_score.** Not given for the predefined policies: no rule is critical and no
  rule's sum is capped. (§8.5 calls severities 71–100 "Severe (critical violation, high
  risk)"; that is a label of the severity scale, not the ``critical`` flag of a rule
  configuration, and is not read as one.)
* **Rule "Severity".** Read as the typical severity of a violation of the rule (see
  :class:`~kaltura_reach_vendor.moderation.Rule`); it does not enter the score.
* **Type.** Policy 2 has type ``"video"`` (§8.3, and §8.4's "text" or "video"); §8.2 calls
  its rules "visual". Both are :attr:`ModerationType.VIDEO` here.
* **The seed's sample output (§7.4)** shows one rule-1 violation of severity 85 next to a
  ``policy_1`` score of 42.5 that does not comply. With weight 1/8 that violation alone
  scores 85 × 0.125 = 10.625 (complying, since 10.625 < 0.2 × 100); 42.5 needs summed
  rule-1 severities of 340 (or weight 0.5). The sample is read as illustrative, with
  violations left out; the weights above follow the written rule ("equal weight").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..errors import UsageError
from .models import ModerationType, Policy, Rule, RuleConf

__all__ = [
    "PREDEFINED_POLICIES",
    "PREDEFINED_RULES",
    "TEXT_POLICY",
    "TEXT_RULES",
    "VISUAL_POLICY",
    "VISUAL_RULES",
    "resolve_policies",
]

_TEXT = ModerationType.TEXT
_VIDEO = ModerationType.VIDEO

#: §8.1: the 8 predefined text rules (evaluated by an LLM on name, description, tags, captions).
TEXT_RULES: tuple[Rule, ...] = (
    Rule(
        "1",
        "Hate Speech & Discrimination",
        _TEXT,
        "Content promoting violence or hatred based on protected characteristics",
        95,
    ),
    Rule(
        "2",
        "Explicit & Sexual Content",
        _TEXT,
        "Sexually explicit, pornographic, or suggestive content",
        90,
    ),
    Rule("3", "Violence & Gore", _TEXT, "Graphic violence, self-harm, extreme cruelty", 90),
    Rule(
        "4",
        "Profanity & Inappropriate Language",
        _TEXT,
        "Excessive profanity, offensive language, derogatory remarks",
        75,
    ),
    Rule("5", "Harassment & Cyberbullying", _TEXT, "Threats, personal attacks, intimidation", 90),
    Rule(
        "6",
        "Illegal Activities & Dangerous Behavior",
        _TEXT,
        "Content promoting illegal activities, drug use, weapons",
        85,
    ),
    Rule(
        "7",
        "Misinformation & False Claims",
        _TEXT,
        "Misleading information, conspiracy theories, false claims",
        80,
    ),
    Rule(
        "8",
        "Confidential & Sensitive Data",
        _TEXT,
        "Trade secrets, financial data, PII, internal communications",
        95,
    ),
)

#: §8.2: the 7 predefined visual rules (AWS Rekognition labels on key frames).
VISUAL_RULES: tuple[Rule, ...] = (
    Rule("20", "Explicit Nudity", _VIDEO, "Sexual activity, exposed genitalia, sex toys", 80),
    Rule(
        "21",
        "Violence",
        _VIDEO,
        "Weapon violence, physical violence, blood, explosions",
        80,
    ),
    Rule(
        "22",
        "Hate Symbols",
        _VIDEO,
        "Nazi symbols, white supremacy, extremist imagery, middle finger",
        80,
    ),
    Rule("23", "Drugs", _VIDEO, "Pills, smoking, drinking, alcoholic beverages", 50),
    Rule("24", "Self-harm / Suicide", _VIDEO, "Self-harm behavior", 80),
    Rule("25", "Graphic Medical Content", _VIDEO, "Surgery, emaciated bodies, corpses", 50),
    Rule(
        "26",
        "Non-Explicit Nudity",
        _VIDEO,
        "Bare back, implied nudity, kissing, swimwear",
        70,
    ),
)

#: Every predefined rule by id.
PREDEFINED_RULES: Mapping[str, Rule] = {rule.id: rule for rule in (*TEXT_RULES, *VISUAL_RULES)}


def _equal(rules: tuple[Rule, ...]) -> tuple[RuleConf, ...]:
    return tuple(RuleConf(rule.id, 1 / len(rules)) for rule in rules)


#: §8.3 policy 1: rules 1–8, equal weight (1/8), threshold 0.2 (comply below a score of 20).
TEXT_POLICY = Policy(
    "1",
    "Corporate Verbal Content Integrity & Compliance",
    _TEXT,
    _equal(TEXT_RULES),
    0.2,
    ("name", "description", "tags", "captions"),
)

#: §8.3 policy 2: rules 20–26, equal weight (1/7), threshold 0.6 (comply below a score of 60).
VISUAL_POLICY = Policy(
    "2",
    "Corporate Visual Content Integrity & Compliance",
    _VIDEO,
    _equal(VISUAL_RULES),
    0.6,
    ("video",),
)

#: The predefined policies by id.
PREDEFINED_POLICIES: Mapping[str, Policy] = {p.id: p for p in (TEXT_POLICY, VISUAL_POLICY)}


def resolve_policies(
    policy_ids: Iterable[str | int], custom: Iterable[Policy] = ()
) -> tuple[Policy, ...]:
    """The policies a task names (its ``policyIds``), predefined or among ``custom``.

    Custom policies live in the customer's configuration (§8.4), which a vendor cannot read
    through the REACH API: pass them. An id found in neither raises
    :class:`~kaltura_reach_vendor.errors.UsageError`; a custom policy with a predefined id
    replaces the predefined one.
    """
    known = {**PREDEFINED_POLICIES, **{p.id: p for p in custom}}
    chosen: list[Policy] = []
    missing = []
    for raw in policy_ids:
        policy_id = str(raw).strip()
        if not policy_id:
            continue
        if policy_id not in known:
            missing.append(policy_id)
        elif known[policy_id] not in chosen:
            chosen.append(known[policy_id])
    if missing:
        raise UsageError(
            f"unknown moderation policies {', '.join(missing)}: only policies 1 and 2 are "
            "predefined; pass custom policies with custom="
        )
    return tuple(chosen)
