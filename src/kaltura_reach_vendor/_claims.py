"""In-process claim exclusivity (POLL-5, LIFE-2): one claim per task per process.

Kaltura's ``updateJob`` has no compare-and-set: two callers that both move a task from
PENDING to PROCESSING both succeed, and the last ``externalTaskId`` silently wins. Within one
process the SDK therefore keeps a registry of the tasks it is working on, keyed by the
task's identity (service URL, task id: ids are unique only per region, POLL-5). A second
claim of a held task raises :class:`~kaltura_reach_vendor.errors.AlreadyClaimedError`
before any request is sent.

A claim is held from the moment ``claim`` starts until the task is finished through the
SDK (READY, ERROR), is found cancelled or final, the claim request fails, or the client that
claimed it is closed. Across processes and hosts this registry is no guard: the worker's
journal is (see docs/concurrency.md).
"""

from __future__ import annotations

import threading
import weakref

from .errors import AlreadyClaimedError
from .fairness import TaskKey

__all__ = ["CLAIMS", "ClaimRegistry"]


class ClaimRegistry:
    """Task identity → the owner (a client's engine) working on it. Thread-safe, no I/O."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owners: dict[TaskKey, weakref.ref[object]] = {}

    def reserve(self, key: TaskKey, owner: object) -> None:
        """Hold ``key`` for ``owner`` or raise :class:`AlreadyClaimedError`."""
        with self._lock:
            held = self._owners.get(key)
            if held is not None and held() is not None:
                raise AlreadyClaimedError(
                    f"task {key.task_id} at {key.service_url} is already claimed in this "
                    "process; finish it (complete/fail) or close the client that claimed it "
                    "before claiming it again",
                    key=key,
                )
            self._owners[key] = weakref.ref(owner)

    def release(self, key: TaskKey, owner: object | None = None) -> None:
        """Let go of ``key`` (only ``owner``'s hold, when given)."""
        with self._lock:
            held = self._owners.get(key)
            if held is None:
                return
            if owner is None or held() is owner or held() is None:
                del self._owners[key]

    def release_all(self, owner: object) -> None:
        """Let go of everything ``owner`` holds (its client was closed)."""
        with self._lock:
            for key in [k for k, ref in self._owners.items() if ref() in (owner, None)]:
                del self._owners[key]

    def held(self, key: TaskKey) -> bool:
        with self._lock:
            ref = self._owners.get(key)
            return ref is not None and ref() is not None

    def __len__(self) -> int:
        with self._lock:
            return sum(1 for ref in self._owners.values() if ref() is not None)


#: The process-wide registry every client shares.
CLAIMS = ClaimRegistry()
