// The wall's refresh coalescer (web/static/js/wall/coalesce.js): however many revisions arrive, the dashboard
// is fetched at most once per gap, the last ask is always answered, and an ask during a run is not lost.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Coalescer } from "../../web/static/js/wall/coalesce.js";

// A clock whose time moves only when the test says, and whose timers fire when their time comes.
function fakeClock() {
  var timers = new Map();
  var next = 1;
  var clock = {
    t: 0,
    now: function () { return clock.t; },
    set: function (fn, ms) { timers.set(next, { fn: fn, at: clock.t + ms }); return next++; },
    clear: function (id) { timers.delete(id); },
    pending: function () { return timers.size; },
    advance: async function (ms) {
      clock.t += ms;
      for (var [id, timer] of [...timers.entries()]) {
        if (timer.at <= clock.t) {
          timers.delete(id);
          timer.fn();
        }
      }
      await settle();
    },
  };
  return clock;
}

function settle() {
  return new Promise(function (resolve) { setImmediate(resolve); });
}

test("a burst of twenty asks within the gap runs the refresh twice: at once, then once at the gap's end", async () => {
  var clock = fakeClock();
  var runs = [];
  var c = new Coalescer(function () { runs.push(clock.now()); }, 15000, clock);
  for (var i = 0; i < 20; i += 1) {
    c.ask();
    await settle();
    await clock.advance(500);
  }
  assert.deepEqual(runs, [0]);
  assert.equal(clock.pending(), 1); // the later revisions wait for one run
  await clock.advance(5000);
  assert.deepEqual(runs, [0, 15000]);
  assert.equal(clock.pending(), 0);
});

test("an ask after a quiet gap runs at once; nothing runs when nothing is asked", async () => {
  var clock = fakeClock();
  var runs = 0;
  var c = new Coalescer(function () { runs += 1; }, 15000, clock);
  await c.ask();
  await clock.advance(60000);
  assert.equal(runs, 1);
  await c.ask();
  assert.equal(runs, 2);
  assert.equal(c.runs, 2);
});

test("an ask while a run is in flight is answered by one more run when it ends", async () => {
  var clock = fakeClock();
  var finish = [];
  var runs = 0;
  var c = new Coalescer(function () {
    runs += 1;
    return new Promise(function (resolve) { finish.push(resolve); });
  }, 1000, clock);
  c.ask();
  await settle();
  c.ask();
  c.ask();
  assert.equal(runs, 1);
  await clock.advance(2000); // the slow answer outlives the gap
  finish[0]();
  await settle();
  assert.equal(runs, 2); // the asks made meanwhile, answered once
  finish[1]();
  await settle();
  assert.equal(runs, 2);
});

test("a failed run does not stop later ones", async () => {
  var clock = fakeClock();
  var runs = 0;
  var c = new Coalescer(function () { runs += 1; throw new Error("服务器无响应"); }, 1000, clock);
  await c.ask();
  await clock.advance(1000);
  await c.ask();
  assert.equal(runs, 2);
});

test("stop drops the run waiting for the gap", async () => {
  var clock = fakeClock();
  var runs = 0;
  var c = new Coalescer(function () { runs += 1; }, 1000, clock);
  await c.ask();
  c.ask();
  c.stop();
  await clock.advance(5000);
  assert.equal(runs, 1);
});
