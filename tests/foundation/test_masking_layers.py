"""Each masking layer on its own (AUTH-9): the registry, the patterns and ``mask_value``.

Every test here would still pass if another layer caught the secret instead, were it not
built so that only the layer under test can: values no pattern recognises for the
registry, unregistered values for the patterns, values neither recognises for
``mask_value``.
"""

from __future__ import annotations

import base64
import random
import threading
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaltura_reach_vendor import _secrets
from kaltura_reach_vendor._secrets import (
    MASK,
    SecretRegistry,
    forget_secret,
    mask,
    mask_patterns,
    mask_value,
    register_secret,
)

# Nothing about these looks like a secret to the patterns.
PLAIN = "plain-value-that-no-pattern-knows-0042"


@pytest.fixture
def registered() -> Iterator[list[str]]:
    """Secrets a test registers globally; forgotten afterwards."""
    values: list[str] = []
    yield values
    for value in values:
        forget_secret(value)


def _register(values: list[str], value: str) -> str:
    register_secret(value)
    values.append(value)
    return value


# -- the registry layer ----------------------------------------------------------------------


@pytest.mark.rule("AUTH-9")
def test_auth_9_registered_secret_is_replaced_where_no_pattern_would_catch_it(
    registered: list[str],
) -> None:
    text = f"upload failed near {PLAIN} (retrying)"
    assert mask_patterns(text) == text  # the patterns alone do not know it
    assert mask(text) == text  # nor does mask() before registration
    _register(registered, PLAIN)
    assert mask(text) == f"upload failed near {MASK} (retrying)"


@pytest.mark.rule("AUTH-9")
def test_auth_9_minimum_secret_length_is_six_characters(registered: list[str]) -> None:
    # Six characters or more: masked wherever they appear, even inside a word.
    _register(registered, "q7w9e2")
    assert mask("xxq7w9e2yy and q7w9e2") == f"xx{MASK}yy and {MASK}"
    # Fewer: masked as a whole token only, so that ordinary words survive.
    _register(registered, "k9x2q")
    assert mask("login k9x2q. k9x2qz xk9x2q 'k9x2q'") == f"login {MASK}. k9x2qz xk9x2q '{MASK}'"


@pytest.mark.parametrize("length", [6, 7, 14, 15, 16, 23, 24, 150])
@pytest.mark.parametrize("shift", range(9))
def test_registered_secret_found_at_every_length_and_alignment(length: int, shift: int) -> None:
    # The index looks at one window every _WINDOW characters: every alignment must work.
    registry = SecretRegistry()
    secret = "".join(random.Random(length).choices("abcdefghXYZ0123456789", k=length))
    registry.add(secret)
    text = "#" * shift + secret + "#" * 5
    assert registry.replace(text) == "#" * shift + MASK + "#" * 5
    assert registry.replace(text[:-6]) == "#" * shift + secret[:-1]  # cut: not the secret


def _reference(secrets: list[str], text: str) -> str:
    """Mask the union of all occurrences of every secret (str.find, no index)."""
    covered = [False] * len(text)
    for secret in secrets:
        start = text.find(secret)
        while start >= 0:
            for i in range(start, start + len(secret)):
                covered[i] = True
            start = text.find(secret, start + 1)
    out, i = [], 0
    while i < len(text):
        if covered[i]:
            while i < len(text) and covered[i]:
                i += 1
            out.append(MASK)
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(
    secrets=st.lists(st.text("ab", min_size=6, max_size=40), min_size=1, max_size=6),
    pieces=st.lists(st.one_of(st.text("abc", max_size=12), st.integers(0, 5)), max_size=12),
)
def test_registry_matches_a_naive_reference(secrets: list[str], pieces: list[object]) -> None:
    # A two-letter alphabet makes overlaps, repeats and near-misses common.
    registry = SecretRegistry()
    for secret in secrets:
        registry.add(secret)
    text = "".join(secrets[p % len(secrets)] if isinstance(p, int) else str(p) for p in pieces)
    assert registry.replace(text) == _reference(secrets, text)


def test_overlapping_secrets_longest_wins() -> None:
    registry = SecretRegistry()
    short, long = "abcdefghijklmnop", "abcdefghijklmnopQRSTUVWX"
    registry.add(short)
    registry.add(long)
    assert registry.replace(f"<{long}>") == f"<{MASK}>"
    assert registry.replace(f"<{short}>") == f"<{MASK}>"
    # Overlapping at different starts: masked as one run, nothing of either left.
    registry.add("0123456789abcdefgh")
    assert registry.replace("0123456789abcdefghijklmnopQRSTUVWX!") == f"{MASK}!"


def test_forget_secret(registered: list[str]) -> None:
    _register(registered, PLAIN)
    assert mask(PLAIN) == MASK
    forget_secret(PLAIN)
    assert mask(PLAIN) == PLAIN
    forget_secret(PLAIN)  # unknown: ignored
    forget_secret(None)


def test_registry_is_bounded_oldest_dropped_first() -> None:
    registry = SecretRegistry(capacity=3)
    values = [f"session-secret-value-{i:03d}" for i in range(5)]
    for value in values:
        registry.add(value)
    assert len(registry) == 3
    assert [registry.replace(v) for v in values] == values[:2] + [MASK] * 3
    registry.add(values[2])  # registered again: now the newest
    registry.add("session-secret-value-new")
    assert values[2] in registry and values[3] not in registry
    assert registry.replace(values[3]) == values[3]  # dropped: out of the index too


def test_credentials_are_not_pushed_out_by_task_keys() -> None:
    registry = SecretRegistry(capacity=10, long_lived_capacity=2)
    registry.add("0123456789abcdef0123456789abcdef", long_lived=True)
    for i in range(100):
        registry.add(f"task-access-key-number-{i:04d}")
    assert registry.replace("0123456789abcdef0123456789abcdef") == MASK
    assert len(registry) == 11


def test_short_secrets_are_bounded_too() -> None:
    registry = SecretRegistry()
    for i in range(200):
        registry.add(f"s{i:03d}")
    assert len(registry) == _secrets._SMALL_CAPACITY
    assert registry.replace("s199 s000") == f"{MASK} s000"


def test_dropped_ks_is_still_caught_by_the_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_secrets, "_registry", SecretRegistry(capacity=1))
    first = base64.urlsafe_b64encode(b"v2|1001|first-task-key").decode()
    register_secret(first)
    register_secret(base64.urlsafe_b64encode(b"v2|1001|second-task-key").decode())
    assert first not in _secrets._registry
    assert mask(f"key {first} expired") == f"key {MASK} expired"


def test_masking_while_other_threads_register_and_forget() -> None:
    registry = SecretRegistry(capacity=50)
    stable = "stable-secret-held-all-along"
    registry.add(stable, long_lived=True)
    errors: list[BaseException] = []
    stop = threading.Event()

    def churn(seed: int) -> None:
        rng = random.Random(seed)
        try:
            while not stop.is_set():
                value = f"churning-secret-{rng.randrange(200):04d}-{seed}"
                registry.add(value)
                if rng.random() < 0.5:
                    registry.discard(value)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=churn, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    try:
        for i in range(3000):
            text = f"line {i}: churning-secret-0001-0 {stable} end"
            assert stable not in registry.replace(text)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors
    assert len(registry) <= 51


# -- the pattern layer -------------------------------------------------------------------------


@pytest.mark.rule("AUTH-9")
def test_auth_9_v2_ks_pattern_masks_an_unregistered_ks() -> None:
    # Short (under the 60-character base64 rule), in prose, after no secret-named key.
    ks = "djJ8MTAwMXxzaG9ydA"
    assert ks not in _secrets._registry
    text = f"the server echoed {ks} back"
    assert mask_patterns(text) == f"the server echoed {MASK} back"
    assert mask(text) == f"the server echoed {MASK} back"


def test_patterns_catch_secrets_after_keys_paths_and_headers() -> None:
    cases = {
        "GET /api_v3/ks/abc123/x": f"GET /api_v3/ks/{MASK}/x",
        "url?ks=abc123&x=1": f"url?ks={MASK}&x=1",
        "tokenHash=0a1b2c": f"tokenHash={MASK}",
        '{"secret": "hunter 2"}': f'{{"secret": "{MASK}"}}',
        "{'captionToken': 'x1'}": f"{{'captionToken': '{MASK}'}}",
        "Authorization: Bearer abc.def": f"Authorization: {MASK}",
        "v1 " + "A" * 70 + "==": f"v1 {MASK}",
    }
    for text, expected in cases.items():
        assert mask_patterns(text) == expected, text


# -- the mask_value layer ------------------------------------------------------------------------


@pytest.mark.rule("AUTH-9")
def test_auth_9_mask_value_masks_secret_named_keys() -> None:
    value = "abc123xyz"  # neither registered nor recognisable as a secret
    assert mask(value) == value
    params = {
        "secret": value,
        "ks": value,
        "tokenHash": value,
        "contentResource": {"urlHeaders": ["X-Auth: abc123xyz"], "url": "https://h/f.mp4"},
        "items": [{"captionToken": value, "id": 7}],
        "id": value,
    }
    assert mask_value(params) == {
        "secret": MASK,
        "ks": MASK,
        "tokenHash": MASK,
        "contentResource": {"urlHeaders": MASK, "url": "https://h/f.mp4"},
        "items": [{"captionToken": MASK, "id": 7}],
        "id": value,
    }
