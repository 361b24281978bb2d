"""``jobs``, ``task`` and ``check``: look at an account (or ``--sandbox``) without changing it."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .._secrets import mask_url
from ..display import JOBS_COLUMNS, jobs_rows, pretty_time, task_details, task_facts
from ..errors import ApiError, MalformedKsError
from ..ks import parse_ks
from ..models import EntryVendorTask
from ..session import VENDOR_PRIVILEGES
from ._connect import Account, add_account_arguments, open_account
from ._output import CliError, iso, pairs, progress, table

__all__ = ["COMMANDS"]

MAX_PAGE_SIZE = 500
_SESSION_TYPES = {0: "USER", 2: "ADMIN"}


def positive_int(text: str) -> int:
    """An argparse type: a positive integer."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a positive integer: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"not a positive integer: {text!r}")
    return value


# -- jobs -----------------------------------------------------------------------------------
def _jobs_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--limit", type=positive_int, metavar="N", help="show at most N tasks")
    parser.add_argument(
        "--include-scheduled", action="store_true", help="also list SCHEDULED (live) tasks"
    )
    add_account_arguments(parser)


def _fetch_jobs(account: Account, limit: int | None, include_scheduled: bool) -> list[Any]:
    tasks: list[EntryVendorTask] = []
    page_size = min(limit, MAX_PAGE_SIZE) if limit else MAX_PAGE_SIZE
    with progress("fetching pending tasks") as update:
        jobs = account.client.iter_jobs(page_size, include_scheduled=include_scheduled)
        for task in jobs:
            tasks.append(task)
            update()
            if limit is not None and len(tasks) >= limit:
                break
    return tasks


def run_jobs(args: argparse.Namespace) -> int:
    with open_account(args) as account:
        tasks = _fetch_jobs(account, args.limit, args.include_scheduled)
        where = "sandbox" if account.sandbox else mask_url(account.client.service_url)
    facts = [task_facts(task) for task in tasks]
    if args.json:
        print(json.dumps(facts, indent=2, ensure_ascii=False))
        return 0
    columns, rows = list(JOBS_COLUMNS), jobs_rows(tasks)
    shown = f"{len(tasks)} pending task" + ("s" if len(tasks) != 1 else "")
    table(f"{shown} for vendor partner {account.client.vendor_partner_id} ({where})", columns, rows)
    return 0


# -- task ID --------------------------------------------------------------------------------
def _task_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("task_id", metavar="ID", help="the task id")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_account_arguments(parser)


def _flatten(prefix: str, data: dict[str, Any] | None) -> list[tuple[str, object]]:
    if data is None:
        return [(prefix, "not in the answer")]
    return [(f"{prefix} {k.replace('_', ' ')}", v) for k, v in data.items() if v is not None]


def run_task(args: argparse.Namespace) -> int:
    try:
        task_id = positive_int(args.task_id)
    except argparse.ArgumentTypeError as error:
        raise CliError(f"task ID: {error}", 2) from None
    with open_account(args) as account, progress(f"reading task {task_id}"):
        task = account.client.get_task(task_id)
    details = task_details(task)
    if args.json:
        print(json.dumps(details, indent=2, ensure_ascii=False))
        return 0
    rows: list[tuple[str, object]] = []
    for key, value in details.items():
        if key in {"catalog_item", "profile", "turnaround_value"} or value is None:
            continue
        shown = pretty_time(value) if key.endswith("_at") else value
        rows.append((key.replace("_", " "), shown))
    rows += _flatten("catalog item", details["catalog_item"])
    rows += _flatten("profile", details["profile"])
    pairs(f"task {task_id}", rows)
    return 0


# -- check ----------------------------------------------------------------------------------
def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_account_arguments(parser)


def _session_facts(account: Account, ks: str) -> dict[str, Any]:
    """What the session reveals: from the startSession answer, else from a v1 KS."""
    facts: dict[str, Any] = {"ks_version": None, "partner_id": None}
    try:
        info = parse_ks(ks)
    except MalformedKsError:
        info = None
    privileges: str | None = None
    expires: Any = None
    session_type: Any = None
    if info is not None:
        facts.update(ks_version=info.version, partner_id=info.partner_id)
        privileges, expires, session_type = info.privileges, info.expires_at, info.session_type
    source = "KS" if privileges is not None else None
    answer = account.probe.info or {}
    if isinstance(answer.get("privileges"), str):
        privileges, source = answer["privileges"], "appToken.startSession answer"
    expires = answer.get("expiry", expires)
    session_type = answer.get("sessionType", session_type)
    if privileges is None and account.credential == "admin secret":
        # session.start signs the privileges it is asked for (only appToken.startSession
        # drops server-reserved ones), and the SDK asks an ADMIN session with these.
        privileges, source, session_type = VENDOR_PRIVILEGES, "asked of session.start", 2
    names = None
    if privileges is not None:
        names = sorted({p.partition(":")[0].strip().lower() for p in privileges.split(",")} - {""})
    facts.update(
        session_type=_SESSION_TYPES.get(session_type, session_type),
        expires_at=iso(expires) if isinstance(expires, (int, float)) else None,
        privileges=names,
        privileges_source=source,
        disableentitlement=None if names is None else VENDOR_PRIVILEGES in names,
    )
    return facts


def run_check(args: argparse.Namespace) -> int:
    with open_account(args) as account:
        client = account.client
        with progress("starting a vendor session"):
            ks = client.vendor_ks()
            session = _session_facts(account, ks)
            try:
                pending: int | str | None = client.get_jobs(page_size=1).total_count
            except ApiError as error:  # a session, but no REACH vendor rights
                pending = f"getJobs refused: {error}"
        facts = {
            "service_url": "sandbox" if account.sandbox else mask_url(client.service_url),
            "vendor_partner_id": client.vendor_partner_id,
            "credential": account.credential,
            **session,
            "pending_tasks": pending,
        }
    problems = []
    if isinstance(pending, str):
        problems.append(pending)
    if facts["partner_id"] is not None and facts["partner_id"] != client.vendor_partner_id:
        problems.append(f"the session belongs to partner {facts['partner_id']}")
    if facts["disableentitlement"] is False:
        problems.append(
            f"the session lacks {VENDOR_PRIVILEGES} (AUTH-4): reading entries of customers "
            f"that use entitlements will fail; create the app token with "
            f"sessionPrivileges={VENDOR_PRIVILEGES}"
        )
    facts["ok"] = not problems
    facts["problems"] = problems
    if args.json:
        print(json.dumps(facts, indent=2))
        return 0 if not problems else 1
    shown = facts["privileges"]
    entitlement = {True: "yes", False: "NO", None: "unknown (the session does not say)"}
    rows: list[tuple[str, object]] = [
        ("service", facts["service_url"]),
        ("vendor partner", facts["vendor_partner_id"]),
        ("credential", facts["credential"]),
        ("session", f"KS v{facts['ks_version']}, {facts['session_type'] or 'type unknown'}"),
        ("session expires", pretty_time(facts["expires_at"])),
        ("privileges", f"{', '.join(shown)} ({facts['privileges_source']})" if shown else "-"),
        (VENDOR_PRIVILEGES, entitlement[facts["disableentitlement"]]),
        ("pending tasks", pending),
    ]
    pairs("vendor session started", rows)
    for problem in problems:
        print(f"problem: {problem}")
    if not problems:
        print("ok: the credentials and the service URL work")
    return 0 if not problems else 1


COMMANDS = {
    "jobs": ("list the pending tasks of an account", _jobs_arguments, run_jobs),
    "task": ("show one task in detail", _task_arguments, run_task),
    "check": ("check the credentials and service URL", _check_arguments, run_check),
}
