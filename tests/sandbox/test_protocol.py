"""Wire protocol: encodings, null/empty-array semantics, multirequest, XML, seed examples."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest

from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Api, assert_error, task_by_feature


@pytest.fixture
def served(sandbox: Sandbox) -> Iterator[str]:
    """The sandbox over real HTTP on loopback."""
    yield sandbox.serve()


@pytest.mark.rule("POLL-2")
def test_seed_get_jobs_and_get_examples_plain_httpx(served: str, sandbox: Sandbox) -> None:
    """Seed 002: ``curl -d format=1 -d ks=… getJobs`` then ``get`` with the reach_vendor profile."""
    creds = sandbox.credentials
    with httpx.Client(base_url=served) as http:
        ks = http.post(
            "/api_v3/service/session/action/start",
            data={
                "format": "1",
                "secret": creds.vendor_admin_secret,
                "partnerId": str(creds.vendor_partner_id),
                "type": "2",
            },
        ).json()
        jobs = http.post(
            "/api_v3/service/reach_entryvendortask/action/getJobs", data={"format": "1", "ks": ks}
        ).json()
        assert jobs["objectType"] == "KalturaEntryVendorTaskListResponse"
        first = jobs["objects"][0]
        assert set(first) >= {
            "id",
            "partnerId",
            "vendorPartnerId",
            "createdAt",
            "entryId",
            "status",
            "reachProfileId",
            "catalogItemId",
            "accessKey",
            "objectType",
        }
        assert first["accessKey"].startswith("djJ8")
        task = http.post(
            "/api_v3/service/reach_entryvendortask/action/get",
            data={
                "format": "1",
                "ks": first["accessKey"],
                "id": first["id"],
                "responseProfile[systemName]": "reach_vendor",
            },
        ).json()
        assert task["objectType"] == "KalturaEntryVendorTask"
        related = task["relatedObjects"]
        assert (
            related["reach_vendor_catalog_item"]["objectType"]
            == "KalturaVendorCatalogItemListResponse"
        )
        assert related["reach_vendor_profile"]["objects"][0]["objectType"] == "KalturaReachProfile"
        # the same calls with format=2 → XML
        xml_jobs = http.post(
            "/api_v3/service/reach_entryvendortask/action/getJobs", data={"format": "2", "ks": ks}
        )
        assert xml_jobs.headers["content-type"].startswith("text/xml")
        root = ET.fromstring(xml_jobs.content)
        assert root.tag == "xml" and root.find("executionTime") is not None
        assert root.findtext("result/objectType") == "KalturaEntryVendorTaskListResponse"
        assert root.findtext("result/totalCount") == str(jobs["totalCount"])
        assert root.findtext("result/objects/item/objectType") == "KalturaEntryVendorTask"
        xml_task = ET.fromstring(
            http.post(
                "/api_v3/service/reach_entryvendortask/action/get",
                data={
                    "format": "2",
                    "ks": first["accessKey"],
                    "id": first["id"],
                    "responseProfile[systemName]": "reach_vendor",
                },
            ).content
        )
        items = xml_task.findall("result/relatedObjects/item")
        assert {i.findtext("itemKey") for i in items} == {
            "reach_vendor_catalog_item",
            "reach_vendor_profile",
        }
        # format absent → XML (the server default)
        default = http.post("/api_v3/service/reach_entryvendortask/action/getJobs", data={"ks": ks})
        assert default.text.startswith("<?xml")


def test_xml_error_shape(inproc: Api) -> None:
    response = inproc.client.post(
        "/api_v3/service/reach_entryvendortask/action/getJobs", data={"ks": "bogus", "format": "2"}
    )
    root = ET.fromstring(response.content)
    error = root.find("result/error")
    assert error is not None and error.findtext("code") == "INVALID_KS"
    assert error.findtext("objectType") == "KalturaAPIException"
    names = [i.findtext("name") for i in error.findall("args/item")]
    assert names == ["KSID", "ERR_CODE", "ERR_DESC"]
    assert response.headers["x-kaltura"] == "error-INVALID_KS"


def test_json_body_only_with_exact_content_type(inproc: Api) -> None:
    creds = inproc.sandbox.credentials
    body = json.dumps(
        {"format": 1, "secret": creds.vendor_admin_secret, "partnerId": 5000, "type": 2}
    )
    ok = inproc.client.post(
        "/api_v3/service/session/action/start",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert ok.json().startswith("djJ8")
    ignored = inproc.client.post(
        "/api_v3/service/session/action/start?format=1",
        content=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    # params silently not seen, so the mandatory ``secret`` is missing (production order)
    assert_error(ignored.json(), "MISSING_MANDATORY_PARAMETER")


def test_colon_syntax_path_params_and_case_insensitivity(inproc: Api, sandbox: Sandbox) -> None:
    task = task_by_feature(sandbox, 1)
    response = inproc.client.post(
        f"/api_v3/service/REACH_ENTRYVENDORTASK/action/GET/id/{task['id']}",
        data={
            "ks": task["accessKey"],
            "format": "1",
            "id": "999",
            "responseProfile:systemName": "reach_vendor",
        },
    )
    result = response.json()
    assert result["id"] == task["id"]  # path parameters override the body
    assert "relatedObjects" in result


def test_multipart_json_field(inproc: Api, sandbox: Sandbox) -> None:
    task = task_by_feature(sandbox, 1)
    params = {"ks": task["accessKey"], "format": 1, "id": task["id"]}
    response = inproc.client.post(
        "/api_v3/service/reach_entryvendortask/action/get",
        files={"json": (None, json.dumps(params))},
    )
    assert response.json()["id"] == task["id"]


def test_multirequest_placeholders_are_one_based_execution_order(
    api: Api, sandbox: Sandbox
) -> None:
    task = task_by_feature(sandbox, 1)
    key = task["accessKey"]
    srt = "1\n00:00:00,000 --> 00:00:01,000\nHi\n"
    form = {
        "ks": key,
        "format": "1",
        "0[service]": "caption_captionasset",
        "0[action]": "add",
        "0[entryId]": task["entryId"],
        "0[captionAsset][objectType]": "KalturaCaptionAsset",
        "0[captionAsset][language]": "Hebrew",
        "0[captionAsset][format]": "1",
        "1[service]": "caption_captionasset",
        "1[action]": "setContent",
        "1[id]": "{1:result:id}",
        "1[contentResource][objectType]": "KalturaStringResource",
        "1[contentResource][content]": srt,
        "2[service]": "caption_captionasset",
        "2[action]": "get",
        "2[captionAssetId]": "{1:result:id}",
        "3[service]": "caption_captionasset",
        "3[action]": "get",
        "3[captionAssetId]": "nope",
        "4[service]": "reach_entryvendortask",
        "4[action]": "get",
        "4[id]": task["id"],
    }
    results = api.client.post("/api_v3/service/multirequest", data=form).json()
    assert [r.get("objectType") for r in results] == [
        "KalturaCaptionAsset",
        "KalturaCaptionAsset",
        "KalturaCaptionAsset",
        "KalturaAPIException",
        "KalturaEntryVendorTask",
    ]
    assert results[2]["status"] == 2 and results[1]["id"] == results[0]["id"]
    log = [r for r in sandbox.request_log if r.multirequest_index is not None]
    assert [r.multirequest_index for r in log] == [1, 2, 3, 4, 5]


def test_multirequest_json_and_inherited_ks(inproc: Api) -> None:
    body = {
        "ks": inproc.vendor_ks(),
        "format": 1,
        "1": {"service": "reach_entryvendortask", "action": "getJobs", "pager": {"pageSize": 1}},
        "2": {
            "service": "reach_vendorcatalogitem",
            "action": "get",
            "id": "{1:result:objects:0:catalogItemId}",
        },
    }
    results = inproc.client.post(
        "/api_v3/service/multirequest",
        content=json.dumps(body),
        headers={"Content-Type": "application/json"},
    ).json()
    assert results[1]["id"] == results[0]["objects"][0]["catalogItemId"]


def test_empty_array_and_unknown_fields(inproc: Api, sandbox: Sandbox) -> None:
    ks = inproc.vendor_ks()
    task = task_by_feature(sandbox, 1)
    result = inproc.json_call(
        "reach_entryvendortask",
        "updateJob",
        ks=ks,
        id=task["id"],
        entryVendorTask={
            "objectType": "KalturaEntryVendorTask",
            "unitsUsedArray": {"-": ""},
            "noSuchField": 1,
        },
    )
    assert result["unitsUsedArray"] == []


def test_unknown_service_and_action(inproc: Api) -> None:
    assert_error(inproc.call("nosuch", "get"), "SERVICE_DOES_NOT_EXISTS")
    err = assert_error(inproc.call("reach_entryvendortask", "nosuch"), "ACTION_DOES_NOT_EXISTS")
    assert err["args"] == {"ACTION_NAME": "nosuch", "SERVICE_NAME": "reach_entryvendortask"}


def test_request_log_records_client_tag_and_ks_kind(inproc: Api, sandbox: Sandbox) -> None:
    task = task_by_feature(sandbox, 1)
    inproc.call(
        "reach_entryvendortask",
        "get",
        ks=task["accessKey"],
        id=task["id"],
        clientTag=f"app:0.1.0_vendor-5000-{task['id']}",
    )
    entry = sandbox.request_log[-1]
    assert (entry.service, entry.action, entry.ks_kind) == (
        "reach_entryvendortask",
        "get",
        "access_key",
    )
    assert entry.client_tag == f"app:0.1.0_vendor-5000-{task['id']}"
    assert entry.task_id == int(task["id"]) and entry.partner_id == 1002
    inproc.call("reach_entryvendortask", "getJobs", ks=inproc.vendor_ks())
    assert sandbox.request_log[-1].ks_kind == "vendor"
    assert sandbox.request_log[-2].ks_kind == "none"  # session.start


def test_async_client_in_process(sandbox: Sandbox) -> None:
    import asyncio

    async def go() -> dict:
        async with httpx.AsyncClient(
            transport=sandbox.transport(), base_url=sandbox.service_url
        ) as client:
            response = await client.post(
                "/api_v3/service/session/action/startWidgetSession",
                data={"widgetId": "_1001", "format": "1"},
            )
            return response.json()  # type: ignore[no-any-return]

    assert asyncio.run(go())["partnerId"] == 1001
