"""Live captions and live translation (LIVE-1 to LIVE-7).

* :class:`LiveCaptionStream` builds the caption websocket messages of reference §15.2,
  stamped from the vendor's chunk mapping (LIVE-6), and stops at the scheduled end (LIVE-5).
* :func:`serve_captions` / :func:`serve_captions_in_thread` run the caption websocket Kaltura
  connects to, authenticated by the caption token; the engine feeds it through a
  :class:`CaptionFeed`.
* :func:`check_stereo` checks the live audio in stereo and mono (LIVE-7).

Registering the feature and the task's status changes are client operations:
``register_live_feature`` (LIVE-2, LIFE-3), ``check_scheduled`` (LIVE-3), ``start_live`` and
``finish_live`` (LIVE-4). See ``docs/live.md``.

Importing this package is cheap: ``websockets`` is imported only when an endpoint starts.
"""

from __future__ import annotations

from .audio_check import CANCEL_DB, SILENCE_DBFS, AudioCheck, AudioStatus, check_stereo
from .endpoint import (
    MIN_TOKEN_LENGTH,
    CaptionEndpoint,
    CaptionFeed,
    ThreadedCaptionEndpoint,
    check_caption_token,
    new_caption_token,
    serve_captions,
    serve_captions_in_thread,
)
from .stream import (
    Alternative,
    CaptionMessage,
    Chunk,
    Item,
    LiveCaptionStream,
    LiveSchedule,
    Speaker,
    words,
)

__all__ = [
    "CANCEL_DB",
    "MIN_TOKEN_LENGTH",
    "SILENCE_DBFS",
    "Alternative",
    "AudioCheck",
    "AudioStatus",
    "CaptionEndpoint",
    "CaptionFeed",
    "CaptionMessage",
    "Chunk",
    "Item",
    "LiveCaptionStream",
    "LiveSchedule",
    "Speaker",
    "ThreadedCaptionEndpoint",
    "check_caption_token",
    "check_stereo",
    "new_caption_token",
    "serve_captions",
    "serve_captions_in_thread",
    "words",
]
