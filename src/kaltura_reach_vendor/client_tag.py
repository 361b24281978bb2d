"""Client tags (AUTH-3).

Every request names its sender: ``app:<version>_<vendorName>-<vendorPartnerId>``, and calls
about one task add ``-<taskId>``. The seeds' example (``app:18-11-11_vendorName_12345``) uses
``_`` before the partner id where the written rule uses ``-``; we follow the written rule.
"""

from __future__ import annotations

import re

__all__ = ["build_client_tag"]

_UNSAFE = re.compile(r"[^A-Za-z0-9.\-]+")


def _clean(part: str) -> str:
    # Separators inside a name would make the tag ambiguous to read back.
    return _UNSAFE.sub("-", part.strip()).strip("-") or "unknown"


def build_client_tag(
    app_version: str,
    vendor_name: str,
    vendor_partner_id: int,
    task_id: int | str | None = None,
) -> str:
    """``app:2.3.1_acme-12345`` or, for a task call, ``app:2.3.1_acme-12345-987``."""
    tag = f"app:{_clean(app_version)}_{_clean(vendor_name)}-{int(vendor_partner_id)}"
    if task_id is not None and str(task_id) != "":
        tag += f"-{task_id}"
    return tag
