"""Logging under the ``kaltura_reach_vendor`` logger, with every secret masked (AUTH-9).

Each SDK module gets its logger from :func:`get_logger`, which attaches the masking filter
(a filter on a parent logger does not see records of its children). The package logger has
a ``NullHandler``, so that nothing reaches stderr unless the application sets up logging.
:func:`install_filters` also masks the records of ``httpx`` and ``httpcore`` (httpx logs
every request URL at INFO; a media URL may carry an access key in its path).

Setting the environment variable ``KALTURA_REACH_LOG`` to ``debug``, ``info``, ``warning``
or ``error`` adds a console handler; any other non-empty value is a ``ConfigurationError``.

Log arguments that cost something to build (masked parameters) are wrapped with
:func:`~kaltura_reach_vendor._secrets.masked`, or built under ``log.isEnabledFor(level)``.
"""

from __future__ import annotations

import logging
import os

from ._secrets import mask
from .errors import ConfigurationError

__all__ = [
    "ENV_VAR",
    "LEVELS",
    "ROOT",
    "THIRD_PARTY_LOGGERS",
    "MaskingFilter",
    "configure_from_env",
    "get_logger",
    "install_filters",
]

ROOT = "kaltura_reach_vendor"
ENV_VAR = "KALTURA_REACH_LOG"
#: The values ``KALTURA_REACH_LOG`` accepts (any case), or empty for no console logging.
LEVELS = ("debug", "info", "warning", "error")
#: Loggers of the HTTP stack whose records are masked too (httpcore logs to its children).
THIRD_PARTY_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.connection_pool",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


class MaskingFilter(logging.Filter):
    """Rewrites a record so that neither its message nor its arguments show a secret.

    The message is formatted, masked and stored as ``msg`` (``args`` cleared), so that every
    handler and formatter sees the masked text. The SDK's own records also lose
    ``exc_info`` (its text is kept, masked, in ``exc_text``); with ``keep_exc_info=True``
    (other libraries' records) ``exc_info`` stays for handlers that want the exception
    object, and formatters print the masked ``exc_text``.
    """

    def __init__(self, *, keep_exc_info: bool = False) -> None:
        super().__init__()
        self.keep_exc_info = keep_exc_info

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a bad format string must not hide the record
            text = str(record.msg)
        record.msg = mask(text)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
            if not self.keep_exc_info:
                record.exc_info = None
        elif record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


_FILTER = MaskingFilter()
_THIRD_PARTY_FILTER = MaskingFilter(keep_exc_info=True)


def get_logger(name: str) -> logging.Logger:
    logger = logging.getLogger(name if name.startswith(ROOT) else f"{ROOT}.{name}")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger


def install_filters() -> None:
    """Give the package logger a ``NullHandler`` and mask ``httpx``/``httpcore`` records.

    Idempotent; called when the SDK is imported.
    """
    root = get_logger(ROOT)
    if not any(isinstance(h, logging.NullHandler) for h in root.handlers):
        root.addHandler(logging.NullHandler())
    names = set(THIRD_PARTY_LOGGERS)
    names.update(  # children created before the SDK was imported
        name
        for name in list(logging.root.manager.loggerDict)
        if name.startswith(("httpx.", "httpcore."))
    )
    for name in sorted(names):
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskingFilter) for f in logger.filters):
            logger.addFilter(_THIRD_PARTY_FILTER)


def configure_from_env() -> None:
    """Honour ``KALTURA_REACH_LOG=debug|info|warning|error`` with a console handler.

    Unset or empty: nothing. Any other value raises :class:`ConfigurationError`, naming the
    allowed values (a typo must not silently turn logging off).
    """
    raw = os.environ.get(ENV_VAR, "")
    level_name = raw.strip().lower()
    if not level_name:
        return
    if level_name not in LEVELS:
        raise ConfigurationError(
            f"{ENV_VAR}={raw!r} is not a log level: use one of {', '.join(LEVELS)} "
            "(any case), or leave it unset"
        )
    root = get_logger(ROOT)
    if not any(getattr(h, "_kaltura_reach_console", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.addFilter(_FILTER)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._kaltura_reach_console = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(getattr(logging, level_name.upper()))
