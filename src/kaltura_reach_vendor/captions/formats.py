"""Reading and writing SRT, WebVTT and DFXP/TTML with the field's libraries.

SRT goes through ``pysrt``, WebVTT through ``webvtt-py`` and DFXP/TTML through ``ttconv``
(the reference TTML/IMSC toolkit); this module only moves their objects in and out of
:class:`~kaltura_reach_vendor.captions.CaptionDocument`. Every failure of theirs on bad input
becomes :class:`~kaltura_reach_vendor.errors.CaptionParseError`.
"""

from __future__ import annotations

import html
import io
import logging
import os
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path
from typing import Any

import pysrt
import webvtt
from ttconv import model as tt_model
from ttconv.imsc import reader as tt_reader
from ttconv.imsc import writer as tt_writer

from ..enums import CaptionType, VendorCatalogItemOutputFormat
from ..errors import CaptionParseError
from .model import CaptionDocument, CaptionFormat, Cue

__all__ = ["detect_format", "parse_captions", "write_dfxp", "write_srt", "write_vtt"]

_TTML_NS = "http://www.w3.org/ns/ttml"
#: Older DFXP namespaces (and none at all), read as TTML.
_OLD_NAMESPACES = {
    "http://www.w3.org/2006/10/ttaf1": _TTML_NS,
    "http://www.w3.org/2006/04/ttaf1": _TTML_NS,
    "http://www.w3.org/2006/10/ttaf1#style": _TTML_NS + "#styling",
    "http://www.w3.org/2006/10/ttaf1#styling": _TTML_NS + "#styling",
    "http://www.w3.org/2006/10/ttaf1#metadata": _TTML_NS + "#metadata",
    "http://www.w3.org/2006/10/ttaf1#parameter": _TTML_NS + "#parameter",
}
_SRT_TIMING = re.compile(r"^\s*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}\s*-->", re.MULTILINE)
_MAX_BYTES = 64 * 1024 * 1024

ET.register_namespace("", _TTML_NS)
# ttconv logs what it skips or refuses (quoting the file's values) on its "ttconv" loggers; a
# caption engine gets the outcome as CaptionParseError instead, so they are kept quiet.
logging.getLogger("ttconv").setLevel(logging.CRITICAL)

FormatArg = CaptionFormat | VendorCatalogItemOutputFormat | CaptionType | str


def _decode(data: bytes) -> str:
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise CaptionParseError(
            f"caption file is not {encoding.upper()} text (byte {error.start})"
        ) from None


def _read_source(source: str | bytes | os.PathLike[str]) -> str:
    if isinstance(source, str):
        text = source
    elif isinstance(source, (bytes, bytearray, memoryview)):
        text = _decode(bytes(source))
    elif isinstance(source, os.PathLike):
        path = Path(source)
        try:
            text = _decode(path.read_bytes())
        except OSError as error:
            raise CaptionParseError(
                f"cannot read caption file {path.name}: {error.strerror}"
            ) from None
    else:
        raise CaptionParseError(
            f"captions must be text, bytes or a path, not {type(source).__name__}"
        )
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_format(text: str) -> CaptionFormat:
    """The format of caption ``text`` (already decoded): WebVTT by its ``WEBVTT`` header,
    DFXP/TTML by a leading ``<``, SRT by a ``HH:MM:SS,mmm -->`` timing line."""
    head = text.removeprefix("\ufeff").lstrip()
    if head.startswith("WEBVTT"):
        return CaptionFormat.VTT
    if head.startswith("<"):
        return CaptionFormat.DFXP
    if _SRT_TIMING.search(head):
        return CaptionFormat.SRT
    raise CaptionParseError("not a caption file: no WEBVTT header, <tt> document or SRT timing")


def parse_captions(
    source: str | bytes | os.PathLike[str], format: FormatArg | None = None
) -> CaptionDocument:
    """Read SRT, WebVTT or DFXP/TTML into a :class:`CaptionDocument`.

    ``source`` is the file's text (a ``str`` is always content, never a path), its bytes
    (UTF-8 with or without byte-order mark; UTF-16 with a BOM) or a path (``os.PathLike``).
    CRLF and CR line ends are accepted. ``format`` forces a format (anything
    :meth:`CaptionFormat.of` accepts); without it the format is detected. Any input that
    cannot be read raises :class:`~kaltura_reach_vendor.errors.CaptionParseError`.
    """
    text = _read_source(source)
    fmt = detect_format(text) if format is None else CaptionFormat.of(format)
    try:
        if fmt is CaptionFormat.SRT:
            return _parse_srt(text)
        if fmt is CaptionFormat.VTT:
            return _parse_vtt(text)
        return _parse_dfxp(text)
    except CaptionParseError:
        raise
    except RecursionError:
        raise CaptionParseError(f"{fmt.name} captions nest too deeply") from None
    except Exception as error:  # the libraries' own exception types, on bad input
        raise CaptionParseError(
            f"{fmt.name} captions cannot be read: {_describe(error)}"
        ) from error


def _describe(error: Exception) -> str:
    """The library's error in a few words, without echoing the file: the libraries put the
    offending text in their messages, so only the error's type is kept (and, for pysrt, the
    number of the SRT block it stopped at)."""
    name = type(error).__name__
    if type(error).__module__.startswith("pysrt"):
        where = error.args[0] if error.args and isinstance(error.args[0], int) else None
        return name + (f" at SRT block {where}" if where is not None else "")
    return name


# --- SRT ------------------------------------------------------------------------------------


def _parse_srt(text: str) -> CaptionDocument:
    items = pysrt.from_string(text, error_handling=pysrt.ERROR_RAISE)
    cues = []
    for item in items:
        cues.append(Cue(item.start.ordinal, item.end.ordinal, _clean_lines(item.text)))
    if not cues and text.strip():
        raise CaptionParseError("SRT captions cannot be read: no cue found")
    return CaptionDocument(cues)


def write_srt(doc: CaptionDocument) -> str:
    """SubRip text of ``doc`` (cues numbered from 1, ``\\n`` line ends)."""
    subs = pysrt.SubRipFile(
        items=[
            pysrt.SubRipItem(
                index=number,
                start=pysrt.SubRipTime.from_ordinal(cue.start_ms),
                end=pysrt.SubRipTime.from_ordinal(cue.end_ms),
                text="\n".join(line for line in cue.lines if line.strip()),
            )
            for number, cue in enumerate(doc.cues, start=1)
        ]
    )
    out = io.StringIO()
    subs.write_into(out, eol="\n")
    return out.getvalue()


# --- WebVTT ---------------------------------------------------------------------------------


def _parse_vtt(text: str) -> CaptionDocument:
    vtt = webvtt.WebVTT.from_string(text, strict=True)
    cues = []
    for caption in vtt.captions:
        cues.append(
            Cue(
                caption.start_time.in_milliseconds(),
                caption.end_time.in_milliseconds(),
                _clean_lines(html.unescape(caption.text)),
                speaker=caption.voice,
            )
        )
    return CaptionDocument(cues)


def write_vtt(doc: CaptionDocument) -> str:
    """WebVTT text of ``doc``; a cue's ``speaker`` becomes a ``<v Speaker>`` voice span.
    Cue text is plain text: ``&``, ``<`` and ``>`` are written as character references."""
    captions = []
    for cue in doc.cues:
        lines = [_vtt_escape(line) for line in cue.lines if line.strip()]
        if cue.speaker is not None and lines:
            lines[0] = f"<v {cue.speaker}>{lines[0]}"
        captions.append(webvtt.Caption(_vtt_time(cue.start_ms), _vtt_time(cue.end_ms), lines))
    content: str = webvtt.WebVTT(captions=captions).content
    return content


def _vtt_escape(line: str) -> str:
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _vtt_time(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


# --- DFXP / TTML ----------------------------------------------------------------------------


def _modernize(root: ET.Element) -> None:
    """Old DFXP namespaces (or none) → the TTML namespace ttconv reads."""
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag.startswith("{"):
            ns, _, local = tag[1:].partition("}")
            if ns in _OLD_NAMESPACES:
                element.tag = "{" + _OLD_NAMESPACES[ns] + "}" + local
        else:
            element.tag = "{" + _TTML_NS + "}" + tag
        for name in list(element.attrib):
            if name.startswith("{"):
                ns, _, local = name[1:].partition("}")
                if ns in _OLD_NAMESPACES:
                    element.attrib["{" + _OLD_NAMESPACES[ns] + "}" + local] = element.attrib.pop(
                        name
                    )


def _parse_dfxp(text: str) -> CaptionDocument:
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise CaptionParseError("DFXP captions with a DOCTYPE or entities are refused")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise CaptionParseError(f"DFXP captions are not well-formed XML: {error}") from None
    _modernize(root)
    if root.tag != "{" + _TTML_NS + "}tt":
        raise CaptionParseError("DFXP captions must have a <tt> root element")
    doc = tt_reader.to_model(ET.ElementTree(root))
    if doc is None:
        raise CaptionParseError("DFXP captions cannot be read: not a TTML document")
    body = doc.get_body()
    cues: list[Cue] = []
    if body is not None:
        _collect(body, Fraction(0), None, cues)
    return CaptionDocument(cues)


def _collect(
    element: Any, parent_begin: Fraction, parent_end: Fraction | None, out: list[Cue]
) -> None:
    begin = parent_begin + (element.get_begin() or 0)
    end = parent_end
    if element.get_end() is not None:
        own_end = parent_begin + element.get_end()
        end = own_end if end is None else min(end, own_end)
    if isinstance(element, tt_model.P):
        if end is None:
            raise CaptionParseError(f"DFXP paragraph {len(out) + 1} has no end time")
        lines = _clean_lines("".join(_text_of(element)))
        out.append(Cue(_ms(begin), _ms(end), lines))
        return
    for child in element:
        if isinstance(child, (tt_model.Div, tt_model.P)):
            _collect(child, begin, end, out)


def _text_of(element: Any) -> list[str]:
    parts: list[str] = []
    for child in element:
        if isinstance(child, tt_model.Br):
            parts.append("\n")
        elif isinstance(child, tt_model.Text):  # XML whitespace, newlines included, is a space
            parts.append(re.sub(r"\s+", " ", child.get_text()))
        else:
            parts.extend(_text_of(child))
    return parts


def _ms(seconds: Fraction) -> int:
    return max(0, round(seconds * 1000))


def write_dfxp(doc: CaptionDocument) -> str:
    """DFXP/TTML text of ``doc``, in the shape Kaltura's DFXP reader takes: root
    ``<tt xmlns="http://www.w3.org/ns/ttml">`` (default namespace, no prefixes, since the
    reader looks elements up by the name ``p``), ``<body><div>`` holding one ``<p>`` per cue
    with ``begin``/``end`` clock times (``HH:MM:SS.mmm``), lines separated by ``<br/>``."""
    tt_doc = tt_model.ContentDocument()
    body = tt_model.Body(tt_doc)
    div = tt_model.Div(tt_doc)
    body.push_child(div)
    tt_doc.set_body(body)
    for cue in doc.cues:
        p = tt_model.P(tt_doc)
        p.set_begin(Fraction(cue.start_ms, 1000))
        p.set_end(Fraction(cue.end_ms, 1000))
        for number, line in enumerate(cue.lines):
            if number:
                p.push_child(tt_model.Br(tt_doc))
            span = tt_model.Span(tt_doc)
            span.push_child(tt_model.Text(tt_doc, line))
            p.push_child(span)
        div.push_child(p)
    tree = tt_writer.from_model(tt_doc)
    root = tree.getroot()
    for element in root.iter():  # body/div carry no timing: each <p> is on the media timeline
        if element.tag in ("{" + _TTML_NS + "}body", "{" + _TTML_NS + "}div"):
            element.attrib.pop("begin", None)
            element.attrib.pop("end", None)
    text: str = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n"


def _clean_lines(text: str) -> tuple[str, ...]:
    """Lines with runs of whitespace collapsed and ends trimmed; blank lines dropped."""
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return tuple(line for line in lines if line)
