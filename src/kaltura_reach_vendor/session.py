"""Vendor sessions: app tokens, admin secrets and the cached vendor KS (AUTH-4 to AUTH-6).

The app-token flow (AUTH-5, reference §2.3): ``session.startWidgetSession`` for the vendor
partner's default widget ``_<partnerId>`` gives a widget KS; ``tokenHash =
hex(HASH(widgetKs + token))`` with the token's hash type; ``appToken.startSession`` with that
widget KS as ``ks`` returns the vendor session. With an admin secret, ``session.start`` with
type ADMIN (2). Either way the KS asks for the ``disableentitlement`` privilege (AUTH-4).

:class:`VendorSession` caches the KS and says when it must be renewed: a margin ahead of its
known expiry, or when the server answers ``INVALID_KS`` with KSID ``EXPIRED``/``LOGOUT``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Generator
from typing import Any

import attrs

from ._secrets import redact, register_secret
from ._wire.call import ApiCall, SessionKind
from .errors import ConfigurationError, ResponseValidationError

__all__ = [
    "HASH_TYPES",
    "AdminSecret",
    "AppToken",
    "Credentials",
    "VendorSession",
    "start_vendor_session",
    "token_hash",
]

#: App-token hash types (``KalturaAppTokenHashType`` wire values).
HASH_TYPES = ("SHA1", "MD5", "SHA256", "SHA512")
_HASHES: dict[str, Callable[[bytes], Any]] = {
    "SHA1": hashlib.sha1,
    "MD5": hashlib.md5,
    "SHA256": hashlib.sha256,
    "SHA512": hashlib.sha512,
}
VENDOR_PRIVILEGES = "disableentitlement"
SESSION_TYPE_ADMIN = 2
DEFAULT_EXPIRY = 86_400


def _hash_type(value: object) -> str:
    name = str(getattr(value, "value", value) or "SHA1").upper()
    if name not in _HASHES:
        raise ConfigurationError(f"unknown app-token hash type {name!r}; use one of {HASH_TYPES}")
    return name


def token_hash(ks: str, token: str, hash_type: str = "SHA1") -> str:
    """``lowercase_hex(HASH(ks + token))``: the ``tokenHash`` of ``appToken.startSession``."""
    digest = _HASHES[_hash_type(hash_type)]((ks + token).encode("utf-8"))
    return str(digest.hexdigest())


def _register(_instance: Any, _attribute: Any, value: str) -> None:
    register_secret(value)


@attrs.frozen
class AppToken:
    """An app token of the vendor partner: the recommended credential (AUTH-5)."""

    id: str
    token: str = attrs.field(repr=redact, validator=_register)
    hash_type: str = attrs.field(default="SHA1", converter=_hash_type)


@attrs.frozen
class AdminSecret:
    """The vendor partner's admin secret: the alternative credential (AUTH-5)."""

    secret: str = attrs.field(repr=redact, validator=_register)


Credentials = AppToken | AdminSecret

Send = Callable[[ApiCall], Generator[Any, Any, Any]]


def start_vendor_session(
    send: Send,
    credentials: Credentials,
    *,
    partner_id: int,
    expiry: int,
    now: float,
) -> Generator[Any, Any, tuple[str, float]]:
    """Start a vendor KS; returns ``(ks, expires_at)`` (unix seconds)."""
    if isinstance(credentials, AdminSecret):
        ks = yield from send(
            ApiCall(
                "session",
                "start",
                {
                    "secret": credentials.secret,
                    "partnerId": partner_id,
                    "type": SESSION_TYPE_ADMIN,
                    "expiry": expiry,
                    "privileges": VENDOR_PRIVILEGES,
                },
                session=SessionKind.NONE,
            )
        )
        if not isinstance(ks, str) or not ks:
            raise ResponseValidationError("session.start did not return a KS string")
        register_secret(ks)
        return ks, now + expiry

    widget = yield from send(
        ApiCall(
            "session",
            "startWidgetSession",
            {"widgetId": f"_{partner_id}", "expiry": expiry},
            session=SessionKind.NONE,
        )
    )
    widget_ks = widget.get("ks") if isinstance(widget, dict) else None
    if not isinstance(widget_ks, str) or not widget_ks:
        raise ResponseValidationError("session.startWidgetSession did not return a KS")
    register_secret(widget_ks)
    info = yield from send(
        ApiCall(
            "appToken",
            "startSession",
            {
                "id": credentials.id,
                "tokenHash": token_hash(widget_ks, credentials.token, credentials.hash_type),
                "type": SESSION_TYPE_ADMIN,
                "expiry": expiry,
                "sessionPrivileges": VENDOR_PRIVILEGES,
            },
            session=SessionKind.GIVEN,
            ks=widget_ks,
        )
    )
    ks = info.get("ks") if isinstance(info, dict) else None
    if not isinstance(ks, str) or not ks:
        raise ResponseValidationError("appToken.startSession did not return a KS")
    register_secret(ks)
    expires = info.get("expiry")
    try:
        expires_at = float(expires) if expires not in (None, "") else now + expiry
    except (TypeError, ValueError):
        expires_at = now + expiry
    return ks, expires_at


@attrs.define
class VendorSession:
    """The cached vendor KS: created once, reused, renewed ahead of expiry (AUTH-4, AUTH-6)."""

    credentials: Credentials
    partner_id: int
    expiry: int = DEFAULT_EXPIRY
    #: Renew this many seconds before the KS's known expiry (at most a tenth of its life).
    renew_margin: float = 600.0
    ks: str | None = attrs.field(default=None, repr=redact)
    expires_at: float | None = None
    started: int = 0  # how many sessions were started: observable in tests and metrics

    def valid_ks(self, now: float) -> str | None:
        """The cached KS if it is still good at ``now``, else ``None``."""
        if self.ks is None or self.expires_at is None:
            return None
        if now >= self.expires_at - min(self.renew_margin, self.expiry / 10):
            return None
        return self.ks

    def invalidate(self) -> None:
        self.ks = None
        self.expires_at = None

    def store(self, ks: str, expires_at: float) -> None:
        self.ks = ks
        self.expires_at = expires_at
        self.started += 1
