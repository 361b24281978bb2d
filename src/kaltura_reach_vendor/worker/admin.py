"""procrastinate's own admin tools on the cluster's jobs.

``app`` is a procrastinate ``App`` on the database named by the environment variable
``KALTURA_REACH_BACKEND`` (a ``postgresql://`` URL), built on first use::

    export KALTURA_REACH_BACKEND=postgresql://reach@db.example/reach
    procrastinate --app=kaltura_reach_vendor.worker.admin.app jobs list --queue kaltura-reach
    procrastinate --app=kaltura_reach_vendor.worker.admin.app healthchecks

The app declares no tasks: it reads and edits the job rows (list, retry, cancel, healthchecks);
the jobs are run by ``kaltura-reach-vendor work --backend …`` on the hosts.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError

if TYPE_CHECKING:
    import procrastinate

    app: procrastinate.App  # built on first use by __getattr__

__all__ = ["ENVIRONMENT", "app"]

#: The environment variable naming the cluster's database.
ENVIRONMENT = "KALTURA_REACH_BACKEND"
_built: dict[str, Any] = {}


def build() -> procrastinate.App:
    """A procrastinate app on ``$KALTURA_REACH_BACKEND`` (a clear error when unset)."""
    from .cluster import _require

    backend = os.environ.get(ENVIRONMENT, "")
    if not backend.startswith(("postgresql://", "postgres://")):
        raise ConfigurationError(f"set {ENVIRONMENT} to the cluster's postgresql:// URL")
    _require()
    import procrastinate

    return procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=backend))


def __getattr__(name: str) -> Any:
    if name == "app":
        if "app" not in _built:
            _built["app"] = build()
        return _built["app"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
