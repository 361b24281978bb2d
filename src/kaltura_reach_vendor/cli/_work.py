"""``work --handlers module:object``: run the vendor worker with your handlers."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..enums import VendorServiceFeature
from ._account import positive_int
from ._connect import add_account_arguments, open_account
from ._output import CliError, progress

if TYPE_CHECKING:
    from ..worker import WorkerEvent

__all__ = ["COMMANDS", "load_handlers"]

#: Events printed as they happen (the others are counted in the summary).
_SHOWN = {
    "delivered",
    "handed_off",
    "failed",
    "cancelled",
    "tat_overdue",
    "live_scheduled",
    "live_finished",
    "error",
}


def _feature(key: object, spec: str) -> VendorServiceFeature | int:
    if isinstance(key, str) and not key.isdigit():
        try:
            return VendorServiceFeature[key.strip().upper()]
        except KeyError:
            raise CliError(f"{spec}: {key!r} is not a service feature name", 2) from None
    if isinstance(key, (str, int)) and not isinstance(key, bool):
        return int(key) if not isinstance(key, VendorServiceFeature) else key
    raise CliError(f"{spec}: a handler key must be a service feature, got {key!r}", 2)


def _import(module_name: str, spec: str) -> Any:
    cwd = os.getcwd()
    if cwd not in sys.path:  # `work --handlers my_handlers:HANDLERS` from the project folder
        sys.path.insert(0, cwd)
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if module_name == missing or module_name.startswith(missing + "."):
            raise CliError(f"--handlers {spec}: no module named {module_name!r}", 2) from None
        raise CliError(f"--handlers {spec}: importing it failed: {error}", 2) from None
    except Exception as error:
        why = f"{type(error).__name__}: {error}"
        raise CliError(f"--handlers {spec}: importing it failed: {why}", 2) from None


def load_handlers(spec: str) -> dict[VendorServiceFeature | int, Any]:
    """The handlers named by ``module:object`` (a mapping, or a callable returning one)."""
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name.strip() or not attribute.strip():
        raise CliError(f"--handlers must be module:object, got {spec!r}", 2)
    obj: Any = _import(module_name.strip(), spec)
    for part in attribute.strip().split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise CliError(f"--handlers {spec}: {module_name} has no {attribute!r}", 2) from None
    if callable(obj) and not isinstance(obj, Mapping):
        try:
            obj = obj()
        except Exception as error:
            why = f"{type(error).__name__}: {error}"
            raise CliError(f"--handlers {spec}: calling it failed: {why}", 2) from None
    if not isinstance(obj, Mapping) or not obj:
        raise CliError(
            f"--handlers {spec}: expected a non-empty mapping of service feature to handler "
            f"(or a function returning one), got {type(obj).__name__}",
            2,
        )
    handlers: dict[VendorServiceFeature | int, Any] = {}
    for key, handler in obj.items():
        if not callable(handler):
            raise CliError(f"--handlers {spec}: the handler for {key!r} is not callable", 2)
        handlers[_feature(key, spec)] = handler
    return handlers


def _work_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--handlers",
        required=True,
        metavar="MODULE:OBJECT",
        help="your handlers: a mapping of service feature to handler, or a function returning it",
    )
    parser.add_argument("--concurrency", type=positive_int, default=8, help="default 8")
    parser.add_argument(
        "--journal",
        metavar="PATH",
        help="the SQLite journal (default reach-journal.sqlite3; a temporary one with --sandbox)",
    )
    parser.add_argument(
        "--backend",
        metavar="POSTGRESQL_URL",
        help="run as one of many workers sharing a PostgreSQL database (postgresql://…; "
        "needs the [postgres] extra); the journal lives there too",
    )
    parser.add_argument(
        "--poll-interval", type=float, default=30.0, metavar="S", help="seconds between polls"
    )
    parser.add_argument(
        "--until-idle",
        action="store_true",
        help="stop once a poll finds nothing new and nothing is running",
    )
    add_account_arguments(parser)


def _print_event(event: WorkerEvent) -> None:
    if event.kind not in _SHOWN:
        return
    feature = _feature_name(event.feature)
    parts = [f"{event.kind.replace('_', ' ')}: task {event.task_id}"]
    if event.partner_id is not None:
        parts.append(f"customer {event.partner_id}")
    if feature:
        parts.append(feature)
    if event.output_id:
        parts.append(f"output {event.output_id}")
    line = ", ".join(parts) + (f" ({event.detail})" if event.detail else "")
    print(line, flush=True)


def _feature_name(value: int | None) -> str | None:
    if value is None:
        return None
    try:
        return VendorServiceFeature(value).name.lower()
    except ValueError:
        return f"feature {value}"


@contextlib.contextmanager
def _journal(args: argparse.Namespace) -> Iterator[str]:
    if args.journal:
        yield args.journal
    elif args.sandbox:  # a fresh sandbox reuses task ids: never resume from an old journal
        with tempfile.TemporaryDirectory(prefix="reach-sandbox-") as folder:
            yield str(Path(folder) / "reach-journal.sqlite3")
    else:
        yield "reach-journal.sqlite3"


def run_work(args: argparse.Namespace) -> int:
    if args.poll_interval <= 0:
        raise CliError("--poll-interval must be a positive number of seconds", 2)
    handlers = load_handlers(args.handlers)
    from ..worker import Worker

    with open_account(args) as account, _journal(args) as journal:
        with progress("starting the vendor session"):
            account.client.vendor_ks()  # bad credentials fail here, before any journal
        try:
            worker = Worker(
                account.client,
                handlers,
                concurrency=args.concurrency,
                journal=journal,
                poll_interval=args.poll_interval,
                on_event=_print_event,
                backend=args.backend,
            )
        except (sqlite3.Error, OSError) as error:
            raise CliError(f"cannot open the journal {journal}: {error}") from None
        where = "sandbox" if account.sandbox else f"partner {account.client.vendor_partner_id}"
        features = ", ".join(sorted(_feature_name(int(k)) or "?" for k in handlers))
        print(f"worker started for {where}: {features}; Ctrl-C stops it gracefully", flush=True)
        stats = worker.run(until_idle=args.until_idle)
    counts = {k: getattr(stats, k) for k in ("seen", "claimed", "delivered", "handed_off")}
    counts.update({k: getattr(stats, k) for k in ("failed", "cancelled", "errors")})
    print("worker stopped: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items()))
    return 1 if stats.errors else 0


def _status_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--backend", metavar="POSTGRESQL_URL", help="the cluster's database")
    where.add_argument("--journal", metavar="PATH", help="a worker's SQLite journal")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


#: Columns of the status view: journal steps grouped as a vendor reads them.
_COLUMNS = {
    "waiting": ("seen",),
    "running": ("claimed", "delivering", "scheduled"),
    "handed off": ("handed_off",),
    "done": ("done",),
    "failed": ("failed",),
    "cancelled": ("cancelled",),
}


def run_status(args: argparse.Namespace) -> int:
    """Tasks per customer and step, from the journal (and the job queue with --backend)."""
    from ..worker.sqlite import SQLiteJournal

    try:
        if args.backend:
            from ..worker.cluster import cluster_journal, queue_counts

            journal = cluster_journal(args.backend)
            jobs = queue_counts(args.backend)
        else:
            if not Path(args.journal).exists():
                raise CliError(f"no journal at {args.journal}")
            journal = SQLiteJournal(args.journal)
            jobs = {}
        summary = journal.summary()
        journal.close()
    except CliError:
        raise
    except Exception as error:  # a database that cannot be reached: one line
        raise CliError(f"cannot read the status: {error}") from None
    customers = sorted({partner for partner, _step in summary}, key=lambda p: (p is None, p))
    rows = []
    for partner in customers:
        counts = [
            sum(n for (p, step), n in summary.items() if p == partner and step.value in steps)
            for steps in _COLUMNS.values()
        ]
        rows.append([partner if partner is not None else "?", *counts])
    if args.json:
        import json

        body = {
            "customers": [dict(zip(["customer", *_COLUMNS], row, strict=True)) for row in rows],
            "jobs": jobs,
        }
        print(json.dumps(body, indent=2))
        return 0
    from ._output import table

    table("tasks per customer", ["customer", *_COLUMNS], rows)
    if jobs:
        print("job queue: " + ", ".join(f"{k} {v}" for k, v in sorted(jobs.items())))
    return 0


COMMANDS = {
    "work": ("run the vendor worker with your handlers", _work_arguments, run_work),
    "status": (
        "tasks per customer: waiting, running, handed off, done, failed, cancelled",
        _status_arguments,
        run_status,
    ),
}
