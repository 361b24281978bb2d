"""Scale out: several worker processes share one PostgreSQL journal, each task claimed once.

Needs the PostgreSQL extra: ``pip install 'kaltura-reach-vendor[postgres]'``.

Run: ``REACH_DATABASE_URL=postgresql://user@host/db python examples/scale_out.py`` or
``python examples/scale_out.py --backend postgresql://...`` (sandbox without ``KALTURA_*``
variables, your account with them). Start it on as many machines as you like: the workers
coordinate through the database (docs/worker.md).

Rules relied on (docs/rules.md): POLL-1 (getJobs), LIFE-2 (one claim per task, whichever worker
wins), LIFE-9 (final tasks are not updated again).
"""

from __future__ import annotations

import argparse
import os
import sys

from _account import account

from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.demo_handlers import handlers as demo_handlers
from kaltura_reach_vendor.enums import VendorServiceFeature as F
from kaltura_reach_vendor.worker import Handler, Worker


def main(client: ReachClient, backend: str) -> None:
    live = {F.LIVE_CAPTION, F.LIVE_TRANSLATION}  # see live_captions.py
    with demo_handlers() as stand_ins:
        by_feature: dict[F | int, Handler] = {
            F(int(f)): h for f, h in stand_ins.items() if F(int(f)) not in live
        }
        worker = Worker(client, by_feature, backend=backend, poll_interval=1)
        stats = worker.run(until_idle=True, install_signals=False)
    print(
        f"worker done: {stats.claimed} claimed, {stats.delivered} delivered, {stats.failed} failed"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--backend",
        default=os.environ.get("REACH_DATABASE_URL"),
        help="postgresql:// URL (default: $REACH_DATABASE_URL)",
    )
    args = parser.parse_args()
    if not args.backend:
        sys.exit("set REACH_DATABASE_URL or pass --backend postgresql://...")
    with account() as reach:
        main(reach, args.backend)
