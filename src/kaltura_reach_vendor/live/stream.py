"""Live caption websocket messages (reference §15.2) and the stream that stamps them (LIVE-5/6).

Pure: no I/O. The endpoint (:mod:`.endpoint`) sends what a :class:`LiveCaptionStream` makes.

Each message is ``{"response": {...}}`` with ``id`` (UUID), ``type`` (``"transcript"`` or
``"captions"``), ``start``/``end`` (seconds since the first media chunk the vendor received),
``start_pts``, ``start_epoch``, ``is_final``, ``is_end_of_stream``, ``speakers``
(``{id, label}``) and ``alternatives`` (best first: ``{transcript, start, end, start_pts,
start_epoch, items}``; ``items`` are words and punctuation ``{start, end, kind, value,
speaker_id}``). Kaltura's example file spells one field ``start_epoque``; the schema, and this
SDK, say ``start_epoch``.

Timing (LIVE-6). The vendor records every media chunk it receives with
:meth:`LiveCaptionStream.chunk_received`: its ``start`` (seconds of audio since the first
chunk, 0 for the first), the ``pts`` it came with and the wall-clock epoch it arrived at. A
segment starting at ``s`` belongs to the last chunk that started at or before ``s``; it is
stamped **offset from that chunk**::

    start_pts   = chunk.pts   + (s - chunk.start) * pts_timescale
    start_epoch = chunk.epoch + (s - chunk.start)

so a segment at a chunk's very start carries that chunk's own values (the FAQ's "push the
information from the mapping table"), and one later in the chunk is offset by the audio time
elapsed since it (``pts_timescale``: pts units per second, 1 for pts in seconds, 1000 for
RTMP milliseconds, 90000 for MPEG-TS clock ticks). Every alternative is stamped the same way
from its own start.

Slot (LIVE-5). The stream knows the task's scheduled end (``KalturaScheduledVendorTaskData``
``endDate``, LIVE-1) and refuses, with :class:`~kaltura_reach_vendor.errors.LiveWindowClosed`,
any caption or transcript once its clock reaches it: the customer paid for that slot. Only
the end-of-stream message may still be sent.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from ..errors import LiveWindowClosed, StateError, UsageError
from ..models import EntryVendorTask
from ..models.task_data import ScheduledVendorTaskData

__all__ = [
    "Alternative",
    "CaptionMessage",
    "Chunk",
    "Item",
    "LiveCaptionStream",
    "LiveSchedule",
    "Speaker",
    "words",
]

MessageType = Literal["transcript", "captions"]
ItemKind = Literal["text", "punct"]
_TOKENS = re.compile(r"\w[\w'’-]*|[^\w\s]")


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UsageError(f"{what} must be a finite number, got {value!r}")
    return float(value)


# -- LIVE-1: the scheduled slot ---------------------------------------------------------------
@attrs.frozen
class LiveSchedule:
    """The scheduled slot of a live task (LIVE-1): epoch seconds and the event id."""

    start_date: int
    end_date: int
    scheduled_event_id: int

    @classmethod
    def of(cls, task: EntryVendorTask) -> LiveSchedule:
        """Read ``KalturaScheduledVendorTaskData`` {startDate, endDate, scheduledEventId}.

        A task from ``getJobs`` (reach_vendor profile) lacks them: the profile filters the
        task data. :func:`~kaltura_reach_vendor.deliveries.register_live_feature` reads them
        and fills the task in; a :class:`StateError` names it when they are missing.
        """
        data = task.task_job_data
        if not task.is_live:
            raise StateError(f"task {task.id} is not a live task (LIVE-1)")
        if (
            not isinstance(data, ScheduledVendorTaskData)
            or data.start_date is None
            or data.end_date is None
            or data.scheduled_event_id is None
        ):
            raise StateError(
                f"task {task.id} carries no scheduled slot (startDate, endDate, "
                "scheduledEventId; the reach_vendor profile hides them): register_live_feature "
                "reads them into the task (LIVE-1)"
            )
        return cls(int(data.start_date), int(data.end_date), int(data.scheduled_event_id))

    @property
    def duration(self) -> int:
        """Seconds in the slot."""
        return self.end_date - self.start_date


# -- the message (reference §15.2) ------------------------------------------------------------
@attrs.frozen
class Speaker:
    """A speaker: ``id`` is a UUID string, ``label`` a name or None."""

    id: str
    label: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label}


@attrs.frozen
class Item:
    """A word (``kind="text"``) or punctuation mark (``"punct"``) with its timing."""

    start: float
    end: float
    kind: ItemKind
    value: str
    speaker_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "value": self.value,
            "speaker_id": self.speaker_id,
        }


@attrs.frozen
class Alternative:
    """One hypothesis of a segment (alternatives are listed best first)."""

    transcript: str
    start: float
    end: float
    start_pts: float
    start_epoch: float
    items: tuple[Item, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "transcript": self.transcript,
            "start": self.start,
            "end": self.end,
            "start_pts": self.start_pts,
            "start_epoch": self.start_epoch,
            "items": [item.to_json() for item in self.items],
        }


@attrs.frozen
class CaptionMessage:
    """One websocket message, serialised by :meth:`to_json` / :meth:`dumps` exactly as §15.2."""

    id: str
    type: MessageType
    start: float
    end: float
    start_pts: float
    start_epoch: float
    is_final: bool
    is_end_of_stream: bool
    speakers: tuple[Speaker, ...] = ()
    alternatives: tuple[Alternative, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """``{"response": {...}}`` with the schema's field names."""
        return {
            "response": {
                "id": self.id,
                "type": self.type,
                "start": self.start,
                "end": self.end,
                "start_pts": self.start_pts,
                "start_epoch": self.start_epoch,
                "is_final": self.is_final,
                "is_end_of_stream": self.is_end_of_stream,
                "speakers": [s.to_json() for s in self.speakers],
                "alternatives": [a.to_json() for a in self.alternatives],
            }
        }

    def dumps(self) -> str:
        """The message as one compact JSON text frame."""
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))

    @property
    def transcript(self) -> str:
        """The best alternative's text ("" for the end-of-stream message)."""
        return self.alternatives[0].transcript if self.alternatives else ""

    @classmethod
    def from_json(cls, value: Mapping[str, Any] | str) -> CaptionMessage:
        """Read a message back, checking every field's type (a :class:`UsageError` names the
        first that does not fit): what a receiver, or a test, uses to hold a sender to §15.2."""
        data = json.loads(value) if isinstance(value, str) else value
        body = _field(data, "response", Mapping, "message")
        kind = _field(body, "type", str, "response")
        if kind not in ("transcript", "captions"):
            raise UsageError(f"response.type must be 'transcript' or 'captions', got {kind!r}")
        return cls(
            id=_uuid(_field(body, "id", str, "response"), "response.id"),
            type=kind,
            start=_float(body, "start", "response"),
            end=_float(body, "end", "response"),
            start_pts=_float(body, "start_pts", "response"),
            start_epoch=_float(body, "start_epoch", "response"),
            is_final=_field(body, "is_final", bool, "response"),
            is_end_of_stream=_field(body, "is_end_of_stream", bool, "response"),
            speakers=tuple(
                Speaker(
                    _uuid(_field(s, "id", str, "speaker"), "speaker.id"),
                    _field(s, "label", (str, type(None)), "speaker"),
                )
                for s in _field(body, "speakers", list, "response")
            ),
            alternatives=tuple(
                _alternative(a) for a in _field(body, "alternatives", list, "response")
            ),
        )


def _field(data: Any, name: str, kind: Any, where: str) -> Any:
    if not isinstance(data, Mapping) or name not in data:
        raise UsageError(f"{where}.{name} is missing")
    value = data[name]
    if kind is not bool and isinstance(value, bool):
        raise UsageError(f"{where}.{name} has the wrong type ({type(value).__name__})")
    if not isinstance(value, kind):
        raise UsageError(f"{where}.{name} has the wrong type ({type(value).__name__})")
    return value


def _uuid(value: str, where: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise UsageError(f"{where} must be a UUID, got {value!r}") from None


def _float(data: Any, name: str, where: str) -> float:
    return float(_field(data, name, (int, float), where))


def _alternative(a: Any) -> Alternative:
    items = []
    for i in _field(a, "items", list, "alternative"):
        kind = _field(i, "kind", str, "item")
        if kind not in ("text", "punct"):
            raise UsageError(f"item.kind must be 'text' or 'punct', got {kind!r}")
        speaker = _field(i, "speaker_id", (str, type(None)), "item")
        items.append(
            Item(
                _float(i, "start", "item"),
                _float(i, "end", "item"),
                kind,
                _field(i, "value", str, "item"),
                _uuid(speaker, "item.speaker_id") if speaker is not None else None,
            )
        )
    return Alternative(
        transcript=_field(a, "transcript", str, "alternative"),
        start=_float(a, "start", "alternative"),
        end=_float(a, "end", "alternative"),
        start_pts=_float(a, "start_pts", "alternative"),
        start_epoch=_float(a, "start_epoch", "alternative"),
        items=tuple(items),
    )


def words(
    transcript: str, start: float, end: float, speaker: Speaker | None = None
) -> tuple[Item, ...]:
    """Items for ``transcript`` spread evenly over ``[start, end]``: a word is ``"text"``,
    anything else (``.``, ``?``, ``,``) ``"punct"``. For engines without word timings."""
    tokens = _TOKENS.findall(transcript)
    if not tokens:
        return ()
    step = (end - start) / len(tokens)
    speaker_id = speaker.id if speaker is not None else None
    return tuple(
        Item(
            round(start + n * step, 3),
            round(start + (n + 1) * step, 3),
            "text" if (token[0].isalnum() or token[0] == "_") else "punct",
            token,
            speaker_id,
        )
        for n, token in enumerate(tokens)
    )


# -- the stream -------------------------------------------------------------------------------
@attrs.frozen
class Chunk:
    """One media chunk as the vendor received it (LIVE-6)."""

    #: Seconds of audio since the first chunk (0 for the first).
    start: float
    #: The presentation timestamp the chunk came with.
    pts: float
    #: Wall-clock epoch seconds when it reached the vendor.
    epoch: float


class LiveCaptionStream:
    """Builds the caption messages of one live task, stamped from the chunk mapping.

    :param end: the scheduled end, epoch seconds (``endDate``, LIVE-1); captions stop there
        (LIVE-5). :meth:`for_task` reads it from the task.
    :param clock: wall-clock epoch seconds (default ``time.time``): the default arrival time
        of a chunk, and the time checked against ``end``.
    :param pts_timescale: pts units per second of audio (1: pts in seconds).
    :param new_id: makes message and speaker ids (default: random UUID4 strings).
    """

    def __init__(
        self,
        end: float,
        *,
        clock: Callable[[], float] = time.time,
        pts_timescale: float = 1.0,
        new_id: Callable[[], str] | None = None,
    ) -> None:
        self.end = _number(end, "end")
        self.pts_timescale = _number(pts_timescale, "pts_timescale")
        if self.pts_timescale <= 0:
            raise UsageError(f"pts_timescale must be positive, got {pts_timescale!r}")
        self._clock = clock
        self._new_id = new_id or (lambda: str(uuid.uuid4()))
        self._chunks: list[Chunk] = []
        self._starts: list[float] = []
        self._speakers: dict[str, Speaker] = {}
        self._last_end = 0.0
        self.ended = False
        #: The speaker of text given without one (the schema wants a speaker id per item).
        self.default_speaker = self.speaker()

    @classmethod
    def for_task(
        cls,
        task: EntryVendorTask,
        *,
        clock: Callable[[], float] = time.time,
        pts_timescale: float = 1.0,
        new_id: Callable[[], str] | None = None,
    ) -> LiveCaptionStream:
        """The stream of a live task, ending at its scheduled ``endDate`` (LIVE-1, LIVE-5)."""
        schedule = LiveSchedule.of(task)
        return cls(schedule.end_date, clock=clock, pts_timescale=pts_timescale, new_id=new_id)

    # -- the mapping (LIVE-6) --------------------------------------------------------------
    @property
    def chunks(self) -> tuple[Chunk, ...]:
        """Every chunk recorded so far, in order."""
        return tuple(self._chunks)

    def chunk_received(self, start: float, pts: float, epoch: float | None = None) -> Chunk:
        """Record a media chunk: its ``start`` (seconds since the first chunk: 0 for the
        first, increasing), the ``pts`` it came with, and when it arrived (``epoch``,
        default: the clock now)."""
        start = _number(start, "start")
        chunk = Chunk(
            start,
            _number(pts, "pts"),
            self._clock() if epoch is None else _number(epoch, "epoch"),
        )
        if not self._chunks and start != 0:
            raise UsageError(f"the first chunk starts the stream at 0 (LIVE-6), got {start}")
        if self._chunks and start <= self._chunks[-1].start:
            raise UsageError(
                f"chunk starts must increase: {start} after {self._chunks[-1].start} (LIVE-6)"
            )
        self._chunks.append(chunk)
        self._starts.append(start)
        return chunk

    def chunk_at(self, start: float) -> Chunk:
        """The chunk a segment starting at ``start`` belongs to (the last one at or before)."""
        if not self._chunks:
            raise StateError("no media chunk recorded yet: call chunk_received first (LIVE-6)")
        index = bisect.bisect_right(self._starts, start) - 1
        if index < 0:
            raise UsageError(f"start {start} is before the first chunk (LIVE-6)")
        return self._chunks[index]

    def stamp(self, start: float) -> tuple[float, float]:
        """``(start_pts, start_epoch)`` for a segment starting at ``start`` (LIVE-6)."""
        start = _number(start, "start")
        chunk = self.chunk_at(start)
        offset = start - chunk.start
        return (
            round(chunk.pts + offset * self.pts_timescale, 6),
            round(chunk.epoch + offset, 6),
        )

    # -- LIVE-5 ----------------------------------------------------------------------------
    @property
    def remaining(self) -> float:
        """Seconds left in the scheduled slot (0 once it ended)."""
        return max(0.0, self.end - self._clock())

    def _check_open(self) -> None:
        if self.ended:
            raise StateError("the stream has ended (end_of_stream was sent)")
        now = self._clock()
        if now >= self.end:
            raise LiveWindowClosed(
                f"the task's scheduled slot ended at {self.end:.0f} (now {now:.0f}): captioning "
                "stops at the scheduled end, the slot the customer paid for (LIVE-5); only "
                "end_of_stream may still be sent",
                end=self.end,
            )

    # -- messages --------------------------------------------------------------------------
    def speaker(self, label: str | None = None) -> Speaker:
        """A new speaker (UUID id) to pass to :meth:`caption` / :meth:`transcript`."""
        found = Speaker(self._new_id(), label)
        self._speakers[found.id] = found
        return found

    def caption(
        self,
        text: str,
        start: float,
        end: float,
        *,
        is_final: bool = True,
        items: Iterable[Item] | None = None,
        speaker: Speaker | None = None,
        alternatives: Sequence[str] = (),
    ) -> CaptionMessage:
        """A ``"captions"`` message for the segment ``[start, end]`` (seconds since the first
        chunk). ``items`` default to the words of ``text`` spread over the segment;
        ``alternatives`` are lower-ranked transcripts of the same segment."""
        return self._message("captions", text, start, end, is_final, items, speaker, alternatives)

    def transcript(
        self,
        text: str,
        start: float,
        end: float,
        *,
        is_final: bool = True,
        items: Iterable[Item] | None = None,
        speaker: Speaker | None = None,
        alternatives: Sequence[str] = (),
    ) -> CaptionMessage:
        """A ``"transcript"`` message; otherwise like :meth:`caption`."""
        return self._message("transcript", text, start, end, is_final, items, speaker, alternatives)

    def end_of_stream(self) -> CaptionMessage:
        """The last message (``is_end_of_stream``), allowed after the scheduled end too."""
        if self.ended:
            raise StateError("end_of_stream was already sent")
        at = self._last_end
        pts, epoch = self.stamp(at) if self._chunks else (0.0, round(self._clock(), 6))
        self.ended = True
        return CaptionMessage(
            id=self._new_id(),
            type="captions",
            start=at,
            end=at,
            start_pts=pts,
            start_epoch=epoch,
            is_final=True,
            is_end_of_stream=True,
        )

    def _message(
        self,
        kind: MessageType,
        text: str,
        start: float,
        end: float,
        is_final: bool,
        items: Iterable[Item] | None,
        speaker: Speaker | None,
        alternatives: Sequence[str],
    ) -> CaptionMessage:
        self._check_open()
        start, end = _number(start, "start"), _number(end, "end")
        if not 0 <= start <= end:
            raise UsageError(f"a segment needs 0 <= start <= end, got [{start}, {end}]")
        if not isinstance(text, str):
            raise UsageError(f"text must be a string, got {type(text).__name__}")
        pts, epoch = self.stamp(start)
        speaker = speaker or self.default_speaker
        best_items = tuple(items) if items is not None else words(text, start, end, speaker)
        speaker_ids = [speaker.id] + [i.speaker_id for i in best_items if i.speaker_id]
        speakers = []
        for sid in dict.fromkeys(speaker_ids):
            speakers.append(self._speakers.get(sid) or Speaker(sid))
        hypotheses = [Alternative(text, start, end, pts, epoch, best_items)]
        hypotheses += [
            Alternative(alt, start, end, pts, epoch, words(alt, start, end, speaker))
            for alt in alternatives
        ]
        self._last_end = max(self._last_end, end)
        return CaptionMessage(
            id=self._new_id(),
            type=kind,
            start=start,
            end=end,
            start_pts=pts,
            start_epoch=epoch,
            is_final=bool(is_final),
            is_end_of_stream=False,
            speakers=tuple(speakers),
            alternatives=tuple(hypotheses),
        )
