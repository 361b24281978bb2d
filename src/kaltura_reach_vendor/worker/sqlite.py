"""The embedded journal: one SQLite file (standard library ``sqlite3``) in WAL mode.

Several threads of one worker share it through one connection guarded by a lock; several
processes on one host may open the same file (SQLite locks it; ``busy_timeout`` waits for a
writer). ``synchronous=NORMAL`` with WAL survives a process crash (``kill -9``); only a power
loss may lose the last steps, which reconciliation by marker then covers.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Sequence

from ..errors import ConfigurationError
from ..fairness import TaskKey
from .journal import Attempt, JournalRecord, Listed, Step

__all__ = ["SQLiteJournal"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    service_url TEXT NOT NULL,
    task_id INTEGER NOT NULL,
    partner_id INTEGER,
    service_feature INTEGER,
    step TEXT NOT NULL,
    external_id TEXT,
    detail TEXT,
    first_seen REAL NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (service_url, task_id)
);
CREATE TABLE IF NOT EXISTS attempts (
    service_url TEXT NOT NULL,
    task_id INTEGER NOT NULL,
    number INTEGER NOT NULL,
    marker TEXT NOT NULL,
    started_at REAL NOT NULL,
    object_ids TEXT NOT NULL DEFAULT '[]',
    finished INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (service_url, task_id, number)
);
CREATE INDEX IF NOT EXISTS tasks_open ON tasks (service_url, step, first_seen);
"""
_FINAL = tuple(s.value for s in Step if s.is_final)


class SQLiteJournal:
    """A :class:`~.journal.Journal` in one SQLite file (``":memory:"`` for tests)."""

    def __init__(self, path: str | os.PathLike[str] = "reach-journal.sqlite3") -> None:
        self.path = os.fspath(path)
        try:
            self._db = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as error:
            raise ConfigurationError(f"cannot open the journal {self.path!r}: {error}") from None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SQLiteJournal({self.path!r})"

    def _write(self, sql: str, params: Sequence[object]) -> int:
        with self._lock:
            return self._db.execute(sql, params).rowcount

    def seen(
        self, key: TaskKey, *, partner_id: int | None, service_feature: int | None, at: float
    ) -> bool:
        added = self._write(
            "INSERT OR IGNORE INTO tasks (service_url, task_id, partner_id, service_feature, "
            "step, first_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key.service_url, key.task_id, partner_id, service_feature, Step.SEEN.value, at, at),
        )
        return added == 1

    def seen_many(self, listed: Sequence[Listed], *, at: float) -> dict[TaskKey, tuple[Step, bool]]:
        result: dict[TaskKey, tuple[Step, bool]] = {}
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for item in listed:
                    key = item.key
                    added = self._db.execute(
                        "INSERT OR IGNORE INTO tasks (service_url, task_id, partner_id, "
                        "service_feature, step, first_seen, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (
                            key.service_url,
                            key.task_id,
                            item.partner_id,
                            item.service_feature,
                            Step.SEEN.value,
                            at,
                            at,
                        ),
                    ).rowcount
                    if added == 1:
                        result[key] = (Step.SEEN, True)
                        continue
                    row = self._db.execute(
                        "SELECT step FROM tasks WHERE service_url = ? AND task_id = ?",
                        (key.service_url, key.task_id),
                    ).fetchone()
                    result[key] = (Step(row[0]), False)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return result

    def step(
        self,
        key: TaskKey,
        step: Step,
        *,
        at: float,
        external_id: str | None = None,
        detail: str | None = None,
    ) -> None:
        self._write(
            "UPDATE tasks SET step = ?, updated_at = ?, external_id = COALESCE(?, external_id), "
            "detail = COALESCE(?, detail) WHERE service_url = ? AND task_id = ? "
            f"AND step NOT IN ({', '.join('?' for _ in _FINAL)})",
            (step.value, at, external_id, detail, key.service_url, key.task_id, *_FINAL),
        )

    def begin_attempt(self, key: TaskKey, marker: str, *, at: float) -> Attempt:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute(
                    "SELECT COALESCE(MAX(number), 0) + 1 FROM attempts "
                    "WHERE service_url = ? AND task_id = ?",
                    (key.service_url, key.task_id),
                ).fetchone()
                number = int(row[0])
                self._db.execute(
                    "INSERT INTO attempts (service_url, task_id, number, marker, started_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (key.service_url, key.task_id, number, marker, at),
                )
                self._db.execute(
                    "UPDATE tasks SET step = ?, updated_at = ? WHERE service_url = ? "
                    "AND task_id = ?",
                    (Step.DELIVERING.value, at, key.service_url, key.task_id),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return Attempt(number, marker, at)

    def finish_attempt(self, key: TaskKey, number: int, object_ids: Sequence[str]) -> None:
        self._write(
            "UPDATE attempts SET object_ids = ?, finished = 1 WHERE service_url = ? "
            "AND task_id = ? AND number = ?",
            (json.dumps(list(object_ids)), key.service_url, key.task_id, number),
        )

    def get(self, key: TaskKey) -> JournalRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT partner_id, service_feature, step, updated_at, external_id, detail "
                "FROM tasks WHERE service_url = ? AND task_id = ?",
                (key.service_url, key.task_id),
            ).fetchone()
            if row is None:
                return None
            attempts = self._db.execute(
                "SELECT number, marker, started_at, object_ids, finished FROM attempts "
                "WHERE service_url = ? AND task_id = ? ORDER BY number",
                (key.service_url, key.task_id),
            ).fetchall()
        return JournalRecord(
            key=key,
            partner_id=row[0],
            service_feature=row[1],
            step=Step(row[2]),
            updated_at=row[3],
            external_id=row[4],
            detail=row[5],
            attempts=tuple(
                Attempt(a[0], a[1], a[2], tuple(json.loads(a[3])), bool(a[4])) for a in attempts
            ),
        )

    def unfinished(self, service_url: str) -> list[JournalRecord]:
        with self._lock:
            ids = [
                int(r[0])
                for r in self._db.execute(
                    "SELECT task_id FROM tasks WHERE service_url = ? AND step NOT IN "
                    f"({', '.join('?' for _ in _FINAL)}) ORDER BY first_seen, task_id",
                    (service_url, *_FINAL),
                )
            ]
        records = (self.get(TaskKey(service_url, i)) for i in ids)
        return [r for r in records if r is not None]

    def summary(self) -> dict[tuple[int | None, Step], int]:
        with self._lock:
            rows = self._db.execute(
                "SELECT partner_id, step, count(*) FROM tasks GROUP BY partner_id, step"
            ).fetchall()
        return {(row[0], Step(row[1])): int(row[2]) for row in rows}

    def close(self) -> None:
        with self._lock:
            self._db.close()
