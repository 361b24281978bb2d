"""The action registry and the per-call context shared by all service modules."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._errors import ApiError, invalid_ks
from ._ks import (
    KIND_ACCESS_KEY,
    KIND_ADMIN,
    KIND_NONE,
    KIND_USER,
    KIND_VENDOR,
    KIND_WIDGET,
    KsSession,
)
from ._params import NULL, UploadedFile, to_bool, to_float, to_int, to_str
from ._store import EntryRecord, JsonDict, State

ALL_KINDS = frozenset({KIND_VENDOR, KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER, KIND_WIDGET, KIND_NONE})
CUSTOMER = frozenset({KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER})
"""KS kinds of the customer partner (the access key is one)."""


@dataclass
class FileResult:
    """A "serve" action result: raw bytes instead of a serialized object."""

    content: bytes
    content_type: str = "application/octet-stream"


@dataclass
class Call:
    """Everything a handler needs for one (sub-)request."""

    state: State
    params: dict[str, Any]
    service: str
    action: str
    ks: str | None
    session: KsSession | None
    kind: str
    base_url: str
    options: Any
    response_headers: dict[str, str] = field(default_factory=dict)
    task_id: int | None = None

    # --- parameters ----------------------------------------------------------------------

    def get_str(self, name: str, required: bool = False) -> str | None:
        """A string parameter."""
        value = to_str(self.params.get(name))
        if value is None and required:
            raise ApiError("MISSING_MANDATORY_PARAMETER", name)
        return value

    def req_str(self, name: str) -> str:
        """A mandatory non-empty string parameter."""
        value = self.get_str(name, required=True)
        if value is None or value == "":
            raise ApiError("MISSING_MANDATORY_PARAMETER", name)
        return value

    def get_int(self, name: str, required: bool = False) -> int | None:
        """An int parameter."""
        value = to_int(self.params.get(name))
        if value is None and required:
            raise ApiError("MISSING_MANDATORY_PARAMETER", name)
        return value

    def req_int(self, name: str) -> int:
        """A mandatory int parameter."""
        value = self.get_int(name, required=True)
        assert value is not None
        return value

    def get_bool(self, name: str, default: bool) -> bool:
        """A bool parameter."""
        value = to_bool(self.params.get(name))
        return default if value is None else value

    def get_float(self, name: str) -> float | None:
        """A float parameter."""
        return to_float(self.params.get(name))

    def obj(self, name: str, required: bool = False) -> dict[str, Any] | None:
        """An object parameter (a nested map)."""
        value = self.params.get(name)
        if isinstance(value, dict):
            return value
        if required:
            raise ApiError("MISSING_MANDATORY_PARAMETER", name)
        return None

    def file(self, name: str) -> UploadedFile | None:
        """A file part."""
        value = self.params.get(name)
        return value if isinstance(value, UploadedFile) else None

    # --- sessions ------------------------------------------------------------------------

    @property
    def partner_id(self) -> int:
        """Partner of the KS (0 without KS)."""
        return self.session.partner_id if self.session else 0

    def forbid(self) -> ApiError:
        """``SERVICE_FORBIDDEN`` for this action."""
        return ApiError("SERVICE_FORBIDDEN", f"{self.service}->{self.action}")

    def entry(self, entry_id: str, *, edit: bool = False) -> EntryRecord:
        """Load an entry the KS may see (and edit); the server's errors otherwise."""
        record = self.state.entries.get(entry_id)
        if record is None or record.data.get("partnerId") != self.partner_id:
            raise ApiError("ENTRY_ID_NOT_FOUND", entry_id)
        if record.data.get("status") == 3:  # DELETED
            raise ApiError("ENTRY_ID_NOT_FOUND", entry_id)
        session = self.session
        if session is None:
            raise ApiError("MISSING_KS")
        if self.kind == KIND_ADMIN:
            return record
        allowed = record.created_by_ks is not None and record.created_by_ks == session.ks
        names = ("edit",) if edit else ("edit", "sview", "download")
        for name in names:
            if entry_id in session.privilege_values(name) or "*" in session.privilege_values(name):
                allowed = True
        parent = to_str(record.data.get("parentEntryId"))
        if parent and parent in session.privilege_values("edit"):
            allowed = True
        if not edit and self.kind in (KIND_USER, KIND_WIDGET):
            allowed = True
        if not allowed:
            # Object-level denial: INVALID_KS with empty KSID and -4 (§2.5).
            raise invalid_ks("", "-4", "INVALID_TYPE")
        return record


ActionFn = Callable[[Call], Any]


@dataclass
class ActionSpec:
    """One registered action."""

    fn: ActionFn
    allow: frozenset[str]
    ks_required: bool


REGISTRY: dict[tuple[str, str], ActionSpec] = {}
SERVICES: set[str] = set()


def action(
    service: str,
    name: str,
    *,
    allow: frozenset[str] = ALL_KINDS,
    ks_required: bool = True,
) -> Callable[[ActionFn], ActionFn]:
    """Register a handler for ``service.name`` (both matched case-insensitively)."""

    def register(fn: ActionFn) -> ActionFn:
        REGISTRY[(service.lower(), name.lower())] = ActionSpec(fn, allow, ks_required)
        SERVICES.add(service.lower())
        return fn

    return register


def out(data: JsonDict | None) -> JsonDict | None:
    """A wire copy of a stored object (nulls dropped, so they are omitted on the wire)."""
    if data is None:
        return None
    return {k: copy.deepcopy(v) for k, v in data.items() if v is not None and v is not NULL}


def list_response(object_type: str, objects: list[JsonDict], total: int | None = None) -> JsonDict:
    """A ``Kaltura…ListResponse``."""
    return {
        "objects": objects,
        "totalCount": len(objects) if total is None else total,
        "objectType": object_type,
    }


def pager_slice(
    call: Call, items: list[Any], default_size: int = 30, max_size: int = 500
) -> list[Any]:
    """Apply ``pager[pageSize]`` (clamped to [0, max]) and ``pager[pageIndex]`` (min 1)."""
    pager = call.obj("pager") or {}
    size = to_int(pager.get("pageSize"))
    size = default_size if size is None else max(0, min(size, max_size))
    if size == 0:
        size = default_size
    index = max(1, to_int(pager.get("pageIndex")) or 1)
    start = (index - 1) * size
    return items[start : start + size]
