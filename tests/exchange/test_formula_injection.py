"""Ledger text that starts like a formula is written as text by every spreadsheet and CSV writer."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

import openpyxl
import pytest

from geo.daily_report import build_xlsx, report_data
from geo.exchange.exporter import export_layer
from geo.exchange.importer import preview_upload
from tests.exchange.conftest import LAYER

HOSTILE = ['=HYPERLINK("http://evil.example/x","点我")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.fixture
def hostile_place(store, make_feature):
    problems = [{"id": None, "category": "飞线充电", "description": text, "found_on": "2026-11-24",
                 "responsible": text, "status": "open"} for text in HOSTILE]
    for i, p in enumerate(problems):
        p["id"] = f"c-0001-p{i + 1}"
    feature = make_feature(HOSTILE[0], "pending", street="=1+2", community="@A1", notes="-1-1", problems=problems)
    return store.create(LAYER, feature, user="张三").feature


def _cells(ws):
    return [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_the_ledger_export_keeps_formula_like_text_as_text(store, hostile_place):
    exported = export_layer(store, LAYER, "xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(exported.data))
    problems, places = wb["问题台账"], wb["点位"]

    descriptions = [problems.cell(r, 8) for r in range(2, problems.max_row + 1)]
    stored = [p["description"] for p in hostile_place["properties"]["problems"]]  # (the store trims blanks)
    assert [c.value for c in descriptions] == stored
    assert {c.data_type for c in descriptions} == {"s"}
    assert problems.cell(2, 2).value == HOSTILE[0] and problems.cell(2, 3).value == "=1+2"
    place = {h.value: c for h, c in zip(places[1], places[2])}
    assert place["名称"].value == HOSTILE[0] and place["街道"].value == "=1+2" and place["社区"].value == "@A1"
    assert place["备注"].value == "-1-1"
    assert all(c.data_type == "s" for c in _cells(problems) + _cells(places))


def test_a_ledger_with_formula_like_text_reads_back_unchanged(store, hostile_place):
    exported = export_layer(store, LAYER, "xlsx")
    preview = preview_upload(store, LAYER, exported.data, "台账.xlsx")
    assert preview.counts["change"] == 0 and preview.counts["reject"] == 0, preview.items


def test_the_daily_report_keeps_formula_like_text_as_text(store, hostile_place, campaign, clock):
    data = report_data(store, campaign, clock().astimezone(campaign.timezone).date(), clock())
    wb = openpyxl.load_workbook(io.BytesIO(build_xlsx(data)))
    problems = wb["问题"]
    stored = {p["description"] for p in hostile_place["properties"]["problems"]}
    assert stored <= {c.value for c in _cells(problems)}
    assert all(c.data_type == "s" for name in wb.sheetnames for c in _cells(wb[name]))


def test_the_daily_report_title_is_text_even_when_it_looks_like_a_formula(store, campaign, clock):
    data = report_data(store, campaign, datetime(2026, 11, 24).date(), clock())
    data["title"] = "=cmd|' /C calc'!A0"
    ws = openpyxl.load_workbook(io.BytesIO(build_xlsx(data))).worksheets[0]
    assert ws["A1"].data_type == "s" and ws["A1"].value.startswith("=cmd|")


def test_the_shapefile_field_list_csv_prefixes_formula_like_names_and_reads_them_back(store, make_feature):
    store.create(LAYER, make_feature("院", "pending", **{"-备用字段": "x", "=合计": 3}), user="张三")
    exported = export_layer(store, LAYER, "shp")
    with zipfile.ZipFile(io.BytesIO(exported.data)) as zf:
        rows = list(csv.reader(io.StringIO(zf.read("fields.csv").decode("utf-8"))))
    properties = [r[1] for r in rows[1:]]
    assert "'-备用字段" in properties and "'=合计" in properties
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)

    preview = preview_upload(store, LAYER, exported.data, "courtyards.shp.zip")
    assert preview.counts["reject"] == 0 and preview.counts["change"] == 0, preview.items


# --- characters a workbook cannot hold ---------------------------------------------------------

PASTED = "兑周村\x0b三号院\x01"  # a vertical tab a word processor pastes, a control character: XML forbids both


def test_a_hand_edited_control_character_is_written_as_a_replacement_not_a_failed_export(store, make_feature,
                                                                                         campaign, clock, data_dir):
    """The write boundary refuses them; a layer file edited by hand may carry them (the store serves text as
    text), and openpyxl refused the whole workbook: the ledger export and the daily report answered 500."""
    problems = [{"id": "c-0001-p1", "category": "飞线充电", "description": "线缆杂乱", "found_on": "2026-11-24",
                 "status": "open"}]
    store.create(LAYER, make_feature("兑周村三号院", "pending", problems=problems), user="张三")
    path = data_dir / "layers" / f"{LAYER}.geojson"
    path.write_bytes(path.read_bytes().replace("兑周村三号院".encode(), "兑周村\\u000b三号院\\u0001".encode())
                     .replace("线缆杂乱".encode(), "线缆\\u0002杂乱".encode()))
    store = type(store)(data_dir, campaign, clock=clock)
    assert store.get(LAYER, "c-0001")["properties"]["name"] == PASTED

    wb = openpyxl.load_workbook(io.BytesIO(export_layer(store, LAYER, "xlsx").data))
    place = {h.value: c.value for h, c in zip(wb["点位"][1], wb["点位"][2])}
    assert place["名称"] == "兑周村\ufffd三号院\ufffd"
    assert "线缆\ufffd杂乱" in {c.value for c in _cells(wb["问题台账"])}
    data = report_data(store, campaign, datetime(2026, 11, 24).date(), clock())
    report = openpyxl.load_workbook(io.BytesIO(build_xlsx(data)))
    assert "兑周村\ufffd三号院\ufffd" in {c.value for c in _cells(report["问题"])}
