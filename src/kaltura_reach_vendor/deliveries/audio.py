"""Dubbing and standard audio description deliveries (DUB-1 to DUB-5), written once.

``deliver_dubbing`` (service feature 7) and ``deliver_audio_description`` (4) deliver two
audio flavors on the task's entry (DUB-1): the dubbed or described track with the catalog
item's ``flavorParamsId``, not the default, in the target language (dubbing) or the source
language (audio description, whose catalog item names no other), labelled per DUB-2; and the
original "clear audio" with ``clearAudioFlavorParamsId``, the default, in the source language.
Steps, and the HTTP requests they take after the claim:

1. DUB-3 on both files before anything is sent (:mod:`kaltura_reach_vendor.audio`: MP4,
   AAC-LC, 64 or 128 kbps, read with ``mutagen`` through the ``ProbeAudio`` effect);
   optional dub captions (DUB-4) are parsed and validated then too. No request.
2. Both files through resumable uploads with the task's access key (``uploadToken.add`` and
   one ``uploadToken.upload`` per 8 MiB chunk: **2 requests per file** up to 8 MiB).
3. **One multirequest**: for each flavor ``flavorAsset.add`` (``fileExt`` mp4, the delivery's
   marker in ``partnerData``), ``flavorAsset.setContent`` with the upload token and
   ``flavorAsset.get``; for the dub's captions ``captionAsset.add`` / ``setContent`` / ``get``.
4. Each flavor verified READY (DUB-3) with :func:`~kaltura_reach_vendor._readiness.wait_ready`,
   starting from the read-back of step 3: no request when Kaltura converted it at once, one
   ``flavorAsset.get`` per poll while it converts. ERROR (-1) or a wait that runs out fails.
5. ``updateJob`` → READY with ``outputObjectId`` = the dubbed or described flavor (DUB-5),
   ``accuracy`` (ACC-1, LIFE-6), ``unitsUsed`` and ``externalTaskId``: **1 request**.

So a delivery takes the uploads plus 2 requests when the flavors are READY at once.

**Never two flavors.** Kaltura keeps one flavor per ``flavorParamsId`` on an entry (``add``
answers ``FLAVOR_ASSET_ALREADY_EXISTS``). If step 3's outcome is unknown (the connection
dropped after the server may have run it), the entry's flavors are listed and the ones
carrying this attempt's marker are used; the upload tokens say whether their content was
attached; a restarted worker's attempt (its journalled marker) looks for them the same way
before making anything. If ``add`` finds a flavor of the same ``flavorParamsId`` that an
earlier attempt at *this task* made (its marker names the task), that flavor is reused: its
fields are updated and the new file set as its content. A flavor of that ``flavorParamsId``
that the SDK did not make for this task is not touched: the delivery stops with a
:class:`~kaltura_reach_vendor.errors.DeliveryError` naming it. A delivery that fails deletes
what it made or reused (``flavorAsset.delete``, ``captionAsset.delete``); what could not be
deleted is in the error's ``left``. The task is left for the caller to ``fail``.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Mapping, Sequence
from typing import Any, Literal

import attrs

from .._engine import Engine
from .._readiness import ReadyWait, wait_ready
from .._tasks import check_accuracy, task_multirequest, update_status
from .._transfer import ProbeAudio
from .._uploads import UploadData, upload
from .._wire.call import ApiCall, ResultRef
from ..audio import AudioFacts, check_audio
from ..captions import output_format
from ..enums import CaptionAssetStatus, FlavorAssetStatus, VendorServiceFeature
from ..enums import EntryVendorTaskStatus as Status
from ..errors import (
    ApiError,
    AudioFormatError,
    ConversionError,
    DeliveryError,
    ReachConnectionError,
    ReachError,
    ReachTimeoutError,
    StateError,
    UsageError,
)
from ..models import EntryVendorTask
from ._common import (
    DeliveryResult,
    check_feature,
    marker,
    marker_task,
    ready_to_deliver,
    result_of,
    resuming,
)
from .captions import (
    CaptionInput,
    _content_resource,
    _language,
    checked_captions,
)

__all__ = [
    "AUDIO_FILE_EXT",
    "DUB_CAPTIONS_MAX_ACCURACY",
    "deliver_audio_description",
    "deliver_dubbing",
]

#: DUB-3: the tracks are MP4 files, and ``fileExt`` says so.
AUDIO_FILE_EXT = "mp4"
#: DUB-4: the dub's captions are a translation aligned to the new audio: accuracy below this.
DUB_CAPTIONS_MAX_ACCURACY = 99
Mode = Literal["dubbing", "description"]
Kind = Literal["flavor", "caption"]
_EXISTS = "FLAVOR_ASSET_ALREADY_EXISTS"
_DELETED = int(FlavorAssetStatus.DELETED)
#: kind → (service, object parameter, id parameter of get/delete, list filter)
_KIND: dict[str, tuple[str, str, str, str]] = {
    "flavor": ("flavorAsset", "flavorAsset", "id", "KalturaFlavorAssetFilter"),
    "caption": (
        "caption_captionAsset",
        "captionAsset",
        "captionAssetId",
        "KalturaCaptionAssetFilter",
    ),
}
_HELPER = {"dubbing": "deliver_dubbing", "description": "deliver_audio_description"}
_FEATURE = {
    "dubbing": VendorServiceFeature.DUBBING,
    "description": VendorServiceFeature.AUDIO_DESCRIPTION,
}
_TRACK = {"dubbing": "dubbed audio", "description": "described audio"}


@attrs.frozen
class _Piece:
    """One object the delivery makes: a flavor ("output", "clear") or the dub's captions."""

    role: str
    kind: Kind
    fields: Mapping[str, Any]
    resource: Mapping[str, Any]
    #: The upload token the content comes from (flavors).
    token: str | None = None

    @property
    def tag(self) -> str:
        return str(self.fields["partnerData"])


@attrs.frozen
class _Found:
    """An object of this task found on the entry, and whether its content is attached."""

    data: Mapping[str, Any]
    attached: bool


@attrs.frozen
class _Made:
    """What step 3 did for one piece: the object's id, its read-back, the first error."""

    object_id: str | None
    read: Any
    error: ApiError | None


def _catalog_ids(task: EntryVendorTask) -> tuple[int, int]:
    """DUB-1: the catalog item's ``flavorParamsId`` and ``clearAudioFlavorParamsId``."""
    catalog = task.catalog_item
    ids = []
    for attr, wire in (
        ("flavor_params_id", "flavorParamsId"),
        ("clear_audio_flavor_params_id", "clearAudioFlavorParamsId"),
    ):
        value = getattr(catalog, attr, None) if catalog is not None else None
        if value is None and catalog is not None:
            value = catalog.extra.get(wire)
        if value is None:
            raise StateError(
                f"task {task.id}: its catalog item names no {wire} (DUB-1); read the task "
                "with the reach_vendor response profile"
            )
        ids.append(int(value))
    return ids[0], ids[1]


def _audio_name(data: UploadData, default: str) -> str:
    if isinstance(data, (str, os.PathLike)):
        return os.path.basename(os.fspath(data)) or default
    name = getattr(data, "name", None)
    return os.path.basename(name) if isinstance(name, str) and name else default


def _checked_audio(data: UploadData, what: str) -> Generator[Any, Any, AudioFacts]:
    """DUB-3 on one file, before anything is uploaded."""
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    outcome = yield ProbeAudio(data)
    if isinstance(outcome, OSError):
        raise UsageError(f"cannot read the {what} file: {outcome}") from outcome
    if isinstance(outcome, AudioFormatError):
        raise AudioFormatError(f"{what}: {outcome.message}", facts=outcome.facts) from None
    if isinstance(outcome, ReachError):
        raise outcome
    try:
        return check_audio(outcome)
    except AudioFormatError as error:
        raise AudioFormatError(f"{what}: {error.message}", facts=error.facts) from None


def _flavor(role: str, params_id: int, language: str, label: str, tag: str) -> dict[str, Any]:
    return {
        "objectType": "KalturaFlavorAsset",
        "flavorParamsId": params_id,
        "isDefault": 1 if role == "clear" else 0,  # KalturaNullableBoolean, as the seed writes
        "language": language,
        "label": label,
        "fileExt": AUDIO_FILE_EXT,
        "partnerData": tag,
    }


def _calls(
    task: EntryVendorTask, pieces: Sequence[_Piece], found: Mapping[str, _Found]
) -> tuple[list[ApiCall], dict[str, tuple[int, int, str | None]]]:
    """The calls making ``pieces``, and where each piece's results are (start, end, id)."""
    calls: list[ApiCall] = []
    where: dict[str, tuple[int, int, str | None]] = {}
    for piece in pieces:
        service, key, id_name, _ = _KIND[piece.kind]
        start = len(calls)
        existing = found.get(piece.role)
        known: str | None = None
        target: Any
        if existing is None:
            calls.append(ApiCall(service, "add", {"entryId": task.entry_id, key: piece.fields}))
            target = ResultRef(start + 1).id
        else:
            known = target = str(existing.data["id"])
            if existing.data.get("partnerData") != piece.tag:
                # An earlier attempt's flavor, reused: its fields as this attempt sets them
                # (flavorParamsId is insert-only and already the right one).
                fields = {k: v for k, v in piece.fields.items() if k != "flavorParamsId"}
                calls.append(ApiCall(service, "update", {"id": target, key: fields}))
        if existing is None or not existing.attached:
            calls.append(
                ApiCall(service, "setContent", {"id": target, "contentResource": piece.resource})
            )
        calls.append(ApiCall(service, "get", {id_name: target}))
        where[piece.role] = (start, len(calls), known)
    return calls, where


def _made(
    results: Sequence[Any], where: Mapping[str, tuple[int, int, str | None]]
) -> dict[str, _Made]:
    made = {}
    for role, (start, end, known) in where.items():
        part = results[start:end]
        error = next((r for r in part if isinstance(r, ApiError)), None)
        object_id = known
        if object_id is None and isinstance(part[0], Mapping) and part[0].get("id"):
            object_id = str(part[0]["id"])
        read = None if isinstance(part[-1], ApiError) else part[-1]
        made[role] = _Made(object_id, read, error)
    return made


def _objects(answer: Any) -> list[Mapping[str, Any]]:
    items = answer.get("objects") if isinstance(answer, Mapping) else None
    return [i for i in items or () if isinstance(i, Mapping) and i.get("status") != _DELETED]


def _find(
    engine: Engine, task: EntryVendorTask, pieces: Sequence[_Piece], *, earlier: bool
) -> Generator[Any, Any, dict[str, _Found]]:
    """This task's objects on the entry, in one multirequest: by this attempt's marker, or
    (``earlier``) a flavor of the piece's ``flavorParamsId`` an earlier attempt made. The
    upload tokens say whether a flavor's content is attached already."""
    kinds = sorted({p.kind for p in pieces})
    calls = [
        ApiCall(
            _KIND[kind][0],
            "list",
            {
                "filter": {"objectType": _KIND[kind][3], "entryIdEqual": task.entry_id},
                "pager": {"objectType": "KalturaFilterPager", "pageSize": 500},
            },
        )
        for kind in kinds
    ]
    with_token = [p for p in pieces if p.token]
    calls += [ApiCall("uploadToken", "get", {"uploadTokenId": p.token}) for p in with_token]
    results = yield from task_multirequest(engine, task, calls)
    listed = {kind: _objects(results[i]) for i, kind in enumerate(kinds)}
    tokens = {p.role: results[len(kinds) + i] for i, p in enumerate(with_token)}
    found: dict[str, _Found] = {}
    for piece in pieces:
        for item in listed[piece.kind]:
            if earlier:
                mine = marker_task(str(item.get("partnerData") or "")) == str(task.id)
                same = str(item.get("flavorParamsId")) == str(piece.fields["flavorParamsId"])
                if not (mine and same):
                    continue
            elif item.get("partnerData") != piece.tag:
                continue
            token = tokens.get(piece.role)
            if piece.kind == "flavor":
                attached = (
                    isinstance(token, Mapping) and token.get("attachedObjectId") == item["id"]
                )
            else:
                attached = item.get("status") == CaptionAssetStatus.READY
            found[piece.role] = _Found(item, attached)
            break
    return found


def _make(
    engine: Engine, task: EntryVendorTask, pieces: Sequence[_Piece]
) -> Generator[Any, Any, dict[str, _Made]]:
    """Step 3, with the reconciliations described in the module docstring. A restarted
    worker's attempt (:func:`~._common.resuming`) first looks for what it made before."""
    found = (yield from _find(engine, task, pieces, earlier=False)) if resuming(task) else {}
    calls, where = _calls(task, pieces, found)
    try:
        results = yield from task_multirequest(engine, task, calls)
    except (ReachConnectionError, ReachTimeoutError):
        # Unknown outcome: find what the server made instead of making it again.
        found = yield from _find(engine, task, pieces, earlier=False)
        if not found:
            raise
        calls, where = _calls(task, pieces, found)
        results = yield from task_multirequest(engine, task, calls)
    made = _made(results, where)
    clashes = [
        p
        for p in pieces
        if p.kind == "flavor" and getattr(made[p.role].error, "code", None) == _EXISTS
    ]
    if not clashes:
        return made
    earlier = yield from _find(engine, task, clashes, earlier=True)
    others = [p for p in clashes if p.role not in earlier]
    if others:
        left = yield from _remove(engine, task, pieces, made)
        names = ", ".join(f"flavorParamsId {p.fields['flavorParamsId']}" for p in others)
        raise DeliveryError(
            f"task {task.id}: the entry already has a flavor with {names} that this SDK did "
            "not make for this task (Kaltura keeps one per flavorParamsId); it was not "
            f"touched: ask the customer to remove it, then deliver again",
            left=left,
        )
    calls, where = _calls(task, clashes, earlier)
    results = yield from task_multirequest(engine, task, calls)
    return {**made, **_made(results, where)}


def _remove(
    engine: Engine, task: EntryVendorTask, pieces: Sequence[_Piece], made: Mapping[str, _Made]
) -> Generator[Any, Any, tuple[str, ...]]:
    """Delete what this attempt made or reused, in one multirequest; returns what is left."""
    kinds = {p.role: p.kind for p in pieces}
    targets = [(kinds[role], m.object_id) for role, m in made.items() if m.object_id]
    if not targets:
        return ()
    calls = [
        ApiCall(_KIND[kind][0], "delete", {_KIND[kind][2]: object_id})
        for kind, object_id in targets
    ]
    try:
        results = yield from task_multirequest(engine, task, calls)
    except ReachError:
        return tuple(object_id for _, object_id in targets)
    return tuple(
        object_id
        for (_, object_id), result in zip(targets, results, strict=True)
        if isinstance(result, ApiError)
    )


def _verified(
    engine: Engine,
    task: EntryVendorTask,
    pieces: Sequence[_Piece],
    made: Mapping[str, _Made],
    ready_wait: ReadyWait | None,
) -> Generator[Any, Any, None]:
    """Every piece made without error and READY (DUB-3: each flavor READY, not ERROR);
    otherwise what was made is removed and the delivery fails."""
    failure: ReachError | None = next((m.error for m in made.values() if m.error), None)
    if failure is None:
        try:
            for piece in pieces:
                done = made[piece.role]
                if piece.kind == "flavor":
                    yield from wait_ready(
                        engine,
                        task,
                        "flavor",
                        str(done.object_id),
                        wait=ready_wait,
                        first=done.read,
                    )
                elif (
                    not isinstance(done.read, Mapping)
                    or done.read.get("status") != CaptionAssetStatus.READY
                ):
                    status = done.read.get("status") if isinstance(done.read, Mapping) else None
                    failure = DeliveryError(
                        f"the dub's caption asset is not READY (status {status})"
                    )
                    break
        except ConversionError as error:
            failure = error
    if failure is None:
        return
    left = yield from _remove(engine, task, pieces, made)
    detail = failure.message.removeprefix(f"task {task.id}: ")
    then = "" if getattr(failure, "timed_out", False) else "; fail the task"
    message = f"task {task.id}: the delivery did not complete ({detail}){then}"
    if isinstance(failure, ConversionError):
        raise ConversionError(
            message,
            kind=failure.kind,
            object_id=failure.object_id,
            status=failure.status,
            timed_out=failure.timed_out,
            left=left,
        ) from failure
    raise DeliveryError(message, left=left) from failure


def _deliver(
    engine: Engine,
    task: EntryVendorTask,
    mode: Mode,
    track: UploadData,
    original: UploadData,
    *,
    accuracy: int,
    captions: CaptionInput | None = None,
    captions_accuracy: int | None = None,
    units_used: int | None,
    external_task_id: str | None,
    ready_wait: ReadyWait | None,
) -> Generator[Any, Any, tuple[EntryVendorTask, tuple[str, ...]]]:
    check_feature(task, _HELPER[mode], _FEATURE[mode])
    ready_to_deliver(task, accuracy, units_used)
    params_id, clear_params_id = _catalog_ids(task)
    source = _language(task.source_language, "source", task)
    language = _language(task.target_language, "target", task) if mode == "dubbing" else source
    document = None
    caption_accuracy: int | None = None
    if captions is not None:
        caption_accuracy = check_accuracy(
            accuracy if captions_accuracy is None else captions_accuracy
        )
        if caption_accuracy >= DUB_CAPTIONS_MAX_ACCURACY:
            raise UsageError(
                f"the dub's captions are a translation aligned to the new audio: their accuracy "
                f"is below {DUB_CAPTIONS_MAX_ACCURACY} (DUB-4), got {caption_accuracy}; give "
                "captions_accuracy"
            )
        document = checked_captions(task, captions)
    yield from _checked_audio(track, _TRACK[mode])
    yield from _checked_audio(original, "original audio")
    tag = marker(task, engine.rng.getrandbits(31))
    label = language if mode == "dubbing" else f"{language} - Audio description"  # DUB-2
    dub_token = yield from upload(engine, task, track, filename=_audio_name(track, f"{mode}.mp4"))
    clear_token = yield from upload(
        engine, task, original, filename=_audio_name(original, "original.mp4")
    )
    pieces = [
        _Piece(
            "output",
            "flavor",
            _flavor("output", params_id, language, label, tag),
            {"objectType": "KalturaUploadedFileTokenResource", "token": dub_token.id},
            dub_token.id,
        ),
        _Piece(
            "clear",
            "flavor",
            _flavor("clear", clear_params_id, source, source, f"{tag}:clear"),
            {"objectType": "KalturaUploadedFileTokenResource", "token": clear_token.id},
            clear_token.id,
        ),
    ]
    if document is not None:
        fmt = output_format(task)
        resource = yield from _content_resource(engine, task, document.write(fmt), fmt)
        fields = {
            "objectType": "KalturaCaptionAsset",
            "format": fmt.caption_type,
            "fileExt": fmt.extension,
            "accuracy": caption_accuracy,
            "language": language,
            "label": f"{language} (Dub translation)",
            "isDefault": False,
            "displayOnPlayer": True,
            "partnerData": f"{tag}:captions",
        }
        pieces.append(_Piece("captions", "caption", fields, resource))
    made = yield from _make(engine, task, pieces)
    yield from _verified(engine, task, pieces, made, ready_wait)
    ids = tuple(str(made[p.role].object_id) for p in pieces)
    done = {
        "outputObjectId": ids[0],
        "accuracy": accuracy,
        "unitsUsed": units_used,
        "externalTaskId": external_task_id,
    }
    yield from update_status(engine, task, Status.READY, done)
    return task, ids


def deliver_dubbing(
    engine: Engine,
    task: EntryVendorTask,
    dubbed_audio: UploadData,
    original_audio: UploadData,
    *,
    accuracy: int,
    captions: CaptionInput | None = None,
    captions_accuracy: int | None = None,
    units_used: int | None = None,
    external_task_id: str | None = None,
    ready_wait: ReadyWait | None = None,
) -> Generator[Any, Any, DeliveryResult]:
    """Deliver a dubbing task (feature 7) and complete it (DUB-1 to DUB-5).

    ``dubbed_audio`` and ``original_audio`` (the clear audio, without the dub): MP4 files with
    AAC-LC at 64 or 128 kbps (DUB-3, checked first), as paths, bytes or seekable binary files.
    The dub is added in the target language, labelled with it ("Spanish"), not the default;
    the original in the source language, the default. ``captions`` (SRT/WebVTT/DFXP, aligned
    to the dub) adds a caption asset in the target language labelled "<Language> (Dub
    translation)", shown on the player, not the default, with ``captions_accuracy`` (default
    ``accuracy``) below 99 (DUB-4). ``ready_wait`` bounds the wait for Kaltura's conversion.
    The result's ``object_ids``: the dubbed flavor (the output, DUB-5), the clear flavor, the
    caption asset if any. The uploads plus 2 HTTP requests when the flavors are READY at once.
    """
    flow = _deliver(
        engine,
        task,
        "dubbing",
        dubbed_audio,
        original_audio,
        accuracy=accuracy,
        captions=captions,
        captions_accuracy=captions_accuracy,
        units_used=units_used,
        external_task_id=external_task_id,
        ready_wait=ready_wait,
    )
    return (yield from result_of(flow))


def deliver_audio_description(
    engine: Engine,
    task: EntryVendorTask,
    described_audio: UploadData,
    original_audio: UploadData,
    *,
    accuracy: int,
    units_used: int | None = None,
    external_task_id: str | None = None,
    ready_wait: ReadyWait | None = None,
) -> Generator[Any, Any, DeliveryResult]:
    """Deliver a standard audio description task (feature 4) and complete it (DUB-1, DUB-2,
    DUB-3, DUB-5).

    ``described_audio`` (the original audio merged with the descriptions) is added in the
    source language labelled "<Language> - Audio description", not the default;
    ``original_audio`` (clear audio) in the source language, the default. Both are MP4 files
    with AAC-LC at 64 or 128 kbps (DUB-3, checked first). The described flavor is the task's
    output. The uploads plus 2 HTTP requests when the flavors are READY at once.
    """
    flow = _deliver(
        engine,
        task,
        "description",
        described_audio,
        original_audio,
        accuracy=accuracy,
        units_used=units_used,
        external_task_id=external_task_id,
        ready_wait=ready_wait,
    )
    return (yield from result_of(flow))
