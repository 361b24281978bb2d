"""Audio facts of a dubbing or audio-description track, and the DUB-3 check.

DUB-3: the tracks a vendor delivers are **MP4** files with **AAC-LC** audio at **64 or 128
kbps**. :func:`read_audio_facts` reads what a file is from its headers with ``mutagen`` (a
pure-Python tag and stream-info reader: it walks the MP4 boxes and skips the media data, so
reading a large file is quick and bounded); :func:`check_audio` is the rule, pure. The
delivery helpers (``deliver_dubbing``, ``deliver_audio_description``) run both before
anything is uploaded, and a file that breaks the rule gets an
:class:`~kaltura_reach_vendor.errors.AudioFormatError` naming what was found, e.g.
``found MP3 at 96 kbps; DUB-3 needs AAC-LC at 64 or 128 kbps``.

**Bitrate tolerance.** An encoder asked for 64 kbps writes an average near it, not exactly
it (64 396 bps for a two-second AAC-LC tone from FFmpeg's encoder, 127 839 for 128 kbps), and
``mutagen`` reports that average. A bitrate within ±10 % of 64 000 or 128 000 bps passes
(57 600–70 400 and 115 200–140 800); 96 kbps, 48 kbps or 160 kbps do not.

``mutagen`` is imported when a file is first read, not when this module is.
"""

from __future__ import annotations

import io
import os
from typing import IO

import attrs

from .errors import AudioFormatError, UsageError

__all__ = [
    "BITRATE_TOLERANCE",
    "DUB3_BITRATES",
    "AudioFacts",
    "AudioSource",
    "check_audio",
    "read_audio_facts",
]

#: The bitrates DUB-3 allows, in bits per second.
DUB3_BITRATES = (64_000, 128_000)
#: How far (a fraction) a measured average bitrate may be from an allowed one.
BITRATE_TOLERANCE = 0.10
#: MP4 audio codec strings that are AAC-LC: MPEG-4 AAC object type 2, and MPEG-2 AAC LC.
AAC_LC_CODECS = frozenset({"mp4a.40.2", "mp4a.67"})

AudioSource = str | os.PathLike[str] | bytes | IO[bytes]

#: Readable names for the MP4 audio codec strings a vendor's encoder may produce.
_CODEC_NAMES = {
    "mp4a.40.1": "AAC Main",
    "mp4a.40.2": "AAC-LC",
    "mp4a.40.4": "AAC LTP",
    "mp4a.40.5": "HE-AAC (SBR)",
    "mp4a.40.29": "HE-AAC v2 (PS)",
    "mp4a.67": "AAC-LC (MPEG-2)",
    "mp4a.6b": "MP3",
    "mp4a.69": "MP3",
    "alac": "ALAC",
    "ac-3": "AC-3",
    "ec-3": "E-AC-3",
    "opus": "Opus",
    "flac": "FLAC",
}
_RULE = "DUB-3 needs AAC-LC at 64 or 128 kbps in an MP4 file"


@attrs.frozen
class AudioFacts:
    """What an audio file is, as read from its headers."""

    #: ``"MP4"`` (the only container :func:`read_audio_facts` recognises).
    container: str
    #: The RFC 6381 codec string, e.g. ``"mp4a.40.2"`` (AAC-LC), ``"alac"``.
    codec: str
    #: ``mutagen``'s description of the codec, e.g. ``"AAC LC"``.
    codec_description: str
    #: Average bitrate in bits per second (0 when the file does not say).
    bitrate: int
    channels: int
    #: Samples per second.
    sample_rate: int
    #: Seconds.
    duration: float

    @property
    def codec_name(self) -> str:
        """A readable codec name: ``"AAC-LC"``, ``"HE-AAC (SBR)"``, ``"MP3"``..."""
        return _CODEC_NAMES.get(self.codec.lower(), self.codec_description or self.codec)

    @property
    def is_aac_lc(self) -> bool:
        return self.codec.lower() in AAC_LC_CODECS

    @property
    def kbps(self) -> int:
        """The bitrate rounded to whole kilobits per second."""
        return round(self.bitrate / 1000)

    def describe(self) -> str:
        """``"AAC-LC at 96 kbps"``: what a refusal names."""
        rate = f"{self.kbps} kbps" if self.bitrate else "no declared bitrate"
        return f"{self.codec_name} at {rate}"


def _allowed_bitrate(bitrate: int) -> bool:
    return any(abs(bitrate - allowed) <= allowed * BITRATE_TOLERANCE for allowed in DUB3_BITRATES)


def check_audio(facts: AudioFacts) -> AudioFacts:
    """DUB-3, pure: MP4, AAC-LC, 64 or 128 kbps (±:data:`BITRATE_TOLERANCE`). Returns
    ``facts``; raises :class:`AudioFormatError` naming what was found otherwise."""
    if facts.container != "MP4" or not facts.is_aac_lc or not _allowed_bitrate(facts.bitrate):
        raise AudioFormatError(f"found {facts.describe()}; {_RULE}", facts=facts)
    return facts


def _stream(source: AudioSource) -> tuple[IO[bytes], bool]:
    """A binary stream at its start, and whether this module opened it (and closes it)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(source)), True
    if isinstance(source, (str, os.PathLike)):
        return open(os.fspath(source), "rb"), True  # closed by read_audio_facts
    if hasattr(source, "read") and hasattr(source, "seek"):
        return source, False
    raise UsageError("an audio file is a path, bytes or a seekable binary file")


def read_audio_facts(source: AudioSource) -> AudioFacts:
    """Read the audio facts of ``source`` (a path, bytes or a seekable binary file) from its
    MP4 headers. Blocking, but bounded: only the boxes that describe the file are read.

    Raises :class:`AudioFormatError` when the file is not an MP4 file with an audio track
    (``facts`` is None then), and ``OSError`` when the file cannot be read. A file object is
    left where it was.
    """
    from mutagen import MutagenError  # imported here: `import kaltura_reach_vendor` is light
    from mutagen.mp4 import MP4

    stream, owned = _stream(source)
    position = stream.tell()
    try:
        stream.seek(0)
        try:
            info = MP4(stream).info  # type: ignore[no-untyped-call]
        except MutagenError as error:
            if isinstance(error.__cause__, OSError) or isinstance(error, OSError):
                raise OSError(str(error)) from error
            raise AudioFormatError(f"found no MP4 audio track ({error}); {_RULE}") from None
    finally:
        if owned:
            stream.close()
        else:
            stream.seek(position)
    codec = str(getattr(info, "codec", "") or "")
    if not codec:  # mutagen describes the first audio track: there is none
        raise AudioFormatError(f"found an MP4 file without an audio track; {_RULE}")
    return AudioFacts(
        container="MP4",
        codec=codec,
        codec_description=str(getattr(info, "codec_description", "") or ""),
        bitrate=int(getattr(info, "bitrate", 0) or 0),
        channels=int(getattr(info, "channels", 0) or 0),
        sample_rate=int(getattr(info, "sample_rate", 0) or 0),
        duration=float(getattr(info, "length", 0.0) or 0.0),
    )
