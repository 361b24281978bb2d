"""A local REACH sandbox: an embedded stand-in for the part of Kaltura REACH vendors talk to.

>>> with Sandbox() as sandbox:                      # doctest: +SKIP
...     client = httpx.Client(transport=sandbox.transport(), base_url=sandbox.service_url)
...     url = sandbox.serve()                        # or real HTTP on 127.0.0.1

It speaks the api_v3 wire protocol (form, JSON and multipart requests; ``format=1`` JSON and
``format=2`` XML responses; errors as HTTP 200 ``KalturaAPIException``), issues v2-shaped
KS strings, and enforces the documented REACH rules. See ``docs/sandbox.md``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from .._secrets import mask_url, redact
from . import _media
from ._app import App
from ._clock import Clock
from ._delivery import flavor_body
from ._errors import ApiError
from ._faults import Faults
from ._ks import SESSION_ADMIN
from ._live_puller import LivePuller
from ._media import Body
from ._media_world import MEDIA_CAPTIONS, MEDIA_ENTRIES, MEDIA_TASKS
from ._server import HttpFrontDoor, make_transport
from ._services.assets import settle_conversions
from ._services.reach import abort_task, create_task
from ._services.sessions import start_session
from ._store import JsonDict, RequestLogRecord, State, snapshot
from .scenarios import (
    APP_TOKEN,
    APP_TOKEN_HASH_TYPE,
    APP_TOKEN_ID,
    CUSTOMERS,
    SCENARIOS,
    VENDOR_ADMIN_SECRET,
    VENDOR_PARTNER_ID,
    add_caption,
    add_entry,
)

__all__ = [
    "MEDIA_CAPTIONS",
    "MEDIA_ENTRIES",
    "MEDIA_TASKS",
    "SCENARIOS",
    "ApiError",
    "AppTokenCredentials",
    "Clock",
    "Credentials",
    "CustomerCredentials",
    "Faults",
    "RequestLogRecord",
    "Sandbox",
    "SandboxCustomer",
]

IN_PROCESS_URL = "http://localhost"


@dataclass(frozen=True, repr=False)
class AppTokenCredentials:
    """The vendor's app token (``token`` masked in ``repr``, AUTH-9)."""

    id: str
    token: str
    hash_type: str

    def __repr__(self) -> str:
        return (
            f"AppTokenCredentials(id={self.id!r}, token={redact(self.token)}, "
            f"hash_type={self.hash_type!r})"
        )


@dataclass(frozen=True, repr=False)
class CustomerCredentials:
    """A customer partner (owns entries and tasks); ``admin_secret`` masked in ``repr``."""

    partner_id: int
    admin_secret: str

    def __repr__(self) -> str:
        return (
            f"CustomerCredentials(partner_id={self.partner_id!r}, "
            f"admin_secret={redact(self.admin_secret)})"
        )


@dataclass(frozen=True, repr=False)
class Credentials:
    """Everything a vendor needs to talk to the sandbox (the credentials JSON file).

    ``repr`` masks every secret; :meth:`to_json` and :meth:`write` hold them in clear.
    """

    service_url: str
    vendor_partner_id: int
    vendor_admin_secret: str
    app_token: AppTokenCredentials
    customers: list[CustomerCredentials] = field(default_factory=list)

    def __repr__(self) -> str:
        return (
            f"Credentials(service_url={mask_url(self.service_url)!r}, "
            f"vendor_partner_id={self.vendor_partner_id!r}, "
            f"vendor_admin_secret={redact(self.vendor_admin_secret)}, "
            f"app_token={self.app_token!r}, customers={self.customers!r})"
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON file shape (service_url, vendor_partner_id, …, app_token, customers)."""
        return asdict(self)

    def write(self, path: str | Path) -> None:
        """Write the credentials JSON file."""
        Path(path).write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")


@dataclass
class _Options:
    url_fetch_transport: httpx.BaseTransport | None = None
    media_ready_after: float = 1.0
    """Sandbox-clock seconds a vendor-delivered flavor or entry takes to convert."""
    faults: Faults | None = None


class SandboxCustomer:
    """The customer side, to drive scenarios: add and cancel tasks, add entries and captions."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox

    @property
    def _state(self) -> State:
        return self._sandbox.state

    def add_task(
        self,
        entry_id: str,
        catalog_item_id: int,
        *,
        reach_profile_id: int | None = None,
        task_job_data: JsonDict | None = None,
        notes: str | None = None,
        status: int = 1,
    ) -> JsonDict:
        """Order a task on an entry (its partner's first REACH profile by default); returns it."""
        with self._state.lock:
            entry = self._state.entries.get(entry_id)
            if entry is None:
                raise ApiError("ENTRY_ID_NOT_FOUND", entry_id)
            partner_id = int(entry.data["partnerId"])
            if reach_profile_id is None:
                profiles = [
                    p for p in self._state.reach_profiles.values() if p["partnerId"] == partner_id
                ]
                if not profiles:
                    raise ApiError("INVALID_OBJECT_ID", "reachProfileId")
                reach_profile_id = int(profiles[0]["id"])
            task = create_task(
                self._state,
                partner_id=partner_id,
                entry_id=entry_id,
                catalog_item_id=catalog_item_id,
                reach_profile_id=reach_profile_id,
                task_job_data=task_job_data,
                notes=notes,
                status=status,
            )
            return snapshot(task.data)  # type: ignore[no-any-return]

    def abort_task(
        self, task_id: int | str, reason: str | None = None, *, force: bool = True
    ) -> None:
        """Cancel a task. ``force`` also cancels a PROCESSING task (the server-side abort case)."""
        with self._state.lock:
            task = self._state.tasks.get(int(task_id))
            if task is None:
                raise ApiError("ENTRY_VENDOR_TASK_NOT_FOUND", task_id)
            abort_task(self._state, task, reason or "Task was aborted by the customer", force=force)

    def add_entry(
        self,
        partner_id: int,
        name: str,
        *,
        duration_s: int = 60,
        hls: bool = True,
        flavor_bytes: int | None = None,
        flavor_language: str = "Undefined",
    ) -> str:
        """A READY entry with generated flavors (source, 360p, audio only); returns its id.

        :param hls: ``False`` for an account without HLS delivery (MEDIA-1 fallback).
        :param flavor_bytes: make every flavor file this large, generated on the fly and never
            held in memory (see :meth:`Sandbox.flavor_bytes`); default: tiny stored MP4s.
        :param flavor_language: the flavors' ``language`` (``"Undefined"`` as often in
            production, INPUT-2).
        """
        with self._state.lock:
            record = add_entry(
                self._state,
                partner_id,
                name,
                duration_s=duration_s,
                hls=hls,
                flavor_bytes=flavor_bytes,
                flavor_language=flavor_language,
            )
            return str(record.data["id"])

    def add_caption(self, entry_id: str, language: str, srt: str, *, accuracy: int = 100) -> str:
        """A READY SRT caption on an entry; returns its id."""
        with self._state.lock:
            return str(
                add_caption(self._state, entry_id, language, srt, accuracy=accuracy).data["id"]
            )

    def admin_ks(self, partner_id: int, expiry: int = 86400) -> str:
        """An admin KS of a customer partner (reads everything back)."""
        with self._state.lock:
            return start_session(self._state, partner_id, SESSION_ADMIN, "admin", None, expiry).ks


class Sandbox:
    """A REACH sandbox: state, clock, faults and two front doors (in-process and HTTP).

    :param scenario: ``"demo"``, ``"empty"`` or a callable building the world on the state.
    :param seed: seeds ids, KS randomness and faults (same seed, same run).
    :param clock: a :class:`Clock` (defaults to real time, advanceable).
    :param url_fetch_transport: httpx transport used to fetch ``KalturaUrlResource`` URLs.
    :param media_ready_after: sandbox-clock seconds Kaltura takes to convert media a vendor
        delivers (``flavorAsset.setContent``, ``media.addContent``): until then the flavor is
        CONVERTING (1) and the entry PRECONVERT (1); scenario-built media is READY at once.
    """

    def __init__(
        self,
        scenario: str | Callable[[State], None] = "demo",
        *,
        seed: int = 0,
        clock: Clock | None = None,
        url_fetch_transport: httpx.BaseTransport | None = None,
        media_ready_after: float = 1.0,
    ) -> None:
        if media_ready_after < 0:
            raise ValueError("media_ready_after must be >= 0")
        self.clock = clock or Clock()
        self.state = State(seed, self.clock)
        self.faults = Faults(seed)
        self.customer = SandboxCustomer(self)
        self._options = _Options(url_fetch_transport, media_ready_after, self.faults)
        self.app = App(self.state, self.faults, self._options)
        self._http: HttpFrontDoor | None = None
        self.live_puller = LivePuller(self.state, self.clock)
        """Kaltura's caption puller (``docs/live.md``): see :meth:`pull_live_captions`."""
        builder = SCENARIOS[scenario] if isinstance(scenario, str) else scenario
        with self.state.lock:
            builder(self.state)

    # --- front doors ---------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        """An in-process transport for ``httpx.Client`` and ``httpx.AsyncClient`` (no socket)."""
        return make_transport(self.app)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start the loopback HTTP server in a background thread; return its service URL."""
        if self._http is None:
            self._http = HttpFrontDoor(self.app, host, port)
        return self._http.url

    @property
    def service_url(self) -> str:
        """The HTTP URL once served, else the in-process URL (``http://localhost``)."""
        return self._http.url if self._http is not None else IN_PROCESS_URL

    def close(self) -> None:
        """Stop the live caption puller and the HTTP server, if any."""
        self.live_puller.stop()
        if self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- credentials ---------------------------------------------------------------------

    @property
    def credentials(self) -> Credentials:
        """Vendor partner, admin secret, app token and customers, for :attr:`service_url`."""
        return Credentials(
            service_url=self.service_url,
            vendor_partner_id=VENDOR_PARTNER_ID,
            vendor_admin_secret=VENDOR_ADMIN_SECRET,
            app_token=AppTokenCredentials(APP_TOKEN_ID, APP_TOKEN, APP_TOKEN_HASH_TYPE),
            customers=[CustomerCredentials(pid, secret) for pid, _name, secret in CUSTOMERS],
        )

    def vendor_ks(self, expiry: int = 86400) -> str:
        """A vendor admin KS with ``disableentitlement`` (a shortcut for tests)."""
        with self.state.lock:
            return start_session(
                self.state, VENDOR_PARTNER_ID, SESSION_ADMIN, "", "disableentitlement", expiry
            ).ks

    # --- inspection ----------------------------------------------------------------------

    def tasks(self) -> list[JsonDict]:
        """Every task (wire fields, including accessKey and status), by id."""
        with self.state.lock:
            return [snapshot(t.data) for _, t in sorted(self.state.tasks.items())]

    def statuses(self) -> dict[int, int]:
        """Every task's status by id: a cheap view for watching progress (no copies)."""
        with self.state.lock:
            return {task_id: t.status for task_id, t in self.state.tasks.items()}

    def task(self, task_id: int | str) -> JsonDict:
        """One task's wire fields."""
        with self.state.lock:
            return snapshot(self.state.tasks[int(task_id)].data)  # type: ignore[no-any-return]

    def access_key(self, task_id: int | str) -> str | None:
        """The task's current access key."""
        with self.state.lock:
            return self.state.tasks[int(task_id)].access_key

    def expire_access_key(self, task_id: int | str) -> None:
        """Force the task's current access key to be expired (INVALID_KS / EXPIRED)."""
        with self.state.lock:
            key = self.state.tasks[int(task_id)].access_key
            if key:
                self.state.ks.expire(key, self.clock.now())

    def entries(self) -> list[JsonDict]:
        """Every entry."""
        with self.state.lock:
            settle_conversions(self.state)
            return [snapshot(e.data) for e in self.state.entries.values()]

    def entry(self, entry_id: str) -> JsonDict:
        """One entry."""
        with self.state.lock:
            settle_conversions(self.state)
            return snapshot(self.state.entries[entry_id].data)  # type: ignore[no-any-return]

    def assets(self, entry_id: str | None = None, kind: str | None = None) -> list[JsonDict]:
        """Assets (``kind``: ``caption``, ``flavor``, ``attachment``), optionally of one entry."""
        with self.state.lock:
            settle_conversions(self.state)
            return [
                snapshot(a.data)
                for a in self.state.assets.values()
                if (entry_id is None or a.data["entryId"] == entry_id)
                and (kind is None or a.kind == kind)
            ]

    # --- media ---------------------------------------------------------------------------

    def _flavor_body(self, asset_id: str) -> Body:
        with self.state.lock:
            settle_conversions(self.state)
            asset = self.state.assets.get(asset_id)
            if asset is None or asset.kind != "flavor":
                raise KeyError(asset_id)
            return flavor_body(self.state, asset)

    def flavor_size(self, asset_id: str) -> int:
        """Size in bytes of a flavor's file (what a full download gets)."""
        return self._flavor_body(asset_id).size

    def flavor_bytes(self, asset_id: str, start: int = 0, end: int | None = None) -> bytes:
        """Bytes ``[start, end)`` of a flavor's file (``end`` defaults to its size).

        The same bytes the progressive download serves, computed from (asset id, offset) for
        a generated flavor, so any range is cheap even for a 200 MB file.
        """
        body = self._flavor_body(asset_id)
        return body.read(start, body.size if end is None else end)

    def expected_sha256(self, asset_id: str) -> str:
        """Hex SHA-256 of a flavor's whole file, computed chunk by chunk (constant memory)."""
        body = self._flavor_body(asset_id)
        digest = hashlib.sha256()
        for chunk in body.chunks(0, body.size):
            digest.update(chunk)
        return digest.hexdigest()

    def hls_segments(self, asset_id: str, tracks: str = "v1-a1") -> list[bytes]:
        """The HLS segments of a flavor in playlist order (``tracks`` as in the URL, e.g.
        ``"a1"`` for audio only): what a joined HLS download must contain."""
        with self.state.lock:
            asset = self.state.assets.get(asset_id)
            if asset is None or asset.kind != "flavor":
                raise KeyError(asset_id)
            entry = self.state.entries[str(asset.data["entryId"])]
            duration = max(1, int(entry.data.get("msDuration") or 30000) // 1000)
        count = _media.segment_count(duration)
        return [_media.ts_segment(asset_id, n, tracks) for n in range(1, count + 1)]

    def asset_content(self, asset_id: str) -> bytes | None:
        """The stored file of an asset."""
        with self.state.lock:
            return self.state.assets[asset_id].content

    def cue_points(self, entry_id: str | None = None) -> list[JsonDict]:
        """Cue points, optionally of one entry."""
        with self.state.lock:
            return [
                snapshot(c)
                for c in self.state.cue_points.values()
                if entry_id is None or c["entryId"] == entry_id
            ]

    def schedule_events(self) -> list[JsonDict]:
        """Schedule events with their live features."""
        with self.state.lock:
            return [snapshot(e) for e in self.state.schedule_events.values()]

    def live_features(self, event_id: int | None = None) -> list[JsonDict]:
        """Live features (of one event or all)."""
        with self.state.lock:
            features: list[JsonDict] = []
            for event in self.state.schedule_events.values():
                if event_id is None or event["id"] == event_id:
                    features.extend(snapshot(event.get("liveFeatures", [])))
            return features

    def start_live_puller(self, interval: float = 0.05) -> None:
        """Play Kaltura's caption puller in a background thread: when the sandbox clock
        reaches a registered live feature's window (the task's startDate), connect to its
        ``captionUrl`` with its ``captionToken`` and record what arrives. Stops on close."""
        self.live_puller.start(interval)

    def pull_live_captions(
        self, event_id: int, feature_name: str | None = None, *, timeout: float = 10.0
    ) -> JsonDict:
        """Connect to the event's registered ``captionUrl`` now and record until the stream
        ends (end of stream, window over, or refusal); returns the record."""
        return self.live_puller.pull(event_id, feature_name, timeout=timeout)

    def live_captions(self, event_id: int | None = None) -> list[JsonDict]:
        """What the caption puller recorded: per pull ``featureName``, ``captionUrl``,
        ``connectedAt`` (sandbox clock), ``outcome`` (``connecting``, ``open``, then
        ``completed``, ``refused``, ``disconnected``, ``window_ended``, ``stopped``,
        ``error``), ``httpStatus``, ``closeCode`` and ``messages`` (parsed JSON)."""
        return self.live_puller.records(event_id)

    def upload_tokens(self) -> list[JsonDict]:
        """Upload tokens."""
        with self.state.lock:
            return [snapshot(t.data) for t in self.state.upload_tokens.values()]

    def flags(self) -> list[JsonDict]:
        """Moderation flags."""
        with self.state.lock:
            return snapshot(self.state.flags)  # type: ignore[no-any-return]

    def category_entries(self) -> list[JsonDict]:
        """Category-entry links (status 1 pending, 2 active, 4 rejected)."""
        with self.state.lock:
            return [snapshot(c) for c in self.state.category_entries.values()]

    @property
    def request_log(self) -> list[RequestLogRecord]:
        """Every api_v3 call: service, action, clientTag, KS kind, task id, error code."""
        with self.state.lock:
            return list(self.state.request_log)

    def status_changes(self) -> list[tuple[int, int, int, str | None, float]]:
        """Every task status change made by ``updateJob``, in order: (task id, old status, new
        status, the request's clientTag, sandbox time). Proves who claimed a task (PENDING →
        PROCESSING), and when."""
        with self.state.lock:
            return list(self.state.status_changes)

    def clear_request_log(self) -> None:
        """Forget logged requests."""
        with self.state.lock:
            self.state.request_log.clear()
