"""The pure media rules: which source (MEDIA-1), which flavor (MEDIA-2/3, INPUT-2), the
playManifest URL (MEDIA-4) and when to delete the media (INPUT-9)."""

from __future__ import annotations

import datetime as dt

import pytest

from kaltura_reach_vendor import (
    Flavor,
    FlavorAsset,
    MediaError,
    MediaPlan,
    NoMatchingFlavorError,
    NoPlayableSourceError,
    PlaybackContext,
    ReachError,
    ReachProfile,
    SecretUrl,
    UsageError,
    choose_flavor,
    deletion_due,
    parse,
)
from kaltura_reach_vendor._secrets import mask, register_secret
from kaltura_reach_vendor.enums import FlavorAssetStatus
from kaltura_reach_vendor.enums import ReachProfileContentDeletionPolicy as Policy
from kaltura_reach_vendor.media import Source, choose_source, manifest_url, parse_flavor_params_ids

UTC = dt.timezone.utc


def video(params_id: int, width: int, height: int, bitrate: int, **kw: object) -> Flavor:
    return Flavor(
        id=f"0_p{params_id}", flavor_params_id=params_id, width=width, height=height,
        bitrate=bitrate, language="Undefined", **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def audio(params_id: int, bitrate: int, **kw: object) -> Flavor:
    return Flavor(
        id=f"0_a{params_id}", flavor_params_id=params_id, bitrate=bitrate, is_audio_only=True,
        language="Undefined", **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def by_params(*ids: int) -> list[Flavor]:
    return [video(i, 640, 360, 500 + i) for i in ids]


# -- MEDIA-2 ----------------------------------------------------------------------------------
@pytest.mark.rule("MEDIA-2")
def test_seed_example_wanted_1_3_5_with_flavors_2_4_5_takes_5() -> None:
    chosen = choose_flavor(by_params(2, 4, 5), flavor_params_ids="1,3,5")
    assert chosen.flavor_params_id == 5


@pytest.mark.rule("MEDIA-2")
def test_seed_example_wanted_1_3_5_with_flavors_1_3_7_takes_1() -> None:
    chosen = choose_flavor(by_params(7, 3, 1), flavor_params_ids="1,3,5")
    assert chosen.flavor_params_id == 1


@pytest.mark.rule("MEDIA-2")
def test_the_customers_order_wins_not_the_entrys_nor_the_size() -> None:
    flavors = [video(1, 1920, 1080, 5000), audio(9, 64)]
    assert choose_flavor(flavors, flavor_params_ids=[9, 1]).flavor_params_id == 9
    assert choose_flavor(flavors, flavor_params_ids=" 1 , 9").flavor_params_id == 1
    # prefer= does not override the profile: a video flavor listed first stays the choice
    assert choose_flavor(flavors, flavor_params_ids="1,9", prefer="audio").flavor_params_id == 1


@pytest.mark.rule("MEDIA-2")
def test_no_listed_flavor_is_a_typed_error_not_a_guess() -> None:
    with pytest.raises(NoMatchingFlavorError) as raised:
        choose_flavor(by_params(0, 2, 4), flavor_params_ids="1,3,5")
    error = raised.value
    assert isinstance(error, MediaError) and isinstance(error, ReachError)
    assert error.wanted == (1, 3, 5)
    assert error.available == (0, 2, 4)
    assert "1, 3, 5" in str(error) and "MEDIA-2" in str(error)


@pytest.mark.rule("MEDIA-2")
def test_a_listed_flavor_that_is_not_ready_is_skipped_for_the_next_listed_one() -> None:
    flavors = [
        video(1, 640, 360, 500, status=FlavorAssetStatus.CONVERTING),
        video(3, 320, 180, 200, status=FlavorAssetStatus.READY),
    ]
    assert choose_flavor(flavors, flavor_params_ids="1,3").flavor_params_id == 3


@pytest.mark.rule("MEDIA-2")
def test_the_profile_value_is_read_as_the_server_sends_it() -> None:
    profile = parse({"objectType": "KalturaReachProfile", "flavorParamsIds": "1,3,5"}, ReachProfile)
    assert parse_flavor_params_ids(profile.flavor_params_ids) == (1, 3, 5)
    assert parse_flavor_params_ids("") == parse_flavor_params_ids(None) == ()
    assert choose_flavor(by_params(5, 3), flavor_params_ids=profile.flavor_params_ids).id == "0_p3"
    with pytest.raises(UsageError, match="'x'"):
        parse_flavor_params_ids("1,x,5")  # skipping it could download a flavor not allowed
    with pytest.raises(UsageError):
        parse_flavor_params_ids([1, True])  # type: ignore[list-item]


# -- MEDIA-3 and INPUT-2 ------------------------------------------------------------------------
@pytest.mark.rule("MEDIA-3")
def test_without_a_profile_list_the_original_video_flavor_is_taken() -> None:
    flavors = [video(3, 640, 360, 600), video(0, 1280, 720, 1200, is_original=True), audio(9, 96)]
    assert choose_flavor(flavors).flavor_params_id == 0
    assert choose_flavor(flavors, flavor_params_ids=None).flavor_params_id == 0


@pytest.mark.rule("MEDIA-3")
def test_without_a_video_original_the_largest_by_width_height_bitrate() -> None:
    flavors = [
        video(3, 640, 360, 900),
        video(4, 1280, 720, 800),
        video(5, 1280, 720, 1500),
        video(0, 0, 0, 128, is_original=True, is_audio_only=True),  # an audio-only source
    ]
    assert choose_flavor(flavors).flavor_params_id == 5


@pytest.mark.rule("MEDIA-3")
def test_audio_only_when_asked_and_available() -> None:
    flavors = [video(0, 1280, 720, 1200, is_original=True), audio(8, 64), audio(9, 128)]
    assert choose_flavor(flavors, prefer="audio").flavor_params_id == 9
    flavors.append(audio(10, 32, is_default=True))  # the default audio (original language)
    assert choose_flavor(flavors, prefer="audio").flavor_params_id == 10
    # no audio-only flavor: the video choice (its audio track can be selected, MEDIA-5)
    assert choose_flavor(flavors[:1], prefer="audio").flavor_params_id == 0
    # an audio entry: its audio flavor even when video is preferred
    assert choose_flavor([audio(9, 128)]).flavor_params_id == 9
    with pytest.raises(UsageError):
        choose_flavor(flavors, prefer="both")  # type: ignore[arg-type]


@pytest.mark.rule("MEDIA-3")
def test_an_entry_without_a_ready_flavor_is_a_typed_error() -> None:
    with pytest.raises(NoMatchingFlavorError, match="it has no flavor"):
        choose_flavor([])
    with pytest.raises(NoMatchingFlavorError, match="none of its 1 flavors is ready"):
        choose_flavor([video(0, 640, 360, 1, status=FlavorAssetStatus.ERROR)])


@pytest.mark.rule("INPUT-2")
def test_undefined_language_flavors_are_candidates_like_any_other() -> None:
    flavors = [video(0, 1280, 720, 1200, is_original=True), video(3, 640, 360, 600)]
    assert all(f.language == "Undefined" for f in flavors)
    assert choose_flavor(flavors).flavor_params_id == 0
    assert choose_flavor(flavors, flavor_params_ids="3").flavor_params_id == 3
    mixed = [video(3, 640, 360, 600), Flavor(id="0_en", flavor_params_id=2, language="English")]
    assert choose_flavor(mixed).flavor_params_id == 3  # a known language earns no preference


def test_flavor_view_of_a_flavor_asset() -> None:
    asset = parse(
        {
            "objectType": "KalturaFlavorAsset",
            "id": "1_a",
            "flavorParamsId": 0,
            "width": 1280,
            "height": 720,
            "bitrate": 1200,
            "isOriginal": False,
            "tags": "source, web",
            "size": 3,
            "language": "Undefined",
            "status": 2,
            "isDefault": 1,
        },
        FlavorAsset,
    )
    flavor = Flavor.from_asset(asset)
    assert flavor.is_original  # flavor params 0 is the source
    assert not flavor.is_audio_only
    assert flavor.size_bytes == 3 * 1024  # size is in KB
    assert flavor.tags == ("source", "web")
    assert flavor.is_ready and flavor.is_default is True
    bare = Flavor.from_asset(FlavorAsset(id="1_b", width=0, height=0))
    assert bare.is_audio_only  # no picture, no video codec
    tagged = Flavor.from_asset(FlavorAsset(id="1_c", width=640, height=360, tags="audio_only"))
    assert tagged.is_audio_only
    coded = Flavor.from_asset(FlavorAsset(id="1_d", video_codec_id="avc1"))
    assert not coded.is_audio_only
    with pytest.raises(UsageError):
        Flavor.from_asset(FlavorAsset())
    with pytest.raises(attrs_frozen_error()):
        flavor.width = 1  # type: ignore[misc]


def attrs_frozen_error() -> type[Exception]:
    import attrs

    return attrs.exceptions.FrozenInstanceError


# -- MEDIA-1 ------------------------------------------------------------------------------------
HLS = Source(format="applehttp", url="https://cdn/p/1/a.m3u8", flavor_ids=("0_a", "0_b"))
MP4 = Source(format="url", url="https://cdn/p/1/a.mp4", flavor_ids=("0_a",))


@pytest.mark.rule("MEDIA-1")
def test_hls_first_direct_http_only_without_a_valid_hls_source() -> None:
    assert choose_source([MP4, HLS]) is HLS
    drm = Source(format="applehttp", url="https://cdn/x.m3u8", has_drm=True)
    no_url = Source(format="applehttp", url="")
    dash = Source(format="mpegdash", url="https://cdn/x.mpd")
    assert choose_source([drm, no_url, dash, MP4]) is MP4
    assert choose_source([drm, dash]) is None
    assert MP4.delivery_format == "url" and HLS.delivery_format == "applehttp"
    assert Source(format="http", url="https://cdn/x.mp4").is_valid


@pytest.mark.rule("MEDIA-1")
def test_media_plan_from_two_answers_and_its_errors() -> None:
    first = parse(
        {
            "objectType": "KalturaPlaybackContext",
            "sources": [],
            "flavorAssets": [{"objectType": "KalturaFlavorAsset", "id": "0_a", "width": 640}],
            "messages": [{"objectType": "KalturaAccessControlMessage", "code": "NO_FLAVORS"}],
        },
        PlaybackContext,
    )
    plan = MediaPlan.from_context(first, entry_id="0_e")
    assert plan.source is None and not plan.has_hls
    with pytest.raises(NoPlayableSourceError, match="NO_FLAVORS") as raised:
        plan.require_source()
    assert raised.value.messages == ("NO_FLAVORS",)
    merged = plan.with_fallback(MediaPlan(entry_id="0_e", flavors=plan.flavors, sources=(MP4,)))
    assert merged.require_source() is MP4
    assert [f.id for f in merged.flavors] == ["0_a"]  # not duplicated
    assert merged.flavor("0_a").width == 640
    with pytest.raises(UsageError):
        merged.flavor("0_zz")


@pytest.mark.rule("MEDIA-1")
def test_plan_choice_keeps_to_the_flavors_its_source_delivers() -> None:
    flavors = (video(0, 1920, 1080, 4000, is_original=True), video(3, 640, 360, 600))
    served = Source(format="applehttp", url="https://cdn/a.m3u8", flavor_ids=("0_p3",))
    plan = MediaPlan(entry_id="0_e", flavors=flavors, sources=(served,))
    assert plan.choose_flavor().id == "0_p3"  # the source cannot deliver the original
    with pytest.raises(NoMatchingFlavorError):
        plan.choose_flavor(flavor_params_ids="0")
    for source in (HLS, Source(format="applehttp", url="https://cdn/a.m3u8")):
        unlisted = MediaPlan(entry_id="0_e", flavors=flavors, sources=(source,))
        assert unlisted.choose_flavor().id == "0_p0"  # none of them listed: all offered


# -- MEDIA-4 ------------------------------------------------------------------------------------
KEY = "djJ8MTAwMXzsecretsecretsecret-_="


@pytest.mark.rule("MEDIA-4")
def test_manifest_url_names_one_flavor_and_carries_the_key() -> None:
    flavor = video(3, 640, 360, 600)
    url = manifest_url("https://www.kaltura.com/", 1001, "1_e", flavor, KEY)
    assert url == (
        "https://www.kaltura.com/p/1001/sp/100100/playManifest/entryId/1_e/format/applehttp/"
        f"protocol/https/flavorIds/0_p3/ks/{KEY}/a.m3u8"
    )
    direct = manifest_url("http://127.0.0.1:8080", 7, "1_e", "0_x", KEY, format="url")
    assert direct.endswith(f"/format/url/protocol/http/flavorIds/0_x/ks/{KEY}/a.mp4")
    with pytest.raises(UsageError):
        manifest_url("https://k", 1, "1_e", "0_a,0_b", KEY)  # exactly one flavor
    with pytest.raises(UsageError):
        manifest_url("https://k", 1, "1_e", flavor, "")
    with pytest.raises(UsageError):
        manifest_url("https://k", 1, "1_e", flavor, KEY, format="mpegdash")  # type: ignore[arg-type]


@pytest.mark.rule("MEDIA-4")
@pytest.mark.rule("AUTH-9")
def test_media_url_is_a_secret_str() -> None:
    v1 = "MzQ1Njc4OTAxMjM0NTY3+/w=="  # a standard-base64 key: escaped in the path
    url = manifest_url("https://k", 1, "1_e", "0_a", v1)
    assert "/ks/MzQ1Njc4OTAxMjM0NTY3%2B%2Fw==/" in url
    secret = manifest_url("https://k", 1, "1_e", "0_a", KEY)
    assert isinstance(secret, SecretUrl) and isinstance(secret, str)
    assert KEY in str(secret) and KEY in f"{secret}"
    assert KEY not in repr(secret) and "/ks/***/" in repr(secret)
    assert KEY not in repr(Source(format="url", url=str(secret)))
    register_secret(KEY)
    assert KEY not in mask(f"GET {secret} failed")


# -- INPUT-9 ------------------------------------------------------------------------------------
@pytest.mark.rule("INPUT-9")
def test_deletion_due_for_each_policy() -> None:
    done = dt.datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
    assert deletion_due(Policy.DO_NOTHING, done) is None
    assert deletion_due(Policy.DELETE_ONCE_PROCESSED, done) == done
    assert deletion_due(Policy.DELETE_AFTER_WEEK, done) == done + dt.timedelta(days=7)
    assert deletion_due(Policy.DELETE_AFTER_MONTH, done) == dt.datetime(2026, 2, 28, 12, tzinfo=UTC)
    three = deletion_due(Policy.DELETE_AFTER_THREE_MONTHS, done)
    assert three == dt.datetime(2026, 4, 30, 12, tzinfo=UTC)
    late = dt.datetime(2026, 11, 15, tzinfo=UTC)
    assert deletion_due(Policy.DELETE_AFTER_THREE_MONTHS, late) == dt.datetime(
        2027, 2, 15, tzinfo=UTC
    )


@pytest.mark.rule("INPUT-9")
def test_deletion_due_reads_the_profile_and_refuses_what_it_cannot_know() -> None:
    profile = parse({"objectType": "KalturaReachProfile", "contentDeletionPolicy": 3}, ReachProfile)
    epoch = 1_700_000_000
    due = deletion_due(profile, epoch)
    assert due == dt.datetime.fromtimestamp(epoch + 7 * 86400, tz=UTC)
    assert deletion_due(ReachProfile(), epoch) is None  # no policy given: nothing to do
    with pytest.raises(UsageError, match="timezone-aware"):
        deletion_due(profile, dt.datetime(2026, 1, 1))
    with pytest.raises(UsageError, match="unknown contentDeletionPolicy 9"):
        deletion_due(Policy(9), epoch)
    with pytest.raises(UsageError):
        deletion_due(profile, "yesterday")  # type: ignore[arg-type]
