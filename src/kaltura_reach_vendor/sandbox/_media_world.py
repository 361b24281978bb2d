"""The ``media`` scenario: entries, source captions and tasks for media downloads (issue 11)."""

from __future__ import annotations

from ._services.reach import create_task
from ._store import State

ONE_MS_SRT = (
    "1\n00:00:00,000 --> 00:00:04,000\nA normal first cue.\n\n"
    "2\n00:00:04,000 --> 00:00:04,001\nA cue of one millisecond.\n\n"
    "3\n00:00:04,500 --> 00:00:09,000\nA normal last cue.\n"
)

MEDIA_ENTRIES = {
    "hls": "1_mhls0001",
    "no_hls": "1_mnohls01",
    "undefined_language": "1_mund0001",
    "profile_flavors": "1_mpref001",
}
"""``media`` scenario entries: HLS with English flavors (video variants and an audio-only
flavor); no HLS delivery (getPlaybackContext with ``applehttp`` has no source, ``http`` gives
the ``url`` one: the MEDIA-1 fallback); every flavor's language ``"Undefined"`` (INPUT-2); an
entry of partner 1003, whose REACH profile lists ``flavorParamsIds`` 1,3,5 (MEDIA-2: 3 wins)."""

MEDIA_CAPTIONS = {"accurate": "1_msrc0100", "inaccurate": "1_msrc0090", "one_ms": "1_msrc0001"}
"""``media`` scenario source captions: English at 100 % accuracy; at 90 %; and at 100 % with a
cue of 1 ms (TRANS-2, CAP-6)."""

MEDIA_TASKS = {
    "hls": 600000001,
    "no_hls": 600000002,
    "undefined_language": 600000003,
    "translate_accurate": 600000004,
    "translate_inaccurate": 600000005,
    "translate_one_ms": 600000006,
    "translate_from_audio": 600000007,
    "profile_flavors": 600000008,
}
"""``media`` scenario PENDING tasks: machine captions on each entry of :data:`MEDIA_ENTRIES`
(``hls``, ``no_hls``, ``undefined_language``, ``profile_flavors``); translations EN>ES whose
``taskJobData.captionAssetId`` is each of :data:`MEDIA_CAPTIONS`; and a translation from audio
(``requireSource`` false, TRANS-3)."""


def media(state: State) -> None:
    """Entries, source captions and tasks for media downloads (see :data:`MEDIA_TASKS`)."""
    from .scenarios import SOURCE_SRT, add_caption, add_entry, empty  # scenarios imports us

    empty(state)
    hls = MEDIA_ENTRIES["hls"]
    no_hls = MEDIA_ENTRIES["no_hls"]
    undefined = MEDIA_ENTRIES["undefined_language"]
    add_entry(state, 1001, "Media: HLS lecture", entry_id=hls, flavor_language="English")
    add_entry(
        state,
        1001,
        "Media: progressive only",
        entry_id=no_hls,
        hls=False,
        flavor_language="English",
    )
    add_entry(state, 1001, "Media: undefined language", entry_id=undefined, duration_s=30)
    preferred = MEDIA_ENTRIES["profile_flavors"]
    add_entry(state, 1003, "Media: profile flavors", entry_id=preferred, flavor_language="English")
    captions = MEDIA_CAPTIONS
    add_caption(state, hls, "English", SOURCE_SRT, asset_id=captions["accurate"])
    add_caption(
        state, undefined, "English", SOURCE_SRT, asset_id=captions["inaccurate"], accuracy=90
    )
    add_caption(state, no_hls, "English", ONE_MS_SRT, asset_id=captions["one_ms"])
    ids = MEDIA_TASKS
    for name, entry_id in (("hls", hls), ("no_hls", no_hls), ("undefined_language", undefined)):
        create_task(
            state,
            partner_id=1001,
            entry_id=entry_id,
            catalog_item_id=30002,
            reach_profile_id=222762,
            task_id=ids[name],
        )
    create_task(
        state,
        partner_id=1003,
        entry_id=preferred,
        catalog_item_id=30002,
        reach_profile_id=142323,
        task_id=ids["profile_flavors"],
    )
    for name, entry_id, caption in (
        ("translate_accurate", hls, captions["accurate"]),
        ("translate_inaccurate", undefined, captions["inaccurate"]),
        ("translate_one_ms", no_hls, captions["one_ms"]),
    ):
        create_task(
            state,
            partner_id=1001,
            entry_id=entry_id,
            catalog_item_id=18202,
            reach_profile_id=222762,
            task_id=ids[name],
            task_job_data={
                "captionAssetId": caption,
                "objectType": "KalturaTranslationVendorTaskData",
            },
        )
    create_task(
        state,
        partner_id=1001,
        entry_id=hls,
        catalog_item_id=27622,
        reach_profile_id=222762,
        task_id=ids["translate_from_audio"],
    )
