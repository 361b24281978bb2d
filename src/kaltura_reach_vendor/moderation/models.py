"""Typed moderation rules, rule configurations, policies and violations (the moderation guide §8).

Pure data (attrs, frozen), validated on construction: a value outside what the guide allows
raises :class:`~kaltura_reach_vendor.errors.UsageError` (also a ``ValueError``).

* A :class:`Rule` is something content can violate: ids 1–8 are the predefined text rules,
  20–26 the predefined visual ones, custom rules start at 100 (§8.4).
* A :class:`Policy` groups rules through :class:`RuleConf` entries (per-policy ``weight``,
  ``critical``, ``max_score``) and decides compliance against its ``threshold`` (0–1).
* A :class:`Violation` is one finding of an engine: the rule, the quoted text, a severity
  0–100 and the times (seconds) it occurs at (MOD-2).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from typing import Any

import attrs

from ..errors import UsageError

__all__ = ["CUSTOM_RULE_MIN_ID", "ModerationType", "Policy", "Rule", "RuleConf", "Violation"]

#: Custom rules are numbered from 100 (the moderation guide §8.4).
CUSTOM_RULE_MIN_ID = 100


class ModerationType(str, enum.Enum):
    """What a policy (or rule) runs on. The seed's policy structure says ``"text"`` or
    ``"video"``; its rule table calls the video rules "visual" (§8.2): same thing."""

    TEXT = "text"
    VIDEO = "video"


def _id(value: object) -> str:
    """Rule and policy ids are strings on the wire (``"1"``); an int is accepted."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise UsageError(f"a moderation id is a string or an integer, got {type(value).__name__}")
    text = str(value).strip()
    if not text:
        raise UsageError("a moderation id may not be empty")
    return text


def _number(name: str, low: float, high: float | None = None) -> Any:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and attribute.default is None:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UsageError(f"{name} must be a number, got {type(value).__name__}")
        if not math.isfinite(value) or value < low or (high is not None and value > high):
            bound = f"from {low:g} to {high:g}" if high is not None else f">= {low:g}"
            raise UsageError(f"{name} must be {bound}, got {value!r}")

    return check


def _times(value: object) -> tuple[float, ...]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, (list, tuple)):
        raise UsageError(f"start_time must be a list of seconds, got {type(value).__name__}")
    times = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (int, float)) or not math.isfinite(item):
            raise UsageError(f"start_time holds seconds (numbers), got {item!r}")
        if item < 0:
            raise UsageError(f"start_time may not be negative, got {item!r}")
        times.append(item)
    return tuple(times)


def _strings(value: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@attrs.frozen
class Rule:
    """A moderation rule (§8.1, §8.2, §8.4).

    ``severity`` is the seed's per-rule "Severity" column for the predefined rules. The seed
    never says how it is used (the scoring of §8.5 only adds up the severities of
    *violations*), so the SDK reads it as the typical severity of a violation of that rule
    (:meth:`violation` uses it when no severity is given); it plays no part in scoring.
    """

    id: str = attrs.field(converter=_id)
    name: str
    type: ModerationType = attrs.field(converter=ModerationType)
    description: str = ""
    severity: int | None = attrs.field(default=None, validator=_number("severity", 0, 100))
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    @property
    def is_custom(self) -> bool:
        """Custom rules have ids from 100 (§8.4)."""
        return self.id.isdigit() and int(self.id) >= CUSTOM_RULE_MIN_ID

    def violation(self, text: str, *start_time: float, severity: float | None = None) -> Violation:
        """A :class:`Violation` of this rule (its name as ``rule``, ``severity`` defaulting to
        the rule's own)."""
        chosen = severity if severity is not None else self.severity
        if chosen is None:
            raise UsageError(f"rule {self.id} has no default severity: give severity=")
        return Violation(self.id, self.name, text, chosen, start_time)


@attrs.frozen
class RuleConf:
    """One rule inside a policy (§8.4 "ruleConf"): its weight (the weights of a policy
    should add up to 1.0), whether any violation fails the policy (``critical``), and the cap
    on the rule's summed severities (``max_score``, None: no cap)."""

    id: str = attrs.field(converter=_id)
    weight: float = attrs.field(validator=_number("weight", 0))
    critical: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    max_score: float | None = attrs.field(default=None, validator=_number("max_score", 0))


def _confs(value: Iterable[RuleConf]) -> tuple[RuleConf, ...]:
    confs = tuple(value)
    for conf in confs:
        if not isinstance(conf, RuleConf):
            raise UsageError(f"a policy's rule_confs are RuleConf objects, got {conf!r}")
    ids = [conf.id for conf in confs]
    if len(set(ids)) != len(ids):
        raise UsageError(f"a policy names each rule once, got rules {', '.join(ids)}")
    return confs


@attrs.frozen
class Policy:
    """A moderation policy (§8.3, §8.4): rules with their configuration and a threshold.

    ``threshold`` is a fraction 0–1 ("lower = stricter"); MOD-3 compares the score with
    ``threshold * 100`` (see :func:`~kaltura_reach_vendor.moderation.score_policy`).
    """

    id: str = attrs.field(converter=_id)
    name: str
    type: ModerationType = attrs.field(converter=ModerationType)
    rule_confs: tuple[RuleConf, ...] = attrs.field(converter=_confs)
    threshold: float = attrs.field(validator=_number("threshold", 0, 1))
    #: What the policy runs on: name, description, tags, captions, video (§8.4).
    run_on: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    @property
    def key(self) -> str:
        """The policy's key in the output summary: ``policy_<id>`` (MOD-2)."""
        return f"policy_{self.id}"

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(conf.id for conf in self.rule_confs)

    def conf(self, rule_id: str | int) -> RuleConf | None:
        """The configuration of ``rule_id`` in this policy, or None if it is not one of its."""
        wanted = str(rule_id)
        return next((c for c in self.rule_confs if c.id == wanted), None)


@attrs.frozen
class Violation:
    """One violation as MOD-2 writes it: ``{id, rule, text, severity, start_time[]}``.

    ``rule_id`` is the rule's id (``"id"`` on the wire), ``rule`` its name, ``text`` the
    quote, ``severity`` 0–100, ``start_time`` the seconds it occurs at (may be empty: a
    violation in the entry's name or tags has no time).
    """

    rule_id: str = attrs.field(converter=_id)
    rule: str
    text: str
    severity: float = attrs.field(validator=_number("severity", 0, 100))
    start_time: tuple[float, ...] = attrs.field(default=(), converter=_times)
