"""Fuzzing the answers: whatever the server sends, only ``ReachError`` reaches the caller.

Arbitrary JSON, near-valid Kaltura objects with random field values, JSON cut short, JSON
nested far too deep and arbitrary bytes, with assorted HTTP statuses, are fed as the answer
to ``getJobs``, ``get`` (with a task's access key), the ``updateJob`` of ``claim`` and
``fail``, and a ``multirequest``, through both ``ReachClient`` and ``AsyncReachClient``.
Sessions start normally, so every fuzzed answer reaches the action under test.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaltura_reach_vendor import (
    ApiCall,
    ApiError,
    AsyncReachClient,
    EntryVendorTask,
    EntryVendorTaskListResponse,
    EntryVendorTaskStatus,
    ReachClient,
    ReachError,
    RetryPolicy,
)

from .conftest import ACCESS_KEY, APP_TOKEN, VENDOR_PID, FakeKaltura

# 5 actions x 2 clients x 200 = 2 000 examples, and 2 x 2 x 100 for the paths built on them.
EXAMPLES = 200
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
FUZZ_MORE = settings(FUZZ, max_examples=EXAMPLES // 2)

# -- strategies -----------------------------------------------------------------------------------
FIELDS = [
    "objectType", "id", "status", "accessKey", "createdAt", "queueTime", "expectedFinishTime",
    "turnAroundTime", "relatedObjects", "objects", "totalCount", "code", "message", "args",
    "serviceType", "serviceFeature", "catalogItemId", "partnerId", "entryId", "taskJobData",
    "dictionary", "notes", "externalTaskId", "ks", "KSID",
]  # fmt: skip
OBJECT_TYPES = [
    "KalturaEntryVendorTask",
    "KalturaEntryVendorTaskListResponse",
    "KalturaAPIException",
    "KalturaListResponse",
    "KalturaVendorCaptionsCatalogItem",
    "KalturaReachProfile",
    "KalturaUnknownThing",
]
CODES = [
    "INVALID_KS",
    "MISSING_KS",
    "ENTRY_VENDOR_TASK_NOT_FOUND",
    "CANNOT_UPDATE_STATUS_OF_TASK_WHICH_IS_IN_FINAL_STATE",
    "CANNOT_EXTEND_ACCESS_KEY",
    "SERVICE_FORBIDDEN",
    "PROPERTY_VALIDATION_NOT_UPDATABLE",
    "SOMETHING_NEW",
    "",
]
EXTREMES = [0, -1, 1, 7, 1800, 2**31, 2**63, 10**12, 10**20, -(10**20), 10**300]

integers = st.integers() | st.sampled_from(EXTREMES)
scalars = (
    st.none()
    | st.booleans()
    | integers
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(OBJECT_TYPES + CODES + ["EXPIRED", "1", "true", "2.5"])
)
keys = st.text(max_size=8) | st.sampled_from(FIELDS)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=12,
)


def _task_fields(related: st.SearchStrategy[Any]) -> dict[str, st.SearchStrategy[Any]]:
    times = integers | json_values
    return {
        "id": integers | st.text(max_size=6) | json_values,
        "status": st.integers(-2, 12) | st.sampled_from(["1", "3", "x"]) | json_values,
        "accessKey": st.just(ACCESS_KEY) | st.text(max_size=20) | json_values,
        "createdAt": times,
        "queueTime": times,
        "expectedFinishTime": times,
        "turnAroundTime": st.sampled_from([-1, 0, 1, 7, 1800, 86400]) | times,
        "serviceType": st.integers(0, 3) | json_values,
        "serviceFeature": st.integers(0, 20) | json_values,
        "partnerId": integers | json_values,
        "entryId": st.text(max_size=10) | json_values,
        "taskJobData": json_values,
        "relatedObjects": st.dictionaries(st.text(max_size=6), related, max_size=2) | json_values,
        "externalTaskId": st.text(max_size=10) | json_values,
    }


def _objects(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries(
        {"objectType": st.sampled_from(OBJECT_TYPES)},
        optional={
            "objects": st.lists(children | json_values, max_size=3) | json_values,
            "totalCount": integers | json_values,
        },
    )


list_responses = st.deferred(
    lambda: _objects(
        st.fixed_dictionaries(
            {"objectType": st.sampled_from(OBJECT_TYPES)}, optional=_task_fields(list_responses)
        )
    )
)
tasks = st.fixed_dictionaries(
    {"objectType": st.just("KalturaEntryVendorTask")}, optional=_task_fields(list_responses)
)
task_pages = st.fixed_dictionaries(
    {"objectType": st.just("KalturaEntryVendorTaskListResponse")},
    optional={
        "objects": st.lists(tasks, max_size=4)
        | st.lists(tasks | json_values, max_size=4)
        | json_values,
        "totalCount": integers | json_values,
    },
)
api_exceptions = st.fixed_dictionaries(
    {"objectType": st.just("KalturaAPIException")},
    optional={
        "code": st.sampled_from(CODES) | json_values,
        "message": st.text(max_size=30) | json_values,
        "args": st.just({"KSID": "EXPIRED"})
        | st.lists(st.fixed_dictionaries({"name": keys, "value": json_values}), max_size=2)
        | json_values,
    },
)
kaltura_values = st.one_of(json_values, tasks, task_pages, list_responses, api_exceptions)
multirequest_values = st.lists(kaltura_values, min_size=2, max_size=2) | st.lists(
    kaltura_values, max_size=3
)


def _encoded(values: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    return st.builds(
        lambda value, encoding: json.dumps(value).encode(encoding),
        values,
        st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16"]),
    )


def _cut(doc: bytes) -> st.SearchStrategy[bytes]:
    return st.integers(0, len(doc)).map(lambda n: doc[:n])


def _deep_task(depth: int) -> dict[str, Any]:
    root: dict[str, Any] = {"objectType": "KalturaEntryVendorTask", "id": 1, "status": 1}
    node = root
    for _ in range(depth):
        child: dict[str, Any] = {"objectType": "KalturaEntryVendorTask", "id": 2}
        node["relatedObjects"] = {"r": {"objects": [child]}}
        node = child
    return root


def _deep_page(depth: int) -> dict[str, Any]:
    return {"objectType": "KalturaEntryVendorTaskListResponse", "objects": [_deep_task(depth)]}


def bodies(values: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    return st.one_of(
        _encoded(values),
        _encoded(values),  # twice: near-valid JSON is where the interesting bugs hide
        _encoded(values).flatmap(_cut),
        st.binary(max_size=200),
        st.integers(200, 20_000).map(lambda d: b"[" * d + b"]" * d),
        st.integers(100, 400).map(lambda d: json.dumps(_deep_task(d)).encode()),
        st.integers(100, 400).map(lambda d: json.dumps(_deep_page(d)).encode()),
        st.sampled_from([b"", b"  ", b"null", b"<html>502 Bad Gateway</html>", b"\xef\xbb\xbf{}"]),
    )


# Mostly 200 (where Kaltura puts its errors too), sometimes anything else.
statuses = st.sampled_from([200] * 14 + [201, 204, 301, 400, 401, 404, 429, 500, 502, 503])


# -- the harness ----------------------------------------------------------------------------------
class Harness:
    """One client per (kind, action) for all examples: the session is started once."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.fake = FakeKaltura()
        self.answer = httpx.Response(200, json=None)
        for name in ("getjobs", "get", "updatejob", "list", "extendaccesskey"):
            self.fake.routes[f"reach_entryvendortask.{name}"] = self._answer
        self.fake.routes["multirequest"] = self._answer
        options: dict[str, Any] = {
            "vendor_partner_id": VENDOR_PID,
            "vendor_name": "acme",
            "app_version": "2.3.1",
            "service_url": "https://reach.test",
            "app_token": APP_TOKEN,
            "retry": RetryPolicy(max_attempts=1),
        }
        transport = self.fake.transport()
        if kind == "sync":
            self.client: Any = ReachClient(http_client=httpx.Client(transport=transport), **options)
        else:
            self.loop = asyncio.new_event_loop()
            self.client = AsyncReachClient(
                http_client=httpx.AsyncClient(transport=transport), **options
            )

    def _answer(self, body: Any, request: httpx.Request) -> httpx.Response:
        return httpx.Response(self.answer.status_code, content=self.answer.content)

    def run(self, method: str, *args: Any) -> Any:
        result = getattr(self.client, method)(*args)
        if self.kind == "async":
            return self.loop.run_until_complete(result)
        return result

    def collect(self, method: str, **kwargs: Any) -> list[Any]:
        """Every item of an iterator method (``iter_jobs``), sync or async."""
        if self.kind == "sync":
            return list(getattr(self.client, method)(**kwargs))

        async def drain() -> list[Any]:
            return [item async for item in getattr(self.client, method)(**kwargs)]

        return self.loop.run_until_complete(drain())

    def close(self) -> None:
        if self.kind == "sync":
            self.client.close()
        else:
            self.loop.run_until_complete(self.client.aclose())
            self.loop.close()


@pytest.fixture(scope="module", params=["sync", "async"])
def harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    made = Harness(request.param)
    yield made
    made.close()


_ids = itertools.count(10_000)


def _task(status: EntryVendorTaskStatus) -> EntryVendorTask:
    # A fresh id each time: claims are exclusive within a process (POLL-5).
    return EntryVendorTask(id=next(_ids), access_key=ACCESS_KEY, status=status)


def _get_jobs(h: Harness) -> None:
    page = h.run("get_jobs")
    assert isinstance(page, EntryVendorTaskListResponse)
    assert all(isinstance(task, EntryVendorTask) for task in page)


def _get_task(h: Harness) -> None:
    assert isinstance(h.run("get_task", _task(EntryVendorTaskStatus.PENDING)), EntryVendorTask)


def _claim(h: Harness) -> None:
    task = h.run("claim", _task(EntryVendorTaskStatus.PENDING))
    assert task.status is EntryVendorTaskStatus.PROCESSING


def _fail(h: Harness) -> None:
    task = h.run("fail", _task(EntryVendorTaskStatus.PROCESSING), "could not transcribe")
    assert task.status is EntryVendorTaskStatus.ERROR


MULTI = [
    ApiCall("reach_entryVendorTask", "getJobs", {"pager": {"pageSize": 1}}),
    ApiCall("reach_entryVendorTask", "get", {"id": 1}, ks=ACCESS_KEY, task_id=1),
]


def _multirequest(h: Harness) -> None:
    results = h.run("multirequest", MULTI)
    assert isinstance(results, list) and len(results) == len(MULTI)
    assert all(not isinstance(r, Exception) or isinstance(r, ApiError) for r in results)


def _iter_jobs(h: Harness) -> None:
    # Two a page: the same answer twice is a second page with nothing new, so it ends.
    assert all(isinstance(task, EntryVendorTask) for task in h.collect("iter_jobs", page_size=2))


def _get_task_by_id(h: Harness) -> None:
    # ``list`` finds it, then ``get`` re-reads it: both get the fuzzed answer.
    assert isinstance(h.run("get_task", next(_ids)), EntryVendorTask)


def _exercise(h: Harness, action: Callable[[Harness], None], status: int, body: bytes) -> None:
    h.answer = httpx.Response(status, content=body)
    with contextlib.suppress(ReachError):  # the only kind of failure a caller may meet
        action(h)


# One test per action, each run for both clients: the shrunk failing example names its action.
@FUZZ
@given(status=statuses, body=bodies(st.one_of(task_pages, task_pages, kaltura_values)))
def test_get_jobs_answers(harness: Harness, status: int, body: bytes) -> None:
    _exercise(harness, _get_jobs, status, body)


@FUZZ
@given(status=statuses, body=bodies(tasks | kaltura_values))
def test_get_task_answers(harness: Harness, status: int, body: bytes) -> None:
    _exercise(harness, _get_task, status, body)


@FUZZ
@given(status=statuses, body=bodies(tasks | kaltura_values))
def test_claim_update_job_answers(harness: Harness, status: int, body: bytes) -> None:
    _exercise(harness, _claim, status, body)


@FUZZ
@given(status=statuses, body=bodies(tasks | kaltura_values))
def test_fail_update_job_answers(harness: Harness, status: int, body: bytes) -> None:
    _exercise(harness, _fail, status, body)


@FUZZ
@given(status=statuses, body=bodies(multirequest_values | kaltura_values))
def test_multirequest_answers(harness: Harness, status: int, body: bytes) -> None:
    _exercise(harness, _multirequest, status, body)


@FUZZ_MORE
@given(status=statuses, body=bodies(st.one_of(task_pages, task_pages, kaltura_values)))
def test_iter_jobs_answers(harness: Harness, status: int, body: bytes) -> None:
    _exercise(harness, _iter_jobs, status, body)


@FUZZ_MORE
@given(status=statuses, body=bodies(st.one_of(task_pages, tasks, kaltura_values)))
def test_get_task_by_id_answers(harness: Harness, status: int, body: bytes) -> None:
    _exercise(harness, _get_task_by_id, status, body)
