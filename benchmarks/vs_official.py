"""This SDK against Kaltura's generated Python client, side by side, as ratios from one run.

Run (the generated client is a benchmark-only dependency, never one of this package's)::

    .venv/bin/python -m pip install -r benchmarks/requirements-official.txt
    PYTHONPATH=src .venv/bin/python benchmarks/vs_official.py [--runs 15] [--no-deliveries]

Printed, each figure measured in this run (docs/performance.md quotes them):

1. **Import plus client construction**, in fresh interpreters (``--runs`` each, interleaved;
   the median is shown; bytecode compiled beforehand for both, as ``pip install`` does).
   Time: ``time.perf_counter()`` around the import and the construction, inside the child
   (interpreter start-up excluded). Peak memory: the child's peak resident set (``VmHWM``
   in ``/proc/self/status``, Linux; ``ru_maxrss`` would include the parent's, which Linux
   carries across ``exec``) minus a bare interpreter's (``python -c pass``, median of as
   many runs).
   Ours: ``import kaltura_reach_vendor`` and ``ReachClient(...)`` with an app token. Official:
   importing ``KalturaClient`` and its Reach plugin (which a vendor needs for ``getJobs``)
   and ``KalturaClient(KalturaConfiguration(...))``. For information, ours "ready to send"
   also makes the ``httpx.Client`` that the SDK otherwise makes on the first request.
   Targets (issue 16): at most 0.4x the time and 0.5x the memory.
2. **Parsing a 500-task getJobs page** (the page of ``benchmarks/parse_jobs.py``): ours,
   ``parse(json.loads(body), EntryVendorTaskListResponse)``, and the official client's
   deserialisation of the same page in the XML format it requests (built from the same data:
   ``client.parsePostResult(xml)`` then ``KalturaObjectFactory.create(result,
   "KalturaEntryVendorTaskListResponse")``, what its ``getJobs`` does with the HTTP answer),
   each as a ratio to ``json.loads`` of our body (best of interleaved repeats). Target: ours at
   most 2x.
3. **HTTP requests per delivery** after the claim, per helper: ours as counted by
   ``benchmarks/delivery.py`` (run in a child process), against the route a vendor takes with
   the generated client as Kaltura's REACH guide documents it (``OFFICIAL_ROUTES``: the calls
   are listed, one request each; the guide's recommended status check included for captions).

Only the generated client's public API is used (facts, no code copied: it is AGPL).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from parse_jobs import N_TASKS, make_body  # noqa: E402

OURS = """
import kaltura_reach_vendor as krv
client = krv.ReachClient(
    vendor_partner_id=5162702, vendor_name="bench", app_version="1",
    app_token=krv.AppToken("app-token-id", "app-token-secret-value"), region="US",
)
"""
OURS_READY = OURS + "client._http  # the httpx.Client, otherwise made on the first request\n"
OFFICIAL = """
from KalturaClient import KalturaClient, KalturaConfiguration
from KalturaClient.Plugins import Reach
client = KalturaClient(KalturaConfiguration("https://www.kaltura.com"))
"""
BARE = "pass"
PROBE = """
import time
_t0 = time.perf_counter()
{code}
_t1 = time.perf_counter()
with open("/proc/self/status") as _status:
    _peak = next(line.split()[1] for line in _status if line.startswith("VmHWM:"))
print(_t1 - _t0, _peak)
"""

#: The route a vendor takes with the generated client, per helper, after the claim, as
#: Kaltura's REACH guide ("Working with the Kaltura Reach API", /work/shared/seeds/002)
#: describes it: one request per call. ``CHAPTERS`` chapters are delivered in the benchmark.
CHAPTERS = 8
_UPLOAD = ["uploadToken.add", "uploadToken.upload"]
OFFICIAL_ROUTES: dict[str, list[str]] = {
    "deliver_captions": [
        "captionAsset.add",
        *_UPLOAD,
        "captionAsset.setContent",
        "captionAsset.get (READY check the guide recommends)",
        "entryVendorTask.updateJob (outputObjectId, READY)",
    ],
    "deliver_translation": [
        "captionAsset.add",
        *_UPLOAD,
        "captionAsset.setContent",
        "captionAsset.get (READY check)",
        "entryVendorTask.updateJob (outputObjectId, READY)",
    ],
    "deliver_extended_audio_description": [
        "captionAsset.add (usage=1, displayOnPlayer=false)",
        *_UPLOAD,
        "captionAsset.setContent",
        "captionAsset.get (READY check)",
        "entryVendorTask.updateJob (outputObjectId, READY)",
    ],
    "deliver_chapters": [
        *["cuePoint.add"] * CHAPTERS,
        "entryVendorTask.updateJob (outputObjectId, READY)",
    ],
    "deliver_moderation": ["entryVendorTask.updateJob (moderationOutputJson, READY)"],
    "deliver_dubbing": [
        *(["flavorAsset.add", *_UPLOAD, "flavorAsset.setContent"] * 2),
        "entryVendorTask.updateJob (outputObjectId, READY)",
    ],
    "deliver_audio_description": [
        *(["flavorAsset.add", *_UPLOAD, "flavorAsset.setContent"] * 2),
        "entryVendorTask.updateJob (outputObjectId, READY)",
    ],
    "deliver_sign_language": [  # the guide's steps: a draft child, its video, then its parent
        "media.add (the draft child)",
        *_UPLOAD,
        "media.addContent",
        "media.update (parentEntryId, adminTags)",
        "entryVendorTask.updateJob (outputObjectId, READY)",
    ],
    "register_live_feature": [
        "scheduleEvent.updateLiveFeature",
        "entryVendorTask.updateJob (SCHEDULED)",
    ],
}


# -- 1. import plus construction ----------------------------------------------------------------


#: Children read compiled bytecode, as after ``pip install`` (which compiles it): written once,
#: by a warm-up run, under a private prefix (neither tree gets ``__pycache__`` files), even
#: where PYTHONDONTWRITEBYTECODE is set.
PYCACHE = tempfile.mkdtemp(prefix="vs-official-pycache-")


def _child(code: str) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": PYCACHE}
    env.pop("KALTURA_REACH_LOG", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(code=code)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1])


def import_cost(runs: int) -> dict[str, tuple[float, float]]:
    """Median seconds and median peak RSS above a bare interpreter (KiB), per variant."""
    variants = {"ours": OURS, "ours_ready": OURS_READY, "official": OFFICIAL, "bare": BARE}
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in variants}
    for code in variants.values():
        _child(code)  # warm-up: compiles the bytecode both sides then read
    for _ in range(runs):  # interleaved, so that machine load affects all alike
        for name, code in variants.items():
            samples[name].append(_child(code))
    bare_rss = statistics.median(rss for _, rss in samples["bare"])
    return {
        name: (
            statistics.median(t for t, _ in samples[name]),
            statistics.median(rss for _, rss in samples[name]) - bare_rss,
        )
        for name in variants
        if name != "bare"
    }


# -- 2. parsing a getJobs page ------------------------------------------------------------------


def _xml_value(value: Any) -> str:
    """One value in Kaltura's XML format (``format=2``): objects and lists as elements, maps
    as ``item`` elements with an ``itemKey``, booleans as 1/0."""
    if isinstance(value, dict):
        if "objectType" in value:
            return "".join(f"<{k}>{_xml_value(v)}</{k}>" for k, v in value.items())
        return "".join(
            f"<item><itemKey>{escape(k)}</itemKey>{_xml_value(v)}</item>" for k, v in value.items()
        )
    if isinstance(value, list):
        return "".join(f"<item>{_xml_value(v)}</item>" for v in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return escape(str(value))


def make_xml(page: dict[str, Any]) -> bytes:
    result = _xml_value(page)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f"<xml><result>{result}</result><executionTime>0.05</executionTime></xml>"
    ).encode()


def parse_cost(rounds: int = 15) -> dict[str, float]:
    """Best seconds per page: json.loads, ours, the official client's XML deserialisation."""
    from KalturaClient import KalturaClient, KalturaConfiguration
    from KalturaClient.Base import KalturaObjectFactory
    from KalturaClient.Plugins import Reach  # noqa: F401  (registers the REACH objects)

    from kaltura_reach_vendor.models import EntryVendorTaskListResponse, parse

    body = make_body()
    xml = make_xml(json.loads(body))
    official = KalturaClient(KalturaConfiguration("https://www.kaltura.com"))

    def ours() -> Any:
        return parse(json.loads(body), EntryVendorTaskListResponse)

    def theirs() -> Any:
        result = official.parsePostResult(xml)
        return KalturaObjectFactory.create(result, "KalturaEntryVendorTaskListResponse")

    mine, other = ours(), theirs()  # warm up; both read the same page
    assert len(mine.objects or []) == len(other.objects) == N_TASKS
    assert other.objects[0].relatedObjects["reach_vendor_catalog_item"].objects[0] is not None
    assert mine.objects is not None and mine.objects[0].catalog_item is not None
    best = {"json.loads": float("inf"), "ours": float("inf"), "official": float("inf")}
    for _ in range(rounds):
        for name, fn in (("json.loads", lambda: json.loads(body)), ("ours", ours)):
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t0)
        if _ % 3 == 0:  # the official parse is slow: a third as many rounds
            t0 = time.perf_counter()
            theirs()
            best["official"] = min(best["official"], time.perf_counter() - t0)
    best["json_kib"] = len(body) / 1024
    best["xml_kib"] = len(xml) / 1024
    return best


# -- 3. requests per delivery -------------------------------------------------------------------


def delivery_counts() -> dict[str, int]:
    """Requests per delivery of each helper, as ``benchmarks/delivery.py`` prints them."""
    out = subprocess.run(
        [sys.executable, str(HERE / "delivery.py")], capture_output=True, text=True, check=False
    )
    counts = {
        m.group(1): int(m.group(2))
        for m in re.finditer(r"^(\w+)\s+(\d+) HTTP requests per delivery", out.stdout, re.M)
    }
    if not counts:
        raise SystemExit(f"benchmarks/delivery.py printed no counts:\n{out.stdout}{out.stderr}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per variant")
    parser.add_argument("--no-deliveries", action="store_true", help="skip the request counts")
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")
    cost = import_cost(args.runs)
    (t_ours, m_ours), (t_ready, m_ready), (t_off, m_off) = (
        cost["ours"],
        cost["ours_ready"],
        cost["official"],
    )
    print(f"1. import + client construction (median of {args.runs} fresh interpreters)")
    print(f"   official: {t_off * 1000:6.1f} ms, {m_off / 1024:5.1f} MiB above a bare interpreter")
    print(f"   ours:     {t_ours * 1000:6.1f} ms, {m_ours / 1024:5.1f} MiB")
    print(
        f"   ours, httpx client made (ready to send): {t_ready * 1000:6.1f} ms, "
        f"{m_ready / 1024:5.1f} MiB"
    )
    print(
        f"   time:   {t_ours / t_off:.3f}x official (target <= 0.4x; "
        f"ready to send {t_ready / t_off:.2f}x)"
    )
    print(
        f"   memory: {m_ours / m_off:.3f}x official (target <= 0.5x; "
        f"ready to send {m_ready / m_off:.2f}x)\n"
    )

    p = parse_cost()
    base = p["json.loads"]
    print(
        f"2. parsing a {N_TASKS}-task getJobs page (JSON {p['json_kib']:.0f} KiB, "
        f"the same page as XML {p['xml_kib']:.0f} KiB; best of repeats)"
    )
    print(f"   json.loads:                 {base * 1000:7.2f} ms  1.00x")
    print(
        f"   ours (parse(json.loads)):   {p['ours'] * 1000:7.2f} ms  "
        f"{p['ours'] / base:.2f}x json.loads (target <= 2x)"
    )
    print(
        f"   official (XML, lxml):       {p['official'] * 1000:7.2f} ms  "
        f"{p['official'] / base:.2f}x json.loads"
    )
    print(f"   ours vs official:           {p['ours'] / p['official']:.2f}x\n")

    if args.no_deliveries:
        return
    counts = delivery_counts()
    print(
        "3. HTTP requests per delivery after the claim (ours: benchmarks/delivery.py; "
        "official: the guide's route)"
    )
    for name, route in OFFICIAL_ROUTES.items():
        ours = counts.get(name)
        shown = "?" if ours is None else str(ours)
        print(f"   {name:36} ours {shown:>2}  official {len(route):>2}  ({', '.join(route)})")


if __name__ == "__main__":
    main()
