"""``KalturaEntryVendorTask``: one order a vendor polls, claims and delivers (reference §4)."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

import attrs

from ..access_keys import estimate_expiry
from ..enums import (
    CatalogItemLanguage,
    EntryObjectType,
    EntryVendorTaskCreationMode,
    EntryVendorTaskStatus,
    VendorCatalogItemOutputFormat,
    VendorServiceFeature,
    VendorServiceTurnAroundTime,
    VendorServiceType,
)
from ._base import LOCAL, KalturaObject, ListResponse, html_table, mask_secret, register
from .catalog import VendorCatalogItem
from .profile import ReachProfile, split_terms
from .task_data import VendorTaskData

__all__ = [
    "RELATED_CATALOG_ITEM",
    "RELATED_REACH_PROFILE",
    "EntryVendorTask",
    "EntryVendorTaskUnit",
]

#: ``relatedObjects`` keys of the ``reach_vendor`` response profile (reference §3.4).
RELATED_CATALOG_ITEM = "reach_vendor_catalog_item"
RELATED_REACH_PROFILE = "reach_vendor_profile"

_O = TypeVar("_O")


@register("KalturaEntryVendorTaskUnit")
@attrs.define(kw_only=True, repr=False)
class EntryVendorTaskUnit(KalturaObject):
    units_used: float | None = None
    service_name: str | None = None


@register("KalturaEntryVendorTask")
@attrs.define(kw_only=True, repr=False)
class EntryVendorTask(KalturaObject):
    """A REACH task.  Every field of reference §4.1; ``access_key`` is masked in ``repr``.

    With the ``reach_vendor`` response profile, :attr:`catalog_item` and
    :attr:`reach_profile` give the typed related objects, and the ``effective_*``,
    ``source_language``, ``target_language``, ``output_format``, ``dictionary_terms`` and
    ``worker_notes`` properties answer what the vendor has to produce.
    """

    id: int | None = None
    partner_id: int | None = None
    vendor_partner_id: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    queue_time: int | None = None
    finish_time: int | None = None
    entry_id: str | None = None
    status: EntryVendorTaskStatus | None = None
    reach_profile_id: int | None = None
    catalog_item_id: int | None = None
    price: float | None = None
    user_id: str | None = None
    entry_object_type: EntryObjectType | None = None
    units_used: int | None = None
    units_used_array: list[EntryVendorTaskUnit] | None = None
    moderating_user: str | None = None
    err_description: str | None = None
    #: the task-scoped KS (a secret: masked in ``repr``).
    access_key: str | None = None
    version: int | None = None
    notes: str | None = None
    dictionary: str | None = None
    context: str | None = None
    accuracy: int | None = None
    output_object_id: str | None = None
    partner_data: str | None = None
    creation_mode: EntryVendorTaskCreationMode | None = None
    task_job_data: VendorTaskData | None = None
    expected_finish_time: int | None = None
    service_type: VendorServiceType | None = None
    service_feature: VendorServiceFeature | None = None
    turn_around_time: VendorServiceTurnAroundTime | None = None
    external_task_id: str | None = None
    external_object_id: str | None = None
    related_objects: dict[str, ListResponse[Any]] | None = None
    #: When the SDK saw the current access key issued (``extendAccessKey``); local
    #: bookkeeping for KEY-1, never sent to Kaltura and not part of equality.
    access_key_issued_at: float | None = attrs.field(default=None, eq=False, metadata={LOCAL: True})

    _secret_fields: ClassVar[frozenset[str]] = frozenset({"access_key"})

    @property
    def access_key_expires_at(self) -> float | None:
        """KEY-1: when the access key stops working (unix seconds), estimated.

        ``max(7 days, 2 × TAT)`` from its issue: the task's creation, or the last
        ``extend_access_key``; a v1 KS's own expiry wins.
        """
        issued = self.access_key_issued_at
        if issued is None and self.created_at is not None:
            issued = float(self.created_at)
        tat = self.effective_turn_around_time
        return estimate_expiry(self.access_key, issued, int(tat) if tat is not None else None)

    # --- related objects ------------------------------------------------------------------

    def _related(self, key: str, cls: type[_O]) -> _O | None:
        related = self.related_objects
        if not related:
            return None
        preferred = related.get(key)
        lists = [preferred] if preferred is not None else []
        lists += [v for k, v in related.items() if k != key]
        for lst in lists:
            for obj in getattr(lst, "objects", None) or ():
                if isinstance(obj, cls):
                    return obj
        return None

    @property
    def catalog_item(self) -> VendorCatalogItem | None:
        """The task's catalog item from ``relatedObjects`` (``reach_vendor`` profile)."""
        return self._related(RELATED_CATALOG_ITEM, VendorCatalogItem)

    @property
    def reach_profile(self) -> ReachProfile | None:
        """The customer's REACH profile from ``relatedObjects`` (``reach_vendor`` profile)."""
        return self._related(RELATED_REACH_PROFILE, ReachProfile)

    def _catalog_value(self, attr: str, wire: str) -> Any:
        ci = self.catalog_item
        if ci is None:
            return None
        value = getattr(ci, attr, None)
        if value is None:
            value = ci.extra.get(wire)
        return value

    # --- what to produce ------------------------------------------------------------------

    @property
    def effective_service_feature(self) -> VendorServiceFeature | None:
        """``service_feature`` from the task, else from its catalog item (INPUT-1)."""
        if self.service_feature is not None:
            return self.service_feature
        ci = self.catalog_item
        return ci.service_feature if ci is not None else None

    @property
    def effective_service_type(self) -> VendorServiceType | None:
        """HUMAN or MACHINE, from the task, else from its catalog item (INPUT-1)."""
        if self.service_type is not None:
            return self.service_type
        ci = self.catalog_item
        return ci.service_type if ci is not None else None

    @property
    def effective_turn_around_time(self) -> VendorServiceTurnAroundTime | None:
        """Turnaround time from the task, else from its catalog item."""
        if self.turn_around_time is not None:
            return self.turn_around_time
        ci = self.catalog_item
        return ci.turn_around_time if ci is not None else None

    @property
    def is_human(self) -> bool:
        return self.effective_service_type == VendorServiceType.HUMAN

    @property
    def is_machine(self) -> bool:
        return self.effective_service_type == VendorServiceType.MACHINE

    @property
    def is_live(self) -> bool:
        """LIVE_CAPTION or LIVE_TRANSLATION."""
        feature = self.effective_service_feature
        return feature is not None and feature.is_live

    @property
    def is_final(self) -> bool:
        """The status is READY, ERROR, ABORTED or REJECTED."""
        return self.status is not None and self.status.is_final

    @property
    def source_language(self) -> CatalogItemLanguage | None:
        """The catalog item's ``sourceLanguage`` (authoritative, INPUT-2; INPUT-8 names)."""
        value = self._catalog_value("source_language", "sourceLanguage")
        return CatalogItemLanguage(value) if value is not None else None

    @property
    def target_language(self) -> CatalogItemLanguage | None:
        """The catalog item's ``targetLanguage`` (translation, dubbing, sign language…)."""
        value = self._catalog_value("target_language", "targetLanguage")
        return CatalogItemLanguage(value) if value is not None else None

    @property
    def output_format(self) -> VendorCatalogItemOutputFormat:
        """INPUT-3: catalog ``outputFormat``, else profile ``defaultOutputFormat``, else SRT."""
        value = self._catalog_value("output_format", "outputFormat")
        if value is not None:
            return VendorCatalogItemOutputFormat(value)
        profile = self.reach_profile
        if profile is not None and profile.default_output_format is not None:
            return profile.default_output_format
        return VendorCatalogItemOutputFormat.SRT

    @property
    def dictionary_terms(self) -> list[str]:
        """INPUT-4: the dictionary's words or phrases (one per line), for machine and human jobs.

        From the task's ``dictionary`` (copied at creation for the source language), else from
        the profile's dictionary for the source language when the profile carries it.
        """
        if self.dictionary:
            return split_terms(self.dictionary)
        profile = self.reach_profile
        if profile is not None:
            d = profile.dictionary_for(self.source_language)
            if d is not None:
                return d.terms
        return []

    @property
    def worker_notes(self) -> str | None:
        """INPUT-4: the customer's ``notes``, handed to the human worker; None for machine jobs."""
        if not self.is_human or not self.notes:
            return None
        return self.notes

    # --- notebooks ------------------------------------------------------------------------

    def summary_rows(self) -> list[tuple[str, object]]:
        feature = self.effective_service_feature
        stype = self.effective_service_type
        tat = self.effective_turn_around_time
        src, dst = self.source_language, self.target_language
        langs = f"{src.value if src else '?'}" + (f" → {dst.value}" if dst else "")
        rows: list[tuple[str, object]] = [
            ("id", self.id),
            ("status", self.status.name if self.status is not None else None),
            ("feature", feature.name if feature is not None else None),
            ("type", stype.name if stype is not None else None),
            ("turnaround", tat.name if tat is not None else None),
            ("entry", self.entry_id),
            ("languages", langs),
            ("output format", self.output_format.name),
            ("expected finish", self.expected_finish_time),
            ("access key", mask_secret(self.access_key) if self.access_key else None),
        ]
        return [(k, v) for k, v in rows if v is not None]

    def _repr_html_(self) -> str:
        return f"<b>EntryVendorTask</b>{html_table(self.summary_rows())}"
