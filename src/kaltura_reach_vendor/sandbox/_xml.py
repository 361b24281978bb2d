"""The ``format=2`` XML serializer (reference §1.5)."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return escape(str(value))


def _error(value: dict[str, Any]) -> str:
    args = value.get("args") or {}
    items = "".join(
        "<item><objectType>KalturaApiExceptionArg</objectType>"
        f"<name>{escape(str(k))}</name><value>{escape(str(v))}</value></item>"
        for k, v in (args.items() if isinstance(args, dict) else [])
    )
    return (
        f"<error><code>{escape(str(value.get('code', '')))}</code>"
        f"<message>{escape(str(value.get('message', '')))}</message>"
        f"<objectType>KalturaAPIException</objectType><args>{items}</args></error>"
    )


def to_xml_value(value: Any) -> str:
    """The inner XML of one value."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if value.get("objectType") == "KalturaAPIException":
            return _error(value)
        if "objectType" in value:
            parts = [f"<objectType>{escape(str(value['objectType']))}</objectType>"]
            for key, item in value.items():
                if key == "objectType" or item is None:
                    continue
                parts.append(f"<{key}>{to_xml_value(item)}</{key}>")
            return "".join(parts)
        # A map (e.g. relatedObjects): <item><itemKey>k</itemKey>…</item>
        return "".join(
            f"<item><itemKey>{escape(str(k))}</itemKey>{to_xml_value(v)}</item>"
            for k, v in value.items()
            if v is not None
        )
    if isinstance(value, list):
        return "".join(f"<item>{to_xml_value(v)}</item>" for v in value)
    return _scalar(value)


def render(result: Any, execution_time: float = 0.0) -> bytes:
    """A complete ``<xml><result>…</result><executionTime/></xml>`` document."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f"<xml><result>{to_xml_value(result)}</result>"
        f"<executionTime>{execution_time:.6f}</executionTime></xml>"
    )
    return body.encode("utf-8")
