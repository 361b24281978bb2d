"""Many callers on one client, over real loopback HTTP (calls really interleave there).

* One vendor session however many threads or coroutines share a client, and one renewal
  when it expires (AUTH-4, AUTH-6): session starts are single-flight.
* A task is claimed once per process (POLL-5): every other claim is refused with
  ``AlreadyClaimedError`` before any request.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kaltura_reach_vendor import (
    AlreadyClaimedError,
    AsyncReachClient,
    EntryVendorTask,
    ReachClient,
    RetryPolicy,
)
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import client_options

THREADS = 20
COROUTINES = 50
STARTS = {("apptoken", "startsession"), ("session", "startwidgetsession")}


@pytest.fixture
def served() -> Iterator[tuple[Sandbox, str]]:
    with Sandbox("demo", seed=4) as box:
        yield box, box.serve()


def _options(sandbox: Sandbox, url: str, clock: Callable[[], float]) -> dict[str, Any]:
    retry = RetryPolicy(max_attempts=3, backoff=0.01, jitter=0.0)
    return client_options(sandbox, service_url=url, clock=clock, retry=retry)


def _session_starts(sandbox: Sandbox) -> int:
    return sum(
        1
        for r in sandbox.request_log
        if (r.service.lower(), r.action.lower()) == ("apptoken", "startsession")
    )


def _in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except BaseException as error:  # collected and checked by the test
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.rule("AUTH-4")
@pytest.mark.rule("AUTH-6")
def test_twenty_threads_start_one_session_and_renew_it_once(
    served: tuple[Sandbox, str],
) -> None:
    sandbox, url = served
    # The client keeps real time while the server's clock jumps: the server answers
    # INVALID_KS/EXPIRED, the path that used to drop a newer KS another thread stored.
    with ReachClient(**_options(sandbox, url, time.time)) as client:
        results = _in_threads(THREADS, lambda _: client.get_jobs(page_size=5))
        assert not [r for r in results if isinstance(r, BaseException)]
        assert _session_starts(sandbox) == 1

        sandbox.clock.advance(2 * 86_400)
        results = _in_threads(THREADS, lambda _: client.get_jobs(page_size=5))
        assert not [r for r in results if isinstance(r, BaseException)]
        assert _session_starts(sandbox) == 2


@pytest.mark.rule("AUTH-4")
@pytest.mark.rule("AUTH-6")
def test_fifty_coroutines_start_one_session_and_renew_it_once(
    served: tuple[Sandbox, str],
) -> None:
    sandbox, url = served

    async def scenario() -> None:
        async with AsyncReachClient(**_options(sandbox, url, time.time)) as client:
            calls = [client.get_jobs(page_size=5) for _ in range(COROUTINES)]
            await asyncio.gather(*calls)
            assert _session_starts(sandbox) == 1
            sandbox.clock.advance(2 * 86_400)
            await asyncio.gather(*[client.get_jobs(page_size=5) for _ in range(COROUTINES)])
            assert _session_starts(sandbox) == 2

    asyncio.run(scenario())


@pytest.mark.rule("AUTH-4")
def test_renewal_ahead_of_expiry_is_single_flight_too(served: tuple[Sandbox, str]) -> None:
    sandbox, url = served
    # Client and server share the clock: the client sees the KS near its end and renews
    # before the server refuses it.
    with ReachClient(**_options(sandbox, url, sandbox.clock.now)) as client:
        _in_threads(THREADS, lambda _: client.get_jobs(page_size=5))
        sandbox.clock.advance(86_400 - 60)
        results = _in_threads(THREADS, lambda _: client.get_jobs(page_size=5))
        assert not [r for r in results if isinstance(r, BaseException)]
        assert _session_starts(sandbox) == 2
        refused = [r for r in sandbox.request_log if r.error_code == "INVALID_KS"]
        assert refused == []


def _vod_pending(client: ReachClient) -> list[EntryVendorTask]:
    return [t for t in client.iter_jobs() if not t.is_live]


def _claims_sent(sandbox: Sandbox) -> Counter[int | None]:
    return Counter(
        r.task_id
        for r in sandbox.request_log
        if r.action.lower() == "updatejob" and r.error_code is None
    )


@pytest.mark.rule("POLL-5")
def test_twenty_threads_never_claim_a_task_twice(served: tuple[Sandbox, str]) -> None:
    sandbox, url = served
    with ReachClient(**_options(sandbox, url, time.time)) as client:
        tasks = _vod_pending(client)
        assert len(tasks) >= 5
        sandbox.clear_request_log()

        def claim_all(worker: int) -> list[int]:
            won = []
            # Each thread reads its own copies of the tasks, as separate workers would.
            for task in tasks[worker % len(tasks) :] + tasks[: worker % len(tasks)]:
                mine = EntryVendorTask(id=task.id, status=task.status, access_key=task.access_key)
                try:
                    client.claim(mine, external_task_id=f"worker-{worker}")
                except AlreadyClaimedError:
                    continue
                assert mine.id is not None
                won.append(int(mine.id))
            return won

        results = _in_threads(THREADS, claim_all)
        errors = [r for r in results if isinstance(r, BaseException)]
        assert not errors, errors
        wins = Counter(task_id for won in results for task_id in won)
        assert sorted(wins) == sorted(int(t.id) for t in tasks if t.id is not None)
        assert set(wins.values()) == {1}
        # The server saw exactly one updateJob per task.
        assert set(_claims_sent(sandbox).values()) == {1}
        assert len(_claims_sent(sandbox)) == len(tasks)


@pytest.mark.rule("POLL-5")
def test_fifty_coroutines_never_claim_a_task_twice(served: tuple[Sandbox, str]) -> None:
    sandbox, url = served

    async def scenario() -> Counter[int]:
        async with AsyncReachClient(**_options(sandbox, url, time.time)) as client:
            tasks = [t async for t in client.iter_jobs() if not t.is_live]
            sandbox.clear_request_log()

            async def claim(worker: int, task: EntryVendorTask) -> int | None:
                mine = EntryVendorTask(id=task.id, status=task.status, access_key=task.access_key)
                try:
                    await client.claim(mine, external_task_id=f"worker-{worker}")
                except AlreadyClaimedError:
                    return None
                return int(task.id) if task.id is not None else None

            jobs = [claim(w, t) for w in range(COROUTINES) for t in tasks]
            won = await asyncio.gather(*jobs)
            assert len(set(_claims_sent(sandbox))) == len(tasks)
            return Counter(w for w in won if w is not None)

    wins = asyncio.run(scenario())
    assert wins and set(wins.values()) == {1}


@pytest.mark.rule("POLL-5")
def test_a_claim_is_released_when_the_task_is_finished(served: tuple[Sandbox, str]) -> None:
    sandbox, url = served
    with ReachClient(**_options(sandbox, url, time.time)) as client:
        task = _vod_pending(client)[0]
        client.claim(task)
        again = EntryVendorTask(id=task.id, status=task.status)
        with pytest.raises(AlreadyClaimedError) as refused:
            client.claim(again)
        assert refused.value.key is not None
        assert str(task.id) in str(refused.value)
        client.fail(task, "could not transcribe")  # final: the claim leaves with the task
        # A second client in the same process may now claim another task freely, and the
        # finished task is refused by the lifecycle (final), not by the registry.
        other = _vod_pending(client)[0]
        with ReachClient(**_options(sandbox, url, time.time)) as second:
            second.claim(other)
        # Closing a client releases what it held.
        with ReachClient(**_options(sandbox, url, time.time)) as third:
            third.claim(EntryVendorTask(id=other.id))


def test_a_failed_claim_request_leaves_the_task_claimable(served: tuple[Sandbox, str]) -> None:
    sandbox, url = served
    with ReachClient(**_options(sandbox, url, time.time)) as client:
        task = _vod_pending(client)[0]
        sandbox.customer.abort_task(int(task.id or 0))
        with pytest.raises(Exception, match="cancel"):
            client.claim(task)
        assert not client._engine.session_gate.thread_lock.locked()
        # Not held: a fresh claim reaches the server again (and is refused by it).
        with pytest.raises(Exception, match="cancel"):
            client.claim(EntryVendorTask(id=task.id, status=task.status))
