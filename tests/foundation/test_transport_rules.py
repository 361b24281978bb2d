"""HTTPS, regions, client tags, KS choice and format (AUTH-1, AUTH-2, AUTH-3, AUTH-7, AUTH-8)."""

from __future__ import annotations

import pytest

from kaltura_reach_vendor import (
    ConfigurationError,
    InsecureTransportError,
    ReachClient,
    Region,
    build_client_tag,
)
from kaltura_reach_vendor.regions import resolve_service_url

from .conftest import ACCESS_KEY, VENDOR_KS, FakeKaltura, Runner


@pytest.mark.rule("AUTH-1")
@pytest.mark.parametrize("url", ["http://api.kaltura.com", "http://10.0.0.5:8080/"])
def test_auth_1_plain_http_is_refused(url: str) -> None:
    with pytest.raises(InsecureTransportError, match="HTTPS"):
        ReachClient(
            vendor_partner_id=1,
            vendor_name="a",
            app_version="1",
            admin_secret="s" * 8,
            service_url=url,
        )


@pytest.mark.rule("AUTH-1")
@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost:9/", "http://[::1]:80", "http://127.8.0.1"]
)
def test_auth_1_loopback_is_allowed_for_the_sandbox(url: str) -> None:
    assert resolve_service_url(service_url=url).startswith("http://")


@pytest.mark.rule("AUTH-1")
def test_auth_1_explicit_opt_in_allows_http() -> None:
    url = resolve_service_url(service_url="http://test-host:8080", allow_insecure_http=True)
    assert url == "http://test-host:8080"


@pytest.mark.rule("AUTH-2")
@pytest.mark.parametrize(
    ("region", "url"),
    [
        (Region.US, "https://api.kaltura.com"),
        (Region.EU, "https://api.eu.kaltura.com"),
        (Region.CA, "https://api.ca.kaltura.com"),
        (Region.DE, "https://api.de.kaltura.com"),
        (Region.AP, "https://api.ap.kaltura.com"),
        (Region.SG, "https://api.sg.kaltura.com"),
        ("eu", "https://api.eu.kaltura.com"),
    ],
)
def test_auth_2_region_presets(region: Region | str, url: str) -> None:
    assert resolve_service_url(region=region) == url


@pytest.mark.rule("AUTH-2")
def test_auth_2_service_url_is_explicit_and_single() -> None:
    with pytest.raises(ConfigurationError):
        resolve_service_url()
    with pytest.raises(ConfigurationError):
        resolve_service_url(region=Region.US, service_url="https://x")
    with pytest.raises(ConfigurationError, match="unknown region"):
        resolve_service_url(region="mars")
    assert resolve_service_url(service_url="https://k.example/api_v3/") == "https://k.example"


@pytest.mark.rule("AUTH-3")
def test_auth_3_client_tag_shapes() -> None:
    assert build_client_tag("2.3.1", "acme", 12345) == "app:2.3.1_acme-12345"
    assert build_client_tag("2.3.1", "acme", 12345, 987) == "app:2.3.1_acme-12345-987"
    assert build_client_tag("1", "Acme Captions_Co", 5) == "app:1_Acme-Captions-Co-5"


@pytest.mark.rule("AUTH-3")
@pytest.mark.rule("AUTH-7")
@pytest.mark.rule("AUTH-8")
def test_auth_3_7_8_every_request_has_tag_format_and_right_ks(
    runner: Runner, fake: FakeKaltura
) -> None:
    fake.routes["reach_entryvendortask.getjobs"] = {"objects": [], "totalCount": 0}
    fake.routes["reach_entryvendortask.get"] = {"id": "77", "status": 3}
    client = runner.client()
    runner.run(client, "call", "reach_entryVendorTask", "getJobs")
    runner.run(
        client, "call", "reach_entryVendorTask", "get", {"id": 77}, ks=ACCESS_KEY, task_id=77
    )
    bodies = {name: body for name, body in zip(fake.names(), fake.bodies, strict=True)}
    for body in fake.bodies:
        assert body["format"] == 1
        assert body["clientTag"].startswith("app:2.3.1_acme-5000")
    assert bodies["reach_entryVendorTask.getJobs"]["clientTag"] == "app:2.3.1_acme-5000"
    assert bodies["reach_entryVendorTask.getJobs"]["ks"] == VENDOR_KS
    assert bodies["reach_entryVendorTask.get"]["clientTag"] == "app:2.3.1_acme-5000-77"
    assert bodies["reach_entryVendorTask.get"]["ks"] == ACCESS_KEY
    # the access key was used for that call only: nothing global changed
    runner.run(client, "call", "reach_entryVendorTask", "getJobs")
    assert fake.bodies[-1]["ks"] == VENDOR_KS


def test_constructing_a_client_does_no_io(fake: FakeKaltura) -> None:
    import httpx

    ReachClient(
        vendor_partner_id=1,
        vendor_name="a",
        app_version="1",
        admin_secret="secret-x",
        region=Region.EU,
        http_client=httpx.Client(transport=fake.transport()),
    )
    assert fake.requests == []


def test_from_env_reads_documented_variables() -> None:
    env = {
        "KALTURA_VENDOR_PARTNER_ID": "5000",
        "KALTURA_VENDOR_NAME": "acme",
        "KALTURA_APP_VERSION": "9.9",
        "KALTURA_APP_TOKEN_ID": "1_tok",
        "KALTURA_APP_TOKEN": "abcdefabcdef",
        "KALTURA_APP_TOKEN_HASH_TYPE": "sha512",
        "KALTURA_REGION": "DE",
    }
    client = ReachClient.from_env(env)
    assert client.service_url == "https://api.de.kaltura.com"
    assert client.client_tag(3) == "app:9.9_acme-5000-3"
    with pytest.raises(ConfigurationError, match="KALTURA_VENDOR_PARTNER_ID"):
        ReachClient.from_env({})
