"""The public surface is exactly ``__all__``; changing it is a deliberate act (pinned here)."""

from __future__ import annotations

import types

import kaltura_reach_vendor as krv

FOUNDATION = {
    "__version__",
    "AccessDeniedError",
    "AdminSecret",
    "AlreadyClaimedError",
    "ApiCall",
    "ApiError",
    "AppToken",
    "AsyncReachClient",
    "CannotExtendAccessKeyError",
    "ConfigurationError",
    "Chapter",
    "ConversionError",
    "DeliveryError",
    "DeliveryResult",
    "FilePart",
    "HTTPStatusError",
    "HashType",
    "IllegalTransitionError",
    "InsecureTransportError",
    "InvalidInputError",
    "InvalidSessionError",
    "JsonValue",
    "LiveWindowClosed",
    "KsInfo",
    "MalformedKsError",
    "MediaDownloadError",
    "ObjectNotFoundError",
    "ReachClient",
    "ReachConnectionError",
    "ReachError",
    "ReachTimeoutError",
    "ReadyWait",
    "Region",
    "ResponseDecodingError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ResultRef",
    "RetryPolicy",
    "SessionKind",
    "StateError",
    "TaskCancelled",
    "TaskFinalStateError",
    "TaskNotFoundError",
    "TransportError",
    "UsageError",
    "build_client_tag",
    "parse_ks",
    "token_hash",
}

MODELS = {
    "AssetResource",
    "AttachmentAsset",
    "AttachmentType",
    "BaseEntry",
    "CaptionAsset",
    "CaptionAssetStatus",
    "CaptionType",
    "CatalogItemLanguage",
    "EntryResource",
    "EntryVendorTask",
    "EntryVendorTaskListResponse",
    "EntryVendorTaskStatus",
    "FlavorAsset",
    "FlavorAssetStatus",
    "KalturaObject",
    "ListResponse",
    "LiveCaptionFeature",
    "LiveStreamScheduleEvent",
    "MediaEntry",
    "ModerationFlag",
    "NullableBoolean",
    "PlaybackContext",
    "ReachProfile",
    "StringResource",
    "ThumbCuePoint",
    "TranscriptAsset",
    "UploadToken",
    "UploadedFileTokenResource",
    "UrlResource",
    "VendorCatalogItem",
    "VendorCatalogItemOutputFormat",
    "VendorServiceFeature",
    "VendorServiceTurnAroundTime",
    "VendorServiceType",
    "VendorTaskData",
    "converter",
    "dump",
    "make_converter",
    "parse",
}

LIFECYCLE = {"TaskKey", "fair_order", "task_key"}

MEDIA = {
    "AudioFacts",
    "AudioFormatError",
    "Flavor",
    "MediaDownload",
    "MediaError",
    "MediaPlan",
    "MissingToolError",
    "NoMatchingFlavorError",
    "NoPlayableSourceError",
    "SecretUrl",
    "SourceCaptions",
    "SourceCaptionsRejected",
    "check_audio",
    "choose_flavor",
    "deletion_due",
    "read_audio_facts",
    "to_mp4",
}

CAPTIONS = {
    "CaptionDocument",
    "CaptionError",
    "CaptionFormat",
    "CaptionParseError",
    "CaptionProblem",
    "CaptionProblemKind",
    "CaptionReport",
    "CaptionValidationError",
    "Cue",
    "apply_profile",
    "caption_type_for",
    "label_speakers",
    "mark_speaker_changes",
    "output_format",
    "parse_captions",
    "validate_captions",
    "wrap_lines",
}

MODERATION = {
    "CannotFlagError",
    "EntryModerationResult",
    "EntryModerationStatus",
    "ModerationFlagType",
    "ModerationOutputError",
}

EXPECTED = FOUNDATION | MODELS | LIFECYCLE | MEDIA | CAPTIONS | MODERATION


def test_all_is_pinned() -> None:
    assert set(krv.__all__) == EXPECTED
    assert len(krv.__all__) == len(set(krv.__all__)), "duplicates in __all__"


def test_every_public_name_resolves_and_nothing_else_is_public() -> None:
    for name in krv.__all__:
        assert getattr(krv, name) is not None
    public = {
        name
        for name, value in vars(krv).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public - {"annotations"} <= set(krv.__all__)


def test_every_error_derives_from_reach_error() -> None:
    for name in krv.__all__:
        value = getattr(krv, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, krv.ReachError), name


SUBPACKAGES = {
    "display": {
        "JOBS_COLUMNS",
        "catalog_item_facts",
        "facts_table",
        "iso",
        "jobs_rows",
        "jobs_table",
        "pretty_time",
        "profile_facts",
        "tat_text",
        "task_details",
        "task_facts",
        "task_table",
        "when",
    },
    "worker": {
        "Attempt",
        "EventKind",
        "Handler",
        "HandlerResult",
        "Handoff",
        "Job",
        "Journal",
        "JournalRecord",
        "Listed",
        "PostgresJournal",
        "SQLiteJournal",
        "Step",
        "TatFacts",
        "Worker",
        "WorkerEvent",
        "WorkerStats",
        "open_journal",
    },
}


def test_subpackages_pin_their_public_names() -> None:
    import importlib

    for name, expected in SUBPACKAGES.items():
        module = importlib.import_module(f"kaltura_reach_vendor.{name}")
        assert set(module.__all__) == expected, name
        for public in module.__all__:
            assert getattr(module, public) is not None
