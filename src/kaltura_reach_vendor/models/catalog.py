"""Catalog items: the service a customer ordered (reference §6).

Kaltura sometimes sends a catalog item with the abstract ``objectType``
``KalturaVendorCatalogItem`` (seed 002).  Parsing then picks the subclass its ``serviceFeature``
names (so ``output_format``, ``target_language``… are typed attributes) and keeps the original
``objectType`` in ``extra``, so ``dump`` sends back exactly what came in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from ..enums import (
    CatalogItemLanguage,
    NullableBoolean,
    ReachVendorEngineType,
    VendorCatalogItemOutputFormat,
    VendorCatalogItemPriceFunction,
    VendorCatalogItemStage,
    VendorCatalogItemStatus,
    VendorDocumentEnrichmentType,
    VendorServiceFeature,
    VendorServiceTurnAroundTime,
    VendorServiceType,
    VendorVideoAnalysisType,
)
from ._base import KalturaObject, register

__all__ = [
    "CATALOG_ITEM_CLASSES",
    "VendorAlignmentCatalogItem",
    "VendorAudioDescriptionCatalogItem",
    "VendorAvatarVodCatalogItem",
    "VendorCaptionsCatalogItem",
    "VendorCatalogItem",
    "VendorCatalogItemPricing",
    "VendorCatalogItemUnitPricing",
    "VendorChapteringCatalogItem",
    "VendorClipsCatalogItem",
    "VendorDocumentEnrichmentCatalogItem",
    "VendorDubbingCatalogItem",
    "VendorExtendedAudioDescriptionCatalogItem",
    "VendorImmersiveAgentCallCatalogItem",
    "VendorImmersiveAgentChatCatalogItem",
    "VendorIntelligentTaggingCatalogItem",
    "VendorLiveCaptionCatalogItem",
    "VendorLiveCatalogItem",
    "VendorLiveTranslationCatalogItem",
    "VendorMetadataEnrichmentCatalogItem",
    "VendorModerationCatalogItem",
    "VendorQuizCatalogItem",
    "VendorSentimentAnalysisCatalogItem",
    "VendorSignLanguageCatalogItem",
    "VendorSpeechToVideoCatalogItem",
    "VendorSummaryCatalogItem",
    "VendorTranslationCatalogItem",
    "VendorVideoAnalysisCatalogItem",
]


@register("KalturaVendorCatalogItemPricing")
@attrs.define(kw_only=True, repr=False)
class VendorCatalogItemPricing(KalturaObject):
    price_per_unit: float | None = None
    price_function: VendorCatalogItemPriceFunction | None = None


@register("KalturaVendorCatalogItemUnitPricing")
@attrs.define(kw_only=True, repr=False)
class VendorCatalogItemUnitPricing(KalturaObject):
    service_name: str | None = None
    price_unit: VendorCatalogItemPricing | None = None


def _by_feature(d: Mapping[str, Any]) -> type[Any] | None:
    raw = d.get("serviceFeature")
    if raw is None:
        return None
    try:
        feature = VendorServiceFeature(raw)
    except (ValueError, TypeError):
        return None
    return CATALOG_ITEM_CLASSES.get(feature)


@register("KalturaVendorCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorCatalogItem(KalturaObject):
    """Abstract base of catalog items (``serviceFeature`` decides the subclass)."""

    id: int | None = None
    vendor_partner_id: int | None = None
    name: str | None = None
    system_name: str | None = None
    created_at: int | None = None
    updated_at: int | None = None
    status: VendorCatalogItemStatus | None = None
    service_type: VendorServiceType | None = None
    service_feature: VendorServiceFeature | None = None
    turn_around_time: VendorServiceTurnAroundTime | None = None
    pricing: VendorCatalogItemPricing | None = None
    pricing_array: list[VendorCatalogItemUnitPricing] | None = None
    engine_type: ReachVendorEngineType | None = None
    #: the language of the media, set by the ordering user; authoritative (INPUT-2).
    source_language: CatalogItemLanguage | None = None
    allow_resubmission: bool | None = None
    pay_per_use: bool | None = None
    vendor_data: str | None = None
    stage: VendorCatalogItemStage | None = None
    last_bulk_update_id: int | None = None
    contract: str | None = None
    created_by: str | None = None
    notes: str | None = None
    partner_id: int | None = None
    default_reach_profile_id: int | None = None
    admin_tags_to_exclude: str | None = None

    _refine: ClassVar[Any] = staticmethod(_by_feature)


@register("KalturaVendorCaptionsCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorCaptionsCatalogItem(VendorCatalogItem):
    output_format: VendorCatalogItemOutputFormat | None = None
    enable_speaker_id: NullableBoolean | None = None
    fixed_price_addons: int | None = None


@register("KalturaVendorTranslationCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorTranslationCatalogItem(VendorCaptionsCatalogItem):
    target_language: CatalogItemLanguage | None = None
    #: whether a source caption asset is required (server default: true).
    require_source: bool | None = None


@register("KalturaVendorAlignmentCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorAlignmentCatalogItem(VendorCatalogItem):
    output_format: VendorCatalogItemOutputFormat | None = None


@register("KalturaVendorAudioDescriptionCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorAudioDescriptionCatalogItem(VendorCatalogItem):
    flavor_params_id: int | None = None
    clear_audio_flavor_params_id: int | None = None


@register("KalturaVendorChapteringCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorChapteringCatalogItem(VendorCatalogItem):
    pass


@register("KalturaVendorIntelligentTaggingCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorIntelligentTaggingCatalogItem(VendorCatalogItem):
    pass


@register("KalturaVendorDubbingCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorDubbingCatalogItem(VendorCatalogItem):
    flavor_params_id: int | None = None
    clear_audio_flavor_params_id: int | None = None
    target_language: CatalogItemLanguage | None = None


@register("KalturaVendorLiveCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorLiveCatalogItem(VendorCaptionsCatalogItem):
    """Intermediate live class.  Units as in the server: minutes (see reference §6.2 note)."""

    minimal_refund_time: int | None = None
    minimal_order_time: int | None = None
    duration_limit: int | None = None


@register("KalturaVendorLiveCaptionCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorLiveCaptionCatalogItem(VendorLiveCatalogItem):
    #: seconds (0–3600) the service runs before the stream starts / after it ends.
    start_time_buffer: int | None = None
    end_time_buffer: int | None = None


@register("KalturaVendorExtendedAudioDescriptionCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorExtendedAudioDescriptionCatalogItem(VendorCatalogItem):
    flavor_params_id: int | None = None
    clear_audio_flavor_params_id: int | None = None
    output_format: VendorCatalogItemOutputFormat | None = None


@register("KalturaVendorClipsCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorClipsCatalogItem(VendorCatalogItem):
    pass


@register("KalturaVendorLiveTranslationCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorLiveTranslationCatalogItem(VendorLiveCatalogItem):
    target_language: CatalogItemLanguage | None = None


@register("KalturaVendorQuizCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorQuizCatalogItem(VendorCatalogItem):
    pass


@register("KalturaVendorSummaryCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorSummaryCatalogItem(VendorCatalogItem):
    pass


@register("KalturaVendorVideoAnalysisCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorVideoAnalysisCatalogItem(VendorCatalogItem):
    video_analysis_type: VendorVideoAnalysisType | None = None
    max_video_duration: int | None = None


@register("KalturaVendorModerationCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorModerationCatalogItem(VendorCatalogItem):
    pass


@register("KalturaVendorMetadataEnrichmentCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorMetadataEnrichmentCatalogItem(VendorCatalogItem):
    pass


@register("KalturaVendorSentimentAnalysisCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorSentimentAnalysisCatalogItem(VendorCatalogItem):
    pass


@register("KalturaVendorDocumentEnrichmentCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorDocumentEnrichmentCatalogItem(VendorCatalogItem):
    document_enrichment_type: VendorDocumentEnrichmentType | None = None


@register("KalturaVendorSignLanguageCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorSignLanguageCatalogItem(VendorCatalogItem):
    #: e.g. ``English (ASL)`` or ``English (BSL)``.
    target_language: CatalogItemLanguage | None = None


@register("KalturaVendorSpeechToVideoCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorSpeechToVideoCatalogItem(VendorCatalogItem):
    pass


@register("KalturaVendorImmersiveAgentCallCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorImmersiveAgentCallCatalogItem(VendorCatalogItem):
    pass


@register("KalturaVendorImmersiveAgentChatCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorImmersiveAgentChatCatalogItem(VendorCatalogItem):
    pass


@register("KalturaVendorAvatarVodCatalogItem")
@attrs.define(kw_only=True, repr=False)
class VendorAvatarVodCatalogItem(VendorCatalogItem):
    pass


#: The concrete catalog item class for each service feature (server ``getCatalogItemName``).
CATALOG_ITEM_CLASSES: dict[VendorServiceFeature, type[VendorCatalogItem]] = {
    VendorServiceFeature.CAPTIONS: VendorCaptionsCatalogItem,
    VendorServiceFeature.TRANSLATION: VendorTranslationCatalogItem,
    VendorServiceFeature.ALIGNMENT: VendorAlignmentCatalogItem,
    VendorServiceFeature.AUDIO_DESCRIPTION: VendorAudioDescriptionCatalogItem,
    VendorServiceFeature.CHAPTERING: VendorChapteringCatalogItem,
    VendorServiceFeature.INTELLIGENT_TAGGING: VendorIntelligentTaggingCatalogItem,
    VendorServiceFeature.DUBBING: VendorDubbingCatalogItem,
    VendorServiceFeature.LIVE_CAPTION: VendorLiveCaptionCatalogItem,
    VendorServiceFeature.EXTENDED_AUDIO_DESCRIPTION: VendorExtendedAudioDescriptionCatalogItem,
    VendorServiceFeature.CLIPS: VendorClipsCatalogItem,
    VendorServiceFeature.LIVE_TRANSLATION: VendorLiveTranslationCatalogItem,
    VendorServiceFeature.QUIZ: VendorQuizCatalogItem,
    VendorServiceFeature.SUMMARY: VendorSummaryCatalogItem,
    VendorServiceFeature.VIDEO_ANALYSIS: VendorVideoAnalysisCatalogItem,
    VendorServiceFeature.MODERATION: VendorModerationCatalogItem,
    VendorServiceFeature.METADATA_ENRICHMENT: VendorMetadataEnrichmentCatalogItem,
    VendorServiceFeature.SENTIMENT_ANALYSIS: VendorSentimentAnalysisCatalogItem,
    VendorServiceFeature.DOCUMENT_ENRICHMENT: VendorDocumentEnrichmentCatalogItem,
    VendorServiceFeature.SIGN_LANGUAGE: VendorSignLanguageCatalogItem,
    VendorServiceFeature.SPEECH_TO_VIDEO: VendorSpeechToVideoCatalogItem,
    VendorServiceFeature.IMMERSIVE_AGENT_CALL: VendorImmersiveAgentCallCatalogItem,
    VendorServiceFeature.IMMERSIVE_AGENT_CHAT: VendorImmersiveAgentChatCatalogItem,
    VendorServiceFeature.AVATAR_VOD: VendorAvatarVodCatalogItem,
}
