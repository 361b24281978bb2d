"""Property tests: valid cue lists survive the format round trip; no input crashes the reader."""

from __future__ import annotations

import contextlib
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaltura_reach_vendor import (
    CaptionDocument,
    CaptionError,
    Cue,
    parse_captions,
    validate_captions,
)

# Letters, digits and punctuation that SRT, WebVTT and XML all write literally: no markup
# characters (< > &), no "-->" (no "-" or ">"), no braces or backslashes.
_ALPHABET = string.ascii_letters + string.digits + "éçüßñ.,?!'\"()%:;"
_WORD = st.text(_ALPHABET, min_size=1, max_size=12)
_LINE = st.lists(_WORD, min_size=1, max_size=6).map(" ".join)


@st.composite
def valid_documents(draw: st.DrawFn) -> CaptionDocument:
    cues = []
    clock = draw(st.integers(0, 5_000))
    for _ in range(draw(st.integers(1, 12))):
        start = clock + draw(st.integers(0, 10_000))
        end = start + draw(st.integers(2, 20_000))
        lines = tuple(draw(st.lists(_LINE, min_size=1, max_size=3)))
        cues.append(Cue(start, end, lines))
        clock = end
    return CaptionDocument(cues)


@given(valid_documents())
@settings(max_examples=300, deadline=None)
def test_valid_cues_survive_srt_vtt_dfxp_srt_unchanged(doc: CaptionDocument) -> None:
    """Domain: 1-12 cues in order, not overlapping (a cue may start where the previous
    ends), each at least 2 ms long, times within a few hours; 1-3 non-empty lines per cue of
    single-spaced words (no leading or trailing space) from letters, digits, accented
    letters and punctuation that none of the formats escapes or treats as markup; no
    speaker (SRT and DFXP carry none). SRT → WebVTT → DFXP → SRT gives the same document."""
    via_vtt = parse_captions(doc.to_srt()).to_vtt()
    via_dfxp = parse_captions(via_vtt).to_dfxp()
    back = parse_captions(parse_captions(via_dfxp).to_srt())
    assert back == doc
    assert validate_captions(back).ok


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_text_never_crashes_with_anything_but_caption_error(text: str) -> None:
    with contextlib.suppress(CaptionError):
        parse_captions(text)
    validate_captions(text)  # reports, never raises


_CAPTIONISH = st.sampled_from(
    [
        "WEBVTT\n\n",
        "1\n00:00:01,000 --> 00:00:02,000\n",
        "00:00:01.000 --> 00:00:00.500\n",
        '<tt xmlns="http://www.w3.org/ns/ttml"><body><div>',
        '<p begin="1s" end="2s">',
        "</p></div></body></tt>",
        "<br/>",
        "<v Bob>",
        "\r\n",
        "\n\n",
        "-->",
    ]
)


@given(st.lists(st.one_of(_CAPTIONISH, st.text(max_size=20)), max_size=12).map("".join))
@settings(max_examples=300, deadline=None)
def test_caption_shaped_text_never_crashes(text: str) -> None:
    try:
        doc = parse_captions(text)
    except CaptionError:
        return
    validate_captions(doc, max_line_chars=32)


@given(st.binary(max_size=400))
@settings(max_examples=300, deadline=None)
def test_random_bytes_never_crash_with_anything_but_caption_error(data: bytes) -> None:
    with contextlib.suppress(CaptionError):
        parse_captions(data)
    validate_captions(data)
