"""kaltura-reach-vendor: a typed SDK for Kaltura REACH vendors.

Public names are listed in ``__all__`` (pinned by ``tests/test_public_api.py``);
everything not listed here is private and may change without notice.
"""

from __future__ import annotations

import typing as _typing

__version__ = "0.1.0"

from ._log import configure_from_env as _configure_from_env
from ._log import install_filters as _install_log_filters
from .errors import (
    AccessDeniedError,
    AlreadyClaimedError,
    ApiError,
    AudioFormatError,
    CannotExtendAccessKeyError,
    CannotFlagError,
    CaptionError,
    CaptionParseError,
    CaptionValidationError,
    ConfigurationError,
    ConversionError,
    DeliveryError,
    HTTPStatusError,
    IllegalTransitionError,
    InsecureTransportError,
    InvalidInputError,
    InvalidSessionError,
    LiveWindowClosed,
    MalformedKsError,
    MediaDownloadError,
    MediaError,
    MissingToolError,
    ModerationOutputError,
    NoMatchingFlavorError,
    NoPlayableSourceError,
    ObjectNotFoundError,
    ReachConnectionError,
    ReachError,
    ReachTimeoutError,
    ResponseDecodingError,
    ResponseTooLargeError,
    ResponseValidationError,
    SourceCaptionsRejected,
    StateError,
    TaskCancelled,
    TaskFinalStateError,
    TaskNotFoundError,
    TransportError,
    UsageError,
)

# Everything else is imported on first use (PEP 562), so that `import kaltura_reach_vendor`
# and a sync ReachClient load neither asyncio, cattrs, the caption libraries, the
# deliveries nor moderation (pinned by tests/test_import_cost.py). Type checkers see the
# imports below.
if _typing.TYPE_CHECKING:
    from ._entry_moderation import EntryModerationResult
    from ._readiness import ReadyWait
    from ._source_captions import SourceCaptions
    from ._wire.call import ApiCall, FilePart, JsonValue, ResultRef, SessionKind
    from .audio import AudioFacts, check_audio, read_audio_facts
    from .captions import (
        CaptionDocument,
        CaptionFormat,
        CaptionProblem,
        CaptionProblemKind,
        CaptionReport,
        Cue,
        apply_profile,
        caption_type_for,
        label_speakers,
        mark_speaker_changes,
        output_format,
        parse_captions,
        validate_captions,
        wrap_lines,
    )
    from .client import AsyncReachClient, ReachClient
    from .client_tag import build_client_tag
    from .deliveries import Chapter, DeliveryResult
    from .enums import (
        AttachmentType,
        CaptionAssetStatus,
        CaptionType,
        CatalogItemLanguage,
        EntryModerationStatus,
        EntryVendorTaskStatus,
        FlavorAssetStatus,
        ModerationFlagType,
        NullableBoolean,
        VendorCatalogItemOutputFormat,
        VendorServiceFeature,
        VendorServiceTurnAroundTime,
        VendorServiceType,
    )
    from .fairness import TaskKey, fair_order, task_key
    from .ks import KsInfo, parse_ks
    from .media import (
        Flavor,
        MediaDownload,
        MediaPlan,
        SecretUrl,
        choose_flavor,
        deletion_due,
        to_mp4,
    )
    from .models import (
        AssetResource,
        AttachmentAsset,
        BaseEntry,
        CaptionAsset,
        EntryResource,
        EntryVendorTask,
        EntryVendorTaskListResponse,
        FlavorAsset,
        KalturaObject,
        ListResponse,
        LiveCaptionFeature,
        LiveStreamScheduleEvent,
        MediaEntry,
        ModerationFlag,
        PlaybackContext,
        ReachProfile,
        StringResource,
        ThumbCuePoint,
        TranscriptAsset,
        UploadedFileTokenResource,
        UploadToken,
        UrlResource,
        VendorCatalogItem,
        VendorTaskData,
        converter,
        dump,
        make_converter,
        parse,
    )
    from .regions import Region
    from .retry import RetryPolicy
    from .session import AdminSecret, AppToken, HashType, token_hash

#: Where each lazily imported public name is defined.
_LAZY: dict[str, str] = {
    **dict.fromkeys(("EntryModerationResult",), "._entry_moderation"),
    **dict.fromkeys(("ReadyWait",), "._readiness"),
    **dict.fromkeys(("SourceCaptions",), "._source_captions"),
    **dict.fromkeys(
        ("ApiCall", "FilePart", "JsonValue", "ResultRef", "SessionKind"), "._wire.call"
    ),
    **dict.fromkeys(("AudioFacts", "check_audio", "read_audio_facts"), ".audio"),
    **dict.fromkeys(
        (
            "CaptionDocument",
            "CaptionFormat",
            "CaptionProblem",
            "CaptionProblemKind",
            "CaptionReport",
            "Cue",
            "apply_profile",
            "caption_type_for",
            "label_speakers",
            "mark_speaker_changes",
            "output_format",
            "parse_captions",
            "validate_captions",
            "wrap_lines",
        ),
        ".captions",
    ),
    **dict.fromkeys(("AsyncReachClient", "ReachClient"), ".client"),
    **dict.fromkeys(("build_client_tag",), ".client_tag"),
    **dict.fromkeys(("Chapter", "DeliveryResult"), ".deliveries"),
    **dict.fromkeys(
        (
            "AttachmentType",
            "CaptionAssetStatus",
            "CaptionType",
            "CatalogItemLanguage",
            "EntryModerationStatus",
            "EntryVendorTaskStatus",
            "FlavorAssetStatus",
            "ModerationFlagType",
            "NullableBoolean",
            "VendorCatalogItemOutputFormat",
            "VendorServiceFeature",
            "VendorServiceTurnAroundTime",
            "VendorServiceType",
        ),
        ".enums",
    ),
    **dict.fromkeys(("TaskKey", "fair_order", "task_key"), ".fairness"),
    **dict.fromkeys(("KsInfo", "parse_ks"), ".ks"),
    **dict.fromkeys(
        (
            "Flavor",
            "MediaDownload",
            "MediaPlan",
            "SecretUrl",
            "choose_flavor",
            "deletion_due",
            "to_mp4",
        ),
        ".media",
    ),
    **dict.fromkeys(
        (
            "AssetResource",
            "AttachmentAsset",
            "BaseEntry",
            "CaptionAsset",
            "EntryResource",
            "EntryVendorTask",
            "EntryVendorTaskListResponse",
            "FlavorAsset",
            "KalturaObject",
            "ListResponse",
            "LiveCaptionFeature",
            "LiveStreamScheduleEvent",
            "MediaEntry",
            "ModerationFlag",
            "PlaybackContext",
            "ReachProfile",
            "StringResource",
            "ThumbCuePoint",
            "TranscriptAsset",
            "UploadToken",
            "UploadedFileTokenResource",
            "UrlResource",
            "VendorCatalogItem",
            "VendorTaskData",
            "converter",
            "dump",
            "make_converter",
            "parse",
        ),
        ".models",
    ),
    **dict.fromkeys(("Region",), ".regions"),
    **dict.fromkeys(("RetryPolicy",), ".retry"),
    **dict.fromkeys(("AdminSecret", "AppToken", "HashType", "token_hash"), ".session"),
}


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups find it without calling this again
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


_install_log_filters()  # NullHandler; masking on the httpx and httpcore loggers (AUTH-9)
_configure_from_env()  # KALTURA_REACH_LOG; an unknown value raises ConfigurationError

__all__ = [
    "AccessDeniedError",
    "AdminSecret",
    "AlreadyClaimedError",
    "ApiCall",
    "ApiError",
    "AppToken",
    "AssetResource",
    "AsyncReachClient",
    "AttachmentAsset",
    "AttachmentType",
    "AudioFacts",
    "AudioFormatError",
    "BaseEntry",
    "CannotExtendAccessKeyError",
    "CannotFlagError",
    "CaptionAsset",
    "CaptionAssetStatus",
    "CaptionDocument",
    "CaptionError",
    "CaptionFormat",
    "CaptionParseError",
    "CaptionProblem",
    "CaptionProblemKind",
    "CaptionReport",
    "CaptionType",
    "CaptionValidationError",
    "CatalogItemLanguage",
    "Chapter",
    "ConfigurationError",
    "ConversionError",
    "Cue",
    "DeliveryError",
    "DeliveryResult",
    "EntryModerationResult",
    "EntryModerationStatus",
    "EntryResource",
    "EntryVendorTask",
    "EntryVendorTaskListResponse",
    "EntryVendorTaskStatus",
    "FilePart",
    "Flavor",
    "FlavorAsset",
    "FlavorAssetStatus",
    "HTTPStatusError",
    "HashType",
    "IllegalTransitionError",
    "InsecureTransportError",
    "InvalidInputError",
    "InvalidSessionError",
    "JsonValue",
    "KalturaObject",
    "KsInfo",
    "ListResponse",
    "LiveCaptionFeature",
    "LiveStreamScheduleEvent",
    "LiveWindowClosed",
    "MalformedKsError",
    "MediaDownload",
    "MediaDownloadError",
    "MediaEntry",
    "MediaError",
    "MediaPlan",
    "MissingToolError",
    "ModerationFlag",
    "ModerationFlagType",
    "ModerationOutputError",
    "NoMatchingFlavorError",
    "NoPlayableSourceError",
    "NullableBoolean",
    "ObjectNotFoundError",
    "PlaybackContext",
    "ReachClient",
    "ReachConnectionError",
    "ReachError",
    "ReachProfile",
    "ReachTimeoutError",
    "ReadyWait",
    "Region",
    "ResponseDecodingError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ResultRef",
    "RetryPolicy",
    "SecretUrl",
    "SessionKind",
    "SourceCaptions",
    "SourceCaptionsRejected",
    "StateError",
    "StringResource",
    "TaskCancelled",
    "TaskFinalStateError",
    "TaskKey",
    "TaskNotFoundError",
    "ThumbCuePoint",
    "TranscriptAsset",
    "TransportError",
    "UploadToken",
    "UploadedFileTokenResource",
    "UrlResource",
    "UsageError",
    "VendorCatalogItem",
    "VendorCatalogItemOutputFormat",
    "VendorServiceFeature",
    "VendorServiceTurnAroundTime",
    "VendorServiceType",
    "VendorTaskData",
    "__version__",
    "apply_profile",
    "build_client_tag",
    "caption_type_for",
    "check_audio",
    "choose_flavor",
    "converter",
    "deletion_due",
    "dump",
    "fair_order",
    "label_speakers",
    "make_converter",
    "mark_speaker_changes",
    "output_format",
    "parse",
    "parse_captions",
    "parse_ks",
    "read_audio_facts",
    "task_key",
    "to_mp4",
    "token_hash",
    "validate_captions",
    "wrap_lines",
]
