"""One worker process of the cluster tests (started, and killed, by them): not a test module.

    python tests/worker/cluster_child.py URL BACKEND NAME [CONCURRENCY]

runs a worker on the PostgreSQL ``BACKEND`` against the sandbox at ``URL`` until the
cluster is idle, then exits 0. ``NAME`` goes into the client tag's application version
(``app:1.0-NAME_…``), so that the sandbox's log tells which process made each request.
Needs ``PYTHONPATH`` with ``src`` and the project root (for ``tests.worker.support``).
"""

from __future__ import annotations

import sys

from tests.worker.support import HANDLERS, client_options

from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.worker import Worker


def main(argv: list[str]) -> int:
    url, backend, name = argv[0], argv[1], argv[2]
    concurrency = int(argv[3]) if len(argv) > 3 else 8
    options = {**client_options(url), "app_version": f"1.0-{name}"}
    with ReachClient(**options) as vendor:
        worker = Worker(
            vendor, HANDLERS, concurrency=concurrency, backend=backend, poll_interval=1.0
        )
        print("started", flush=True)
        stats = worker.run(until_idle=True, install_signals=False)
        print(f"idle {stats.delivered}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
