"""Downloads that survive faults, end to end on the sandbox's ``media`` scenario.

A connection cut mid-body resumes from the bytes on disk (checked by checksum and by the
``Range`` headers the server saw: nothing is fetched twice); an access key that expires
mid-download is extended once and the download goes on (KEY-2). Both clients, in process
and over loopback HTTP; entries with HLS, without (MEDIA-1), and with "Undefined" flavors
(INPUT-2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import EntryVendorTask
from kaltura_reach_vendor.sandbox import MEDIA_TASKS, Sandbox

from .conftest import Driver

BIG = 3_000_000


class RangeSpy:
    """In front of the sandbox: records the Range header of each media request."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.inner = sandbox.transport()
        self.ranges: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if "/api_v3/" not in request.url.path and not request.url.path.endswith(".m3u8"):
            self.ranges.append(request.headers.get("range"))
        return self.inner.handle_request(request)


@pytest.fixture
def media() -> Iterator[Sandbox]:
    with Sandbox("media", seed=2) as box:
        yield box


@pytest.fixture(params=["sync", "async"])
def spied(request: pytest.FixtureRequest, media: Sandbox) -> Iterator[tuple[Driver, RangeSpy]]:
    spy = RangeSpy(media)
    driver = Driver(request.param, media, transport=httpx.MockTransport(spy))
    yield driver, spy
    driver.close()


def _claim(drive: Driver, task_id: int) -> EntryVendorTask:
    task = drive("get_task", task_id)
    drive("claim", task)
    return task


def _big_task(drive: Driver, sandbox: Sandbox, *, hls: bool) -> EntryVendorTask:
    entry = sandbox.customer.add_entry(1001, "big lecture", hls=hls, flavor_bytes=BIG)
    added = sandbox.customer.add_task(entry, 30002)  # machine captions
    return _claim(drive, int(added["id"]))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _extensions(sandbox: Sandbox) -> int:
    return sum(1 for r in sandbox.request_log if r.action.lower() == "extendaccesskey")


@pytest.mark.rule("MEDIA-1")
def test_a_cut_file_download_resumes_from_the_bytes_on_disk(
    spied: tuple[Driver, RangeSpy], media: Sandbox, tmp_path: Path
) -> None:
    drive, spy = spied
    task = _big_task(drive, media, hls=False)
    media.faults.drop_media_after_bytes(1_000_000)
    result = drive("download_media", task, tmp_path / "big.mp4")
    assert (result.hls, result.resumes, result.size) == (False, 1, BIG)
    assert _sha(tmp_path / "big.mp4") == media.expected_sha256(result.flavor.id)
    assert spy.ranges[0] is None
    assert spy.ranges[1] is not None and spy.ranges[1].startswith("bytes=")
    resumed_at = int(spy.ranges[1].removeprefix("bytes=").rstrip("-"))
    assert resumed_at >= 1_000_000  # nothing already on disk was fetched again


@pytest.mark.rule("KEY-2")
def test_a_key_expiring_mid_download_is_extended_once(
    spied: tuple[Driver, RangeSpy], media: Sandbox, tmp_path: Path
) -> None:
    drive, spy = spied
    task = _big_task(drive, media, hls=False)
    first_key = task.access_key
    media.faults.drop_media_after_bytes(800_000)
    expired: list[int] = []

    def progress(done: int, total: int | None) -> None:
        if done >= 500_000 and not expired:  # the key dies while the body is arriving
            media.expire_access_key(int(task.id or 0))
            expired.append(done)

    result = drive("download_media", task, tmp_path / "big.mp4", progress=progress)
    assert result.key_extended and task.access_key != first_key
    assert _extensions(media) == 1
    assert _sha(tmp_path / "big.mp4") == media.expected_sha256(result.flavor.id)
    assert [r for r in spy.ranges if r is not None] and spy.ranges.count(None) == 1


@pytest.mark.rule("MEDIA-5")
def test_a_cut_hls_segment_resumes_at_the_first_missing_segment(
    spied: tuple[Driver, RangeSpy], media: Sandbox, tmp_path: Path
) -> None:
    drive, _spy = spied
    task = _claim(drive, MEDIA_TASKS["hls"])
    media.faults.drop_media_after_bytes(100)
    result = drive("download_media", task, tmp_path / "media.ts")
    assert result.hls and result.resumes == 1
    expected = b"".join(media.hls_segments(result.flavor.id))
    assert (tmp_path / "media.ts").read_bytes() == expected


@pytest.mark.rule("INPUT-2")
@pytest.mark.rule("MEDIA-3")
@pytest.mark.parametrize("audio_only", [False, True])
def test_undefined_language_flavors_are_downloaded(
    spied: tuple[Driver, RangeSpy], media: Sandbox, tmp_path: Path, audio_only: bool
) -> None:
    drive, _spy = spied
    task = _claim(drive, MEDIA_TASKS["undefined_language"])
    result = drive("download_media", task, tmp_path / "m", audio_only=audio_only)
    assert result.flavor.language == "Undefined"
    assert result.flavor.is_audio_only is audio_only
    tracks = "a1" if audio_only and not result.flavor.is_audio_only else "v1-a1"
    expected = b"".join(media.hls_segments(result.flavor.id, tracks=tracks))
    assert (tmp_path / "m").read_bytes() == expected


@pytest.mark.rule("MEDIA-1")
@pytest.mark.parametrize("audio_only", [False, True])
def test_no_hls_falls_back_to_the_direct_file(
    spied: tuple[Driver, RangeSpy], media: Sandbox, tmp_path: Path, audio_only: bool
) -> None:
    drive, _spy = spied
    task = _claim(drive, MEDIA_TASKS["no_hls"])
    result = drive("download_media", task, tmp_path / "m.mp4", audio_only=audio_only)
    assert not result.hls and result.flavor.is_audio_only is audio_only
    assert _sha(tmp_path / "m.mp4") == media.expected_sha256(result.flavor.id)


@pytest.mark.rule("MEDIA-2")
def test_the_profile_flavor_list_wins(
    spied: tuple[Driver, RangeSpy], media: Sandbox, tmp_path: Path
) -> None:
    drive, _spy = spied
    task = _claim(drive, MEDIA_TASKS["profile_flavors"])
    result = drive("download_media", task, tmp_path / "m", audio_only=True)
    assert result.flavor.flavor_params_id == 3  # listed 1,3,5: 3 is the first it has


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_over_loopback_http_with_a_cut(media: Sandbox, tmp_path: Path, kind: str) -> None:
    drive = Driver(kind, media, over_http=True)
    try:
        task = _big_task(drive, media, hls=False)
        media.faults.drop_media_after_bytes(1_500_000)
        result: Any = drive("download_media", task, tmp_path / "big.mp4")
        assert result.resumes == 1
        assert _sha(tmp_path / "big.mp4") == media.expected_sha256(result.flavor.id)
    finally:
        drive.close()
