"""In-memory state of the sandbox: partners, tokens, entries, assets, tasks, events."""

from __future__ import annotations

import copy
import random
import string
import threading
from dataclasses import dataclass, field
from typing import Any

from ._clock import Clock
from ._ks import KsTable

JsonDict = dict[str, Any]

# Entry / asset / task enum values used by the sandbox (reference §8).
TASK_PENDING = 1
TASK_READY = 2
TASK_PROCESSING = 3
TASK_PENDING_MODERATION = 4
TASK_REJECTED = 5
TASK_ERROR = 6
TASK_ABORTED = 7
TASK_PENDING_ENTRY_READY = 8
TASK_SCHEDULED = 9
TASK_STATUSES = frozenset(range(1, 10))
TASK_FINAL = frozenset({TASK_READY, TASK_REJECTED, TASK_ERROR, TASK_ABORTED})

ASSET_ERROR = -1
ASSET_QUEUED = 0
ASSET_CONVERTING = 1
ASSET_READY = 2

ENTRY_ERROR_IMPORTING = -2
ENTRY_ERROR_CONVERTING = -1
ENTRY_IMPORT = 0
ENTRY_PRECONVERT = 1
ENTRY_READY = 2
ENTRY_NO_CONTENT = 7

UPLOAD_PENDING = 0
UPLOAD_PARTIAL = 1
UPLOAD_FULL = 2
UPLOAD_CLOSED = 3

MOD_PENDING = 1
MOD_APPROVED = 2
MOD_REJECTED = 3
MOD_FLAGGED = 5
MOD_AUTO_APPROVED = 6

FEATURE_CAPTIONS = 1
FEATURE_TRANSLATION = 2
FEATURE_LIVE_CAPTION = 8
FEATURE_LIVE_TRANSLATION = 11
FEATURE_SIGN_LANGUAGE = 19

SEVEN_DAYS = 7 * 86400


@dataclass
class Partner:
    """A Kaltura partner (account)."""

    id: int
    name: str
    admin_secret: str
    user_secret: str
    is_vendor: bool = False


@dataclass
class AppToken:
    """An application token of a partner (reference §2.3)."""

    id: str
    token: str
    partner_id: int
    hash_type: str = "SHA256"
    session_type: int = 2
    session_user_id: str = ""
    privileges: str = "disableentitlement"
    session_duration: int = 86400
    status: int = 2
    expiry: int | None = None


@dataclass
class TaskRecord:
    """An entryVendorTask: its wire fields plus the server's private state."""

    data: JsonDict
    access_key: str | None = None
    key_ttl: int = SEVEN_DAYS
    deleted: bool = False

    @property
    def id(self) -> int:
        """Numeric task id."""
        return int(self.data["id"])

    @property
    def status(self) -> int:
        """Current status."""
        return int(self.data["status"])


@dataclass
class EntryRecord:
    """A media entry; ``hls=False`` simulates an account without HLS delivery."""

    data: JsonDict
    hls: bool = True
    created_by_ks: str | None = None


@dataclass
class Conversion:
    """A vendor-delivered flavor Kaltura converts: its outcome shows once the sandbox clock
    passes ``ready_at`` (set when the content arrives, ``after`` seconds later)."""

    after: float
    failure: int | None = None
    """An injected conversion error: the flavor ends ERROR (-1) and, for an entry's source
    flavor, the entry ends with this status (-1 ERROR_CONVERTING or -2 ERROR_IMPORTING)."""
    ready_at: float | None = None
    outcome: int = ASSET_READY
    reason: str = ""
    """Why the conversion fails (the asset's ``description`` once it does)."""


@dataclass
class AssetRecord:
    """A flavor, caption or attachment asset and its stored file."""

    kind: str  # "flavor" | "caption" | "attachment"
    data: JsonDict
    content: bytes | None = None
    generated_size: int | None = None
    """A flavor whose file is generated on the fly (``_media.GeneratedBody``) at this size."""
    conversion: Conversion | None = None
    """Set on flavors given content by ``flavorAsset.setContent`` / ``media.addContent``."""


@dataclass
class UploadTokenRecord:
    """An upload token and its received chunks."""

    data: JsonDict
    chunks: dict[int, bytes] = field(default_factory=dict)
    content: bytes | None = None
    pending: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class RequestLogRecord:
    """One api_v3 call as the sandbox saw it."""

    service: str
    action: str
    client_tag: str | None
    ks_kind: str
    partner_id: int | None
    task_id: int | None
    error_code: str | None
    format: str | None
    multirequest_index: int | None = None
    disable_entitlement: bool = False
    """The KS carried ``disableentitlement`` (AUTH-4). Without it the server enforces
    entitlement for the call when the KS partner has the entitlement feature, which the sandbox
    assumes of the vendor partner (server ``kEntitlementUtils::initEntitlementEnforcement``)."""


class State:
    """All mutable sandbox state, guarded by one re-entrant lock."""

    def __init__(self, seed: int, clock: Clock) -> None:
        self.lock = threading.RLock()
        self.seed = seed
        self.rng = random.Random(seed)
        self.clock = clock
        self.ks = KsTable(random.Random(seed + 1))
        self.partners: dict[int, Partner] = {}
        self.vendor_partner_id = 0
        self.app_tokens: dict[str, AppToken] = {}
        self.catalog_items: dict[int, JsonDict] = {}
        self.reach_profiles: dict[int, JsonDict] = {}
        self.tasks: dict[int, TaskRecord] = {}
        self.entries: dict[str, EntryRecord] = {}
        self.assets: dict[str, AssetRecord] = {}
        self.upload_tokens: dict[str, UploadTokenRecord] = {}
        self.cue_points: dict[str, JsonDict] = {}
        self.schedule_events: dict[int, JsonDict] = {}
        self.flags: list[JsonDict] = []
        self.categories: dict[int, JsonDict] = {}
        self.category_entries: dict[tuple[int, str], JsonDict] = {}
        self.request_log: list[RequestLogRecord] = []
        #: Every task status change by ``updateJob``: (task id, old, new, the call's clientTag,
        #: sandbox time).
        self.status_changes: list[tuple[int, int, int, str | None, float]] = []
        self.converting: set[str] = set()
        """Ids of flavors whose conversion has not reached its outcome yet."""
        self._counters: dict[str, int] = {}

    # --- ids -----------------------------------------------------------------------------

    def next_int(self, name: str, start: int) -> int:
        """A sequential id per kind, starting at ``start``."""
        value = self._counters.get(name, start - 1) + 1
        self._counters[name] = value
        return value

    def new_object_id(self) -> str:
        """A Kaltura-style object id such as ``1_a2b3c4d5``."""
        alphabet = string.ascii_lowercase + string.digits
        while True:
            candidate = "1_" + "".join(self.rng.choice(alphabet) for _ in range(8))
            taken = (self.entries, self.assets, self.upload_tokens, self.cue_points)
            if not any(candidate in pool for pool in taken):
                return candidate

    def new_token_id(self) -> str:
        """An upload token id (32 hex chars)."""
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(32))

    # --- helpers -------------------------------------------------------------------------

    def now(self) -> int:
        """Sandbox time, whole seconds."""
        return self.clock.time()

    def entry_assets(self, entry_id: str, kind: str) -> list[AssetRecord]:
        """Assets of one kind on an entry, oldest first."""
        return [a for a in self.assets.values() if a.kind == kind and a.data["entryId"] == entry_id]


def snapshot(value: Any) -> Any:
    """A deep copy for inspection (callers cannot mutate the sandbox through it)."""
    return copy.deepcopy(value)
