"""Deliveries: what a vendor calls at the end of every job, one module per service feature.

Each helper encodes its rules, ends with the task READY, or raises a typed error and leaves
the task for the caller to ``fail`` (a failed delivery never sets READY). Shared pieces (the
result, the marker that prevents two outputs for one task, request counting) are in
:mod:`._common`.
"""

from __future__ import annotations

from ._common import DeliveryResult
from .captions import deliver_captions, deliver_extended_audio_description, deliver_translation
from .chapters import Chapter, deliver_chapters

__all__ = [
    "Chapter",
    "DeliveryResult",
    "deliver_captions",
    "deliver_chapters",
    "deliver_extended_audio_description",
    "deliver_translation",
]
