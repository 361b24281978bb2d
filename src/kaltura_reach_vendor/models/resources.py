"""Content resources: how content is handed to ``setContent`` / ``addContent``."""

from __future__ import annotations

from typing import ClassVar

import attrs

from ._base import KalturaObject, register
from .common import KalturaString

__all__ = [
    "AssetParamsResourceContainer",
    "AssetResource",
    "AssetsParamsResourceContainers",
    "ContentResource",
    "EntryResource",
    "RemoteStorageResource",
    "Resource",
    "ServerFileResource",
    "StringResource",
    "UploadedFileTokenResource",
    "UrlResource",
]


@register("KalturaResource")
@attrs.define(kw_only=True, repr=False)
class Resource(KalturaObject):
    """Abstract base of every resource."""


@register("KalturaContentResource")
@attrs.define(kw_only=True, repr=False)
class ContentResource(Resource):
    """Abstract: ``contentResource[objectType]`` is mandatory when sending."""


@register("KalturaUploadedFileTokenResource")
@attrs.define(kw_only=True, repr=False)
class UploadedFileTokenResource(ContentResource):
    #: the upload token id.
    token: str | None = None


@register("KalturaUrlResource")
@attrs.define(kw_only=True, repr=False)
class UrlResource(ContentResource):
    """Kaltura downloads ``url``; ``url_headers`` (secrets, masked in repr) go with it."""

    url: str | None = None
    force_async_download: bool | None = None
    url_headers: list[KalturaString] | None = None
    should_redirect: bool | None = None

    _secret_fields: ClassVar[frozenset[str]] = frozenset({"url_headers"})

    @classmethod
    def with_headers(cls, url: str, headers: dict[str, str]) -> UrlResource:
        """A URL resource sending ``headers`` (as ``"Name: value"`` strings)."""
        return cls(
            url=url, url_headers=[KalturaString(value=f"{k}: {v}") for k, v in headers.items()]
        )


@register("KalturaRemoteStorageResource")
@attrs.define(kw_only=True, repr=False)
class RemoteStorageResource(UrlResource):
    storage_profile_id: int | None = None


@register("KalturaStringResource")
@attrs.define(kw_only=True, repr=False)
class StringResource(ContentResource):
    #: the text the server writes to a file (e.g. an SRT document).
    content: str | None = None


@register("KalturaAssetResource")
@attrs.define(kw_only=True, repr=False)
class AssetResource(ContentResource):
    asset_id: str | None = None


@register("KalturaEntryResource")
@attrs.define(kw_only=True, repr=False)
class EntryResource(ContentResource):
    entry_id: str | None = None
    flavor_params_id: int | None = None


@register("KalturaServerFileResource")
@attrs.define(kw_only=True, repr=False)
class ServerFileResource(ContentResource):
    """Server-local file (not usable by vendors; modelled so it parses)."""

    local_file_path: str | None = None
    keep_original_file: bool | None = None


@register("KalturaAssetParamsResourceContainer")
@attrs.define(kw_only=True, repr=False)
class AssetParamsResourceContainer(Resource):
    resource: ContentResource | None = None
    asset_params_id: int | None = None


@register("KalturaAssetsParamsResourceContainers")
@attrs.define(kw_only=True, repr=False)
class AssetsParamsResourceContainers(Resource):
    resources: list[AssetParamsResourceContainer] | None = None
