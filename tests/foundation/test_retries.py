"""Retries: reads on transport errors and 5xx; writes only when never sent (issue 2)."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest

from kaltura_reach_vendor import (
    HTTPStatusError,
    ReachConnectionError,
    ReachTimeoutError,
    RetryPolicy,
)

from .conftest import FakeKaltura, Runner


def _flaky(failures: list[Any], final: Any) -> Any:
    def route(body: dict[str, Any], request: httpx.Request) -> Any:
        if failures:
            failure = failures.pop(0)
            if isinstance(failure, int):
                return httpx.Response(failure, text="<html>busy</html>")
            raise failure("boom", request=request)  # httpx exceptions take a request
        return final

    return route


LIST = {"objectType": "KalturaEntryVendorTaskListResponse", "objects": [], "totalCount": 0}


@pytest.mark.parametrize(
    "failure", [httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ConnectError, 503, 502]
)
def test_reads_are_retried(runner: Runner, fake: FakeKaltura, failure: Any) -> None:
    fake.routes["reach_entryvendortask.getjobs"] = _flaky([failure, failure], LIST)
    client = runner.client()
    assert runner.run(client, "call", "reach_entryVendorTask", "getJobs") == LIST
    assert fake.names().count("reach_entryVendorTask.getJobs") == 3


def test_reads_give_up_after_max_attempts(runner: Runner, fake: FakeKaltura) -> None:
    fake.routes["reach_entryvendortask.getjobs"] = _flaky([503, 503, 503, 503], LIST)
    client = runner.client()
    with pytest.raises(HTTPStatusError) as info:
        runner.run(client, "call", "reach_entryVendorTask", "getJobs")
    assert info.value.status_code == 503
    assert fake.names().count("reach_entryVendorTask.getJobs") == 3


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (httpx.ReadTimeout, ReachTimeoutError),
        (httpx.RemoteProtocolError, ReachConnectionError),
        (httpx.ReadError, ReachConnectionError),
        (502, HTTPStatusError),
    ],
)
def test_write_is_never_resent_once_the_server_may_have_seen_it(
    runner: Runner, fake: FakeKaltura, failure: Any, error: type[Exception]
) -> None:
    fake.routes["reach_entryvendortask.updatejob"] = _flaky([failure], {"id": 1})
    client = runner.client()
    with pytest.raises(error):
        runner.run(client, "call", "reach_entryVendorTask", "updateJob", {"id": 1})
    assert fake.names().count("reach_entryVendorTask.updateJob") == 1


@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ConnectTimeout])
def test_write_is_retried_when_it_never_left(
    runner: Runner, fake: FakeKaltura, failure: Any
) -> None:
    fake.routes["caption_captionasset.add"] = _flaky([failure], {"id": "1_c"})
    client = runner.client()
    assert runner.run(client, "call", "caption_captionAsset", "add", {}) == {"id": "1_c"}
    assert fake.names().count("caption_captionAsset.add") == 2


def test_backoff_is_exponential_with_bounded_jitter() -> None:
    policy = RetryPolicy(max_attempts=6, backoff=1.0, max_backoff=5.0, jitter=0.25)
    rng = random.Random(7)
    for attempt, base in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (5, 5.0)]:
        delays = {policy.delay(attempt, rng) for _ in range(50)}
        assert all(base * 0.75 <= d <= base * 1.25 for d in delays)
        assert len(delays) > 1  # jitter actually varies


def test_sleeps_between_attempts(fake: FakeKaltura) -> None:
    slept: list[float] = []
    fake.routes["reach_entryvendortask.getjobs"] = _flaky([503], LIST)
    from kaltura_reach_vendor import ReachClient
    from kaltura_reach_vendor._effects import drive_sync

    client = ReachClient(
        vendor_partner_id=5000,
        vendor_name="acme",
        app_version="1",
        admin_secret="secret-abcdef",
        service_url="https://reach.test",
        retry=RetryPolicy(backoff=2.0, jitter=0.0),
        http_client=httpx.Client(transport=fake.transport()),
    )
    flow = client._wf_call("reach_entryVendorTask", "getJobs", None, None, None, None, None, None)
    assert drive_sync(flow, client._http, sleep=slept.append) == LIST
    assert slept == [2.0]


def test_timeout_setting_reaches_every_request(runner: Runner, fake: FakeKaltura) -> None:
    fake.routes["reach_entryvendortask.getjobs"] = LIST
    client = runner.client(timeout=7.5)
    runner.run(client, "call", "reach_entryVendorTask", "getJobs")
    assert fake.requests[-1].extensions["timeout"]["read"] == 7.5
