import { test } from "node:test";
import assert from "node:assert/strict";

import { covers, describe, everywhere } from "../../web/static/js/lib/scope.js";

const place = { street: "大学路街道", community: "金桥社区", unit: "区住建局" };

test("an empty scope is the whole district and covers every place", () => {
  for (const scope of [undefined, null, {}, { streets: [], communities: [], units: [] }]) {
    assert.equal(everywhere(scope), true);
    assert.equal(covers(scope, place), true);
    assert.equal(covers(scope, {}), true);
  }
});

test("a scope covers a place when any of its names is the place's street, community or unit", () => {
  assert.equal(covers({ streets: ["大学路街道"] }, place), true);
  assert.equal(covers({ communities: ["金桥社区"] }, place), true);
  assert.equal(covers({ units: ["区住建局"] }, place), true);
  assert.equal(covers({ streets: ["长江路街道"], communities: ["庆丰社区"], units: ["区商务局"] }, place), false);
  assert.equal(covers({ communities: ["金桥社区"] }, {}), false);
});

test("a scope is described by its names, as the server says it", () => {
  assert.equal(describe({ streets: ["大学路街道"], communities: ["庆丰社区"], units: ["区住建局"] }), "大学路街道、庆丰社区、区住建局");
});
