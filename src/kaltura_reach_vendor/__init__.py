"""kaltura-reach-vendor: a typed SDK for Kaltura REACH vendors.

Public names are listed in ``__all__`` (pinned by ``tests/test_public_api.py``);
everything not listed here is private and may change without notice.
"""

from __future__ import annotations

__version__ = "0.1.0"

# --- foundation (issue 2) ---
from ._log import configure_from_env as _configure_from_env
from ._wire.call import ApiCall, FilePart, ResultRef, SessionKind
from .client import AsyncReachClient, ReachClient
from .client_tag import build_client_tag
from .errors import (
    AccessDeniedError,
    ApiError,
    CannotExtendAccessKeyError,
    ConfigurationError,
    HTTPStatusError,
    IllegalTransitionError,
    InsecureTransportError,
    InvalidInputError,
    InvalidSessionError,
    MalformedKsError,
    ObjectNotFoundError,
    ReachConnectionError,
    ReachError,
    ReachTimeoutError,
    ResponseValidationError,
    StateError,
    TaskCancelled,
    TaskFinalStateError,
    TaskNotFoundError,
    TransportError,
)
from .ks import KsInfo, parse_ks
from .regions import Region
from .retry import RetryPolicy
from .session import AdminSecret, AppToken, token_hash

_configure_from_env()

# --- models (issue 3) ---
from .enums import (  # noqa: E402  (after _configure_from_env above)
    AttachmentType,
    CaptionAssetStatus,
    CaptionType,
    CatalogItemLanguage,
    EntryVendorTaskStatus,
    FlavorAssetStatus,
    NullableBoolean,
    VendorCatalogItemOutputFormat,
    VendorServiceFeature,
    VendorServiceTurnAroundTime,
    VendorServiceType,
)
from .models import (  # noqa: E402
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
    dump,
    parse,
)

__all__ = [
    "__version__",
    # foundation (issue 2)
    "AccessDeniedError",
    "AdminSecret",
    "ApiCall",
    "ApiError",
    "AppToken",
    "AsyncReachClient",
    "CannotExtendAccessKeyError",
    "ConfigurationError",
    "FilePart",
    "HTTPStatusError",
    "IllegalTransitionError",
    "InsecureTransportError",
    "InvalidInputError",
    "InvalidSessionError",
    "KsInfo",
    "MalformedKsError",
    "ObjectNotFoundError",
    "ReachClient",
    "ReachConnectionError",
    "ReachError",
    "ReachTimeoutError",
    "Region",
    "ResponseValidationError",
    "ResultRef",
    "RetryPolicy",
    "SessionKind",
    "StateError",
    "TaskCancelled",
    "TaskFinalStateError",
    "TaskNotFoundError",
    "TransportError",
    "build_client_tag",
    "parse_ks",
    "token_hash",
    # models (issue 3)
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
    "dump",
    "parse",
]
