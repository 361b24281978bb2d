"""A controllable clock: real time plus an offset that tests can advance."""

from __future__ import annotations

import threading
import time


class Clock:
    """Server time of the sandbox.

    By default it follows real time; :meth:`advance` moves it forward (to expire access keys
    or pass turnaround times) and :meth:`freeze` pins it, for fully repeatable runs.
    """

    def __init__(self, start: float | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0
        self._frozen: float | None = start

    def now(self) -> float:
        """Current sandbox time, seconds since the epoch (float)."""
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return time.time() + self._offset

    def time(self) -> int:
        """Current sandbox time as whole seconds (the unit of every Kaltura ``time`` field)."""
        return int(self.now())

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` (may be negative); return the new time."""
        with self._lock:
            if self._frozen is not None:
                self._frozen += seconds
                return self._frozen
            self._offset += seconds
            return time.time() + self._offset

    def freeze(self, at: float | None = None) -> None:
        """Stop the clock at ``at`` (default: now)."""
        current = self.now()
        with self._lock:
            self._frozen = current if at is None else at

    def unfreeze(self) -> None:
        """Let the clock run again from its current value."""
        with self._lock:
            if self._frozen is not None:
                self._offset = self._frozen - time.time()
                self._frozen = None
