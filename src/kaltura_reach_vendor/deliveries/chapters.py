"""Chapter deliveries (CHAP-1, CHAP-2), written once.

Chapters are ``KalturaThumbCuePoint`` objects with ``subType`` 2 (CHAPTER), a start time in
milliseconds, a title of at most 255 characters and a description. They are created with
``cuePoint.add``, all in **one multirequest** with the task's access key, then ``updateJob``
completes the task with the first chapter as its output (CHAP-2): two HTTP requests.
(``cuePoint.addFromBulk`` is not used: the server's bulk parser drops titles and
descriptions.)

Each chapter carries the delivery's marker and its position in ``partnerData``. A chapter the
server refused is reported by position; the chapters this attempt did create are deleted and
:class:`~kaltura_reach_vendor.errors.DeliveryError` is raised. If the multirequest's outcome
is unknown, the entry's cue points are listed and the marked ones are used; chapters still
missing are added, so no chapter exists twice.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from typing import Any

import attrs

from .._engine import Engine
from .._tasks import check_accuracy, task_call, task_multirequest, update_status
from .._wire.call import ApiCall
from ..enums import EntryVendorTaskStatus as Status
from ..enums import VendorServiceFeature
from ..errors import (
    ApiError,
    DeliveryError,
    ReachConnectionError,
    ReachError,
    ReachTimeoutError,
    UsageError,
)
from ..lifecycle import check_transition
from ..models import EntryVendorTask
from ._common import DeliveryResult, check_feature, marker, result_of, resuming

__all__ = ["TITLE_MAX", "Chapter", "deliver_chapters"]

#: The longest title a chapter may have (the server cuts longer ones silently).
TITLE_MAX = 255
_SERVICE = "cuepoint_cuePoint"
_CHAPTER = 2  # KalturaThumbCuePointSubType.CHAPTER


@attrs.frozen
class Chapter:
    """One chapter: where it starts (ms on the original timeline), its title, a description."""

    start_ms: int
    title: str
    description: str = ""


def _check(chapters: Sequence[Chapter]) -> None:
    if not chapters:
        raise UsageError("deliver_chapters needs at least one chapter")
    problems = []
    for number, chapter in enumerate(chapters, 1):
        start = chapter.start_ms
        if isinstance(start, bool) or not isinstance(start, int) or start < 0:
            problems.append(f"chapter {number}: start_ms must be a whole number >= 0")
        if not chapter.title.strip():
            problems.append(f"chapter {number}: the title is empty")
        elif len(chapter.title) > TITLE_MAX:
            problems.append(f"chapter {number}: the title has {len(chapter.title)} characters")
    if problems:
        raise UsageError(
            f"chapters refused (titles 1 to {TITLE_MAX} characters, CHAP-1): " + "; ".join(problems)
        )


def _cue_point(task: EntryVendorTask, chapter: Chapter, tag: str) -> dict[str, Any]:
    return {
        "objectType": "KalturaThumbCuePoint",
        "entryId": task.entry_id,
        "startTime": chapter.start_ms,
        "title": chapter.title,
        "description": chapter.description,
        "subType": _CHAPTER,
        "partnerData": tag,
    }


def _marked(engine: Engine, task: EntryVendorTask, tag: str) -> Generator[Any, Any, dict[str, str]]:
    """The cue points of this attempt the server holds: partnerData → id."""
    answer = yield from task_call(
        engine,
        task,
        _SERVICE,
        "list",
        {
            "filter": {"objectType": "KalturaCuePointFilter", "entryIdEqual": task.entry_id},
            "pager": {"objectType": "KalturaFilterPager", "pageSize": 500},
        },
    )
    objects = answer.get("objects") if isinstance(answer, Mapping) else None
    return {
        str(item.get("partnerData")): str(item["id"])
        for item in objects or ()
        if isinstance(item, Mapping) and str(item.get("partnerData", "")).startswith(tag)
    }


def _create(
    engine: Engine, task: EntryVendorTask, chapters: Sequence[Chapter], base: str
) -> Generator[Any, Any, list[Any]]:
    tags = [f"{base}:item={i}" for i in range(len(chapters))]
    calls = [
        ApiCall(_SERVICE, "add", {"cuePoint": _cue_point(task, chapter, tag)})
        for chapter, tag in zip(chapters, tags, strict=True)
    ]
    if not resuming(task):
        try:
            return (yield from task_multirequest(engine, task, calls))
        except (ReachConnectionError, ReachTimeoutError):
            pass  # unknown outcome: create only the chapters the server does not have
    found = yield from _marked(engine, task, base)
    results: list[Any] = []
    for chapter, tag in zip(chapters, tags, strict=True):
        if tag in found:
            results.append({"id": found[tag]})
        else:
            params = {"cuePoint": _cue_point(task, chapter, tag)}
            results.append((yield from task_call(engine, task, _SERVICE, "add", params)))
    return results


def _deliver(
    engine: Engine,
    task: EntryVendorTask,
    chapters: Sequence[Chapter],
    accuracy: int,
    units_used: int | None,
    external_task_id: str | None,
) -> Generator[Any, Any, tuple[EntryVendorTask, tuple[str, ...]]]:
    check_feature(task, "deliver_chapters", VendorServiceFeature.CHAPTERING)
    check_accuracy(accuracy)
    check_transition(task.status, Status.READY, live=task.is_live, task_id=task.id)
    _check(chapters)
    results = yield from _create(engine, task, chapters, marker(task, engine.rng.getrandbits(31)))
    created = [str(r["id"]) for r in results if isinstance(r, Mapping) and r.get("id")]
    refused = [(n, r) for n, r in enumerate(results, 1) if isinstance(r, ApiError)]
    if refused or len(created) != len(chapters):
        left = []
        for cue_id in created:
            try:
                yield from task_call(engine, task, _SERVICE, "delete", {"id": cue_id})
            except ReachError:
                left.append(cue_id)
        said = "; ".join(f"chapter {n}: {error.code}" for n, error in refused)
        raise DeliveryError(
            f"task {task.id}: chapters refused ({said or 'not all created'}); "
            "fail the task (CHAP-1)",
            left=tuple(left),
        )
    fields = {
        "outputObjectId": created[0],
        "accuracy": accuracy,
        "unitsUsed": units_used,
        "externalTaskId": external_task_id,
    }
    yield from update_status(engine, task, Status.READY, fields)
    return task, tuple(created)


def deliver_chapters(
    engine: Engine,
    task: EntryVendorTask,
    chapters: Sequence[Chapter],
    *,
    accuracy: int,
    units_used: int | None = None,
    external_task_id: str | None = None,
) -> Generator[Any, Any, DeliveryResult]:
    """Deliver chapters as CHAPTER thumb cue points and complete the task (CHAP-1, CHAP-2):
    two HTTP requests after the claim; ``object_ids`` are the cue points, in order."""
    flow = _deliver(engine, task, chapters, accuracy, units_used, external_task_id)
    return (yield from result_of(flow))
