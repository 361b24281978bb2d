"""One worker process of the cluster tests (started, and killed, by them): not a test module.

    python tests/worker/cluster_child.py URL BACKEND NAME [CONCURRENCY [--wait] [--engine-ms N]]

runs a worker on the PostgreSQL ``BACKEND`` against the sandbox at ``URL`` until the
cluster is idle, then exits 0. With ``--wait`` (the scale-out benchmark) it gets ready
(imports, connections), prints ``ready`` and starts only when a line arrives on stdin, so
that a measurement does not count starting Python; ``--engine-ms N`` makes each handler
spend N ms (a sleep) producing its deliverable, a stand-in for the vendor's engine.
``NAME`` goes into the client tag's application version (``app:1.0-NAME_…``), so that the
sandbox's log tells which process made each request.
Needs ``PYTHONPATH`` with ``src`` and the project root (for ``tests.worker.support``).
"""

from __future__ import annotations

import sys
import time
from typing import Any

from tests.worker.support import HANDLERS, client_options

from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.worker import Worker


def _engine(handler: Any, seconds: float) -> Any:
    """``handler`` after ``seconds`` of (simulated) work."""
    if not seconds:
        return handler

    def working(job: Any) -> Any:
        time.sleep(seconds)
        return handler(job)

    return working


def main(argv: list[str]) -> int:
    url, backend, name = argv[0], argv[1], argv[2]
    concurrency = int(argv[3]) if len(argv) > 3 else 8
    wait = "--wait" in argv[4:]
    engine = float(argv[argv.index("--engine-ms") + 1]) / 1000 if "--engine-ms" in argv else 0.0
    handlers = {feature: _engine(handler, engine) for feature, handler in HANDLERS.items()}
    options = {**client_options(url), "app_version": f"1.0-{name}"}
    with ReachClient(**options) as vendor:
        worker = Worker(
            vendor, handlers, concurrency=concurrency, backend=backend, poll_interval=1.0
        )
        if wait:
            import procrastinate  # noqa: F401  (what run() imports: ready before the start)

            print(f"ready {time.process_time()}", flush=True)
            sys.stdin.readline()
        print("started", flush=True)
        stats = worker.run(until_idle=True, install_signals=False)
        print(f"idle {stats.delivered} {time.process_time()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
