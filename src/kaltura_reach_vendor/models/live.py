"""Live caption features and live-stream schedule events (reference §11)."""

from __future__ import annotations

from typing import ClassVar

import attrs

from ..enums import ScheduleEventStatus
from ._base import KalturaObject, register

__all__ = [
    "EntryScheduleEvent",
    "LiveCaptionFeature",
    "LiveFeature",
    "LiveStreamScheduleEvent",
    "ScheduleEvent",
]


@register("KalturaLiveFeature")
@attrs.define(kw_only=True, repr=False)
class LiveFeature(KalturaObject):
    """Abstract base of live features."""

    #: for REACH features: ``LiveCaptionFeature-reach-{taskId}`` (the ``featureName``).
    system_name: str | None = None
    pre_start_time: int | None = None
    post_end_time: int | None = None


@register("KalturaLiveCaptionFeature")
@attrs.define(kw_only=True, repr=False)
class LiveCaptionFeature(LiveFeature):
    """``media_key`` and ``caption_token`` are secrets (masked in repr)."""

    media_url: str | None = None
    media_key: str | None = None
    caption_url: str | None = None
    caption_token: str | None = None
    #: seconds the stream waits for caption data.
    input_delay: int | None = None
    caption_format: str | None = None
    #: 3-letter ISO 639-2/T code.
    language: str | None = None

    _secret_fields: ClassVar[frozenset[str]] = frozenset({"media_key", "caption_token"})


@register("KalturaScheduleEvent")
@attrs.define(kw_only=True, repr=False)
class ScheduleEvent(KalturaObject):
    id: int | None = None
    partner_id: int | None = None
    summary: str | None = None
    description: str | None = None
    status: ScheduleEventStatus | None = None
    start_date: int | None = None
    end_date: int | None = None
    tags: str | None = None
    created_at: int | None = None
    updated_at: int | None = None


@register("KalturaEntryScheduleEvent")
@attrs.define(kw_only=True, repr=False)
class EntryScheduleEvent(ScheduleEvent):
    template_entry_id: str | None = None
    entry_ids: str | None = None
    category_ids: str | None = None


@register("KalturaLiveStreamScheduleEvent")
@attrs.define(kw_only=True, repr=False)
class LiveStreamScheduleEvent(EntryScheduleEvent):
    source_entry_id: str | None = None
    pre_start_time: int | None = None
    post_end_time: int | None = None
    live_features: list[LiveFeature] | None = None

    def feature(self, system_name: str) -> LiveFeature | None:
        """The live feature named ``system_name`` (e.g. ``LiveCaptionFeature-reach-42``)."""
        for f in self.live_features or ():
            if f.system_name == system_name:
                return f
        return None
