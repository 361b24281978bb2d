"""The public cattrs converter: used directly, in a vendor's own classes, and what fails.

What "fail" means (docs/models.md): with the default converter (``parse``/``dump``) only a value
that is not a JSON object where a model is expected *at the top* fails, with
:class:`ParseError`.  Below the top, a value that cannot be converted is kept raw in its
object's ``extra``.  Inside a vendor's own containers, and everywhere with
``make_converter(strict=True)``, failures are cattrs validation errors naming the path.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import cattrs
import pytest

import kaltura_reach_vendor
from kaltura_reach_vendor.enums import VendorCatalogItemOutputFormat, VendorServiceTurnAroundTime
from kaltura_reach_vendor.models import (
    EntryVendorTask,
    EntryVendorTaskListResponse,
    KalturaObject,
    ListResponse,
    ParseError,
    VendorCaptionsCatalogItem,
    converter,
    dump,
    make_converter,
    parse,
)

CATALOG = {
    "serviceFeature": 1,
    "turnAroundTime": 3600,
    "outputFormat": "1",
    "objectType": "KalturaVendorCaptionsCatalogItem",
}


def task_raw(catalog: Any = CATALOG, **fields: Any) -> dict[str, Any]:
    return {
        "id": "15",
        "status": 1,
        "relatedObjects": {
            "reach_vendor_catalog_item": {
                "objects": [catalog],
                "totalCount": 1,
                "objectType": "KalturaVendorCatalogItemListResponse",
            }
        },
        "objectType": "KalturaEntryVendorTask",
        **fields,
    }


# --- the converter used directly -------------------------------------------------------------


def test_converter_is_a_cattrs_converter_and_parse_dump_are_calls_into_it() -> None:
    assert isinstance(converter, cattrs.Converter)
    raw = task_raw()
    task = converter.structure(raw, EntryVendorTask)
    assert task == parse(raw, EntryVendorTask)
    assert task.id == 15
    ci = task.catalog_item
    assert isinstance(ci, VendorCaptionsCatalogItem)
    assert ci.output_format is VendorCatalogItemOutputFormat.SRT
    assert converter.unstructure(task) == dump(task)
    assert (
        converter.unstructure(task)["relatedObjects"]["reach_vendor_catalog_item"]["objects"][0][
            "turnAroundTime"
        ]
        == 3600
    )


def test_converter_applies_the_wire_policy_to_declared_base_types() -> None:
    raw = {"objectType": "KalturaHologramTask", "id": 3, "hologram": True}
    obj = converter.structure(raw, KalturaObject)
    assert type(obj) is KalturaObject and obj.extra == raw
    assert converter.unstructure(obj) == raw
    lst = converter.structure({"objects": [task_raw()], "totalCount": 1}, ListResponse[Any])
    assert type(lst) is ListResponse and isinstance(next(iter(lst)), EntryVendorTask)


@attrs.define
class Batch:
    """A vendor's own class holding SDK models."""

    name: str
    tasks: list[EntryVendorTask]
    latest: EntryVendorTask | None = None


def test_models_inside_a_vendors_own_attrs_class() -> None:
    raw = {"name": "night", "tasks": [task_raw(), task_raw(id=16)], "latest": task_raw(id="17")}
    batch = converter.structure(raw, Batch)
    assert [t.id for t in batch.tasks] == [15, 16]
    assert batch.latest is not None and batch.latest.id == 17
    out = converter.unstructure(batch)
    assert out["tasks"][1]["id"] == 16 and out["tasks"][1]["objectType"] == "KalturaEntryVendorTask"
    assert "accessKey" not in out["tasks"][0]  # None attributes omitted
    assert converter.structure(out, Batch) == batch


def test_a_vendor_can_build_on_a_fresh_converter() -> None:
    mine = make_converter()
    mine.register_structure_hook(Batch, lambda d, _: Batch(name=d["n"], tasks=[]))
    assert mine.structure({"n": "x"}, Batch) == Batch(name="x", tasks=[])
    assert mine.structure(task_raw(), EntryVendorTask) == parse(task_raw(), EntryVendorTask)
    with pytest.raises(cattrs.ClassValidationError):  # the SDK's converter is left untouched
        converter.structure({"n": "x"}, Batch)


# --- what fails ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shape"),
    [(5, "a number"), ([task_raw()], "an array"), ("djJ8c2VjcmV0", "a string"), (None, "null")],
)
def test_top_level_value_of_the_wrong_shape_fails_with_parse_error(value: Any, shape: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(value, EntryVendorTask)
    assert str(info.value) == f"expected a JSON object for EntryVendorTask, got {shape}"
    assert isinstance(info.value, ValueError)
    with pytest.raises(ParseError):
        converter.structure(value, EntryVendorTask)


def test_below_the_top_nothing_fails_values_are_kept_in_extra() -> None:
    raw = task_raw(
        catalog={**CATALOG, "turnAroundTime": "soon", "outputFormat": 1},
        taskJobData=[1, 2],
        unitsUsedArray=[{"unitsUsed": 1}, 7],
    )
    raw["relatedObjects"]["weird"] = "not a list response"
    task = parse(raw, EntryVendorTask)
    ci = task.catalog_item
    assert ci is not None and ci.turn_around_time is None
    assert ci.extra == {"turnAroundTime": "soon"}
    assert task.task_job_data is None and task.units_used_array is None
    assert task.extra == {
        "taskJobData": [1, 2],
        "unitsUsedArray": [{"unitsUsed": 1}, 7],
        "relatedObjects": {"weird": "not a list response"},  # per key: the others are typed
    }
    assert task.related_objects is not None and set(task.related_objects) == {
        "reach_vendor_catalog_item"
    }
    assert dump(task) == {**raw, "id": 15}


def test_errors_in_a_vendors_container_name_the_path() -> None:
    with pytest.raises(cattrs.ClassValidationError) as info:
        converter.structure({"name": "n", "tasks": [task_raw(), 5]}, Batch)
    assert cattrs.transform_error(info.value) == [
        "invalid value for type, expected EntryVendorTask @ $.tasks[1]"
    ]


def test_strict_converter_names_the_failing_path_the_cattrs_way() -> None:
    strict = make_converter(strict=True)
    raw = task_raw(catalog={**CATALOG, "turnAroundTime": "soon"})
    with pytest.raises(cattrs.ClassValidationError) as info:
        strict.structure(raw, EntryVendorTask)
    assert cattrs.transform_error(info.value) == [
        "invalid value for type, expected VendorServiceTurnAroundTime"
        " @ $.relatedObjects['reach_vendor_catalog_item'].objects[0].turnAroundTime"
    ]
    # the default converter keeps the same value and goes on
    assert parse(raw, EntryVendorTask).catalog_item is not None


def test_strict_converter_paths_for_items_and_several_errors() -> None:
    strict = make_converter(strict=True)
    raw = task_raw(catalog=5, status="x", unitsUsedArray=[{"unitsUsed": 1}, {"unitsUsed": "a"}])
    raw["relatedObjects"]["other"] = []
    with pytest.raises(cattrs.ClassValidationError) as info:
        strict.structure(raw, EntryVendorTask)
    assert sorted(cattrs.transform_error(info.value)) == [
        "invalid value for type, expected EntryVendorTaskStatus @ $.status",
        "invalid value for type, expected ListResponse @ $.relatedObjects['other']",
        "invalid value for type, expected VendorCatalogItem"
        " @ $.relatedObjects['reach_vendor_catalog_item'].objects[0]",
        "invalid value for type, expected float @ $.unitsUsedArray[1].unitsUsed",
    ]


def test_strict_converter_still_keeps_unknown_fields_and_object_types() -> None:
    strict = make_converter(strict=True)
    raw = task_raw(brandNew=1, taskJobData={"objectType": "KalturaHoloTaskData", "x": 1})
    task = strict.structure(raw, EntryVendorTask)
    assert task.extra == {"brandNew": 1}
    assert strict.unstructure(task) == converter.unstructure(task)


# --- lenient scalars -------------------------------------------------------------------------


@pytest.mark.parametrize("wire", ["false", "0", 0, False, "FALSE", " false "])
def test_false_forms_parse_as_false(wire: Any) -> None:
    ci = parse({**CATALOG, "allowResubmission": wire}, VendorCaptionsCatalogItem)
    assert ci.allow_resubmission is False and ci.extra == {}


@pytest.mark.parametrize("wire", ["true", "1", 1, True, "True"])
def test_true_forms_parse_as_true(wire: Any) -> None:
    ci = parse({**CATALOG, "allowResubmission": wire}, VendorCaptionsCatalogItem)
    assert ci.allow_resubmission is True and ci.extra == {}


@pytest.mark.parametrize("wire", ["yes", "", "2.5", 2, [], {}])
def test_other_boolean_forms_are_kept_raw(wire: Any) -> None:
    raw = {**CATALOG, "allowResubmission": wire}
    ci = parse(raw, VendorCaptionsCatalogItem)
    assert ci.allow_resubmission is None and ci.extra == {"allowResubmission": wire}
    assert dump(ci)["allowResubmission"] == wire


@pytest.mark.parametrize(("wire", "value"), [("15", 15), (" 15 ", 15), ("2.0", 2), (2.0, 2)])
def test_integer_forms(wire: Any, value: int) -> None:
    task = parse({"id": wire, "objectType": "KalturaEntryVendorTask"}, EntryVendorTask)
    assert task.id == value and type(task.id) is int


@pytest.mark.parametrize("wire", ["2.5", 2.5, "15a", "true"])
def test_non_integers_are_not_truncated(wire: Any) -> None:
    task = parse({"id": wire, "objectType": "KalturaEntryVendorTask"}, EntryVendorTask)
    assert task.id is None and task.extra == {"id": wire}


def test_enum_sent_as_string_then_as_garbage() -> None:
    for _ in range(2):  # the second time through the converter's cache of wire forms
        ci = parse({**CATALOG, "outputFormat": "3"}, VendorCaptionsCatalogItem)
        assert ci.output_format is VendorCatalogItemOutputFormat.VTT
    ci = parse({**CATALOG, "turnAroundTime": "1h"}, VendorCaptionsCatalogItem)
    assert ci.turn_around_time is None and ci.extra == {"turnAroundTime": "1h"}
    ci = parse({**CATALOG, "turnAroundTime": "77"}, VendorCaptionsCatalogItem)
    tat = ci.turn_around_time
    assert tat is not None and tat.value == 77 and not tat.is_known
    assert tat is VendorServiceTurnAroundTime(77)


def test_list_response_of_a_page() -> None:
    page = {"objects": [task_raw(), task_raw(id=2)], "totalCount": "9"}
    lst = converter.structure(page, EntryVendorTaskListResponse)
    assert lst.total_count == 9 and [t.id for t in lst] == [15, 2]
    assert converter.unstructure(lst)["objectType"] == "KalturaEntryVendorTaskListResponse"


# --- import time -----------------------------------------------------------------------------


def test_importing_the_sdk_does_not_import_cattrs_until_first_use() -> None:
    code = (
        "import sys, kaltura_reach_vendor as k\n"
        "assert 'cattrs' not in sys.modules\n"
        "k.parse({'id': 1, 'objectType': 'KalturaEntryVendorTask'})\n"
        "assert 'cattrs' in sys.modules\n"
        "from kaltura_reach_vendor.models import converter\n"
        "print(type(converter).__name__)\n"
    )
    src = str(Path(kaltura_reach_vendor.__file__).parents[1])  # this tree, not an installed copy
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=env,
    )
    assert out.stdout.strip() == "Converter"
