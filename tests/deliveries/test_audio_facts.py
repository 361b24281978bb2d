"""DUB-3 audio facts: real files generated with PyAV, read with mutagen, checked purely."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from kaltura_reach_vendor import AudioFacts, AudioFormatError, MediaError, check_audio
from kaltura_reach_vendor._transfer import ProbeAudio, probe_audio
from kaltura_reach_vendor.audio import BITRATE_TOLERANCE, read_audio_facts

from .media_files import make_aac_mp4, make_alac_mp4, make_mp3, make_mp3_in_mp4

pytestmark = pytest.mark.rule("DUB-3")


def _facts(codec: str = "mp4a.40.2", bitrate: int = 64_000) -> AudioFacts:
    return AudioFacts("MP4", codec, "AAC LC", bitrate, 2, 44_100, 1.0)


@pytest.mark.parametrize("bitrate", [64_000, 128_000])
def test_aac_lc_in_mp4_at_64_and_128_kbps_passes(bitrate: int) -> None:
    facts = read_audio_facts(make_aac_mp4(bitrate))
    assert facts.container == "MP4"
    assert facts.codec == "mp4a.40.2" and facts.is_aac_lc and facts.codec_name == "AAC-LC"
    assert abs(facts.bitrate - bitrate) <= bitrate * BITRATE_TOLERANCE
    assert facts.bitrate != bitrate  # an encoder's average, hence the tolerance
    assert (facts.channels, facts.sample_rate) == (2, 44_100)
    assert facts.duration == pytest.approx(1.0, abs=0.1)
    assert check_audio(facts) is facts


def test_a_path_and_a_file_object_read_alike(tmp_path: Path) -> None:
    data = make_aac_mp4(128_000)
    path = tmp_path / "dub.mp4"
    path.write_bytes(data)
    handle = io.BytesIO(data)
    handle.seek(7)
    assert read_audio_facts(path) == read_audio_facts(str(path)) == read_audio_facts(handle)
    assert handle.tell() == 7  # the caller's position is kept (the upload reads it next)


def test_96_kbps_is_refused_naming_what_was_found() -> None:
    with pytest.raises(AudioFormatError) as refused:
        check_audio(read_audio_facts(make_aac_mp4(96_000)))
    facts = refused.value.facts
    assert facts is not None and 94 <= facts.kbps <= 97  # the encoder's average for 96 k
    assert str(refused.value) == (
        f"found AAC-LC at {facts.kbps} kbps; DUB-3 needs AAC-LC at 64 or 128 kbps in an MP4 file"
    )
    assert isinstance(refused.value, MediaError)


@pytest.mark.parametrize(
    ("make", "found"),
    [(make_mp3_in_mp4, r"found MP3 at 1[23]\d kbps"), (make_alac_mp4, "found ALAC at ")],
)
def test_the_wrong_codec_in_mp4_is_refused(make: object, found: str) -> None:
    facts = read_audio_facts(make())  # type: ignore[operator]
    assert not facts.is_aac_lc
    with pytest.raises(AudioFormatError, match=found):
        check_audio(facts)


def test_a_file_that_is_not_mp4_is_refused_without_facts() -> None:
    for data in (make_mp3(), b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(64), b""):
        with pytest.raises(AudioFormatError, match="found no MP4 audio track") as refused:
            read_audio_facts(data)
        assert refused.value.facts is None
        assert "DUB-3 needs AAC-LC" in str(refused.value)


def test_an_mp4_without_audio_is_refused() -> None:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as out:
        stream = out.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for pts in range(5):
            frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            frame.pts = pts
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    with pytest.raises(AudioFormatError, match="found an MP4 file without an audio track"):
        read_audio_facts(buffer.getvalue())


@pytest.mark.parametrize(
    ("bitrate", "ok"),
    [
        (57_600, True),
        (57_599, False),
        (70_400, True),
        (70_401, False),
        (115_200, True),
        (140_800, True),
        (140_801, False),
        (96_000, False),
        (0, False),
    ],
)
def test_the_bitrate_tolerance_is_ten_percent(bitrate: int, ok: bool) -> None:
    if ok:
        check_audio(_facts(bitrate=bitrate))
    else:
        with pytest.raises(AudioFormatError):
            check_audio(_facts(bitrate=bitrate))


@pytest.mark.parametrize("codec", ["mp4a.40.5", "mp4a.40.29", "mp4a.40.1", "ac-3"])
def test_other_aac_profiles_are_refused(codec: str) -> None:
    with pytest.raises(AudioFormatError, match=r"found .* at 64 kbps"):
        check_audio(_facts(codec=codec))


def test_a_missing_file_is_an_os_error_outcome_of_the_probe(tmp_path: Path) -> None:
    assert isinstance(probe_audio(ProbeAudio(str(tmp_path / "absent.mp4"))), OSError)
    assert isinstance(probe_audio(ProbeAudio(make_mp3())), AudioFormatError)
    assert isinstance(probe_audio(ProbeAudio(make_aac_mp4())), AudioFacts)
    assert "absent" not in repr(ProbeAudio(str(tmp_path / "absent.mp4")))


def test_importing_the_sdk_does_not_load_mutagen() -> None:
    code = "import sys, kaltura_reach_vendor; print('mutagen' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
