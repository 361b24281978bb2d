"""Caption documents: one typed model, SRT / WebVTT / DFXP readers and writers, CAP-6 checks.

>>> doc = parse_captions("1\\n00:00:01,000 --> 00:00:02,000\\nHello\\n")
>>> doc.cues[0]
Cue(start_ms=1000, end_ms=2000, lines=('Hello',), speaker=None)
>>> validate_captions(doc).ok
True

See ``docs/captions.md``.
"""

from __future__ import annotations

from .formats import detect_format, parse_captions
from .model import CaptionDocument, CaptionFormat, Cue
from .profile import (
    apply_profile,
    caption_type_for,
    label_speakers,
    mark_speaker_changes,
    max_line_chars,
    output_format,
    wrap_lines,
)
from .validate import CaptionProblem, CaptionProblemKind, CaptionReport, validate_captions

__all__ = [
    "CaptionDocument",
    "CaptionFormat",
    "CaptionProblem",
    "CaptionProblemKind",
    "CaptionReport",
    "Cue",
    "apply_profile",
    "caption_type_for",
    "detect_format",
    "label_speakers",
    "mark_speaker_changes",
    "max_line_chars",
    "output_format",
    "parse_captions",
    "validate_captions",
    "wrap_lines",
]
