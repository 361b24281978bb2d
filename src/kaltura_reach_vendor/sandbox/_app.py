"""The sandbox application: one request handler behind two front doors (HTTP and in-process).

Routes ``/api_v3/service/{service}/action/{action}`` (and the ``index.php`` forms),
``/api_v3/service/multirequest``, playManifest, and serveFlavor (HLS manifests, segments and
progressive downloads).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import _xml
from ._delivery import MediaResponse, play_manifest, serve_flavor
from ._errors import ApiError
from ._faults import Faults
from ._ks import KIND_ACCESS_KEY, KIND_NONE, KsSession
from ._params import (
    NULL,
    parse_request,
    path_pairs,
    split_multirequest,
    substitute,
    to_int,
    to_str,
)
from ._registry import REGISTRY, SERVICES, Call, FileResult
from ._services import (
    assets,
    captions,
    content,
    cuepoints,
    profiles,
    reach,
    schedule,
    sessions,
    uploads,
)
from ._services.assets import settle_conversions
from ._store import RequestLogRecord, State

REGISTERED = (assets, captions, content, cuepoints, profiles, reach, schedule, sessions, uploads)
"""Imported for their side effect: each module registers its actions."""


@dataclass
class Request:
    """A transport-neutral HTTP request."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Response:
    """A transport-neutral HTTP response; ``drop`` asks the front door to cut the connection.

    A streamed body (media files) comes from ``chunks()`` and is ``length`` bytes long;
    ``cut_after`` asks the front door to cut the connection after that many body bytes.
    """

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    drop: bool = False
    delay: float = 0.0
    chunks: Callable[[], Iterator[bytes]] | None = None
    length: int | None = None
    cut_after: int | None = None

    @property
    def content_length(self) -> int:
        """The ``Content-Length`` of the full answer."""
        return self.length if self.length is not None else len(self.body)

    def iter_body(self) -> Iterator[bytes]:
        """The body, in chunks (a buffered body is one chunk)."""
        if self.chunks is not None:
            yield from self.chunks()
        elif self.body:
            yield self.body


def _strip_nulls(value: Any) -> Any:
    """JSON drops null properties whatever ``ignoreNull`` says (server ``KalturaJsonSerializer``
    ``unsetNull``)."""
    if isinstance(value, dict):
        return {k: _strip_nulls(v) for k, v in value.items() if v is not None and v is not NULL}
    if isinstance(value, list):
        return [_strip_nulls(v) for v in value]
    return value


def _ignore_null(params: dict[str, Any]) -> bool:
    """``ignoreNull`` as the front controller reads it: only the string ``"1"`` or a JSON
    ``true`` count (strict ``=== "1" || === true``; server ``KalturaFrontController::
    setSerializerByFormat``); absent means off, so XML writes nulls as empty elements."""
    value = params.get("ignoreNull")
    return value is True or (isinstance(value, str) and value == "1")


class App:
    """Dispatches requests against the sandbox state."""

    def __init__(self, state: State, faults: Faults, options: Any) -> None:
        self.state = state
        self.faults = faults
        self.options = options

    # --- entry point ---------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Answer one HTTP request (plus ``Faults.latency_ms``, API and media alike)."""
        response = self._handle(request)
        latency = self.faults.latency_ms
        if latency > 0:
            response.delay += latency / 1000.0
        return response

    def _handle(self, request: Request) -> Response:
        host = request.headers.get("host") or "localhost"
        base_url = f"http://{host}"
        path = request.path
        if "/playManifest/" in path or "/serveFlavor/" in path:
            name = "media.playmanifest" if "/playManifest/" in path else "media.serveflavor"
            decision = self.faults.transport_decision(name)
            if decision.drop:
                return Response(drop=True, delay=decision.delay)
            if decision.error_status:
                return self._http_error(decision.error_status, decision.delay)
            with self.state.lock:
                settle_conversions(self.state)
                media = self._media(request, base_url)
            response = Response(
                media.status, {"Content-Type": media.content_type, **media.headers}, media.body
            )
            if media.stream is not None:
                response.chunks = media.chunks
                response.length = media.length
            if media.media_file and 200 <= media.status < 300 and request.method != "HEAD":
                response.cut_after = self.faults.take_media_cut()
            response.delay = decision.delay
            return response
        if not path.startswith("/api_v3"):
            return Response(404, {"Content-Type": "text/plain"}, b"Not found\n")
        segments = [s for s in path[len("/api_v3") :].split("/") if s and s != "index.php"]
        try:
            params = parse_request(
                request.headers.get("content-type"), request.body, request.query, segments
            )
        except ApiError as exc:
            return self._render(exc.to_wire(), None)
        service = (to_str(params.get("service")) or "").lower()
        action = (to_str(params.get("action")) or "").lower()
        decision = self.faults.transport_decision(f"{service}.{action}")
        if decision.drop:
            return Response(drop=True, delay=decision.delay)
        if decision.error_status:
            return self._http_error(decision.error_status, decision.delay)
        started = time.perf_counter()
        extra_headers: dict[str, str] = {}
        with self.state.lock:
            if service == "multirequest":
                result, file_result = self._multirequest(params, base_url, extra_headers)
            else:
                result, file_result = self._dispatch(params, base_url, None, extra_headers)
        elapsed = time.perf_counter() - started
        if decision.drop_after:
            # Applied (and logged), then the connection is cut before any byte of the answer.
            return Response(drop=True, delay=decision.delay)
        if file_result is not None:
            response = Response(
                200, {"Content-Type": file_result.content_type}, file_result.content
            )
        else:
            response = self._render(
                result, to_str(params.get("format")), elapsed, ignore_null=_ignore_null(params)
            )
        response.headers.update(extra_headers)
        response.delay = decision.delay
        return response

    def _http_error(self, status: int, delay: float) -> Response:
        body = f"<html><body><h1>{status} Service Unavailable</h1></body></html>".encode()
        return Response(status, {"Content-Type": "text/html"}, body, delay=delay)

    def _media(self, request: Request, base_url: str) -> MediaResponse:
        path = request.path
        header_ks = request.headers.get("x-kaltura-ks")
        range_header = request.headers.get("range")
        if "/playManifest/" in path:
            _before, after = path.split("/playManifest/", 1)
            return play_manifest(
                self.state, base_url, after, request.query, header_ks, range_header
            )
        _before, after = path.split("/serveFlavor/", 1)
        return serve_flavor(self.state, after, request.query, header_ks, range_header)

    def _render(
        self, result: Any, fmt: str | None, elapsed: float = 0.0, *, ignore_null: bool = False
    ) -> Response:
        headers = {"X-Me": "reach-sandbox", "X-Kaltura-Session": "0"}
        if isinstance(result, dict) and result.get("objectType") == "KalturaAPIException":
            headers["X-Kaltura"] = f"error-{result.get('code')}"
        if fmt == "1":
            body = json.dumps(
                _strip_nulls(result), ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8")
            headers["Content-Type"] = "application/json"
        else:
            body = _xml.render(result, elapsed, ignore_null=ignore_null)
            headers["Content-Type"] = "text/xml"
        return Response(200, headers, body)

    # --- dispatch ------------------------------------------------------------------------

    def _session(self, ks: str | None, service: str, action: str) -> KsSession | None:
        if not ks:
            return None
        state = self.state
        known = state.ks.lookup(ks)
        live_key = known is not None and known.kind == KIND_ACCESS_KEY and not known.killed
        if live_key and self.faults.take_expire(f"{service}.{action}"):
            state.ks.expire(ks, state.clock.now())
        return state.ks.validate(ks, state.clock.now())

    def _maybe_cancel(
        self, service: str, action: str, params: dict[str, Any], session: KsSession | None
    ) -> None:
        from ._services.reach import abort_task

        task_id: int | None = None
        if service == "reach_entryvendortask" and action in ("get", "updatejob", "extendaccesskey"):
            task_id = to_int(params.get("id"))
        elif session is not None and session.task_id is not None:
            task_id = session.task_id
        if task_id is None:
            return
        task = self.state.tasks.get(task_id)
        if task is None or task.deleted or task.status in (2, 5, 6, 7):
            return
        if self.faults.take_cancel(f"{service}.{action}"):
            abort_task(self.state, task, "Task was cancelled by the customer", force=True)

    def _dispatch(
        self, params: dict[str, Any], base_url: str, index: int | None, headers: dict[str, str]
    ) -> tuple[Any, FileResult | None]:
        service = (to_str(params.get("service")) or "").lower()
        action = (to_str(params.get("action")) or "").lower()
        ks = to_str(params.get("ks")) or None
        known = self.state.ks.lookup(ks) if ks else None
        settle_conversions(self.state)  # conversions whose time has come, before any read
        call = Call(
            state=self.state,
            params=params,
            service=service,
            action=action,
            ks=ks,
            session=None,
            kind=known.kind if known else ("invalid" if ks else KIND_NONE),
            base_url=base_url,
            options=self.options,
        )
        if known is not None and known.task_id is not None:
            call.task_id = known.task_id
        error: ApiError | None = None
        result: Any = None
        file_result: FileResult | None = None
        try:
            spec = REGISTRY.get((service, action))
            if spec is None:
                if service not in SERVICES:
                    raise ApiError("SERVICE_DOES_NOT_EXISTS", service)
                raise ApiError("ACTION_DOES_NOT_EXISTS", action, service)
            if ks:
                call.session = self._session(ks, service, action)
            elif spec.ks_required:
                raise ApiError("MISSING_KS")
            if call.kind not in spec.allow:
                raise call.forbid()
            self._maybe_cancel(service, action, params, call.session)
            result = spec.fn(call)
            if isinstance(result, FileResult):
                file_result = result
                result = None
        except ApiError as exc:
            error = exc
            result = exc.to_wire()
        headers.update(call.response_headers)
        self.state.request_log.append(
            RequestLogRecord(
                service=service,
                action=action,
                client_tag=to_str(params.get("clientTag")),
                ks_kind=call.kind,
                partner_id=known.partner_id if known else None,
                task_id=call.task_id,
                error_code=error.code if error else None,
                format=to_str(params.get("format")),
                multirequest_index=index,
                disable_entitlement=bool(
                    call.session is not None and call.session.has_privilege("disableentitlement")
                ),
            )
        )
        return result, file_result

    def _multirequest(
        self, params: dict[str, Any], base_url: str, headers: dict[str, str]
    ) -> tuple[Any, FileResult | None]:
        results: list[Any] = []
        for number, sub in enumerate(split_multirequest(params), start=1):
            resolved = substitute(sub, results)
            result, file_result = self._dispatch(resolved, base_url, number, headers)
            if file_result is not None:
                return None, file_result
            results.append(result)
        return results, None


def path_params(path: str) -> dict[str, str]:
    """``/k/v`` pairs of a path (helper for tests and tools)."""
    return dict(path_pairs([s for s in path.split("/") if s]))
