"""``reach_reachprofile``: the service exists, and who may call it follows the server.

Server ``deployment/permissions/service.reach.reachProfile.ini``: ``get`` and ``list`` need
``ADMIN_BASE`` (or ``KMC_ACCESS``), which an admin KS has (the vendor's own and a customer's)
but the task access key does not (a USER KS with ``setrole:REACH_VENDOR_ROLE``), so the access
key gets ``SERVICE_FORBIDDEN``. ``update`` needs ``ADMIN_BASE`` too; ``add``, ``delete`` and
``updateStatus`` are for partner -2 only, ``syncCredit`` for batch (-1): forbidden to every KS
the sandbox issues. Behind the permission, ``ReachProfileService::initService`` filters by the
KS partner (``applyPartnerFilterForClass``), so the vendor KS finds no customer profile:
``get`` answers ``REACH_PROFILE_NOT_FOUND`` and ``list`` is empty.
"""

from __future__ import annotations

from typing import Any

from .._errors import ApiError
from .._ks import KIND_ADMIN, KIND_VENDOR
from .._registry import Call, action, list_response, out, pager_slice
from .._store import JsonDict

SERVICE = "reach_reachprofile"
ADMIN_BASE = frozenset({KIND_VENDOR, KIND_ADMIN})
NOBODY: frozenset[str] = frozenset()


def _own_profile(call: Call, profile_id: int) -> JsonDict:
    profile = call.state.reach_profiles.get(profile_id)
    if profile is None or profile.get("partnerId") != call.partner_id:
        raise ApiError("REACH_PROFILE_NOT_FOUND", profile_id)
    return profile


@action(SERVICE, "get", allow=ADMIN_BASE)
def profile_get(call: Call) -> Any:
    """A profile of the KS partner."""
    return out(_own_profile(call, call.req_int("id")))


@action(SERVICE, "list", allow=ADMIN_BASE)
def profile_list(call: Call) -> Any:
    """The KS partner's profiles (none for the vendor partner)."""
    mine = [
        out(p) or {}
        for _, p in sorted(call.state.reach_profiles.items())
        if p.get("partnerId") == call.partner_id
    ]
    return list_response("KalturaReachProfileListResponse", pager_slice(call, mine), len(mine))


@action(SERVICE, "update", allow=frozenset({KIND_VENDOR}))
def profile_update(call: Call) -> Any:
    """The vendor KS passes the permission but owns no profile: not found. (The sandbox does not
    let customers edit profiles: an admin KS is refused, see docs/sandbox.md.)"""
    _own_profile(call, call.req_int("id"))
    raise call.forbid()


def _forbidden(call: Call) -> Any:
    raise call.forbid()


for _name in ("add", "delete", "updateStatus", "syncCredit"):
    action(SERVICE, _name, allow=NOBODY)(_forbidden)
