"""Handlers, one module per service group; importing this package registers them all."""

from __future__ import annotations

from . import assets, content, cuepoints, reach, schedule, sessions, uploads

__all__ = ["assets", "content", "cuepoints", "reach", "schedule", "sessions", "uploads"]
