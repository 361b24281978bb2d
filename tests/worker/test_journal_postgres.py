"""The PostgreSQL journal across processes: gap-free attempt numbers, one winner of ``seen``,
durability across ``kill -9``, a masked conninfo, clear errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kaltura_reach_vendor import ConfigurationError
from kaltura_reach_vendor.fairness import TaskKey
from kaltura_reach_vendor.worker import PostgresJournal, SQLiteJournal, Step, open_journal

US = "https://api.kaltura.com"
_ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}


def _processes(url: str, body: str, count: int) -> list[subprocess.Popen[str]]:
    """``count`` Python processes that open the journal, say "ready", wait for a line on stdin
    (so that they all start writing at once), then run ``body`` (with ``j``, ``key``, ``i``)."""
    procs = []
    for i in range(count):
        script = textwrap.dedent(
            f"""
            import sys
            from kaltura_reach_vendor.fairness import TaskKey
            from kaltura_reach_vendor.worker import PostgresJournal, Step
            j = PostgresJournal({url!r})
            key = TaskKey({US!r}, 9)
            i = {i}
            print("ready", flush=True)
            sys.stdin.readline()
            """
        )
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", script + textwrap.dedent(body)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=_ENV,
                text=True,
            )
        )
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    return procs


def _outputs(procs: list[subprocess.Popen[str]]) -> list[str]:
    outputs = [proc.communicate(timeout=120)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * len(procs)
    return outputs


def test_processes_get_distinct_gap_free_attempt_numbers(postgres_url: str) -> None:
    journal = PostgresJournal(postgres_url)
    journal.seen(TaskKey(US, 9), partner_id=1, service_feature=1, at=1.0)
    body = """
    for n in range(25):
        print(j.begin_attempt(key, f"m{i}-{n}", at=2.0).number, flush=True)
    """
    outputs = _outputs(_processes(postgres_url, body, 4))
    numbers = [int(line) for out in outputs for line in out.split()]
    assert sorted(numbers) == list(range(1, 101))
    record = journal.get(TaskKey(US, 9))
    assert record is not None and record.step is Step.DELIVERING
    assert [a.number for a in record.attempts] == list(range(1, 101))
    assert len({a.marker for a in record.attempts}) == 100


def test_attempts_of_a_task_never_seen_are_still_gap_free(postgres_url: str) -> None:
    PostgresJournal(postgres_url).close()  # the schema, before the processes race
    body = """
    for n in range(20):
        print(j.begin_attempt(TaskKey(key.service_url, 77), f"m{i}-{n}", at=2.0).number)
    """
    outputs = _outputs(_processes(postgres_url, body, 3))
    assert sorted(int(line) for out in outputs for line in out.split()) == list(range(1, 61))


def test_one_process_of_many_sees_a_task_first(postgres_url: str) -> None:
    body = """
    for task_id in range(100, 140):
        new = j.seen(TaskKey(key.service_url, task_id), partner_id=i, service_feature=1, at=1.0)
        print(task_id, int(new))
    """
    outputs = _outputs(_processes(postgres_url, body, 3))  # the schema created by all three
    firsts: dict[int, int] = {}
    for out in outputs:
        for line in out.splitlines():
            task_id, new = map(int, line.split())
            firsts[task_id] = firsts.get(task_id, 0) + new
    assert firsts == {task_id: 1 for task_id in range(100, 140)}


def test_one_process_of_many_sees_a_task_first_in_whole_pages(postgres_url: str) -> None:
    body = """
    from kaltura_reach_vendor.worker import Listed
    for first in range(200, 240, 10):
        page = [Listed(TaskKey(key.service_url, t), i, 1) for t in range(first, first + 10)]
        for listed_key, (step, new) in j.seen_many(page, at=1.0).items():
            print(listed_key.task_id, int(new))
    """
    outputs = _outputs(_processes(postgres_url, body, 3))
    firsts: dict[int, int] = {}
    for out in outputs:
        for line in out.splitlines():
            task_id, new = map(int, line.split())
            firsts[task_id] = firsts.get(task_id, 0) + new
    assert firsts == {task_id: 1 for task_id in range(200, 240)}


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")
def test_steps_survive_kill_9_of_the_writer(postgres_url: str) -> None:
    body = """
    j.seen(key, partner_id=1001, service_feature=1, at=1.0)
    j.step(key, Step.CLAIMED, at=2.0)
    a = j.begin_attempt(key, "marker-9", at=3.0)
    j.finish_attempt(key, a.number, ["0_out"])
    j.begin_attempt(key, "marker-9b", at=4.0)
    print("written", flush=True)
    sys.stdin.read()
    """
    (proc,) = _processes(postgres_url, body, 1)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "written"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    record = PostgresJournal(postgres_url).get(TaskKey(US, 9))
    assert record is not None and record.step is Step.DELIVERING
    assert record.attempts[0].object_ids == ("0_out",) and record.attempts[0].finished
    assert record.open_attempt is not None and record.open_attempt.marker == "marker-9b"


def test_the_password_never_shows_in_the_repr(postgres_url: str) -> None:
    with_password = postgres_url.replace("postgres@", "postgres:hunter2-secret@")
    journal = PostgresJournal(with_password)  # trust authentication: the password is unused
    assert "hunter2" not in repr(journal) and "***" in repr(journal)


def test_an_unreachable_database_is_a_clear_error(postgres_url: str) -> None:
    gone = postgres_url.rsplit("/", 1)[0] + "/no_such_db"
    with pytest.raises(ConfigurationError, match="cannot open the journal") as caught:
        PostgresJournal(gone.replace("postgres@", "postgres:s3cret-pw@"))
    assert "s3cret-pw" not in str(caught.value)


def test_without_psycopg_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(ConfigurationError, match=r"kaltura-reach-vendor\[postgres\]"):
        PostgresJournal("postgresql://localhost/x")


def test_open_journal_picks_the_backend_from_the_spec(postgres_url: str, tmp_path: Path) -> None:
    postgres = open_journal(postgres_url)
    sqlite = open_journal(str(tmp_path / "j.sqlite3"))
    assert isinstance(postgres, PostgresJournal) and isinstance(sqlite, SQLiteJournal)
    assert isinstance(open_journal(tmp_path / "k.sqlite3"), SQLiteJournal)
    postgres.close()
    sqlite.close()


def test_a_closed_journal_refuses_work(postgres_url: str) -> None:
    journal = PostgresJournal(postgres_url)
    journal.close()
    with pytest.raises(ConfigurationError, match="closed"):
        journal.get(TaskKey(US, 1))


def test_connections_the_server_dropped_are_replaced(postgres_url: str) -> None:
    import psycopg

    journal = PostgresJournal(postgres_url)
    journal.seen(TaskKey(US, 1), partner_id=1, service_feature=1, at=1.0)
    with psycopg.connect(postgres_url, autocommit=True) as admin:  # as a server restart would
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    journal.step(TaskKey(US, 1), Step.CLAIMED, at=2.0)
    record = journal.get(TaskKey(US, 1))
    assert record is not None and record.step is Step.CLAIMED
