"""Rules a mutation run showed untested: each test here fails on one small change of the SDK.

Every test drives public behaviour (the clients over ``httpx.MockTransport``, ``parse``/``dump``,
``parse_ks``, ``resolve_service_url``), never private helpers. ``nox -s mutation`` reruns the
mutation run (docs/development.md).
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import (
    ApiCall,
    ConfigurationError,
    EntryVendorTask,
    HTTPStatusError,
    InsecureTransportError,
    InvalidSessionError,
    MalformedKsError,
    ReachClient,
    ReachConnectionError,
    ReachTimeoutError,
    RetryPolicy,
    dump,
    parse,
    parse_ks,
)
from kaltura_reach_vendor.models import VendorCatalogItem
from kaltura_reach_vendor.regions import resolve_service_url

from .conftest import APP_TOKEN, VENDOR_KS, VENDOR_KS_2, VENDOR_PID, FakeKaltura, Runner
from .conftest import api_exception as kaltura_exception


# -- AUTH-1: plain HTTP only for loopback hosts ------------------------------------------------
def _client(url: str) -> ReachClient:
    return ReachClient(
        vendor_partner_id=VENDOR_PID,
        vendor_name="acme",
        app_version="1",
        app_token=APP_TOKEN,
        service_url=url,
    )


@pytest.mark.rule("AUTH-1")
@pytest.mark.parametrize(
    "url",
    [
        "http://evillocalhost",
        "http://evillocalhost:8080/api_v3",
        "http://notlocalhost",
        "http://localhost.evil.test",
        "http://127.0.0.1.evil.test",
    ],
)
def test_auth_1_hosts_that_only_look_like_loopback_need_https(url: str) -> None:
    with pytest.raises(InsecureTransportError, match="AUTH-1"):
        resolve_service_url(service_url=url)
    with pytest.raises(InsecureTransportError):
        _client(url)


@pytest.mark.rule("AUTH-1")
@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8080",
        "http://localhost.localdomain",
        "http://sandbox.localhost",
        "http://127.0.0.1:9000",
        "http://[::1]",
    ],
)
def test_auth_1_loopback_hosts_may_use_http(url: str) -> None:
    assert resolve_service_url(service_url=url) == url
    _client(url).close()


@pytest.mark.rule("AUTH-2")
@pytest.mark.parametrize("url", ["ftp://api.kaltura.com", "https://", "api.kaltura.com", "//x"])
def test_auth_2_a_service_url_needs_an_http_scheme_and_a_host(url: str) -> None:
    with pytest.raises(ConfigurationError, match="https://"):
        resolve_service_url(service_url=url)


@pytest.mark.rule("AUTH-2")
def test_auth_2_the_service_url_is_normalised_and_exactly_one_is_given() -> None:
    assert resolve_service_url(service_url=" https://x.test/api_v3/ ") == "https://x.test"
    assert resolve_service_url(region="eu") == "https://api.eu.kaltura.com"
    with pytest.raises(ConfigurationError, match="exactly one of region="):
        resolve_service_url(region="US", service_url="https://x.test")
    with pytest.raises(ConfigurationError, match="exactly one of region="):
        resolve_service_url()
    with pytest.raises(ConfigurationError, match="known: US, EU, CA, DE, AP, SG"):
        resolve_service_url(region="mars")


# -- retries: exactly max_attempts tries on transport errors ---------------------------------
def _always(failure: type[Exception]) -> Any:
    def route(body: dict[str, Any], request: httpx.Request) -> Any:
        raise failure("boom", request=request)  # type: ignore[call-arg]

    return route


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (httpx.ConnectError, ReachConnectionError),
        (httpx.RemoteProtocolError, ReachConnectionError),
        (httpx.ReadTimeout, ReachTimeoutError),
        (httpx.ConnectTimeout, ReachTimeoutError),
    ],
)
@pytest.mark.parametrize("attempts", [1, 2, 4])
def test_a_read_failing_in_transport_is_tried_exactly_max_attempts_times(
    runner: Runner, fake: FakeKaltura, failure: type[Exception], error: type, attempts: int
) -> None:
    fake.routes["reach_entryvendortask.getjobs"] = _always(failure)
    client = runner.client(retry=RetryPolicy(max_attempts=attempts, backoff=0.0, jitter=0.0))
    with pytest.raises(error):
        runner.run(client, "call", "reach_entryVendorTask", "getJobs")
    assert fake.names().count("reach_entryVendorTask.getJobs") == attempts


@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ConnectTimeout])
def test_a_write_that_never_left_is_tried_exactly_max_attempts_times(
    runner: Runner, fake: FakeKaltura, failure: type[Exception]
) -> None:
    fake.routes["reach_entryvendortask.updatejob"] = _always(failure)
    client = runner.client(retry=RetryPolicy(max_attempts=3, backoff=0.0, jitter=0.0))
    with pytest.raises((ReachConnectionError, ReachTimeoutError)):
        runner.run(client, "call", "reach_entryVendorTask", "updateJob", {"id": 1})
    assert fake.names().count("reach_entryVendorTask.updateJob") == 3


class _Edge:
    """A stand-in ``random.Random`` whose jitter is always the largest allowed."""

    def uniform(self, low: float, high: float) -> float:
        return high


@pytest.mark.parametrize(
    ("status", "write", "attempt", "again"),
    [
        (503, False, 1, True),
        (500, False, 2, True),
        (429, False, 1, True),
        (503, True, 1, False),  # a write the server saw is never re-sent
        (503, False, 3, False),  # the last attempt
        (499, False, 1, False),
        (404, False, 1, False),
    ],
)
def test_retry_policy_on_an_http_status(
    status: int, write: bool, attempt: int, again: bool
) -> None:
    policy = RetryPolicy(max_attempts=3)
    assert policy.should_retry_status(status, write=write, attempt=attempt) is again
    error = HTTPStatusError("x", status_code=status)
    assert policy.should_retry(error, write=write, attempt=attempt) is again


def test_retry_policy_on_transport_errors_and_status_less_errors() -> None:
    policy = RetryPolicy(max_attempts=3)
    sent = ReachConnectionError("dropped")
    never = ReachConnectionError("refused", never_sent=True)
    assert policy.should_retry(sent, write=False, attempt=1)
    assert not policy.should_retry(sent, write=True, attempt=1)
    assert policy.should_retry(never, write=True, attempt=2)
    assert not policy.should_retry(never, write=True, attempt=3)
    assert not policy.should_retry(HTTPStatusError("no status"), write=False, attempt=1)
    assert not policy.should_retry(InvalidSessionError("INVALID_KS", "x"), write=False, attempt=1)


def test_retry_delay_doubles_within_its_jitter_and_cap() -> None:
    policy = RetryPolicy(backoff=0.5, jitter=0.25, max_backoff=3.0)
    assert [policy.delay(n, _Edge()) for n in (1, 2, 3, 4, 5)] == [  # type: ignore[arg-type]
        0.625,
        1.25,
        2.5,
        3.75,
        3.75,
    ]
    assert RetryPolicy(backoff=1.0, jitter=0.0).delay(3, _Edge()) == 4.0  # type: ignore[arg-type]


# -- AUTH-6: a multirequest renews an expired vendor KS once ---------------------------------
EXPIRED = kaltura_exception(
    "INVALID_KS", 'Invalid KS "EXPIRED"', {"KSID": "EXPIRED", "ERR_CODE": "-1"}
)
CALLS = [
    ApiCall("reach_entryVendorTask", "getJobs", {"pager": {"pageSize": 1}}),
    ApiCall("reach_entryVendorTask", "list", {"pager": {"pageSize": 1}}),
]
EMPTY = {"objectType": "KalturaEntryVendorTaskListResponse", "objects": [], "totalCount": 0}


@pytest.mark.rule("AUTH-6")
def test_auth_6_multirequest_renews_an_expired_vendor_ks(runner: Runner, fake: FakeKaltura) -> None:
    def multirequest(body: dict[str, Any], request: httpx.Request) -> Any:
        return EXPIRED if body["ks"] == VENDOR_KS else [EMPTY, EMPTY]

    fake.routes["multirequest"] = multirequest
    client = runner.client()
    assert runner.run(client, "multirequest", CALLS) == [EMPTY, EMPTY]
    assert fake.sessions_started == 2
    sent = [b["ks"] for b, n in zip(fake.bodies, fake.names(), strict=True) if n == "multirequest"]
    assert sent == [VENDOR_KS, VENDOR_KS_2]
    # the new session is kept: the next call uses it without another start
    runner.run(client, "multirequest", CALLS)
    assert fake.sessions_started == 2 and fake.bodies[-1]["ks"] == VENDOR_KS_2


@pytest.mark.rule("AUTH-6")
def test_auth_6_multirequest_renews_only_once(runner: Runner, fake: FakeKaltura) -> None:
    fake.routes["multirequest"] = EXPIRED
    client = runner.client()
    with pytest.raises(InvalidSessionError) as info:
        runner.run(client, "multirequest", CALLS)
    assert info.value.ksid == "EXPIRED"
    assert fake.names().count("multirequest") == 2 and fake.sessions_started == 2


# -- AUTH-8: an HTTP error status is an error even with a JSON body --------------------------
@pytest.mark.rule("AUTH-8")
@pytest.mark.parametrize(
    ("status", "body"),
    [
        (404, {"objectType": "KalturaEntryVendorTask", "id": 1}),
        (400, []),
        (403, "djJ8not-a-result"),
        (401, None),
    ],
)
def test_auth_8_json_with_an_http_error_status_is_not_a_result(
    runner: Runner, fake: FakeKaltura, status: int, body: Any
) -> None:
    fake.routes["reach_entryvendortask.get"] = httpx.Response(status, json=body)
    client = runner.client()
    with pytest.raises(HTTPStatusError) as info:
        runner.run(client, "call", "reach_entryVendorTask", "get", {"id": 1})
    assert info.value.status_code == status


@pytest.mark.rule("AUTH-8")
def test_auth_8_json_with_5xx_on_a_write_is_an_error_sent_once(
    runner: Runner, fake: FakeKaltura
) -> None:
    fake.routes["reach_entryvendortask.updatejob"] = httpx.Response(500, json={"id": 1})
    client = runner.client()
    with pytest.raises(HTTPStatusError) as info:
        runner.run(client, "call", "reach_entryVendorTask", "updateJob", {"id": 1})
    assert info.value.status_code == 500
    assert fake.names().count("reach_entryVendorTask.updateJob") == 1


# -- KS v1: the signature is a 40-character SHA-1 hex digest ---------------------------------
def _v1(signature: str) -> str:
    return base64.b64encode(f"{signature}|1001;1001;1900000123;0;1;;edit:x".encode()).decode()


def test_a_v1_ks_with_a_40_character_signature_is_read() -> None:
    info = parse_ks(_v1("0123456789abcdef0123456789abcdef01234567"))
    assert (info.version, info.partner_id, info.expires_at) == (1, 1001, 1900000123)


@pytest.mark.parametrize("length", [0, 1, 32, 39, 41, 64])
def test_a_v1_ks_with_a_signature_of_another_length_is_malformed(length: int) -> None:
    with pytest.raises(MalformedKsError):
        parse_ks(_v1(("0123456789abcdef" * 5)[:length]))


@pytest.mark.parametrize("signature", ["g" * 40, "0123456789abcdef0123456789abcdef0123456-"])
def test_a_v1_ks_whose_signature_is_not_hex_is_malformed(signature: str) -> None:
    with pytest.raises(MalformedKsError):
        parse_ks(_v1(signature))


def test_a_v1_ks_reads_every_field() -> None:
    raw = "1001;1002;1900000123;2;77;vendor@acme;disableentitlement,edit:1_abc,a:b:c"
    ks = base64.b64encode(b"f" * 40 + b"|" + raw.encode()).decode()
    info = parse_ks(ks)
    assert (info.version, info.partner_id, info.expires_at, info.session_type) == (
        1,
        1001,
        1900000123,
        2,
    )
    assert (info.user_id, info.ks) == ("vendor@acme", ks)
    assert info.privileges == "disableentitlement,edit:1_abc,a:b:c"
    assert info.privilege_map() == {"disableentitlement": "", "edit": "1_abc", "a": "b:c"}


@pytest.mark.parametrize(
    ("info", "expires_at", "session_type"),
    [
        ("1001;1001", None, None),
        ("1001;1001;5", 5, None),
        ("1001;1001;5;2", 5, 2),
        ("1001;1001;;", None, None),
        ("1001;1001;5;;x", 5, None),
    ],
)
def test_a_v1_ks_with_fields_left_out(
    info: str, expires_at: int | None, session_type: int | None
) -> None:
    parsed = parse_ks(base64.b64encode(b"a" * 40 + b"|" + info.encode()).decode())
    assert (parsed.partner_id, parsed.expires_at, parsed.session_type) == (
        1001,
        expires_at,
        session_type,
    )
    assert parsed.user_id is None or parsed.user_id == ""
    assert parsed.privileges is None and parsed.privilege_map() == {}


def test_a_v1_ks_with_a_user_and_no_privileges() -> None:
    info = parse_ks(base64.b64encode(b"a" * 40 + b"|1001;1001;5;0;1;vendor@acme").decode())
    assert (info.user_id, info.privileges) == ("vendor@acme", None)


def test_a_v2_ks_of_a_negative_partner() -> None:
    assert parse_ks(base64.urlsafe_b64encode(b"v2|-2|opaque").decode()).partner_id == -2


def test_a_v1_ks_with_bytes_that_are_not_utf8_is_still_read() -> None:
    raw = b"a" * 40 + b"|1001;1001;1900000123;0;1;\xff\xfe;edit:x"
    info = parse_ks(base64.b64encode(raw).decode())
    assert info.partner_id == 1001 and info.privileges == "edit:x"


def test_a_v2_ks_in_url_safe_base64_without_padding() -> None:
    raw = b"v2|1001|a\xfb\xef\xbe\xff\xff\xff|x"  # encodes to "...----____..."
    ks = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    assert "-" in ks and "_" in ks and len(ks) % 4
    info = parse_ks(ks)
    assert (info.version, info.partner_id, info.ks) == (2, 1001, ks)
    assert (info.expires_at, info.user_id, info.privileges) == (None, None, None)


@pytest.mark.parametrize(
    ("ks", "why"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("djJ8MTAw!MXx4", "not base64"),  # "v2|1001|x" with a stray character
        (base64.b64encode(b"v2|acme|x").decode(), "bad v2 header"),
        (base64.b64encode(b"v2|1001").decode(), "bad v2 header"),
        (base64.b64encode(b"f" * 40 + b"|x;1001;5").decode(), "bad v1 fields"),
        (base64.b64encode(b"just some bytes").decode(), "neither v1 nor v2"),
    ],
)
def test_what_is_not_a_ks_says_why(ks: str, why: str) -> None:
    with pytest.raises(MalformedKsError, match=f"not a Kaltura session: {why}"):
        parse_ks(ks)


# -- models: lenient scalars that must not change meaning ------------------------------------
CATALOG = "KalturaVendorCaptionsCatalogItem"


@pytest.mark.parametrize(
    ("wire", "value"),
    [
        ("false", False),
        ("False", False),
        ("FALSE", False),
        ("0", False),
        (0, False),
        (False, False),
        ("true", True),
        ("1", True),
        (1, True),
        (True, True),
    ],
)
def test_booleans_sent_as_strings_keep_their_meaning(wire: Any, value: bool) -> None:
    item = parse({"objectType": CATALOG, "id": 7, "payPerUse": wire}, VendorCatalogItem)
    assert item.pay_per_use is value
    assert dump(item)["payPerUse"] is value


@pytest.mark.parametrize("wire", ["2.5", 2.5, "97.9"])
def test_a_fraction_is_not_truncated_into_an_integer_field(wire: Any) -> None:
    """Policy: a value that does not convert is kept raw (and sent back), never truncated."""
    task = parse(
        {"objectType": "KalturaEntryVendorTask", "id": 1, "accuracy": wire}, EntryVendorTask
    )
    assert task.accuracy is None
    assert task.id == 1
    assert dump(task)["accuracy"] == wire


@pytest.mark.parametrize(("wire", "value"), [("97", 97), (97, 97), (" 15 ", 15)])
def test_integers_sent_as_strings_are_read(wire: Any, value: int) -> None:
    task = parse({"objectType": "KalturaEntryVendorTask", "accuracy": wire}, EntryVendorTask)
    assert task.accuracy == value
    assert dump(task)["accuracy"] == value
