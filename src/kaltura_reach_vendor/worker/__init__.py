"""The vendor worker: poll, queue fairly, claim, process, deliver, survive restarts.

So far this package holds the worker's journal (:mod:`.journal`, the interface, and
:mod:`.sqlite`, the embedded backend); the polling loop builds on it.
"""

from __future__ import annotations

from .journal import Attempt, Journal, JournalRecord, Step
from .sqlite import SQLiteJournal

__all__ = ["Attempt", "Journal", "JournalRecord", "SQLiteJournal", "Step"]
