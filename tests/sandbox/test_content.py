"""Content services with the task access key; the customer's admin KS reads everything back."""

from __future__ import annotations

import httpx
import pytest

from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Api, assert_error, task_by_feature

SRT = "1\n00:00:00,000 --> 00:00:02,000\nHello\n\n2\n00:00:02,000 --> 00:00:04,000\nWorld\n"
CAP = "caption_captionasset"
#: The head of an MP4 file (an ``ftyp`` box): what the sandbox converts to READY.
MP4_HEAD = "\x00\x00\x00\x10ftypisom\x00\x00\x02\x00"


def _key(sandbox: Sandbox, feature: int) -> tuple[str, str]:
    task = task_by_feature(sandbox, feature)
    return task["accessKey"], task["entryId"]


@pytest.mark.rule("CAP-1")
@pytest.mark.rule("CAP-3")
def test_caption_add_set_content_get_url_serve_update(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox, 1)
    asset = api.call(
        CAP,
        "add",
        ks=key,
        entryId=entry_id,
        captionAsset={
            "objectType": "KalturaCaptionAsset",
            "language": "Hebrew",
            "format": 1,
            "label": "Hebrew",
            "accuracy": 99,
            "isDefault": 1,
            "displayOnPlayer": True,
            "fileExt": "srt",
        },
    )
    assert asset["status"] == 0 and asset["format"] == "1" and asset["isDefault"] is True
    ready = api.call(
        CAP,
        "setContent",
        ks=key,
        id=asset["id"],
        contentResource={"objectType": "KalturaStringResource", "content": SRT},
    )
    assert ready["status"] == 2
    got = api.call(CAP, "get", ks=key, captionAssetId=asset["id"])
    assert got["accuracy"] == 99 and got["sizeInBytes"] == str(len(SRT))
    url = api.call(CAP, "getUrl", ks=key, id=asset["id"])
    assert url.endswith(f"/captionAssetId/{asset['id']}/ks/{key}")
    served = api.client.get(url.replace(str(api.client.base_url).rstrip("/"), ""))
    assert served.status_code == 200 and served.text == SRT
    updated = api.call(
        CAP,
        "update",
        ks=key,
        id=asset["id"],
        captionAsset={"objectType": "KalturaCaptionAsset", "associatedTranscriptIds": "1_t"},
    )
    assert updated["associatedTranscriptIds"] == "1_t"
    assert_error(
        api.call(CAP, "update", ks=key, id=asset["id"], captionAsset={"format": 3}),
        "PROPERTY_VALIDATION_NOT_UPDATABLE",
    )
    broken = api.call(
        CAP, "add", ks=key, entryId=entry_id, captionAsset={"language": "Hebrew", "format": 1}
    )
    errored = api.call(
        CAP,
        "setContent",
        ks=key,
        id=broken["id"],
        contentResource={"objectType": "KalturaStringResource", "content": "not srt"},
    )
    assert errored["status"] == -1
    admin = api.admin_ks(1002)
    assert api.call(CAP, "get", ks=admin, captionAssetId=asset["id"])["id"] == asset["id"]


def test_caption_language_and_format_validation(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox, 1)
    assert_error(
        api.call(
            CAP,
            "add",
            ks=key,
            entryId=entry_id,
            captionAsset={"language": "English (ASL)", "format": 1},
        ),
        "INVALID_ENUM_VALUE",
    )
    assert_error(
        api.call(
            CAP, "add", ks=key, entryId=entry_id, captionAsset={"language": "English", "format": 9}
        ),
        "INVALID_ENUM_VALUE",
    )


@pytest.mark.rule("TRANS-1")
def test_caption_list_by_access_key_only_for_its_entry_and_get_url_works(
    api: Api, sandbox: Sandbox
) -> None:
    # The server's REACH_VENDOR_ROLE may list captions (seed 003 does, filtered by entry); the
    # sandbox allows it for the task's own entry only (docs/sandbox.md).
    task = sandbox.task(381257922)
    own = api.call(
        CAP,
        "list",
        ks=task["accessKey"],
        filter={"objectType": "KalturaAssetFilter", "entryIdEqual": task["entryId"]},
    )
    assert own["objectType"] == "KalturaCaptionAssetListResponse"
    assert [c["entryId"] for c in own["objects"]] == [task["entryId"]] * own["totalCount"]
    err = assert_error(
        api.call(CAP, "list", ks=task["accessKey"]), "PROPERTY_VALIDATION_CANNOT_BE_NULL"
    )
    assert "entryIdEqual" in err["message"] and "entryIdIn" in err["message"]
    url = api.call(CAP, "getUrl", ks=task["accessKey"], id=task["taskJobData"]["captionAssetId"])
    assert "caption_captionAsset/action/serve" in url
    listed = api.call(CAP, "list", ks=api.admin_ks(1001), filter={"entryIdEqual": task["entryId"]})
    assert listed["objectType"] == "KalturaCaptionAssetListResponse" and listed["totalCount"] == 1


@pytest.mark.rule("AUTH-7")
def test_access_key_on_another_entry_is_invalid_type(api: Api, sandbox: Sandbox) -> None:
    key, _ = _key(sandbox, 5)  # task on 1_skilm10u
    err = assert_error(
        api.call(CAP, "add", ks=key, entryId="1_nohls001", captionAsset={"language": "English"}),
        "INVALID_KS",
    )
    assert err["args"] == {"KSID": "", "ERR_CODE": "-4", "ERR_DESC": "INVALID_TYPE"}
    assert_error(
        api.call(CAP, "add", ks=api.vendor_ks(), entryId="1_skilm10u", captionAsset={}),
        "SERVICE_FORBIDDEN",
    )


@pytest.mark.rule("CAP-2")
def test_upload_token_chunks_then_caption_set_content(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox, 1)
    data = SRT.encode()
    token = api.call(
        "uploadtoken",
        "add",
        ks=key,
        uploadToken={
            "objectType": "KalturaUploadToken",
            "fileName": "a.srt",
            "fileSize": len(data),
        },
    )
    assert token["status"] == 0
    asset = api.call(
        CAP, "add", ks=key, entryId=entry_id, captionAsset={"language": "Hebrew", "format": 1}
    )
    pending = api.call(
        CAP,
        "setContent",
        ks=key,
        id=asset["id"],
        contentResource={"objectType": "KalturaUploadedFileTokenResource", "token": token["id"]},
    )
    assert pending["status"] == 0  # attached, waits for the upload

    def upload(chunk: bytes, **params: object) -> dict:
        response = api.client.post(
            "/api_v3/service/uploadtoken/action/upload",
            data={
                "ks": key,
                "format": "1",
                "uploadTokenId": token["id"],
                **{k: str(v) for k, v in params.items()},
            },
            files={"fileData": ("a.srt", chunk, "text/plain")},
        )
        return response.json()  # type: ignore[no-any-return]

    first = upload(data[:10], resume=0, finalChunk=0)
    assert first["status"] == 1 and first["uploadedFileSize"] == 10
    third = upload(data[30:], resume=1, finalChunk=0, resumeAt=30)  # parallel middle chunk
    assert third["status"] == 1
    early = upload(b"", resume=1, finalChunk=1, resumeAt=len(data))
    assert_error(early, "UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE")
    upload(data[10:30], resume=1, finalChunk=0, resumeAt=10)
    final = upload(b"", resume=1, finalChunk=1, resumeAt=len(data))
    assert final["status"] == 3  # FULL_UPLOAD then CLOSED by the waiting asset
    assert api.call(CAP, "get", ks=key, captionAssetId=asset["id"])["status"] == 2
    assert sandbox.asset_content(asset["id"]) == data
    assert_error(upload(b"x"), "UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD")
    got = api.call("uploadtoken", "get", ks=key, uploadTokenId=token["id"])
    assert got["attachedObjectId"] == asset["id"]
    assert_error(
        api.call("uploadtoken", "add", ks=key, uploadToken={"autoFinalize": 1}),
        "UPLOAD_TOKEN_MISSING_FILE_SIZE",
    )
    assert_error(
        api.call(
            CAP,
            "setContent",
            ks=key,
            id=asset["id"],
            contentResource={"objectType": "KalturaUploadedFileTokenResource", "token": "nope"},
        ),
        "UPLOADED_FILE_NOT_FOUND_BY_TOKEN",
    )


def test_url_resource_fetched_with_headers(sandbox: Sandbox) -> None:
    seen: list[str] = []

    def vendor_server(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization", ""))
        return httpx.Response(200, text=SRT)

    with (
        Sandbox("demo", url_fetch_transport=httpx.MockTransport(vendor_server)) as sb,
        httpx.Client(transport=sb.transport(), base_url=sb.service_url) as client,
    ):
        api = Api(client, sb)
        key, entry_id = _key(sb, 1)
        asset = api.call(
            CAP, "add", ks=key, entryId=entry_id, captionAsset={"language": "Hebrew", "format": 1}
        )
        ready = api.call(
            CAP,
            "setContent",
            ks=key,
            id=asset["id"],
            contentResource={
                "objectType": "KalturaUrlResource",
                "url": "https://vendor.example/out.srt",
                "forceAsyncDownload": 0,
                "urlHeaders": [
                    {"objectType": "KalturaString", "value": "Authorization: Bearer s3cret"}
                ],
            },
        )
        assert ready["status"] == 2 and seen == ["Bearer s3cret"]


@pytest.mark.rule("CAP-4")
def test_attachment_transcript(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox, 1)
    att = api.call(
        "attachment_attachmentasset",
        "add",
        ks=key,
        entryId=entry_id,
        attachmentAsset={
            "objectType": "KalturaTranscriptAsset",
            "format": 1,
            "language": "Hebrew",
            "accuracy": 0.97,
            "fileExt": "txt",
            "filename": "t.txt",
        },
    )
    assert att["objectType"] == "KalturaTranscriptAsset" and att["accuracy"] == 0.97
    ready = api.call(
        "attachment_attachmentasset",
        "setContent",
        ks=key,
        id=att["id"],
        contentResource={"objectType": "KalturaStringResource", "content": "Hello world"},
    )
    assert ready["status"] == 2
    got = api.call("attachment_attachmentasset", "get", ks=key, attachmentAssetId=att["id"])
    assert got["format"] == "1"


@pytest.mark.rule("DUB-1")
def test_flavor_add_set_content_get(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox, 7)
    flavor = api.call(
        "flavorasset",
        "add",
        ks=key,
        entryId=entry_id,
        flavorAsset={
            "objectType": "KalturaFlavorAsset",
            "flavorParamsId": 200,
            "language": "Spanish",
            "label": "Spanish",
            "isDefault": 0,
            "fileExt": "mp4",
        },
    )
    assert flavor["status"] == 0
    converting = api.call(
        "flavorasset",
        "setContent",
        ks=key,
        id=flavor["id"],
        contentResource={"objectType": "KalturaStringResource", "content": MP4_HEAD},
    )
    assert converting["status"] == 1  # CONVERTING for media_ready_after sandbox seconds
    assert_error(
        api.call("flavorasset", "getUrl", ks=key, id=flavor["id"]), "FLAVOR_ASSET_IS_NOT_READY"
    )
    sandbox.clock.advance(1.0)
    assert api.call("flavorasset", "get", ks=key, id=flavor["id"])["status"] == 2
    assert api.call("flavorasset", "get", ks=key, id=flavor["id"])["language"] == "Spanish"
    assert_error(
        api.call(
            "flavorasset", "add", ks=key, entryId=entry_id, flavorAsset={"flavorParamsId": 200}
        ),
        "FLAVOR_ASSET_ALREADY_EXISTS",
    )
    url = api.call("flavorasset", "getUrl", ks=key, id=flavor["id"])
    served = api.client.get(url.replace(str(api.client.base_url).rstrip("/"), "")).content
    assert served == MP4_HEAD.encode()


@pytest.mark.rule("SIGN-1")
@pytest.mark.rule("SIGN-2")
def test_sign_language_child_entry(api: Api, sandbox: Sandbox) -> None:
    key, parent = _key(sandbox, 19)
    child = api.call(
        "media",
        "add",
        ks=key,
        entry={
            "objectType": "KalturaMediaEntry",
            "name": "Town hall child signLangASL",
            "mediaType": 1,
        },
    )
    assert child["status"] == 7
    with_content = api.call(
        "media",
        "addContent",
        ks=key,
        entryId=child["id"],
        resource={"objectType": "KalturaStringResource", "content": MP4_HEAD},
    )
    assert with_content["status"] == 1  # PRECONVERT until the conversion ends
    sandbox.clock.advance(1.0)
    assert api.call("media", "get", ks=key, entryId=child["id"])["status"] == 2
    updated = api.call(
        "media",
        "update",
        ks=key,
        entryId=child["id"],
        mediaEntry={
            "objectType": "KalturaMediaEntry",
            "parentEntryId": parent,
            "adminTags": "signLang,signLangASL,vendor",
        },
    )
    assert (
        updated["parentEntryId"] == parent and updated["adminTags"] == "signLang,signLangASL,vendor"
    )
    assert api.call("media", "get", ks=key, entryId=child["id"])["id"] == child["id"]
    # without editadmintags the field is silently dropped, with a header
    other_key, other_entry = _key(sandbox, 1)
    response = api.raw(
        "baseentry",
        "update",
        ks=other_key,
        entryId=other_entry,
        baseEntry={"objectType": "KalturaBaseEntry", "adminTags": "x", "tags": "t1"},
    )
    assert "adminTags" not in response.json() or response.json()["adminTags"] != "x"
    assert response.json()["tags"] == "t1"
    assert "KalturaBaseEntry-adminTags-error" in response.headers
    admin = api.admin_ks(1003)
    assert api.call("baseentry", "get", ks=admin, entryId=child["id"])["adminTags"].startswith(
        "signLang"
    )


@pytest.mark.rule("MEDIA-1")
def test_playback_context_hls_and_fallback(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox, 5)
    ctx = api.call(
        "baseentry",
        "getPlaybackContext",
        ks=key,
        entryId=entry_id,
        contextDataParams={
            "objectType": "KalturaPlaybackContextOptions",
            "streamerType": "applehttp",
        },
    )
    assert ctx["objectType"] == "KalturaPlaybackContext"
    assert ctx["sources"][0]["format"] == "applehttp"
    assert {f["flavorParamsId"] for f in ctx["flavorAssets"]} == {0, 3, 359}
    assert ctx["playbackCaptions"][0]["language"] == "English"
    mkey, no_hls = _key(sandbox, 1)
    mkey = task_by_feature(sandbox, 1)["accessKey"]
    machine = next(t for t in sandbox.tasks() if t["entryId"] == "1_nohls001")
    none = api.call(
        "baseentry",
        "getPlaybackContext",
        ks=machine["accessKey"],
        entryId="1_nohls001",
        contextDataParams={
            "objectType": "KalturaPlaybackContextOptions",
            "streamerType": "applehttp",
        },
    )
    assert none["sources"] == []
    mp4 = api.call(
        "baseentry",
        "getPlaybackContext",
        ks=machine["accessKey"],
        entryId="1_nohls001",
        contextDataParams={"objectType": "KalturaPlaybackContextOptions", "streamerType": "http"},
    )
    assert mp4["sources"][0]["format"] == "url"
    download = api.client.get(_local(api, mp4["sources"][0]["url"]) + f"?ks={machine['accessKey']}")
    assert download.status_code == 200 and download.content[4:8] == b"ftyp"
    del mkey, no_hls


def _local(api: Api, url: str) -> str:
    return url.replace(str(api.client.base_url).rstrip("/"), "")


@pytest.mark.rule("MEDIA-4")
@pytest.mark.rule("MEDIA-5")
def test_play_manifest_hls_and_segments(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox, 5)
    ctx = api.call(
        "baseentry",
        "getPlaybackContext",
        ks=key,
        entryId=entry_id,
        contextDataParams={"streamerType": "applehttp"},
    )
    audio = next(f for f in ctx["flavorAssets"] if f["flavorParamsId"] == 359)
    url = _local(api, ctx["sources"][0]["url"]).replace(ctx["sources"][0]["flavorIds"], audio["id"])
    assert api.client.get(url).status_code == 403  # no KS
    master = api.client.get(url.replace("/a.m3u8", f"/ks/{key}/a.m3u8"))
    assert master.status_code == 200 and master.text.startswith("#EXTM3U")
    variant = next(line for line in master.text.splitlines() if "serveFlavor" in line)
    assert audio["id"] in variant and "mp4a" in master.text
    media = api.client.get(_local(api, variant).replace("/index.m3u8", "/tracks/a1/index.m3u8"))
    segments = [line for line in media.text.splitlines() if line.endswith(".ts")]
    assert segments[0] == "seg-1-a1.ts" and media.text.rstrip().endswith("#EXT-X-ENDLIST")
    base = _local(api, variant).rsplit("/", 1)[0]
    segment = api.client.get(f"{base}/tracks/a1/{segments[0]}")
    assert segment.status_code == 200 and segment.content[0] == 0x47
    via_header = api.client.get(url, headers={"X-Kaltura-Ks": key})
    assert via_header.status_code == 200


@pytest.mark.rule("CHAP-1")
def test_cue_points_add_bulk_get(api: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox, 5)
    cue = api.call(
        "cuepoint_cuepoint",
        "add",
        ks=key,
        cuePoint={
            "objectType": "KalturaThumbCuePoint",
            "entryId": entry_id,
            "startTime": 5000,
            "title": "T" * 300,
            "description": "Intro",
            "subType": 2,
        },
    )
    assert (
        cue["subType"] == 2
        and len(cue["title"]) == 255
        and cue["cuePointType"] == "thumbCuePoint.Thumb"
    )
    assert api.call("cuepoint_cuepoint", "get", ks=key, id=cue["id"])["startTime"] == 5000
    assert_error(
        api.call("cuepoint_cuepoint", "add", ks=key, cuePoint={"entryId": entry_id}),
        "OBJECT_TYPE_ABSTRACT",
    )
    xml = (
        f'<scenes><scene-thumb-cue-point entryId="{entry_id}">'
        "<sceneStartTime>00:00:10.500</sceneStartTime><title>Part 2</title>"
        "<description>d</description><subType>2</subType></scene-thumb-cue-point></scenes>"
    )
    bulk = api.client.post(
        "/api_v3/service/cuepoint_cuepoint/action/addFromBulk",
        data={"ks": key, "format": "1"},
        files={"fileData": ("c.xml", xml.encode(), "text/xml")},
    )
    result = bulk.json()
    assert result["objectType"] == "KalturaCuePointListResponse"
    assert result["objects"][0]["startTime"] == 10500
    assert len(sandbox.cue_points(entry_id)) == 2


@pytest.mark.rule("LIVE-2")
def test_update_live_feature(api: Api, sandbox: Sandbox) -> None:
    task = task_by_feature(sandbox, 8)
    event_id = task["taskJobData"]["scheduledEventId"]
    name = f"LiveCaptionFeature-reach-{task['id']}"
    # the event also carries the demo live translation task's feature (spa)
    features = {f["systemName"]: f for f in sandbox.live_features(event_id)}
    assert name in features and len(features) == 2
    translation = next(f for n, f in features.items() if n != name)
    assert translation["language"] == "spa"
    event = api.call(
        "schedule_scheduleevent",
        "updateLiveFeature",
        ks=task["accessKey"],
        scheduledEventId=event_id,
        featureName=name,
        liveFeature={
            "objectType": "KalturaLiveCaptionFeature",
            "mediaUrl": "rtmps://v/x",
            "mediaKey": "k",
            "captionUrl": "wss://v/c",
            "captionToken": "t",
        },
    )
    assert event["objectType"] == "KalturaLiveStreamScheduleEvent"
    (feature,) = [f for f in sandbox.live_features(event_id) if f["systemName"] == name]
    assert feature["captionUrl"] == "wss://v/c" and feature["language"] == "eng"
    assert feature["preStartTime"] == 300
    assert_error(
        api.call(
            "schedule_scheduleevent",
            "updateLiveFeature",
            ks=task["accessKey"],
            scheduledEventId=event_id,
            featureName="nope",
            liveFeature={"objectType": "KalturaLiveCaptionFeature"},
        ),
        "FEATURE_NAME_NOT_FOUND",
    )
    assert_error(
        api.call(
            "schedule_scheduleevent",
            "updateLiveFeature",
            ks=task["accessKey"],
            scheduledEventId=event_id,
            featureName=name,
            liveFeature={"mediaUrl": "x"},
        ),
        "OBJECT_TYPE_ABSTRACT",
    )
    api.call(
        "reach_entryvendortask",
        "updateJob",
        ks=api.vendor_ks(),
        id=task["id"],
        entryVendorTask={"status": 6, "errDescription": "no capacity"},
    )
    assert [f["systemName"] for f in sandbox.live_features(event_id)] == [translation["systemName"]]


@pytest.mark.rule("MOD-6")
def test_entry_moderation_flow(api: Api, sandbox: Sandbox) -> None:
    admin = api.admin_ks(1001)
    widget = api.call("session", "startWidgetSession", widgetId="_1001")["ks"]
    flag = api.call(
        "baseentry",
        "flag",
        ks=widget,
        moderationFlag={
            "objectType": "KalturaModerationFlag",
            "flaggedEntryId": "1_skilm10u",
            "flagType": 1,
            "comments": "c",
        },
    )
    assert flag["objectType"] == "KalturaModerationFlag" and flag["status"] == 1
    assert api.call("baseentry", "get", ks=admin, entryId="1_skilm10u")["moderationStatus"] == 5
    flags = api.call("baseentry", "listFlags", ks=admin, entryId="1_skilm10u")
    assert flags["totalCount"] == 1
    queue = api.call(
        "baseentry",
        "list",
        ks=admin,
        filter={
            "objectType": "KalturaBaseEntryFilter",
            "moderationStatusIn": "1,5",
            "statusEqual": 2,
        },
    )
    assert [e["id"] for e in queue["objects"]] == ["1_skilm10u"]
    assert api.call("baseentry", "reject", ks=admin, entryId="1_skilm10u") is None
    assert api.call("baseentry", "listFlags", ks=admin, entryId="1_skilm10u")["totalCount"] == 0
    assert "1_skilm10u" not in {e["id"] for e in api.call("baseentry", "list", ks=admin)["objects"]}
    assert_error(
        api.call(
            "baseentry",
            "flag",
            ks=admin,
            moderationFlag={"flaggedEntryId": "1_skilm10u", "flagType": 2},
        ),
        "ENTRY_CANNOT_BE_FLAGGED",
    )
    api.call("baseentry", "approve", ks=admin, entryId="1_skilm10u")
    assert api.call("baseentry", "get", ks=admin, entryId="1_skilm10u")["moderationStatus"] == 2


@pytest.mark.rule("MOD-1")
def test_category_entry_activate_reject(api: Api, sandbox: Sandbox) -> None:
    task = task_by_feature(sandbox, 15)
    assert task["taskJobData"]["categoryIds"] == "9001"
    assert (
        api.call(
            "categoryentry",
            "activate",
            ks=task["accessKey"],
            entryId=task["entryId"],
            categoryId=9001,
        )
        is None
    )
    assert sandbox.category_entries()[0]["status"] == 2
    # only a PENDING link is activated or rejected (server CategoryEntryService)
    admin = api.admin_ks(1001)
    assert_error(
        api.call("categoryentry", "reject", ks=admin, entryId=task["entryId"], categoryId=9001),
        "CANNOT_REJECT_CATEGORY_ENTRY_SINCE_IT_IS_NOT_PENDING",
    )
    assert_error(
        api.call("categoryentry", "activate", ks=admin, entryId=task["entryId"], categoryId=9001),
        "CANNOT_ACTIVATE_CATEGORY_ENTRY_SINCE_IT_IS_NOT_PENDING",
    )
    with sandbox.state.lock:
        sandbox.state.category_entries[(9001, task["entryId"])]["status"] = 1
    api.call("categoryentry", "reject", ks=admin, entryId=task["entryId"], categoryId=9001)
    assert sandbox.category_entries()[0]["status"] == 4
    assert_error(
        api.call(
            "categoryentry", "activate", ks=task["accessKey"], entryId=task["entryId"], categoryId=1
        ),
        "CATEGORY_NOT_FOUND",
    )
