"""The cue point ingestion schema, as ``cuePoint.addFromBulk`` checks it before creating anything.

Facts from the server (no code copied):

* ``kCuePointManager::addFromXml`` loads the file (not well-formed → ``XML_INVALID``), then
  validates it against the ``cuePoint.ingestAPI`` schema (invalid → ``XML_INVALID``, message
  "XML is invalid", ``kCuePointErrors``), and only then creates the cue points one by one.
* The schema (``plugins/cue_points/base/xml/ingestion.xsd`` + ``ThumbCuePointPlugin::
  contributeToSchema``): root ``scenes`` holding one or more scene elements; the abstract base
  ``T_scene`` has the sequence ``sceneStartTime`` (``xs:time``, required) then ``tags``
  (optional, one or more ``tag`` of at most 30 characters) and the attributes ``sceneId``
  (≤ 250), ``systemName`` (≤ 120) and ``entryId`` (required, ≤ 20);
  ``scene-thumb-cue-point`` extends it with ``title`` (required), ``description`` (required),
  ``subType`` (optional, ``KalturaThumbCuePointSubType``: 1 or 2) and any number of
  ``scene-extension`` elements, in that order. No other element or attribute is allowed
  (``xsi:`` attributes excepted, as in any XML Schema validation).

The sandbox's schema knows only ``scene-thumb-cue-point`` (chapters and slides); the ad, code and
annotation scenes production also accepts are refused here (docs/sandbox.md).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ._errors import ApiError

XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
THUMB_SCENE = "scene-thumb-cue-point"
_SCENE_ATTRIBUTES = {"sceneId": 250, "systemName": 120, "entryId": 20}
_THUMB_SEQUENCE = (
    ("sceneStartTime", 1, 1),
    ("tags", 0, 1),
    ("title", 1, 1),
    ("description", 1, 1),
    ("subType", 0, 1),
    ("scene-extension", 0, None),
)
# xs:time lexical space: hh:mm:ss with optional fraction and zone (24:00:00 is allowed).
_XS_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_THUMB_SUB_TYPES = frozenset({"1", "2"})


@dataclass
class Scene:
    """One validated ``scene-thumb-cue-point``."""

    entry_id: str
    start_time: str
    scene_id: str | None = None
    system_name: str | None = None
    tags: list[str] = field(default_factory=list)
    title: str = ""
    description: str = ""
    sub_type: str | None = None


def _invalid() -> ApiError:
    return ApiError("XML_INVALID")


def _text_only(element: ET.Element) -> str:
    """The element's text; child elements are not allowed in a simple-typed element."""
    if len(element):
        raise _invalid()
    return element.text or ""


def _element_only(element: ET.Element) -> None:
    """Element-only content: no character data other than whitespace between children."""
    pieces = [element.text] + [child.tail for child in element]
    if any(piece and piece.strip() for piece in pieces):
        raise _invalid()


def _attributes(element: ET.Element, allowed: dict[str, int]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in element.attrib.items():
        if name.startswith(XSI):
            continue
        if name not in allowed or len(value) > allowed[name]:
            raise _invalid()
        values[name] = value
    return values


def _valid_time(text: str) -> bool:
    match = _XS_TIME.match(text.strip())
    if match is None:
        return False
    hours, minutes, seconds = (int(match.group(i)) for i in (1, 2, 3))
    if (hours, minutes, seconds) == (24, 0, 0):
        return not match.group(4) or float(match.group(4)) == 0
    return hours < 24 and minutes < 60 and seconds < 60


def _children_in_order(scene: ET.Element) -> dict[str, list[ET.Element]]:
    """Match the children against the fixed sequence; any deviation is ``XML_INVALID``."""
    found: dict[str, list[ET.Element]] = {name: [] for name, _, _ in _THUMB_SEQUENCE}
    children = list(scene)
    position = 0
    for name, minimum, maximum in _THUMB_SEQUENCE:
        while position < len(children) and children[position].tag == name:
            found[name].append(children[position])
            position += 1
        count = len(found[name])
        if count < minimum or (maximum is not None and count > maximum):
            raise _invalid()
    if position != len(children):
        raise _invalid()
    return found


def _thumb_scene(scene: ET.Element) -> Scene:
    attributes = _attributes(scene, _SCENE_ATTRIBUTES)
    if "entryId" not in attributes:
        raise _invalid()
    _element_only(scene)
    found = _children_in_order(scene)
    start = _text_only(found["sceneStartTime"][0])
    if not _valid_time(start):
        raise _invalid()
    tags: list[str] = []
    for tags_element in found["tags"]:
        _attributes(tags_element, {})
        _element_only(tags_element)
        if not len(tags_element) or any(child.tag != "tag" for child in tags_element):
            raise _invalid()
        for tag in tags_element:
            _attributes(tag, {})
            text = _text_only(tag)
            if len(text) > 30:
                raise _invalid()
            tags.append(text)
    sub_type = None
    if found["subType"]:
        sub_type = _text_only(found["subType"][0]).strip()
        if sub_type not in _THUMB_SUB_TYPES:
            raise _invalid()
    for name in ("sceneStartTime", "title", "description", "subType"):
        for element in found[name]:
            _attributes(element, {})
    return Scene(
        entry_id=attributes["entryId"],
        start_time=start.strip(),
        scene_id=attributes.get("sceneId"),
        system_name=attributes.get("systemName"),
        tags=tags,
        title=_text_only(found["title"][0]),
        description=_text_only(found["description"][0]),
        sub_type=sub_type,
    )


def time_to_ms(text: str) -> int:
    """``hh:mm:ss.fff`` → milliseconds, as ``kXml::timeToInteger`` reads it (zone ignored)."""
    parts = text.split(":")
    seconds = re.match(r"\d+(?:\.\d*)?", parts[2]) if len(parts) > 2 else None
    total = int(parts[0]) * 3_600_000 + int(parts[1]) * 60_000
    return round(total + (float(seconds.group(0)) * 1000 if seconds else 0))


def parse_scenes(data: bytes) -> list[Scene]:
    """Parse and validate a bulk cue point file; ``XML_INVALID`` unless it fits the schema."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise _invalid() from exc
    if root.tag != "scenes":
        raise _invalid()
    _attributes(root, {})
    _element_only(root)
    scenes = list(root)
    if not scenes:
        raise _invalid()
    parsed = []
    for scene in scenes:
        if scene.tag != THUMB_SCENE:
            raise _invalid()
        parsed.append(_thumb_scene(scene))
    return parsed
