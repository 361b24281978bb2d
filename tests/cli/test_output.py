"""Progress shows on a terminal and stays out of piped output."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from kaltura_reach_vendor.cli import _output, main


def _terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    screen = io.StringIO()
    monkeypatch.setattr(_output, "is_terminal", lambda: True)
    monkeypatch.setattr(
        _output, "console", lambda: Console(file=screen, force_terminal=True, width=120)
    )
    return screen


def test_jobs_shows_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _terminal(monkeypatch)
    assert main(["jobs", "--sandbox"]) == 0
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "fetching pending tasks" in shown  # the spinner's line (transient, then erased)
    assert "13 pending tasks" in shown


def test_progress_is_silent_when_piped(capsys: pytest.CaptureFixture[str]) -> None:
    with _output.progress("working", total=3) as update:
        update()
        update(total=4, description="still working")
    assert capsys.readouterr() == ("", "")


def test_check_progress_never_shows_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _terminal(monkeypatch)
    assert main(["check", "--sandbox"]) == 0
    assert "starting a vendor session" in screen.getvalue()
    assert "djJ8" not in screen.getvalue()
