"""Import cost pinned: what ``import kaltura_reach_vendor`` and a sync ``ReachClient`` load.

The package imports lazily (PEP 562 ``__getattr__`` in ``__init__.py``; the client's workflow
modules through ``_operation.LazyModule``; asyncio and ``_transfer`` inside ``_effects``), so
that a sync poller pays only for what it uses (docs/performance.md). Each check runs in a fresh
interpreter and compares with a bare one (modules a site hook preloads do not count). A new
import on this path fails here: either make it lazy or, if it is really needed, add it to the
pinned sets below on purpose.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")

#: SDK modules ``import kaltura_reach_vendor`` loads: the errors (eager, so that ``except``
#: clauses never trigger an import) and the logging set-up it runs at import (AUTH-9).
IMPORT_MODULES = {
    "kaltura_reach_vendor",
    "kaltura_reach_vendor._log",
    "kaltura_reach_vendor._secrets",
    "kaltura_reach_vendor.errors",
}

#: What constructing a sync ``ReachClient`` adds: the engine and the wire format, no models,
#: captions, media, deliveries, moderation, worker or sandbox.
CLIENT_MODULES = IMPORT_MODULES | {
    "kaltura_reach_vendor._effects",
    "kaltura_reach_vendor._engine",
    "kaltura_reach_vendor._operation",
    "kaltura_reach_vendor._wire",
    "kaltura_reach_vendor._wire.call",
    "kaltura_reach_vendor._wire.params",
    "kaltura_reach_vendor._wire.request",
    "kaltura_reach_vendor._wire.response",
    "kaltura_reach_vendor.client",
    "kaltura_reach_vendor.client_tag",
    "kaltura_reach_vendor.regions",
    "kaltura_reach_vendor.retry",
    "kaltura_reach_vendor.session",
}

#: Third-party top-level packages a sync client may load (httpcore and certifi come with the
#: first request, when the httpx client is made).
CLIENT_THIRD_PARTY = {"attr", "attrs", "httpx", "idna"}

#: Never loaded by importing the package and constructing a sync client.
HEAVY = {
    "asyncio",
    "cattrs",
    "concurrent",
    "m3u8",
    "mutagen",
    "pysrt",
    "rich",
    "sqlite3",
    "subprocess",
    "ttconv",
    "webvtt",
    "websockets",
    "xml",
}

CONSTRUCT = (
    "c = kaltura_reach_vendor.ReachClient(vendor_partner_id=1, vendor_name='bench', "
    "app_version='1', app_token=kaltura_reach_vendor.AppToken('id', 'token'), region='US')"
)


def _loaded(code: str) -> set[str]:
    """Modules a fresh interpreter has after ``code``, minus those of a bare interpreter."""
    report = "import json, sys; print(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": SRC}
    env.pop("KALTURA_REACH_LOG", None)

    def run(body: str) -> set[str]:
        out = subprocess.run(
            [sys.executable, "-c", f"{body}\n{report}"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=120,
        )
        return set(json.loads(out.stdout))

    return run(code) - run("pass")


def _top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def _third_party(modules: set[str]) -> set[str]:
    return {
        name
        for name in _top_level(modules)
        if name not in sys.stdlib_module_names and name != "kaltura_reach_vendor"
    }


@pytest.fixture(scope="module")
def imported() -> set[str]:
    return _loaded("import kaltura_reach_vendor")


#: httpx imports its own command line (click, pygments, rich) whenever those happen to be
#: installed: its price in that environment, not ours.
HTTPX_OPTIONAL = {"click", "pygments", "rich"}


@pytest.fixture(scope="module")
def constructed() -> set[str]:
    by_httpx = {m for m in _loaded("import httpx") if m.split(".")[0] in HTTPX_OPTIONAL}
    return _loaded(f"import kaltura_reach_vendor\n{CONSTRUCT}") - by_httpx


def test_import_loads_only_the_errors_and_logging(imported: set[str]) -> None:
    sdk = {m for m in imported if m.startswith("kaltura_reach_vendor")}
    assert sdk == IMPORT_MODULES
    assert _third_party(imported) == set()
    assert not _top_level(imported) & (HEAVY | {"httpx", "attrs"})


def test_sync_client_construction_loads_the_pinned_set(constructed: set[str]) -> None:
    sdk = {m for m in constructed if m.startswith("kaltura_reach_vendor")}
    assert sdk == CLIENT_MODULES, (
        f"new: {sorted(sdk - CLIENT_MODULES)}; gone: {sorted(CLIENT_MODULES - sdk)}"
    )
    assert _third_party(constructed) <= CLIENT_THIRD_PARTY
    assert not _top_level(constructed) & HEAVY


def test_the_first_use_of_a_lazy_name_imports_its_module_once() -> None:
    code = (
        "import sys, kaltura_reach_vendor as k\n"
        "assert 'kaltura_reach_vendor.captions' not in sys.modules\n"
        "from kaltura_reach_vendor.captions import CaptionDocument\n"
        "assert k.CaptionDocument is CaptionDocument\n"
        "assert 'CaptionDocument' in vars(k)\n"  # cached: __getattr__ is not called again
        "assert set(k.__all__) <= set(dir(k))\n"
        "try:\n"
        "    k.NoSuchName\n"
        "except AttributeError as e:\n"
        "    assert 'NoSuchName' in str(e)\n"
        "else:\n"
        "    raise SystemExit('no AttributeError')\n"
    )
    subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": SRC}, check=True)


def test_operations_import_their_workflow_module_on_first_use() -> None:
    code = (
        "import sys, kaltura_reach_vendor as k\n"
        f"{CONSTRUCT.replace('kaltura_reach_vendor.', 'k.')}\n"
        "assert 'kaltura_reach_vendor.deliveries' not in sys.modules\n"
        "doc = k.ReachClient.deliver_captions.__doc__\n"  # help() reads it: imports deliveries
        "assert 'kaltura_reach_vendor.deliveries' in sys.modules\n"
        "from kaltura_reach_vendor.deliveries import deliver_captions\n"
        "assert doc == deliver_captions.__doc__\n"
        "assert k.ReachClient.deliver_captions.__wrapped__ is deliver_captions\n"
    )
    subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": SRC}, check=True)


def test_the_httpx_client_is_made_on_first_use_and_a_closed_client_refuses_calls() -> None:
    import kaltura_reach_vendor as krv

    def make() -> krv.ReachClient:
        token = krv.AppToken("import-cost-token-id", "import-cost-token-7f3a9c1e")
        return krv.ReachClient(
            vendor_partner_id=1, vendor_name="bench", app_version="1", app_token=token, region="US"
        )

    client = make()
    assert client._http_client is None  # constructing made no httpx client
    http = client._http
    assert client._http is http  # made once
    client.close()
    assert http.is_closed
    unused = make()
    unused.close()
    with pytest.raises(krv.StateError, match="closed"):
        unused.get_task(5)
