"""REACH task actions: getJobs, get, updateJob, extendAccessKey, list, abort, vendorCatalogItem."""

from __future__ import annotations

import pytest

from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Api, assert_error, task_by_feature

RP = {"objectType": "KalturaResponseProfileHolder", "systemName": "reach_vendor"}
EVT = "reach_entryvendortask"


def _update(api: Api, ks: str, task_id: str, **fields: object) -> dict:
    fields.setdefault("objectType", "KalturaEntryVendorTask")
    return api.call(EVT, "updateJob", ks=ks, id=task_id, entryVendorTask=fields)  # type: ignore[no-any-return]


@pytest.mark.rule("POLL-3")
def test_get_jobs_returns_pending_only_and_scheduled_when_asked(api: Api) -> None:
    ks = api.vendor_ks()
    jobs = api.call(EVT, "getJobs", ks=ks)
    assert jobs["totalCount"] == 13
    assert {t["status"] for t in jobs["objects"]} == {1}
    live = task_by_feature(api.sandbox, 8)
    _update(api, ks, live["id"], status=9)
    jobs = api.call(EVT, "getJobs", ks=ks, filter={"statusIn": "3,6"})  # other statuses → PENDING
    assert live["id"] not in {t["id"] for t in jobs["objects"]}
    jobs = api.call(EVT, "getJobs", ks=ks, filter={"statusIn": "1,9"})
    assert live["id"] in {t["id"] for t in jobs["objects"]}
    assert jobs["totalCount"] == 13


def test_get_jobs_is_vendor_only(api: Api, sandbox: Sandbox) -> None:
    task = sandbox.tasks()[0]
    assert_error(api.call(EVT, "getJobs", ks=task["accessKey"]), "SERVICE_FORBIDDEN")
    admin = api.admin_ks(1001)
    err = assert_error(api.call(EVT, "getJobs", ks=admin), "SERVICE_FORBIDDEN")
    assert err["args"] == {"SERVICE": "reach_entryvendortask->getjobs"}


@pytest.mark.rule("POLL-4")
def test_get_jobs_pager_default_30_max_500(inproc: Api, sandbox: Sandbox) -> None:
    for _ in range(40):
        sandbox.customer.add_task("1_skilm10u", 30002)
    ks = inproc.vendor_ks()
    assert len(inproc.call(EVT, "getJobs", ks=ks)["objects"]) == 30
    page2 = inproc.call(
        EVT, "getJobs", ks=ks, pager={"objectType": "KalturaFilterPager", "pageIndex": 2}
    )
    assert len(page2["objects"]) == 23 and page2["totalCount"] == 53
    big = inproc.call(EVT, "getJobs", ks=ks, pager={"pageSize": 9999})
    assert len(big["objects"]) == 53
    ids = [t["id"] for t in inproc.call(EVT, "getJobs", ks=ks, pager={"pageSize": 500})["objects"]]
    assert len(ids) == len(set(ids))


@pytest.mark.rule("POLL-2")
def test_get_with_access_key_and_reach_vendor_profile(api: Api, sandbox: Sandbox) -> None:
    task = sandbox.task(381257922)
    got = api.call(EVT, "get", ks=task["accessKey"], id=task["id"], responseProfile=RP)
    assert got["objectType"] == "KalturaEntryVendorTask"
    assert got["id"] == "381257922"  # bigint as a JSON string
    assert "serviceFeature" not in got  # filtered by the profile's include list
    assert got["taskJobData"] == {
        "captionAssetId": "1_bq18b0sa",
        "objectType": "KalturaTranslationVendorTaskData",
    }
    item = got["relatedObjects"]["reach_vendor_catalog_item"]["objects"][0]
    assert item["targetLanguage"] == "Spanish" and "pricing" not in item and "id" not in item
    profile = got["relatedObjects"]["reach_vendor_profile"]["objects"][0]
    assert profile["maxCharactersPerCaptionLine"] == 26 and "credit" not in profile
    plain = api.call(EVT, "get", ks=task["accessKey"], id=task["id"])
    assert plain["serviceFeature"] == 2 and "relatedObjects" not in plain


@pytest.mark.rule("AUTH-7")
def test_get_with_vendor_ks_is_not_found(api: Api) -> None:
    err = assert_error(
        api.call(EVT, "get", ks=api.vendor_ks(), id=381257922), "ENTRY_VENDOR_TASK_NOT_FOUND"
    )
    assert err["args"] == {"ID": "381257922"}


@pytest.mark.rule("LIFE-2")
def test_update_job_vendor_fields_and_side_effects(api: Api, sandbox: Sandbox) -> None:
    ks = api.vendor_ks()
    task = task_by_feature(sandbox, 1)
    updated = _update(api, ks, task["id"], status=3, externalTaskId="job-1", accuracy="98")
    assert (
        updated["status"] == 3
        and updated["externalTaskId"] == "job-1"
        and updated["accuracy"] == 98
    )
    assert task["id"] not in {t["id"] for t in api.call(EVT, "getJobs", ks=ks)["objects"]}
    same_ro = _update(
        api, ks, task["id"], entryId=task["entryId"], catalogItemId=str(task["catalogItemId"])
    )
    assert same_ro["status"] == 3
    err = assert_error(
        _update(api, ks, task["id"], catalogItemId=1), "PROPERTY_VALIDATION_NOT_UPDATABLE"
    )
    assert err["args"] == {"PROP_NAME": "KalturaEntryVendorTask::catalogItemId"}
    assert_error(_update(api, ks, task["id"], status=42), "INVALID_ENUM_VALUE")
    assert_error(
        _update(api, ks, task["id"], partnerData="[1]"), "PARTNER_DATA_NOT_VALID_JSON_STRING"
    )
    assert _update(api, ks, task["id"], partnerData='{"a": 1}')["partnerData"] == '{"a": 1}'
    cleared = api.call(
        EVT,
        "updateJob",
        ks=ks,
        id=task["id"],
        entryVendorTask={"objectType": "KalturaEntryVendorTask", "externalTaskId__null": ""},
    )
    assert "externalTaskId" not in cleared


def test_update_job_forbidden_with_access_key(api: Api, sandbox: Sandbox) -> None:
    task = sandbox.tasks()[0]
    assert_error(_update(api, task["accessKey"], task["id"], status=3), "SERVICE_FORBIDDEN")


@pytest.mark.rule("LIFE-9")
def test_final_state_cannot_change_status_or_units(api: Api, sandbox: Sandbox) -> None:
    ks = api.vendor_ks()
    task = task_by_feature(sandbox, 5)
    _update(api, ks, task["id"], status=6, errDescription="audio missing")
    err = assert_error(
        _update(api, ks, task["id"], status=3),
        "CANNOT_UPDATE_STATUS_OF_TASK_WHICH_IS_IN_FINAL_STATE",
    )
    assert err["args"] == {"ID": task["id"], "OLD_STATUS": "6", "NEW_STATUS": "3"}
    assert_error(
        _update(api, ks, task["id"], unitsUsed=5),
        "CANNOT_UPDATE_UNIT_USED_OF_TASK_WHICH_IS_IN_FINAL_STATE",
    )
    assert sandbox.task(task["id"])["finishTime"]


@pytest.mark.rule("LIFE-10")
def test_pay_per_use_ready_needs_units_used(api: Api, sandbox: Sandbox) -> None:
    ks = api.vendor_ks()
    task = sandbox.customer.add_task("1_skilm10u", 30003)
    _update(api, ks, task["id"], status=3)
    err = assert_error(_update(api, ks, task["id"], status=2), "MISSING_MANDATORY_PARAMETER")
    assert err["args"] == {"PARAM_NAME": "unitsUsed"}
    assert _update(api, ks, task["id"], status=2, unitsUsed=3)["unitsUsed"] == 3


@pytest.mark.rule("LIFE-5")
def test_access_key_killed_when_ready(api: Api, sandbox: Sandbox) -> None:
    ks = api.vendor_ks()
    task = task_by_feature(sandbox, 5)
    key = task["accessKey"]
    assert api.call(EVT, "get", ks=key, id=task["id"])["id"] == task["id"]
    _update(api, ks, task["id"], status=3)
    _update(api, ks, task["id"], status=2, outputObjectId="1_x")
    err = assert_error(api.call(EVT, "get", ks=key, id=task["id"]), "INVALID_KS")
    assert err["args"] == {"KSID": "LOGOUT", "ERR_CODE": "-1", "ERR_DESC": "INVALID_STR"}


@pytest.mark.rule("LIFE-8")
def test_cancelled_task_is_not_found(api: Api, sandbox: Sandbox) -> None:
    ks = api.vendor_ks()
    task = task_by_feature(sandbox, 15)
    _update(api, ks, task["id"], status=3)
    sandbox.customer.abort_task(task["id"])
    assert_error(_update(api, ks, task["id"], status=2), "ENTRY_VENDOR_TASK_NOT_FOUND")
    assert_error(
        api.call(EVT, "get", ks=task["accessKey"], id=task["id"]), "ENTRY_VENDOR_TASK_NOT_FOUND"
    )
    assert task["id"] not in {t["id"] for t in api.call(EVT, "getJobs", ks=ks)["objects"]}


def test_customer_abort_over_the_wire(api: Api, sandbox: Sandbox) -> None:
    admin = api.admin_ks(1002)
    task = task_by_feature(sandbox, 7)
    aborted = api.call(EVT, "abort", ks=admin, id=task["id"], abortReason="changed my mind")
    assert aborted["status"] == 7 and aborted["errDescription"] == "changed my mind"
    other = task_by_feature(sandbox, 4)
    _update(api, api.vendor_ks(), other["id"], status=3)
    assert_error(
        api.call(EVT, "abort", ks=admin, id=other["id"]), "CANNOT_ABORT_NOT_MODERATED_TASK"
    )


def test_foreign_task_is_not_found_for_update(api: Api, sandbox: Sandbox) -> None:
    admin_vendorless = api.call(
        "session", "start", secret="sandbox-admin-secret-1001", partnerId=1001, type=2
    )
    assert_error(_update(api, admin_vendorless, "381257922", status=3), "SERVICE_FORBIDDEN")
    assert_error(_update(api, api.vendor_ks(), "999", status=3), "ENTRY_VENDOR_TASK_NOT_FOUND")


@pytest.mark.rule("KEY-3")
def test_extend_access_key_only_processing_or_scheduled(api: Api, sandbox: Sandbox) -> None:
    ks = api.vendor_ks()
    task = task_by_feature(sandbox, 1)
    err = assert_error(
        api.call(EVT, "extendAccessKey", ks=ks, id=task["id"]), "CANNOT_EXTEND_ACCESS_KEY"
    )
    assert err["message"] == "Extending accessKey for non processing task is not allowed"
    assert err["args"] == []
    _update(api, ks, task["id"], status=3)
    extended = api.call(EVT, "extendAccessKey", ks=ks, id=task["id"])
    assert extended["accessKey"] != task["accessKey"]


@pytest.mark.rule("KEY-1")
@pytest.mark.rule("KEY-2")
@pytest.mark.rule("KEY-4")
def test_access_key_expiry_and_extension(api: Api, sandbox: Sandbox) -> None:
    ks = api.vendor_ks()
    dub = task_by_feature(sandbox, 7)  # TAT 5 days → key valid 10 days
    captions = task_by_feature(sandbox, 1)  # TAT 30 min → key valid 7 days
    sandbox.clock.advance(7 * 86400 + 10)
    err = assert_error(
        api.call(EVT, "get", ks=captions["accessKey"], id=captions["id"]), "INVALID_KS"
    )
    assert err["args"]["KSID"] == "EXPIRED"
    assert api.call(EVT, "get", ks=dub["accessKey"], id=dub["id"])["id"] == dub["id"]
    ks = api.vendor_ks()
    _update(api, ks, captions["id"], status=3)
    fresh = api.call(EVT, "extendAccessKey", ks=ks, id=captions["id"])["accessKey"]
    assert api.call(EVT, "get", ks=fresh, id=captions["id"])["status"] == 3
    sandbox.clock.advance(7 * 86400 - 60)  # a full new period from the extension
    assert api.call(EVT, "get", ks=fresh, id=captions["id"])["status"] == 3


@pytest.mark.rule("MOD-5")
def test_task_job_data_replaced_whole(api: Api, sandbox: Sandbox) -> None:
    ks = api.vendor_ks()
    task = task_by_feature(sandbox, 15)
    _update(api, ks, task["id"], status=3)
    out = _update(
        api,
        ks,
        task["id"],
        taskJobData={
            "objectType": "KalturaModerationVendorTaskData",
            "moderationOutputJson": '{"violations": []}',
        },
    )
    assert out["taskJobData"] == {
        "objectType": "KalturaModerationVendorTaskData",
        "moderationOutputJson": '{"violations": []}',
    }
    assert_error(
        _update(api, ks, task["id"], taskJobData={"moderationOutputJson": "{}"}),
        "OBJECT_TYPE_ABSTRACT",
    )
    translation = sandbox.task(381257922)
    _update(api, ks, translation["id"], status=3)
    err = assert_error(
        _update(
            api,
            ks,
            translation["id"],
            taskJobData={
                "objectType": "KalturaTranslationVendorTaskData",
                "captionAssetId": "1_other",
            },
        ),
        "PROPERTY_VALIDATION_NOT_UPDATABLE",
    )
    assert err["args"]["PROP_NAME"] == "KalturaTranslationVendorTaskData::captionAssetId"


@pytest.mark.rule("POLL-8")
def test_list_finds_processing_tasks(api: Api, sandbox: Sandbox) -> None:
    ks = api.vendor_ks()
    task = task_by_feature(sandbox, 9)
    _update(api, ks, task["id"], status=3)
    listed = api.call(
        EVT, "list", ks=ks, filter={"objectType": "KalturaEntryVendorTaskFilter", "statusEqual": 3}
    )
    assert [t["id"] for t in listed["objects"]] == [task["id"]]


def test_vendor_catalog_item_get(api: Api, sandbox: Sandbox) -> None:
    item = api.call("reach_vendorcatalogitem", "get", ks=api.vendor_ks(), id=20682)
    assert item["objectType"] == "KalturaVendorTranslationCatalogItem"
    assert item["pricing"]["priceFunction"] == "kReachUtils::calcPricePerMinute"
    assert item["sourceLanguage"] == "Catalan"
    assert_error(
        api.call("reach_vendorcatalogitem", "get", ks=api.vendor_ks(), id=1),
        "CATALOG_ITEM_NOT_FOUND",
    )


def test_expected_finish_time_and_queue_time(sandbox: Sandbox) -> None:
    task = task_by_feature(sandbox, 1)  # TAT 1800 s
    assert task["expectedFinishTime"] - task["queueTime"] == 1800
    live = task_by_feature(sandbox, 8)  # best effort → 7 days
    assert live["expectedFinishTime"] - live["createdAt"] == 7 * 86400


def test_translation_requires_source_caption(sandbox: Sandbox) -> None:
    from kaltura_reach_vendor.sandbox import ApiError

    with pytest.raises(ApiError) as info:
        sandbox.customer.add_task("1_skilm10u", 18202)
    assert info.value.code == "REQUIRE_CAPTION"
    assert sandbox.customer.add_task("1_skilm10u", 27622)["status"] == 1  # requireSource=false
