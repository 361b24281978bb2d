"""Media delivery: byte ranges, large generated flavors, HLS shapes and access keys in paths.

Plain httpx against the in-process transport and the loopback HTTP server (no SDK code).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from typing import Any

import httpx
import m3u8
import pytest

from kaltura_reach_vendor.sandbox import MEDIA_CAPTIONS, MEDIA_ENTRIES, MEDIA_TASKS, Sandbox, _media

from .conftest import Api

EVT = "reach_entryvendortask"
HLS_ENTRY = MEDIA_ENTRIES["hls"]


@pytest.fixture
def media() -> Iterator[Sandbox]:
    """A fresh ``media`` scenario sandbox."""
    with Sandbox("media", seed=3) as sb:
        yield sb


@pytest.fixture(params=["in_process", "http"])
def client(request: pytest.FixtureRequest, media: Sandbox) -> Iterator[httpx.Client]:
    """A plain httpx client, in process and over loopback HTTP."""
    if request.param == "http":
        http = httpx.Client(base_url=media.serve("127.0.0.1", 0), timeout=10)
    else:
        http = httpx.Client(transport=media.transport(), base_url=media.service_url)
    with http:
        yield http


def flavors(sb: Sandbox, entry_id: str) -> list[dict[str, Any]]:
    """Flavors of an entry, oldest first (source, 360p, audio only)."""
    return sb.assets(entry_id, "flavor")


def progressive(entry_id: str, flavor_id: str, key: str, partner_id: int = 1001) -> str:
    """A progressive playManifest path naming one flavor, the key in the path."""
    return (
        f"/p/{partner_id}/sp/{partner_id}00/playManifest/entryId/{entry_id}/protocol/http/"
        f"format/url/flavorIds/{flavor_id}/ks/{key}/a.mp4"
    )


def hls_key(media: Sandbox) -> str:
    key = media.access_key(MEDIA_TASKS["hls"])
    assert key
    return key


# --- ranges --------------------------------------------------------------------------------


def test_full_download_advertises_ranges(media: Sandbox, client: httpx.Client) -> None:
    flavor = flavors(media, HLS_ENTRY)[0]
    response = client.get(progressive(HLS_ENTRY, flavor["id"], hls_key(media)))
    assert response.status_code == 200
    assert response.headers["accept-ranges"] == "bytes"
    assert "content-range" not in response.headers
    assert int(response.headers["content-length"]) == media.flavor_size(flavor["id"])
    assert response.content == media.flavor_bytes(flavor["id"])
    assert response.content[4:8] == b"ftyp"
    assert int(flavor["sizeInBytes"]) == len(response.content)


@pytest.mark.parametrize(
    ("header", "start", "stop"),
    [
        ("bytes=10-", 10, None),
        ("bytes=10-19", 10, 20),
        ("bytes=-5", -5, None),
        ("bytes=3-99999", 3, None),
    ],
)
def test_byte_ranges(
    media: Sandbox, client: httpx.Client, header: str, start: int, stop: int | None
) -> None:
    flavor_id = flavors(media, HLS_ENTRY)[1]["id"]
    whole = media.flavor_bytes(flavor_id)
    response = client.get(
        progressive(HLS_ENTRY, flavor_id, hls_key(media)), headers={"Range": header}
    )
    expected = whole[start:stop]
    first = len(whole) + start if start < 0 else start
    assert response.status_code == 206
    assert response.content == expected
    assert int(response.headers["content-length"]) == len(expected)
    assert (
        response.headers["content-range"]
        == f"bytes {first}-{first + len(expected) - 1}/{len(whole)}"
    )


def test_unsatisfiable_range_is_416(media: Sandbox, client: httpx.Client) -> None:
    flavor_id = flavors(media, HLS_ENTRY)[0]["id"]
    size = media.flavor_size(flavor_id)
    response = client.get(
        progressive(HLS_ENTRY, flavor_id, hls_key(media)), headers={"Range": f"bytes={size}-"}
    )
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{size}"
    assert response.content == b""


def test_serve_flavor_download_and_head_honour_ranges(media: Sandbox, client: httpx.Client) -> None:
    flavor_id = flavors(media, HLS_ENTRY)[0]["id"]
    path = (
        f"/p/1001/sp/100100/serveFlavor/entryId/{HLS_ENTRY}/v/1/flavorId/{flavor_id}"
        f"/ks/{hls_key(media)}/name/a.mp4"
    )
    ranged = client.get(path, headers={"Range": "bytes=0-7"})
    assert ranged.status_code == 206 and ranged.content == media.flavor_bytes(flavor_id, 0, 8)
    head = client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == media.flavor_size(flavor_id)


# --- a large flavor generated on the fly -------------------------------------------------------


def test_large_generated_flavor_streams_with_the_expected_checksum(
    media: Sandbox, client: httpx.Client
) -> None:
    size = 5 * 2**20
    entry_id = media.customer.add_entry(1001, "Big", flavor_bytes=size)
    task = media.customer.add_task(entry_id, 30002)
    flavor = flavors(media, entry_id)[0]
    assert media.asset_content(flavor["id"]) is None  # nothing stored
    assert media.flavor_size(flavor["id"]) == size == int(flavor["sizeInBytes"])
    digest = hashlib.sha256()
    head = bytearray()
    received = 0
    with client.stream("GET", progressive(entry_id, flavor["id"], task["accessKey"])) as response:
        assert response.status_code == 200
        assert int(response.headers["content-length"]) == size
        for chunk in response.iter_bytes():
            digest.update(chunk)
            if len(head) < 200_000:
                head += chunk
            received += len(chunk)
    assert received == size
    assert digest.hexdigest() == media.expected_sha256(flavor["id"])
    # The layout, checked without the sandbox's helpers: ftyp, moov, then mdat to the end,
    # whose 64 KiB blocks start with their index.
    ftyp = struct.unpack(">I", head[:4])[0]
    assert head[4:8] == b"ftyp"
    moov = struct.unpack(">I", head[ftyp : ftyp + 4])[0]
    assert head[ftyp + 4 : ftyp + 8] == b"moov"
    mdat_at = ftyp + moov
    assert head[mdat_at + 4 : mdat_at + 8] == b"mdat"
    assert mdat_at + struct.unpack(">I", head[mdat_at : mdat_at + 4])[0] == size
    payload = mdat_at + 8
    assert struct.unpack(">Q", head[payload : payload + 8])[0] == 0
    block = payload + 65536
    assert struct.unpack(">Q", head[block : block + 8])[0] == 1
    # Any range is cheap and agrees with the whole.
    tail = client.get(
        progressive(entry_id, flavor["id"], task["accessKey"]),
        headers={"Range": f"bytes={size - 70_000}-"},
    )
    assert tail.status_code == 206 and len(tail.content) == 70_000
    assert tail.content == media.flavor_bytes(flavor["id"], size - 70_000)


def test_loopback_server_writes_a_generated_flavor_chunk_by_chunk(
    media: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_id = media.customer.add_entry(1001, "Big", flavor_bytes=2 * 2**20)
    task = media.customer.add_task(entry_id, 30002)
    flavor_id = flavors(media, entry_id)[0]["id"]
    reads: list[int] = []
    original = _media.GeneratedBody.read

    def spy(self: _media.GeneratedBody, start: int, end: int) -> bytes:
        reads.append(end - start)
        return original(self, start, end)

    monkeypatch.setattr(_media.GeneratedBody, "read", spy)
    with httpx.Client(base_url=media.serve(), timeout=10) as http:
        response = http.get(progressive(entry_id, flavor_id, task["accessKey"]))
    assert len(response.content) == 2 * 2**20
    assert len(reads) >= 32 and max(reads) <= _media.CHUNK


# --- playback context and HLS --------------------------------------------------------------


def playback_context(api: Api, task_id: int, streamer: str) -> dict[str, Any]:
    task = api.sandbox.task(task_id)
    context = api.call(
        "baseentry",
        "getPlaybackContext",
        ks=task["accessKey"],
        entryId=task["entryId"],
        contextDataParams={
            "objectType": "KalturaPlaybackContextOptions",
            "streamerType": streamer,
        },
    )
    assert context["objectType"] == "KalturaPlaybackContext", context
    return context  # type: ignore[no-any-return]


def test_playback_context_offers_hls_or_only_http(media_api: Api) -> None:
    api = media_api
    hls = playback_context(api, MEDIA_TASKS["hls"], "applehttp")
    assert [s["format"] for s in hls["sources"]] == ["applehttp"]
    assert "/playManifest/" in hls["sources"][0]["url"]
    by_params = {f["flavorParamsId"]: f for f in hls["flavorAssets"]}
    assert by_params[0]["isOriginal"] is True and by_params[0]["width"] == 1280
    assert "audio_only" in by_params[359]["tags"] and by_params[359]["width"] == 0
    assert {f["language"] for f in hls["flavorAssets"]} == {"English"}
    no_hls = playback_context(api, MEDIA_TASKS["no_hls"], "applehttp")
    assert no_hls["sources"] == []
    fallback = playback_context(api, MEDIA_TASKS["no_hls"], "http")
    assert [s["format"] for s in fallback["sources"]] == ["url"]
    undefined = playback_context(api, MEDIA_TASKS["undefined_language"], "applehttp")
    assert {f["language"] for f in undefined["flavorAssets"]} == {"Undefined"}


@pytest.fixture
def media_api(media: Sandbox, client: httpx.Client) -> Api:
    return Api(client, media)


def test_media_scenario_source_captions(media_api: Api) -> None:
    media = media_api.sandbox
    by_id = {a["id"]: a for a in media.assets(kind="caption")}
    assert by_id[MEDIA_CAPTIONS["accurate"]]["accuracy"] == 100
    assert by_id[MEDIA_CAPTIONS["inaccurate"]]["accuracy"] < 100
    one_ms = media.asset_content(MEDIA_CAPTIONS["one_ms"]) or b""
    assert b"00:00:04,000 --> 00:00:04,001" in one_ms
    for name, caption in (("translate_accurate", "accurate"), ("translate_one_ms", "one_ms")):
        task = media.task(MEDIA_TASKS[name])
        assert task["taskJobData"]["captionAssetId"] == MEDIA_CAPTIONS[caption]
    assert media.task(MEDIA_TASKS["translate_from_audio"])["catalogItemId"] == 27622


def test_hls_master_variants_and_segments(media_api: Api) -> None:
    media, http = media_api.sandbox, media_api.client
    context = playback_context(media_api, MEDIA_TASKS["hls"], "applehttp")
    key = hls_key(media)
    url = context["sources"][0]["url"].replace("/a.m3u8", f"/ks/{key}/a.m3u8")
    master_response = http.get(url)
    assert master_response.status_code == 200
    assert master_response.headers["content-type"] == "application/vnd.apple.mpegurl"
    master = m3u8.loads(master_response.text)
    assert master.is_variant and len(master.playlists) == 3
    resolutions = [p.stream_info.resolution for p in master.playlists]
    assert resolutions == [(1280, 720), (640, 360), None]
    assert master.playlists[2].stream_info.codecs == "mp4a.40.2"
    assert all(f"/ks/{key}/" in p.uri for p in master.playlists)
    audio_uri = master.playlists[2].uri.replace("/name/a.mp4/", "/name/a.mp4/tracks/a1/")
    for variant_uri, tracks in ((master.playlists[0].uri, "v1-a1"), (audio_uri, "a1")):
        variant = m3u8.loads(http.get(variant_uri).text, uri=variant_uri)
        assert variant.is_endlist and variant.playlist_type == "vod"
        assert len(variant.segments) == 15  # 60 s in 4 s segments
        assert sum(s.duration for s in variant.segments) == pytest.approx(60)
        flavor_id = variant_uri.split("/flavorId/")[1].split("/")[0]
        expected = media.hls_segments(flavor_id, tracks)
        for segment, body in zip(variant.segments[:3], expected, strict=False):
            assert segment.uri.endswith(f"-{tracks}.ts")
            got = http.get(segment.absolute_uri)
            assert got.status_code == 200 and got.content == body
            assert len(got.content) % 188 == 0 and got.content[::188] == b"\x47" * 4
        last = http.get(variant.segments[-1].absolute_uri, headers={"Range": "bytes=188-"})
        assert last.status_code == 206 and last.content == expected[-1][188:]


def test_progressive_only_entry_refuses_hls(media_api: Api) -> None:
    media, http = media_api.sandbox, media_api.client
    key = media.access_key(MEDIA_TASKS["no_hls"])
    flavor_id = flavors(media, MEDIA_ENTRIES["no_hls"])[0]["id"]
    hls = progressive(MEDIA_ENTRIES["no_hls"], flavor_id, str(key)).replace(
        "format/url", "format/applehttp"
    )
    assert http.get(hls.replace("a.mp4", "a.m3u8")).status_code == 404
    assert http.get(progressive(MEDIA_ENTRIES["no_hls"], flavor_id, str(key))).status_code == 200


# --- access keys in the path ---------------------------------------------------------------


def test_access_key_refusals(media_api: Api) -> None:
    media, http = media_api.sandbox, media_api.client
    flavor_id = flavors(media, HLS_ENTRY)[0]["id"]
    missing = http.get(progressive(HLS_ENTRY, flavor_id, "x").replace("/ks/x", ""))
    assert missing.status_code == 403 and missing.headers["x-kaltura"] == "error-7"
    garbage = http.get(progressive(HLS_ENTRY, flavor_id, "not-a-ks"))
    assert garbage.status_code == 403 and garbage.headers["x-kaltura"] == "error-7"
    other_entry_key = str(media.access_key(MEDIA_TASKS["no_hls"]))  # same partner
    other_entry = http.get(progressive(HLS_ENTRY, flavor_id, other_entry_key))
    assert other_entry.status_code == 403 and other_entry.headers["x-kaltura"] == "error-1"
    other_partner_key = str(media.access_key(MEDIA_TASKS["profile_flavors"]))  # partner 1003
    other_partner = http.get(progressive(HLS_ENTRY, flavor_id, other_partner_key))
    assert other_partner.status_code == 404 and other_partner.headers["x-kaltura"] == "error-1"
    for refused in (missing, garbage, other_entry, other_partner):
        assert refused.content[4:8] != b"ftyp"
    header = http.get(
        progressive(HLS_ENTRY, flavor_id, "x").replace("/ks/x", ""),
        headers={"X-Kaltura-Ks": hls_key(media)},
    )
    assert header.status_code == 200


def test_expired_key_is_refused_and_an_extended_key_works(media_api: Api) -> None:
    media, http = media_api.sandbox, media_api.client
    task_id = MEDIA_TASKS["hls"]
    vendor = media.vendor_ks()
    media_api.call(
        EVT,
        "updateJob",
        ks=vendor,
        id=task_id,
        entryVendorTask={"objectType": "KalturaEntryVendorTask", "status": 3},
    )
    flavor_id = flavors(media, HLS_ENTRY)[2]["id"]
    old_key = hls_key(media)
    media.expire_access_key(task_id)
    url = progressive(HLS_ENTRY, flavor_id, old_key)
    expired = http.get(url, headers={"Range": "bytes=100-"})
    assert expired.status_code == 403 and expired.headers["x-kaltura"] == "error-7"
    assert old_key not in expired.text
    extended = media_api.call(EVT, "extendAccessKey", ks=vendor, id=task_id)
    new_key = extended["accessKey"]
    assert new_key != old_key
    resumed = http.get(progressive(HLS_ENTRY, flavor_id, new_key), headers={"Range": "bytes=100-"})
    assert resumed.status_code == 206
    assert resumed.content == media.flavor_bytes(flavor_id, 100)


# --- the small MP4 -------------------------------------------------------------------------


def _boxes(data: bytes, start: int, end: int) -> dict[bytes, tuple[int, int]]:
    """Child boxes of a region: type → (payload start, payload end)."""
    found: dict[bytes, tuple[int, int]] = {}
    while start < end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        assert size >= 8 and start + size <= end, (kind, size)
        found[kind] = (start + 8, start + size)
        start += size
    return found


def test_small_flavor_is_an_mp4_with_a_silent_aac_track(media: Sandbox) -> None:
    flavor_id = flavors(media, HLS_ENTRY)[2]["id"]  # audio only, 60 s
    data = media.flavor_bytes(flavor_id)
    top = _boxes(data, 0, len(data))
    assert list(top) == [b"ftyp", b"moov", b"mdat"]
    moov = _boxes(data, *top[b"moov"])
    timescale, duration = struct.unpack(">II", data[moov[b"mvhd"][0] + 12 : moov[b"mvhd"][0] + 20])
    assert duration / timescale == pytest.approx(60, abs=0.1)
    mdia = _boxes(data, *_boxes(data, *moov[b"trak"])[b"mdia"])
    assert data[mdia[b"hdlr"][0] + 8 : mdia[b"hdlr"][0] + 12] == b"soun"
    stbl = _boxes(data, *_boxes(data, *mdia[b"minf"])[b"stbl"])
    assert b"mp4a" in data[slice(*stbl[b"stsd"])] and b"esds" in data[slice(*stbl[b"stsd"])]
    sample_size, count = struct.unpack(">II", data[stbl[b"stsz"][0] + 4 : stbl[b"stsz"][0] + 12])
    (offset,) = struct.unpack(">I", data[stbl[b"stco"][0] + 8 : stbl[b"stco"][0] + 12])
    assert offset == top[b"mdat"][0]  # the chunk starts the mdat payload
    frames = data[offset : offset + sample_size * count]
    assert frames == _media.SILENT_AAC_FRAME * count and count * 1024 / 8000 >= 60
    assert offset + sample_size * count <= top[b"mdat"][1]
