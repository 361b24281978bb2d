"""``KalturaReachProfile``: the customer's REACH settings (reference §7)."""

from __future__ import annotations

from typing import Any

import attrs

from ..enums import (
    CatalogItemLanguage,
    NullableBoolean,
    ReachProfileContentDeletionPolicy,
    ReachProfileStatus,
    ReachProfileType,
    VendorCatalogItemOutputFormat,
    VendorCreditRecurrenceFrequency,
    VendorTaskProcessingRegion,
)
from ._base import KalturaObject, register

__all__ = [
    "BaseVendorCredit",
    "Dictionary",
    "ReachProfile",
    "ReoccurringVendorCredit",
    "TimeRangeVendorCredit",
    "UnlimitedVendorCredit",
    "VendorCredit",
]


@register("KalturaDictionary")
@attrs.define(kw_only=True, repr=False)
class Dictionary(KalturaObject):
    """One language's dictionary: words or phrases separated by line breaks (INPUT-4)."""

    language: CatalogItemLanguage | None = None
    data: str | None = None

    @property
    def terms(self) -> list[str]:
        return split_terms(self.data)


def split_terms(data: str | None) -> list[str]:
    """Dictionary text → its non-empty, stripped lines."""
    if not data:
        return []
    return [line.strip() for line in data.splitlines() if line.strip()]


@register("KalturaBaseVendorCredit")
@attrs.define(kw_only=True, repr=False)
class BaseVendorCredit(KalturaObject):
    """Abstract base of the credit types."""


@register("KalturaVendorCredit")
@attrs.define(kw_only=True, repr=False)
class VendorCredit(BaseVendorCredit):
    credit: int | None = None
    from_date: int | None = None
    overage_credit: int | None = None
    add_on: int | None = None


@register("KalturaTimeRangeVendorCredit")
@attrs.define(kw_only=True, repr=False)
class TimeRangeVendorCredit(VendorCredit):
    to_date: int | None = None


@register("KalturaReoccurringVendorCredit")
@attrs.define(kw_only=True, repr=False)
class ReoccurringVendorCredit(TimeRangeVendorCredit):
    frequency: VendorCreditRecurrenceFrequency | None = None


@register("KalturaUnlimitedVendorCredit")
@attrs.define(kw_only=True, repr=False)
class UnlimitedVendorCredit(BaseVendorCredit):
    #: always -9999 (the unlimited sentinel).
    credit: int | None = None
    from_date: int | None = None


@register("KalturaReachProfile")
@attrs.define(kw_only=True, repr=False)
class ReachProfile(KalturaObject):
    """Vendor-relevant parts of a REACH profile; a vendor sees it only in ``relatedObjects``."""

    id: int | None = None
    name: str | None = None
    partner_id: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    status: ReachProfileStatus | None = None
    profile_type: ReachProfileType | None = None
    default_output_format: VendorCatalogItemOutputFormat | None = None
    enable_machine_moderation: NullableBoolean | None = None
    enable_human_moderation: NullableBoolean | None = None
    auto_display_machine_captions_on_player: NullableBoolean | None = None
    auto_display_human_captions_on_player: NullableBoolean | None = None
    enable_metadata_extraction: NullableBoolean | None = None
    enable_speaker_change_indication: NullableBoolean | None = None
    enable_audio_tags: NullableBoolean | None = None
    enable_profanity_removal: NullableBoolean | None = None
    max_characters_per_caption_line: int | None = None
    label_addition_for_machine_service_type: str | None = None
    label_addition_for_human_service_type: str | None = None
    content_deletion_policy: ReachProfileContentDeletionPolicy | None = None
    #: automation rules (``KalturaRule``), kept as raw JSON.
    rules: list[Any] | None = None
    credit: BaseVendorCredit | None = None
    used_credit: float | None = None
    dictionaries: list[Dictionary] | None = None
    #: comma-separated flavor params ids to download, in order of preference.
    flavor_params_ids: str | None = None
    vendor_task_processing_region: VendorTaskProcessingRegion | None = None
    allowed_catalog_item_ids: str | None = None

    def dictionary_for(self, language: CatalogItemLanguage | str | None) -> Dictionary | None:
        """The profile dictionary for ``language`` (one per language), if any."""
        for d in self.dictionaries or ():
            if language is not None and d.language == language:
                return d
        return None

    @property
    def flavor_params_id_list(self) -> list[int]:
        """``flavor_params_ids`` as ints, in the customer's order of preference."""
        out = []
        for part in (self.flavor_params_ids or "").split(","):
            part = part.strip()
            if part.lstrip("-").isdigit():
                out.append(int(part))
        return out
