"""CAP-6: caption files are checked before delivery, and every problem is listed.

Which problems block delivery: all of them. CAP-6 asks for a parseable file, cues in order
and no cue of 1 ms or less (the FAQ's ``00:00:04,000 --> 00:00:04,001`` block is refused),
and lines within ``maxCharactersPerCaptionLine`` when the profile sets it. Overlapping cues
and cues without text are refused as well: a player shows two overlapping cues at once, and
an empty cue is a timed blank. A file without any cue is refused (nothing to deliver).
"""

from __future__ import annotations

import enum
import os

import attrs

from ..errors import CaptionParseError, CaptionValidationError
from .formats import parse_captions
from .model import CaptionDocument

__all__ = ["CaptionProblem", "CaptionProblemKind", "CaptionReport", "validate_captions"]

#: A cue must last strictly longer than this (CAP-6: "no cue of 1 ms or less").
MIN_DURATION_MS = 1


class CaptionProblemKind(enum.Enum):
    """What is wrong with a caption file."""

    UNPARSEABLE = "unparseable"
    NO_CUES = "no cues"
    OUT_OF_ORDER = "out of order"
    OVERLAPPING = "overlapping"
    EMPTY_TEXT = "empty text"
    TOO_SHORT = "1 ms or less"
    LINE_TOO_LONG = "line too long"


@attrs.frozen
class CaptionProblem:
    """One problem: its kind, the cue's number (1-based, file order; None for the whole
    file), the line within that cue (1-based; only for ``LINE_TOO_LONG``), and a message."""

    kind: CaptionProblemKind
    message: str
    cue: int | None = None
    line: int | None = None
    #: Every problem CAP-6 names blocks delivery (see the module docstring).
    blocking: bool = True

    def __str__(self) -> str:
        where = ""
        if self.cue is not None:
            where = f"cue {self.cue}" + (f", line {self.line}" if self.line is not None else "")
            where += ": "
        return where + self.message


@attrs.frozen
class CaptionReport:
    """The outcome of :func:`validate_captions`: every problem found, in cue order.

    ``document`` is the parsed document (None when the input could not be parsed)."""

    problems: tuple[CaptionProblem, ...]
    document: CaptionDocument | None = None

    @property
    def ok(self) -> bool:
        """No problem blocks delivery."""
        return not self.blocking

    @property
    def blocking(self) -> tuple[CaptionProblem, ...]:
        return tuple(p for p in self.problems if p.blocking)

    def summary(self, limit: int = 5) -> str:
        """A short text for ``client.fail(task, ...)``: the first problems and a count."""
        blocking = self.blocking
        if not blocking:
            return "captions are valid"
        shown = "; ".join(str(p) for p in blocking[:limit])
        more = len(blocking) - limit
        return f"invalid captions: {shown}" + (f" (and {more} more)" if more > 0 else "")

    def raise_if_blocking(self) -> None:
        """Raise :class:`~kaltura_reach_vendor.errors.CaptionValidationError` (carrying this
        report) when a problem blocks delivery."""
        if self.blocking:
            raise CaptionValidationError(self.summary(), report=self)


def validate_captions(
    doc_or_text: CaptionDocument | str | bytes | os.PathLike[str],
    *,
    max_line_chars: int | None = None,
) -> CaptionReport:
    """Check captions before delivery (CAP-6) and list every problem.

    ``doc_or_text`` is a :class:`CaptionDocument`, or anything
    :func:`~kaltura_reach_vendor.captions.parse_captions` reads (an unreadable file gives one
    ``UNPARSEABLE`` problem instead of an exception). ``max_line_chars`` is the profile's
    ``maxCharactersPerCaptionLine``: None or 0 means no limit. Never raises on bad captions;
    call :meth:`CaptionReport.raise_if_blocking` to turn the report into an error.
    """
    if isinstance(doc_or_text, CaptionDocument):
        doc = doc_or_text
    else:
        try:
            doc = parse_captions(doc_or_text)
        except CaptionParseError as error:
            return CaptionReport((CaptionProblem(CaptionProblemKind.UNPARSEABLE, str(error)),))
    problems: list[CaptionProblem] = []
    if not doc.cues:
        problems.append(CaptionProblem(CaptionProblemKind.NO_CUES, "the file has no cue"))
    previous_start: int | None = None
    latest_end: int | None = None
    latest_end_cue = 0
    for number, cue in enumerate(doc.cues, start=1):
        if cue.duration_ms <= MIN_DURATION_MS:
            problems.append(
                CaptionProblem(
                    CaptionProblemKind.TOO_SHORT,
                    f"lasts {cue.duration_ms} ms ({_clock(cue.start_ms)} --> "
                    f"{_clock(cue.end_ms)}); a cue must last more than {MIN_DURATION_MS} ms",
                    cue=number,
                )
            )
        if previous_start is not None and cue.start_ms < previous_start:
            problems.append(
                CaptionProblem(
                    CaptionProblemKind.OUT_OF_ORDER,
                    f"starts at {_clock(cue.start_ms)}, before cue {number - 1} "
                    f"({_clock(previous_start)})",
                    cue=number,
                )
            )
        elif latest_end is not None and cue.start_ms < latest_end:
            problems.append(
                CaptionProblem(
                    CaptionProblemKind.OVERLAPPING,
                    f"starts at {_clock(cue.start_ms)}, before cue {latest_end_cue} ends "
                    f"({_clock(latest_end)})",
                    cue=number,
                )
            )
        if not any(line.strip() for line in cue.lines):
            problems.append(
                CaptionProblem(CaptionProblemKind.EMPTY_TEXT, "has no text", cue=number)
            )
        if max_line_chars:
            for line_number, line in enumerate(cue.lines, start=1):
                if len(line) > max_line_chars:
                    problems.append(
                        CaptionProblem(
                            CaptionProblemKind.LINE_TOO_LONG,
                            f"{len(line)} characters, more than {max_line_chars} "
                            "(maxCharactersPerCaptionLine)",
                            cue=number,
                            line=line_number,
                        )
                    )
        previous_start = (
            cue.start_ms if previous_start is None else max(previous_start, cue.start_ms)
        )
        if latest_end is None or cue.end_ms > latest_end:
            latest_end, latest_end_cue = cue.end_ms, number
    return CaptionReport(tuple(problems), doc)


def _clock(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"
