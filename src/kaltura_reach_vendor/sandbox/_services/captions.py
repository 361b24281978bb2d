"""Caption assets (reference §10; server ``CaptionAssetService``, ``KalturaCaptionAsset``)."""

from __future__ import annotations

from typing import Any

from .._errors import ApiError
from .._ks import KIND_ACCESS_KEY
from .._params import NULL, to_bool, to_int, to_str
from .._registry import Call, FileResult, action, list_response, out, pager_slice
from .._store import ASSET_READY, AssetRecord, JsonDict
from .assets import (
    CAPTION_FORMATS,
    CUSTOMER,
    LANGUAGE_CODES,
    apply_resource,
    base_asset,
    get_asset,
    language_value,
    nullable_bool,
    serve_url,
)

ASSET_DELETED = 3
"""``asset::ASSET_STATUS_DELETED``: ``delete`` only marks the asset; it is then not found."""

_CAPTION_FIELDS = ("label", "tags", "partnerData", "partnerDescription", "associatedTranscriptIds")


def _apply_caption_fields(asset: JsonDict, sent: JsonDict, *, insert: bool) -> None:
    for name in _CAPTION_FIELDS:
        if name in sent:
            asset[name] = None if sent[name] is NULL else to_str(sent[name])
    if "language" in sent:
        asset["language"] = language_value(sent["language"])
        asset["languageCode"] = LANGUAGE_CODES.get(str(asset["language"]))
    if "isDefault" in sent:
        asset["isDefault"] = nullable_bool(sent["isDefault"])
    if "accuracy" in sent:
        asset["accuracy"] = to_int(sent["accuracy"])
    if "displayOnPlayer" in sent:
        asset["displayOnPlayer"] = to_bool(sent["displayOnPlayer"])
    if "usage" in sent:
        usage = to_str(sent["usage"])
        if usage not in ("0", "1"):
            raise ApiError("INVALID_ENUM_VALUE", usage, "usage", "KalturaCaptionAssetUsage")
        asset["usage"] = usage
    if insert:
        fmt = to_str(sent.get("format")) or "1"
        if fmt not in CAPTION_FORMATS:
            raise ApiError("INVALID_ENUM_VALUE", fmt, "format", "KalturaCaptionType")
        asset["format"] = fmt
        asset["fileExt"] = to_str(sent.get("fileExt")) or CAPTION_FORMATS[fmt]
        asset["captionParamsId"] = to_int(sent.get("captionParamsId")) or 0
        if "source" in sent:
            asset["source"] = to_str(sent["source"])
        if "parentId" in sent:
            asset["parentId"] = to_str(sent["parentId"])
    else:
        for name in ("format", "captionParamsId", "fileExt", "parentId", "source"):
            if (
                name in sent
                and sent[name] is not NULL
                and to_str(sent[name]) != to_str(asset.get(name))
            ):
                raise ApiError("PROPERTY_VALIDATION_NOT_UPDATABLE", f"KalturaCaptionAsset::{name}")


@action("caption_captionasset", "add", allow=CUSTOMER)
def caption_add(call: Call) -> Any:
    """Add a caption asset (QUEUED) to a media entry (its parent when given a child)."""
    entry = call.entry(call.req_str("entryId"), edit=True)
    parent = to_str(entry.data.get("parentEntryId"))
    if parent and parent in call.state.entries:
        entry = call.state.entries[parent]
    if entry.data.get("mediaType") not in (1, 5):
        raise ApiError("ENTRY_ID_NOT_FOUND", entry.data["id"])
    sent = call.obj("captionAsset", required=True) or {}
    asset = base_asset(call.state, str(entry.data["id"]), call.partner_id, "KalturaCaptionAsset")
    asset.update(
        {
            "captionParamsId": 0,
            "language": None,
            "isDefault": False,
            "label": None,
            "accuracy": None,
            "displayOnPlayer": True,
            "usage": None,
        }
    )
    _apply_caption_fields(asset, sent, insert=True)
    params_id = int(asset["captionParamsId"])
    if params_id:
        for other in call.state.entry_assets(str(entry.data["id"]), "caption"):
            if other.data.get("captionParamsId") == params_id:
                raise ApiError("CAPTION_ASSET_ALREADY_EXISTS", other.data["id"], params_id)
    if call.session is not None and call.session.has_privilege("enablecaptionmoderation"):
        asset["displayOnPlayer"] = False
    record = AssetRecord("caption", asset)
    call.state.assets[str(asset["id"])] = record
    return out(asset)


@action("caption_captionasset", "setContent", allow=CUSTOMER)
def caption_set_content(call: Call) -> Any:
    """Attach content (string, upload token, URL, asset resource)."""
    record = get_asset(call, call.req_str("id"), "caption", edit=True)
    apply_resource(call, record, call.obj("contentResource"))
    return out(record.data)


@action("caption_captionasset", "update", allow=CUSTOMER)
def caption_update(call: Call) -> Any:
    """Update writable caption fields (format is insert-only)."""
    record = get_asset(call, call.req_str("id"), "caption", edit=True)
    _apply_caption_fields(record.data, call.obj("captionAsset", required=True) or {}, insert=False)
    record.data["updatedAt"] = call.state.now()
    return out(record.data)


@action("caption_captionasset", "get", allow=CUSTOMER)
def caption_get(call: Call) -> Any:
    """Get by ``captionAssetId``."""
    return out(get_asset(call, call.req_str("captionAssetId"), "caption").data)


@action("caption_captionasset", "getUrl", allow=CUSTOMER)
def caption_get_url(call: Call) -> Any:
    """Download URL of a READY caption asset."""
    record = get_asset(call, call.req_str("id"), "caption")
    if record.data.get("status") != ASSET_READY:
        raise ApiError("CAPTION_ASSET_IS_NOT_READY")
    return serve_url(call, "caption_captionAsset", "captionAssetId", str(record.data["id"]))


@action("caption_captionasset", "serve", allow=CUSTOMER)
def caption_serve(call: Call) -> Any:
    """The caption file."""
    record = get_asset(call, call.req_str("captionAssetId"), "caption")
    if record.content is None:
        raise ApiError("CAPTION_ASSET_IS_NOT_READY")
    return FileResult(record.content, "text/plain; charset=utf-8")


def _media_entry_of(call: Call, record: AssetRecord) -> None:
    """The server's check on delete / setAsDefault: the asset's entry must be a VIDEO or AUDIO
    media entry, else (misleadingly) ``ENTRY_ID_NOT_FOUND``."""
    entry = call.state.entries.get(str(record.data["entryId"]))
    if entry is None or entry.data.get("mediaType") not in (1, 5):
        raise ApiError("ENTRY_ID_NOT_FOUND", record.data["entryId"])


@action("caption_captionasset", "delete", allow=CUSTOMER)
def caption_delete(call: Call) -> Any:
    """Mark the asset DELETED (3) with ``deletedAt``; a default caption may be deleted too.

    Server ``CaptionAssetService::deleteAction`` (its ``CAPTION_ASSET_IS_DEFAULT`` check is
    commented out); the access key's REACH_VENDOR_ROLE has ``CAPTION_MODIFY``, which
    ``deployment/permissions/service.caption.captionasset.ini`` requires for ``delete``.
    """
    record = get_asset(call, call.req_str("captionAssetId"), "caption", edit=True)
    _media_entry_of(call, record)
    now = call.state.now()
    record.data.update({"status": ASSET_DELETED, "deletedAt": now, "updatedAt": now})
    return None


@action("caption_captionasset", "setAsDefault", allow=CUSTOMER)
def caption_set_as_default(call: Call) -> Any:
    """Make one caption the entry's default and clear ``isDefault`` on **every** other caption
    of the entry, whatever its language (server ``CaptionAssetService::setAsDefaultAction``
    walks all the entry's caption assets). Requires ``CAPTION_MODIFY`` (the access key has it).
    """
    record = get_asset(call, call.req_str("captionAssetId"), "caption", edit=True)
    _media_entry_of(call, record)
    now = call.state.now()
    for other in call.state.entry_assets(str(record.data["entryId"]), "caption"):
        if other.data.get("status") == ASSET_DELETED:
            continue
        wanted = other is record
        if other.data.get("isDefault") is not wanted:
            other.data["isDefault"] = wanted
            other.data["updatedAt"] = now
    return None


# --- list ---------------------------------------------------------------------------------------


def _csv(value: Any) -> list[str]:
    return [v.strip() for v in (to_str(value) or "").split(",") if v.strip()]


def _like(haystack: Any, needle: str) -> bool:
    """MySQL ``LIKE '%needle%'`` under a case-insensitive collation."""
    return needle.lower() in (to_str(haystack) or "").lower()


def _entry_ids(call: Call, filt: JsonDict) -> set[str]:
    """``entryIdEqual`` else ``entryIdIn`` (one is required), children mapped to their parent
    (``kParentChildEntryUtils::getParentEntryIds``, as captions live on the parent)."""
    entry_ids = [e for e in (to_str(filt.get("entryIdEqual")),) if e] or _csv(filt.get("entryIdIn"))
    if not entry_ids:
        name = "KalturaCaptionAssetFilter"
        raise ApiError(
            "PROPERTY_VALIDATION_CANNOT_BE_NULL", f"{name}::entryIdEqual/{name}::entryIdIn"
        )
    if call.kind == KIND_ACCESS_KEY:
        for entry_id in entry_ids:
            call.entry(entry_id, edit=True)
    wanted: set[str] = set()
    for entry_id in entry_ids:
        entry = call.state.entries.get(entry_id)
        parent = to_str(entry.data.get("parentEntryId")) if entry else None
        wanted.add(parent or entry_id)
    return wanted


def _matches(asset: JsonDict, filt: JsonDict) -> bool:
    """The ``KalturaAssetBaseFilter`` + ``KalturaCaptionAssetBaseFilter`` fields the sandbox
    applies; a field the server's filter does not declare (``languageEqual``,
    ``partnerDataLike``…) is ignored, as the server's deserializer ignores it."""
    checks: list[tuple[str, Any]] = [
        ("idEqual", lambda v: asset["id"] == v),
        ("idIn", lambda v: asset["id"] in _csv(v)),
        ("tagsLike", lambda v: _like(asset.get("tags"), v)),
        ("tagsMultiLikeOr", lambda v: any(_like(asset.get("tags"), t) for t in _csv(v))),
        ("tagsMultiLikeAnd", lambda v: all(_like(asset.get("tags"), t) for t in _csv(v))),
        ("captionParamsIdEqual", lambda v: str(asset.get("captionParamsId")) == v),
        ("captionParamsIdIn", lambda v: str(asset.get("captionParamsId")) in _csv(v)),
        ("formatEqual", lambda v: asset.get("format") == v),
        ("formatIn", lambda v: asset.get("format") in _csv(v)),
        ("statusEqual", lambda v: str(asset.get("status")) == v),
        ("statusIn", lambda v: str(asset.get("status")) in _csv(v)),
        ("statusNotIn", lambda v: str(asset.get("status")) not in _csv(v)),
        ("createdAtGreaterThanOrEqual", lambda v: asset["createdAt"] >= int(v)),
        ("createdAtLessThanOrEqual", lambda v: asset["createdAt"] <= int(v)),
        ("updatedAtGreaterThanOrEqual", lambda v: asset["updatedAt"] >= int(v)),
        ("updatedAtLessThanOrEqual", lambda v: asset["updatedAt"] <= int(v)),
    ]
    for name, check in checks:
        value = filt.get(name)
        if value is None or value is NULL:
            continue
        text = str(to_int(value)) if name.endswith("OrEqual") else to_str(value)
        if text is not None and text != "" and not check(text):
            return False
    return True


@action("caption_captionasset", "list", allow=CUSTOMER)
def caption_list(call: Call) -> Any:
    """Captions of the entries named by ``filter[entryIdEqual]`` / ``filter[entryIdIn]``.

    The server requires one of the two filters for every KS (``KalturaAssetFilter::
    validateEntryIdsFiltered``) and its REACH_VENDOR_ROLE may call ``list`` (seed 003 lists with
    ``filter[entryIdEqual]``). The sandbox lets an access key list only its task's own entry and
    refuses any other entry as an object-level denial (``INVALID_KS`` -4), where production
    would filter by partner and entitlement: see docs/sandbox.md. Deleted assets are never
    listed (``assetPeer``'s default criteria), whatever ``statusIn`` says.
    """
    filt = call.obj("filter") or {}
    fmt = to_str(filt.get("formatEqual"))
    if fmt and fmt not in CAPTION_FORMATS:
        raise ApiError("INVALID_ENUM_VALUE", fmt, "formatEqual", "KalturaCaptionType")
    wanted = _entry_ids(call, filt)
    items = [
        a.data
        for a in call.state.assets.values()
        if a.kind == "caption"
        and a.data.get("partnerId") == call.partner_id
        and a.data.get("status") != ASSET_DELETED
        and a.data["entryId"] in wanted
        and _matches(a.data, filt)
    ]
    page = pager_slice(call, items)
    return list_response(
        "KalturaCaptionAssetListResponse", [out(a) or {} for a in page], len(items)
    )
