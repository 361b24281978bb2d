"""Limits a long-running worker needs: a total deadline per request, a maximum response size,
no redirects on API calls, ``Retry-After``, and sane session expiry (issue 8)."""

from __future__ import annotations

import asyncio
import email.utils
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import (
    AsyncReachClient,
    ConfigurationError,
    HTTPStatusError,
    ReachClient,
    ReachTimeoutError,
    ResponseTooLargeError,
    RetryPolicy,
)
from kaltura_reach_vendor._effects import drive_sync
from kaltura_reach_vendor.retry import parse_retry_after

from .conftest import ADMIN_SECRET, VENDOR_KS, VENDOR_PID, FakeKaltura, Runner

LIST = {"objectType": "KalturaEntryVendorTaskListResponse", "objects": [], "totalCount": 0}


# -- a hostile server over loopback: answers the first request, then drips ------------------
class DrippingServer:
    """Answers ``session.start`` at once; every later request on the connection gets its
    answer one byte every ``interval`` seconds (in the headers, or in the body)."""

    def __init__(self, *, drip_headers: bool, interval: float = 0.2) -> None:
        self.drip_headers = drip_headers
        self.interval = interval
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _read_request(self, conn: socket.socket) -> bool:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        while len(rest) < length:
            rest += conn.recv(65536)
        return True

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        body = f'"{VENDOR_KS}"'.encode()
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
        )
        try:
            first = True
            while not self.stop.is_set() and self._read_request(conn):
                if first:
                    conn.sendall(head + body)
                    first = False
                    continue
                slow = head + body if self.drip_headers else body
                if not self.drip_headers:
                    conn.sendall(head)
                for i in range(len(slow) * 4):  # far longer than any deadline here
                    if self.stop.is_set():
                        return
                    conn.sendall(slow[i % len(slow) : i % len(slow) + 1])
                    time.sleep(self.interval)
                return
        except OSError:
            return
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture(params=["headers", "body"])
def dripping(request: pytest.FixtureRequest) -> Iterator[DrippingServer]:
    server = DrippingServer(drip_headers=request.param == "headers")
    yield server
    server.close()


def _hostile_options(url: str) -> dict[str, Any]:
    return {
        "vendor_partner_id": VENDOR_PID,
        "vendor_name": "acme",
        "app_version": "1",
        "admin_secret": ADMIN_SECRET,
        "service_url": url,
        "timeout": 1.0,
        "retry": RetryPolicy(max_attempts=1),
    }


def test_a_dripping_server_cannot_hang_a_sync_caller(dripping: DrippingServer) -> None:
    with ReachClient(**_hostile_options(dripping.url)) as client:
        started = time.monotonic()
        # session.start is answered at once; getJobs then drips on the same connection.
        with pytest.raises(ReachTimeoutError, match="deadline"):
            client.get_jobs()
        assert time.monotonic() - started < 4.0


def test_a_dripping_server_cannot_hang_an_async_caller(dripping: DrippingServer) -> None:
    async def scenario() -> float:
        async with AsyncReachClient(**_hostile_options(dripping.url)) as client:
            started = time.monotonic()
            with pytest.raises(ReachTimeoutError, match="deadline"):
                await client.get_jobs()
            return time.monotonic() - started

    assert asyncio.run(scenario()) < 4.0


def test_deadline_settings_are_checked() -> None:
    base = _hostile_options("https://reach.test")
    with pytest.raises(ConfigurationError, match="deadline"):
        ReachClient(**{**base, "deadline": -1})
    with pytest.raises(ConfigurationError, match="max_response_bytes"):
        ReachClient(**{**base, "max_response_bytes": 0})
    client = ReachClient(**{**base, "timeout": httpx.Timeout(30.0, connect=5.0)})
    assert client._engine.config.deadline == 35.0  # connect + read
    client = ReachClient(**{**base, "deadline": None})
    assert client._engine.config.deadline is None


# -- response size ----------------------------------------------------------------------
class Endless:
    """A streamed body of ``total`` bytes; counts what the client pulled."""

    def __init__(self, total: int, chunk: int = 64 * 1024) -> None:
        self.total = total
        self.chunk = chunk
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        while self.sent < self.total:
            self.sent += self.chunk
            yield b" " * self.chunk

    async def chunks(self) -> Any:
        for part in self:
            yield part


@pytest.mark.parametrize("declared", [True, False])
def test_an_oversized_answer_is_refused_without_reading_it(
    runner: Runner, fake: FakeKaltura, declared: bool
) -> None:
    body = Endless(512 * 1024 * 1024)
    headers = {"content-length": str(body.total)} if declared else {}
    fake.routes["reach_entryvendortask.getjobs"] = lambda b, r: httpx.Response(
        200, headers=headers, content=body if runner.kind == "sync" else body.chunks()
    )
    client = runner.client(max_response_bytes=1024 * 1024)
    with pytest.raises(ResponseTooLargeError, match="1048576 byte limit"):
        runner.run(client, "get_jobs")
    assert body.sent <= 2 * 1024 * 1024  # stopped at the limit, not after 512 MB


# -- redirects --------------------------------------------------------------------------
def test_api_calls_never_follow_redirects_even_when_the_http_client_would(
    fake: FakeKaltura,
) -> None:
    fake.routes["session.start"] = lambda b, r: httpx.Response(
        307, headers={"location": "http://evil.example/api_v3/service/session/action/start"}
    )
    client = ReachClient(
        vendor_partner_id=VENDOR_PID,
        vendor_name="acme",
        app_version="1",
        admin_secret=ADMIN_SECRET,
        service_url="https://reach.test",
        http_client=httpx.Client(transport=fake.transport(), follow_redirects=True),
    )
    with pytest.raises(HTTPStatusError, match="redirect refused") as refused:
        client.get_jobs()
    assert refused.value.status_code == 307
    assert [r.url.host for r in fake.requests] == ["reach.test"]
    assert ADMIN_SECRET not in str(refused.value)


# -- Retry-After ------------------------------------------------------------------------
def _answers(*answers: Any) -> Callable[[dict[str, Any], httpx.Request], Any]:
    queue = list(answers)

    def route(body: dict[str, Any], request: httpx.Request) -> Any:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return route


def _sync_client(fake: FakeKaltura, **kwargs: Any) -> ReachClient:
    options: dict[str, Any] = {
        "vendor_partner_id": VENDOR_PID,
        "vendor_name": "acme",
        "app_version": "1",
        "admin_secret": ADMIN_SECRET,
        "service_url": "https://reach.test",
        "retry": RetryPolicy(backoff=0.5, jitter=0.0, max_retry_after=60.0),
        "http_client": httpx.Client(transport=fake.transport()),
    }
    options.update(kwargs)
    return ReachClient(**options)


def _sleeps_for(client: ReachClient, flow: Any) -> tuple[Any, list[float]]:
    slept: list[float] = []
    result = drive_sync(flow, client._http, sleep=slept.append)
    return result, slept


@pytest.mark.parametrize(
    ("status", "retry_after", "expected"),
    [
        (429, "3", 3.0),
        (503, "7", 7.0),
        (429, "100000", 60.0),  # capped
        (429, None, 0.5),  # no header: the usual back-off
        (502, "9", 0.5),  # Retry-After is read on 429 and 503 only
    ],
)
def test_retry_after_is_honoured_on_reads(
    fake: FakeKaltura, status: int, retry_after: str | None, expected: float
) -> None:
    headers = {"retry-after": retry_after} if retry_after else {}
    fake.routes["reach_entryvendortask.getjobs"] = _answers(
        httpx.Response(status, headers=headers, text="busy"), LIST
    )
    client = _sync_client(fake)
    flow = client._wf_call("reach_entryVendorTask", "getJobs", None, None, None, None, None, None)
    result, slept = _sleeps_for(client, flow)
    assert result == LIST
    assert slept == [expected]


def test_retry_after_as_an_http_date(fake: FakeKaltura) -> None:
    now = 1_900_000_000.0
    when = email.utils.formatdate(now + 12, usegmt=True)
    fake.routes["reach_entryvendortask.getjobs"] = _answers(
        httpx.Response(429, headers={"retry-after": when}), LIST
    )
    client = _sync_client(fake, clock=lambda: now)
    flow = client._wf_call("reach_entryVendorTask", "getJobs", None, None, None, None, None, None)
    assert _sleeps_for(client, flow)[1] == [12.0]


def test_a_write_is_not_repeated_after_429(fake: FakeKaltura) -> None:
    fake.routes["reach_entryvendortask.updatejob"] = _answers(
        httpx.Response(429, headers={"retry-after": "1"}), {"objectType": "KalturaEntryVendorTask"}
    )
    client = _sync_client(fake)
    flow = client._wf_call(
        "reach_entryVendorTask", "updateJob", {"id": 1}, None, 1, None, None, None
    )
    with pytest.raises(HTTPStatusError) as refused:
        _sleeps_for(client, flow)
    assert refused.value.status_code == 429
    assert fake.names().count("reach_entryVendorTask.updateJob") == 1


# -- session expiry ---------------------------------------------------------------------
@pytest.mark.rule("AUTH-4")
@pytest.mark.parametrize("reported", [0, -5, 1_000_000, 86_400, "", "soon", None])
def test_a_nonsense_session_expiry_does_not_start_a_session_per_call(
    runner: Runner, fake: FakeKaltura, reported: Any
) -> None:
    def start(body: dict[str, Any], request: httpx.Request) -> Any:
        fake.sessions_started += 1
        return {"objectType": "KalturaSessionInfo", "ks": VENDOR_KS, "expiry": reported}

    fake.routes["apptoken.startsession"] = start
    fake.routes["reach_entryvendortask.getjobs"] = LIST
    client = runner.client(clock=lambda: fake.now)
    for _ in range(10):
        runner.run(client, "get_jobs")
    assert fake.sessions_started == 1


@pytest.mark.rule("AUTH-4")
@pytest.mark.parametrize(
    ("privileges", "warned"),
    [("sessionid:1_x,apptoken:1_x", True), ("disableentitlement,apptoken:1_x", False)],
)
def test_a_vendor_session_without_disableentitlement_is_reported(
    fake: FakeKaltura, caplog: pytest.LogCaptureFixture, privileges: str, warned: bool
) -> None:
    fake.routes["apptoken.startsession"] = {
        "objectType": "KalturaSessionInfo",
        "ks": VENDOR_KS,
        "expiry": fake.now + 86_400,
        "privileges": privileges,
    }
    fake.routes["reach_entryvendortask.getjobs"] = LIST
    client = Runner("sync", fake).client(clock=lambda: fake.now)
    with caplog.at_level("WARNING", logger="kaltura_reach_vendor"):
        client.get_jobs()
    assert any("disableentitlement" in r.getMessage() for r in caplog.records) is warned


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("5", 5.0),
        ("Sat, 01 Mar 2030 00:00:10 GMT", 10.0),
        ("Sat, 01 Mar 2030 00:00:00 GMT", 0.0),  # now
        ("Fri, 28 Feb 2030 23:00:00 GMT", 0.0),  # in the past: come back at once
        ("Sat, 01 Mar 2030 00:00:10", None),  # no zone: not a valid HTTP date
        ("soon", None),
        ("-3", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    now = 1_898_553_600.0  # 2030-03-01 00:00:00 UTC
    assert parse_retry_after(header, now) == expected
