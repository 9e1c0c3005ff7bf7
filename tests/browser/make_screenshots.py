"""Screenshots of the wall map for the README and docs, made with the browser test tooling.

    .venv/bin/python -m tests.browser.make_screenshots

Serves a copy of the demo campaign (clock fixed at the demo's "today",
16:00 in Zhengzhou) and writes into docs/screenshots/:

* wall-map.png       /wall at 1920×1080, light theme, dashboard on
* wall-dark-4k.png   /wall?theme=dark at 3840×2160, as a command-room screen
* wall-card.png      /wall at 1920×1080 after searching a place: its card
* wall-inspections.png  /wall at 1920×1080 with today's inspection list, three places visited
* playback-compare.png  /wall/playback?mode=compare: 整治前/整治后 over the last five weeks

For the last two the copy is given a history first (`with_history`): the
places done today were pending five weeks ago and moved on a few a day.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from geo import inspections
from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import REPO, chromium, copy_demo, live_server, open_page, wait_ready
from tests.conftest import FakeClock

OUT = REPO / "docs" / "screenshots"
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def _clock() -> datetime:
    return NOW


def shoot(browser, server, path: str, name: str, width: int, height: int, then=None) -> Path:
    page, log = open_page(browser, server.url, path, width=width, height=height)
    wait_ready(page)
    if "dashboard=0" not in path:
        page.wait_for_selector(".guatu-dashboard .guatu-dash-pct", state="attached", timeout=30_000)
    if then:
        then(page)
    page.wait_for_timeout(600)
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


HISTORY_DAYS = 35


def with_history(data: Path) -> None:
    """Give the copy five weeks of journal: every place done today was pending then, started on a random day
    and was finished on a later one; today's statuses are what the demo has."""
    campaign = load_campaign(data)
    clock = FakeClock(NOW - timedelta(days=HISTORY_DAYS))
    store = open_store(data, campaign, clock=clock)
    done = set(campaign.done_statuses)
    rng = np.random.default_rng(7)
    plan: dict[int, list] = {}
    for layer in campaign.layers:
        for f in store.features(layer.id):
            final = f["properties"]["status"]
            if final not in done and final != "in_progress":
                continue
            start = int(rng.integers(1, HISTORY_DAYS - 3))
            plan.setdefault(0, []).append((layer.id, f["id"], "pending"))
            plan.setdefault(start, []).append((layer.id, f["id"], "in_progress"))
            if final != "in_progress":
                plan.setdefault(int(rng.integers(start + 1, HISTORY_DAYS)), []).append((layer.id, f["id"], final))
    for day in sorted(plan):
        clock.now = NOW - timedelta(days=HISTORY_DAYS - day, hours=2)
        for layer_id, fid, status in plan[day]:
            version = store.get(layer_id, fid)["properties"]["version"]
            store.update(layer_id, fid, expected_version=version, user="整治专班", properties={"status": status})


def inspect_today(data: Path) -> None:
    """Today's inspection list (seed 2026), three places visited: ok, a problem, a relapse."""
    campaign = load_campaign(data)
    store = open_store(data, campaign, clock=_clock)
    today = date(2026, 11, 24)
    listing = inspections.generate(store, campaign, data, today, n=10, seed=2026, user="督导组")
    rows = listing["places"]
    inspections.record(store, campaign, data, today, rows[0]["id"], result="ok", user="督导组")
    inspections.record(store, campaign, data, today, rows[1]["id"], result="problem", user="督导组",
                       category=campaign.categories[0], notes="楼道堆放杂物")
    inspections.record(store, campaign, data, today, rows[2]["id"], result="relapse", user="督导组",
                       category=campaign.categories[1], notes="飞线充电反弹")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = copy_demo(Path(tmp) / "data")
        with live_server(data, GUATU_CLOCK=_clock, GUATU_REFRESH_SECONDS=0) as server, chromium() as browser:
            made = [
                shoot(browser, server, "/wall", "wall-map.png", 1920, 1080),
                shoot(browser, server, "/wall?theme=dark", "wall-dark-4k.png", 3840, 2160),
                shoot(browser, server, "/wall", "wall-card.png", 1920, 1080, then=search("大学路51号院")),
            ]
        story = copy_demo(Path(tmp) / "story")
        with_history(story)
        inspect_today(story)
        first = (NOW - timedelta(days=HISTORY_DAYS)).date().isoformat()
        with live_server(story, GUATU_CLOCK=_clock, GUATU_REFRESH_SECONDS=0) as server, chromium() as browser:
            made += [
                shoot(browser, server, "/wall", "wall-inspections.png", 1920, 1080),
                shoot(browser, server, f"/wall/playback?mode=compare&dashboard=0&from={first}&to=2026-11-24", "playback-compare.png",
                      1920, 1080),
            ]
    for path in made:
        print(path.relative_to(REPO))


if __name__ == "__main__":
    main()
