"""LIVE-7: check a live audio feed in stereo and in mono. Pure Python, no I/O, no numpy.

Kaltura asks vendors to verify the live audio both ways: a channel that is silent, or two
channels that cancel each other when mixed to mono (phase inversion: one channel is the other
upside down, so ``(L + R) / 2`` is near silence although each side sounds fine), leave the
captions empty. :func:`check_stereo` measures a window of samples and returns an
:class:`AudioCheck` whose ``message`` is plain English the vendor can log and pass on to the
customer, with what to do about it.

Thresholds (documented, overridable):

* a channel is **silent** when its RMS level is below ``silence_dbfs`` (default -60 dBFS);
* the channels **cancel** when both carry sound and the mono mix ``(L + R) / 2`` is at least
  ``cancel_db`` (default 20 dB) quieter than the louder channel. Identical channels lose
  0 dB, unrelated ones about 3 dB, a perfect inversion everything; the Pearson correlation of
  the two channels (about -1 for an inversion) is reported too.

Levels are dBFS: 0 is a full-scale square wave. ``full_scale`` is the largest sample value:
1.0 for float samples, 32768 for 16-bit PCM; by default it is inferred from the largest
sample (≤ 1 → float, else 16-, 24- or 32-bit integer range).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence

import attrs

from ..errors import UsageError

__all__ = [
    "CANCEL_DB",
    "SILENCE_DBFS",
    "AudioCheck",
    "AudioStatus",
    "check_stereo",
]

#: A channel quieter than this (RMS, dBFS) is silent.
SILENCE_DBFS = -60.0
#: The mono mix this many dB below the louder channel means the channels cancel.
CANCEL_DB = 20.0


class AudioStatus(str, enum.Enum):
    """What :func:`check_stereo` found."""

    OK = "ok"
    LEFT_SILENT = "left_silent"
    RIGHT_SILENT = "right_silent"
    BOTH_SILENT = "both_silent"
    PHASE_CANCELLATION = "phase_cancellation"


@attrs.frozen
class AudioCheck:
    """The levels of one window of stereo audio and what they mean (LIVE-7)."""

    status: AudioStatus
    #: RMS levels in dBFS (``-inf`` for digital silence).
    left_dbfs: float
    right_dbfs: float
    mono_dbfs: float
    #: Pearson correlation of the channels (-1 inverted … 1 identical); None if one is flat.
    correlation: float | None
    #: Samples per channel measured.
    samples: int
    #: Plain English for the vendor's log and the customer.
    message: str

    @property
    def ok(self) -> bool:
        return self.status is AudioStatus.OK


def _db(rms: float, full_scale: float) -> float:
    return 20 * math.log10(rms / full_scale) if rms > 0 else -math.inf


def _fmt(db: float) -> str:
    return "-inf dBFS" if db == -math.inf else f"{db:.1f} dBFS"


def _full_scale(peak: float) -> float:
    for scale in (1.0, 32768.0, 8388608.0):
        if peak <= scale:
            return scale
    return 2147483648.0


def _split(
    left: Sequence[float], right: Sequence[float] | None
) -> tuple[Sequence[float], Sequence[float]]:
    if right is None:  # interleaved L, R, L, R, …
        if len(left) % 2:
            raise UsageError("interleaved stereo needs an even number of samples (L, R pairs)")
        return left[0::2], left[1::2]
    if len(left) != len(right):
        raise UsageError(f"the channels differ in length: {len(left)} and {len(right)} samples")
    return left, right


def check_stereo(
    left: Sequence[float],
    right: Sequence[float] | None = None,
    *,
    full_scale: float | None = None,
    silence_dbfs: float = SILENCE_DBFS,
    cancel_db: float = CANCEL_DB,
) -> AudioCheck:
    """Check one window of stereo PCM (LIVE-7): a silent channel, or channels that cancel.

    ``left`` and ``right`` are the two channels' samples (numbers); with ``right`` omitted,
    ``left`` holds interleaved ``L, R, L, R, …`` samples. A second or more of audio gives a
    stable answer; check regularly during the event, and log ``message`` when not ``ok``.
    """
    lch, rch = _split(left, right)
    n = len(lch)
    if n == 0:
        raise UsageError("no samples to check")
    sum_l = sum_r = sum_ll = sum_rr = sum_lr = sum_mm = 0.0
    peak = 0.0
    for a, b in zip(lch, rch, strict=True):
        a, b = float(a), float(b)
        sum_l += a
        sum_r += b
        sum_ll += a * a
        sum_rr += b * b
        sum_lr += a * b
        mono = (a + b) / 2
        sum_mm += mono * mono
        peak = max(peak, abs(a), abs(b))
    scale = full_scale if full_scale is not None else _full_scale(peak)
    if scale <= 0:
        raise UsageError(f"full_scale must be positive, got {full_scale!r}")
    left_db = _db(math.sqrt(sum_ll / n), scale)
    right_db = _db(math.sqrt(sum_rr / n), scale)
    mono_db = _db(math.sqrt(sum_mm / n), scale)
    var_l = sum_ll - sum_l * sum_l / n
    var_r = sum_rr - sum_r * sum_r / n
    cov = sum_lr - sum_l * sum_r / n
    correlation = None
    if var_l > 0 and var_r > 0:
        correlation = max(-1.0, min(1.0, cov / math.sqrt(var_l * var_r)))
    left_silent, right_silent = left_db < silence_dbfs, right_db < silence_dbfs
    levels = f"left {_fmt(left_db)}, right {_fmt(right_db)}"
    if left_silent and right_silent:
        status = AudioStatus.BOTH_SILENT
        message = (
            f"No audio: both stereo channels are silent ({levels}). Check that the encoder's "
            "audio input is connected and not muted; without audio no captions can be made."
        )
    elif left_silent or right_silent:
        side, other = ("left", "right") if left_silent else ("right", "left")
        status = AudioStatus.LEFT_SILENT if left_silent else AudioStatus.RIGHT_SILENT
        message = (
            f"The {side} audio channel is silent while the {other} one carries sound "
            f"({levels}). Anyone listening on the {side} side hears nothing. Check the "
            f"encoder's audio routing, or send the {other} channel to both sides (mono)."
        )
    elif mono_db <= max(left_db, right_db) - cancel_db:
        status = AudioStatus.PHASE_CANCELLATION
        drop = max(left_db, right_db) - mono_db
        lost = "all of it" if drop == math.inf else f"{drop:.1f} dB"
        corr = f", correlation {correlation:.2f}" if correlation is not None else ""
        message = (
            f"The stereo channels cancel each other (phase inversion): each carries sound "
            f"({levels}) but mixed to mono the audio loses {lost}{corr}. Mono listeners and "
            "speech recognition hear near-silence, so captions may be missing. Invert the "
            "polarity of one channel at the encoder, or send one channel as mono."
        )
    else:
        status = AudioStatus.OK
        message = f"Audio OK in stereo and mono ({levels}, mono {_fmt(mono_db)})."
    return AudioCheck(status, left_db, right_db, mono_db, correlation, n, message)
