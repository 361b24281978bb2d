"""Decoding api_v3 answers: results, typed errors with both args shapes, non-JSON (AUTH-8)."""

from __future__ import annotations

import json
import pickle

import pytest

from kaltura_reach_vendor import (
    AccessDeniedError,
    ApiError,
    CannotExtendAccessKeyError,
    HTTPStatusError,
    InvalidInputError,
    InvalidSessionError,
    ObjectNotFoundError,
    ReachError,
    ResponseDecodingError,
    ResponseValidationError,
    TaskFinalStateError,
    TaskNotFoundError,
)
from kaltura_reach_vendor._wire.response import decode_response


def _body(value: object) -> bytes:
    return json.dumps(value).encode()


@pytest.mark.parametrize(
    ("value"),
    [{"objectType": "KalturaCaptionAsset", "id": "1_x"}, "djJ8a2tr", 42, None, [1, 2]],
)
def test_results_are_the_body(value: object) -> None:
    assert decode_response(200, _body(value)) == value


def test_error_with_args_object_is_typed_auth_8() -> None:
    body = {
        "objectType": "KalturaAPIException",
        "code": "ENTRY_VENDOR_TASK_NOT_FOUND",
        "message": "Entry vendor task item with id provided not found [99]",
        "args": {"ID": "99"},
    }
    with pytest.raises(TaskNotFoundError) as info:
        decode_response(200, _body(body), service="reach_entryvendortask", action="get")
    err = info.value
    assert (err.code, err.args) == ("ENTRY_VENDOR_TASK_NOT_FOUND", {"ID": "99"})
    assert err.message.startswith("Entry vendor task item")
    assert (err.service, err.action) == ("reach_entryvendortask", "get")
    assert "ENTRY_VENDOR_TASK_NOT_FOUND" in str(err)


def test_error_with_empty_args_list_auth_8() -> None:
    body = {
        "objectType": "KalturaAPIException",
        "code": "CANNOT_EXTEND_ACCESS_KEY",
        "message": "Extending accessKey for non processing task is not allowed",
        "args": [],
    }
    with pytest.raises(CannotExtendAccessKeyError) as info:
        decode_response(200, _body(body))
    assert info.value.args == {}


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("INVALID_KS", InvalidSessionError),
        ("MISSING_KS", InvalidSessionError),
        ("SERVICE_FORBIDDEN", AccessDeniedError),
        ("VENDOR_TASK_SERVICE__GET_JOB_NOT_ALLOWED", AccessDeniedError),
        ("MISSING_MANDATORY_PARAMETER", InvalidInputError),
        ("PROPERTY_VALIDATION_NOT_UPDATABLE", InvalidInputError),
        ("CAPTION_ASSET_ID_NOT_FOUND", ObjectNotFoundError),
        ("CANNOT_UPDATE_STATUS_OF_TASK_WHICH_IS_IN_FINAL_STATE", TaskFinalStateError),
        ("SOMETHING_NEW", ApiError),
    ],
)
def test_codes_map_to_the_exception_tree(code: str, cls: type[ApiError]) -> None:
    body = {"objectType": "KalturaAPIException", "code": code, "message": "m", "args": []}
    with pytest.raises(cls) as info:
        decode_response(200, _body(body))
    assert type(info.value) is cls
    assert isinstance(info.value, ReachError)


def test_expired_ks_error_says_why() -> None:
    body = {
        "objectType": "KalturaAPIException",
        "code": "INVALID_KS",
        "message": 'Invalid KS "EXPIRED", Error "-1,INVALID_STR"',
        "args": {"KSID": "EXPIRED", "ERR_CODE": "-1", "ERR_DESC": "INVALID_STR"},
    }
    with pytest.raises(InvalidSessionError) as info:
        decode_response(200, _body(body))
    assert info.value.ksid == "EXPIRED" and info.value.is_expired


def test_html_502_becomes_transport_error_with_status() -> None:
    page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    with pytest.raises(HTTPStatusError) as info:
        decode_response(502, page, service="reach_entryvendortask", action="getJobs")
    assert info.value.status_code == 502
    assert "502" in str(info.value) and "getJobs" in str(info.value)


def test_html_with_200_is_a_decoding_error_not_an_http_error() -> None:
    with pytest.raises(ResponseDecodingError) as info:
        decode_response(200, b"<html>maintenance</html>")
    assert info.value.status_code == 200
    assert not isinstance(info.value, HTTPStatusError)


def test_empty_body_is_a_validation_error() -> None:
    with pytest.raises(ResponseValidationError):
        decode_response(200, b"  ")


def test_api_errors_pickle_with_their_fields() -> None:
    body = {"objectType": "KalturaAPIException", "code": "X", "message": "m", "args": {"A": "1"}}
    with pytest.raises(ApiError) as info:
        decode_response(200, _body(body))
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.code, copy.message, copy.args) == ("X", "m", {"A": "1"})
