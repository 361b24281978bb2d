"""``KalturaAPIException`` as the real server shapes it (reference §1.5, §1.9, §2.5, §9)."""

from __future__ import annotations

from typing import Any

# code -> (arg names, message template). Templates use @NAME@ like the server's.
_TEMPLATES: dict[str, tuple[tuple[str, ...], str]] = {
    "INTERNAL_SERVERL_ERROR": ((), "Internal server error occurred"),
    "MISSING_KS": ((), "Missing KS, session not established"),
    "INVALID_KS": (
        ("KSID", "ERR_CODE", "ERR_DESC"),
        'Invalid KS "@KSID@", Error "@ERR_CODE@,@ERR_DESC@"',
    ),
    "SERVICE_FORBIDDEN": (("SERVICE",), "The access to service [@SERVICE@] is forbidden"),
    "FEATURE_FORBIDDEN": (("FEATURE",), "The usage of feature [@FEATURE@] is forbidden"),
    "SERVICE_DOES_NOT_EXISTS": (("SRV_NAME",), 'Service "@SRV_NAME@" does not exists'),
    "ACTION_DOES_NOT_EXISTS": (
        ("ACTION_NAME", "SERVICE_NAME"),
        'Action "@ACTION_NAME@" does not exists for service "@SERVICE_NAME@"',
    ),
    "MISSING_MANDATORY_PARAMETER": (("PARAM_NAME",), 'Missing parameter "@PARAM_NAME@"'),
    "INVALID_ENUM_VALUE": (
        ("ENUM_VAL", "PARAM_NAME", "ENUM_TYPE"),
        'Invalid enumeration value "@ENUM_VAL@" for parameter "@PARAM_NAME@", '
        'expecting enumeration type "@ENUM_TYPE@"',
    ),
    "OBJECT_TYPE_ABSTRACT": (
        ("OBJ_TYPE",),
        'The object type "@OBJ_TYPE@" is abstract, use one of the object implementations',
    ),
    "PROPERTY_VALIDATION_CANNOT_BE_NULL": (
        ("PROP_NAME",),
        'The property "@PROP_NAME@" cannot be null',
    ),
    "PROPERTY_VALIDATION_NOT_UPDATABLE": (
        ("PROP_NAME",),
        'The property "@PROP_NAME@" cannot be updated',
    ),
    "ENTRY_ID_NOT_FOUND": (("ENTRY_ID",), 'Entry id "@ENTRY_ID@" not found'),
    "INVALID_OBJECT_ID": (("ID",), "Invalid object id [@ID@]"),
    "START_SESSION_ERROR": (("PID",), "Error while starting session for partner [@PID@]"),
    "INVALID_WIDGET_ID": (("WIDGET_ID",), "Unknown widget [@WIDGET_ID@]"),
    "APP_TOKEN_ID_NOT_FOUND": (("ID",), "Application token id [@ID@] not found"),
    "INVALID_APP_TOKEN_HASH": ((), "Invalid application token hash"),
    "RESOURCE_TYPE_NOT_SUPPORTED": (("RES_TYPE",), "Resource type [@RES_TYPE@] is not supported"),
    # REACH (§9)
    "ENTRY_VENDOR_TASK_NOT_FOUND": (
        ("ID",),
        "Entry vendor task item with id provided not found [@ID@]",
    ),
    "CATALOG_ITEM_NOT_FOUND": (("ID",), "Catalog item with id provided not found [@ID@]"),
    "PARTNER_DATA_NOT_VALID_JSON_STRING": ((), "Partner data must be a valid json string"),
    "CANNOT_UPDATE_STATUS_OF_TASK_WHICH_IS_IN_FINAL_STATE": (
        ("ID", "OLD_STATUS", "NEW_STATUS"),
        "Cannot update status from [@OLD_STATUS@] to [@NEW_STATUS@] for task with id [@ID@], "
        "since task is in final status",
    ),
    "CANNOT_UPDATE_UNIT_USED_OF_TASK_WHICH_IS_IN_FINAL_STATE": (
        ("ID", "OLD_UNITS_USED", "NEW_UNITS_USED"),
        "Cannot update unitsUsed from [@OLD_UNITS_USED@] to [@NEW_UNITS_USED@] for task with "
        "id [@ID@], since task is in final state",
    ),
    "CANNOT_EXTEND_ACCESS_KEY": ((), "Extending accessKey for non processing task is not allowed"),
    "REQUIRE_CAPTION": (
        ("CATALOG_ITEM_ID",),
        "Caption Asset must be provided for catalog item [@CATALOG_ITEM_ID@]",
    ),
    "CANNOT_ABORT_NOT_MODERATED_TASK": ((), "Cannot abort task which is not pending moderation"),
    # captions / attachments / flavors / upload tokens
    "CAPTION_ASSET_ALREADY_EXISTS": (
        ("ASSET_ID", "PARAM_ID"),
        "Caption asset [@ASSET_ID@] already exists for params [@PARAM_ID@]",
    ),
    "CAPTION_ASSET_ID_NOT_FOUND": (("ASSET_ID",), "Caption asset id [@ASSET_ID@] not found"),
    "CAPTION_ASSET_IS_NOT_READY": ((), "Caption asset is not ready"),
    "ATTACHMENT_ASSET_ID_NOT_FOUND": (
        ("ASSET_ID",),
        "Attachment asset id [@ASSET_ID@] not found",
    ),
    "FLAVOR_ASSET_ID_NOT_FOUND": (("ID",), "Flavor asset id [@ID@] not found"),
    "FLAVOR_ASSET_IS_NOT_READY": ((), "Flavor asset is not ready"),
    "FLAVOR_ASSET_ALREADY_EXISTS": (
        ("ASSET_ID", "PARAMS_ID"),
        "Flavor asset [@ASSET_ID@] already exists for flavor params [@PARAMS_ID@]",
    ),
    "UPLOAD_TOKEN_NOT_FOUND": ((), "Upload token not found"),
    "UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD": (
        (),
        "Upload token is in an invalid status for upload",
    ),
    "UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE": (
        (),
        "Uploaded file size does not match the expected size",
    ),
    "UPLOAD_TOKEN_MISSING_FILE_SIZE": ((), "Upload token with autoFinalize requires fileSize"),
    "UPLOADED_FILE_NOT_FOUND_BY_TOKEN": (
        ("FILE_ID",),
        "The uploaded file was not found by the given token id [@FILE_ID@], or was already used",
    ),
    "UPLOAD_ERROR": ((), "Upload failed"),
    # schedule, cue points, moderation, categories
    "SCHEDULE_EVENT_ID_NOT_FOUND": (("ID",), "Schedule event id [@ID@] not found"),
    "INVALID_SCHEDULE_EVENT_TYPE": (("ID",), "Schedule event [@ID@] is not a live stream event"),
    "FEATURE_NAME_NOT_FOUND": (("NAME",), "LiveFeature with name [@NAME@] not found"),
    "CUE_POINT_ID_NOT_FOUND": (("ID",), "Cue point id [@ID@] not found"),
    "ENTRY_CANNOT_BE_FLAGGED": ((), "Entry cannot be flagged"),
    "CATEGORY_NOT_FOUND": (("ID",), "Category id [@ID@] not found"),
    "CATEGORY_ENTRY_NOT_FOUND": (
        ("CATEGORY_ID", "ENTRY_ID"),
        "Entry [@ENTRY_ID@] is not assigned to category [@CATEGORY_ID@]",
    ),
}


class ApiError(Exception):
    """A Kaltura API error: becomes an HTTP 200 ``KalturaAPIException`` body."""

    def __init__(self, code: str, *args: object) -> None:
        names, template = _TEMPLATES.get(code, ((), code))
        values = [str(a) for a in args]
        self.code = code
        self.args_map: dict[str, str] = dict(zip(names, values, strict=False))
        message = template
        for name, value in self.args_map.items():
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


def invalid_ks(reason: str, err_code: str = "-1", err_desc: str = "INVALID_STR") -> ApiError:
    """``INVALID_KS`` with the server's fixed-args quirk (§2.5)."""
    return ApiError("INVALID_KS", reason, err_code, err_desc)
