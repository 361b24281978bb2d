"""Live tasks in the worker: registered by their handler, then checked, started and finished
on the event's schedule (LIFE-3, LIVE-2 to LIVE-4), for live captions and live translation."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kaltura_reach_vendor import AppToken, EntryVendorTaskStatus, ReachClient, RetryPolicy
from kaltura_reach_vendor.enums import VendorServiceFeature as F
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.worker import EventKind, Job, Worker

LIVE_FEATURES = {F.LIVE_CAPTION, F.LIVE_TRANSLATION}


def register(job: Job[Any]) -> Any:
    return job.client.register_live_feature(
        job.task,
        media_url="rtmps://media.vendor.example/live",
        media_key="stream-key-0123456789",
        caption_url=f"wss://captions.vendor.example/reach/{job.task.id}",
        caption_token="caption-token-0123456789abcdef",
    )


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.mark.rule("LIFE-3")
@pytest.mark.rule("LIVE-2")
@pytest.mark.rule("LIVE-3")
@pytest.mark.rule("LIVE-4")
def test_live_tasks_are_registered_started_and_finished_on_schedule(tmp_path: Path) -> None:
    with Sandbox("demo", seed=2) as box:
        url = box.serve()
        creds = box.credentials
        token = creds.app_token
        client = ReachClient(
            vendor_partner_id=creds.vendor_partner_id,
            vendor_name="acme",
            app_version="1.0",
            app_token=AppToken(token.id, token.token, token.hash_type),
            service_url=url,
            retry=RetryPolicy(max_attempts=3, backoff=0.0, jitter=0.0),
            clock=box.clock.now,
        )
        events: list[Any] = []
        worker = Worker(
            client,
            {F.LIVE_CAPTION: register, F.LIVE_TRANSLATION: register},
            journal=tmp_path / "j.sqlite3",
            poll_interval=0.05,
            on_event=events.append,
        )
        live = [t for t in box.tasks() if int(t["catalogItemId"]) in (30008, 30011)]
        assert len(live) == 2
        runner = threading.Thread(target=lambda: worker.run(until_idle=True, install_signals=False))
        runner.start()

        def count(kind: EventKind) -> int:
            return sum(1 for e in events if e.kind is kind)

        _wait_for(lambda: count(EventKind.LIVE_SCHEDULED) == 2, "registration")
        for task in live:
            assert box.task(task["id"])["status"] == EntryVendorTaskStatus.SCHEDULED
        features = box.live_features(7001)
        assert {f["captionUrl"] for f in features} >= {
            f"wss://captions.vendor.example/reach/{t['id']}" for t in live
        }
        assert count(EventKind.LIVE_STARTED) == 0  # the event has not started
        start = int(live[0]["taskJobData"]["startDate"])
        box.clock.advance(start - box.clock.now() + 1)
        _wait_for(lambda: count(EventKind.LIVE_STARTED) == 2, "the start")
        for task in live:
            assert box.task(task["id"])["status"] == EntryVendorTaskStatus.PROCESSING
        end = int(live[0]["taskJobData"]["endDate"])
        box.clock.advance(end - box.clock.now() + 1)
        _wait_for(lambda: count(EventKind.LIVE_FINISHED) == 2, "the end")
        runner.join(timeout=20)
        assert not runner.is_alive()
        for task in live:
            assert box.task(task["id"])["status"] == EntryVendorTaskStatus.READY
        client.close()
