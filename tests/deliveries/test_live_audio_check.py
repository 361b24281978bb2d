"""LIVE-7 on generated sine waves: in phase, inverted, one channel silent, both silent."""

from __future__ import annotations

import math

import pytest

from kaltura_reach_vendor import UsageError
from kaltura_reach_vendor.live import CANCEL_DB, SILENCE_DBFS, AudioStatus, check_stereo

RATE = 16_000


def sine(freq: float = 440.0, amplitude: float = 0.5, seconds: float = 0.5) -> list[float]:
    return [amplitude * math.sin(2 * math.pi * freq * n / RATE) for n in range(int(RATE * seconds))]


def pcm16(samples: list[float]) -> list[int]:
    return [round(s * 32767) for s in samples]


@pytest.mark.rule("LIVE-7")
def test_in_phase_stereo_is_ok() -> None:
    wave = sine()
    report = check_stereo(wave, list(wave))
    assert report.status is AudioStatus.OK and report.ok
    assert report.left_dbfs == pytest.approx(20 * math.log10(0.5 / math.sqrt(2)), abs=0.05)
    assert report.mono_dbfs == pytest.approx(report.left_dbfs)
    assert report.correlation == pytest.approx(1.0)
    assert report.message.startswith("Audio OK")
    # two different voices (unrelated channels) are fine too: the mix loses about 3 dB
    other = sine(freq=523.25, amplitude=0.4)
    assert check_stereo(wave, other).ok


@pytest.mark.rule("LIVE-7")
def test_inverted_channels_cancel_in_mono() -> None:
    wave = sine()
    inverted = [-s for s in wave]
    report = check_stereo(pcm16(wave), pcm16(inverted))  # 16-bit PCM: full scale inferred
    assert report.status is AudioStatus.PHASE_CANCELLATION and not report.ok
    assert report.left_dbfs > -10 and report.right_dbfs > -10  # each side sounds fine
    assert report.mono_dbfs < report.left_dbfs - CANCEL_DB
    assert report.correlation == pytest.approx(-1.0)
    text = report.message
    assert "phase inversion" in text and "mono" in text and "Invert the polarity" in text
    # nearly inverted (a little of the other voice mixed in) still cancels
    leak = sine(freq=3000, amplitude=0.02)
    almost = [-s + e for s, e in zip(wave, leak, strict=True)]
    assert check_stereo(wave, almost).status is AudioStatus.PHASE_CANCELLATION


@pytest.mark.rule("LIVE-7")
def test_a_silent_channel_is_reported() -> None:
    wave = sine()
    silent = [0.0] * len(wave)
    left_gone = check_stereo(silent, wave)
    assert left_gone.status is AudioStatus.LEFT_SILENT
    assert left_gone.left_dbfs == -math.inf and left_gone.correlation is None
    assert "left audio channel is silent" in left_gone.message
    hiss = [1e-5 * s for s in sine(freq=7000)]  # below -60 dBFS counts as silence
    right_gone = check_stereo(wave, hiss)
    assert right_gone.status is AudioStatus.RIGHT_SILENT
    assert right_gone.right_dbfs < SILENCE_DBFS
    assert "right audio channel is silent" in right_gone.message
    both = check_stereo(silent, silent)
    assert both.status is AudioStatus.BOTH_SILENT and "No audio" in both.message


def test_interleaved_samples_and_input_errors() -> None:
    wave = sine(seconds=0.1)
    interleaved = [x for s in wave for x in (s, -s)]
    report = check_stereo(interleaved)
    assert report.status is AudioStatus.PHASE_CANCELLATION and report.samples == len(wave)
    with pytest.raises(UsageError, match="even number"):
        check_stereo([0.1, 0.2, 0.3])
    with pytest.raises(UsageError, match="differ in length"):
        check_stereo([0.1], [0.1, 0.2])
    with pytest.raises(UsageError, match="no samples"):
        check_stereo([], [])
    louder = check_stereo(wave, wave, full_scale=0.5)  # the same audio, a smaller full scale
    assert louder.left_dbfs == pytest.approx(check_stereo(wave, wave).left_dbfs + 6.02, abs=0.01)
