"""The worker: poll, claim, run a handler per feature and deliver, until nothing is left.

Run: ``python examples/worker.py`` (sandbox without ``KALTURA_*`` variables, your account with
them). ``--journal PATH`` keeps the worker's SQLite journal (default: a temporary directory).

Two handlers are written here (machine captions and chapters); the other VOD features use the
stand-in handlers of ``kaltura_reach_vendor.demo_handlers``. Live tasks are left to
``live_captions.py``.

Rules relied on (docs/rules.md): POLL-1 (getJobs), LIFE-2 (claimed before the handler runs),
CAP-1 and CHAP-1 (the deliveries), LIFE-5 (READY only once the output is uploaded).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _account import account

from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.captions import apply_profile
from kaltura_reach_vendor.deliveries import DeliveryResult
from kaltura_reach_vendor.deliveries.chapters import Chapter
from kaltura_reach_vendor.demo_handlers import handlers as demo_handlers
from kaltura_reach_vendor.demo_handlers import stand_in_transcript
from kaltura_reach_vendor.enums import VendorServiceFeature as F
from kaltura_reach_vendor.worker import Handler, Job, Worker


def captions(job: Job[ReachClient]) -> DeliveryResult:
    doc = apply_profile(stand_in_transcript(), job.task)  # your speech recognition here
    return job.client.deliver_captions(job.task, doc, accuracy=95)


def chapters(job: Job[ReachClient]) -> DeliveryResult:
    found = [Chapter(0, "Welcome", "The talk opens"), Chapter(6_600, "Thanks", "It closes")]
    return job.client.deliver_chapters(job.task, found, accuracy=90)


def main(client: ReachClient, journal: Path) -> None:
    live = {F.LIVE_CAPTION, F.LIVE_TRANSLATION}
    with demo_handlers() as stand_ins:
        by_feature: dict[F | int, Handler] = {
            F(int(f)): h for f, h in stand_ins.items() if F(int(f)) not in live
        }
        by_feature[F.CAPTIONS] = captions
        by_feature[F.CHAPTERING] = chapters
        worker = Worker(client, by_feature, journal=journal, concurrency=4, poll_interval=1)
        stats = worker.run(until_idle=True, install_signals=False)
    print(
        f"worker done: {stats.claimed} claimed, {stats.delivered} delivered, {stats.failed} failed"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journal", type=Path, help="the worker's SQLite journal file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, account() as reach:
        main(reach, args.journal or Path(tmp) / "journal.sqlite3")
