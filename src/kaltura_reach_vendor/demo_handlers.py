"""Example handlers for the worker, one per supported feature, with stand-in engines.

The demo (``kaltura-reach-vendor demo``) runs the :class:`~kaltura_reach_vendor.worker.Worker`
with these handlers. They are also a template: each one reads what the task asks, makes the
deliverable, and returns the ``DeliveryResult`` of one ``job.client.deliver_*`` call. Replace
the **stand-in engines** (deterministic, offline, clearly not real speech recognition,
translation or signing) with your own::

    from kaltura_reach_vendor.demo_handlers import handlers
    from kaltura_reach_vendor.enums import VendorServiceFeature

    with handlers(handoff=[VendorServiceFeature.CAPTIONS]) as by_feature:
        Worker(client, by_feature).run()

What each handler delivers:

* captions (1): the stand-in transcript with the profile's speaker labels and line length
  (INPUT-5), in the task's format, SRT, WebVTT or DFXP (INPUT-3); a human captions task of a
  feature in ``handoff`` is handed to a person instead (``Handoff``), to be delivered later;
* translation (2): the source captions (TRANS-1, TRANS-2), or the stand-in transcript when the
  task translates from the audio (TRANS-3), through the *toy word-substitution translator*;
* audio description (4) and dubbing (7): MP4 audio tracks shipped with the package (AAC-LC,
  64 kbps, DUB-3), the dub with its translated captions (DUB-4);
* chapters (5), extended audio description (9, a WebVTT of descriptions, EAD-1);
* moderation (15): stand-in findings scored with ``moderation.evaluate`` (MOD-3, MOD-4);
* sign language (19): a small MP4 video shipped with the package, as a child entry (SIGN-1);
* live captions (8) and live translation (11): a caption websocket on loopback is registered
  on the event (LIVE-2); when Kaltura's puller connects, a few captions are streamed to it
  (LIVE-6). The worker then starts and finishes the task on the event's schedule (LIVE-4).

Nothing here needs FFmpeg, PyAV or the network (the media are package data files).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from importlib import resources
from types import TracebackType
from typing import Any

from ._readiness import ReadyWait
from .captions import CaptionDocument, Cue, apply_profile, parse_captions
from .client import ReachClient
from .deliveries import DeliveryResult, LiveRegistration
from .deliveries.chapters import Chapter
from .enums import VendorServiceFeature as F
from .errors import UsageError
from .live import (
    CaptionFeed,
    LiveCaptionStream,
    ThreadedCaptionEndpoint,
    new_caption_token,
    serve_captions_in_thread,
)
from .models import EntryVendorTask
from .moderation import PREDEFINED_RULES, Violation, evaluate, moderation_order, resolve_policies
from .worker import Handler, Handoff, Job

__all__ = [
    "DemoHandlers",
    "demo_media",
    "handlers",
    "human_captions",
    "stand_in_transcript",
    "toy_translate",
]

# -- stand-in engines ------------------------------------------------------------------------

#: What the stand-in "speech recognition" hears in every recording: (start ms, end ms, speaker,
#: text). Deterministic, so that every run delivers the same files.
SCRIPT: tuple[tuple[int, int, str, str], ...] = (
    (500, 3_000, "Dana", "Welcome to the Kaltura REACH demo."),
    (3_200, 6_400, "Dana", "These captions were made by a stand-in engine."),
    (6_600, 9_800, "Eli", "Thank you for watching this short video."),
)

#: What the stand-in "person" types for a human Hebrew captions job (the demo's handed-off
#: task); other languages get the English script.
HUMAN_SCRIPTS: dict[str, tuple[str, ...]] = {
    "Hebrew": ("ברוכים הבאים להדגמה של Kaltura REACH.", "הכתוביות נכתבו בידי אדם.", "תודה."),
}

#: The toy translator's whole knowledge: English word → word, per target language. It is
#: word-for-word substitution, deliberately simple and clearly not a real translation.
TOY_DICTIONARIES: dict[str, dict[str, str]] = {
    "Spanish": {
        "welcome": "bienvenidos",
        "to": "a",
        "the": "la",
        "demo": "demostración",
        "these": "estos",
        "captions": "subtítulos",
        "were": "fueron",
        "made": "hechos",
        "by": "por",
        "a": "un",
        "stand-in": "sustituto",
        "engine": "motor",
        "thank": "gracias",
        "you": "",
        "for": "por",
        "watching": "mirar",
        "this": "este",
        "short": "corto",
        "video": "vídeo",
        "caption": "subtítulo",
        "is": "es",
        "source": "fuente",
        "translation": "traducción",
        "good": "buenos",
        "morning": "días",
        "everyone": "a todos",
        "let": "vamos",
        "us": "",
        "begin": "empezar",
    },
    "Welsh": {
        "welcome": "croeso",
        "to": "i",
        "the": "y",
        "demo": "arddangosiad",
        "these": "y",
        "captions": "capsiynau",
        "were": "a",
        "made": "wnaed",
        "by": "gan",
        "a": "",
        "stand-in": "dirprwy",
        "engine": "peiriant",
        "thank": "diolch",
        "you": "chi",
        "for": "am",
        "watching": "wylio",
        "this": "y",
        "short": "byr",
        "video": "fideo",
    },
}


def stand_in_transcript(language: str = "English") -> CaptionDocument:
    """The stand-in speech recognition: the same three cues for every recording."""
    del language  # a real engine would pick its model by the task's source language
    return CaptionDocument([Cue(s, e, [text], speaker=who) for s, e, who, text in SCRIPT])


def human_captions(task: EntryVendorTask) -> CaptionDocument:
    """What the stand-in person delivers for a handed-off captions task, in its language."""
    language = task.source_language.value if task.source_language else "English"
    lines = HUMAN_SCRIPTS.get(language)
    if lines is None:
        return apply_profile(stand_in_transcript(language), task)
    cues = [
        Cue(s, e, [text], speaker=who) for (s, e, who, _), text in zip(SCRIPT, lines, strict=True)
    ]
    return apply_profile(CaptionDocument(cues), task)


def toy_translate(doc: CaptionDocument, source: str, target: str) -> CaptionDocument:
    """The toy translator: English → Spanish or Welsh, word by word (unknown words kept).

    Raises ``UsageError`` for a language pair it has no dictionary for: the worker then fails
    the task with that message (LIFE-4), as a real engine's refusal would."""
    table = TOY_DICTIONARIES.get(target)
    if source != "English" or table is None:
        raise UsageError(f"the demo's toy translator cannot translate {source} into {target}")

    def word(match: re.Match[str]) -> str:
        found = table.get(match.group(0).lower())
        if found is None:
            return match.group(0)
        return found.capitalize() if match.group(0)[0].isupper() else found

    cues = []
    for cue in doc.cues:
        lines = [_tidy(re.sub(r"[\w'-]+", word, line)) for line in cue.lines]
        cues.append(Cue(cue.start_ms, cue.end_ms, lines, speaker=cue.speaker))
    return CaptionDocument(cues)


def _tidy(line: str) -> str:
    """Single spaces, none before punctuation (a word translated to nothing leaves a gap)."""
    return re.sub(r"\s+([,.!?;:])", r"\1", " ".join(line.split()))


def demo_media(name: str) -> bytes:
    """A media file shipped with the package: ``original.m4a``, ``dub.m4a``,
    ``described.m4a`` (one second of AAC-LC in MP4 at 64 kbps each) or ``sign.mp4``."""
    folder = resources.files("kaltura_reach_vendor").joinpath("_demo_media")
    return folder.joinpath(name).read_bytes()


def _language(value: Any, default: str = "English") -> str:
    return str(value.value) if value is not None else default


def _units(task: EntryVendorTask, doc: CaptionDocument) -> int | None:
    """Pay-per-use tasks report the minutes of media processed (LIFE-10)."""
    catalog = task.catalog_item
    if catalog is None or not catalog.pay_per_use:
        return None
    end = max((cue.end_ms for cue in doc.cues), default=0)
    return max(1, math.ceil(end / 60_000))


# -- the handlers --------------------------------------------------------------------------


class DemoHandlers(Mapping[F | int, Handler]):
    """The feature → handler mapping :func:`handlers` returns, owning the live caption
    endpoints it opens: ``close()`` them (or use ``with``) when the worker is done."""

    def __init__(
        self,
        *,
        handoff: Collection[F] = (),
        ready_wait: ReadyWait | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.handoff = frozenset(F(int(f)) for f in handoff)
        self.ready_wait = ready_wait
        self.clock = clock
        self.endpoints: dict[int, ThreadedCaptionEndpoint] = {}
        #: Live registrations by task id (their ``requests``, ``schedule``...).
        self.registrations: dict[int, LiveRegistration] = {}
        self._threads: list[threading.Thread] = []
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._by_feature: dict[F, Handler] = {
            F.CAPTIONS: self.captions,
            F.TRANSLATION: self.translation,
            F.AUDIO_DESCRIPTION: self.audio_description,
            F.CHAPTERING: self.chapters,
            F.DUBBING: self.dubbing,
            F.LIVE_CAPTION: self.live,
            F.EXTENDED_AUDIO_DESCRIPTION: self.extended_audio_description,
            F.LIVE_TRANSLATION: self.live,
            F.MODERATION: self.moderation,
            F.SIGN_LANGUAGE: self.sign_language,
        }

    # Mapping
    def __getitem__(self, feature: F | int) -> Handler:
        try:
            return self._by_feature[F(int(feature))]
        except ValueError:
            raise KeyError(feature) from None

    def __iter__(self) -> Iterator[F | int]:
        return iter(self._by_feature)

    def __len__(self) -> int:
        return len(self._by_feature)

    def __enter__(self) -> DemoHandlers:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the stand-in live engines and close the caption endpoints."""
        self._closed.set()
        for thread in self._threads:
            thread.join(5)
        with self._lock:
            endpoints = list(self.endpoints.values())
            self.endpoints.clear()
        for endpoint in endpoints:
            endpoint.close()

    def _ready(self) -> dict[str, Any]:
        return {} if self.ready_wait is None else {"ready_wait": self.ready_wait}

    # -- VOD --------------------------------------------------------------------------------
    def captions(self, job: Job[ReachClient]) -> DeliveryResult | Handoff:
        """Machine captions now; a human job of a ``handoff`` feature goes to a person."""
        task = job.task
        if task.is_human and F.CAPTIONS in self.handoff:
            return Handoff(f"desk-{task.id}")  # delivered later with Worker.deliver
        doc = apply_profile(stand_in_transcript(_language(task.source_language)), task)
        accuracy = 99 if task.is_human else 95
        return job.client.deliver_captions(
            task, doc, accuracy=accuracy, units_used=_units(task, doc)
        )

    def translation(self, job: Job[ReachClient]) -> DeliveryResult:
        """From the source captions (TRANS-1, TRANS-2) or, when the catalog says so, from the
        audio (TRANS-3: here the stand-in transcript), through the toy translator."""
        task = job.task
        source = _language(task.source_language)
        target = _language(task.target_language, "")
        catalog = task.catalog_item
        if catalog is not None and getattr(catalog, "require_source", None) is False:
            original = stand_in_transcript(source)
        else:
            fetched = job.client.source_captions(task)
            original = parse_captions(fetched.text, format=fetched.format)
        doc = apply_profile(toy_translate(original, source, target), task)
        return job.client.deliver_translation(task, doc, accuracy=80, units_used=_units(task, doc))

    def chapters(self, job: Job[ReachClient]) -> DeliveryResult:
        """One chapter per speaker turn of the stand-in transcript (CHAP-1)."""
        chapters = [
            Chapter(0, "Welcome", "Dana opens the demo"),
            Chapter(6_600, "Thanks", "Eli closes"),
        ]
        return job.client.deliver_chapters(job.task, chapters, accuracy=90)

    def extended_audio_description(self, job: Job[ReachClient]) -> DeliveryResult:
        """A WebVTT of descriptions on the original timeline (EAD-1, EAD-2)."""
        doc = CaptionDocument(
            [
                Cue(0, 500, ["A lecture hall. Dana stands at a lectern."]),
                Cue(6_400, 6_600, ["Eli waves at the camera."]),
            ]
        )
        vtt = apply_profile(doc, job.task).to_vtt()  # the profile's line length
        return job.client.deliver_extended_audio_description(job.task, vtt, accuracy=90)

    def dubbing(self, job: Job[ReachClient]) -> DeliveryResult:
        """The dub and the clear original (DUB-1 to DUB-3), with the dub's captions (DUB-4)."""
        task = job.task
        target = _language(task.target_language, "Spanish")
        words = apply_profile(toy_translate(stand_in_transcript(), "English", target), task)
        return job.client.deliver_dubbing(
            task,
            demo_media("dub.m4a"),
            demo_media("original.m4a"),
            accuracy=90,
            captions=words,
            captions_accuracy=80,
            **self._ready(),
        )

    def audio_description(self, job: Job[ReachClient]) -> DeliveryResult:
        """The described track and the clear original (DUB-1 to DUB-3, DUB-5)."""
        return job.client.deliver_audio_description(
            job.task,
            demo_media("described.m4a"),
            demo_media("original.m4a"),
            accuracy=90,
            **self._ready(),
        )

    def sign_language(self, job: Job[ReachClient]) -> DeliveryResult:
        """The signed video as a child entry of the task's entry (SIGN-1 to SIGN-3)."""
        return job.client.deliver_sign_language(
            job.task, demo_media("sign.mp4"), accuracy=90, **self._ready()
        )

    def moderation(self, job: Job[ReachClient]) -> DeliveryResult:
        """Stand-in findings for the rules the task names, scored per policy (MOD-3, MOD-4)."""
        order = moderation_order(job.task)
        policies = resolve_policies(order.policy_ids)
        found: list[Violation] = []
        for rule_id in order.rule_ids[:2]:  # the stand-in "finds" something mild twice
            rule = PREDEFINED_RULES.get(rule_id)
            if rule is not None:
                found.append(rule.violation("a mildly rude word", 4.2, severity=20))
        report = evaluate(found, policies)
        return job.client.deliver_moderation(job.task, report, accuracy=92)

    # -- live ---------------------------------------------------------------------------------
    def live(self, job: Job[ReachClient]) -> None:
        """Register a caption websocket on the event (LIVE-2); the worker does the rest."""
        task = job.task
        task_id = int(task.id or 0)
        token = new_caption_token()
        feed = CaptionFeed()
        endpoint = serve_captions_in_thread(feed, token=token)
        with self._lock:
            self.endpoints[task_id] = endpoint
        registration = job.client.register_live_feature(
            task,
            media_url="rtmp://127.0.0.1:1935/live",  # the stand-in ingest: nothing listens
            media_key=f"demo-{task_id}",
            caption_url=endpoint.url,
            caption_token=token,
            external_task_id=f"live-{task_id}",
        )
        self.registrations[task_id] = registration
        target = task.target_language
        lines = stand_in_transcript()
        if task.effective_service_feature == F.LIVE_TRANSLATION and target is not None:
            lines = toy_translate(lines, "English", _language(target))
        thread = threading.Thread(
            target=self._stream,
            args=(endpoint, feed, registration.schedule.end_date, lines),
            name=f"demo-live-engine-{task_id}",
            daemon=True,
        )
        self._threads.append(thread)
        thread.start()

    def _stream(
        self, endpoint: ThreadedCaptionEndpoint, feed: CaptionFeed, end: float, doc: CaptionDocument
    ) -> None:
        """The stand-in live engine: once Kaltura's puller is connected, media "arrives" and
        captions go out, stamped from the chunk mapping (LIVE-6), then the end of stream."""
        while endpoint.connections == 0:
            if self._closed.wait(0.01):
                return
        options: dict[str, Any] = {} if self.clock is None else {"clock": self.clock}
        stream = LiveCaptionStream(end, **options)
        stream.chunk_received(0.0, pts=90.0)
        speakers = {who: stream.speaker(who) for _, _, who, _ in SCRIPT}
        for cue in doc.cues:
            speaker = speakers.get(cue.speaker or "")
            start, stop = cue.start_ms / 1000, cue.end_ms / 1000
            feed.put(stream.caption(cue.text, start, stop, is_final=False, speaker=speaker))
            feed.put(stream.caption(cue.text, start, stop, speaker=speaker))
        feed.put(stream.end_of_stream())


def handlers(
    *,
    handoff: Collection[F] = (),
    ready_wait: ReadyWait | None = None,
    clock: Callable[[], float] | None = None,
) -> DemoHandlers:
    """The example handlers for every supported feature (see the module docstring).

    :param handoff: features whose *human* tasks are handed to a person (``Handoff``) instead
        of being done by the stand-in engine; deliver them later with ``Worker.deliver``.
    :param ready_wait: a :class:`~kaltura_reach_vendor.ReadyWait` for the media deliveries
        (how long to wait for Kaltura's conversion).
    :param clock: the clock live caption timestamps are taken from (default: real time).
    """
    return DemoHandlers(handoff=handoff, ready_wait=ready_wait, clock=clock)
