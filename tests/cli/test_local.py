"""``--version``, ``validate-captions`` and ``sandbox`` (busy port, credentials path, 0.0.0.0)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import kaltura_reach_vendor
from kaltura_reach_vendor import AppToken, ReachClient
from kaltura_reach_vendor.cli import main
from kaltura_reach_vendor.cli._local import advertised_url

from .conftest import Run, one_line

ROOT = Path(__file__).resolve().parents[2]
GOOD_SRT = (
    "1\n00:00:01,000 --> 00:00:02,500\nHello there.\n\n2\n00:00:03,000 --> 00:00:04,000\nBye.\n"
)
#: Cue 2 lasts 1 ms (the FAQ's refused example) and its line has 31 characters.
BAD_SRT = (
    "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n"
    "2\n00:00:04,000 --> 00:00:04,001\nThis line is long for a profile\n"
)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONUNBUFFERED": "1"}


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert (
        capsys.readouterr().out.strip()
        == f"kaltura-reach-vendor {kaltura_reach_vendor.__version__}"
    )


def test_rich_is_imported_by_the_command_line_only() -> None:
    # httpx imports rich itself when click and pygments are installed too: not ours to count
    code = (
        "import sys, httpx; by_httpx = 'rich' in sys.modules\n"
        "import kaltura_reach_vendor, kaltura_reach_vendor.cli\n"
        "print('rich' in sys.modules and not by_httpx)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(), check=True
    )
    assert done.stdout.strip() == "False"


# -- validate-captions -----------------------------------------------------------------------
@pytest.mark.rule("CAP-6")
def test_validate_good_file_exits_0(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "good.srt"
    path.write_text(GOOD_SRT, encoding="utf-8")
    result = run("validate-captions", str(path))
    assert result.code == 0
    assert "SRT, 2 cues: no problem" in result.out
    assert result.err == ""


@pytest.mark.rule("CAP-6")
def test_validate_bad_file_lists_every_problem_and_exits_1(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.srt"
    path.write_text(BAD_SRT, encoding="utf-8")
    result = run("validate-captions", str(path), "--max-line-chars", "20")
    assert result.code == 1
    assert "2 problems, 2 blocking: refused for delivery" in result.out
    assert "1 ms or less" in result.out and "line too long" in result.out
    assert "31 characters, more than 20" in result.out
    # without the profile's line limit only the 1 ms cue remains
    result = run("validate-captions", str(path))
    assert result.code == 1
    assert "1 problem, 1 blocking" in result.out and "line too long" not in result.out


@pytest.mark.rule("CAP-6")
def test_validate_json_report(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.srt"
    path.write_text(BAD_SRT, encoding="utf-8")
    result = run("validate-captions", str(path), "--max-line-chars", "20", "--json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["format"] == "SRT" and report["cues"] == 2 and report["ok"] is False
    kinds = [(p["cue"], p["line"], p["kind"], p["blocking"]) for p in report["problems"]]
    assert kinds == [(2, None, "1 ms or less", True), (2, 1, "line too long", True)]


def test_validate_unreadable_files_are_one_line_and_exit_2(run: Run, tmp_path: Path) -> None:
    garbage = tmp_path / "notes.srt"
    garbage.write_text("just some words\n", encoding="utf-8")
    result = run("validate-captions", str(garbage))
    assert result.code == 2 and result.out == ""
    assert "not a caption file" in one_line(result.err)
    result = run("validate-captions", str(tmp_path / "missing.srt"))
    assert result.code == 2
    assert "cannot read" in one_line(result.err) and "No such file" in result.err
    binary = tmp_path / "binary.vtt"
    binary.write_bytes(b"WEBVTT\n\n\xff\xfe\xfa broken")
    result = run("validate-captions", str(binary))
    assert result.code == 2 and "UTF-8" in one_line(result.err)


# -- sandbox ---------------------------------------------------------------------------------
def test_busy_port_is_one_line(run: Run) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("sandbox", "--port", str(port))
    assert result.code == 1 and result.out == ""
    line = one_line(result.err)
    assert f"cannot serve the sandbox on 127.0.0.1:{port}" in line and "in use" in line


def test_unwritable_credentials_path_is_one_line(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "credentials.json"
    result = run("sandbox", "--credentials-json", str(target))
    assert result.code == 1 and result.out == ""
    assert f"cannot write the credentials to {target}" in one_line(result.err)
    assert not target.exists()


def test_unknown_scenario_is_a_usage_error(run: Run) -> None:
    result = run("sandbox", "--scenario", "nope")
    assert result.code == 2 and "unknown scenario 'nope'" in one_line(result.err)


@pytest.mark.parametrize(
    ("host", "url", "loopback"),
    [
        ("0.0.0.0", "http://127.0.0.1:8080", True),
        ("::", "http://[::1]:8080", True),
        ("127.0.0.1", "http://127.0.0.1:8080", True),
        ("localhost", "http://localhost:8080", True),
        ("192.168.1.5", "http://192.168.1.5:8080", False),
    ],
)
def test_advertised_url(host: str, url: str, loopback: bool) -> None:
    assert advertised_url(host, 8080) == (url, loopback)


@pytest.mark.rule("AUTH-1")
def test_sandbox_on_all_interfaces_advertises_a_url_the_sdk_accepts(tmp_path: Path) -> None:
    creds_file = tmp_path / "creds.json"
    argv = ["sandbox", "--host", "0.0.0.0", "--credentials-json", str(creds_file)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "kaltura_reach_vendor", *argv],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "Ctrl-C" in line:
                break
        assert lines[0].startswith("REACH sandbox (demo) listening on 0.0.0.0:")
        url = next(line.split()[-1] for line in lines if line.startswith("service URL:"))
        assert url.startswith("http://127.0.0.1:")
        assert any("allow_insecure_http=True" in line for line in lines)
        creds = json.loads(creds_file.read_text())
        assert creds["service_url"] == url
        token = creds["app_token"]
        with ReachClient(
            vendor_partner_id=creds["vendor_partner_id"],
            vendor_name="acme",
            app_version="1",
            app_token=AppToken(token["id"], token["token"], token["hash_type"]),
            service_url=url,  # refused with InsecureTransportError if it named 0.0.0.0
        ) as client:
            assert client.get_jobs(page_size=1).total_count == 13
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0


def test_sandbox_stops_cleanly_on_sigterm() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kaltura_reach_vendor", "sandbox", "--scenario", "empty"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if "Ctrl-C" in line:
                break
        proc.send_signal(signal.SIGTERM)
        rest, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "stopping" in rest and err == ""
