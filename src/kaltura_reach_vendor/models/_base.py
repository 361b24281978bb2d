"""Registry, ``parse`` and ``dump`` for Kaltura JSON objects.

Every model is an attrs class deriving from :class:`KalturaObject` and registered under its
``objectType`` with :func:`register`.  Parsing and dumping use one Python function per class,
generated from the class's fields the first time the class is used: a straight line of
``d.get(...)`` and cheap type checks, which is several times faster than generic structuring.

Wire rules implemented here (reference §1.3, §1.5):

* ``objectType`` chooses the class.  An unknown ``objectType``, or one that is not a subclass
  of the declared type, falls back to the declared type; the original ``objectType`` string is
  kept in ``extra`` so that ``dump`` sends it back unchanged.
* Fields the model does not know are kept, raw, in ``extra`` (``dump`` writes them back).
* Scalars are parsed leniently: ids and numbers sent as strings (``"15"``), booleans sent as
  ``0``/``1``/``"true"``, int enums sent as strings and string enums sent as ints.  ``dump``
  writes the normalised form (numbers as numbers, booleans as ``true``/``false``, enums as
  their declared wire type).
* Properties whose value is ``None`` are omitted by ``dump`` (Kaltura omits nulls too).
"""

from __future__ import annotations

import enum
import html
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Generic, TypeVar, Union, overload

import attrs

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
_STRUCT: dict[type[Any], Callable[[Mapping[str, Any]], Any]] = {}
_DUMP: dict[type[Any], Callable[[Any], dict[str, Any]]] = {}
_POLY: dict[type[Any], Callable[[Any], Any]] = {}


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


# --- scalar converters (cold paths; the hot path checks the exact type inline) ------------------


def _to_int(v: Any) -> int:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return int(v)
    if isinstance(v, str):
        try:
            return int(v.strip())
        except ValueError:
            pass
        try:
            f = float(v)
        except ValueError:
            raise ParseError(f"expected an integer, got {v!r}") from None
        if f.is_integer():
            return int(f)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    raise ParseError(f"expected an integer, got {v!r}")


def _to_float(v: Any) -> float:
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            pass
    raise ParseError(f"expected a number, got {v!r}")


def _to_bool(v: Any) -> bool:
    """PHP truthiness as Kaltura applies it: ``"false"`` (any case), ``"0"``, ``""`` are false."""
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0
    if isinstance(v, str):
        s = v.strip().lower()
        return s not in ("", "0", "false")
    raise ParseError(f"expected a boolean, got {v!r}")


def _to_str(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (int, float)):
        return str(v)
    raise ParseError(f"expected a string, got {v!r}")


def _to_enum(cls: type[enum.Enum], v: Any) -> Any:
    try:
        return cls(v)
    except (ValueError, TypeError):
        raise ParseError(f"{v!r} is not a valid {cls.__name__} wire value") from None


_SCALARS: dict[Any, tuple[type[Any], Callable[[Any], Any]]] = {
    int: (int, _to_int),
    float: (float, _to_float),
    bool: (bool, _to_bool),
    str: (str, _to_str),
}


# --- field analysis -----------------------------------------------------------------------------


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
    """How one declared type is converted: a code snippet for parse and one for dump."""

    def __init__(self, tp: Any) -> None:
        tp = _strip_optional(tp)
        self.tp = tp
        origin = typing.get_origin(tp)
        self.item: _Kind | None = None
        if tp in _SCALARS:
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

    def needs_conversion(self) -> bool:
        if self.kind in ("list", "map"):
            assert self.item is not None
            return self.item.needs_conversion()
        return self.kind != "raw"


class _CodeGen:
    def __init__(self) -> None:
        self.ns: dict[str, Any] = {"_ERRS": _CONVERSION_ERRORS}
        self._n = 0

    def name(self, prefix: str, value: Any) -> str:
        self._n += 1
        key = f"_{prefix}{self._n}"
        self.ns[key] = value
        return key

    def parse_expr(self, k: _Kind, var: str) -> list[str]:
        """Statements converting ``var`` in place (``var`` is not None)."""
        if k.kind == "scalar":
            exact, conv = _SCALARS[k.tp]
            t, c = self.name("t", exact), self.name("c", conv)
            return [f"if {var}.__class__ is not {t}: {var} = {c}({var})"]
        if k.kind == "enum":
            vm = self.name("vm", k.tp._value2member_map_)
            e = self.name("e", k.tp)
            te = self.name("te", _to_enum)
            return [
                f"_m = {vm}.get({var})",
                f"{var} = _m if _m is not None else {te}({e}, {var})",
            ]
        if k.kind == "object":
            p = self.name("p", _poly_parser(k.tp))
            return [f"{var} = {p}({var})"]
        if k.kind in ("list", "map"):
            assert k.item is not None
            if not k.item.needs_conversion():
                return []
            f = self.name("f", self.item_fn(k.item))
            if k.kind == "list":
                return [f"{var} = [{f}(_x) for _x in {var}]"]
            # Map items that do not parse are kept raw, per key (merged back by dump).
            return [
                "_ok = {}",
                f"for _k, _x in {var}.items():",
                f"    try: _ok[_k] = {f}(_x)",
                "    except _ERRS:",
                "        if _badmap is None: _badmap = {}",
                "        _badmap[_k] = _x",
                f"{var} = _ok",
            ]
        return []

    def item_fn(self, k: _Kind) -> Callable[[Any], Any]:
        if k.kind == "object":
            return _poly_parser(k.tp)
        sub = _CodeGen()
        body = sub.parse_expr(k, "v")
        src = "def _item(v):\n    if v is None: return v\n"
        src += "".join(f"    {line}\n" for line in body) + "    return v\n"
        exec(src, sub.ns)  # generated from the model's own type hints only
        fn: Callable[[Any], Any] = sub.ns["_item"]
        return fn

    def dump_expr(self, k: _Kind, var: str) -> str:
        if k.kind == "enum":
            return f"getattr({var}, '_value_', {var})"
        if k.kind == "object":
            return f"_dump({var})"
        if k.kind in ("list", "map"):
            assert k.item is not None
            if k.item.kind not in ("enum", "object", "list", "map"):
                return f"list({var})" if k.kind == "list" else f"dict({var})"
            inner = self.dump_expr(k.item, "_x")
            if k.kind == "list":
                return f"[{inner} for _x in {var}]"
            return f"{{_k: {inner} for _k, _x in {var}.items()}}"
        return var


def _fields(cls: type[Any]) -> list[tuple[attrs.Attribute[Any], str, _Kind]]:
    hints = typing.get_type_hints(cls)
    out = []
    for a in attrs.fields(cls):
        if a.name == "extra" or a.metadata.get(LOCAL):
            continue
        out.append((a, wire_name(a), _Kind(hints[a.name])))
    return out


#: A field whose value raises one of these is kept raw in ``extra`` (never lost, never fatal).
_CONVERSION_ERRORS = (ParseError, ValueError, TypeError, AttributeError, KeyError)


def _merge_extra(out: dict[str, Any], extra: Mapping[str, Any]) -> None:
    for k, x in extra.items():
        cur = out.get(k)
        if cur.__class__ is dict and x.__class__ is dict:
            out[k] = {**cur, **x}
        else:
            out[k] = x


def _compile_struct(cls: type[Any]) -> Callable[[Mapping[str, Any]], Any]:
    gen = _CodeGen()
    fields = _fields(cls)
    known = frozenset(w for _, w, _ in fields)
    gen.ns.update(_cls=cls, _new=object.__new__, _OT=cls.object_type, _KNOWN=known)
    item_type = cls.item_type if issubclass(cls, ListResponse) else None
    gen.ns["_ERRS"] = _CONVERSION_ERRORS
    lines = [
        "def _structure(d):",
        "    o = _new(_cls)",
        "    bad = None",
        "    n = 1 if d.get('objectType') == _OT else 0",
    ]
    for a, wire, kind in fields:
        if item_type is not None and a.name == "objects":
            kind = _Kind(list[item_type])  # type: ignore[valid-type]
        lines.append(f"    v = d.get({wire!r})")
        body = gen.parse_expr(kind, "v")
        lines.append("    if v is not None:")
        lines.append("        n += 1")
        if body:
            is_map = kind.kind == "map"
            if is_map:
                lines.append("        _badmap = None")
            lines.append("        try:")
            lines.extend(f"            {b}" for b in body)
            lines.append("        except _ERRS:")
            lines.append("            if bad is None: bad = {}")
            lines.append(f"            bad[{wire!r}] = v")
            lines.append("            v = None")
            if is_map:
                lines.append("        if _badmap is not None:")
                lines.append("            if bad is None: bad = {}")
                lines.append(f"            bad[{wire!r}] = _badmap")
        lines.append(f"    o.{a.name} = v")
    for a in attrs.fields(cls):
        if a.metadata.get(LOCAL):  # SDK bookkeeping starts empty on every parsed object
            lines.append(f"    o.{a.name} = None")
    lines += [
        "    if n == len(d) and bad is None:",
        "        o.extra = {}",
        "    else:",
        "        ex = {k: x for k, x in d.items()",
        "              if k not in _KNOWN and not (k == 'objectType' and x == _OT)}",
        "        if bad: ex.update(bad)",
        "        o.extra = ex",
        "    return o",
    ]
    exec("\n".join(lines), gen.ns)  # generated from the model's own type hints only
    fn: Callable[[Mapping[str, Any]], Any] = gen.ns["_structure"]
    return fn


def _compile_dump(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    gen = _CodeGen()
    gen.ns.update(_dump=dump, _OT=cls.object_type, _merge=_merge_extra)
    lines = ["def _d(o):", "    out = {}"]
    for a, wire, kind in _fields(cls):
        lines.append(f"    v = o.{a.name}")
        lines.append(f"    if v is not None: out[{wire!r}] = {gen.dump_expr(kind, 'v')}")
    lines += [
        "    out['objectType'] = _OT",
        "    ex = o.extra",
        "    if ex: _merge(out, ex)",
        "    return out",
    ]
    exec("\n".join(lines), gen.ns)  # generated from the model's own type hints only
    fn: Callable[[Any], dict[str, Any]] = gen.ns["_d"]
    return fn


def _structure_fn(cls: type[Any]) -> Callable[[Mapping[str, Any]], Any]:
    fn = _STRUCT.get(cls)
    if fn is None:
        fn = _STRUCT[cls] = _compile_struct(cls)
    return fn


def _resolve(base: type[Any], object_type: Any) -> Callable[[Mapping[str, Any]], Any]:
    cls = _REGISTRY.get(object_type) if isinstance(object_type, str) else None
    if cls is None or not issubclass(cls, base):
        cls = base
        ot_str = object_type if isinstance(object_type, str) else ""
        if base is KalturaObject and ot_str.endswith("ListResponse"):
            cls = ListResponse
    refine = getattr(cls, "_refine", None) if "_refine" in cls.__dict__ else None
    if refine is not None:
        default = _structure_fn(cls)

        def refined(d: Mapping[str, Any]) -> Any:
            sub = refine(d)
            if sub is None:
                return default(d)
            return _structure_fn(sub)(d)

        return refined
    return _structure_fn(cls)


def _poly_parser(base: type[Any]) -> Callable[[Any], Any]:
    """A function parsing a dict as ``base`` or the subclass its ``objectType`` names."""
    fn = _POLY.get(base)
    if fn is not None:
        return fn
    cache: dict[Any, Callable[[Mapping[str, Any]], Any]] = {}

    def poly(d: Any) -> Any:
        if d.__class__ is not dict:
            if isinstance(d, Mapping):
                d = dict(d)
            elif isinstance(d, KalturaObject):
                return d
            else:
                raise ParseError(f"expected a JSON object for {base.__name__}, got {d!r}")
        ot = d.get("objectType")
        try:
            f = cache[ot]
        except KeyError:
            f = cache[ot] = _resolve(base, ot)
        except TypeError:  # unhashable objectType
            f = _resolve(base, None)
        return f(d)

    _POLY[base] = poly
    return poly


# --- public API ---------------------------------------------------------------------------------


@overload
def parse(obj: Mapping[str, Any]) -> KalturaObject: ...
@overload
def parse(obj: Mapping[str, Any], as_type: type[T]) -> T: ...
def parse(obj: Mapping[str, Any], as_type: type[Any] = KalturaObject) -> Any:
    """Parse a Kaltura JSON object into its model.

    The class is chosen by ``objectType`` among the subclasses of ``as_type`` (default: any
    registered model); an unknown ``objectType`` falls back to ``as_type`` and keeps every
    property in ``extra``.  ``parse(obj, EntryVendorTask)`` is typed as ``EntryVendorTask``.
    """
    if not (isinstance(as_type, type) and issubclass(as_type, KalturaObject)):
        raise TypeError(f"as_type must be a KalturaObject model class, not {as_type!r}")
    return _poly_parser(as_type)(obj)


def dump(model: KalturaObject) -> dict[str, Any]:
    """The Kaltura JSON dict of ``model``: camelCase names, ``objectType``, no ``None`` values."""
    cls = model.__class__
    fn = _DUMP.get(cls)
    if fn is None:
        fn = _DUMP[cls] = _compile_dump(cls)
    return fn(model)


# --- HTML tables (notebooks) --------------------------------------------------------------------


def html_table(rows: Iterable[tuple[str, object]]) -> str:
    cells = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
        f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
        for k, v in rows
    )
    return f"<table>{cells}</table>"
