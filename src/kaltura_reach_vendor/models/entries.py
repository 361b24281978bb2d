"""Entries (base and media) and the playback context (reference §10.3)."""

from __future__ import annotations

from typing import Any

import attrs

from ..enums import EntryModerationStatus, EntryStatus, EntryType, MediaType
from ._base import KalturaObject, register
from .assets import FlavorAsset
from .common import MultiLingualString

__all__ = [
    "AccessControlMessage",
    "BaseEntry",
    "CaptionPlaybackPluginData",
    "MediaEntry",
    "PlayableEntry",
    "PlaybackContext",
    "PlaybackSource",
]


@register("KalturaBaseEntry")
@attrs.define(kw_only=True, repr=False)
class BaseEntry(KalturaObject):
    id: str | None = None
    name: str | None = None
    multi_lingual_name: list[MultiLingualString] | None = attrs.field(
        default=None, metadata={"wire": "multiLingual_name"}
    )
    description: str | None = None
    multi_lingual_description: list[MultiLingualString] | None = attrs.field(
        default=None, metadata={"wire": "multiLingual_description"}
    )
    partner_id: int | None = None
    user_id: str | None = None
    creator_id: str | None = None
    tags: str | None = None
    multi_lingual_tags: list[MultiLingualString] | None = attrs.field(
        default=None, metadata={"wire": "multiLingual_tags"}
    )
    admin_tags: str | None = None
    categories: str | None = None
    categories_ids: str | None = None
    status: EntryStatus | None = None
    moderation_status: EntryModerationStatus | None = None
    moderation_count: int | None = None
    type: EntryType | None = None
    created_at: int | None = None
    updated_at: int | None = None
    partner_data: str | None = None
    reference_id: str | None = None
    conversion_profile_id: int | None = None
    parent_entry_id: str | None = None
    root_entry_id: str | None = None
    template_entry_id: str | None = None
    display_in_search: int | None = None
    block_auto_transcript: bool | None = None
    version: int | None = None


@register("KalturaPlayableEntry")
@attrs.define(kw_only=True, repr=False)
class PlayableEntry(BaseEntry):
    #: seconds.
    duration: int | None = None
    ms_duration: int | None = None


@register("KalturaMediaEntry")
@attrs.define(kw_only=True, repr=False)
class MediaEntry(PlayableEntry):
    media_type: MediaType | None = None
    source_type: str | None = None
    flavor_params_ids: str | None = None
    streams: list[Any] | None = None


@register("KalturaPlaybackSource")
@attrs.define(kw_only=True, repr=False)
class PlaybackSource(KalturaObject):
    delivery_profile_id: str | None = None
    #: e.g. ``applehttp``, ``mpegdash``, ``url``.
    format: str | None = None
    protocols: str | None = None
    #: comma-separated flavor asset ids.
    flavor_ids: str | None = None
    url: str | None = None
    drm: list[Any] | None = None


@register("KalturaCaptionPlaybackPluginData")
@attrs.define(kw_only=True, repr=False)
class CaptionPlaybackPluginData(KalturaObject):
    label: str | None = None
    format: str | None = None
    language: str | None = None
    web_vtt_url: str | None = None
    url: str | None = None
    is_default: bool | None = None
    language_code: str | None = None


@register("KalturaAccessControlMessage")
@attrs.define(kw_only=True, repr=False)
class AccessControlMessage(KalturaObject):
    message: str | None = None
    code: str | None = None


@register("KalturaPlaybackContext")
@attrs.define(kw_only=True, repr=False)
class PlaybackContext(KalturaObject):
    """What ``baseEntry.getPlaybackContext`` returns."""

    sources: list[PlaybackSource] | None = None
    playback_captions: list[CaptionPlaybackPluginData] | None = None
    flavor_assets: list[FlavorAsset] | None = None
    actions: list[Any] | None = None
    messages: list[AccessControlMessage] | None = None
    bumper_data: list[Any] | None = None
