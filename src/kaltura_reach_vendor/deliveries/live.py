"""Registering a live caption or live translation task (LIVE-1, LIVE-2, LIFE-3).

``register_live_feature`` tells Kaltura where to relay the live stream (``mediaUrl`` and
``mediaKey``: the vendor's RTMP(S) ingest) and where to pull captions from (``captionUrl`` and
``captionToken``: the vendor's websocket, :mod:`kaltura_reach_vendor.live`), then moves the
task PENDING → SCHEDULED. **Two HTTP requests**:

1. ``schedule_scheduleevent.updateLiveFeature(scheduledEventId,
   "LiveCaptionFeature-reach-<taskId>", KalturaLiveCaptionFeature{…})`` with the task's access
   key. A task read by ``getJobs`` lacks its ``scheduledEventId`` (the reach_vendor profile
   filters the task data, LIVE-1), so then this request is a multirequest that first lists
   the task with the vendor KS (its full ``KalturaScheduledVendorTaskData``) and feeds the
   event id to ``updateLiveFeature`` (``{1:result:objects:0:taskJobData:scheduledEventId}``);
   the task object is filled in with startDate, endDate and scheduledEventId.
2. ``updateJob`` → SCHEDULED (vendor KS), skipped when the task is SCHEDULED already (a
   second registration only changes the URLs).

The event's answer is checked: the named feature must carry the caption URL just set. The
update is a set-fields update, so sending it again is harmless: it is retried like a read
after a timeout. If ``updateJob``'s outcome is unknown, the task is read again: SCHEDULED
means done; still PENDING means it never ran and it is sent once more.

``media_key``, ``caption_token`` and both URLs are registered as secrets (masked in logs,
reprs and errors).
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any
from urllib.parse import urlsplit

import attrs

from .._engine import Engine
from .._secrets import register_secret
from .._tasks import SERVICE, parse_as, parse_list, reread, task_call, task_multirequest
from .._tasks import update_status as _update_status
from .._wire.call import ApiCall, ResultRef
from ..enums import EntryVendorTaskStatus as Status
from ..enums import VendorServiceFeature
from ..errors import (
    ApiError,
    ReachConnectionError,
    ReachTimeoutError,
    ResponseValidationError,
    StateError,
    TaskCancelled,
    UsageError,
)
from ..lifecycle import check_transition
from ..live.endpoint import check_caption_token
from ..live.stream import LiveSchedule
from ..models import EntryVendorTask, LiveCaptionFeature, LiveStreamScheduleEvent
from ..models.task_data import ScheduledVendorTaskData
from ._common import check_feature, counted

__all__ = ["SCHEDULE_SERVICE", "LiveRegistration", "feature_name", "register_live_feature"]

#: The schedule event service's id on the wire.
SCHEDULE_SERVICE = "schedule_scheduleevent"
_MEDIA_SCHEMES = frozenset({"rtmp", "rtmps", "srt"})
_CAPTION_SCHEMES = frozenset({"ws", "wss"})


@attrs.frozen
class LiveRegistration:
    """What ``register_live_feature`` did: the task (SCHEDULED), its slot, the feature."""

    task: EntryVendorTask
    #: The slot the customer ordered (LIVE-1): captions stop at ``schedule.end_date``.
    schedule: LiveSchedule
    #: ``LiveCaptionFeature-reach-<taskId>``.
    feature_name: str
    #: HTTP requests the registration took (retries included).
    requests: int


def feature_name(task: EntryVendorTask) -> str:
    """The live feature Kaltura added for the task: ``LiveCaptionFeature-reach-<taskId>``."""
    if task.id is None:
        raise UsageError("this task has no id")
    return f"LiveCaptionFeature-reach-{int(task.id)}"


def _url(value: object, what: str, schemes: frozenset[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{what} must be a non-empty URL")
    scheme = urlsplit(value).scheme.lower()
    if scheme not in schemes:
        raise UsageError(f"{what} must be a {' or '.join(sorted(schemes))} URL, got {scheme!r}")
    register_secret(value)
    return value


def _schedule(task: EntryVendorTask) -> LiveSchedule | None:
    try:
        return LiveSchedule.of(task)
    except StateError:
        return None


def _adopt_listed(task: EntryVendorTask, listed: Any) -> LiveSchedule:
    """LIVE-1: take the scheduled task data (and status) from the vendor's ``list``."""
    if isinstance(listed, ApiError):
        raise listed
    page = parse_list(listed, "entryVendorTask.list")
    found = [t for t in page if t.id is not None and int(t.id) == int(task.id or 0)]
    data = found[0].task_job_data if found else None
    if not isinstance(data, ScheduledVendorTaskData) or data.scheduled_event_id is None:
        raise ResponseValidationError(
            f"task {task.id}: the server lists no scheduled task data (scheduledEventId) "
            "for it (LIVE-1)",
            body=None,
        )
    task.task_job_data = data
    if found[0].status is not None:
        task.status = found[0].status
    return LiveSchedule.of(task)


def _check_event(result: Any, name: str, caption_url: str) -> None:
    event = parse_as(result, LiveStreamScheduleEvent, "scheduleEvent.updateLiveFeature")
    feature = event.feature(name)
    if not isinstance(feature, LiveCaptionFeature) or feature.caption_url != caption_url:
        raise ResponseValidationError(
            f"scheduleEvent.updateLiveFeature: the event does not show {name} with the "
            "caption URL just set (LIVE-2)",
            body=None,
        )


def _schedule_task(
    engine: Engine, task: EntryVendorTask, fields: Mapping[str, Any]
) -> Generator[Any, Any, None]:
    """PENDING → SCHEDULED; an unknown outcome is settled by reading the task again."""
    try:
        yield from _update_status(engine, task, Status.SCHEDULED, fields)
        return
    except (ReachConnectionError, ReachTimeoutError):
        data = task.task_job_data
        yield from reread(engine, task)
        _keep_schedule(task, data)
        if task.status == Status.SCHEDULED:
            return
        if task.status != Status.PENDING:
            raise
    yield from _update_status(engine, task, Status.SCHEDULED, fields)


def _keep_schedule(task: EntryVendorTask, data: Any) -> None:
    """A profile-filtered read hides the slot: keep the one already known."""
    if _schedule(task) is None and isinstance(data, ScheduledVendorTaskData):
        task.task_job_data = data


def _register(
    engine: Engine,
    task: EntryVendorTask,
    *,
    media_url: str,
    media_key: str,
    caption_url: str,
    caption_token: str,
    external_task_id: str | None,
) -> Generator[Any, Any, LiveSchedule]:
    check_feature(
        task,
        "register_live_feature",
        VendorServiceFeature.LIVE_CAPTION,
        VendorServiceFeature.LIVE_TRANSLATION,
    )
    if not task.is_live:
        raise StateError(f"task {task.id} is not a live task (LIVE-2)")
    _url(media_url, "media_url", _MEDIA_SCHEMES)
    _url(caption_url, "caption_url", _CAPTION_SCHEMES)
    if not isinstance(media_key, str) or not media_key.strip():
        raise UsageError("media_key must be a non-empty string")
    register_secret(media_key)
    check_caption_token(caption_token)
    check_transition(task.status, Status.SCHEDULED, live=True, task_id=task.id)
    name = feature_name(task)
    feature = {
        "objectType": "KalturaLiveCaptionFeature",
        "mediaUrl": media_url,
        "mediaKey": media_key,
        "captionUrl": caption_url,
        "captionToken": caption_token,
    }
    schedule = _schedule(task)
    if schedule is not None:
        params = {
            "scheduledEventId": schedule.scheduled_event_id,
            "featureName": name,
            "liveFeature": feature,
        }
        result = yield from task_call(
            engine, task, SCHEDULE_SERVICE, "updateLiveFeature", params, write=False
        )
    else:
        listing = {
            "filter": {"objectType": "KalturaEntryVendorTaskFilter", "idEqual": int(task.id or 0)},
            "pager": {"objectType": "KalturaFilterPager", "pageSize": 1, "pageIndex": 1},
        }
        event_id = ResultRef(1).objects[0].taskJobData.scheduledEventId
        params = {"scheduledEventId": event_id, "featureName": name, "liveFeature": feature}
        calls = [
            ApiCall(SERVICE, "list", listing),
            ApiCall(SCHEDULE_SERVICE, "updateLiveFeature", params, write=False),
        ]
        listed, result = yield from task_multirequest(engine, task, calls)
        schedule = _adopt_listed(task, listed)
        if task.status in (Status.ABORTED, Status.REJECTED):  # cancelled meanwhile (LIFE-8)
            raise TaskCancelled(
                "ENTRY_VENDOR_TASK_NOT_FOUND",
                f"task {task.id} was cancelled by the customer ({task.status.name})",
                service=SERVICE,
                action="list",
            )
        check_transition(task.status, Status.SCHEDULED, live=True, task_id=task.id)
        if isinstance(result, ApiError):
            raise result
    _check_event(result, name, caption_url)
    if task.status != Status.SCHEDULED:
        fields = {"externalTaskId": external_task_id}
        data = task.task_job_data
        yield from _schedule_task(engine, task, fields)
        _keep_schedule(task, data)
    return schedule


def register_live_feature(
    engine: Engine,
    task: EntryVendorTask,
    *,
    media_url: str,
    media_key: str,
    caption_url: str,
    caption_token: str,
    external_task_id: str | None = None,
) -> Generator[Any, Any, LiveRegistration]:
    """Register the vendor's live endpoints on the task's event and schedule it (LIVE-2).

    :param media_url: the vendor's RTMP(S) (or SRT) ingest URL Kaltura relays the stream to.
    :param media_key: the stream key/name at ``media_url``.
    :param caption_url: the vendor's websocket (``ws://`` or ``wss://``) Kaltura pulls the
        captions from at the scheduled time (:func:`kaltura_reach_vendor.live.serve_captions`).
    :param caption_token: the token Kaltura presents there (at least 16 characters;
        :func:`kaltura_reach_vendor.live.new_caption_token` makes one).
    :param external_task_id: the vendor's own job id (LIFE-7), set with SCHEDULED.

    The task ends SCHEDULED with its slot (startDate, endDate, scheduledEventId) filled in
    (LIVE-1); at most two HTTP requests. Then ``start_live`` when the event starts and
    ``finish_live`` after it ends (LIVE-4).
    """
    box = [0]
    flow = _register(
        engine,
        task,
        media_url=media_url,
        media_key=media_key,
        caption_url=caption_url,
        caption_token=caption_token,
        external_task_id=external_task_id,
    )
    schedule = yield from counted(flow, box)
    return LiveRegistration(task, schedule, feature_name(task), box[0])
