"""Media download workflows (MEDIA-4, MEDIA-5, KEY-2), written once, without I/O.

Every decision lives here; the drivers only move bytes (:mod:`._transfer`):

* a direct (progressive) file is streamed into the destination; a connection that drops
  mid-body is resumed with ``Range: bytes=<bytes on disk>-`` instead of starting over, a
  few times, with back-off;
* HLS: the master playlist names the flavor's variant, its media playlist the segments;
  segments are fetched with a small window in flight and appended in order, and a failed
  run resumes at the first segment not yet on disk;
* a media URL refused with 401/403 means the access key in its path expired: the key is
  extended once (KEY-2) and the URLs built again with the fresh key.

URLs are built by the caller (``url_for(task)``) from the task's *current* key, so a healed
key reaches every later request.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
from typing import Any

import attrs
import httpx
import m3u8

from ._effects import Sleep
from ._engine import Engine
from ._media_flows import media_url, playback_context
from ._tasks import extend_access_key
from ._transfer import Download, DownloadResult, FetchSegments, Progress, SegmentsResult
from .errors import MediaDownloadError
from .media import MediaDownload
from .models import EntryVendorTask

__all__ = [
    "HLS_WINDOW",
    "MAX_RESUMES",
    "FileOutcome",
    "download_file",
    "download_hls",
    "download_media",
]

#: Resumes of one download after dropped connections or 5xx answers, before giving up.
MAX_RESUMES = 5
#: HLS segments in flight at once: enough that latency does not dominate, few enough to be
#: polite and to bound memory (each waits for its turn in memory).
HLS_WINDOW = 6
#: Statuses a packager or CDN gives a URL whose KS is expired or foreign.
_KEY_REFUSED = frozenset({401, 403})

Flow = Generator[Any, Any, Any]
UrlFor = Callable[[EntryVendorTask], str]


@attrs.frozen
class FileOutcome:
    """What a download workflow wrote."""

    size: int
    #: Times a dropped connection (or 5xx) was resumed.
    resumes: int
    #: HLS segments joined (0 for a direct file).
    segments: int = 0
    #: The access key was extended during the download (KEY-2).
    healed: bool = False


def _failed(what: str, status: int, error: Exception | None, body: bytes = b"") -> Exception:
    detail = f"HTTP {status}" if status else f"{type(error).__name__}: {error}"
    if body:
        detail += f": {body[:200].decode('utf-8', 'replace')!r}"
    return MediaDownloadError(f"{what} failed: {detail}", status_code=status or None)


class _Attempts:
    """The budget of one download: one key extension, ``MAX_RESUMES`` resumes."""

    def __init__(self, engine: Engine, task: EntryVendorTask) -> None:
        self.engine = engine
        self.task = task
        self.resumes = 0
        self.healed = False

    def heal(self, status: int) -> Flow:
        """True (after extending the key) when ``status`` says the key was refused."""
        if status not in _KEY_REFUSED or self.healed:
            return False
        yield from extend_access_key(self.engine, self.task)
        self.healed = True
        return True

    def resume(self, status: int, error: Exception | None) -> Flow:
        """True (after a back-off) when the failure is worth another try."""
        if (error is None and status < 500) or self.resumes >= MAX_RESUMES:
            return False
        self.resumes += 1
        yield Sleep(self.engine.config.retry.delay(self.resumes, self.engine.rng))
        return True


def download_file(
    engine: Engine,
    task: EntryVendorTask,
    path: str,
    url_for: UrlFor,
    progress: Progress | None = None,
) -> Generator[Any, Any, FileOutcome]:
    """A progressive file into ``path``, resumed from the bytes on disk after a drop."""
    attempts = _Attempts(engine, task)
    offset = 0
    while True:
        headers = {"range": f"bytes={offset}-"} if offset else {}
        request = httpx.Request("GET", url_for(task), headers=headers)
        result: DownloadResult = yield Download(request, path, offset, progress)
        if result.complete:
            return FileOutcome(result.size, attempts.resumes, healed=attempts.healed)
        offset = result.size if result.status in (200, 206) else offset
        if (yield from attempts.heal(result.status)):
            continue
        if not (yield from attempts.resume(result.status, result.error)):
            raise _failed("media download", result.status, result.error, result.error_body)


def _get_playlist(engine: Engine, url: str, what: str) -> Generator[Any, Any, tuple[int, str]]:
    result = yield from engine.fetch(url, "media", what)
    return result.status, result.content.decode("utf-8", "replace")


def audio_tracks(uri: str) -> str:
    """The packager URL of the audio track only (nginx-vod-module ``tracks/a1``, MEDIA-5)."""
    head, _, name = uri.rpartition("/")
    if "/tracks/" in head:
        return uri
    return f"{head}/tracks/a1/{name}"


def _segment_uris(
    engine: Engine, attempts: _Attempts, master_for: UrlFor, audio_only: bool
) -> Generator[Any, Any, list[str]]:
    """The segment URLs, through the master and the variant's media playlist."""
    while True:
        master = master_for(attempts.task)
        status, text = yield from _get_playlist(engine, master, "playManifest")
        if status == 200:
            playlist = m3u8.loads(text, uri=master)
            if playlist.is_variant:
                if not playlist.playlists:
                    raise MediaDownloadError("the HLS master playlist names no variant")
                variant = playlist.playlists[0].absolute_uri
                variant = audio_tracks(variant) if audio_only else variant
                status, text = yield from _get_playlist(engine, variant, "serveFlavor")
                playlist = m3u8.loads(text, uri=variant)
            if status == 200:
                uris = [segment.absolute_uri for segment in playlist.segments]
                if not uris:
                    raise MediaDownloadError("the HLS media playlist lists no segment")
                return uris
        if not (yield from attempts.heal(status)):
            raise _failed("HLS playlist", status, None, text.encode()[:200])


def download_hls(
    engine: Engine,
    task: EntryVendorTask,
    path: str,
    master_for: UrlFor,
    *,
    audio_only: bool = False,
    progress: Progress | None = None,
) -> Generator[Any, Any, FileOutcome]:
    """Every segment of the flavor's HLS rendition, joined in order into ``path``."""
    attempts = _Attempts(engine, task)
    done = offset = 0
    while True:
        uris = yield from _segment_uris(engine, attempts, master_for, audio_only)
        requests = [httpx.Request("GET", uri) for uri in uris[done:]]
        result: SegmentsResult = yield FetchSegments(requests, path, offset, HLS_WINDOW, progress)
        done += result.done
        offset = result.size
        if done >= len(uris):
            return FileOutcome(offset, attempts.resumes, done, attempts.healed)
        status = result.status or 0
        if (yield from attempts.heal(status)):
            continue
        if not (yield from attempts.resume(status, result.error)):
            raise _failed(f"HLS segment {done + 1} of {len(uris)}", status, result.error)


def download_media(
    engine: Engine,
    task: EntryVendorTask,
    dest: str | os.PathLike[str],
    *,
    audio_only: bool | None = None,
    progress: Progress | None = None,
) -> Generator[Any, Any, MediaDownload]:
    """The task's media into ``dest``, streamed to disk in constant memory.

    The playback context gives the flavors and sources (MEDIA-1: HLS first, direct HTTP as
    the fallback); the flavor is the profile's first listed ``flavorParamsIds`` the entry
    has (MEDIA-2), else the source or largest video (or, with ``audio_only``, an audio-only
    flavor when there is one, MEDIA-3); its playManifest URL names only that flavor and
    carries the access key (MEDIA-4). HLS segments are fetched a few at a time and joined
    (MEDIA-5; with ``audio_only`` and a video flavor, the packager's audio track). A drop
    resumes from the bytes on disk; an expired key is extended once (KEY-2).
    ``progress(done_bytes, total_bytes_or_None)`` is called as bytes arrive.
    """
    audio_only = bool(audio_only)  # None: the flavor's own tracks (video when it has video)
    plan = yield from playback_context(engine, task)
    source = plan.require_source()
    profile = task.reach_profile
    wanted = profile.flavor_params_ids if profile is not None else None
    flavor = plan.choose_flavor(flavor_params_ids=wanted, prefer="audio" if audio_only else "video")
    path = os.fspath(dest)
    if source.is_hls:
        tracks = audio_only and not flavor.is_audio_only
        outcome = yield from download_hls(
            engine,
            task,
            path,
            lambda t: media_url(engine, t, flavor, format="applehttp"),
            audio_only=tracks,
            progress=progress,
        )
        container = "ts"
    else:
        outcome = yield from download_file(
            engine, task, path, lambda t: media_url(engine, t, flavor, format="url"), progress
        )
        container = flavor.file_ext or flavor.container or "mp4"
    return MediaDownload(
        path=path,
        flavor=flavor,
        size=outcome.size,
        container=container,
        audio_only=flavor.is_audio_only or (audio_only and source.is_hls),
        hls=source.is_hls,
        segments=outcome.segments,
        resumes=outcome.resumes,
        key_extended=outcome.healed,
    )
