"""Sign-language deliveries (SIGN-1 to SIGN-3), written once.

The signed video becomes a **child entry** of the task's entry. After the local checks (the
task is a sign-language task, accuracy, lifecycle, the sign language) the delivery takes
these HTTP requests after the claim, all with the task's access key except the last:

1. ``baseEntry.get`` of the task's entry, for its name;
2. the resumable upload of the video (``uploadToken.add`` and one ``uploadToken.upload`` per
   8 MiB chunk: two requests for a file up to 8 MiB);
3. one multirequest: ``media.add`` of the child, named "<parent name> child signLang<LANG>",
   a video (mediaType 1) carrying the delivery's marker in ``partnerData``;
   ``media.addContent`` with the upload token; ``media.get`` to read it back (SIGN-1);
4. while the child converts (PRECONVERT), ``media.get`` again with backoff until READY
   (:func:`~kaltura_reach_vendor._readiness.wait_ready`, bounded by ``ready_wait``); a child
   that ends ERROR_CONVERTING (-1) or ERROR_IMPORTING (-2) stops the delivery (SIGN-1);
5. ``media.update`` of the child: ``parentEntryId`` = the task's entry and ``adminTags`` =
   what the child has plus ``signLang``, ``signLang<LANG>`` and the vendor's name, comma
   separated, each once (SIGN-2);
6. ``updateJob`` → READY with ``outputObjectId`` = the child entry (SIGN-3), ``accuracy``,
   ``unitsUsed`` and ``externalTaskId`` (ACC-1, LIFE-5 to LIFE-7, LIFE-10).

So **six requests** plus one per extra read while Kaltura converts. The parent's name cannot
travel inside the multirequest: a ``{1:result:name}`` placeholder would have to sit inside a
longer string, which the reference does not promise (§1.6 speaks of whole values). The
update waits for READY, as the seed's order says, so the player never links a child that has
no playable video.

An access key may not list entries (``baseEntry.list`` is refused to it), so a multirequest
whose outcome is unknown is reconciled through its upload token instead: ``uploadToken.get``
tells whether the token was attached (the multirequest ran) and to what; the child found
there must carry this delivery's marker. A token never attached means nothing was created:
the error is raised and the delivery can simply be run again.

A failed delivery raises :class:`~kaltura_reach_vendor.errors.DeliveryError` (a conversion
error: :class:`~kaltura_reach_vendor.errors.ConversionError` with the entry's status) whose
``left`` names the child entry (an access key cannot delete entries); the task is left for
the caller to ``fail``.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

from .._engine import Engine
from .._readiness import ReadyWait, wait_ready
from .._tasks import task_call, task_multirequest, update_status
from .._uploads import UploadData, upload
from .._wire.call import ApiCall, ResultRef
from ..enums import CatalogItemLanguage, VendorServiceFeature
from ..enums import EntryVendorTaskStatus as Status
from ..errors import (
    ApiError,
    DeliveryError,
    ReachConnectionError,
    ReachError,
    ReachTimeoutError,
    ResponseValidationError,
    TaskCancelled,
    UsageError,
)
from ..models import EntryVendorTask
from ._common import DeliveryResult, check_feature, marker, ready_to_deliver, result_of

__all__ = ["SIGN_LANGUAGES", "deliver_sign_language", "sign_language_code"]

#: The sign languages REACH orders (catalog ``targetLanguage`` "English (ASL)" / "(BSL)").
SIGN_LANGUAGES = ("ASL", "BSL")
_BY_CATALOG = {CatalogItemLanguage.EN_ASL: "ASL", CatalogItemLanguage.EN_BSL: "BSL"}
_BY_NAME = {str(language.value): code for language, code in _BY_CATALOG.items()}
_VIDEO = 1  # KalturaMediaType.VIDEO
Flow = Generator[Any, Any, Any]


def sign_language_code(value: str | None, task: EntryVendorTask | None = None) -> str:
    """``ASL`` or ``BSL``: the LANG of ``signLang<LANG>`` (SIGN-1, SIGN-2).

    Accepted: ``"ASL"``/``"BSL"`` in any case, or the catalog's own names ``"English (ASL)"``
    / ``"English (BSL)"``. Nothing else: REACH's sign-language catalog items offer exactly
    these two (reference §6.2, seed: "[language] is ASL or BSL"), and a tag Kaltura's player
    does not know would hide the video. ``None`` takes the task's target language (ASL when
    the task names none). A language that contradicts the task's is refused.
    """
    target = task.target_language if task is not None else None
    ordered = _BY_CATALOG.get(target) if target is not None else None
    if value is None:
        return ordered or "ASL"
    text = str(getattr(value, "value", value)).strip()
    code = _BY_NAME.get(text, text.upper())
    if code not in SIGN_LANGUAGES:
        raise UsageError(
            f"sign language must be ASL or BSL (or 'English (ASL)' / 'English (BSL)'), got {text!r}"
        )
    if ordered is not None and code != ordered:
        raise UsageError(
            f"task {task.id if task else '?'} orders {ordered}, not {code}: deliver the "
            "sign language the customer ordered"
        )
    return str(code)


def _vendor_tag(engine: Engine, vendor_tag: str | None) -> str:
    tag = (vendor_tag if vendor_tag is not None else engine.config.vendor_name).strip()
    if not tag or "," in tag:
        raise UsageError(f"the vendor tag must be one admin tag without commas, got {tag!r}")
    return tag


def merged_admin_tags(existing: str | None, new: tuple[str, ...]) -> str:
    """SIGN-2: ``existing`` admin tags, then each new tag not already there (ignoring case)."""
    merged = [t.strip() for t in (existing or "").split(",") if t.strip()]
    seen = {t.lower() for t in merged}
    for tag in new:
        if tag.lower() not in seen:
            merged.append(tag)
            seen.add(tag.lower())
    return ",".join(merged)


def _checked(task: EntryVendorTask, accuracy: int, units_used: int | None) -> str:
    """Everything refused locally, before any request; returns the parent entry id."""
    check_feature(task, "deliver_sign_language", VendorServiceFeature.SIGN_LANGUAGE)
    return ready_to_deliver(task, accuracy, units_used)


def _entry(value: Any, what: str) -> Mapping[str, Any]:
    if isinstance(value, ApiError):
        raise value
    if not isinstance(value, Mapping) or not value.get("id"):
        raise ResponseValidationError(f"{what} did not answer an entry", body=value)
    return value


def _reconcile(
    engine: Engine, task: EntryVendorTask, token_id: str, tag: str
) -> Generator[Any, Any, Mapping[str, Any] | None]:
    """The child this attempt created, found through its upload token (no listing by an
    access key); None when the token was never attached (nothing was created)."""
    token = yield from task_call(engine, task, "uploadToken", "get", {"uploadTokenId": token_id})
    attached = str(token.get("attachedObjectId") or "") if isinstance(token, Mapping) else ""
    if not attached:
        return None
    entry_id = attached
    kind = str(token.get("attachedObjectType") or "").lower()
    try:
        if "asset" in kind or "flavor" in kind:  # the entry's source flavor holds the file
            flavor = yield from task_call(engine, task, "flavorAsset", "get", {"id": attached})
            entry_id = str(flavor.get("entryId") or "") if isinstance(flavor, Mapping) else ""
        entry = _entry(
            (yield from task_call(engine, task, "media", "get", {"entryId": entry_id})),
            "media.get",
        )
    except (ApiError, ResponseValidationError) as error:
        raise DeliveryError(
            f"task {task.id}: the child entry's creation had an unknown outcome and the "
            f"upload went to {attached}, which cannot be read back ({error})",
            left=(attached,),
        ) from error
    if entry.get("partnerData") != tag:
        raise DeliveryError(
            f"task {task.id}: the upload was attached to entry {entry_id}, which this "
            "delivery did not create",
            left=(),
        )
    return entry


def _create_child(
    engine: Engine, task: EntryVendorTask, name: str, token_id: str, tag: str
) -> Generator[Any, Any, tuple[str, Mapping[str, Any]]]:
    """SIGN-1 in one multirequest: add the child, give it the video, read it back."""
    fields = {"objectType": "KalturaMediaEntry", "name": name, "mediaType": _VIDEO}
    fields["partnerData"] = tag
    resource = {"objectType": "KalturaUploadedFileTokenResource", "token": token_id}
    calls = [
        ApiCall("media", "add", {"entry": fields}),
        ApiCall("media", "addContent", {"entryId": ResultRef(1).id, "resource": resource}),
        ApiCall("media", "get", {"entryId": ResultRef(1).id}),
    ]
    try:
        added, content, read = yield from task_multirequest(engine, task, calls)
    except (ReachConnectionError, ReachTimeoutError):
        found = yield from _reconcile(engine, task, token_id, tag)
        if found is None:
            raise
        return str(found["id"]), found
    child_id = str(added["id"]) if isinstance(added, Mapping) and added.get("id") else None
    failure = next((r for r in (added, content, read) if isinstance(r, ApiError)), None)
    if isinstance(failure, TaskCancelled):
        raise failure
    if failure is not None or child_id is None:
        raise DeliveryError(
            f"task {task.id}: the sign-language child entry could not be created "
            f"({failure or 'no entry id in the answer'})",
            left=(child_id,) if child_id else (),
        )
    return child_id, _entry(read, "media.get")


def _link_child(
    engine: Engine, task: EntryVendorTask, child_id: str, admin_tags: str
) -> Generator[Any, Any, None]:
    """SIGN-2: bind the child to the task's entry and tag it; an idempotent write, sent
    again once if its outcome is unknown."""
    update = {
        "objectType": "KalturaMediaEntry",
        "parentEntryId": task.entry_id,
        "adminTags": admin_tags,
    }
    params = {"entryId": child_id, "mediaEntry": update}
    try:
        answer = yield from task_call(engine, task, "media", "update", params)
    except (ReachConnectionError, ReachTimeoutError):
        answer = yield from task_call(engine, task, "media", "update", params)
    entry = _entry(answer, "media.update")
    if entry.get("parentEntryId") != task.entry_id or entry.get("adminTags") != admin_tags:
        # §1.4: a field the key may not write is dropped silently (adminTags needs the
        # editadmintags privilege that sign-language access keys carry).
        raise DeliveryError(
            f"task {task.id}: Kaltura did not keep parentEntryId/adminTags on child entry "
            f"{child_id} (the access key may lack editadmintags)",
            left=(child_id,),
        )


def _deliver(
    engine: Engine,
    task: EntryVendorTask,
    video: UploadData,
    *,
    sign_language: str | None,
    accuracy: int,
    vendor_tag: str | None,
    units_used: int | None,
    external_task_id: str | None,
    ready_wait: ReadyWait | None,
) -> Generator[Any, Any, tuple[EntryVendorTask, tuple[str, ...]]]:
    parent_id = _checked(task, accuracy, units_used)
    lang = sign_language_code(sign_language, task)
    # The seed asks for a 'singLang' tag once: a typo for 'signLang', which we use.
    new_tags = ("signLang", f"signLang{lang}", _vendor_tag(engine, vendor_tag))
    tag = marker(task, engine.rng.getrandbits(31))
    parent = _entry(
        (yield from task_call(engine, task, "baseEntry", "get", {"entryId": parent_id})),
        "baseEntry.get",
    )
    name = f"{parent.get('name') or parent_id} child signLang{lang}"
    token = yield from upload(engine, task, video, filename=f"signLang{lang}.mp4")
    child_id, read = yield from _create_child(engine, task, name, str(token.id), tag)
    try:
        child = yield from wait_ready(engine, task, "entry", child_id, wait=ready_wait, first=read)
        admin_tags = merged_admin_tags(child.get("adminTags"), new_tags)
        yield from _link_child(engine, task, child_id, admin_tags)
    except DeliveryError as error:
        error.left = error.left or (child_id,)
        raise
    except TaskCancelled:
        raise
    except ReachError as error:
        raise DeliveryError(
            f"task {task.id}: sign-language child entry {child_id} was created but the "
            f"delivery did not complete ({error})",
            left=(child_id,),
        ) from error
    fields: dict[str, Any] = {
        "outputObjectId": child_id,
        "accuracy": accuracy,
        "unitsUsed": units_used,
        "externalTaskId": external_task_id,
    }
    yield from update_status(engine, task, Status.READY, fields)
    return task, (child_id,)


def deliver_sign_language(
    engine: Engine,
    task: EntryVendorTask,
    video: UploadData,
    *,
    accuracy: int,
    sign_language: str | None = None,
    vendor_tag: str | None = None,
    units_used: int | None = None,
    external_task_id: str | None = None,
    ready_wait: ReadyWait | None = None,
) -> Generator[Any, Any, DeliveryResult]:
    """Deliver a sign-language video as a child entry and complete the task (SIGN-1 to 3).

    ``video``: bytes, a path or a seekable binary file, uploaded resumably with the task's
    access key. ``sign_language``: ``"ASL"`` or ``"BSL"`` (default: the one the task orders).
    ``vendor_tag``: the vendor-name admin tag (default: the client's ``vendor_name``).
    ``ready_wait``: how long and how often to poll the child while Kaltura converts it.
    Six HTTP requests for a video up to 8 MiB that is READY at the first read.
    """
    flow = _deliver(
        engine,
        task,
        video,
        sign_language=sign_language,
        accuracy=accuracy,
        vendor_tag=vendor_tag,
        units_used=units_used,
        external_task_id=external_task_id,
        ready_wait=ready_wait,
    )
    return (yield from result_of(flow))
