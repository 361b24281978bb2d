"""Type-checked with ``mypy --strict tests/typing`` (in .ci/run): the public API as a user sees it.

Nothing here runs; the functions exist to be type-checked.
"""

from __future__ import annotations

import httpx
from typing_extensions import assert_type

import kaltura_reach_vendor as krv
from kaltura_reach_vendor import (
    ApiCall,
    ApiError,
    AppToken,
    AsyncReachClient,
    BaseEntry,
    CaptionAsset,
    EntryVendorTask,
    EntryVendorTaskListResponse,
    Flavor,
    HashType,
    InvalidSessionError,
    JsonValue,
    KsInfo,
    MediaPlan,
    ReachClient,
    Region,
    ResultRef,
    RetryPolicy,
    SecretUrl,
    TaskCancelled,
)
from kaltura_reach_vendor.deliveries import LiveRegistration
from kaltura_reach_vendor.media import Source


def check_sync() -> None:
    client = ReachClient(
        vendor_partner_id=12345,
        vendor_name="acme",
        app_version="2.3.1",
        app_token=AppToken(id="1_x", token="t" * 32, hash_type="SHA256"),
        region=Region.US,
        http_client=httpx.Client(),
        retry=RetryPolicy(max_attempts=2),
    )
    with client:
        assert_type(client.vendor_ks(), str)
        results = client.multirequest(
            [
                ApiCall("media", "get", {"entryId": "0_x"}),
                ApiCall("a", "b", {"id": ResultRef(1).id}),
            ]
        )
        assert_type(results, list[JsonValue | ApiError])
        assert_type(client.client_tag(5), str)
    try:
        client.call("reach_entryVendorTask", "getJobs")
    except InvalidSessionError as error:
        assert_type(error.ksid, str)
        assert_type(error.is_expired, bool)
    except ApiError as error:
        assert_type(error.code, str)
        assert_type(error.message, str)
        assert_type(error.args, dict[str, str])


async def check_async() -> None:
    async with AsyncReachClient(
        vendor_partner_id=1, vendor_name="a", app_version="1", admin_secret="s", region="EU"
    ) as client:
        assert_type(await client.vendor_ks(), str)
    info = krv.parse_ks("djJ8MXw=")
    assert_type(info, KsInfo)
    assert_type(info.partner_id, int)
    assert_type(info.expires_at, int | None)


def check_lifecycle(client: ReachClient, task: EntryVendorTask) -> None:
    assert_type(client.get_jobs(), EntryVendorTaskListResponse)
    for job in client.iter_jobs(page_size=100, include_scheduled=True):
        assert_type(job, EntryVendorTask)
    assert_type(client.claim(task, external_task_id="x"), EntryVendorTask)
    assert_type(client.complete(task, "1_x", 98, units_used=3), EntryVendorTask)
    assert_type(client.fail(task, "why"), EntryVendorTask)
    assert_type(client.extend_access_key(task), EntryVendorTask)
    assert_type(client.list_in_flight(), list[EntryVendorTask])
    assert_type(client.is_cancelled(task), bool)
    live = client.register_live_feature(
        task, media_url="rtmps://i/l", media_key="k", caption_url="wss://c/", caption_token="t"
    )
    assert_type(live, LiveRegistration)
    client.register_live_feature(task, media_url="rtmps://i/l")  # type: ignore[call-arg]
    # Operations declared once keep their exact signatures on each client.
    client.claim(task, externl_task_id="x")  # type: ignore[call-arg]
    client.complete(task, "1_x", "98")  # type: ignore[arg-type]
    assert_type(task.access_key_expires_at, float | None)
    try:
        client.get_task(task)
    except TaskCancelled as cancelled:
        assert_type(cancelled.code, str)


def check_typed_calls(client: ReachClient, task: EntryVendorTask) -> None:
    assert_type(client.call("baseEntry", "get", {"entryId": "0_x"}), JsonValue)
    assert_type(client.call("baseEntry", "get", {"entryId": "0_x"}, into=BaseEntry), BaseEntry)
    assert_type(client.task_call(task, "baseEntry", "get"), JsonValue)
    asset = client.task_call(task, "caption_captionAsset", "get", {}, into=CaptionAsset)
    assert_type(asset, CaptionAsset)
    assert_type(client.task_multirequest(task, []), list[JsonValue | ApiError])
    assert_type(client.get_task(1234), EntryVendorTask)
    client.call("baseEntry", "get", into=dict)  # type: ignore[type-var]


async def check_async_lifecycle(client: AsyncReachClient, task: EntryVendorTask) -> None:
    async for job in client.iter_jobs():
        assert_type(job, EntryVendorTask)
    assert_type(await client.task_call(task, "a", "b", into=CaptionAsset), CaptionAsset)
    assert_type(await client.call("a", "b"), JsonValue)
    assert_type(await client.multirequest([]), list[JsonValue | ApiError])
    assert_type(await client.get_task(5), EntryVendorTask)
    assert_type(await client.claim(task), EntryVendorTask)
    assert_type(await client.get_jobs(page_size=5), EntryVendorTaskListResponse)
    await client.fail(task)  # type: ignore[call-arg]
    assert_type(await client.check_scheduled(task), bool)


def check_constructor_is_typed() -> None:
    # strict mypy warns about unused ignores: these lines prove the errors exist.
    ReachClient(vendor_partner_idd=1, vendor_name="a", app_version="1")  # type: ignore[call-arg]
    ReachClient(
        vendor_partner_id=1,
        vendor_name="a",
        app_version="1",
        http_client=httpx.AsyncClient(),  # type: ignore[arg-type]
    )
    assert_type(ReachClient.from_env(), ReachClient)
    assert_type(AsyncReachClient.from_env(), AsyncReachClient)


def check_hash_type_is_a_literal() -> None:
    token = AppToken("1_x", "t" * 32, "SHA512")
    assert_type(token.hash_type, HashType)
    AppToken("1_x", "t" * 32, hash_type="SHA3")  # type: ignore[arg-type]
    from_config: str = "sha256"
    AppToken("1_x", "t" * 32, from_config)  # type: ignore[arg-type]


def check_media(client: ReachClient, task: EntryVendorTask, flavor: Flavor, src: Source) -> None:
    plan = client.playback_context(task)
    assert_type(plan, MediaPlan)
    assert_type(plan.source, Source | None)
    assert_type(plan.choose_flavor(flavor_params_ids="1,3,5", prefer="audio"), Flavor)
    assert_type(krv.choose_flavor(plan.flavors, flavor_params_ids=[1, 3]), Flavor)
    assert_type(client.media_url(task, flavor), SecretUrl)
    assert_type(client.media_url(task, "1_flavor", format=src), SecretUrl)
    assert_type(client.media_url(task, flavor, format="url"), SecretUrl)
    client.media_url(task, flavor, format="mpegdash")  # type: ignore[arg-type]
    krv.choose_flavor(plan.flavors, prefer="both")  # type: ignore[arg-type]
    got = client.download_media(task, "media.ts", audio_only=True, progress=lambda d, t: None)
    assert_type(got, krv.MediaDownload)
    client.download_media(task, "m.ts", audio=True)  # type: ignore[call-arg]
    assert_type(client.source_captions(task), krv.SourceCaptions)
    assert_type(client.upload(task, b"1\n", filename="a.srt"), krv.UploadToken)
    client.upload(task, 42)  # type: ignore[arg-type]
    done = client.deliver_captions(task, "1\n00:00:01,000 --> 00:00:02,000\nHi\n", accuracy=97)
    assert_type(done, krv.DeliveryResult)
    assert_type(done.requests, int)
    client.deliver_translation(task, b"", accuracy="97")  # type: ignore[arg-type]
    with_extras = client.deliver_captions(task, b"", accuracy=90, transcript="t", tags=["a"])
    assert_type(with_extras, krv.DeliveryResult)
    chapters = [krv.Chapter(0, "Intro")]
    assert_type(client.deliver_chapters(task, chapters, accuracy=90), krv.DeliveryResult)
    ead = client.deliver_extended_audio_description(task, "WEBVTT\n", accuracy=90)
    assert_type(ead.object_ids, tuple[str, ...])
    dub = client.deliver_dubbing(
        task, "dub.mp4", b"", accuracy=95, captions="", captions_accuracy=90
    )
    assert_type(dub, krv.DeliveryResult)
    describe = client.deliver_audio_description  # no captions: DUB-4 is for dubs
    describe(task, "ad.mp4", "clear.mp4", accuracy=90, captions="")  # type: ignore[call-arg]
    assert_type(krv.check_audio(krv.read_audio_facts("dub.mp4")), krv.AudioFacts)
    wait = krv.ReadyWait(timeout=60, first=0.5)
    signed = client.deliver_sign_language(task, "sign.mp4", accuracy=95, ready_wait=wait)
    assert_type(signed, krv.DeliveryResult)
    client.deliver_sign_language(task, b"", accuracy=95, sign_language=1)  # type: ignore[arg-type]


async def check_async_media(client: AsyncReachClient, task: EntryVendorTask) -> None:
    plan = await client.playback_context(task)
    assert_type(plan, MediaPlan)
    assert_type(await client.download_media(task, "media.ts"), krv.MediaDownload)
    described = await client.deliver_audio_description(task, b"", "clear.mp4", accuracy=90)
    assert_type(described, krv.DeliveryResult)
    signed = await client.deliver_sign_language(task, b"", accuracy=90, sign_language="BSL")
    assert_type(signed, krv.DeliveryResult)
    flavor = plan.choose_flavor()
    # no request is made: a plain (not awaited) method on the async client too
    assert_type(client.media_url(task, flavor, format=plan.require_source()), SecretUrl)


def check_moderation_groups(client: ReachClient, task: EntryVendorTask, entry: BaseEntry) -> None:
    from kaltura_reach_vendor import EntryModerationResult, ModerationFlag, ModerationFlagType
    from kaltura_reach_vendor.models import BaseEntryListResponse, ModerationFlagListResponse
    from kaltura_reach_vendor.moderation import ModerationReport

    ks = "partner-ks"
    flag = client.moderation.flag(entry, ModerationFlagType.COPYRIGHT, ks=ks, comments="c")
    assert_type(flag, ModerationFlag)
    assert_type(client.moderation.list_flags("0_x", ks=ks), ModerationFlagListResponse)
    assert_type(client.moderation.queue(ks=ks, page_size=10), BaseEntryListResponse)
    assert_type(client.moderation.approve("0_x", ks=ks), None)
    assert_type(client.moderation.bulk_reject(["0_x"], ks=ks), tuple[EntryModerationResult, ...])
    assert_type(client.categories.activate("0_x", 9001, ks=ks), None)
    assert_type(
        client.deliver_moderation(task, ModerationReport(), accuracy=90), krv.DeliveryResult
    )
    # the same signatures: a wrong keyword, a missing partner KS, a wrong type are errors
    client.moderation.approve("0_x", kss=ks)  # type: ignore[call-arg]
    client.moderation.approve("0_x")  # type: ignore[call-arg]
    client.categories.reject("0_x", "9001", ks=ks)  # type: ignore[arg-type]
    client.deliver_moderation(task, ModerationReport(), accuracy="90")  # type: ignore[arg-type]


async def check_async_moderation_groups(client: AsyncReachClient, entry: BaseEntry) -> None:
    from kaltura_reach_vendor import EntryModerationResult, ModerationFlag

    ks = "partner-ks"
    assert_type(await client.moderation.flag(entry, 1, ks=ks), ModerationFlag)
    pending = client.moderation.bulk_approve(["0_x", "0_y"], ks=ks)
    assert_type(await pending, tuple[EntryModerationResult, ...])
    assert_type(await client.categories.reject("0_x", 9001, ks=ks), None)
    await client.moderation.queue(ks=ks, page_sise=5)  # type: ignore[call-arg]
