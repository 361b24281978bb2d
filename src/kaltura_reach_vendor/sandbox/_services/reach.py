"""``reach_entryvendortask`` and ``reach_vendorcatalogitem`` (reference §3–§7)."""

from __future__ import annotations

import json
from typing import Any

from .._business_days import business_days_seconds
from .._errors import ApiError
from .._ks import KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER, KIND_VENDOR, SESSION_USER
from .._params import NULL, as_list, to_int, to_str
from .._registry import Call, action, list_response, out, pager_slice
from .._store import (
    FEATURE_LIVE_CAPTION,
    FEATURE_LIVE_TRANSLATION,
    FEATURE_SIGN_LANGUAGE,
    FEATURE_TRANSLATION,
    SEVEN_DAYS,
    TASK_ABORTED,
    TASK_ERROR,
    TASK_FINAL,
    TASK_PENDING,
    TASK_PENDING_MODERATION,
    TASK_PROCESSING,
    TASK_READY,
    TASK_SCHEDULED,
    TASK_STATUSES,
    JsonDict,
    State,
    TaskRecord,
)

SERVICE = "reach_entryvendortask"
VENDOR_ONLY = frozenset({KIND_VENDOR})
READERS = frozenset({KIND_VENDOR, KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER})
CUSTOMER_KINDS = frozenset({KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER})

MAX_RELATIVE_TIME = 315_360_000

# §3.4: the reach_vendor response profile as deployed by the server's scripts (2021).
REACH_VENDOR_PROFILE_ID = 1
REACH_VENDOR_TASK_FIELDS = frozenset(
    [
        "id",
        "partnerId",
        "vendorPartnerId",
        "createdAt",
        "entryId",
        "status",
        "version",
        "reachProfileId",
        "catalogItemId",
        "accessKey",
        "notes",
        "dictionary",
        "taskJobData",
        "captionAssetId",
        "jsonTranscriptAssetId",
        "textTranscriptAssetId",
    ]
)
CATALOG_ITEM_EXCLUDE = frozenset(
    [
        "id",
        "vendorPartnerId",
        "name",
        "systemName",
        "createdAt",
        "updatedAt",
        "status",
        "pricing",
        "fixedPriceAddons",
    ]
)
PROFILE_EXCLUDE = frozenset(
    [
        "id",
        "partnerId",
        "createdAt",
        "updatedAt",
        "status",
        "profileType",
        "rules",
        "credit",
        "usedCredit",
        "dictionaries",
        "autoDisplayMachineCaptionsOnPlayer",
        "autoDisplayHumanCaptionsOnPlayer",
        "enableMachineModeration",
        "enableHumanModeration",
    ]
)

# §4.1 field flags of KalturaEntryVendorTask.
TASK_READ_ONLY = frozenset(
    [
        "id",
        "partnerId",
        "vendorPartnerId",
        "createdAt",
        "updatedAt",
        "queueTime",
        "finishTime",
        "price",
        "userId",
        "moderatingUser",
        "accessKey",
        "version",
        "dictionary",
        "creationMode",
        "expectedFinishTime",
        "serviceType",
        "serviceFeature",
        "turnAroundTime",
        "relatedObjects",
    ]
)
TASK_INSERT_ONLY = frozenset(
    ["entryId", "reachProfileId", "catalogItemId", "entryObjectType", "externalObjectId"]
)
TASK_INT_FIELDS = frozenset(
    [
        "partnerId",
        "vendorPartnerId",
        "createdAt",
        "updatedAt",
        "queueTime",
        "finishTime",
        "reachProfileId",
        "catalogItemId",
        "entryObjectType",
        "creationMode",
        "expectedFinishTime",
        "serviceType",
        "serviceFeature",
        "turnAroundTime",
        "version",
        "status",
        "accuracy",
        "unitsUsed",
    ]
)
TASK_WRITABLE = frozenset(
    [
        "status",
        "errDescription",
        "accuracy",
        "outputObjectId",
        "externalTaskId",
        "notes",
        "context",
        "partnerData",
        "unitsUsed",
        "unitsUsedArray",
        "taskJobData",
    ]
)

# §5: task-data classes → (writable, insert-only) own fields. entryDuration is read-only.
_LOCALIZED = ("outputLanguage", "outputJson")
TASK_DATA_CLASSES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "KalturaTranslationVendorTaskData": ((), ("captionAssetId",)),
    "KalturaAlignmentVendorTaskData": (
        ("textTranscriptAssetId",),
        ("captionAssetId", "jsonTranscriptAssetId"),
    ),
    "KalturaScheduledVendorTaskData": ((), ("startDate", "endDate", "scheduledEventId")),
    "KalturaIntelligentTaggingVendorTaskData": ((), ("assetId",)),
    "KalturaModerationVendorTaskData": (
        ("ruleIds", "policyIds", "categoryIds", "moderationOutputJson"),
        (),
    ),
    "KalturaLocalizedVendorTaskData": (_LOCALIZED, ()),
    "KalturaClipsVendorTaskData": (
        (*_LOCALIZED, "clipsOutputJson"),
        ("clipsDuration", "eventSessionContextId", "instruction"),
    ),
    "KalturaQuizVendorTaskData": (
        (
            *_LOCALIZED,
            "numberOfQuestions",
            "questionsType",
            "context",
            "formalStyle",
            "createQuiz",
            "quizOutput",
        ),
        ("instruction",),
    ),
    "KalturaSummaryVendorTaskData": (
        (*_LOCALIZED, "typeOfSummary", "writingStyle", "summaryOutputJson"),
        ("instruction",),
    ),
    "KalturaMetadataEnrichmentVendorTaskData": (
        (*_LOCALIZED, "shouldApply", "applyMode", "overrideFields"),
        ("detailLevel", "instruction"),
    ),
    "KalturaSentimentAnalysisVendorTaskData": (("language",), ()),
    "KalturaSpeechToVideoVendorTaskData": (("avatarId", "conversionProfileId"), ()),
    "KalturaImmersiveAgentCallVendorTaskData": (("callId",), ()),
}
TASK_DATA_INT_FIELDS = frozenset(
    {
        "entryDuration",
        "startDate",
        "endDate",
        "scheduledEventId",
        "clipsDuration",
        "numberOfQuestions",
        "conversionProfileId",
    }
)

# ISO 639-2/T codes for live features (§11); a small table of common languages.
THREE_LETTER = {
    "English": "eng",
    "Spanish": "spa",
    "French": "fra",
    "German": "deu",
    "Hebrew": "heb",
    "Italian": "ita",
    "Portuguese": "por",
    "Dutch": "nld",
    "Japanese": "jpn",
    "Chinese": "zho",
    "Arabic": "ara",
    "Russian": "rus",
    "Korean": "kor",
    "Welsh": "cym",
    "Catalan": "cat",
}


# --- helpers ---------------------------------------------------------------------------------


def tat_seconds(tat: int) -> int:
    """TAT as a raw number of seconds for the access-key formula (1–7 stay tiny)."""
    return max(tat, 0)


def access_key_ttl(tat: int) -> int:
    """Access key validity: max(7 days, 2 × TAT) with TAT taken as a raw number (§2.4, KEY-1)."""
    return max(SEVEN_DAYS, 2 * tat_seconds(tat))


def expected_finish(now: int, tat: int) -> int:
    """now + TAT; best effort → 7 days; 1–7 → business days in America/New_York, 06:00–18:00
    (server ``EntryVendorTask::preSave``/``calculateBusinessDays``; see ``_business_days``)."""
    if tat == -1:
        return now + SEVEN_DAYS
    if 1 <= tat <= 7:
        return now + business_days_seconds(tat, now)
    return now + max(tat, 0)


def issue_access_key(state: State, task: TaskRecord) -> str:
    """A fresh task access key: a USER KS of the customer partner (§2.6)."""
    entry_id = str(task.data["entryId"])
    privileges: dict[str, list[str]] = {
        "edit": [entry_id],
        "setrole": ["REACH_VENDOR_ROLE"],
        "disableentitlementforentry": [entry_id],
        "sview": [entry_id],
        "download": [entry_id],
    }
    profile = state.reach_profiles.get(int(task.data.get("reachProfileId") or 0), {})
    machine = int(task.data.get("serviceType") or 0) == 2
    auto_display = profile.get(
        "autoDisplayMachineCaptionsOnPlayer" if machine else "autoDisplayHumanCaptionsOnPlayer",
        True,
    )
    if auto_display in (False, 0):
        privileges["enablecaptionmoderation"] = []
    if int(task.data.get("serviceFeature") or 0) == FEATURE_SIGN_LANGUAGE:
        privileges["editadmintags"] = ["*"]
    session = state.ks.issue(
        partner_id=int(task.data["partnerId"]),
        session_type=SESSION_USER,
        user_id="",
        privileges=privileges,
        expires_at=state.clock.now() + task.key_ttl,
        kind=KIND_ACCESS_KEY,
        task_id=task.id,
    )
    task.access_key = session.ks
    task.data["accessKey"] = session.ks
    return session.ks


def live_feature_name(task_id: int) -> str:
    """``LiveCaptionFeature-reach-{taskId}`` (§11)."""
    return f"LiveCaptionFeature-reach-{task_id}"


def remove_live_feature(state: State, task: TaskRecord) -> None:
    """Drop the task's live feature from its schedule event (on ERROR / ABORTED)."""
    data = task.data.get("taskJobData") or {}
    event = state.schedule_events.get(to_int(data.get("scheduledEventId")) or 0)
    if event is not None:
        name = live_feature_name(task.id)
        event["liveFeatures"] = [
            f for f in event.get("liveFeatures", []) if f.get("systemName") != name
        ]


def create_task(
    state: State,
    *,
    partner_id: int,
    entry_id: str,
    catalog_item_id: int,
    reach_profile_id: int,
    task_job_data: JsonDict | None = None,
    notes: str | None = None,
    user_id: str = "",
    status: int = TASK_PENDING,
    task_id: int | None = None,
) -> TaskRecord:
    """Add a task as a customer order would (the customer side of the sandbox)."""
    item = state.catalog_items.get(catalog_item_id)
    if item is None:
        raise ApiError("CATALOG_ITEM_NOT_FOUND", catalog_item_id)
    entry = state.entries.get(entry_id)
    if entry is None or entry.data.get("partnerId") != partner_id:
        raise ApiError("ENTRY_ID_NOT_FOUND", entry_id)
    profile = state.reach_profiles.get(reach_profile_id)
    if profile is None:
        raise ApiError("INVALID_OBJECT_ID", reach_profile_id)
    feature = int(item["serviceFeature"])
    job_data = dict(task_job_data) if task_job_data else None
    needs_source = feature == FEATURE_TRANSLATION and item.get("requireSource", True) is not False
    if needs_source and (not job_data or not job_data.get("captionAssetId")):
        raise ApiError("REQUIRE_CAPTION", catalog_item_id)
    if job_data is not None and job_data.get("objectType") != "KalturaScheduledVendorTaskData":
        job_data.setdefault("entryDuration", int(entry.data.get("msDuration") or 0))
    if job_data is not None and job_data.get("objectType") == "KalturaScheduledVendorTaskData":
        job_data["entryDuration"] = (int(job_data["endDate"]) - int(job_data["startDate"])) * 1000
    now = state.now()
    if task_id is None:
        task_id = state.next_int("task", 500000001)
    tat = int(item["turnAroundTime"])
    dictionary = None
    for entry_dict in profile.get("dictionaries") or []:
        if entry_dict.get("language") == item.get("sourceLanguage"):
            dictionary = entry_dict.get("data")
    data: JsonDict = {
        "id": str(task_id),
        "partnerId": partner_id,
        "vendorPartnerId": int(item["vendorPartnerId"]),
        "createdAt": now,
        "updatedAt": now,
        "queueTime": now if status == TASK_PENDING else None,
        "entryId": entry_id,
        "status": status,
        "reachProfileId": reach_profile_id,
        "catalogItemId": catalog_item_id,
        "price": 0,
        "userId": user_id,
        "entryObjectType": 1,
        "version": int(entry.data.get("version") or 11),
        "notes": notes,
        "dictionary": dictionary,
        "creationMode": 1,
        "taskJobData": job_data,
        "expectedFinishTime": expected_finish(now, tat),
        "serviceType": int(item["serviceType"]),
        "serviceFeature": feature,
        "turnAroundTime": tat,
        "objectType": "KalturaEntryVendorTask",
    }
    task = TaskRecord(data=data, key_ttl=access_key_ttl(tat))
    state.tasks[task_id] = task
    issue_access_key(state, task)
    if feature in (FEATURE_LIVE_CAPTION, FEATURE_LIVE_TRANSLATION) and job_data:
        _add_live_feature(state, task, item, job_data)
    return task


def _add_live_feature(state: State, task: TaskRecord, item: JsonDict, job_data: JsonDict) -> None:
    event = state.schedule_events.get(int(job_data.get("scheduledEventId") or 0))
    if event is None:
        raise ApiError("SCHEDULE_EVENT_ID_NOT_FOUND", job_data.get("scheduledEventId"))
    language_name = item.get(
        "targetLanguage"
        if int(item["serviceFeature"]) == FEATURE_LIVE_TRANSLATION
        else "sourceLanguage"
    )
    feature = {
        "systemName": live_feature_name(task.id),
        "preStartTime": int(event["startDate"]) - int(job_data["startDate"]),
        "postEndTime": int(job_data["endDate"]) - int(event["endDate"]),
        "language": THREE_LETTER.get(str(language_name), str(language_name)[:3].lower()),
        "objectType": "KalturaLiveCaptionFeature",
    }
    event.setdefault("liveFeatures", []).append(feature)


def abort_task(
    state: State, task: TaskRecord, reason: str | None = None, *, force: bool = False
) -> None:
    """Cancel a task. Without ``force`` only PENDING_MODERATION / PENDING / SCHEDULED qualify."""
    abortable = task.status in (TASK_PENDING_MODERATION, TASK_PENDING, TASK_SCHEDULED)
    if not abortable and (not force or task.status in TASK_FINAL):
        raise ApiError("CANNOT_ABORT_NOT_MODERATED_TASK")
    task.data["status"] = TASK_ABORTED
    task.data["updatedAt"] = state.now()
    if reason:
        task.data["errDescription"] = reason
    task.deleted = True
    remove_live_feature(state, task)


def apply_response_profile(state: State, task: TaskRecord, profile: JsonDict | None) -> JsonDict:
    """The task as the wire shows it, with the ``reach_vendor`` profile applied if asked."""
    data = out(task.data) or {}
    if not profile:
        return data
    name = to_str(profile.get("systemName"))
    pid = to_int(profile.get("id"))
    if name != "reach_vendor" and pid != REACH_VENDOR_PROFILE_ID:
        return data
    filtered: JsonDict = {k: v for k, v in data.items() if k in REACH_VENDOR_TASK_FIELDS}
    job = filtered.get("taskJobData")
    if isinstance(job, dict):
        filtered["taskJobData"] = {
            k: v for k, v in job.items() if k in REACH_VENDOR_TASK_FIELDS or k == "objectType"
        }
    item = state.catalog_items.get(int(task.data["catalogItemId"]))
    reach_profile = state.reach_profiles.get(int(task.data["reachProfileId"]))
    related: JsonDict = {}
    items = (
        [] if item is None else [{k: v for k, v in item.items() if k not in CATALOG_ITEM_EXCLUDE}]
    )
    related["reach_vendor_catalog_item"] = list_response(
        "KalturaVendorCatalogItemListResponse", items
    )
    profiles = (
        []
        if reach_profile is None
        else [{k: v for k, v in reach_profile.items() if k not in PROFILE_EXCLUDE}]
    )
    related["reach_vendor_profile"] = list_response("KalturaReachProfileListResponse", profiles)
    filtered["relatedObjects"] = related
    filtered["objectType"] = "KalturaEntryVendorTask"
    return filtered


def _filter_time(value: Any, now: int) -> int | None:
    number = to_int(value)
    if number is None:
        return None
    if abs(number) <= MAX_RELATIVE_TIME:
        return now + number
    return number


def _csv_ints(value: Any) -> set[int] | None:
    text = to_str(value)
    if text is None:
        return None
    return {int(v) for v in text.split(",") if v.strip().lstrip("-").isdigit()}


def filter_tasks(call: Call, tasks: list[TaskRecord], filt: JsonDict) -> list[TaskRecord]:
    """Apply the honoured ``KalturaEntryVendorTaskFilter`` fields and ``orderBy``."""
    now = call.state.now()
    result = []
    for task in tasks:
        d = task.data
        checks: list[bool] = []
        if "idEqual" in filt:
            checks.append(str(d["id"]) == to_str(filt["idEqual"]))
        ids = _csv_ints(filt.get("idIn"))
        if ids is not None:
            checks.append(task.id in ids)
        excluded = _csv_ints(filt.get("idNotIn"))
        if excluded is not None:
            checks.append(task.id not in excluded)
        if "entryIdEqual" in filt:
            checks.append(d["entryId"] == to_str(filt["entryIdEqual"]))
        if "statusEqual" in filt:
            checks.append(d["status"] == to_int(filt["statusEqual"]))
        statuses = _csv_ints(filt.get("statusIn"))
        if statuses is not None:
            checks.append(d["status"] in statuses)
        for name, field in (
            ("catalogItemIdIn", "catalogItemId"),
            ("reachProfileIdIn", "reachProfileId"),
        ):
            values = _csv_ints(filt.get(name))
            if values is not None:
                checks.append(int(d[field]) in values)
        for name, field in (
            ("catalogItemIdEqual", "catalogItemId"),
            ("reachProfileIdEqual", "reachProfileId"),
        ):
            if name in filt:
                checks.append(int(d[field]) == to_int(filt[name]))
        for field in ("createdAt", "updatedAt", "queueTime", "finishTime", "expectedFinishTime"):
            low = _filter_time(filt.get(f"{field}GreaterThanOrEqual"), now)
            high = _filter_time(filt.get(f"{field}LessThanOrEqual"), now)
            value = d.get(field)
            if low is not None:
                checks.append(value is not None and int(value) >= low)
            if high is not None:
                checks.append(value is not None and int(value) <= high)
        if all(checks):
            result.append(task)
    order = to_str(filt.get("orderBy")) or "+createdAt"
    order = order.strip()
    descending = order.startswith("-")
    key_name = order.lstrip("+- ") or "createdAt"
    if key_name not in {
        "createdAt",
        "expectedFinishTime",
        "finishTime",
        "id",
        "price",
        "queueTime",
        "status",
        "updatedAt",
    }:
        key_name = "createdAt"
    result.sort(key=lambda t: (int(t.data.get(key_name) or 0), t.id), reverse=descending)
    return result


def _task_for_vendor(call: Call, task_id: int) -> TaskRecord:
    task = call.state.tasks.get(task_id)
    if task is None or task.deleted or int(task.data["vendorPartnerId"]) != call.partner_id:
        raise ApiError("ENTRY_VENDOR_TASK_NOT_FOUND", task_id)
    call.task_id = task_id
    return task


# --- actions ---------------------------------------------------------------------------------


@action(SERVICE, "getJobs", allow=VENDOR_ONLY)
def get_jobs(call: Call) -> Any:
    """PENDING tasks of this vendor (plus SCHEDULED when asked for exactly that), paged."""
    filt = dict(call.obj("filter") or {})
    requested: set[int] = set()
    if "statusEqual" in filt:
        requested.add(to_int(filt["statusEqual"]) or 0)
    requested |= _csv_ints(filt.get("statusIn")) or set()
    filt.pop("statusEqual", None)
    filt.pop("statusIn", None)
    if requested and requested <= {TASK_PENDING, TASK_SCHEDULED}:
        filt["statusIn"] = ",".join(str(s) for s in sorted(requested))
    else:
        filt["statusEqual"] = TASK_PENDING
    mine = [
        t
        for t in call.state.tasks.values()
        if int(t.data["vendorPartnerId"]) == call.partner_id and not t.deleted
    ]
    matched = filter_tasks(call, mine, filt)
    page = pager_slice(call, matched)
    profile = call.obj("responseProfile")
    objects = [apply_response_profile(call.state, t, profile) for t in page]
    return list_response("KalturaEntryVendorTaskListResponse", objects, len(matched))


@action(SERVICE, "list", allow=READERS)
def list_tasks(call: Call) -> Any:
    """Vendor KS: every task of this vendor (any status); customer KS: the partner's tasks."""
    filt = call.obj("filter") or {}
    if call.kind == KIND_VENDOR:
        pool = [
            t
            for t in call.state.tasks.values()
            if int(t.data["vendorPartnerId"]) == call.partner_id
        ]
    else:
        pool = [t for t in call.state.tasks.values() if int(t.data["partnerId"]) == call.partner_id]
    matched = filter_tasks(call, pool, filt)
    page = pager_slice(call, matched)
    profile = call.obj("responseProfile")
    objects = [apply_response_profile(call.state, t, profile) for t in page]
    return list_response("KalturaEntryVendorTaskListResponse", objects, len(matched))


@action(SERVICE, "get", allow=READERS)
def get_task(call: Call) -> Any:
    """One task of the KS's partner (the access key's); the vendor KS sees none (§3)."""
    task_id = call.req_int("id")
    task = call.state.tasks.get(task_id)
    if task is None or task.deleted or int(task.data["partnerId"]) != call.partner_id:
        raise ApiError("ENTRY_VENDOR_TASK_NOT_FOUND", task_id)
    call.task_id = task_id
    return apply_response_profile(call.state, task, call.obj("responseProfile"))


def _same(stored: Any, sent: Any, is_int: bool) -> bool:
    if sent is NULL:
        return stored is None
    if is_int:
        return to_int(sent) == (None if stored is None else to_int(stored))
    return to_str(sent) == (None if stored is None else to_str(stored))


def _new_task_data(stored: JsonDict | None, sent: JsonDict) -> JsonDict:
    """Build the replacement taskJobData from only the fields sent (§4.3)."""
    object_type = to_str(sent.get("objectType"))
    if object_type not in TASK_DATA_CLASSES:
        raise ApiError("OBJECT_TYPE_ABSTRACT", "KalturaVendorTaskData")
    writable, insert_only = TASK_DATA_CLASSES[object_type]
    stored = stored or {}
    new: JsonDict = {"objectType": object_type}
    if "entryDuration" in sent and not _same(
        stored.get("entryDuration"), sent["entryDuration"], True
    ):
        raise ApiError("PROPERTY_VALIDATION_NOT_UPDATABLE", f"{object_type}::entryDuration")
    for name in insert_only:
        if name in sent and sent[name] is not NULL:
            if not _same(stored.get(name), sent[name], name in TASK_DATA_INT_FIELDS):
                raise ApiError("PROPERTY_VALIDATION_NOT_UPDATABLE", f"{object_type}::{name}")
            new[name] = to_int(sent[name]) if name in TASK_DATA_INT_FIELDS else to_str(sent[name])
    for name in (*writable, "vendorComment"):
        if name in sent and sent[name] is not NULL:
            value = sent[name]
            if name == "overrideFields":
                new[name] = [
                    {
                        "value": to_str(v.get("value")) if isinstance(v, dict) else to_str(v),
                        "objectType": "KalturaString",
                    }
                    for v in as_list(value)
                ]
            elif name in TASK_DATA_INT_FIELDS:
                new[name] = to_int(value)
            elif name in ("createQuiz", "shouldApply"):
                new[name] = to_str(value) not in ("0", "", "false", "False")
            else:
                new[name] = to_str(value)
    return new


@action(SERVICE, "updateJob", allow=VENDOR_ONLY)
def update_job(call: Call) -> Any:
    """Vendor update: writable fields only, RO/IO checks, final-state rule, side effects."""
    task = _task_for_vendor(call, call.req_int("id"))
    sent = call.obj("entryVendorTask", required=True) or {}
    stored = task.data
    for name, value in sent.items():
        fixed = name in TASK_READ_ONLY or name in TASK_INSERT_ONLY
        if fixed and not _same(stored.get(name), value, name in TASK_INT_FIELDS):
            raise ApiError("PROPERTY_VALIDATION_NOT_UPDATABLE", f"KalturaEntryVendorTask::{name}")
    old_status = task.status
    new_status: int | None = None
    if "status" in sent and sent["status"] is not NULL:
        new_status = to_int(sent["status"])
        if new_status not in TASK_STATUSES:
            raise ApiError(
                "INVALID_ENUM_VALUE",
                to_str(sent["status"]),
                "status",
                "KalturaEntryVendorTaskStatus",
            )
        if old_status in TASK_FINAL and new_status != old_status:
            raise ApiError(
                "CANNOT_UPDATE_STATUS_OF_TASK_WHICH_IS_IN_FINAL_STATE",
                task.id,
                old_status,
                new_status,
            )
    if "unitsUsed" in sent and sent["unitsUsed"] is not NULL and old_status in TASK_FINAL:
        units = to_int(sent["unitsUsed"]) or 0
        if units != 0:
            raise ApiError(
                "CANNOT_UPDATE_UNIT_USED_OF_TASK_WHICH_IS_IN_FINAL_STATE",
                task.id,
                stored.get("unitsUsed") or 0,
                units,
            )
    if "partnerData" in sent and sent["partnerData"] is not NULL:
        try:
            parsed = json.loads(to_str(sent["partnerData"]) or "")
        except json.JSONDecodeError:
            parsed = None
        if not isinstance(parsed, dict):
            raise ApiError("PARTNER_DATA_NOT_VALID_JSON_STRING")
    new_job_data = None
    if "taskJobData" in sent and isinstance(sent["taskJobData"], dict):
        new_job_data = _new_task_data(stored.get("taskJobData"), sent["taskJobData"])
    item = call.state.catalog_items.get(int(stored["catalogItemId"]), {})
    needs_units = new_status == TASK_READY and old_status != TASK_READY and item.get("payPerUse")
    if needs_units and sent.get("unitsUsed") in (None, NULL) and stored.get("unitsUsed") is None:
        raise ApiError("MISSING_MANDATORY_PARAMETER", "unitsUsed")
    # apply
    for name in TASK_WRITABLE:
        if name not in sent or name in ("status", "taskJobData"):
            continue
        value = sent[name]
        if value is NULL:
            stored[name] = None
        elif name in ("accuracy", "unitsUsed"):
            stored[name] = to_int(value)
        elif name == "unitsUsedArray":
            stored[name] = [
                {
                    "unitsUsed": float(to_str(v.get("unitsUsed")) or 0),
                    "serviceName": to_str(v.get("serviceName")),
                    "objectType": "KalturaEntryVendorTaskUnit",
                }
                for v in as_list(value)
                if isinstance(v, dict)
            ]
        else:
            stored[name] = to_str(value)
    if new_job_data is not None:
        stored["taskJobData"] = new_job_data
    now = call.state.now()
    stored["updatedAt"] = now
    if new_status is not None and new_status != old_status:
        stored["status"] = new_status
        _on_status_change(call.state, task, old_status, new_status)
        tag = to_str(call.params.get("clientTag"))
        change = (int(task.id), old_status, new_status, tag, call.state.clock.now())
        call.state.status_changes.append(change)
    return apply_response_profile(call.state, task, call.obj("responseProfile"))


def _on_status_change(state: State, task: TaskRecord, old: int, new: int) -> None:
    now = state.now()
    data = task.data
    if new == TASK_PENDING:
        data["queueTime"] = now
        data["expectedFinishTime"] = expected_finish(now, int(data["turnAroundTime"]))
    if new in (TASK_READY, TASK_ERROR):
        data["finishTime"] = now
    if new == TASK_READY:
        _label_addition(state, task)
        if task.access_key:
            state.ks.kill(task.access_key)  # LIFE-5: the key dies with READY
    if new == TASK_ERROR and old in (TASK_PENDING, TASK_PROCESSING, TASK_SCHEDULED):
        remove_live_feature(state, task)


def _label_addition(state: State, task: TaskRecord) -> None:
    if int(task.data["serviceFeature"]) != 1:
        return
    asset = state.assets.get(str(task.data.get("outputObjectId") or ""))
    profile = state.reach_profiles.get(int(task.data["reachProfileId"]), {})
    machine = int(task.data["serviceType"]) == 2
    addition = profile.get(
        "labelAdditionForMachineServiceType" if machine else "labelAdditionForHumanServiceType"
    )
    if asset is not None and asset.kind == "caption" and addition:
        asset.data["label"] = f"{asset.data.get('label') or ''} {addition}".strip()


@action(SERVICE, "extendAccessKey", allow=VENDOR_ONLY)
def extend_access_key(call: Call) -> Any:
    """A fresh access key, only for PROCESSING or SCHEDULED tasks (KEY-3, KEY-4)."""
    task = _task_for_vendor(call, call.req_int("id"))
    if task.status not in (TASK_PROCESSING, TASK_SCHEDULED):
        raise ApiError("CANNOT_EXTEND_ACCESS_KEY")
    issue_access_key(call.state, task)
    task.data["updatedAt"] = call.state.now()
    return apply_response_profile(call.state, task, call.obj("responseProfile"))


@action(SERVICE, "abort", allow=CUSTOMER_KINDS)
def abort(call: Call) -> Any:
    """Customer cancels a task (PENDING_MODERATION / PENDING / SCHEDULED only)."""
    task_id = call.req_int("id")
    task = call.state.tasks.get(task_id)
    if task is None or task.deleted or int(task.data["partnerId"]) != call.partner_id:
        raise ApiError("ENTRY_VENDOR_TASK_NOT_FOUND", task_id)
    call.task_id = task_id
    abort_task(call.state, task, call.get_str("abortReason"))
    return out(task.data)


@action("reach_vendorcatalogitem", "get", allow=READERS)
def catalog_item_get(call: Call) -> Any:
    """A catalog item (full, including pricing)."""
    item_id = call.req_int("id")
    item = call.state.catalog_items.get(item_id)
    if item is None:
        raise ApiError("CATALOG_ITEM_NOT_FOUND", item_id)
    return out(item)


@action("reach_vendorcatalogitem", "list", allow=READERS)
def catalog_item_list(call: Call) -> Any:
    """Catalog items; the vendor sees its own, customers all."""
    filt = call.obj("filter") or {}
    items = list(call.state.catalog_items.values())
    if call.kind == KIND_VENDOR:
        items = [i for i in items if int(i["vendorPartnerId"]) == call.partner_id]
    feature = to_int(filt.get("serviceFeatureEqual"))
    if feature is not None:
        items = [i for i in items if int(i["serviceFeature"]) == feature]
    page = pager_slice(call, items)
    return list_response(
        "KalturaVendorCatalogItemListResponse", [out(i) or {} for i in page], len(items)
    )
