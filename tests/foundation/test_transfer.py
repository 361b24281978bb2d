"""The drivers' part of media transfer: bodies streamed to disk, segments appended in order.

Each effect is run through both drivers with a tiny workflow that yields it once.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor._effects import drive_async, drive_sync
from kaltura_reach_vendor._transfer import (
    Download,
    DownloadResult,
    FetchSegments,
    SegmentsResult,
)

BODY = bytes(range(256)) * 4096  # 1 MiB, every offset distinguishable


def _run(kind: str, effect: Any, handler: Any) -> Any:
    def flow() -> Any:
        return (yield effect)

    transport = httpx.MockTransport(handler)
    if kind == "sync":
        with httpx.Client(transport=transport) as http:
            return drive_sync(flow(), http)

    async def main() -> Any:
        async with httpx.AsyncClient(transport=transport) as http:
            return await drive_async(flow(), http)

    return asyncio.run(main())


class Stream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body sent in 64 KiB chunks that may break after ``cut`` bytes."""

    def __init__(self, data: bytes, cut: int | None = None) -> None:
        self.data = data
        self.cut = cut

    def _parts(self) -> Iterator[bytes]:
        for start in range(0, len(self.data), 65536):
            if self.cut is not None and start >= self.cut:
                raise httpx.ReadError("connection reset")
            yield self.data[start : start + 65536]

    def __iter__(self) -> Iterator[bytes]:
        yield from self._parts()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self._parts():
            yield part


def _ranged(cut: int | None = None, ignore_range: bool = False) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        header = request.headers.get("range", "")
        if header and not ignore_range:
            start = int(header.removeprefix("bytes=").rstrip("-"))
            part = BODY[start:]
            headers = {
                "content-length": str(len(part)),
                "content-range": f"bytes {start}-{len(BODY) - 1}/{len(BODY)}",
            }
            return httpx.Response(206, headers=headers, stream=Stream(part, cut))
        headers = {"content-length": str(len(BODY))}
        return httpx.Response(200, headers=headers, stream=Stream(BODY, cut))

    return handler


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_body_is_streamed_to_the_file(kind: str, tmp_path: Path) -> None:
    path = str(tmp_path / "media.mp4")
    seen: list[tuple[int, int | None]] = []
    effect = Download(
        httpx.Request("GET", "https://cdn.test/a.mp4"),
        path,
        progress=lambda done, total: seen.append((done, total)),
    )
    result: DownloadResult = _run(kind, effect, _ranged())
    assert (result.status, result.size, result.complete) == (200, len(BODY), True)
    assert Path(path).read_bytes() == BODY
    assert seen[-1] == (len(BODY), len(BODY))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_dropped_body_reports_what_reached_the_file_and_a_range_resumes_it(
    kind: str, tmp_path: Path
) -> None:
    path = str(tmp_path / "media.mp4")
    request = httpx.Request("GET", "https://cdn.test/a.mp4")
    first: DownloadResult = _run(kind, Download(request, path), _ranged(cut=300_000))
    assert not first.complete and first.error is not None
    assert 0 < first.size == Path(path).stat().st_size < len(BODY)
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.headers.get("range", ""))
        return _ranged()(request)

    resume = httpx.Request(
        "GET", "https://cdn.test/a.mp4", headers={"range": f"bytes={first.size}-"}
    )
    second: DownloadResult = _run(kind, Download(resume, path, offset=first.size), handler)
    assert (second.status, second.complete, second.size) == (206, True, len(BODY))
    assert asked == [f"bytes={first.size}-"]
    assert hashlib.sha256(Path(path).read_bytes()).digest() == hashlib.sha256(BODY).digest()


def test_a_server_that_ignores_the_range_rewrites_from_the_start(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "media.mp4"
    path.write_bytes(b"torn" * 1000)
    resume = httpx.Request("GET", "https://cdn.test/a.mp4", headers={"range": "bytes=4000-"})
    result: DownloadResult = _run(
        kind, Download(resume, str(path), offset=4000), _ranged(ignore_range=True)
    )
    assert (result.status, result.complete) == (200, True)
    assert path.read_bytes() == BODY


def test_an_error_answer_writes_nothing(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "media.mp4"
    path.write_bytes(b"kept")
    effect = Download(httpx.Request("GET", "https://cdn.test/a.mp4"), str(path), offset=4)
    result: DownloadResult = _run(
        kind, effect, lambda r: httpx.Response(403, text="<html>forbidden</html>")
    )
    assert (result.status, result.size, result.complete) == (403, 4, False)
    assert result.error_body == b"<html>forbidden</html>"
    assert path.read_bytes() == b"kept"


def test_no_answer_at_all_is_reported_not_raised(kind: str, tmp_path: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    effect = Download(httpx.Request("GET", "https://cdn.test/a.mp4"), str(tmp_path / "m"))
    result: DownloadResult = _run(kind, effect, refuse)
    assert result.status == 0 and isinstance(result.error, httpx.ConnectError)


# -- HLS segments -----------------------------------------------------------------------------
def _segments(count: int) -> list[bytes]:
    return [f"segment-{i:03d};".encode() * (100 + i) for i in range(count)]


def test_segments_are_appended_in_order_with_a_bounded_window(kind: str, tmp_path: Path) -> None:
    parts = _segments(24)
    in_flight = 0
    most = 0
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        index = int(request.url.path.rsplit("-", 1)[1].removesuffix(".ts"))
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        try:
            return httpx.Response(200, content=parts[index])
        finally:
            with lock:
                in_flight -= 1

    requests = [httpx.Request("GET", f"https://cdn.test/seg-{i}.ts") for i in range(24)]
    path = tmp_path / "media.ts"
    result: SegmentsResult = _run(
        kind, FetchSegments(requests, str(path), 0, concurrency=4), handler
    )
    assert (result.done, result.size, result.status, result.error) == (
        24,
        sum(map(len, parts)),
        None,
        None,
    )
    assert path.read_bytes() == b"".join(parts)
    assert most <= 4


def test_a_failing_segment_stops_the_run_after_the_ones_before_it(
    kind: str, tmp_path: Path
) -> None:
    parts = _segments(10)

    def handler(request: httpx.Request) -> httpx.Response:
        index = int(request.url.path.rsplit("-", 1)[1].removesuffix(".ts"))
        if index == 6:
            return httpx.Response(403)
        return httpx.Response(200, content=parts[index])

    requests = [httpx.Request("GET", f"https://cdn.test/seg-{i}.ts") for i in range(10)]
    path = tmp_path / "media.ts"
    path.write_bytes(b"head")
    result: SegmentsResult = _run(
        kind, FetchSegments(requests, str(path), 4, concurrency=3), handler
    )
    assert (result.done, result.status) == (6, 403)
    assert path.read_bytes() == b"head" + b"".join(parts[:6])
    assert result.size == path.stat().st_size
