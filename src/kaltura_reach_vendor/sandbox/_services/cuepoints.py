"""``cuePoint`` add / addFromBulk / get (chapters are KalturaThumbCuePoint subType 2)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from .._errors import ApiError
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
    call.state.cue_points[cue_id] = data
    return data


@action("cuepoint_cuepoint", "add", allow=CUSTOMER)
def cue_point_add(call: Call) -> Any:
    """Add one cue point (abstract ``KalturaCuePoint`` → OBJECT_TYPE_ABSTRACT)."""
    return out(_create(call, call.obj("cuePoint", required=True) or {}))


def _xs_time_ms(text: str) -> int:
    match = re.match(r"^\s*(\d+):(\d+):(\d+(?:\.\d+)?)\s*$", text)
    if match is None:
        return 0
    hours, minutes, seconds = int(match.group(1)), int(match.group(2)), float(match.group(3))
    return round((hours * 3600 + minutes * 60 + seconds) * 1000)


@action("cuepoint_cuepoint", "addFromBulk", allow=CUSTOMER)
def cue_point_add_from_bulk(call: Call) -> Any:
    """``<scenes><scene-thumb-cue-point entryId=…>`` XML → a list of created cue points."""
    upload = call.file("fileData")
    if upload is None:
        raise ApiError("MISSING_MANDATORY_PARAMETER", "fileData")
    try:
        root = ET.fromstring(upload.data)
    except ET.ParseError as exc:
        raise ApiError("INVALID_OBJECT_ID", "fileData") from exc
    created = []
    for scene in root:
        if not scene.tag.endswith("scene-thumb-cue-point"):
            continue
        sent: JsonDict = {
            "objectType": "KalturaThumbCuePoint",
            "entryId": scene.get("entryId"),
            "startTime": _xs_time_ms(scene.findtext("sceneStartTime") or ""),
            "title": scene.findtext("title"),
            "description": scene.findtext("description"),
            "subType": scene.findtext("subType") or "2",
            "systemName": scene.get("systemName"),
        }
        created.append(out(_create(call, sent)) or {})
    return list_response("KalturaCuePointListResponse", created)


@action("cuepoint_cuepoint", "get", allow=CUSTOMER)
def cue_point_get(call: Call) -> Any:
    """Get a cue point."""
    cue_id = call.req_str("id")
    data = call.state.cue_points.get(cue_id)
    if data is None or data["partnerId"] != call.partner_id:
        raise ApiError("INVALID_OBJECT_ID", cue_id)
    call.entry(str(data["entryId"]))
    return out(data)
