"""``taskJobData`` classes: what a task carries besides its catalog item (reference §5)."""

from __future__ import annotations

import attrs

from ..enums import MetadataEnrichmentApplyMode, SummaryWritingStyleTaskData, TypeOfSummaryTaskData
from ._base import KalturaObject, register
from .common import KalturaString

__all__ = [
    "AlignmentVendorTaskData",
    "ClipsVendorTaskData",
    "ImmersiveAgentCallVendorTaskData",
    "ImmersiveAgentChatVendorTaskData",
    "IntelligentTaggingVendorTaskData",
    "LocalizedVendorTaskData",
    "MetadataEnrichmentVendorTaskData",
    "ModerationVendorTaskData",
    "QuizVendorTaskData",
    "ScheduledVendorTaskData",
    "SentimentAnalysisVendorTaskData",
    "SpeechToVideoVendorTaskData",
    "SummaryVendorTaskData",
    "TranslationVendorTaskData",
    "VendorTaskData",
    "VendorTaskDataCaptionAsset",
]


@register("KalturaVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class VendorTaskData(KalturaObject):
    """Abstract base of every ``taskJobData`` (``objectType`` is mandatory when sending)."""

    #: entry duration in milliseconds (read-only; echo back only the identical value).
    entry_duration: int | None = None
    vendor_comment: str | None = None


@register("KalturaVendorTaskDataCaptionAsset")
@attrs.define(kw_only=True, repr=False)
class VendorTaskDataCaptionAsset(VendorTaskData):
    caption_asset_id: str | None = None


@register("KalturaTranslationVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class TranslationVendorTaskData(VendorTaskDataCaptionAsset):
    """Translation: ``caption_asset_id`` is the source caption (absent if not required)."""


@register("KalturaAlignmentVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class AlignmentVendorTaskData(VendorTaskDataCaptionAsset):
    text_transcript_asset_id: str | None = None
    json_transcript_asset_id: str | None = None


@register("KalturaScheduledVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class ScheduledVendorTaskData(VendorTaskData):
    """Live tasks: the window of the scheduled event (epoch seconds)."""

    start_date: int | None = None
    end_date: int | None = None
    scheduled_event_id: int | None = None


@register("KalturaIntelligentTaggingVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class IntelligentTaggingVendorTaskData(VendorTaskData):
    asset_id: str | None = None


@register("KalturaModerationVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class ModerationVendorTaskData(VendorTaskData):
    """Moderation: comma-separated ids in, ``moderation_output_json`` out (reference §12)."""

    rule_ids: str | None = None
    policy_ids: str | None = None
    category_ids: str | None = None
    moderation_output_json: str | None = None


@register("KalturaLocalizedVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class LocalizedVendorTaskData(VendorTaskData):
    output_language: str | None = None
    output_json: str | None = None


@register("KalturaClipsVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class ClipsVendorTaskData(LocalizedVendorTaskData):
    clips_duration: int | None = None
    event_session_context_id: str | None = None
    instruction: str | None = None
    clips_output_json: str | None = None


@register("KalturaQuizVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class QuizVendorTaskData(LocalizedVendorTaskData):
    number_of_questions: int | None = None
    questions_type: str | None = None
    context: str | None = None
    formal_style: str | None = None
    create_quiz: bool | None = None
    quiz_output: str | None = None
    instruction: str | None = None


@register("KalturaSummaryVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class SummaryVendorTaskData(LocalizedVendorTaskData):
    type_of_summary: TypeOfSummaryTaskData | None = None
    writing_style: SummaryWritingStyleTaskData | None = None
    summary_output_json: str | None = None
    instruction: str | None = None


@register("KalturaMetadataEnrichmentVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class MetadataEnrichmentVendorTaskData(LocalizedVendorTaskData):
    detail_level: str | None = None
    instruction: str | None = None
    should_apply: bool | None = None
    apply_mode: MetadataEnrichmentApplyMode | None = None
    override_fields: list[KalturaString] | None = None


@register("KalturaSentimentAnalysisVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class SentimentAnalysisVendorTaskData(VendorTaskData):
    #: lower-case ISO code (``KalturaLanguageCode``), e.g. ``"en"``.
    language: str | None = None


@register("KalturaSpeechToVideoVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class SpeechToVideoVendorTaskData(VendorTaskData):
    avatar_id: str | None = None
    conversion_profile_id: int | None = None


@register("KalturaImmersiveAgentCallVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class ImmersiveAgentCallVendorTaskData(VendorTaskData):
    call_id: str | None = None


@register("KalturaImmersiveAgentChatVendorTaskData")
@attrs.define(kw_only=True, repr=False)
class ImmersiveAgentChatVendorTaskData(VendorTaskData):
    """No own fields.  (The server maps chat data to a misspelt, non-existent class.)"""
