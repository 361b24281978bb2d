"""Ready-made sandbox worlds: ``demo`` (one pending task per supported feature), ``empty`` and
``media`` (entries, source captions and tasks for media downloads).

The catalog items, REACH profiles, entry/asset/task ids of the translation tasks and the
source caption come from the seed examples (Kaltura's "Working with the Kaltura Reach API"
and its translation appendix); partner ids are the sandbox's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _media
from ._media_world import media
from ._services.reach import create_task
from ._store import (
    ASSET_READY,
    ENTRY_READY,
    AppToken,
    AssetRecord,
    EntryRecord,
    JsonDict,
    Partner,
    State,
)

VENDOR_PARTNER_ID = 5000
VENDOR_ADMIN_SECRET = "sandbox-vendor-admin-secret-5000"
APP_TOKEN_ID = "1_sbxtoken"
APP_TOKEN = "sandbox-app-token-5000"
APP_TOKEN_HASH_TYPE = "SHA256"
CUSTOMERS: tuple[tuple[int, str, str], ...] = (
    (1001, "Customer One", "sandbox-admin-secret-1001"),
    (1002, "Customer Two", "sandbox-admin-secret-1002"),
    (1003, "Customer Three", "sandbox-admin-secret-1003"),
)

SOURCE_SRT = (
    "1\n00:00:00,000 --> 00:00:04,000\nWelcome to the Kaltura REACH demo.\n\n"
    "2\n00:00:04,000 --> 00:00:09,500\nThis caption is the source for translation.\n\n"
    "3\n00:00:09,500 --> 00:00:15,000\nThank you for watching.\n"
)


def base_world(state: State) -> None:
    """Partners and the vendor's app token (shared by every scenario)."""
    state.vendor_partner_id = VENDOR_PARTNER_ID
    state.partners[VENDOR_PARTNER_ID] = Partner(
        VENDOR_PARTNER_ID, "Sandbox Vendor", VENDOR_ADMIN_SECRET, "sandbox-vendor-user-secret", True
    )
    for partner_id, name, secret in CUSTOMERS:
        state.partners[partner_id] = Partner(
            partner_id, name, secret, f"sandbox-user-secret-{partner_id}"
        )
    state.app_tokens[APP_TOKEN_ID] = AppToken(
        id=APP_TOKEN_ID,
        token=APP_TOKEN,
        partner_id=VENDOR_PARTNER_ID,
        hash_type=APP_TOKEN_HASH_TYPE,
    )


def add_profile(
    state: State, profile_id: int, partner_id: int, name: str, **extra: Any
) -> JsonDict:
    """A REACH profile shaped like the seed examples (plus the fields the profile hides)."""
    profile: JsonDict = {
        "id": profile_id,
        "name": name,
        "partnerId": partner_id,
        "createdAt": state.now(),
        "updatedAt": state.now(),
        "status": 2,
        "profileType": 2,
        "defaultOutputFormat": 1,
        "enableMachineModeration": False,
        "enableHumanModeration": False,
        "autoDisplayMachineCaptionsOnPlayer": True,
        "autoDisplayHumanCaptionsOnPlayer": True,
        "enableMetadataExtraction": True,
        "enableSpeakerChangeIndication": False,
        "enableAudioTags": False,
        "enableProfanityRemoval": True,
        "maxCharactersPerCaptionLine": 26,
        "labelAdditionForMachineServiceType": "",
        "labelAdditionForHumanServiceType": "",
        "contentDeletionPolicy": 2,
        "rules": [],
        "credit": {"credit": -9999, "fromDate": 0, "objectType": "KalturaUnlimitedVendorCredit"},
        "usedCredit": 0,
        "dictionaries": [],
        "flavorParamsIds": "",
        "vendorTaskProcessingRegion": 1,
        "objectType": "KalturaReachProfile",
    }
    profile.update(extra)
    state.reach_profiles[profile_id] = profile
    return profile


def add_catalog_item(state: State, item_id: int, object_type: str, **fields: Any) -> JsonDict:
    """A catalog item of the vendor partner."""
    item: JsonDict = {
        "id": item_id,
        "vendorPartnerId": state.vendor_partner_id,
        "name": fields.pop("name", f"Catalog item {item_id}"),
        "systemName": fields.pop("systemName", f"sandbox-{item_id}"),
        "createdAt": state.now(),
        "updatedAt": state.now(),
        "status": 2,
        "pricing": {
            "pricePerUnit": 0,
            "priceFunction": "kReachUtils::calcPricePerMinute",
            "objectType": "KalturaVendorCatalogItemPricing",
        },
        "allowResubmission": False,
        "payPerUse": False,
        "stage": 1,
        "objectType": object_type,
    }
    item.update(fields)
    state.catalog_items[item_id] = item
    return item


FLAVOR_SPECS: tuple[tuple[int, int, int, int, str, bool], ...] = (
    # flavorParamsId, width, height, bitrate (kbps), tags, isOriginal
    (0, 1280, 720, 1200, "source,web", True),
    (3, 640, 360, 600, "mobile,web,mbr,iphone,ipadnew", False),
    (359, 0, 0, 128, "audio_only,web", False),
)


def add_entry(
    state: State,
    partner_id: int,
    name: str,
    *,
    entry_id: str | None = None,
    duration_s: int = 60,
    hls: bool = True,
    media_type: int = 1,
    entry_type: int = 1,
    flavors: bool = True,
    flavor_bytes: int | None = None,
    flavor_language: str = "Undefined",
) -> EntryRecord:
    """A READY media entry with generated flavors (source, 360p, audio only).

    ``flavor_bytes`` makes every flavor file that large, generated on the fly from (asset id,
    offset) and never held in memory (``_media.GeneratedBody``); by default each flavor is a
    tiny stored MP4. ``flavor_language`` is the flavors' ``language`` (INPUT-2: often
    ``"Undefined"``).
    """
    entry_id = entry_id or state.new_object_id()
    now = state.now()
    data: JsonDict = {
        "id": entry_id,
        "name": name,
        "description": f"{name} (sandbox)",
        "partnerId": partner_id,
        "userId": "customer@example.com",
        "creatorId": "customer@example.com",
        "tags": "demo",
        "adminTags": None,
        "categories": None,
        "status": ENTRY_READY,
        "moderationStatus": 6,
        "moderationCount": 0,
        "type": entry_type,
        "createdAt": now,
        "updatedAt": now,
        "version": 11,
        "rootEntryId": entry_id,
        "msDuration": duration_s * 1000,
        "duration": duration_s,
        "mediaType": media_type,
        "sourceType": "1",
        "objectType": "KalturaMediaEntry" if entry_type == 1 else "KalturaLiveStreamEntry",
    }
    record = EntryRecord(data=data, hls=hls)
    state.entries[entry_id] = record
    if flavors:
        for params_id, width, height, bitrate, tags, original in FLAVOR_SPECS:
            asset_id = state.new_object_id()
            content: bytes | None = None
            if flavor_bytes is None:
                content = _media.mp4_bytes(asset_id, duration_s, audio_only=width == 0)
                size = len(content)
            else:
                body = _media.GeneratedBody(asset_id, flavor_bytes, duration_s, width == 0)
                size = body.size
            state.assets[asset_id] = AssetRecord(
                "flavor",
                {
                    "id": asset_id,
                    "entryId": entry_id,
                    "partnerId": partner_id,
                    "version": "1",
                    "size": size // 1024,
                    "tags": tags,
                    "fileExt": "mp4",
                    "createdAt": now,
                    "updatedAt": now,
                    "description": "",
                    "sizeInBytes": str(size),
                    "flavorParamsId": params_id,
                    "width": width,
                    "height": height,
                    "bitrate": bitrate,
                    "frameRate": 0 if width == 0 else 25,
                    "isOriginal": original,
                    "isWeb": True,
                    "containerFormat": "mp4",
                    "videoCodecId": None if width == 0 else "avc1",
                    "status": ASSET_READY,
                    "language": flavor_language,
                    "isDefault": None,
                    "objectType": "KalturaFlavorAsset",
                },
                content,
                generated_size=None if flavor_bytes is None else size,
            )
        data["flavorParamsIds"] = ",".join(str(s[0]) for s in FLAVOR_SPECS)
    return record


def add_caption(
    state: State,
    entry_id: str,
    language: str,
    content: str,
    *,
    asset_id: str | None = None,
    accuracy: int = 100,
    is_default: bool = True,
    label: str | None = None,
) -> AssetRecord:
    """A READY SRT caption asset on an entry (e.g. a translation source)."""
    entry = state.entries[entry_id]
    asset_id = asset_id or state.new_object_id()
    raw = content.encode("utf-8")
    now = state.now()
    record = AssetRecord(
        "caption",
        {
            "id": asset_id,
            "entryId": entry_id,
            "partnerId": entry.data["partnerId"],
            "version": "1",
            "size": len(raw),  # bytes, as setContent stores it (seed 003)
            "tags": "",
            "fileExt": "srt",
            "createdAt": now,
            "updatedAt": now,
            "description": "",
            "sizeInBytes": str(len(raw)),
            "captionParamsId": 0,
            "language": language,
            "languageCode": {"English": "en", "Catalan": "ca"}.get(language),
            "isDefault": is_default,
            "label": label or language,
            "format": "1",
            "status": ASSET_READY,
            "accuracy": accuracy,
            "displayOnPlayer": True,
            "objectType": "KalturaCaptionAsset",
        },
        raw,
    )
    state.assets[asset_id] = record
    return record


def empty(state: State) -> None:
    """Partners, app token, a REACH profile per customer and the catalog; no entries, no tasks."""
    base_world(state)
    _profiles(state)
    _catalog(state)


def _profiles(state: State) -> None:
    dictionary = [
        {
            "language": "English",
            "data": "Kaltura\nREACH\nentryVendorTask",
            "objectType": "KalturaDictionary",
        }
    ]
    add_profile(state, 222762, 1001, "REACH profile - US Region", dictionaries=dictionary)
    add_profile(state, 251412, 1002, "Reach test")
    add_profile(state, 142323, 1003, "QA Profile", flavorParamsIds="1,3,5")


def _catalog(state: State) -> None:
    add = add_catalog_item
    add(
        state,
        18202,
        "KalturaVendorTranslationCatalogItem",
        name="Machine translation EN>ES",
        targetLanguage="Spanish",
        enableSpeakerId=False,
        serviceType=2,
        serviceFeature=2,
        turnAroundTime=10800,
        sourceLanguage="English",
        outputFormat=1,
    )
    add(
        state,
        20682,
        "KalturaVendorTranslationCatalogItem",
        name="Translation test",
        systemName="Translation test",
        targetLanguage="Dutch",
        outputFormat="1",
        enableSpeakerId=False,
        fixedPriceAddons=0,
        serviceType=1,
        serviceFeature=2,
        turnAroundTime=-1,
        engineType="OpenCalaisReachVendor.OPEN_CALAIS",
        sourceLanguage="Catalan",
    )
    add(
        state,
        27622,
        "KalturaVendorTranslationCatalogItem",
        name="Human translation EN>CY from audio",
        targetLanguage="Welsh",
        requireSource=False,
        enableSpeakerId=False,
        serviceType=1,
        serviceFeature=2,
        turnAroundTime=-1,
        engineType="OpenCalaisReachVendor.OPEN_CALAIS",
        sourceLanguage="English",
    )
    add(
        state,
        30001,
        "KalturaVendorCaptionsCatalogItem",
        name="Professional captions HE",
        sourceLanguage="Hebrew",
        outputFormat=1,
        enableSpeakerId=True,
        serviceType=1,
        serviceFeature=1,
        turnAroundTime=1800,
    )
    add(
        state,
        30002,
        "KalturaVendorCaptionsCatalogItem",
        name="Machine captions EN",
        sourceLanguage="English",
        outputFormat=1,
        enableSpeakerId=False,
        serviceType=2,
        serviceFeature=1,
        turnAroundTime=1800,
    )
    add(
        state,
        30003,
        "KalturaVendorCaptionsCatalogItem",
        name="Machine captions EN (pay per use)",
        sourceLanguage="English",
        outputFormat=3,
        enableSpeakerId=False,
        serviceType=2,
        serviceFeature=1,
        turnAroundTime=7200,
        payPerUse=True,
    )
    add(
        state,
        30004,
        "KalturaVendorDubbingCatalogItem",
        name="Dubbing EN>ES",
        sourceLanguage="English",
        targetLanguage="Spanish",
        flavorParamsId=200,
        clearAudioFlavorParamsId=201,
        serviceType=1,
        serviceFeature=7,
        turnAroundTime=432000,
    )
    add(
        state,
        30005,
        "KalturaVendorAudioDescriptionCatalogItem",
        name="Audio description EN",
        sourceLanguage="English",
        flavorParamsId=202,
        clearAudioFlavorParamsId=203,
        serviceType=1,
        serviceFeature=4,
        turnAroundTime=432000,
    )
    add(
        state,
        30006,
        "KalturaVendorExtendedAudioDescriptionCatalogItem",
        name="Extended audio description EN",
        sourceLanguage="English",
        flavorParamsId=204,
        clearAudioFlavorParamsId=205,
        outputFormat=3,
        serviceType=1,
        serviceFeature=9,
        turnAroundTime=172800,
    )
    add(
        state,
        30007,
        "KalturaVendorChapteringCatalogItem",
        name="Chaptering EN",
        sourceLanguage="English",
        serviceType=2,
        serviceFeature=5,
        turnAroundTime=1800,
    )
    add(
        state,
        30008,
        "KalturaVendorLiveCaptionCatalogItem",
        name="Live captions EN",
        sourceLanguage="English",
        outputFormat=1,
        serviceType=2,
        serviceFeature=8,
        turnAroundTime=-1,
        startTimeBuffer=300,
        endTimeBuffer=300,
        minimalRefundTime=60,
        minimalOrderTime=30,
        durationLimit=240,
    )
    add(
        state,
        30009,
        "KalturaVendorSignLanguageCatalogItem",
        name="Sign language ASL",
        sourceLanguage="English",
        targetLanguage="English (ASL)",
        serviceType=1,
        serviceFeature=19,
        turnAroundTime=864000,
    )
    add(
        state,
        30010,
        "KalturaVendorModerationCatalogItem",
        name="AI moderation",
        sourceLanguage="English",
        serviceType=2,
        serviceFeature=15,
        turnAroundTime=0,
    )
    add(
        state,
        30011,
        "KalturaVendorLiveTranslationCatalogItem",
        name="Live translation EN>ES",
        sourceLanguage="English",
        targetLanguage="Spanish",
        outputFormat=1,
        serviceType=2,
        serviceFeature=11,
        turnAroundTime=-1,
        startTimeBuffer=300,
        endTimeBuffer=300,
        minimalRefundTime=60,
        minimalOrderTime=30,
        durationLimit=240,
    )


def demo(state: State) -> None:
    """At least one PENDING task per supported feature, over three customers."""
    empty(state)
    lecture = add_entry(state, 1001, "Kaltura REACH demo - lecture", entry_id="1_skilm10u")
    no_hls = add_entry(state, 1001, "Progressive-only upload", entry_id="1_nohls001", hls=False)
    webinar = add_entry(state, 1002, "Webinar recording", entry_id="1_owvysqdg", duration_s=90)
    town_hall = add_entry(state, 1003, "Town hall", entry_id="1_wzjb7oo5", duration_s=45)
    live = add_entry(
        state,
        1001,
        "Live keynote",
        entry_id="1_live0001",
        media_type=201,
        entry_type=7,
        flavors=False,
    )
    source = add_caption(state, "1_skilm10u", "English", SOURCE_SRT, asset_id="1_bq18b0sa")
    catalan = add_caption(state, "1_owvysqdg", "Catalan", SOURCE_SRT, asset_id="1_ca0src01")
    now = state.now()
    start, end = now + 86400, now + 86400 + 3600
    state.schedule_events[7001] = {
        "id": 7001,
        "partnerId": 1001,
        "summary": "Live keynote",
        "status": 2,
        "startDate": start,
        "endDate": end,
        "templateEntryId": live.data["id"],
        "sourceEntryId": live.data["id"],
        "preStartTime": 300,
        "postEndTime": 300,
        "liveFeatures": [],
        "createdAt": now,
        "updatedAt": now,
        "objectType": "KalturaLiveStreamScheduleEvent",
    }
    state.categories[9001] = {
        "id": 9001,
        "partnerId": 1001,
        "name": "Channel A",
        "moderation": True,
    }
    state.category_entries[(9001, "1_skilm10u")] = {
        "categoryId": 9001,
        "entryId": "1_skilm10u",
        "status": 1,
        "createdAt": now,
        "objectType": "KalturaCategoryEntry",
    }
    lecture_id = str(lecture.data["id"])
    task = create_task
    task(
        state,
        partner_id=1001,
        entry_id=lecture_id,
        catalog_item_id=18202,
        reach_profile_id=222762,
        task_id=381257922,
        task_job_data={
            "captionAssetId": source.data["id"],
            "objectType": "KalturaTranslationVendorTaskData",
        },
    )
    task(
        state,
        partner_id=1002,
        entry_id=str(webinar.data["id"]),
        catalog_item_id=20682,
        reach_profile_id=251412,
        task_id=362949112,
        notes="My instructions for translation using Professional captioning",
        task_job_data={
            "captionAssetId": catalan.data["id"],
            "objectType": "KalturaTranslationVendorTaskData",
        },
    )
    task(
        state,
        partner_id=1003,
        entry_id=str(town_hall.data["id"]),
        catalog_item_id=27622,
        reach_profile_id=142323,
        task_id=404434252,
    )
    task(
        state,
        partner_id=1002,
        entry_id=str(webinar.data["id"]),
        catalog_item_id=30001,
        reach_profile_id=251412,
        notes="Speaker names: Dana, Eli",
    )
    task(
        state,
        partner_id=1001,
        entry_id=str(no_hls.data["id"]),
        catalog_item_id=30002,
        reach_profile_id=222762,
    )
    task(
        state,
        partner_id=1002,
        entry_id=str(webinar.data["id"]),
        catalog_item_id=30004,
        reach_profile_id=251412,
    )
    task(
        state,
        partner_id=1002,
        entry_id=str(webinar.data["id"]),
        catalog_item_id=30005,
        reach_profile_id=251412,
    )
    task(
        state,
        partner_id=1002,
        entry_id=str(webinar.data["id"]),
        catalog_item_id=30006,
        reach_profile_id=251412,
    )
    task(
        state, partner_id=1001, entry_id=lecture_id, catalog_item_id=30007, reach_profile_id=222762
    )
    task(
        state,
        partner_id=1001,
        entry_id=str(live.data["id"]),
        catalog_item_id=30008,
        reach_profile_id=222762,
        task_job_data={
            "startDate": start - 300,
            "endDate": end + 300,
            "scheduledEventId": 7001,
            "objectType": "KalturaScheduledVendorTaskData",
        },
    )
    task(
        state,
        partner_id=1003,
        entry_id=str(town_hall.data["id"]),
        catalog_item_id=30009,
        reach_profile_id=142323,
    )
    task(
        state,
        partner_id=1001,
        entry_id=lecture_id,
        catalog_item_id=30010,
        reach_profile_id=222762,
        task_job_data={
            "ruleIds": "1,2,3,4,5,6,7,8",
            "policyIds": "1",
            "categoryIds": "9001",
            "objectType": "KalturaModerationVendorTaskData",
        },
    )
    task(  # live translation of the same event (several jobs may share one event)
        state,
        partner_id=1001,
        entry_id=str(live.data["id"]),
        catalog_item_id=30011,
        reach_profile_id=222762,
        task_job_data={
            "startDate": start - 300,
            "endDate": end + 300,
            "scheduledEventId": 7001,
            "objectType": "KalturaScheduledVendorTaskData",
        },
    )


SCENARIOS: dict[str, Callable[[State], None]] = {"demo": demo, "empty": empty, "media": media}
"""Scenario name → builder."""
