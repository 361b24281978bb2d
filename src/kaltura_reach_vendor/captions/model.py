"""The caption document model: immutable cues in milliseconds, and the three delivery formats."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence

import attrs

from ..enums import CaptionType, VendorCatalogItemOutputFormat
from ..errors import UsageError

__all__ = ["CaptionDocument", "CaptionFormat", "Cue"]


class CaptionFormat(enum.Enum):
    """A caption file format the SDK reads and writes (SRT, WebVTT, DFXP/TTML)."""

    SRT = "srt"
    VTT = "vtt"
    DFXP = "dfxp"

    @property
    def extension(self) -> str:
        """The ``fileExt`` for ``captionAsset.add`` (CAP-1): ``srt``, ``vtt`` or ``dfxp``."""
        return self.value

    @property
    def caption_type(self) -> CaptionType:
        """The caption asset's ``format`` (``KalturaCaptionType``) for this file format."""
        return _CAPTION_TYPES[self]

    @property
    def output_format(self) -> VendorCatalogItemOutputFormat:
        """The catalog item / profile ``outputFormat`` value naming this format."""
        return _OUTPUT_FORMATS[self]

    @classmethod
    def of(
        cls, value: CaptionFormat | VendorCatalogItemOutputFormat | CaptionType | str
    ) -> CaptionFormat:
        """The format named by ``value``: a :class:`CaptionFormat`, a catalog
        ``VendorCatalogItemOutputFormat`` (SRT=1, DFXP=2, VTT=3), a ``CaptionType``
        (SRT, DFXP, WEBVTT) or a name (``"srt"``, ``"vtt"``, ``"webvtt"``, ``"dfxp"``,
        ``"ttml"``, case-insensitive). Anything else raises :class:`UsageError`."""
        if isinstance(value, CaptionFormat):
            return value
        if isinstance(value, VendorCatalogItemOutputFormat):
            return _FROM_OUTPUT_FORMAT[value]
        if isinstance(value, CaptionType):
            for fmt, caption_type in _CAPTION_TYPES.items():
                if caption_type is value:
                    return fmt
            raise UsageError(f"caption type {value.name} is not SRT, DFXP or WebVTT")
        if isinstance(value, str):
            found = _NAMES.get(value.strip().lower())
            if found is not None:
                return found
        raise UsageError(f"unknown caption format {value!r} (srt, vtt or dfxp)")


_CAPTION_TYPES = {
    CaptionFormat.SRT: CaptionType.SRT,
    CaptionFormat.VTT: CaptionType.WEBVTT,
    CaptionFormat.DFXP: CaptionType.DFXP,
}
_OUTPUT_FORMATS = {
    CaptionFormat.SRT: VendorCatalogItemOutputFormat.SRT,
    CaptionFormat.VTT: VendorCatalogItemOutputFormat.VTT,
    CaptionFormat.DFXP: VendorCatalogItemOutputFormat.DFXP,
}
_FROM_OUTPUT_FORMAT = {v: k for k, v in _OUTPUT_FORMATS.items()}
_NAMES = {
    "srt": CaptionFormat.SRT,
    "vtt": CaptionFormat.VTT,
    "webvtt": CaptionFormat.VTT,
    "dfxp": CaptionFormat.DFXP,
    "ttml": CaptionFormat.DFXP,
    "xml": CaptionFormat.DFXP,
}


def _non_negative(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UsageError(f"Cue.{attribute.name} must be an int >= 0 (ms), not {value!r}")


def _to_lines(value: Sequence[str] | str) -> tuple[str, ...]:
    """A string, or strings that may hold newlines, as one line per item."""
    items = (value,) if isinstance(value, str) else tuple(value)
    lines: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise UsageError(f"Cue.lines must hold strings, not {type(item).__name__}")
        lines.extend(item.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return tuple(lines)


@attrs.frozen
class Cue:
    """One caption cue: shown from ``start_ms`` (inclusive) to ``end_ms`` (exclusive).

    ``lines`` are the text lines as shown (newlines in the given text split lines; blank lines
    are not written to SRT or WebVTT, where they would end the cue); ``speaker`` is an
    optional speaker name ("Speaker 1", "Interviewer"), written as a WebVTT voice span and
    turned into text labels by :func:`~kaltura_reach_vendor.captions.label_speakers`. The
    model does not forbid bad timing (end before start, overlaps): that is what
    :func:`~kaltura_reach_vendor.captions.validate_captions` reports.
    """

    start_ms: int = attrs.field(validator=_non_negative)
    end_ms: int = attrs.field(validator=_non_negative)
    lines: tuple[str, ...] = attrs.field(converter=_to_lines)
    speaker: str | None = None

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    @property
    def text(self) -> str:
        """The lines joined with newlines."""
        return "\n".join(self.lines)


def _to_cues(value: Iterable[Cue]) -> tuple[Cue, ...]:
    cues = tuple(value)
    for cue in cues:
        if not isinstance(cue, Cue):
            raise UsageError(
                f"CaptionDocument.cues must hold Cue objects, not {type(cue).__name__}"
            )
    return cues


@attrs.frozen
class CaptionDocument:
    """An immutable caption document: its cues in file order.

    Build one from cues, or read a file with
    :func:`~kaltura_reach_vendor.captions.parse_captions`; write it with :meth:`to_srt`,
    :meth:`to_vtt`, :meth:`to_dfxp` or :meth:`write`.
    """

    cues: tuple[Cue, ...] = attrs.field(converter=_to_cues)

    def __len__(self) -> int:
        return len(self.cues)

    def __iter__(self) -> Iterator[Cue]:
        return iter(self.cues)

    def to_srt(self) -> str:
        """SubRip text (``HH:MM:SS,mmm``), cues numbered from 1."""
        from .formats import write_srt

        return write_srt(self)

    def to_vtt(self) -> str:
        """WebVTT text; a cue's speaker becomes a ``<v Speaker>`` voice span."""
        from .formats import write_vtt

        return write_vtt(self)

    def to_dfxp(self) -> str:
        """DFXP/TTML as Kaltura's DFXP reader takes it: ``<tt xmlns=ttml>``, timed ``<p>``
        elements (``begin``/``end`` clock times) in ``<body><div>``, ``<br/>`` between lines."""
        from .formats import write_dfxp

        return write_dfxp(self)

    def write(
        self, format: CaptionFormat | VendorCatalogItemOutputFormat | CaptionType | str
    ) -> str:
        """The document in ``format`` (anything :meth:`CaptionFormat.of` accepts)."""
        fmt = CaptionFormat.of(format)
        if fmt is CaptionFormat.SRT:
            return self.to_srt()
        if fmt is CaptionFormat.VTT:
            return self.to_vtt()
        return self.to_dfxp()
