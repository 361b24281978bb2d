"""Tasks as tables and plain facts, for people: the command line and Jupyter notebooks.

The facts functions turn a task (and its catalog item and REACH profile) into JSON-friendly
dicts: times as ISO 8601 in UTC, enums by name, never the access key or any other secret.
The ``*_table`` functions build ``rich`` tables from them, with times as dates
(``2026-11-23 14:02 UTC``); in Jupyter a ``rich`` table displays as HTML on its own. ``rich``
is imported inside those functions: ``import kaltura_reach_vendor`` never loads it, nor this
module.

    from kaltura_reach_vendor.display import jobs_table, task_table
    jobs_table(list(client.iter_jobs()))      # the last expression of a notebook cell
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .enums import VendorServiceTurnAroundTime
from .errors import ReachError
from .models import EntryVendorTask
from .tat import deadline

if TYPE_CHECKING:
    from rich.table import Table

__all__ = [
    "JOBS_COLUMNS",
    "catalog_item_facts",
    "facts_table",
    "iso",
    "jobs_rows",
    "jobs_table",
    "pretty_time",
    "profile_facts",
    "task_details",
    "task_facts",
    "task_table",
    "tat_text",
    "when",
]

#: The columns of :func:`jobs_table` (and of ``kaltura-reach-vendor jobs``).
JOBS_COLUMNS = ("task", "customer", "feature", "type", "languages", "created", "due", "TAT")


def when(timestamp: float | int | None) -> str | None:
    """A unix time as ``YYYY-MM-DD HH:MM UTC`` (None stays None; absurd values are shown)."""
    if not timestamp:
        return None
    try:
        moment = dt.datetime.fromtimestamp(float(timestamp), dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return f"{timestamp} (not a date)"
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def iso(moment: dt.datetime | float | int | None) -> str | None:
    """ISO 8601 in UTC for JSON output."""
    if moment is None or moment == 0:
        return None
    if not isinstance(moment, dt.datetime):
        try:
            moment = dt.datetime.fromtimestamp(float(moment), dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def _name(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "name", value)).lower().replace("_", " ")


def tat_text(tat: VendorServiceTurnAroundTime | int | None) -> str | None:
    """A turnaround time in words: ``best effort``, ``2 business days``, ``30 min``."""
    if tat is None:
        return None
    value = int(tat)
    if value == VendorServiceTurnAroundTime.BEST_EFFORT:
        return "best effort"
    if value == VendorServiceTurnAroundTime.IMMEDIATE:
        return "immediate"
    if 1 <= value <= 7:
        return f"{value} business day" + ("s" if value > 1 else "")
    if value % 86400 == 0:
        return f"{value // 86400} day" + ("s" if value > 86400 else "")
    if value % 3600 == 0:
        return f"{value // 3600} h"
    if value % 60 == 0:
        return f"{value // 60} min"
    return f"{value} s"


def _languages(task: EntryVendorTask) -> str | None:
    src, dst = task.source_language, task.target_language
    if src is None and dst is None:
        return None
    return (src.value if src else "?") + (f" → {dst.value}" if dst else "")


def _due(task: EntryVendorTask) -> tuple[str | None, str | None]:
    """(ISO due time, where it comes from), or (None, why not)."""
    try:
        found = deadline(task)
    except ReachError:
        return None, "invalid times"
    if found is None:
        return None, None
    return iso(found.due), "expectedFinishTime" if found.source != "computed" else "computed"


def task_facts(task: EntryVendorTask) -> dict[str, Any]:
    """The task as JSON-friendly facts (no access key, no secret)."""
    stype = task.effective_service_type
    tat = task.effective_turn_around_time
    due, due_source = _due(task)
    src, dst = task.source_language, task.target_language
    return {
        "id": task.id,
        "customer": task.partner_id,
        "entry_id": task.entry_id,
        "status": _name(task.status),
        "feature": _name(task.effective_service_feature),
        "service_type": _name(stype),
        "source_language": src.value if src else None,
        "target_language": dst.value if dst else None,
        "created_at": iso(task.created_at),
        "queued_at": iso(task.queue_time),
        "due_at": due,
        "due_source": due_source,
        "turnaround": tat_text(tat),
        "turnaround_value": int(tat) if tat is not None else None,
        "catalog_item_id": task.catalog_item_id,
        "reach_profile_id": task.reach_profile_id,
        "external_task_id": task.external_task_id,
    }


def catalog_item_facts(task: EntryVendorTask) -> dict[str, Any] | None:
    """The task's catalog item (the service ordered), or None when the answer lacked it."""
    item = task.catalog_item
    if item is None:
        return None
    return {
        "id": item.id,
        "name": item.name,
        "system_name": item.system_name,
        "feature": _name(item.service_feature),
        "service_type": _name(item.service_type),
        "turnaround": tat_text(item.turn_around_time),
        "engine_type": _name(item.engine_type),
        "output_format": _name(task.output_format),
    }


def profile_facts(task: EntryVendorTask) -> dict[str, Any] | None:
    """The task's REACH profile (the customer's settings), or None when the answer lacked it."""
    profile = task.reach_profile
    if profile is None:
        return None
    return {
        "id": profile.id,
        "name": profile.name,
        "default_output_format": _name(profile.default_output_format),
        "max_characters_per_caption_line": profile.max_characters_per_caption_line,
        "content_deletion_policy": _name(profile.content_deletion_policy),
        "machine_output_moderation": _name(profile.enable_machine_moderation),
        "human_output_moderation": _name(profile.enable_human_moderation),
    }


def task_details(task: EntryVendorTask) -> dict[str, Any]:
    """Everything known about one task, JSON-friendly, without the access key."""
    facts = task_facts(task)
    facts.update(
        finished_at=iso(task.finish_time),
        access_key_expires_at=iso(task.access_key_expires_at) if task.access_key else None,
        output_object_id=task.output_object_id,
        error=task.err_description,
        notes=task.worker_notes,
        dictionary_terms=len(task.dictionary_terms),
        catalog_item=catalog_item_facts(task),
        profile=profile_facts(task),
    )
    return facts


def pretty_time(value: object) -> object:
    """``2026-11-23T21:32:09Z`` as ``2026-11-23 21:32 UTC`` (other values unchanged)."""
    if isinstance(value, str) and len(value) >= 16 and value.endswith("Z") and "T" in value:
        return value.replace("T", " ")[:16] + " UTC"
    return value


def jobs_rows(tasks: Iterable[EntryVendorTask]) -> list[list[object]]:
    """One row per task, in :data:`JOBS_COLUMNS` order; times as dates."""
    rows: list[list[object]] = []
    for task in tasks:
        facts = task_facts(task)
        due = facts["due_source"] if facts["due_at"] is None else pretty_time(facts["due_at"])
        rows.append(
            [
                facts["id"],
                facts["customer"],
                facts["feature"],
                facts["service_type"],
                _languages(task),
                when(task.created_at),
                due,
                facts["turnaround"],
            ]
        )
    return rows


def _table(
    title: str | None, columns: Sequence[str] | None, rows: Sequence[Sequence[object]]
) -> Table:
    from rich.table import Table
    from rich.text import Text  # plain text: "[...]" in customer data is not markup

    grid = Table(title=title, header_style="bold", show_header=columns is not None)
    for name in columns or ("", ""):
        grid.add_column(name, overflow="fold")
    for row in rows:
        grid.add_row(*(Text("-" if cell is None else str(cell)) for cell in row))
    return grid


def jobs_table(tasks: Iterable[EntryVendorTask], title: str | None = None) -> Table:
    """A ``rich`` table of tasks: id, customer, feature, type, languages, created, due, TAT."""
    return _table(title, JOBS_COLUMNS, jobs_rows(tasks))


def facts_table(facts: Mapping[str, Any] | None, title: str | None = None) -> Table:
    """A two-column ``rich`` table of facts (``*_at`` times shown as dates; None left out)."""
    rows = [
        (key.replace("_", " "), pretty_time(value) if key.endswith("_at") else value)
        for key, value in (facts or {}).items()
        if value is not None and not isinstance(value, Mapping)
    ]
    return _table(title, None, rows or [("-", "not in the answer")])


def task_table(task: EntryVendorTask) -> Table:
    """One task's details as a two-column ``rich`` table (never its access key)."""
    return facts_table(task_details(task), title=f"task {task.id}")
