"""`flask --app web import|export|validate|history`, through Flask's CLI test runner."""

from __future__ import annotations

import json

import pytest

from geo.messages import t
from web import create_app


@pytest.fixture
def runner(data_dir, places, clock, tmp_path):
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance")})
    return app.test_cli_runner()


def _edited_geojson(runner, tmp_path, status: str = "rectified"):
    path = tmp_path / "courtyards.geojson"
    result = runner.invoke(args=["export", "--layer", "courtyards", "--format", "geojson", "--out", str(path)])
    assert result.exit_code == 0, result.output
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["status"] = status
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt, name", [("geojson", "x.geojson"), ("gpkg", "x.gpkg"), ("shp", "x.shp.zip"),
                                       ("kml", "x.kml"), ("xlsx", "x.xlsx")])
def test_export_writes_the_filtered_layer_in_each_format(fmt, name, runner, tmp_path):
    out = tmp_path / name
    result = runner.invoke(args=["export", "--layer", "courtyards", "--format", fmt, "--out", str(out),
                                 "--status", "待整改,rectified"])
    assert result.exit_code == 0, result.output
    assert t("cli.exported", count=2, layer="courtyards", file=name, size=f"{out.stat().st_size:,}") in result.output
    assert out.stat().st_size > 0


def test_import_prints_the_preview_and_writes_nothing_without_commit(runner, tmp_path, store):
    path = _edited_geojson(runner, tmp_path)
    result = runner.invoke(args=["import", str(path), "--layer", "courtyards"])
    assert result.exit_code == 0, result.output
    assert t("cli.import_counts", add=0, change=1, unchanged=2, reject=0, absent=0) in result.output
    assert "~ change    c-0001" in result.output and ": status" in result.output
    assert t("cli.dry_run", count=1) in result.output
    assert store.get("courtyards", "c-0001")["properties"]["status"] == "pending"


def test_import_with_commit_applies_it_and_history_shows_who_changed_what(runner, tmp_path, store):
    path = _edited_geojson(runner, tmp_path)
    result = runner.invoke(args=["import", str(path), "--layer", "courtyards", "--commit", "--user", "王五"])
    assert result.exit_code == 0, result.output
    assert t("cli.imported", layer="courtyards", added=0, changed=1, revision=4) in result.output
    assert store.get("courtyards", "c-0001")["properties"]["status"] == "rectified"

    history = runner.invoke(args=["history", "--layer", "courtyards", "c-0001"])
    assert history.exit_code == 0, history.output
    lines = history.output.strip().splitlines()
    assert "张三  create  v1" in lines[0]
    assert "王五  update  v2  状态:待整改 → 已整改" in lines[1]  # in words, as the history page says it


def test_import_json_report_is_machine_readable(runner, tmp_path):
    path = _edited_geojson(runner, tmp_path)
    result = runner.invoke(args=["import", str(path), "--layer", "courtyards", "--json"])
    report = json.loads(result.stdout)
    assert report["counts"]["change"] == 1 and "plan" not in report


def test_validate_exits_with_an_error_when_a_feature_would_be_rejected(runner, tmp_path):
    path = tmp_path / "points.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "一个点", "kind": "楼院", "status": "pending"},
         "geometry": {"type": "Point", "coordinates": [113.63, 34.72]}}]}, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["validate", str(path), "--layer", "courtyards"])
    assert result.exit_code == 1
    assert t("feature.geometry_type_not_allowed", type="Point", layer="楼院·小区", allowed="Polygon, MultiPolygon") in result.output
    assert t("cli.would_reject", count=1) in result.output


def test_a_commit_with_rejections_is_refused_with_a_clear_error(runner, tmp_path, store):
    path = _edited_geojson(runner, tmp_path, status="done")
    result = runner.invoke(args=["import", str(path), "--layer", "courtyards", "--commit"])
    assert result.exit_code == 1
    assert t("feature.unknown_status", status="'done'", statuses="") in result.output and "未导入任何内容" in result.output
    assert store.get("courtyards", "c-0001")["properties"]["status"] == "pending"


def test_an_unsafe_upload_is_refused_without_a_traceback(runner, tmp_path):
    import zipfile

    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../courtyards.shp", b"x")
    result = runner.invoke(args=["import", str(path), "--layer", "courtyards"])
    assert result.exit_code == 1
    assert "指向压缩包之外" in result.output and "Traceback" not in result.output


def test_history_of_an_unknown_place_is_an_error(runner):
    result = runner.invoke(args=["history", "--layer", "courtyards", "c-9999"])
    assert result.exit_code == 1 and "没有编号为 c-9999 的地点" in result.output


def test_import_reads_a_gbk_shapefile_with_a_declared_encoding(runner, tmp_path):
    import zipfile

    import geopandas as gpd
    import pyogrio
    from shapely.geometry import shape

    from tests.exchange.conftest import HOLED

    folder = tmp_path / "gbk"
    folder.mkdir()
    frame = gpd.GeoDataFrame({"名称": ["铁路苗圃健身公园"], "类型": ["小游园"], "状态": ["已验收"]},
                             geometry=[shape(HOLED)], crs="EPSG:4326")
    pyogrio.write_dataframe(frame, folder / "公园.shp", encoding="GBK")
    (folder / "公园.cpg").unlink()
    path = tmp_path / "公园.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)

    result = runner.invoke(args=["import", str(path), "--layer", "courtyards", "--encoding", "GBK"])

    assert result.exit_code == 0, result.output
    assert t("cli.source_encoding", encoding="gb18030", how="declared") in result.output
    assert f"+ add       {t('cli.new_place'):<14} 铁路苗圃健身公园" in result.output
