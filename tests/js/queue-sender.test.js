// The phone pages' queue sender without a browser (web/static/js/lib/queue-sender.js): an item the server does not
// take stops the flush and is tried again; an answer that is not what was expected (a public Wi-Fi's login page
// instead of the server's JSON) is tried again rather than stopping the queue for good; the page is told while the
// queue is stuck and once it moves again.
import { test } from "node:test";
import assert from "node:assert/strict";

globalThis.window = { addEventListener: function () {} };
Object.defineProperty(globalThis, "navigator", { value: { onLine: true }, configurable: true });
const { QueueSender } = await import("../../web/static/js/lib/queue-sender.js");

// A queue in memory and a sender whose answers the test gives: "ok", "busy" (a 503) or "portal" (JSON.parse fails).
function senderWith(answers) {
  var items = [{ seq: 1 }, { seq: 2 }];
  var queue = { items: async function () { return items.slice(); } };
  var sender = new QueueSender(queue);
  sender.told = [];
  sender.onWaiting = function (failures) { sender.told.push(failures); };
  sender.sendOne = async function (item) {
    var answer = answers.shift();
    if (answer === "portal") JSON.parse("<html>请登录</html>");
    if (answer === "busy") return false;
    items = items.filter(function (x) { return x.seq !== item.seq; });
    return true;
  };
  return { sender: sender, left: function () { return items.length; } };
}

test("an answer that is not JSON is tried again later, and the page told the queue is stuck until it moves", async () => {
  var { sender, left } = senderWith(["portal", "ok", "ok"]);
  await sender.flush(); // does not reject: the flush stops and sets its timer
  assert.equal(left(), 2);
  assert.equal(sender.failures, 1);
  assert.notEqual(sender.timer, null);
  assert.deepEqual(sender.told, [1]);
  clearTimeout(sender.timer);
  await sender.flush();
  assert.equal(left(), 0);
  assert.deepEqual(sender.told, [1, 0]);
});

test("a busy server counts failures in a row; nothing is said while offline", async () => {
  var { sender, left } = senderWith(["busy", "busy", "ok", "ok"]);
  await sender.flush();
  clearTimeout(sender.timer);
  await sender.flush();
  clearTimeout(sender.timer);
  assert.deepEqual(sender.told, [1, 2]);
  navigator.onLine = false;
  await sender.flush(); // offline: not even tried
  assert.deepEqual(sender.told, [1, 2]);
  navigator.onLine = true;
  await sender.flush();
  assert.equal(left(), 0);
  assert.deepEqual(sender.told, [1, 2, 0]);
});
