"""Media workflows about one task: its playback context and its media URL (MEDIA-1, MEDIA-4).

Written once without I/O, run by both clients (``Operation`` in ``client.py``). The choices
they apply are the pure rules of :mod:`.media`.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any
from urllib.parse import urlsplit

from . import _tasks
from ._engine import Engine
from ._secrets import register_secret
from .errors import StateError
from .media import DeliveryFormat, Flavor, MediaPlan, SecretUrl, Source, manifest_url
from .models import EntryVendorTask, PlaybackContext

__all__ = ["context_params", "media_url", "playback_context"]

SERVICE, ACTION = "baseEntry", "getPlaybackContext"


def _entry_id(task: EntryVendorTask) -> str:
    if not task.entry_id:
        raise StateError(f"task {task.id} names no entry: it has no media to fetch")
    return task.entry_id


def context_params(engine: Engine, entry_id: str, streamer_type: str) -> dict[str, Any]:
    """``getPlaybackContext`` parameters (MEDIA-1, reference §10.3): the entry and a
    ``KalturaPlaybackContextOptions`` with the streamer type and the service URL's scheme as
    media protocol. The KS is the request's (the task's access key), not repeated here: a
    copy in the parameters would go stale when the key is extended (KEY-2)."""
    return {
        "entryId": entry_id,
        "contextDataParams": {
            "objectType": "KalturaPlaybackContextOptions",
            "streamerType": streamer_type,
            "mediaProtocol": _scheme(engine),
        },
    }


def _scheme(engine: Engine) -> str:
    return urlsplit(engine.config.service_url).scheme or "https"


def _ask(
    engine: Engine, task: EntryVendorTask, streamer_type: str
) -> Generator[Any, Any, MediaPlan]:
    entry_id = _entry_id(task)
    params = context_params(engine, entry_id, streamer_type)
    result = yield from _tasks.task_call(engine, task, SERVICE, ACTION, params)
    context = _tasks.parse_as(
        result, PlaybackContext, f"baseEntry.getPlaybackContext ({streamer_type})"
    )
    return MediaPlan.from_context(context, entry_id=entry_id)


def playback_context(engine: Engine, task: EntryVendorTask) -> Generator[Any, Any, MediaPlan]:
    """What the task's entry offers for download: flavors and sources (MEDIA-1).

    ``baseEntry.getPlaybackContext`` with the task's access key (an expired key is extended
    once, KEY-2; the task is named in the client tag, AUTH-3), asking for HLS
    (``streamerType=applehttp``). Only when that answer holds no valid HLS source is the same
    call made with ``streamerType=http`` for direct MP4: one call for an entry with HLS, two
    without. The result (:class:`~kaltura_reach_vendor.media.MediaPlan`) holds the sources
    of both answers; ``plan.source`` is None when neither offered one.
    """
    plan = yield from _ask(engine, task, "applehttp")
    if plan.has_hls:
        return plan
    direct = yield from _ask(engine, task, "http")
    return plan.with_fallback(direct)


def media_url(
    engine: Engine,
    task: EntryVendorTask,
    flavor: Flavor | str,
    *,
    format: DeliveryFormat | Source | None = None,
) -> SecretUrl:
    """MEDIA-4: the playManifest URL of ``flavor`` alone, carrying the task's access key.

    ``format``: ``"applehttp"`` (HLS, the default, MEDIA-1), ``"url"`` (direct file), or
    the :class:`~kaltura_reach_vendor.media.Source` chosen from the playback context (its
    format). Built from the service URL and the task's partner id; no request is made. The
    key is registered for masking, and the URL's ``repr`` hides it. Call again after the
    key was extended: a URL holds the key it was built with.
    """
    if isinstance(format, Source):
        chosen: DeliveryFormat = format.delivery_format
    else:
        chosen = format or "applehttp"
    key = _tasks._access_key(task)
    if task.partner_id is None:
        raise StateError(f"task {task.id} carries no partner id: cannot address its media")
    register_secret(key)
    return manifest_url(
        engine.config.service_url, task.partner_id, _entry_id(task), flavor, key, format=chosen
    )
