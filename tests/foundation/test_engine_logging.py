"""What the engine logs, and what it does not compute when nobody listens (AUTH-9)."""

from __future__ import annotations

import logging

import pytest

from kaltura_reach_vendor import ApiCall, TaskNotFoundError
from kaltura_reach_vendor import _engine as engine_module
from kaltura_reach_vendor._secrets import mask

from .conftest import FakeKaltura, Runner, api_exception

LOGGER = "kaltura_reach_vendor"


def test_an_api_error_is_logged_with_its_code(
    runner: Runner, fake: FakeKaltura, caplog: pytest.LogCaptureFixture
) -> None:
    fake.routes["reach_entryvendortask.getjobs"] = api_exception(
        "ENTRY_VENDOR_TASK_NOT_FOUND", "Entry vendor task item with id provided not found"
    )
    client = runner.client()
    with caplog.at_level(logging.INFO, logger=LOGGER), pytest.raises(TaskNotFoundError):
        runner.run(client, "call", "reach_entryVendorTask", "getJobs")
    assert any(
        "reach_entryVendorTask.getJobs -> ENTRY_VENDOR_TASK_NOT_FOUND" in r.getMessage()
        for r in caplog.records
    )


def test_a_multirequest_logs_its_calls(
    runner: Runner, fake: FakeKaltura, caplog: pytest.LogCaptureFixture
) -> None:
    fake.routes["multirequest"] = [{"id": 1}, {"id": 2}]
    client = runner.client()
    calls = [ApiCall("baseEntry", "get", {"entryId": "0_a"}), ApiCall("flavorAsset", "list")]
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        runner.run(client, "multirequest", calls)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "multirequest(baseEntry.get, flavorAsset.list)" in text
    assert "multirequest.None" not in text


@pytest.mark.rule("AUTH-9")
def test_an_access_key_given_to_a_call_is_registered_for_masking(
    runner: Runner, fake: FakeKaltura
) -> None:
    # Not KS-shaped, so only the registry (not a pattern) can hide it.
    key = "customer-key-4f1e9a"
    fake.routes["baseentry.get"] = {"objectType": "KalturaMediaEntry", "id": "0_a"}
    client = runner.client()
    runner.run(client, "call", "baseEntry", "get", {"entryId": "0_a"}, ks=key)
    assert key not in mask(f"failed with ks {key} today")


def test_log_arguments_are_not_built_when_debug_is_off(
    runner: Runner, fake: FakeKaltura, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[object] = []
    real = engine_module.mask_value
    monkeypatch.setattr(engine_module, "mask_value", lambda v: built.append(v) or real(v))
    fake.routes["baseentry.get"] = {"objectType": "KalturaMediaEntry", "id": "0_a"}
    client = runner.client()
    logging.getLogger(LOGGER).setLevel(logging.WARNING)
    try:
        runner.run(client, "call", "baseEntry", "get", {"entryId": "0_a"})
    finally:
        logging.getLogger(LOGGER).setLevel(logging.NOTSET)
    assert built == []
