"""Which account a command talks to: flags, ``KALTURA_*`` variables, or ``--sandbox``.

Flags win over the environment, group by group: giving any credential flag ignores the
credential variables, giving ``--region`` or ``--service-url`` ignores both location
variables. Secrets can come from a file (``--app-token-file``, ``--admin-secret-file``;
``-`` reads stdin) or the environment, so they need not appear in the shell history. They
are never printed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from .._secrets import register_secret
from ..client import ENV, ReachClient
from ..session import AppToken, as_hash_type
from ._output import CliError

if TYPE_CHECKING:
    from ..sandbox import Sandbox

__all__ = ["Account", "SessionProbe", "add_account_arguments", "open_account"]

#: The app_version of the client tag when neither --app-version nor the variable is given.
DEFAULT_APP_VERSION = "cli"
#: The vendor name used with --sandbox when none is given.
SANDBOX_VENDOR_NAME = "sandbox-vendor"


def add_account_arguments(parser: argparse.ArgumentParser) -> None:
    """The account flags shared by ``jobs``, ``task``, ``check`` and ``work``."""
    group = parser.add_argument_group(
        "account",
        "Flags win over the KALTURA_* environment variables (docs/cli.md). Prefer the "
        "variables or the *-file flags for secrets: they stay out of the shell history.",
    )
    group.add_argument(
        "--sandbox",
        action="store_true",
        help="use a fresh embedded sandbox (demo scenario) instead of a Kaltura account",
    )
    group.add_argument("--service-url", metavar="URL", help="[KALTURA_SERVICE_URL] https://...")
    group.add_argument("--region", help="[KALTURA_REGION] US, EU, CA, DE, AP or SG")
    group.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="accept a plain http:// service URL that is not loopback (trusted test hosts only)",
    )
    group.add_argument("--partner-id", metavar="ID", help="[KALTURA_VENDOR_PARTNER_ID]")
    group.add_argument("--vendor-name", help="[KALTURA_VENDOR_NAME] your vendor name")
    group.add_argument(
        "--app-version", help=f"[KALTURA_APP_VERSION] default {DEFAULT_APP_VERSION!r}"
    )
    group.add_argument("--app-token-id", metavar="ID", help="[KALTURA_APP_TOKEN_ID]")
    group.add_argument(
        "--app-token", metavar="TOKEN", help="[KALTURA_APP_TOKEN] (visible in ps and history)"
    )
    group.add_argument("--app-token-file", metavar="FILE", help="read the app token ('-': stdin)")
    group.add_argument(
        "--app-token-hash-type", metavar="HASH", help="[KALTURA_APP_TOKEN_HASH_TYPE] default SHA1"
    )
    group.add_argument(
        "--admin-secret", metavar="SECRET", help="[KALTURA_ADMIN_SECRET] (visible in ps)"
    )
    group.add_argument(
        "--admin-secret-file", metavar="FILE", help="read the admin secret ('-': stdin)"
    )


@attrs.define
class SessionProbe:
    """Keeps the public facts of the ``appToken.startSession`` answer (never its KS).

    The SDK keeps only the KS, and a v2 KS hides its privileges; the answer that carried
    it lists them, so ``check`` reads them here (an httpx response hook)."""

    info: dict[str, Any] | None = None

    def on_response(self, response: httpx.Response) -> None:
        path = response.request.url.path.lower()
        if not path.endswith("/service/apptoken/action/startsession"):
            return
        try:
            response.read()
            body = response.json()
        except (ValueError, httpx.HTTPError):
            return
        if isinstance(body, dict) and isinstance(body.get("ks"), str):
            self.info = {k: v for k, v in body.items() if k != "ks"}


@attrs.define
class Account:
    """An open client, the sandbox behind it (with ``--sandbox``) and the session probe."""

    client: ReachClient
    http: httpx.Client
    probe: SessionProbe
    sandbox: Sandbox | None = None
    credential: str = "app token"

    def close(self) -> None:
        self.client.close()
        self.http.close()  # the CLI made this httpx client, so it closes it (not the SDK)
        if self.sandbox is not None:
            self.sandbox.close()


def _read_secret(path: str, flag: str) -> str:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        why = getattr(error, "strerror", None) or type(error).__name__
        raise CliError(f"cannot read {flag} {path}: {why}", 2) from None
    value = text.strip()
    if not value:
        raise CliError(f"{flag} {path} is empty", 2)
    register_secret(value, long_lived=True)
    return value


def _secret(value: str | None, path: str | None, flag: str) -> str | None:
    if value is not None and path is not None:
        raise CliError(f"give {flag} or {flag}-file, not both", 2)
    if path is not None:
        return _read_secret(path, f"{flag}-file")
    if value is not None:
        register_secret(value, long_lived=True)
    return value


def client_settings(args: argparse.Namespace, environ: Mapping[str, str]) -> dict[str, Any]:
    """``ReachClient`` keyword arguments from the flags and the environment."""

    def env(key: str) -> str | None:
        return environ.get(ENV[key], "").strip() or None

    partner = args.partner_id or env("partner_id")
    if partner is None:
        raise CliError(f"no vendor partner id: pass --partner-id or set {ENV['partner_id']}", 2)
    vendor_name = args.vendor_name or env("vendor_name")
    if vendor_name is None:
        raise CliError(f"no vendor name: pass --vendor-name or set {ENV['vendor_name']}", 2)
    settings: dict[str, Any] = {
        "vendor_partner_id": partner,
        "vendor_name": vendor_name,
        "app_version": args.app_version or env("app_version") or DEFAULT_APP_VERSION,
        "allow_insecure_http": args.allow_insecure_http,
    }
    if args.service_url or args.region:
        settings.update(service_url=args.service_url, region=args.region)
    else:
        settings.update(service_url=env("service_url"), region=env("region"))
    if settings["service_url"] is None and settings["region"] is None:
        raise CliError(
            "no service: pass --region (US, EU, CA, DE, AP, SG) or --service-url, or set "
            f"{ENV['region']} or {ENV['service_url']}",
            2,
        )
    token = _secret(args.app_token, args.app_token_file, "--app-token")
    admin = _secret(args.admin_secret, args.admin_secret_file, "--admin-secret")
    token_id, hash_type = args.app_token_id, args.app_token_hash_type
    if token is None and admin is None and token_id is None:
        token, admin = env("app_token"), env("admin_secret")
        token_id, hash_type = env("app_token_id"), hash_type or env("app_token_hash_type")
        for value in (token, admin):
            register_secret(value, long_lived=True)
    if token is not None and admin is not None:
        raise CliError("give an app token or an admin secret, not both", 2)
    if token is not None:
        if token_id is None:
            raise CliError(f"the app token needs --app-token-id (or {ENV['app_token_id']})", 2)
        settings["app_token"] = AppToken(token_id, token, as_hash_type(hash_type))
    elif admin is not None:
        settings["admin_secret"] = admin
    else:
        raise CliError(
            "no credentials: give --app-token-id with --app-token-file (or --app-token), or "
            f"--admin-secret-file, or set {ENV['app_token_id']} and {ENV['app_token']} "
            f"(or {ENV['admin_secret']})",
            2,
        )
    return settings


def _sandbox_account(args: argparse.Namespace, probe: SessionProbe) -> Account:
    from ..sandbox import Sandbox

    sandbox = Sandbox("demo", seed=getattr(args, "sandbox_seed", 0))
    creds = sandbox.credentials
    http = httpx.Client(
        transport=sandbox.transport(), event_hooks={"response": [probe.on_response]}
    )
    try:
        client = ReachClient(
            vendor_partner_id=creds.vendor_partner_id,
            vendor_name=args.vendor_name or SANDBOX_VENDOR_NAME,
            app_version=args.app_version or DEFAULT_APP_VERSION,
            app_token=AppToken(
                creds.app_token.id, creds.app_token.token, as_hash_type(creds.app_token.hash_type)
            ),
            service_url=sandbox.service_url,
            http_client=http,
        )
    except BaseException:
        http.close()
        sandbox.close()
        raise
    return Account(client, http, probe, sandbox)


@contextlib.contextmanager
def open_account(
    args: argparse.Namespace, environ: Mapping[str, str] | None = None
) -> Iterator[Account]:
    """The account the flags name (``--sandbox``: a fresh embedded sandbox), closed after."""
    probe = SessionProbe()
    if args.sandbox:
        account = _sandbox_account(args, probe)
    else:
        settings = client_settings(args, os.environ if environ is None else environ)
        http = httpx.Client(event_hooks={"response": [probe.on_response]})
        try:
            client = ReachClient(**settings, http_client=http)
        except BaseException:
            http.close()
            raise
        kind = "app token" if "app_token" in settings else "admin secret"
        account = Account(client, http, probe, None, kind)
    try:
        yield account
    finally:
        account.close()
