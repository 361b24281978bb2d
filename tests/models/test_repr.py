"""Secrets never appear in repr/str/_repr_html_; reprs are short."""

from __future__ import annotations

import pytest

from kaltura_reach_vendor import EntryVendorTask, EntryVendorTaskListResponse, UrlResource, parse
from kaltura_reach_vendor.models import LiveCaptionFeature

from .conftest import load


@pytest.mark.rule("AUTH-9")
def test_access_key_masked_everywhere() -> None:
    raw = load("task_machine_translation_003.json")
    task = parse(raw, EntryVendorTask)
    key = raw["accessKey"]
    assert task.access_key == key
    for text in (repr(task), str(task), task._repr_html_()):
        assert key not in text and key[10:30] not in text
    assert "djJ8…(masked)" in repr(task)
    lst = EntryVendorTaskListResponse(objects=[task], total_count=1)
    assert key[10:30] not in lst._repr_html_() and key[10:30] not in repr(lst)
    assert "<table>" in lst._repr_html_()


@pytest.mark.rule("AUTH-9")
def test_url_headers_and_live_tokens_masked() -> None:
    res = UrlResource.with_headers("https://v.example/out.srt", {"Authorization": "Bearer s3cr3t"})
    assert "s3cr3t" not in repr(res)
    assert res.to_dict()["urlHeaders"] == [
        {"value": "Authorization: Bearer s3cr3t", "objectType": "KalturaString"}
    ]
    feature = LiveCaptionFeature(
        caption_token="tok-123456", media_key="key-987654", caption_url="wss://x"
    )
    assert "123456" not in repr(feature) and "987654" not in repr(feature)
    assert "wss://x" in repr(feature)


def test_repr_is_short() -> None:
    task = parse(load("task_human_translation_003.json"), EntryVendorTask)
    text = repr(task)
    assert len(text) < 600
    assert "VendorCatalogItemListResponse" in text and "'Dutch'" not in text
