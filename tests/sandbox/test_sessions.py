"""Sessions: session.start, startWidgetSession, appToken.startSession, KS shape and errors."""

from __future__ import annotations

import base64
import hashlib

import pytest

from .conftest import Api, assert_error


def test_session_start_returns_v2_ks_carrying_partner_id(api: Api) -> None:
    ks = api.vendor_ks()
    assert ks.startswith("djJ8")
    raw = base64.urlsafe_b64decode(ks + "=" * (-len(ks) % 4))
    assert raw.startswith(b"v2|5000|")


def test_session_start_wrong_secret(api: Api) -> None:
    result = api.call("session", "start", secret="nope", partnerId=5000, type=2)
    err = assert_error(result, "START_SESSION_ERROR")
    assert err["args"] == {"PID": "5000"}


@pytest.mark.rule("AUTH-5")
def test_app_token_session_verifies_hash(api: Api) -> None:
    creds = api.sandbox.credentials
    widget = api.call("session", "startWidgetSession", widgetId=f"_{creds.vendor_partner_id}")
    assert widget["objectType"] == "KalturaStartWidgetSessionResponse"
    assert widget["partnerId"] == 5000
    widget_ks = widget["ks"]
    digest = hashlib.sha256((widget_ks + creds.app_token.token).encode()).hexdigest()
    info = api.call(
        "apptoken", "startSession", ks=widget_ks, id=creds.app_token.id, tokenHash=digest
    )
    assert info["objectType"] == "KalturaSessionInfo"
    assert info["partnerId"] == 5000
    assert "apptoken:" in info["privileges"]
    jobs = api.call("reach_entryvendortask", "getJobs", ks=info["ks"])
    assert jobs["objectType"] == "KalturaEntryVendorTaskListResponse"
    bad = api.call("apptoken", "startSession", ks=widget_ks, id=creds.app_token.id, tokenHash="00")
    assert_error(bad, "INVALID_APP_TOKEN_HASH")
    assert bad["args"] == []


def test_unknown_widget(api: Api) -> None:
    assert_error(api.call("session", "startWidgetSession", widgetId="_999"), "INVALID_WIDGET_ID")


def test_missing_ks_args_are_empty_list(api: Api) -> None:
    result = api.call("reach_entryvendortask", "getJobs")
    assert_error(result, "MISSING_KS")
    assert result["args"] == []


def test_garbage_ks_is_invalid_with_ks_as_ksid(api: Api) -> None:
    result = api.call("reach_entryvendortask", "getJobs", ks="djJ8NTAwMHxnYXJiYWdl")
    err = assert_error(result, "INVALID_KS")
    assert err["args"] == {
        "KSID": "djJ8NTAwMHxnYXJiYWdl",
        "ERR_CODE": "-1",
        "ERR_DESC": "INVALID_STR",
    }


@pytest.mark.rule("AUTH-6")
def test_expired_ks_shape_after_clock_advance(api: Api) -> None:
    ks = api.vendor_ks()
    api.sandbox.clock.advance(86400 + 1)
    result = api.call("reach_entryvendortask", "getJobs", ks=ks)
    err = assert_error(result, "INVALID_KS")
    assert err["args"] == {"KSID": "EXPIRED", "ERR_CODE": "-1", "ERR_DESC": "INVALID_STR"}
    assert err["message"] == 'Invalid KS "EXPIRED", Error "-1,INVALID_STR"'
