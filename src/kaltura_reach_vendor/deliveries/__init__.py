"""Deliveries: what a vendor calls at the end of every job, one module per service feature.

Each helper encodes its rules, ends with the task READY, or raises a typed error and leaves
the task for the caller to ``fail`` (a failed delivery never sets READY). Shared pieces (the
result, the marker that prevents two outputs for one task, request counting) are in
:mod:`._common`.
"""

from __future__ import annotations

from ._common import DeliveryResult
from .audio import deliver_audio_description, deliver_dubbing
from .captions import deliver_captions, deliver_extended_audio_description, deliver_translation
from .chapters import Chapter, deliver_chapters
from .live import LiveRegistration, register_live_feature
from .moderation import deliver_moderation
from .sign_language import deliver_sign_language

__all__ = [
    "Chapter",
    "DeliveryResult",
    "LiveRegistration",
    "deliver_audio_description",
    "deliver_captions",
    "deliver_chapters",
    "deliver_dubbing",
    "deliver_extended_audio_description",
    "deliver_moderation",
    "deliver_sign_language",
    "deliver_translation",
    "register_live_feature",
]
