"""MOD-1: what a moderation task asks for, read from its ``KalturaModerationVendorTaskData``.

A moderation task (serviceFeature 15) carries comma-separated ``ruleIds``, ``policyIds`` and
``categoryIds`` (the moderation guide §7.3). Two facts shape how they are read:

* Under the ``reach_vendor`` response profile (what ``getJobs`` answers) the nested
  ``taskJobData`` keeps only its ``objectType`` (reference §3.4): the ids are *absent*.
  The full task data arrives with ``updateJob``'s answer, so a claimed task carries them.
* ``taskJobData`` is replaced whole on update (MOD-5, reference §4.3): the ids must be sent
  back with the output. An order whose three fields are all absent cannot be told from a
  hidden one, so :func:`moderation_order` refuses it rather than erase the customer's order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from ..errors import StateError

if TYPE_CHECKING:
    from ..models import EntryVendorTask

__all__ = ["MODERATION_TASK_DATA", "ModerationOrder", "moderation_order", "split_ids"]

#: The ``objectType`` of moderation task data (MOD-1).
MODERATION_TASK_DATA = "KalturaModerationVendorTaskData"


def split_ids(text: str | None) -> tuple[str, ...]:
    """``"1, 2,,3"`` → ``("1", "2", "3")``; None or empty → ``()``."""
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


@attrs.frozen
class ModerationOrder:
    """The ids a moderation task names, and its fields as they came (to send them back)."""

    rule_ids: tuple[str, ...]
    policy_ids: tuple[str, ...]
    category_ids: tuple[str, ...]
    #: ``ruleIds``/``policyIds``/``categoryIds`` exactly as received (None: absent).
    raw: tuple[str | None, str | None, str | None] = (None, None, None)

    def task_data(self, output_json: str) -> dict[str, str]:
        """MOD-5: the whole replacement ``taskJobData`` carrying ``output_json``: the order's
        fields as received (absent ones left out) and the ``objectType``."""
        names = ("ruleIds", "policyIds", "categoryIds")
        data = {
            name: value for name, value in zip(names, self.raw, strict=True) if value is not None
        }
        data["moderationOutputJson"] = output_json
        data["objectType"] = MODERATION_TASK_DATA
        return data


def moderation_order(task: EntryVendorTask) -> ModerationOrder:
    """MOD-1: the order of a moderation task, from its ``taskJobData``.

    Raises :class:`~kaltura_reach_vendor.errors.StateError` when the task carries no
    moderation task data, or carries it without any of the three fields (a task read
    through the ``reach_vendor`` profile: claim it first, ``updateJob`` answers in full).
    """
    from ..models import ModerationVendorTaskData

    data = task.task_job_data
    if not isinstance(data, ModerationVendorTaskData):
        kind = type(data).__name__ if data is not None else "none"
        raise StateError(
            f"task {task.id}: expected {MODERATION_TASK_DATA} task data, got {kind} (MOD-1)"
        )
    raw = (data.rule_ids, data.policy_ids, data.category_ids)
    if all(value is None for value in raw):
        raise StateError(
            f"task {task.id}: its moderation task data carries no ruleIds, policyIds or "
            "categoryIds (the reach_vendor profile hides them): claim the task first, whose "
            "answer carries them, so that they can be sent back with the output (MOD-5)"
        )
    return ModerationOrder(
        split_ids(data.rule_ids), split_ids(data.policy_ids), split_ids(data.category_ids), raw
    )
