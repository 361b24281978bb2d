"""playManifest, HLS (serveFlavor manifests and segments) and progressive downloads (§10.4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from . import _media
from ._errors import ApiError
from ._ks import KIND_ADMIN, KsSession
from ._params import path_pairs
from ._store import ASSET_READY, AssetRecord, EntryRecord, State

ALIASES = {
    "e": "entryId",
    "f": "format",
    "fs": "flavorIds",
    "fi": "flavorId",
    "fps": "flavorParamIds",
    "fp": "flavorParamId",
    "pt": "protocol",
}


@dataclass
class MediaResponse:
    """A delivery answer (not an api_v3 one)."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


def _deny(reason: str) -> MediaResponse:
    return MediaResponse(403, f"Access denied: {reason}\n".encode(), "text/plain")


def _authorize(
    state: State, ks: str | None, entry_id: str
) -> tuple[EntryRecord, KsSession] | MediaResponse:
    if not ks:
        return _deny("missing KS")
    try:
        session = state.ks.validate(ks, state.clock.now())
    except ApiError as exc:
        return _deny(exc.message)
    entry = state.entries.get(entry_id)
    if entry is None or entry.data.get("partnerId") != session.partner_id:
        return MediaResponse(404, b"Entry not found\n", "text/plain")
    if session.kind != KIND_ADMIN:
        allowed = any(
            entry_id in session.privilege_values(name) for name in ("sview", "download", "edit")
        )
        if not allowed:
            return _deny("KS has no privilege for this entry")
    return entry, session


def _flavor_content(asset: AssetRecord) -> bytes:
    if asset.content is not None:
        return asset.content
    audio_only = "audio_only" in str(asset.data.get("tags") or "")
    return _media.mp4_bytes(str(asset.data["id"]), 30, audio_only)


def play_manifest(
    state: State, base_url: str, path_after: str, query: str, header_ks: str | None, partner_id: str
) -> MediaResponse:
    """``/p/{pid}/sp/{pid}00/playManifest/entryId/…/format/{applehttp|url|…}/…``."""
    segments = [s for s in path_after.split("/") if s]
    if segments and "." in segments[-1] and len(segments) % 2 == 1:
        segments = segments[:-1]  # a.m3u8 / a.mp4
    params = {ALIASES.get(k, k): v for k, v in path_pairs(segments)}
    params.update({ALIASES.get(k, k): v for k, v in parse_qsl(query)})
    ks = params.get("ks") or header_ks
    entry_id = params.get("entryId", "")
    auth = _authorize(state, ks, entry_id)
    if isinstance(auth, MediaResponse):
        return auth
    entry, _session = auth
    flavors = [
        a for a in state.entry_assets(entry_id, "flavor") if a.data.get("status") == ASSET_READY
    ]
    if "flavorIds" in params or "flavorId" in params:
        ids = set((params.get("flavorIds") or params.get("flavorId") or "").split(","))
        flavors = [f for f in flavors if f.data["id"] in ids]
    if "flavorParamIds" in params or "flavorParamId" in params:
        pids = set((params.get("flavorParamIds") or params.get("flavorParamId") or "").split(","))
        flavors = [f for f in flavors if str(f.data.get("flavorParamsId")) in pids]
    if not flavors:
        return MediaResponse(404, b"No flavors found\n", "text/plain")
    fmt = params.get("format", "url")
    pid = entry.data["partnerId"]
    if fmt in ("applehttp", "hls"):
        if not entry.hls:
            return MediaResponse(404, b"HLS delivery is not configured\n", "text/plain")
        variants = []
        for flavor in flavors:
            audio_only = "audio_only" in str(flavor.data.get("tags") or "")
            uri = (
                f"{base_url}/hls/p/{pid}/sp/{pid}00/serveFlavor/entryId/{entry_id}/v/1/ev/1/"
                f"flavorId/{flavor.data['id']}/ks/{ks}/name/a.mp4/index.m3u8"
            )
            bandwidth = int(flavor.data.get("bitrate") or 128) * 1000
            resolution = (
                None if audio_only else f"{flavor.data.get('width')}x{flavor.data.get('height')}"
            )
            codecs = "mp4a.40.2" if audio_only else "avc1.42e00a,mp4a.40.2"
            variants.append((uri, bandwidth, resolution, codecs))
        text = _media.master_playlist(variants)
        return MediaResponse(200, text.encode(), "application/vnd.apple.mpegurl")
    flavor = flavors[0]
    return MediaResponse(200, _flavor_content(flavor), "video/mp4")


def serve_flavor(state: State, path_after: str, query: str, header_ks: str | None) -> MediaResponse:
    """``…/serveFlavor/entryId/E/v/1/flavorId/F/ks/K/name/a.mp4[/tracks/a1]/index.m3u8|seg-N….ts``."""
    segments = [s for s in path_after.split("/") if s]
    filename = None
    if segments and (segments[-1].endswith(".m3u8") or segments[-1].endswith(".ts")):
        filename = segments[-1]
        segments = segments[:-1]
    params = dict(path_pairs(segments))
    params.update(dict(parse_qsl(query)))
    ks = params.get("ks") or header_ks
    entry_id = params.get("entryId", "")
    auth = _authorize(state, ks, entry_id)
    if isinstance(auth, MediaResponse):
        return auth
    entry, _session = auth
    flavor = state.assets.get(params.get("flavorId", ""))
    if flavor is None or flavor.kind != "flavor" or flavor.data["entryId"] != entry_id:
        return MediaResponse(404, b"Flavor not found\n", "text/plain")
    duration = max(1, int(entry.data.get("msDuration") or 30000) // 1000)
    tracks = params.get("tracks", "v1-a1")
    if filename is None:
        return MediaResponse(200, _flavor_content(flavor), "video/mp4")
    if filename.endswith(".m3u8"):
        text = _media.media_playlist(duration, "seg-{n}-" + tracks + ".ts")
        return MediaResponse(200, text.encode(), "application/vnd.apple.mpegurl")
    try:
        index = int(filename.split("-")[1])
    except (IndexError, ValueError):
        return MediaResponse(404, b"Segment not found\n", "text/plain")
    if index < 1 or index > _media.segment_count(duration):
        return MediaResponse(404, b"Segment not found\n", "text/plain")
    return MediaResponse(
        200, _media.ts_segment(str(flavor.data["id"]), index, tracks), "video/MP2T"
    )
