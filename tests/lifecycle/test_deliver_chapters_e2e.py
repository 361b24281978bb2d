"""``deliver_chapters`` end to end on the sandbox, both clients (CHAP-1, CHAP-2)."""

from __future__ import annotations

import pytest

from kaltura_reach_vendor import Chapter, EntryVendorTaskStatus, UsageError
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Driver

CHAPTERING = 30007  # demo scenario: machine chaptering
CHAPTERS = [
    Chapter(0, "Introduction", "Who we are"),
    Chapter(65_000, "The method", "How it works"),
    Chapter(180_500, "Results"),
]


def _chapters(sandbox: Sandbox, entry_id: str | None) -> list[dict[str, object]]:
    return [c for c in sandbox.cue_points(entry_id) if str(c.get("subType")) == "2"]


@pytest.mark.rule("CHAP-1")
@pytest.mark.rule("CHAP-2")
def test_deliver_chapters_in_two_requests(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(CHAPTERING)
    drive("claim", task)
    result = drive("deliver_chapters", task, CHAPTERS, accuracy=92)
    assert result.requests == 2 and len(result.object_ids) == 3
    stored = {c["id"]: c for c in _chapters(sandbox, task.entry_id)}
    assert set(result.object_ids) <= set(stored)
    made = [stored[i] for i in result.object_ids]
    assert [c["startTime"] for c in made] == [0, 65_000, 180_500]
    assert [c["title"] for c in made] == ["Introduction", "The method", "Results"]
    assert made[0]["description"] == "Who we are"
    assert all(c["cuePointType"] == "thumbCuePoint.Thumb" for c in made)
    record = sandbox.task(int(task.id or 0))
    assert record["status"] == EntryVendorTaskStatus.READY
    assert record["outputObjectId"] == result.object_ids[0]


@pytest.mark.rule("CHAP-1")
def test_titles_are_checked_before_anything_is_created(drive: Driver, sandbox: Sandbox) -> None:
    task = drive.task_for(CHAPTERING)
    drive("claim", task)
    before = len(_chapters(sandbox, task.entry_id))
    with pytest.raises(UsageError, match="chapter 2: the title has 256 characters"):
        drive("deliver_chapters", task, [Chapter(0, "ok"), Chapter(5, "x" * 256)], accuracy=90)
    with pytest.raises(UsageError, match="chapter 1: the title is empty"):
        drive("deliver_chapters", task, [Chapter(0, " ")], accuracy=90)
    assert len(_chapters(sandbox, task.entry_id)) == before


@pytest.mark.rule("CHAP-1")
def test_a_create_of_unknown_outcome_leaves_each_chapter_once(
    drive: Driver, sandbox: Sandbox
) -> None:
    task = drive.task_for(CHAPTERING)
    drive("claim", task)
    before = len(_chapters(sandbox, task.entry_id))
    sandbox.faults.drop_after_processing_next()
    result = drive("deliver_chapters", task, CHAPTERS, accuracy=92)
    assert len(_chapters(sandbox, task.entry_id)) == before + 3
    assert len(set(result.object_ids)) == 3
