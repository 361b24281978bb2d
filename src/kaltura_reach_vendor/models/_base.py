"""Registry, base classes, ``parse`` and ``dump`` for Kaltura JSON objects.

Every model is an attrs class deriving from :class:`KalturaObject` and registered under its
``objectType`` with :func:`register`.  Converting between Kaltura JSON and models is the job of
one configured ``cattrs.Converter``, :data:`kaltura_reach_vendor.models.converter` (built in
``_convert.py`` on first use, so importing the SDK does not import cattrs); :func:`parse` and
:func:`dump` are thin calls into it.  The wire policy it implements is described there and in
``docs/models.md``.
"""

from __future__ import annotations

import enum
import html
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, Union, overload

import attrs

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = [
    "KalturaObject",
    "ListResponse",
    "ParseError",
    "dump",
    "parse",
    "register",
    "registered_types",
]

T = TypeVar("T")
K = TypeVar("K", bound="KalturaObject")

_REGISTRY: dict[str, type[KalturaObject]] = {}


class ParseError(ValueError):
    """A JSON value could not be converted to the type a model field declares."""


# --- repr helpers -------------------------------------------------------------------------------

_MAX_REPR_STR = 48


def mask_secret(value: object) -> str:
    """Show a secret as its first four characters and a marker: ``'djJ8…(masked)'``."""
    if not isinstance(value, str) or not value:
        return "<masked>"
    return repr(value[:4] + "…(masked)")


def _short(value: object) -> str:
    if isinstance(value, enum.Enum):
        # Languages read best as their wire value ("Hebrew"), other enums as their name.
        return repr(value.value) if type(value).__name__ == "CatalogItemLanguage" else value.name
    if isinstance(value, str):
        if len(value) > _MAX_REPR_STR:
            return repr(value[: _MAX_REPR_STR - 1] + "…")
        return repr(value)
    if isinstance(value, KalturaObject):
        ident = getattr(value, "id", None)
        name = type(value).__name__
        return f"<{name} id={ident!r}>" if ident is not None else f"<{name}>"
    if isinstance(value, list):
        return f"[{len(value)} item{'s' if len(value) != 1 else ''}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_short(v)}" for k, v in value.items()) + "}"
    return repr(value)


#: Field metadata key for SDK-side bookkeeping that is never parsed from nor sent to Kaltura.
LOCAL = "kaltura_reach_vendor.local"


# --- the base class -----------------------------------------------------------------------------


@attrs.define(kw_only=True, repr=False)
class KalturaObject:
    """Base of every Kaltura object model.

    ``extra`` holds the properties this SDK does not model (and an unknown ``objectType``),
    exactly as received; ``dump`` writes them back, so nothing the server sent is lost.
    """

    extra: dict[str, Any] = attrs.field(factory=dict)

    #: The ``objectType`` this class is registered under.
    object_type: ClassVar[str] = "KalturaObject"
    #: attribute names shown as ``<masked>`` in ``repr`` and HTML.
    _secret_fields: ClassVar[frozenset[str]] = frozenset()
    #: optional hook choosing a subclass for an abstract ``objectType`` (see catalog items).
    _refine: ClassVar[Callable[[Mapping[str, Any]], type[Any] | None] | None] = None

    def __repr__(self) -> str:
        parts = []
        for a in attrs.fields(type(self)):
            if a.name == "extra":
                continue
            value = getattr(self, a.name)
            if value is None:
                continue
            shown = mask_secret(value) if a.name in self._secret_fields else _short(value)
            parts.append(f"{a.name}={shown}")
        if self.extra:
            parts.append(f"extra=<{len(self.extra)} unknown>")
        return f"{type(self).__name__}({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        """The Kaltura JSON dict of this object (same as :func:`dump`)."""
        return dump(self)


def register(object_type: str) -> Callable[[type[K]], type[K]]:
    """Class decorator: register an attrs model under a Kaltura ``objectType``."""

    def deco(cls: type[K]) -> type[K]:
        cls.object_type = object_type
        _REGISTRY[object_type] = cls
        return cls

    return deco


def registered_types() -> dict[str, type[KalturaObject]]:
    """A copy of the ``objectType`` → model class registry."""
    return dict(_REGISTRY)


@register("KalturaListResponse")
@attrs.define(kw_only=True, repr=False)
class ListResponse(KalturaObject, Generic[T]):
    """A Kaltura list response: ``objects`` and ``totalCount``.

    Iterating a list response iterates its objects; ``len()`` is the number of objects on this
    page (``total_count`` is the server's total).
    """

    objects: list[T] | None = None
    total_count: int | None = None

    #: declared type of ``objects`` items (subclasses set it).
    item_type: ClassVar[type[Any]] = KalturaObject

    def __iter__(self) -> typing.Iterator[T]:
        return iter(self.objects or ())

    def __len__(self) -> int:
        return len(self.objects or ())

    def __bool__(self) -> bool:
        return True


# --- field analysis -------------------------------------------------------------------------------


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def wire_name(a: attrs.Attribute[Any]) -> str:
    wire = a.metadata.get("wire")
    return wire if isinstance(wire, str) else _camel(a.name)


def _strip_optional(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        args = [x for x in typing.get_args(tp) if x is not type(None)]
        if len(args) == 1:
            return args[0]
        return Any
    return tp


class _Kind:
    """What a declared field type is, for the converter: ``scalar`` (int, float, bool, str),
    ``enum``, ``object`` (a model; ``tp`` is its class), ``list`` or ``map`` (``item`` is the
    kind of their items) or ``raw`` (any JSON, kept as received)."""

    def __init__(self, tp: Any) -> None:
        tp = _strip_optional(tp)
        self.tp = tp
        origin = typing.get_origin(tp)
        self.item: _Kind | None = None
        if tp in (int, float, bool, str):
            self.kind = "scalar"
        elif isinstance(tp, type) and issubclass(tp, enum.Enum):
            self.kind = "enum"
        elif isinstance(tp, type) and issubclass(tp, KalturaObject):
            self.kind = "object"
        elif isinstance(origin, type) and issubclass(origin, KalturaObject):
            self.tp = origin  # a parameterised generic such as ListResponse[Any]
            self.kind = "object"
        elif origin is list:
            self.kind = "list"
            (arg,) = typing.get_args(tp) or (Any,)
            self.item = _Kind(arg)
        elif origin is dict:
            self.kind = "map"
            args = typing.get_args(tp)
            self.item = _Kind(args[1] if len(args) == 2 else Any)
        elif isinstance(tp, TypeVar):
            self.tp = KalturaObject
            self.kind = "object"
        else:
            self.kind = "raw"


# --- public API ---------------------------------------------------------------------------------

_CONVERTER: list[Converter] = []


def _converter() -> Converter:
    """The SDK's converter, built (and cattrs imported) on first use."""
    if not _CONVERTER:
        from ._convert import converter

        _CONVERTER.append(converter)
    return _CONVERTER[0]


@overload
def parse(obj: Mapping[str, Any]) -> KalturaObject: ...
@overload
def parse(obj: Mapping[str, Any], as_type: type[T]) -> T: ...
def parse(obj: Mapping[str, Any], as_type: type[Any] = KalturaObject) -> Any:
    """Parse a Kaltura JSON object into its model: ``converter.structure(obj, as_type)``.

    The class is chosen by ``objectType`` among the subclasses of ``as_type`` (default: any
    registered model); an unknown ``objectType`` falls back to ``as_type`` and keeps every
    property in ``extra``.  ``parse(obj, EntryVendorTask)`` is typed as ``EntryVendorTask``.
    Raises :class:`ParseError` when ``obj`` itself is not a JSON object.
    """
    if not (isinstance(as_type, type) and issubclass(as_type, KalturaObject)):
        raise TypeError(f"as_type must be a KalturaObject model class, not {as_type!r}")
    return _converter().structure(obj, as_type)


def dump(model: KalturaObject) -> dict[str, Any]:
    """The Kaltura JSON dict of ``model``: camelCase names, ``objectType``, no ``None`` values."""
    out: dict[str, Any] = _converter().unstructure(model)
    return out


# --- HTML tables (notebooks) --------------------------------------------------------------------


def html_table(rows: Iterable[tuple[str, object]]) -> str:
    cells = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
        f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
        for k, v in rows
    )
    return f"<table>{cells}</table>"
