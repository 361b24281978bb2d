"""The journals (SQLite and PostgreSQL): steps, attempts, what a restart resumes, threads,
several processes and ``kill -9``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kaltura_reach_vendor.fairness import TaskKey
from kaltura_reach_vendor.worker import Journal, Listed, PostgresJournal, SQLiteJournal, Step

US = "https://api.kaltura.com"
EU = "https://api.eu.kaltura.com"


@pytest.fixture(params=["sqlite", "postgres"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Journal]:
    """Each journal backend, empty."""
    if request.param == "sqlite":
        implementation: Journal = SQLiteJournal(tmp_path / "j.sqlite3")
    else:
        implementation = PostgresJournal(request.getfixturevalue("postgres_url"))
    yield implementation
    implementation.close()


def test_a_task_is_new_once_and_keeps_its_customer(journal: Journal) -> None:
    key = TaskKey(US, 7)
    assert journal.seen(key, partner_id=1001, service_feature=1, at=10.0) is True
    assert journal.seen(key, partner_id=1001, service_feature=1, at=11.0) is False
    record = journal.get(key)
    assert record is not None
    assert (record.partner_id, record.service_feature, record.step) == (1001, 1, Step.SEEN)
    assert journal.get(TaskKey(US, 8)) is None


def test_a_whole_page_is_recorded_at_once_with_each_tasks_step(journal: Journal) -> None:
    journal.seen(TaskKey(US, 1), partner_id=1001, service_feature=1, at=1.0)
    journal.step(TaskKey(US, 1), Step.CLAIMED, at=2.0)
    journal.seen(TaskKey(US, 2), partner_id=1001, service_feature=1, at=1.0)
    page = [
        Listed(TaskKey(US, 1), 1001, 1),  # claimed before
        Listed(TaskKey(US, 2), 1001, 1),  # seen before
        Listed(TaskKey(US, 3), 1002, 7),  # new
        Listed(TaskKey(EU, 1), 2001, 2),  # new: the same id in another region (POLL-5)
    ]
    assert journal.seen_many(page, at=3.0) == {
        TaskKey(US, 1): (Step.CLAIMED, False),
        TaskKey(US, 2): (Step.SEEN, False),
        TaskKey(US, 3): (Step.SEEN, True),
        TaskKey(EU, 1): (Step.SEEN, True),
    }
    record = journal.get(TaskKey(US, 3))
    assert record is not None
    assert (record.partner_id, record.service_feature, record.updated_at) == (1002, 7, 3.0)
    assert journal.seen_many(page[2:], at=4.0) == {
        TaskKey(US, 3): (Step.SEEN, False),
        TaskKey(EU, 1): (Step.SEEN, False),
    }
    assert journal.seen_many([], at=5.0) == {}


@pytest.mark.rule("POLL-5")
def test_the_same_task_id_in_two_regions_is_two_tasks(journal: Journal) -> None:
    journal.seen(TaskKey(US, 7), partner_id=1, service_feature=1, at=1.0)
    assert journal.seen(TaskKey(EU, 7), partner_id=2, service_feature=2, at=2.0) is True
    journal.step(TaskKey(US, 7), Step.DONE, at=3.0)
    assert [r.key for r in journal.unfinished(EU)] == [TaskKey(EU, 7)]
    assert journal.unfinished(US) == []


def test_a_final_step_is_never_left(journal: Journal) -> None:
    key = TaskKey(US, 1)
    journal.seen(key, partner_id=1, service_feature=1, at=1.0)
    journal.step(key, Step.HANDED_OFF, at=2.0, external_id="job-42")
    journal.step(key, Step.CANCELLED, at=3.0, detail="cancelled by the customer")
    journal.step(key, Step.CLAIMED, at=4.0)
    record = journal.get(key)
    assert record is not None
    assert record.step is Step.CANCELLED and record.updated_at == 3.0
    assert (record.external_id, record.detail) == ("job-42", "cancelled by the customer")


def test_attempts_are_numbered_and_an_interrupted_one_is_found(journal: Journal) -> None:
    key = TaskKey(US, 3)
    journal.seen(key, partner_id=1, service_feature=1, at=1.0)
    first = journal.begin_attempt(key, "m1", at=2.0)
    journal.finish_attempt(key, first.number, ["0_a", "0_b"])
    second = journal.begin_attempt(key, "m2", at=3.0)
    record = journal.get(key)
    assert record is not None and record.step is Step.DELIVERING
    assert [a.number for a in record.attempts] == [1, 2]
    assert record.attempts[0].object_ids == ("0_a", "0_b") and record.attempts[0].finished
    assert record.open_attempt is not None and record.open_attempt.marker == "m2"
    assert second.number == 2


def test_unfinished_lists_oldest_first(journal: Journal) -> None:
    for task_id, at in ((5, 30.0), (6, 10.0), (7, 20.0)):
        journal.seen(TaskKey(US, task_id), partner_id=1, service_feature=1, at=at)
    journal.step(TaskKey(US, 7), Step.FAILED, at=40.0, detail="no audio")
    assert [r.key.task_id for r in journal.unfinished(US)] == [6, 5]


def test_threads_get_distinct_attempt_numbers(journal: Journal) -> None:
    key = TaskKey(US, 9)
    journal.seen(key, partner_id=1, service_feature=1, at=1.0)
    numbers: list[int] = []

    def work(i: int) -> None:
        for j in range(10):
            numbers.append(journal.begin_attempt(key, f"m{i}-{j}", at=2.0).number)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(1, 81))


def test_the_sqlite_journal_is_a_journal(tmp_path: Path) -> None:
    implementation: Journal = SQLiteJournal(tmp_path / "j.sqlite3")
    assert "j.sqlite3" in repr(implementation)


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")
def test_steps_survive_kill_9(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    script = textwrap.dedent(
        f"""
        import os, sys
        from kaltura_reach_vendor.fairness import TaskKey
        from kaltura_reach_vendor.worker import SQLiteJournal, Step
        j = SQLiteJournal({str(path)!r})
        key = TaskKey({US!r}, 11)
        j.seen(key, partner_id=1001, service_feature=1, at=1.0)
        j.step(key, Step.CLAIMED, at=2.0)
        j.begin_attempt(key, "marker-11", at=3.0)
        print("written", flush=True)
        sys.stdin.read()
        """
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "written"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    record = SQLiteJournal(path).get(TaskKey(US, 11))
    assert record is not None and record.step is Step.DELIVERING
    assert record.open_attempt is not None and record.open_attempt.marker == "marker-11"


def test_an_unopenable_journal_is_a_clear_error(tmp_path: Path) -> None:
    from kaltura_reach_vendor import ConfigurationError

    with pytest.raises(ConfigurationError, match="cannot open the journal"):
        SQLiteJournal(tmp_path / "missing-dir" / "j.sqlite3")


def test_the_summary_counts_each_customers_tasks_per_step(journal: Journal) -> None:
    for task_id, partner in ((1, 1001), (2, 1001), (3, 1002)):
        journal.seen(TaskKey(US, task_id), partner_id=partner, service_feature=1, at=1.0)
    journal.seen(TaskKey(EU, 1), partner_id=1001, service_feature=1, at=1.0)
    journal.step(TaskKey(US, 2), Step.DONE, at=2.0)
    assert journal.summary() == {
        (1001, Step.SEEN): 2,
        (1001, Step.DONE): 1,
        (1002, Step.SEEN): 1,
    }
