"""``examples/quickstart.ipynb`` runs as stored (nbclient, a real ipykernel): against an account
named by ``KALTURA_*`` variables (a sandbox this test serves, so it knows every secret) and
against the notebook's own sandbox. No output may show a secret."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest

from kaltura_env import account_env
from kaltura_reach_vendor import EntryVendorTaskStatus as Status
from kaltura_reach_vendor.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "quickstart.ipynb"


def _texts(nb: Any) -> Iterator[tuple[str, str]]:
    """(mime type or stream name, text) of every output of every cell."""
    for cell in nb.cells:
        for output in cell.get("outputs", ()):
            if output.get("output_type") == "stream":
                yield output.get("name", "stream"), output.get("text", "")
            for mime, value in output.get("data", {}).items():
                yield mime, value if isinstance(value, str) else "".join(value)


def _execute(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> Any:
    for key in [k for k in os.environ if k.startswith("KALTURA_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend: PNG outputs
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    monkeypatch.setenv("PYTHONPATH", path)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "examples")}},
    )
    client.execute()  # raises CellExecutionError when a cell fails
    return nb


def test_the_stored_notebook_has_no_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")


def test_the_notebook_runs_against_an_account_and_shows_no_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Sandbox("demo") as box:
        url = box.serve()
        creds = box.credentials
        nb = _execute(monkeypatch, account_env(box, url, "notebook-test"))
        secrets = {creds.app_token.token} | {t["accessKey"] for t in box.tasks() if t["accessKey"]}
        outputs = list(_texts(nb))
        text = "\n".join(value for _mime, value in outputs)
        delivered = re.search(r"task (\d+): READY, caption asset (\S+), 2 requests", text)
        assert delivered, text[-2000:]
        assert box.task(delivered.group(1))["status"] == Status.READY
    mimes = {mime for mime, _value in outputs}
    assert "image/png" in mimes  # the TAT plot
    assert "text/html" in mimes  # rich tables
    assert re.search(r"20\d\d-\d\d-\d\d \d\d:\d\d UTC", text)  # times as dates
    assert "catalog item" in text and "REACH profile" in text
    for secret in secrets:
        assert secret not in text
    assert "djJ8" not in text  # no v2 KS of any kind


def test_the_notebook_runs_on_its_own_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    nb = _execute(monkeypatch, {})
    text = "\n".join(value for _mime, value in _texts(nb))
    assert "sandbox http://127.0.0.1:" in text
    assert re.search(r"task \d+: READY", text)
