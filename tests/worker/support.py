"""Shared pieces of the worker's soak, crash and hand-off tests (and the crash test's child).

Everything here talks to a sandbox over loopback HTTP: the child process of the crash test
has only the URL, so what it needs (client options, handlers) is built from the URL alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kaltura_reach_vendor import AppToken, Chapter, ReachClient, RetryPolicy
from kaltura_reach_vendor.deliveries._common import marker_task
from kaltura_reach_vendor.enums import VendorServiceFeature as F
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.sandbox.scenarios import (
    APP_TOKEN,
    APP_TOKEN_HASH_TYPE,
    APP_TOKEN_ID,
    VENDOR_PARTNER_ID,
)
from kaltura_reach_vendor.worker import EventKind

SRT = "1\n00:00:01,000 --> 00:00:02,500\nHello there.\n"
HUMAN_CAPTIONS = 30001
MACHINE_CAPTIONS = 30002
CHAPTERING = 30007
CUSTOMERS = (1001, 1002, 1003)
MARKER = "kaltura-reach-vendor:task={}:"
ASSET_DELETED = 3
CUE_POINT_DELETED = 2
#: Every kind a worker without live handlers may report.
KNOWN_KINDS = {
    EventKind.SEEN,
    EventKind.CLAIMED,
    EventKind.DELIVERED,
    EventKind.HANDED_OFF,
    EventKind.FAILED,
    EventKind.CANCELLED,
    EventKind.KEY_EXTENDED,
    EventKind.TAT_HALF,
    EventKind.TAT_OVERDUE,
    EventKind.ERROR,
}


def client_options(url: str, *, clock: Any = None, attempts: int = 4) -> dict[str, Any]:
    """A vendor client of the sandbox at ``url``: app token, quick retries."""
    options: dict[str, Any] = {
        "vendor_partner_id": VENDOR_PARTNER_ID,
        "vendor_name": "acme",
        "app_version": "1.0",
        "app_token": AppToken(APP_TOKEN_ID, APP_TOKEN, APP_TOKEN_HASH_TYPE),
        "service_url": url,
        "retry": RetryPolicy(max_attempts=attempts, backoff=0.01, max_backoff=0.05, jitter=0.0),
    }
    if clock is not None:
        options["clock"] = clock
    return options


def client(url: str, **options: Any) -> ReachClient:
    return ReachClient(**client_options(url, **options))


def captions(job: Any) -> Any:
    return job.client.deliver_captions(job.task, SRT, accuracy=95)


def chapters(job: Any) -> Any:
    return job.client.deliver_chapters(job.task, [Chapter(0, "Intro")], accuracy=90)


HANDLERS: dict[F | int, Any] = {F.CAPTIONS: captions, F.CHAPTERING: chapters}


def order(box: Sandbox, count: int, *, per_entry: int = 10) -> list[int]:
    """``count`` tasks over the three customers (each on its own entries, ``per_entry`` tasks
    to an entry), machine captions and chapters alternately; their ids."""
    ids: list[int] = []
    entries: dict[int, list[str]] = {c: [] for c in CUSTOMERS}
    for n in range(count):
        customer = CUSTOMERS[n % len(CUSTOMERS)]
        mine = entries[customer]
        if not mine or (n // len(CUSTOMERS)) % per_entry == 0:
            mine.append(box.customer.add_entry(customer, f"lecture {len(mine)} of {customer}"))
        catalog = CHAPTERING if n % 4 == 3 else MACHINE_CAPTIONS
        ids.append(int(box.customer.add_task(mine[-1], catalog)["id"]))
    return ids


def outputs(box: Sandbox, task_ids: Iterable[int]) -> dict[int, list[str]]:
    """Per task, the live (not deleted) caption assets and cue points carrying its marker."""
    found: dict[int, list[str]] = {t: [] for t in task_ids}

    def owner(partner_data: Any) -> int | None:
        named = marker_task(str(partner_data or ""))
        return int(named) if named and named.isdigit() and int(named) in found else None

    for asset in box.assets(kind="caption"):
        task = owner(asset.get("partnerData"))
        if task is not None and asset.get("status") != ASSET_DELETED:
            found[task].append(str(asset["id"]))
    for cue in box.cue_points():
        task = owner(cue.get("partnerData"))
        if task is not None and cue.get("status") != CUE_POINT_DELETED:
            found[task].append(str(cue["id"]))
    return found
