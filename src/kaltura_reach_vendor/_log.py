"""Logging under the ``kaltura_reach_vendor`` logger, with every secret masked (AUTH-9).

Each SDK module gets its logger from :func:`get_logger`, which attaches the masking filter
(a filter on a parent logger does not see records of its children). Setting the environment
variable ``KALTURA_REACH_LOG=debug`` (or ``info``) adds a console handler.
"""

from __future__ import annotations

import logging
import os

from ._secrets import mask

__all__ = ["ROOT", "MaskingFilter", "configure_from_env", "get_logger"]

ROOT = "kaltura_reach_vendor"


class MaskingFilter(logging.Filter):
    """Rewrites a record so that neither its message nor its arguments show a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a bad format string must not hide the record
            text = str(record.msg)
        record.msg = mask(text)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


_FILTER = MaskingFilter()


def get_logger(name: str) -> logging.Logger:
    logger = logging.getLogger(name if name.startswith(ROOT) else f"{ROOT}.{name}")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger


def configure_from_env() -> None:
    """Honour ``KALTURA_REACH_LOG=debug|info`` with a console handler on the SDK's logger."""
    level_name = os.environ.get("KALTURA_REACH_LOG", "").strip().upper()
    if level_name not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        return
    root = get_logger(ROOT)
    if any(getattr(h, "_kaltura_reach_console", False) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.addFilter(_FILTER)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._kaltura_reach_console = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(getattr(logging, level_name))
