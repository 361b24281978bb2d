"""Attachment and flavor assets, and content resources (reference §10); captions: ``captions``."""

from __future__ import annotations

from typing import Any

import httpx

from .._errors import ApiError
from .._ks import KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER
from .._languages import KALTURA_LANGUAGES
from .._params import NULL, as_list, to_bool, to_float, to_int, to_str
from .._registry import Call, FileResult, action, list_response, out
from .._store import (
    ASSET_CONVERTING,
    ASSET_ERROR,
    ASSET_QUEUED,
    ASSET_READY,
    ENTRY_ERROR_CONVERTING,
    ENTRY_PRECONVERT,
    ENTRY_READY,
    UPLOAD_CLOSED,
    UPLOAD_FULL,
    AssetRecord,
    Conversion,
    JsonDict,
    State,
)

CUSTOMER = frozenset({KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER})

LANGUAGE_CODES = {
    "English": "en",
    "Spanish": "es",
    "French": "fr",
    "German": "de",
    "Hebrew": "he",
    "Italian": "it",
    "Portuguese": "pt",
    "Dutch": "nl",
    "Japanese": "ja",
    "Chinese": "zh",
    "Arabic": "ar",
    "Russian": "ru",
    "Korean": "ko",
    "Welsh": "cy",
    "Catalan": "ca",
}
CAPTION_FORMATS = {"1": "srt", "2": "dfxp", "3": "vtt", "4": "cap", "5": "scc"}
ATTACHMENT_FORMATS = {"1": "txt", "2": "media", "3": "doc", "4": "json", "5": "md"}
CAPTION_TYPES = frozenset({"KalturaCaptionAsset"})
ATTACHMENT_TYPES = frozenset({"KalturaAttachmentAsset", "KalturaTranscriptAsset"})


def language_value(value: Any) -> str | None:
    """A ``KalturaLanguage`` value: an English name such as ``English``, never an ISO code.

    ``en``, ``eng``, ``english`` and REACH-only names (``Auto Detect``, ``English (ASL)``) are
    ``INVALID_ENUM_VALUE``, as the server's request deserializer answers (INPUT-8).
    """
    text = to_str(value)
    if text is not None and text not in KALTURA_LANGUAGES:
        raise ApiError("INVALID_ENUM_VALUE", text, "language", "KalturaLanguage")
    return text


def nullable_bool(value: Any) -> bool | None:
    if value is None or value is NULL:
        return None
    text = to_str(value)
    if text in ("-1",):
        return None
    return to_bool(value)


def _now_fields(state: State) -> JsonDict:
    now = state.now()
    return {"createdAt": now, "updatedAt": now}


def base_asset(state: State, entry_id: str, partner_id: int, object_type: str) -> JsonDict:
    return {
        "id": state.new_object_id(),
        "entryId": entry_id,
        "partnerId": partner_id,
        "version": "0",
        "size": 0,
        "tags": "",
        "fileExt": None,
        **_now_fields(state),
        "description": "",
        "sizeInBytes": "0",
        "status": ASSET_QUEUED,
        "objectType": object_type,
    }


def get_asset(call: Call, asset_id: str, kind: str, *, edit: bool = False) -> AssetRecord:
    """An asset of ``kind`` the KS may read (or edit); the plugin's not-found error otherwise."""
    record = call.state.assets.get(asset_id)
    errors = {
        "caption": "CAPTION_ASSET_ID_NOT_FOUND",
        "attachment": "ATTACHMENT_ASSET_ID_NOT_FOUND",
        "flavor": "FLAVOR_ASSET_ID_NOT_FOUND",
    }
    if record is None or record.kind != kind or record.data.get("partnerId") != call.partner_id:
        raise ApiError(errors[kind], asset_id)
    if record.data.get("status") == 3:
        raise ApiError(errors[kind], asset_id)
    call.entry(str(record.data["entryId"]), edit=edit)
    return record


# --- content resources ----------------------------------------------------------------------


def _caption_ok(asset: AssetRecord, content: bytes) -> bool:
    if not content.strip():
        return False
    if asset.kind == "caption" and str(asset.data.get("format")) in ("1", "3"):
        return b"-->" in content
    return True


def finalize_asset(state: State, asset: AssetRecord, content: bytes) -> None:
    """Store the file and move the asset to READY (or ERROR when the file cannot be parsed)."""
    asset.content = content
    # Bytes, not KB: setContent stores the file's byte size (server CaptionAssetService /
    # AttachmentAssetService / FlavorAssetService ``attachFile``: ``setSize(filesize(...))``);
    # ``sizeInBytes`` comes from the file sync (kFileSyncUtils::setSizeInBytesOnAsset), a
    # bigint the JSON serializer writes as a string (seed 003: "size": 73002, "sizeInBytes":
    # "73002").
    asset.data["size"] = len(content)
    asset.data["sizeInBytes"] = str(len(content))
    asset.data["updatedAt"] = state.now()
    asset.data["version"] = str(int(asset.data.get("version") or 0) + 1)
    if asset.conversion is not None:
        start_conversion(state, asset, content)
        return
    if _caption_ok(asset, content):
        asset.data["status"] = ASSET_READY
        asset.data["description"] = ""
    else:
        asset.data["status"] = ASSET_ERROR
        asset.data["description"] = "Failed to parse the caption file"
    if asset.kind == "flavor" and asset.data["status"] == ASSET_READY:
        if not asset.data.get("containerFormat"):
            asset.data["containerFormat"] = "mp4"
        mark_source_ready(state, asset)


def mark_source_ready(state: State, asset: AssetRecord) -> None:
    """Once the source flavor has content, its entry is READY."""
    entry = state.entries.get(str(asset.data["entryId"]))
    if entry is None or asset.data.get("status") != ASSET_READY or not asset.data.get("isOriginal"):
        return
    entry.data["status"] = ENTRY_READY
    if not entry.data.get("msDuration"):
        entry.data["msDuration"] = 30000
        entry.data["duration"] = 30
    entry.data["flavorParamsIds"] = ",".join(
        str(a.data.get("flavorParamsId"))
        for a in state.entry_assets(str(entry.data["id"]), "flavor")
    )


# --- conversion of vendor-delivered media -----------------------------------------------------
#
# Production converts a flavor or an entry's source asynchronously after setContent/addContent.
# The sandbox plays this on its clock: CONVERTING (flavor 1, entry PRECONVERT 1) until
# ``media_ready_after`` seconds have passed, then READY, or ERROR (-1; an entry -1 or -2) for a
# file that is not an MP4 or an injected ``Faults.fail_next_conversion``. Outcomes are settled
# lazily (``settle_conversions``) before every API call, media answer and inspection: no thread.


def is_mp4(content: bytes) -> bool:
    """An ISO base media file (MP4, M4A, MOV): its first box is ``ftyp`` (bytes 4..8)."""
    return len(content) >= 8 and content[4:8] == b"ftyp"


def plan_conversion(call: Call, asset: AssetRecord) -> None:
    """Mark a flavor given content by the vendor as converting when its file arrives."""
    options = call.options
    faults = getattr(options, "faults", None)
    failure = faults.take_conversion_failure() if faults is not None else None
    asset.conversion = Conversion(float(getattr(options, "media_ready_after", 0.0)), failure)


def start_conversion(state: State, asset: AssetRecord, content: bytes) -> None:
    """The file arrived: CONVERTING until ``ready_at``, with the outcome decided now."""
    conversion = asset.conversion
    assert conversion is not None
    conversion.ready_at = state.clock.now() + conversion.after
    if not is_mp4(content):
        conversion.outcome = ASSET_ERROR
        conversion.reason = "Failed to convert: the file is not an MP4 (no ftyp box)"
    elif conversion.failure is not None:
        conversion.outcome = ASSET_ERROR
        conversion.reason = "Failed to convert (injected fault)"
    else:
        conversion.outcome = ASSET_READY
    asset.data["status"] = ASSET_CONVERTING
    asset.data["description"] = ""
    state.converting.add(str(asset.data["id"]))
    entry = state.entries.get(str(asset.data["entryId"]))
    if entry is not None and asset.data.get("isOriginal"):
        entry.data["status"] = ENTRY_PRECONVERT
    settle_conversions(state)


def settle_conversions(state: State) -> None:
    """Give every conversion whose time has come (sandbox clock) its outcome."""
    if not state.converting:
        return
    now = state.clock.now()
    for asset_id in sorted(state.converting):
        asset = state.assets.get(asset_id)
        conversion = asset.conversion if asset is not None else None
        if asset is None or conversion is None or conversion.ready_at is None:
            state.converting.discard(asset_id)
            continue
        if now < conversion.ready_at:
            continue
        state.converting.discard(asset_id)
        if asset.data.get("status") != ASSET_CONVERTING:
            continue  # deleted meanwhile
        asset.data["updatedAt"] = state.now()
        entry = state.entries.get(str(asset.data["entryId"]))
        if conversion.outcome == ASSET_READY:
            asset.data["status"] = ASSET_READY
            if not asset.data.get("containerFormat"):
                asset.data["containerFormat"] = "mp4"
            mark_source_ready(state, asset)
            continue
        asset.data["status"] = ASSET_ERROR
        asset.data["description"] = conversion.reason
        if entry is not None and asset.data.get("isOriginal"):
            failure = conversion.failure
            entry.data["status"] = ENTRY_ERROR_CONVERTING if failure is None else failure


def fetch_url(call: Call, url: str, headers: list[str]) -> bytes:
    """Download a URL resource with its ``urlHeaders`` (``Name: value`` strings)."""
    header_map: dict[str, str] = {}
    for line in headers:
        name, _, value = line.partition(":")
        if name.strip():
            header_map[name.strip()] = value.strip()
    transport = getattr(call.options, "url_fetch_transport", None)
    with httpx.Client(transport=transport, timeout=10.0, follow_redirects=True) as client:
        response = client.get(url, headers=header_map)
        response.raise_for_status()
        return response.content


def apply_resource(call: Call, asset: AssetRecord, resource: JsonDict | None) -> None:
    """Attach a ``KalturaContentResource`` to an asset (§10.2)."""
    if resource is None:
        raise ApiError("MISSING_MANDATORY_PARAMETER", "contentResource")
    object_type = to_str(resource.get("objectType")) or "KalturaContentResource"
    state = call.state
    if object_type == "KalturaStringResource":
        finalize_asset(state, asset, (to_str(resource.get("content")) or "").encode("utf-8"))
    elif object_type == "KalturaUploadedFileTokenResource":
        token_id = to_str(resource.get("token")) or ""
        token = state.upload_tokens.get(token_id)
        if (
            token is None
            or token.data["partnerId"] != call.partner_id
            or token.data["status"] == UPLOAD_CLOSED
        ):
            raise ApiError("UPLOADED_FILE_NOT_FOUND_BY_TOKEN", token_id)
        token.data["attachedObjectType"] = asset.data["objectType"]
        token.data["attachedObjectId"] = asset.data["id"]
        if token.data["status"] == UPLOAD_FULL and token.content is not None:
            finalize_asset(state, asset, token.content)
            token.data["status"] = UPLOAD_CLOSED
        else:
            token.pending.append((asset.kind, str(asset.data["id"])))
    elif object_type in ("KalturaUrlResource", "KalturaRemoteStorageResource"):
        url = to_str(resource.get("url")) or ""
        headers = [
            to_str(h.get("value")) or "" if isinstance(h, dict) else to_str(h) or ""
            for h in as_list(resource.get("urlHeaders"))
        ]
        try:
            content = fetch_url(call, url, headers)
        except (httpx.HTTPError, ValueError) as exc:
            asset.data["status"] = ASSET_ERROR
            asset.data["description"] = f"Failed to download {url}: {type(exc).__name__}"
            return
        finalize_asset(state, asset, content)
    elif object_type == "KalturaAssetResource":
        source = state.assets.get(to_str(resource.get("assetId")) or "")
        if (
            source is None
            or source.content is None
            or source.data.get("partnerId") != call.partner_id
        ):
            raise ApiError("INVALID_OBJECT_ID", to_str(resource.get("assetId")) or "")
        finalize_asset(state, asset, source.content)
    elif object_type == "KalturaContentResource":
        raise ApiError("OBJECT_TYPE_ABSTRACT", "KalturaContentResource")
    else:
        asset.data["status"] = ASSET_ERROR
        raise ApiError("RESOURCE_TYPE_NOT_SUPPORTED", object_type)


def serve_url(call: Call, service: str, id_name: str, asset_id: str) -> str:
    """A serve URL carrying the caller's KS, as Kaltura's getUrl returns."""
    return (
        f"{call.base_url}/api_v3/index.php/service/{service}/action/serve/"
        f"{id_name}/{asset_id}/ks/{call.ks}"
    )


# --- attachments ------------------------------------------------------------------------------


def _apply_attachment_fields(asset: JsonDict, sent: JsonDict) -> None:
    for name in ("filename", "title", "tags", "partnerData", "partnerDescription", "providerType"):
        if name in sent:
            asset[name] = None if sent[name] is NULL else to_str(sent[name])
    if "format" in sent:
        fmt = to_str(sent["format"])
        if fmt not in ATTACHMENT_FORMATS:
            raise ApiError("INVALID_ENUM_VALUE", fmt, "format", "KalturaAttachmentType")
        asset["format"] = fmt
    if "fileExt" in sent:
        asset["fileExt"] = to_str(sent["fileExt"])
    if asset["objectType"] == "KalturaTranscriptAsset":
        if "language" in sent:
            asset["language"] = language_value(sent["language"])
        if "accuracy" in sent:
            asset["accuracy"] = to_float(sent["accuracy"])
        if "humanVerified" in sent:
            asset["humanVerified"] = nullable_bool(sent["humanVerified"])


@action("attachment_attachmentasset", "add", allow=CUSTOMER)
def attachment_add(call: Call) -> Any:
    """Add an attachment or transcript asset."""
    entry = call.entry(call.req_str("entryId"), edit=True)
    sent = call.obj("attachmentAsset", required=True) or {}
    object_type = to_str(sent.get("objectType")) or "KalturaAttachmentAsset"
    if object_type not in ATTACHMENT_TYPES:
        object_type = "KalturaAttachmentAsset"
    asset = base_asset(call.state, str(entry.data["id"]), call.partner_id, object_type)
    _apply_attachment_fields(asset, sent)
    call.state.assets[str(asset["id"])] = AssetRecord("attachment", asset)
    return out(asset)


@action("attachment_attachmentasset", "setContent", allow=CUSTOMER)
def attachment_set_content(call: Call) -> Any:
    """Attach content to an attachment asset."""
    record = get_asset(call, call.req_str("id"), "attachment", edit=True)
    apply_resource(call, record, call.obj("contentResource"))
    return out(record.data)


@action("attachment_attachmentasset", "update", allow=CUSTOMER)
def attachment_update(call: Call) -> Any:
    """Update an attachment asset."""
    record = get_asset(call, call.req_str("id"), "attachment", edit=True)
    _apply_attachment_fields(record.data, call.obj("attachmentAsset", required=True) or {})
    return out(record.data)


@action("attachment_attachmentasset", "get", allow=CUSTOMER)
def attachment_get(call: Call) -> Any:
    """Get by ``attachmentAssetId``."""
    return out(get_asset(call, call.req_str("attachmentAssetId"), "attachment").data)


@action("attachment_attachmentasset", "getUrl", allow=CUSTOMER)
def attachment_get_url(call: Call) -> Any:
    """Download URL of an attachment."""
    record = get_asset(call, call.req_str("id"), "attachment")
    return serve_url(
        call, "attachment_attachmentAsset", "attachmentAssetId", str(record.data["id"])
    )


@action("attachment_attachmentasset", "serve", allow=CUSTOMER)
def attachment_serve(call: Call) -> Any:
    """The attachment file."""
    record = get_asset(call, call.req_str("attachmentAssetId"), "attachment")
    return FileResult(record.content or b"", "application/octet-stream")


@action("attachment_attachmentasset", "delete", allow=frozenset({KIND_ADMIN}))
def attachment_delete(call: Call) -> Any:
    """Mark an attachment (or transcript) asset DELETED (3) with ``deletedAt``.

    ``deployment/permissions/service.attachment.attachmentasset.ini`` gives ``delete`` to
    ``ATTACHMENT_MODIFY`` and batch only (unlike ``add``/``update``, no
    ``BASE_USER_SESSION_PERMISSION``), and the REACH_VENDOR_ROLE has neither: an access key gets
    ``SERVICE_FORBIDDEN``; the customer's admin KS may delete.
    """
    record = get_asset(call, call.req_str("attachmentAssetId"), "attachment", edit=True)
    now = call.state.now()
    record.data.update({"status": 3, "deletedAt": now, "updatedAt": now})
    return None


# --- flavors ----------------------------------------------------------------------------------


def _apply_flavor_fields(asset: JsonDict, sent: JsonDict) -> None:
    for name in ("label", "tags", "fileExt", "partnerData", "partnerDescription"):
        if name in sent:
            asset[name] = None if sent[name] is NULL else to_str(sent[name])
    if "language" in sent:
        asset["language"] = language_value(sent["language"])
    if "isDefault" in sent:
        asset["isDefault"] = nullable_bool(sent["isDefault"])


@action("flavorasset", "add", allow=CUSTOMER)
def flavor_add(call: Call) -> Any:
    """Add a flavor asset (e.g. a dubbed or clear-audio track)."""
    entry = call.entry(call.req_str("entryId"), edit=True)
    sent = call.obj("flavorAsset", required=True) or {}
    params_id = to_int(sent.get("flavorParamsId"))
    entry_id = str(entry.data["id"])
    if params_id is not None:
        for other in call.state.entry_assets(entry_id, "flavor"):
            if other.data.get("flavorParamsId") == params_id and other.data.get("status") != 3:
                raise ApiError("FLAVOR_ASSET_ALREADY_EXISTS", other.data["id"], params_id)
    asset = base_asset(call.state, entry_id, call.partner_id, "KalturaFlavorAsset")
    asset.update(
        {
            "flavorParamsId": params_id or 0,
            "width": 0,
            "height": 0,
            "bitrate": 0,
            "frameRate": 0,
            "isOriginal": False,
            "isWeb": True,
            "containerFormat": None,
            "isDefault": None,
            "language": None,
            "label": None,
        }
    )
    _apply_flavor_fields(asset, sent)
    call.state.assets[str(asset["id"])] = AssetRecord("flavor", asset)
    return out(asset)


@action("flavorasset", "setContent", allow=CUSTOMER)
def flavor_set_content(call: Call) -> Any:
    """Attach content to a flavor asset: it converts (``media_ready_after``) before READY."""
    record = get_asset(call, call.req_str("id"), "flavor", edit=True)
    plan_conversion(call, record)
    apply_resource(call, record, call.obj("contentResource"))
    return out(record.data)


@action("flavorasset", "update", allow=CUSTOMER)
def flavor_update(call: Call) -> Any:
    """Update a flavor asset."""
    record = get_asset(call, call.req_str("id"), "flavor", edit=True)
    _apply_flavor_fields(record.data, call.obj("flavorAsset", required=True) or {})
    return out(record.data)


@action("flavorasset", "get", allow=CUSTOMER)
def flavor_get(call: Call) -> Any:
    """Get a flavor asset by ``id``."""
    return out(get_asset(call, call.req_str("id"), "flavor").data)


@action("flavorasset", "getUrl", allow=CUSTOMER)
def flavor_get_url(call: Call) -> Any:
    """Download URL of a READY flavor."""
    record = get_asset(call, call.req_str("id"), "flavor")
    if record.data.get("status") != ASSET_READY:
        raise ApiError("FLAVOR_ASSET_IS_NOT_READY")
    entry_id = record.data["entryId"]
    pid = record.data["partnerId"]
    return (
        f"{call.base_url}/p/{pid}/sp/{pid}00/serveFlavor/entryId/{entry_id}/v/1/flavorId/"
        f"{record.data['id']}/ks/{call.ks}/name/a.{record.data.get('fileExt') or 'mp4'}"
    )


@action("flavorasset", "list", allow=CUSTOMER)
def flavor_list(call: Call) -> Any:
    """Flavors of an entry the KS may read."""
    filt = call.obj("filter") or {}
    entry_id = to_str(filt.get("entryIdEqual"))
    if entry_id is None:
        raise ApiError("MISSING_MANDATORY_PARAMETER", "filter:entryIdEqual")
    call.entry(entry_id)
    items = [a.data for a in call.state.entry_assets(entry_id, "flavor")]
    return list_response("KalturaFlavorAssetListResponse", [out(a) or {} for a in items])


@action("flavorasset", "delete", allow=CUSTOMER)
def flavor_delete(call: Call) -> Any:
    """Mark a flavor asset DELETED (3) with ``deletedAt``; its ``flavorParamsId`` is free again.

    Allowed to an access key here (its ``edit:<entryId>`` privilege and ``CONTENT_MANAGE_BASE``
    role, as for ``add``/``setContent``): the reference does not say which permission the
    server's ``flavorasset.delete`` needs, so a vendor's cleanup also handles a refusal.
    """
    record = get_asset(call, call.req_str("id"), "flavor", edit=True)
    now = call.state.now()
    record.data.update({"status": 3, "deletedAt": now, "updatedAt": now})
    return None
