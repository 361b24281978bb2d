"""``kaltura-reach-vendor sandbox``: prints URL and credentials, writes the credentials JSON."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from kaltura_reach_vendor.cli import build_parser
from kaltura_reach_vendor.sandbox import Sandbox


def test_parser_has_sandbox_subcommand() -> None:
    args = build_parser().parse_args(["sandbox", "--port", "0", "--scenario", "empty"])
    assert args.command == "sandbox" and args.scenario == "empty"


def test_credentials_json_shape(tmp_path: Path) -> None:
    with Sandbox() as sb:
        sb.credentials.write(tmp_path / "c.json")
    data = json.loads((tmp_path / "c.json").read_text())
    assert set(data) == {
        "service_url",
        "vendor_partner_id",
        "vendor_admin_secret",
        "app_token",
        "customers",
    }
    assert set(data["app_token"]) == {"id", "token", "hash_type"}
    assert data["customers"][0] == {"partner_id": 1001, "admin_secret": "sandbox-admin-secret-1001"}


def test_cli_serves_until_interrupted(tmp_path: Path) -> None:
    creds_file = tmp_path / "creds.json"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kaltura_reach_vendor",
            "sandbox",
            "--port",
            "0",
            "--credentials-json",
            str(creds_file),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "Ctrl-C" in line:
                break
        url = next(line.split()[-1] for line in lines if line.startswith("service URL:"))
        assert url.startswith("http://127.0.0.1:")
        creds = json.loads(creds_file.read_text())
        assert creds["service_url"] == url
        response = httpx.post(
            f"{url}/api_v3/service/session/action/startWidgetSession",
            data={"widgetId": "_1001", "format": "1"},
        )
        assert response.json()["partnerId"] == 1001
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
