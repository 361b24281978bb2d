"""Parameter trees: from Python values to what api_v3 reads, and back (reference §1.2–§1.4).

A *wire tree* is what the JSON body carries: dicts (objects keep their ``objectType``),
lists, strings, numbers and booleans. :func:`to_wire` builds it from Python values:

* ``None`` as an object field means "clear this field": it becomes ``"<field>__null": ""``;
  ``None`` as a top-level action parameter means "not given" and is left out;
* an empty list becomes ``{"-": ""}`` (Kaltura's "empty array"), a non-empty one a list;
* enums become their wire value, ``datetime`` an integer unix time, attrs models their dump.

:func:`flatten` turns a wire tree into form fields in PHP bracket syntax
(``entryVendorTask[status]=3``); :func:`unflatten` reads bracket or colon syntax back into a
tree of strings. ``unflatten(flatten(t)) == stringify(t)`` for every tree.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .call import ResultRef

__all__ = [
    "EMPTY_LIST",
    "NULL_SUFFIX",
    "WireTree",
    "flatten",
    "stringify",
    "to_wire",
    "unflatten",
]

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


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 2**53 else repr(value)
    return str(value)


def stringify(tree: Any) -> Any:
    """The tree as form encoding sees it: every scalar a string (booleans as ``1``/``0``)."""
    if isinstance(tree, Mapping):
        return {str(k): stringify(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [stringify(v) for v in tree]
    return _scalar(tree)


def flatten(tree: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Form fields in PHP bracket syntax for a wire tree."""
    out: list[tuple[str, str]] = []
    for key, value in tree.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        _flatten_into(out, name, value)
    return out


def _flatten_into(out: list[tuple[str, str]], name: str, value: Any) -> None:
    if isinstance(value, Mapping):
        if not value:
            out.append((name, ""))
        for key, item in value.items():
            _flatten_into(out, f"{name}[{key}]", item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten_into(out, f"{name}[{index}]", item)
    else:
        out.append((name, _scalar(value)))


_KEY_PART = re.compile(r"\[([^\]]*)\]")


def _split_key(key: str) -> list[str]:
    if "[" in key:
        head, _, rest = key.partition("[")
        parts = [head, *_KEY_PART.findall("[" + rest)]
    else:
        parts = [key]
    out: list[str] = []
    for part in parts:
        out.extend(part.split(":"))
    return out


def unflatten(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Read form fields (bracket ``a[b][0]`` or colon ``a:b:0`` syntax) into a wire tree.

    Objects whose keys are exactly ``0..n-1`` become lists, as PHP arrays would be read.
    """
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = _split_key(key)
        node = root
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = {}
                node[part] = child
            node = child
        node[parts[-1]] = value
    tree: dict[str, Any] = _listify(root)
    return tree


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {k: _listify(v) for k, v in node.items()}
    keys = list(converted)
    if keys and keys == [str(i) for i in range(len(keys))]:
        return [converted[k] for k in keys]
    return converted
