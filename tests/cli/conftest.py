"""Fixtures of the command-line tests: run ``main([...])`` in-process and read what it printed.

Every run also checks the secret rule (AUTH-9): no app token, admin secret or KS of the
sandbox appears on stdout or stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

import pytest

from kaltura_reach_vendor.cli import main
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.sandbox.scenarios import (
    APP_TOKEN,
    APP_TOKEN_HASH_TYPE,
    APP_TOKEN_ID,
    CUSTOMERS,
    VENDOR_ADMIN_SECRET,
    VENDOR_PARTNER_ID,
)

#: Every v2 KS (vendor sessions and task access keys alike) starts with base64 "v2|".
KS_PREFIX = "djJ8"
SECRETS = (APP_TOKEN, VENDOR_ADMIN_SECRET, *(secret for _pid, _name, secret in CUSTOMERS))


class Result(NamedTuple):
    code: int
    out: str
    err: str


Run = Callable[..., Result]


def assert_no_secret(text: str, *extra: str) -> None:
    for secret in (*SECRETS, *extra):
        assert secret not in text
    assert KS_PREFIX not in text


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """``run("jobs", "--sandbox")``: the exit code, stdout and stderr of one command."""

    def _run(*argv: str, secrets: tuple[str, ...] = ()) -> Result:
        code = main(list(argv))
        captured = capsys.readouterr()
        assert_no_secret(captured.out + captured.err, *secrets)
        return Result(code, captured.out, captured.err)

    return _run


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No KALTURA_* variable from the machine running the tests."""
    import os

    for name in list(os.environ):
        if name.startswith("KALTURA_") and name != "KALTURA_REACH_LOG":
            monkeypatch.delenv(name)
    return monkeypatch


@pytest.fixture
def served() -> Iterator[Sandbox]:
    """A demo sandbox served over loopback HTTP (a "real" account for the CLI)."""
    with Sandbox("demo") as sandbox:
        sandbox.serve()
        yield sandbox


@pytest.fixture
def account_env(clean_env: pytest.MonkeyPatch, served: Sandbox) -> pytest.MonkeyPatch:
    """The KALTURA_* variables of the served sandbox's vendor (app token)."""
    clean_env.setenv("KALTURA_VENDOR_PARTNER_ID", str(VENDOR_PARTNER_ID))
    clean_env.setenv("KALTURA_VENDOR_NAME", "acme")
    clean_env.setenv("KALTURA_SERVICE_URL", served.service_url)
    clean_env.setenv("KALTURA_APP_TOKEN_ID", APP_TOKEN_ID)
    clean_env.setenv("KALTURA_APP_TOKEN", APP_TOKEN)
    clean_env.setenv("KALTURA_APP_TOKEN_HASH_TYPE", APP_TOKEN_HASH_TYPE)
    return clean_env


def one_line(text: str) -> str:
    """The single line of an error report (fails when there are more)."""
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert lines[0].startswith("kaltura-reach-vendor: error: ")
    return lines[0]
