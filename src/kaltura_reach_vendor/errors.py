"""The SDK's one exception tree.

Every error a user of ``kaltura_reach_vendor`` can meet is a subclass of :class:`ReachError`::

    ReachError
    ├── ConfigurationError              bad client settings (no credentials, unknown region)
    │   └── InsecureTransportError      an http:// service URL that is not loopback (AUTH-1)
    ├── MalformedKsError                a KS string that cannot be read (also a ValueError)
    ├── TransportError                  the request failed below the API (.status_code if any)
    │   ├── ReachConnectionError        could not connect / connection dropped
    │   ├── ReachTimeoutError           a connect, read or write timeout
    │   ├── HTTPStatusError             an HTTP error status without a Kaltura answer (an HTML 502)
    │   ├── ResponseTooLargeError       a body over the client's max_response_bytes (not read)
    │   └── MediaDownloadError          a media download that failed after its retries
    ├── ResponseValidationError         JSON arrived but not in the shape Kaltura documents
    │   ├── ResponseDecodingError       a 2xx answer that is not JSON (truncated, HTML, too deep)
    │   └── ModerationOutputError       a moderationOutputJson not in the MOD-2 shape
    ├── UsageError                      an argument refused locally (also a ValueError)
    ├── MediaError                      the entry's media cannot be fetched as asked
    │   ├── NoMatchingFlavorError       no flavor the profile allows, or none at all (MEDIA-2)
    │   ├── NoPlayableSourceError       neither HLS nor direct HTTP offered a source (MEDIA-1)
    │   ├── MissingToolError            an external tool a helper needs (ffmpeg for to_mp4)
    │   ├── AudioFormatError            an audio file outside DUB-3 (.facts: what was found)
    │   └── SourceCaptionsRejected      source captions not to translate (TRANS-2, CAP-6)
    ├── CaptionError                    a caption file the SDK cannot use (captions package)
    │   ├── CaptionParseError           not readable as SRT, WebVTT or DFXP/TTML
    │   └── CaptionValidationError      blocking problems before delivery (.report, CAP-6)
    ├── DeliveryError                   a delivery that could not finish (.left: objects left)
    │   └── ConversionError             a flavor or entry Kaltura did not make READY (.status)
    ├── StateError                      refused locally, before any request
    │   ├── IllegalTransitionError      a task status change the lifecycle forbids (LIFE-1/9)
    │   ├── AlreadyClaimedError         this process already claimed the task (POLL-5)
    │   ├── CannotFlagError             an entry whose moderation status forbids flagging (MOD-6)
    │   └── LiveWindowClosed            a live caption after the task's scheduled end (LIVE-5)
    └── ApiError                        a KalturaAPIException: .code, .message, .args
        ├── InvalidSessionError         INVALID_KS, MISSING_KS (.ksid: EXPIRED, LOGOUT, ...)
        ├── AccessDeniedError           SERVICE_FORBIDDEN, FEATURE_FORBIDDEN, ...
        ├── InvalidInputError           MISSING_MANDATORY_PARAMETER, INVALID_ENUM_VALUE, ...
        ├── ObjectNotFoundError         ENTRY_ID_NOT_FOUND, ASSET_ID_NOT_FOUND, ...
        │   └── TaskNotFoundError       ENTRY_VENDOR_TASK_NOT_FOUND
        │       └── TaskCancelled       the same code on a task the vendor was working on (LIFE-8)
        ├── TaskFinalStateError         CANNOT_UPDATE_*_OF_TASK_WHICH_IS_IN_FINAL_STATE (LIFE-9)
        └── CannotExtendAccessKeyError  CANNOT_EXTEND_ACCESS_KEY, FAILED_EXTEND_ACCESS_KEY (KEY-3)

:func:`api_error_from` picks the subclass for a Kaltura error ``code``; codes it does not know
give a plain :class:`ApiError` that still carries ``code``, ``message`` and ``args``.

No exception text ever holds a secret: messages pass through the secret masker (AUTH-9).
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._secrets import mask

if TYPE_CHECKING:
    from .audio import AudioFacts
    from .captions.validate import CaptionReport

__all__ = [
    "AccessDeniedError",
    "AlreadyClaimedError",
    "ApiError",
    "AudioFormatError",
    "CannotExtendAccessKeyError",
    "CannotFlagError",
    "CaptionError",
    "CaptionParseError",
    "CaptionValidationError",
    "ConfigurationError",
    "ConversionError",
    "DeliveryError",
    "HTTPStatusError",
    "IllegalTransitionError",
    "InsecureTransportError",
    "InvalidInputError",
    "InvalidSessionError",
    "LiveWindowClosed",
    "MalformedKsError",
    "MediaDownloadError",
    "MediaError",
    "MissingToolError",
    "ModerationOutputError",
    "NoMatchingFlavorError",
    "NoPlayableSourceError",
    "ObjectNotFoundError",
    "ReachConnectionError",
    "ReachError",
    "ReachTimeoutError",
    "ResponseDecodingError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "SourceCaptionsRejected",
    "StateError",
    "TaskCancelled",
    "TaskFinalStateError",
    "TaskNotFoundError",
    "TransportError",
    "UsageError",
    "api_error_from",
]


class ReachError(Exception):
    """Base of every error raised by the SDK. ``str()`` never shows a secret."""

    def __init__(self, message: str) -> None:
        self.message = mask(message)
        self._text = self.message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self._text


class ConfigurationError(ReachError):
    """The client was configured in a way that cannot work."""


class InsecureTransportError(ConfigurationError):
    """A plain-HTTP service URL outside loopback, refused unless explicitly allowed (AUTH-1)."""


class MalformedKsError(ReachError, ValueError):
    """A KS string that is neither a v1 nor a v2 Kaltura session."""


class TransportError(ReachError):
    """The HTTP exchange failed; ``status_code`` is set when a response arrived."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        service: str | None = None,
        action: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.service = service
        self.action = action


class ReachConnectionError(TransportError):
    """No connection could be made, or it dropped before a response arrived."""

    #: True when the request provably never reached the server (a connect error), so that
    #: even a write may be sent again.
    never_sent: bool

    def __init__(self, message: str, *, never_sent: bool = False, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.never_sent = never_sent


class ReachTimeoutError(TransportError):
    """A connect, read, write or pool timeout."""

    never_sent: bool

    def __init__(self, message: str, *, never_sent: bool = False, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.never_sent = never_sent


class HTTPStatusError(TransportError):
    """The server answered with something that is not a Kaltura JSON response."""


class ResponseTooLargeError(TransportError):
    """The response body is larger than the client's ``max_response_bytes``; it was not read."""


class MediaDownloadError(TransportError):
    """A media download (flavor file, HLS playlist or segment) that could not complete:
    refused, or still failing after its resumes. What reached the disk stays there."""


class ResponseValidationError(ReachError):
    """A response did not have the shape the API documents (kept in ``body`` for debugging)."""

    def __init__(self, message: str, *, body: Any = None) -> None:
        super().__init__(message)
        self.body = body


class ResponseDecodingError(ResponseValidationError):
    """A successful (2xx) answer whose body cannot be read as JSON: cut short, an HTML page
    from a proxy, or nested too deeply. ``status_code`` is the HTTP status; ``body`` holds at
    most a short, masked excerpt. (A non-JSON body with HTTP >= 400 is an
    :class:`HTTPStatusError`, so that 5xx answers stay retryable.)"""

    def __init__(self, message: str, *, status_code: int | None = None, body: Any = None) -> None:
        super().__init__(message, body=body)
        self.status_code = status_code


class ModerationOutputError(ResponseValidationError):
    """A ``moderationOutputJson`` that is not the MOD-2 shape (not JSON, a severity outside
    0–100, a ``comply`` that is not a boolean ...); ``body`` holds what was read."""


class UsageError(ReachError, ValueError):
    """An argument the SDK refuses before sending anything (an empty failure reason, a
    completion without its output id, an accuracy outside 0–100 ...)."""


class MediaError(ReachError):
    """The entry's media cannot be fetched as asked (:mod:`kaltura_reach_vendor.media`)."""


class NoMatchingFlavorError(MediaError):
    """No flavor may be downloaded: none of the profile's ``flavorParamsIds`` (MEDIA-2), or
    the entry has no ready flavor at all. Never answered with a guess; the message can be
    passed to ``fail``. ``wanted``: the profile's ids in order; ``available``: the entry's."""

    def __init__(
        self,
        message: str,
        *,
        wanted: tuple[int, ...] = (),
        available: tuple[int | None, ...] = (),
    ) -> None:
        super().__init__(message)
        self.wanted = wanted
        self.available = available


class MissingToolError(MediaError):
    """An external program a helper needs is not installed (``ffmpeg`` for ``to_mp4``)."""

    def __init__(self, message: str, *, tool: str) -> None:
        super().__init__(message)
        self.tool = tool


class AudioFormatError(MediaError):
    """An audio file that breaks DUB-3 (MP4 container, AAC-LC, 64 or 128 kbps), refused
    before anything is uploaded. The message names what was found; ``facts`` holds the
    :class:`~kaltura_reach_vendor.audio.AudioFacts` read (None when the file is not MP4 at
    all)."""

    def __init__(self, message: str, *, facts: AudioFacts | None = None) -> None:
        super().__init__(message)
        self.facts = facts


class SourceCaptionsRejected(MediaError):
    """A translation's source captions must not be translated: below 100 % accuracy,
    unreadable, or with a block of 1 ms or less (TRANS-2, CAP-6). The message is short and
    meant for ``client.fail(task, str(error))``: the job ends in ERROR."""


class CaptionError(ReachError):
    """A caption file the SDK cannot use (:mod:`kaltura_reach_vendor.captions`)."""


class CaptionParseError(CaptionError):
    """The input is not readable as SRT, WebVTT or DFXP/TTML (bad encoding, bad timing
    line, malformed XML...). The message says which format and why, never the file's text."""


class CaptionValidationError(CaptionError):
    """A caption document has problems that block delivery (CAP-6). ``report`` is the
    :class:`~kaltura_reach_vendor.captions.CaptionReport` listing every problem."""

    def __init__(self, message: str, *, report: CaptionReport) -> None:
        super().__init__(message)
        self.report = report


class NoPlayableSourceError(MediaError):
    """``getPlaybackContext`` offered no valid source, neither HLS nor direct HTTP (MEDIA-1);
    ``messages`` holds what the server said (its access-control messages)."""

    def __init__(self, message: str, *, messages: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.messages = messages


class DeliveryError(ReachError):
    """A delivery that could not finish: the task is left for the caller to ``fail``.

    ``left`` names the objects the attempt created and could not remove (an access key may
    not delete attachments, for instance), so that a person can look at them.
    """

    def __init__(self, message: str, *, left: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.left = left


class ConversionError(DeliveryError):
    """A flavor or entry that Kaltura did not make READY: a conversion error (flavor -1,
    entry -1 or -2) or still not READY when the bounded wait ended (``timed_out``).

    ``kind`` is ``"flavor"`` or ``"entry"``, ``object_id`` its id, ``status`` the last
    status read (as text).
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        object_id: str,
        status: str,
        timed_out: bool = False,
        left: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message, left=left)
        self.kind = kind
        self.object_id = object_id
        self.status = status
        self.timed_out = timed_out


class StateError(ReachError):
    """An operation refused by the SDK itself, before any request was sent."""


class IllegalTransitionError(StateError):
    """A task status change that the REACH lifecycle does not allow (LIFE-1, LIFE-9)."""


class AlreadyClaimedError(StateError):
    """A second claim of a task this process is already working on (POLL-5).

    Claims are exclusive per (service URL, task id) within one process; ``key`` is that
    identity. Across processes and hosts the worker's journal is the guard.
    """

    def __init__(self, message: str, *, key: object = None) -> None:
        super().__init__(message)
        self.key = key


class CannotFlagError(StateError):
    """MOD-6: an entry is flagged only from APPROVED, AUTO_APPROVED or FLAGGED_FOR_REVIEW.

    Raised before any flag request when the entry's ``moderation_status`` is known to be
    another one, and for the server's ``ENTRY_CANNOT_BE_FLAGGED`` (then ``status`` is None and
    the :class:`ApiError` is the ``__cause__``).
    """

    def __init__(self, message: str, *, entry_id: str, status: object = None) -> None:
        super().__init__(message)
        self.entry_id = entry_id
        self.status = status


class LiveWindowClosed(StateError):
    """A live caption refused because the task's scheduled slot has ended (LIVE-5).

    The customer paid for ``startDate``..``endDate``; captioning stops at ``end`` (epoch
    seconds). Only the end-of-stream message may still be sent.
    """

    def __init__(self, message: str, *, end: float | None = None) -> None:
        super().__init__(message)
        self.end = end


class ApiError(ReachError):
    """A ``KalturaAPIException``: the server refused the call.

    ``code`` is Kaltura's error code (``INVALID_KS``), ``message`` its text and ``args`` the
    template arguments as a ``dict[str, str]`` (Kaltura sends ``[]`` when there are none).
    """

    def __init__(
        self,
        code: str,
        message: str,
        args: Mapping[str, str] | None = None,
        *,
        service: str | None = None,
        action: str | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = mask(message)
        self._kaltura_args: dict[str, str] = {k: mask(str(v)) for k, v in (args or {}).items()}
        self.service = service
        self.action = action

    # Kaltura's template arguments. This shadows ``BaseException.args`` on purpose: the
    # exception machinery reads the C-level tuple, users read Kaltura's mapping.
    @property
    def args(self) -> dict[str, str]:  # type: ignore[override]
        return self._kaltura_args

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_api_error, (type(self), self.code, self.message, self._kaltura_args))


def _rebuild_api_error(
    cls: type[ApiError], code: str, message: str, args: dict[str, str]
) -> ApiError:
    return cls(code, message, args)


class InvalidSessionError(ApiError):
    """The KS was refused: ``INVALID_KS`` or ``MISSING_KS``.

    ``ksid`` is Kaltura's reason string (``EXPIRED``, ``LOGOUT``, ``INVALID_STR`` ...);
    ``is_expired`` is true for an expired or killed session, the two that a new session or an
    extended access key cures (AUTH-6, KEY-2).
    """

    @property
    def ksid(self) -> str:
        return self._kaltura_args.get("KSID", "")

    @property
    def is_expired(self) -> bool:
        return self.ksid in {"EXPIRED", "LOGOUT"}


class AccessDeniedError(ApiError):
    """The session lacks the permission for this service, action, feature or object."""


class InvalidInputError(ApiError):
    """A parameter was missing, malformed or not allowed."""


class ObjectNotFoundError(ApiError):
    """The entry, asset, task or other object does not exist (or is not visible)."""


class TaskNotFoundError(ObjectNotFoundError):
    """``ENTRY_VENDOR_TASK_NOT_FOUND``: the task does not exist for this session."""


class TaskCancelled(TaskNotFoundError):
    """The task was cancelled by the customer: stop working on it (LIFE-8)."""


class TaskFinalStateError(ApiError):
    """The task is READY, REJECTED, ERROR or ABORTED and cannot change again (LIFE-9)."""


class CannotExtendAccessKeyError(ApiError):
    """``extendAccessKey`` refused: the task is not PROCESSING or SCHEDULED (KEY-3)."""


_BY_CODE: dict[str, type[ApiError]] = {
    "INVALID_KS": InvalidSessionError,
    "MISSING_KS": InvalidSessionError,
    "SERVICE_FORBIDDEN": AccessDeniedError,
    "FEATURE_FORBIDDEN": AccessDeniedError,
    "VENDOR_TASK_SERVICE__GET_JOB_NOT_ALLOWED": AccessDeniedError,
    "ENTRY_VENDOR_TASK_ACTION_NOT_ALLOWED": AccessDeniedError,
    "ACTION_BLOCKED": AccessDeniedError,
    "INVALID_APP_TOKEN_HASH": AccessDeniedError,
    "APP_TOKEN_NOT_ACTIVE": AccessDeniedError,
    "APP_TOKEN_EXPIRED": AccessDeniedError,
    "START_SESSION_ERROR": AccessDeniedError,
    "ENTRY_VENDOR_TASK_NOT_FOUND": TaskNotFoundError,
    "CANNOT_UPDATE_STATUS_OF_TASK_WHICH_IS_IN_FINAL_STATE": TaskFinalStateError,
    "CANNOT_UPDATE_UNIT_USED_OF_TASK_WHICH_IS_IN_FINAL_STATE": TaskFinalStateError,
    "CANNOT_EXTEND_ACCESS_KEY": CannotExtendAccessKeyError,
    "FAILED_EXTEND_ACCESS_KEY": CannotExtendAccessKeyError,
    "MISSING_MANDATORY_PARAMETER": InvalidInputError,
    "INVALID_ENUM_VALUE": InvalidInputError,
    "INVALID_OBJECT_TYPE": InvalidInputError,
    "OBJECT_TYPE_ABSTRACT": InvalidInputError,
    "INVALID_PARAMETER_CHAR": InvalidInputError,
    "UNSAFE_HTML_TAGS": InvalidInputError,
    "PARTNER_DATA_NOT_VALID_JSON_STRING": InvalidInputError,
    "ENTRY_VENDOR_TASK_ITEM_COULD_NOT_BE_UPDATED": InvalidInputError,
    "RESOURCE_TYPE_NOT_SUPPORTED": InvalidInputError,
}


def _class_for(code: str) -> type[ApiError]:
    found = _BY_CODE.get(code)
    if found is not None:
        return found
    if code.startswith("PROPERTY_VALIDATION_"):
        return InvalidInputError
    if code.endswith("_NOT_FOUND") or code in {"INVALID_OBJECT_ID", "INVALID_ENTRY_ID"}:
        return ObjectNotFoundError
    return ApiError


def api_error_from(
    code: str,
    message: str,
    args: Any = None,
    *,
    service: str | None = None,
    action: str | None = None,
) -> ApiError:
    """Build the typed exception for a Kaltura error (AUTH-8).

    ``args`` may be Kaltura's ``[]`` (no arguments), a name→value object, or the XML form's
    list of ``{"name": ..., "value": ...}`` items; all become ``dict[str, str]``.
    """
    return _class_for(code)(code, message, _normalise_args(args), service=service, action=action)


def _normalise_args(args: Any) -> dict[str, str]:
    if isinstance(args, Mapping):
        return {_text(k): _text(v) for k, v in args.items()}
    if isinstance(args, list):
        out: dict[str, str] = {}
        for item in args:
            if isinstance(item, Mapping) and "name" in item:
                out[_text(item["name"])] = _text(item.get("value"))
        return out
    return {}


def _text(value: Any) -> str:
    """An argument as text; a nested value (a garbled answer) as a bounded repr."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return str(value)
    return reprlib.repr(value)
