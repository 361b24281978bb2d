"""Answers a caller can trust: bad bodies become typed errors, never bare Python errors.

A 2xx body that is not JSON is a :class:`ResponseDecodingError` (not an HTTP error: the
status was fine); a non-JSON body with an error status stays an :class:`HTTPStatusError`
(5xx are retried on reads). Excerpts are masked before they are cut (AUTH-9). A list answer
whose ``objects`` is not a list of objects is refused rather than read as an empty page, and
JSON nested beyond Python's stack is reported as such.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import (
    EntryVendorTask,
    EntryVendorTaskStatus,
    HTTPStatusError,
    ReachError,
    ResponseDecodingError,
    ResponseValidationError,
    RetryPolicy,
    TransportError,
)
from kaltura_reach_vendor._secrets import register_secret
from kaltura_reach_vendor._wire.response import decode_multirequest, decode_response

from .conftest import ACCESS_KEY, FakeKaltura, Runner

GETJOBS = "reach_entryvendortask.getjobs"
TRUNCATED = b'{"objectType": "KalturaEntryVendorTaskListResponse", "objects": [{"id": 1'
HTML = b"<html><head><title>Maintenance</title></head><body>back soon</body></html>"


# -- non-JSON bodies ----------------------------------------------------------------------------
@pytest.mark.parametrize("body", [TRUNCATED, HTML, b"\xff\xfe\x00garbage", b"{'single': 1}"])
def test_a_2xx_body_that_is_not_json_is_a_decoding_error(body: bytes) -> None:
    with pytest.raises(ResponseDecodingError) as info:
        decode_response(200, body, service="reach_entryVendorTask", action="getJobs")
    error = info.value
    assert isinstance(error, ResponseValidationError) and not isinstance(error, TransportError)
    assert error.status_code == 200
    assert "reach_entryVendorTask.getJobs" in str(error) and "not JSON" in str(error)


def test_an_empty_2xx_body_is_a_decoding_error() -> None:
    with pytest.raises(ResponseDecodingError) as info:
        decode_response(204, b" \n")
    assert info.value.status_code == 204


@pytest.mark.parametrize("status", [400, 404, 500, 502, 503])
def test_a_non_json_error_status_stays_an_http_status_error(status: int) -> None:
    with pytest.raises(HTTPStatusError) as info:
        decode_response(status, HTML)
    assert info.value.status_code == status
    assert not isinstance(info.value, ResponseValidationError)


def test_truncated_json_reaches_the_caller_as_a_decoding_error(
    runner: Runner, fake: FakeKaltura
) -> None:
    fake.routes[GETJOBS] = lambda body, request: httpx.Response(200, content=TRUNCATED)
    client = runner.client(retry=RetryPolicy(max_attempts=1))
    with pytest.raises(ResponseDecodingError) as info:
        runner.run(client, "get_jobs")
    assert info.value.status_code == 200


def test_a_5xx_html_page_is_still_retried_for_reads(runner: Runner, fake: FakeKaltura) -> None:
    answers = [httpx.Response(502, content=HTML), httpx.Response(200, json={"objects": []})]
    fake.routes[GETJOBS] = lambda body, request: answers.pop(0)
    client = runner.client()
    assert len(runner.run(client, "get_jobs")) == 0
    assert answers == []


# -- masking before cutting (AUTH-9) ------------------------------------------------------------
SECRET = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"  # 32 characters, no pattern would catch it


def _straddling(secret: str, prefix: str = "") -> bytes:
    """An HTML page whose secret starts 30 characters before the 200-character cut."""
    head = "<html><body>"
    filler = ("request refused. " * 20)[: 170 - len(head) - len(prefix) - 1] + " "
    return (head + filler + prefix + secret + " was refused</body></html>").encode()


def _pieces(secret: str, size: int = 6) -> list[str]:
    return [secret[i : i + size] for i in range(len(secret) - size + 1)]


@pytest.mark.rule("AUTH-9")
@pytest.mark.parametrize("status", [200, 502])
def test_a_registered_secret_straddling_the_cut_is_masked_whole(status: int) -> None:
    register_secret(SECRET)
    body = _straddling(SECRET)
    assert body.decode()[:200].endswith(SECRET[:30])  # the cut falls inside the secret
    with pytest.raises(ReachError) as info:
        decode_response(status, body)
    text = str(info.value) + repr(getattr(info.value, "body", ""))
    assert not [piece for piece in _pieces(SECRET) if piece in text]
    assert "***" in text


# A v1 KS nobody registered: caught by the long-base64 pattern, but only when whole.
V1_KS = base64.b64encode(b"f" * 40 + b"|1001;1001;1900000000;2;1234;;disableentitlement").decode()


@pytest.mark.rule("AUTH-9")
@pytest.mark.parametrize("status", [200, 502])
@pytest.mark.parametrize(
    ("prefix", "unregistered"), [("/api_v3?ks=", "a1b2c3d4e5f60718293a4b5c6d7e8f90"), ("", V1_KS)]
)
def test_an_unregistered_ks_is_masked_in_the_excerpt(
    status: int, prefix: str, unregistered: str
) -> None:
    body = _straddling(unregistered, prefix=prefix)
    with pytest.raises(ReachError) as info:
        decode_response(status, body)
    assert not [piece for piece in _pieces(unregistered) if piece in str(info.value)]


@pytest.mark.rule("AUTH-9")
def test_masking_is_not_defeated_by_a_huge_body() -> None:
    """Masking reads a bounded window of a big body. When masking shrinks that window to a
    few characters, the secret cut at the window's end would move into the excerpt: the
    whole body is masked instead."""
    long_secret = " ".join(f"w{i}q" for i in range(400))  # 2 289 characters, no pattern
    register_secret(long_secret)
    body = " ".join([long_secret] * 40)  # the 64 KiB window ends inside the 29th copy
    with pytest.raises(ResponseDecodingError) as info:
        decode_response(200, body.encode())
    assert "w0q" not in str(info.value) and "w399q" not in str(info.value)


# -- depth ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_json_nested_beyond_the_stack_is_a_decoding_error(depth: int) -> None:
    body = b"[" * depth + b"]" * depth
    with pytest.raises(ResponseDecodingError, match="nested too deeply"):
        decode_response(200, body)
    with pytest.raises(ResponseDecodingError):
        decode_multirequest(200, body, [("media", "get")])


def test_deep_json_reaches_the_caller_as_a_decoding_error(
    runner: Runner, fake: FakeKaltura
) -> None:
    deep = b'{"objects": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    fake.routes[GETJOBS] = lambda body, request: httpx.Response(200, content=deep)
    with pytest.raises(ResponseDecodingError):
        runner.run(runner.client(retry=RetryPolicy(max_attempts=1)), "get_jobs")


def _nested_task(levels: int) -> dict[str, Any]:
    root: dict[str, Any] = {"objectType": "KalturaEntryVendorTask", "id": 7, "status": 1}
    node = root
    for level in range(levels):
        child = {"objectType": "KalturaEntryVendorTask", "id": 1000 + level}
        node["relatedObjects"] = {
            "nested": {"objectType": "KalturaEntryVendorTaskListResponse", "objects": [child]}
        }
        node = child
    return root


def test_related_objects_nested_200_deep_are_a_validation_error(
    runner: Runner, fake: FakeKaltura
) -> None:
    answer = json.dumps(_nested_task(200)).encode()
    fake.routes["reach_entryvendortask.get"] = lambda b, r: httpx.Response(200, content=answer)
    task = EntryVendorTask(id=7, access_key=ACCESS_KEY, status=EntryVendorTaskStatus.PENDING)
    with pytest.raises(ResponseValidationError, match="nested too deeply"):
        runner.run(runner.client(), "get_task", task)


def test_related_objects_nested_200_deep_in_a_page_are_a_validation_error(
    runner: Runner, fake: FakeKaltura
) -> None:
    page = {"objectType": "KalturaEntryVendorTaskListResponse", "objects": [_nested_task(200)]}
    fake.routes[GETJOBS] = page
    with pytest.raises(ResponseValidationError, match="getJobs"):
        runner.run(runner.client(), "get_jobs")


# -- list answers that are not lists of tasks ---------------------------------------------------
@pytest.mark.parametrize(
    ("answer", "named"),
    [
        ({"objects": "nope", "totalCount": 3}, "'objects'"),
        ({"objects": {"0": {"id": 1}}, "totalCount": 1}, "'objects'"),
        ({"objects": 42}, "'objects'"),
        ({"objects": [{"id": 1, "status": 1}, "nope"], "totalCount": 2}, "objects[1]"),
        ({"objects": [None]}, "objects[0]"),
        ({"objects": [[{"id": 1}]]}, "objects[0]"),
        ({"objectType": "KalturaEntryVendorTask", "id": 5}, "list response"),
        ({"objectType": "KalturaAPIExceptionX"}, "list response"),
        ({"unexpected": True}, "'objects'"),
    ],
)
def test_a_page_that_is_not_a_list_of_tasks_is_refused_not_empty(
    runner: Runner, fake: FakeKaltura, answer: dict[str, Any], named: str
) -> None:
    fake.routes[GETJOBS] = answer
    fake.routes["reach_entryvendortask.list"] = answer
    client = runner.client()
    with pytest.raises(ResponseValidationError) as info:
        runner.run(client, "get_jobs")
    assert named in str(info.value) and "getJobs" in str(info.value)
    with pytest.raises(ResponseValidationError, match="list"):
        runner.run(client, "list_in_flight")


def test_well_formed_pages_still_parse(runner: Runner, fake: FakeKaltura) -> None:
    fake.routes[GETJOBS] = {
        "objectType": "KalturaEntryVendorTaskListResponse",
        "objects": [{"objectType": "KalturaEntryVendorTask", "id": 1, "status": 1}],
        "totalCount": 1,
    }
    page = runner.run(runner.client(), "get_jobs")
    assert [task.id for task in page] == [1]
    fake.routes[GETJOBS] = {"totalCount": 0}  # Kaltura may leave out an empty objects
    assert len(runner.run(runner.client(), "get_jobs")) == 0


def test_garbled_api_exception_fields_still_give_an_api_error() -> None:
    body = {
        "objectType": "KalturaAPIException",
        "code": [["nested"]],
        "message": {"m": [1, 2, 3]},
        "args": {"A": [[[[[[[[["deep"]]]]]]]]], "B": None, "C": 3},
    }
    with pytest.raises(ReachError) as info:
        decode_response(200, json.dumps(body).encode())
    error: Any = info.value
    assert error.code == "UNKNOWN_ERROR"
    assert error.args["B"] == "" and error.args["C"] == "3" and len(error.args["A"]) < 100
