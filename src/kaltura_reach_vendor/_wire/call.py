"""One api_v3 call, described as data (no I/O), and multirequest placeholders (§1.6)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import IO, Any, TypeAlias

import attrs

from .._secrets import redact

__all__ = ["ApiCall", "FilePart", "JsonValue", "ResultRef", "SessionKind", "is_write_action"]

#: A decoded api_v3 result: an object, a list, a string (a KS), a number, a boolean or null.
JsonValue: TypeAlias = dict[str, Any] | list[Any] | str | int | float | bool | None


class SessionKind(enum.Enum):
    """Which KS a call carries (AUTH-7)."""

    VENDOR = "vendor"  # the vendor partner's own session: getJobs, updateJob, list, ...
    GIVEN = "given"  # a KS given with the call: a task's access key
    NONE = "none"  # no KS: session.start, session.startWidgetSession


FileContent = bytes | IO[bytes]


@attrs.frozen
class FilePart:
    """A file sent in a multipart upload (``uploadToken.upload``'s ``fileData``)."""

    filename: str
    content: FileContent = attrs.field(repr=False)
    content_type: str = "application/octet-stream"


# Actions that only read: safe to send again after a timeout or a 5xx. Everything else is a
# write and is re-sent only when it provably never reached the server.
_READ_ACTIONS = frozenset(
    {
        "get",
        "list",
        "getjobs",
        "geturl",
        "getplaybackcontext",
        "listflags",
        "count",
        "serve",
        "getservingurl",
    }
)
# Session starts create nothing the vendor can see twice: a retry only wastes a KS.
_SAFE_SERVICE_ACTIONS = frozenset(
    {
        ("session", "start"),
        ("session", "startwidgetsession"),
        ("apptoken", "startsession"),
    }
)


def is_write_action(service: str, action: str) -> bool:
    """True for calls that change state on the server (``updateJob``, any ``add``...)."""
    service, action = service.lower(), action.lower()
    return action not in _READ_ACTIONS and (service, action) not in _SAFE_SERVICE_ACTIONS


def _default_write(call: ApiCall) -> bool:
    return is_write_action(call.service, call.action)


def _default_session(call: ApiCall) -> SessionKind:
    return SessionKind.GIVEN if call.ks else SessionKind.VENDOR


@attrs.frozen
class ApiCall:
    """A service/action with its parameters, and the session and task it belongs to."""

    service: str
    action: str
    params: Mapping[str, Any] = attrs.field(factory=dict, repr=False)
    #: A KS for this call only (a task's access key); implies ``SessionKind.GIVEN``.
    ks: str | None = attrs.field(default=None, repr=redact, kw_only=True)
    session: SessionKind = attrs.field(
        default=attrs.Factory(_default_session, takes_self=True), kw_only=True
    )
    #: The task the call is about: named in the client tag (AUTH-3).
    task_id: int | str | None = attrs.field(default=None, kw_only=True)
    files: Mapping[str, FilePart] = attrs.field(factory=dict, repr=False, kw_only=True)
    write: bool = attrs.field(default=attrs.Factory(_default_write, takes_self=True), kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.session is SessionKind.GIVEN and not self.ks:
            raise ValueError(f"{self.service}.{self.action}: a GIVEN session needs a ks")

    @property
    def name(self) -> str:
        return f"{self.service}.{self.action}"


@attrs.frozen
class ResultRef:
    """A reference to an earlier multirequest result: ``{N:result:path}`` on the wire.

    ``N`` is the 1-based position of the call in execution order. Index and attribute access
    build a path: ``ref.id``, ``ref["objects"][0]["id"]``, ``ref.objects[0].id``.
    """

    index: int
    path: tuple[str, ...] = ()

    def __getattr__(self, name: str) -> ResultRef:
        if name.startswith("__"):
            raise AttributeError(name)
        return ResultRef(self.index, (*self.path, name))

    def __getitem__(self, key: str | int) -> ResultRef:
        return ResultRef(self.index, (*self.path, str(key)))

    def __str__(self) -> str:
        return "{" + ":".join([str(self.index), "result", *self.path]) + "}"
