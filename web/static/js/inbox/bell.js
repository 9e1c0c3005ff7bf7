/*
 * The bell in the navigation (templates/_inbox_bell.html): keeps its unread
 * count current without reloading, by a `Poller` (inbox/poller.js) of the
 * count's small endpoint. Paused while the tab is hidden; a page that marks
 * notifications read announces the new count with the `guatu:inbox-count`
 * event on document, and the bell shows it at once. Pages drawn by scripts
 * (the wall, the editor) make the same bell with `addBell(nav, options)`
 * from the options the server gives them (web/inbox/bell.py).
 */
import { elAttrs, svg } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { pageHook } from "../lib/page-hook.js";
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

var BELL_PATH = "M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66"
  + "A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z";

// The bell of templates/_inbox_bell.html, made in `nav` from {unread, badge, href, count_url, poll_s}, and
// started (once per page: window.guatuPage.inboxBell); null when the page has no bell (`options` null).
export function addBell(nav, options) {
  if (!options) return null;
  var bell = elAttrs("a", { className: "inbox-bell", id: "inbox-bell", href: options.href,
                            dataset: { inboxBell: "", countUrl: options.count_url, pollS: String(options.poll_s) } });
  var icon = svg("svg", { "class": "inbox-bell-icon", viewBox: "0 0 24 24", "aria-hidden": "true", focusable: "false" });
  icon.appendChild(svg("path", { d: BELL_PATH }));
  bell.appendChild(icon);
  var pill = elAttrs("span", { className: "inbox-count", id: "inbox-count", dataset: { inboxCount: "" } });
  bell.appendChild(pill);
  nav.appendChild(bell);
  if (Number.isInteger(options.unread)) showCount(bell, pill, options.unread);
  else bell.setAttribute("aria-label", t("inbox.bell_unknown"));
  if (!pageHook().inboxBell) {
    pageHook().inboxBell = startBell(bell, document);
    document.documentElement.dataset.inboxBellReady = "1";
  }
  return bell;
}
