"""No secret in any log line, repr or exception text, even at DEBUG (AUTH-9)."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import AdminSecret, ApiCall, ApiError, ReachError, parse_ks
from kaltura_reach_vendor._secrets import mask

from .conftest import (
    ACCESS_KEY,
    ADMIN_SECRET,
    APP_TOKEN,
    VENDOR_KS,
    WIDGET_KS,
    FakeKaltura,
    Runner,
    api_exception,
)

SECRETS = [APP_TOKEN.token, ADMIN_SECRET, VENDOR_KS, WIDGET_KS, ACCESS_KEY]


def _assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"secret leaked: {text!r}"


@pytest.mark.rule("AUTH-9")
def test_auth_9_no_secret_in_debug_logs_reprs_or_errors(
    runner: Runner, fake: FakeKaltura, caplog: pytest.LogCaptureFixture
) -> None:
    def get(body: dict[str, Any], request: httpx.Request) -> Any:
        # The server echoes an unreadable KS inside INVALID_KS (reference §2.5).
        ks = body["ks"]
        return api_exception(
            "INVALID_KS",
            f'Invalid KS "{ks}", Error "-1,INVALID_STR"',
            {"KSID": ks, "ERR_CODE": "-1", "ERR_DESC": "INVALID_STR"},
        )

    def add(body: dict[str, Any], request: httpx.Request) -> Any:
        raise httpx.ReadTimeout(f"timed out talking to {request.url}?ks={body['ks']}")

    fake.routes["reach_entryvendortask.get"] = get
    fake.routes["caption_captionasset.add"] = add
    fake.routes["reach_entryvendortask.getjobs"] = {"objects": [], "totalCount": 0}
    texts: list[str] = []
    with caplog.at_level(logging.DEBUG, logger="kaltura_reach_vendor"):
        client = runner.client()
        runner.run(client, "call", "reach_entryVendorTask", "getJobs")
        with pytest.raises(ApiError) as api_error:
            runner.run(client, "call", "reach_entryVendorTask", "get", {"id": 1}, ks=ACCESS_KEY)
        with pytest.raises(ReachError) as transport_error:
            runner.run(
                client,
                "call",
                "caption_captionAsset",
                "add",
                {
                    "entryId": "0_e",
                    "contentResource": {
                        "objectType": "KalturaUrlResource",
                        "urlHeaders": [{"value": f"Authorization: Bearer {ADMIN_SECRET}"}],
                    },
                },
                ks=ACCESS_KEY,
            )
        for error in (api_error.value, transport_error.value):
            texts += [str(error), repr(error), repr(error.args), error.message]
        texts += [repr(client), repr(APP_TOKEN), repr(AdminSecret(ADMIN_SECRET))]
        texts += [repr(ApiCall("a", "b", {"secret": ADMIN_SECRET}, ks=ACCESS_KEY))]
        texts += [repr(parse_ks(ACCESS_KEY)), repr(client._engine.session)]
    assert len(caplog.records) >= 4
    texts += [record.getMessage() for record in caplog.records]
    texts += [caplog.text]
    for text in texts:
        _assert_clean(text)
    assert api_error.value.code == "INVALID_KS"


@pytest.mark.rule("AUTH-9")
def test_auth_9_patterns_catch_unregistered_secrets() -> None:
    unknown_ks = "djJ8OTk5fG5ldmVyLXNlZW4tYmVmb3JlLWJ5LXRoZS1zZGs="
    text = f"url=https://x/api_v3/ks/{unknown_ks}/service/x ks={unknown_ks} secret=hunter2hunter"
    masked = mask(text)
    assert unknown_ks not in masked and "hunter2hunter" not in masked
    assert mask('{"Authorization": "Bearer abc.def"}').count("abc.def") == 0


@pytest.mark.rule("AUTH-9")
def test_auth_9_console_logging_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from kaltura_reach_vendor import _log

    monkeypatch.setenv("KALTURA_REACH_LOG", "debug")
    root = logging.getLogger("kaltura_reach_vendor")
    before = list(root.handlers)
    try:
        _log.configure_from_env()
        added = [h for h in root.handlers if h not in before]
        assert len(added) == 1 and root.level == logging.DEBUG
        _log.configure_from_env()  # idempotent
        assert len([h for h in root.handlers if h not in before]) == 1
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
        root.setLevel(logging.NOTSET)
