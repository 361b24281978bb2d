"""Source captions of a translation task (TRANS-1 to TRANS-3, CAP-6), written once.

A translation whose catalog item has ``requireSource`` true (or absent) is translated from
the customer's caption asset ``taskJobData.captionAssetId``: read with ``captionAsset.get``
and ``captionAsset.getUrl`` and the task's access key, never by listing (TRANS-1). A source
below 100 % accuracy, or with a block of 1 ms or less, must not be translated: the job ends
in ERROR (TRANS-2), so :class:`~kaltura_reach_vendor.errors.SourceCaptionsRejected` carries a
short reason the caller can pass straight to ``client.fail``. A translation with
``requireSource`` false is made from the audio (TRANS-3): ``download_media``.

The file is read with :func:`kaltura_reach_vendor.captions.parse_captions` (SRT, WebVTT,
DFXP).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import attrs

from ._engine import Engine
from ._tasks import parse_as, task_call
from .captions import CaptionFormat, parse_captions
from .captions.formats import detect_format
from .enums import VendorServiceFeature
from .errors import (
    CaptionError,
    MediaDownloadError,
    SourceCaptionsRejected,
    StateError,
    UsageError,
)
from .models import CaptionAsset, EntryVendorTask

__all__ = ["SourceCaptions", "cue_times", "source_captions"]


@attrs.frozen
class SourceCaptions:
    """A translation task's source captions, checked (TRANS-2, CAP-6)."""

    asset: CaptionAsset
    #: The file's text (UTF-8, byte-order mark removed).
    text: str
    #: ``"srt"``, ``"vtt"`` or ``"dfxp"``.
    format: str
    #: (start, end) of every cue, in milliseconds.
    cues: tuple[tuple[int, int], ...]


def cue_times(text: str, fmt: str) -> tuple[tuple[int, int], ...]:
    """Every cue's (start, end) in ms; raises ValueError when the file cannot be read."""
    try:
        document = parse_captions(text, format=fmt)
    except (CaptionError, UsageError) as error:
        raise ValueError(f"{fmt} captions cannot be read") from error
    return tuple((cue.start_ms, cue.end_ms) for cue in document.cues)


def _format(asset: CaptionAsset, text: str) -> str:
    """The asset's declared format, else what the text looks like."""
    if asset.format is not None:
        try:
            return CaptionFormat.of(asset.format).value
        except UsageError:
            return str(getattr(asset.format, "name", asset.format)).lower()  # CAP, SCC ...
    try:
        return detect_format(text).value
    except CaptionError:
        return "srt"


def _check(task: EntryVendorTask) -> str:
    catalog = task.catalog_item
    feature = task.effective_service_feature
    if feature is not None and feature != VendorServiceFeature.TRANSLATION:
        raise StateError(f"task {task.id} is not a translation: it has no source captions")
    if catalog is not None and getattr(catalog, "require_source", None) is False:
        raise StateError(
            f"task {task.id} translates from the audio (requireSource is false, TRANS-3): "
            "fetch the media with download_media instead"
        )
    data = task.task_job_data
    asset_id = getattr(data, "caption_asset_id", None)
    if not asset_id:
        raise StateError(f"task {task.id} names no source caption (taskJobData.captionAssetId)")
    return str(asset_id)


def source_captions(engine: Engine, task: EntryVendorTask) -> Generator[Any, Any, SourceCaptions]:
    """The task's source captions, read and checked (TRANS-1, TRANS-2, CAP-6).

    Raises :class:`SourceCaptionsRejected` (pass it to ``fail``) for a source below 100 %
    accuracy, one that cannot be read, or one with a block of 1 ms or less; a
    ``StateError`` for a task that translates from the audio (TRANS-3).
    """
    asset_id = _check(task)
    answer = yield from task_call(
        engine, task, "caption_captionAsset", "get", {"captionAssetId": asset_id}
    )
    asset = parse_as(answer, CaptionAsset, "captionAsset.get")
    if asset.accuracy is not None and asset.accuracy < 100:
        raise SourceCaptionsRejected(
            f"source captions are {asset.accuracy}% accurate, not human-verified (100%): "
            "they are not translated (TRANS-2)"
        )
    url = yield from task_call(engine, task, "caption_captionAsset", "getUrl", {"id": asset_id})
    if not isinstance(url, str) or not url:
        raise MediaDownloadError("captionAsset.getUrl returned no URL")
    tag = {"clientTag": engine.client_tag(task.id)}  # AUTH-3, on the serve URL too
    result = yield from engine.fetch(url, "caption", "serve", params=tag)
    if result.status != 200:
        raise MediaDownloadError(
            f"source captions download failed: HTTP {result.status}", status_code=result.status
        )
    text = result.content.decode("utf-8-sig", "replace").replace("\r\n", "\n")
    fmt = _format(asset, text)
    try:
        cues = cue_times(text, fmt)
    except ValueError as error:
        raise SourceCaptionsRejected(f"source {error}") from None
    if not cues:
        raise SourceCaptionsRejected(f"source captions ({fmt}) hold no cue")
    for number, (start, end) in enumerate(cues, 1):
        if end - start <= 1:
            raise SourceCaptionsRejected(
                f"source captions have a block of {max(end - start, 0)} ms (cue {number}): "
                "they are not translated (TRANS-2, CAP-6)"
            )
    return SourceCaptions(asset, text, fmt, cues)
