"""A printed PDF carries its words as text in an embedded Chinese font."""

from __future__ import annotations

import re
from collections import Counter

from geo.config import load_campaign
from geo.store import open_store
from tests.printing.conftest import pdf_text, run
from tests.printing.helpers import render


def test_pdf_has_title_legend_labels_and_counts_in_chinese(demo_dir, clock, tmp_path):
    pdf = tmp_path / "demo.pdf"
    sheet = render(demo_dir, clock, pdf, paper="A3", orientation="landscape")
    text = pdf_text(pdf)
    campaign = load_campaign(demo_dir)
    assert campaign.title in text
    assert campaign.subtitle in text
    assert "内部资料 注意保存" in text  # the campaign's print.classification
    for status in campaign.statuses:
        count = sheet.counts[status.key]
        assert re.search(rf"{status.label}\s+{count}\b", text), (status.label, count)
    assert f"比例尺 1:{sheet.scale:,}".replace(",", " ") in text
    assert "数据截至 2026-11-" in text and "北京时间" in text
    assert f"数据来源：{campaign.source}" in text
    assert "各街道整改进度" in text


def test_legend_counts_equal_the_data(demo_dir, clock, tmp_path):
    sheet = render(demo_dir, clock)
    campaign = load_campaign(demo_dir)
    store = open_store(demo_dir, campaign, clock=clock)
    expected = Counter(f["properties"]["status"] for layer in campaign.layers for f in store.features(layer.id))
    store.close()
    assert sheet.counts == {s.key: expected.get(s.key, 0) for s in campaign.statuses}
    assert sum(t for _, t, _ in sheet.streets) == sum(expected.values())


def test_pdf_embeds_the_cjk_font_as_truetype(demo_dir, clock, tmp_path):
    pdf = tmp_path / "demo.pdf"
    render(demo_dir, clock, pdf, paper="A4", orientation="portrait")
    fonts = run("pdffonts", str(pdf))
    rows = fonts.stdout.splitlines()[2:]
    assert rows, fonts.stdout
    assert all("NotoSansCJK" in row for row in rows), fonts.stdout
    for row in rows:
        # name, type (two words), encoding, emb, sub, uni, object, id
        assert re.search(r"CID TrueType\s+Identity-H\s+yes\s+yes\s+yes", row), row
    assert "Mismatch" not in fonts.stderr


def test_progress_table_lists_each_sub_district_with_its_share_done(small_dir, clock, tmp_path):
    pdf = tmp_path / "small.pdf"
    sheet = render(small_dir, clock, pdf)
    assert sheet.streets == [("大学路街道", 2, 0), ("福华街街道", 3, 2), ("长江路街道", 1, 0)]
    text = pdf_text(pdf)
    assert re.search(r"福华街街道\s+3\s+2\s+66\.7%", text), text
    assert re.search(r"合计\s+6\s+2\s+33\.3%", text), text
