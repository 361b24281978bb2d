"""Kaltura enums a REACH vendor sees, with wire values exactly as Kaltura sends them.

Every enum is *open*: a value the server sends that this SDK does not know yet is kept as a
pseudo-member (``Enum(value)`` never raises for a value of the right wire type), so its
``.value`` round-trips unchanged and a newer server never breaks an older SDK.  Pseudo-members
are named ``UNKNOWN_<value>`` and compare equal to their raw value like any member.

Integer enums (``IntEnum``) also accept their value as a decimal string (``"2"``), and string
enums accept an int (``1`` for ``CaptionType.SRT == "1"``), because Kaltura's JSON serializer
is loose about scalar types (reference §1.5).
"""

from __future__ import annotations

import enum
import re
from typing import Any

__all__ = [
    "AppTokenHashType",
    "AttachmentAssetStatus",
    "AttachmentType",
    "CaptionAssetStatus",
    "CaptionAssetUsage",
    "CaptionSource",
    "CaptionType",
    "CatalogItemLanguage",
    "CuePointStatus",
    "CuePointType",
    "EntryModerationStatus",
    "EntryObjectType",
    "EntryStatus",
    "EntryType",
    "EntryVendorTaskCreationMode",
    "EntryVendorTaskStatus",
    "FlavorAssetStatus",
    "MediaType",
    "MetadataEnrichmentApplyMode",
    "ModerationFlagStatus",
    "ModerationFlagType",
    "NullableBoolean",
    "ReachProfileContentDeletionPolicy",
    "ReachProfileStatus",
    "ReachProfileType",
    "ReachVendorEngineType",
    "ResponseType",
    "ScheduleEventStatus",
    "ScheduleEventType",
    "SessionType",
    "SummaryWritingStyleTaskData",
    "ThumbCuePointSubType",
    "TranscriptProviderType",
    "TypeOfSummaryTaskData",
    "UploadTokenStatus",
    "VendorCatalogItemOutputFormat",
    "VendorCatalogItemPriceFunction",
    "VendorCatalogItemStage",
    "VendorCatalogItemStatus",
    "VendorCreditRecurrenceFrequency",
    "VendorDocumentEnrichmentType",
    "VendorServiceFeature",
    "VendorServiceTurnAroundTime",
    "VendorServiceType",
    "VendorTaskProcessingRegion",
    "VendorVideoAnalysisType",
]

_INT_RE = re.compile(r"-?\d+")


def _register(cls: type[enum.Enum], member: enum.Enum, value: object) -> None:
    member._name_ = f"UNKNOWN_{value}"
    member._value_ = value
    # Cache so that ``cls(value) is cls(value)`` and lookups stay O(1).
    cls._value2member_map_[value] = member


class KalturaIntEnum(enum.IntEnum):
    """An ``IntEnum`` that keeps unknown values and accepts decimal strings."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
            return cls(int(value))
        if isinstance(value, int) and not isinstance(value, bool):
            member = int.__new__(cls, value)
            _register(cls, member, value)
            return member
        return None

    @property
    def is_known(self) -> bool:
        """False for a pseudo-member made from a value this SDK does not know."""
        return self._name_ in type(self).__members__


class KalturaStrEnum(str, enum.Enum):
    """A string enum that keeps unknown values and accepts ints (``1`` → ``"1"``)."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(str(value))
        if isinstance(value, str):
            member = str.__new__(cls, value)
            _register(cls, member, value)
            return member
        return None

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """False for a pseudo-member made from a value this SDK does not know."""
        return self._name_ in type(self).__members__


# --- REACH (reference §8) ---------------------------------------------------------------------


class EntryVendorTaskStatus(KalturaIntEnum):
    """Task status. READY (2) means *completed*; READY, ERROR, ABORTED, REJECTED are final."""

    PENDING = 1
    READY = 2
    PROCESSING = 3
    PENDING_MODERATION = 4
    REJECTED = 5
    ERROR = 6
    ABORTED = 7
    PENDING_ENTRY_READY = 8
    SCHEDULED = 9

    @property
    def is_final(self) -> bool:
        """True for READY, ERROR, ABORTED and REJECTED (no status change is accepted after)."""
        return self in _FINAL_TASK_STATUSES


_FINAL_TASK_STATUSES = frozenset(
    {
        EntryVendorTaskStatus.READY,
        EntryVendorTaskStatus.ERROR,
        EntryVendorTaskStatus.ABORTED,
        EntryVendorTaskStatus.REJECTED,
    }
)


class VendorServiceType(KalturaIntEnum):
    HUMAN = 1
    MACHINE = 2


class VendorServiceFeature(KalturaIntEnum):
    CAPTIONS = 1
    TRANSLATION = 2
    ALIGNMENT = 3
    AUDIO_DESCRIPTION = 4
    CHAPTERING = 5
    INTELLIGENT_TAGGING = 6
    DUBBING = 7
    LIVE_CAPTION = 8
    EXTENDED_AUDIO_DESCRIPTION = 9
    CLIPS = 10
    LIVE_TRANSLATION = 11
    QUIZ = 12
    SUMMARY = 13
    VIDEO_ANALYSIS = 14
    MODERATION = 15
    METADATA_ENRICHMENT = 16
    SENTIMENT_ANALYSIS = 17
    DOCUMENT_ENRICHMENT = 18
    SIGN_LANGUAGE = 19
    SPEECH_TO_VIDEO = 20
    IMMERSIVE_AGENT_CALL = 21
    IMMERSIVE_AGENT_CHAT = 22
    AVATAR_VOD = 23

    @property
    def is_live(self) -> bool:
        """True for LIVE_CAPTION and LIVE_TRANSLATION."""
        return self in (VendorServiceFeature.LIVE_CAPTION, VendorServiceFeature.LIVE_TRANSLATION)


class VendorServiceTurnAroundTime(KalturaIntEnum):
    """Turnaround time: -1 best effort, 0 immediate, 1–7 business days, ≥1800 seconds."""

    BEST_EFFORT = -1
    IMMEDIATE = 0
    ONE_BUSINESS_DAY = 1
    TWO_BUSINESS_DAYS = 2
    THREE_BUSINESS_DAYS = 3
    FOUR_BUSINESS_DAYS = 4
    FIVE_BUSINESS_DAYS = 5
    SIX_BUSINESS_DAYS = 6
    SEVEN_BUSINESS_DAYS = 7
    THIRTY_MINUTES = 1800
    TWO_HOURS = 7200
    THREE_HOURS = 10800
    SIX_HOURS = 21600
    EIGHT_HOURS = 28800
    TWELVE_HOURS = 43200
    TWENTY_FOUR_HOURS = 86400
    FORTY_EIGHT_HOURS = 172800
    FOUR_DAYS = 345600
    FIVE_DAYS = 432000
    TEN_DAYS = 864000

    @property
    def business_days(self) -> int | None:
        """Number of business days for values 1–7, else None."""
        return int(self) if 1 <= self <= 7 else None

    @property
    def seconds(self) -> int | None:
        """Duration in seconds for values ≥ 1800 (and 0 for IMMEDIATE), else None."""
        return int(self) if self >= 1800 or self == 0 else None


class VendorCatalogItemOutputFormat(KalturaIntEnum):
    SRT = 1
    DFXP = 2
    VTT = 3


class VendorTaskProcessingRegion(KalturaIntEnum):
    US = 1
    EU = 2
    CA = 3


class ReachProfileContentDeletionPolicy(KalturaIntEnum):
    DO_NOTHING = 1
    DELETE_ONCE_PROCESSED = 2
    DELETE_AFTER_WEEK = 3
    DELETE_AFTER_MONTH = 4
    DELETE_AFTER_THREE_MONTHS = 5


class EntryObjectType(KalturaIntEnum):
    ENTRY = 1
    ASSET = 2
    EXTERNAL_OBJECT = 3


class EntryVendorTaskCreationMode(KalturaIntEnum):
    MANUAL = 1
    AUTOMATIC = 2


class ReachProfileStatus(KalturaIntEnum):
    DISABLED = 1
    ACTIVE = 2
    DELETED = 3


class ReachProfileType(KalturaIntEnum):
    FREE_TRIAL = 1
    PAID = 2


class VendorCatalogItemStatus(KalturaIntEnum):
    DEPRECATED = 1
    ACTIVE = 2
    DELETED = 3


class VendorCatalogItemStage(KalturaIntEnum):
    PRODUCTION = 1
    QA = 2


class VendorCatalogItemPriceFunction(KalturaStrEnum):
    PRICE_PER_SECOND = "kReachUtils::calcPricePerSecond"
    PRICE_PER_MINUTE = "kReachUtils::calcPricePerMinute"
    PRICE_PER_HOUR = "kReachUtils::calcPricePerHour"
    PRICE_PER_TOKEN = "kReachUtils::calcPricePerToken"


class VendorCreditRecurrenceFrequency(KalturaStrEnum):
    DAILY = "day"
    WEEKLY = "week"
    MONTHLY = "month"
    YEARLY = "year"


class VendorDocumentEnrichmentType(KalturaIntEnum):
    MD_CONVERSION = 1


class VendorVideoAnalysisType(KalturaIntEnum):
    OCR = 1


class ReachVendorEngineType(KalturaStrEnum):
    OPEN_CALAIS = "OpenCalaisReachVendor.OPEN_CALAIS"
    HELLO_WORLD = "ReachInternal.HELLO_WORLD"


class TypeOfSummaryTaskData(KalturaStrEnum):
    CONCISE = "concise"
    DETAILED = "detailed"
    EXTENSIVE = "extensive"


class SummaryWritingStyleTaskData(KalturaStrEnum):
    FORMAL = "formal"
    CASUAL = "casual"


class MetadataEnrichmentApplyMode(KalturaStrEnum):
    FILL_EMPTY = "FILL_EMPTY"
    OVERRIDE_ALL = "OVERRIDE_ALL"
    FILL_EMPTY_AND_OVERRIDE_LIST = "FILL_EMPTY_AND_OVERRIDE_LIST"


class CatalogItemLanguage(KalturaStrEnum):
    """REACH language: the wire value is the English display name, not an ISO code (INPUT-8).

    ``AUTO_DETECT``, ``EN_ASL`` and ``EN_BSL`` are REACH-only and are not valid caption languages.
    """

    AF = "Afrikaans"
    AR = "Arabic"
    AR_LB = "Arabic (Lebanon)"
    AR_QA = "Arabic (Qatar)"
    AR_SA = "Arabic (Saudi Arabia)"
    AUTO_DETECT = "Auto Detect"
    AZ = "Azerbaijani"
    BA = "Bashkir"
    BE = "Byelorussian (Belarusian)"
    BG = "Bulgarian"
    BN = "Bengali (Bangla)"
    BS = "Bosnian"
    CA = "Catalan"
    CMN = "Mandarin Chinese"
    CS = "Czech"
    CY = "Welsh"
    DA = "Danish"
    DE = "German"
    EL = "Greek"
    EN = "English"
    EN_ASL = "English (ASL)"
    EN_AU = "English (Australian)"
    EN_BSL = "English (BSL)"
    EN_GB = "English (British)"
    EN_US = "English (American)"
    EO = "Esperanto"
    ES = "Spanish"
    ES_XL = "Spanish (Latin America)"
    ET = "Estonian"
    EU = "Basque"
    FA = "Farsi"
    FA_IR = "Persian (Iran)"
    FI = "Finnish"
    FR = "French"
    FR_CA = "French (Canada)"
    GA = "Irish"
    GD = "Gaelic (Scottish)"
    GL = "Galician"
    GU = "Gujarati"
    HE = "Hebrew"
    HI = "Hindi"
    HR = "Croatian"
    HU = "Hungarian"
    IA = "Interlingua"
    IN = "Indonesian"
    IS = "Icelandic"
    IT = "Italian"
    JA = "Japanese"
    JV = "Javanese"
    KA = "Georgian"
    KK = "Kazakh"
    KM = "Cambodian"
    KN = "Kannada"
    KO = "Korean"
    LO = "Laothian"
    LT = "Lithuanian"
    LV = "Latvian (Lettish)"
    MK = "Macedonian"
    ML = "Malayalam"
    MN = "Mongolian"
    MR = "Marathi"
    MS = "Malay"
    MY = "Burmese"
    NE = "Nepali"
    NL = "Dutch"
    NO = "Norwegian"
    PA = "Punjabi"
    PL = "Polish"
    PT = "Portuguese"
    PT_BR = "Portuguese (Brazil)"
    RO = "Romanian"
    RU = "Russian"
    SI = "Sinhalese"
    SK = "Slovak"
    SK_SK = "Slovakian"
    SL = "Slovenian"
    SR = "Serbian"
    SU = "Sundanese"
    SV = "Swedish"
    SW = "Swahili (Kiswahili)"
    TA = "Tamil"
    TE = "Telugu"
    TH = "Thai"
    TL = "Tagalog"
    TR = "Turkish"
    UG = "Uighur"
    UK = "Ukrainian"
    UR = "Urdu"
    UZ = "Uzbek"
    VI = "Vietnamese"
    XH = "Xhosa"
    YUE = "Cantonese"
    ZH = "Chinese"
    ZH_CN = "Simplified Chinese"
    ZH_HK = "Traditional Chinese"
    ZH_TW = "Taiwanese Mandarin"
    ZU = "Zulu"


# --- assets and content (reference §8, second table) --------------------------------------------


class CaptionType(KalturaStrEnum):
    """Caption format (a dynamic enum: string on the wire, sometimes sent as an int)."""

    SRT = "1"
    DFXP = "2"
    WEBVTT = "3"
    CAP = "4"
    SCC = "5"


class CaptionAssetUsage(KalturaStrEnum):
    CAPTION = "0"
    EXTENDED_AUDIO_DESCRIPTION = "1"


class CaptionSource(KalturaStrEnum):
    UNKNOWN = "0"
    ZOOM = "1"
    WEBEX = "2"


class CaptionAssetStatus(KalturaIntEnum):
    ERROR = -1
    QUEUED = 0
    READY = 2
    DELETED = 3
    IMPORTING = 7
    EXPORTING = 9


class AttachmentAssetStatus(KalturaIntEnum):
    ERROR = -1
    QUEUED = 0
    READY = 2
    DELETED = 3
    IMPORTING = 7
    EXPORTING = 9


class FlavorAssetStatus(KalturaIntEnum):
    ERROR = -1
    QUEUED = 0
    CONVERTING = 1
    READY = 2
    DELETED = 3
    NOT_APPLICABLE = 4
    TEMP = 5
    WAIT_FOR_CONVERT = 6
    IMPORTING = 7
    VALIDATING = 8
    EXPORTING = 9


class AttachmentType(KalturaStrEnum):
    TEXT = "1"
    MEDIA = "2"
    DOCUMENT = "3"
    JSON = "4"
    MARKDOWN = "5"


class TranscriptProviderType(KalturaStrEnum):
    CIELO24 = "cielo24.Cielo24"
    VOICEBASE = "voicebase.Voicebase"


class UploadTokenStatus(KalturaIntEnum):
    PENDING = 0
    PARTIAL_UPLOAD = 1
    FULL_UPLOAD = 2
    CLOSED = 3
    TIMED_OUT = 4
    DELETED = 5


class CuePointType(KalturaStrEnum):
    AD = "adCuePoint.Ad"
    ANNOTATION = "annotation.Annotation"
    CODE = "codeCuePoint.Code"
    EVENT = "eventCuePoint.Event"
    QUIZ_ANSWER = "quiz.QUIZ_ANSWER"
    QUIZ_QUESTION = "quiz.QUIZ_QUESTION"
    SESSION = "sessionCuePoint.Session"
    THUMB = "thumbCuePoint.Thumb"


class ThumbCuePointSubType(KalturaIntEnum):
    SLIDE = 1
    CHAPTER = 2


class CuePointStatus(KalturaIntEnum):
    READY = 1
    DELETED = 2
    HANDLED = 3
    PENDING = 4


class ScheduleEventStatus(KalturaIntEnum):
    CANCELLED = 1
    ACTIVE = 2
    DELETED = 3


class ScheduleEventType(KalturaIntEnum):
    RECORD = 1
    LIVE_STREAM = 2
    BLACKOUT = 3
    MEETING = 4
    LIVE_REDIRECT = 5
    VOD = 6


class EntryModerationStatus(KalturaIntEnum):
    PENDING_MODERATION = 1
    APPROVED = 2
    REJECTED = 3
    DELETED = 4
    FLAGGED_FOR_REVIEW = 5
    AUTO_APPROVED = 6


class ModerationFlagType(KalturaIntEnum):
    SEXUAL_CONTENT = 1
    VIOLENT_REPULSIVE = 2
    HARMFUL_DANGEROUS = 3
    SPAM_COMMERCIALS = 4
    COPYRIGHT = 5
    TERMS_OF_USE_VIOLATION = 6


class ModerationFlagStatus(KalturaStrEnum):
    PENDING = "1"
    MODERATED = "2"


class EntryStatus(KalturaStrEnum):
    ERROR_IMPORTING = "-2"
    ERROR_CONVERTING = "-1"
    IMPORT = "0"
    PRECONVERT = "1"
    READY = "2"
    DELETED = "3"
    PENDING = "4"
    MODERATE = "5"
    BLOCKED = "6"
    NO_CONTENT = "7"
    INFECTED = "virusScan.Infected"
    SCAN_FAILURE = "virusScan.ScanFailure"


class EntryType(KalturaStrEnum):
    AUTOMATIC = "-1"
    MEDIA_CLIP = "1"
    MIX = "2"
    PLAYLIST = "5"
    DATA = "6"
    LIVE_STREAM = "7"
    LIVE_CHANNEL = "8"
    DOCUMENT = "10"
    ROOM = "room.room"
    EXTERNAL_MEDIA = "externalMedia.externalMedia"


class MediaType(KalturaIntEnum):
    VIDEO = 1
    IMAGE = 2
    AUDIO = 5
    LIVE_STREAM_FLASH = 201
    LIVE_STREAM_WINDOWS_MEDIA = 202
    LIVE_STREAM_REAL_MEDIA = 203
    LIVE_STREAM_QUICKTIME = 204


class NullableBoolean(KalturaIntEnum):
    """Kaltura's tri-state boolean; JSON may carry ``true``/``false`` or ``0``/``1``."""

    NULL_VALUE = -1
    FALSE_VALUE = 0
    TRUE_VALUE = 1

    def __bool__(self) -> bool:
        return self is NullableBoolean.TRUE_VALUE


class SessionType(KalturaIntEnum):
    USER = 0
    ADMIN = 2


class AppTokenHashType(KalturaStrEnum):
    MD5 = "MD5"
    SHA1 = "SHA1"
    SHA256 = "SHA256"
    SHA512 = "SHA512"


class ResponseType(KalturaIntEnum):
    """The ``format`` request parameter."""

    JSON = 1
    XML = 2
    PHP = 3
    PHP_ARRAY = 4
    HTML = 7
    MRSS = 8
    JSONP = 9
