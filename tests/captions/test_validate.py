"""CAP-6: every problem of a caption file is listed with its cue and line; all of them block."""

from __future__ import annotations

import pytest

from kaltura_reach_vendor import (
    CaptionDocument,
    CaptionError,
    CaptionProblemKind,
    CaptionValidationError,
    Cue,
    ReachError,
    validate_captions,
)

FAQ_BLOCK = "1\n00:00:04,000 --> 00:00:04,001\nA block of 1 ms\n"


@pytest.mark.rule("CAP-6")
def test_the_faqs_one_ms_block_is_rejected() -> None:
    report = validate_captions(FAQ_BLOCK)
    assert not report.ok
    [problem] = report.problems
    assert problem.kind is CaptionProblemKind.TOO_SHORT and problem.cue == 1
    with pytest.raises(CaptionValidationError) as info:
        report.raise_if_blocking()
    assert info.value.report is report
    assert isinstance(info.value, CaptionError) and isinstance(info.value, ReachError)
    assert "cue 1" in str(info.value) and "1 ms" in str(info.value)


@pytest.mark.rule("CAP-6")
def test_two_ms_is_the_shortest_cue_accepted() -> None:
    assert validate_captions(CaptionDocument([Cue(4000, 4002, ("ok",))])).ok
    zero = validate_captions(CaptionDocument([Cue(4000, 4000, ("x",))]))
    backwards = validate_captions(CaptionDocument([Cue(5000, 4000, ("x",))]))
    assert [p.kind for p in zero.problems] == [CaptionProblemKind.TOO_SHORT]
    assert [p.kind for p in backwards.problems] == [CaptionProblemKind.TOO_SHORT]


@pytest.mark.rule("CAP-6")
def test_every_problem_is_listed_with_cue_and_line() -> None:
    doc = CaptionDocument(
        [
            Cue(0, 2000, ("fine",)),
            Cue(1500, 3000, ("overlap",)),  # 2: overlapping
            Cue(1000, 1200, ("earlier",)),  # 3: out of order
            Cue(5000, 6000, ("   ",)),  # 4: empty text
            Cue(7000, 8000, ("short", "this line is too long")),  # 5, line 2: too long
            Cue(9000, 9001, ("blip",)),  # 6: 1 ms
        ]
    )
    report = validate_captions(doc, max_line_chars=10)
    assert [(p.kind, p.cue, p.line) for p in report.problems] == [
        (CaptionProblemKind.OVERLAPPING, 2, None),
        (CaptionProblemKind.OUT_OF_ORDER, 3, None),
        (CaptionProblemKind.EMPTY_TEXT, 4, None),
        (CaptionProblemKind.LINE_TOO_LONG, 5, 2),
        (CaptionProblemKind.TOO_SHORT, 6, None),
    ]
    assert all(p.blocking for p in report.problems)
    assert report.blocking == report.problems and report.document is doc
    assert str(report.problems[3]).startswith("cue 5, line 2: 21 characters")
    with pytest.raises(CaptionValidationError, match=r"and 0 more|cue 2") as info:
        report.raise_if_blocking()
    assert "(and" not in str(info.value)  # 5 problems: all shown
    assert "(and 1 more)" in report.summary(limit=4)


@pytest.mark.rule("CAP-6")
def test_line_limit_applies_only_when_set() -> None:
    doc = CaptionDocument([Cue(0, 1000, ("x" * 50,))])
    assert validate_captions(doc).ok
    assert validate_captions(doc, max_line_chars=0).ok  # 0: the profile sets no limit
    assert validate_captions(doc, max_line_chars=50).ok
    assert not validate_captions(doc, max_line_chars=49).ok


@pytest.mark.rule("CAP-6")
@pytest.mark.parametrize(
    "text", ["", "no captions here", b"\xff\xfe\x00\xd8", "1\n00:00:01,000 --> nope\nx\n"]
)
def test_unparseable_input_is_a_problem_not_an_exception(text: str | bytes) -> None:
    report = validate_captions(text)
    assert [p.kind for p in report.problems] == [CaptionProblemKind.UNPARSEABLE]
    assert report.document is None and not report.ok
    with pytest.raises(CaptionValidationError):
        report.raise_if_blocking()


@pytest.mark.rule("CAP-6")
def test_a_file_without_cues_is_refused() -> None:
    report = validate_captions("WEBVTT\n\nNOTE nothing here\n")
    assert [p.kind for p in report.problems] == [CaptionProblemKind.NO_CUES]


def test_a_valid_file_passes_and_raise_is_silent() -> None:
    report = validate_captions(
        "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:02,000 --> 00:00:03,000\nBye\n"
    )
    assert report.ok and report.problems == () and report.summary() == "captions are valid"
    report.raise_if_blocking()  # touching cues (end == next start) do not overlap
