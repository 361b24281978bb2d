"""``status``: tasks per customer and step, from a worker's journal."""

from __future__ import annotations

import json
from pathlib import Path

from kaltura_reach_vendor.fairness import TaskKey
from kaltura_reach_vendor.worker import SQLiteJournal, Step

from .conftest import Run

URL = "https://api.kaltura.com"


def _journal(path: Path) -> None:
    journal = SQLiteJournal(path)
    for task_id, partner, step in (
        (1, 1001, Step.SEEN),
        (2, 1001, Step.CLAIMED),
        (3, 1001, Step.DONE),
        (4, 1002, Step.HANDED_OFF),
        (5, 1002, Step.FAILED),
        (6, 1003, Step.DELIVERING),
    ):
        key = TaskKey(URL, task_id)
        journal.seen(key, partner_id=partner, service_feature=1, at=1.0)
        if step is not Step.SEEN:
            journal.step(key, step, at=2.0)
    journal.close()


def test_status_counts_each_customers_tasks(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    _journal(path)
    result = run("status", "--journal", str(path), "--json")
    assert result.code == 0
    body = json.loads(result.out)
    rows = {row["customer"]: row for row in body["customers"]}
    assert rows[1001] == {
        "customer": 1001,
        "waiting": 1,
        "running": 1,
        "handed off": 0,
        "done": 1,
        "failed": 0,
        "cancelled": 0,
    }
    assert rows[1002]["handed off"] == 1 and rows[1002]["failed"] == 1
    assert rows[1003]["running"] == 1
    table = run("status", "--journal", str(path))
    assert table.code == 0 and "handed off" in table.out and "1001" in table.out


def test_status_without_a_journal_is_one_line(run: Run, tmp_path: Path) -> None:
    result = run("status", "--journal", str(tmp_path / "missing.sqlite3"))
    assert result.code != 0
    assert result.err.strip().count("\n") == 0 and "no journal" in result.err
