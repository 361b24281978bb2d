"""Reading and writing SRT, WebVTT and DFXP/TTML: detection, encodings, the DFXP Kaltura reads."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kaltura_reach_vendor import (
    CaptionDocument,
    CaptionFormat,
    CaptionParseError,
    Cue,
    ReachError,
    UsageError,
    parse_captions,
)
from kaltura_reach_vendor.captions import detect_format

SRT = (
    "1\n00:00:01,000 --> 00:00:02,500\nHello there\nsecond line\n\n"
    "2\n00:01:03,250 --> 01:00:04,001\nBye\n"
)
VTT = (
    "WEBVTT\n\nNOTE a comment\n\nintro\n00:00:01.000 --> 00:00:02.500 align:start\n"
    "Hello there\nsecond line\n\n00:01:03.250 --> 01:00:04.001\n<v Speaker 2>Bye &amp; <i>out</i>\n"
)
DFXP = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<tt xmlns="http://www.w3.org/ns/ttml" xml:lang="en"><body><div>\n'
    '  <p begin="00:00:01.000" end="00:00:02.500">Hello   there<br/>\n  second line</p>\n'
    '  <p begin="63.25s" dur="3541s"><span>Bye</span> &amp; out</p>\n'
    "</div></body></tt>\n"
)
EXPECTED = (
    Cue(1000, 2500, ("Hello there", "second line")),
    Cue(63_250, 3_604_001, ("Bye",)),
)


def test_srt_is_read_with_times_in_ms_and_lines() -> None:
    doc = parse_captions(SRT)
    assert doc.cues == EXPECTED


def test_vtt_is_read_with_voice_as_speaker_tags_stripped_and_entities_decoded() -> None:
    doc = parse_captions(VTT)
    assert doc.cues[0] == EXPECTED[0]
    assert doc.cues[1] == Cue(63_250, 3_604_001, ("Bye & out",), speaker="Speaker 2")


def test_dfxp_is_read_with_br_as_line_break_and_xml_whitespace_collapsed() -> None:
    doc = parse_captions(DFXP)
    assert doc.cues == (EXPECTED[0], Cue(63_250, 3_604_250, ("Bye & out",)))


@pytest.mark.parametrize(
    "namespace",
    ['xmlns="http://www.w3.org/2006/10/ttaf1"', "", 'xmlns="http://www.w3.org/ns/ttml"'],
)
def test_dfxp_old_namespace_or_none_is_read(namespace: str) -> None:
    text = f'<tt {namespace}><body><div><p begin="1.5s" end="2.5s">Hi</p></div></body></tt>'
    assert parse_captions(text).cues == (Cue(1500, 2500, ("Hi",)),)


def test_dfxp_prefixed_elements_and_nested_div_offsets() -> None:
    text = (
        '<tt:tt xmlns:tt="http://www.w3.org/ns/ttml"><tt:body><tt:div begin="10s" end="20s">'
        '<tt:p begin="1s" end="3s">Later</tt:p></tt:div></tt:body></tt:tt>'
    )
    assert parse_captions(text).cues == (Cue(11_000, 13_000, ("Later",)),)


@pytest.mark.parametrize("text", [SRT, VTT, DFXP])
def test_bom_and_crlf_are_accepted_as_bytes_text_and_path(text: str, tmp_path: Path) -> None:
    expected = parse_captions(text)
    crlf = text.replace("\n", "\r\n")
    assert parse_captions(("\ufeff" + crlf).encode("utf-8")) == expected
    assert parse_captions("\ufeff" + crlf) == expected
    assert parse_captions(crlf.encode("utf-16")) == expected  # UTF-16 with its BOM
    path = tmp_path / "captions.txt"
    path.write_bytes(b"\xef\xbb\xbf" + crlf.encode())
    assert parse_captions(path) == expected


def test_detection_and_forced_format() -> None:
    assert detect_format(SRT) is CaptionFormat.SRT
    assert detect_format("\ufeff  " + VTT) is CaptionFormat.VTT
    assert detect_format(DFXP) is CaptionFormat.DFXP
    assert parse_captions(SRT, format="srt") == parse_captions(SRT)
    with pytest.raises(CaptionParseError):
        parse_captions(SRT, format=CaptionFormat.DFXP)  # forced: not XML


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "just some words",
        b"\xff\x00\xc3(",  # not UTF-8
        "1\n00:00:01,000 --> 00:00:0x\nhi\n",
        "WEBVTT\n\nnot a cue --> here\n",
        "<tt",
        "<html><body/></html>",
        '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p>untimed</p></div></body></tt>',
        '<!DOCTYPE tt [<!ENTITY a "aaaa">]><tt>&a;</tt>',
    ],
)
def test_unreadable_input_raises_the_typed_error(bad: str | bytes) -> None:
    with pytest.raises(CaptionParseError) as info:
        parse_captions(bad)
    assert isinstance(info.value, ReachError)


@pytest.mark.parametrize(
    "bad",
    [
        "1\n00:00:01,000 --> 00:00:0x\nprivate words of the customer\n",
        "WEBVTT\n\nprivate words --> of the customer\n",
        '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="private words">x</p>'
        "</div></body></tt>",
    ],
)
def test_parse_error_does_not_echo_the_file(bad: str) -> None:
    with pytest.raises(CaptionParseError) as info:
        parse_captions(bad)
    assert "private" not in str(info.value)


def test_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(CaptionParseError, match="cannot read caption file"):
        parse_captions(tmp_path / "absent.srt")


DOC = CaptionDocument(
    [
        Cue(1000, 2500, ("Hello", "a < b & c")),
        Cue(3_599_999, 3_600_002, ("One hour",), speaker="Speaker 1"),
    ]
)


def test_srt_writer() -> None:
    assert DOC.to_srt() == (
        "1\n00:00:01,000 --> 00:00:02,500\nHello\na < b & c\n\n"
        "2\n00:59:59,999 --> 01:00:00,002\nOne hour\n\n"
    )


def test_vtt_writer_escapes_text_and_writes_voice_spans() -> None:
    text = DOC.to_vtt()
    assert text.startswith("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello\na &lt; b &amp; c\n")
    assert "00:59:59.999 --> 01:00:00.002\n<v Speaker 1>One hour" in text
    assert parse_captions(text) == DOC


def test_dfxp_writer_output_is_what_kalturas_reader_takes() -> None:
    """Kaltura's DFXP reader looks up elements named ``p`` (unprefixed), reads ``begin`` and
    ``end`` as clock times and takes the paragraph's text; lines are ``<br/>``-separated."""
    text = DOC.to_dfxp()
    assert text.startswith(
        '<?xml version="1.0" encoding="utf-8"?>\n<tt xmlns="http://www.w3.org/ns/ttml"'
    )
    assert "<tt:" not in text and "ns0:" not in text
    root = ET.fromstring(text)
    ns = "{http://www.w3.org/ns/ttml}"
    paragraphs = root.findall(f"{ns}body/{ns}div/{ns}p")
    assert [(p.get("begin"), p.get("end")) for p in paragraphs] == [
        ("00:00:01.000", "00:00:02.500"),
        ("00:59:59.999", "01:00:00.002"),
    ]
    assert [child.tag for child in paragraphs[0]] == [f"{ns}span", f"{ns}br", f"{ns}span"]
    assert "".join(paragraphs[0].itertext()) == "Helloa < b & c"
    body = root.find(f"{ns}body")
    assert body is not None and "begin" not in body.attrib and "end" not in body.attrib
    assert parse_captions(text) == CaptionDocument(
        [DOC.cues[0], Cue(3_599_999, 3_600_002, ("One hour",))]  # DFXP carries no speaker
    )


def test_write_by_any_format_name() -> None:
    assert DOC.write("webvtt") == DOC.to_vtt()
    assert DOC.write(CaptionFormat.DFXP) == DOC.to_dfxp()
    with pytest.raises(UsageError):
        DOC.write("scc")


def test_model_is_immutable_and_checked() -> None:
    cue = Cue(0, 10, "two\nlines")
    assert cue.lines == ("two", "lines") and cue.duration_ms == 10
    with pytest.raises(AttributeError):
        cue.start_ms = 5  # type: ignore[misc]
    with pytest.raises(UsageError):
        Cue(-1, 10, ("x",))
    with pytest.raises(UsageError):
        CaptionDocument(["not a cue"])  # type: ignore[list-item]


def test_newlines_inside_lines_split_and_blank_lines_never_end_an_srt_or_vtt_cue() -> None:
    cue = Cue(0, 1000, ("one\r\ntwo", "", "three"))
    assert cue.lines == ("one", "two", "", "three")
    doc = CaptionDocument([cue, Cue(2000, 3000, ("next",))])
    for text in (doc.to_srt(), doc.to_vtt()):
        back = parse_captions(text)
        assert [c.lines for c in back.cues] == [("one", "two", "three"), ("next",)]
