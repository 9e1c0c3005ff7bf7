"""Reading other people's files: coordinate systems, GCJ-02, GBK Shapefiles, Chinese column names."""

from __future__ import annotations

import http.server
import io
import json
import threading
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import shape

from geo.exchange.gcj02 import geojson_to_gcj02
from geo.exchange.importer import ImportOptions, preview_upload
from tests.exchange.conftest import HOLED, LAYER, same_shape

GEOD = Geod(ellps="WGS84")


def _gdf(geometries, crs="EPSG:4326", **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=[shape(g) for g in geometries], crs=crs)


def _zip_folder(folder: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, path.name)
    return buf.getvalue()


def _geojson(features: list[dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def _added(preview, index: int = 0) -> dict:
    return preview.plan[index]


def test_a_projected_crs_is_reprojected_to_wgs84(tmp_path, store):
    projected = _gdf([HOLED], 名称=["兑周村1—11号院"], 类型=["楼院"], 状态=["待整改"]).to_crs("EPSG:32649")
    path = tmp_path / "utm.gpkg"
    pyogrio.write_dataframe(projected, path)

    preview = preview_upload(store, LAYER, path.read_bytes(), "utm.gpkg")

    assert preview.counts["add"] == 1
    assert preview.sources[0]["crs"] == "EPSG:32649"
    assert same_shape(_added(preview)["geometry"], HOLED, tolerance=1e-6)


def test_gcj02_input_comes_back_within_half_a_metre_of_the_original(store):
    shifted = geojson_to_gcj02(HOLED)
    data = _geojson([{"type": "Feature", "properties": {"name": "铁路苗圃健身公园", "kind": "小游园", "status": "accepted"},
                      "geometry": shifted}])

    as_is = preview_upload(store, LAYER, data, "amap.geojson")
    converted = preview_upload(store, LAYER, data, "amap.geojson", ImportOptions(gcj02=True))

    def offsets(geometry: dict) -> np.ndarray:
        a = shapely.get_coordinates(shapely.normalize(shape(geometry)))  # rings oriented alike
        b = shapely.get_coordinates(shapely.normalize(shape(HOLED)))
        return GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])[2]

    raw = offsets(_added(as_is)["geometry"])
    assert np.all((raw > 500) & (raw < 600))  # Zhengzhou's GCJ-02 offset
    assert offsets(_added(converted)["geometry"]).max() < 0.5
    assert converted.options["gcj02"] is True


def _gbk_shapefile(folder: Path, **columns) -> Path:
    folder.mkdir(exist_ok=True)
    frame = _gdf([HOLED], **columns)
    path = folder / "楼院.shp"
    pyogrio.write_dataframe(frame, path, encoding="GBK")
    return path


GBK_COLUMNS = {"编号": ["c-0100"], "名称": ["兑周村1—11号院"], "类型": ["无主管楼院"], "街道": ["大学路街道"],
               "社区": ["金桥社区"], "状态": ["已整改"], "责任单位": ["区教育局"], "备注": ["无物业,居民自治"]}


def _assert_gbk_read(preview):
    assert preview.counts == {"add": 1, "change": 0, "unchanged": 0, "reject": 0}, preview.items
    props = _added(preview)["properties"]
    assert props["name"] == "兑周村1—11号院"
    assert props["kind"] == "无主管楼院" and props["street"] == "大学路街道" and props["community"] == "金桥社区"
    assert props["status"] == "rectified" and props["unit"] == "区教育局" and props["notes"] == "无物业,居民自治"
    assert _added(preview)["id"] == "c-0100"


def test_a_gbk_shapefile_with_its_cpg_reads_chinese_names_and_values(tmp_path, store):
    shp = _gbk_shapefile(tmp_path / "gbk", **GBK_COLUMNS)
    assert shp.with_suffix(".cpg").read_text().strip() == "GBK"
    preview = preview_upload(store, LAYER, _zip_folder(shp.parent), "楼院.zip")
    _assert_gbk_read(preview)
    assert preview.sources[0]["encoding_from"] == ".cpg"


def test_a_gbk_shapefile_without_cpg_is_detected_as_gb18030(tmp_path, store):
    shp = _gbk_shapefile(tmp_path / "gbk", **GBK_COLUMNS)
    shp.with_suffix(".cpg").unlink()
    preview = preview_upload(store, LAYER, _zip_folder(shp.parent), "楼院.zip")
    _assert_gbk_read(preview)
    assert preview.sources[0]["encoding"] == "gb18030" and preview.sources[0]["encoding_from"] == "detected"


def test_a_declared_encoding_is_used_when_there_is_no_cpg(tmp_path, store):
    shp = _gbk_shapefile(tmp_path / "gbk", **GBK_COLUMNS)
    shp.with_suffix(".cpg").unlink()
    preview = preview_upload(store, LAYER, _zip_folder(shp.parent), "楼院.zip", ImportOptions(encoding="GBK"))
    _assert_gbk_read(preview)
    assert preview.sources[0]["encoding_from"] == "declared"


def test_a_utf8_shapefile_without_cpg_is_detected_as_utf8_and_cut_names_still_map(tmp_path, store):
    folder = tmp_path / "utf8"
    folder.mkdir()
    frame = _gdf([HOLED], 名称=["航海小区"], 类型=["老旧小区"], 状态=["整改中"], 时间节点=["2026-12-01"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # GDAL cuts 时间节点 to 10 bytes, inside 点
        pyogrio.write_dataframe(frame, folder / "x.shp", encoding="UTF-8")
    (folder / "x.cpg").unlink()

    preview = preview_upload(store, LAYER, _zip_folder(folder), "x.zip")

    assert preview.sources[0]["encoding"] == "utf-8"
    props = _added(preview)["properties"]
    assert props["name"] == "航海小区" and props["status"] == "in_progress"
    assert props["deadline"] == "2026-12-01"  # the DBF kept only 时间节 of 时间节点


def test_chinese_columns_and_labels_are_mapped_and_other_columns_kept(store):
    feature = {"type": "Feature", "properties": {
        "编号": "c-0200", "名称": "中原东路5号院", "类型": "楼院", "街道": "福华街街道", "社区": "祥和社区",
        "整改状态": "待整改", "截止日期": "2026年12月5日", "责任单位": "区政府办", "备注": "夜间施工",
        "网格员": "戴新民", "楼栋数": 6, "物业公司": "无",
    }, "geometry": HOLED}

    preview = preview_upload(store, LAYER, _geojson([feature]), "list.geojson")

    op = _added(preview)
    assert op["id"] == "c-0200"
    props = op["properties"]
    assert props["status"] == "pending" and props["deadline"] == "2026-12-05"
    assert props["unit"] == "区政府办" and props["notes"] == "夜间施工" and props["street"] == "福华街街道"
    assert props["people"] == {"grid_worker": "戴新民"}
    assert props["楼栋数"] == 6 and props["物业公司"] == "无"


def test_a_new_place_without_status_is_added_as_unsurveyed(store):
    data = _geojson([{"type": "Feature", "properties": {"name": "大学路51号院", "kind": "楼院"}, "geometry": HOLED}])
    preview = preview_upload(store, LAYER, data, "x.geojson")
    assert _added(preview)["properties"]["status"] == "unsurveyed"
    assert any("待排查" in note for note in preview.items[0].notes)


def test_one_layer_of_a_multi_layer_file_can_be_chosen(tmp_path, store):
    path = tmp_path / "two.gpkg"
    pyogrio.write_dataframe(_gdf([HOLED], name=["甲院"], kind=["楼院"], status=["pending"]), path, layer="a")
    pyogrio.write_dataframe(_gdf([HOLED], name=["乙院"], kind=["楼院"], status=["pending"]), path, layer="b", append=False)

    both = preview_upload(store, LAYER, path.read_bytes(), "two.gpkg")
    only_b = preview_upload(store, LAYER, path.read_bytes(), "two.gpkg", ImportOptions(source_layer="b"))

    assert both.counts["add"] == 2
    assert [i.name for i in only_b.items] == ["乙院"]


def test_a_kmz_is_read_like_its_kml(store, places):
    from geo.exchange.exporter import export_layer

    kml = export_layer(store, LAYER, "kml").data
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", kml)
    preview = preview_upload(store, LAYER, buf.getvalue(), "courtyards.kmz")
    assert preview.counts["unchanged"] == 3


def test_a_kml_that_links_to_other_servers_is_read_without_fetching_anything(store, places):
    """A KML's NetworkLink, remote style and icon are never followed: an import reads the file it was given."""
    from geo.exchange.exporter import export_layer

    hits: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/vnd.google-earth.kml+xml")
            self.end_headers()
            self.wfile.write(b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>remote</name>'
                             b'<Point><coordinates>113.6,34.7</coordinates></Point></Placemark></Document></kml>')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    remote = f"http://127.0.0.1:{server.server_port}"
    kml = export_layer(store, LAYER, "kml").data.decode()
    links = (f'<Style id="remote"><IconStyle><Icon><href>{remote}/icon.png</href></Icon></IconStyle></Style>'
             f'<NetworkLink><name>more</name><Link><href>{remote}/more.kml</href></Link></NetworkLink>')
    kml = kml.replace("<Placemark", f"{links}<Placemark", 1)
    kml = kml.replace("</name>", f"</name><styleUrl>{remote}/styles.kml#red</styleUrl>")
    assert kml.count(f"{remote}/more.kml") == 1 and kml.count(f"{remote}/styles.kml") >= 3
    try:
        preview = preview_upload(store, LAYER, kml.encode(), "linked.kml")
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []
    assert preview.counts == {"add": 0, "change": 0, "unchanged": 3, "reject": 0}


@pytest.mark.parametrize("name", ["x.geojson", "x.gpkg", "x.kml"])
def test_a_file_whose_content_does_not_match_its_extension_is_refused(name, store):
    from geo.errors import ValidationError

    vrt = b'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>'
    with pytest.raises(ValidationError, match="内容与扩展名不符") as err:
        preview_upload(store, LAYER, vrt, name)
    assert err.value.errors[0].field == "file"
