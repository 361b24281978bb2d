"""The worker end to end against the sandbox over loopback HTTP, with both clients."""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kaltura_reach_vendor import (
    AppToken,
    AsyncReachClient,
    Chapter,
    ConfigurationError,
    EntryVendorTaskStatus,
    ReachClient,
    RetryPolicy,
)
from kaltura_reach_vendor.enums import VendorServiceFeature as F
from kaltura_reach_vendor.fairness import TaskKey
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.worker import EventKind, Handoff, Job, SQLiteJournal, Step, Worker

SRT = "1\n00:00:01,000 --> 00:00:02,500\nHello there.\n"
MACHINE_CAPTIONS = 30002
CHAPTERING = 30007


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("empty", seed=5) as box:
        yield box


def _options(box: Sandbox, url: str) -> dict[str, Any]:
    creds = box.credentials
    token = creds.app_token
    return {
        "vendor_partner_id": creds.vendor_partner_id,
        "vendor_name": "acme",
        "app_version": "1.0",
        "app_token": AppToken(token.id, token.token, token.hash_type),
        "service_url": url,
        "retry": RetryPolicy(max_attempts=3, backoff=0.0, jitter=0.0),
        "clock": box.clock.now,
    }


class Runner:
    """One worker, with either client, over loopback HTTP."""

    def __init__(self, kind: str, box: Sandbox, journal: Path, **options: Any) -> None:
        self.kind = kind
        self.box = box
        self.url = box.serve()
        self.events: list[Any] = []
        self.options = {"journal": journal, "poll_interval": 0.05, **options}

    def handlers(self, **by_feature: Any) -> dict[F, Any]:
        """Sync handlers, wrapped as coroutine functions for the async client."""
        out: dict[F, Any] = {}
        for name, handler in by_feature.items():
            if self.kind == "async":
                out[F[name]] = _async(handler)
            else:
                out[F[name]] = handler
        return out

    def run(self, handlers: dict[F, Any], **options: Any) -> Worker:
        merged = {**self.options, **options}
        merged.setdefault("on_event", self.events.append)
        if self.kind == "sync":
            client: Any = ReachClient(**_options(self.box, self.url))
            worker = Worker(client, handlers, **merged)
            worker.run(until_idle=True, install_signals=False)
            client.close()
            return worker

        async def main() -> Worker:
            async with AsyncReachClient(**_options(self.box, self.url)) as client:
                worker = Worker(client, handlers, **merged)
                await worker.run_async(until_idle=True)
                return worker

        return asyncio.run(main())

    def kinds(self, task_id: int) -> list[EventKind]:
        return [e.kind for e in self.events if e.task_id == task_id]


def _async(handler: Any) -> Any:
    """The same handler for an AsyncReachClient: what it returns is awaited if need be."""

    async def wrapped(job: Job[Any]) -> Any:
        result = handler(job)
        return await result if inspect.isawaitable(result) else result

    return wrapped


def captions(job: Any) -> Any:
    return job.client.deliver_captions(job.task, SRT, accuracy=95)


def chapters(job: Any) -> Any:
    return job.client.deliver_chapters(job.task, [Chapter(0, "Intro")], accuracy=90)


def broken(job: Any) -> Any:
    raise RuntimeError("no speech engine for Klingon\nTraceback (most recent call last): ...")


def _tasks(box: Sandbox, customer: int, catalog_item: int, count: int) -> list[int]:
    entry = box.customer.add_entry(customer, f"lecture of {customer}")
    return [int(box.customer.add_task(entry, catalog_item)["id"]) for _ in range(count)]


@pytest.fixture(params=["sync", "async"])
def runner(request: pytest.FixtureRequest, sandbox: Sandbox, tmp_path: Path) -> Runner:
    return Runner(request.param, sandbox, tmp_path / "journal.sqlite3")


@pytest.mark.rule("LIFE-2")
@pytest.mark.rule("LIFE-4")
def test_the_worker_claims_delivers_and_fails_with_a_short_reason(
    runner: Runner, sandbox: Sandbox
) -> None:
    delivered = _tasks(sandbox, 1001, MACHINE_CAPTIONS, 2)
    chaptered = _tasks(sandbox, 1002, CHAPTERING, 1)
    handlers = runner.handlers(CAPTIONS=captions, CHAPTERING=chapters)
    handlers[F.CHAPTERING] = runner.handlers(CHAPTERING=broken)[F.CHAPTERING]
    worker = runner.run(handlers)
    for task_id in delivered:
        record = sandbox.task(task_id)
        assert record["status"] == EntryVendorTaskStatus.READY
        assert runner.kinds(task_id) == [EventKind.SEEN, EventKind.CLAIMED, EventKind.DELIVERED]
    failed = sandbox.task(chaptered[0])
    assert failed["status"] == EntryVendorTaskStatus.ERROR
    assert failed["errDescription"] == "no speech engine for Klingon"  # first line only
    assert worker.stats.delivered == 2 and worker.stats.failed == 1
    journal = SQLiteJournal(runner.options["journal"])
    steps = {t: journal.get(TaskKey(runner.url, t)) for t in [*delivered, *chaptered]}
    assert [r.step for r in steps.values() if r] == [Step.DONE, Step.DONE, Step.FAILED]


def test_tasks_without_a_handler_are_not_claimed(runner: Runner, sandbox: Sandbox) -> None:
    untouched = _tasks(sandbox, 1001, CHAPTERING, 1)
    done = _tasks(sandbox, 1001, MACHINE_CAPTIONS, 1)
    runner.run(runner.handlers(CAPTIONS=captions))
    assert sandbox.task(untouched[0])["status"] == EntryVendorTaskStatus.PENDING
    assert sandbox.task(done[0])["status"] == EntryVendorTaskStatus.READY


def test_a_handoff_leaves_the_task_processing_and_journalled(
    runner: Runner, sandbox: Sandbox
) -> None:
    (task_id,) = _tasks(sandbox, 1001, MACHINE_CAPTIONS, 1)

    def hand_off(job: Any) -> Any:
        assert job.tat.is_human is False and job.customer == 1001 and job.attempt == 1
        return Handoff("transcriber-42")

    handlers = runner.handlers(CAPTIONS=hand_off)
    worker = runner.run(handlers)
    assert sandbox.task(task_id)["status"] == EntryVendorTaskStatus.PROCESSING
    record = SQLiteJournal(runner.options["journal"]).get(TaskKey(runner.url, task_id))
    assert record is not None and record.step is Step.HANDED_OFF
    assert record.external_id == "transcriber-42"
    assert worker.stats.handed_off == 1


@pytest.mark.rule("POLL-7")
def test_customers_take_turns(sandbox: Sandbox, tmp_path: Path) -> None:
    big = _tasks(sandbox, 1001, MACHINE_CAPTIONS, 6)
    small = _tasks(sandbox, 1002, MACHINE_CAPTIONS, 1) + _tasks(sandbox, 1003, MACHINE_CAPTIONS, 1)
    runner = Runner("sync", sandbox, tmp_path / "j.sqlite3")
    runner.run(runner.handlers(CAPTIONS=captions), concurrency=1)
    claimed = [e.task_id for e in runner.events if e.kind is EventKind.CLAIMED]
    assert sorted(claimed) == sorted(big + small)
    # One task of each customer in turn: both small customers within the first three claims.
    assert set(small) <= set(claimed[:3])


@pytest.mark.rule("POLL-8")
def test_a_restart_finishes_an_interrupted_delivery_with_one_output(
    runner: Runner, sandbox: Sandbox
) -> None:
    (task_id,) = _tasks(sandbox, 1001, MACHINE_CAPTIONS, 1)
    journal = SQLiteJournal(runner.options["journal"])
    key = TaskKey(runner.url, task_id)
    # A first worker claimed the task, journalled its attempt, created the caption asset and
    # died before READY.
    with ReachClient(**_options(sandbox, runner.url)) as client:
        task = client.get_task(task_id)
        client.claim(task)
        journal.seen(key, partner_id=1001, service_feature=1, at=0.0)
        journal.step(key, Step.CLAIMED, at=0.0)
        attempt = journal.begin_attempt(
            key, f"kaltura-reach-vendor:task={task_id}:attempt=x", at=0.0
        )
        # What the attempt's multirequest had done when the process died: the asset exists.
        asset = {"objectType": "KalturaCaptionAsset", "format": 1, "language": "English"}
        asset["partnerData"] = attempt.marker
        added = client.task_call(
            task, "caption_captionAsset", "add", {"entryId": task.entry_id, "captionAsset": asset}
        )
        assert isinstance(added, dict)
    assert sandbox.task(task_id)["status"] == EntryVendorTaskStatus.PROCESSING
    made = [a for a in sandbox.assets(kind="caption") if a.get("partnerData") == attempt.marker]
    assert len(made) == 1
    runner.run(runner.handlers(CAPTIONS=captions))
    record = sandbox.task(task_id)
    assert record["status"] == EntryVendorTaskStatus.READY
    mine = [
        a
        for a in sandbox.assets(kind="caption")
        if str(a.get("partnerData", "")).startswith(f"kaltura-reach-vendor:task={task_id}:")
        and a.get("status") != 3
    ]
    assert [a["id"] for a in mine] == [made[0]["id"]] == [record["outputObjectId"]]


def test_handlers_must_match_the_client(sandbox: Sandbox, tmp_path: Path) -> None:
    url = sandbox.serve()
    with ReachClient(**_options(sandbox, url)) as client:

        async def coroutine(job: Any) -> Any:
            return None

        with pytest.raises(ConfigurationError, match="plain functions"):
            Worker(client, {F.CAPTIONS: coroutine}, journal=tmp_path / "j")


def test_stop_from_another_thread_ends_the_run(sandbox: Sandbox, tmp_path: Path) -> None:
    url = sandbox.serve()
    with ReachClient(**_options(sandbox, url)) as client:
        worker = Worker(client, {F.CAPTIONS: captions}, journal=tmp_path / "j", poll_interval=0.05)
        timer = threading.Timer(0.3, worker.stop)
        timer.start()
        stats = worker.run(install_signals=False)  # would poll forever
        timer.join()
    assert stats.seen == 0


def test_a_broken_event_hook_does_not_stop_the_worker(sandbox: Sandbox, tmp_path: Path) -> None:
    (task_id,) = _tasks(sandbox, 1001, MACHINE_CAPTIONS, 1)

    def hook(event: Any) -> None:
        raise ValueError("dashboard is down")

    runner = Runner("sync", sandbox, tmp_path / "j.sqlite3")
    runner.run(runner.handlers(CAPTIONS=captions), on_event=hook)
    assert sandbox.task(task_id)["status"] == EntryVendorTaskStatus.READY
