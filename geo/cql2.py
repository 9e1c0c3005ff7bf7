"""Reading an items request's `filter` (OGC API – Features Part 3, CQL2 text or JSON) into a checked AST.

No Flask here. `parse_filter` parses with pygeofilter and then checks the
tree against the layer's queryables (geo/queryables.py), so what it returns
is a filter both stores can answer as is:

* every attribute is a queryable of the layer, used as its type allows (a
  geometry only inside a spatial function, text only against text, a date
  against a date or a time stamp, a number against a number);
* every geometry literal — WKT, GeoJSON, `BBOX(…)` — is a `values.Geometry`
  in CRS84 longitude/latitude, moved there from `filter-crs` (geo/crs.py);
* only the operators `SUPPORTED` lists are there: basic CQL2 (comparisons,
  AND/OR/NOT, IS NULL), LIKE, BETWEEN, IN, CASEI and the spatial functions.

Anything else is a `BadParameter` (400) naming `filter` and saying in Chinese
where it went wrong: the character position and the token for a syntax
error, the attribute or operator otherwise. The embedded store evaluates the
tree in geo/filter_eval.py; PostGIS translates it to SQL in
geo/store/filter_sql.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import shapely
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from pygeofilter import ast, values
from pygeofilter.parsers.cql2_json import parse as parse_json
from pygeofilter.parsers.cql2_text import parse as parse_text
from shapely.errors import ShapelyError
from shapely.geometry import box, mapping, shape

from geo.crs import CRS84, Crs, lookup, parse_bbox, to_crs84
from geo.crs import SUPPORTED as CRSS
from geo.errors import BadParameter
from geo.messages import t
from geo.queryables import GEOMETRY, Queryable

LANGS = ("cql2-text", "cql2-json")
# "cql-text" is the draft's name for the text encoding; GDAL's OAPIF driver sends it (and only it). Read as cql2-text.
ALIASES = {"cql-text": "cql2-text"}
COMPARISONS = (ast.Equal, ast.NotEqual, ast.LessThan, ast.LessEqual, ast.GreaterThan, ast.GreaterEqual)
SPATIAL = (ast.GeometryIntersects, ast.GeometryDisjoint, ast.GeometryContains, ast.GeometryWithin,
           ast.GeometryTouches, ast.GeometryCrosses, ast.GeometryOverlaps, ast.GeometryEquals)
SUPPORTED = "AND, OR, NOT, =, <>, <, <=, >, >=, IS NULL, LIKE, BETWEEN, IN, CASEI, S_INTERSECTS, S_DISJOINT, " \
            "S_CONTAINS, S_WITHIN, S_TOUCHES, S_CROSSES, S_OVERLAPS, S_EQUALS"
# CQL2's time literals, which pygeofilter reads leniently (a 13th month becomes a 13th day)
_TIME_LITERAL = re.compile(r"\b(DATE|TIMESTAMP|INTERVAL)\s*\(([^)]*)\)", re.IGNORECASE)
_QUOTED = re.compile(r"'([^']*)'")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.IGNORECASE)
_NUMERIC = ("integer", "number")
_TEMPORAL = ("date", "datetime")


def parse_filter(text: str, lang: str | None, crs: Crs, queryables: Sequence[Queryable]) -> ast.Node:
    """The checked filter of `?filter=text&filter-lang=lang&filter-crs=…` (crs already looked up)."""
    lang = (lang or "cql2-text").strip()
    lang = ALIASES.get(lang, lang)
    if lang not in LANGS:
        raise BadParameter("filter-lang", t("ogc.filter_lang", got=repr(lang), langs=", ".join(LANGS)))
    if not text.strip():
        raise BadParameter("filter", t("ogc.empty_parameter"))
    node = _parse_json(text) if lang == "cql2-json" else _parse_text(text)
    return _Checker({q.name: q for q in queryables}, crs).node(node)


def _parse_text(text: str) -> ast.Node:
    for match in _TIME_LITERAL.finditer(text):
        for value in _QUOTED.findall(match.group(2)):
            _check_time(value, date_only=match.group(1).upper() == "DATE")
    try:
        node = parse_text(text)
    except UnexpectedEOF:
        raise BadParameter("filter", t("ogc.filter_ends_early", position=len(text))) from None
    except (UnexpectedToken, UnexpectedCharacters) as exc:
        raise BadParameter("filter", _syntax(text, exc)) from None
    except (LarkError, ValueError) as exc:  # a literal the grammar accepts but cannot be read (a date, a WKT)
        raise BadParameter("filter", t("ogc.filter_unreadable", detail=_cause(exc))) from None
    if not isinstance(node, ast.Node):
        raise BadParameter("filter", t("ogc.filter_not_condition"))
    return node


def _syntax(text: str, exc: UnexpectedInput) -> str:
    position = (exc.column if getattr(exc, "column", None) not in (None, -1) else (exc.pos_in_stream or 0) + 1)
    token = getattr(exc, "token", None)
    near = str(token) if token not in (None, "") else text[position - 1:position + 9]
    if not near or getattr(token, "type", "") == "$END":
        return t("ogc.filter_ends_early", position=len(text))
    return t("ogc.filter_syntax", position=position, near=repr(near))


def _check_time(value: str, *, date_only: bool) -> None:
    """A CQL2 date (YYYY-MM-DD) or timestamp (RFC 3339) literal that is a real day and time; `..` is an open
    end of an interval."""
    if value == "..":
        return
    if not date_only and _DATE.fullmatch(value):  # an interval's end may be a day
        value += "T00:00:00Z"
    pattern = _DATE if date_only else _TIMESTAMP
    try:
        if not pattern.fullmatch(value):
            raise ValueError(value)
        (date.fromisoformat if date_only else datetime.fromisoformat)(value.upper().replace("Z", "+00:00"))
    except ValueError:
        raise BadParameter("filter", t("ogc.filter_time", got=repr(value))) from None


def _cause(exc: BaseException) -> str:
    inner = getattr(exc, "orig_exc", None)
    return str(inner or exc).splitlines()[0][:200]


def _parse_json(text: str) -> ast.Node:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadParameter("filter", t("ogc.filter_json", position=exc.pos + 1, detail=exc.msg)) from None
    _check_json_times(doc)
    try:
        node = parse_json(_normalise_json(doc))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, ShapelyError) as exc:
        raise BadParameter("filter", t("ogc.filter_unreadable", detail=str(exc)[:200])) from None
    if not isinstance(node, ast.Node):
        raise BadParameter("filter", t("ogc.filter_not_condition"))
    return node


def _check_json_times(doc: Any) -> None:
    """Every `{"date": …}`, `{"timestamp": …}` and `{"interval": […]}` of a CQL2 JSON filter is a real time."""
    if isinstance(doc, list):
        for item in doc:
            _check_json_times(item)
    elif isinstance(doc, dict):
        for key, value in doc.items():
            if key in ("date", "timestamp") and isinstance(value, str):
                _check_time(value, date_only=key == "date")
            elif key == "interval" and isinstance(value, list):
                for end in value:
                    if isinstance(end, str):
                        _check_time(end, date_only=False)
                    else:
                        _check_json_times(end)
            else:
                _check_json_times(value)


def _normalise_json(doc: Any) -> Any:
    """CQL2 JSON as the standard writes it, in the shape pygeofilter's reader takes: a bbox's numbers in
    Envelope order (x1, x2, y1, y2) and `between`'s three arguments as a value and a pair."""
    if isinstance(doc, list):
        return [_normalise_json(x) for x in doc]
    if not isinstance(doc, dict):
        return doc
    if "bbox" in doc and isinstance(doc["bbox"], list):
        box = doc["bbox"]
        if len(box) == 6:
            box = [box[0], box[1], box[3], box[4]]
        if len(box) != 4 or not all(isinstance(v, int | float) for v in box):
            raise BadParameter("filter", t("ogc.filter_bbox"))
        return {"bbox": [box[0], box[2], box[1], box[3]]}
    out = {k: _normalise_json(v) for k, v in doc.items()}
    if str(out.get("op", "")).lower() == "between" and isinstance(out.get("args"), list) and len(out["args"]) == 3:
        out["args"] = [out["args"][0], [out["args"][1], out["args"][2]]]
    if "op" in out:
        out["op"] = str(out["op"]).lower() if str(out["op"]).lower() != "isnull" else "isNull"
    return out


class _Checker:
    """Walks the parsed tree: checks attributes and operators, moves geometry literals to CRS84."""

    def __init__(self, queryables: Mapping[str, Queryable], crs: Crs) -> None:
        self.queryables = queryables
        self.crs = crs

    def node(self, node: Any) -> ast.Node:
        if isinstance(node, ast.And | ast.Or):
            return type(node)(self.node(node.lhs), self.node(node.rhs))
        if isinstance(node, ast.Not):
            return ast.Not(self.node(node.sub_node))
        if isinstance(node, ast.Include):
            return node
        if isinstance(node, COMPARISONS):
            lhs, rhs = self.scalar(node.lhs), self.scalar(node.rhs)
            lhs, rhs = self.as_time(rhs, lhs), self.as_time(lhs, rhs)
            self.comparable(node, lhs, [rhs])
            return type(node)(lhs, rhs)
        if isinstance(node, ast.Between):
            lhs, low, high = self.scalar(node.lhs), self.scalar(node.low), self.scalar(node.high)
            low, high = self.as_time(lhs, low), self.as_time(lhs, high)
            self.comparable(node, lhs, [low, high])
            return ast.Between(lhs, low, high, node.not_)
        if isinstance(node, ast.Like):
            lhs = self.scalar(node.lhs)
            pattern = node.pattern.arguments[0] if _is_lower(node.pattern) else node.pattern
            if self.kind(lhs) != "string" or not isinstance(pattern, str):
                raise BadParameter("filter", t("ogc.filter_like"))
            # CQL2's single-character wildcard is `_` (pygeofilter reports '.'): every reader of the node takes `_`
            return ast.Like(lhs, node.pattern if _is_lower(node.pattern) else pattern, node.nocase, node.wildcard,
                            "_", node.escapechar, node.not_)
        if isinstance(node, ast.In):
            lhs = self.scalar(node.lhs)
            if not isinstance(node.sub_nodes, list | tuple):
                raise BadParameter("filter", t("ogc.filter_in_list"))
            items = [self.as_time(lhs, self.scalar(x)) for x in node.sub_nodes]
            if not items or any(isinstance(x, ast.Attribute | ast.Function) for x in items):
                raise BadParameter("filter", t("ogc.filter_in_list"))
            self.comparable(node, lhs, items)
            return ast.In(lhs, items, node.not_)
        if isinstance(node, ast.IsNull):
            lhs = node.lhs
            if not isinstance(lhs, ast.Attribute):
                raise BadParameter("filter", t("ogc.filter_is_null"))
            self.attribute(lhs)
            return ast.IsNull(lhs, node.not_)
        if isinstance(node, SPATIAL):
            return type(node)(self.spatial(node.lhs), self.spatial(node.rhs))
        if isinstance(node, ast.BBox):  # BBOX(geometry, minx, miny, maxx, maxy): S_INTERSECTS with a box
            self.geometry_attribute(node.lhs)
            box = values.Envelope(node.minx, node.maxx, node.miny, node.maxy)
            return ast.GeometryIntersects(node.lhs, self.literal_geometry(box))
        raise BadParameter("filter", t("ogc.filter_operator", operator=_name(node), supported=SUPPORTED))

    # --- operands -----------------------------------------------------------------
    def attribute(self, node: ast.Attribute) -> Queryable:
        q = self.queryables.get(node.name)
        if q is None:
            raise BadParameter("filter", t("ogc.filter_attribute", name=node.name,
                                           queryables=", ".join(self.queryables)))
        return q

    def scalar(self, node: Any) -> Any:
        if isinstance(node, ast.Attribute):
            if self.attribute(node).type == "geometry":
                raise BadParameter("filter", t("ogc.filter_geometry_here", name=node.name))
            return node
        if _is_lower(node):
            inner = self.scalar(node.arguments[0])
            if self.kind(inner) != "string":
                raise BadParameter("filter", t("ogc.filter_casei"))
            return ast.Function("lower", [inner])
        if isinstance(node, ast.Function):
            raise BadParameter("filter", t("ogc.filter_operator", operator=f"{node.name}()", supported=SUPPORTED))
        if isinstance(node, str | bool | int | float | date | datetime):
            return node
        raise BadParameter("filter", t("ogc.filter_operator", operator=_name(node), supported=SUPPORTED))

    def as_time(self, attribute: Any, literal: Any) -> Any:
        """A quoted ISO date or time stamp compared with a date or time queryable, read as one (GDAL writes
        `deadline < '2026-11-01'`; CQL2 writes DATE('2026-11-01')). Anything else is left as it is."""
        if not isinstance(attribute, ast.Attribute) or not isinstance(literal, str):
            return literal
        kind = self.queryables[attribute.name].type
        text = literal.removesuffix("T")  # GDAL writes a day as '2026-11-01T'
        try:
            if kind == "date" and len(text) == 10:
                return date.fromisoformat(text)
            if kind in ("date", "datetime"):
                return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return literal
        return literal

    def kind(self, node: Any) -> str:
        """The type of an operand: a queryable's, or a literal's."""
        if isinstance(node, ast.Attribute):
            return self.queryables[node.name].type
        if _is_lower(node) or isinstance(node, str):
            return "string"
        if isinstance(node, bool):
            return "boolean"
        if isinstance(node, int | float):
            return "number"
        if isinstance(node, datetime):
            return "datetime"
        return "date"

    def comparable(self, node: Any, lhs: Any, others: Sequence[Any]) -> None:
        kinds = {_family(self.kind(x)) for x in (lhs, *others)}
        if len(kinds) != 1:
            names = [x.name for x in (lhs, *others) if isinstance(x, ast.Attribute)]
            raise BadParameter("filter", t("ogc.filter_types", operator=_name(node), name=", ".join(names) or "—",
                                           types=" / ".join(sorted(kinds))))
        if not any(isinstance(x, ast.Attribute | ast.Function) for x in (lhs, *others)):
            raise BadParameter("filter", t("ogc.filter_no_attribute", operator=_name(node)))

    def geometry_attribute(self, node: Any) -> None:
        if not isinstance(node, ast.Attribute) or self.attribute(node).type != "geometry":
            raise BadParameter("filter", t("ogc.filter_spatial_args", geometry=GEOMETRY))

    def spatial(self, node: Any) -> Any:
        if isinstance(node, ast.Attribute):
            self.geometry_attribute(node)
            return node
        if isinstance(node, values.Geometry | values.Envelope) or (
                isinstance(node, ast.Function) and node.name.lower() == "bbox"):
            return self.literal_geometry(node)
        raise BadParameter("filter", t("ogc.filter_spatial_args", geometry=GEOMETRY))

    def literal_geometry(self, node: Any) -> values.Geometry:
        """A geometry literal as a GeoJSON `values.Geometry` in CRS84."""
        if isinstance(node, ast.Function | values.Envelope):
            return self.literal_box(node)
        try:
            geom = shape(node.__geo_interface__)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, ShapelyError) as exc:
            raise BadParameter("filter", t("ogc.filter_unreadable", detail=str(exc)[:200])) from None
        coords = shapely.get_coordinates(geom)
        if not np.isfinite(coords).all():
            raise BadParameter("filter", t("ogc.bbox_not_finite"))
        if not shapely.is_valid(geom):  # the stores would not agree on it (GEOS in PostGIS refuses some)
            raise BadParameter("filter", t("ogc.filter_invalid_geometry", reason=shapely.is_valid_reason(geom)))
        moved = to_crs84(np.array([geom], dtype=object), self.crs)[0]
        lon_lat = shapely.get_coordinates(moved)
        if lon_lat.size and (np.abs(lon_lat[:, 0]).max() > 180 or np.abs(lon_lat[:, 1]).max() > 90):
            raise BadParameter("filter", t("ogc.filter_out_of_range", crs=self.crs.uri))
        return values.Geometry(json.loads(shapely.to_geojson(moved)))

    def literal_box(self, node: ast.Function | values.Envelope) -> values.Geometry:
        """`BBOX(minx, miny, maxx, maxy)` (or 6 numbers with heights) checked as the `bbox` parameter is, as a
        CRS84 polygon; a box across the antimeridian is refused (no campaign spans it)."""
        if isinstance(node, values.Envelope):
            args = [node.x1, node.y1, node.x2, node.y2]
        else:
            args = node.arguments
            if len(args) == 6:
                args = [args[0], args[1], args[3], args[4]]
        if len(args) != 4 or not all(isinstance(a, int | float) and not isinstance(a, bool) for a in args):
            raise BadParameter("filter", t("ogc.filter_bbox"))
        west, south, east, north = parse_bbox(",".join(repr(float(a)) for a in args), self.crs, parameter="filter")
        if west > east:
            raise BadParameter("filter", t("ogc.filter_bbox_antimeridian"))
        return values.Geometry(mapping(box(west, south, east, north)))


def _is_lower(node: Any) -> bool:
    return isinstance(node, ast.Function) and node.name.lower() in ("lower", "casei")


def _family(kind: str) -> str:
    if kind in _NUMERIC:
        return "number"
    if kind in _TEMPORAL:
        return "date"
    return kind


def _name(node: Any) -> str:
    op = getattr(node, "op", None)
    if op is not None:
        return str(op.value if hasattr(op, "value") else op).upper()
    return type(node).__name__.upper()


def filter_crs(text: str | None) -> Crs:
    """The CRS of a filter's geometries (`filter-crs`), CRS84 when not given."""
    crs = lookup(text or CRS84)
    if crs is None:
        raise BadParameter("filter-crs", t("ogc.crs_unknown", got=repr(text), supported=", ".join(CRSS)))
    return crs
