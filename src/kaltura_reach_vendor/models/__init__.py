"""Typed models of the Kaltura objects a REACH vendor reads and sends.

Use :func:`parse` to turn Kaltura JSON into models and :func:`dump` for the reverse; both are
calls into :data:`converter`, a configured ``cattrs.Converter`` that your own code can use too
(``converter.structure(data, EntryVendorTask)``, ``converter.unstructure(task)``).  The
converter is built, and cattrs imported, on first use.
"""

from __future__ import annotations

import typing as _typing

from ._base import KalturaObject, ListResponse, ParseError, dump, parse, registered_types
from .assets import (
    Asset,
    AttachmentAsset,
    CaptionAsset,
    FlavorAsset,
    TextualAttachmentAsset,
    TranscriptAsset,
    UploadToken,
)
from .catalog import (
    CATALOG_ITEM_CLASSES,
    VendorAlignmentCatalogItem,
    VendorAudioDescriptionCatalogItem,
    VendorAvatarVodCatalogItem,
    VendorCaptionsCatalogItem,
    VendorCatalogItem,
    VendorCatalogItemPricing,
    VendorCatalogItemUnitPricing,
    VendorChapteringCatalogItem,
    VendorClipsCatalogItem,
    VendorDocumentEnrichmentCatalogItem,
    VendorDubbingCatalogItem,
    VendorExtendedAudioDescriptionCatalogItem,
    VendorImmersiveAgentCallCatalogItem,
    VendorImmersiveAgentChatCatalogItem,
    VendorIntelligentTaggingCatalogItem,
    VendorLiveCaptionCatalogItem,
    VendorLiveCatalogItem,
    VendorLiveTranslationCatalogItem,
    VendorMetadataEnrichmentCatalogItem,
    VendorModerationCatalogItem,
    VendorQuizCatalogItem,
    VendorSentimentAnalysisCatalogItem,
    VendorSignLanguageCatalogItem,
    VendorSpeechToVideoCatalogItem,
    VendorSummaryCatalogItem,
    VendorTranslationCatalogItem,
    VendorVideoAnalysisCatalogItem,
)
from .common import (
    KalturaString,
    MultiLingualString,
)
from .cue_points import (
    CuePoint,
    ThumbCuePoint,
)
from .entries import (
    AccessControlMessage,
    BaseEntry,
    CaptionPlaybackPluginData,
    MediaEntry,
    PlayableEntry,
    PlaybackContext,
    PlaybackSource,
)
from .lists import (
    AttachmentAssetListResponse,
    BaseEntryListResponse,
    CaptionAssetListResponse,
    CuePointListResponse,
    EntryVendorTaskListResponse,
    FlavorAssetListResponse,
    MediaListResponse,
    ModerationFlagListResponse,
    ReachProfileListResponse,
    VendorCatalogItemListResponse,
)
from .live import (
    EntryScheduleEvent,
    LiveCaptionFeature,
    LiveFeature,
    LiveStreamScheduleEvent,
    ScheduleEvent,
)
from .moderation import (
    ModerationFlag,
)
from .profile import (
    BaseVendorCredit,
    Dictionary,
    ReachProfile,
    ReoccurringVendorCredit,
    TimeRangeVendorCredit,
    UnlimitedVendorCredit,
    VendorCredit,
)
from .resources import (
    AssetParamsResourceContainer,
    AssetResource,
    AssetsParamsResourceContainers,
    ContentResource,
    EntryResource,
    RemoteStorageResource,
    Resource,
    ServerFileResource,
    StringResource,
    UploadedFileTokenResource,
    UrlResource,
)
from .task import (
    RELATED_CATALOG_ITEM,
    RELATED_REACH_PROFILE,
    EntryVendorTask,
    EntryVendorTaskUnit,
)
from .task_data import (
    AlignmentVendorTaskData,
    ClipsVendorTaskData,
    ImmersiveAgentCallVendorTaskData,
    ImmersiveAgentChatVendorTaskData,
    IntelligentTaggingVendorTaskData,
    LocalizedVendorTaskData,
    MetadataEnrichmentVendorTaskData,
    ModerationVendorTaskData,
    QuizVendorTaskData,
    ScheduledVendorTaskData,
    SentimentAnalysisVendorTaskData,
    SpeechToVideoVendorTaskData,
    SummaryVendorTaskData,
    TranslationVendorTaskData,
    VendorTaskData,
    VendorTaskDataCaptionAsset,
)

if _typing.TYPE_CHECKING:
    from ._convert import converter, make_converter


def __getattr__(name: str) -> _typing.Any:
    # ``converter`` and ``make_converter`` live in ``_convert``, which imports cattrs: loaded on
    # first use so that importing the SDK stays as fast as before.
    if name in ("converter", "make_converter"):
        from . import _convert

        return getattr(_convert, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CATALOG_ITEM_CLASSES",
    "RELATED_CATALOG_ITEM",
    "RELATED_REACH_PROFILE",
    "AccessControlMessage",
    "AlignmentVendorTaskData",
    "Asset",
    "AssetParamsResourceContainer",
    "AssetResource",
    "AssetsParamsResourceContainers",
    "AttachmentAsset",
    "AttachmentAssetListResponse",
    "BaseEntry",
    "BaseEntryListResponse",
    "BaseVendorCredit",
    "CaptionAsset",
    "CaptionAssetListResponse",
    "CaptionPlaybackPluginData",
    "ClipsVendorTaskData",
    "ContentResource",
    "CuePoint",
    "CuePointListResponse",
    "Dictionary",
    "EntryResource",
    "EntryScheduleEvent",
    "EntryVendorTask",
    "EntryVendorTaskListResponse",
    "EntryVendorTaskUnit",
    "FlavorAsset",
    "FlavorAssetListResponse",
    "ImmersiveAgentCallVendorTaskData",
    "ImmersiveAgentChatVendorTaskData",
    "IntelligentTaggingVendorTaskData",
    "KalturaObject",
    "KalturaString",
    "ListResponse",
    "LiveCaptionFeature",
    "LiveFeature",
    "LiveStreamScheduleEvent",
    "LocalizedVendorTaskData",
    "MediaEntry",
    "MediaListResponse",
    "MetadataEnrichmentVendorTaskData",
    "ModerationFlag",
    "ModerationFlagListResponse",
    "ModerationVendorTaskData",
    "MultiLingualString",
    "ParseError",
    "PlayableEntry",
    "PlaybackContext",
    "PlaybackSource",
    "QuizVendorTaskData",
    "ReachProfile",
    "ReachProfileListResponse",
    "RemoteStorageResource",
    "ReoccurringVendorCredit",
    "Resource",
    "ScheduleEvent",
    "ScheduledVendorTaskData",
    "SentimentAnalysisVendorTaskData",
    "ServerFileResource",
    "SpeechToVideoVendorTaskData",
    "StringResource",
    "SummaryVendorTaskData",
    "TextualAttachmentAsset",
    "ThumbCuePoint",
    "TimeRangeVendorCredit",
    "TranscriptAsset",
    "TranslationVendorTaskData",
    "UnlimitedVendorCredit",
    "UploadToken",
    "UploadedFileTokenResource",
    "UrlResource",
    "VendorAlignmentCatalogItem",
    "VendorAudioDescriptionCatalogItem",
    "VendorAvatarVodCatalogItem",
    "VendorCaptionsCatalogItem",
    "VendorCatalogItem",
    "VendorCatalogItemListResponse",
    "VendorCatalogItemPricing",
    "VendorCatalogItemUnitPricing",
    "VendorChapteringCatalogItem",
    "VendorClipsCatalogItem",
    "VendorCredit",
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
    "VendorTaskData",
    "VendorTaskDataCaptionAsset",
    "VendorTranslationCatalogItem",
    "VendorVideoAnalysisCatalogItem",
    "converter",
    "dump",
    "make_converter",
    "parse",
    "registered_types",
]
