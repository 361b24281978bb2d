"""Encoding parameters for api_v3 (reference §1.2–§1.4), as JSON and multipart."""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaltura_reach_vendor import ApiCall, FilePart
from kaltura_reach_vendor._wire.params import to_wire
from kaltura_reach_vendor._wire.request import build_request


class Status(enum.IntEnum):
    PROCESSING = 3


class Language(str, enum.Enum):
    ENGLISH = "English"


def test_nested_object_enums_booleans_null_and_empty_list() -> None:
    params = {
        "id": 42,
        "entryVendorTask": {
            "objectType": "KalturaEntryVendorTask",
            "status": Status.PROCESSING,
            "externalTaskId": None,  # clear it
            "accuracy": 98,
        },
        "captionAsset": {
            "objectType": "KalturaCaptionAsset",
            "language": Language.ENGLISH,
            "isDefault": True,
            "displayOnPlayer": False,
            "associatedTranscriptIds": [],
        },
        "contentResource": {
            "objectType": "KalturaUrlResource",
            "urlHeaders": [{"objectType": "KalturaString", "value": "Authorization: x"}],
        },
        "notGiven": None,  # a top-level None is an omitted argument
    }
    wire = to_wire(params)
    assert wire == {
        "id": 42,
        "entryVendorTask": {
            "objectType": "KalturaEntryVendorTask",
            "status": 3,
            "externalTaskId__null": "",
            "accuracy": 98,
        },
        "captionAsset": {
            "objectType": "KalturaCaptionAsset",
            "language": "English",
            "isDefault": True,
            "displayOnPlayer": False,
            "associatedTranscriptIds": {"-": ""},
        },
        "contentResource": {
            "objectType": "KalturaUrlResource",
            "urlHeaders": [{"objectType": "KalturaString", "value": "Authorization: x"}],
        },
    }


def test_aware_datetime_becomes_unix_seconds_and_naive_is_refused() -> None:
    when = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    assert to_wire({"o": {"startDate": when}}) == {"o": {"startDate": 1767225600}}
    with pytest.raises(ValueError, match="timezone"):
        to_wire({"o": {"startDate": dt.datetime(2026, 1, 1)}})


def test_unknown_python_types_are_refused_clearly() -> None:
    with pytest.raises(TypeError, match="set"):
        to_wire({"x": {1, 2}})


# Hypothesis: any parameter tree survives JSON encoding unchanged.
_key = st.from_regex(r"[a-zA-Z][a-zA-Z0-9_]{0,11}", fullmatch=True)
_scalar = st.one_of(
    st.text(max_size=20),
    st.integers(-(2**40), 2**40),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(list(Status) + list(Language)),
)
_tree = st.recursive(
    st.one_of(_scalar, st.none()),
    lambda children: st.one_of(
        st.lists(children.filter(lambda c: c is not None), max_size=4),
        st.dictionaries(_key, children, min_size=1, max_size=4),
    ),
    max_leaves=20,
)
_params = st.dictionaries(_key, _tree, max_size=5)


@given(_params)
def test_json_encoding_round_trips(params: dict[str, Any]) -> None:
    wire = to_wire(params)
    assert json.loads(json.dumps(wire)) == wire


def test_json_body_has_exact_content_type_format_and_client_tag() -> None:
    """§1.2: a charset suffix makes the server ignore the body; AUTH-8 asks format=1."""
    call = ApiCall("reach_entryvendortask", "getJobs", {"pager": {"pageSize": 500}})
    request = build_request("https://x.test", call, ks="djJ8abc", client_tag="app:1_a-1")
    assert request.headers["content-type"] == "application/json"
    assert request.url == "https://x.test/api_v3/service/reach_entryvendortask/action/getJobs"
    body = json.loads(request.content)
    assert body == {
        "pager": {"pageSize": 500},
        "format": 1,
        "clientTag": "app:1_a-1",
        "ks": "djJ8abc",
    }


def test_upload_is_multipart_with_params_in_json_field_and_file_part() -> None:
    call = ApiCall(
        "uploadToken",
        "upload",
        {"uploadTokenId": "0_tok", "resume": False},
        files={"fileData": FilePart("captions.srt", b"1\n00:00:01,000 --> 00:00:02,000\nHi\n")},
        ks="djJ8abc",
    )
    request = build_request("https://x.test", call, ks=call.ks, client_tag="t")
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    text = request.read().decode()
    assert 'name="json"' in text
    assert '"uploadTokenId":"0_tok"' in text and '"format":1' in text
    assert 'name="fileData"; filename="captions.srt"' in text
    assert "00:00:01,000 --> 00:00:02,000" in text
    # what the server reads back: the json field parses to the parameters
    assert isinstance(request, httpx.Request)
