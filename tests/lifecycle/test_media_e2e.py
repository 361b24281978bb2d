"""``playback_context`` and ``media_url`` end to end on the sandbox, with both clients.

The demo scenario has an entry with HLS (``1_skilm10u``), one without (``1_nohls001``, the
machine-captions task) and a customer whose profile lists ``flavorParamsIds`` 1,3,5
(``1_wzjb7oo5``); every sandbox flavor's language is "Undefined".
"""

from __future__ import annotations

import httpx
import pytest

from kaltura_reach_vendor import EntryVendorTask, MediaPlan, ReachClient, SecretUrl
from kaltura_reach_vendor._secrets import mask
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import MACHINE_CAPTIONS, Driver, client_options

HLS_TRANSLATION = 18202  # a task on the HLS entry 1_skilm10u
QA_PROFILE_TASK = 27622  # partner 1003, profile flavorParamsIds "1,3,5"


def _claimed(drive: Driver, catalog_item_id: int) -> EntryVendorTask:
    task = drive.task_for(catalog_item_id)
    drive("claim", task)
    return task


def _contexts(sandbox: Sandbox) -> list[str | None]:
    """The client tags of the getPlaybackContext calls the sandbox saw."""
    return [r.client_tag for r in sandbox.request_log if r.action.lower() == "getplaybackcontext"]


def _get(sandbox: Sandbox, url: str) -> httpx.Response:
    with httpx.Client(transport=sandbox.transport()) as http:
        return http.get(url)


@pytest.mark.rule("MEDIA-1")
@pytest.mark.rule("INPUT-2")
@pytest.mark.rule("AUTH-3")
def test_an_hls_entry_takes_one_call(drive: Driver, sandbox: Sandbox) -> None:
    task = _claimed(drive, HLS_TRANSLATION)
    sandbox.clear_request_log()
    plan = drive("playback_context", task)
    assert isinstance(plan, MediaPlan) and plan.entry_id == task.entry_id
    assert _contexts(sandbox) == [drive.client.client_tag(task.id)]  # one call, task named
    source = plan.require_source()
    assert source.is_hls and plan.has_hls
    assert {f.id for f in plan.flavors} == set(source.flavor_ids)
    assert {f.language for f in plan.flavors} == {"Undefined"}
    chosen = plan.choose_flavor()
    assert chosen.is_original and not chosen.is_audio_only  # MEDIA-3: the source
    assert plan.choose_flavor(prefer="audio").is_audio_only


@pytest.mark.rule("MEDIA-1")
def test_an_entry_without_hls_falls_back_to_direct_http(drive: Driver, sandbox: Sandbox) -> None:
    task = _claimed(drive, MACHINE_CAPTIONS)
    sandbox.clear_request_log()
    plan = drive("playback_context", task)
    assert len(_contexts(sandbox)) == 2  # applehttp, then http
    source = plan.require_source()
    assert source.is_direct and not plan.has_hls and source.delivery_format == "url"
    flavor = plan.choose_flavor()
    url = drive.client.media_url(task, flavor, format=source)
    assert "/format/url/" in url and url.endswith("/a.mp4")
    answer = _get(sandbox, url)
    assert answer.status_code == 200
    assert answer.content[4:8] == b"ftyp"  # an MP4 file


@pytest.mark.rule("MEDIA-4")
@pytest.mark.rule("AUTH-9")
def test_media_url_names_only_the_chosen_flavor(drive: Driver, sandbox: Sandbox) -> None:
    task = _claimed(drive, HLS_TRANSLATION)
    plan = drive("playback_context", task)
    flavor = plan.choose_flavor()
    url = drive.client.media_url(task, flavor)  # a plain method on both clients
    assert isinstance(url, SecretUrl)
    key = task.access_key or ""
    assert f"/flavorIds/{flavor.id}/ks/{key}/" in url
    assert f"/p/{task.partner_id}/sp/{task.partner_id}00/playManifest/" in url
    assert "/protocol/http/" in url  # the loopback sandbox's scheme
    assert key not in repr(url) and key not in mask(str(url))  # registered for masking
    manifest = _get(sandbox, url)
    assert manifest.status_code == 200
    assert manifest.text.startswith("#EXTM3U")
    variants = [line for line in manifest.text.splitlines() if line.startswith("#EXT-X-STREAM")]
    assert len(variants) == 1 and f"/flavorId/{flavor.id}/" in manifest.text
    other = next(f for f in plan.flavors if f.id != flavor.id)
    assert f"/flavorId/{other.id}/" not in manifest.text


@pytest.mark.rule("MEDIA-3")
def test_audio_only_flavor_is_served(drive: Driver, sandbox: Sandbox) -> None:
    task = _claimed(drive, HLS_TRANSLATION)
    plan = drive("playback_context", task)
    flavor = plan.choose_flavor(prefer="audio")
    assert flavor.is_audio_only and flavor.width == 0
    answer = _get(sandbox, drive.client.media_url(task, flavor, format="url"))
    assert answer.status_code == 200 and answer.content[4:8] == b"ftyp"


@pytest.mark.rule("MEDIA-2")
def test_the_profile_flavor_params_ids_choose_on_a_real_entry(drive: Driver) -> None:
    task = _claimed(drive, QA_PROFILE_TASK)
    profile = task.reach_profile
    assert profile is not None and profile.flavor_params_ids == "1,3,5"
    plan = drive("playback_context", task)
    chosen = plan.choose_flavor(flavor_params_ids=profile.flavor_params_ids)
    assert chosen.flavor_params_id == 3  # the entry has 0, 3 and 359: 3 is the first listed


@pytest.mark.rule("KEY-2")
@pytest.mark.rule("MEDIA-4")
def test_an_expired_key_is_refused_in_the_url_and_healed_by_the_context(
    drive: Driver, sandbox: Sandbox
) -> None:
    task = _claimed(drive, HLS_TRANSLATION)
    plan = drive("playback_context", task)
    flavor = plan.choose_flavor()
    stale = drive.client.media_url(task, flavor)
    sandbox.expire_access_key(int(task.id or 0))
    assert _get(sandbox, stale).status_code == 403
    sandbox.clear_request_log()
    again = drive("playback_context", task)  # heals the key once (KEY-2)
    assert again.require_source().is_hls
    extended = [r for r in sandbox.request_log if r.action.lower() == "extendaccesskey"]
    assert len(extended) == 1
    fresh = drive.client.media_url(task, flavor)
    assert fresh != stale
    assert _get(sandbox, fresh).status_code == 200


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_media_url_over_loopback_http(kind: str, sandbox: Sandbox) -> None:
    driver = Driver(kind, sandbox, over_http=True)
    try:
        task = _claimed(driver, MACHINE_CAPTIONS)
        plan = driver("playback_context", task)
        url = driver.client.media_url(task, plan.choose_flavor(), format=plan.require_source())
        assert url.startswith(driver.client.service_url.rstrip("/") + "/p/")
        answer = httpx.get(url, timeout=10)
        assert answer.status_code == 200 and answer.content[4:8] == b"ftyp"
    finally:
        driver.close()


@pytest.mark.rule("AUTH-9")
def test_media_url_registers_the_key_for_masking(sandbox: Sandbox) -> None:
    key = "plain-access-key-never-used-in-a-call-7f3a"
    assert mask(f"key {key}") == f"key {key}"  # not yet known, and not KS-shaped
    task = EntryVendorTask(id=77, partner_id=1001, entry_id="1_e", access_key=key)
    client = ReachClient(**client_options(sandbox, service_url="https://www.kaltura.com"))
    try:
        url = client.media_url(task, "1_flavor", format="url")
    finally:
        client.close()
    assert url == (
        "https://www.kaltura.com/p/1001/sp/100100/playManifest/entryId/1_e/format/url/"
        f"protocol/https/flavorIds/1_flavor/ks/{key}/a.mp4"
    )
    assert key not in mask(f"key {key}")
    assert key not in repr(url)
