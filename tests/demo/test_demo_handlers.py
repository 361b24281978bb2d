"""The demo's example handlers, called directly with a claimed task: each delivers on the
sandbox (over loopback HTTP), and what the rules care about is right on the delivered objects.
The shipped media files pass the checks Kaltura's rules ask for (DUB-3, SIGN-1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.sync.client import connect

from kaltura_reach_vendor import (
    AppToken,
    EntryVendorTaskStatus,
    ReachClient,
    ReadyWait,
    RetryPolicy,
)
from kaltura_reach_vendor.audio import check_audio, read_audio_facts
from kaltura_reach_vendor.captions import CaptionDocument, Cue, max_line_chars, parse_captions
from kaltura_reach_vendor.demo_handlers import (
    demo_media,
    handlers,
    human_captions,
    stand_in_transcript,
    toy_translate,
)
from kaltura_reach_vendor.enums import VendorServiceFeature as F
from kaltura_reach_vendor.errors import UsageError
from kaltura_reach_vendor.fairness import task_key
from kaltura_reach_vendor.live import CaptionMessage
from kaltura_reach_vendor.models import EntryVendorTask
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.worker import Handoff, Job, TatFacts

READY = int(EntryVendorTaskStatus.READY)
FAST = ReadyWait(timeout=30, first=0.02, factor=2, longest=0.2)


@pytest.fixture
def box() -> Iterator[Sandbox]:
    with Sandbox("demo", seed=4, media_ready_after=0.05) as sandbox:
        sandbox.serve()
        yield sandbox


@pytest.fixture
def client(box: Sandbox) -> Iterator[ReachClient]:
    token = box.credentials.app_token
    with ReachClient(
        vendor_partner_id=box.credentials.vendor_partner_id,
        vendor_name="demo-vendor",
        app_version="1.0",
        app_token=AppToken(token.id, token.token, token.hash_type),
        service_url=box.service_url,
        retry=RetryPolicy(max_attempts=3, backoff=0.0, jitter=0.0),
        clock=box.clock.now,
    ) as reach:
        yield reach


def _job(client: ReachClient, catalog_item: int, *, claim: bool = True) -> Job[ReachClient]:
    """A Job as the worker makes it: the pending task of ``catalog_item``, claimed."""
    (task,) = [t for t in client.iter_jobs() if t.catalog_item_id == catalog_item]
    if claim:
        client.claim(task)
    key = task_key(client._engine.config.service_url, task)
    return Job(task, client, key, TatFacts.of(task))


def _run(client: ReachClient, catalog_item: int, **options: Any) -> tuple[Any, EntryVendorTask]:
    job = _job(client, catalog_item)
    with handlers(ready_wait=FAST, **options) as by_feature:
        result = by_feature[job.feature or 0](job)
    return result, job.task


@pytest.mark.rule("DUB-3")
@pytest.mark.parametrize("name", ["original.m4a", "dub.m4a", "described.m4a"])
def test_the_shipped_audio_tracks_are_aac_lc_in_mp4_at_64_kbps(name: str) -> None:
    facts = check_audio(read_audio_facts(demo_media(name)))
    assert (facts.container, facts.codec) == ("MP4", "mp4a.40.2")
    assert 57_600 <= (facts.bitrate or 0) <= 70_400
    assert len(demo_media(name)) < 20_000  # a few KB: the wheel stays small


def test_the_shipped_sign_language_video_is_an_mp4() -> None:
    video = demo_media("sign.mp4")
    assert video[4:8] == b"ftyp" and b"avc1" in video  # an MP4 with an H.264 track
    assert len(video) < 20_000


@pytest.mark.rule("INPUT-5")
def test_machine_captions_follow_the_profile_and_the_order_format(
    box: Sandbox, client: ReachClient
) -> None:
    result, task = _run(client, 30002)
    assert box.task(task.id or 0)["status"] == READY
    asset = next(a for a in box.assets(kind="caption") if a["id"] == result.output_object_id)
    assert asset["language"] == "English" and asset["accuracy"] == 95
    text = (box.asset_content(asset["id"]) or b"").decode()
    doc = parse_captions(text)
    limit = max_line_chars(task)  # the profile's maxCharactersPerCaptionLine
    assert limit and all(len(line) <= limit for cue in doc.cues for line in cue.lines)
    assert " ".join(doc.cues[0].lines) == "Welcome to the Kaltura REACH demo."
    assert asset["fileExt"] == "srt" and text.startswith("1\n")  # outputFormat 1 (SRT)


@pytest.mark.rule("INPUT-3")
@pytest.mark.rule("LIFE-10")
@pytest.mark.parametrize(("output_format", "ext"), [(1, "srt"), (2, "dfxp"), (3, "vtt")])
def test_captions_come_in_the_format_the_order_names_with_units_when_pay_per_use(
    box: Sandbox, client: ReachClient, output_format: int, ext: str
) -> None:
    box.state.catalog_items[30003]["outputFormat"] = output_format  # 30003: pay-per-use
    box.customer.add_task("1_skilm10u", 30003)
    result, task = _run(client, 30003)
    asset = next(a for a in box.assets(kind="caption") if a["id"] == result.output_object_id)
    text = (box.asset_content(asset["id"]) or b"").decode()
    assert asset["fileExt"] == ext
    assert len(parse_captions(text, format=ext).cues) == 3
    assert box.task(task.id or 0)["unitsUsed"] == 1  # a 10-second recording: one minute


@pytest.mark.rule("INPUT-5")
def test_a_human_captions_task_is_handed_off_and_the_persons_captions_fit_the_profile(
    box: Sandbox, client: ReachClient
) -> None:
    result, task = _run(client, 30001, handoff=[F.CAPTIONS])
    assert result == Handoff(f"desk-{task.id}")
    assert box.task(task.id or 0)["status"] == int(EntryVendorTaskStatus.PROCESSING)
    doc = human_captions(task)  # Hebrew, speaker labels on (enableSpeakerId), ≤ 26 characters
    assert doc.cues[0].lines[0].startswith("[Dana] ברוכים")
    assert all(len(line) <= 26 for cue in doc.cues for line in cue.lines)
    done = client.deliver_captions(task, doc, accuracy=99)
    assert box.task(task.id or 0)["status"] == READY
    assert box.task(task.id or 0)["outputObjectId"] == done.output_object_id


def test_without_handoff_a_human_captions_task_is_done_by_the_engine(
    box: Sandbox, client: ReachClient
) -> None:
    result, task = _run(client, 30001)
    assert box.task(task.id or 0)["status"] == READY
    assert box.task(task.id or 0)["accuracy"] == 99 and result.requests == 2


@pytest.mark.rule("TRANS-1")
@pytest.mark.rule("TRANS-5")
def test_translation_from_the_source_captions_uses_the_toy_translator(
    box: Sandbox, client: ReachClient
) -> None:
    result, task = _run(client, 18202)
    asset = next(a for a in box.assets(kind="caption") if a["id"] == result.output_object_id)
    assert asset["language"] == "Spanish" and not asset["isDefault"]
    text = (box.asset_content(asset["id"]) or b"").decode()
    assert "Bienvenidos a la" in text  # the source's "Welcome to the", word for word
    assert box.task(task.id or 0)["outputObjectId"] == asset["id"]


@pytest.mark.rule("TRANS-3")
def test_translation_from_the_audio_translates_the_stand_in_transcript(
    box: Sandbox, client: ReachClient
) -> None:
    result, _task = _run(client, 27622)
    asset = next(a for a in box.assets(kind="caption") if a["id"] == result.output_object_id)
    assert asset["language"] == "Welsh"
    assert "Croeso" in (box.asset_content(asset["id"]) or b"").decode()


def test_the_toy_translator_refuses_a_pair_it_does_not_know() -> None:
    with pytest.raises(UsageError, match="cannot translate Catalan into Dutch"):
        toy_translate(stand_in_transcript(), "Catalan", "Dutch")
    doc = CaptionDocument([Cue(0, 1000, ["Thank you, Kaltura!"])])
    assert toy_translate(doc, "English", "Spanish").cues[0].lines == ("Gracias, Kaltura!",)


@pytest.mark.rule("DUB-3")
@pytest.mark.rule("DUB-4")
@pytest.mark.rule("DUB-5")
def test_dubbing_delivers_the_shipped_tracks_and_the_dubs_captions(
    box: Sandbox, client: ReachClient
) -> None:
    result, task = _run(client, 30004)
    dub, clear, captions = result.object_ids
    flavors = {a["id"]: a for a in box.assets(kind="flavor")}
    assert flavors[dub]["flavorParamsId"] == 200 and flavors[dub]["language"] == "Spanish"
    assert flavors[clear]["flavorParamsId"] == 201 and flavors[clear]["isDefault"]
    assert box.asset_content(dub) == demo_media("dub.m4a")
    assert box.asset_content(clear) == demo_media("original.m4a")
    caption = next(a for a in box.assets(kind="caption") if a["id"] == captions)
    assert caption["label"] == "Spanish (Dub translation)" and caption["accuracy"] < 99
    assert box.task(task.id or 0)["outputObjectId"] == dub


@pytest.mark.rule("DUB-5")
def test_audio_description_delivers_the_described_track(box: Sandbox, client: ReachClient) -> None:
    result, task = _run(client, 30005)
    described = next(a for a in box.assets(kind="flavor") if a["id"] == result.output_object_id)
    assert described["flavorParamsId"] == 202 and not described["isDefault"]
    assert box.asset_content(described["id"]) == demo_media("described.m4a")
    assert box.task(task.id or 0)["status"] == READY


@pytest.mark.rule("EAD-1")
def test_extended_audio_description_is_a_webvtt_of_descriptions(
    box: Sandbox, client: ReachClient
) -> None:
    result, _task = _run(client, 30006)
    asset = next(a for a in box.assets(kind="caption") if a["id"] == result.output_object_id)
    assert asset["fileExt"] == "vtt" and str(asset["usage"]) == "1" and not asset["displayOnPlayer"]
    text = (box.asset_content(asset["id"]) or b"").decode()
    assert text.startswith("WEBVTT") and "lectern" in text


@pytest.mark.rule("CHAP-1")
def test_chapters_are_thumb_cue_points(box: Sandbox, client: ReachClient) -> None:
    result, task = _run(client, 30007)
    cues = [c for c in box.cue_points(task.entry_id) if c["id"] in result.object_ids]
    assert sorted(c["title"] for c in cues) == ["Thanks", "Welcome"]
    assert box.task(task.id or 0)["outputObjectId"] == result.output_object_id


@pytest.mark.rule("MOD-2")
@pytest.mark.rule("MOD-5")
def test_moderation_writes_a_scored_report_and_keeps_the_order(
    box: Sandbox, client: ReachClient
) -> None:
    _result, task = _run(client, 30010)
    data = box.task(task.id or 0)["taskJobData"]
    report = json.loads(data["moderationOutputJson"])
    assert [v["severity"] for v in report["violations"]] == [20, 20]
    assert report["summary"]["policy_1"]["comply"] is True
    assert (data["ruleIds"], data["policyIds"], data["categoryIds"]) == (
        "1,2,3,4,5,6,7,8",
        "1",
        "9001",
    )
    assert box.task(task.id or 0)["status"] == READY


@pytest.mark.rule("SIGN-1")
@pytest.mark.rule("SIGN-2")
def test_sign_language_is_a_child_entry_with_the_shipped_video(
    box: Sandbox, client: ReachClient
) -> None:
    result, task = _run(client, 30009)
    child = box.entry(result.output_object_id)
    assert child["parentEntryId"] == task.entry_id
    assert "signLangASL" in child["adminTags"].split(",")


@pytest.mark.rule("LIVE-2")
@pytest.mark.rule("LIVE-6")
@pytest.mark.parametrize(("catalog_item", "first"), [(30008, "Welcome"), (30011, "Bienvenidos")])
def test_live_registers_an_endpoint_and_streams_captions_when_the_puller_connects(
    box: Sandbox, client: ReachClient, catalog_item: int, first: str
) -> None:
    job = _job(client, catalog_item, claim=False)
    with handlers(clock=box.clock.now) as by_feature:
        assert by_feature[job.feature or 0](job) is None  # registered, not delivered
        task_id = int(job.task.id or 0)
        assert box.task(task_id)["status"] == int(EntryVendorTaskStatus.SCHEDULED)
        registration = by_feature.registrations[task_id]
        assert registration.requests == 2
        box.clock.advance(registration.schedule.start_date - box.clock.now() + 1)
        record = box.pull_live_captions(7001, registration.feature_name)
    assert (record["outcome"], record["httpStatus"]) == ("completed", 101)
    messages = [CaptionMessage.from_json(m) for m in record["messages"]]
    assert messages[0].transcript.startswith(first) and not messages[0].is_final
    assert messages[1].is_final and messages[-1].is_end_of_stream
    assert len(messages) == 7


def test_closing_the_handlers_closes_the_live_endpoints(box: Sandbox, client: ReachClient) -> None:
    job = _job(client, 30008, claim=False)
    by_feature = handlers()
    by_feature[F.LIVE_CAPTION](job)
    (endpoint,) = by_feature.endpoints.values()
    url = endpoint.url
    by_feature.close()
    assert by_feature.endpoints == {}
    with pytest.raises(OSError):
        connect(url, proxy=None, open_timeout=2)
    assert set(by_feature) >= {F.CAPTIONS, F.SIGN_LANGUAGE, F.LIVE_TRANSLATION}
    assert 3 not in by_feature and by_feature.get(999) is None
