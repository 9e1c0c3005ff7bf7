"""Uploads that must be refused with a clear message: zip bombs, path traversal, wrong or missing files."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile

import pytest

from geo.errors import ValidationError
from geo.exchange.archive import UploadLimits
from geo.exchange.exporter import export_layer
from geo.exchange.importer import ImportOptions, preview_upload
from tests.exchange.conftest import LAYER


def _zip(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _refused(store, data: bytes, filename: str, options: ImportOptions | None = None) -> str:
    with pytest.raises(ValidationError) as err:
        preview_upload(store, LAYER, data, filename, options)
    assert [e.field for e in err.value.errors] == ["file"]
    message = err.value.message
    assert "Traceback" not in message and tempfile.gettempdir() not in message
    return message


@pytest.fixture
def shapefile_parts(store, places) -> dict[str, bytes]:
    exported = zipfile.ZipFile(io.BytesIO(export_layer(store, LAYER, "shp").data))
    return {name: exported.read(name) for name in exported.namelist()}


def test_a_zip_bomb_is_refused_before_anything_is_extracted(store):
    bomb = _zip({"courtyards.shp": b"\0" * (30 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert "zip bomb" in _refused(store, bomb, "bomb.zip")


def test_an_archive_too_large_once_uncompressed_is_refused(store, shapefile_parts):
    limits = UploadLimits(max_uncompressed=1000)
    message = _refused(store, _zip(shapefile_parts), "big.zip", ImportOptions(limits=limits))
    assert "解压后将超过 1000 bytes" in message


def test_an_archive_with_too_many_entries_is_refused(store):
    many = _zip({f"f{i}.txt": b"x" for i in range(30)})
    assert "含 30 个条目" in _refused(store, many, "many.zip", ImportOptions(limits=UploadLimits(max_entries=20)))


@pytest.mark.parametrize("name, reason", [
    ("../courtyards.shp", "指向压缩包之外"),
    ("data/../../courtyards.shp", "指向压缩包之外"),
    ("/etc/courtyards.shp", "绝对路径"),
    ("C:/temp/courtyards.shp", "绝对路径"),
])
def test_entries_that_point_outside_the_archive_are_refused(name, reason, store, shapefile_parts):
    parts = dict(shapefile_parts)
    parts[name] = parts.pop("courtyards.shp")
    assert reason in _refused(store, _zip(parts), "evil.zip")


def test_a_symlink_in_the_archive_is_refused(store, shapefile_parts):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in shapefile_parts.items():
            zf.writestr(name, data)
        link = zipfile.ZipInfo("secrets.dbf")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/passwd")
    assert "符号链接" in _refused(store, buf.getvalue(), "link.zip")


def test_a_shapefile_without_its_dbf_is_explained(store, shapefile_parts):
    parts = {k: v for k, v in shapefile_parts.items() if not k.endswith(".dbf")}
    message = _refused(store, _zip(parts), "courtyards.zip")
    assert "courtyards.shp 旁缺少 courtyards.dbf" in message and ".shx 和 .dbf" in message


def test_a_zip_without_a_shapefile_is_explained(store):
    message = _refused(store, _zip({"说明.txt": "楼院清单".encode(), "photo.jpg": b"\xff\xd8"}), "楼院.zip")
    assert "中没有 Shapefile(.shp)" in message and "说明.txt" in message


def test_a_bare_shp_asks_for_the_zipped_shapefile(store, shapefile_parts):
    message = _refused(store, shapefile_parts["courtyards.shp"], "courtyards.shp")
    assert "压缩成一个 .zip" in message


def test_an_unknown_file_type_lists_the_accepted_ones(store):
    message = _refused(store, b"%PDF-1.7", "report.pdf")
    assert "不能导入 .pdf 类型" in message and ".gpkg" in message and ".xlsx" in message


def test_an_oversized_or_empty_upload_is_refused(store):
    assert "上传上限为" in _refused(store, b"{" + b" " * 2000, "x.geojson",
                                                ImportOptions(limits=UploadLimits(max_bytes=1000)))
    assert "是空文件" in _refused(store, b"", "x.geojson")


def test_a_broken_geopackage_is_reported_without_gdal_paths(store):
    message = _refused(store, b"SQLite format 3\x00" + os.urandom(2000), "broken.gpkg")
    assert message.startswith("file: broken.gpkg 无法读取")


def test_a_declared_encoding_must_exist(store, shapefile_parts):
    with pytest.raises(ValidationError) as err:
        preview_upload(store, LAYER, _zip(shapefile_parts), "x.zip", ImportOptions(encoding="klingon"))
    assert err.value.errors[0].field == "encoding"


def test_the_private_temporary_folder_is_removed_after_success_and_failure(store, shapefile_parts, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    preview_upload(store, LAYER, _zip(shapefile_parts), "ok.zip")
    with pytest.raises(ValidationError):
        preview_upload(store, LAYER, _zip({"../x.shp": b"x"}), "evil.zip")

    assert list(scratch.iterdir()) == []
