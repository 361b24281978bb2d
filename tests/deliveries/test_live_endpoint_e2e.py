"""Live captions end to end: an engine feeds a ``LiveCaptionStream`` into the caption
endpoint (a real websocket on loopback); the sandbox, playing Kaltura's caption puller,
connects at the scheduled start with the registered token and records what arrives. A wrong
token is refused at the handshake (LIVE-2, LIVE-4, LIVE-5, LIVE-6, AUTH-9).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from kaltura_reach_vendor import (
    ConfigurationError,
    EntryVendorTaskStatus,
    StateError,
    UsageError,
)
from kaltura_reach_vendor.live import (
    CaptionFeed,
    CaptionMessage,
    LiveCaptionStream,
    new_caption_token,
    serve_captions,
    serve_captions_in_thread,
)
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Driver

LIVE_CAPTIONS = 30008
LIVE_TRANSLATION = 30011
EVENT = 7001


def _wait(condition: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out waiting")


def _register(drive: Driver, task: Any, url: str, token: str) -> Any:
    return drive(
        "register_live_feature",
        task,
        media_url="rtmps://ingest.vendor.example/live",
        media_key="stream-key-0001",
        caption_url=url,
        caption_token=token,
    )


@pytest.mark.rule("LIVE-2")
@pytest.mark.rule("LIVE-4")
@pytest.mark.rule("LIVE-6")
@pytest.mark.parametrize("catalog_item", [LIVE_CAPTIONS, LIVE_TRANSLATION])
def test_captions_flow_from_the_engine_to_the_puller_at_the_scheduled_start(
    drive: Driver, sandbox: Sandbox, catalog_item: int
) -> None:
    sandbox.clock.freeze()
    token = new_caption_token()
    feed = CaptionFeed()
    with serve_captions_in_thread(feed, token=token) as endpoint:
        task = drive.task_for(catalog_item)
        registration = _register(drive, task, endpoint.url, token)
        stream = LiveCaptionStream.for_task(task, clock=sandbox.clock.now)
        sandbox.start_live_puller(interval=0.01)
        time.sleep(0.2)
        assert sandbox.live_captions() == []  # the slot has not started: nobody connects
        assert endpoint.connections == 0
        sandbox.clock.freeze(registration.schedule.start_date)  # the scheduled start
        _wait(lambda: endpoint.connections == 1)
        drive("start_live", task)  # LIVE-4: PROCESSING when the event starts
        assert sandbox.task(task.id or 0)["status"] == int(EntryVendorTaskStatus.PROCESSING)

        # the engine (a stand-in): media chunks arrive, captions go out, stamped (LIVE-6)
        t0 = sandbox.clock.now()
        stream.chunk_received(0.0, 90.0, epoch=t0)
        stream.chunk_received(2.0, 92.0, epoch=t0 + 2.4)
        speaker = stream.speaker("Host")
        sent = [
            stream.caption("Good morning.", 0.3, 1.5, is_final=False, speaker=speaker),
            stream.caption("Good morning, all.", 0.3, 1.9, speaker=speaker),
            stream.transcript("Let us begin.", 2.5, 3.6),
        ]
        for message in sent:
            feed.put(message)
        feed.put(stream.end_of_stream())
        assert sandbox.live_captions(EVENT)[0]["outcome"] in ("open", "completed")
        _wait(lambda: sandbox.live_captions(EVENT)[0]["closeCode"] is not None)
        (pull,) = sandbox.live_captions(EVENT)
    drive("finish_live", task, accuracy=90)  # LIVE-4: READY after the event
    assert sandbox.task(task.id or 0)["status"] == int(EntryVendorTaskStatus.READY)

    assert pull["featureName"] == registration.feature_name
    assert (pull["outcome"], pull["httpStatus"], pull["closeCode"]) == ("completed", 101, 1000)
    assert pull["connectedAt"] == registration.schedule.start_date
    received = [CaptionMessage.from_json(m) for m in pull["messages"]]  # §15.2, strictly
    assert received[:3] == sent
    assert [m.is_end_of_stream for m in received] == [False, False, False, True]
    assert [m.type for m in received] == ["captions", "captions", "transcript", "captions"]
    first, final, second_chunk = pull["messages"][:3]
    assert first["response"]["is_final"] is False and final["response"]["is_final"] is True
    assert (first["response"]["start_pts"], first["response"]["start_epoch"]) == (
        pytest.approx(90.3),
        pytest.approx(t0 + 0.3),
    )
    assert (second_chunk["response"]["start_pts"], second_chunk["response"]["start_epoch"]) == (
        pytest.approx(92.5),
        pytest.approx(t0 + 2.9),
    )
    assert first["response"]["speakers"] == [{"id": speaker.id, "label": "Host"}]
    for item in final["response"]["alternatives"][0]["items"]:
        assert uuid.UUID(item["speaker_id"]) and item["kind"] in ("text", "punct")
    assert feed.sent == 4 and feed.pending == 0


@pytest.mark.rule("LIVE-2")
@pytest.mark.rule("AUTH-9")
def test_a_wrong_token_is_refused_at_the_handshake(
    drive: Driver, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token, registered = new_caption_token(), new_caption_token()
    feed = CaptionFeed()
    with serve_captions_in_thread(feed, token=token, path="/captions") as endpoint:
        stream = LiveCaptionStream(time.time() + 3600)
        stream.chunk_received(0.0, 0.0)
        feed.put(stream.caption("Not for strangers.", 0.0, 1.0))
        task = drive.task_for(LIVE_CAPTIONS)
        _register(drive, task, endpoint.url, registered)  # not the endpoint's token
        record = sandbox.pull_live_captions(EVENT)
        assert (record["outcome"], record["httpStatus"]) == ("refused", 401)
        assert record["messages"] == [] and sandbox.live_captions(EVENT) == [record]
        assert endpoint.refused == 1 and endpoint.connections == 0
        assert feed.pending == 1  # nothing was sent
        with pytest.raises(InvalidStatus) as no_token:
            connect(endpoint.url, proxy=None, open_timeout=5)
        assert no_token.value.response.status_code == 401
        base = endpoint.url.rsplit("/", 1)[0]
        with pytest.raises(InvalidStatus) as wrong_path:
            connect(f"{base}/other?token={token}", proxy=None, open_timeout=5)
        assert wrong_path.value.response.status_code == 404
        # the query-parameter fallback of the token convention
        with connect(f"{endpoint.url}?token={token}", proxy=None, open_timeout=5) as ws:
            got = CaptionMessage.from_json(ws.recv(timeout=5))
        assert got.transcript == "Not for strangers."
        assert endpoint.refused == 3 and endpoint.connections == 1
        # the SDK's records (endpoint and sandbox puller; this test's own raw clients aside)
        ours = [r for r in caplog.records if r.name.startswith("kaltura_reach_vendor")]
        assert any("GET /captions" in r.getMessage() for r in ours)  # websockets' own records
        shown = "\n".join(r.getMessage() for r in ours) + repr(endpoint) + repr(feed)
    assert "refused a caption connection" in caplog.text
    assert token not in shown and registered not in shown


def test_the_async_endpoint_and_a_reconnecting_puller(sandbox: Sandbox, drive: Driver) -> None:
    token = new_caption_token()
    task = drive.task_for(LIVE_CAPTIONS)

    async def main() -> tuple[dict[str, Any], dict[str, Any]]:
        feed = CaptionFeed()
        async with await serve_captions(feed, token=token) as endpoint:
            await asyncio.to_thread(_register, drive, task, endpoint.url, token)
            stream = LiveCaptionStream.for_task(task, clock=time.time)
            stream.chunk_received(0.0, 0.0)
            feed.put(stream.caption("Queued before anyone connected.", 0.0, 1.0))
            first = asyncio.ensure_future(asyncio.to_thread(sandbox.pull_live_captions, EVENT))
            await asyncio.to_thread(_wait, lambda: feed.sent == 1)
            # a second pull (a reconnect) takes over; the first connection is closed (1001)
            second = asyncio.ensure_future(asyncio.to_thread(sandbox.pull_live_captions, EVENT))
            await asyncio.to_thread(_wait, lambda: endpoint.connections == 2)
            feed.put(stream.caption("After the reconnect.", 1.0, 2.0).to_json())
            feed.put(stream.end_of_stream().dumps())
            return await first, await second

    first, second = asyncio.run(main())
    assert (first["outcome"], first["closeCode"]) == ("disconnected", 1001)
    assert [m["response"]["alternatives"][0]["transcript"] for m in first["messages"]] == [
        "Queued before anyone connected."
    ]
    assert second["outcome"] == "completed"
    texts = [CaptionMessage.from_json(m).transcript for m in second["messages"]]
    assert texts == ["After the reconnect.", ""]


def test_the_feed_refuses_what_is_not_a_caption_message() -> None:
    feed = CaptionFeed()
    with pytest.raises(UsageError, match="response"):
        feed.put('{"text": "hello"}')
    stream = LiveCaptionStream(time.time() + 60)
    feed.put(stream.end_of_stream())
    with pytest.raises(StateError, match="feed is closed"):
        feed.put(LiveCaptionStream(time.time() + 60).end_of_stream().to_json())
    with pytest.raises(UsageError, match="at least 16"):
        serve_captions_in_thread(CaptionFeed(), token="short")
    token = new_caption_token()
    with serve_captions_in_thread(CaptionFeed(), token=token) as taken:
        port = int(taken.url.rsplit(":", 1)[1].strip("/"))
        with pytest.raises(ConfigurationError, match="cannot listen"):
            serve_captions_in_thread(CaptionFeed(), token=token, port=port)


def test_the_puller_stops_with_the_sandbox() -> None:
    box = Sandbox("demo", seed=3)
    token = new_caption_token()
    feed = CaptionFeed()
    with serve_captions_in_thread(feed, token=token) as endpoint:
        worker = Driver("sync", box)
        task = worker.task_for(LIVE_CAPTIONS)
        _register(worker, task, endpoint.url, token)
        result: list[dict[str, Any]] = []
        thread = threading.Thread(target=lambda: result.append(box.pull_live_captions(EVENT)))
        thread.start()
        _wait(lambda: endpoint.connections == 1)
        box.close()  # no end of stream ever comes: closing the sandbox ends the pull
        thread.join(5)
        worker.close()
    assert not thread.is_alive() and result[0]["outcome"] == "stopped"
