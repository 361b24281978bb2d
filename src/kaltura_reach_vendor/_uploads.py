"""Resumable uploads through an upload token (reference §10.2), written once, without I/O.

``uploadToken.add`` with the task's access key opens a token with the file's name and size;
``uploadToken.upload`` sends the file in chunks: the first with ``resume=false``, the next
with ``resume=true`` and ``resumeAt=<byte offset>``, the last with ``finalChunk=true``. The
file is read one chunk at a time (the :class:`~._transfer.ReadChunk` effect), so memory stays
bounded whatever its size.

A chunk whose outcome is unknown (the connection dropped after the server may have taken
it) is never sent again blindly: the workflow asks the server how much it holds
(``uploadToken.get`` → ``uploadedFileSize``) and continues from there. A chunk that
provably never left is re-sent by the engine's retry rules; an expired key is extended once
(KEY-2) by ``task_call``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
from typing import IO, Any

from ._engine import Engine
from ._tasks import parse_as, task_call
from ._transfer import FileSize, ReadChunk
from ._wire.call import FilePart
from .enums import UploadTokenStatus
from .errors import ReachConnectionError, ReachTimeoutError, TransportError, UsageError
from .models import EntryVendorTask, UploadToken

__all__ = ["DEFAULT_CHUNK", "UploadData", "upload"]

#: Bytes sent per ``uploadToken.upload`` call.
DEFAULT_CHUNK = 8 * 1024 * 1024
#: Times an upload asks the server where it stands after an uncertain chunk.
MAX_RECONCILES = 5

UploadData = bytes | str | os.PathLike[str] | IO[bytes]
Progress = Callable[[int, int], None]


def _name(data: UploadData, filename: str | None) -> str:
    if filename:
        return os.path.basename(filename)
    if isinstance(data, (str, os.PathLike)):
        return os.path.basename(os.fspath(data))
    name = getattr(data, "name", None)
    if isinstance(name, str) and name:
        return os.path.basename(name)
    return "upload.bin"


def _source(data: UploadData) -> bytes | str | IO[bytes]:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, (str, os.PathLike)):
        return os.fspath(data)
    if hasattr(data, "read") and hasattr(data, "seek"):
        return data
    raise UsageError("upload takes bytes, a path, or a seekable binary file")


def _local(outcome: Any, what: str) -> Any:
    if isinstance(outcome, OSError):
        raise UsageError(f"cannot read the file to upload ({what}): {outcome}") from outcome
    return outcome


def upload(
    engine: Engine,
    task: EntryVendorTask,
    data: UploadData,
    *,
    filename: str | None = None,
    progress: Progress | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> Generator[Any, Any, UploadToken]:
    """Upload ``data`` (bytes, a path, or a seekable binary file) with the task's access
    key; returns the upload token, fully uploaded, to attach to an asset (CAP-2)."""
    if chunk_size <= 0:
        raise UsageError(f"chunk_size must be positive, got {chunk_size}")
    source = _source(data)
    name = _name(data, filename)
    if isinstance(source, bytes):
        total = len(source)
    else:
        total = int(_local((yield FileSize(source)), "size"))
    opened = yield from task_call(
        engine,
        task,
        "uploadToken",
        "add",
        {"uploadToken": {"objectType": "KalturaUploadToken", "fileName": name, "fileSize": total}},
    )
    token = parse_as(opened, UploadToken, "uploadToken.add")
    if not token.id:
        raise TransportError("uploadToken.add returned no token id")
    offset = 0
    reconciles = 0
    while True:
        if isinstance(source, bytes):
            chunk = source[offset : offset + chunk_size]
        else:
            chunk = bytes(_local((yield ReadChunk(source, offset, chunk_size)), "read"))
        final = offset + len(chunk) >= total
        params = {
            "uploadTokenId": token.id,
            "resume": offset > 0,
            "finalChunk": final,
            "resumeAt": offset if offset > 0 else -1,
        }
        files = {"fileData": FilePart(name, chunk)}
        try:
            answer = yield from task_call(
                engine, task, "uploadToken", "upload", params, files=files
            )
        except (ReachConnectionError, ReachTimeoutError):
            # The chunk may or may not have arrived: ask, never resend blindly.
            reconciles += 1
            if reconciles > MAX_RECONCILES:
                raise
            token = yield from _where(engine, task, token.id)
            if token.status == UploadTokenStatus.FULL_UPLOAD:
                return token
            offset = int(token.uploaded_file_size or 0)
            continue
        token = parse_as(answer, UploadToken, "uploadToken.upload")
        offset += len(chunk)
        if progress is not None:
            progress(offset, total)
        if final:
            return token


def _where(
    engine: Engine, task: EntryVendorTask, token_id: str
) -> Generator[Any, Any, UploadToken]:
    answer = yield from task_call(engine, task, "uploadToken", "get", {"uploadTokenId": token_id})
    return parse_as(answer, UploadToken, "uploadToken.get")
