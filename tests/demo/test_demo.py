"""The README's main command: the worker with the example handlers against the embedded
sandbox, every demo task ending as expected, explained in plain words, nothing secret shown."""

from __future__ import annotations

import re

import pytest

from kaltura_reach_vendor import demo
from kaltura_reach_vendor.cli import main
from kaltura_reach_vendor.demo import run_demo
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.sandbox.scenarios import (
    APP_TOKEN,
    CUSTOMERS,
    VENDOR_ADMIN_SECRET,
)

#: The demo scenario's tasks, by catalog item, and how each must end.
EXPECTED = {
    18202: "READY",  # machine translation EN>ES, from the source captions
    20682: "ERROR",  # Catalan > Dutch: the toy translator refuses, the worker fails it
    27622: "READY",  # human translation EN>CY from the audio
    30001: "READY",  # human captions: handed off, delivered "days later"
    30002: "READY",
    30004: "READY",
    30005: "READY",
    30006: "READY",
    30007: "READY",
    30008: "READY",  # live captions: registered, started, finished
    30009: "READY",
    30010: "READY",
    30011: "READY",  # live translation
}


def _demo_tasks() -> dict[int, int]:
    """Task id → catalog item of the demo scenario (ids are the same for every seed)."""
    with Sandbox("demo") as box:
        return {int(t["id"]): int(t["catalogItemId"]) for t in box.tasks()}


def test_the_demo_runs_every_task_to_its_expected_end() -> None:
    lines: list[str] = []
    assert run_demo(out=lines.append) == 0
    text = "\n".join(lines)
    tasks = _demo_tasks()
    assert set(tasks.values()) == set(EXPECTED)
    rows = {int(line.split()[0]): line.split() for line in lines if re.match(r"^\d{9} ", line)}
    assert set(rows) == set(tasks)  # one summary row per task
    for task_id, row in rows.items():
        assert EXPECTED[tasks[task_id]] in row, row  # its final status
        if EXPECTED[tasks[task_id]] == "READY" and tasks[task_id] not in (30008, 30011):
            assert any(re.fullmatch(r"[01]_\w{8}", cell) for cell in row), row  # output id
    assert "All 13 tasks ended as expected" in text
    assert "cannot translate Catalan into Dutch" in text  # the failure, explained
    assert "handed to a person" in text and "extended its access key" in text
    assert re.search(r"connected and received [1-9]\d* caption messages", text)


def test_the_demo_shows_no_secret() -> None:
    lines: list[str] = []
    assert run_demo(seed=7, out=lines.append) == 0
    text = "\n".join(lines)
    secrets = [APP_TOKEN, VENDOR_ADMIN_SECRET, *(secret for _pid, _name, secret in CUSTOMERS)]
    assert not [s for s in secrets if s in text]
    assert "djJ8" not in text  # no KS (every v2 KS starts with this base64 prefix)


def test_every_rule_id_in_the_explanation_comes_with_its_meaning() -> None:
    lines: list[str] = []
    run_demo(out=lines.append)
    explained = "\n".join(lines[lines.index("What happened:") :])
    for sentence in re.split(r"(?<=[.;])\s", explained):
        for rule in re.findall(r"\b[A-Z]{3,5}-\d+\b", sentence):
            words = re.sub(r"\([^)]*\)", "", sentence)
            assert len(words.split()) >= 6, f"{rule} without its meaning: {sentence!r}"


def test_the_demo_exits_1_when_a_task_does_not_end_as_expected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(demo, "EXPECTED_ERROR", set())  # now the Catalan failure is a surprise
    lines: list[str] = []
    assert run_demo(out=lines.append) == 1
    text = "\n".join(lines)
    (catalan,) = [t for t, item in _demo_tasks().items() if item == 20682]
    assert f"Task {catalan} failed unexpectedly" in text
    assert "Something did not go as expected" in text
    assert f"task {catalan} ended ERROR, expected READY" in text
    assert "ended as expected" not in text


def test_cli_demo_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--seed", "3"]) == 0
    assert "All 13 tasks ended as expected" in capsys.readouterr().out
