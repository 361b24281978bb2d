"""``scheduleEvent.updateLiveFeature`` and ``get`` (reference §11)."""

from __future__ import annotations

from typing import Any

from .._errors import ApiError
from .._ks import KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER
from .._params import NULL, to_int, to_str
from .._registry import Call, action, out
from .._store import JsonDict

CUSTOMER = frozenset({KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER})
STRING_FIELDS = ("mediaUrl", "mediaKey", "captionUrl", "captionToken", "captionFormat", "language")
INT_FIELDS = ("preStartTime", "postEndTime", "inputDelay")


def _event(call: Call, event_id: int) -> JsonDict:
    event = call.state.schedule_events.get(event_id)
    if event is None or event.get("partnerId") != call.partner_id:
        raise ApiError("INVALID_OBJECT_ID", event_id)
    return event


@action("schedule_scheduleevent", "updateLiveFeature", allow=CUSTOMER)
def update_live_feature(call: Call) -> Any:
    """Set-fields-only update of the named live feature (LIVE-2)."""
    event_id = call.req_int("scheduledEventId")
    name = call.req_str("featureName")
    event = _event(call, event_id)
    if event.get("objectType") != "KalturaLiveStreamScheduleEvent":
        raise ApiError("INVALID_SCHEDULE_EVENT_TYPE", event_id)
    call.entry(str(event.get("templateEntryId")), edit=True)
    sent = call.obj("liveFeature", required=True) or {}
    object_type = to_str(sent.get("objectType"))
    if object_type != "KalturaLiveCaptionFeature":
        raise ApiError("OBJECT_TYPE_ABSTRACT", "KalturaLiveFeature")
    for feature in event.get("liveFeatures", []):
        if feature.get("systemName") == name:
            for field in STRING_FIELDS:
                if field in sent:
                    feature[field] = None if sent[field] is NULL else to_str(sent[field])
            for field in INT_FIELDS:
                if field in sent:
                    feature[field] = None if sent[field] is NULL else to_int(sent[field])
            event["updatedAt"] = call.state.now()
            return out(event)
    raise ApiError("FEATURE_NAME_NOT_FOUND", name)


@action("schedule_scheduleevent", "get", allow=CUSTOMER)
def schedule_event_get(call: Call) -> Any:
    """Get a schedule event."""
    return out(_event(call, call.req_int("scheduleEventId")))
