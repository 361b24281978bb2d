"""The ``format=2`` XML serializer (reference §1.5).

As production writes it (server ``api_v3/lib/KalturaXmlSerializer.php`` and the C extension's
``kaltura_serialize_xml``, which it calls when loaded):

* every declared property of an object is written, in the server's order (``_schema``); a null
  one is an empty element, unless the request sent ``ignoreNull=1`` (then it is left out);
* booleans are ``1`` / ``0`` (``serializeByType``: ``($object) ? 1 : 0``; the C twin appends
  ``'0'`` for false); floats print like PHP's ``%.14G``;
* array items and map values are written even when null (``<item></item>``): ``ignoreNull``
  only concerns object properties.
"""

from __future__ import annotations

from typing import Any

from ._params import NULL
from ._schema import properties

_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})


def _encode(text: str) -> str:
    """The five XML entities, as the C serializer's ``xml_encode_table`` escapes them."""
    return text.translate(_ENTITIES)


def _scalar(value: Any) -> str:
    if value is None or value is NULL:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return format(value, ".14G")
    return _encode(str(value))


def _error(value: dict[str, Any]) -> str:
    args = value.get("args") or {}
    items = "".join(
        "<item><objectType>KalturaApiExceptionArg</objectType>"
        f"<name>{_encode(str(k))}</name><value>{_encode(str(v))}</value></item>"
        for k, v in (args.items() if isinstance(args, dict) else [])
    )
    return (
        f"<error><code>{_encode(str(value.get('code', '')))}</code>"
        f"<message>{_encode(str(value.get('message', '')))}</message>"
        f"<objectType>KalturaAPIException</objectType><args>{items}</args></error>"
    )


def _object(value: dict[str, Any], ignore_null: bool) -> str:
    object_type = str(value["objectType"])
    declared = properties(object_type)
    extra = [k for k in value if k != "objectType" and k not in declared]
    parts = [f"<objectType>{_encode(object_type)}</objectType>"]
    for key in (*declared, *extra):
        item = value.get(key)
        if item is NULL:
            item = None
        if item is None and ignore_null:
            continue
        parts.append(f"<{key}>{to_xml_value(item, ignore_null)}</{key}>")
    return "".join(parts)


def to_xml_value(value: Any, ignore_null: bool = False) -> str:
    """The inner XML of one value."""
    if isinstance(value, dict):
        if value.get("objectType") == "KalturaAPIException":
            return _error(value)
        if "objectType" in value:
            return _object(value, ignore_null)
        # A map (e.g. relatedObjects): <item><itemKey>k</itemKey>…</item>
        return "".join(
            f"<item><itemKey>{_encode(str(k))}</itemKey>{to_xml_value(v, ignore_null)}</item>"
            for k, v in value.items()
        )
    if isinstance(value, list):
        return "".join(f"<item>{to_xml_value(v, ignore_null)}</item>" for v in value)
    return _scalar(value)


def render(result: Any, execution_time: float = 0.0, *, ignore_null: bool = False) -> bytes:
    """A complete ``<xml><result>…</result><executionTime/></xml>`` document."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f"<xml><result>{to_xml_value(result, ignore_null)}</result>"
        f"<executionTime>{execution_time:.6f}</executionTime></xml>"
    )
    return body.encode("utf-8")
