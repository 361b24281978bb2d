"""Sessions: KS reading, app tokens, admin secrets, caching and renewal (AUTH-4/5/6)."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import (
    AppToken,
    ConfigurationError,
    InvalidSessionError,
    MalformedKsError,
    parse_ks,
    token_hash,
)

from .conftest import (
    ADMIN_SECRET,
    APP_TOKEN,
    VENDOR_KS,
    VENDOR_KS_2,
    WIDGET_KS,
    FakeKaltura,
    Runner,
    api_exception,
    v2_ks,
)

KS = "djJ8NTAwMHx3aWRnZXQta3M="
TOKEN = "0123456789abcdef0123456789abcdef"


@pytest.mark.rule("AUTH-5")
@pytest.mark.parametrize(
    ("hash_type", "expected"),
    [
        ("SHA1", "70bae8ee4f9ffeb634035408ce0ee41fe24299b2"),
        ("MD5", "d6ed89cdb5374cbe7d93cd5d1bf1138f"),
        ("SHA256", "75d8863e3644ca4ad1205341edb6643849053c0f0257760ecd4407a044f076e4"),
        (
            "SHA512",
            "2e46e0b151f7fc5f78cdee0eb57155135ed3d4b8b5513a87d3df683f09373edea297299f0d15ce10"
            "8041b793c7bc3504b5b003df0efeeff5e0f33f9ef3749df4",
        ),
    ],
)
def test_auth_5_token_hash_known_values(hash_type: str, expected: str) -> None:
    assert token_hash(KS, TOKEN, hash_type) == expected
    assert token_hash(KS, TOKEN, hash_type.lower()) == expected


@pytest.mark.rule("AUTH-5")
def test_auth_5_hash_type_defaults_to_sha1_and_unknown_is_refused() -> None:
    assert AppToken("i", "tokentoken").hash_type == "SHA1"
    with pytest.raises(ConfigurationError):
        AppToken("i", "tokentoken", "CRC32")


@pytest.mark.rule("AUTH-5")
@pytest.mark.rule("AUTH-4")
def test_auth_5_app_token_flow(runner: Runner, fake: FakeKaltura) -> None:
    client = runner.client()
    assert runner.run(client, "vendor_ks") == VENDOR_KS
    assert fake.names() == ["session.startWidgetSession", "appToken.startSession"]
    widget, start = fake.bodies
    assert widget["widgetId"] == "_5000" and "ks" not in widget
    assert start["ks"] == WIDGET_KS
    assert start["id"] == APP_TOKEN.id
    assert start["tokenHash"] == token_hash(WIDGET_KS, APP_TOKEN.token, "SHA256")
    assert start["sessionPrivileges"] == "disableentitlement"


@pytest.mark.rule("AUTH-4")
@pytest.mark.rule("AUTH-5")
def test_auth_4_admin_secret_session_start(runner: Runner, fake: FakeKaltura) -> None:
    client = runner.client(admin_secret=ADMIN_SECRET)
    assert runner.run(client, "vendor_ks") == VENDOR_KS
    (body,) = fake.bodies
    assert fake.names() == ["session.start"]
    assert body["secret"] == ADMIN_SECRET and body["partnerId"] == 5000
    assert body["type"] == 2 and body["privileges"] == "disableentitlement"
    assert body["expiry"] == 86400


@pytest.mark.rule("AUTH-4")
def test_auth_4_vendor_ks_is_created_once_and_reused(runner: Runner, fake: FakeKaltura) -> None:
    fake.routes["reach_entryvendortask.getjobs"] = {"objects": []}
    client = runner.client()
    for _ in range(5):
        runner.run(client, "call", "reach_entryVendorTask", "getJobs")
    assert fake.sessions_started == 1


@pytest.mark.rule("AUTH-6")
def test_auth_6_renewed_ahead_of_known_expiry(runner: Runner, fake: FakeKaltura) -> None:
    now = [fake.now]
    fake.routes["reach_entryvendortask.getjobs"] = {"objects": []}
    client = runner.client(clock=lambda: now[0])
    runner.run(client, "call", "reach_entryVendorTask", "getJobs")
    now[0] += 86400 - 1200  # still 20 minutes left: reuse
    runner.run(client, "call", "reach_entryVendorTask", "getJobs")
    assert fake.sessions_started == 1
    now[0] += 900  # 5 minutes left: inside the renewal margin
    runner.run(client, "call", "reach_entryVendorTask", "getJobs")
    assert fake.sessions_started == 2
    assert fake.bodies[-1]["ks"] == VENDOR_KS_2


@pytest.mark.rule("AUTH-6")
@pytest.mark.parametrize("ksid", ["EXPIRED", "LOGOUT"])
def test_auth_6_renewed_once_on_invalid_ks(runner: Runner, fake: FakeKaltura, ksid: str) -> None:
    def get_jobs(body: dict[str, Any], request: httpx.Request) -> Any:
        if body["ks"] == VENDOR_KS:
            return api_exception(
                "INVALID_KS",
                f'Invalid KS "{ksid}", Error "-1,INVALID_STR"',
                {"KSID": ksid, "ERR_CODE": "-1", "ERR_DESC": "INVALID_STR"},
            )
        return {"objects": [], "totalCount": 0}

    fake.routes["reach_entryvendortask.getjobs"] = get_jobs
    client = runner.client()
    assert runner.run(client, "call", "reach_entryVendorTask", "getJobs")["totalCount"] == 0
    assert fake.sessions_started == 2
    assert fake.names().count("reach_entryVendorTask.getJobs") == 2


@pytest.mark.rule("AUTH-6")
def test_auth_6_renewal_happens_only_once(runner: Runner, fake: FakeKaltura) -> None:
    expired = api_exception("INVALID_KS", "x", {"KSID": "EXPIRED"})
    fake.routes["reach_entryvendortask.getjobs"] = expired
    client = runner.client()
    with pytest.raises(InvalidSessionError):
        runner.run(client, "call", "reach_entryVendorTask", "getJobs")
    assert fake.names().count("reach_entryVendorTask.getJobs") == 2


@pytest.mark.rule("AUTH-6")
def test_auth_6_other_invalid_ks_reasons_are_not_retried(runner: Runner, fake: FakeKaltura) -> None:
    fake.routes["reach_entryvendortask.getjobs"] = api_exception(
        "INVALID_KS", "x", {"KSID": "", "ERR_CODE": "-4", "ERR_DESC": "INVALID_TYPE"}
    )
    client = runner.client()
    with pytest.raises(InvalidSessionError):
        runner.run(client, "call", "reach_entryVendorTask", "getJobs")
    assert fake.sessions_started == 1


def test_ks_v2_reveals_only_the_partner() -> None:
    info = parse_ks(v2_ks(1001, "opaque-ciphertext"))
    assert (info.version, info.partner_id, info.expires_at, info.privileges) == (
        2,
        1001,
        None,
        None,
    )


def test_ks_v1_reveals_every_field() -> None:
    info_text = "1001;1001;1900000000;0;12345;;edit:0_abc,sview:0_abc;;"
    raw = ("a" * 40 + "|" + info_text).encode()
    info = parse_ks(base64.b64encode(raw).decode())
    assert info.version == 1 and info.partner_id == 1001
    assert info.expires_at == 1900000000 and info.session_type == 0
    assert info.privilege_map() == {"edit": "0_abc", "sview": "0_abc"}


@pytest.mark.parametrize("bad", ["", "not base64 !!", base64.b64encode(b"hello|x").decode()])
def test_unreadable_ks_is_a_clear_error(bad: str) -> None:
    with pytest.raises(MalformedKsError):
        parse_ks(bad)
    with pytest.raises(ValueError):
        parse_ks(bad)


def test_calls_needing_a_vendor_session_without_credentials_fail_clearly(
    runner: Runner,
) -> None:
    client = runner.client(app_token=None)
    with pytest.raises(ConfigurationError, match="app_token"):
        runner.run(client, "call", "reach_entryVendorTask", "getJobs")
