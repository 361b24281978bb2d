"""The demo: a whole vendor day against the embedded sandbox, no Kaltura account needed.

``kaltura-reach-vendor demo`` starts the local REACH sandbox on loopback, then uses the SDK
exactly as a vendor would: poll every pending task, order them fairly across customers,
claim a machine-captions job, upload the captions with the task's access key, complete it,
fail another with a reason, see a customer cancel a job mid-flight, and find in-flight work
again as after a restart. Every request carries the client tag and the right KS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from . import tat
from .captions import apply_profile, parse_captions
from .client import ReachClient
from .enums import EntryVendorTaskStatus, VendorServiceFeature
from .errors import ReachError, StateError, TaskCancelled
from .fairness import fair_order
from .models import EntryVendorTask
from .session import AppToken, as_hash_type

__all__ = ["run_demo"]

Print = Callable[[str], None]

DEMO_SRT = """1
00:00:00,500 --> 00:00:03,000
Welcome to the Kaltura REACH demo.

2
00:00:03,200 --> 00:00:06,000
These captions were delivered by kaltura-reach-vendor.
"""


def _status(task: EntryVendorTask) -> str:
    return task.status.name if task.status is not None else "?"


def _describe(task: EntryVendorTask) -> str:
    feature = task.effective_service_feature
    kind = "human" if task.is_human else "machine"
    src, dst = task.source_language, task.target_language
    langs = (src.value if src else "?") + (f" → {dst.value}" if dst else "")
    name = feature.name.lower().replace("_", " ") if feature else "?"
    return f"task {task.id:<10} customer {task.partner_id}  {name:<27} {kind:<7}  {langs}"


def _pick(
    tasks: list[EntryVendorTask], feature: VendorServiceFeature, human: bool
) -> EntryVendorTask:
    for task in tasks:
        if task.effective_service_feature == feature and task.is_human == human:
            return task
    raise LookupError(f"the demo scenario has no {feature.name} task")


def run_demo(out: Print = print, *, seed: int = 0) -> int:
    """Run the demo, printing what happens; returns the process exit code."""
    from .sandbox import Sandbox

    with Sandbox("demo", seed=seed) as sandbox:
        url = sandbox.serve()
        creds = sandbox.credentials
        out(f"Local REACH sandbox at {url} (vendor partner {creds.vendor_partner_id})")
        with ReachClient(
            vendor_partner_id=creds.vendor_partner_id,
            vendor_name="demo-vendor",
            app_version="1.0",
            app_token=AppToken(
                creds.app_token.id,
                creds.app_token.token,
                as_hash_type(creds.app_token.hash_type),  # a str from the credentials file
            ),
            service_url=url,
        ) as client:
            tasks = fair_order(client.iter_jobs())
            out(
                f"\n1. getJobs: {len(tasks)} pending tasks, in fair order across customers (POLL-7)"
            )
            for task in tasks:
                out("   " + _describe(task))

            job = _pick(tasks, VendorServiceFeature.CAPTIONS, human=False)
            out(f"\n2. Machine captions: claim task {job.id} (PENDING → PROCESSING)")
            client.claim(job, external_task_id="demo-job-1")
            # The profile's line length, speaker labels and >> (INPUT-5, INPUT-6), then deliver.
            captions = apply_profile(parse_captions(DEMO_SRT), job)
            try:
                delivered = client.deliver_captions(job, captions, accuracy=95)
            except ReachError as error:  # a failed delivery never sets READY: fail it
                client.fail(job, str(error))
                return 1
            asset_id = delivered.output_object_id
            out(
                f"   caption asset {asset_id} delivered with the task's access key in "
                f"{delivered.requests} HTTP requests (validated, READY, then the task)"
            )
            out(f"   task {job.id} is {_status(job)} (outputObjectId {asset_id})")

            human = _pick(tasks, VendorServiceFeature.CAPTIONS, human=True)
            details = tat.human_job_details(human)
            due = details.expected_finish_time
            client.claim(human, external_task_id="demo-job-2")
            out(f"\n3. Human captions, task {human.id}: claimed and handed to a worker (TAT-3)")
            out(f"   due {due:%Y-%m-%d %H:%M} UTC" if due else "   due: not stated")
            out(f"   notes: {details.notes!r}; dictionary: {list(details.dictionary_terms)}")

            broken = _pick(tasks, VendorServiceFeature.CHAPTERING, human=False)
            client.claim(broken)
            client.fail(broken, "media has no audio track")
            out(f"\n4. Chaptering task {broken.id} failed with a reason: {_status(broken)}")

            live = _pick(tasks, VendorServiceFeature.LIVE_CAPTION, human=False)
            try:
                client.claim(live)
            except StateError as error:
                out(f"\n5. Live task {live.id} is not claimed like VOD: {error}")

            victim = _pick(tasks, VendorServiceFeature.DUBBING, human=True)
            client.claim(victim)
            sandbox.customer.abort_task(victim.id or 0, "customer changed their mind")
            try:
                client.get_task(victim)
            except TaskCancelled:
                out(f"\n6. Task {victim.id} was cancelled by its customer: work stops (LIFE-8)")

            in_flight = client.list_in_flight()
            out(f"\n7. In-flight after a restart, found with list (POLL-8): {len(in_flight)}")
            for task in in_flight:
                out(f"   task {task.id} [{_status(task)}] your job id: {task.external_task_id}")

            monitor = tat.TatMonitor()
            later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)
            alerts = monitor.check(in_flight, later)
            out(f"\n8. TAT monitor, 30 days from now: {len(alerts)} alert(s) (TAT-2)")

            log = sandbox.request_log
            tag = client.client_tag()
            tagged = sum(1 for r in log if r.client_tag and r.client_tag.startswith(tag))
            keyed = sum(1 for r in log if r.ks_kind == "access_key")
            out(f"\n{len(log)} API calls, {tagged} with client tag {tag}[-taskId] (AUTH-3),")
            out(f"{keyed} of them with a task's own access key (AUTH-7).")
            done = sum(
                1 for t in sandbox.tasks() if t["status"] == int(EntryVendorTaskStatus.READY)
            )
            out(f"Done: {done} task(s) READY.")
    return 0
