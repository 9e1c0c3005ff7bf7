// Every text the front end shows comes from web/static/js/lib/messages.js: each key a module asks for is
// in the table, with the {params} the call fills in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { keys, t } from "../../web/static/js/lib/messages.js";

var ROOT = fileURLToPath(new URL("../../web/static/js/", import.meta.url));

function modules(dir) {
  return readdirSync(dir).flatMap((name) => {
    var path = join(dir, name);
    return statSync(path).isDirectory() ? modules(path) : name.endsWith(".js") ? [path] : [];
  });
}

test("t() fills in the params and leaves unknown ones as they are", () => {
  assert.equal(t("wall.inspections.more", { n: 3 }), "另有 3 处");
  assert.equal(t("wall.inspections.more"), "另有 {n} 处");
  assert.equal(t("no.such.key"), "no.such.key");
});

test("every key the modules use is in the table", () => {
  var known = new Set(keys());
  var used = new Set();
  modules(ROOT).forEach((path) => {
    for (var m of readFileSync(path, "utf8").matchAll(/\bt\("([a-z_.]+)"\s*[,)]/g)) used.add(m[1]);
  });
  assert.ok(used.size > 20);
  assert.deepEqual([...used].filter((k) => !known.has(k)), []);
});

test("the modules show no Chinese text of their own: it is all in the table", () => {
  var inline = [];
  modules(ROOT).filter((p) => !p.endsWith("messages.js")).forEach((path) => {
    readFileSync(path, "utf8").split("\n").forEach((line, i) => {
      var code = line.replace(/\/\/.*$/, "").replace(/^\s*\*.*$/, "");
      if (/["'][^"']*[\u4e00-\u9fff][^"']*["']/.test(code)) inline.push(path.slice(ROOT.length) + ":" + (i + 1));
    });
  });
  assert.deepEqual(inline, []);
});
