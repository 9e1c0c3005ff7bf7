"""Fixtures for printed maps: the demo campaign copied whole, a small campaign
built in code, the app around either, and poppler helpers to read a PDF back."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from geo.config import load_campaign
from geo.store import open_store
from web import create_app

REPO = Path(__file__).resolve().parents[2]

# Six squares of about 370 × 440 m, one per status, apart from each other, with their sub-district.
SMALL = [
    ("康复前街11号院", "unsurveyed", 113.600, "大学路街道"),
    ("中原东路5号院", "pending", 113.610, "大学路街道"),
    ("兑周村1号院", "in_progress", 113.620, "福华街街道"),
    ("航海小区", "rectified", 113.630, "福华街街道"),
    ("铁路苗圃健身公园", "accepted", 113.640, "福华街街道"),
    ("广秀园", "relapsed", 113.650, "长江路街道"),
]
SIZE = 0.004
Y = 34.700


@pytest.fixture
def demo_dir(data_dir: Path) -> Path:
    """A copy of the whole demo campaign: configuration, layers and boundaries."""
    for folder in ("layers", "boundaries"):
        shutil.copytree(REPO / "data" / folder, data_dir / folder)
    return data_dir


@pytest.fixture
def small_dir(data_dir, clock, make_feature) -> Path:
    """Six large places, one in each status, no boundaries."""
    store = open_store(data_dir, load_campaign(data_dir), clock=clock)
    for name, status, x, street in SMALL:
        store.create("courtyards", make_feature(name, status, x=x, y=Y, size=SIZE, street=street), user="测试")
    store.close()
    return data_dir


def _app(data: Path, clock, tmp_path: Path):
    return create_app({"TESTING": True, "GUATU_DATA": str(data), "GUATU_CLOCK": clock,
                       "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_PUBLIC_VIEW": True})


@pytest.fixture
def small_app(small_dir, clock, tmp_path):
    return _app(small_dir, clock, tmp_path)


@pytest.fixture
def demo_app(demo_dir, clock, tmp_path):
    return _app(demo_dir, clock, tmp_path)


def run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60)


def pdf_text(path: Path) -> str:
    """The PDF's text with its layout kept, so a legend row stays on one line."""
    return run("pdftotext", "-layout", str(path), "-").stdout


def page_size_pts(path: Path) -> tuple[float, float]:
    info = run("pdfinfo", str(path)).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert m, info
    return float(m.group(1)), float(m.group(2))


def rasterise(path: Path, dpi: int, out_dir: Path) -> Path:
    """The first page as a PNG at `dpi`."""
    stem = out_dir / "page"
    run("pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(path), str(stem))
    return stem.with_suffix(".png")
