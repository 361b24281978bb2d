"""``download_media`` end to end on the sandbox, with both clients (MEDIA-1 to MEDIA-5).

Bytes on disk are compared with what the sandbox serves, fetched independently with plain
httpx (the SDK's own URL builder is only used to address them).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import m3u8
import pytest

from kaltura_reach_vendor import EntryVendorTask
from kaltura_reach_vendor.media import MediaDownload
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import MACHINE_CAPTIONS, Driver

HLS_TRANSLATION = 18202  # a task on the HLS entry 1_skilm10u


def _claimed(drive: Driver, catalog_item_id: int) -> EntryVendorTask:
    task = drive.task_for(catalog_item_id)
    drive("claim", task)
    return task


def _served_hls(sandbox: Sandbox, master_url: str, *, audio: bool = False) -> bytes:
    """The joined segments of the master's first variant, fetched one by one."""
    with httpx.Client(transport=sandbox.transport()) as http:
        master = m3u8.loads(http.get(master_url).text, uri=master_url)
        variant = master.playlists[0].absolute_uri
        if audio:
            head, _, name = variant.rpartition("/")
            variant = f"{head}/tracks/a1/{name}"
        playlist = m3u8.loads(http.get(variant).text, uri=variant)
        return b"".join(http.get(s.absolute_uri).content for s in playlist.segments)


def _served_file(sandbox: Sandbox, url: str) -> bytes:
    with httpx.Client(transport=sandbox.transport()) as http:
        return http.get(url).content


@pytest.mark.rule("MEDIA-5")
@pytest.mark.rule("MEDIA-4")
def test_an_hls_entry_is_downloaded_as_joined_segments(
    drive: Driver, sandbox: Sandbox, tmp_path: Path
) -> None:
    task = _claimed(drive, HLS_TRANSLATION)
    seen: list[int] = []
    result = drive(
        "download_media",
        task,
        tmp_path / "media.ts",
        progress=lambda done, total: seen.append(done),
    )
    assert isinstance(result, MediaDownload)
    assert (result.hls, result.container, result.audio_only) == (True, "ts", False)
    assert result.segments > 1 and result.resumes == 0 and not result.key_extended
    data = (tmp_path / "media.ts").read_bytes()
    assert len(data) == result.size and seen[-1] == result.size
    assert data[0] == 0x47  # MPEG-TS sync byte
    expected = _served_hls(sandbox, drive.client.media_url(task, result.flavor))
    assert hashlib.sha256(data).digest() == hashlib.sha256(expected).digest()


@pytest.mark.rule("MEDIA-5")
@pytest.mark.rule("MEDIA-3")
def test_audio_only_from_hls(drive: Driver, sandbox: Sandbox, tmp_path: Path) -> None:
    task = _claimed(drive, HLS_TRANSLATION)
    result = drive("download_media", task, tmp_path / "audio.ts", audio_only=True)
    assert result.audio_only and result.hls
    data = (tmp_path / "audio.ts").read_bytes()
    url = drive.client.media_url(task, result.flavor)
    expected = _served_hls(sandbox, url, audio=not result.flavor.is_audio_only)
    assert data == expected


@pytest.mark.rule("MEDIA-1")
def test_an_entry_without_hls_is_downloaded_as_one_file(
    drive: Driver, sandbox: Sandbox, tmp_path: Path
) -> None:
    task = _claimed(drive, MACHINE_CAPTIONS)
    result = drive("download_media", task, str(tmp_path / "media.mp4"))
    assert (result.hls, result.segments, result.container) == (False, 0, "mp4")
    data = (tmp_path / "media.mp4").read_bytes()
    assert data[4:8] == b"ftyp"
    assert data == _served_file(sandbox, drive.client.media_url(task, result.flavor, format="url"))


@pytest.mark.rule("KEY-2")
def test_an_expired_key_before_the_download_is_healed_once(
    drive: Driver, sandbox: Sandbox, tmp_path: Path
) -> None:
    task = _claimed(drive, HLS_TRANSLATION)
    sandbox.expire_access_key(int(task.id or 0))
    sandbox.clear_request_log()
    result = drive("download_media", task, tmp_path / "media.ts")
    assert result.size > 0
    extended = [r for r in sandbox.request_log if r.action.lower() == "extendaccesskey"]
    assert len(extended) == 1
