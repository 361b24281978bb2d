"""``KALTURA_*`` variables naming a served sandbox as if it were a real account: what the
README, the examples and the notebook read through ``ReachClient.from_env()``."""

from __future__ import annotations

from kaltura_reach_vendor.sandbox import Sandbox


def account_env(box: Sandbox, url: str, vendor_name: str) -> dict[str, str]:
    """The variables for the sandbox ``box`` served at ``url``."""
    creds = box.credentials
    return {
        "KALTURA_VENDOR_PARTNER_ID": str(creds.vendor_partner_id),
        "KALTURA_VENDOR_NAME": vendor_name,
        "KALTURA_APP_VERSION": "1",
        "KALTURA_APP_TOKEN_ID": creds.app_token.id,
        "KALTURA_APP_TOKEN": creds.app_token.token,
        "KALTURA_APP_TOKEN_HASH_TYPE": creds.app_token.hash_type,
        "KALTURA_SERVICE_URL": url,
    }
