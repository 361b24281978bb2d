"""The vendor worker: poll, queue fairly, claim, process, deliver, survive restarts.

:class:`Worker` runs handlers (one per service feature) over the tasks Kaltura offers; the
:mod:`.journal` remembers each task's step so that a restart resumes the work (the
embedded :class:`SQLiteJournal` by default).
"""

from __future__ import annotations

from .job import EventKind, Handler, HandlerResult, Handoff, Job, TatFacts, WorkerEvent, WorkerStats
from .journal import Attempt, Journal, JournalRecord, Listed, Step
from .postgres import PostgresJournal, open_journal
from .sqlite import SQLiteJournal
from .worker import Worker

__all__ = [
    "Attempt",
    "EventKind",
    "Handler",
    "HandlerResult",
    "Handoff",
    "Job",
    "Journal",
    "JournalRecord",
    "Listed",
    "PostgresJournal",
    "SQLiteJournal",
    "Step",
    "TatFacts",
    "Worker",
    "WorkerEvent",
    "WorkerStats",
    "open_journal",
]
