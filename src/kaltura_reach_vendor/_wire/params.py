"""Parameter trees: from Python values to what api_v3 reads (reference §1.2–§1.4).

A *wire tree* is what the JSON body carries: dicts (objects keep their ``objectType``),
lists, strings, numbers and booleans. :func:`to_wire` builds it from Python values:

* ``None`` as an object field means "clear this field": it becomes ``"<field>__null": ""``;
  ``None`` as a top-level action parameter means "not given" and is left out;
* an empty list becomes ``{"-": ""}`` (Kaltura's "empty array"), a non-empty one a list;
* enums become their wire value, ``datetime`` an integer unix time, attrs models their dump.

The SDK always sends JSON bodies (a multipart upload carries the same tree in its ``json``
field), so there is no form encoding here.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from .call import ResultRef

__all__ = ["EMPTY_LIST", "NULL_SUFFIX", "WireTree", "to_wire"]

NULL_SUFFIX = "__null"
EMPTY_LIST: dict[str, str] = {"-": ""}

WireTree = Any  # dict[str, WireTree] | list[WireTree] | str | int | float | bool


def to_wire(params: Mapping[str, Any]) -> dict[str, Any]:
    """Encode an action's parameters (top level: ``None`` means "not given")."""
    return {str(k): _value(v) for k, v in params.items() if v is not None}


def _object(obj: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = str(key)
        if value is None:
            out[name + NULL_SUFFIX] = ""
        else:
            out[name] = _value(value)
    return out


def _value(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, ResultRef):
        return str(value)
    if isinstance(value, enum.Enum):
        return _value(value.value)
    if isinstance(value, (str, int, float)):
        return value
    if isinstance(value, Mapping):
        return _object(value)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone (Kaltura times are unix seconds)")
        return int(value.timestamp())
    if isinstance(value, (list, tuple)):
        if not value:
            return dict(EMPTY_LIST)
        return [_value(v) for v in value]
    if attrs.has(type(value)):
        return _object(_dump_model(value))
    raise TypeError(f"cannot send a {type(value).__name__} as a Kaltura parameter")


def _dump_model(value: Any) -> Mapping[str, Any]:
    # Models know their own wire form (camelCase names, objectType); imported lazily so that
    # the wire layer does not depend on the model layer at import time.
    from .. import models

    dump = getattr(models, "dump", None)
    if dump is None:
        raise TypeError(f"cannot send a {type(value).__name__}: no model dumper")
    dumped: Mapping[str, Any] = dump(value)
    return dumped
