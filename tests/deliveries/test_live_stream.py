"""``LiveCaptionStream`` and its messages, pure (LIVE-1, LIVE-5, LIVE-6; reference §15.2)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from kaltura_reach_vendor import LiveWindowClosed, StateError, UsageError
from kaltura_reach_vendor.live import (
    CaptionMessage,
    Item,
    LiveCaptionStream,
    LiveSchedule,
)
from kaltura_reach_vendor.models import EntryVendorTask, ScheduledVendorTaskData, parse

START, END = 1_800_000_000, 1_800_003_600
T0 = START + 10.0


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _task(**data: Any) -> EntryVendorTask:
    wire = {
        "objectType": "KalturaEntryVendorTask",
        "id": "464420602",  # ids come as strings (reference §1.5)
        "status": 9,
        "serviceFeature": 8,
        "taskJobData": {
            "objectType": "KalturaScheduledVendorTaskData",
            "startDate": START,
            "endDate": END,
            "scheduledEventId": 7001,
            "entryDuration": (END - START) * 1000,
            **data,
        },
    }
    task = parse(wire, EntryVendorTask)
    assert isinstance(task, EntryVendorTask)
    return task


@pytest.mark.rule("LIVE-1")
def test_the_scheduled_task_data_is_read() -> None:
    task = _task()
    assert isinstance(task.task_job_data, ScheduledVendorTaskData)
    assert LiveSchedule.of(task) == LiveSchedule(START, END, 7001)
    assert LiveSchedule.of(task).duration == 3600
    assert LiveCaptionStream.for_task(task).end == END
    hidden = _task(startDate=None, endDate=None, scheduledEventId=None)  # reach_vendor profile
    with pytest.raises(StateError, match="register_live_feature"):
        LiveSchedule.of(hidden)
    with pytest.raises(StateError, match="register_live_feature"):
        LiveCaptionStream.for_task(hidden)


def _stream(clock: Clock, **options: Any) -> LiveCaptionStream:
    return LiveCaptionStream(END, clock=clock, **options)


@pytest.mark.rule("LIVE-6")
def test_stamps_come_from_the_chunk_the_segment_belongs_to() -> None:
    clock = Clock(T0)
    stream = _stream(clock)
    stream.chunk_received(0.0, 5000.0)  # arrives now (the clock)
    stream.chunk_received(2.0, 5002.0, epoch=T0 + 2.75)  # a late chunk: its own arrival time
    stream.chunk_received(4.0, 7000.0, epoch=T0 + 4.0)  # a pts jump (encoder restart)
    at_start = stream.caption("Hello.", 0.0, 1.0)
    assert (at_start.start_pts, at_start.start_epoch) == (5000.0, T0)
    inside = stream.caption("Second chunk.", 2.5, 3.5)
    assert inside.start_pts == pytest.approx(5002.5)
    assert inside.start_epoch == pytest.approx(T0 + 3.25)  # the late chunk's epoch + 0.5
    assert stream.chunk_at(3.999).pts == 5002.0
    after_jump = stream.caption("Third.", 4.25, 5.0)
    assert after_jump.start_pts == pytest.approx(7000.25)
    assert after_jump.start_epoch == pytest.approx(T0 + 4.25)
    # every alternative is stamped the same way
    for message in (at_start, inside, after_jump):
        (best,) = message.alternatives
        assert (best.start, best.start_pts, best.start_epoch) == (
            message.start,
            message.start_pts,
            message.start_epoch,
        )


@pytest.mark.rule("LIVE-6")
def test_pts_timescale_and_mapping_errors() -> None:
    stream = _stream(Clock(T0), pts_timescale=90_000)  # MPEG-TS clock ticks
    with pytest.raises(StateError, match="chunk_received"):
        stream.caption("too early", 0.0, 1.0)
    with pytest.raises(UsageError, match="first chunk starts the stream at 0"):
        stream.chunk_received(1.0, 0.0)
    stream.chunk_received(0.0, 900_000.0)
    stream.chunk_received(2.0, 1_080_000.0)
    assert stream.stamp(0.5) == (945_000.0, T0 + 0.5)
    with pytest.raises(UsageError, match="must increase"):
        stream.chunk_received(2.0, 1.0)
    with pytest.raises(UsageError, match="start <= end"):
        stream.caption("backwards", 3.0, 2.0)


def test_messages_follow_the_websocket_schema() -> None:
    ids = iter(f"00000000-0000-4000-8000-{n:012d}" for n in range(100))
    stream = _stream(Clock(T0), new_id=lambda: next(ids))
    stream.chunk_received(0.0, 0.0)
    dana = stream.speaker("Dana")
    message = stream.caption(
        "Welcome, everyone.", 0.2, 1.4, speaker=dana, is_final=False, alternatives=["Welcome"]
    )
    wire = json.loads(message.dumps())
    assert list(wire) == ["response"]
    body = wire["response"]
    assert set(body) == {
        "id",
        "type",
        "start",
        "end",
        "start_pts",
        "start_epoch",
        "is_final",
        "is_end_of_stream",
        "speakers",
        "alternatives",
    }
    assert "start_epoque" not in message.dumps()  # the example file's misspelling
    assert body["type"] == "captions" and body["is_final"] is False
    assert body["is_end_of_stream"] is False
    assert body["speakers"] == [{"id": dana.id, "label": "Dana"}]
    best, other = body["alternatives"]
    assert set(best) == {"transcript", "start", "end", "start_pts", "start_epoch", "items"}
    assert best["transcript"] == "Welcome, everyone." and other["transcript"] == "Welcome"
    assert [(i["kind"], i["value"]) for i in best["items"]] == [
        ("text", "Welcome"),
        ("punct", ","),
        ("text", "everyone"),
        ("punct", "."),
    ]
    assert {i["speaker_id"] for i in best["items"]} == {dana.id}
    assert best["items"][0]["start"] == 0.2 and best["items"][-1]["end"] == 1.4
    assert set(best["items"][0]) == {"start", "end", "kind", "value", "speaker_id"}
    assert CaptionMessage.from_json(message.dumps()) == message
    transcript = stream.transcript("Plain.", 1.5, 2.0)
    assert transcript.type == "transcript"
    assert transcript.speakers[0].id == stream.default_speaker.id
    assert uuid.UUID(transcript.id)


def test_given_word_items_are_kept() -> None:
    stream = _stream(Clock(T0))
    stream.chunk_received(0.0, 10.0)
    speaker = stream.speaker()
    items = [Item(0.1, 0.4, "text", "Hi", speaker.id), Item(0.4, 0.45, "punct", "!", speaker.id)]
    message = stream.caption("Hi!", 0.1, 0.45, items=items, speaker=speaker)
    assert message.alternatives[0].items == tuple(items)
    assert message.speakers == (speaker,)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"type": "subtitles"}, "response.type"),
        ({"id": "not-a-uuid"}, "response.id must be a UUID"),
        ({"start_pts": "0"}, "start_pts has the wrong type"),
        ({"is_final": 1}, "is_final has the wrong type"),
        ({"start_epoch": None}, "start_epoch has the wrong type"),
    ],
)
def test_from_json_holds_a_sender_to_the_schema(change: dict[str, Any], error: str) -> None:
    stream = _stream(Clock(T0))
    stream.chunk_received(0.0, 0.0)
    wire = stream.caption("Hello.", 0.0, 1.0).to_json()
    wire["response"].update(change)
    with pytest.raises(UsageError, match=error):
        CaptionMessage.from_json(wire)


@pytest.mark.rule("LIVE-5")
def test_captions_stop_at_the_scheduled_end() -> None:
    clock = Clock(END - 5.0)
    stream = _stream(clock)
    stream.chunk_received(0.0, 0.0)
    assert stream.remaining == 5.0
    stream.caption("Still in the slot.", 0.0, 1.0)
    clock.now = END  # the slot the customer paid for is over
    assert stream.remaining == 0.0
    with pytest.raises(LiveWindowClosed, match="LIVE-5") as closed:
        stream.caption("One more?", 1.0, 2.0)
    assert closed.value.end == END and isinstance(closed.value, StateError)
    with pytest.raises(LiveWindowClosed):
        stream.transcript("One more?", 1.0, 2.0)
    last = stream.end_of_stream()  # closing the stream is still allowed
    assert last.is_end_of_stream and last.is_final and last.alternatives == ()
    assert (last.start, last.start_pts) == (1.0, 1.0)  # the end of the last caption, stamped
    with pytest.raises(StateError, match="already sent"):
        stream.end_of_stream()
    clock.now = END - 100  # even back in time, an ended stream stays ended
    with pytest.raises(StateError, match="ended"):
        stream.caption("after the end", 1.0, 2.0)
