"""Tiny generated media: valid-looking MP4 / MPEG-TS bytes and HLS playlists.

Real decodable media is not needed: the sandbox only has to give a vendor bytes in the right
places with the right shapes (an ``ftyp`` box, 188-byte TS packets starting with 0x47).
"""

from __future__ import annotations

import struct

SEGMENT_SECONDS = 4


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_bytes(label: str, duration_s: int, audio_only: bool = False) -> bytes:
    """A small MP4-shaped file (ftyp + moov + mdat boxes) identifying its flavor."""
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    info = f"{label};duration={duration_s};audio_only={int(audio_only)}".encode()
    moov = _box(b"moov", _box(b"mvhd", bytes(4) + struct.pack(">II", 1000, duration_s * 1000)))
    mdat = _box(b"mdat", info * 4)
    return ftyp + moov + mdat


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
