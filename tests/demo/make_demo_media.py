"""How the demo's media files were made (run once by hand; the demo and its tests only read
them): ``.venv/bin/python -m tests.demo.make_demo_media``.

The files in ``src/kaltura_reach_vendor/_demo_media/`` are shipped in the wheel so that
``kaltura-reach-vendor demo`` needs no FFmpeg or PyAV: three one-second AAC-LC tracks in MP4
at 64 kbps (DUB-3) and a one-second 64x64 H.264 video in MP4, encoded with PyAV (test-only).
"""

from __future__ import annotations

import io
from pathlib import Path

import av
import numpy as np

MEDIA = Path(__file__).resolve().parents[2] / "src" / "kaltura_reach_vendor" / "_demo_media"


def tone(frequency: float, *, bitrate: int = 64_000, rate: int = 44_100) -> bytes:
    """One second of a sine tone, AAC-LC in MP4 at ``bitrate``, mono."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=rate)
        stream.bit_rate = bitrate
        stream.layout = "mono"
        fmt = stream.format.name
        t = np.arange(rate) / rate
        signal = (0.3 * np.sin(2 * np.pi * frequency * t)).astype(np.float32)
        for start in range(0, rate, 1024):
            samples = signal[start : start + 1024].reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(samples, format=fmt, layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def video(*, size: int = 64, rate: int = 10) -> bytes:
    """One second of a small H.264 video in MP4 (a square that moves: the "signer")."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as out:
        stream = out.add_stream("h264", rate=rate)
        stream.width = stream.height = size
        stream.pix_fmt = "yuv420p"
        for index in range(rate):
            image = np.full((size, size, 3), 40, dtype=np.uint8)
            x = 8 + index * 4
            image[24:40, x : x + 16, :] = (230, 190, 150)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def main() -> None:
    MEDIA.mkdir(exist_ok=True)
    (MEDIA / "original.m4a").write_bytes(tone(440.0))
    (MEDIA / "dub.m4a").write_bytes(tone(523.25))
    (MEDIA / "described.m4a").write_bytes(tone(659.25))
    (MEDIA / "sign.mp4").write_bytes(video())


if __name__ == "__main__":
    main()
