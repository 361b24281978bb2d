"""Real media for the delivery tests, generated with PyAV (test-only) in memory.

Audio (dubbing, audio description): a decodable tone encoded by FFmpeg's own encoders, so
the files are what a vendor's pipeline produces, not hand-made boxes.
"""

from __future__ import annotations

import io

import av
import numpy as np


def _tone(
    codec: str,
    *,
    container: str = "mp4",
    bitrate: int = 64_000,
    rate: int = 44_100,
    seconds: float = 1.0,
    layout: str = "stereo",
) -> bytes:
    """A 440 Hz tone encoded with ``codec`` into ``container``, as bytes."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.bit_rate = bitrate
        stream.layout = layout
        fmt = stream.format.name
        channels = 2 if layout == "stereo" else 1
        total = int(rate * seconds)
        t = np.arange(total) / rate
        signal = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
        for start in range(0, total, 1024):
            chunk = signal[start : start + 1024]
            if stream.format.is_planar:
                samples = np.tile(chunk, (channels, 1))
            else:
                samples = np.repeat(chunk, channels).reshape(1, -1)
            if fmt.startswith("s16"):
                samples = (samples * 32767).astype(np.int16)
            elif fmt.startswith("s32"):
                samples = (samples * 2_000_000_000).astype(np.int32)
            frame = av.AudioFrame.from_ndarray(samples, format=fmt, layout=layout)
            frame.sample_rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def make_aac_mp4(bitrate: int = 64_000, *, seconds: float = 1.0) -> bytes:
    """AAC-LC in MP4 (``mp4a.40.2``) at ``bitrate`` bits per second: DUB-3 at 64 or 128 k."""
    return _tone("aac", bitrate=bitrate, seconds=seconds)


def make_mp3(bitrate: int = 128_000) -> bytes:
    """A plain MP3 file: not MP4 at all."""
    return _tone("mp3", container="mp3", bitrate=bitrate)


def make_mp3_in_mp4(bitrate: int = 128_000) -> bytes:
    """MP3 audio in an MP4 container (``mp4a.6B``): the right container, the wrong codec."""
    return _tone("mp3", bitrate=bitrate)


def make_alac_mp4() -> bytes:
    """Apple Lossless in MP4: the wrong codec, and no 64/128 kbps bitrate either."""
    return _tone("alac")


def make_video_mp4(*, seconds: float = 1.0, size: int = 64, rate: int = 10) -> bytes:
    """A small H.264 video in MP4 (``size`` x ``size``, ``rate`` frames a second): the
    sign-language video a vendor delivers (SIGN-1). Each frame a different shade."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as out:
        stream = out.add_stream("h264", rate=rate)
        stream.width = stream.height = size
        stream.pix_fmt = "yuv420p"
        for index in range(int(seconds * rate)):
            image = np.zeros((size, size, 3), dtype=np.uint8)
            image[:, :, 0] = (index * 25) % 256
            image[size // 4 : size // 2, size // 4 : size // 2, 1] = 200
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def make_video_webm(*, seconds: float = 1.0, size: int = 64, rate: int = 10) -> bytes:
    """The same kind of video in WebM (VP8), not MP4: no ``ftyp`` box at bytes 4..8."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="webm") as out:
        stream = out.add_stream("libvpx", rate=rate)
        stream.width = stream.height = size
        stream.pix_fmt = "yuv420p"
        for index in range(int(seconds * rate)):
            image = np.full((size, size, 3), (index * 25) % 256, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()
