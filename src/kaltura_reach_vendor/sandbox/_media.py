"""Tiny generated media: valid-looking MP4 / MPEG-TS bytes and HLS playlists.

Real decodable media is not needed: the sandbox only has to give a vendor bytes in the right
places with the right shapes (an ``ftyp`` box, 188-byte TS packets starting with 0x47).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from functools import lru_cache

SEGMENT_SECONDS = 4


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_header(label: str, duration_s: int, audio_only: bool = False) -> bytes:
    """The ``ftyp`` and ``moov`` boxes of a generated flavor."""
    del label, audio_only  # same header shape for every flavor
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    moov = _box(b"moov", _box(b"mvhd", bytes(4) + struct.pack(">II", 1000, duration_s * 1000)))
    return ftyp + moov


SAMPLE_RATE = 8000
SILENT_AAC_FRAME = bytes((0x01, 0x40, 0x20, 0x07))
"""One AAC-LC mono frame of silence: a single channel element with ``max_sfb`` 0 (no spectral
data), then the end element (32 bits in all). 1024 samples."""
_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def _full(kind: bytes, payload: bytes, flags: int = 0) -> bytes:
    """A full box (version 0 and 24-bit flags before the payload)."""
    return _box(kind, struct.pack(">I", flags) + payload)


def _descriptor(tag: int, payload: bytes) -> bytes:
    return bytes((tag, len(payload))) + payload  # every descriptor here is under 128 bytes


def _audio_track(frames: int, duration_ms: int, data_offset: int) -> bytes:
    """A ``trak`` of ``frames`` silent AAC frames stored contiguously at ``data_offset``."""
    tkhd = _full(
        b"tkhd",
        struct.pack(">IIIII", 0, 0, 1, 0, duration_ms)
        + bytes(8)
        + struct.pack(">hhHH", 0, 1, 0x0100, 0)
        + _MATRIX
        + struct.pack(">II", 0, 0),
        flags=3,  # enabled, in movie
    )
    mdhd = _full(b"mdhd", struct.pack(">IIIIHH", 0, 0, SAMPLE_RATE, frames * 1024, 0x55C4, 0))
    hdlr = _full(b"hdlr", bytes(4) + b"soun" + bytes(12) + b"SoundHandler\0")
    # AudioSpecificConfig: AAC LC (2), 8000 Hz (index 11), mono (1) → 0x15 0x88.
    decoder_info = _descriptor(0x05, bytes((0x15, 0x88)))
    bitrate = len(SILENT_AAC_FRAME) * 8 * SAMPLE_RATE // 1024
    decoder_config = _descriptor(
        0x04,
        bytes((0x40, 0x15))
        + (64).to_bytes(3, "big")
        + struct.pack(">II", bitrate, bitrate)
        + decoder_info,
    )
    es = _descriptor(0x03, struct.pack(">HB", 1, 0) + decoder_config + _descriptor(0x06, b"\x02"))
    mp4a = _box(
        b"mp4a",
        bytes(6)
        + struct.pack(">H", 1)
        + bytes(8)
        + struct.pack(">HHHHI", 1, 16, 0, 0, SAMPLE_RATE << 16)
        + _full(b"esds", es),
    )
    stbl = _box(
        b"stbl",
        _full(b"stsd", struct.pack(">I", 1) + mp4a)
        + _full(b"stts", struct.pack(">III", 1, frames, 1024))
        + _full(b"stsc", struct.pack(">IIII", 1, 1, frames, 1))
        + _full(b"stsz", struct.pack(">II", len(SILENT_AAC_FRAME), frames))
        + _full(b"stco", struct.pack(">II", 1, data_offset)),
    )
    dinf = _box(b"dinf", _full(b"dref", struct.pack(">I", 1) + _full(b"url ", b"", flags=1)))
    minf = _box(b"minf", _full(b"smhd", bytes(4)) + dinf + stbl)
    return _box(b"trak", tkhd + _box(b"mdia", mdhd + hdlr + minf))


def mp4_bytes(label: str, duration_s: int, audio_only: bool = False) -> bytes:
    """A small valid MP4: one silent AAC-LC mono track (8 kHz) of ``duration_s`` seconds.

    The ``mdat`` holds the frames, then a line naming the flavor (unreferenced bytes, so two
    flavors never share a checksum). Video flavors carry the same audio-only file.
    """
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    frames = -(-duration_s * SAMPLE_RATE // 1024)
    duration_ms = frames * 1024 * 1000 // SAMPLE_RATE
    info = f"\n{label};duration={duration_s};audio_only={int(audio_only)}\n".encode()

    def moov(offset: int) -> bytes:
        mvhd = _full(
            b"mvhd",
            struct.pack(">IIII", 0, 0, 1000, duration_ms)
            + struct.pack(">IH", 0x10000, 0x0100)
            + bytes(10)
            + _MATRIX
            + bytes(24)
            + struct.pack(">I", 2),
        )
        return _box(b"moov", mvhd + _audio_track(frames, duration_ms, offset))

    offset = len(ftyp) + len(moov(0)) + 8  # moov's size does not depend on the offset
    mdat = _box(b"mdat", SILENT_AAC_FRAME * frames + info)
    return ftyp + moov(offset) + mdat


def ts_segment(label: str, index: int, tracks: str) -> bytes:
    """One MPEG-TS segment: a few 188-byte packets with sync byte 0x47."""
    marker = f"{label}:{index}:{tracks}".encode()[:180]
    packet = b"\x47\x40\x00\x10" + marker + b"\xff" * (184 - len(marker))
    return packet * 4


def segment_count(duration_s: int) -> int:
    """Number of HLS segments for a duration."""
    return max(1, -(-duration_s // SEGMENT_SECONDS))


def master_playlist(variants: list[tuple[str, int, str | None, str]]) -> str:
    """An HLS master playlist; each variant is (uri, bandwidth, resolution, codecs)."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for uri, bandwidth, resolution, codecs in variants:
        attrs = f"BANDWIDTH={bandwidth}"
        if resolution:
            attrs += f",RESOLUTION={resolution}"
        attrs += f',CODECS="{codecs}"'
        lines.append(f"#EXT-X-STREAM-INF:{attrs}")
        lines.append(uri)
    return "\n".join(lines) + "\n"


def media_playlist(duration_s: int, segment_uri: str) -> str:
    """An HLS media playlist; ``segment_uri`` contains ``{n}`` (1-based)."""
    count = segment_count(duration_s)
    lines = [
        "#EXTM3U",
        f"#EXT-X-TARGETDURATION:{SEGMENT_SECONDS}",
        "#EXT-X-ALLOW-CACHE:YES",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-VERSION:3",
        "#EXT-X-MEDIA-SEQUENCE:1",
    ]
    remaining = float(duration_s)
    for n in range(1, count + 1):
        length = min(float(SEGMENT_SECONDS), remaining)
        remaining -= length
        lines.append(f"#EXTINF:{length:.3f},")
        lines.append(segment_uri.format(n=n))
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


# --- bodies: stored bytes or generated on the fly ----------------------------------------------

CHUNK = 64 * 1024
"""Bytes per generated block and per write of a streamed body."""

_MDAT_HEADER = 8


class Body:
    """A file the sandbox can serve by byte range without holding it whole (see subclasses)."""

    size: int

    def read(self, start: int, end: int) -> bytes:
        """Bytes ``[start, end)`` (clamped to the file)."""
        raise NotImplementedError

    def chunks(self, start: int, end: int, chunk: int = CHUNK) -> Iterator[bytes]:
        """Bytes ``[start, end)`` in pieces of at most ``chunk`` bytes."""
        end = min(end, self.size)
        while start < end:
            stop = min(end, start + chunk)
            yield self.read(start, stop)
            start = stop


class StoredBody(Body):
    """A file held in memory (small generated flavors, uploaded content, segments)."""

    def __init__(self, content: bytes) -> None:
        self._content = content
        self.size = len(content)

    def read(self, start: int, end: int) -> bytes:
        """Bytes ``[start, end)``."""
        return self._content[start:end]


@lru_cache(maxsize=64)
def _pattern(label: str) -> bytes:
    """The per-asset pseudo-random block every generated block is derived from."""
    return hashlib.shake_128(f"reach-sandbox:{label}".encode()).digest(CHUNK)


class GeneratedBody(Body):
    """A large MP4-shaped flavor produced from (asset id, offset): any range, constant memory.

    Layout: ``ftyp`` + ``moov`` boxes, then one ``mdat`` box filling the rest of ``size``.
    The ``mdat`` payload is cut into 64 KiB blocks; block ``k`` is the asset's pattern
    (``shake_128("reach-sandbox:" + asset id)``, 64 KiB) with its first 8 bytes replaced by
    ``k`` as a big-endian unsigned integer (the last block is truncated).
    """

    def __init__(self, label: str, size: int, duration_s: int, audio_only: bool) -> None:
        head = mp4_header(label, duration_s, audio_only)
        payload = max(0, size - len(head) - _MDAT_HEADER)
        mdat_size = payload + _MDAT_HEADER
        if mdat_size > 0xFFFFFFFF:
            raise ValueError("generated flavors are limited to 4 GiB")
        self.header = head + struct.pack(">I", mdat_size) + b"mdat"
        self.size = len(self.header) + payload
        self._label = label

    def _block(self, index: int) -> bytes:
        return struct.pack(">Q", index) + _pattern(self._label)[8:]

    def read(self, start: int, end: int) -> bytes:
        """Bytes ``[start, end)``, computed."""
        start, end = max(0, start), min(end, self.size)
        if start >= end:
            return b""
        out = bytearray()
        head = len(self.header)
        if start < head:
            out += self.header[start : min(end, head)]
            start = head
        while start < end:
            offset = start - head
            index, within = divmod(offset, CHUNK)
            take = min(end - start, CHUNK - within)
            out += self._block(index)[within : within + take]
            start += take
        return bytes(out)
