// The bell's poll without the DOM (web/static/js/inbox/poller.js): the count's pill text, the wait after
// failures, and a poll that asks on its timer, shows each answer, backs off, pauses while hidden.
import { test } from "node:test";
import assert from "node:assert/strict";
import { badge, delayAfter, Poller } from "../../web/static/js/inbox/poller.js";

// A timer that runs only when told to: the test says when time passes.
function fakeTimers() {
  var pending = new Map();
  var next = 1;
  return {
    pending: pending,
    set: function (fn, ms) { pending.set(next, { fn: fn, ms: ms }); return next++; },
    clear: function (id) { pending.delete(id); },
    fire: async function () {
      var [id, entry] = [...pending.entries()][0];
      pending.delete(id);
      entry.fn();
      await new Promise(function (resolve) { setImmediate(resolve); });
      return entry.ms;
    },
  };
}

test("the pill shows nothing for none, the count up to 99, then 99+", () => {
  assert.equal(badge(0), "");
  assert.equal(badge(null), "");
  assert.equal(badge(1), "1");
  assert.equal(badge(99), "99");
  assert.equal(badge(100), "99+");
});

test("after failures the wait doubles up to its ceiling", () => {
  assert.equal(delayAfter(30, 0, 600), 30);
  assert.equal(delayAfter(30, 1, 600), 60);
  assert.equal(delayAfter(30, 3, 600), 240);
  assert.equal(delayAfter(30, 9, 600), 600);
});

test("the poller shows each count, backs off while the server fails and comes back when it answers", async () => {
  var timers = fakeTimers();
  var answers = [3, new Error("503"), new Error("503"), 1];
  var shown = [];
  var poller = new Poller({
    fetchCount: function () {
      var a = answers.shift();
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    },
    show: function (n) { shown.push(n); },
    seconds: 30, setTimer: timers.set, clearTimer: timers.clear,
  }).start();
  assert.equal(await timers.fire(), 30000);
  assert.deepEqual(shown, [3]);
  assert.equal(await timers.fire(), 30000);  // the first failure
  assert.equal(await timers.fire(), 60000);  // asked again after twice the wait
  assert.equal(await timers.fire(), 120000);
  assert.deepEqual(shown, [3, 1]);
  assert.equal(poller.failures, 0);
  assert.equal([...timers.pending.values()][0].ms, 30000);
});

test("a hidden page asks nothing; shown again it asks at once", async () => {
  var timers = fakeTimers();
  var asked = 0;
  var poller = new Poller({
    fetchCount: function () { asked += 1; return Promise.resolve(asked); },
    show: function () {}, seconds: 30, setTimer: timers.set, clearTimer: timers.clear,
  }).start();
  poller.pause(true);
  assert.equal(timers.pending.size, 0);
  poller.pause(false);
  await poller.asking;
  assert.equal(asked, 1);
  assert.equal(timers.pending.size, 1);
});
