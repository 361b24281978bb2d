"""Moderation flags (``baseEntry.listFlags``)."""

from __future__ import annotations

import attrs

from ..enums import ModerationFlagStatus, ModerationFlagType
from ._base import KalturaObject, register

__all__ = ["ModerationFlag"]


@register("KalturaModerationFlag")
@attrs.define(kw_only=True, repr=False)
class ModerationFlag(KalturaObject):
    id: int | None = None
    partner_id: int | None = None
    user_id: str | None = None
    moderation_object_type: int | None = None
    flagged_entry_id: str | None = None
    flagged_user_id: str | None = None
    #: a string enum; the server may send the int ``1`` (kept, normalised to ``"1"``).
    status: ModerationFlagStatus | None = None
    comments: str | None = None
    flag_type: ModerationFlagType | None = None
    created_at: int | None = None
    updated_at: int | None = None
