"""The README's main command: the demo runs end to end against the embedded sandbox."""

from __future__ import annotations

import pytest

from kaltura_reach_vendor.cli import main
from kaltura_reach_vendor.demo import run_demo


def test_demo_runs_the_whole_vendor_day() -> None:
    lines: list[str] = []
    assert run_demo(lines.append) == 0
    text = "\n".join(lines)
    assert "13 pending tasks" in text
    assert "delivered with the task's access key in 2 HTTP requests" in text
    assert "is READY (outputObjectId" in text
    assert "is not claimed like VOD" in text and "start_live" in text
    assert "cancelled by its customer" in text
    assert "(POLL-8): 1" in text
    assert "Done: 1 task(s) READY." in text


def test_cli_demo_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--seed", "3"]) == 0
    assert "Done: 1 task(s) READY." in capsys.readouterr().out
