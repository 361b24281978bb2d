"""``client.upload``: chunked and resumable through an upload token, end to end (CAP-2).

A chunk whose outcome is unknown is never re-sent blindly: the upload asks the server how
much it holds (``uploadToken.get``) and goes on from there.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from kaltura_reach_vendor import EntryVendorTask
from kaltura_reach_vendor.enums import UploadTokenStatus
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import MACHINE_CAPTIONS, Driver

DATA = os.urandom(200_000)
CHUNK = 64 * 1024  # 4 chunks: 3 full, one of 3 392 bytes


def _claimed(drive: Driver) -> EntryVendorTask:
    task = drive.task_for(MACHINE_CAPTIONS)
    drive("claim", task)
    return task


def _content(sandbox: Sandbox, token_id: str) -> bytes | None:
    with sandbox.state.lock:
        return sandbox.state.upload_tokens[token_id].content


def _calls(sandbox: Sandbox, action: str) -> list[Any]:
    return [
        r
        for r in sandbox.request_log
        if r.service.lower() == "uploadtoken" and r.action.lower() == action.lower()
    ]


@pytest.mark.rule("CAP-2")
@pytest.mark.parametrize("form", ["bytes", "path", "file"])
def test_a_file_goes_up_in_chunks(
    drive: Driver, sandbox: Sandbox, tmp_path: Path, form: str
) -> None:
    task = _claimed(drive)
    path = tmp_path / "captions.srt"
    path.write_bytes(DATA)
    data: Any = {"bytes": DATA, "path": path, "file": io.BytesIO(DATA)}[form]
    seen: list[tuple[int, int]] = []
    token = drive(
        "upload",
        task,
        data,
        filename="captions.srt",
        chunk_size=CHUNK,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert token.status == UploadTokenStatus.FULL_UPLOAD and token.file_name == "captions.srt"
    assert _content(sandbox, str(token.id)) == DATA
    assert len(_calls(sandbox, "upload")) == 4
    assert seen[-1] == (len(DATA), len(DATA))
    tags = {r.client_tag for r in _calls(sandbox, "upload")}
    assert tags == {drive.client.client_tag(task.id)}


@pytest.mark.rule("CAP-2")
@pytest.mark.parametrize("fault", ["drop_after_processing_next", "drop_next"])
def test_a_dropped_chunk_is_reconciled_not_resent_blindly(
    drive: Driver, sandbox: Sandbox, fault: str
) -> None:
    task = _claimed(drive)
    armed: list[int] = []

    def progress(done: int, total: int) -> None:
        if not armed:  # after the first chunk: the next API request is the second chunk
            getattr(sandbox.faults, fault)()
            armed.append(done)

    token = drive("upload", task, DATA, chunk_size=CHUNK, progress=progress)
    assert _content(sandbox, str(token.id)) == DATA
    assert len(_calls(sandbox, "get")) == 1  # asked where it stood, once
    # The server processed each of the 4 chunks exactly once: after a processed-then-dropped
    # chunk it is not sent again; a chunk dropped before processing is sent again, after
    # asking (the sandbox logs only the requests it processed).
    assert len(_calls(sandbox, "upload")) == 4


def test_an_empty_file_is_one_final_chunk(drive: Driver, sandbox: Sandbox) -> None:
    task = _claimed(drive)
    token = drive("upload", task, b"", filename="empty.srt")
    assert token.status == UploadTokenStatus.FULL_UPLOAD
    assert _content(sandbox, str(token.id)) == b""


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_over_loopback_with_a_processed_then_dropped_chunk(sandbox: Sandbox, kind: str) -> None:
    drive = Driver(kind, sandbox, over_http=True)
    try:
        task = _claimed(drive)
        armed: list[int] = []

        def progress(done: int, total: int) -> None:
            if not armed:
                sandbox.faults.drop_after_processing_next()
                armed.append(done)

        token = drive("upload", task, DATA, chunk_size=CHUNK, progress=progress)
        assert _content(sandbox, str(token.id)) == DATA
        assert len(_calls(sandbox, "upload")) == 4
    finally:
        drive.close()
