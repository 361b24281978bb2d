"""The moderation output JSON of MOD-2 (``moderationOutputJson``), written and read back.

Shape (the moderation guide §7.4; reference §12, documented by the guides only, not checked by the
server, which stores the string as it is)::

    {"violations": [{"id": "1", "rule": "Hate Speech & Discrimination",
                     "text": "exact quote", "severity": 85, "start_time": [125.5, 340.2]}],
     "summary": {"policy_1": {"score": 42.5, "comply": false, "critical_violation": false}}}

Reading is tolerant of what it does not know (extra keys anywhere, summary keys that are
not ``policy_<id>``, a missing ``text``/``rule``/``start_time``, a single time instead of a
list, a numeric rule id) and strict about what it does (a severity outside 0–100, a
``comply`` that is not a boolean): those raise
:class:`~kaltura_reach_vendor.errors.ModerationOutputError`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from ..errors import ModerationOutputError, ReachError
from .models import Violation

__all__ = ["ModerationReport", "PolicyScore", "parse_report"]

_PREFIX = "policy_"


@attrs.frozen
class PolicyScore:
    """One policy's entry in the summary: ``{score, comply, critical_violation}``."""

    policy_id: str
    score: float
    comply: bool
    critical_violation: bool

    @property
    def key(self) -> str:
        return f"{_PREFIX}{self.policy_id}"


def _number(value: float) -> float | int:
    """Whole numbers are written as integers (``85``, not ``85.0``)."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


@attrs.frozen
class ModerationReport:
    """What a moderation engine found: the violations and one summary entry per policy."""

    violations: tuple[Violation, ...] = ()
    summary: tuple[PolicyScore, ...] = ()

    @property
    def complies(self) -> bool:
        """Every policy complies (True when there is no policy). Seed §7.5: "entries that
        pass all policies are published to the category; entries that fail are rejected"."""
        return all(score.comply for score in self.summary)

    def policy(self, policy_id: str | int) -> PolicyScore | None:
        wanted = str(policy_id)
        return next((s for s in self.summary if s.policy_id == wanted), None)

    def __iter__(self) -> Iterator[Violation]:
        return iter(self.violations)

    def to_dict(self) -> dict[str, Any]:
        """The MOD-2 object."""
        return {
            "violations": [
                {
                    "id": v.rule_id,
                    "rule": v.rule,
                    "text": v.text,
                    "severity": _number(v.severity),
                    "start_time": [_number(t) for t in v.start_time],
                }
                for v in self.violations
            ],
            "summary": {
                s.key: {
                    "score": _number(s.score),
                    "comply": s.comply,
                    "critical_violation": s.critical_violation,
                }
                for s in self.summary
            },
        }

    def to_json(self) -> str:
        """The ``moderationOutputJson`` string (compact, UTF-8 characters kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


def _fail(message: str, body: Any) -> ModerationOutputError:
    return ModerationOutputError(f"moderation output: {message}", body=body)


def _as_float(value: Any, what: str, body: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _fail(f"{what} must be a number, got {value!r}", body)
    return value


def _violation(item: Any, index: int, body: Any) -> Violation:
    where = f"violations[{index}]"
    if not isinstance(item, Mapping):
        raise _fail(f"{where} must be an object, got {type(item).__name__}", body)
    if "id" not in item or "severity" not in item:
        raise _fail(f"{where} needs 'id' and 'severity'", body)
    severity = _as_float(item["severity"], f"{where}.severity", body)
    times = item.get("start_time")
    try:
        return Violation(
            item["id"],
            str(item.get("rule") or ""),
            str(item.get("text") or ""),
            severity,
            () if times is None else times,
        )
    except ReachError as error:  # a UsageError from the model's validation
        raise _fail(f"{where}: {error}", body) from None


def _score(key: str, item: Any, body: Any) -> PolicyScore:
    if not isinstance(item, Mapping):
        raise _fail(f"summary.{key} must be an object, got {type(item).__name__}", body)
    comply = item.get("comply")
    critical = item.get("critical_violation", False)
    if not isinstance(comply, bool) or not isinstance(critical, bool):
        raise _fail(f"summary.{key}: comply and critical_violation are booleans", body)
    score = _as_float(item.get("score"), f"summary.{key}.score", body)
    return PolicyScore(key[len(_PREFIX) :], score, comply, critical)


def parse_report(value: str | bytes | Mapping[str, Any]) -> ModerationReport:
    """Read a ``moderationOutputJson`` (the string, or the decoded object) back."""
    body: Any = value
    if isinstance(value, (str, bytes)):
        try:
            body = json.loads(value)
        except (ValueError, RecursionError):
            raise _fail("not JSON", None) from None
    if not isinstance(body, Mapping):
        raise _fail(f"expected an object, got {type(body).__name__}", body)
    violations = body.get("violations")
    summary = body.get("summary")
    violations = [] if violations is None else violations
    summary = {} if summary is None else summary
    if not isinstance(violations, list) or not isinstance(summary, Mapping):
        raise _fail("'violations' must be a list and 'summary' an object", body)
    return ModerationReport(
        tuple(_violation(item, i, body) for i, item in enumerate(violations)),
        tuple(
            _score(str(key), item, body)
            for key, item in summary.items()
            if str(key).startswith(_PREFIX) and len(str(key)) > len(_PREFIX)
        ),
    )
