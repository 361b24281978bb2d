"""Entries: ``media`` / ``baseEntry`` actions, playback context, entry and category moderation."""

from __future__ import annotations

from typing import Any

from .._errors import ApiError
from .._ks import KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER, KIND_WIDGET
from .._params import NULL, as_list, to_int, to_str
from .._registry import Call, action, list_response, out, pager_slice
from .._store import (
    ASSET_ERROR,
    ASSET_READY,
    ENTRY_ERROR_IMPORTING,
    ENTRY_IMPORT,
    ENTRY_NO_CONTENT,
    MOD_APPROVED,
    MOD_AUTO_APPROVED,
    MOD_FLAGGED,
    MOD_PENDING,
    MOD_REJECTED,
    AssetRecord,
    EntryRecord,
    JsonDict,
    State,
)
from .assets import apply_resource, mark_source_ready, plan_conversion

CUSTOMER = frozenset({KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER})
ADMIN = frozenset({KIND_ADMIN})
ANY_CUSTOMER = frozenset({KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER, KIND_WIDGET})

ENTRY_WRITABLE = (
    "name",
    "description",
    "tags",
    "categories",
    "referenceId",
    "partnerData",
    "parentEntryId",
    "displayInSearch",
    "conversionProfileId",
)
ENTRY_READ_ONLY = frozenset(
    [
        "id",
        "partnerId",
        "status",
        "moderationStatus",
        "moderationCount",
        "createdAt",
        "updatedAt",
        "rootEntryId",
        "duration",
        "flavorParamsIds",
        "version",
    ]
)
ENTRY_INSERT_ONLY = frozenset({"mediaType", "sourceType", "creatorId", "templateEntryId"})


def new_entry(state: State, partner_id: int, sent: JsonDict, *, user_id: str = "") -> JsonDict:
    """A new media entry (NO_CONTENT until content is added)."""
    now = state.now()
    entry_id = state.new_object_id()
    data: JsonDict = {
        "id": entry_id,
        "name": to_str(sent.get("name")) or "",
        "description": to_str(sent.get("description")),
        "partnerId": partner_id,
        "userId": to_str(sent.get("userId")) or user_id,
        "creatorId": user_id,
        "tags": to_str(sent.get("tags")) or "",
        "adminTags": to_str(sent.get("adminTags")),
        "categories": to_str(sent.get("categories")),
        "status": ENTRY_NO_CONTENT,
        "moderationStatus": MOD_AUTO_APPROVED,
        "moderationCount": 0,
        "type": 1,
        "createdAt": now,
        "updatedAt": now,
        "version": 0,
        "rootEntryId": entry_id,
        "parentEntryId": to_str(sent.get("parentEntryId")),
        "msDuration": 0,
        "duration": 0,
        "mediaType": to_int(sent.get("mediaType")) or 1,
        "sourceType": to_str(sent.get("sourceType")) or "1",
        "referenceId": to_str(sent.get("referenceId")),
        "partnerData": to_str(sent.get("partnerData")),
        "objectType": "KalturaMediaEntry",
    }
    return data


def entry_out(record: EntryRecord) -> JsonDict:
    """Wire form of an entry."""
    return out(record.data) or {}


def _update_entry(call: Call, record: EntryRecord, sent: JsonDict, class_name: str) -> JsonDict:
    data = record.data
    for name, value in sent.items():
        fixed = name in ENTRY_READ_ONLY or name in ENTRY_INSERT_ONLY
        if fixed and value is not NULL and to_str(value) != to_str(data.get(name)):
            raise ApiError("PROPERTY_VALIDATION_NOT_UPDATABLE", f"{class_name}::{name}")
    for name in ENTRY_WRITABLE:
        if name in sent:
            data[name] = None if sent[name] is NULL else to_str(sent[name])
    if "adminTags" in sent:
        session = call.session
        allowed = call.kind == KIND_ADMIN or (
            session is not None and session.has_privilege("editadmintags")
        )
        if allowed:
            data["adminTags"] = None if sent["adminTags"] is NULL else to_str(sent["adminTags"])
        else:
            # §1.4: a field the KS may not update is silently dropped; only a header says so.
            call.response_headers[f"{class_name}-adminTags-error"] = (
                'Current user does not have permission to update property "adminTags"'
            )
    for name in ("multiLingual_name", "multiLingual_description", "multiLingual_tags"):
        if name in sent:
            data[name] = [
                {
                    "language": to_str(v.get("language")),
                    "value": to_str(v.get("value")),
                    "objectType": "KalturaMultiLingualString",
                }
                for v in as_list(sent[name])
                if isinstance(v, dict)
            ]
    data["updatedAt"] = call.state.now()
    return entry_out(record)


@action("media", "add", allow=CUSTOMER)
def media_add(call: Call) -> Any:
    """Create a media entry (e.g. a sign-language child entry)."""
    sent = call.obj("entry", required=True) or {}
    data = new_entry(
        call.state, call.partner_id, sent, user_id=call.session.user_id if call.session else ""
    )
    if "adminTags" in sent and not (
        call.kind == KIND_ADMIN
        or (call.session is not None and call.session.has_privilege("editadmintags"))
    ):
        data["adminTags"] = None
    record = EntryRecord(data=data, created_by_ks=call.ks)
    call.state.entries[str(data["id"])] = record
    return entry_out(record)


@action("media", "addContent", allow=CUSTOMER)
def media_add_content(call: Call) -> Any:
    """Add the source content of an entry (becomes its original flavor).

    The entry is IMPORT (0) until an upload token's file is complete, then PRECONVERT (1)
    while it converts (``media_ready_after`` sandbox seconds), then READY, or ERROR_CONVERTING
    (-1) for a file that is not an MP4 or an injected failure (-1 or -2, ``Faults``); a URL
    Kaltura cannot download is ERROR_IMPORTING (-2).
    """
    record = call.entry(call.req_str("entryId"), edit=True)
    state = call.state
    now = state.now()
    asset: JsonDict = {
        "id": state.new_object_id(),
        "entryId": record.data["id"],
        "partnerId": call.partner_id,
        "version": "0",
        "size": 0,
        "tags": "source",
        "fileExt": "mp4",
        "createdAt": now,
        "updatedAt": now,
        "description": "",
        "sizeInBytes": "0",
        "status": 0,
        "flavorParamsId": 0,
        "isOriginal": True,
        "isWeb": True,
        "width": 1280,
        "height": 720,
        "bitrate": 1200,
        "frameRate": 25,
        "containerFormat": "mp4",
        "objectType": "KalturaFlavorAsset",
    }
    flavor = AssetRecord("flavor", asset)
    state.assets[str(asset["id"])] = flavor
    resource = call.obj("resource")
    if resource is not None:
        plan_conversion(call, flavor)
        apply_resource(call, flavor, resource)
    mark_source_ready(state, flavor)
    if flavor.data["status"] == ASSET_ERROR and record.data["status"] == ENTRY_NO_CONTENT:
        record.data["status"] = ENTRY_ERROR_IMPORTING  # e.g. a URL Kaltura could not download
    elif record.data["status"] == ENTRY_NO_CONTENT and flavor.data["status"] != ASSET_READY:
        record.data["status"] = ENTRY_IMPORT  # until the upload token completes
    return entry_out(record)


@action("media", "update", allow=CUSTOMER)
def media_update(call: Call) -> Any:
    """Update an entry (edit privilege needed for access keys)."""
    record = call.entry(call.req_str("entryId"), edit=True)
    return _update_entry(
        call, record, call.obj("mediaEntry", required=True) or {}, "KalturaMediaEntry"
    )


@action("baseentry", "update", allow=CUSTOMER)
def base_entry_update(call: Call) -> Any:
    """Update an entry (edit privilege needed for access keys)."""
    record = call.entry(call.req_str("entryId"), edit=True)
    return _update_entry(
        call, record, call.obj("baseEntry", required=True) or {}, "KalturaBaseEntry"
    )


@action("media", "get", allow=ANY_CUSTOMER)
def media_get(call: Call) -> Any:
    """Get an entry."""
    return entry_out(call.entry(call.req_str("entryId")))


@action("baseentry", "get", allow=ANY_CUSTOMER)
def base_entry_get(call: Call) -> Any:
    """Get an entry."""
    return entry_out(call.entry(call.req_str("entryId")))


def _csv(value: Any) -> set[str] | None:
    text = to_str(value)
    return None if text is None else {v.strip() for v in text.split(",") if v.strip()}


@action("baseentry", "list", allow=frozenset({KIND_ADMIN, KIND_USER}))
def base_entry_list(call: Call) -> Any:
    """List entries; PENDING_MODERATION and REJECTED are hidden unless asked for (MOD-6)."""
    filt = call.obj("filter") or {}
    moderation = _csv(filt.get("moderationStatusIn"))
    if "moderationStatusEqual" in filt:
        moderation = {to_str(filt["moderationStatusEqual"]) or ""}
    items = []
    for record in call.state.entries.values():
        d = record.data
        if d["partnerId"] != call.partner_id or d["status"] == 3:
            continue
        mod = str(d.get("moderationStatus"))
        if moderation is None and mod in (str(MOD_PENDING), str(MOD_REJECTED)):
            continue
        if moderation is not None and mod not in moderation:
            continue
        if "statusEqual" in filt and str(d["status"]) != to_str(filt["statusEqual"]):
            continue
        ids = _csv(filt.get("idIn"))
        if ids is not None and d["id"] not in ids:
            continue
        if "idEqual" in filt and d["id"] != to_str(filt["idEqual"]):
            continue
        if "parentEntryIdEqual" in filt and d.get("parentEntryId") != to_str(
            filt["parentEntryIdEqual"]
        ):
            continue
        items.append(d)
    order = (to_str(filt.get("orderBy")) or "+createdAt").strip()
    items.sort(key=lambda d: (int(d.get("createdAt") or 0), d["id"]), reverse=order.startswith("-"))
    page = pager_slice(call, items)
    return list_response("KalturaBaseEntryListResponse", [out(d) or {} for d in page], len(items))


# --- playback ---------------------------------------------------------------------------------


def playable_flavors(state: State, entry_id: str) -> list[AssetRecord]:
    """READY flavors of an entry."""
    return [
        a for a in state.entry_assets(entry_id, "flavor") if a.data.get("status") == ASSET_READY
    ]


@action("baseentry", "getPlaybackContext", allow=ANY_CUSTOMER)
def get_playback_context(call: Call) -> Any:
    """Sources (HLS or progressive), flavor assets and captions of an entry (MEDIA-1)."""
    record = call.entry(call.req_str("entryId"))
    params = call.obj("contextDataParams") or {}
    streamer = to_str(params.get("streamerType")) or "http"
    entry_id = str(record.data["id"])
    pid = record.data["partnerId"]
    flavors = playable_flavors(call.state, entry_id)
    wanted = to_str(params.get("flavorAssetId"))
    if wanted:
        flavors = [f for f in flavors if f.data["id"] == wanted]
    flavor_ids = ",".join(str(f.data["id"]) for f in flavors)
    sources: list[JsonDict] = []
    base = f"{call.base_url}/p/{pid}/sp/{pid}00/playManifest/entryId/{entry_id}"
    protocol = to_str(params.get("mediaProtocol")) or "http"
    if flavors:
        if streamer == "applehttp" and record.hls:
            sources.append(
                {
                    "deliveryProfileId": 1001,
                    "format": "applehttp",
                    "protocols": "http,https",
                    "flavorIds": flavor_ids,
                    "url": f"{base}/protocol/{protocol}/format/applehttp/flavorIds/"
                    f"{flavor_ids}/a.m3u8",
                    "drm": [],
                    "objectType": "KalturaPlaybackSource",
                }
            )
        elif streamer in ("http", "url", "download"):
            sources.append(
                {
                    "deliveryProfileId": 1002,
                    "format": "url",
                    "protocols": "http,https",
                    "flavorIds": flavor_ids,
                    "url": f"{base}/protocol/{protocol}/format/url/flavorIds/{flavor_ids}/a.mp4",
                    "drm": [],
                    "objectType": "KalturaPlaybackSource",
                }
            )
    captions = []
    for asset in call.state.entry_assets(entry_id, "caption"):
        if asset.data.get("status") != ASSET_READY or asset.data.get("displayOnPlayer") is False:
            continue
        url = (
            f"{call.base_url}/api_v3/index.php/service/caption_captionAsset/action/serve/"
            f"captionAssetId/{asset.data['id']}/ks/{call.ks}"
        )
        captions.append(
            {
                "label": asset.data.get("label"),
                "format": asset.data.get("format"),
                "language": asset.data.get("language"),
                "url": url,
                "webVttUrl": url,
                "isDefault": bool(asset.data.get("isDefault")),
                "languageCode": asset.data.get("languageCode"),
                "objectType": "KalturaCaptionPlaybackPluginData",
            }
        )
    messages = []
    if not sources:
        messages.append(
            {
                "message": "No flavors found",
                "code": "NO_FLAVORS_FOUND",
                "objectType": "KalturaAccessControlMessage",
            }
        )
    return {
        "sources": sources,
        "playbackCaptions": captions,
        "flavorAssets": [out(f.data) or {} for f in flavors],
        "actions": [],
        "messages": messages,
        "bumperData": [],
        "objectType": "KalturaPlaybackContext",
    }


# --- moderation -------------------------------------------------------------------------------


@action("baseentry", "flag", allow=ANY_CUSTOMER)
def base_entry_flag(call: Call) -> Any:
    """Flag an entry: only from APPROVED, AUTO_APPROVED or FLAGGED_FOR_REVIEW (MOD-6)."""
    sent = call.obj("moderationFlag", required=True) or {}
    entry_id = to_str(sent.get("flaggedEntryId")) or ""
    record = call.entry(entry_id)
    if int(record.data.get("moderationStatus") or 0) not in (
        MOD_APPROVED,
        MOD_AUTO_APPROVED,
        MOD_FLAGGED,
    ):
        raise ApiError("ENTRY_CANNOT_BE_FLAGGED")
    flag_type = to_int(sent.get("flagType"))
    if flag_type not in range(1, 7):
        raise ApiError(
            "INVALID_ENUM_VALUE",
            to_str(sent.get("flagType")) or "",
            "flagType",
            "KalturaModerationFlagType",
        )
    flag = {
        "id": call.state.next_int("flag", 12345),
        "partnerId": call.partner_id,
        "userId": call.session.user_id if call.session else "",
        "moderationObjectType": 2,
        "flaggedEntryId": entry_id,
        "status": 1,
        "comments": to_str(sent.get("comments")),
        "flagType": flag_type,
        "createdAt": call.state.now(),
        "updatedAt": call.state.now(),
        "objectType": "KalturaModerationFlag",
    }
    call.state.flags.append(flag)
    record.data["moderationStatus"] = MOD_FLAGGED
    record.data["moderationCount"] = int(record.data.get("moderationCount") or 0) + 1
    return out(flag)


@action("baseentry", "listFlags", allow=ADMIN)
def base_entry_list_flags(call: Call) -> Any:
    """PENDING flags of an entry."""
    entry_id = call.req_str("entryId")
    call.entry(entry_id)
    flags = [f for f in call.state.flags if f["flaggedEntryId"] == entry_id and f["status"] == 1]
    page = pager_slice(call, flags)
    return list_response(
        "KalturaModerationFlagListResponse", [out(f) or {} for f in page], len(flags)
    )


def _moderate(call: Call, status: int) -> Any:
    record = call.entry(call.req_str("entryId"))
    record.data["moderationStatus"] = status
    record.data["moderationCount"] = 0
    for flag in call.state.flags:
        if flag["flaggedEntryId"] == record.data["id"]:
            flag["status"] = 2
    return None


@action("baseentry", "approve", allow=ADMIN)
def base_entry_approve(call: Call) -> Any:
    """APPROVED; pending flags become MODERATED."""
    return _moderate(call, MOD_APPROVED)


@action("baseentry", "reject", allow=ADMIN)
def base_entry_reject(call: Call) -> Any:
    """REJECTED; pending flags become MODERATED."""
    return _moderate(call, MOD_REJECTED)


def _category_entry(call: Call) -> JsonDict:
    entry_id = call.req_str("entryId")
    category_id = call.req_int("categoryId")
    try:
        call.entry(entry_id, edit=True)
    except ApiError as exc:
        if exc.code != "ENTRY_ID_NOT_FOUND":
            raise
        # CategoryEntryService activate/reject: KalturaErrors::INVALID_ENTRY_ID, $entryId
        raise ApiError("INVALID_ENTRY_ID", entry_id) from exc
    category = call.state.categories.get(category_id)
    if category is None or category.get("partnerId") != call.partner_id:
        raise ApiError("CATEGORY_NOT_FOUND", category_id)
    link = call.state.category_entries.get((category_id, entry_id))
    if link is None:
        # No args (server api_v3/services/CategoryEntryService.php).
        raise ApiError("ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY")
    return link


@action("categoryentry", "activate", allow=frozenset({KIND_ADMIN, KIND_ACCESS_KEY}))
def category_entry_activate(call: Call) -> Any:
    """PENDING → ACTIVE in one category (only a PENDING link, as on the server)."""
    link = _category_entry(call)
    if link.get("status") != 1:
        raise ApiError("CANNOT_ACTIVATE_CATEGORY_ENTRY_SINCE_IT_IS_NOT_PENDING")
    link["status"] = 2
    link["updatedAt"] = call.state.now()
    return None


@action("categoryentry", "reject", allow=frozenset({KIND_ADMIN, KIND_ACCESS_KEY}))
def category_entry_reject(call: Call) -> Any:
    """PENDING → REJECTED in one category (only a PENDING link, as on the server)."""
    link = _category_entry(call)
    if link.get("status") != 1:
        raise ApiError("CANNOT_REJECT_CATEGORY_ENTRY_SINCE_IT_IS_NOT_PENDING")
    link["status"] = 4
    link["updatedAt"] = call.state.now()
    return None
