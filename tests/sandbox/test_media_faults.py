"""Media faults: a connection cut mid-body (then resumed by range) and the latency switch."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest

from kaltura_reach_vendor.sandbox import MEDIA_ENTRIES, MEDIA_TASKS, Sandbox

ENTRY = MEDIA_ENTRIES["hls"]


@pytest.fixture
def media() -> Iterator[Sandbox]:
    with Sandbox("media", seed=5) as sb:
        yield sb


@pytest.fixture(params=["in_process", "http"])
def client(request: pytest.FixtureRequest, media: Sandbox) -> Iterator[httpx.Client]:
    if request.param == "http":
        http = httpx.Client(base_url=media.serve("127.0.0.1", 0), timeout=10)
    else:
        http = httpx.Client(transport=media.transport(), base_url=media.service_url)
    with http:
        yield http


def _url(media: Sandbox, entry_id: str = ENTRY, index: int = 0) -> tuple[str, str]:
    flavor_id = media.assets(entry_id, "flavor")[index]["id"]
    task = next(t for t in media.tasks() if t["entryId"] == entry_id)
    path = (
        f"/p/1001/sp/100100/playManifest/entryId/{entry_id}/protocol/http/format/url/"
        f"flavorIds/{flavor_id}/ks/{task['accessKey']}/a.mp4"
    )
    return path, flavor_id


def _read_until_cut(client: httpx.Client, path: str, headers: dict[str, str]) -> bytes:
    got = bytearray()
    cut = pytest.raises(httpx.RemoteProtocolError)  # the cut comes mid-loop
    with cut, client.stream("GET", path, headers=headers) as response:
        assert response.status_code in (200, 206)
        for chunk in response.iter_raw():
            got += chunk
    return bytes(got)


def test_drop_media_after_bytes_cuts_mid_body_then_a_range_resumes(
    media: Sandbox, client: httpx.Client
) -> None:
    entry_id = media.customer.add_entry(1001, "Big", flavor_bytes=300_000)
    media.customer.add_task(entry_id, 30002)
    path, flavor_id = _url(media, entry_id)
    whole = media.flavor_bytes(flavor_id)
    media.faults.drop_media_after_bytes(100_000)
    first = _read_until_cut(client, path, {})
    assert first == whole[:100_000]
    rest = client.get(path, headers={"Range": f"bytes={len(first)}-"})  # the cut is used up
    assert rest.status_code == 206
    assert first + rest.content == whole


def test_a_cut_in_a_ranged_answer_and_playlists_do_not_use_it(
    media: Sandbox, client: httpx.Client
) -> None:
    path, flavor_id = _url(media)
    whole = media.flavor_bytes(flavor_id)
    media.faults.drop_media_after_bytes(10)
    key = media.access_key(MEDIA_TASKS["hls"])
    master = client.get(
        f"/p/1001/sp/100100/playManifest/entryId/{ENTRY}/format/applehttp/flavorIds/"
        f"{flavor_id}/ks/{key}/a.m3u8"
    )
    assert master.status_code == 200 and master.text.startswith("#EXTM3U")
    assert _read_until_cut(client, path, {"Range": "bytes=5-"}) == whole[5:15]
    assert client.get(path).content == whole


def test_a_cut_larger_than_the_answer_sends_it_whole(media: Sandbox, client: httpx.Client) -> None:
    path, flavor_id = _url(media)
    media.faults.drop_media_after_bytes(10**9)
    assert client.get(path).content == media.flavor_bytes(flavor_id)
    assert media.faults.take_media_cut() is None  # used up


def test_async_in_process_cut(media: Sandbox) -> None:
    path, flavor_id = _url(media)
    media.faults.drop_media_after_bytes(50)

    async def run() -> bytes:
        got = bytearray()
        async with httpx.AsyncClient(transport=media.transport(), base_url=media.service_url) as c:
            with pytest.raises(httpx.RemoteProtocolError):
                async with c.stream("GET", path) as response:
                    async for chunk in response.aiter_raw():
                        got += chunk
        return bytes(got)

    assert asyncio.run(run()) == media.flavor_bytes(flavor_id, 0, 50)


def test_latency_applies_to_api_and_media_requests(media: Sandbox, client: httpx.Client) -> None:
    path, _ = _url(media)
    media.faults.latency_ms = 60
    for method, url in (("POST", "/api_v3/service/system/action/ping"), ("GET", path)):
        started = time.perf_counter()
        assert client.request(method, url).status_code == 200
        assert time.perf_counter() - started >= 0.055
    media.faults.reset()
    assert media.faults.latency_ms == 0


def test_in_process_async_latency_overlaps_between_concurrent_requests(media: Sandbox) -> None:
    media.faults.latency_ms = 100

    async def run() -> float:
        async with httpx.AsyncClient(transport=media.transport(), base_url=media.service_url) as c:
            started = time.perf_counter()
            answers = await asyncio.gather(
                *(c.post("/api_v3/service/system/action/ping") for _ in range(8))
            )
            assert all(a.status_code == 200 for a in answers)
            return time.perf_counter() - started

    # One after the other they would take 0.8 s; the event loop is not blocked while waiting.
    assert asyncio.run(run()) < 0.5
