"""User text prints as text: no math, no markup."""

from __future__ import annotations

import io
import subprocess

from geo.daily_report import report_data
from geo.daily_report_pdf import build_pdf
from geo.photos import add_photo
from geo.printing.dossier import render_dossier
from geo.store import open_store
from tests.photos import images
from tests.printing.conftest import pdf_text
from tests.printing.helpers import render

TRICKY = r"$\alpha$ <b>x</b>"


def test_name_with_math_and_markup_prints_literally(data_dir, campaign, clock, make_feature, tmp_path):
    store = open_store(data_dir, campaign, clock=clock)
    store.create("courtyards", make_feature(TRICKY, "pending", x=113.63, y=34.70, size=0.01, street=TRICKY), user="测试")
    store.close()
    pdf = tmp_path / "tricky.pdf"
    sheet = render(data_dir, clock, pdf, paper="A4")
    assert TRICKY in sheet.labels
    text = pdf_text(pdf)
    assert TRICKY in text  # the label
    assert "α" not in text  # mathtext would have drawn a Greek alpha


def test_title_parameter_prints_literally(small_dir, clock, tmp_path):
    pdf = tmp_path / "title.pdf"
    render(small_dir, clock, pdf, title="$x^2$ 专项 <i>检查</i>")
    assert "$x^2$ 专项 <i>检查</i>" in pdf_text(pdf)


def test_a_dossier_and_a_daily_report_print_user_text_literally(data_dir, campaign, clock, make_feature, tmp_path):
    store = open_store(data_dir, campaign, clock=clock)
    today = clock().astimezone(campaign.timezone).date()
    place = store.create("courtyards", make_feature(TRICKY, "pending", notes=TRICKY, problems=[
        {"category": campaign.categories[0], "description": TRICKY, "found_on": today.isoformat()}]), user="测试").feature
    problem = place["properties"]["problems"][0]["id"]
    add_photo(store, "courtyards", place["id"], io.BytesIO(images.jpeg()), user="测试", role="before", problem=problem,
              caption=TRICKY)
    dossier = tmp_path / "dossier.pdf"
    dossier.write_bytes(render_dossier(store, campaign, data_dir, "courtyards", place["id"], clock()).data)
    report = build_pdf(report_data(store, campaign, today, clock()), store, campaign,
                       data_dir, clock(), with_map=False)
    store.close()
    for text in (pdf_text(dossier), subprocess.run(["pdftotext", "-", "-"], input=report, capture_output=True,
                                                   check=True).stdout.decode()):
        assert r"$\alpha$" in text and "α" not in text
