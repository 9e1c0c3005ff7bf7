"""User text prints as text: no math, no markup."""

from __future__ import annotations

from geo.store import open_store
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
