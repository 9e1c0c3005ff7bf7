// A map's moves (web/static/js/lib/settle.js): one alone answered at once, moves in steps once they pause.
import { test } from "node:test";
import assert from "node:assert/strict";
import { settled } from "../../web/static/js/lib/settle.js";

globalThis.window = globalThis.window || globalThis; // (the module reaches its timers through `window`)

test("a move of a quiet map is answered at once, the steps that follow once they pause", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  var calls = 0;
  var moved = settled(() => calls++, 150, 500);
  moved();
  assert.equal(calls, 1); // alone: at once
  t.mock.timers.tick(100);
  moved(); // a step 100 ms later: waits for a pause
  t.mock.timers.tick(100);
  moved(); // and another
  t.mock.timers.tick(149);
  assert.equal(calls, 1);
  t.mock.timers.tick(1);
  assert.equal(calls, 2); // once, 150 ms after the last step
  t.mock.timers.tick(500);
  moved(); // quiet again: at once
  assert.equal(calls, 3);
  t.mock.timers.tick(1000);
  assert.equal(calls, 3); // nothing more
});

test("a move waiting for a pause is let go when the view was asked for meanwhile", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  var calls = 0;
  var moved = settled(() => calls++, 150, 500);
  moved();
  t.mock.timers.tick(50);
  moved();
  moved.cancel();
  t.mock.timers.tick(1000);
  assert.equal(calls, 1);
  moved(); // and the next move of a quiet map is answered at once
  assert.equal(calls, 2);
});
