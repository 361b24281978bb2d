"""``work --handlers module:object``: the worker runs the vendor's handlers over the sandbox,
and a bad handler spec or bad credentials are one line, before any work starts."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Run, one_line

FAST = ("--sandbox", "--until-idle", "--poll-interval", "0.05")
HUMAN_CAPTIONS, MACHINE_CAPTIONS, CHAPTERING = 500000001, 500000002, 500000006
ROOT = Path(__file__).resolve().parents[2]
SPEC = "tests.cli.handlers:HANDLERS"


def _delivered(out: str) -> set[int]:
    return {int(m) for m in re.findall(r"^delivered: task (\d+)", out, flags=re.M)}


@pytest.mark.parametrize("spec", ["HANDLERS", "make_handlers", "BY_NAME"])
def test_work_delivers_with_the_handlers(run: Run, spec: str) -> None:
    result = run("work", "--handlers", f"tests.cli.handlers:{spec}", *FAST)
    assert result.code == 0, result.err
    assert "worker started for sandbox: captions, chaptering" in result.out
    assert _delivered(result.out) == {HUMAN_CAPTIONS, MACHINE_CAPTIONS, CHAPTERING}
    assert "worker stopped: seen 3, claimed 3, delivered 3" in result.out
    assert "failed 0" in result.out and "errors 0" in result.out


@pytest.mark.rule("LIFE-4")
def test_a_raising_handler_fails_its_task(run: Run) -> None:
    result = run("work", "--handlers", "tests.cli.handlers:FAILING", *FAST)
    assert result.code == 0, result.err
    assert re.search(
        rf"^failed: task {CHAPTERING}, customer 1001, chaptering .*out of coffee",
        result.out,
        flags=re.M,
    )
    assert "failed 1" in result.out


def test_work_keeps_its_journal_where_told(run: Run, tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    result = run(
        "work", "--handlers", "tests.cli.handlers:HANDLERS", "--journal", str(journal), *FAST
    )
    assert result.code == 0, result.err
    assert journal.exists() and journal.stat().st_size > 0


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("tests.cli.handlers", "must be module:object"),
        (":HANDLERS", "must be module:object"),
        ("tests.cli.no_such_module:HANDLERS", "no module named 'tests.cli.no_such_module'"),
        ("tests.cli.handlers:NOPE", "has no 'NOPE'"),
        ("tests.cli.handlers:NOT_A_MAPPING", "expected a non-empty mapping"),
        ("tests.cli.handlers:NOT_CALLABLE", "is not callable"),
        ("tests.cli.handlers:UNKNOWN_FEATURE", "'teleportation' is not a service feature"),
        ("tests.cli.handlers:exploding_factory", "calling it failed: ValueError: no config"),
    ],
)
def test_bad_handler_specs_are_one_line(run: Run, spec: str, message: str) -> None:
    result = run("work", "--handlers", spec, *FAST)
    assert result.code == 2 and result.out == ""
    assert message in one_line(result.err)


def test_work_with_bad_credentials_stops_before_starting(
    run: Run, served: Sandbox, account_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    account_env.setenv("KALTURA_APP_TOKEN", "wrong-token-for-the-worker")
    journal = tmp_path / "journal.sqlite3"
    result = run(
        "work",
        "--handlers",
        "tests.cli.handlers:HANDLERS",
        "--journal",
        str(journal),
        "--until-idle",
        secrets=("wrong-token-for-the-worker",),
    )
    assert result.code == 1 and result.out == ""
    assert "the credentials were refused" in one_line(result.err)
    assert not journal.exists()
    assert all(t["status"] == 1 for t in served.tasks() if int(t["id"]) == HUMAN_CAPTIONS)


def test_unusable_journal_is_one_line(run: Run, tmp_path: Path) -> None:
    journal = tmp_path / "no-such-folder" / "journal.sqlite3"
    result = run(
        "work", "--handlers", "tests.cli.handlers:HANDLERS", "--journal", str(journal), *FAST
    )
    assert result.code in (1, 2) and "Traceback" not in result.err
    assert "cannot open the journal" in one_line(result.err)


def test_sigint_stops_the_worker_gracefully() -> None:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}", "PYTHONUNBUFFERED": "1"}
    argv = [
        "work",
        "--sandbox",
        "--handlers",
        "tests.cli.handlers:HANDLERS",
        "--poll-interval",
        "0.1",
    ]
    proc = subprocess.Popen(
        [sys.executable, "-m", "kaltura_reach_vendor", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if len(_delivered("".join(lines))) == 3:
                break
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "worker stopped: seen 3, claimed 3, delivered 3" in rest
