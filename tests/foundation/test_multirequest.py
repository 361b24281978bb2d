"""Multirequest: per-call KS, {N:result:...} placeholders, partial failure (reference §1.6)."""

from __future__ import annotations

from typing import Any

import httpx

from kaltura_reach_vendor import ApiCall, ApiError, FilePart, ResultRef, TaskNotFoundError

from .conftest import ACCESS_KEY, VENDOR_KS, FakeKaltura, Runner, api_exception


def test_placeholders_are_one_based_execution_order() -> None:
    first = ResultRef(1)
    assert str(first.id) == "{1:result:id}"
    assert str(ResultRef(2)["objects"][0]["id"]) == "{2:result:objects:0:id}"
    assert str(ResultRef(3).objects[0].id) == "{3:result:objects:0:id}"


def test_multirequest_body_refs_and_partial_failure(runner: Runner, fake: FakeKaltura) -> None:
    def answer(body: dict[str, Any], request: httpx.Request) -> Any:
        return [
            {"objectType": "KalturaCaptionAsset", "id": "1_cap"},
            {"objectType": "KalturaCaptionAsset", "id": "1_cap", "status": 2},
            api_exception("ENTRY_VENDOR_TASK_NOT_FOUND", "not found [7]", {"ID": "7"}),
        ]

    fake.routes["multirequest"] = answer
    add = ApiCall(
        "caption_captionasset",
        "add",
        {"entryId": "0_e", "captionAsset": {"objectType": "KalturaCaptionAsset"}},
        ks=ACCESS_KEY,
        task_id=7,
    )
    set_content = ApiCall(
        "caption_captionasset",
        "setContent",
        {
            "id": ResultRef(1).id,
            "contentResource": {"objectType": "KalturaStringResource", "content": "x"},
        },
        ks=ACCESS_KEY,
        task_id=7,
    )
    update = ApiCall("reach_entryvendortask", "updateJob", {"id": 7}, task_id=7)
    client = runner.client()
    results = runner.run(client, "multirequest", [add, set_content, update])

    assert results[0]["id"] == "1_cap" and results[1]["status"] == 2
    assert isinstance(results[2], TaskNotFoundError) and isinstance(results[2], ApiError)
    assert results[2].args == {"ID": "7"}

    body = fake.bodies[-1]
    assert fake.requests[-1].url.path == "/api_v3/service/multirequest"
    assert body["format"] == 1 and body["ks"] == VENDOR_KS
    assert body["1"]["service"] == "caption_captionasset" and body["1"]["action"] == "add"
    assert body["1"]["ks"] == ACCESS_KEY  # the access key travels with its own sub-calls
    assert body["2"]["id"] == "{1:result:id}"
    assert "ks" not in body["3"]  # inherits the top-level vendor KS
    # all three are about task 7: the top-level tag names it and the sub-calls inherit it
    assert body["clientTag"] == "app:2.3.1_acme-5000-7"
    assert all("clientTag" not in body[n] for n in "123")


def test_multirequest_with_files_names_parts_by_position(runner: Runner, fake: FakeKaltura) -> None:
    fake.routes["multirequest"] = [{"objectType": "KalturaUploadToken", "id": "0_t"}, None]
    calls = [
        ApiCall("uploadToken", "add", {}, ks=ACCESS_KEY),
        ApiCall(
            "uploadToken",
            "upload",
            {"uploadTokenId": ResultRef(1).id},
            ks=ACCESS_KEY,
            files={"fileData": FilePart("a.srt", b"abc")},
        ),
    ]
    client = runner.client()
    runner.run(client, "multirequest", calls)
    text = fake.bodies[-1]["__multipart__"]
    assert 'name="2:fileData"; filename="a.srt"' in text
    assert fake.bodies[-1]["2"]["uploadTokenId"] == "{1:result:id}"
    # no vendor KS needed: only access-key calls, so no session was started
    assert fake.sessions_started == 0
