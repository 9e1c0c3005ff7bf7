"""What a layer's places can be filtered on (OGC API – Features Part 3 queryables), and their types.

No Flask here. `queryables(campaign, layer)` lists a layer's `Queryable`s:
a name, one of the `TYPES`, a Chinese title and, where the values are known,
an enumeration. A name maps to `properties[name]` of a feature, except "id"
(the feature's id) and "geometry" (its geometry). The OGC views publish them
as a JSON Schema (`schema`), the filter parser (geo/cql2.py) checks every
attribute of a filter against them, and both stores read each attribute as
its type says (the embedded store in geo/filter_eval.py, PostGIS in
geo/store/filter_sql.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from geo.config import Campaign, Layer
from geo.messages import t

TYPES = ("string", "integer", "number", "boolean", "date", "datetime", "geometry")
GEOMETRY = "geometry"
ID = "id"
# Each queryable's type: the same for every layer and campaign (so a store can read a filter without the campaign).
TYPE_OF = {"id": "string", "name": "string", "status": "string", "kind": "string", "street": "string",
           "community": "string", "unit": "string", "deadline": "date", "notes": "string", "updated_at": "datetime",
           "updated_by": "string", "version": "integer", GEOMETRY: "geometry"}

# JSON Schema `format` of the geometry (as OGC API – Features Part 5 names them; QGIS and GDAL read it).
_FORMATS = {
    frozenset({"Point"}): "geometry-point",
    frozenset({"MultiPoint"}): "geometry-multipoint",
    frozenset({"Point", "MultiPoint"}): "geometry-point-or-multipoint",
    frozenset({"LineString"}): "geometry-linestring",
    frozenset({"MultiLineString"}): "geometry-multilinestring",
    frozenset({"LineString", "MultiLineString"}): "geometry-linestring-or-multilinestring",
    frozenset({"Polygon"}): "geometry-polygon",
    frozenset({"MultiPolygon"}): "geometry-multipolygon",
    frozenset({"Polygon", "MultiPolygon"}): "geometry-polygon-or-multipolygon",
}


@dataclass(frozen=True)
class Queryable:
    name: str
    type: str  # one of TYPES
    title: str
    enum: tuple[str, ...] | None = None


def queryables(campaign: Campaign, layer: Layer, values: Mapping[str, Sequence[str]] | None = None,
               geometry_types: Sequence[str] = ()) -> list[Queryable]:
    """The layer's queryables. `values`: the text values the layer's places hold (its summary's), given as
    enumerations for street, community and unit; `geometry_types`: the types its places have (else the
    layer's configured ones)."""
    values = values or {}

    def known(key: str) -> tuple[str, ...] | None:
        found = tuple(values.get(key) or ())
        return found or None

    titles = {"id": t("ogc.q_id"), "name": t("ogc.q_name"), "status": t("page.ogc.status"),
              "kind": t("page.ogc.kind"), "street": t("page.ogc.street"), "community": t("page.ogc.community"),
              "unit": t("page.ogc.unit"), "deadline": t("page.ogc.deadline"), "notes": t("page.ogc.notes"),
              "updated_at": t("ogc.q_updated_at"), "updated_by": t("ogc.q_updated_by"), "version": t("ogc.q_version"),
              GEOMETRY: t("page.ogc.geometry")}
    enums = {"status": tuple(campaign.status_keys) or None, "kind": tuple(layer.kinds) or None,
             "street": known("street"), "community": known("community"), "unit": known("unit"),
             GEOMETRY: tuple(geometry_types or layer.geometry_types)}
    return [Queryable(name, kind, titles[name], enums.get(name)) for name, kind in TYPE_OF.items()]


def geometry_format(types: Sequence[str]) -> str:
    """The JSON Schema format naming these geometry types: one kind (with or without its multi form), or any."""
    return _FORMATS.get(frozenset(types), "geometry-any")


def geometry_type(types: Sequence[str]) -> str | None:
    """The one OGC geometry type a layer of these types is declared as: the multi form covers the single one;
    None when they are of different kinds (lines and polygons)."""
    kinds = {x.removeprefix("Multi") for x in types}
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    return f"Multi{kind}" if f"Multi{kind}" in types else kind


def schema(items: Sequence[Queryable], schema_id: str, title: str) -> dict:
    """The queryables as the JSON Schema (2020-12) that /collections/{id}/queryables sends."""
    props: dict[str, dict] = {}
    for q in items:
        if q.type == "geometry":
            entry = {"title": q.title, "format": geometry_format(q.enum or ()), "x-ogc-role": "primary-geometry"}
        elif q.type in ("date", "datetime"):
            entry = {"title": q.title, "type": "string", "format": "date" if q.type == "date" else "date-time"}
        else:
            entry = {"title": q.title, "type": q.type}
            if q.enum:
                entry["enum"] = list(q.enum)
        if q.name == ID:
            entry["x-ogc-role"] = "id"
        props[q.name] = entry
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id, "type": "object",
            "title": title, "properties": props, "additionalProperties": False}


def feature_schema(items: Sequence[Queryable], schema_id: str, title: str) -> dict:
    """The schema of the layer's features (OGC API – Features Part 5, /collections/{id}/schema): the queryables
    with their roles, and the two members that are not queryable, the 四包一 people and the problem ledger."""
    out = schema(items, schema_id, title)
    out["properties"]["people"] = {"title": t("page.ogc.responsible"), "type": "object",
                                   "additionalProperties": {"type": "string"}}
    out["properties"]["problems"] = {"title": t("page.ogc.ledger"), "type": "array", "items": {"type": "object"}}
    out["properties"]["version"]["x-ogc-role"] = "version"  # readOnly: the store counts it
    out["additionalProperties"] = True  # a campaign may keep more
    return out


XS = "http://www.w3.org/2001/XMLSchema"
GML = "http://www.opengis.net/gml/3.2"
_GML_GEOMETRY = {"Point": "PointPropertyType", "MultiPoint": "MultiPointPropertyType",
                 "LineString": "LineStringPropertyType", "MultiLineString": "MultiCurvePropertyType",
                 "Polygon": "PolygonPropertyType", "MultiPolygon": "MultiSurfacePropertyType"}
_XS_TYPES = {"string": "string", "integer": "long", "number": "double", "boolean": "boolean", "date": "date",
             "datetime": "dateTime"}


def gml_schema(items: Sequence[Queryable], layer_id: str) -> bytes:
    """The layer's places as a GML application schema (XSD). GDAL's OAPIF driver takes a layer's geometry type
    from such a schema (a `describedby` link of type application/xml), not from JSON: without it, it guesses
    from the first page of places. The people and the ledger are JSON text, as GeoJSON readers give them."""
    ET.register_namespace("xs", XS)
    ET.register_namespace("gml", GML)
    root = ET.Element(f"{{{XS}}}schema", {"targetNamespace": "urn:guatu", "elementFormDefault": "qualified",
                                          "version": "1.0", "xmlns:gml": GML})  # the gml: in type names
    ET.SubElement(root, f"{{{XS}}}import", {"namespace": GML, "schemaLocation":
                                            "http://schemas.opengis.net/gml/3.2.1/gml.xsd"})
    ET.SubElement(root, f"{{{XS}}}element", {"name": layer_id, "type": f"{layer_id}Type",
                                             "substitutionGroup": "gml:AbstractFeature"})
    kind = ET.SubElement(root, f"{{{XS}}}complexType", {"name": f"{layer_id}Type"})
    content = ET.SubElement(ET.SubElement(kind, f"{{{XS}}}complexContent"), f"{{{XS}}}extension",
                            {"base": "gml:AbstractFeatureType"})
    sequence = ET.SubElement(content, f"{{{XS}}}sequence")
    for q in items:
        if q.name == ID:
            continue
        if q.type == "geometry":
            declared = geometry_type(q.enum or ())
            xs_type = f"gml:{_GML_GEOMETRY[declared]}" if declared else "gml:GeometryPropertyType"
        else:
            xs_type = f"xs:{_XS_TYPES[q.type]}"
        ET.SubElement(sequence, f"{{{XS}}}element", {"name": q.name, "type": xs_type, "minOccurs": "0"})
    for name in ("people", "problems"):
        ET.SubElement(sequence, f"{{{XS}}}element", {"name": name, "type": "xs:string", "minOccurs": "0"})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
