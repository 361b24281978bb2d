"""The sandbox answers as production does (issue 10, part B): languages, bulk cue point XML,
caption listing by an access key, the processed-then-dropped fault, entitlement, business days.

Expected values come from the server's source (named in each test), never from the sandbox.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import xml.etree.ElementTree as ET
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from kaltura_reach_vendor.sandbox import Clock, Sandbox

from .conftest import Api, assert_error, task_by_feature

CAP = "caption_captionasset"
EVT = "reach_entryvendortask"
CUE = "cuepoint_cuepoint"
NEW_YORK = ZoneInfo("America/New_York")


def _key(sandbox: Sandbox, feature: int) -> tuple[str, str]:
    task = task_by_feature(sandbox, feature)
    return str(task["accessKey"]), str(task["entryId"])


def _xml_error_code(response: httpx.Response) -> str | None:
    root = ET.fromstring(response.content)
    return root.findtext("result/error/code")


# --- 3. languages ------------------------------------------------------------------------------

BAD_LANGUAGES = ["en", "eng", "EN", "english", "Klingon", "Auto Detect", "English (ASL)", ""]


@pytest.mark.rule("INPUT-8")
@pytest.mark.parametrize("language", BAD_LANGUAGES)
def test_caption_language_must_be_a_kaltura_language_name(
    api: Api, sandbox: Sandbox, language: str
) -> None:
    key, entry_id = _key(sandbox, 1)
    before = len(sandbox.assets(entry_id, "caption"))
    err = assert_error(
        api.call(
            CAP,
            "add",
            ks=key,
            entryId=entry_id,
            captionAsset={"objectType": "KalturaCaptionAsset", "language": language, "format": 1},
        ),
        "INVALID_ENUM_VALUE",
    )
    # KalturaRequestDeserializer::buildObject: (value, property name, enum type).
    assert err["args"] == {
        "ENUM_VAL": language,
        "PARAM_NAME": "language",
        "ENUM_TYPE": "KalturaLanguage",
    }
    assert err["message"] == (
        f'Invalid enumeration value "{language}" for parameter "language", '
        'expecting enumeration type "KalturaLanguage"'
    )
    assert len(sandbox.assets(entry_id, "caption")) == before


@pytest.mark.parametrize("language", ["English", "Multilingual", "Persian (Iran)", "Hebrew"])
def test_kaltura_language_names_are_accepted(inproc: Api, sandbox: Sandbox, language: str) -> None:
    key, entry_id = _key(sandbox, 1)
    caption = inproc.call(
        CAP,
        "add",
        ks=key,
        entryId=entry_id,
        captionAsset={"objectType": "KalturaCaptionAsset", "language": language, "format": 1},
    )
    assert caption["objectType"] == "KalturaCaptionAsset" and caption["language"] == language


def test_iso_language_refused_in_xml_too(inproc: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox, 1)
    response = inproc.raw(
        CAP,
        "add",
        format=2,
        ks=key,
        entryId=entry_id,
        captionAsset={"objectType": "KalturaCaptionAsset", "language": "en"},
    )
    assert _xml_error_code(response) == "INVALID_ENUM_VALUE"


def test_attachment_and_flavor_languages_are_validated(inproc: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox, 1)
    transcript = {"objectType": "KalturaTranscriptAsset", "language": "en", "format": 1}
    attachment = inproc.call(
        "attachment_attachmentasset", "add", ks=key, entryId=entry_id, attachmentAsset=transcript
    )
    assert_error(attachment, "INVALID_ENUM_VALUE")
    flavor = {"objectType": "KalturaFlavorAsset", "language": "spa", "flavorParamsId": 9001}
    assert_error(
        inproc.call("flavorasset", "add", ks=key, entryId=entry_id, flavorAsset=flavor),
        "INVALID_ENUM_VALUE",
    )
    flavor["language"] = "Spanish"
    added = inproc.call("flavorasset", "add", ks=key, entryId=entry_id, flavorAsset=flavor)
    assert added["language"] == "Spanish"
    err = assert_error(
        inproc.call(
            "flavorasset",
            "update",
            ks=key,
            id=added["id"],
            flavorAsset={"objectType": "KalturaFlavorAsset", "language": "es"},
        ),
        "INVALID_ENUM_VALUE",
    )
    assert err["args"]["ENUM_VAL"] == "es"
    assert sandbox.assets(entry_id, "flavor")[-1]["language"] == "Spanish"


# --- 4. cuePoint.addFromBulk -----------------------------------------------------------------


def _bulk(api: Api, key: str, xml: str, fmt: int = 1) -> httpx.Response:
    return api.client.post(
        "/api_v3/service/cuepoint_cuepoint/action/addFromBulk",
        data={"ks": key, "format": str(fmt)},
        files={"fileData": ("cues.xml", xml.encode(), "text/xml")},
    )


def _scene(entry_id: str, body: str, attributes: str = "") -> str:
    return f'<scene-thumb-cue-point entryId="{entry_id}"{attributes}>{body}</scene-thumb-cue-point>'


GOOD = (
    "<sceneStartTime>00:01:02.500</sceneStartTime><tags><tag>a</tag><tag>b</tag></tags>"
    "<title>Intro</title><description>First part</description><subType>2</subType>"
)


def test_bulk_valid_file_creates_cue_points_as_the_server_stores_them(
    api: Api, sandbox: Sandbox
) -> None:
    key, entry_id = _key(sandbox, 5)
    minimal = "<sceneStartTime>01:00:00</sceneStartTime><title></title><description/>"
    xml = f"<scenes>{_scene(entry_id, GOOD)}{_scene(entry_id, minimal)}</scenes>"
    result = _bulk(api, key, xml).json()
    assert result["objectType"] == "KalturaCuePointListResponse"
    assert result["totalCount"] == 2
    first, second = result["objects"]
    assert first["startTime"] == 62500 and second["startTime"] == 3_600_000
    assert first["tags"] == "a,b" and first["entryId"] == entry_id
    # kCuePointManager::parseXml + ThumbCuePointPlugin::parseXml keep no title, description or
    # subType; ThumbCuePoint::preInsert then makes it a SLIDE (1), PENDING (4).
    for cue in (first, second):
        assert not cue.get("title") and not cue.get("description")
        assert cue["subType"] == 1 and cue["status"] == 4
    assert len(sandbox.cue_points(entry_id)) == 2


def test_bulk_scene_with_known_system_name_updates_it(inproc: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox, 5)
    one = _scene(entry_id, GOOD, ' systemName="ch1"')
    _bulk(inproc, key, f"<scenes>{one}</scenes>")
    moved = _scene(entry_id, GOOD.replace("00:01:02.500", "00:00:03"), ' systemName="ch1"')
    result = _bulk(inproc, key, f"<scenes>{moved}</scenes>").json()
    assert result["objects"][0]["startTime"] == 3000
    assert [c["startTime"] for c in sandbox.cue_points(entry_id)] == [3000]


INVALID_BODIES = {
    "not well formed": "<scenes><scene-thumb-cue-point",
    "root is not scenes": "<cuePoints>{good}</cuePoints>",
    "no scene": "<scenes></scenes>",
    "abstract scene": '<scenes><scene entryId="{e}">{body}</scene></scenes>',
    "ad scene (not in the sandbox's schema)": (
        '<scenes><scene-ad-cue-point entryId="{e}">{body}</scene-ad-cue-point></scenes>'
    ),
    "missing title": "<scenes>{no_title}</scenes>",
    "missing description": "<scenes>{no_description}</scenes>",
    "missing start time": "<scenes>{no_start}</scenes>",
    "title before start time": "<scenes>{title_first}</scenes>",
    "description before title": "<scenes>{swapped}</scenes>",
    "subType before description": "<scenes>{sub_first}</scenes>",
    "unknown element": "<scenes>{unknown}</scenes>",
    "unknown attribute": "<scenes>{bad_attribute}</scenes>",
    "no entryId": "<scenes>{no_entry}</scenes>",
    "entryId over 20 characters": "<scenes>{long_entry}</scenes>",
    "time is not xs:time": "<scenes>{bad_time}</scenes>",
    "subType outside the enum": "<scenes>{bad_sub}</scenes>",
    "text between elements": "<scenes>{mixed}</scenes>",
    "tag over 30 characters": "<scenes>{long_tag}</scenes>",
    "two titles": "<scenes>{two_titles}</scenes>",
}


def _invalid_documents(entry_id: str) -> dict[str, str]:
    start = "<sceneStartTime>00:00:05</sceneStartTime>"
    title, desc, sub = "<title>T</title>", "<description>D</description>", "<subType>2</subType>"
    parts = {
        "e": entry_id,
        "body": start + title + desc,
        "good": _scene(entry_id, start + title + desc),
        "no_title": _scene(entry_id, start + desc),
        "no_description": _scene(entry_id, start + title),
        "no_start": _scene(entry_id, title + desc),
        "title_first": _scene(entry_id, title + start + desc),
        "swapped": _scene(entry_id, start + desc + title),
        "sub_first": _scene(entry_id, start + title + sub + desc),
        "unknown": _scene(entry_id, start + title + desc + "<name>x</name>"),
        "bad_attribute": _scene(entry_id, start + title + desc, ' color="red"'),
        "no_entry": f"<scene-thumb-cue-point>{start}{title}{desc}</scene-thumb-cue-point>",
        "long_entry": _scene("1_" + "x" * 19, start + title + desc),
        "bad_time": _scene(entry_id, "<sceneStartTime>5s</sceneStartTime>" + title + desc),
        "bad_sub": _scene(entry_id, start + title + desc + "<subType>3</subType>"),
        "mixed": _scene(entry_id, start + "oops" + title + desc),
        "long_tag": _scene(entry_id, start + f"<tags><tag>{'t' * 31}</tag></tags>" + title + desc),
        "two_titles": _scene(entry_id, start + title + title + desc),
    }
    return {name: body.format(**parts) for name, body in INVALID_BODIES.items()}


@pytest.mark.parametrize("case", sorted(INVALID_BODIES))
def test_bulk_invalid_xml_is_refused_and_creates_nothing(
    inproc: Api, sandbox: Sandbox, case: str
) -> None:
    key, entry_id = _key(sandbox, 5)
    document = _invalid_documents(entry_id)[case]
    good_first = f"<scenes>{_scene(entry_id, GOOD)}" + document.removeprefix("<scenes>")
    # A valid scene first: the whole file is checked before anything is created.
    body = good_first if document.startswith("<scenes><scene") else document
    assert_error(_bulk(inproc, key, body).json(), "XML_INVALID")
    assert sandbox.cue_points(entry_id) == []


def test_bulk_invalid_xml_in_xml_format(inproc: Api, sandbox: Sandbox) -> None:
    key, _entry_id = _key(sandbox, 5)
    response = _bulk(inproc, key, "<scenes><oops/></scenes>", fmt=2)
    assert _xml_error_code(response) == "XML_INVALID"


def test_bulk_unknown_entry_keeps_earlier_scenes(inproc: Api, sandbox: Sandbox) -> None:
    key, entry_id = _key(sandbox, 5)
    xml = f"<scenes>{_scene(entry_id, GOOD)}{_scene('1_nosuch00', GOOD)}</scenes>"
    # kCoreException::INVALID_ENTRY_ID, re-thrown by CuePointService::addFromBulkAction.
    assert_error(_bulk(inproc, key, xml).json(), "INVALID_ENTRY_ID")
    assert len(sandbox.cue_points(entry_id)) == 1


# --- 8. captionAsset.list with an access key ---------------------------------------------------


def test_caption_list_with_access_key_filtered_to_its_entry(api: Api, sandbox: Sandbox) -> None:
    task = sandbox.task(381257922)
    key, entry_id = task["accessKey"], task["entryId"]
    listed = api.call(CAP, "list", ks=key, filter={"entryIdEqual": entry_id})
    assert listed["totalCount"] == 1
    assert listed["objects"][0]["id"] == task["taskJobData"]["captionAssetId"]
    by_in = api.call(CAP, "list", ks=key, filter={"entryIdIn": entry_id})
    assert by_in["totalCount"] == 1
    xml = api.raw(CAP, "list", format=2, ks=key, filter={"entryIdEqual": entry_id})
    root = ET.fromstring(xml.content)
    assert root.findtext("result/objectType") == "KalturaCaptionAssetListResponse"
    assert root.findtext("result/objects/item/id") == task["taskJobData"]["captionAssetId"]


def test_caption_list_with_access_key_refused_elsewhere(api: Api, sandbox: Sandbox) -> None:
    task = sandbox.task(381257922)
    key = task["accessKey"]
    other = next(
        e["id"]
        for e in sandbox.entries()
        if e["partnerId"] == task["partnerId"] and e["id"] != task["entryId"]
    )
    err = assert_error(api.call(CAP, "list", ks=key, filter={"entryIdEqual": other}), "INVALID_KS")
    assert err["args"]["ERR_CODE"] == "-4"
    both = f"{task['entryId']},{other}"
    assert_error(api.call(CAP, "list", ks=key, filter={"entryIdIn": both}), "INVALID_KS")
    # KalturaAssetFilter::validateEntryIdsFiltered, for every KS.
    err = assert_error(api.call(CAP, "list", ks=key), "PROPERTY_VALIDATION_CANNOT_BE_NULL")
    assert err["args"] == {
        "PROP_NAME": "KalturaCaptionAssetFilter::entryIdEqual/KalturaCaptionAssetFilter::entryIdIn"
    }
    admin = api.admin_ks(int(task["partnerId"]))
    assert_error(api.call(CAP, "list", ks=admin), "PROPERTY_VALIDATION_CANNOT_BE_NULL")


# --- 10. processed, then dropped ---------------------------------------------------------------


def _start_processing(api: Api, ks: str, task_id: int) -> httpx.Response:
    return api.raw(EVT, "updateJob", ks=ks, id=task_id, entryVendorTask={"status": 3})  # PROCESSING


def test_processed_then_dropped_applies_the_write(api: Api, sandbox: Sandbox) -> None:
    ks = api.vendor_ks()
    task_id = int(task_by_feature(sandbox, 1)["id"])
    sandbox.clear_request_log()
    sandbox.faults.drop_after_processing_next()
    with pytest.raises(httpx.TransportError):
        _start_processing(api, ks, task_id)
    assert sandbox.task(task_id)["status"] == 3  # the server saw and applied it
    logged = [r for r in sandbox.request_log if r.action == "updatejob"]
    assert len(logged) == 1 and logged[0].error_code is None
    # the fault is one-shot: the next call is answered normally (same client, new connection)
    assert api.call(EVT, "updateJob", ks=ks, id=task_id, entryVendorTask={"notes": "n"})["id"]


def test_plain_drop_applies_nothing(api: Api, sandbox: Sandbox) -> None:
    ks = api.vendor_ks()
    task_id = int(task_by_feature(sandbox, 1)["id"])
    sandbox.faults.drop_next()
    with pytest.raises(httpx.TransportError):
        _start_processing(api, ks, task_id)
    assert sandbox.task(task_id)["status"] == 1


def test_processed_drop_rate_limited_to_actions_and_reset(inproc: Api, sandbox: Sandbox) -> None:
    ks = inproc.vendor_ks()
    task_id = int(task_by_feature(sandbox, 1)["id"])
    sandbox.faults.processed_drop_rate = 1.0
    sandbox.faults.actions = {"reach_entryvendortask.updatejob"}
    assert inproc.call(EVT, "getJobs", ks=ks)["objectType"] == "KalturaEntryVendorTaskListResponse"
    with pytest.raises(httpx.RemoteProtocolError):
        _start_processing(inproc, ks, task_id)
    assert sandbox.task(task_id)["status"] == 3
    sandbox.faults.reset()
    assert sandbox.faults.processed_drop_rate == 0.0
    assert inproc.call(EVT, "updateJob", ks=ks, id=task_id, entryVendorTask={"notes": "x"})["id"]


# --- 12. entitlement -------------------------------------------------------------------------


def _vendor_ks_without_privileges(api: Api) -> str:
    creds = api.sandbox.credentials
    ks = api.call(
        "session",
        "start",
        secret=creds.vendor_admin_secret,
        partnerId=creds.vendor_partner_id,
        type=2,
    )
    assert isinstance(ks, str)
    return ks


def forgot_disable_entitlement(sandbox: Sandbox) -> list[str]:
    """Vendor-KS calls made without ``disableentitlement`` (AUTH-4): what an e2e test checks."""
    return [
        f"{r.service}.{r.action}"
        for r in sandbox.request_log
        if r.ks_kind == "vendor"
        and not r.disable_entitlement
        and r.service not in ("session", "apptoken")  # made with the widget KS
    ]


@pytest.mark.rule("AUTH-4")
def test_request_log_catches_a_client_that_forgets_disableentitlement(
    inproc: Api, sandbox: Sandbox
) -> None:
    careless = _vendor_ks_without_privileges(inproc)
    # the server answers normally: entitlement only filters entry and category reads
    assert inproc.call(EVT, "getJobs", ks=careless)["totalCount"] > 0
    assert forgot_disable_entitlement(sandbox) == ["reach_entryvendortask.getjobs"]
    sandbox.clear_request_log()
    careful = inproc.vendor_ks()
    inproc.call(EVT, "getJobs", ks=careful)
    assert forgot_disable_entitlement(sandbox) == []
    assert [r.disable_entitlement for r in sandbox.request_log if r.ks_kind == "vendor"] == [True]


@pytest.mark.rule("AUTH-4")
def test_app_token_cannot_add_disableentitlement_itself(inproc: Api, sandbox: Sandbox) -> None:
    """``disableentitlement`` is a server privilege: ``sessionPrivileges`` cannot add it; only a
    token provisioned with it gives it (kSessionUtils::retrieveAllowedAppSessionPrivileges)."""
    creds = sandbox.credentials
    token = sandbox.state.app_tokens[creds.app_token.id]

    def start(session_privileges: str) -> dict[str, Any]:
        widget = inproc.call(
            "session", "startWidgetSession", widgetId=f"_{creds.vendor_partner_id}"
        )["ks"]
        info = inproc.call(
            "apptoken",
            "startSession",
            ks=widget,
            id=token.id,
            tokenHash=hashlib.new(
                token.hash_type.lower(), (widget + token.token).encode()
            ).hexdigest(),
            sessionPrivileges=session_privileges,
        )
        assert info["objectType"] == "KalturaSessionInfo", info
        return dict(info)

    provisioned = start("disableentitlement,myapp:1")
    assert "disableentitlement" in provisioned["privileges"]
    assert "myapp:1" in provisioned["privileges"]
    with sandbox.state.lock:
        token.privileges = ""
    bare = start("disableentitlement,edit:*,myapp:1")
    names = [p.split(":")[0] for p in bare["privileges"].split(",")]
    assert "disableentitlement" not in names and "edit" not in names and "myapp" in names


# --- 13. business days -------------------------------------------------------------------------


def _ny(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=NEW_YORK).timestamp())


@pytest.mark.parametrize(
    ("ordered", "days", "due"),
    [
        # EntryVendorTask::calculateBusinessDays, America/New_York, 06:00–18:00, Mon–Fri.
        ("2026-11-18T10:00", 2, "2026-11-20T10:00"),  # mid-day: same time, two days later
        ("2026-11-20T14:00", 1, "2026-11-23T14:00"),  # Friday → Monday, same time
        ("2026-11-20T20:00", 1, "2026-11-23T18:00"),  # Friday evening (Saturday in UTC)
        ("2026-11-21T10:00", 1, "2026-11-23T18:00"),  # weekend → Monday 18:00
        ("2026-11-23T05:00", 1, "2026-11-23T18:00"),  # before hours → 18:00 the same day
        ("2026-11-23T18:00", 3, "2026-11-26T18:00"),  # 18:00:00 still counts as in hours
        ("2026-03-06T10:00", 1, "2026-03-09T10:00"),  # across the DST change: 71 hours
    ],
)
def test_business_day_tat_counts_like_the_server(ordered: str, days: int, due: str) -> None:
    start = _ny(ordered)
    with Sandbox("demo", seed=3, clock=Clock(start)) as sandbox:
        with sandbox.state.lock:
            sandbox.state.catalog_items[30001]["turnAroundTime"] = days
        entry_id = str(task_by_feature(sandbox, 1)["entryId"])
        task = sandbox.customer.add_task(entry_id, 30001)
    assert task["expectedFinishTime"] == _ny(due)
    assert task["expectedFinishTime"] - start == _ny(due) - start


@pytest.mark.rule("AUTH-4")
@pytest.mark.parametrize("credential", ["app_token", "admin_secret"])
def test_the_sdk_vendor_session_carries_disableentitlement(credential: str) -> None:
    """End to end: every call the SDK makes with its vendor KS carries the privilege."""
    from kaltura_reach_vendor import AppToken, ReachClient

    with Sandbox("demo", seed=5) as sandbox:
        creds = sandbox.credentials
        secret: dict[str, Any] = (
            {
                "app_token": AppToken(
                    creds.app_token.id, creds.app_token.token, creds.app_token.hash_type
                )
            }
            if credential == "app_token"
            else {"admin_secret": creds.vendor_admin_secret}
        )
        with ReachClient(
            vendor_partner_id=creds.vendor_partner_id,
            vendor_name="conformance",
            app_version="1.0",
            service_url=sandbox.service_url,
            allow_insecure_http=True,
            http_client=httpx.Client(transport=sandbox.transport()),
            **secret,
        ) as client:
            assert list(client.iter_jobs())
        vendor_calls = [r for r in sandbox.request_log if r.ks_kind == "vendor"]
        assert vendor_calls and forgot_disable_entitlement(sandbox) == []
