"""Joining an HLS download into an MP4 with ``ffmpeg -c copy`` (no re-encoding).

Only this function needs ffmpeg; nothing else in the SDK does. Without ffmpeg on ``PATH``
it raises :class:`~kaltura_reach_vendor.errors.MissingToolError` naming the tool.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .errors import MediaError, MissingToolError

__all__ = ["to_mp4"]


def to_mp4(
    source: str | os.PathLike[str],
    dest: str | os.PathLike[str] | None = None,
    *,
    ffmpeg: str = "ffmpeg",
    timeout: float = 3600.0,
) -> Path:
    """Remux ``source`` (the MPEG-TS that ``download_media`` joins from HLS segments) into
    an MP4 at ``dest`` (default: the same name with ``.mp4``) and return its path."""
    tool = shutil.which(ffmpeg)
    if tool is None:
        raise MissingToolError(
            f"to_mp4 needs {ffmpeg!r} on PATH (ffmpeg remuxes the HLS download without "
            "re-encoding); install ffmpeg, or use the .ts file as it is",
            tool=ffmpeg,
        )
    src = Path(source)
    out = Path(dest) if dest is not None else src.with_suffix(".mp4")
    command = [tool, "-hide_banner", "-loglevel", "error", "-y", "-i", str(src)]
    command += ["-c", "copy", "-movflags", "+faststart", str(out)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise MediaError(f"ffmpeg did not finish joining {src.name} within {timeout:g} s") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip()[-500:]
        raise MediaError(f"ffmpeg could not join {src.name} into an MP4: {said}")
    return out
