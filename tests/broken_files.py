"""Broken files, built in code: what a district office's uploads can look like on a bad day.

`broken_files()` returns every kind once — GeoJSON that is truncated,
garbage, empty, in the wrong encoding, with huge or NaN coordinates or of the
wrong type; zipped Shapefiles missing or with truncated parts; GeoPackages
that are not SQLite, have no tables or hold a broken geometry blob; KML that
is malformed, has no placemarks or bad coordinates; XLSX that is not a zip,
has no workbook, the wrong sheets or formulas; zip bombs and archives whose
entries climb out of the folder. Each is a `BrokenFile` with the name the
upload carries. Valid originals (a Shapefile, a GeoPackage, a ledger) are
written with pyogrio and openpyxl into a temporary folder and then damaged.
"""

from __future__ import annotations

import functools
import io
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import orjson
from openpyxl import Workbook
from shapely.geometry import Polygon

X, Y = 113.66, 34.72  # inside the demo campaign


@dataclass(frozen=True)
class BrokenFile:
    what: str  # a test id: "geojson-truncated"
    filename: str
    data: bytes


def _square(x: float = X, y: float = Y, size: float = 0.001) -> list:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def _collection(coordinates: list | str | None = None, gtype: object = "Polygon", **props) -> dict:
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "坏文件1号院", "kind": "楼院", "status": "pending", **props},
        "geometry": {"type": gtype, "coordinates": _square() if coordinates is None else coordinates}}]}


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": ["坏文件1号院", "坏文件2号院"], "status": ["pending", "pending"]},
                            geometry=[Polygon(_square()[0]), Polygon(_square(X + 0.002)[0])], crs="EPSG:4326")


@functools.cache
def _shapefile_parts() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "places.shp"
        _frame().to_file(path, engine="pyogrio", encoding="UTF-8")
        return {p.name: p.read_bytes() for p in sorted(Path(tmp).iterdir())}


@functools.cache
def _geopackage() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "places.gpkg"
        _frame().to_file(path, engine="pyogrio", layer="places")
        return path.read_bytes()


def _geopackage_with_broken_blobs() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "places.gpkg"
        path.write_bytes(_geopackage())
        with sqlite3.connect(path) as db:
            for (trigger,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                db.execute(f'DROP TRIGGER "{trigger}"')  # the spatial index's triggers need SpatiaLite
            column = db.execute("SELECT column_name FROM gpkg_geometry_columns").fetchone()[0]
            db.execute(f'UPDATE places SET "{column}" = ?', (b"GP\x00\x01garbage, not a geometry",))
        return path.read_bytes()


def _empty_sqlite() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "empty.gpkg"
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA application_id = 1196444487")  # 'GPKG', and nothing else
            db.execute("CREATE TABLE notes (x)")
            db.execute("DROP TABLE notes")
        return path.read_bytes()


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _kml(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            f"{body}</Document></kml>").encode()


def _placemark(coordinates: str) -> str:
    return (f"<Placemark><name>坏文件1号院</name><Polygon><outerBoundaryIs><LinearRing><coordinates>{coordinates}"
            "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>")


def broken_files() -> list[BrokenFile]:
    """Every broken file once, in a fixed order."""
    good = orjson.dumps(_collection())
    parts = _shapefile_parts()
    shp = {k: v for k, v in parts.items() if k.endswith((".shp", ".shx", ".dbf", ".prj", ".cpg"))}
    ledger_rows = [["点位编号", "点位名称", "点位状态"], ["c-0001", "兑周村1号院", "pending"]]
    out = [
        # GeoJSON
        BrokenFile("geojson-truncated", "places.geojson", good[: len(good) // 2]),
        BrokenFile("geojson-garbage", "places.geojson", bytes(range(256)) * 16),
        BrokenFile("geojson-empty", "places.geojson", b""),
        BrokenFile("geojson-whitespace", "places.geojson", b" \n\t "),
        BrokenFile("geojson-utf16", "places.geojson", good.decode().encode("utf-16")),
        BrokenFile("geojson-gbk-as-utf8", "places.geojson", good.decode().encode("gbk")),
        BrokenFile("geojson-huge-coordinates", "places.geojson",
                   orjson.dumps(_collection([[[1e300, Y], [X, 1e300], [X, Y], [1e300, Y]]]))),
        BrokenFile("geojson-nan", "places.geojson", good.replace(str(X).encode(), b"NaN", 1)),
        BrokenFile("geojson-infinity", "places.geojson", good.replace(str(Y).encode(), b"Infinity", 1)),
        BrokenFile("geojson-wrong-type", "places.geojson", b'{"type": "Topology", "objects": {}, "arcs": []}'),
        BrokenFile("geojson-features-not-a-list", "places.geojson", b'{"type": "FeatureCollection", "features": {}}'),
        BrokenFile("geojson-geometry-type-object", "places.geojson", orjson.dumps(_collection(gtype={}))),
        BrokenFile("geojson-coordinates-strings", "places.geojson", orjson.dumps(_collection([""], gtype="MultiPolygon"))),
        BrokenFile("geojson-open-ring", "places.geojson",
                   orjson.dumps(_collection([[[X, Y], [X + 0.001, Y], [X + 0.001, Y + 0.001]]]))),
        BrokenFile("geojson-deep-nesting", "places.geojson", b"[" * 200_000 + b"]" * 200_000),
        BrokenFile("geojson-a-list", "places.geojson", b"[null]"),
        # zipped Shapefiles
        *(BrokenFile(f"shapefile-missing-{ext}", "places.zip", _zip({k: v for k, v in shp.items() if not k.endswith(ext)}))
          for ext in (".shp", ".shx", ".dbf")),
        BrokenFile("shapefile-missing-.prj", "places.zip", _zip({k: v for k, v in shp.items() if not k.endswith(".prj")})),
        *(BrokenFile(f"shapefile-truncated-{ext}", "places.zip",
                     _zip({k: (v[: len(v) // 2] if k.endswith(ext) else v) for k, v in shp.items()}))
          for ext in (".shp", ".shx", ".dbf")),
        BrokenFile("shapefile-garbage-.prj", "places.zip",
                   _zip({k: (b"PROJCS[garbage" if k.endswith(".prj") else v) for k, v in shp.items()})),
        BrokenFile("shapefile-bare-.shp", "places.shp", shp["places.shp"]),
        BrokenFile("zip-not-a-zip", "places.zip", b"PK\x03\x04 and then nothing of a zip"),
        BrokenFile("zip-bomb", "places.zip", _zip({"places.shp": b"\0" * (30 * 1024 * 1024)})),
        BrokenFile("zip-path-traversal", "places.zip", _zip({"../../places.shp": shp["places.shp"],
                                                             "../../places.shx": shp["places.shx"],
                                                             "../../places.dbf": shp["places.dbf"]})),
        BrokenFile("zip-absolute-path", "places.zip", _zip({"/etc/places.shp": shp["places.shp"]})),
        BrokenFile("zip-only-photos", "places.zip", _zip({"photo.jpg": b"\xff\xd8\xff\xe0 not really"})),
        # GeoPackage
        BrokenFile("gpkg-not-sqlite", "places.gpkg", b"this is not a GeoPackage " * 40),
        BrokenFile("gpkg-no-tables", "places.gpkg", _empty_sqlite()),
        BrokenFile("gpkg-broken-geometry-blob", "places.gpkg", _geopackage_with_broken_blobs()),
        BrokenFile("gpkg-truncated", "places.gpkg", _geopackage()[:4096]),
        # KML
        BrokenFile("kml-malformed", "places.kml", _kml(_placemark(f"{X},{Y} {X + 0.001},{Y}"))[:-40]),
        BrokenFile("kml-no-placemarks", "places.kml", _kml("<name>空</name>")),
        BrokenFile("kml-bad-coordinates", "places.kml", _kml(_placemark("abc,def ghi,jkl"))),
        BrokenFile("kml-nan-coordinates", "places.kml", _kml(_placemark(f"nan,nan inf,{Y} {X},inf nan,nan"))),
        BrokenFile("kmz-without-kml", "places.kmz", _zip({"doc.txt": b"no kml here"})),
        # XLSX ledgers
        BrokenFile("xlsx-not-a-zip", "台账.xlsx", b"this is not a workbook"),
        BrokenFile("xlsx-zip-without-workbook", "台账.xlsx", _zip({"[Content_Types].xml": b"<Types/>"})),
        BrokenFile("xlsx-broken-xml", "台账.xlsx", _zip({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<workbook"})),
        BrokenFile("xlsx-wrong-sheets", "台账.xlsx", _workbook({"Sheet1": [["a", "b"], [1, 2]]})),
        BrokenFile("xlsx-no-id-column", "台账.xlsx", _workbook({"点位": [["名称"], ["兑周村1号院"]]})),
        BrokenFile("xlsx-formula-cells", "台账.xlsx",
                   _workbook({"点位": [ledger_rows[0], ["=1+1", "=HYPERLINK(\"http://x\")", "=A1"]]})),
        BrokenFile("xlsx-truncated", "台账.xlsx", _workbook({"点位": ledger_rows})[:600]),
        # neither
        BrokenFile("unknown-extension", "places.dwg", b"AC1032 not a drawing we read"),
    ]
    return out
