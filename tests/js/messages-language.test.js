// The scripts' texts follow the page's language: <html lang="en…"> reads the English table, anything else
// (zh-CN, no lang, no page at all) the Chinese one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { keys, pageLanguage, table, t, translate } from "../../web/static/js/lib/messages.js";

function withPage(lang, fn) {
  globalThis.document = { documentElement: { lang: lang } };
  try {
    return fn();
  } finally {
    delete globalThis.document;
  }
}

test("without a page (node) the texts are Chinese", () => {
  assert.equal(pageLanguage(), "");
  assert.equal(t("wall.inspections.title"), "今日督导");
});

test("a page in English shows the English texts, with their params filled in", () => {
  withPage("en", () => {
    assert.equal(t("wall.inspections.title"), "Today's inspections");
    assert.equal(t("wall.inspections.more", { n: 3 }), "3 more");
  });
  withPage("en-US", () => assert.equal(t("wall.card.days_late", { n: 2 }), "2 day(s) overdue"));
});

test("a page in Chinese, or of no stated language, shows the Chinese texts", () => {
  withPage("zh-CN", () => assert.equal(t("wall.inspections.more", { n: 3 }), "另有 3 处"));
  withPage("", () => assert.equal(t("wall.inspections.title"), "今日督导"));
  withPage("eo", () => assert.equal(t("wall.inspections.title"), "今日督导"));
});

test("both tables hold the same keys, each text with the same {params}", () => {
  var zh = table("zh"), en = table("en");
  assert.notEqual(zh, en);
  assert.deepEqual(Object.keys(en), keys());
  var params = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  assert.deepEqual(keys().filter((k) => String(params(zh[k])) !== String(params(en[k]))), []);
  assert.deepEqual(keys().filter((k) => !en[k]), []);
});

test("translate() takes the language as a parameter", () => {
  assert.equal(translate("en", "playback.range", { from: "5月1日", to: "6月1日" }), "5月1日 to 6月1日");
  assert.equal(translate("zh-CN", "playback.range", { from: "a", to: "b" }), "a 至 b");
  assert.equal(translate("en", "no.such.key"), "no.such.key");
});
