"""一点一档: a place's dossier PDF, read back — its Chinese texts, its ledger, and exactly its photos."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest

from geo.config import load_campaign
from geo.photos import add_photo
from geo.printing.dossier import render_dossier
from geo.store import open_store
from tests.photos import images
from tests.printing.conftest import pdf_text, run
from tests.web.conftest import PASSWORD, login
from tests.web.test_wall_params import page_options

PLACE = ("roads", "r-0001")  # the demo's 京广路 with two problems and its 四包一


@pytest.fixture
def demo_store(demo_dir, clock):
    store = open_store(demo_dir, load_campaign(demo_dir), clock=clock)
    yield store
    store.close()


def _add(store, role, problem=None, *, colour, taken=None, caption="", size=(96, 72), place=PLACE):
    data = images.jpeg(*size, colour=colour)
    entry, created = add_photo(store, *place, io.BytesIO(data), user="督导员", role=role, problem=problem,
                               taken_at=taken, caption=caption)
    assert created
    return entry


def _print(store, demo_dir, clock, tmp_path, place=PLACE) -> tuple[Path, object]:
    dossier = render_dossier(store, store.campaign, demo_dir, *place, clock())
    path = tmp_path / dossier.filename
    path.write_bytes(dossier.data)
    return path, dossier


def images_by_page(path: Path) -> Counter:
    """How many images each page embeds (poppler's pdfimages)."""
    rows = run("pdfimages", "-list", str(path)).stdout.splitlines()[2:]
    return Counter(int(row.split()[0]) for row in rows)


def page_text(path: Path, page: int) -> str:
    return run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-").stdout


def test_the_dossier_prints_the_place_its_people_its_ledger_and_each_photo_with_its_role_and_time(
        demo_store, demo_dir, clock, tmp_path):
    before = _add(demo_store, "before", "r-0001-p1", colour=(200, 60, 30), taken="2026-11-15T01:30:00Z",
                  caption="东侧人行道")
    after = _add(demo_store, "after", "r-0001-p1", colour=(30, 160, 60), taken="2026-11-22T07:05:00Z")
    check = _add(demo_store, "check", "r-0001-p2", colour=(30, 60, 200), taken="2026-11-23T02:00:00Z")
    site = _add(demo_store, "place", colour=(120, 120, 120), taken="2026-11-20T00:10:00Z")
    path, dossier = _print(demo_store, demo_dir, clock, tmp_path)

    text = pdf_text(path)
    props = demo_store.get(*PLACE)["properties"]
    assert "一点一档" in text and props["name"] in text
    assert "道路 · 福华街街道 · 铁路苗圃社区 · 编号 r-0001" in text
    assert "整改中" in text and "区住建局" in text and "2027-01-28" in text and "“党建+共建”精品街" in text
    for role in demo_store.campaign.roles:  # 四包一: every role with the person holding it
        assert role.label in text and props["people"][role.key] in text
    assert re.search(r"破损路面\s+人行道地砖破损松动\s+2026-11-15\s+2026-11-28\s+铁路苗圃社区 乔桂英\s+整改中", text)
    assert re.search(r"建筑物外墙\s+建筑物外墙瓷砖脱落\s+2026-11-16\s+2026-12-14\s+铁路苗圃社区 武海燕\s+已销号\s+2026-11-23",
                     text)
    assert "问题 r-0001-p1 · 破损路面 · 人行道地砖破损松动" in text
    assert "问题 r-0001-p2 · 建筑物外墙" in text
    # captions: role and time in the campaign's time zone (UTC+8), before and after side by side
    assert re.search(r"整改前 · 2026-11-15 09:30\s+整改后 · 2026-11-22 15:05", text)
    assert "核查 · 2026-11-23 10:00" in text and "现场 · 2026-11-20 08:10" in text
    assert "东侧人行道" in text and "其他照片(共 1 张)" in text
    assert re.search(r"第 1 页 共 \d 页 · 打印于 \d{4}-\d\d-\d\d \d\d:\d\d 北京时间", text)

    assert sum(images_by_page(path).values()) == 4
    assert sorted(dossier.photos) == sorted(e["id"] for e in (before, after, check, site))


def test_a_place_without_photos_prints_without_photo_sections(demo_store, demo_dir, clock, tmp_path):
    path, dossier = _print(demo_store, demo_dir, clock, tmp_path)
    text = pdf_text(path)
    assert "问题台账(共 2 项)" in text and "人行道地砖破损松动" in text
    assert "问题 r-0001-p1 ·" not in text and "其他照片" not in text
    assert images_by_page(path) == Counter() and dossier.photos == []
    assert dossier.pages == 1


def test_photos_flow_over_pages_and_none_is_cut(demo_store, demo_dir, clock, tmp_path):
    for i in range(7):
        _add(demo_store, "before", "r-0001-p1", colour=(30 * i, 90, 200), taken=f"2026-11-1{i}T02:00:00Z")
        _add(demo_store, "after", "r-0001-p1", colour=(200, 30 * i, 90), taken=f"2026-11-2{i}T02:00:00Z",
             size=(72, 96))
    path, dossier = _print(demo_store, demo_dir, clock, tmp_path)
    per_page = images_by_page(path)
    assert dossier.pages >= 2 and sum(per_page.values()) == 14 and len(per_page) >= 2
    for page in range(1, dossier.pages + 1):
        # every image on a page has its caption under it on the same page
        captions = len(re.findall(r"整改[前后] · 2026-11-", page_text(path, page)))
        assert captions == per_page.get(page, 0), page
        assert f"第 {page} 页 共 {dossier.pages} 页" in page_text(path, page)


def test_a_long_ledger_repeats_its_heading_row_on_the_next_page(demo_store, demo_dir, clock, tmp_path):
    feature = demo_store.get(*PLACE)
    problems = list(feature["properties"]["problems"])
    category = demo_store.campaign.categories[0]
    problems += [{"id": f"r-0001-p{n}", "category": category, "description": f"第{n}处问题" + "很长的描述" * 6,
                  "found_on": "2026-11-20", "deadline": "2026-12-20", "responsible": "乔桂英", "status": "open"}
                 for n in range(3, 40)]
    demo_store.update(*PLACE, expected_version=feature["properties"]["version"], user="测试",
                      properties={"problems": problems})
    path, dossier = _print(demo_store, demo_dir, clock, tmp_path)
    assert dossier.pages >= 2
    for page in range(1, dossier.pages + 1):
        assert re.search(r"问题类别\s+问题描述\s+发现日期", page_text(path, page)), page
    assert "第39处问题" in pdf_text(path)


def test_the_dossier_is_served_and_an_unknown_place_is_a_404(demo_app, tmp_path):
    client = demo_app.test_client()
    resp = client.get("/places/roads/r-0001.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"].startswith('inline; filename="dossier-roads-r-0001-')
    path = tmp_path / "served.pdf"
    path.write_bytes(resp.data)
    assert "京广路" in pdf_text(path)
    for url in ("/places/roads/r-9999.pdf", "/places/nowhere/r-0001.pdf"):
        missing = client.get(url)
        assert missing.status_code == 404 and missing.mimetype == "application/problem+json", url
        assert re.search(r"[\u4e00-\u9fff]", missing.get_json()["detail"]), url


def test_editors_get_the_dossier_link_on_the_wall_card_and_in_the_editor_and_viewers_do_not(demo_app):
    demo_app.extensions["guatu_accounts"].create_user("planner", PASSWORD, "editor", "李编")
    template = "/places/__layer__/__id__.pdf"
    public = demo_app.test_client()
    assert page_options(public.get("/wall").get_data(as_text=True))["api"]["dossier"] is None
    editor = demo_app.test_client()
    login(editor, "planner")
    assert page_options(editor.get("/wall").get_data(as_text=True))["api"]["dossier"] == template
    assert f'"dossier": "{template}"' in editor.get("/edit").get_data(as_text=True)


def test_a_photo_whose_file_is_gone_or_damaged_prints_as_a_placeholder(demo_store, demo_dir, clock, tmp_path):
    gone = _add(demo_store, "before", "r-0001-p1", colour=(200, 60, 30), taken="2026-11-15T01:30:00Z")
    damaged = _add(demo_store, "after", "r-0001-p1", colour=(30, 160, 60), taken="2026-11-22T07:05:00Z")
    kept = _add(demo_store, "place", colour=(120, 120, 120))
    demo_store.blobs.path(gone["id"], "preview").unlink()
    demo_store.blobs.path(damaged["id"], "preview").write_bytes(b"\xff\xd8\xff not a whole jpeg")
    path, dossier = _print(demo_store, demo_dir, clock, tmp_path)
    text = pdf_text(path)
    assert text.count("照片文件缺失") == 2
    assert re.search(r"整改前 · 2026-11-15 09:30\s+整改后 · 2026-11-22 15:05", text)  # still captioned
    assert sum(images_by_page(path).values()) == 1 and dossier.photos == [kept["id"]]


def test_long_notes_print_in_full_under_the_map(demo_store, demo_dir, clock, tmp_path):
    notes = "".join(f"第{n}条说明:楼道堆物已清理,待复查。" for n in range(1, 31))
    feature = demo_store.get(*PLACE)
    demo_store.update(*PLACE, expected_version=feature["properties"]["version"], user="测试", properties={"notes": notes})
    path, _ = _print(demo_store, demo_dir, clock, tmp_path)
    assert notes in "".join(pdf_text(path).split())
