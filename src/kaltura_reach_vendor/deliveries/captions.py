"""Caption and translation deliveries (CAP-1 to CAP-7, TRANS-4, TRANS-5), written once.

``deliver_captions`` and ``deliver_translation`` validate the file before anything is created
(CAP-6), write it in the required format (INPUT-3), then take **two HTTP requests** after the
claim when the file fits one request:

1. one multirequest with the task's access key: ``captionAsset.add`` with every CAP-1 field
   and the delivery's marker in ``partnerData``, ``captionAsset.setContent`` with the text
   inline (``KalturaStringResource``; a large file goes up first through a resumable upload
   token, CAP-2), and ``captionAsset.get`` to read the asset back (CAP-3);
2. ``updateJob`` → READY with ``outputObjectId``, ``accuracy``, ``unitsUsed`` and the
   vendor's ``externalTaskId`` (CAP-7, LIFE-5 to LIFE-7, LIFE-10).

If the first request's outcome is unknown (the connection dropped after the server may have
run it), the entry's captions are listed and the one carrying the marker is used: never two
outputs for one task. A delivery that fails removes the caption asset it created and raises
:class:`~kaltura_reach_vendor.errors.DeliveryError`; the task is left for the caller to
``fail``.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Mapping, Sequence
from typing import Any, Literal

from .._engine import Engine
from .._secrets import register_secret
from .._tasks import parse_as, task_call, task_multirequest, update_status
from .._uploads import upload
from .._wire.call import ApiCall, ResultRef
from ..captions import CaptionDocument, CaptionFormat, output_format, parse_captions
from ..captions.profile import max_line_chars
from ..captions.validate import validate_captions
from ..enums import (
    AttachmentAssetStatus,
    AttachmentType,
    CaptionAssetStatus,
    CaptionAssetUsage,
    VendorServiceFeature,
)
from ..enums import EntryVendorTaskStatus as Status
from ..errors import (
    ApiError,
    DeliveryError,
    ReachConnectionError,
    ReachError,
    ReachTimeoutError,
    StateError,
    UsageError,
)
from ..models import CaptionAsset, EntryVendorTask
from ._common import (
    DeliveryResult,
    check_feature,
    marker,
    ready_to_deliver,
    result_of,
    resuming,
)

__all__ = [
    "INLINE_MAX",
    "CaptionInput",
    "deliver_captions",
    "deliver_extended_audio_description",
    "deliver_translation",
    "url_resource",
]

#: Larger files go up through an upload token instead of inline in the multirequest.
INLINE_MAX = 512 * 1024
CaptionInput = str | bytes | os.PathLike[str] | CaptionDocument
Mode = Literal["captions", "translation", "ead"]
_SERVICE = "caption_captionAsset"
_ATTACHMENTS = "attachment_attachmentAsset"
Flow = Generator[Any, Any, Any]
F = VendorServiceFeature
#: The service features each mode delivers (alignment delivers captions too).
_FEATURES: dict[str, tuple[VendorServiceFeature, ...]] = {
    "captions": (F.CAPTIONS, F.ALIGNMENT),
    "translation": (F.TRANSLATION,),
    "ead": (F.EXTENDED_AUDIO_DESCRIPTION,),
}
_HELPERS = {
    "captions": "deliver_captions",
    "translation": "deliver_translation",
    "ead": "deliver_extended_audio_description",
}


def _document(captions: CaptionInput) -> CaptionDocument:
    if isinstance(captions, CaptionDocument):
        return captions
    return parse_captions(captions)


def checked_captions(task: EntryVendorTask, captions: CaptionInput) -> CaptionDocument:
    """CAP-6: the caption file parsed and validated, before anything is created (shared with
    the deliveries that add captions next to their own output, DUB-4)."""
    document = _document(captions)
    validate_captions(document, max_line_chars=max_line_chars(task)).raise_if_blocking()
    return document


def _language(value: Any, what: str, task: EntryVendorTask) -> str:
    if value is None:
        raise StateError(f"task {task.id} names no {what} language")
    return str(getattr(value, "value", value))


def _asset_fields(
    fmt: CaptionFormat, accuracy: int, language: str, *, mode: Mode, tag: str
) -> dict[str, Any]:
    """Every field the rules name: CAP-1 (captions), TRANS-4 (translation), EAD-1."""
    fields = {
        "objectType": "KalturaCaptionAsset",
        "format": fmt.caption_type,
        "fileExt": fmt.extension,
        "accuracy": accuracy,
        "language": language,
        "label": language,
        "isDefault": mode == "captions",
        "displayOnPlayer": True,
        "partnerData": tag,
    }
    if mode == "ead":
        fields["usage"] = CaptionAssetUsage.EXTENDED_AUDIO_DESCRIPTION
        fields["displayOnPlayer"] = False
        fields["label"] = f"{language} Extended Audio Description"
    return fields


def url_resource(url: str, headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    """CAP-2: content Kaltura downloads itself, with ``urlHeaders`` for an authenticated
    URL and ``forceAsyncDownload=false``. Header values are secrets: registered for masking
    (the ``urlHeaders`` key is masked in every logged parameter too)."""
    items = []
    for name, value in (headers or {}).items():
        register_secret(value)
        items.append({"objectType": "KalturaString", "value": f"{name}: {value}"})
    return {
        "objectType": "KalturaUrlResource",
        "url": url,
        "forceAsyncDownload": False,
        "urlHeaders": items,
    }


def _content_resource(
    engine: Engine, task: EntryVendorTask, text: str, fmt: CaptionFormat
) -> Generator[Any, Any, dict[str, Any]]:
    data = text.encode("utf-8")
    if len(data) <= INLINE_MAX:
        return {"objectType": "KalturaStringResource", "content": text}
    token = yield from upload(engine, task, data, filename=f"captions.{fmt.extension}")
    return {"objectType": "KalturaUploadedFileTokenResource", "token": token.id}


class _Found(Exception):
    """Internal: an earlier attempt's asset was found before anything was sent."""


def _reconcile(engine: Engine, task: EntryVendorTask, tag: str) -> Generator[Any, Any, Any]:
    """The caption asset this attempt created, if the server made it (found by marker)."""
    answer = yield from task_call(
        engine,
        task,
        _SERVICE,
        "list",
        {
            "filter": {"objectType": "KalturaCaptionAssetFilter", "entryIdEqual": task.entry_id},
            "pager": {"objectType": "KalturaFilterPager", "pageSize": 500},
        },
    )
    objects = answer.get("objects") if isinstance(answer, Mapping) else None
    for item in objects or ():
        if isinstance(item, Mapping) and item.get("partnerData") == tag:
            return item
    return None


def _remove(engine: Engine, task: EntryVendorTask, asset_id: str | None) -> Flow:
    """Delete what this attempt created; returns what was left behind (ids)."""
    if not asset_id:
        return ()
    try:
        yield from task_call(engine, task, _SERVICE, "delete", {"captionAssetId": asset_id})
    except ReachError:
        return (asset_id,)
    return ()


def _extras(
    task: EntryVendorTask,
    accuracy: int,
    language: str,
    tag: str,
    transcript: str | None,
    tags: Sequence[str] | None,
) -> list[ApiCall]:
    """CAP-4: the transcript, its read-back and its link; CAP-5: the entry, to merge tags."""
    calls: list[ApiCall] = []
    if transcript is not None:
        fields = {
            "objectType": "KalturaTranscriptAsset",
            "fileExt": "txt",
            "format": AttachmentType.TEXT,
            "language": language,
            "accuracy": accuracy / 100,  # a transcript's accuracy is 0–1
            "partnerData": f"{tag}:transcript",
        }
        resource = {"objectType": "KalturaStringResource", "content": transcript}
        link = {"objectType": "KalturaCaptionAsset", "associatedTranscriptIds": ResultRef(4).id}
        calls += [
            ApiCall(_ATTACHMENTS, "add", {"entryId": task.entry_id, "attachmentAsset": fields}),
            ApiCall(
                _ATTACHMENTS, "setContent", {"id": ResultRef(4).id, "contentResource": resource}
            ),
            ApiCall(_ATTACHMENTS, "get", {"attachmentAssetId": ResultRef(4).id}),
            ApiCall(_SERVICE, "update", {"id": ResultRef(1).id, "captionAsset": link}),
        ]
    if tags:
        calls.append(ApiCall("baseEntry", "get", {"entryId": task.entry_id}))
    return calls


def _merged_tags(entry: Any, tags: Sequence[str]) -> str:
    """CAP-5: the entry's tags with the new ones appended (each once, case-insensitively)."""
    existing = str(entry.get("tags") or "") if isinstance(entry, Mapping) else ""
    merged = [t.strip() for t in existing.split(",") if t.strip()]
    seen = {t.lower() for t in merged}
    for tag in tags:
        if tag.strip() and tag.strip().lower() not in seen:
            merged.append(tag.strip())
            seen.add(tag.strip().lower())
    return ",".join(merged)


def _tag_update(entry: Any, tags: Sequence[str], language: str | None) -> dict[str, Any]:
    """CAP-5: the entry's tags, or with ``language`` its ``multiLingual_tags`` in that
    language (translations), with the new tags merged in."""
    if language is None:
        return {"objectType": "KalturaBaseEntry", "tags": _merged_tags(entry, tags)}
    items = entry.get("multiLingual_tags") if isinstance(entry, Mapping) else None
    kept = [dict(i) for i in items or () if isinstance(i, Mapping)]
    mine = next((i for i in kept if str(i.get("language", "")).lower() == language.lower()), None)
    value = _merged_tags({"tags": mine.get("value") if mine else ""}, tags)
    if mine is None:
        kept.append({"objectType": "KalturaMultiLingualString", "language": language})
        mine = kept[-1]
    mine["value"] = value
    mine["objectType"] = "KalturaMultiLingualString"
    return {"objectType": "KalturaBaseEntry", "multiLingual_tags": kept}


def _deliver(
    engine: Engine,
    task: EntryVendorTask,
    captions: CaptionInput,
    *,
    accuracy: int,
    format: CaptionFormat | str | None,
    units_used: int | None,
    external_task_id: str | None,
    mode: Mode,
    transcript: str | None = None,
    tags: Sequence[str] | None = None,
    tags_language: str | None = None,
    source: dict[str, Any] | None = None,
) -> Generator[Any, Any, tuple[EntryVendorTask, tuple[str, ...]]]:
    check_feature(task, _HELPERS[mode], *_FEATURES[mode])
    ready_to_deliver(task, accuracy, units_used)
    document = checked_captions(task, captions)
    fmt = CaptionFormat.of(format) if format is not None else output_format(task)
    if mode == "ead":
        if format is not None and fmt is not CaptionFormat.VTT:
            raise UsageError("extended audio description is delivered as WebVTT (EAD-1)")
        fmt = CaptionFormat.VTT
    language = (
        _language(task.target_language, "target", task)
        if mode == "translation"
        else _language(task.source_language, "source", task)
    )
    tag = marker(task, engine.rng.getrandbits(31))
    fields = _asset_fields(fmt, accuracy, language, mode=mode, tag=tag)
    if source is not None:
        resource = source
    else:
        resource = yield from _content_resource(engine, task, document.write(fmt), fmt)
    calls = [
        ApiCall(_SERVICE, "add", {"entryId": task.entry_id, "captionAsset": fields}),
        ApiCall(_SERVICE, "setContent", {"id": ResultRef(1).id, "contentResource": resource}),
        ApiCall(_SERVICE, "get", {"captionAssetId": ResultRef(1).id}),
        *_extras(task, accuracy, language, tag, transcript, tags),
    ]
    found = (yield from _reconcile(engine, task, tag)) if resuming(task) else None
    try:
        if found is not None:
            raise _Found()
        results = yield from task_multirequest(engine, task, calls)
    except (ReachConnectionError, ReachTimeoutError, _Found):
        # Unknown outcome (or a restarted worker): find what the server made instead of
        # creating it again.
        if found is None:
            found = yield from _reconcile(engine, task, tag)
        if found is None:
            raise
        if transcript is not None or tags:
            # A transcript cannot be looked up by an access key: stop, and say what exists.
            raise DeliveryError(
                f"task {task.id}: the delivery's outcome is unknown and the caption asset "
                f"{found['id']} exists; check its transcript and tags before delivering again",
                left=(str(found["id"]),),
            ) from None
        results = yield from _finish_found(engine, task, found, resource)
    added, read = results[0], results[2]
    asset_id = str(added["id"]) if isinstance(added, Mapping) and added.get("id") else None
    failure: ReachError | None = next((r for r in results if isinstance(r, ApiError)), None)
    asset = None if failure is not None else parse_as(read, CaptionAsset, "captionAsset.get")
    transcript_id = None
    if transcript is not None and isinstance(results[3], Mapping):
        transcript_id = str(results[3].get("id"))
        checked = results[5]
        status = checked.get("status") if isinstance(checked, Mapping) else None
        if failure is None and status != AttachmentAssetStatus.READY:
            failure = DeliveryError(f"transcript status {status}")
    if failure is None and tags:
        entry = results[-1]
        try:
            yield from task_call(
                engine,
                task,
                "baseEntry",
                "update",
                {"entryId": task.entry_id, "baseEntry": _tag_update(entry, tags, tags_language)},
            )
        except ApiError as error:
            failure = error
    if failure is not None or asset is None or asset.status != CaptionAssetStatus.READY:
        left = yield from _remove(engine, task, asset_id)
        left += (transcript_id,) if transcript_id else ()  # an access key cannot delete it
        if failure is not None:
            what = f"the delivery did not complete ({failure})"
        else:
            what = f"the caption asset did not become READY (status {asset and asset.status})"
        raise DeliveryError(f"task {task.id}: {what}; fail the task (CAP-3)", left=left)
    fields_done: dict[str, Any] = {
        "outputObjectId": asset.id,
        "accuracy": accuracy,
        "unitsUsed": units_used,
        "externalTaskId": external_task_id,
    }
    yield from update_status(engine, task, Status.READY, fields_done)
    return task, (str(asset.id), *((transcript_id,) if transcript_id else ()))


def _finish_found(
    engine: Engine, task: EntryVendorTask, found: Mapping[str, Any], resource: dict[str, Any]
) -> Generator[Any, Any, list[Any]]:
    """The found asset's content (set again unless READY) and its read-back."""
    found_id = str(found["id"])
    content: Any = found
    if found.get("status") != CaptionAssetStatus.READY:
        content = yield from task_call(
            engine, task, _SERVICE, "setContent", {"id": found_id, "contentResource": resource}
        )
    read = yield from task_call(engine, task, _SERVICE, "get", {"captionAssetId": found_id})
    return [found, content, read]


def deliver_captions(
    engine: Engine,
    task: EntryVendorTask,
    captions: CaptionInput,
    *,
    accuracy: int,
    format: CaptionFormat | str | None = None,
    transcript: str | None = None,
    tags: Sequence[str] | None = None,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    units_used: int | None = None,
    external_task_id: str | None = None,
) -> Generator[Any, Any, DeliveryResult]:
    """Deliver captions in the source language and complete the task (CAP-1 to CAP-7).

    ``captions``: SRT/WebVTT/DFXP text or bytes, a path, or a ``CaptionDocument``; validated
    first (CAP-6), written in ``format`` or the task's output format (INPUT-3). The asset is
    the entry's default caption (isDefault=1), shown on the player, labelled with its
    language. Two HTTP requests after the claim for a file up to 512 KiB.

    ``transcript`` (plain text) is added in the same request as a ``KalturaTranscriptAsset``
    with the accuracy as 0–1, read back and linked through ``associatedTranscriptIds``
    (CAP-4). ``tags`` are appended to the entry's tags (read, merge, update: CAP-5), which
    takes one more request. With ``url`` (and ``headers`` for an authenticated URL) Kaltura
    downloads the file itself (``KalturaUrlResource``, CAP-2): ``captions`` is still the
    same file, validated here first, and ``format`` must be the file's own format.
    """
    options: dict[str, Any] = {
        "units_used": units_used,
        "external_task_id": external_task_id,
        "transcript": transcript,
        "tags": tags,
        "source": url_resource(url, headers) if url is not None else None,
    }
    flow = _deliver(
        engine, task, captions, accuracy=accuracy, format=format, mode="captions", **options
    )
    return (yield from result_of(flow))


def deliver_translation(
    engine: Engine,
    task: EntryVendorTask,
    captions: CaptionInput,
    *,
    accuracy: int,
    format: CaptionFormat | str | None = None,
    tags: Sequence[str] | None = None,
    tags_language: str | None = None,
    units_used: int | None = None,
    external_task_id: str | None = None,
) -> Generator[Any, Any, DeliveryResult]:
    """Deliver a translation: a new caption asset in the target language, not the default,
    shown on the player, labelled with the language (TRANS-4); it is the task's output
    (TRANS-5). Same route and request count as :func:`deliver_captions`.

    ``tags`` from metadata extraction go into the entry's ``multiLingual_tags`` under
    ``tags_language`` (a language code such as ``"ES"``, as Kaltura's multilingual fields
    take), merged with what is there (CAP-5): one more request.
    """
    if tags and not tags_language:
        raise UsageError("translation tags go into multiLingual_tags: give tags_language='ES'")
    options: dict[str, Any] = {
        "units_used": units_used,
        "external_task_id": external_task_id,
        "tags": tags,
        "tags_language": tags_language,
    }
    flow = _deliver(
        engine, task, captions, accuracy=accuracy, format=format, mode="translation", **options
    )
    return (yield from result_of(flow))


def deliver_extended_audio_description(
    engine: Engine,
    task: EntryVendorTask,
    vtt: CaptionInput,
    *,
    accuracy: int,
    legacy_attachment: bool = False,
    units_used: int | None = None,
    external_task_id: str | None = None,
) -> Generator[Any, Any, DeliveryResult]:
    """Deliver extended audio description as a WebVTT caption asset (EAD-1 to EAD-4):
    usage 1, not shown on the player, not the default, labelled "<Language> Extended Audio
    Description"; its cues keep the original video's timeline with start and end (EAD-2,
    checked by validation). It is the task's output (EAD-4). Two HTTP requests.

    ``legacy_attachment=True`` delivers the deprecated form instead (EAD-3): an attachment
    tagged ``AAD`` with ``fileExt`` vtt and a title; only for customers who ask for it.
    """
    options: dict[str, Any] = {
        "accuracy": accuracy,
        "units_used": units_used,
        "external_task_id": external_task_id,
    }
    if legacy_attachment:
        flow = _deliver_legacy_ead(engine, task, vtt, **options)
    else:
        flow = _deliver(engine, task, vtt, format=None, mode="ead", **options)
    return (yield from result_of(flow))


def _deliver_legacy_ead(
    engine: Engine,
    task: EntryVendorTask,
    vtt: CaptionInput,
    *,
    accuracy: int,
    units_used: int | None,
    external_task_id: str | None,
) -> Generator[Any, Any, tuple[EntryVendorTask, tuple[str, ...]]]:
    """EAD-3, on request only: the deprecated attachment form of audio description."""
    check_feature(task, _HELPERS["ead"], *_FEATURES["ead"])
    ready_to_deliver(task, accuracy, units_used)
    document = _document(vtt)
    validate_captions(document).raise_if_blocking()
    language = _language(task.source_language, "source", task)
    fields = {
        "objectType": "KalturaAttachmentAsset",
        "fileExt": "vtt",
        "filename": "audio-description.vtt",
        "title": f"{language} Extended Audio Description",
        "tags": "AAD",
        "partnerData": marker(task, engine.rng.getrandbits(31)),
    }
    service = "attachment_attachmentAsset"
    resource = {"objectType": "KalturaStringResource", "content": document.to_vtt()}
    calls = [
        ApiCall(service, "add", {"entryId": task.entry_id, "attachmentAsset": fields}),
        ApiCall(service, "setContent", {"id": ResultRef(1).id, "contentResource": resource}),
        ApiCall(service, "get", {"attachmentAssetId": ResultRef(1).id}),
    ]
    added, content, read = yield from task_multirequest(engine, task, calls)
    attachment_id = str(added["id"]) if isinstance(added, Mapping) and added.get("id") else None
    failure = next((r for r in (added, content, read) if isinstance(r, ApiError)), None)
    ready = isinstance(read, Mapping) and read.get("status") == CaptionAssetStatus.READY
    if failure is not None or not ready or attachment_id is None:
        left = (attachment_id,) if attachment_id else ()  # an access key cannot delete it
        status = read.get("status") if isinstance(read, Mapping) else None
        why = str(failure) if failure is not None else f"status {status}"
        raise DeliveryError(
            f"task {task.id}: the audio description attachment did not become READY ({why})",
            left=left,
        )
    fields_done: dict[str, Any] = {
        "outputObjectId": attachment_id,
        "accuracy": accuracy,
        "unitsUsed": units_used,
        "externalTaskId": external_task_id,
    }
    yield from update_status(engine, task, Status.READY, fields_done)
    return task, (attachment_id,)
