"""Per-call cost of masking secrets, at 10, 10 000 and 100 000 registered secrets (AUTH-9).

Run: ``python benchmarks/masking.py``.  Every log line and exception text of the SDK goes
through ``mask()``, so its cost must not grow with the number of secrets the process has
seen.  Three registries of realistic secrets (v2 task access keys of one partner, which
share their first 15 characters, plus hex app tokens) are built up front; the registry
under test is swapped in and out so that the sizes are measured interleaved, best of
several rounds, in one run.  The registry's default cap (``DEFAULT_CAPACITY``) is lifted for
the measurement, so that 100 000 secrets really are indexed.

Texts: a DEBUG call line (no secret), an ``INVALID_KS`` error text echoing a registered
access key, an httpx INFO line with ``/ks/<key>/`` in its URL, and a 2 KB HTML error body.
Target: the 100 000 case costs at most 1.5x the 10 case.
"""

from __future__ import annotations

import base64
import gc
import random
import sys
import time

from kaltura_reach_vendor import _secrets
from kaltura_reach_vendor._secrets import SecretRegistry, mask

SIZES = (10, 10_000, 100_000)
TARGET = 1.5
ROUNDS = 7
CALLS = 300  # per text and round


def access_key(rng: random.Random, partner_id: int = 5162732) -> str:
    """A v2-shaped KS: base64url of ``v2|<partner>|`` and 128 random bytes."""
    raw = f"v2|{partner_id}|".encode() + rng.randbytes(128)
    return base64.urlsafe_b64encode(raw).decode()


def make_registry(size: int, rng: random.Random) -> tuple[SecretRegistry, list[str]]:
    registry = SecretRegistry(capacity=size, long_lived_capacity=size)
    secrets = []
    for i in range(size):
        secret = rng.randbytes(16).hex() if i % 10 == 0 else access_key(rng)
        registry.add(secret)
        secrets.append(secret)
    return registry, secrets


def texts(secret: str) -> dict[str, str]:
    return {
        "debug call line": (
            "reach_entryVendorTask.getJobs (clientTag=kaltura-reach-vendor:acme-captions-2.4:"
            "sdk-0.1.0, session=vendor) params={'filter': {'objectType': "
            "'KalturaEntryVendorTaskFilter', 'statusIn': '1'}, 'pager': {'objectType': "
            "'KalturaFilterPager', 'pageSize': 500, 'pageIndex': 3}, 'responseProfile': "
            "{'objectType': 'KalturaResponseProfileHolder', 'systemName': 'reach_vendor'}}"
        ),
        "INVALID_KS error": (
            f'INVALID_KS: Invalid KS "{secret}", Error "-1,INVALID_STR" '
            "(reach_entryVendorTask.get, task 381257922)"
        ),
        "httpx INFO line": (
            "HTTP Request: GET https://cdnapisec.kaltura.com/p/5162732/sp/516273200/"
            f"playManifest/entryId/1_a2b3c4d5/format/download/protocol/https/ks/{secret}/"
            'a.mp4 "HTTP/1.1 200 OK"'
        ),
        "2 KB HTML body": (
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad "
            "Gateway</h1></center><hr><center>nginx</center>" + "<!-- padding -->" * 120
        )
        + "</body></html>",
    }


def measure(registry: SecretRegistry, sample: dict[str, str], secret: str) -> dict[str, float]:
    """Seconds per ``mask()`` call of each text, with ``registry`` swapped in."""
    saved = _secrets._registry
    _secrets._registry = registry
    try:
        out = {}
        for name, text in sample.items():
            masked = mask(text)
            assert secret not in masked, name  # the secret is really found
            t0 = time.perf_counter()
            for _ in range(CALLS):
                mask(text)
            out[name] = (time.perf_counter() - t0) / CALLS
        return out
    finally:
        _secrets._registry = saved


def main() -> int:
    rng = random.Random(2026)
    print(f"registry cap lifted for the measurement (default: {_secrets.DEFAULT_CAPACITY})")
    registries = {}
    for size in SIZES:
        t0 = time.perf_counter()
        registries[size] = make_registry(size, rng)
        elapsed = time.perf_counter() - t0
        each = elapsed / size * 1e6
        print(f"registered {size:>7} secrets in {elapsed:6.2f} s ({each:.1f} us each)")
    # The same texts everywhere; each registry holds the echoed key (its last registration).
    probe = access_key(rng)
    for registry, _ in registries.values():
        registry.add(probe)
    sample = texts(probe)
    gc.collect()  # the setup's garbage is not the measured calls' cost
    best: dict[int, dict[str, float]] = {size: {} for size in SIZES}
    for _ in range(ROUNDS):
        for size in SIZES:
            for name, seconds in measure(registries[size][0], sample, probe).items():
                best[size][name] = min(best[size].get(name, float("inf")), seconds)
    print()
    print(f"{'text':<18}" + "".join(f"{size:>12,}" for size in SIZES) + "   (us per mask call)")
    for name in sample:
        print(f"{name:<18}" + "".join(f"{best[size][name] * 1e6:12.1f}" for size in SIZES))
    totals = {size: sum(best[size].values()) / len(sample) for size in SIZES}
    print(f"{'mean':<18}" + "".join(f"{totals[size] * 1e6:12.1f}" for size in SIZES))
    print()
    base = totals[SIZES[0]]
    for size in SIZES[1:]:
        print(f"ratio {size:>7,} / {SIZES[0]}: {totals[size] / base:.2f}x")
    ratio = totals[SIZES[-1]] / base
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(
        f"{verdict}: {SIZES[-1]:,} secrets cost {ratio:.2f}x the {SIZES[0]} case "
        f"(target <= {TARGET}x)"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
