"""The daily report's PDF prints every character it draws: its font holds them, and the catalogue's texts it can
print are all in Noto Sans CJK SC (a missing glyph would print as an empty box)."""

from __future__ import annotations

import logging
import re
import string
import subprocess

from fontTools.ttLib import TTFont

from geo.daily_report import report_data
from geo.daily_report_pdf import _render, layout, report_font
from geo.messages import MESSAGES
from geo.printing.fonts import find_cjk_font
from tests.workflow.test_daily_report import DAY, day_of_work  # noqa: F401  (the fixture)

# the catalogue's keys the report's PDF draws from (headings, figures, verdicts, case levels, photo roles, estimates)
PRINTED = ("report.", "progress.", "photo.role.", "photo.heading", "page.tag.", "scope.level", "case.stage")


def _literal(text: str) -> str:
    """The characters of a catalogue text, without its {placeholders}."""
    return "".join(part for part, *_ in string.Formatter().parse(text))


def test_every_character_the_report_draws_is_in_its_font(seeded, campaign, data_dir, clock, day_of_work,  # noqa: F811
                                                        caplog):
    w = layout(report_data(seeded, campaign, DAY, clock()), seeded, campaign, with_map=False)
    drawn = set(w.drawn_text()) - set(string.whitespace)
    assert "考" in drawn  # 单位考核: the glyph the old tables' font lacked
    cmap = TTFont(report_font(w))["cmap"].getBestCmap()
    assert sorted(ch for ch in drawn if ord(ch) not in cmap) == []
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        pdf = _render(w)
    assert pdf.startswith(b"%PDF") and not [r for r in caplog.records if r.name.startswith("fpdf")]


def test_every_catalogue_text_the_report_can_print_is_in_the_print_font():
    source = find_cjk_font()
    cmap = TTFont(source.path, fontNumber=source.index, lazy=True)["cmap"].getBestCmap()
    texts = {key: _literal(entry["zh"]) for key, entry in MESSAGES.items() if key.startswith(PRINTED)}
    assert len(texts) > 40
    missing = {key: "".join(sorted({ch for ch in text if ord(ch) not in cmap and not ch.isspace()}))
               for key, text in texts.items()}
    assert {key: chars for key, chars in missing.items() if chars} == {}


def test_a_cell_with_newlines_and_a_character_no_font_has_prints_on_one_line(caplog):
    from geo.daily_report_pdf import MISSING_GLYPH, _fit, _Writer

    w = _Writer("日报 2026-11-24", "2026-11-24 17:00")
    w.table("问题", ["问题描述", "责任人"], [["楼道堆物\n电动车🚧飞线", "张\t三"]], [80, 40])
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        pdf = _render(w)
    assert not [r for r in caplog.records if r.name.startswith("fpdf")]  # nothing drawn without a glyph
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert f"楼道堆物 电动车{MISSING_GLYPH}飞线" in text and re.search(r"张 ?三", text)  # one line each
    assert _fit("a\nb", 40) == "a b"
