"""Masking keeps prose readable, hides short secrets and URL passwords, masks before cutting
(AUTH-9)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kaltura_reach_vendor import AppToken, ConfigurationError, ReachClient, ReachError
from kaltura_reach_vendor._secrets import (
    MASK,
    forget_secret,
    mask,
    mask_prefix,
    mask_url,
    register_secret,
)
from kaltura_reach_vendor.sandbox import Sandbox


@pytest.fixture
def registered() -> Iterator[list[str]]:
    values: list[str] = []
    yield values
    for value in values:
        forget_secret(value)


@pytest.mark.rule("AUTH-9")
def test_auth_9_prose_about_keys_is_not_eaten() -> None:
    message = "give app_token= or admin_secret=, not both"
    assert str(ConfigurationError(message)) == message
    with pytest.raises(ConfigurationError) as raised:
        ReachClient(
            vendor_partner_id=1,
            vendor_name="v",
            app_version="1",
            app_token=AppToken("1_id", "0123456789abcdef0123456789abcdef", "SHA256"),
            admin_secret="another-admin-secret-value",
            region="US",
        )
    assert str(raised.value) == message
    for text in (
        "this call needs the vendor session: give app_token=... or admin_secret=...",
        "the token: it expired; the secret = unknown; ks= (none)",
        "pass secret='' or ks=\"\" to clear them",
    ):
        assert mask(text) == text


@pytest.mark.rule("AUTH-9")
def test_auth_9_values_after_secret_named_keys_are_still_masked() -> None:
    assert mask("ks=djJ8 secret=hunter2 token=t0k") == f"ks={MASK} secret={MASK} token={MASK}"
    assert mask('{"adminSecret": "with spaces 1"}') == f'{{"adminSecret": "{MASK}"}}'
    assert mask("{'ks':'x1', 'password': 'p 2'}") == f"{{'ks':'{MASK}', 'password': '{MASK}'}}"


@pytest.mark.rule("AUTH-9")
def test_auth_9_short_registered_secret_masked_as_a_whole_token(registered: list[str]) -> None:
    register_secret("pw1")
    registered.append("pw1")
    error = ReachError("login refused for secret pw1 (user pw1@example)")
    assert str(error) == f"login refused for secret {MASK} (user {MASK}@example)"
    # Words that merely contain it are left alone.
    assert mask("pw12 xpw1 pw1_x the pw1-based scheme") == (
        f"pw12 xpw1 pw1_x the {MASK}-based scheme"
    )


@pytest.mark.rule("AUTH-9")
def test_auth_9_url_password_masked_in_any_text() -> None:
    text = "GET https://vendor:s3cr3t-pw@media.example.com/f.mp4 failed; http://host:8080/x ok"
    assert mask(text) == (
        f"GET https://vendor:{MASK}@media.example.com/f.mp4 failed; http://host:8080/x ok"
    )
    assert mask("ftp://:p@ss@host/x") == f"ftp://:{MASK}@host/x"  # up to the last "@"
    assert mask("https://user@host/x") == "https://user@host/x"  # no password: nothing hidden


@pytest.mark.rule("AUTH-9")
def test_auth_9_repr_of_client_hides_the_url_password() -> None:
    client = ReachClient(
        vendor_partner_id=1,
        vendor_name="v",
        app_version="1",
        service_url="https://vendor:pa55@api.example.com",
    )
    try:
        shown = repr(client)
    finally:
        client.close()
    assert "pa55" not in shown
    assert f"https://vendor:{MASK}@api.example.com" in shown
    assert mask_url("https://u:p%40ss@h:8443/x?y=1") == f"https://u:{MASK}@h:8443/x?y=1"
    assert mask_url("https://h.example.com/x") == "https://h.example.com/x"


@pytest.mark.rule("AUTH-9")
def test_auth_9_sandbox_credentials_repr_masks_every_secret() -> None:
    with Sandbox() as sandbox:
        credentials = sandbox.credentials
    shown = repr(credentials)
    secrets = [
        credentials.vendor_admin_secret,
        credentials.app_token.token,
        *(c.admin_secret for c in credentials.customers),
    ]
    assert len(secrets) >= 3
    for secret in secrets:
        assert secret not in shown
    assert credentials.app_token.id in shown and str(credentials.vendor_partner_id) in shown
    assert shown.count(MASK) == len(secrets)
    for nested in (credentials.app_token, *credentials.customers):
        assert MASK in repr(nested)


@pytest.mark.rule("AUTH-9")
def test_auth_9_mask_before_truncating(registered: list[str]) -> None:
    secret = "0123456789abcdef0123456789abcdef"  # 32 characters, nothing a pattern knows
    register_secret(secret)
    registered.append(secret)
    body = "<html><body>" + "word " * 31 + "at " + secret + "</body></html>"  # at 170
    naive = mask(body[:200])
    assert secret[:30] in naive  # why the order matters: the cut hides what mask looks for
    cut = mask_prefix(body, 200)
    assert secret[:4] not in cut
    assert cut == mask(body)[:200] and f" at {MASK}</body>" in cut
    assert mask_prefix(body.encode(), 200) == cut
    assert mask_prefix("short", 200) == "short"


@pytest.mark.rule("AUTH-9")
def test_auth_9_mask_before_truncating_when_masking_shrinks_the_window(
    registered: list[str],
) -> None:
    # A long secret masked to "***" pulls what follows it into the excerpt: the head of a
    # second copy, cut at the end of the masked window, must not show.
    secret = " ".join(f"w{i}q" for i in range(400))
    register_secret(secret)
    registered.append(secret)
    body = "x " + secret + " " + secret
    assert mask_prefix(body, 200) == f"x {MASK} {MASK}"
    assert mask_prefix(body.encode(), 200) == f"x {MASK} {MASK}"
