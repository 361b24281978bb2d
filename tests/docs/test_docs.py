"""The documentation site's pages and the code they show: every page is in the site's
navigation, and the README's and the getting-started page's Python run as printed (the
README's against a sandbox named by ``KALTURA_*`` variables, as a real account would be)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from kaltura_env import account_env
from kaltura_reach_vendor import EntryVendorTaskStatus as Status
from kaltura_reach_vendor.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def _run(code: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KALTURA_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**env, **extra_env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_page_is_in_the_site_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r":\s*([\w/.-]+\.md)\s*$", nav, re.M))
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert pages - listed == set(), "pages missing from mkdocs.yml's nav"
    assert listed - pages == set(), "nav entries without a page"


def test_the_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[2:6] == [
        "```",
        "python -m pip install . && python -m kaltura_reach_vendor demo",
        "python -m pip install '.[test]' && python -m pytest",
        "```",
    ]


def test_the_readme_example_delivers_captions_to_the_account_it_is_given() -> None:
    (code,) = _python_blocks(ROOT / "README.md")
    assert "deliver_captions" in code and "from_env" in code
    with Sandbox("demo") as box:
        url = box.serve()
        creds = box.credentials
        done = _run(code, account_env(box, url, "readme"))
        assert done.returncode == 0, done.stderr
        delivered = [line.split()[0] for line in done.stdout.splitlines()]
        assert delivered, done.stdout
        for task_id in delivered:
            assert box.task(task_id)["status"] == Status.READY
        assert creds.app_token.token not in done.stdout + done.stderr


def test_the_first_job_in_five_minutes_runs_as_printed() -> None:
    (code,) = _python_blocks(DOCS / "getting-started.md")
    done = _run(code, {})
    assert done.returncode == 0, done.stderr
    _task_id, status, asset, requests = done.stdout.split()
    assert (status, requests) == ("READY", "2") and asset
