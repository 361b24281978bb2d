"""Assets (caption, attachment, transcript, flavor) and upload tokens (reference §10.3)."""

from __future__ import annotations

import attrs

from ..enums import (
    AttachmentAssetStatus,
    AttachmentType,
    CaptionAssetStatus,
    CaptionAssetUsage,
    CaptionSource,
    CaptionType,
    FlavorAssetStatus,
    NullableBoolean,
    TranscriptProviderType,
    UploadTokenStatus,
)
from ._base import KalturaObject, register

__all__ = [
    "Asset",
    "AttachmentAsset",
    "CaptionAsset",
    "FlavorAsset",
    "TextualAttachmentAsset",
    "TranscriptAsset",
    "UploadToken",
]


@register("KalturaAsset")
@attrs.define(kw_only=True, repr=False)
class Asset(KalturaObject):
    id: str | None = None
    entry_id: str | None = None
    partner_id: int | None = None
    version: int | None = None
    #: size in KB.
    size: int | None = None
    tags: str | None = None
    file_ext: str | None = None
    created_at: int | None = None
    updated_at: int | None = None
    deleted_at: int | None = None
    description: str | None = None
    partner_data: str | None = None
    partner_description: str | None = None
    actual_source_asset_params_ids: str | None = None
    size_in_bytes: int | None = None


@register("KalturaCaptionAsset")
@attrs.define(kw_only=True, repr=False)
class CaptionAsset(Asset):
    caption_params_id: int | None = None
    #: ``KalturaLanguage`` English name, e.g. ``"English"``.
    language: str | None = None
    language_code: str | None = None
    is_default: NullableBoolean | None = None
    label: str | None = None
    format: CaptionType | None = None
    source: CaptionSource | None = None
    status: CaptionAssetStatus | None = None
    parent_id: str | None = None
    #: integer percentage.
    accuracy: int | None = None
    display_on_player: bool | None = None
    associated_transcript_ids: str | None = None
    usage: CaptionAssetUsage | None = None


@register("KalturaAttachmentAsset")
@attrs.define(kw_only=True, repr=False)
class AttachmentAsset(Asset):
    filename: str | None = None
    title: str | None = None
    format: AttachmentType | None = None
    status: AttachmentAssetStatus | None = None


@register("KalturaTextualAttachmentAsset")
@attrs.define(kw_only=True, repr=False)
class TextualAttachmentAsset(AttachmentAsset):
    language: str | None = None
    human_verified: NullableBoolean | None = None


@register("KalturaTranscriptAsset")
@attrs.define(kw_only=True, repr=False)
class TranscriptAsset(TextualAttachmentAsset):
    #: a float 0–1 (unlike caption and task accuracy, which are percentages).
    accuracy: float | None = None
    provider_type: TranscriptProviderType | None = None


@register("KalturaFlavorAsset")
@attrs.define(kw_only=True, repr=False)
class FlavorAsset(Asset):
    flavor_params_id: int | None = None
    width: int | None = None
    height: int | None = None
    bitrate: int | None = None
    frame_rate: float | None = None
    is_original: bool | None = None
    is_web: bool | None = None
    container_format: str | None = None
    video_codec_id: str | None = None
    status: FlavorAssetStatus | None = None
    language: str | None = None
    label: str | None = None
    is_default: NullableBoolean | None = None


@register("KalturaUploadToken")
@attrs.define(kw_only=True, repr=False)
class UploadToken(KalturaObject):
    id: str | None = None
    partner_id: int | None = None
    user_id: str | None = None
    status: UploadTokenStatus | None = None
    file_name: str | None = None
    file_size: float | None = None
    uploaded_file_size: float | None = None
    created_at: int | None = None
    updated_at: int | None = None
    upload_url: str | None = None
    auto_finalize: NullableBoolean | None = None
    attached_object_type: str | None = None
    attached_object_id: str | None = None
