"""``cuePoint`` add / addFromBulk / get (chapters are KalturaThumbCuePoint subType 2)."""

from __future__ import annotations

from typing import Any

from .._cuepoint_xml import Scene, parse_scenes, time_to_ms
from .._errors import ApiError, core_error
from .._ks import KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER
from .._params import to_int, to_str
from .._registry import Call, action, list_response, out
from .._store import JsonDict

CUSTOMER = frozenset({KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER})
TYPES = {
    "KalturaThumbCuePoint": "thumbCuePoint.Thumb",
    "KalturaAdCuePoint": "adCuePoint.Ad",
    "KalturaAnnotation": "annotation.Annotation",
    "KalturaCodeCuePoint": "codeCuePoint.Code",
    "KalturaEventCuePoint": "eventCuePoint.Event",
}


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
        title = to_str(sent.get("title"))
        data.update(
            {
                "title": title[:255] if title is not None else None,
                "description": to_str(sent.get("description")),
                "subType": to_int(sent.get("subType")) or 1,
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
    cue_id = call.req_str("id")
    data = call.state.cue_points.get(cue_id)
    if data is None or data["partnerId"] != call.partner_id:
        # server CuePointService::getAction: KalturaCuePointErrors::INVALID_CUE_POINT_ID
        raise ApiError("INVALID_CUE_POINT_ID", cue_id)
    call.entry(str(data["entryId"]))
    return out(data)
