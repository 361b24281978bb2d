"""Issuing and validating KS strings in the v2 shape (reference §2.1, §2.5).

A sandbox KS is URL-safe base64 of ``v2|{partnerId}|`` followed by opaque random bytes, so,
like a real v2 KS, only the partner id is readable without the server. The server keeps a
table of issued sessions (expiry, type, user, privileges, killed flag).
"""

from __future__ import annotations

import base64
import binascii
import random
import threading
from dataclasses import dataclass, field

from ._errors import ApiError, invalid_ks

SESSION_USER = 0
SESSION_ADMIN = 2

KIND_VENDOR = "vendor"
KIND_ACCESS_KEY = "access_key"
KIND_ADMIN = "admin"
KIND_WIDGET = "widget"
KIND_USER = "user"
KIND_NONE = "none"


@dataclass
class KsSession:
    """One issued session."""

    ks: str
    partner_id: int
    session_type: int
    user_id: str
    privileges: dict[str, list[str]]
    expires_at: float
    kind: str
    task_id: int | None = None
    killed: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def privilege_values(self, name: str) -> list[str]:
        """Values of one privilege (``edit:0_a/0_b`` → ``["0_a", "0_b"]``)."""
        return self.privileges.get(name, [])

    def has_privilege(self, name: str) -> bool:
        """Whether the privilege name is present."""
        return name in self.privileges

    def privileges_string(self) -> str:
        """The privileges as the comma-separated wire string."""
        parts = []
        for name, values in self.privileges.items():
            parts.append(f"{name}:{'/'.join(values)}" if values else name)
        return ",".join(parts)


def parse_privileges(text: str | None) -> dict[str, list[str]]:
    """Parse ``name[:value[/value]]`` items separated by commas."""
    result: dict[str, list[str]] = {}
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        name, _, value = item.partition(":")
        values = result.setdefault(name.strip(), [])
        if value:
            values.extend(v for v in value.split("/") if v)
    return result


def ks_partner_id(ks: str) -> int | None:
    """The partner id readable from a v2 KS (no secret needed), or None."""
    try:
        padded = ks + "=" * (-len(ks) % 4)
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=False)
    except (binascii.Error, ValueError):
        return None
    if not raw.startswith(b"v2|"):
        return None
    head = raw[3:].split(b"|", 1)[0]
    try:
        return int(head.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None


class KsTable:
    """The server-side table of issued sessions."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._lock = threading.Lock()
        self._sessions: dict[str, KsSession] = {}

    def issue(
        self,
        *,
        partner_id: int,
        session_type: int,
        user_id: str,
        privileges: dict[str, list[str]],
        expires_at: float,
        kind: str,
        task_id: int | None = None,
    ) -> KsSession:
        """Create and remember a new KS."""
        with self._lock:
            opaque = bytes(self._rng.getrandbits(8) for _ in range(48))
            raw = f"v2|{partner_id}|".encode("ascii") + opaque
            ks = base64.urlsafe_b64encode(raw).decode("ascii")
            session = KsSession(
                ks=ks,
                partner_id=partner_id,
                session_type=session_type,
                user_id=user_id,
                privileges=privileges,
                expires_at=expires_at,
                kind=kind,
                task_id=task_id,
            )
            self._sessions[ks] = session
            return session

    def lookup(self, ks: str) -> KsSession | None:
        """The session for a KS string, whatever its state."""
        with self._lock:
            return self._sessions.get(ks)

    def validate(self, ks: str, now: float) -> KsSession:
        """The live session for ``ks``, or the exact ``INVALID_KS`` the server raises."""
        session = self.lookup(ks)
        if session is None:
            # Bad base64 / bad signature: KSID is the KS string itself (§2.5).
            raise invalid_ks(ks)
        if session.killed:
            raise invalid_ks("LOGOUT")
        if now >= session.expires_at:
            raise invalid_ks("EXPIRED")
        return session

    def kill(self, ks: str) -> None:
        """Invalidate a KS (later use → ``INVALID_KS`` / ``LOGOUT``)."""
        with self._lock:
            session = self._sessions.get(ks)
            if session is not None:
                session.killed = True

    def expire(self, ks: str, now: float) -> None:
        """Force a KS to be expired (fault injection / tests)."""
        with self._lock:
            session = self._sessions.get(ks)
            if session is not None:
                session.expires_at = min(session.expires_at, now - 1)

    def all(self) -> list[KsSession]:
        """Every session issued so far."""
        with self._lock:
            return list(self._sessions.values())


def require_ks_error() -> ApiError:
    """``MISSING_KS``."""
    return ApiError("MISSING_KS")
