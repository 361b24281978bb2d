"""Kaltura's caption puller, played by the sandbox (LIVE-2, LIVE-6; reference §11, §15.2).

At the scheduled time Kaltura connects to the ``captionUrl`` a vendor registered on a live
feature (``scheduleEvent.updateLiveFeature``) and reads caption messages from it. The sandbox
does the same: for every live caption feature with a ``captionUrl`` whose window has come
(sandbox clock at or past the event's ``startDate - preStartTime``, i.e. the task's
``startDate``), it connects with the feature's ``captionToken`` and records what arrives.

Token convention (the SDK's, see ``kaltura_reach_vendor.live.endpoint``; Kaltura documents
none): ``Authorization: Bearer <captionToken>``. A refused handshake (HTTP 401) is recorded
with its status. The pull ends when the endpoint closes the connection (after the
end-of-stream message), when the window ends (``endDate + postEndTime``, sandbox clock) or
when the sandbox closes.

Deterministic for tests: :meth:`LivePuller.pull` connects now and returns when the pull ends;
:meth:`LivePuller.start` runs a background thread that polls the sandbox clock. ``websockets``
is imported only when a pull starts.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from .._log import get_logger
from .._secrets import mask, register_secret
from ._clock import Clock
from ._store import JsonDict, State, snapshot

__all__ = ["LivePuller"]

#: websockets' records of the puller (they show the Authorization header): masked.
log = get_logger("sandbox.live_puller")

#: Seconds between two looks at the sandbox clock (background thread) or the socket.
POLL_INTERVAL = 0.05


def _window(event: JsonDict, feature: JsonDict) -> tuple[float, float]:
    start = float(event["startDate"]) - float(feature.get("preStartTime") or 0)
    end = float(event["endDate"]) + float(feature.get("postEndTime") or 0)
    return start, end


class LivePuller:
    """Pulls captions from the vendor endpoints registered on the sandbox's events."""

    def __init__(self, state: State, clock: Clock) -> None:
        self._state = state
        self._clock = clock
        self._lock = threading.Lock()
        self._records: list[JsonDict] = []
        self._started: set[tuple[int, str]] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pulls: list[threading.Thread] = []

    # -- what is due ---------------------------------------------------------------------------
    def _features(self, event_id: int | None = None) -> list[tuple[JsonDict, JsonDict]]:
        with self._state.lock:
            found = []
            for event in self._state.schedule_events.values():
                if event_id is not None and int(event["id"]) != event_id:
                    continue
                for feature in event.get("liveFeatures", []):
                    if feature.get("captionUrl") and feature.get("captionToken"):
                        found.append((snapshot(event), snapshot(feature)))
            return found

    def due(self) -> list[tuple[JsonDict, JsonDict]]:
        """Registered features whose window is open and that were not pulled yet."""
        now = self._clock.now()
        with self._lock:
            started = set(self._started)
        return [
            (event, feature)
            for event, feature in self._features()
            if (int(event["id"]), str(feature["systemName"])) not in started
            and _window(event, feature)[0] <= now < _window(event, feature)[1]
        ]

    # -- pulling -------------------------------------------------------------------------------
    def pull(
        self, event_id: int, feature_name: str | None = None, *, timeout: float = 10.0
    ) -> JsonDict:
        """Connect now to the feature's ``captionUrl`` and record until the pull ends."""
        candidates = [
            (e, f)
            for e, f in self._features(event_id)
            if feature_name is None or f.get("systemName") == feature_name
        ]
        if not candidates:
            raise KeyError(f"no live feature with a captionUrl on event {event_id}")
        event, feature = candidates[0]
        with self._lock:
            self._started.add((int(event["id"]), str(feature["systemName"])))
        return self._pull(event, feature, timeout)

    def _pull(self, event: JsonDict, feature: JsonDict, timeout: float) -> JsonDict:
        from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
        from websockets.sync.client import connect

        record: JsonDict = {
            "eventId": int(event["id"]),
            "featureName": feature["systemName"],
            "captionUrl": feature["captionUrl"],
            "connectedAt": self._clock.now(),
            "outcome": "connecting",
            "httpStatus": None,
            "closeCode": None,
            "error": None,
            "messages": [],
        }
        with self._lock:
            self._records.append(record)
        window_end = _window(event, feature)[1]
        register_secret(str(feature["captionToken"]))
        headers = {"Authorization": f"Bearer {feature['captionToken']}"}
        try:
            with connect(
                str(feature["captionUrl"]),
                additional_headers=headers,
                proxy=None,
                open_timeout=timeout,
                close_timeout=2,
                logger=log,
            ) as ws:
                with self._lock:
                    record["httpStatus"], record["outcome"] = 101, "open"
                while True:
                    if self._stop.is_set():
                        record["outcome"] = "stopped"
                        break
                    if self._clock.now() >= window_end:
                        record["outcome"] = "window_ended"
                        break
                    try:
                        text = ws.recv(timeout=POLL_INTERVAL)
                    except TimeoutError:
                        continue
                    with self._lock:
                        record["messages"].append(_decode(text))
        except InvalidStatus as error:
            record["outcome"] = "refused"
            record["httpStatus"] = error.response.status_code
        except ConnectionClosed as error:
            code = error.rcvd.code if error.rcvd is not None else None
            record["closeCode"] = code
            record["outcome"] = "completed" if code == 1000 else "disconnected"
        except (OSError, TimeoutError, WebSocketException) as error:
            record["outcome"] = "error"
            record["error"] = mask(f"{type(error).__name__}: {error}")
        return snapshot(record)  # type: ignore[no-any-return]

    # -- the background thread -----------------------------------------------------------------
    def start(self, interval: float = POLL_INTERVAL) -> None:
        """Poll the sandbox clock and pull every feature whose window opens."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(interval,), name="sandbox-live-puller", daemon=True
        )
        self._thread.start()

    def _run(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                due = self.due()
            except Exception:  # a malformed event must not end the puller
                log.exception("live puller: cannot read the schedule events")
                continue
            for event, feature in due:
                with self._lock:
                    self._started.add((int(event["id"]), str(feature["systemName"])))
                thread = threading.Thread(
                    target=self._pull, args=(event, feature, 10.0), daemon=True
                )
                self._pulls.append(thread)
                thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop polling and end every pull in progress."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        for thread in self._pulls:
            thread.join(timeout)
        self._pulls.clear()

    def records(self, event_id: int | None = None) -> list[JsonDict]:
        """Every pull so far (of one event or all), oldest first."""
        with self._lock:
            return [
                snapshot(r) for r in self._records if event_id is None or r["eventId"] == event_id
            ]


def _decode(text: Any) -> Any:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text
