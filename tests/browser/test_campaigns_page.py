"""The campaigns index (/campaigns) on a phone and on a desk screen: every campaign's row readable, nothing wider
than the screen, this campaign and a synthetic second one (GUATU_CAMPAIGNS) side by side."""

from __future__ import annotations

import json

import pytest

from geo.synth.synthetic import write_synthetic
from tests.browser.harness import copy_demo, live_server, open_page, open_phone_page
from tests.browser.phone_audit import audit, problems


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("campaigns")
    data = copy_demo(root / "data")
    other = root / "jinshui"
    write_synthetic(other, 40, seed=2)
    raw = json.loads((other / "campaign.json").read_text(encoding="utf-8"))
    (other / "campaign.json").write_text(json.dumps({**raw, "title": "金水区合成作战"}, ensure_ascii=False),
                                         encoding="utf-8")
    with live_server(data, GUATU_CAMPAIGNS=str(other)) as s:
        yield s


def _rows(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('.campaign-row')].map(tr => {
        const r = tr.getBoundingClientRect();
        return {title: tr.querySelector('th').innerText, text: tr.innerText, width: r.width};
    })""")


def test_the_index_reads_on_a_phone(browser, server):
    page, log = open_phone_page(browser, server.url, "/campaigns")
    rows = _rows(page)
    assert [r["title"].split("\n")[0].split(" ")[0] for r in rows] == ["二七区“挂图作战", "金水区合成作战"]
    assert all("预计完成" in r["text"] or "按近" in r["text"] or "无法估计" in r["text"] for r in rows)
    found = problems(audit(page))
    assert found == {}, found
    assert log.outside == [] and log.console_errors == []
    page.context.close()


def test_the_index_reads_on_a_desk_screen(browser, server):
    page, log = open_page(browser, server.url, "/campaigns", width=1920, height=1080)
    rows = _rows(page)
    assert len(rows) == 2 and all(r["width"] <= 1920 for r in rows)
    assert page.locator("h1").inner_text() == "作战总览"
    assert log.outside == [] and log.console_errors == []
    page.context.close()
