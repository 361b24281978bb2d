"""The sandbox serializes as production does (issue 10, points 1, 2, 5, 7, 9).

XML nulls and ``ignoreNull`` (server ``KalturaXmlSerializer`` / ``KalturaJsonSerializer`` /
``KalturaFrontController::setSerializerByFormat``), XML booleans ``1``/``0``, sizes in bytes,
the ``reach_reachprofile`` permissions, and an upload token's base-name ``fileName``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.sandbox._schema import properties

from .conftest import Api, assert_error, task_by_feature

SRT = "1\n00:00:00,000 --> 00:00:02,000\nHello\n\n2\n00:00:02,000 --> 00:00:04,000\nWorld\n"
CAP = "caption_captionasset"


def _xml(api: Api, service: str, action: str, **params: Any) -> ET.Element:
    """A form call answered in XML; the ``<result>`` element."""
    params["format"] = 2
    response = api.raw(service, action, **params)
    assert response.headers["content-type"].startswith("text/xml")
    result = ET.fromstring(response.content).find("result")
    assert result is not None
    return result


def _first_task_xml(api: Api, **extra: Any) -> ET.Element:
    result = _xml(
        api, "reach_entryvendortask", "getJobs", ks=api.vendor_ks(), pager={"pageSize": 1}, **extra
    )
    item = result.find("objects/item")
    assert item is not None
    return item


def _ready_caption(api: Api, sandbox: Sandbox, **caption: Any) -> tuple[str, str]:
    task = task_by_feature(sandbox, 1)
    key = task["accessKey"]
    asset = api.call(
        CAP,
        "add",
        ks=key,
        entryId=task["entryId"],
        captionAsset={"objectType": "KalturaCaptionAsset", "language": "Hebrew", **caption},
    )
    ready = api.call(
        CAP,
        "setContent",
        ks=key,
        id=asset["id"],
        contentResource={"objectType": "KalturaStringResource", "content": SRT},
    )
    assert ready["status"] == 2
    return key, str(asset["id"])


# --- 1. nulls and ignoreNull ------------------------------------------------------------------


def test_xml_writes_every_declared_property_null_ones_empty_in_server_order(api: Api) -> None:
    task = _first_task_xml(api)
    names = [child.tag for child in task]
    assert names == ["objectType", *properties("KalturaEntryVendorTask")]
    # a property the task does not have yet is an empty element, not an absent one
    finish = task.find("finishTime")
    assert finish is not None and (finish.text or "") == ""
    assert task.find("relatedObjects") is not None  # KalturaObject's own property comes first
    job_data = task.find("taskJobData")
    assert job_data is not None
    job_type = job_data.findtext("objectType") or ""
    assert [c.tag for c in job_data] == ["objectType", *properties(job_type)]


@pytest.mark.parametrize("flag", ["1", True])
def test_ignore_null_drops_null_properties_from_xml(api: Api, flag: object) -> None:
    if flag is True:  # a JSON body's ``true`` also counts (``=== true``)
        response = api.client.post(
            "/api_v3/service/reach_entryvendortask/action/getJobs",
            content=json.dumps(
                {"ks": api.vendor_ks(), "format": 2, "ignoreNull": True, "pager": {"pageSize": 1}}
            ),
            headers={"Content-Type": "application/json"},
        )
        task = ET.fromstring(response.content).find("result/objects/item")
    else:
        task = _first_task_xml(api, ignoreNull=flag)
    assert task is not None
    assert task.find("finishTime") is None and task.find("relatedObjects") is None
    assert task.findtext("status") is not None  # set properties are still written


@pytest.mark.parametrize("flag", ["0", "true", "yes"])
def test_ignore_null_only_honours_the_string_1(api: Api, flag: str) -> None:
    task = _first_task_xml(api, ignoreNull=flag)
    assert task.find("finishTime") is not None


def test_ignore_null_json_number_1_is_not_the_string_1(api: Api) -> None:
    """The front controller compares strictly (``=== "1"``): a JSON number 1 leaves it off."""
    response = api.client.post(
        "/api_v3/service/reach_entryvendortask/action/getJobs",
        content=json.dumps(
            {"ks": api.vendor_ks(), "format": 2, "ignoreNull": 1, "pager": {"pageSize": 1}}
        ),
        headers={"Content-Type": "application/json"},
    )
    task = ET.fromstring(response.content).find("result/objects/item")
    assert task is not None and task.find("finishTime") is not None


@pytest.mark.parametrize("flag", [None, "1", "0"])
def test_json_omits_nulls_whatever_ignore_null_says(api: Api, flag: str | None) -> None:
    params: dict[str, Any] = {"ks": api.vendor_ks(), "pager": {"pageSize": 1}}
    if flag is not None:
        params["ignoreNull"] = flag
    task = api.call("reach_entryvendortask", "getJobs", **params)["objects"][0]
    assert "finishTime" not in task and "relatedObjects" not in task
    assert None not in task.values()


def test_every_property_the_sandbox_returns_is_declared_by_the_server_class(
    api: Api, sandbox: Sandbox
) -> None:
    """Objects carry only properties their server class declares (``_schema``), so XML clients
    see the same element set as in production."""
    key, asset_id = _ready_caption(api, sandbox)
    task = task_by_feature(sandbox, 1)
    results = [
        api.call("reach_entryvendortask", "getJobs", ks=api.vendor_ks()),
        api.call(
            "reach_entryvendortask",
            "get",
            ks=key,
            id=task["id"],
            responseProfile={"systemName": "reach_vendor"},
        ),
        api.call(CAP, "get", ks=key, captionAssetId=asset_id),
        api.call("baseentry", "get", ks=key, entryId=task["entryId"]),
        api.call("flavorasset", "list", ks=key, filter={"entryIdEqual": task["entryId"]}),
    ]
    seen: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            object_type = value.get("objectType")
            if object_type and object_type != "KalturaAPIException":
                seen.add(object_type)
                declared = set(properties(object_type))
                assert declared, object_type
                assert set(value) - {"objectType"} <= declared, (object_type, value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(results)
    assert {"KalturaEntryVendorTask", "KalturaCaptionAsset", "KalturaReachProfile"} <= seen


def test_map_and_array_items_are_written_even_when_null() -> None:
    from kaltura_reach_vendor.sandbox import _xml

    assert _xml.to_xml_value({"a": None}, ignore_null=True) == "<item><itemKey>a</itemKey></item>"
    assert _xml.to_xml_value([None, 1], ignore_null=True) == "<item></item><item>1</item>"
    assert _xml.to_xml_value(0.5) == "0.5" and _xml.to_xml_value(3.0) == "3"
    assert _xml.to_xml_value("a<b&'\"") == "a&lt;b&amp;&apos;&quot;"


# --- 2. booleans ------------------------------------------------------------------------------


def test_xml_false_is_0_and_true_is_1(api: Api, sandbox: Sandbox) -> None:
    key, asset_id = _ready_caption(api, sandbox, isDefault=0, displayOnPlayer=1)
    caption = _xml(api, CAP, "get", ks=key, captionAssetId=asset_id)
    assert caption.findtext("isDefault") == "0"
    assert caption.findtext("displayOnPlayer") == "1"
    as_json = api.call(CAP, "get", ks=key, captionAssetId=asset_id)
    assert as_json["isDefault"] is False and as_json["displayOnPlayer"] is True


def test_xml_profile_flags_are_readable(api: Api, sandbox: Sandbox) -> None:
    task = task_by_feature(sandbox, 1)
    result = _xml(
        api,
        "reach_entryvendortask",
        "get",
        ks=task["accessKey"],
        id=task["id"],
        responseProfile={"systemName": "reach_vendor"},
    )
    profile = None
    for item in result.findall("relatedObjects/item"):
        if item.findtext("itemKey") == "reach_vendor_profile":
            profile = item.find("objects/item")
    assert profile is not None
    assert profile.findtext("enableSpeakerChangeIndication") == "0"
    assert profile.findtext("enableProfanityRemoval") == "1"


# --- 5. sizes in bytes ------------------------------------------------------------------------


def test_caption_and_attachment_size_is_bytes_like_size_in_bytes(
    api: Api, sandbox: Sandbox
) -> None:
    content = "x" * 3000  # under the old //1024 this would read 2
    task = task_by_feature(sandbox, 1)
    key = task["accessKey"]
    attachment = api.call(
        "attachment_attachmentasset",
        "add",
        ks=key,
        entryId=task["entryId"],
        attachmentAsset={"objectType": "KalturaAttachmentAsset", "format": 1, "filename": "a"},
    )
    ready = api.call(
        "attachment_attachmentasset",
        "setContent",
        ks=key,
        id=attachment["id"],
        contentResource={"objectType": "KalturaStringResource", "content": content},
    )
    assert ready["size"] == 3000 and ready["sizeInBytes"] == "3000"
    _, caption_id = _ready_caption(api, sandbox)
    caption = api.call(CAP, "get", ks=key, captionAssetId=caption_id)
    assert caption["size"] == len(SRT) and caption["sizeInBytes"] == str(len(SRT))
    xml_caption = _xml(api, CAP, "get", ks=key, captionAssetId=caption_id)
    assert xml_caption.findtext("size") == str(len(SRT))


def test_seeded_caption_sizes_are_bytes(api: Api, sandbox: Sandbox) -> None:
    captions = [a for a in sandbox.assets(kind="caption") if a.get("sizeInBytes")]
    assert captions
    assert all(a["size"] == int(a["sizeInBytes"]) for a in captions)


# --- 7. reach_reachprofile ------------------------------------------------------------------


def test_reach_profile_service_exists_with_server_permissions(api: Api, sandbox: Sandbox) -> None:
    task = task_by_feature(sandbox, 1)
    profile_id = task["reachProfileId"]
    err = assert_error(
        api.call("reach_reachprofile", "get", ks=task["accessKey"], id=profile_id),
        "SERVICE_FORBIDDEN",
    )
    assert err["args"] == {"SERVICE": "reach_reachprofile->get"}
    assert_error(api.call("reach_reachprofile", "list", ks=task["accessKey"]), "SERVICE_FORBIDDEN")
    vendor = api.vendor_ks()
    err = assert_error(
        api.call("reach_reachprofile", "get", ks=vendor, id=profile_id), "REACH_PROFILE_NOT_FOUND"
    )
    assert err["message"] == f"Reach profile with id provided not found [{profile_id}]"
    listed = api.call("reach_reachprofile", "list", ks=vendor)
    assert listed["objectType"] == "KalturaReachProfileListResponse"
    assert listed["totalCount"] == 0 and listed["objects"] == []
    owner = api.admin_ks(int(task["partnerId"]))
    profile = api.call("reach_reachprofile", "get", ks=owner, id=profile_id)
    assert profile["objectType"] == "KalturaReachProfile" and profile["id"] == profile_id
    assert_error(api.call("reach_reachprofile", "delete", ks=vendor, id=1), "SERVICE_FORBIDDEN")
    assert_error(api.call("reach_reachprofile", "nosuch", ks=vendor), "ACTION_DOES_NOT_EXISTS")


# --- 9. upload token fileName ---------------------------------------------------------------


@pytest.mark.parametrize(
    "sent",
    ["C:\\Users\\me\\sub.srt", "/home/me/captions/sub.srt", "sub.srt"],
)
def test_upload_token_file_name_keeps_the_base_name(api: Api, sandbox: Sandbox, sent: str) -> None:
    key = task_by_feature(sandbox, 1)["accessKey"]
    token = api.call("uploadtoken", "add", ks=key, uploadToken={"objectType": "KalturaUploadToken"})
    assert "fileName" not in token
    response = api.client.post(
        "/api_v3/service/uploadtoken/action/upload",
        data={
            "ks": key,
            "format": "1",
            "uploadTokenId": token["id"],
            "resume": "0",
            "finalChunk": "0",
        },
        files={"fileData": (sent, SRT.encode()[:10], "text/plain")},
    )
    assert response.json()["fileName"] == "sub.srt"  # set by the first chunk already
    got = api.call("uploadtoken", "get", ks=key, uploadTokenId=token["id"])
    assert got["fileName"] == "sub.srt"


def test_raw_browser_backslash_path_is_cut_like_php(api: Api, sandbox: Sandbox) -> None:
    """A raw ``filename="C:\\dir\\a.srt"`` (no MIME escaping, as old browsers send it)."""
    key = task_by_feature(sandbox, 1)["accessKey"]
    token = api.call("uploadtoken", "add", ks=key, uploadToken={"objectType": "KalturaUploadToken"})
    fields = {"ks": key, "format": "1", "uploadTokenId": token["id"]}
    parts = [
        f'--B\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    ]
    parts.append(
        '--B\r\nContent-Disposition: form-data; name="fileData"; filename="C:\\dir\\a.srt"\r\n'
        f"Content-Type: text/plain\r\n\r\n{SRT}\r\n--B--\r\n"
    )
    response = api.client.post(
        "/api_v3/service/uploadtoken/action/upload",
        content="".join(parts).encode(),
        headers={"Content-Type": "multipart/form-data; boundary=B"},
    )
    assert response.json()["fileName"] == "a.srt"


def test_upload_token_file_name_given_at_add_is_kept(api: Api, sandbox: Sandbox) -> None:
    key = task_by_feature(sandbox, 1)["accessKey"]
    token = api.call(
        "uploadtoken",
        "add",
        ks=key,
        uploadToken={"objectType": "KalturaUploadToken", "fileName": "mine.srt"},
    )
    response = api.client.post(
        "/api_v3/service/uploadtoken/action/upload",
        data={"ks": key, "format": "1", "uploadTokenId": token["id"]},
        files={"fileData": ("/tmp/other.srt", SRT.encode(), "text/plain")},
    )
    assert response.json()["fileName"] == "mine.srt"
