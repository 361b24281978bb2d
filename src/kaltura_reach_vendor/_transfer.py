"""Effects that move large bodies to disk, and how each driver performs them.

Media downloads never pass through memory whole: the driver streams the body into a file
with a fixed buffer and reports what it wrote. Every decision (which URL, which range, when
to resume, when to give up, when to heal an expired access key) stays in the workflow
(:mod:`kaltura_reach_vendor._downloads`); the drivers below only move bytes.

* :class:`Download`: one GET streamed into a file. A ``206 Partial Content`` answer is
  written at ``offset``; a ``200`` answer (a server that ignored the ``Range``) is written
  from byte 0, truncating; any other status writes nothing. A connection that drops
  mid-body is not an exception: the result says how many bytes reached the file, so the
  workflow can resume from there.
* :class:`ReadChunk` / :class:`FileSize`: what a resumable upload needs from the disk, one
  bounded chunk at a time.
* :class:`ProbeAudio`: the audio facts of a file to upload (DUB-3), read from its headers.
* :class:`FetchSegments`: HLS segments fetched with at most ``concurrency`` in flight and
  appended to a file strictly in order (each segment is small and held until its turn).
  The result says how many segments were appended before the first failure.
"""

from __future__ import annotations

import asyncio
import os
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO

import attrs
import httpx

from .audio import AudioFacts, AudioSource, read_audio_facts
from .errors import ReachError

__all__ = [
    "Download",
    "DownloadResult",
    "FetchSegments",
    "FileSize",
    "ProbeAudio",
    "ReadChunk",
    "SegmentsResult",
    "download_async",
    "download_sync",
    "file_size",
    "probe_audio",
    "read_chunk",
    "segments_async",
    "segments_sync",
]

#: Chunks are written as they come off the socket (httpcore reads at most 64 KiB at a
#: time): re-chunking would hold bytes back that a dropped connection would then lose.
#: How much of an error body is kept (a small HTML or JSON error, for the message).
_ERROR_BODY = 4096

#: Called with (bytes in the file, expected total or None) as chunks arrive.
Progress = Callable[[int, int | None], None]


@attrs.frozen
class Download:
    """Stream ``request`` into ``path`` (see the module docstring)."""

    request: httpx.Request
    path: str
    offset: int = 0
    progress: Progress | None = None


@attrs.frozen
class DownloadResult:
    #: The HTTP status; 0 when no answer came at all (see ``error``).
    status: int
    headers: httpx.Headers
    #: Bytes in the file after this exchange (from byte 0).
    size: int
    #: The whole body arrived (as long as the server said, or to the end of the stream).
    complete: bool
    #: What broke the body mid-way (an httpx transport error), if anything did.
    error: Exception | None = None
    #: The start of the body of an error answer (not written to the file).
    error_body: bytes = b""


@attrs.frozen
class FetchSegments:
    """Fetch ``requests`` (in order) and append each body to ``path`` from ``offset``."""

    requests: Sequence[httpx.Request]
    path: str
    offset: int
    concurrency: int = 4
    progress: Progress | None = None


@attrs.frozen
class SegmentsResult:
    #: Segments appended, in order, before the first failure (all of them on success).
    done: int
    #: Bytes in the file after the last appended segment.
    size: int
    #: The status of the first segment that failed (None for a transport error or success).
    status: int | None = None
    error: Exception | None = None


def _open_at(path: str, offset: int) -> IO[bytes]:
    """The file, positioned at ``offset`` and cut there (a resume overwrites a torn tail)."""
    exists = os.path.exists(path)
    handle = open(path, "r+b" if exists and offset > 0 else "wb")  # noqa: SIM115
    handle.seek(offset)
    handle.truncate()
    return handle


def _expected_end(response: httpx.Response, start: int) -> int | None:
    length = response.headers.get("content-length", "")
    return start + int(length) if length.isdigit() else None


def _start_for(status: int, offset: int) -> int | None:
    """Where a body is written: 206 at the offset asked for, 200 from the start."""
    if status == 206:
        return offset
    if status == 200:
        return 0
    return None


class _Sink:
    """Where one download's body goes: the shared part of both drivers' download loops."""

    def __init__(self, effect: Download, response: httpx.Response) -> None:
        self.effect = effect
        self.response = response
        self.start = _start_for(response.status_code, effect.offset)
        self.size = effect.offset if self.start is None else self.start
        self.end = None if self.start is None else _expected_end(response, self.start)
        self.handle = None if self.start is None else _open_at(effect.path, self.start)
        self.error_body = b""

    def write(self, chunk: bytes) -> bool:
        """Take a chunk; False once an error body is long enough to stop reading."""
        if self.handle is None:
            self.error_body += chunk
            return len(self.error_body) < _ERROR_BODY
        self.handle.write(chunk)
        self.size += len(chunk)
        if self.effect.progress is not None:
            self.effect.progress(self.size, self.end)
        return True

    def result(self, error: Exception | None = None) -> DownloadResult:
        if self.handle is not None:
            self.handle.close()
        response = self.response
        if self.start is None:
            body = self.error_body[:_ERROR_BODY]
            return DownloadResult(
                response.status_code, response.headers, self.size, False, None, body
            )
        complete = error is None and (self.end is None or self.size >= self.end)
        return DownloadResult(response.status_code, response.headers, self.size, complete, error)


def _not_answered(effect: Download, error: Exception) -> DownloadResult:
    """No answer at all (the connection failed): status 0, the file as it was."""
    size = os.path.getsize(effect.path) if os.path.exists(effect.path) else 0
    return DownloadResult(0, httpx.Headers(), min(size, effect.offset), False, error)


def download_sync(http: httpx.Client, effect: Download) -> DownloadResult:
    # Media URLs redirect (playManifest to the packager or a CDN): followed, unlike API calls.
    try:
        response = http.send(effect.request, stream=True, follow_redirects=True)
    except httpx.HTTPError as error:
        return _not_answered(effect, error)
    sink = _Sink(effect, response)
    try:
        chunks = [response.content] if response.is_stream_consumed else response.iter_raw()
        for chunk in chunks:
            if not sink.write(chunk):
                break
    except httpx.HTTPError as error:
        return sink.result(error)
    finally:
        response.close()
    return sink.result()


async def download_async(http: httpx.AsyncClient, effect: Download) -> DownloadResult:
    try:
        response = await http.send(effect.request, stream=True, follow_redirects=True)
    except httpx.HTTPError as error:
        return _not_answered(effect, error)
    sink = _Sink(effect, response)  # file writes are short and buffered: done inline
    try:
        if response.is_stream_consumed:  # a body given whole (a test transport)
            sink.write(response.content)
        else:
            async for chunk in response.aiter_raw():
                if not sink.write(chunk):
                    break
    except httpx.HTTPError as error:
        return sink.result(error)
    finally:
        await response.aclose()
    return sink.result()


class _SegmentFailed(Exception):
    def __init__(self, status: int | None, error: Exception | None) -> None:
        super().__init__(status)
        self.status = status
        self.error = error


def _segment_body(response: httpx.Response) -> bytes:
    if response.status_code != 200:
        raise _SegmentFailed(response.status_code, None)
    return response.content


class _Appender:
    """Appends segment bodies to the file strictly in order."""

    def __init__(self, effect: FetchSegments) -> None:
        self.effect = effect
        self.size = effect.offset
        self.done = 0

    def add(self, handle: IO[bytes], body: bytes) -> None:
        handle.write(body)
        self.size += len(body)
        self.done += 1
        if self.effect.progress is not None:
            self.effect.progress(self.size, None)

    def result(self, failure: _SegmentFailed | None = None) -> SegmentsResult:
        if failure is None:
            return SegmentsResult(self.done, self.size)
        return SegmentsResult(self.done, self.size, failure.status, failure.error)


def segments_sync(http: httpx.Client, effect: FetchSegments) -> SegmentsResult:
    """A sliding window of ``concurrency`` requests on threads; bodies appended in order,
    so at most ``concurrency`` segments are held in memory."""

    def fetch(request: httpx.Request) -> bytes:
        try:
            return _segment_body(http.send(request))
        except httpx.HTTPError as error:
            raise _SegmentFailed(None, error) from error

    appender = _Appender(effect)
    window = max(1, effect.concurrency)
    pending: deque[Future[bytes]] = deque()
    requests = iter(effect.requests)
    with (
        _open_at(effect.path, effect.offset) as handle,
        ThreadPoolExecutor(max_workers=window) as pool,
    ):
        try:
            while True:
                while len(pending) < window and (request := next(requests, None)) is not None:
                    pending.append(pool.submit(fetch, request))
                if not pending:
                    return appender.result()
                appender.add(handle, pending.popleft().result())
        except _SegmentFailed as failed:
            for future in pending:
                future.cancel()
            return appender.result(failed)


async def segments_async(http: httpx.AsyncClient, effect: FetchSegments) -> SegmentsResult:
    """The same window with asyncio tasks."""

    async def fetch(request: httpx.Request) -> bytes:
        try:
            return _segment_body(await http.send(request))
        except httpx.HTTPError as error:
            raise _SegmentFailed(None, error) from error

    appender = _Appender(effect)
    window = max(1, effect.concurrency)
    pending: deque[asyncio.Task[bytes]] = deque()
    requests = iter(effect.requests)
    with _open_at(effect.path, effect.offset) as handle:
        try:
            while True:
                while len(pending) < window and (request := next(requests, None)) is not None:
                    pending.append(asyncio.ensure_future(fetch(request)))
                if not pending:
                    return appender.result()
                appender.add(handle, await pending.popleft())
        except _SegmentFailed as failed:
            return appender.result(failed)
        finally:
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)


# -- uploads: the workflow asks for file chunks, the driver reads them ----------------------------
@attrs.frozen
class ReadChunk:
    """Read up to ``size`` bytes of ``source`` (a path or a seekable binary file) at
    ``offset``; the outcome is the bytes (shorter at the end of the file)."""

    source: str | IO[bytes] = attrs.field(repr=False)
    offset: int
    size: int


@attrs.frozen
class FileSize:
    """The size in bytes of ``source`` (a path or a seekable binary file)."""

    source: str | IO[bytes] = attrs.field(repr=False)


def read_chunk(effect: ReadChunk) -> bytes:
    """Blocking, short and bounded (one chunk): both drivers call it inline."""
    if isinstance(effect.source, str):
        with open(effect.source, "rb") as handle:
            handle.seek(effect.offset)
            return handle.read(effect.size)
    effect.source.seek(effect.offset)
    return effect.source.read(effect.size)


def file_size(effect: FileSize) -> int:
    if isinstance(effect.source, str):
        return os.path.getsize(effect.source)
    position = effect.source.tell()
    size = effect.source.seek(0, os.SEEK_END)
    effect.source.seek(position)
    return size


@attrs.frozen
class ProbeAudio:
    """The :class:`~kaltura_reach_vendor.audio.AudioFacts` of ``source`` (a path, bytes or a
    seekable binary file). ``mutagen`` reads only the MP4 boxes that describe the file, so
    both drivers do it inline. The outcome is the facts, an ``OSError`` (unreadable), an
    :class:`~kaltura_reach_vendor.errors.AudioFormatError` (not MP4 audio) or a
    ``UsageError`` (not a file at all)."""

    source: AudioSource = attrs.field(repr=False)


def probe_audio(effect: ProbeAudio) -> AudioFacts | OSError | ReachError:
    """Blocking and bounded (headers only); failures are handed back as the outcome."""
    try:
        return read_audio_facts(effect.source)
    except (OSError, ReachError) as error:
        return error
