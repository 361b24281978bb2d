"""Reading a KS without any secret (reference §2.1).

* v2 (url-safe base64 starting ``djJ8`` = ``v2|``): only the partner id is readable.
* v1 (standard base64 of ``<sha1 hex>|<info>``): every field, including the expiry.
"""

from __future__ import annotations

import base64
import binascii
import re

import attrs

from ._secrets import redact
from .errors import MalformedKsError

__all__ = ["KsInfo", "parse_ks"]

#: A v1 KS is signed with SHA-1: 40 hex digits before the first ``|``.
_HEX40 = re.compile(rb"[0-9a-fA-F]{40}")


@attrs.frozen
class KsInfo:
    """What a KS says about itself. Fields a v2 KS hides are ``None``."""

    version: int
    partner_id: int
    expires_at: int | None = None
    session_type: int | None = None
    user_id: str | None = None
    privileges: str | None = None
    ks: str = attrs.field(default="", repr=redact, eq=False)

    def privilege_map(self) -> dict[str, str]:
        """``privileges`` as name → value (``disableentitlement`` → ``""``)."""
        out: dict[str, str] = {}
        for item in (self.privileges or "").split(","):
            name, _, value = item.partition(":")
            if name:
                out[name.strip()] = value
        return out


def _b64(ks: str) -> bytes:
    padded = ks + "=" * (-len(ks) % 4)
    try:
        return base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise MalformedKsError("not a Kaltura session: not base64") from None


def parse_ks(ks: str) -> KsInfo:
    """Read the public parts of a KS. Raises :class:`MalformedKsError` for anything else."""
    if not isinstance(ks, str) or not ks.strip():
        raise MalformedKsError("not a Kaltura session: empty")
    ks = ks.strip()
    raw = _b64(ks)
    if raw.startswith(b"v2|"):
        pid, sep, _ = raw[3:].partition(b"|")
        if not sep or not pid.lstrip(b"-").isdigit():
            raise MalformedKsError("not a Kaltura session: bad v2 header")
        return KsInfo(version=2, partner_id=int(pid), ks=ks)
    signature, sep, info_bytes = raw.partition(b"|")
    if not sep or not _HEX40.fullmatch(signature):
        raise MalformedKsError("not a Kaltura session: neither v1 nor v2")
    info = info_bytes.decode("utf-8", "replace").split(";")
    try:
        partner_id = int(info[0])
        expires_at = int(info[2]) if len(info) > 2 and info[2] else None
        session_type = int(info[3]) if len(info) > 3 and info[3] else None
    except ValueError:
        raise MalformedKsError("not a Kaltura session: bad v1 fields") from None
    return KsInfo(
        version=1,
        partner_id=partner_id,
        expires_at=expires_at,
        session_type=session_type,
        user_id=info[5] if len(info) > 5 else None,
        privileges=info[6] if len(info) > 6 else None,
        ks=ks,
    )
