"""Media downloads against the loopback sandbox: memory, throughput, HLS concurrency.

Run: ``PYTHONPATH=src python benchmarks/download.py`` (about a minute). The sandbox runs in
its own process, serving over 127.0.0.1; every measurement runs in a fresh child process so
that its peak RSS is its own. Printed, in one run:

1. Peak RSS growth while ``download_media`` streams a 200 MB flavor to disk, for
   ``ReachClient`` and ``AsyncReachClient``: growth = peak RSS during the download minus RSS
   just before it (client built, session started, the playback context read).
   Target: under 32 MB each.
2. Throughput of ``download_media`` (direct file) as a ratio to a plain ``httpx.stream``
   copy of the same URL into a file, from the same server. Target: at least 0.9x.
3. HLS with 50 ms of sandbox latency per request: ``download_media`` (a window of segments
   in flight) as a ratio to fetching the same master, playlist and segments one by one.
   Target: at least 3x faster.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from typing import Any

import httpx
import m3u8

BIG = 200 * 1024 * 1024
HLS_SECONDS = 600  # 150 segments of 4 s
LATENCY_MS = 50
TARGETS = {"rss_mb": 32.0, "throughput": 0.9, "hls": 3.0}


# -- the sandbox, in its own process ------------------------------------------------------------
def serve(pipe: Connection) -> None:
    from kaltura_reach_vendor.sandbox import Sandbox

    with Sandbox("media", seed=7) as box:
        big = box.customer.add_entry(1001, "200 MB lecture", hls=False, flavor_bytes=BIG)
        long = box.customer.add_entry(1001, "long lecture", hls=True, duration_s=HLS_SECONDS)
        tasks = {
            "big": int(box.customer.add_task(big, 30002)["id"]),
            "hls": int(box.customer.add_task(long, 30002)["id"]),
        }
        creds = box.credentials
        pipe.send(
            {
                "url": box.serve(),
                "tasks": tasks,
                "partner": creds.vendor_partner_id,
                "token": (creds.app_token.id, creds.app_token.token, creds.app_token.hash_type),
            }
        )
        while True:
            command = pipe.recv()
            if command == "stop":
                return
            box.faults.latency_ms = float(command)
            pipe.send("ok")


def _client(info: dict[str, Any], kind: str) -> Any:
    from kaltura_reach_vendor import AppToken, AsyncReachClient, ReachClient
    from kaltura_reach_vendor.session import as_hash_type

    token_id, token, hash_type = info["token"]
    options = {
        "vendor_partner_id": info["partner"],
        "vendor_name": "bench",
        "app_version": "1",
        "app_token": AppToken(token_id, token, as_hash_type(hash_type)),
        "service_url": info["url"],
        "deadline": None,
    }
    return ReachClient(**options) if kind == "sync" else AsyncReachClient(**options)


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# -- measurements, each in a child process ------------------------------------------------------
def measure_rss(info: dict[str, Any], kind: str, out: Connection) -> None:
    dest = os.path.join(tempfile.mkdtemp(), "big.mp4")
    client = _client(info, kind)

    async def run_async() -> Any:
        task = await client.get_task(info["tasks"]["big"])
        await client.claim(task)  # PROCESSING -> PROCESSING the second time: allowed
        await client.playback_context(task)  # warm: imports, session, key
        before = _rss_mb()
        await client.download_media(task, dest)
        return before

    if kind == "sync":
        task = client.get_task(info["tasks"]["big"])
        client.claim(task)
        client.playback_context(task)
        before = _rss_mb()
        client.download_media(task, dest)
    else:
        before = asyncio.run(run_async())
    out.send((_peak_mb() - before, os.path.getsize(dest)))
    os.remove(dest)


def measure_throughput(info: dict[str, Any], out: Connection) -> None:
    folder = tempfile.mkdtemp()
    client = _client(info, "sync")
    task = client.get_task(info["tasks"]["big"])
    plan = client.playback_context(task)
    flavor = plan.choose_flavor()
    url = str(client.media_url(task, flavor, format="url"))
    sdk: list[float] = []
    plain: list[float] = []
    for _ in range(3):
        started = time.perf_counter()
        client.download_media(task, os.path.join(folder, "sdk.mp4"))
        sdk.append(time.perf_counter() - started)
        started = time.perf_counter()
        target = os.path.join(folder, "plain.mp4")
        with (
            httpx.Client() as http,
            http.stream("GET", url) as response,
            open(target, "wb") as handle,
        ):
            for chunk in response.iter_raw():
                handle.write(chunk)
        plain.append(time.perf_counter() - started)
    out.send((min(plain), min(sdk)))


def measure_hls(info: dict[str, Any], out: Connection) -> None:
    folder = tempfile.mkdtemp()
    client = _client(info, "sync")
    task = client.get_task(info["tasks"]["hls"])
    client.claim(task)
    plan = client.playback_context(task)
    master = str(client.media_url(task, plan.choose_flavor()))
    started = time.perf_counter()
    with httpx.Client() as http:
        playlist = m3u8.loads(http.get(master).text, uri=master)
        variant = playlist.playlists[0].absolute_uri
        media = m3u8.loads(http.get(variant).text, uri=variant)
        with open(os.path.join(folder, "one-by-one.ts"), "wb") as handle:
            for segment in media.segments:
                handle.write(http.get(segment.absolute_uri).content)
    one_by_one = time.perf_counter() - started
    started = time.perf_counter()
    got = client.download_media(task, os.path.join(folder, "sdk.ts"))
    sdk = time.perf_counter() - started
    out.send((one_by_one, sdk, got.segments))


def _child(target: Any, *args: Any) -> Any:
    here, there = mp.Pipe()
    process = mp.Process(target=target, args=(*args, there))
    process.start()
    result = here.recv()
    process.join()
    return result


def main() -> int:
    mp.set_start_method("spawn")
    here, there = mp.Pipe()
    server = mp.Process(target=serve, args=(there,), daemon=True)
    server.start()
    info = here.recv()
    ok = True
    try:
        print(f"sandbox at {info['url']}; 200 MB flavor, HLS of {HLS_SECONDS // 4} segments\n")
        for kind in ("sync", "async"):
            growth, size = _child(measure_rss, info, kind)
            passed = growth < TARGETS["rss_mb"] and size == BIG
            ok &= passed
            verdict = "PASS" if passed else "FAIL"
            print(
                f"peak RSS growth, {kind:5}: {growth:6.1f} MB for {size / 2**20:.0f} MB  {verdict}"
            )
        plain, sdk = _child(measure_throughput, info)
        ratio = plain / sdk
        ok &= ratio >= TARGETS["throughput"]
        print(
            f"throughput: httpx.stream {BIG / plain / 2**20:7.1f} MB/s, download_media "
            f"{BIG / sdk / 2**20:7.1f} MB/s: ratio {ratio:.2f}x  "
            f"{'PASS' if ratio >= TARGETS['throughput'] else 'FAIL'} (target >= 0.9x)"
        )
        here.send(LATENCY_MS)
        here.recv()
        one_by_one, sdk, segments = _child(measure_hls, info)
        speedup = one_by_one / sdk
        ok &= speedup >= TARGETS["hls"]
        print(
            f"HLS, {LATENCY_MS} ms latency, {segments} segments: one by one {one_by_one:.2f} s, "
            f"download_media {sdk:.2f} s: {speedup:.1f}x faster  "
            f"{'PASS' if speedup >= TARGETS['hls'] else 'FAIL'} (target >= 3x)"
        )
    finally:
        here.send("stop")
        server.join(timeout=10)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
