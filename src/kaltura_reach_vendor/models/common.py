"""Small value objects shared by several models."""

from __future__ import annotations

import attrs

from ._base import KalturaObject, register

__all__ = ["KalturaString", "MultiLingualString"]


@register("KalturaString")
@attrs.define(kw_only=True, repr=False)
class KalturaString(KalturaObject):
    """``KalturaString {value}``: used for URL headers and metadata override field names."""

    value: str | None = None


@register("KalturaMultiLingualString")
@attrs.define(kw_only=True, repr=False)
class MultiLingualString(KalturaObject):
    """One language's version of an entry's name, description or tags."""

    language: str | None = None
    value: str | None = None
