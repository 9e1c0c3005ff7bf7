"""The Chinese font is found (or its package named), and the campaign's print settings are read."""

from __future__ import annotations

import json

import pytest

from geo.config import PrintSettings, load_campaign
from geo.errors import ConfigError
from geo.printing import fonts


def test_cjk_font_is_found_and_subset_to_truetype(tmp_path, monkeypatch):
    from fontTools.ttLib import TTFont

    monkeypatch.setenv("GUATU_FONT_CACHE", str(tmp_path))
    path = fonts.print_font("航海小区")
    font = TTFont(path)
    assert "glyf" in font and "CFF " not in font
    cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in "航海小区比例尺数据截至")  # asked for, and always there
    assert fonts.print_font("航海小区") == path  # cached


def test_missing_font_names_the_debian_package(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "_fc_match", lambda weight: None)
    monkeypatch.setattr(fonts, "KNOWN_PATHS", {"regular": (str(tmp_path / "none.ttc"),), "bold": ()})
    fonts.find_cjk_font.cache_clear()
    try:
        with pytest.raises(fonts.FontMissing, match="fonts-noto-cjk"):
            fonts.find_cjk_font()
    finally:
        fonts.find_cjk_font.cache_clear()


def _write(data_dir, **changes):
    raw = json.loads((data_dir / "campaign.json").read_text(encoding="utf-8"))
    raw.update(changes)
    for key in [k for k, v in changes.items() if v is None]:
        del raw[key]
    (data_dir / "campaign.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def test_print_settings_default_when_the_section_is_absent(data_dir):
    _write(data_dir, print=None)
    assert load_campaign(data_dir).printing == PrintSettings(classification="", hatching=False)


def test_print_settings_are_read_and_checked(data_dir):
    assert load_campaign(data_dir).printing.classification == "内部资料 注意保存"
    _write(data_dir, print={"classification": "秘密", "hatching": True})
    assert load_campaign(data_dir).printing == PrintSettings("秘密", True)
    _write(data_dir, print={"hatching": "yes"})
    with pytest.raises(ConfigError) as info:
        load_campaign(data_dir)
    assert any(p.startswith("$.print.hatching") for p in info.value.problems)
