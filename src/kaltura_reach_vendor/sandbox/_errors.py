"""``KalturaAPIException`` as the real server shapes it (reference §1.5, §1.9, §2.5, §9).

Every template is the server constant's text, ``CODE;ARG,NAMES;message with @ARG@``, taken from
the file named above its group (kaltura/server c447fdb3); ``tests/sandbox/test_error_templates.py``
pins them. Building the message follows ``APIErrors::getErrorData``
(alpha/apps/kaltura/lib/webservices/APIErrors.class.php): each declared argument takes the
positional value of the same rank, ``"N/A"`` when the caller gave too few, extra values are
dropped, values pass through ``strip_tags``; ``args`` maps every declared name to its value.
"""

from __future__ import annotations

import re
from typing import Any

_SERVER_CONSTANTS: tuple[str, ...] = (
    # api_v3/lib/KalturaErrors.php (it extends APIErrors and overrides a few of its constants)
    "INTERNAL_SERVERL_ERROR;;Internal server error occurred",
    "MISSING_KS;;Missing KS, session not established",
    'INVALID_KS;KSID,ERR_CODE,ERR_DESC;Invalid KS "@KSID@", Error "@ERR_CODE@,@ERR_DESC@"',
    'SERVICE_DOES_NOT_EXISTS;SRV_NAME;Service "@SRV_NAME@" does not exists',
    "ACTION_DOES_NOT_EXISTS;ACTION_NAME,SERVICE_NAME;"
    'Action "@ACTION_NAME@" does not exists for service "@SERVICE_NAME@"',
    'MISSING_MANDATORY_PARAMETER;PARAM_NAME;Missing parameter "@PARAM_NAME@"',
    "INVALID_ENUM_VALUE;ENUM_VAL,PARAM_NAME,ENUM_TYPE;"
    'Invalid enumeration value "@ENUM_VAL@" for parameter "@PARAM_NAME@", expecting '
    'enumeration type "@ENUM_TYPE@"',
    "OBJECT_TYPE_ABSTRACT;OBJ_TYPE;"
    'The object type "@OBJ_TYPE@" is abstract, use one of the object implementations',
    'PROPERTY_VALIDATION_CANNOT_BE_NULL;PROP_NAME;The property "@PROP_NAME@" cannot be null',
    'PROPERTY_VALIDATION_NOT_UPDATABLE;PROP_NAME;The property "@PROP_NAME@" cannot be updated',
    "INVALID_OBJECT_ID;ID;Invalid object id [@ID@]",
    'APP_TOKEN_ID_NOT_FOUND;ID;Application token id "@ID@" not found',
    "INVALID_APP_TOKEN_HASH;;Invalid application token hash",
    'RESOURCE_TYPE_NOT_SUPPORTED;RES_TYPE;Resource type "@RES_TYPE@" not supported',
    'FLAVOR_ASSET_ID_NOT_FOUND;ID;Flavor asset id "@ID@" not found',
    "FLAVOR_ASSET_ALREADY_EXISTS;ASSET_ID,PARAMS_ID;"
    'Flavor asset id "@ASSET_ID@" already use flavor params id "@PARAMS_ID@"',
    "UPLOAD_TOKEN_NOT_FOUND;;Upload token not found",
    "UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD;;"
    "Upload token is in an invalid status for uploading a file, maybe the file was "
    "already uploaded",
    "UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE;;Failed to match expected file size",
    "UPLOAD_TOKEN_MISSING_FILE_SIZE;;FileSize is mandatory when enabling autoFinalize",
    "UPLOADED_FILE_NOT_FOUND_BY_TOKEN;;"
    "The uploaded file was not found by the given token id, or was already used",
    "UPLOAD_ERROR;;Upload failed",
    "SCHEDULE_EVENT_ID_NOT_FOUND;ID;Schedule Event id [@ID@] not found",
    "INVALID_SCHEDULE_EVENT_TYPE;ID;Schedule Event id [@ID@] is of inappropriate type for action",
    "FEATURE_NAME_NOT_FOUND;NAME;LiveFeature with name [@NAME@] not found",
    "ENTRY_CANNOT_BE_FLAGGED;;Entry cannot be flagged",
    'CATEGORY_NOT_FOUND;ID;Category id "@ID@" not found',
    'INVALID_ENTRY_ID;ID;Invalid entry id ["@ID@"]',
    "ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY;;Entry doesn't assigned to category",
    "CANNOT_ACTIVATE_CATEGORY_ENTRY_SINCE_IT_IS_NOT_PENDING;;"
    "Cannot activate a non pending categoryEntry",
    "CANNOT_REJECT_CATEGORY_ENTRY_SINCE_IT_IS_NOT_PENDING;;"
    "Cannot reject a non pending categoryEntry",
    # alpha/apps/kaltura/lib/webservices/APIErrors.class.php (inherited by KalturaErrors)
    "SERVICE_FORBIDDEN;SERVICE;The access to service [@SERVICE@] is forbidden",
    "FEATURE_FORBIDDEN;FEATURE;The usage of feature [@FEATURE@] is forbidden",
    'ENTRY_ID_NOT_FOUND;ENTRY_ID;Entry id "@ENTRY_ID@" not found',
    "START_SESSION_ERROR;PID;Error while starting session for partner [@PID@]",
    "INVALID_WIDGET_ID;WIDGET_ID;Unknown widget [@WIDGET_ID@]",
    "FLAVOR_ASSET_IS_NOT_READY;;The flavor asset is not ready",
    # plugins/reach/errors/KalturaReachErrors.php
    "ENTRY_VENDOR_TASK_NOT_FOUND;ID;Entry vendor task item with id provided not found [@ID@]",
    "CATALOG_ITEM_NOT_FOUND;ID;Catalog item with id provided not found [@ID@]",
    "REACH_PROFILE_NOT_FOUND;ID;Reach profile with id provided not found [@ID@]",
    "PARTNER_DATA_NOT_VALID_JSON_STRING;;Partner data must be a valid json string",
    "CANNOT_UPDATE_STATUS_OF_TASK_WHICH_IS_IN_FINAL_STATE;ID,OLD_STATUS,NEW_STATUS;"
    "Cannot update status from [@OLD_STATUS@] to [@NEW_STATUS@] for task with id [@ID@], "
    "since task is in final status",
    "CANNOT_UPDATE_UNIT_USED_OF_TASK_WHICH_IS_IN_FINAL_STATE;ID,OLD_UNITS_USED,NEW_UNITS_USED;"
    "Cannot update unitsUsed from [@OLD_UNITS_USED@] to [@NEW_UNITS_USED@] for task with "
    "id [@ID@], since task is in final state",
    "CANNOT_EXTEND_ACCESS_KEY;;Extending accessKey for non processing task is not allowed",
    "REQUIRE_CAPTION;CATALOG_ITEM_ID;"
    "Caption Asset must be provided for catalog item [@CATALOG_ITEM_ID@]",
    "CANNOT_ABORT_NOT_MODERATED_TASK;;Cannot abort task which is not pending moderation",
    # plugins/content/caption/base/lib/errors/KalturaCaptionErrors.php
    "CAPTION_ASSET_ALREADY_EXISTS;ASSET_ID,PARAM_ID;"
    'Caption asset "@ASSET_ID@" already exists for params id "@PARAM_ID@"',
    'CAPTION_ASSET_ID_NOT_FOUND;ASSET_ID;Caption asset id "@ASSET_ID@" not found',
    'CAPTION_ASSET_IS_NOT_READY;ASSET_ID;Caption asset "@ASSET_ID@" is not ready',
    # plugins/content/attachment/lib/errors/KalturaAttachmentErrors.php
    'ATTACHMENT_ASSET_ID_NOT_FOUND;ASSET_ID;Attachment asset id "@ASSET_ID@" not found',
    # plugins/cue_points/base/errors/KalturaCuePointErrors.php and kCuePointErrors.php (XML_INVALID
    # reaches the API as KalturaAPIException($e->getCode()) from cuePoint.addFromBulk)
    "INVALID_CUE_POINT_ID;ID;Invalid cue point id [@ID@]",
    "CUE_POINT_SYSTEM_NAME_EXISTS;NAME,ID;"
    "Cue point system name already exists [@NAME@] with id [@ID@]",
    "XML_INVALID;;XML is invalid",
)
_TEMPLATES: dict[str, str] = {c.split(";", 1)[0]: c for c in _SERVER_CONSTANTS}

_TAG = re.compile(r"<(?!\s)[^>]*(?:>|$)")


def template(code: str) -> str | None:
    """The server's ``CODE;ARGS;message`` string of ``code`` (``None`` when unknown)."""
    return _TEMPLATES.get(code)


def _strip_tags(text: str) -> str:
    """PHP ``strip_tags`` for the simple cases: tags, and an unclosed ``<…`` to the end (a
    ``<`` before whitespace is kept, as PHP keeps it)."""
    return _TAG.sub("", text)


class ApiError(Exception):
    """A Kaltura API error: becomes an HTTP 200 ``KalturaAPIException`` body."""

    def __init__(self, code: str, *args: object, bare: bool = False) -> None:
        text = f"{code};;" if bare else _TEMPLATES.get(code, f"{code};;{code}")
        _code, names, message = text.split(";", 2)
        self.code = code
        self.args_map: dict[str, str] = {}
        for rank, name in enumerate(n for n in names.split(",") if n):
            value = _strip_tags(str(args[rank])) if rank < len(args) else "N/A"
            self.args_map[name] = value
            message = message.replace(f"@{name}@", value)
        self.message = message
        super().__init__(f"{code}: {message}")

    def to_wire(self) -> dict[str, Any]:
        """The exception object; ``args`` is ``[]`` when empty, as PHP encodes it."""
        return {
            "code": self.code,
            "message": self.message,
            "objectType": "KalturaAPIException",
            "args": dict(self.args_map) if self.args_map else [],
        }


def core_error(code: str) -> ApiError:
    """A core exception re-thrown as ``new KalturaAPIException($e->getCode())`` (e.g.
    ``cuePoint.addFromBulk`` with ``kCoreException::INVALID_ENTRY_ID``): the error string is the
    bare code, so the message is empty and there are no args, whatever template the API's
    constant of the same name has."""
    return ApiError(code, bare=True)


def invalid_ks(reason: str, err_code: str = "-1", err_desc: str = "INVALID_STR") -> ApiError:
    """``INVALID_KS`` with the server's fixed-args quirk (§2.5)."""
    return ApiError("INVALID_KS", reason, err_code, err_desc)
