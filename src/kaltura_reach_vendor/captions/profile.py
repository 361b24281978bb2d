"""What a caption engine takes from the task and the customer's REACH profile.

* INPUT-3: the output format is the catalog item's ``outputFormat``, else the profile's
  ``defaultOutputFormat``, else SRT; :func:`output_format` gives it as a
  :class:`CaptionFormat`, which knows the caption asset's ``format`` (``CaptionType``) and
  ``fileExt``.
* INPUT-5: ``enableSpeakerId`` (catalog item) asks for speaker labels such as
  ``[Speaker 1]`` on caption lines (:func:`label_speakers`); ``enableSpeakerChangeIndication``
  (profile) asks for ``>>`` at each change of speaker (:func:`mark_speaker_changes`).
* INPUT-6 / CAP-6: ``maxCharactersPerCaptionLine`` (:func:`wrap_lines`).
"""

from __future__ import annotations

import textwrap

import attrs

from ..enums import CaptionType, VendorCatalogItemOutputFormat
from ..errors import UsageError
from ..models import EntryVendorTask
from .model import CaptionDocument, CaptionFormat

__all__ = [
    "apply_profile",
    "caption_type_for",
    "label_speakers",
    "mark_speaker_changes",
    "max_line_chars",
    "output_format",
    "wrap_lines",
]


def output_format(task: EntryVendorTask) -> CaptionFormat:
    """INPUT-3: the format to deliver ``task`` in (catalog item ``outputFormat``, then profile
    ``defaultOutputFormat``, then SRT). ``.caption_type`` and ``.extension`` on the result
    give the caption asset's ``format`` and ``fileExt`` (CAP-1)."""
    return CaptionFormat.of(task.output_format)


def caption_type_for(fmt: CaptionFormat | VendorCatalogItemOutputFormat | str) -> CaptionType:
    """The caption asset ``format`` for an output format: SRT→SRT, DFXP→DFXP, VTT→WEBVTT.

    The two enums differ (``VendorCatalogItemOutputFormat.VTT == CaptionType.WEBVTT`` is
    false), so this is the one place they are mapped."""
    return CaptionFormat.of(fmt).caption_type


def max_line_chars(task: EntryVendorTask) -> int | None:
    """The profile's ``maxCharactersPerCaptionLine`` (None when unset or 0)."""
    profile = task.reach_profile
    value = profile.max_characters_per_caption_line if profile is not None else None
    return value or None


def wrap_lines(doc: CaptionDocument, max_chars: int | None) -> CaptionDocument:
    """Every cue's text re-wrapped at word boundaries to lines of at most ``max_chars``
    characters (``maxCharactersPerCaptionLine``). A single word longer than the limit is
    split. The existing line breaks of a cue are kept as breaks; None or 0 changes nothing."""
    if not max_chars:
        return doc
    if max_chars < 1:
        raise UsageError(f"max_chars must be positive, not {max_chars}")
    cues = []
    for cue in doc.cues:
        lines: list[str] = []
        for line in cue.lines:
            wrapped = textwrap.wrap(
                line, width=max_chars, break_long_words=True, break_on_hyphens=False
            )
            lines.extend(wrapped or [line])
        cues.append(attrs.evolve(cue, lines=tuple(lines)))
    return CaptionDocument(cues)


def label_speakers(doc: CaptionDocument) -> CaptionDocument:
    """INPUT-5, ``enableSpeakerId``: ``[Speaker]`` before the first line of every cue that
    has a speaker (``Cue(..., speaker="Speaker 1")`` → ``[Speaker 1] Hello``). The label goes
    into the text, so SRT and DFXP carry it too. Cues without a speaker are unchanged."""
    cues = []
    for cue in doc.cues:
        if cue.speaker is None or not cue.lines:
            cues.append(cue)
            continue
        first = f"[{cue.speaker}] {cue.lines[0]}"
        cues.append(attrs.evolve(cue, lines=(first, *cue.lines[1:])))
    return CaptionDocument(cues)


def mark_speaker_changes(doc: CaptionDocument) -> CaptionDocument:
    """INPUT-5, ``enableSpeakerChangeIndication``: ``>>`` before the first line of each cue
    where the speaker changes. The first cue with a speaker counts as a change (captioning
    practice marks the first speaker too); cues without a speaker are neither marked nor
    reset the current speaker."""
    cues = []
    current: str | None = None
    for cue in doc.cues:
        if cue.speaker is not None and cue.speaker != current and cue.lines:
            current = cue.speaker
            cues.append(attrs.evolve(cue, lines=(f">> {cue.lines[0]}", *cue.lines[1:])))
        else:
            cues.append(cue)
    return CaptionDocument(cues)


def apply_profile(doc: CaptionDocument, task: EntryVendorTask) -> CaptionDocument:
    """Apply what the task asks of the text: speaker labels when the catalog item's
    ``enableSpeakerId`` is on, ``>>`` when the profile's ``enableSpeakerChangeIndication`` is
    on (``>> [Speaker 1] Hello``), then wrapping to ``maxCharactersPerCaptionLine``."""
    catalog = task.catalog_item
    profile = task.reach_profile
    labelled = doc
    speaker_id = None
    if catalog is not None:
        speaker_id = getattr(catalog, "enable_speaker_id", None)
        if speaker_id is None:
            speaker_id = catalog.extra.get("enableSpeakerId")
    if speaker_id in (True, 1) or (speaker_id is not None and bool(speaker_id) is True):
        labelled = label_speakers(labelled)
    if profile is not None and bool(profile.enable_speaker_change_indication):
        labelled = mark_speaker_changes(labelled)
    return wrap_lines(labelled, max_line_chars(task))
