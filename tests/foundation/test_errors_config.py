"""Bad client settings are refused with a ConfigurationError that says what is wrong.

Never a bare ``ValueError`` from ``int()``, never an empty credential accepted (it would only
fail later, on the first call, as a confusing server error), and never the secret in the text.
"""

from __future__ import annotations

from typing import Any

import pytest

from kaltura_reach_vendor import (
    AdminSecret,
    AppToken,
    ConfigurationError,
    ReachClient,
    token_hash,
)
from kaltura_reach_vendor.session import HASH_TYPES

BASE: dict[str, Any] = {
    "vendor_name": "acme",
    "app_version": "2.3.1",
    "service_url": "https://reach.test",
}
TOKEN = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize("partner", ["abc", "", "12x", True, False, 0, -5, 1.5, None, 2**80])
def test_a_bad_vendor_partner_id_is_a_configuration_error(partner: Any) -> None:
    with pytest.raises(ConfigurationError, match="vendor_partner_id") as info:
        ReachClient(vendor_partner_id=partner, admin_secret="s" * 16, **BASE)
    assert not isinstance(info.value, ValueError)


@pytest.mark.parametrize("partner", [5000, "5000", " 5000 "])
def test_a_good_vendor_partner_id_is_an_int(partner: Any) -> None:
    client = ReachClient(vendor_partner_id=partner, admin_secret="s" * 16, **BASE)
    assert client.vendor_partner_id == 5000
    client.close()


@pytest.mark.parametrize("secret", ["", " ", "\t\n"])
def test_a_blank_admin_secret_is_refused(secret: str) -> None:
    with pytest.raises(ConfigurationError, match="admin_secret"):
        ReachClient(vendor_partner_id=5000, admin_secret=secret, **BASE)
    with pytest.raises(ConfigurationError):
        AdminSecret(secret)


@pytest.mark.parametrize(
    ("token_id", "token"), [("", TOKEN), ("  ", TOKEN), ("1_x", ""), ("1_x", " ")]
)
def test_a_blank_app_token_id_or_token_is_refused(token_id: str, token: str) -> None:
    with pytest.raises(ConfigurationError, match="app token"):
        AppToken(token_id, token)


def test_credentials_of_the_wrong_type_are_refused_without_showing_them() -> None:
    secret_bytes: Any = b"bytes-admin-secret-123456"
    with pytest.raises(ConfigurationError) as info:
        ReachClient(vendor_partner_id=5000, admin_secret=secret_bytes, **BASE)
    assert "bytes-admin" not in str(info.value) and "bytes" in str(info.value)
    not_a_token: Any = ("1_x", TOKEN)
    with pytest.raises(ConfigurationError, match="AppToken"):
        ReachClient(vendor_partner_id=5000, app_token=not_a_token, **BASE)


@pytest.mark.parametrize("name", HASH_TYPES)
def test_hash_types_are_the_four_kaltura_values_in_any_case(name: str) -> None:
    assert AppToken("1_x", TOKEN, name).hash_type == name
    lower: Any = name.lower()
    assert AppToken("1_x", TOKEN, lower).hash_type == name
    assert token_hash("ks", "t", name) == token_hash("ks", "t", name.lower())


@pytest.mark.parametrize("bad", ["SHA3", "sha-256", "", " ", 256, None])
def test_an_unknown_hash_type_is_a_configuration_error(bad: Any) -> None:
    if bad in ("", None):  # "not given": the SHA1 default
        assert AppToken("1_x", TOKEN, bad).hash_type == "SHA1"
        return
    with pytest.raises(ConfigurationError, match="hash type") as info:
        AppToken("1_x", TOKEN, bad)
    assert "SHA256" in str(info.value) and TOKEN not in str(info.value)


def test_from_env_validates_like_the_constructor() -> None:
    env = {
        "KALTURA_VENDOR_PARTNER_ID": "5000",
        "KALTURA_VENDOR_NAME": "acme",
        "KALTURA_APP_VERSION": "1.0",
        "KALTURA_APP_TOKEN_ID": "1_x",
        "KALTURA_APP_TOKEN": TOKEN,
        "KALTURA_APP_TOKEN_HASH_TYPE": "sha512",
        "KALTURA_SERVICE_URL": "https://reach.test",
    }
    client = ReachClient.from_env(env)
    assert client._engine.config.credentials == AppToken("1_x", TOKEN, "SHA512")
    client.close()
    with pytest.raises(ConfigurationError, match="hash type"):
        ReachClient.from_env({**env, "KALTURA_APP_TOKEN_HASH_TYPE": "whirlpool"})
    with pytest.raises(ConfigurationError, match="vendor_partner_id"):
        ReachClient.from_env({**env, "KALTURA_VENDOR_PARTNER_ID": "0"})
