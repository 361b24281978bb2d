"""The demo: a vendor's worker at work on a local REACH sandbox, no Kaltura account needed.

``kaltura-reach-vendor demo`` starts the sandbox (the ``demo`` scenario: thirteen tasks of
three customers, one or more per supported feature) on loopback and runs the
:class:`~kaltura_reach_vendor.worker.Worker` with the example handlers of
:mod:`kaltura_reach_vendor.demo_handlers` until there is nothing left to do:

1. the worker polls, queues the tasks fairly across customers, claims them and runs the
   handler of each task's feature, four at a time; the handlers deliver real files (captions,
   a translation, audio tracks, a video, chapters, a moderation result); one translation fails
   on purpose (the toy translator knows no Catalan) and the worker reports why to Kaltura;
2. the two live tasks are registered on the customer's live event; the sandbox clock is moved
   to the event's start, where Kaltura's caption puller (played by the sandbox) connects and
   receives captions, then to its end, and the worker starts and finishes both tasks;
3. the human captions task is handed to a person; "days later" (the sandbox clock again) a
   second worker run keeps it alive (its access key is extended) and the person's captions are
   delivered through the worker.

It then prints one line per task and explains what happened. Exit code 0 when every task ended
as expected, 1 otherwise. It runs in a few seconds.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._readiness import ReadyWait
from .client import ReachClient
from .demo_handlers import handlers, human_captions
from .enums import EntryVendorTaskStatus as Status
from .enums import VendorServiceFeature as F
from .errors import ReachError
from .retry import RetryPolicy
from .session import AppToken, as_hash_type
from .worker import EventKind, Worker, WorkerEvent

__all__ = ["run_demo"]

Print = Callable[[str], None]

#: The catalog item of the task that is expected to fail (Catalan → Dutch: the toy translator
#: has no dictionary for it); every other task is expected READY.
EXPECTED_ERROR = {20682}
#: How long the demo waits for each phase before it gives up (real seconds).
PHASE_TIMEOUT = 60.0
#: "Days later": the handed-off task is delivered this long after its claim (sandbox clock).
LATER = 6.5 * 86_400

LIVE = {int(F.LIVE_CAPTION), int(F.LIVE_TRANSLATION)}
SETTLED = {EventKind.DELIVERED, EventKind.FAILED, EventKind.CANCELLED, EventKind.HANDED_OFF}
FINAL = {EventKind.DELIVERED, EventKind.FAILED, EventKind.CANCELLED, EventKind.LIVE_FINISHED}


class _Events:
    """The worker's events, thread-safe, with what the summary needs."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.all: list[WorkerEvent] = []

    def __call__(self, event: WorkerEvent) -> None:
        with self.lock:
            self.all.append(event)

    def of(self, *kinds: EventKind, task_id: int | None = None) -> list[WorkerEvent]:
        with self.lock:
            return [
                e for e in self.all if e.kind in kinds and (task_id is None or e.task_id == task_id)
            ]

    def count(self, *kinds: EventKind) -> int:
        return len(self.of(*kinds))

    def settled(self) -> set[int]:
        return {e.task_id for e in self.of(*SETTLED) if e.task_id is not None}


def _wait(condition: Callable[[], bool], alive: Callable[[], bool] = lambda: True) -> bool:
    deadline = time.monotonic() + PHASE_TIMEOUT
    while not condition():
        if time.monotonic() > deadline or not alive():
            return condition()
        time.sleep(0.02)
    return True


#: Short names for the table.
SHORT = {F.EXTENDED_AUDIO_DESCRIPTION: "extended AD", F.CHAPTERING: "chapters"}


def _feature(task: dict[str, Any]) -> str:
    try:
        feature = F(int(task.get("serviceFeature") or 0))
    except ValueError:
        return "?"
    return SHORT.get(feature, feature.name.lower().replace("_", " "))


def _status(value: Any) -> str:
    try:
        return Status(int(value)).name
    except (TypeError, ValueError):
        return "?"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.2f} s"
    if seconds < 7_200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172_800:
        return f"{seconds / 3_600:.0f} h"
    return f"{seconds / 86_400:.1f} days"


def _client(box: Any, url: str) -> ReachClient:
    creds = box.credentials
    token = creds.app_token
    return ReachClient(
        vendor_partner_id=creds.vendor_partner_id,
        vendor_name="demo-vendor",
        app_version="1.0",
        app_token=AppToken(token.id, token.token, as_hash_type(token.hash_type)),
        service_url=url,
        retry=RetryPolicy(max_attempts=3, backoff=0.05, max_backoff=0.2, jitter=0.0),
        clock=box.clock.now,  # the worker's sense of time follows the sandbox clock
    )


def run_demo(seed: int = 0, *, out: Print = print) -> int:
    """Run the demo, printing what happens; returns the process exit code."""
    from .sandbox import Sandbox

    began = time.monotonic()
    problems: list[str] = []
    events = _Events()
    with (
        Sandbox("demo", seed=seed, media_ready_after=0.2) as box,
        tempfile.TemporaryDirectory(prefix="reach-demo-") as tmp,
    ):
        url = box.serve()
        box.start_live_puller(interval=0.02)
        tasks = {int(t["id"]): t for t in box.tasks()}
        customers = sorted({int(t["partnerId"]) for t in tasks.values()})
        out(
            f"A local REACH sandbox is running at {url}: {len(tasks)} tasks are waiting, "
            f"ordered by {len(customers)} customers ({', '.join(map(str, customers))})."
        )
        out("A worker with example handlers for every feature takes them on, 4 at a time.\n")
        journal = Path(tmp) / "journal.sqlite3"
        wait = ReadyWait(timeout=60, first=0.05, factor=2, longest=0.5)
        with (
            _client(box, url) as client,
            handlers(handoff=[F.CAPTIONS], ready_wait=wait, clock=box.clock.now) as by_feature,
        ):
            worker = Worker(
                client,
                by_feature,
                concurrency=4,
                journal=journal,
                poll_interval=0.05,
                grace=10.0,
                on_event=events,
            )
            live_ids = {i for i, t in tasks.items() if int(t["serviceFeature"]) in LIVE}
            _run_live_day(box, worker, events, tasks, live_ids, problems)
            pulls = box.live_captions()
            human = _days_later(box, client, by_feature, journal, events, problems)
        rows = _rows(box, events, tasks)
        log = box.request_log
        tag = client.client_tag()
    _print_table(rows, out)
    for line in _explain(rows, events, pulls, human, log, tag):
        out(line)
    for task_id, row in rows.items():
        if row["status"] != row["expected"]:
            problems.append(f"task {task_id} ended {row['status']}, expected {row['expected']}")
    received = [p for p in pulls if p.get("outcome") == "completed" and p.get("messages")]
    if len(received) < len(live_ids):
        problems.append(f"captions reached Kaltura's puller for {len(received)} live task(s)")
    out("")
    if problems:
        out("Something did not go as expected:")
        for problem in problems:
            out(f"  - {problem}")
        return 1
    out(f"All {len(rows)} tasks ended as expected, in {time.monotonic() - began:.1f} s.")
    return 0


def _run_live_day(
    box: Any,
    worker: Worker,
    events: _Events,
    tasks: dict[int, dict[str, Any]],
    live_ids: set[int],
    problems: list[str],
) -> None:
    """Phase 1 and 2: the worker does the VOD tasks and registers the live ones; the sandbox
    clock then goes to the event's start and end while the worker runs."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            worker.run(until_idle=True, install_signals=False)
        except BaseException as error:  # reported below, never swallowed silently
            failure.append(error)

    runner = threading.Thread(target=run, name="demo-worker", daemon=True)
    runner.start()
    vod = set(tasks) - live_ids
    live = len(live_ids)
    if not _wait(
        lambda: vod <= events.settled() and events.count(EventKind.LIVE_SCHEDULED) >= live,
        runner.is_alive,
    ):
        problems.append("the worker did not finish the on-demand tasks in time")
    if live and events.count(EventKind.LIVE_SCHEDULED) >= live:
        start = min(float(tasks[i]["taskJobData"]["startDate"]) for i in live_ids)
        box.clock.advance(start - box.clock.now() + 1)  # the event starts
        if not _wait(lambda: events.count(EventKind.LIVE_STARTED) >= live, runner.is_alive):
            problems.append("the live tasks did not start")
        _wait(lambda: len([p for p in box.live_captions() if p.get("closeCode")]) >= live)
        end = max(float(tasks[i]["taskJobData"]["endDate"]) for i in live_ids)
        box.clock.advance(end - box.clock.now() + 1)  # the event ends
    runner.join(PHASE_TIMEOUT)
    if runner.is_alive():
        worker.stop()
        runner.join(PHASE_TIMEOUT)
        problems.append("the worker did not become idle")
    if failure:
        problems.append(f"the worker stopped with {type(failure[0]).__name__}: {failure[0]}")


def _days_later(
    box: Any,
    client: ReachClient,
    by_feature: Any,
    journal: Path,
    events: _Events,
    problems: list[str],
) -> int | None:
    """Phase 3: days later, a second worker run over the same journal keeps the handed-off
    task alive, then the person's captions are delivered through the worker."""
    handed = events.of(EventKind.HANDED_OFF)
    if not handed or handed[0].task_id is None:
        problems.append("no task was handed off to a person")
        return None
    task_id = handed[0].task_id
    claimed = events.of(EventKind.CLAIMED, task_id=task_id)
    since = claimed[0].at if claimed else box.clock.now()
    box.clock.advance(max(0.0, since + LATER - box.clock.now()))
    later = Worker(client, by_feature, journal=journal, poll_interval=0.05, on_event=events)
    try:
        later.run(until_idle=True, install_signals=False)  # resumes the hand-off (journal)
        task = client.get_task(task_id)
        later.deliver(task_id, "deliver_captions", human_captions(task), accuracy=99)
    except ReachError as error:
        problems.append(f"the handed-off task {task_id} was not delivered: {error}")
    return task_id


def _requests_per_task(log: list[Any]) -> dict[int, int]:
    """HTTP requests per task: the sandbox logs each call of a multirequest (numbered from
    1, one after another), so a multirequest counts once for each task it served."""
    groups: list[set[int]] = []
    for record in log:
        if record.multirequest_index is None or record.multirequest_index == 1:
            groups.append(set())
        if record.task_id is not None and groups:
            groups[-1].add(int(record.task_id))
    counts: dict[int, int] = {}
    for group in groups:
        for task_id in group:
            counts[task_id] = counts.get(task_id, 0) + 1
    return counts


def _rows(box: Any, events: _Events, tasks: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """One summary row per task, from the sandbox (its truth) and the worker's events."""
    requests = _requests_per_task(box.request_log)
    rows: dict[int, dict[str, Any]] = {}
    for task_id, created in sorted(tasks.items()):
        now = box.task(task_id)
        mine = events.of(*EventKind, task_id=task_id)
        first = mine[0].at if mine else None
        ends = [e.at for e in mine if e.kind in FINAL]
        rows[task_id] = {
            "task": task_id,
            "customer": int(created["partnerId"]),
            "feature": _feature(created) + (", human" if created.get("serviceType") == 1 else ""),
            "status": _status(now.get("status")),
            "output": str(now.get("outputObjectId") or "-"),
            "requests": requests.get(task_id, 0),
            "time": _duration(ends[-1] - first if ends and first is not None else None),
            "error": str(now.get("errDescription") or ""),
            "expected": "ERROR" if int(created["catalogItemId"]) in EXPECTED_ERROR else "READY",
        }
    return rows


COLUMNS = (
    ("task", "task"),
    ("customer", "customer"),
    ("feature", "feature"),
    ("status", "final status"),
    ("output", "output id"),
    ("requests", "HTTP requests"),
    ("time", "time"),
)


def _print_table(rows: dict[int, dict[str, Any]], out: Print) -> None:
    if out is print and sys.stdout.isatty():
        try:
            from rich import box
            from rich.console import Console
            from rich.table import Table
        except ImportError:
            pass
        else:
            table = Table(title="What the worker did", box=box.SIMPLE_HEAD, pad_edge=False)
            for key, title in COLUMNS:
                table.add_column(
                    title.replace(" ", "\n") if key in ("status", "requests") else title,
                    justify="right" if key == "requests" else "left",
                    no_wrap=key != "feature",  # ids are never cut
                    min_width=12 if key == "feature" else None,
                )
            for row in rows.values():
                table.add_row(*(str(row[key]) for key, _ in COLUMNS))
            Console().print(table)
            return
    widths = {
        key: max(len(title), *(len(str(r[key])) for r in rows.values())) for key, title in COLUMNS
    }
    out("  ".join(title.ljust(widths[key]) for key, title in COLUMNS).rstrip())
    out("  ".join("-" * widths[key] for key, _ in COLUMNS))
    for row in rows.values():
        out("  ".join(str(row[key]).ljust(widths[key]) for key, _ in COLUMNS).rstrip())


def _explain(
    rows: dict[int, dict[str, Any]],
    events: _Events,
    pulls: list[dict[str, Any]],
    human: int | None,
    log: list[Any],
    tag: str,
) -> list[str]:
    """What happened, in plain words (a rule id only next to its meaning)."""
    ready = [r for r in rows.values() if r["status"] == "READY"]
    failed = [r for r in rows.values() if r["status"] == "ERROR"]
    lines = [
        "",
        'In the table, "human" marks a task the customer ordered from people, "extended AD"'
        " is extended audio description, and times are on the sandbox clock, which the demo"
        " moves forward for the live event and for the hand-off.",
        "",
        "What happened:",
        f"- The worker asked Kaltura for waiting tasks, found {len(rows)}, and took them one "
        "customer after another, so that no customer waits behind another's backlog (POLL-7).",
        "- It claimed each task (Kaltura then shows it as being processed) and ran the example "
        "handler for its feature. Each handler made a real file with a stand-in engine and "
        "delivered it with the task's own access key: captions in the format the order asks "
        "for, with speaker names where the customer wants them; a word-for-word toy "
        "translation; audio tracks and a sign-language video, checked first to be AAC-LC audio "
        "in MP4 at 64 or 128 kbps as Kaltura requires (DUB-3), then waited for until Kaltura "
        "had converted them; chapters; descriptions for the blind; a moderation verdict.",
    ]
    for row in failed:
        why = "on purpose" if row["expected"] == "ERROR" else "unexpectedly"
        lines.append(
            f"- Task {row['task']} failed {why}: {row['error'] or 'no reason given'}. The "
            "worker told Kaltura why in one short sentence, which the customer sees (LIFE-4)."
        )
    live = [r for r in rows.values() if r["feature"].startswith("live")]
    if live:
        messages = sum(len(p.get("messages") or []) for p in pulls)
        lines.append(
            f"- The {len(live)} live tasks are not claimed: their handler opened a caption "
            "websocket and registered it on the customer's live event, a day ahead (LIVE-2). "
            "The sandbox clock was then moved to the event's start: Kaltura's caption puller "
            "(the part of Kaltura that fetches live captions from the vendor) "
            f"connected and received {messages} caption messages; the worker marked the tasks "
            "as started, and after the event's end as done (LIVE-4)."
        )
    if human is not None:
        kinds = {e.kind for e in events.of(*EventKind, task_id=human)}
        kept = []
        if EventKind.KEY_EXTENDED in kinds:
            kept.append("extended its access key before it expired (KEY-1, KEY-2)")
        if kinds & {EventKind.TAT_HALF, EventKind.TAT_OVERDUE}:
            kept.append("warned that its turnaround time had run out (TAT-2)")
        done = "delivered" if rows[human]["status"] == "READY" else "not delivered"
        lines.append(
            f"- Task {human} (professional captions) was handed to a person instead. Days "
            "later on the sandbox clock, a second run of the worker found it again in its "
            f"journal (its record of every task){', ' + ' and '.join(kept) if kept else ''}; "
            "the person's captions were "
            f"then {done} through the worker, which records them so they are never sent twice."
        )
    tagged = sum(1 for r in log if r.client_tag and str(r.client_tag).startswith(tag))
    keyed = sum(1 for r in log if r.ks_kind == "access_key")
    lines.append(
        f"- {len(ready)} tasks are done. {len(log)} API calls in all, {tagged} of them "
        "labelled with the vendor's client tag so Kaltura can trace them (AUTH-3); "
        f"{keyed} used a task's own access key rather than the vendor's session (AUTH-7)."
    )
    return lines
