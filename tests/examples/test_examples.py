"""Every script in examples/ runs as written, twice: with no ``KALTURA_*`` variables (the
example serves its own sandbox) and with ``KALTURA_*`` variables pointing at a sandbox this
test serves, standing in for a real account (there the feature's task must end READY).

A new example without an entry in ``EXPECTED`` fails ``test_every_example_is_expected``.
The scripts run as subprocesses, all at once, so the file stays fast.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from kaltura_env import account_env
from kaltura_reach_vendor.live import CaptionMessage
from kaltura_reach_vendor.sandbox import Sandbox
from pg import postgres_server, postgres_url  # real PostgreSQL (tests/pg.py)

__all__ = ["postgres_server", "postgres_url"]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SRC = EXAMPLES.parent / "src"  # the working tree, as pytest imports it
SCRIPTS = sorted(p.name for p in EXAMPLES.glob("*.py") if not p.name.startswith("_"))
READY, PROCESSING, SCHEDULED = 2, 3, 9
TASK_ID = r"task (\d+)"


@dataclass(frozen=True)
class Expect:
    outcome: str  # a regex the output must match; group 1 is the task id when there is one
    status: int | None = READY  # the task's status afterwards in the "real account"
    args: tuple[str, ...] = ()
    uses_env: bool = True  # False: the example always builds its own sandbox


EXPECTED: dict[str, Expect] = {
    "captions.py": Expect(rf"captions {TASK_ID}: READY, caption asset \S+"),
    "translation.py": Expect(rf"translation {TASK_ID} \(English -> Spanish\): READY"),
    "chapters.py": Expect(rf"chapters {TASK_ID}: READY, 2 objects"),
    "extended_audio_description.py": Expect(rf"extended audio description {TASK_ID}: READY"),
    "dubbing.py": Expect(rf"dubbing {TASK_ID} \(Spanish\): READY, flavor \S+"),
    "audio_description.py": Expect(rf"audio description {TASK_ID}: READY, flavor \S+"),
    "sign_language.py": Expect(rf"sign language {TASK_ID}: READY, child entry \S+"),
    "moderation.py": Expect(rf"moderation {TASK_ID}: READY, 2 findings"),
    # A registered live task is SCHEDULED until its event (the worker starts and ends it).
    "live_captions.py": Expect(
        rf"live_caption {TASK_ID}: registered LiveCaptionFeature", SCHEDULED, ("--wait", "0")
    ),
    "async_client.py": Expect(rf"captions {TASK_ID}: READY, caption asset \S+"),
    "worker.py": Expect(r"worker done: 11 claimed, 10 delivered", None),
    "scale_out.py": Expect(r"worker done: 11 claimed, 10 delivered", None),
    "poll_and_claim.py": Expect(r"task 500000002: ", None, uses_env=False),
    "async_poll.py": Expect(r"500000002 CAPTIONS", None, uses_env=False),
}
#: The live translation flag of live_captions.py, checked like a script of its own.
LIVE_TRANSLATION = Expect(
    rf"live_translation {TASK_ID}: registered", SCHEDULED, ("--translation", "--wait", "0")
)


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KALTURA_")}
    env.pop("REACH_DATABASE_URL", None)
    path = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    return {**env, "PYTHONPATH": path, **extra}


def _run(name: str, args: tuple[str, ...], env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{name} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done.stdout


def _account_env(box: Sandbox, url: str) -> dict[str, str]:
    return account_env(box, url, "example-test")


def _check(name: str, expect: Expect, out: str, box: Sandbox | None) -> None:
    match = re.search(expect.outcome, out)
    assert match, f"{name}: no line matching {expect.outcome!r} in:\n{out}"
    if box is None:
        assert "using an in-process sandbox" in out or not expect.uses_env
        return
    assert "using partner" in out and "in-process sandbox" not in out
    assert box.credentials.app_token.token not in out  # never a secret
    if expect.status is not None:
        assert box.task(match.group(1))["status"] == expect.status
    else:  # a worker: every VOD task it claimed ended READY in the account
        vod = [t for t in box.tasks() if t["status"] in (READY, PROCESSING)]
        assert sum(t["status"] == READY for t in vod) >= 10


CASES = [(n, EXPECTED[n]) for n in SCRIPTS if n in EXPECTED and n != "scale_out.py"]
CASES.append(("live_captions.py", LIVE_TRANSLATION))


Outputs = dict[tuple[int, bool], str]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Outputs, list[Sandbox]]]:
    """Every case run both ways at once: {(case index, with account): output}, and the
    sandbox each case's "real account" run talked to."""
    cwd = tmp_path_factory.mktemp("examples")
    boxes = [Sandbox("demo") for _ in CASES]
    try:
        urls = [box.serve() for box in boxes]
        with ThreadPoolExecutor(max_workers=6) as pool:
            jobs = {}
            for i, (name, expect) in enumerate(CASES):
                jobs[i, False] = pool.submit(_run, name, expect.args, _env({}), cwd)
                if expect.uses_env:
                    env = _env(_account_env(boxes[i], urls[i]))
                    jobs[i, True] = pool.submit(_run, name, expect.args, env, cwd)
            outputs = {key: job.result() for key, job in jobs.items()}
        yield outputs, boxes
    finally:
        for box in boxes:
            box.close()


def test_every_example_is_expected() -> None:
    assert set(SCRIPTS) == set(EXPECTED), "give each new example an EXPECTED entry"


IDS = [f"{n}{' '.join(e.args)}" for n, e in CASES]


@pytest.mark.parametrize("case", range(len(CASES)), ids=IDS)
def test_example_runs_on_its_own_sandbox(case: int, results: tuple[Outputs, list[Sandbox]]) -> None:
    name, expect = CASES[case]
    _check(name, expect, results[0][case, False], None)


@pytest.mark.parametrize("case", range(len(CASES)), ids=IDS)
def test_example_runs_against_an_account(case: int, results: tuple[Outputs, list[Sandbox]]) -> None:
    name, expect = CASES[case]
    if not expect.uses_env:
        pytest.skip(f"{name} always builds its own sandbox")
    _check(name, expect, results[0][case, True], results[1][case])


def test_scale_out_needs_a_backend(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "scale_out.py")],
        env=_env({}),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0 and "REACH_DATABASE_URL" in done.stderr


def test_scale_out_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    expect = EXPECTED["scale_out.py"]
    out = _run("scale_out.py", (), _env({"REACH_DATABASE_URL": postgres_url}), tmp_path)
    _check("scale_out.py", expect, out, None)
    with Sandbox("demo") as box:
        env = _env({**_account_env(box, box.serve()), "REACH_DATABASE_URL": postgres_url})
        out = _run("scale_out.py", ("--backend", postgres_url), env, tmp_path)
        _check("scale_out.py", expect, out, box)


@pytest.mark.rule("LIVE-2")
def test_live_captions_serves_kalturas_puller_when_the_event_starts(tmp_path: Path) -> None:
    """On the "real account", the registered endpoint streams captions to the puller."""
    with Sandbox("demo") as box:
        env = _env(_account_env(box, box.serve()))
        script = [sys.executable, str(EXAMPLES / "live_captions.py"), "--wait", "30"]
        with subprocess.Popen(
            script, env=env, cwd=tmp_path, stdout=subprocess.PIPE, text=True
        ) as proc:
            assert proc.stdout is not None
            lines = [proc.stdout.readline() for _ in range(2)]
            match = re.search(r"registered (\S+), event (\d+)-", lines[1])
            assert match, lines
            assert box.task(500000007)["status"] == SCHEDULED
            box.clock.advance(int(match.group(2)) - box.clock.now() + 1)
            record = box.pull_live_captions(7001, match.group(1))
            out = proc.stdout.read()
        assert proc.returncode == 0 and "streamed 3 captions" in out
    assert (record["outcome"], record["httpStatus"]) == ("completed", 101)
    messages = [CaptionMessage.from_json(m) for m in record["messages"]]
    assert messages[0].transcript.startswith("Welcome") and messages[-1].is_end_of_stream
    assert len(messages) == 4  # three captions and the end of stream
