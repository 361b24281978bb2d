"""Error codes and message templates are the server's (issue 10, point 6).

``PINNED`` is each server constant's text (``CODE;ARG,NAMES;message``) as kaltura/server
c447fdb3 declares it, grouped by the file that declares it. A template the sandbox changes, or a
code the sandbox raises without a template, fails here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import kaltura_reach_vendor.sandbox as sandbox_package
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.sandbox._errors import ApiError, core_error, template

from .conftest import Api, assert_error, task_by_feature

PINNED: dict[str, tuple[str, ...]] = {
    "alpha/apps/kaltura/lib/webservices/APIErrors.class.php": (
        'ENTRY_ID_NOT_FOUND;ENTRY_ID;Entry id "@ENTRY_ID@" not found',
        "FEATURE_FORBIDDEN;FEATURE;The usage of feature [@FEATURE@] is forbidden",
        "FLAVOR_ASSET_IS_NOT_READY;;The flavor asset is not ready",
        "INVALID_WIDGET_ID;WIDGET_ID;Unknown widget [@WIDGET_ID@]",
        "SERVICE_FORBIDDEN;SERVICE;The access to service [@SERVICE@] is forbidden",
        "START_SESSION_ERROR;PID;Error while starting session for partner [@PID@]",
    ),
    "api_v3/lib/KalturaErrors.php": (
        "ACTION_DOES_NOT_EXISTS;ACTION_NAME,SERVICE_NAME;"
        'Action "@ACTION_NAME@" does not exists for service "@SERVICE_NAME@"',
        'APP_TOKEN_ID_NOT_FOUND;ID;Application token id "@ID@" not found',
        'CATEGORY_NOT_FOUND;ID;Category id "@ID@" not found',
        "ENTRY_CANNOT_BE_FLAGGED;;Entry cannot be flagged",
        "ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY;;Entry doesn't assigned to category",
        "CANNOT_ACTIVATE_CATEGORY_ENTRY_SINCE_IT_IS_NOT_PENDING;;"
        "Cannot activate a non pending categoryEntry",
        "CANNOT_REJECT_CATEGORY_ENTRY_SINCE_IT_IS_NOT_PENDING;;"
        "Cannot reject a non pending categoryEntry",
        "FEATURE_NAME_NOT_FOUND;NAME;LiveFeature with name [@NAME@] not found",
        "FLAVOR_ASSET_ALREADY_EXISTS;ASSET_ID,PARAMS_ID;"
        'Flavor asset id "@ASSET_ID@" already use flavor params id "@PARAMS_ID@"',
        'FLAVOR_ASSET_ID_NOT_FOUND;ID;Flavor asset id "@ID@" not found',
        "INTERNAL_SERVERL_ERROR;;Internal server error occurred",
        "INVALID_APP_TOKEN_HASH;;Invalid application token hash",
        'INVALID_ENTRY_ID;ID;Invalid entry id ["@ID@"]',
        "INVALID_ENUM_VALUE;ENUM_VAL,PARAM_NAME,ENUM_TYPE;"
        'Invalid enumeration value "@ENUM_VAL@" for parameter "@PARAM_NAME@", expecting '
        'enumeration type "@ENUM_TYPE@"',
        'INVALID_KS;KSID,ERR_CODE,ERR_DESC;Invalid KS "@KSID@", Error "@ERR_CODE@,@ERR_DESC@"',
        "INVALID_OBJECT_ID;ID;Invalid object id [@ID@]",
        "INVALID_SCHEDULE_EVENT_TYPE;ID;"
        "Schedule Event id [@ID@] is of inappropriate type for action",
        "MISSING_KS;;Missing KS, session not established",
        'MISSING_MANDATORY_PARAMETER;PARAM_NAME;Missing parameter "@PARAM_NAME@"',
        "OBJECT_TYPE_ABSTRACT;OBJ_TYPE;"
        'The object type "@OBJ_TYPE@" is abstract, use one of the object implementations',
        'PROPERTY_VALIDATION_CANNOT_BE_NULL;PROP_NAME;The property "@PROP_NAME@" cannot be null',
        'PROPERTY_VALIDATION_NOT_UPDATABLE;PROP_NAME;The property "@PROP_NAME@" cannot be updated',
        'RESOURCE_TYPE_NOT_SUPPORTED;RES_TYPE;Resource type "@RES_TYPE@" not supported',
        "SCHEDULE_EVENT_ID_NOT_FOUND;ID;Schedule Event id [@ID@] not found",
        'SERVICE_DOES_NOT_EXISTS;SRV_NAME;Service "@SRV_NAME@" does not exists',
        "UPLOADED_FILE_NOT_FOUND_BY_TOKEN;;"
        "The uploaded file was not found by the given token id, or was already used",
        "UPLOAD_ERROR;;Upload failed",
        "UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE;;Failed to match expected file size",
        "UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD;;"
        "Upload token is in an invalid status for uploading a file, maybe the file was "
        "already uploaded",
        "UPLOAD_TOKEN_MISSING_FILE_SIZE;;FileSize is mandatory when enabling autoFinalize",
        "UPLOAD_TOKEN_NOT_FOUND;;Upload token not found",
    ),
    "plugins/content/attachment/lib/errors/KalturaAttachmentErrors.php": (
        'ATTACHMENT_ASSET_ID_NOT_FOUND;ASSET_ID;Attachment asset id "@ASSET_ID@" not found',
    ),
    "plugins/content/caption/base/lib/errors/KalturaCaptionErrors.php": (
        "CAPTION_ASSET_ALREADY_EXISTS;ASSET_ID,PARAM_ID;"
        'Caption asset "@ASSET_ID@" already exists for params id "@PARAM_ID@"',
        'CAPTION_ASSET_ID_NOT_FOUND;ASSET_ID;Caption asset id "@ASSET_ID@" not found',
        'CAPTION_ASSET_IS_NOT_READY;ASSET_ID;Caption asset "@ASSET_ID@" is not ready',
    ),
    "plugins/cue_points/base/errors/KalturaCuePointErrors.php": (
        "INVALID_CUE_POINT_ID;ID;Invalid cue point id [@ID@]",
        "CUE_POINT_SYSTEM_NAME_EXISTS;NAME,ID;"
        "Cue point system name already exists [@NAME@] with id [@ID@]",
    ),
    "plugins/cue_points/base/errors/kCuePointErrors.php": ("XML_INVALID;;XML is invalid",),
    "plugins/reach/errors/KalturaReachErrors.php": (
        "CANNOT_ABORT_NOT_MODERATED_TASK;;Cannot abort task which is not pending moderation",
        "CANNOT_EXTEND_ACCESS_KEY;;Extending accessKey for non processing task is not allowed",
        "CANNOT_UPDATE_STATUS_OF_TASK_WHICH_IS_IN_FINAL_STATE;ID,OLD_STATUS,NEW_STATUS;"
        "Cannot update status from [@OLD_STATUS@] to [@NEW_STATUS@] for task with id [@ID@], "
        "since task is in final status",
        "CANNOT_UPDATE_UNIT_USED_OF_TASK_WHICH_IS_IN_FINAL_STATE;ID,OLD_UNITS_USED,NEW_UNITS_USED;"
        "Cannot update unitsUsed from [@OLD_UNITS_USED@] to [@NEW_UNITS_USED@] for task with "
        "id [@ID@], since task is in final state",
        "CATALOG_ITEM_NOT_FOUND;ID;Catalog item with id provided not found [@ID@]",
        "ENTRY_VENDOR_TASK_NOT_FOUND;ID;Entry vendor task item with id provided not found [@ID@]",
        "PARTNER_DATA_NOT_VALID_JSON_STRING;;Partner data must be a valid json string",
        "REACH_PROFILE_NOT_FOUND;ID;Reach profile with id provided not found [@ID@]",
        "REQUIRE_CAPTION;CATALOG_ITEM_ID;"
        "Caption Asset must be provided for catalog item [@CATALOG_ITEM_ID@]",
    ),
}
ALL_PINNED = [c for constants in PINNED.values() for c in constants]


@pytest.mark.parametrize("constant", ALL_PINNED, ids=lambda c: c.split(";", 1)[0])
def test_template_is_the_server_constant(constant: str) -> None:
    assert template(constant.split(";", 1)[0]) == constant


def _raised_codes() -> set[str]:
    root = Path(sandbox_package.__file__).parent
    codes: set[str] = set()
    for path in root.rglob("*.py"):
        if path.name == "_errors.py":
            continue
        text = path.read_text(encoding="utf-8")
        codes.update(re.findall(r'ApiError\(\s*"([A-Z_]+)"', text))
    return codes


def test_every_code_the_sandbox_raises_has_the_server_template() -> None:
    dynamic = {  # raised through a variable (assets.get_asset) or a helper
        "CAPTION_ASSET_ID_NOT_FOUND",
        "ATTACHMENT_ASSET_ID_NOT_FOUND",
        "FLAVOR_ASSET_ID_NOT_FOUND",
        "INVALID_KS",
    }
    raised = _raised_codes() | dynamic
    assert {"ENTRY_ID_NOT_FOUND", "MISSING_MANDATORY_PARAMETER"} <= raised  # the scan works
    pinned = {c.split(";", 1)[0] for c in ALL_PINNED}
    assert raised - pinned == set()


def test_codes_that_do_not_exist_on_the_server_are_gone() -> None:
    raised = _raised_codes()
    assert not raised & {"CUE_POINT_ID_NOT_FOUND", "CATEGORY_ENTRY_NOT_FOUND"}
    assert template("CUE_POINT_ID_NOT_FOUND") is None


# --- how a message is built (APIErrors::getErrorData) ----------------------------------------


def test_missing_args_read_n_a_and_extra_args_are_dropped() -> None:
    short = ApiError("INVALID_ENUM_VALUE", "en")
    assert short.args_map == {"ENUM_VAL": "en", "PARAM_NAME": "N/A", "ENUM_TYPE": "N/A"}
    assert short.message == (
        'Invalid enumeration value "en" for parameter "N/A", expecting enumeration type "N/A"'
    )
    extra = ApiError("UPLOADED_FILE_NOT_FOUND_BY_TOKEN", "1_token")
    assert extra.to_wire()["args"] == []
    assert "1_token" not in extra.message


def test_arg_values_pass_through_strip_tags() -> None:
    error = ApiError("ENTRY_ID_NOT_FOUND", "<b>1_x</b> a < b")
    assert error.args_map == {"ENTRY_ID": "1_x a < b"}
    assert error.message == 'Entry id "1_x a < b" not found'


def test_xml_invalid_is_defined_for_add_from_bulk() -> None:
    wire = ApiError("XML_INVALID").to_wire()
    assert wire["message"] == "XML is invalid" and wire["args"] == []


def test_core_error_is_the_bare_code() -> None:
    wire = core_error("INVALID_ENTRY_ID").to_wire()
    assert wire == {
        "code": "INVALID_ENTRY_ID",
        "message": "",
        "objectType": "KalturaAPIException",
        "args": [],
    }


# --- on the wire ------------------------------------------------------------------------------


def test_unknown_cue_point_is_invalid_cue_point_id(api: Api, sandbox: Sandbox) -> None:
    key = task_by_feature(sandbox, 5)["accessKey"]
    err = assert_error(
        api.call("cuepoint_cuepoint", "get", ks=key, id="1_nosuchcp"), "INVALID_CUE_POINT_ID"
    )
    assert err["message"] == "Invalid cue point id [1_nosuchcp]"
    assert err["args"] == {"ID": "1_nosuchcp"}
    xml = api.raw("cuepoint_cuepoint", "get", ks=key, id="1_nosuchcp", format=2)
    error = ET.fromstring(xml.content).find("result/error")
    assert error is not None and error.findtext("code") == "INVALID_CUE_POINT_ID"
    assert error.findtext("message") == "Invalid cue point id [1_nosuchcp]"


def test_category_entry_errors(api: Api) -> None:
    admin = api.admin_ks(1001)
    err = assert_error(
        api.call("categoryentry", "activate", ks=admin, entryId="1_nohls001", categoryId=9001),
        "ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY",
    )
    assert err["message"] == "Entry doesn't assigned to category" and err["args"] == []
    err = assert_error(
        api.call("categoryentry", "reject", ks=admin, entryId="1_nosuch00", categoryId=9001),
        "INVALID_ENTRY_ID",
    )
    assert err["message"] == 'Invalid entry id ["1_nosuch00"]'


def test_session_start_without_secret_is_a_missing_parameter(api: Api) -> None:
    err = assert_error(
        api.call("session", "start", partnerId=5000, type=2), "MISSING_MANDATORY_PARAMETER"
    )
    assert err["message"] == 'Missing parameter "secret"'
    assert err["args"] == {"PARAM_NAME": "secret"}
    # an empty secret is "sent" (array_key_exists), so it reaches the secret check
    assert_error(
        api.call("session", "start", secret="", partnerId=5000, type=2), "START_SESSION_ERROR"
    )


def test_upload_and_caption_messages(api: Api, sandbox: Sandbox) -> None:
    task = task_by_feature(sandbox, 1)
    key = task["accessKey"]
    asset = api.call(
        "caption_captionasset",
        "add",
        ks=key,
        entryId=task["entryId"],
        captionAsset={"objectType": "KalturaCaptionAsset", "language": "Hebrew"},
    )
    err = assert_error(
        api.call(
            "caption_captionasset",
            "setContent",
            ks=key,
            id=asset["id"],
            contentResource={"objectType": "KalturaUploadedFileTokenResource", "token": "1_x"},
        ),
        "UPLOADED_FILE_NOT_FOUND_BY_TOKEN",
    )
    assert err["args"] == []
    assert err["message"] == (
        "The uploaded file was not found by the given token id, or was already used"
    )
    # The server throws it without the id its template names (CaptionAssetService::getUrl).
    err = assert_error(
        api.call("caption_captionasset", "getUrl", ks=key, id=asset["id"]),
        "CAPTION_ASSET_IS_NOT_READY",
    )
    assert err["args"] == {"ASSET_ID": "N/A"}
    assert err["message"] == 'Caption asset "N/A" is not ready'
    err = assert_error(
        api.call("caption_captionasset", "get", ks=key, captionAssetId="1_nosuch"),
        "CAPTION_ASSET_ID_NOT_FOUND",
    )
    assert err["message"] == 'Caption asset id "1_nosuch" not found'
