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
from typing import Any, Literal, get_args

import attrs

from ._log import get_logger
from ._secrets import forget_secret, redact, register_secret
from ._wire.call import ApiCall, SessionKind
from .errors import ConfigurationError, ResponseValidationError

__all__ = [
    "HASH_TYPES",
    "AdminSecret",
    "AppToken",
    "Credentials",
    "HashType",
    "VendorSession",
    "as_hash_type",
    "start_vendor_session",
    "token_hash",
]

#: An app token's hash type (``KalturaAppTokenHashType`` wire values).
HashType = Literal["SHA1", "MD5", "SHA256", "SHA512"]
#: The same values, for run-time checks.
HASH_TYPES: tuple[HashType, ...] = get_args(HashType)
_HASHES: dict[str, Callable[[bytes], Any]] = {
    "SHA1": hashlib.sha1,
    "MD5": hashlib.md5,
    "SHA256": hashlib.sha256,
    "SHA512": hashlib.sha512,
}
VENDOR_PRIVILEGES = "disableentitlement"
log = get_logger(__name__)
SESSION_TYPE_ADMIN = 2
DEFAULT_EXPIRY = 86_400


def as_hash_type(value: object) -> HashType:
    """``value`` as a :data:`HashType` (lower case accepted), or :class:`ConfigurationError`.

    For hash types read from configuration as plain strings (``KALTURA_APP_TOKEN_HASH_TYPE``).
    """
    raw = getattr(value, "value", value)  # an enum member gives its wire value
    if raw is None or raw == "":
        return "SHA1"
    if isinstance(raw, str):
        for name in HASH_TYPES:
            if raw.strip().upper() == name:
                return name
    # A hash name is short: a longer value may be a token given in the wrong place.
    shown = repr(raw) if isinstance(raw, str) and len(raw) <= 10 else type(raw).__name__
    raise ConfigurationError(
        f"unknown app-token hash type {shown}; use one of {', '.join(HASH_TYPES)}"
    )


def _hash_type(value: HashType) -> HashType:
    # Typed as HashType so that type checkers refuse other literals; checked at run time too.
    return as_hash_type(value)


def token_hash(ks: str, token: str, hash_type: str = "SHA1") -> str:
    """``lowercase_hex(HASH(ks + token))``: the ``tokenHash`` of ``appToken.startSession``."""
    digest = _HASHES[as_hash_type(hash_type)]((ks + token).encode("utf-8"))
    return str(digest.hexdigest())


def _required(what: str) -> Callable[[Any, Any, str], None]:
    """A validator refusing anything but a non-blank string; never shows the value."""

    def check(_instance: Any, _attribute: Any, value: str) -> None:
        if not isinstance(value, str):
            raise ConfigurationError(f"{what} must be a string, not {type(value).__name__}")
        if not value.strip():
            raise ConfigurationError(f"{what} is empty")

    return check


def _register(_instance: Any, _attribute: Any, value: str) -> None:
    register_secret(value, long_lived=True)


@attrs.frozen
class AppToken:
    """An app token of the vendor partner: the recommended credential (AUTH-5).

    ``hash_type`` is the token's :data:`HashType` (``"SHA1"`` by default); another value is a
    type error, and a :class:`ConfigurationError` at run time (lower case is accepted).
    """

    id: str = attrs.field(validator=_required("the app token id"))
    token: str = attrs.field(repr=redact, validator=[_required("the app token"), _register])
    hash_type: HashType = attrs.field(default="SHA1", converter=_hash_type)


@attrs.frozen
class AdminSecret:
    """The vendor partner's admin secret: the alternative credential (AUTH-5)."""

    secret: str = attrs.field(repr=redact, validator=[_required("admin_secret"), _register])


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
    forget_secret(widget_ks)  # used once, for the token hash; it dies with this flow
    _check_privileges(info.get("privileges"))
    return ks, session_expires_at(info.get("expiry"), now=now, asked=expiry)


def _check_privileges(privileges: object) -> None:
    """AUTH-4: warn when the vendor KS lacks ``disableentitlement``.

    ``appToken.startSession`` drops server-reserved names such as ``disableentitlement`` from
    the requested ``sessionPrivileges``: only an app token created with that privilege gives
    it (reference §2.3). Without it, entry reads of partners with entitlement are filtered.
    """
    if not isinstance(privileges, str):
        return
    names = {item.partition(":")[0].strip().lower() for item in privileges.split(",")}
    if VENDOR_PRIVILEGES not in names:
        log.warning(
            "the vendor session has no %s privilege (AUTH-4): appToken.startSession does not "
            "add it on request; create the app token with sessionPrivileges=%s",
            VENDOR_PRIVILEGES,
            VENDOR_PRIVILEGES,
        )


#: Below this, a reported expiry is a duration, not a unix time (1e9 is September 2001).
_UNIX_TIME_FLOOR = 1_000_000_000


def session_expires_at(reported: Any, *, now: float, asked: int) -> float:
    """When a new vendor KS stops working, from what ``appToken.startSession`` reported.

    A unix time in the future is taken as it is. A missing, unreadable, zero or past value
    (a server or proxy that reports nonsense) counts as the lifetime asked for, and a small
    positive number is read as a duration: a session whose reported expiry makes no sense
    must not start a new session on every call. If the KS really expired, the server says so
    and the session is renewed once (AUTH-6).
    """
    try:
        value = float(reported)
    except (TypeError, ValueError, OverflowError):
        return now + asked
    if value != value or value in (float("inf"), float("-inf")) or value <= 0:
        return now + asked
    if value < _UNIX_TIME_FLOOR:
        return now + value
    if value <= now:
        return now + asked
    return value


@attrs.define
class VendorSession:
    """The cached vendor KS: created once, reused, renewed ahead of expiry (AUTH-4, AUTH-6).

    Concurrency: the engine starts and renews it under one gate (single flight), and a
    caller whose KS was refused invalidates only that KS (:meth:`invalidate`), never a
    newer one another caller just stored.
    """

    credentials: Credentials
    partner_id: int
    expiry: int = DEFAULT_EXPIRY
    #: Renew this many seconds before the KS's known expiry (at most a tenth of its life).
    renew_margin: float = 600.0
    ks: str | None = attrs.field(default=None, repr=redact)
    expires_at: float | None = None
    issued_at: float | None = None
    started: int = 0  # how many sessions were started: observable in tests and metrics

    def valid_ks(self, now: float) -> str | None:
        """The cached KS if it is still good at ``now``, else ``None``."""
        if self.ks is None or self.expires_at is None:
            return None
        life = self.expires_at - (self.issued_at if self.issued_at is not None else now)
        if now >= self.expires_at - min(self.renew_margin, max(life, 0.0) / 10):
            return None
        return self.ks

    def invalidate(self, ks: str | None = None) -> bool:
        """Drop the cached KS; with ``ks``, only if it is still that one. True if dropped."""
        if self.ks is None or (ks is not None and ks != self.ks):
            return False
        forget_secret(self.ks)
        self.ks = None
        self.expires_at = None
        return True

    def store(self, ks: str, expires_at: float, now: float | None = None) -> None:
        if self.ks is not None and self.ks != ks:
            forget_secret(self.ks)
        self.ks = ks
        self.expires_at = expires_at
        self.issued_at = now
        self.started += 1
