"""/print over HTTP, the print-map command, and the wall map's print button and print stylesheet."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from geo.messages import t
from tests.printing.conftest import page_size_pts, pdf_text
from web.core.bundles import bundles

WEB = Path(__file__).resolve().parents[2] / "web"


def test_print_returns_a_pdf_with_the_filters_applied(small_app, tmp_path):
    resp = small_app.test_client().get("/print?paper=A4&orientation=portrait&status=pending,relapsed&street=大学路街道")
    assert resp.status_code == 200
    assert resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"].startswith('inline; filename="guatu-A4-portrait-')
    pdf = tmp_path / "filtered.pdf"
    pdf.write_bytes(resp.data)
    assert page_size_pts(pdf) == pytest.approx((595.3, 841.9), abs=0.5)
    text = pdf_text(pdf)
    assert re.search(r"待整改\s+1\b", text)  # 中原东路5号院, the only pending place of 大学路街道
    assert re.search(r"反弹\s+0\b", text)  # 广秀园 is relapsed but in 长江路街道
    assert re.search(r"已验收\s+0\b", text)
    assert "范围：大学路街道" in text and "状态：待整改、反弹" in text


def test_print_returns_a_png_at_the_asked_resolution(small_app):
    resp = small_app.test_client().get("/print?format=png&dpi=150&paper=A4&layers=courtyards&category=飞线充电")
    assert resp.status_code == 200
    assert resp.mimetype == "image/png"
    image = Image.open(io.BytesIO(resp.data))
    assert image.size == (1754, 1240)


@pytest.mark.parametrize("query, parameter", [
    ("paper=Letter", "paper"),
    ("dpi=200&format=png", "dpi"),
    ("bbox=113.6,34.7", "bbox"),
    ("bbox=113.7,34.7,113.6,34.8", "bbox"),
    ("bbox=a,b,c,d", "bbox"),
    ("orientation=upside", "orientation"),
    ("zoom=3", "zoom"),
])
def test_bad_parameters_get_400_with_a_clear_json_message(small_app, query, parameter):
    resp = small_app.test_client().get(f"/print?{query}")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["error"] == "bad_parameter"
    assert body["parameter"] == parameter
    assert body["message"].startswith(f"{parameter}: ")


def test_print_needs_a_viewer_like_every_page(small_dir, clock, tmp_path):
    from web import create_app

    app = create_app({"TESTING": True, "GUATU_DATA": str(small_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "private")})
    resp = app.test_client().get("/print")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_print_map_command_writes_the_file(small_app, tmp_path):
    runner = small_app.test_cli_runner()
    out = tmp_path / "sheets" / "street.pdf"
    result = runner.invoke(args=["print-map", "--out", str(out), "--paper", "A2", "--street", "福华街街道", "--no-labels"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert re.search(r"合计\s+3\b", pdf_text(out))
    png = tmp_path / "street.png"
    result = runner.invoke(args=["print-map", "--out", str(png), "--paper", "A4", "--orientation", "portrait", "--hatch"])
    assert result.exit_code == 0, result.output
    assert Image.open(png).size == (1240, 1754)
    assert re.fullmatch(rf"{re.escape(str(png))}:A4 纵向 PNG,比例尺 1:[\d ]+,\d+ 处点位\n", result.output)


def test_print_map_command_says_what_is_wrong(small_app, tmp_path):
    result = small_app.test_cli_runner().invoke(args=["print-map", "--out", str(tmp_path / "x.pdf"), "--paper", "B4"])
    assert result.exit_code != 0
    assert "paper: " + t("print.unknown_value", value="'B4'", choices="") in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_wall_map_loads_the_print_button_and_the_print_stylesheet(small_app):
    client = small_app.test_client()
    page = client.get("/").data.decode()
    assert "/static/" + bundles().scripts("js/pages/wall.js").entry in page and "css/print.css" in page
    entry = client.get("/static/js/pages/wall.js").data.decode()
    # loaded after the first paint and handed the map: no polling for it
    assert 'import("../print-control.js").then(function (m) { m.attachPrintControl(wall); }' in entry
    js = client.get("/static/js/print-control.js").data.decode()
    assert 't("print.button")' in js and "topright" in js and "PrintDialog" in js and "setTimeout" not in js
    dialog = client.get("/static/js/lib/print-dialog.js").data.decode()
    assert "innerHTML" not in js + dialog and "showModal" in dialog
    assert '"print.button": "打印"' in client.get("/static/js/lib/messages.js").data.decode()
    css = client.get("/static/css/print.css").data.decode()
    assert "@media print" in css and ".leaflet-control-zoom" in css and ".guatu-print-control" in css


def test_filters_that_match_nothing_still_print_the_area_with_zero_counts(small_app, tmp_path):
    resp = small_app.test_client().get("/print?paper=A4&street=大学路街道&status=accepted")
    assert resp.status_code == 200
    pdf = tmp_path / "empty.pdf"
    pdf.write_bytes(resp.data)
    assert re.search(r"合计 0 处", pdf_text(pdf))
