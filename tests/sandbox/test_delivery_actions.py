"""The actions the deliveries touch: captionAsset.delete / setAsDefault / filtered list,
attachmentAsset.delete, cuePoint.list / update / delete.

Plain httpx against the in-process transport and the loopback HTTP server (no SDK code); the
behaviour and permissions are the server's (kaltura/server ``CaptionAssetService``,
``CuePointService``, ``deployment/permissions/service.*.ini``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Api, assert_error, task_by_feature

CAP = "caption_captionasset"
ATT = "attachment_attachmentasset"
CUE = "cuepoint_cuepoint"
SRT = "1\n00:00:00,000 --> 00:00:02,000\nHello\n"
THUMB = "thumbCuePoint.Thumb"


def _key(sandbox: Sandbox) -> tuple[str, str]:
    task = task_by_feature(sandbox, 1)
    return task["accessKey"], task["entryId"]


def _admin(api: Api, sandbox: Sandbox) -> str:
    """The customer admin KS of the caption task's partner."""
    return api.admin_ks(int(task_by_feature(sandbox, 1)["partnerId"]))


def _caption(api: Api, key: str, entry_id: str, **fields: Any) -> dict[str, Any]:
    sent = {"objectType": "KalturaCaptionAsset", "format": 1, **fields}
    asset = api.call(CAP, "add", ks=key, entryId=entry_id, captionAsset=sent)
    assert asset.get("objectType") == "KalturaCaptionAsset", asset
    return api.call(
        CAP,
        "setContent",
        ks=key,
        id=asset["id"],
        contentResource={"objectType": "KalturaStringResource", "content": SRT},
    )


def _listed(api: Api, key: str, **filt: Any) -> list[str]:
    result = api.call(CAP, "list", ks=key, filter=filt)
    assert result["objectType"] == "KalturaCaptionAssetListResponse", result
    return [c["id"] for c in result["objects"]]


def test_set_as_default_clears_every_other_caption_of_the_entry(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox)
    english = _caption(api, key, entry_id, language="English", label="English", isDefault=1)
    english_2 = _caption(api, key, entry_id, language="English", label="English", isDefault=1)
    spanish = _caption(api, key, entry_id, language="Spanish", label="Spanish", isDefault=0)
    assert api.call(CAP, "setAsDefault", ks=key, captionAssetId=spanish["id"]) is None
    by_id = {a["id"]: a for a in sandbox.assets(entry_id, "caption")}
    # The server walks all the entry's captions, whatever their language.
    assert by_id[spanish["id"]]["isDefault"] is True
    assert by_id[english["id"]]["isDefault"] is False
    assert by_id[english_2["id"]]["isDefault"] is False
    assert [a for a in by_id.values() if a["isDefault"]] == [by_id[spanish["id"]]]
    err = assert_error(
        api.call(CAP, "setAsDefault", ks=key, captionAssetId="1_nosuch"),
        "CAPTION_ASSET_ID_NOT_FOUND",
    )
    assert err["message"] == 'Caption asset id "1_nosuch" not found'


def test_caption_delete_hides_the_asset_everywhere(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox)
    asset = _caption(api, key, entry_id, language="English", label="English", isDefault=1)
    xml = api.raw(CAP, "delete", ks=key, captionAssetId=asset["id"], format=2)
    root = ET.fromstring(xml.content)
    assert root.find("result/error") is None and (root.findtext("result") or "") == ""
    stored = next(a for a in sandbox.assets(entry_id, "caption") if a["id"] == asset["id"])
    assert stored["status"] == 3 and stored["deletedAt"] >= stored["createdAt"]
    for ks in (key, _admin(api, sandbox)):
        assert_error(
            api.call(CAP, "get", ks=ks, captionAssetId=asset["id"]), "CAPTION_ASSET_ID_NOT_FOUND"
        )
        assert asset["id"] not in _listed(api, ks, entryIdEqual=entry_id, statusIn="2,3")
    assert_error(
        api.call(CAP, "delete", ks=key, captionAssetId=asset["id"]), "CAPTION_ASSET_ID_NOT_FOUND"
    )


def test_caption_list_filters_the_server_declares(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox)
    srt = _caption(api, key, entry_id, language="English", tags="reach,task-1", partnerData="m1")
    vtt = _caption(api, key, entry_id, language="French", format=3, tags="task-2")
    pending = api.call(
        CAP,
        "add",
        ks=key,
        entryId=entry_id,
        captionAsset={"objectType": "KalturaCaptionAsset", "format": 2, "language": "German"},
    )
    everything = _listed(api, key, entryIdEqual=entry_id)
    assert {srt["id"], vtt["id"], pending["id"]} <= set(everything)
    assert _listed(api, key, entryIdEqual=entry_id, idIn=f"{srt['id']},{vtt['id']}") == [
        srt["id"],
        vtt["id"],
    ]
    assert _listed(api, key, entryIdEqual=entry_id, idEqual=vtt["id"]) == [vtt["id"]]
    assert _listed(api, key, entryIdEqual=entry_id, formatEqual=3) == [vtt["id"]]
    assert pending["id"] in _listed(api, key, entryIdEqual=entry_id, statusIn="0")
    assert pending["id"] not in _listed(api, key, entryIdEqual=entry_id, statusIn="2")
    assert _listed(api, key, entryIdEqual=entry_id, tagsLike="TASK-1") == [srt["id"]]
    assert _listed(api, key, entryIdEqual=entry_id, tagsMultiLikeOr="task-1,task-2") == [
        srt["id"],
        vtt["id"],
    ]
    # KalturaCaptionAssetFilter has no languageEqual nor partnerDataLike: the server ignores
    # them, so they filter nothing (a reconciliation must match partnerData itself).
    assert _listed(api, key, entryIdEqual=entry_id, languageEqual="French") == everything
    assert _listed(api, key, entryIdEqual=entry_id, partnerDataLike="m1") == everything
    err = assert_error(
        api.call(CAP, "list", ks=key, filter={"entryIdEqual": entry_id, "formatEqual": 9}),
        "INVALID_ENUM_VALUE",
    )
    assert err["args"]["ENUM_TYPE"] == "KalturaCaptionType"


def test_attachment_delete_is_not_in_the_vendor_role(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox)
    transcript = api.call(
        ATT,
        "add",
        ks=key,
        entryId=entry_id,
        attachmentAsset={"objectType": "KalturaTranscriptAsset", "format": 1, "accuracy": 0.9},
    )
    err = assert_error(
        api.call(ATT, "delete", ks=key, attachmentAssetId=transcript["id"]), "SERVICE_FORBIDDEN"
    )
    assert err["args"] == {"SERVICE": "attachment_attachmentasset->delete"}
    admin = _admin(api, sandbox)
    assert api.call(ATT, "delete", ks=admin, attachmentAssetId=transcript["id"]) is None
    assert_error(
        api.call(ATT, "get", ks=admin, attachmentAssetId=transcript["id"]),
        "ATTACHMENT_ASSET_ID_NOT_FOUND",
    )


def _chapter(api: Api, key: str, entry_id: str, start: int, **fields: Any) -> dict[str, Any]:
    sent = {
        "objectType": "KalturaThumbCuePoint",
        "entryId": entry_id,
        "startTime": start,
        "subType": 2,
        "title": f"at {start}",
        **fields,
    }
    cue = api.call(CUE, "add", ks=key, cuePoint=sent)
    assert cue.get("objectType") == "KalturaThumbCuePoint", cue
    return cue


def _cues(api: Api, key: str, pager: dict[str, Any] | None = None, **filt: Any) -> Any:
    return api.call(CUE, "list", ks=key, filter=filt, pager=pager)


@pytest.mark.rule("CHAP-1")
def test_cue_point_list_filters_order_and_pager(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox)
    late = _chapter(api, key, entry_id, 3000, tags="task-7")
    early = _chapter(api, key, entry_id, 1000)
    middle = _chapter(api, key, entry_id, 2000)
    slide = _chapter(api, key, entry_id, 500, subType=1)
    listed = _cues(api, key, entryIdEqual=entry_id, cuePointTypeEqual=THUMB, orderBy="+startTime")
    assert listed["objectType"] == "KalturaCuePointListResponse"
    ids = [c["id"] for c in listed["objects"]]
    assert ids == [slide["id"], early["id"], middle["id"], late["id"]]
    chapters = _cues(
        api,
        key,
        objectType="KalturaThumbCuePointFilter",
        entryIdEqual=entry_id,
        subTypeEqual=2,
        orderBy="-startTime",
    )
    assert [c["id"] for c in chapters["objects"]] == [late["id"], middle["id"], early["id"]]
    page = _cues(
        api,
        key,
        {"pageSize": 2, "pageIndex": 2},
        entryIdEqual=entry_id,
        cuePointTypeIn=THUMB,
        statusIn="1",
        orderBy="+startTime",
    )
    assert page["totalCount"] == 3 and [c["id"] for c in page["objects"]] == [late["id"]]
    assert [c["id"] for c in _cues(api, key, idIn=early["id"])["objects"]] == [early["id"]]
    assert [
        c["id"] for c in _cues(api, key, entryIdEqual=entry_id, tagsLike="task-7")["objects"]
    ] == [late["id"]]
    assert _cues(api, key, entryIdEqual="0_nosuchentry")["totalCount"] == 0
    err = assert_error(_cues(api, key, statusIn="1"), "PROPERTY_VALIDATION_CANNOT_BE_NULL")
    assert err["message"] == (
        'The property "KalturaCuePointFilter::idEqual/KalturaCuePointFilter::idIn/'
        'KalturaCuePointFilter::entryIdEqual/KalturaCuePointFilter::entryIdIn" cannot be null'
    )
    err = assert_error(
        _cues(api, key, entryIdEqual=entry_id, orderBy="+title"), "INVALID_ENUM_VALUE"
    )
    assert err["args"]["ENUM_TYPE"] == "KalturaCuePointOrderBy"
    xml = api.raw(
        CUE, "list", ks=key, filter={"entryIdEqual": entry_id, "orderBy": "+startTime"}, format=2
    )
    result = ET.fromstring(xml.content).find("result")
    assert result is not None and result.findtext("objectType") == "KalturaCuePointListResponse"
    first = result.find("objects/item")
    assert first is not None and first.findtext("startTime") == "500"
    assert first.findtext("subType") == "1"


@pytest.mark.rule("CHAP-1")
def test_cue_point_update_checks_like_the_server(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox)
    cue = _chapter(api, key, entry_id, 1000, systemName="ch-1")
    other = _chapter(api, key, entry_id, 2000, systemName="ch-2")
    updated = api.call(
        CUE,
        "update",
        ks=key,
        id=cue["id"],
        cuePoint={"objectType": "KalturaThumbCuePoint", "title": "x" * 300, "startTime": 1500},
    )
    assert updated["title"] == "x" * 255 and updated["startTime"] == 1500
    assert updated["subType"] == 2 and updated["entryId"] == entry_id
    bad_type = {"objectType": "KalturaThumbCuePoint", "subType": 3}
    err = assert_error(
        api.call(CUE, "update", ks=key, id=cue["id"], cuePoint=bad_type), "INVALID_ENUM_VALUE"
    )
    assert err["args"] == {
        "ENUM_VAL": "3",
        "PARAM_NAME": "subType",
        "ENUM_TYPE": "KalturaThumbCuePointSubType",
    }
    moved = {"objectType": "KalturaThumbCuePoint", "entryId": "0_elsewhere"}
    assert_error(
        api.call(CUE, "update", ks=key, id=cue["id"], cuePoint=moved),
        "PROPERTY_VALIDATION_NOT_UPDATABLE",
    )
    clash = {"objectType": "KalturaThumbCuePoint", "systemName": "ch-2"}
    err = assert_error(
        api.call(CUE, "update", ks=key, id=cue["id"], cuePoint=clash),
        "CUE_POINT_SYSTEM_NAME_EXISTS",
    )
    assert err["message"] == f"Cue point system name already exists [ch-2] with id [{other['id']}]"
    assert_error(
        api.call(CUE, "update", ks=key, id="1_nosuchcp", cuePoint=clash), "INVALID_CUE_POINT_ID"
    )
    bad_add = {"objectType": "KalturaThumbCuePoint", "entryId": entry_id, "subType": 7}
    assert_error(api.call(CUE, "add", ks=key, cuePoint=bad_add), "INVALID_ENUM_VALUE")


def test_cue_point_delete(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox)
    cue = _chapter(api, key, entry_id, 1000)
    xml = api.raw(CUE, "delete", ks=key, id=cue["id"], format=2)
    assert ET.fromstring(xml.content).find("result/error") is None
    stored = next(c for c in sandbox.cue_points(entry_id) if c["id"] == cue["id"])
    assert stored["status"] == 2
    assert_error(api.call(CUE, "get", ks=key, id=cue["id"]), "INVALID_CUE_POINT_ID")
    assert_error(api.call(CUE, "delete", ks=key, id=cue["id"]), "INVALID_CUE_POINT_ID")
    listed = _cues(api, key, entryIdEqual=entry_id, statusIn="1,2")
    assert cue["id"] not in [c["id"] for c in listed["objects"]]


def test_caption_accuracy_is_any_integer_as_on_the_server(api: Api, sandbox: Sandbox) -> None:
    # KalturaCaptionAsset.accuracy is a plain int with no range check: the 0-100 rule is the
    # SDK's (ACC-1); the sandbox must not refuse what production accepts.
    key, entry_id = _key(sandbox)
    for accuracy in (150, -1, 0, 100):
        asset = _caption(api, key, entry_id, language="English", accuracy=accuracy)
        assert asset["accuracy"] == accuracy


def test_caption_list_of_a_child_entry_lists_its_parent(api: Api, sandbox: Sandbox) -> None:
    task = task_by_feature(sandbox, 19)  # sign language: the key may create a child entry
    key, parent = task["accessKey"], task["entryId"]
    child = api.call(
        "media", "add", ks=key, entry={"objectType": "KalturaMediaEntry", "mediaType": 1}
    )
    api.call(
        "media",
        "update",
        ks=key,
        entryId=child["id"],
        mediaEntry={"objectType": "KalturaMediaEntry", "parentEntryId": parent},
    )
    asset = _caption(api, key, parent, language="English")
    admin = api.admin_ks(int(task["partnerId"]))
    assert asset["id"] in _listed(api, admin, entryIdEqual=child["id"])
    assert asset["id"] in _listed(api, admin, entryIdIn=f"{child['id']},0_nosuch")


def test_cue_point_list_by_access_key_is_limited_to_its_entries(api: Api, sandbox: Sandbox) -> None:
    key = task_by_feature(sandbox, 5)["accessKey"]  # task on 1_skilm10u
    err = assert_error(_cues(api, key, entryIdEqual="1_nohls001"), "INVALID_KS")
    assert err["args"] == {"KSID": "", "ERR_CODE": "-4", "ERR_DESC": "INVALID_TYPE"}
    assert _cues(api, key, entryIdEqual="1_skilm10u")["objectType"] == "KalturaCuePointListResponse"
