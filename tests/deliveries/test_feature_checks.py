"""Each delivery helper refuses, before any request, a task of another service feature."""

from __future__ import annotations

import pytest

from kaltura_reach_vendor import Chapter, UsageError
from kaltura_reach_vendor.sandbox import Sandbox

from .conftest import Driver

SRT = "1\n00:00:01,000 --> 00:00:02,500\nHello there.\n"
HUMAN_CAPTIONS = 30001
TRANSLATION = 18202
CHAPTERING = 30007


@pytest.mark.parametrize(
    ("catalog_item", "method", "args", "refusal"),
    [
        (TRANSLATION, "deliver_captions", (SRT,), "TRANSLATION task; deliver_captions delivers"),
        (HUMAN_CAPTIONS, "deliver_translation", (SRT,), "deliver_translation delivers TRANSL"),
        (
            HUMAN_CAPTIONS,
            "deliver_extended_audio_description",
            ("WEBVTT\n\n00:01.000 --> 00:02.000\nA door opens.\n",),
            "EXTENDED_AUDIO_DESCRIPTION",
        ),
        (HUMAN_CAPTIONS, "deliver_chapters", ([Chapter(0, "Intro")],), "delivers CHAPTERING"),
        (CHAPTERING, "deliver_captions", (SRT,), "CAPTIONS or ALIGNMENT tasks"),
    ],
)
def test_a_helper_refuses_another_feature_without_a_request(
    drive: Driver,
    sandbox: Sandbox,
    catalog_item: int,
    method: str,
    args: tuple[object, ...],
    refusal: str,
) -> None:
    task = drive.task_for(catalog_item)
    drive("claim", task)
    sandbox.clear_request_log()
    with pytest.raises(UsageError, match=refusal):
        drive(method, task, *args, accuracy=95)
    assert sandbox.request_log == []
