"""Conformance: a second, independent client drives the sandbox through four vendor flows.

The client below is not the SDK and shares nothing with the sandbox: plain ``httpx`` over real
HTTP on 127.0.0.1, form posts written by hand (PHP bracket names), and its own decoders for
``format=1`` (JSON) and ``format=2`` (XML), both written from the wire reference (§1.2, §1.5,
§1.6) alone. Every flow runs in both formats: caption, translation, chapters and live
registration, as a vendor does them (reference §3, §10, §11; seed 002).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from kaltura_reach_vendor.sandbox import Sandbox

SRT = "1\n00:00:01,000 --> 00:00:03,000\nHello there\n\n2\n00:00:04,000 --> 00:00:06,000\nBye\n"
PROCESSING, READY = 3, 2  # KalturaEntryVendorTaskStatus (reference §8)
RESPONSE_PROFILE = {"objectType": "KalturaResponseProfileHolder", "systemName": "reach_vendor"}


class WireError(Exception):
    """A ``KalturaAPIException`` answer."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


def form_pairs(params: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """``{"a": {"b": 1}}`` → ``[("a[b]", "1")]``; lists by index; ``None`` left out."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix else key
        if isinstance(value, dict):
            pairs += form_pairs(value, name)
        elif isinstance(value, list):
            pairs += form_pairs({str(i): v for i, v in enumerate(value)}, name)
        elif isinstance(value, bool):
            pairs.append((name, "1" if value else "0"))
        elif value is not None:
            pairs.append((name, str(value)))
    return pairs


def _xml_value(element: ET.Element) -> Any:
    children = list(element)
    if not children:
        return element.text or ""
    if children[0].tag == "error":
        error = children[0]
        raise WireError(error.findtext("code") or "", error.findtext("message") or "")
    if all(child.tag == "item" for child in children):
        if any(child.find("itemKey") is not None for child in children):
            return {
                child.findtext("itemKey"): _xml_value(child)
                for child in children
                if child.find("itemKey") is not None
            }
        return [_xml_value(child) for child in children]
    value = {child.tag: _xml_value(child) for child in children if child.tag != "itemKey"}
    if value.get("objectType") == "KalturaAPIException":
        raise WireError(str(value.get("code")), str(value.get("message")))
    return value


def decode(response: httpx.Response, fmt: int) -> Any:
    """The result of one call, in plain Python values (XML scalars stay strings)."""
    assert response.status_code == 200, response.text
    if fmt == 1:
        assert response.headers["content-type"].startswith("application/json")
        value = response.json()
        if isinstance(value, dict) and value.get("objectType") == "KalturaAPIException":
            raise WireError(value["code"], value["message"])
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and item.get("objectType") == "KalturaAPIException":
                    raise WireError(item["code"], item["message"])
        return value
    assert response.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "xml" and root.find("executionTime") is not None
    result = root.find("result")
    assert result is not None
    return _xml_value(result)


def objects(listing: Any) -> list[dict[str, Any]]:
    """``objects`` of a list response (an empty XML array is an empty element)."""
    found = listing.get("objects") or []
    return found if isinstance(found, list) else []


class Wire:
    """The independent client: one method per api_v3 call, nothing more."""

    def __init__(self, http: httpx.Client, fmt: int) -> None:
        self.http = http
        self.fmt = fmt

    def call(self, service: str, action: str, **params: Any) -> Any:
        pairs = form_pairs({**params, "format": self.fmt, "clientTag": "conformance"})
        return decode(self._post(f"/api_v3/service/{service}/action/{action}", pairs), self.fmt)

    def _post(self, path: str, pairs: list[tuple[str, str]]) -> httpx.Response:
        form = urlencode(pairs).encode("ascii")
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.http.post(path, content=form, headers=headers)

    def multi(self, *calls: dict[str, Any], ks: str) -> list[Any]:
        body = {str(i): call for i, call in enumerate(calls, start=1)}
        pairs = form_pairs({**body, "ks": ks, "format": self.fmt})
        result = decode(self._post("/api_v3/service/multirequest", pairs), self.fmt)
        assert isinstance(result, list) and len(result) == len(calls)
        return result


@pytest.fixture(params=[1, 2], ids=["json", "xml"])
def wire(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[Wire]:
    url = sandbox.serve("127.0.0.1", 0)
    with httpx.Client(base_url=url, timeout=10) as http:
        yield Wire(http, request.param)


def vendor_session(wire: Wire, sandbox: Sandbox) -> str:
    creds = sandbox.credentials
    ks = wire.call(
        "session",
        "start",
        secret=creds.vendor_admin_secret,
        partnerId=creds.vendor_partner_id,
        type=2,
        privileges="disableentitlement",
    )
    assert isinstance(ks, str) and ks.startswith("djJ8")
    return ks


def pending_job(wire: Wire, ks: str, feature: int) -> dict[str, Any]:
    jobs = wire.call(
        "reach_entryvendortask",
        "getJobs",
        ks=ks,
        filter={"objectType": "KalturaEntryVendorTaskFilter"},
        pager={"objectType": "KalturaFilterPager", "pageSize": 500},
        responseProfile=RESPONSE_PROFILE,
    )
    assert jobs["objectType"] == "KalturaEntryVendorTaskListResponse"
    for job in objects(jobs):
        assert str(job["status"]) == "1"
        # reach_vendor trims the task; the feature comes with the related catalog item (§3.4)
        (item,) = objects(job["relatedObjects"]["reach_vendor_catalog_item"])
        if str(item["serviceFeature"]) == str(feature):
            return {**job, "catalogItem": item}
    raise AssertionError(f"no pending job of feature {feature}")


def update_job(wire: Wire, ks: str, job: dict[str, Any], **fields: Any) -> dict[str, Any]:
    task = wire.call(
        "reach_entryvendortask",
        "updateJob",
        ks=ks,
        id=job["id"],
        entryVendorTask={"objectType": "KalturaEntryVendorTask", **fields},
    )
    assert task["objectType"] == "KalturaEntryVendorTask" and str(task["id"]) == str(job["id"])
    return dict(task)


def assert_key_killed(wire: Wire, job: dict[str, Any]) -> None:
    with pytest.raises(WireError) as caught:
        wire.call("reach_entryvendortask", "get", ks=job["accessKey"], id=job["id"])
    assert caught.value.code == "INVALID_KS"


def test_caption_flow(wire: Wire, sandbox: Sandbox) -> None:
    ks = vendor_session(wire, sandbox)
    job = pending_job(wire, ks, 1)
    key, entry_id = job["accessKey"], job["entryId"]
    assert str(update_job(wire, ks, job, status=PROCESSING)["status"]) == str(PROCESSING)
    flavors = wire.call("flavorasset", "list", ks=key, filter={"entryIdEqual": entry_id})
    ready = [f for f in objects(flavors) if str(f["status"]) == "2"]
    assert ready, flavors
    url = wire.call("flavorasset", "getUrl", ks=key, id=ready[0]["id"])
    media = wire.http.get(url)
    assert media.status_code == 200 and media.content
    added, filled = wire.multi(
        {
            "service": "caption_captionasset",
            "action": "add",
            "entryId": entry_id,
            "captionAsset": {
                "objectType": "KalturaCaptionAsset",
                "language": "English",
                "format": 1,
                "label": "English",
                "accuracy": 99,
            },
        },
        {
            "service": "caption_captionasset",
            "action": "setContent",
            "id": "{1:result:id}",
            "contentResource": {"objectType": "KalturaStringResource", "content": SRT},
        },
        ks=key,
    )
    assert added["objectType"] == "KalturaCaptionAsset" and filled["id"] == added["id"]
    assert str(filled["status"]) == "2" and filled["language"] == "English"
    assert str(filled["sizeInBytes"]) == str(len(SRT.encode()))
    done = update_job(wire, ks, job, status=READY, outputObjectId=added["id"], accuracy=99)
    assert str(done["status"]) == str(READY)
    assert_key_killed(wire, job)
    assert sandbox.asset_content(str(added["id"])) == SRT.encode()


def test_translation_flow(wire: Wire, sandbox: Sandbox) -> None:
    ks = vendor_session(wire, sandbox)
    job = pending_job(wire, ks, 2)
    while not job["taskJobData"] or not job["taskJobData"].get("captionAssetId"):
        update_job(wire, ks, job, status=PROCESSING)  # not the one we want: take it off the queue
        job = pending_job(wire, ks, 2)
    key, entry_id = job["accessKey"], job["entryId"]
    target = job["catalogItem"]["targetLanguage"]
    item = wire.call("reach_vendorcatalogitem", "get", ks=ks, id=job["catalogItemId"])
    assert item["targetLanguage"] == target
    update_job(wire, ks, job, status=PROCESSING)
    source_id = job["taskJobData"]["captionAssetId"]
    listed = wire.call("caption_captionasset", "list", ks=key, filter={"entryIdEqual": entry_id})
    assert source_id in [c["id"] for c in objects(listed)]
    url = wire.call("caption_captionasset", "getUrl", ks=key, id=source_id)
    source = wire.http.get(url)
    assert source.status_code == 200 and "-->" in source.text
    translated = source.text.upper()
    caption = wire.call(
        "caption_captionasset",
        "add",
        ks=key,
        entryId=entry_id,
        captionAsset={"objectType": "KalturaCaptionAsset", "language": target, "format": 1},
    )
    filled = wire.call(
        "caption_captionasset",
        "setContent",
        ks=key,
        id=caption["id"],
        contentResource={"objectType": "KalturaStringResource", "content": translated},
    )
    assert str(filled["status"]) == "2" and filled["language"] == target
    update_job(wire, ks, job, status=READY, outputObjectId=caption["id"])
    assert_key_killed(wire, job)
    assert sandbox.asset_content(str(caption["id"])) == translated.encode()


def test_chapters_flow(wire: Wire, sandbox: Sandbox) -> None:
    ks = vendor_session(wire, sandbox)
    job = pending_job(wire, ks, 5)
    key, entry_id = job["accessKey"], job["entryId"]
    update_job(wire, ks, job, status=PROCESSING)
    chapters = [(0, "Opening"), (15000, "Middle part"), (42000, "Closing")]
    ids = []
    for start, title in chapters:
        cue = wire.call(
            "cuepoint_cuepoint",
            "add",
            ks=key,
            cuePoint={
                "objectType": "KalturaThumbCuePoint",
                "entryId": entry_id,
                "startTime": start,
                "title": title,
                "description": f"About {title.lower()}",
                "subType": 2,
            },
        )
        assert cue["objectType"] == "KalturaThumbCuePoint" and str(cue["subType"]) == "2"
        assert str(cue["startTime"]) == str(start) and cue["title"] == title
        ids.append(cue["id"])
    read = wire.call("cuepoint_cuepoint", "get", ks=key, id=ids[1])
    assert read["title"] == "Middle part" and str(read["startTime"]) == "15000"
    update_job(wire, ks, job, status=READY)
    assert_key_killed(wire, job)
    stored = sorted((c["startTime"], c["title"]) for c in sandbox.cue_points(entry_id))
    assert stored == chapters


def test_live_registration_flow(wire: Wire, sandbox: Sandbox) -> None:
    ks = vendor_session(wire, sandbox)
    job = pending_job(wire, ks, 8)
    key = job["accessKey"]
    # reach_vendor filters taskJobData too (§3.4): the event id comes from a plain get
    assert not (job["taskJobData"] or {}).get("scheduledEventId")
    full = wire.call("reach_entryvendortask", "get", ks=key, id=job["id"])
    event_id = full["taskJobData"]["scheduledEventId"]
    feature_name = f"LiveCaptionFeature-reach-{job['id']}"
    update_job(wire, ks, job, status=PROCESSING)
    event = wire.call(
        "schedule_scheduleevent",
        "updateLiveFeature",
        ks=key,
        scheduledEventId=event_id,
        featureName=feature_name,
        liveFeature={
            "objectType": "KalturaLiveCaptionFeature",
            "mediaUrl": "rtmps://vendor.example/live",
            "mediaKey": "stream-1",
            "captionUrl": "wss://vendor.example/captions",
            "captionToken": "token-1",
            "inputDelay": 3,
        },
    )
    assert event["objectType"] == "KalturaLiveStreamScheduleEvent"
    assert str(event["id"]) == str(event_id)
    with pytest.raises(WireError) as caught:
        wire.call(
            "schedule_scheduleevent",
            "updateLiveFeature",
            ks=key,
            scheduledEventId=event_id,
            featureName="LiveCaptionFeature-reach-0",
            liveFeature={"objectType": "KalturaLiveCaptionFeature", "mediaKey": "x"},
        )
    assert caught.value.code == "FEATURE_NAME_NOT_FOUND"
    # the demo event also carries the live translation task's feature (30011)
    features = sandbox.live_features(int(event_id))
    (feature,) = [f for f in features if f["systemName"] == feature_name]
    assert (feature["mediaUrl"], feature["captionToken"], feature["inputDelay"]) == (
        "rtmps://vendor.example/live",
        "token-1",
        3,
    )


def test_the_two_formats_carry_the_same_job(sandbox: Sandbox) -> None:
    url = sandbox.serve("127.0.0.1", 0)
    with httpx.Client(base_url=url, timeout=10) as http:
        as_json, as_xml = Wire(http, 1), Wire(http, 2)
        ks = vendor_session(as_json, sandbox)
        from_json = pending_job(as_json, ks, 5)
        from_xml = pending_job(as_xml, ks, 5)
    for name in ("id", "entryId", "partnerId", "catalogItemId", "status", "accessKey"):
        assert str(from_json[name]) == from_xml[name], name
    assert json.dumps(sorted(from_json)) != "[]"
