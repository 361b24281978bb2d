"""Download workflows on a scripted server: resume from the bytes on disk, heal the key
once (KEY-2), HLS segments joined in order with audio-only track selection (MEDIA-5)."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import EntryVendorTask, MediaDownloadError, RetryPolicy
from kaltura_reach_vendor._downloads import audio_tracks, download_file, download_hls
from kaltura_reach_vendor._effects import drive_async, drive_sync
from kaltura_reach_vendor._engine import ClientConfig, Engine
from kaltura_reach_vendor.session import AdminSecret

from .conftest import ADMIN_SECRET, VENDOR_KS, VENDOR_PID, v2_ks

KEY_1 = v2_ks(1001, "first-access-key")
KEY_2 = v2_ks(1001, "second-access-key")
BODY = hashlib.sha256(b"seed").digest() * 20_000  # 640 000 bytes
SEGMENTS = [f"seg{i:02d}".encode() * 500 for i in range(12)]
BASE = "https://reach.test"


class Media:
    """A scripted server: api_v3 for the session and extendAccessKey, media paths by key."""

    def __init__(
        self, *, drops: int = 0, expire_after: int | None = None, extend_works: bool = True
    ) -> None:
        self.valid = {KEY_1}
        self.extend_works = extend_works
        self.drops = drops  # media bodies cut in the middle, one per request
        self.expire_after = expire_after  # KEY_1 dies after this many media requests
        self.media_requests: list[httpx.Request] = []
        self.extended = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.startswith("/api_v3/"):
            if "extendAccessKey" in path:
                self.extended += 1
                if self.extend_works:
                    self.valid.add(KEY_2)
                return httpx.Response(
                    200,
                    json={"objectType": "KalturaEntryVendorTask", "id": 7, "accessKey": KEY_2},
                )
            return httpx.Response(200, json=VENDOR_KS)
        self.media_requests.append(request)
        if self.expire_after is not None and len(self.media_requests) > self.expire_after:
            self.valid.discard(KEY_1)
        key = path.split("/ks/")[1].split("/")[0]
        if key not in self.valid:
            return httpx.Response(403, text="<html>403 Forbidden</html>")
        if path.endswith("/a.mp4"):
            return self._file(request)
        if path.endswith("/a.m3u8"):
            variant = f"{BASE}/hls/serveFlavor/flavorId/0_f/ks/{key}/name/a.mp4/index.m3u8"
            text = f"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n{variant}\n"
            return httpx.Response(200, text=text)
        if path.endswith("index.m3u8"):
            lines = ["#EXTM3U", "#EXT-X-TARGETDURATION:4", "#EXT-X-MEDIA-SEQUENCE:1"]
            for i in range(len(SEGMENTS)):
                lines += ["#EXTINF:4.000,", f"seg-{i}.ts"]
            return httpx.Response(200, text="\n".join([*lines, "#EXT-X-ENDLIST", ""]))
        index = int(path.rsplit("seg-", 1)[1].removesuffix(".ts"))
        if self.drops and index == 5:
            self.drops -= 1
            raise httpx.ReadError("connection reset", request=request)
        return httpx.Response(200, content=SEGMENTS[index])

    def _file(self, request: httpx.Request) -> httpx.Response:
        start = int(request.headers.get("range", "bytes=0-")[6:].rstrip("-") or 0)
        part = BODY[start:]
        status = 206 if start else 200
        headers = {"content-length": str(len(part))}
        if self.drops:
            self.drops -= 1
            return httpx.Response(status, headers=headers, stream=_Cut(part, 100_000))
        return httpx.Response(status, headers=headers, content=part)


class _Cut(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, data: bytes, cut: int) -> None:
        self.data, self.cut = data, cut

    def __iter__(self) -> Any:
        yield self.data[: self.cut]
        raise httpx.ReadError("connection reset")

    async def __aiter__(self) -> Any:
        yield self.data[: self.cut]
        raise httpx.ReadError("connection reset")


def _engine() -> Engine:
    config = ClientConfig(
        service_url=BASE,
        vendor_partner_id=VENDOR_PID,
        vendor_name="acme",
        app_version="1",
        credentials=AdminSecret(ADMIN_SECRET),
        retry=RetryPolicy(backoff=0.0, jitter=0.0),
    )
    return Engine(config)


def _task() -> EntryVendorTask:
    return EntryVendorTask(id=7, entry_id="0_e", access_key=KEY_1)


def _file_url(task: EntryVendorTask) -> str:
    return f"{BASE}/p/1001/playManifest/flavorIds/0_f/ks/{task.access_key}/a.mp4"


def _master_url(task: EntryVendorTask) -> str:
    return f"{BASE}/p/1001/playManifest/format/applehttp/ks/{task.access_key}/a.m3u8"


def _run(kind: str, flow: Any, server: Media) -> Any:
    transport = httpx.MockTransport(server.handle)
    if kind == "sync":
        with httpx.Client(transport=transport) as http:
            return drive_sync(flow, http, sleep=lambda s: None)

    async def main() -> Any:
        async def no_sleep(seconds: float) -> None:
            return None

        async with httpx.AsyncClient(transport=transport) as http:
            return await drive_async(flow, http, sleep=no_sleep)

    return asyncio.run(main())


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.rule("MEDIA-4")
def test_a_dropped_file_download_resumes_from_the_bytes_on_disk(kind: str, tmp_path: Path) -> None:
    server = Media(drops=2)
    path = tmp_path / "media.mp4"
    outcome = _run(kind, download_file(_engine(), _task(), str(path), _file_url), server)
    assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(BODY).digest()
    assert (outcome.size, outcome.resumes, outcome.healed) == (len(BODY), 2, False)
    ranges = [r.headers.get("range") for r in server.media_requests]
    assert ranges == [None, "bytes=100000-", "bytes=200000-"]  # nothing fetched twice


@pytest.mark.rule("KEY-2")
def test_an_expired_key_mid_download_is_extended_once(kind: str, tmp_path: Path) -> None:
    server = Media(drops=1, expire_after=1)
    task = _task()
    path = tmp_path / "media.mp4"
    outcome = _run(kind, download_file(_engine(), task, str(path), _file_url), server)
    assert path.read_bytes() == BODY
    assert outcome.healed and server.extended == 1 and task.access_key == KEY_2
    keys = [r.url.path.split("/ks/")[1].split("/")[0] for r in server.media_requests]
    assert keys == [KEY_1, KEY_1, KEY_2]


def test_a_refused_download_is_a_typed_error_after_one_extension(kind: str, tmp_path: Path) -> None:
    server = Media(expire_after=0, extend_works=False)  # not even a fresh key works
    with pytest.raises(MediaDownloadError, match="HTTP 403") as failed:
        _run(kind, download_file(_engine(), _task(), str(tmp_path / "m"), _file_url), server)
    assert failed.value.status_code == 403
    assert server.extended == 1
    assert KEY_1 not in str(failed.value)


@pytest.mark.rule("MEDIA-5")
def test_hls_segments_are_joined_in_order_and_resume_after_a_drop(
    kind: str, tmp_path: Path
) -> None:
    server = Media(drops=1)
    path = tmp_path / "media.ts"
    flow = download_hls(_engine(), _task(), str(path), _master_url)
    outcome = _run(kind, flow, server)
    assert path.read_bytes() == b"".join(SEGMENTS)
    assert (outcome.segments, outcome.resumes) == (len(SEGMENTS), 1)
    fetched = [r.url.path.rsplit("/", 1)[1] for r in server.media_requests if ".ts" in r.url.path]
    # Segments before the drop are not fetched again.
    assert all(fetched.count(f"seg-{i}.ts") == 1 for i in range(5))


@pytest.mark.rule("MEDIA-5")
def test_audio_only_selects_the_audio_track_of_the_packager() -> None:
    uri = "https://h/hls/p/1/serveFlavor/entryId/0_e/flavorId/0_f/ks/K/name/a.mp4/index.m3u8"
    assert audio_tracks(uri).endswith("/name/a.mp4/tracks/a1/index.m3u8")
    assert audio_tracks(audio_tracks(uri)) == audio_tracks(uri)


def test_hls_audio_only_requests_the_audio_track(kind: str, tmp_path: Path) -> None:
    server = Media()
    flow = download_hls(_engine(), _task(), str(tmp_path / "a.ts"), _master_url, audio_only=True)
    _run(kind, flow, server)
    variant = [r.url.path for r in server.media_requests if r.url.path.endswith("index.m3u8")]
    assert variant and all("/tracks/a1/" in p for p in variant)
