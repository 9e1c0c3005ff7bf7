"""The wall's scripts speak the page's language, in a real Chromium, offline: a browser asking for English
gets the scripts' English texts (web/static/js/lib/messages.js, from geo/messages.py), one asking for
Chinese the Chinese ones."""

from __future__ import annotations

import re

import pytest

from geo.messages import t
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready

CJK = re.compile(r"[\u4e00-\u9fff]")
SCRIPT_TEXTS = """() => ({
    lang: document.documentElement.lang,
    legend: document.querySelector('.guatu-legend h2').textContent,
    overdue: document.querySelector('.guatu-legend-overdue .guatu-legend-label').textContent,
    search: document.querySelector('.guatu-search-input').placeholder,
})"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(copy_demo(tmp_path_factory.mktemp("walllanguage") / "data"), GUATU_REFRESH_SECONDS=0) as s:
        yield s


def test_the_wall_scripts_show_english_texts_to_a_browser_asking_for_english(browser, server):
    page, log = open_page(browser, server.url, "/?refresh=0")
    wait_ready(page)
    chinese = page.evaluate(SCRIPT_TEXTS)
    assert chinese == {"lang": "zh-CN", "legend": t("wall.legend.title"), "overdue": t("wall.legend.overdue"),
                       "search": t("wall.search.placeholder")}
    assert chinese["legend"] == "整改状态"

    assert log.outside == [] and log.console_errors == []
    page.context.close()

    page, log = open_page(browser, server.url, "/?refresh=0", locale="en-US")  # Accept-Language: en-US
    wait_ready(page)
    english = page.evaluate(SCRIPT_TEXTS)
    assert english == {"lang": "en", "legend": t("wall.legend.title", lang="en"),
                       "overdue": t("wall.legend.overdue", lang="en"), "search": t("wall.search.placeholder", lang="en")}
    assert english["legend"] == "Rectification status"
    assert not any(CJK.search(text) for text in english.values())
    assert log.outside == []
    assert log.console_errors == []
    page.context.close()
