"""Reading and writing GIS files through pyogrio/GDAL: GeoJSON, GeoPackage, zipped Shapefile, KML.

Reading (`find_datasets`, `read_datasets`) turns an uploaded file into
`Incoming` features in WGS84: every layer of the file is read, any coordinate
system is reprojected to EPSG:4326, input declared as GCJ-02 is shifted back,
single-part multi-geometries become simple ones, and Shapefile attributes are
decoded with the .cpg's encoding, else the declared one, else the one detected
(strict UTF-8, falling back to GB18030, which also reads GBK and GB2312).
A KML's ExtendedData keeps the names the file gives them (geo/exchange/kml.py).
A file's content must match its extension (a ".geojson" that is really a GDAL
VRT is refused), and GDAL's errors come back as `ValidationError`s without
paths.

Writing (`write_gdal`) produces the export formats; see `geo.exchange.exporter`.
"""

from __future__ import annotations

import csv
import io
import logging
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyogrio
import pyogrio.errors
import shapely
from pyogrio.raw import read as raw_read
from pyogrio.raw import write as raw_write
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from geo.config import Campaign
from geo.errors import FieldError
from geo.exchange.archive import UploadLimits, extract_zip, file_error
from geo.exchange.attributes import Incoming, dbf_names, flat_row, map_row, plan_columns
from geo.exchange.cells import csv_plain, csv_text
from geo.exchange.containers import fix_kml, mask_cdata_end
from geo.exchange.dbf import repair_dbf, shapefile_encoding
from geo.exchange.gcj02 import geometry_to_wgs84
from geo.exchange.kml import declare_simple_data, read_names_as_written
from geo.messages import t

FORMAT_NAMES = {"geojson": "GeoJSON", "gpkg": "GeoPackage", "shp": "Shapefile", "kml": "KML"}
GEO_SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".kml": "kml", ".kmz": "kmz", ".zip": "zip"}
SHAPEFILE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".sbn", ".sbx", ".qix", ".qmd"}
FIELDS_SIDECAR = "fields.csv"  # DBF field name → Guatu property, written into zipped Shapefiles
_GDAL_ERRORS = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, RuntimeError, OSError, ValueError)
_WGS84 = CRS.from_epsg(4326)
_MULTI_TYPE_IDS = (4, 5, 6)  # shapely's ids of MultiPoint, MultiLineString, MultiPolygon
logging.getLogger("pyogrio._io").setLevel(logging.WARNING)  # not "Created 17 records" on every export


@dataclass
class Dataset:
    path: Path
    kind: str  # geojson, gpkg, kml, shp
    shown: str  # the name people recognise: the upload's name or the entry in the zip
    renames: dict[str, str] = field(default_factory=dict)  # DBF field → full name, from fields.csv


@dataclass
class SourceInfo:
    """One layer that was read, as the import report shows it."""

    name: str
    format: str
    features: int
    crs: str | None
    encoding: str | None = None
    encoding_from: str | None = None  # ".cpg", "declared" or "detected"


@dataclass
class ReadResult:
    items: list[Incoming]
    sources: list[SourceInfo]
    warnings: list[str]


# --- finding the data in an upload ------------------------------------------

def find_datasets(saved: Path, filename: str, kind: str, workdir: Path, limits: UploadLimits) -> list[Dataset]:
    """The readable datasets in an upload saved at `saved` (unzipping into `workdir`)."""
    if kind not in ("zip", "kmz"):
        _sniff(saved, kind, filename)
        return [Dataset(saved, kind, filename)]
    files = extract_zip(saved, workdir, limits, archive=filename)
    shown = {f: f.relative_to(workdir).as_posix() for f in files}
    if kind == "kmz":
        kmls = [f for f in files if f.suffix.lower() == ".kml"]
        if not kmls:
            raise file_error(t("upload.no_kml_in_kmz", file=filename))
        return [Dataset(_sniff(f, "kml", shown[f]), "kml", shown[f]) for f in kmls]

    shps = sorted(f for f in files if f.suffix.lower() == ".shp")
    if shps:
        return [_shapefile(shp, files, filename, shown[shp]) for shp in shps]
    others = sorted(f for f in files if GEO_SUFFIXES.get(f.suffix.lower()) in ("geojson", "gpkg", "kml"))
    if others:
        return [Dataset(_sniff(f, GEO_SUFFIXES[f.suffix.lower()], shown[f]), GEO_SUFFIXES[f.suffix.lower()], shown[f])
                for f in others]
    listing = ", ".join(sorted(shown.values())[:8]) or "nothing"
    raise file_error(t("upload.nothing_geographic", file=filename, listing=listing))


def _shapefile(shp: Path, files: list[Path], archive: str, shown: str) -> Dataset:
    parts = {f.suffix.lower(): f for f in files if f.parent == shp.parent and f.stem.lower() == shp.stem.lower()}
    missing = [s for s in (".shx", ".dbf") if s not in parts]
    if missing:
        raise file_error(t("upload.shapefile_parts_missing", file=archive, shp=shown,
                           missing="、".join(shp.stem + s for s in missing)))
    # GDAL looks for sidecars with the .shp's own stem and a lower-case extension.
    for suffix, path in parts.items():
        wanted = shp.with_name(shp.stem + suffix)
        if path != wanted:
            path.rename(wanted)
    _sniff(shp.with_name(shp.stem + ".shp"), "shp", shown)
    renames = {}
    sidecar = next((f for f in files if f.parent == shp.parent and f.name.lower() == FIELDS_SIDECAR), None)
    if sidecar is not None:
        renames = _read_fields_sidecar(sidecar)
    return Dataset(shp.with_name(shp.stem + ".shp"), "shp", shown, renames)


def _read_fields_sidecar(path: Path) -> dict[str, str]:
    try:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        return {}
    return {csv_plain(r[0]): csv_plain(r[1]) for r in rows[1:] if len(r) >= 2 and r[0] and r[1]}


def _sniff(path: Path, kind: str, shown: str) -> Path:
    """Refuse a file whose content is not what its extension says (GDAL would open almost anything)."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    ok = {
        "geojson": text.startswith(b"{"),
        "gpkg": head.startswith(b"SQLite format 3\x00"),
        "kml": text.startswith(b"<") and b"<kml" in head.lower(),
        "shp": head[:4] == b"\x00\x00\x27\x0a",
    }[kind]
    if not ok:
        raise file_error(t("upload.content_mismatch", file=shown, format=FORMAT_NAMES[kind]))
    return path


# --- reading ----------------------------------------------------------------

def read_datasets(datasets: list[Dataset], campaign: Campaign, *, encoding: str | None = None, gcj02: bool = False,
                  source_layer: str | None = None, workdir: Path | None = None) -> ReadResult:
    """Every feature of every layer of the datasets, as `Incoming` items in WGS84."""
    result = ReadResult([], [], [])
    available = []
    for ds in datasets:
        if ds.kind == "kml":  # ExtendedData's names as the file has them (geo/exchange/kml.py)
            read_names_as_written()
            declare_simple_data(ds.path, ds.shown)
        for name, gtype in _layers(ds, workdir):
            label = Path(ds.shown).stem if ds.kind == "shp" else name
            available.append(label)
            if gtype is None or (source_layer and source_layer != label):
                continue
            _read_layer(ds, name, label, campaign, result, encoding=encoding, gcj02=gcj02, workdir=workdir)
    if source_layer and source_layer not in available:
        raise file_error(t("upload.no_such_layer", layer=repr(source_layer), layers="、".join(available) or "-"))
    if not result.sources:
        raise file_error(t("upload.no_geometry_layer"))
    return result


def _gdal_error(exc: Exception, ds: Dataset, workdir: Path | None) -> Exception:
    """GDAL's complaint in one short line, without our temporary paths."""
    if ds.kind == "geojson":
        try:
            orjson.loads(ds.path.read_bytes())
        except orjson.JSONDecodeError as bad:
            return file_error(t("upload.bad_json", file=ds.shown, reason=str(bad)))
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "not recognized as being in a supported file format" in message:
        return file_error(t("upload.invalid_format", file=ds.shown, format=FORMAT_NAMES[ds.kind]))
    if workdir is not None:
        message = message.replace(str(workdir) + "/", "").replace(str(workdir), "")
    if len(message) > 200:
        message = message[:200] + "…"
    return file_error(t("upload.unreadable", file=ds.shown, reason=message))


def _layers(ds: Dataset, workdir: Path | None) -> list[tuple[str, str | None]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return [(str(n), None if t is None else str(t)) for n, t in pyogrio.list_layers(ds.path)]
    except _GDAL_ERRORS as exc:
        raise _gdal_error(exc, ds, workdir) from None


def _read_layer(ds: Dataset, name: str, label: str, campaign: Campaign, result: ReadResult, *,
                encoding: str | None, gcj02: bool, workdir: Path | None) -> None:
    codec, codec_from = (shapefile_encoding(ds.path, encoding, ds.shown) if ds.kind == "shp" else ("utf-8", None))
    if ds.kind == "shp" and repair_dbf(ds.path.with_suffix(".dbf"), codec):
        result.warnings.append(t("import.dbf_cut_character", file=ds.shown))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            meta, _, wkb, columns = raw_read(ds.path, layer=name, encoding=codec if ds.kind == "shp" else None,
                                             datetime_as_string=True, force_2d=True)
    except UnicodeDecodeError:
        raise file_error(t("upload.bad_encoding", file=ds.shown, codec=codec)) from None
    except _GDAL_ERRORS as exc:
        raise _gdal_error(exc, ds, workdir) from None

    fields = [ds.renames.get(str(f), str(f)) for f in meta["fields"]]
    values = [_column_values(col, t, s) for col, t, s in zip(columns, meta["ogr_types"], meta["ogr_subtypes"])]
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    unreadable = np.array([w is not None for w in wkb], dtype=bool) & shapely.is_missing(geoms)
    crs_text = meta.get("crs")
    geoms = _to_wgs84(geoms, crs_text, ds.shown, result.warnings)
    if gcj02:
        geoms = geometry_to_wgs84(geoms)
    geoms = _single_parts(geoms)
    geojson = shapely.to_geojson(geoms)

    plan = plan_columns(fields, campaign, kml=ds.kind == "kml", dbf=ds.kind == "shp")
    result.warnings.extend(f"{label}: {w}" for w in plan.warnings)
    count = len(geojson)
    present = _geojson_keys(ds.path, count) if ds.kind == "geojson" else None
    for i in range(count):
        row = {f: v[i] for f, v in zip(fields, values) if present is None or f in present[i]}
        item = map_row(row, plan, campaign, where=t("store.where_feature", file=label, number=i + 1))
        item.cut_text = ds.kind == "shp"
        if unreadable[i]:
            item.errors.append(_geometry_unreadable(item))
        elif geojson[i] is not None:
            item.geometry = orjson.loads(geojson[i])
        result.items.append(item)
    result.sources.append(SourceInfo(label, FORMAT_NAMES[ds.kind], count, _crs_name(crs_text),
                                     codec if ds.kind == "shp" else "utf-8", codec_from))


def _geojson_keys(path: Path, count: int) -> list[set[str]] | None:
    """The properties each GeoJSON feature really has: GDAL gives every feature every column, and a
    property a feature leaves out must keep its current value, not be cleared."""
    try:
        features = orjson.loads(path.read_bytes()).get("features")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    if not isinstance(features, list) or len(features) != count:
        return None
    keys = []
    for f in features:
        props = f.get("properties") if isinstance(f, dict) else None
        keys.append(set(props) if isinstance(props, dict) else set())
        if isinstance(f, dict) and "id" in f:
            keys[-1].add("id")
    return keys


def _geometry_unreadable(item: Incoming) -> FieldError:
    return FieldError("geometry", t("import.geometry_unreadable"), item.where)


def _column_values(col: np.ndarray, ogr_type: str, subtype: str) -> list[Any]:
    """A column as Python values: None for nulls, ints for integer fields, parsed JSON sub-types."""
    values = col.tolist()
    if ogr_type in ("OFTInteger", "OFTInteger64"):
        out = [None if v is None or (isinstance(v, float) and v != v) else int(v) for v in values]
        return [bool(v) if v is not None and subtype == "OFSTBoolean" else v for v in out]
    if ogr_type == "OFTReal":
        return [None if v is None or v != v else float(v) for v in values]
    if ogr_type == "OFTBinary":
        return [None] * len(values)
    if ogr_type.endswith("List"):  # GeoJSON arrays (DataV's center, acroutes): Python lists
        return [None if v is None else np.asarray(v).tolist() for v in values]
    if subtype == "OFSTJSON":
        return [_json_or_text(v) for v in values]
    if isinstance(col, np.ndarray) and col.dtype.kind in "iuf":
        return [None if isinstance(v, float) and v != v else v for v in values]
    return values


def _json_or_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return value


def _crs_name(crs_text: str | None) -> str | None:
    if not crs_text:
        return None
    try:
        crs = CRS.from_user_input(crs_text)
    except CRSError:
        return crs_text[:80]
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.name


def _to_wgs84(geoms: np.ndarray, crs_text: str | None, shown: str, warnings_out: list[str]) -> np.ndarray:
    present = geoms[~shapely.is_missing(geoms)]
    if not crs_text:
        xy = shapely.get_coordinates(present)
        if len(xy) and (np.abs(xy[:, 0]).max() > 180 or np.abs(xy[:, 1]).max() > 90):
            warnings_out.append(t("import.no_crs_projected", file=shown))
        elif len(xy):
            warnings_out.append(t("import.no_crs_lonlat", file=shown))
        return geoms
    try:
        crs = CRS.from_user_input(crs_text)
    except CRSError:
        raise file_error(t("upload.bad_crs", file=shown, crs=crs_text[:80])) from None
    if crs.equals(_WGS84, ignore_axis_order=True) or crs.to_epsg() in (4326, 4490):
        return geoms  # CGCS2000 (4490) and WGS84 agree to centimetres
    transformer = Transformer.from_crs(crs, _WGS84, always_xy=True)

    def to_wgs84(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, to_wgs84)


def _single_parts(geoms: np.ndarray) -> np.ndarray:
    """MultiPolygons of one polygon (QGIS and Shapefiles make them) become Polygons, and so on."""
    types = shapely.get_type_id(geoms)
    one = np.isin(types, _MULTI_TYPE_IDS) & (shapely.get_num_geometries(geoms) == 1)
    if one.any():
        geoms = geoms.copy()
        geoms[one] = shapely.get_geometry(geoms[one], 0)
    return geoms


# --- writing ----------------------------------------------------------------

# Columns GeoPackage stores as its own Date / DateTime types (everything else is written as the values are).
GPKG_TIME_COLUMNS = {"deadline": "date", "updated_at": "datetime"}
_GDAL_UTC = 100  # GDAL's time zone flag for UTC

_DIMENSION_GROUPS = (("polygons", ("Polygon", "MultiPolygon"), "MultiPolygon"),
                     ("lines", ("LineString", "MultiLineString"), "MultiLineString"),
                     ("points", ("Point", "MultiPoint"), "MultiPoint"))


def write_gdal(features: list[dict], kind: str, folder: Path, *, layer: str, geometry_types: tuple[str, ...],
               styles: dict[str, str] | None = None) -> list[Path]:
    """Write features as GeoPackage, Shapefile(s) or KML into `folder`; returns the files written.

    GeoPackage and Shapefile layers hold one kind of geometry, so a layer with
    both polygons and lines is written as `<layer>_polygons` and `<layer>_lines`.
    Shapefile field names are cut to 10 bytes (see `fields.csv` in the folder)
    and the ledger (`problems`) is left out: a DBF text holds at most 254 bytes.
    """
    rows = [flat_row(f, problems=kind != "shp") for f in features]
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    if not columns:
        columns = ["id", "name", "status"]
    if kind == "kml" and styles is not None:
        columns.append("OGR_STYLE")
        for f, row in zip(features, rows):
            row["OGR_STYLE"] = styles.get((f.get("properties") or {}).get("status"), None)
    geoms = np.array([shapely.from_geojson(orjson.dumps(f["geometry"])) for f in features] or [], dtype=object)

    if kind == "kml":
        path = folder / f"{layer}.kml"
        masked, token = mask_cdata_end(rows)  # libkml would write a "]]>" into its CDATA sections as it is
        _write(path, geoms, masked, columns, columns, driver="LIBKML", layer=layer, gtype="Unknown", promote=False)
        fix_kml(path, token)
        return [path]

    groups = [(suffix, types, gtype) for suffix, types, gtype in _DIMENSION_GROUPS if set(types) & set(geometry_types)]
    masks = [np.array([f["geometry"]["type"] in types for f in features], dtype=bool) for _, types, _ in groups]
    used = [(g, m) for g, m in zip(groups, masks) if m.any()] or [(groups[0], masks[0])]  # an empty export: one empty layer
    written: list[Path] = []
    names = dbf_names(columns) if kind == "shp" else {c: c for c in columns}
    for (suffix, _, gtype), mask in used:
        name = layer if len(groups) == 1 else f"{layer}_{suffix}"
        chosen = [r for r, m in zip(rows, mask) if m]
        if kind == "shp":
            path = folder / f"{name}.shp"
            _write(path, geoms[mask], chosen, columns, [names[c] for c in columns], driver="ESRI Shapefile",
                   layer=name, gtype=gtype, promote=True, encoding="UTF-8")
            written.extend(sorted(folder.glob(f"{name}.*")))
        else:
            path = folder / f"{layer}.gpkg"
            _write(path, geoms[mask], chosen, columns, columns, driver="GPKG", layer=name, gtype=gtype,
                   promote=True, append=bool(written), times=GPKG_TIME_COLUMNS)
            written = [path]
    if kind == "shp":
        sidecar = folder / FIELDS_SIDECAR
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["dbf_field", "property"])
        writer.writerows([csv_text(names[c]), csv_text(c)] for c in columns)  # never a formula in a spreadsheet
        sidecar.write_text(buf.getvalue(), encoding="utf-8")
        written.append(sidecar)
    return written


def _write(path: Path, geoms: np.ndarray, rows: list[dict], columns: list[str], names: list[str], *, driver: str,
           layer: str, gtype: str, promote: bool, encoding: str | None = None, append: bool = False,
           times: dict[str, str] | None = None) -> None:
    data, masks = [], []
    offsets = {}
    for column, name in zip(columns, names):
        values = [r.get(column) for r in rows]
        timed = _time_array(values, (times or {}).get(column))
        if timed is not None:
            data.append(timed)
            masks.append(None)
            if timed.dtype != np.dtype("datetime64[D]"):
                offsets[name] = np.full(len(values), _GDAL_UTC, dtype=np.int16)
            continue
        array, mask = _column_array(values)
        data.append(array)
        masks.append(mask)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # DBF values over 254 bytes are cut; that is documented
        raw_write(path, shapely.to_wkb(geoms) if len(geoms) else np.array([], dtype=object), data, names,
                  field_mask=masks, layer=layer, driver=driver, geometry_type=gtype, crs="EPSG:4326",
                  encoding=encoding, promote_to_multi=promote, append=append, gdal_tz_offsets=offsets or None)


def _time_array(values: list[Any], kind: str | None) -> np.ndarray | None:
    """ISO dates ("2026-12-31") as datetime64[D], or stored UTC times ("2026-11-24T08:00:00Z") as naive UTC
    datetime64[ms]; None when the column is not a time column or holds anything else (it is then written as text)."""
    if kind is None:
        return None
    out = []
    for value in values:
        if value in (None, ""):
            out.append(None)
            continue
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return None
        if kind == "date":
            if len(str(value)) != 10:
                return None
            out.append(moment.date().isoformat())
        else:
            if moment.tzinfo is not None:
                moment = moment.astimezone(UTC).replace(tzinfo=None)
            out.append(moment.isoformat(timespec="milliseconds"))
    return np.array([v or "NaT" for v in out], dtype="datetime64[D]" if kind == "date" else "datetime64[ms]")


def _column_array(values: list[Any]) -> tuple[np.ndarray, np.ndarray | None]:
    present = [v for v in values if v is not None]
    mask = np.array([v is None for v in values], dtype=bool)
    if present and all(isinstance(v, bool) for v in present):
        return np.array([bool(v) for v in values], dtype=bool), mask if mask.any() else None
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        small = all(-2**31 <= v < 2**31 for v in present)  # 32-bit integers keep their type in KML
        return np.array([v or 0 for v in values], dtype=np.int32 if small else np.int64), mask if mask.any() else None
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return np.array([float(v) if v is not None else np.nan for v in values], dtype=np.float64), None
    return np.array([None if v is None else str(v) for v in values], dtype=object), None
