"""Server-side request parsing (reference §1.1, §1.2, §1.4, §1.6).

Builds one nested parameter tree from the JSON body (only when ``Content-Type`` is exactly
``application/json``), form / query pairs in PHP bracket syntax (``a[b][0][c]=``) or Kaltura
colon syntax (``a:b=``), multipart bodies (a ``json`` field plus file parts) and
``/key/value/`` URL path pairs. Merge order is body → files → query/path, last wins.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from ._errors import ApiError


class _Null:
    """Marker for ``field__null`` (set the field to null)."""

    _instance: _Null | None = None

    def __new__(cls) -> _Null:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NULL"


NULL = _Null()


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


def split_key(key: str) -> list[str]:
    """``a[b][0]`` → ``[a, b, 0]``; ``1:entry:name`` → ``[1, entry, name]``; mixed allowed."""
    head, bracket, rest = key.partition("[")
    parts = [p for p in head.split(":")]
    if bracket:
        parts.extend(re.findall(r"([^\[\]]*)\]", "[" + rest))
    return [p for p in parts if p != ""] or [key]


def set_nested(root: dict[str, Any], path: list[str], value: Any) -> None:
    """Set ``value`` at ``path`` creating intermediate maps."""
    node = root
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {} if not isinstance(child, list) else {str(i): v for i, v in enumerate(child)}
            node[part] = child
        node = child
    node[path[-1]] = value


def deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Merge ``extra`` into ``base`` (extra wins; nested maps merged)."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            deep_merge(base[key], value)
        else:
            base[key] = value
    return base


def normalize(value: Any) -> Any:
    """Apply ``__null`` and ``[-]`` (empty array) semantics recursively."""
    if isinstance(value, dict):
        if set(value.keys()) == {"-"}:
            return []
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key.endswith("__null"):
                out[key[: -len("__null")]] = NULL
            elif key not in out or out[key] is not NULL:
                out[key] = normalize(item)
        return out
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


def pairs_to_tree(
    pairs: list[tuple[str, Any]], root: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Build a tree from key/value pairs in bracket or colon syntax."""
    tree: dict[str, Any] = {} if root is None else root
    for key, value in pairs:
        set_nested(tree, split_key(key), value)
    return tree


def path_pairs(segments: list[str]) -> list[tuple[str, str]]:
    """``/k1/v1/k2/v2`` path segments → pairs."""
    return [(segments[i], segments[i + 1]) for i in range(0, len(segments) - 1, 2)]


def php_basename(name: str) -> str:
    """What PHP keeps of a client's file name for ``$_FILES[…]['name']``: only what follows the
    last ``/`` or ``\\`` (``main/rfc1867.c`` ``php_ap_basename``)."""
    return name[max(name.rfind("/"), name.rfind("\\")) + 1 :]


_FILENAME_PARAM = re.compile(r"(?:^|;)\s*filename\s*=\s*", re.IGNORECASE)


def _php_filename(part: Any) -> str:
    """The part's file name as PHP reads it (``main/rfc1867.c`` ``substring_conf``): inside
    quotes only ``\\\\`` and ``\\"`` are escapes, so a browser's raw ``C:\\dir\\a.srt`` keeps its
    backslashes (Python's MIME parser would drop them), ready for ``php_ap_basename``."""
    raw = next((str(v) for k, v in part.raw_items() if k.lower() == "content-disposition"), "")
    match = _FILENAME_PARAM.search(raw)
    if match is None:
        return str(part.get_filename() or "")
    rest = raw[match.end() :]
    if not rest.startswith('"'):
        return rest.split(";", 1)[0].strip()
    chars: list[str] = []
    index = 1
    while index < len(rest) and rest[index] != '"':
        if rest[index] == "\\" and rest[index + 1 : index + 2] in ("\\", '"'):
            index += 1
        chars.append(rest[index])
        index += 1
    return "".join(chars)


def parse_multipart(
    content_type: str, body: bytes
) -> tuple[list[tuple[str, str]], dict[str, UploadedFile]]:
    """Split a multipart body into text fields and files."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: list[tuple[str, str]] = []
    files: dict[str, UploadedFile] = {}
    if not message.is_multipart():
        return fields, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        filename = php_basename(_php_filename(part)) if part.get_filename() is not None else None
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if filename is not None:
            files[name] = UploadedFile(filename, part.get_content_type(), data)
        else:
            charset = part.get_content_charset() or "utf-8"
            fields.append((name, data.decode(charset, errors="replace")))
    return fields, files


def parse_request(
    content_type: str | None,
    body: bytes,
    query: str,
    path_segments: list[str],
) -> dict[str, Any]:
    """One merged, normalized parameter tree for an api_v3 request."""
    tree: dict[str, Any] = {}
    ctype = (content_type or "").strip()
    if ctype.lower() == "application/json":
        text = body.decode("utf-8", errors="replace").strip()
        if text.startswith("{") and text.endswith("}"):
            try:
                loaded = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ApiError("INTERNAL_SERVERL_ERROR") from exc
            if isinstance(loaded, dict):
                tree = loaded
    elif ctype.lower().startswith("multipart/form-data"):
        fields, files = parse_multipart(ctype, body)
        json_fields = [v for k, v in fields if k == "json"]
        if json_fields:
            try:
                loaded = json.loads(json_fields[-1])
            except json.JSONDecodeError as exc:
                raise ApiError("INTERNAL_SERVERL_ERROR") from exc
            if isinstance(loaded, dict):
                tree = loaded
        else:
            pairs_to_tree(fields, tree)
        for name, upload in files.items():
            set_nested(tree, split_key(name), upload)
    elif ctype.lower().startswith("application/x-www-form-urlencoded") or body:
        pairs_to_tree(
            parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True), tree
        )
    if query:
        pairs_to_tree(parse_qsl(query, keep_blank_values=True), tree)
    if path_segments:
        pairs_to_tree(path_pairs(path_segments), tree)
    result = normalize(tree)
    assert isinstance(result, dict)
    return result


# --- typed access -----------------------------------------------------------------------


def as_list(value: Any) -> list[Any]:
    """A wire array: JSON list or a form map keyed ``0, 1, …`` (in index order)."""
    if value is None or value is NULL:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):

        def order(key: str) -> tuple[int, str]:
            return (int(key), "") if key.lstrip("-").isdigit() else (1 << 30, key)

        return [value[k] for k in sorted(value, key=order)]
    return [value]


def to_str(value: Any) -> str | None:
    """A string value (None when absent or null)."""
    if value is None or value is NULL or isinstance(value, (dict, list, UploadedFile)):
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def to_int(value: Any, name: str = "") -> int | None:
    """PHP ``(int)`` of a scalar; None when absent."""
    text = to_str(value)
    if text is None:
        return None
    text = text.strip()
    if text.lower() == "true":
        return 1
    if text.lower() == "false" or text == "":
        return 0
    match = re.match(r"^[+-]?\d+", text)
    if match is None:
        try:
            return int(float(text))
        except ValueError:
            return 0
    return int(match.group(0))


def to_float(value: Any) -> float | None:
    """PHP ``(float)`` of a scalar; None when absent."""
    text = to_str(value)
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return 0.0


def to_bool(value: Any) -> bool | None:
    """PHP bool: the string ``false`` (any case) is false, else PHP truthiness."""
    if value is None or value is NULL:
        return None
    if isinstance(value, bool):
        return value
    text = str(value)
    if text.lower() == "false":
        return False
    return text not in ("", "0")


# --- multirequest ------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(\d+):result((?::[^{}:]+)*)\}")


def _resolve(results: list[Any], index: int, path: list[str]) -> Any:
    if index < 1 or index > len(results):
        return None
    node: Any = results[index - 1]
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list):
            if part == "_all":
                return "".join(f"{_scalar(v)}," for v in node)
            if part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        else:
            return None
    return node


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, (dict, list)):
        return ""
    return str(value)


def substitute(value: Any, results: list[Any]) -> Any:
    """Replace ``{N:result[:path]}`` placeholders (N = 1-based execution order)."""
    if isinstance(value, str):

        def repl(match: re.Match[str]) -> str:
            path = [p for p in match.group(2).split(":") if p]
            return _scalar(_resolve(results, int(match.group(1)), path))

        return _PLACEHOLDER.sub(repl, value)
    if isinstance(value, dict):
        return {k: substitute(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, results) for v in value]
    return value


INHERITED = ("ks", "clientTag", "partnerId")


def split_multirequest(params: dict[str, Any]) -> list[dict[str, Any]]:
    """The sub-requests, in key order from the lowest numeric key; stop at the first gap."""
    keys = sorted(int(k) for k in params if k.isdigit() and isinstance(params[k], dict))
    subs: list[dict[str, Any]] = []
    if not keys:
        return subs
    for number in range(keys[0], keys[-1] + 1):
        sub = params.get(str(number))
        if not isinstance(sub, dict) or "service" not in sub or "action" not in sub:
            break
        sub = dict(sub)
        sub.pop("format", None)
        for name in INHERITED:
            if name not in sub and name in params:
                sub[name] = params[name]
        subs.append(sub)
    return subs
