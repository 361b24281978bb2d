"""``media.to_mp4``: ffmpeg is the only external tool, and its absence is a clear error."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from kaltura_reach_vendor import MediaError, MissingToolError, to_mp4


def test_without_ffmpeg_the_error_names_the_tool(tmp_path: Path) -> None:
    with pytest.raises(MissingToolError, match="ffmpeg") as missing:
        to_mp4(tmp_path / "a.ts", ffmpeg="ffmpeg-not-installed-here")
    assert missing.value.tool == "ffmpeg-not-installed-here"


def _fake_tool(tmp_path: Path, script: str) -> str:
    tool = tmp_path / "fake-ffmpeg"
    tool.write_text("#!/bin/sh\n" + script)
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    return str(tool)


def test_the_join_is_a_stream_copy_into_the_mp4(tmp_path: Path) -> None:
    # A stand-in that records its arguments and writes the output file.
    log = tmp_path / "args"
    tool = _fake_tool(tmp_path, f'echo "$@" > {log}\nfor last; do :; done\necho mp4 > "$last"\n')
    out = to_mp4(tmp_path / "media.ts", ffmpeg=tool)
    assert out == tmp_path / "media.mp4" and out.read_text() == "mp4\n"
    args = log.read_text().split()
    assert args[args.index("-c") + 1] == "copy"
    assert args[args.index("-i") + 1] == str(tmp_path / "media.ts")


def test_a_failing_ffmpeg_is_a_media_error(tmp_path: Path) -> None:
    tool = _fake_tool(tmp_path, 'echo "Invalid data found" >&2\nexit 1\n')
    with pytest.raises(MediaError, match="Invalid data found"):
        to_mp4(tmp_path / "broken.ts", ffmpeg=tool)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_with_ffmpeg_a_bad_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "not-media.ts"
    source.write_bytes(b"nothing")
    with pytest.raises(MediaError):
        to_mp4(source)
