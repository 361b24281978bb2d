"""``jobs``, ``task`` and ``check`` against ``--sandbox`` and a served sandbox (flags and
``KALTURA_*`` variables), with their one-line errors. No output may hold a secret."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.sandbox._store import AppToken as StoredAppToken
from kaltura_reach_vendor.sandbox.scenarios import (
    APP_TOKEN,
    APP_TOKEN_HASH_TYPE,
    APP_TOKEN_ID,
    VENDOR_ADMIN_SECRET,
    VENDOR_PARTNER_ID,
)

from .conftest import Run, one_line

DATE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
DEMO_TASKS = 13
HUMAN_CAPTIONS_TASK = 500000001


def _access_keys(sandbox: Sandbox) -> tuple[str, ...]:
    return tuple(t["accessKey"] for t in sandbox.tasks() if t.get("accessKey"))


# -- jobs ------------------------------------------------------------------------------------
def test_jobs_sandbox_table(run: Run) -> None:
    result = run("jobs", "--sandbox")
    assert result.code == 0 and result.err == ""
    assert (
        f"{DEMO_TASKS} pending tasks for vendor partner {VENDOR_PARTNER_ID} (sandbox)" in result.out
    )
    for column in ("task", "customer", "feature", "type", "languages", "created", "due", "TAT"):
        assert column in result.out
    row = next(line for line in result.out.splitlines() if str(HUMAN_CAPTIONS_TASK) in line)
    assert "1002" in row and "captions" in row and "human" in row and "Hebrew" in row
    assert "30 min" in row
    assert len(DATE.findall(row)) == 2  # created and due as dates, not epoch numbers
    assert not re.search(r"\b1[6-9]\d{8}\b", result.out)  # no unix time anywhere


def test_jobs_json_and_limit(run: Run) -> None:
    result = run("jobs", "--sandbox", "--json")
    tasks = json.loads(result.out)
    assert result.code == 0 and len(tasks) == DEMO_TASKS
    created = [t["created_at"] for t in tasks]
    assert created == sorted(created)  # oldest first (POLL-4)
    first = next(t for t in tasks if t["id"] == HUMAN_CAPTIONS_TASK)
    assert first["customer"] == 1002 and first["feature"] == "captions"
    assert first["service_type"] == "human" and first["source_language"] == "Hebrew"
    assert ISO.fullmatch(first["created_at"]) and ISO.fullmatch(first["due_at"])
    assert first["turnaround"] == "30 min" and first["turnaround_value"] == 1800
    assert all("access_key" not in t for t in tasks)
    limited = json.loads(run("jobs", "--sandbox", "--json", "--limit", "3").out)
    assert [t["id"] for t in limited] == [t["id"] for t in tasks[:3]]


def test_jobs_piped_output_has_no_progress_or_colour(run: Run) -> None:
    result = run("jobs", "--sandbox")
    assert "\x1b[" not in result.out and "fetching" not in result.out


def test_jobs_from_environment_variables(run: Run, served: Sandbox, account_env: object) -> None:
    result = run("jobs", secrets=_access_keys(served))
    assert result.code == 0, result.err
    assert f"{DEMO_TASKS} pending tasks" in result.out and served.service_url in result.out


def test_jobs_flags_win_over_the_environment(
    run: Run, served: Sandbox, account_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    account_env.setenv("KALTURA_APP_TOKEN", "a-wrong-token-from-the-environment")
    assert run("jobs").code == 1  # the variable alone is refused
    token_file = tmp_path / "token"
    token_file.write_text(APP_TOKEN + "\n", encoding="utf-8")
    result = run(
        "jobs",
        "--json",
        "--app-token-id",
        APP_TOKEN_ID,
        "--app-token-file",
        str(token_file),
        "--app-token-hash-type",
        APP_TOKEN_HASH_TYPE,
        secrets=_access_keys(served),
    )
    assert result.code == 0, result.err
    assert len(json.loads(result.out)) == DEMO_TASKS


# -- task ID ---------------------------------------------------------------------------------
def test_task_details(run: Run) -> None:
    result = run("task", str(HUMAN_CAPTIONS_TASK), "--sandbox")
    assert result.code == 0 and result.err == ""
    out = result.out
    assert out.startswith(f"task {HUMAN_CAPTIONS_TASK}")
    assert re.search(r"status\s+pending", out) and re.search(r"customer\s+1002", out)
    assert re.search(r"due at\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC", out)
    assert re.search(r"catalog item output format\s+srt", out)
    assert re.search(r"profile max characters per caption line\s+26", out)
    assert "access key expires at" in out  # when, never the key itself


def test_task_json(run: Run) -> None:
    result = run("task", str(HUMAN_CAPTIONS_TASK), "--sandbox", "--json")
    details = json.loads(result.out)
    assert details["id"] == HUMAN_CAPTIONS_TASK and details["status"] == "pending"
    assert details["catalog_item"]["feature"] == "captions"
    assert details["catalog_item"]["turnaround"] == "30 min"
    assert details["profile"]["max_characters_per_caption_line"] == 26
    assert details["notes"]  # a human job: the customer's notes for the worker (INPUT-4)
    assert ISO.fullmatch(details["access_key_expires_at"])
    assert "access_key" not in details


def test_missing_task_is_one_line(run: Run) -> None:
    result = run("task", "99", "--sandbox")
    assert result.code == 1 and result.out == ""
    assert "ENTRY_VENDOR_TASK_NOT_FOUND: no task 99" in one_line(result.err)


def test_bad_task_id_is_a_usage_error(run: Run) -> None:
    result = run("task", "abc", "--sandbox")
    assert result.code == 2 and "not a positive integer: 'abc'" in one_line(result.err)


# -- check -----------------------------------------------------------------------------------
def test_check_sandbox(run: Run) -> None:
    result = run("check", "--sandbox")
    assert result.code == 0 and result.err == ""
    assert "vendor session started" in result.out
    assert result.out.rstrip().endswith("ok: the credentials and the service URL work")
    assert re.search(rf"vendor partner\s+{VENDOR_PARTNER_ID}", result.out)
    assert re.search(r"disableentitlement\s+yes", result.out)
    assert re.search(r"pending tasks\s+13", result.out)


@pytest.mark.rule("AUTH-4")
def test_check_json_reads_privileges_from_the_session_answer(run: Run) -> None:
    facts = json.loads(run("check", "--sandbox", "--json").out)
    assert facts["ok"] is True and facts["ks_version"] == 2
    assert facts["partner_id"] == VENDOR_PARTNER_ID and facts["session_type"] == "ADMIN"
    assert facts["privileges"] == ["apptoken", "disableentitlement", "sessionid"]
    assert facts["disableentitlement"] is True


@pytest.mark.rule("AUTH-4")
def test_check_fails_without_disableentitlement(
    run: Run, served: Sandbox, account_env: pytest.MonkeyPatch
) -> None:
    token = "token-without-disableentitlement"
    served.state.app_tokens["1_plain"] = StoredAppToken(
        id="1_plain", token=token, partner_id=VENDOR_PARTNER_ID, privileges=""
    )
    account_env.setenv("KALTURA_APP_TOKEN_ID", "1_plain")
    account_env.setenv("KALTURA_APP_TOKEN", token)
    result = run("check", secrets=(token,))
    assert result.code == 1
    assert re.search(r"disableentitlement\s+NO", result.out)
    assert "problem: the session lacks disableentitlement" in result.out


def test_check_with_an_admin_secret_file(
    run: Run, served: Sandbox, clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(VENDOR_ADMIN_SECRET, encoding="utf-8")
    result = run(
        "check",
        "--service-url",
        served.service_url,
        "--partner-id",
        str(VENDOR_PARTNER_ID),
        "--vendor-name",
        "acme",
        "--admin-secret-file",
        str(secret_file),
    )
    assert result.code == 0, result.err
    assert re.search(r"credential\s+admin secret", result.out)


def test_check_reports_a_session_without_vendor_rights(
    run: Run, served: Sandbox, clean_env: pytest.MonkeyPatch
) -> None:
    customer_secret = "sandbox-admin-secret-1001"  # a customer partner, not a vendor
    argv = ["--service-url", served.service_url, "--partner-id", "1001", "--vendor-name", "x"]
    result = run("check", *argv, "--admin-secret", customer_secret)
    assert result.code == 1
    assert "vendor session started" in result.out and "ok:" not in result.out
    assert "problem: getJobs refused: SERVICE_FORBIDDEN" in result.out


def test_bad_credentials_are_one_line(run: Run, account_env: pytest.MonkeyPatch) -> None:
    account_env.setenv("KALTURA_APP_TOKEN", "a-wrong-token-0123456789")
    result = run("check", secrets=("a-wrong-token-0123456789",))
    assert result.code == 1 and result.out == ""
    line = one_line(result.err)
    assert "the credentials were refused" in line and "INVALID_APP_TOKEN_HASH" in line
    account_env.delenv("KALTURA_APP_TOKEN")
    account_env.setenv("KALTURA_ADMIN_SECRET", "a-wrong-admin-secret-987")
    result = run("check", secrets=("a-wrong-admin-secret-987",))
    assert result.code == 1 and "START_SESSION_ERROR" in one_line(result.err)


def test_unreachable_service_is_one_line(run: Run, account_env: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the CLI connects
    result = run("check", "--service-url", f"http://127.0.0.1:{port}")
    assert result.code == 1
    assert "cannot reach the service" in one_line(result.err)


@pytest.mark.rule("AUTH-1")
def test_plain_http_to_another_host_is_refused(run: Run, account_env: pytest.MonkeyPatch) -> None:
    result = run("jobs", "--service-url", "http://203.0.113.7:8080")
    assert result.code == 2
    assert "--allow-insecure-http" in one_line(result.err)


BASE = ["--partner-id", "5000", "--vendor-name", "a"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "no vendor partner id"),
        (["--partner-id", "5000"], "no vendor name"),
        (["--partner-id", "5000", "--vendor-name", "a"], "no service"),
        (["--partner-id", "5000", "--vendor-name", "a", "--region", "US"], "no credentials"),
        (
            ["--partner-id", "5000", "--vendor-name", "a", "--region", "US", "--app-token", "t"],
            "needs --app-token-id",
        ),
        ([*BASE, "--region", "US", "--app-token", "t", "--app-token-file", "f"], "not both"),
        ([*BASE, "--region", "US", "--app-token-file", "/no/such/file"], "cannot read"),
        ([*BASE, "--region", "XX", "--admin-secret", "s3cret-value"], "unknown region"),
    ],
)
def test_missing_settings_are_usage_errors(
    run: Run, clean_env: pytest.MonkeyPatch, argv: list[str], message: str
) -> None:
    result = run("jobs", *argv, secrets=("s3cret-value",))
    assert result.code == 2 and message in one_line(result.err)
