"""Fault injection switches and the controllable clock."""

from __future__ import annotations

import httpx
import pytest

from kaltura_reach_vendor.sandbox import Clock, Sandbox

from .conftest import Api, assert_error, task_by_feature


def test_connection_drop_in_process_and_http(api: Api, sandbox: Sandbox) -> None:
    sandbox.faults.drop_next()
    with pytest.raises(httpx.TransportError):
        api.call("session", "startWidgetSession", widgetId="_1001")
    assert api.call("session", "startWidgetSession", widgetId="_1001")["partnerId"] == 1001


def test_http_5xx(api: Api, sandbox: Sandbox) -> None:
    sandbox.faults.error_next(status=502)
    response = api.raw("session", "startWidgetSession", widgetId="_1001")
    assert response.status_code == 502
    assert api.raw("session", "startWidgetSession", widgetId="_1001").status_code == 200


def test_slow_response(api: Api, sandbox: Sandbox) -> None:
    sandbox.faults.delay_next(0.01)
    assert api.call("session", "startWidgetSession", widgetId="_1001")["partnerId"] == 1001


@pytest.mark.rule("KEY-2")
def test_forced_access_key_expiry(api: Api, sandbox: Sandbox) -> None:
    task = task_by_feature(sandbox, 1)
    sandbox.faults.expire_next_access_key()
    err = assert_error(
        api.call("reach_entryvendortask", "get", ks=task["accessKey"], id=task["id"]), "INVALID_KS"
    )
    assert err["args"]["KSID"] == "EXPIRED"
    sandbox.expire_access_key(task_by_feature(sandbox, 5)["id"])
    other = task_by_feature(sandbox, 5)
    assert_error(
        api.call("reach_entryvendortask", "get", ks=other["accessKey"], id=other["id"]),
        "INVALID_KS",
    )


@pytest.mark.rule("LIFE-8")
def test_cancellation_mid_flight(api: Api, sandbox: Sandbox) -> None:
    ks = api.vendor_ks()
    task = task_by_feature(sandbox, 1)
    api.call(
        "reach_entryvendortask", "updateJob", ks=ks, id=task["id"], entryVendorTask={"status": 3}
    )
    sandbox.faults.cancel_next_task()
    result = api.call(
        "reach_entryvendortask",
        "updateJob",
        ks=ks,
        id=task["id"],
        entryVendorTask={"status": 2, "outputObjectId": "1_x"},
    )
    assert_error(result, "ENTRY_VENDOR_TASK_NOT_FOUND")
    assert sandbox.task(task["id"])["status"] == 7


def _outcomes(seed: int) -> list[str]:
    with (
        Sandbox("empty", seed=seed) as sb,
        httpx.Client(transport=sb.transport(), base_url=sb.service_url) as c,
    ):
        sb.faults.error_rate = 0.3
        sb.faults.drop_rate = 0.2
        outcomes = []
        for _ in range(30):
            try:
                response = c.post(
                    "/api_v3/service/session/action/startWidgetSession",
                    data={"widgetId": "_1001", "format": "1"},
                )
                outcomes.append(str(response.status_code))
            except httpx.TransportError:
                outcomes.append("drop")
        return outcomes


def test_rate_faults_are_seeded_and_repeatable() -> None:
    first = _outcomes(11)
    assert first == _outcomes(11)
    assert {"200", "503", "drop"} <= set(first)


def test_faults_off_by_default_and_reset(sandbox: Sandbox) -> None:
    assert sandbox.faults.drop_rate == sandbox.faults.error_rate == 0
    sandbox.faults.error_rate = 1.0
    sandbox.faults.reset()
    assert sandbox.faults.error_rate == 0


def test_clock_advance_freeze() -> None:
    clock = Clock(start=1_700_000_000)
    assert clock.time() == 1_700_000_000
    clock.advance(3600)
    assert clock.time() == 1_700_003_600
    real = Clock()
    before = real.now()
    real.advance(100)
    assert real.now() >= before + 100


def test_clock_passes_tat_and_expires_vendor_ks(inproc: Api) -> None:
    clock = Clock(start=1_800_000_000)
    with (
        Sandbox("demo", clock=clock) as sb,
        httpx.Client(transport=sb.transport(), base_url=sb.service_url) as c,
    ):
        api = Api(c, sb)
        ks = api.vendor_ks()
        task = task_by_feature(sb, 1)
        assert task["expectedFinishTime"] == 1_800_000_000 + 1800
        clock.advance(1801)
        assert sb.clock.time() > task["expectedFinishTime"]
        clock.advance(86400)
        assert (
            assert_error(api.call("reach_entryvendortask", "getJobs", ks=ks), "INVALID_KS")["args"][
                "KSID"
            ]
            == "EXPIRED"
        )
