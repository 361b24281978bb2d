"""The PostgreSQL journal: the same :class:`~.journal.Journal` for workers on many hosts.

``pip install 'kaltura-reach-vendor[postgres]'`` (psycopg 3). Its two tables, ``reach_tasks``
and ``reach_attempts``, are created idempotently and may share a database with the task
engine's own tables (procrastinate's are ``procrastinate_*``).

* Each method is one transaction, committed before it returns (durable on return, like the
  SQLite journal): a ``kill -9`` of the process right after loses nothing.
* Thread-safe: a thread takes a connection from a small pool for one method and gives it back;
  an idle connection found dead (a server restart) is replaced; a connection lost during a
  method is a :class:`~kaltura_reach_vendor.errors.ReachConnectionError`.
* Many processes and hosts may write at once: ``seen`` is an insert that ignores a conflict (the
  first wins; exactly one caller gets True); ``begin_attempt`` locks the task's row
  (``SELECT … FOR UPDATE``, or an advisory lock on the key when the task was never seen) so
  that attempts are numbered 1, 2, 3… without gaps or duplicates; a final step is never left.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .._secrets import mask, mask_url
from ..errors import ConfigurationError, ReachConnectionError
from ..fairness import TaskKey
from .journal import Attempt, Journal, JournalRecord, Listed, Step
from .sqlite import SQLiteJournal

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresJournal", "open_journal"]

_INSTALL = "the PostgreSQL journal needs: pip install 'kaltura-reach-vendor[postgres]'"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS reach_tasks (
    service_url TEXT NOT NULL,
    task_id BIGINT NOT NULL,
    partner_id BIGINT,
    service_feature INTEGER,
    step TEXT NOT NULL,
    external_id TEXT,
    detail TEXT,
    first_seen DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (service_url, task_id)
);
CREATE TABLE IF NOT EXISTS reach_attempts (
    service_url TEXT NOT NULL,
    task_id BIGINT NOT NULL,
    number INTEGER NOT NULL,
    marker TEXT NOT NULL,
    started_at DOUBLE PRECISION NOT NULL,
    object_ids TEXT[] NOT NULL DEFAULT '{}',
    finished BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (service_url, task_id, number)
);
CREATE INDEX IF NOT EXISTS reach_tasks_open ON reach_tasks (service_url, step, first_seen);
"""
# Serialises the schema's creation by several processes at once (CREATE … IF NOT EXISTS alone
# may fail with a unique violation in the catalog when two run together).
_SCHEMA_LOCK = 0x7265616368  # "reach"
_FINAL = [s.value for s in Step if s.is_final]
_POOL_SIZE = 8


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise ConfigurationError(_INSTALL) from None
    return psycopg


#: A task's record with its attempts, in one query (the attempts as a JSON array).
_RECORDS = (
    "SELECT t.service_url, t.task_id, t.partner_id, t.service_feature, t.step, t.updated_at, "
    "t.external_id, t.detail, (SELECT COALESCE(json_agg(json_build_array(a.number, a.marker, "
    "a.started_at, a.object_ids, a.finished) ORDER BY a.number), '[]') FROM reach_attempts a "
    "WHERE a.service_url = t.service_url AND a.task_id = t.task_id) FROM reach_tasks t "
)


def _record(row: Sequence[Any]) -> JournalRecord:
    return JournalRecord(
        key=TaskKey(row[0], int(row[1])),
        partner_id=row[2],
        service_feature=row[3],
        step=Step(row[4]),
        updated_at=row[5],
        external_id=row[6],
        detail=row[7],
        attempts=tuple(
            Attempt(int(a[0]), a[1], float(a[2]), tuple(a[3] or ()), bool(a[4])) for a in row[8]
        ),
    )


class PostgresJournal:
    """A :class:`~.journal.Journal` in a PostgreSQL database (``postgresql://…`` conninfo)."""

    def __init__(self, conninfo: str, *, pool_size: int = _POOL_SIZE) -> None:
        self._psycopg = _psycopg()
        self.conninfo = conninfo
        self._pool_size = pool_size
        self._idle: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        self._closed = False
        with self._transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)

    def __repr__(self) -> str:
        return f"PostgresJournal({mask_url(self.conninfo)!r})"

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            connection: psycopg.Connection[Any] = self._psycopg.connect(
                self.conninfo, autocommit=True
            )
        except self._psycopg.Error as error:
            raise ConfigurationError(
                f"cannot open the journal {mask_url(self.conninfo)!r}: {mask(str(error))}"
            ) from None
        return connection

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """One connection of the pool, in one transaction committed on a normal exit.

        An idle connection found dead (the server restarted) is replaced before anything is
        sent; a connection lost during the transaction is a :class:`ReachConnectionError`
        (whether it committed is unknown: the methods are safe to call again).
        """
        connection, stack = self._begin()
        try:
            with stack:
                yield connection
        except BaseException as error:
            if not (connection.broken or connection.closed):
                self._give_back(connection)  # e.g. a deadlock detected: the caller's to handle
                raise
            connection.close()
            if isinstance(error, self._psycopg.OperationalError):
                raise self._lost(error, never_sent=False) from None
            raise
        self._give_back(connection)

    def _once(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        """One statement on its own (autocommit: no BEGIN/COMMIT round trips), its rows.

        Only for statements that are safe to send twice: an idle connection the server
        dropped fails on first use, and the statement is sent again on a new connection."""
        for fresh in (False, True):
            with self._lock:
                if self._closed:
                    raise ConfigurationError("the journal is closed")
                idle = None if fresh or not self._idle else self._idle.pop()
            was_idle = idle is not None and not idle.closed
            connection = idle if idle is not None and was_idle else self._connect()
            try:
                cursor = connection.execute(sql, params)
                rows = cursor.fetchall() if cursor.description is not None else []
            except self._psycopg.OperationalError as error:
                connection.close()
                if was_idle and not fresh:
                    continue  # dropped while idle (a server restart): once more, anew
                raise self._lost(error, never_sent=False) from None
            except BaseException:
                if connection.broken or connection.closed:
                    connection.close()
                else:
                    self._give_back(connection)
                raise
            self._give_back(connection)
            return rows
        raise AssertionError("unreachable")

    def _begin(self) -> tuple[psycopg.Connection[Any], contextlib.ExitStack]:
        """A connection (idle, else new) with its transaction begun."""
        for fresh in (False, True):
            with self._lock:
                if self._closed:
                    raise ConfigurationError("the journal is closed")
                idle = None if fresh or not self._idle else self._idle.pop()
            connection = self._connect() if idle is None or idle.closed else idle
            stack = contextlib.ExitStack()
            try:
                stack.enter_context(connection.transaction())  # BEGIN
            except self._psycopg.OperationalError as error:
                connection.close()
                if fresh:
                    raise self._lost(error, never_sent=True) from None
                continue
            return connection, stack
        raise AssertionError("unreachable")

    def _lost(self, error: Exception, *, never_sent: bool) -> ReachConnectionError:
        return ReachConnectionError(
            f"the journal {mask_url(self.conninfo)!r} lost its connection: {mask(str(error))}",
            never_sent=never_sent,
        )

    def _give_back(self, connection: psycopg.Connection[Any]) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < self._pool_size:
                self._idle.append(connection)
                return
        connection.close()

    def seen(
        self, key: TaskKey, *, partner_id: int | None, service_feature: int | None, at: float
    ) -> bool:
        added = self._once(
            "INSERT INTO reach_tasks (service_url, task_id, partner_id, service_feature, "
            "step, first_seen, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT DO NOTHING RETURNING 1",
            (key.service_url, key.task_id, partner_id, service_feature, Step.SEEN.value, at, at),
        )
        return len(added) == 1

    def seen_many(self, listed: Sequence[Listed], *, at: float) -> dict[TaskKey, tuple[Step, bool]]:
        result: dict[TaskKey, tuple[Step, bool]] = {}
        urls = {item.key.service_url for item in listed}
        with self._transaction() as db:
            for url in urls:  # one region in practice
                items = [item for item in listed if item.key.service_url == url]
                ids = [item.key.task_id for item in items]
                added = db.execute(
                    "INSERT INTO reach_tasks (service_url, task_id, partner_id, service_feature, "
                    "step, first_seen, updated_at) SELECT %s, t.id, t.partner, t.feature, %s, "
                    "%s, %s FROM unnest(%s::bigint[], %s::bigint[], %s::int[]) "
                    "AS t(id, partner, feature) ON CONFLICT DO NOTHING RETURNING task_id",
                    (
                        url,
                        Step.SEEN.value,
                        at,
                        at,
                        ids,
                        [item.partner_id for item in items],
                        [item.service_feature for item in items],
                    ),
                ).fetchall()
                new = {int(row[0]) for row in added}
                known = db.execute(
                    "SELECT task_id, step FROM reach_tasks WHERE service_url = %s "
                    "AND task_id = ANY(%s::bigint[])",
                    (url, [i for i in ids if i not in new]),
                ).fetchall()
                steps = {int(row[0]): Step(row[1]) for row in known}
                for item in items:
                    task_id = item.key.task_id
                    fresh = task_id in new
                    result[item.key] = (Step.SEEN if fresh else steps[task_id], fresh)
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
        self._once(
            "UPDATE reach_tasks SET step = %s, updated_at = %s, "
            "external_id = COALESCE(%s, external_id), detail = COALESCE(%s, detail) "
            "WHERE service_url = %s AND task_id = %s AND NOT (step = ANY(%s))",
            (step.value, at, external_id, detail, key.service_url, key.task_id, _FINAL),
        )

    def begin_attempt(self, key: TaskKey, marker: str, *, at: float) -> Attempt:
        with self._transaction() as db:
            locked = db.execute(
                "SELECT 1 FROM reach_tasks WHERE service_url = %s AND task_id = %s FOR UPDATE",
                (key.service_url, key.task_id),
            ).fetchone()
            if locked is None:  # never seen: no row to lock, lock the key itself
                db.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                    (f"reach-attempt {key.service_url} {key.task_id}",),
                )
            row = db.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM reach_attempts "
                "WHERE service_url = %s AND task_id = %s",
                (key.service_url, key.task_id),
            ).fetchone()
            number = int(row[0]) if row is not None else 1
            db.execute(
                "INSERT INTO reach_attempts (service_url, task_id, number, marker, started_at) "
                "VALUES (%s, %s, %s, %s, %s)",
                (key.service_url, key.task_id, number, marker, at),
            )
            db.execute(
                "UPDATE reach_tasks SET step = %s, updated_at = %s "
                "WHERE service_url = %s AND task_id = %s",
                (Step.DELIVERING.value, at, key.service_url, key.task_id),
            )
        return Attempt(number, marker, at)

    def finish_attempt(self, key: TaskKey, number: int, object_ids: Sequence[str]) -> None:
        self._once(
            "UPDATE reach_attempts SET object_ids = %s::text[], finished = TRUE "
            "WHERE service_url = %s AND task_id = %s AND number = %s",
            (list(object_ids), key.service_url, key.task_id, number),
        )

    def get(self, key: TaskKey) -> JournalRecord | None:
        rows = self._once(
            _RECORDS + "WHERE t.service_url = %s AND t.task_id = %s", (key.service_url, key.task_id)
        )
        return _record(rows[0]) if rows else None

    def unfinished(self, service_url: str) -> list[JournalRecord]:
        rows = self._once(
            _RECORDS + "WHERE t.service_url = %s AND NOT (t.step = ANY(%s)) "
            "ORDER BY t.first_seen, t.task_id",
            (service_url, _FINAL),
        )
        return [_record(row) for row in rows]

    def summary(self) -> dict[tuple[int | None, Step], int]:
        with self._transaction() as db:
            rows = db.execute(
                "SELECT partner_id, step, count(*) FROM reach_tasks GROUP BY partner_id, step"
            ).fetchall()
        return {(row[0], Step(row[1])): int(row[2]) for row in rows}

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


def open_journal(spec: str | os.PathLike[str]) -> Journal:
    """The journal ``spec`` names: a :class:`PostgresJournal` for a ``postgresql://`` (or
    ``postgres://``) URL, else a :class:`~.sqlite.SQLiteJournal` file at that path."""
    if isinstance(spec, str) and spec.startswith(("postgresql://", "postgres://")):
        return PostgresJournal(spec)
    return SQLiteJournal(spec)
