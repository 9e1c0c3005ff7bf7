"""Screenshots of the wall map for the README and docs, made with the browser test tooling.

    .venv/bin/python -m tests.browser.make_screenshots

Serves a copy of the demo campaign with its made-up history
(`geo.synth.history.write_history`, as `./guatu serve` does; clock fixed at the
demo's "today", 16:00 in Zhengzhou) and writes into docs/screenshots/:

* wall-map.png       /wall at 1920×1080, light theme, dashboard on
* wall-dark-4k.png   /wall?theme=dark at 3840×2160, as a command-room screen
* wall-card.png      /wall at 1920×1080 after searching a place: its card
* print-dialog.png   / at 1920×1080 with the 打印 dialog open, set for one sub-district
* wall-inspections.png  /wall at 1920×1080 with today's inspection list, three places visited
* playback-compare.png  /wall/playback?mode=compare: 整治前/整治后 over the last five weeks
* wall-card-photos.png  /wall at 1920×1080: a place's card with its photos (pictures drawn here, 整改前/整改后)
* field-phone.png    /field/ on a 390 px phone: today's list, the route and the phone's position
* wall-cases.png     /wall at 1920×1080: escalated places (triangles), 三级管理监控, an escalated place's card
* case-phone.png     a case waiting for verification on a 390 px phone, as the demo's inspector sees it
* report-phone.png   /report on a 390 px phone: a resident's report pinned by the phone's position, about to go
* inbox-phone.png    /inbox on a 390 px phone: a unit's handler's notifications after the sender's round

For the last two, today's inspection list is drawn first.
"""

from __future__ import annotations

import io
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

from geo import inspections
from geo.accounts import Accounts
from geo.config import load_campaign
from geo.photos import add_photo
from geo.scope import Scope
from geo.store import open_store
from geo.synth.history import write_history
from tests.browser.harness import REPO, chromium, copy_demo, live_server, open_page, open_phone_page, wait_ready

OUT = REPO / "docs" / "screenshots"
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def _clock() -> datetime:
    return NOW


# Fonts loaded, no map panning or zooming, and two frames drawn since: what the screen shows has settled.
SETTLED = """async () => {
    await document.fonts.ready;
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    return window.guatuPage.walls.every(w => !w.map._animatingZoom && !(w.map._panAnim && w.map._panAnim._inProgress));
}"""


def shoot(browser, server, path: str, name: str, width: int, height: int, then=None) -> Path:
    page, log = open_page(browser, server.url, path, width=width, height=height, page_clock=NOW)  # the header's clock too
    wait_ready(page)
    if "dashboard=0" not in path:
        page.wait_for_selector(".guatu-dashboard .guatu-dash-pct", state="attached", timeout=30_000)
    if then:
        then(page)
    page.wait_for_function(SETTLED)
    page.evaluate("() => { document.documentElement.dataset.guatuBlink = 'on'; }")  # the overnight rings at full strength
    target = OUT / name
    page.screenshot(path=str(target))
    if log.outside or log.console_errors:
        raise RuntimeError(f"{path}: outside requests {log.outside}, console errors {log.console_errors}")
    page.context.close()
    return target


def search(text: str):
    def run(page):
        page.locator(".guatu-search-input").fill(text)
        page.locator(".guatu-search-hit").first.wait_for()
        page.locator(".guatu-search-input").press("Enter")
        page.locator(".guatu-place-card .guatu-card-where").wait_for()
        page.mouse.move(5, 1070)  # no hover tooltip in the picture
    return run


def open_escalated(page) -> None:
    """The card of the dashboard's first escalated case's place (its list may wait on another screen of the
    dashboard: the place is found by its id)."""
    fid = page.locator(".guatu-escalated-list .guatu-alert-row").first.get_attribute("data-id")
    search(fid)(page)


HISTORY_DAYS = 35  # the playback's before/after: five weeks apart


def inspect_today(data: Path) -> None:
    """Today's inspection list (seed 2026), three places visited: ok, a problem, a relapse."""
    campaign = load_campaign(data)
    store = open_store(data, campaign, clock=_clock)
    today = date(2026, 11, 24)
    listing = inspections.generate(store, campaign, today, n=10, seed=2026, user="督导组")
    rows = listing["places"]
    inspections.record(store, campaign, today, rows[0]["id"], result="ok", user="督导组")
    inspections.record(store, campaign, today, rows[1]["id"], result="problem", user="督导组",
                       category=campaign.categories[0], notes="楼道堆放杂物")
    inspections.record(store, campaign, today, rows[2]["id"], result="relapse", user="督导组",
                       category=campaign.categories[1], notes="飞线充电反弹")


PHOTO_PLACE = ("courtyards", "大学路51号院")
PASSWORD = "correct horse battery"


def picture(sky: tuple[int, int, int], wall: tuple[int, int, int], litter: bool) -> bytes:
    """A stand-in for a phone's photo of a courtyard: sky, a building, windows, and heaps of clutter before the
    work (drawn here: the demo has no real photos)."""
    img = Image.new("RGB", (1600, 1200), sky)
    draw = ImageDraw.Draw(img)
    draw.rectangle((200, 300, 1400, 1200), fill=wall)
    for x in range(280, 1350, 180):
        for y in range(380, 900, 170):
            draw.rectangle((x, y, x + 90, y + 110), fill=(70, 90, 110))
    draw.rectangle((0, 1000, 1600, 1200), fill=(150, 150, 140))
    if litter:
        for i in range(9):
            x = 120 + i * 160
            draw.ellipse((x, 930 - (i % 3) * 30, x + 150, 1090), fill=(110 + i * 9, 80, 60))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=88)
    return out.getvalue()


def add_photos(data: Path) -> None:
    """Before and after photos of one place, under its first problem when it has one."""
    campaign = load_campaign(data)
    store = open_store(data, campaign, clock=_clock)
    layer, name = PHOTO_PLACE
    place = next(f for f in store.features(layer) if f["properties"].get("name") == name)
    problems = place["properties"].get("problems") or []
    problem = problems[0]["id"] if problems else None
    shots = [("before", picture((200, 205, 210), (150, 140, 130), True), "2026-11-02T02:10:00Z"),
             ("after", picture((170, 205, 235), (225, 215, 195), False), "2026-11-20T03:30:00Z")]
    for role, data_, when in shots:
        add_photo(store, layer, place["id"], io.BytesIO(data_), user="督导组", role=role if problem else "place",
                  problem=problem, taken_at=when)


def shoot_phone(browser, server, user: str | None, path: str, name: str, ready: str, then=None,
                geolocation: tuple[float, float] | None = None) -> Path:
    """A page on a 390 px phone — signed in as `user` (None: a visitor) — once `ready` is in the page."""
    page, log = open_phone_page(browser, server.url, f"/login?next={path}" if user else path, geolocation=geolocation)
    if user:
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"**{path}")
    page.wait_for_selector(ready, state="attached")
    if then:
        then(page)
    page.wait_for_function("() => document.fonts.ready.then(() => true)")
    target = OUT / name
    page.screenshot(path=str(target))
    if log.outside or log.console_errors:
        raise RuntimeError(f"{path}: outside requests {log.outside}, console errors {log.console_errors}")
    page.context.close()
    return target


def fill_report(page) -> None:
    """A resident's report as it is about to be sent: pinned by the phone's position, a category, a text."""
    page.tap("#report-gps")
    page.wait_for_selector("#report-pin[data-pinned=true]")
    page.select_option("#report-category", "乱堆乱放")
    page.fill("#report-description", "3 号楼单元门口堆满装修垃圾,老人出入不便")


def open_print_dialog(page) -> None:
    """The 打印 button's dialog, set for one sub-district on A3 (the README's Printing section)."""
    page.click("button.guatu-print-open")
    page.wait_for_selector("dialog.guatu-print-dialog[open]")
    page.wait_for_function("() => document.querySelector('select[name=street]').options.length > 1")
    page.check("input[name=scope][value=area]")
    page.select_option("select[name=street]", "大学路街道")


def verifying_case(data: Path) -> tuple[str, str, str]:
    """A demo case waiting for verification, given the 整改后 photo its handler took: (layer, place id, problem id)."""
    campaign = load_campaign(data)
    store = open_store(data, campaign, clock=_clock)
    for layer in campaign.layers:
        for place in store.features(layer.id):
            for problem in place["properties"].get("problems") or ():
                case = problem.get("case") or {}
                if case.get("stage") == "verifying":
                    add_photo(store, layer.id, place["id"], io.BytesIO(picture((170, 205, 235), (225, 215, 195), False)),
                              user=case.get("reported_by") or "zhujianju", role="after", problem=problem["id"],
                              taken_at="2026-11-23T03:30:00Z")
                    return layer.id, place["id"], problem["id"]
    raise RuntimeError("the demo has no case waiting for verification")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = copy_demo(Path(tmp) / "data")
        write_history(data)
        with live_server(data, GUATU_CLOCK=_clock, GUATU_REFRESH_SECONDS=0) as server, chromium() as browser:
            made = [
                shoot(browser, server, "/wall", "wall-map.png", 1920, 1080),
                shoot(browser, server, "/wall?theme=dark", "wall-dark-4k.png", 3840, 2160),
                shoot(browser, server, "/wall", "wall-card.png", 1920, 1080, then=search("大学路51号院")),
                shoot(browser, server, "/?dashboard=0", "print-dialog.png", 1920, 1080, then=open_print_dialog),
                shoot(browser, server, "/wall", "wall-cases.png", 1920, 1080, then=open_escalated),
            ]
        inspect_today(data)
        first = (NOW - timedelta(days=HISTORY_DAYS)).date().isoformat()
        with live_server(data, GUATU_CLOCK=_clock, GUATU_REFRESH_SECONDS=0) as server, chromium() as browser:
            made += [
                shoot(browser, server, "/wall", "wall-inspections.png", 1920, 1080),
                shoot(browser, server, f"/wall/playback?mode=compare&dashboard=0&from={first}&to=2026-11-24", "playback-compare.png",
                      1920, 1080),
            ]
        add_photos(data)
        accounts = Accounts(data.parent / "instance" / "accounts.json")
        accounts.create_user("inspector1", PASSWORD, "editor", "督导组")
        accounts.create_user("duchayuan", PASSWORD, "inspector", "刘芳")
        accounts.create_user("admin1", PASSWORD, "admin", "系统管理员")  # a scope is set only while an admin remains
        accounts.create_user("zhujian", PASSWORD, "editor", "张住建")
        accounts.update_user("zhujian", scope=Scope(units=("区住建局",)))
        case = verifying_case(data)
        with live_server(data, GUATU_CLOCK=_clock, GUATU_REFRESH_SECONDS=0) as server, chromium() as browser:
            made += [
                shoot(browser, server, "/wall", "wall-card-photos.png", 1920, 1080, then=search(PHOTO_PLACE[1])),
                shoot_phone(browser, server, "inspector1", "/field/", "field-phone.png", "html[data-field-ready]",
                            geolocation=(113.62, 34.74)),
                shoot_phone(browser, server, "duchayuan", "/cases/" + "/".join(case), "case-phone.png",
                            "html[data-case-ready]"),
                shoot_phone(browser, server, None, "/report", "report-phone.png", "html[data-report-ready]",
                            then=fill_report, geolocation=(113.66598, 34.73864)),
            ]
            server.app.extensions["guatu_notify"].tick()  # the demo's news told: the bell and the inbox fill
            made.append(shoot_phone(browser, server, "zhujian", "/inbox", "inbox-phone.png", "#inbox-list"))
    for path in made:
        print(path.relative_to(REPO))


if __name__ == "__main__":
    main()
