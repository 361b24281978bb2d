"""Waiting for Kaltura to finish a flavor or an entry (DUB-3, SIGN-1), written once.

Audio flavors and sign-language entries are converted asynchronously in production: right
after ``setContent`` / ``addContent`` a flavor may be QUEUED or CONVERTING and an entry
IMPORT or PRECONVERT. :func:`wait_ready` reads the object again with the task's access key,
sleeping between reads with exponential backoff (the ``Sleep`` effect, so both clients wait
their own way), until it is READY. A conversion error (flavor ``ERROR`` -1, entry
``ERROR_CONVERTING`` -1 or ``ERROR_IMPORTING`` -2) stops at once with
:class:`~kaltura_reach_vendor.errors.ConversionError`; an object still not READY when the
wait is over stops with the same error, naming the last status seen. The wait is bounded by
``timeout`` seconds of the client's clock.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any, Literal

import attrs

from ._effects import Sleep
from ._engine import Engine
from ._tasks import task_call
from .enums import EntryStatus, FlavorAssetStatus
from .errors import ConversionError, ReachError, ResponseValidationError, UsageError
from .models import EntryVendorTask

__all__ = ["DEFAULT_READY_WAIT", "ReadyWait", "wait_ready"]

Kind = Literal["flavor", "entry"]

#: Default bound on the wait for one object, in seconds.
DEFAULT_READY_WAIT = 600.0

_READ: dict[str, tuple[str, str, str]] = {
    # kind → (service, action, id parameter)
    "flavor": ("flavorAsset", "get", "id"),
    "entry": ("media", "get", "entryId"),
}
_FLAVOR_FAILED = {int(FlavorAssetStatus.ERROR)}
_ENTRY_FAILED = {str(EntryStatus.ERROR_CONVERTING), str(EntryStatus.ERROR_IMPORTING)}


@attrs.frozen
class ReadyWait:
    """How to wait for a conversion: bounded, with exponential backoff between reads.

    ``timeout``: the longest total wait, in seconds of the client's clock (``0`` reads once);
    ``first``: the first pause; each next pause is ``factor`` times longer, up to ``longest``.
    """

    timeout: float = DEFAULT_READY_WAIT
    first: float = 1.0
    factor: float = 2.0
    longest: float = 30.0

    def __attrs_post_init__(self) -> None:
        if self.timeout < 0 or self.first <= 0 or self.factor < 1 or self.longest <= 0:
            raise UsageError(f"invalid readiness wait {self!r}")


def _state(kind: Kind, value: Any) -> tuple[str, bool, bool]:
    """(status as text, ready?, failed?) of a flavor or entry read back."""
    if not isinstance(value, Mapping):
        raise ResponseValidationError(f"{kind} read back is not an object: {type(value).__name__}")
    status = value.get("status")
    if kind == "flavor":
        try:
            code = int(status)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return str(status), False, False
        return str(code), code == FlavorAssetStatus.READY, code in _FLAVOR_FAILED
    text = str(status)
    return text, text == str(EntryStatus.READY), text in _ENTRY_FAILED


def wait_ready(
    engine: Engine,
    task: EntryVendorTask,
    kind: Kind,
    object_id: str,
    *,
    wait: ReadyWait | None = None,
    first: Any = None,
) -> Generator[Any, Any, dict[str, Any]]:
    """Poll a flavor (``flavorAsset.get``) or an entry (``media.get``) until READY; returns
    the object as read. ``first``: an already-read copy (from a multirequest) to start from,
    saving one request when it is READY already."""
    wait = wait or ReadyWait()
    service, action, id_name = _READ[kind]
    deadline = engine.clock() + wait.timeout
    pause = min(wait.first, wait.longest)
    current = first
    while True:
        if current is None:
            current = yield from task_call(engine, task, service, action, {id_name: object_id})
        if isinstance(current, ReachError):
            raise current  # ``first`` may be a multirequest item that failed
        status, ready, failed = _state(kind, current)
        if ready:
            return dict(current)
        if failed:
            raise ConversionError(
                f"task {task.id}: Kaltura could not convert {kind} {object_id} (status {status})",
                kind=kind,
                object_id=object_id,
                status=status,
            )
        remaining = deadline - engine.clock()
        if remaining <= 0:
            raise ConversionError(
                f"task {task.id}: {kind} {object_id} is not READY after {wait.timeout:g}s "
                f"(status {status}); deliver again later or raise the wait",
                kind=kind,
                object_id=object_id,
                status=status,
                timed_out=True,
            )
        yield Sleep(min(pause, remaining))
        pause = min(pause * wait.factor, wait.longest)
        current = None
