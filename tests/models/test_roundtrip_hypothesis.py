"""Wire names and round trips for every model class.

``parse(dump(m)) == m`` alone cannot see a wrong wire name (a name that is wrong the same way
both ways round-trips), so the names a dump writes are checked first against names known
independently of the models' code: the camelCase of the attribute name, or an exception from
the API reference listed here. Only public API is used (``attrs.fields``, ``parse``, ``dump``).
"""

from __future__ import annotations

import enum
import re
import types
import typing
from typing import Any, TypeVar

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaltura_reach_vendor.models import (
    EntryVendorTask,
    KalturaObject,
    ListResponse,
    VendorCaptionsCatalogItem,
    VendorCatalogItem,
    dump,
    parse,
    registered_types,
)

MODELS = sorted(set(registered_types().values()), key=lambda c: c.__name__)

#: Wire names that are not the camelCase of the attribute (reference: KalturaBaseEntry).
WIRE_EXCEPTIONS = {
    "multi_lingual_name": "multiLingual_name",
    "multi_lingual_description": "multiLingual_description",
    "multi_lingual_tags": "multiLingual_tags",
}
#: SDK bookkeeping attributes that are never sent to Kaltura.
LOCAL_ONLY = {(EntryVendorTask, "access_key_issued_at")}


def camel(name: str) -> str:
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)


def wire_fields(cls: type[Any]) -> list[attrs.Attribute[Any]]:
    return [
        a
        for a in attrs.fields(cls)
        if a.name != "extra" and not any(issubclass(cls, c) and a.name == n for c, n in LOCAL_ONLY)
    ]


def expected_wire_name(name: str) -> str:
    return WIRE_EXCEPTIONS.get(name, camel(name))


def field_type(cls: type[Any], a: attrs.Attribute[Any]) -> Any:
    """The declared type of ``a`` without ``None`` (list[item_type] for list objects)."""
    if issubclass(cls, ListResponse) and a.name == "objects":
        return list[cls.item_type]  # type: ignore[name-defined]
    tp = typing.get_type_hints(cls)[a.name]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [x for x in typing.get_args(tp) if x is not type(None)]
        tp = args[0] if len(args) == 1 else Any
    return tp


def _object_class(tp: Any) -> type[KalturaObject] | None:
    if isinstance(tp, TypeVar):
        return KalturaObject
    origin = typing.get_origin(tp) or tp
    if isinstance(origin, type) and issubclass(origin, KalturaObject):
        return origin
    return None


# -- a value for every field: the dump must name each one as the API does -------------------
def sample(tp: Any, depth: int) -> Any:
    """One valid, non-empty value of type ``tp``."""
    if tp in (bool, int, float, str):
        return {bool: True, int: 7, float: 1.5, str: "x"}[tp]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return next(iter(tp))
    obj = _object_class(tp)
    if obj is VendorCatalogItem:
        obj = VendorCaptionsCatalogItem  # the abstract base would be refined on parse
    if obj is not None:
        return full_instance(obj, depth + 1) if depth < 2 else obj()
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list:
        return [sample(args[0] if args else Any, depth)]
    if origin is dict:
        return {"k": sample(args[1] if len(args) == 2 else Any, depth)}
    return [{"raw": 1}]  # raw JSON


def full_instance(cls: type[Any], depth: int = 0) -> Any:
    return cls(**{a.name: sample(field_type(cls, a), depth) for a in wire_fields(cls)})


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_dump_writes_every_field_under_its_api_name(cls: type[KalturaObject]) -> None:
    model = full_instance(cls)
    wire = dump(model)
    expected = {expected_wire_name(a.name) for a in wire_fields(cls)} | {"objectType"}
    assert set(wire) == expected
    assert wire["objectType"] == cls.object_type
    if cls is not VendorCatalogItem:  # the abstract base is refined on parse (docs/models.md)
        assert parse(wire, cls) == model


def test_local_bookkeeping_is_not_sent() -> None:
    task = EntryVendorTask(id=1, access_key_issued_at=5.0)
    assert dump(task) == {"id": 1, "objectType": "KalturaEntryVendorTask"}
    assert parse(dump(task), EntryVendorTask).access_key_issued_at is None


# -- hypothesis: generated instances round-trip ----------------------------------------------
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), st.text(max_size=4))
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=3,
)


def enum_strategy(cls: type[enum.Enum]) -> st.SearchStrategy[Any]:
    unknown = st.integers(1000, 2000) if issubclass(cls, int) else st.text(min_size=1, max_size=6)
    return st.sampled_from(list(cls)) | unknown.map(cls)


def type_strategy(tp: Any, depth: int) -> st.SearchStrategy[Any]:
    if tp in (bool, int, float, str):
        return {
            bool: st.booleans(),
            int: st.integers(-(2**53), 2**53),
            float: st.floats(allow_nan=False, allow_infinity=False),
            str: st.text(max_size=6),
        }[tp]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return enum_strategy(tp)
    obj = _object_class(tp)
    if obj is not None:
        if depth >= 1:
            return st.none()
        subs = [c for c in MODELS if issubclass(c, obj)] or [obj]
        return st.sampled_from(subs).flatmap(lambda c: model_strategy(c, depth + 1))
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list:
        item = args[0] if args else Any
        if _object_class(item) is not None and depth >= 1:
            return st.just([])
        return st.lists(type_strategy(item, depth), max_size=2).map(
            lambda xs: [x for x in xs if x is not None]
        )
    if origin is dict:
        item = args[1] if len(args) == 2 else Any
        if _object_class(item) is not None and depth >= 1:
            return st.just({})
        return st.dictionaries(st.text(max_size=3), type_strategy(item, depth), max_size=2).map(
            lambda d: {k: v for k, v in d.items() if v is not None}
        )
    return st.lists(json_values, max_size=2)  # raw JSON


def model_strategy(cls: type[Any], depth: int = 0) -> st.SearchStrategy[Any]:
    kwargs: dict[str, st.SearchStrategy[Any]] = {}
    for a in wire_fields(cls):
        if cls is VendorCatalogItem and a.name == "service_feature":
            kwargs[a.name] = st.none()  # the abstract base is refined to a subclass on parse
            continue
        kwargs[a.name] = st.none() | type_strategy(field_type(cls, a), depth)
    known = {expected_wire_name(a.name) for a in wire_fields(cls)} | {"objectType"}
    extra = st.dictionaries(
        st.text(min_size=1, max_size=4).map(lambda s: "x_" + s).filter(lambda s: s not in known),
        json_values.filter(lambda v: v is not None),
        max_size=1,
    )
    return st.builds(cls, extra=extra, **kwargs)


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_parse_dump_round_trip(cls: type[KalturaObject], data: st.DataObject) -> None:
    model = data.draw(model_strategy(cls))
    wire = dump(model)
    assert wire["objectType"] == cls.object_type
    assert all(v is not None for v in wire.values())
    back = parse(wire, cls)
    assert type(back) is cls
    assert back == model


@settings(max_examples=25, deadline=None)
@given(model=model_strategy(EntryVendorTask))
def test_task_round_trip_through_generic_parse(model: EntryVendorTask) -> None:
    assert parse(dump(model)) == model


def test_unknown_object_type_falls_back_to_declared_base_and_round_trips() -> None:
    raw = {
        "id": "7",
        "status": 3,
        "taskJobData": {
            "objectType": "KalturaHologramVendorTaskData",
            "entryDuration": 1000,
            "hologramCount": 3,
        },
        "relatedObjects": {
            "future": {"objectType": "KalturaHologramListResponse", "objects": [], "totalCount": 0}
        },
        "brandNewField": {"nested": [1, 2]},
        "objectType": "KalturaEntryVendorTask",
    }
    task = parse(raw, EntryVendorTask)
    data = task.task_job_data
    assert data is not None and type(data).__name__ == "VendorTaskData"
    assert data.entry_duration == 1000
    assert data.extra == {"objectType": "KalturaHologramVendorTaskData", "hologramCount": 3}
    assert task.extra == {"brandNewField": {"nested": [1, 2]}}
    assert type(task.related_objects["future"]) is ListResponse  # type: ignore[index]
    out = dump(task)
    assert out["taskJobData"] == raw["taskJobData"]
    assert out["relatedObjects"] == raw["relatedObjects"]
    assert out["brandNewField"] == raw["brandNewField"]
    assert parse(out) == task


def test_unknown_object_type_without_declared_type() -> None:
    raw = {"objectType": "KalturaSomethingNew", "a": 1}
    obj = parse(raw)
    assert type(obj) is KalturaObject
    assert dump(obj) == raw


def test_unknown_enum_values_survive_a_round_trip() -> None:
    raw = {"id": 1, "status": 77, "serviceFeature": 99, "objectType": "KalturaEntryVendorTask"}
    task = parse(raw, EntryVendorTask)
    assert task.status is not None and task.status.value == 77 and not task.status.is_known
    assert dump(task) == raw


def test_value_in_unexpected_shape_is_kept_raw_not_fatal() -> None:
    raw = {"id": "not-a-number", "status": [1], "objectType": "KalturaEntryVendorTask"}
    task = parse(raw, EntryVendorTask)
    assert task.id is None and task.status is None
    assert task.extra == {"id": "not-a-number", "status": [1]}
    assert dump(task) == raw


def test_dump_omits_none_and_uses_camel_case() -> None:
    task = EntryVendorTask(id=5, external_task_id="mine", err_description=None)
    assert dump(task) == {"id": 5, "externalTaskId": "mine", "objectType": "KalturaEntryVendorTask"}
    assert attrs.has(EntryVendorTask)
