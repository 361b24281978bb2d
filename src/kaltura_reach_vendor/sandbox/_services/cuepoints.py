"""``cuePoint`` add / addFromBulk / get / list / update / delete (chapters are
KalturaThumbCuePoint subType 2; server ``plugins/cue_points/base/services/CuePointService.php``)."""

from __future__ import annotations

from typing import Any

from .._cuepoint_xml import Scene, parse_scenes, time_to_ms
from .._errors import ApiError, core_error
from .._ks import KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER
from .._params import NULL, to_int, to_str
from .._registry import Call, action, list_response, out, pager_slice
from .._store import JsonDict

CUSTOMER = frozenset({KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER})
TYPES = {
    "KalturaThumbCuePoint": "thumbCuePoint.Thumb",
    "KalturaAdCuePoint": "adCuePoint.Ad",
    "KalturaAnnotation": "annotation.Annotation",
    "KalturaCodeCuePoint": "codeCuePoint.Code",
    "KalturaEventCuePoint": "eventCuePoint.Event",
}
READY, DELETED, PENDING = 1, 2, 4
"""``CuePointStatus``; ``CuePointPeer``'s default criteria hide DELETED from get/list/update."""
SUB_TYPES = (1, 2)
"""``KalturaThumbCuePointSubType``: SLIDE, CHAPTER."""


def _sub_type(value: object) -> int:
    """An int-enum property: a value outside the enum is ``INVALID_ENUM_VALUE``
    (``KalturaRequestDeserializer``), as a chapter's ``subType`` must be 2 (CHAP-1)."""
    sub_type = to_int(value)
    if sub_type not in SUB_TYPES:
        raise ApiError(
            "INVALID_ENUM_VALUE", to_str(value), "subType", "KalturaThumbCuePointSubType"
        )
    return sub_type


def _title(value: object) -> str | None:
    """``title`` is silently truncated to 255 characters (the column's size)."""
    title = to_str(value)
    return title[:255] if title is not None else None


def _create(call: Call, sent: JsonDict) -> JsonDict:
    object_type = to_str(sent.get("objectType")) or "KalturaCuePoint"
    if object_type not in TYPES:
        raise ApiError("OBJECT_TYPE_ABSTRACT", "KalturaCuePoint")
    entry_id = to_str(sent.get("entryId"))
    if not entry_id:
        raise ApiError("PROPERTY_VALIDATION_CANNOT_BE_NULL", f"{object_type}::entryId")
    call.entry(entry_id, edit=True)
    now = call.state.now()
    cue_id = call.state.new_object_id()
    data: JsonDict = {
        "id": cue_id,
        "intId": call.state.next_int("cuepoint", 1),
        "cuePointType": TYPES[object_type],
        "status": 1,
        "entryId": entry_id,
        "partnerId": call.partner_id,
        "createdAt": now,
        "updatedAt": now,
        "tags": to_str(sent.get("tags")),
        "startTime": to_int(sent.get("startTime")) or 0,
        "partnerData": to_str(sent.get("partnerData")),
        "systemName": to_str(sent.get("systemName")),
        "isMomentary": True,
        "objectType": object_type,
    }
    if object_type == "KalturaThumbCuePoint":
        sub_type = sent.get("subType")
        data.update(
            {
                "title": _title(sent.get("title")),
                "description": to_str(sent.get("description")),
                "subType": 1 if sub_type in (None, NULL, "") else _sub_type(sub_type),
                "assetId": to_str(sent.get("assetId")),
            }
        )
        if data["subType"] == 1:
            data["status"] = 4  # PENDING: a SLIDE starts pending (ThumbCuePoint::preInsert)
    call.state.cue_points[cue_id] = data
    return data


@action("cuepoint_cuepoint", "add", allow=CUSTOMER)
def cue_point_add(call: Call) -> Any:
    """Add one cue point (abstract ``KalturaCuePoint`` → OBJECT_TYPE_ABSTRACT)."""
    return out(_create(call, call.obj("cuePoint", required=True) or {}))


def _bulk_target(call: Call, scene: Scene) -> JsonDict | None:
    """The cue point a scene updates (``sceneId``, else ``systemName`` on the entry), if any."""
    cue_points = call.state.cue_points
    candidates = []
    if scene.scene_id:
        candidates.append(cue_points.get(scene.scene_id))
    if scene.system_name:
        candidates.extend(
            c
            for c in cue_points.values()
            if c["entryId"] == scene.entry_id and c.get("systemName") == scene.system_name
        )
    for found in candidates:
        if found is not None and found["partnerId"] == call.partner_id:
            return found if found["objectType"] == "KalturaThumbCuePoint" else None
    return None


@action("cuepoint_cuepoint", "addFromBulk", allow=CUSTOMER)
def cue_point_add_from_bulk(call: Call) -> Any:
    """``<scenes><scene-thumb-cue-point entryId=…>`` XML → the created (or updated) cue points.

    The whole file is validated first (``XML_INVALID``, see ``_cuepoint_xml``); scenes are then
    applied one by one, so an unknown entry in a later scene leaves the earlier ones saved
    (server ``kCuePointManager::addFromXml``, no transaction). The server's synchronous parser
    (``kCuePointManager::parseXml`` + ``ThumbCuePointPlugin::parseXml``) reads only the entry,
    ``sceneStartTime``, ``tags`` and ``systemName``: ``title``, ``description`` and ``subType``
    are required by the schema but not stored, so a bulk thumb cue point is a SLIDE (subType 1,
    status PENDING) without title. Chapters need ``cuePoint.add`` (CHAP-1).
    """
    upload = call.file("fileData")
    if upload is None:
        raise ApiError("MISSING_MANDATORY_PARAMETER", "fileData")
    created = []
    for scene in parse_scenes(upload.data):
        try:
            call.entry(scene.entry_id, edit=True)
        except ApiError as exc:
            if exc.code != "ENTRY_ID_NOT_FOUND":
                raise
            # kCoreException::INVALID_ENTRY_ID re-thrown by the service with the bare code.
            raise core_error("INVALID_ENTRY_ID") from exc
        target = _bulk_target(call, scene)
        if target is None:
            sent: JsonDict = {
                "objectType": "KalturaThumbCuePoint",
                "entryId": scene.entry_id,
                "startTime": time_to_ms(scene.start_time),
                "tags": ",".join(t for t in scene.tags if t),
                "systemName": scene.system_name,
            }
            target = _create(call, sent)
        else:
            target["startTime"] = time_to_ms(scene.start_time)
            target["tags"] = ",".join(t for t in scene.tags if t)
            target["entryId"] = scene.entry_id
            if scene.system_name is not None:
                target["systemName"] = scene.system_name
            target["updatedAt"] = call.state.now()
        created.append(out(target) or {})
    return list_response("KalturaCuePointListResponse", created)


@action("cuepoint_cuepoint", "get", allow=CUSTOMER)
def cue_point_get(call: Call) -> Any:
    """Get a cue point."""
    return out(_load(call, call.req_str("id")))


def _load(call: Call, cue_id: str, *, edit: bool = False) -> JsonDict:
    """A live cue point of the caller's partner; ``INVALID_CUE_POINT_ID`` otherwise (deleted
    ones included: ``CuePointPeer``'s default criteria skip status DELETED)."""
    data = call.state.cue_points.get(cue_id)
    if data is None or data["partnerId"] != call.partner_id or data["status"] == DELETED:
        raise ApiError("INVALID_CUE_POINT_ID", cue_id)
    call.entry(str(data["entryId"]), edit=edit)
    return data


_UPDATABLE = ("tags", "partnerData", "systemName")
_UPDATABLE_INT = ("startTime", "triggeredAt", "partnerSortValue", "thumbOffset")


@action("cuepoint_cuepoint", "update", allow=CUSTOMER)
def cue_point_update(call: Call) -> Any:
    """Update the writable fields; ``entryId`` is insert-only, ``systemName`` unique per entry.

    ``CuePointService::updateAction``: a duplicate ``systemName`` on the entry is
    ``CUE_POINT_SYSTEM_NAME_EXISTS``; ``subType`` and ``title`` follow the insert rules.
    """
    data = _load(call, call.req_str("id"), edit=True)
    sent = call.obj("cuePoint", required=True) or {}
    object_type = to_str(sent.get("objectType")) or "KalturaCuePoint"
    if object_type not in TYPES:
        raise ApiError("OBJECT_TYPE_ABSTRACT", "KalturaCuePoint")
    for name in ("entryId", "cuePointType"):
        value = to_str(sent.get(name))
        if value is not None and sent[name] is not NULL and value != to_str(data.get(name)):
            raise ApiError("PROPERTY_VALIDATION_NOT_UPDATABLE", f"{object_type}::{name}")
    system_name = to_str(sent.get("systemName"))
    if system_name:
        for other in call.state.cue_points.values():
            if (
                other is not data
                and other["entryId"] == data["entryId"]
                and other["status"] != DELETED
                and other.get("systemName") == system_name
            ):
                raise ApiError("CUE_POINT_SYSTEM_NAME_EXISTS", system_name, other["id"])
    changes: JsonDict = {}
    for name in _UPDATABLE:
        if name in sent:
            changes[name] = None if sent[name] is NULL else to_str(sent[name])
    for name in _UPDATABLE_INT:
        if name in sent:
            changes[name] = None if sent[name] is NULL else to_int(sent[name])
    if data["objectType"] == "KalturaThumbCuePoint":
        if "title" in sent:
            changes["title"] = None if sent["title"] is NULL else _title(sent["title"])
        for name in ("description", "assetId"):
            if name in sent:
                changes[name] = None if sent[name] is NULL else to_str(sent[name])
        if "subType" in sent and sent["subType"] is not NULL:
            changes["subType"] = _sub_type(sent["subType"])
    data.update(changes)
    data["updatedAt"] = call.state.now()
    return out(data)


@action("cuepoint_cuepoint", "delete", allow=CUSTOMER)
def cue_point_delete(call: Call) -> Any:
    """Set status DELETED (2); the cue point is then neither got, listed nor updated."""
    data = _load(call, call.req_str("id"), edit=True)
    data["status"] = DELETED
    data["updatedAt"] = call.state.now()
    return None


ORDER_BY = {
    f"{sign}{field}"
    for sign in "+-"
    for field in ("intId", "createdAt", "updatedAt", "triggeredAt", "startTime", "partnerSortValue")
}
"""``KalturaCuePointOrderBy`` (a string enum: another value is ``INVALID_ENUM_VALUE``)."""


def _csv(value: Any) -> list[str]:
    return [v.strip() for v in (to_str(value) or "").split(",") if v.strip()]


def _like(haystack: Any, needle: str) -> bool:
    return needle.lower() in (to_str(haystack) or "").lower()


def _cue_matches(cue: JsonDict, filt: JsonDict, thumb: bool) -> bool:
    """``KalturaCuePointBaseFilter`` fields (and ``KalturaThumbCuePointBaseFilter``'s for a
    thumb filter); fields the filter class does not declare are ignored, as on the server."""
    checks: list[tuple[str, Any]] = [
        ("idEqual", lambda v: cue["id"] == v),
        ("idIn", lambda v: cue["id"] in _csv(v)),
        ("cuePointTypeEqual", lambda v: cue["cuePointType"] == v),
        ("cuePointTypeIn", lambda v: cue["cuePointType"] in _csv(v)),
        ("statusEqual", lambda v: str(cue["status"]) == v),
        ("statusIn", lambda v: str(cue["status"]) in _csv(v)),
        ("tagsLike", lambda v: _like(cue.get("tags"), v)),
        ("tagsMultiLikeOr", lambda v: any(_like(cue.get("tags"), t) for t in _csv(v))),
        ("tagsMultiLikeAnd", lambda v: all(_like(cue.get("tags"), t) for t in _csv(v))),
        ("startTimeGreaterThanOrEqual", lambda v: int(cue.get("startTime") or 0) >= int(v)),
        ("startTimeLessThanOrEqual", lambda v: int(cue.get("startTime") or 0) <= int(v)),
        ("systemNameEqual", lambda v: cue.get("systemName") == v),
        ("systemNameIn", lambda v: cue.get("systemName") in _csv(v)),
    ]
    if thumb:
        checks += [
            ("subTypeEqual", lambda v: str(cue.get("subType")) == v),
            ("subTypeIn", lambda v: str(cue.get("subType")) in _csv(v)),
            ("titleLike", lambda v: _like(cue.get("title"), v)),
        ]
    for name, check in checks:
        value = filt.get(name)
        if value is None or value is NULL:
            continue
        text = str(to_int(value)) if name.endswith("OrEqual") else to_str(value)
        if text is not None and text != "" and not check(text):
            return False
    return True


def _sort_key(field: str) -> Any:
    return lambda cue: (cue.get(field) is None, cue.get(field) or 0)


@action("cuepoint_cuepoint", "list", allow=CUSTOMER)
def cue_point_list(call: Call) -> Any:
    """Cue points by filter (``idEqual``/``idIn``/``entryIdEqual``/``entryIdIn`` required,
    ``KalturaCuePointFilter::validateEntryIdFiltered``), ``orderBy`` and pager (without a pager
    the server returns up to ``baseObjectFilter::getMaxInValues()``, 500).

    As for caption lists, an access key may name only entries its privileges cover (another entry
    is ``INVALID_KS`` -4); cue points reached through ``idIn`` on other entries are left out.
    """
    filt = call.obj("filter") or {}
    filter_type = to_str(filt.get("objectType")) or "KalturaCuePointFilter"
    thumb = filter_type == "KalturaThumbCuePointFilter"
    if not any(to_str(filt.get(n)) for n in ("idEqual", "idIn", "entryIdEqual", "entryIdIn")):
        names = ("idEqual", "idIn", "entryIdEqual", "entryIdIn")
        raise ApiError(
            "PROPERTY_VALIDATION_CANNOT_BE_NULL", "/".join(f"{filter_type}::{n}" for n in names)
        )
    type_value = to_str(filt.get("cuePointTypeEqual"))
    if type_value and type_value not in TYPES.values():
        raise ApiError("INVALID_ENUM_VALUE", type_value, "cuePointTypeEqual", "KalturaCuePointType")
    order = to_str(filt.get("orderBy"))
    if order and order not in ORDER_BY:
        raise ApiError("INVALID_ENUM_VALUE", order, "orderBy", "KalturaCuePointOrderBy")
    entry_ids = [e for e in (to_str(filt.get("entryIdEqual")),) if e] or _csv(filt.get("entryIdIn"))
    for entry_id in entry_ids:
        try:
            call.entry(entry_id)
        except ApiError as exc:
            # entryPeer::filterEntriesByPartnerOrKalturaNetwork drops unknown entries (an
            # empty list, no error); a denial of an existing entry stays an error.
            if exc.code != "ENTRY_ID_NOT_FOUND":
                raise
    readable: dict[str, bool] = {}

    def may_read(entry_id: str) -> bool:
        if entry_id not in readable:
            try:
                call.entry(entry_id)
                readable[entry_id] = True
            except ApiError:
                readable[entry_id] = False
        return readable[entry_id]

    items = [
        cue
        for cue in call.state.cue_points.values()
        if cue["partnerId"] == call.partner_id
        and cue["status"] != DELETED
        and (not entry_ids or cue["entryId"] in entry_ids)
        and (not thumb or cue["objectType"] == "KalturaThumbCuePoint")
        and _cue_matches(cue, filt, thumb)
        and may_read(str(cue["entryId"]))
    ]
    if order:
        items.sort(key=_sort_key(order[1:]), reverse=order[0] == "-")
    page = pager_slice(call, items, default_size=30 if call.obj("pager") else 500)
    return list_response("KalturaCuePointListResponse", [out(c) or {} for c in page], len(items))
