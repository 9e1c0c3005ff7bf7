"""Exporting a layer, whole or filtered, as GeoJSON, GeoPackage, zipped Shapefile, KML or the XLSX ledger.

`export_layer(store, layer, fmt, filters={"status": "pending,relapsed"})`
returns the file's bytes with a file name and a MIME type, ready for a
download response or for the CLI to write.

- GeoJSON is the layer exactly as stored (RFC 7946, WGS84).
- GeoPackage and Shapefile hold one geometry type per layer: a layer mixing
  polygons and lines (roads) becomes `<layer>_polygons` and `<layer>_lines`.
  `people` and `problems` are JSON text columns. In a GeoPackage 时间节点
  (`deadline`) is a Date field and `updated_at` a DateTime in UTC.
- Shapefile: UTF-8 with a .cpg; DBF field names have at most 10 bytes, so
  longer names are cut and made unique (`fields.csv` in the zip lists them and
  is used on re-import); texts are cut at 254 bytes and the ledger is left
  out (use GeoPackage, GeoJSON or the XLSX ledger for it).
- KML places are filled with their status colour; any text survives (`]]>` too).
- Zip entries carry the UTF-8 flag, so Chinese names unzip correctly everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from geo.config import Campaign, Layer
from geo.errors import BadParameters, FieldError
from geo.exchange.archive import private_dir
from geo.exchange.attributes import status_key
from geo.exchange.containers import zip_files
from geo.geojson_io import collection_bytes, feature_line
from geo.messages import t
from geo.store.base import Store

EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "geojson": (".geojson", "application/geo+json"),
    "gpkg": (".gpkg", "application/geopackage+sqlite3"),
    "shp": (".shp.zip", "application/zip"),
    "kml": (".kml", "application/vnd.google-earth.kml+xml"),
    "xlsx": ("-ledger.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
FILTER_KEYS = ("status", "street", "community", "kind")


@dataclass
class ExportFile:
    data: bytes
    filename: str
    mimetype: str
    count: int  # places exported


def parse_filters(filters: Mapping[str, str | Iterable[str] | None] | None, campaign: Campaign) -> dict[str, set[str]]:
    """{"status": "pending,已整改"} → {"status": {"pending", "rectified"}}; unknown keys and statuses are errors."""
    out: dict[str, set[str]] = {}
    errors = []
    for key, raw in (filters or {}).items():
        if raw is None or raw == "" or raw == ():
            continue
        if key not in FILTER_KEYS:
            errors.append(FieldError(key, t("export.unknown_filter", key=repr(key), filters=", ".join(FILTER_KEYS))))
            continue
        items = raw.split(",") if isinstance(raw, str) else [v for r in raw for v in str(r).split(",")]
        values = {v.strip() for v in items if v.strip()}
        if key == "status":
            values = {status_key(v, campaign) for v in values}
            unknown = sorted(values - set(campaign.status_keys))
            if unknown:
                errors.append(FieldError("status", t("feature.unknown_status", status=", ".join(unknown),
                                                   statuses=", ".join(campaign.status_keys))))
        if values:
            out[key] = values
    if errors:
        raise BadParameters(errors)
    return out


def select_features(features: list[dict], wanted: dict[str, set[str]]) -> list[dict]:
    return [f for f in features if all(f["properties"].get(k) in v for k, v in wanted.items())]


def export_layer(store: Store, layer_id: str, fmt: str, *,
                 filters: Mapping[str, str | Iterable[str] | None] | None = None) -> ExportFile:
    """The layer (or the places matching `filters`) as a file of format `fmt`."""
    layer = store.layer(layer_id)
    if fmt not in EXPORT_FORMATS:
        raise BadParameters([FieldError("format", t("export.unknown_format", format=repr(fmt), formats=", ".join(EXPORT_FORMATS)))])
    chosen = select_features(store.features(layer_id), parse_filters(filters, store.campaign))
    return export_features(chosen, layer, store.campaign, fmt, now=store.clock())


def export_features(features: list[dict], layer: Layer, campaign: Campaign, fmt: str, *, now: datetime) -> ExportFile:
    """The places as a file of format `fmt`; the ledger workbook shows each case as it stands at `now`."""
    suffix, mimetype = EXPORT_FORMATS[fmt]
    filename = f"{layer.id}{suffix}"
    if fmt == "geojson":
        data = collection_bytes((feature_line(f) for f in features), name=layer.id)
    elif fmt == "xlsx":
        from geo.exchange.ledger_xlsx import write_ledger

        data = write_ledger(features, layer, campaign, now)
    else:
        from geo.exchange.formats import write_gdal  # GDAL is loaded by the first such export, not in every worker

        styles = {s.key: f"BRUSH(fc:{s.color}b0);PEN(c:{s.color}ff,w:3px)" for s in campaign.statuses}
        with private_dir() as tmp:
            files = write_gdal(features, fmt, tmp, layer=layer.id, geometry_types=layer.geometry_types,
                               styles=styles if fmt == "kml" else None)
            if fmt == "shp":
                data = zip_files((path.name, path) for path in files)  # names flagged UTF-8
            else:
                data = files[0].read_bytes()
    return ExportFile(data, filename, mimetype, len(features))
