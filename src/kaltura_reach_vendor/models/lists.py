"""Concrete list responses (``objects`` typed per list)."""

from __future__ import annotations

import html
from typing import Any, ClassVar

import attrs

from ._base import ListResponse, register
from .assets import AttachmentAsset, CaptionAsset, FlavorAsset
from .catalog import VendorCatalogItem
from .cue_points import CuePoint
from .entries import BaseEntry, MediaEntry
from .moderation import ModerationFlag
from .profile import ReachProfile
from .task import EntryVendorTask

__all__ = [
    "AttachmentAssetListResponse",
    "BaseEntryListResponse",
    "CaptionAssetListResponse",
    "CuePointListResponse",
    "EntryVendorTaskListResponse",
    "FlavorAssetListResponse",
    "MediaListResponse",
    "ModerationFlagListResponse",
    "ReachProfileListResponse",
    "VendorCatalogItemListResponse",
]


@register("KalturaEntryVendorTaskListResponse")
@attrs.define(kw_only=True, repr=False)
class EntryVendorTaskListResponse(ListResponse[EntryVendorTask]):
    """What ``getJobs`` and ``entryVendorTask.list`` return."""

    item_type: ClassVar[type[Any]] = EntryVendorTask

    def _repr_html_(self) -> str:
        tasks = list(self)
        if not tasks:
            return "<i>no tasks</i>"
        heads = [k for k, _ in tasks[0].summary_rows()]
        for t in tasks[1:]:
            heads += [k for k, _ in t.summary_rows() if k not in heads]
        head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
        body = ""
        for t in tasks:
            row = dict(t.summary_rows())
            body += "<tr>" + "".join(f"<td>{html.escape(str(row.get(h, '')))}</td>" for h in heads)
            body += "</tr>"
        total = f" of {self.total_count}" if self.total_count is not None else ""
        return f"<b>{len(tasks)} task(s){total}</b><table><tr>{head}</tr>{body}</table>"


@register("KalturaVendorCatalogItemListResponse")
@attrs.define(kw_only=True, repr=False)
class VendorCatalogItemListResponse(ListResponse[VendorCatalogItem]):
    item_type: ClassVar[type[Any]] = VendorCatalogItem


@register("KalturaReachProfileListResponse")
@attrs.define(kw_only=True, repr=False)
class ReachProfileListResponse(ListResponse[ReachProfile]):
    item_type: ClassVar[type[Any]] = ReachProfile


@register("KalturaCaptionAssetListResponse")
@attrs.define(kw_only=True, repr=False)
class CaptionAssetListResponse(ListResponse[CaptionAsset]):
    item_type: ClassVar[type[Any]] = CaptionAsset


@register("KalturaAttachmentAssetListResponse")
@attrs.define(kw_only=True, repr=False)
class AttachmentAssetListResponse(ListResponse[AttachmentAsset]):
    item_type: ClassVar[type[Any]] = AttachmentAsset


@register("KalturaFlavorAssetListResponse")
@attrs.define(kw_only=True, repr=False)
class FlavorAssetListResponse(ListResponse[FlavorAsset]):
    item_type: ClassVar[type[Any]] = FlavorAsset


@register("KalturaCuePointListResponse")
@attrs.define(kw_only=True, repr=False)
class CuePointListResponse(ListResponse[CuePoint]):
    item_type: ClassVar[type[Any]] = CuePoint


@register("KalturaBaseEntryListResponse")
@attrs.define(kw_only=True, repr=False)
class BaseEntryListResponse(ListResponse[BaseEntry]):
    item_type: ClassVar[type[Any]] = BaseEntry


@register("KalturaMediaListResponse")
@attrs.define(kw_only=True, repr=False)
class MediaListResponse(ListResponse[MediaEntry]):
    item_type: ClassVar[type[Any]] = MediaEntry


@register("KalturaModerationFlagListResponse")
@attrs.define(kw_only=True, repr=False)
class ModerationFlagListResponse(ListResponse[ModerationFlag]):
    item_type: ClassVar[type[Any]] = ModerationFlag
