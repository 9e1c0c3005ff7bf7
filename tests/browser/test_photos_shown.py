"""A place's photos where people look, in a real Chromium, offline: the wall card at 4K (newest first, a tap
enlarges), a display link without photos (none shown, none asked for), the editor (drop, file chooser at
390 px, then a save that does not conflict), the readable history and the playback's 整治前/整治后 compare."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from geo.config import load_campaign
from geo.photos import add_photo
from geo.store import open_store
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready
from tests.conftest import FakeClock
from tests.photos.images import jpeg
from tests.waiting import wait_until

PLACE = "c-0001"  # 大学路51号院, with open problem c-0001-p1
PROBLEM = "c-0001-p1"
PASSWORD = "a long password"


@pytest.fixture(scope="module")
def campaign_dir(tmp_path_factory):
    """c-0001 with three photos, an hour apart: 整改前 (of its problem), 现场, 整改后 (of its problem)."""
    data = copy_demo(tmp_path_factory.mktemp("photos") / "data")
    clock = FakeClock(datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    store = open_store(data, load_campaign(data), clock=clock)
    ids = []
    for role, problem, colour in (("before", PROBLEM, (200, 40, 30)), ("place", None, (30, 160, 40)),
                                  ("after", PROBLEM, (30, 60, 200))):
        entry, created = add_photo(store, "courtyards", PLACE, io.BytesIO(jpeg(640, 480, colour=colour)),
                                   user="督导组", role=role, problem=problem)
        assert created
        ids.append(entry["id"])
        clock.advance(hours=1)
    (data / "photo-ids.txt").write_text("\n".join(ids))
    return data


@pytest.fixture(scope="module")
def photo_ids(campaign_dir):
    return (campaign_dir / "photo-ids.txt").read_text().split("\n")  # oldest first: before, place, after


@pytest.fixture(scope="module")
def server(campaign_dir):
    with live_server(campaign_dir) as s:
        yield s


def loaded(page, selector: str) -> bool:
    """Whether every image under `selector` has loaded (a broken image has naturalWidth 0)."""
    return page.evaluate("(sel) => { const imgs = [...document.querySelectorAll(sel)]; "
                         "return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0); }", selector)


def test_the_wall_card_shows_thumbnails_newest_first_and_a_tap_enlarges_one(browser, server, photo_ids):
    page, log = open_page(browser, server.url, "/wall", width=3840, height=2160)
    wait_ready(page)
    page.evaluate("(fid) => guatuPage.walls[0].select('courtyards', fid)", PLACE)
    page.wait_for_selector(".guatu-card-photos .guatu-photo-thumb")
    shown = page.eval_on_selector_all(".guatu-card-photos .guatu-photo-thumb", "bs => bs.map(b => b.dataset.photo)")
    assert shown == list(reversed(photo_ids))  # newest first
    labels = page.eval_on_selector_all(".guatu-card-photos .guatu-photo-role", "xs => xs.map(x => x.textContent)")
    assert labels == ["整改后", "现场", "整改前"]
    wait_until(lambda: loaded(page, ".guatu-card-photos img"), "the thumbnails load")
    page.click(f".guatu-photo-thumb[data-photo='{photo_ids[1]}']")
    page.wait_for_selector(".guatu-lightbox .guatu-lightbox-img")
    wait_until(lambda: loaded(page, ".guatu-lightbox-img"), "the enlarged photo loads")
    assert page.eval_on_selector(".guatu-lightbox-img", "i => i.src").endswith(f"/photos/{photo_ids[1]}/preview.jpg")
    caption = page.inner_text(".guatu-lightbox-caption")
    assert "现场" in caption and "2026/11/20 11:00:00" in caption and "督导组" in caption  # 03:00 UTC in Zhengzhou
    page.click(".guatu-lightbox-next")  # the next one: older
    assert page.eval_on_selector(".guatu-lightbox-img", "i => i.src").endswith(f"/photos/{photo_ids[0]}/preview.jpg")
    page.mouse.move(1920, 300)  # a finger drawn to the left over the backdrop turns to the next one: back to the newest
    page.mouse.down()
    page.mouse.move(1700, 300, steps=5)
    page.mouse.up()
    assert page.eval_on_selector(".guatu-lightbox-img", "i => i.src").endswith(f"/photos/{photo_ids[2]}/preview.jpg")
    assert page.locator(".guatu-lightbox").count() == 1  # the swipe did not close it
    page.click(".guatu-lightbox-close")
    assert page.locator(".guatu-lightbox").count() == 0
    page.click(".guatu-photo-thumb >> nth=0")
    page.mouse.click(20, 20)  # a tap outside the photo closes it too
    assert page.locator(".guatu-lightbox").count() == 0
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def test_a_display_link_shows_photos_only_when_its_link_allows_them(browser, campaign_dir, photo_ids):
    with live_server(campaign_dir, GUATU_PUBLIC_VIEW=False) as private:
        acc = private.app.extensions["guatu_accounts"]
        _, secret = acc.create_display_token("大学路街道大屏", "/wall?street=大学路街道")
        page, log = open_page(browser, private.url, f"/wall?display={secret}", width=3840, height=2160)
        wait_ready(page)
        page.evaluate("(fid) => guatuPage.walls[0].select('courtyards', fid)", PLACE)
        page.wait_for_selector(".guatu-place-card .guatu-card-badges")
        assert page.locator(".guatu-card-photos, .guatu-photo-thumb").count() == 0
        assert not [u for u in log.requests if "/photos/" in u]
        assert log.console_errors == [] and log.outside == []
        page.context.close()
        # a link made with photos shows the thumbnails, and asks for nothing larger
        _, allowed = acc.create_display_token("有照片大屏", "/wall?street=大学路街道", photos=True)
        page, log = open_page(browser, private.url, f"/wall?display={allowed}", width=3840, height=2160)
        wait_ready(page)
        page.evaluate("(fid) => guatuPage.walls[0].select('courtyards', fid)", PLACE)
        page.wait_for_selector(".guatu-card-photos .guatu-photo-thumb")
        wait_until(lambda: loaded(page, ".guatu-card-photos img"), "the link's thumbnails load")
        page.click(".guatu-photo-thumb >> nth=0")
        wait_until(lambda: loaded(page, ".guatu-lightbox-img"), "the enlarged thumbnail loads")
        asked = [u for u in log.requests if "/photos/" in u]
        assert len(asked) == 3 and all("/thumb.jpg?display=" in u for u in asked)
        assert log.console_errors == [] and log.outside == []
        page.context.close()


def test_the_history_reads_the_photo_change_with_its_thumbnail(browser, server, photo_ids):
    page, log = open_page(browser, server.url, f"/places/courtyards/{PLACE}/history")
    text = page.inner_text("main")
    assert "新增照片 1 张(整改后)" in text and "新增照片 1 张(现场)" in text and "新增照片 1 张(整改前)" in text
    assert page.eval_on_selector_all(".history-photo", "xs => xs.map(x => x.dataset.photo)") == list(reversed(photo_ids))
    wait_until(lambda: loaded(page, ".history-photo img"), "the history's thumbnails load")
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def test_the_playback_compare_sets_before_and_after_photos_beside_the_two_maps(browser, server, photo_ids):
    page, log = open_page(browser, server.url, "/wall/playback?from=2026-11-10&to=2026-11-20&mode=compare",
                          width=3840, height=2160)
    page.wait_for_selector("html[data-guatu-playback-ready='true']", state="attached", timeout=30_000)
    page.evaluate("(fid) => guatuPage.playbacks[0].views[1].wall.select('courtyards', fid)", PLACE)
    page.wait_for_selector(".guatu-compare-photos-before .guatu-compare-thumb")
    before = page.eval_on_selector_all(".guatu-compare-photos-before .guatu-compare-thumb", "bs => bs.map(b => b.dataset.photo)")
    after = page.eval_on_selector_all(".guatu-compare-photos-after .guatu-compare-thumb", "bs => bs.map(b => b.dataset.photo)")
    assert (before, after) == ([photo_ids[0]], [photo_ids[2]])  # 整改前 and 整改后; the 现场 photo is neither
    assert "2026-11-20 · 整改前" in page.inner_text(".guatu-compare-photos-before")
    wait_until(lambda: loaded(page, ".guatu-compare-photos img"), "the compare's photos load")
    # each panel sits beside its own map
    left = page.eval_on_selector(".guatu-compare-photos-before", "b => b.getBoundingClientRect().right")
    right = page.eval_on_selector(".guatu-compare-photos-after", "b => b.getBoundingClientRect().left")
    assert left <= 1920 <= right
    assert log.console_errors == [] and log.outside == []
    page.context.close()


@pytest.fixture
def editing(tmp_path):
    data = copy_demo(tmp_path / "data")
    with live_server(data, GUATU_PUBLIC_VIEW=False, GUATU_REFRESH_SECONDS=1) as s:
        s.app.extensions["guatu_accounts"].create_user("planner1", PASSWORD, "editor", "张规划")
        yield s, data


def editor_page(browser, server, **size):
    page, log = open_page(browser, server.url, "/login?next=/edit", **size)
    page.fill("input[name=username]", "planner1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    wait_ready(page)
    page.evaluate("(fid) => guatuPage.editors[0].select('courtyards', fid)", PLACE)
    page.wait_for_selector(f"form.attrs h2:has-text('{PLACE}')")
    page.wait_for_selector(".place-photos .photo-drop")
    return page, log


IMAGE_FILE = """async (colour) => {
    const canvas = document.createElement('canvas');
    canvas.width = 320; canvas.height = 240;
    const g = canvas.getContext('2d');
    g.fillStyle = colour; g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#2040c0'; g.fillRect(0, 0, 160, 240);
    const blob = await new Promise(r => canvas.toBlob(r, 'image/jpeg', 0.9));
    const dt = new DataTransfer();
    dt.items.add(new File([blob], '现场.jpg', {type: 'image/jpeg'}));
    return dt;
}"""
DROP = "async () => { const dt = await (" + IMAGE_FILE + """)('#c03020');
    document.querySelector('.place-photos .photo-drop')
        .dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true})); }"""
PASTE = "async () => { const dt = await (" + IMAGE_FILE + """)('#20a040');
    document.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true})); }"""


def test_the_editor_uploads_a_dropped_photo_and_saves_after_it_without_conflict(browser, editing):
    server, data = editing
    page, log = editor_page(browser, server)
    wall = page.context.new_page()  # a wall screen showing the place's card, signed in as the same planner
    wall.goto(server.url + "/wall")
    wait_ready(wall)
    wall.evaluate("(fid) => guatuPage.walls[0].select('courtyards', fid)", PLACE)
    wall.wait_for_selector(".guatu-place-card .guatu-card-badges")
    assert wall.locator(".guatu-photo-thumb").count() == 0
    page.evaluate(DROP)
    page.wait_for_selector(".message-ok:has-text('照片已上传')")
    wall.wait_for_selector(".guatu-card-photos .guatu-photo-thumb", timeout=10_000)  # within a poll of the open card
    page.wait_for_selector(".place-photos .guatu-photo-item img")
    wait_until(lambda: loaded(page, ".place-photos .guatu-photo-item img"), "the new thumbnail loads")
    page.fill("form.attrs textarea[name=notes]", "照片后再改备注")
    page.click("button[data-action=save]")
    page.wait_for_selector(".message-ok:has-text('已保存'), .message-error, .message-conflict")
    assert page.locator(".message-conflict, .message-error").count() == 0
    stored = open_store(data, load_campaign(data)).get("courtyards", PLACE)["properties"]
    assert stored["notes"] == "照片后再改备注" and [p["role"] for p in stored["photos"]] == ["place"]
    # a pasted image goes to the place too; then one photo removed, after a confirmation, and a save again
    page.evaluate(PASTE)
    page.wait_for_selector(".message-ok:has-text('照片已上传')")
    assert page.locator(".place-photos .guatu-photo-item").count() == 2
    first = stored["photos"][0]["id"]
    page.once("dialog", lambda d: d.accept())
    page.click(f".place-photos .guatu-photo-item[data-photo='{first}'] button[data-action=photo-remove]")
    page.wait_for_selector(".message-ok:has-text('照片已删除')")
    assert page.locator(".place-photos .guatu-photo-item").count() == 1
    page.fill("form.attrs textarea[name=notes]", "删照片后再改备注")
    page.click("button[data-action=save]")
    page.wait_for_selector(".message-ok:has-text('已保存'), .message-conflict")  # the message was 照片已删除
    assert page.locator(".message-conflict").count() == 0
    stored = open_store(data, load_campaign(data)).get("courtyards", PLACE)["properties"]
    assert stored["notes"] == "删照片后再改备注" and len(stored["photos"]) == 1 and stored["photos"][0]["id"] != first
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def test_on_a_phone_the_editor_takes_a_problem_photo_from_the_file_chooser(browser, editing):
    server, data = editing
    page, log = editor_page(browser, server, width=390, height=844)
    page.click(f"tr[data-problem='{PROBLEM}'] button[data-action=problem-edit]")
    section = f".problem-photos[data-problem='{PROBLEM}']"
    page.wait_for_selector(f"{section} input[name=photo-camera][capture=environment]", state="attached")
    page.select_option(f"{section} select[name=photo-role]", "after")
    page.set_input_files(f"{section} input[name=photo-file]",
                         files=[{"name": "整改后.jpg", "mimeType": "image/jpeg", "buffer": jpeg(800, 600)}])
    page.wait_for_selector(".message-ok:has-text('照片已上传')")
    page.wait_for_selector(f"{section} .guatu-photo-item img")
    wait_until(lambda: loaded(page, f"{section} .guatu-photo-item img"), "the new thumbnail loads")
    assert page.inner_text(f"{section} .guatu-photo-role") == "整改后"
    # not an image: the server's refusal, in Chinese, and nothing stored
    page.set_input_files(f"{section} input[name=photo-file]",
                         files=[{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not a picture at all"}])
    page.wait_for_selector(".message-error:has-text('照片未上传')")
    assert "图片" in page.inner_text(".message-error")
    page.fill("form.attrs input[name=unit]", "区城管局")
    page.click("button[data-action=save]")
    page.wait_for_selector(".message-ok:has-text('已保存'), .message-conflict")
    assert page.locator(".message-conflict").count() == 0
    stored = open_store(data, load_campaign(data)).get("courtyards", PLACE)["properties"]
    assert stored["unit"] == "区城管局"
    assert [(p["role"], p["problem"]) for p in stored["photos"]] == [("after", PROBLEM)]
    assert [e for e in log.console_errors if "responded with a status of 4" not in e] == [] and log.outside == []  # the refusal
    page.context.close()


def test_on_a_wall_with_the_days_inspections_the_card_scrolls_to_its_ledger_below_the_photos(browser, tmp_path):
    """The day's inspections and the legend fill the wall's left column, so the card has the room above them only;
    its photos come first, and the rest of the card (deadline, unit, 四包一, ledger) is still there to scroll to."""
    from tests.field.phone import DAY, EDITOR, call, fixed_clock

    data = copy_demo(tmp_path / "data")
    store = open_store(data, load_campaign(data), clock=FakeClock(datetime(2026, 11, 20, 2, 0, tzinfo=UTC)))
    for colour in ((200, 40, 30), (30, 160, 40), (30, 60, 200)):
        add_photo(store, "courtyards", PLACE, io.BytesIO(jpeg(640, 480, colour=colour)), user="督导组")
    with live_server(data, GUATU_CLOCK=fixed_clock) as server:
        server.app.extensions["guatu_accounts"].create_user(EDITOR[0], EDITOR[1], "editor", "李督导")
        assert call(server, "POST", f"/api/inspections/{DAY}", {"count": 10, "seed": 42})[0] == 201
        page, log = open_page(browser, server.url, "/wall", width=3840, height=2160)
        wait_ready(page)
        page.wait_for_selector(".guatu-inspections li")
        page.evaluate("(fid) => guatuPage.walls[0].select('courtyards', fid)", PLACE)
        page.wait_for_selector(".guatu-place-card .guatu-card-photos .guatu-photo-thumb")
        last = ".guatu-place-card .guatu-card-body > :last-child"
        inside = """(sel) => { const c = document.querySelector('.guatu-place-card').getBoundingClientRect();
            const r = document.querySelector(sel).getBoundingClientRect(); return r.bottom <= c.bottom + 1; }"""
        assert not page.evaluate(inside, last)  # the card is taller than its room
        box = page.locator(".guatu-place-card").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        zoom = page.evaluate("() => guatuPage.walls[0].map.getZoom()")
        for _ in range(10):
            page.mouse.wheel(0, 400)
        wait_until(lambda: page.evaluate(inside, last), "the end of the card scrolls into view")
        assert page.evaluate("() => guatuPage.walls[0].map.getZoom()") == zoom  # the wheel scrolled the card, not the map
        assert log.console_errors == [] and log.outside == []
        page.context.close()
