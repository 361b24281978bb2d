"""Which of a customer's media to fetch, and when to delete it: pure rules, no I/O.

Read next to docs/rules.md:

* MEDIA-1: :func:`choose_source`: HLS (``applehttp``) first; direct HTTP (``url``/``http``)
  only when HLS offers no valid source.
* MEDIA-2, MEDIA-3, INPUT-2: :func:`choose_flavor`: the profile's ``flavorParamsIds`` in the
  customer's order win; otherwise the source (or largest) video flavor, or an audio-only
  flavor when asked for. A flavor whose language is "Undefined" is a candidate like any other.
* MEDIA-4: :func:`manifest_url` builds the playManifest URL naming only the chosen flavor and
  carrying the access key; it is a :class:`SecretUrl`, masked in its ``repr``.
* INPUT-9: :func:`deletion_due`: when the vendor's copies of the media must be deleted.

:class:`Flavor`, :class:`Source` and :class:`MediaPlan` are immutable views of what
``baseEntry.getPlaybackContext`` answered (``client.playback_context(task)`` returns a
:class:`MediaPlan`).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Literal
from urllib.parse import quote, urlsplit

import attrs

from ._ffmpeg import to_mp4
from ._secrets import MASK, mask
from .enums import FlavorAssetStatus, NullableBoolean, ReachProfileContentDeletionPolicy
from .errors import NoMatchingFlavorError, NoPlayableSourceError, UsageError
from .models import FlavorAsset, PlaybackContext, PlaybackSource, ReachProfile

__all__ = [
    "DeliveryFormat",
    "Flavor",
    "MediaDownload",
    "MediaPlan",
    "SecretUrl",
    "Source",
    "choose_flavor",
    "choose_source",
    "deletion_due",
    "manifest_url",
    "parse_flavor_params_ids",
    "to_mp4",
]

#: The playManifest ``format`` the SDK downloads with: HLS or a progressive (direct) file.
DeliveryFormat = Literal["applehttp", "url"]
#: Source formats that are a progressive download of one file (reference §10.4).
_DIRECT_FORMATS = frozenset({"url", "http", "download"})
_HLS_FORMATS = frozenset({"applehttp", "hls"})


_KS_SEGMENT = re.compile(r"(?i)(/ks/)[^/?#]+")


def _shown_url(url: str) -> str:
    """``url`` safe to show: its ``/ks/<key>`` path segment and any other secret masked."""
    return mask(_KS_SEGMENT.sub(lambda m: m.group(1) + MASK, url))


# -- views of the playback context -------------------------------------------------------------
@attrs.frozen
class Flavor:
    """One flavor asset of the entry (a rendition: size, bitrate, audio only or not)."""

    id: str
    flavor_params_id: int | None = None
    width: int = 0
    height: int = 0
    #: kbps.
    bitrate: int = 0
    #: ``KalturaLanguage`` name; often "Undefined", which is no reason to skip it (INPUT-2).
    language: str | None = None
    #: no video track: tagged ``audio_only``, or no picture size and no video codec.
    is_audio_only: bool = False
    #: the source the customer uploaded (``isOriginal``; flavor params 0).
    is_original: bool = False
    is_default: bool | None = None
    container: str | None = None
    file_ext: str | None = None
    size_bytes: int | None = None
    status: FlavorAssetStatus | None = None
    tags: tuple[str, ...] = ()

    @classmethod
    def from_asset(cls, asset: FlavorAsset) -> Flavor:
        """The view of a ``KalturaFlavorAsset`` (missing sizes count as 0)."""
        if not asset.id:
            raise UsageError("a flavor asset without an id cannot be downloaded")
        tags = tuple(t.strip() for t in (asset.tags or "").split(",") if t.strip())
        width, height = asset.width or 0, asset.height or 0
        audio_only = "audio_only" in tags or (
            width == 0 and height == 0 and not asset.video_codec_id
        )
        size = asset.size_in_bytes
        if size is None and asset.size is not None:
            size = asset.size * 1024  # ``size`` is in KB
        return cls(
            id=str(asset.id),
            flavor_params_id=asset.flavor_params_id,
            width=width,
            height=height,
            bitrate=asset.bitrate or 0,
            language=asset.language,
            is_audio_only=audio_only,
            is_original=bool(asset.is_original) or asset.flavor_params_id == 0,
            is_default=_nullable(asset.is_default),
            container=asset.container_format,
            file_ext=asset.file_ext,
            size_bytes=size,
            status=asset.status,
            tags=tags,
        )

    @property
    def is_ready(self) -> bool:
        """READY, or a status the server did not send (then assumed downloadable)."""
        return self.status is None or self.status == FlavorAssetStatus.READY


def _nullable(value: NullableBoolean | None) -> bool | None:
    if value is None or value == NullableBoolean.NULL_VALUE:
        return None
    return value == NullableBoolean.TRUE_VALUE


@attrs.frozen
class Source:
    """One delivery the playback context offers (``KalturaPlaybackSource``)."""

    format: str
    url: str = attrs.field(repr=lambda url: repr(_shown_url(url)))
    delivery_profile_id: str | None = None
    protocols: tuple[str, ...] = ()
    #: the flavor asset ids this delivery serves.
    flavor_ids: tuple[str, ...] = ()
    #: DRM-protected: not a plain download.
    has_drm: bool = False

    @classmethod
    def from_playback_source(cls, source: PlaybackSource) -> Source:
        def split(text: str | None) -> tuple[str, ...]:
            return tuple(p.strip() for p in (text or "").split(",") if p.strip())

        return cls(
            format=(source.format or "").strip().lower(),
            url=source.url or "",
            delivery_profile_id=source.delivery_profile_id,
            protocols=split(source.protocols),
            flavor_ids=split(source.flavor_ids),
            has_drm=bool(source.drm),
        )

    @property
    def is_hls(self) -> bool:
        return self.format in _HLS_FORMATS

    @property
    def is_direct(self) -> bool:
        """A progressive download of one file (``url``, ``http``, ``download``)."""
        return self.format in _DIRECT_FORMATS

    @property
    def is_valid(self) -> bool:
        """Downloadable by the SDK: HLS or direct, with a URL, not DRM-protected (MEDIA-1)."""
        return bool(self.url) and not self.has_drm and (self.is_hls or self.is_direct)

    @property
    def delivery_format(self) -> DeliveryFormat:
        """The playManifest ``format`` for this source: ``applehttp`` or ``url``."""
        return "applehttp" if self.is_hls else "url"


def choose_source(sources: Iterable[Source]) -> Source | None:
    """MEDIA-1: the first valid HLS source, else the first valid direct-HTTP one, else None."""
    valid = [s for s in sources if s.is_valid]
    for source in valid:
        if source.is_hls:
            return source
    return valid[0] if valid else None


@attrs.frozen
class MediaPlan:
    """What the entry offers for download: its flavors and delivery sources (MEDIA-1).

    ``client.playback_context(task)`` asks for HLS first and adds the direct-HTTP sources
    only when HLS gave no valid one.
    """

    entry_id: str
    flavors: tuple[Flavor, ...] = ()
    sources: tuple[Source, ...] = ()
    #: the server's access-control messages (why there is no source, for instance).
    messages: tuple[str, ...] = ()

    @classmethod
    def from_context(cls, context: PlaybackContext, *, entry_id: str) -> MediaPlan:
        """The plan read from one ``getPlaybackContext`` answer."""
        return cls(
            entry_id=entry_id,
            flavors=tuple(Flavor.from_asset(a) for a in context.flavor_assets or () if a.id),
            sources=tuple(Source.from_playback_source(s) for s in context.sources or ()),
            messages=tuple(
                m.message or m.code or "" for m in context.messages or () if m.message or m.code
            ),
        )

    def with_fallback(self, other: MediaPlan) -> MediaPlan:
        """This plan plus the sources (and any new flavors, messages) of a second answer."""
        known = {f.id for f in self.flavors}
        return attrs.evolve(
            self,
            flavors=self.flavors + tuple(f for f in other.flavors if f.id not in known),
            sources=self.sources + other.sources,
            messages=self.messages + tuple(m for m in other.messages if m not in self.messages),
        )

    @property
    def source(self) -> Source | None:
        """The source to download from (MEDIA-1: HLS first), or None."""
        return choose_source(self.sources)

    @property
    def has_hls(self) -> bool:
        source = self.source
        return source is not None and source.is_hls

    def require_source(self) -> Source:
        """:attr:`source`, or :class:`NoPlayableSourceError` naming the server's messages."""
        source = self.source
        if source is None:
            said = f": {'; '.join(self.messages)}" if self.messages else ""
            raise NoPlayableSourceError(
                f"entry {self.entry_id} offers no HLS or direct-HTTP source{said}",
                messages=self.messages,
            )
        return source

    def flavor(self, flavor_id: str) -> Flavor:
        """The flavor with this asset id (:class:`UsageError` if the entry has none)."""
        for flavor in self.flavors:
            if flavor.id == flavor_id:
                return flavor
        raise UsageError(f"entry {self.entry_id} has no flavor {flavor_id!r}")

    def choose_flavor(
        self,
        *,
        flavor_params_ids: str | Iterable[int] | None = None,
        prefer: Literal["video", "audio"] = "video",
    ) -> Flavor:
        """:func:`choose_flavor` among the flavors the chosen source delivers.

        When the source lists flavor ids of this plan, a flavor it does not deliver is not
        offered (it could not be fetched through that source); otherwise all flavors are.
        """
        source = self.source
        flavors: Sequence[Flavor] = self.flavors
        if source is not None and source.flavor_ids:
            served = set(source.flavor_ids)
            flavors = [f for f in self.flavors if f.id in served] or self.flavors
        return choose_flavor(flavors, flavor_params_ids=flavor_params_ids, prefer=prefer)


# -- MEDIA-2, MEDIA-3: which flavor --------------------------------------------------------------
def parse_flavor_params_ids(value: str | Iterable[int] | None) -> tuple[int, ...]:
    """The profile's ``flavorParamsIds`` (``"1, 3,5"`` or ints) as ids, in the given order.

    A part that is not an integer is refused (:class:`UsageError`) rather than skipped:
    skipping it could download a flavor the customer did not allow.
    """
    if value is None:
        return ()
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",")]
        ids = []
        for part in parts:
            if not part:
                continue
            if not part.lstrip("-").isdigit():
                raise UsageError(f"flavorParamsIds {value!r}: {part!r} is not a flavor params id")
            ids.append(int(part))
        return tuple(ids)
    out = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int):
            raise UsageError(f"flavor params ids are integers, got {item!r}")
        out.append(item)
    return tuple(out)


def _size(flavor: Flavor) -> tuple[int, int, int]:
    return (flavor.width, flavor.height, flavor.bitrate)


def choose_flavor(
    flavors: Iterable[Flavor],
    *,
    flavor_params_ids: str | Iterable[int] | None = (),
    prefer: Literal["video", "audio"] = "video",
) -> Flavor:
    """The flavor to download. Only ready flavors (or of unknown status) are candidates.

    * MEDIA-2: given ``flavor_params_ids`` (the REACH profile's ``flavorParamsIds``, a
      comma-separated string, or ints), the first id in that order that the entry has a
      flavor for wins, whatever ``prefer`` says; none of them →
      :class:`NoMatchingFlavorError` (never a guess).
    * MEDIA-3 otherwise, by width, height, bitrate: ``prefer="video"`` takes the original
      (source) flavor when it has video, else the largest video flavor; ``prefer="audio"``
      takes the audio-only flavor (the default one, then the highest bitrate) when one
      exists, else the video choice (its audio track can be selected, MEDIA-5). An entry
      with audio-only flavors alone gets the best of them.
    * INPUT-2: the language, "Undefined" included, never excludes a flavor.
    """
    if prefer not in ("video", "audio"):
        raise UsageError(f"prefer must be 'video' or 'audio', got {prefer!r}")
    wanted = parse_flavor_params_ids(flavor_params_ids)
    every = list(flavors)
    candidates = [f for f in every if f.is_ready]
    available = tuple(f.flavor_params_id for f in candidates)
    if wanted:
        for params_id in wanted:
            for flavor in candidates:
                if flavor.flavor_params_id == params_id:
                    return flavor
        raise NoMatchingFlavorError(
            f"the REACH profile allows only flavor params {_ids(wanted)} and the entry has "
            f"{_ids(available) or 'no ready flavor'} (MEDIA-2)",
            wanted=wanted,
            available=available,
        )
    if not candidates:
        said = f"none of its {len(every)} flavors is ready" if every else "it has no flavor"
        raise NoMatchingFlavorError(f"the entry has no ready flavor to download: {said}")
    video = [f for f in candidates if not f.is_audio_only]
    audio = [f for f in candidates if f.is_audio_only]
    if (prefer == "audio" and audio) or not video:
        return max(audio, key=lambda f: (f.is_default is True, f.bitrate))
    originals = [f for f in video if f.is_original]
    if originals:
        return max(originals, key=_size)
    return max(video, key=_size)


def _ids(ids: Sequence[int | None]) -> str:
    return ", ".join("?" if i is None else str(i) for i in ids)


# -- MEDIA-4: the playManifest URL --------------------------------------------------------------
class SecretUrl(str):
    """A URL carrying an access key: the full URL as a string, masked in its ``repr``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"SecretUrl({_shown_url(self)!r})"


#: characters a KS keeps in a URL path (url-safe base64 and its padding); others are escaped.
_KS_SAFE = "-_.~="


def manifest_url(
    service_url: str,
    partner_id: int,
    entry_id: str,
    flavor: Flavor | str,
    access_key: str,
    *,
    format: DeliveryFormat = "applehttp",
) -> SecretUrl:
    """MEDIA-4, reference §10.4: the playManifest URL of exactly one flavor, with the key.

    ``{service}/p/{pid}/sp/{pid}00/playManifest/entryId/{entry}/format/{format}/protocol/
    {scheme}/flavorIds/{flavor}/ks/{key}/a.{m3u8|ext}``: the protocol follows the service
    URL's scheme; ``a.m3u8`` for HLS, else the flavor's file extension (``mp4`` by default).
    Does not register the key for masking (the client does).
    """
    if format not in ("applehttp", "url"):
        raise UsageError(f"format must be 'applehttp' or 'url', got {format!r}")
    if not access_key:
        raise UsageError("a media URL needs the task's access key")
    flavor_id = flavor.id if isinstance(flavor, Flavor) else str(flavor)
    if not flavor_id or "," in flavor_id:
        raise UsageError(f"a media URL names exactly one flavor, got {flavor_id!r}")
    base = service_url.rstrip("/")
    scheme = urlsplit(base).scheme or "https"
    if format == "applehttp":
        ext = "m3u8"
    else:
        given = flavor.file_ext if isinstance(flavor, Flavor) else None
        ext = given if given and given.isalnum() and len(given) <= 5 else "mp4"
    path = (
        f"/p/{partner_id}/sp/{partner_id}00/playManifest/entryId/{quote(entry_id, safe='')}"
        f"/format/{format}/protocol/{scheme}/flavorIds/{quote(flavor_id, safe='')}"
        f"/ks/{quote(access_key, safe=_KS_SAFE)}/a.{ext}"
    )
    return SecretUrl(base + path)


# -- INPUT-9: when to delete the media -----------------------------------------------------------
Policy = ReachProfileContentDeletionPolicy


def _add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def deletion_due(
    profile: ReachProfile | ReachProfileContentDeletionPolicy | None,
    processed_at: datetime | float,
) -> datetime | None:
    """INPUT-9: when the vendor must delete its copies of the media, or None to keep them.

    From the profile's ``contentDeletionPolicy`` (or the policy itself): 1 do nothing →
    None; 2 once processed → ``processed_at``; 3 a week later; 4 a calendar month later;
    5 three calendar months later (the month's last day when it is shorter). A profile
    without a policy gives None. ``processed_at``: an aware ``datetime`` or unix seconds
    (the result is then UTC). A policy value this SDK does not know is refused
    (:class:`UsageError`) rather than guessed.
    """
    policy = profile.content_deletion_policy if isinstance(profile, ReachProfile) else profile
    if isinstance(processed_at, datetime):
        if processed_at.tzinfo is None or processed_at.utcoffset() is None:
            raise UsageError("processed_at must be timezone-aware (or unix seconds)")
        moment = processed_at
    elif isinstance(processed_at, (int, float)) and not isinstance(processed_at, bool):
        moment = datetime.fromtimestamp(processed_at, tz=timezone.utc)
    else:
        raise UsageError(f"processed_at must be a datetime or unix seconds, got {processed_at!r}")
    if policy is None or policy == Policy.DO_NOTHING:
        return None
    if policy == Policy.DELETE_ONCE_PROCESSED:
        return moment
    if policy == Policy.DELETE_AFTER_WEEK:
        return moment + timedelta(days=7)
    if policy == Policy.DELETE_AFTER_MONTH:
        return _add_months(moment, 1)
    if policy == Policy.DELETE_AFTER_THREE_MONTHS:
        return _add_months(moment, 3)
    raise UsageError(f"unknown contentDeletionPolicy {int(policy)}: cannot tell when to delete")


@attrs.frozen
class MediaDownload:
    """What ``client.download_media`` fetched."""

    path: str
    flavor: Flavor
    #: Bytes written to ``path``.
    size: int
    #: ``"mp4"`` for a direct file; ``"ts"`` for joined HLS segments (MPEG-TS; see
    #: :func:`kaltura_reach_vendor.media.to_mp4`).
    container: str
    #: The file holds audio only (an audio-only flavor, or the audio track of HLS).
    audio_only: bool
    #: Fetched through HLS (MEDIA-5) rather than one direct file.
    hls: bool
    #: HLS segments joined (0 for a direct file).
    segments: int = 0
    #: Times a dropped connection was resumed.
    resumes: int = 0
    #: The access key expired on the way and was extended (KEY-2).
    key_extended: bool = False
