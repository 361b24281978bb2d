"""Cue points; chapters are thumb cue points with ``sub_type=CHAPTER`` (reference §10.3)."""

from __future__ import annotations

import attrs

from ..enums import CuePointStatus, CuePointType, NullableBoolean, ThumbCuePointSubType
from ._base import KalturaObject, register

__all__ = ["CuePoint", "ThumbCuePoint"]


@register("KalturaCuePoint")
@attrs.define(kw_only=True, repr=False)
class CuePoint(KalturaObject):
    """Abstract base of cue points."""

    id: str | None = None
    int_id: int | None = None
    cue_point_type: CuePointType | None = None
    status: CuePointStatus | None = None
    entry_id: str | None = None
    partner_id: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    triggered_at: int | None = None
    tags: str | None = None
    #: milliseconds from the start of the entry.
    start_time: int | None = None
    user_id: str | None = None
    partner_data: str | None = None
    partner_sort_value: int | None = None
    force_stop: NullableBoolean | None = None
    thumb_offset: int | None = None
    system_name: str | None = None
    is_momentary: bool | None = None
    copied_from: str | None = None


@register("KalturaThumbCuePoint")
@attrs.define(kw_only=True, repr=False)
class ThumbCuePoint(CuePoint):
    asset_id: str | None = None
    description: str | None = None
    #: silently truncated to 255 characters by the server.
    title: str | None = None
    sub_type: ThumbCuePointSubType | None = None
