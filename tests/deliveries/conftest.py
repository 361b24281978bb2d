"""Fixtures for the media, live and moderation deliveries: the lifecycle ones, reused."""

from __future__ import annotations

from lifecycle.conftest import Driver, client_options, drive, sandbox

__all__ = ["Driver", "client_options", "drive", "sandbox"]
