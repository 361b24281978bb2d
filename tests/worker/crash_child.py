"""The worker process the crash and hand-off tests start (and kill): not a test module.

    python tests/worker/crash_child.py run URL JOURNAL [CONCURRENCY]
        run the worker (captions and chapters handlers) until idle, then exit 0;
    python tests/worker/crash_child.py deliver URL JOURNAL TASK_ID
        deliver a handed-off captions task with ``Worker.deliver`` and print the output id.

Needs ``PYTHONPATH`` with ``src`` and the project root (for ``tests.worker.support``).
"""

from __future__ import annotations

import sys

from tests.worker.support import HANDLERS, SRT, client

from kaltura_reach_vendor.worker import Worker


def main(argv: list[str]) -> int:
    command, url, journal = argv[0], argv[1], argv[2]
    with client(url) as vendor:
        if command == "run":
            concurrency = int(argv[3]) if len(argv) > 3 else 8
            worker = Worker(
                vendor, HANDLERS, concurrency=concurrency, journal=journal, poll_interval=0.05
            )
            print("started", flush=True)
            stats = worker.run(until_idle=True, install_signals=False)
            print(f"idle {stats.delivered}", flush=True)
            return 0
        if command == "deliver":
            worker = Worker(vendor, HANDLERS, journal=journal)
            result = worker.deliver(int(argv[3]), "deliver_captions", SRT, accuracy=99)
            print(result.output_object_id, flush=True)
            return 0
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
