"""``session.start``, ``session.startWidgetSession``, ``appToken.startSession`` (§2.3)."""

from __future__ import annotations

import hashlib
from typing import Any

from .._errors import ApiError
from .._ks import (
    KIND_ADMIN,
    KIND_USER,
    KIND_VENDOR,
    KIND_WIDGET,
    SESSION_ADMIN,
    SESSION_USER,
    KsSession,
    parse_privileges,
)
from .._registry import Call, action
from .._store import State

MAX_EXPIRY = 86400


def kind_for(
    state: State, partner_id: int, session_type: int, privileges: dict[str, list[str]]
) -> str:
    """Which kind of KS this is, for permissions and the request log."""
    if partner_id == state.vendor_partner_id:
        return KIND_VENDOR
    if "widget" in privileges:
        return KIND_WIDGET
    return KIND_ADMIN if session_type >= 1 else KIND_USER


def start_session(
    state: State,
    partner_id: int,
    session_type: int,
    user_id: str,
    privileges: str | None,
    expiry: int,
) -> KsSession:
    """Issue a KS for a partner (no secret check; used by the actions and the Python API)."""
    privs = parse_privileges(privileges)
    return state.ks.issue(
        partner_id=partner_id,
        session_type=SESSION_ADMIN if session_type >= 1 else SESSION_USER,
        user_id=user_id,
        privileges=privs,
        expires_at=state.clock.now() + expiry,
        kind=kind_for(state, partner_id, session_type, privs),
    )


@action("session", "start", ks_required=False)
def session_start(call: Call) -> Any:
    """Start a session with a partner secret; returns the KS string."""
    if "secret" not in call.params:
        # ``secret`` has no default in SessionService::startAction, so the request
        # deserializer refuses its absence before the action runs (an empty value is "sent":
        # ``array_key_exists``; server api_v3/lib/KalturaRequestDeserializer.php).
        raise ApiError("MISSING_MANDATORY_PARAMETER", "secret")
    secret = call.get_str("secret") or ""
    partner_id = call.get_int("partnerId")
    session_type = call.get_int("type") or 0
    if session_type not in (0, 2):
        raise ApiError("INVALID_ENUM_VALUE", session_type, "type", "KalturaSessionType")
    partner = call.state.partners.get(partner_id or 0)
    if partner is None:
        raise ApiError("START_SESSION_ERROR", partner_id if partner_id is not None else "")
    ok = secret == partner.admin_secret or (session_type == 0 and secret == partner.user_secret)
    if not ok:
        raise ApiError("START_SESSION_ERROR", partner.id)
    expiry = call.get_int("expiry")
    expiry = MAX_EXPIRY if not expiry or expiry <= 0 else min(expiry, MAX_EXPIRY)
    session = start_session(
        call.state,
        partner.id,
        session_type,
        call.get_str("userId") or "",
        call.get_str("privileges"),
        expiry,
    )
    return session.ks


@action("session", "startWidgetSession", ks_required=False)
def start_widget_session(call: Call) -> Any:
    """Anonymous widget session for ``_{partnerId}``."""
    widget_id = call.req_str("widgetId")
    partner_id = int(widget_id[1:]) if widget_id.startswith("_") and widget_id[1:].isdigit() else 0
    if partner_id not in call.state.partners:
        raise ApiError("INVALID_WIDGET_ID", widget_id)
    expiry = call.get_int("expiry")
    expiry = MAX_EXPIRY if not expiry or expiry <= 0 else min(expiry, MAX_EXPIRY)
    session = start_session(call.state, partner_id, 0, "", "view:*,widget:1", expiry)
    return {
        "partnerId": partner_id,
        "ks": session.ks,
        "userId": "0",
        "objectType": "KalturaStartWidgetSessionResponse",
    }


def token_hash(hash_type: str, ks: str, token: str) -> str:
    """``lowercase_hex(HASH(ks + token))`` (§2.3)."""
    name = {"MD5": "md5", "SHA1": "sha1", "SHA256": "sha256", "SHA512": "sha512"}.get(
        hash_type.upper(), "sha1"
    )
    return hashlib.new(name, (ks + token).encode("utf-8")).hexdigest()


# Privilege names the server reserves (kSessionBase ``PRIVILEGE_*`` constants): a client cannot
# add them through ``sessionPrivileges``; only the app token itself can carry them
# (kSessionUtils::retrieveAllowedAppSessionPrivileges). ``disableentitlement`` is one (AUTH-4).
_SERVER_PRIVILEGE_NAMES = (
    "edit sview list download downloadasset editplaylist sviewplaylist actionslimit setrole "
    "restrictingrole limitentry iprestrict urirestrict enableentitlement disableentitlement "
    "disableentitlementforentry disableentitlementforplaylist privacycontext "
    "enablecategorymoderation reftime sessionkey preview sessionid jobtype apptoken "
    "enablechangeaccount edituser enablecaptionmoderation editadmintags "
    "restrictexplicitliveview virtualeventid searchcontext disablesessiontypecheck *"
)
SERVER_PRIVILEGES = frozenset(_SERVER_PRIVILEGE_NAMES.split())


def _allowed_session_privileges(token_privileges: str, requested: str | None) -> str:
    """The requested privileges the server adds: not reserved, not already on the token
    (unless the token gives that privilege the ``*`` value)."""
    on_token = parse_privileges(token_privileges)
    kept = []
    for item in (requested or "").split(","):
        name = item.split(":", 1)[0].strip()
        if not name:
            continue
        if (name not in SERVER_PRIVILEGES and name not in on_token) or "*" in on_token.get(
            name, []
        ):
            kept.append(item.strip())
    return ",".join(kept)


@action(
    "apptoken", "startSession", allow=frozenset({KIND_WIDGET, KIND_USER, KIND_ADMIN, KIND_VENDOR})
)
def app_token_start_session(call: Call) -> Any:
    """Verify ``tokenHash`` against the request KS and issue a session for the token."""
    token_id = call.req_str("id")
    token = call.state.app_tokens.get(token_id)
    if token is None or token.partner_id != call.partner_id or token.status == 3:
        raise ApiError("APP_TOKEN_ID_NOT_FOUND", token_id)
    assert call.ks is not None
    expected = token_hash(token.hash_type, call.ks, token.token)
    if (call.get_str("tokenHash") or "").lower() != expected:
        raise ApiError("INVALID_APP_TOKEN_HASH")
    requested = call.get_int("expiry") or token.session_duration
    expiry = min(requested, token.session_duration)
    privileges = f"sessionid:{token.id},apptoken:{token.id}"
    if token.privileges:
        privileges += "," + token.privileges
    extra = _allowed_session_privileges(token.privileges, call.get_str("sessionPrivileges"))
    if extra:
        privileges += "," + extra
    session = start_session(
        call.state,
        token.partner_id,
        token.session_type,
        token.session_user_id or call.get_str("userId") or "",
        privileges,
        expiry,
    )
    return {
        "ks": session.ks,
        "sessionType": session.session_type,
        "partnerId": session.partner_id,
        "userId": session.user_id,
        "expiry": int(session.expires_at),
        "privileges": session.privileges_string(),
        "objectType": "KalturaSessionInfo",
    }
