/*
 * The bell in the navigation (templates/_inbox_bell.html): keeps its unread
 * count current without reloading, by a `Poller` (inbox/poller.js) of the
 * count's small endpoint. Paused while the tab is hidden; a page that marks
 * notifications read announces the new count with the `guatu:inbox-count`
 * event on document, and the bell shows it at once.
 */
import { t } from "../lib/messages.js";
import { badge, Poller } from "./poller.js";

export var COUNT_EVENT = "guatu:inbox-count";

function showCount(bell, pill, count) {
  var text = badge(count);
  pill.textContent = text;
  pill.hidden = text === "";
  bell.classList.toggle("inbox-bell-unread", text !== "");
  bell.dataset.unread = String(count);
  bell.setAttribute("aria-label", count > 0 ? t("inbox.bell", { count: count }) : t("inbox.bell_none"));
}

async function askCount(url) {
  var resp = await fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
  if (!resp.ok) throw new Error(String(resp.status));
  var body = await resp.json();
  if (!Number.isInteger(body.unread)) throw new Error("unread");
  return body.unread;
}

export function startBell(bell, doc) {
  var pill = bell.querySelector("[data-inbox-count]");
  var poller = new Poller({
    fetchCount: function () { return askCount(bell.dataset.countUrl); },
    show: function (count) { showCount(bell, pill, count); },
    seconds: Number(bell.dataset.pollS) || 30,
    setTimer: function (fn, ms) { return window.setTimeout(fn, ms); },
    clearTimer: function (id) { window.clearTimeout(id); },
  });
  doc.addEventListener("visibilitychange", function () { poller.pause(doc.hidden); });
  doc.addEventListener(COUNT_EVENT, function (e) {
    if (Number.isInteger(e.detail && e.detail.unread)) showCount(bell, pill, e.detail.unread);
  });
  poller.paused = doc.hidden;
  return poller.start();
}
