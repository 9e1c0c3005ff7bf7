/*
 * The inbox page (templates/inbox.html): "标为已读" per notification and
 * "全部标为已读" send POST /api/inbox/read with the session's CSRF token; the
 * page then shows them read and tells the bell the new count. Opening an
 * unread notification's link marks it read, then follows the link (so the
 * next page's bell already counts it read).
 */
import { t } from "../lib/messages.js";
import { COUNT_EVENT } from "./bell.js";

function problemText(body, status) {
  return (body && (body.detail || body.title || body.message)) || t("net.http_status", { status: status });
}

export function startInboxPage(list, doc) {
  var config = JSON.parse(list.dataset.config);
  var summary = doc.querySelector("[data-inbox-summary]");
  var error = doc.querySelector("[data-inbox-error]");
  var allButton = doc.querySelector("[data-inbox-all]");
  var total = Number(summary.dataset.total) || 0;

  function post(body, keepalive) {
    return fetch(config.read_url, {
      method: "POST", credentials: "same-origin", keepalive: Boolean(keepalive), body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": config.csrf },
    });
  }

  function showRead(ids) {
    list.querySelectorAll("[data-inbox-item]").forEach(function (item) {
      if (ids !== null && ids.indexOf(item.dataset.inboxItem) < 0) return;
      item.classList.remove("inbox-unread");
      item.querySelectorAll("[data-inbox-new], [data-inbox-read]").forEach(function (el) { el.remove(); });
    });
  }

  function showCount(unread) {
    summary.textContent = t("inbox.unread", { count: unread, total: total });
    allButton.disabled = unread === 0;
    doc.dispatchEvent(new CustomEvent(COUNT_EVENT, { detail: { unread: unread } }));
  }

  // true once the server has them read; false when it did not (the reason shown: its own words, or that it could
  // not be reached)
  async function read(ids) {
    error.hidden = true;
    var reason;
    try {
      var resp = await post(ids === null ? { all: true } : { ids: ids });
      var body = await resp.json().catch(function () { return null; });
      if (resp.ok && body) {
        showRead(ids);
        showCount(body.unread);
        return true;
      }
      reason = problemText(body, resp.status);
    } catch {
      reason = t("net.unreachable");
    }
    error.textContent = t("inbox.failed", { reason: reason });
    error.hidden = false;
    return false;
  }

  list.addEventListener("click", function (e) {
    var button = e.target.closest("[data-inbox-read]");
    if (button) {
      button.disabled = true;
      read([button.dataset.inboxRead]).then(function (done) { if (!done) button.disabled = false; }); // try again
      return;
    }
    var open = e.target.closest("[data-inbox-open]");
    var item = open && open.closest(".inbox-unread");
    if (!item) return;
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button !== 0) {
      post({ ids: [item.dataset.inboxItem] }, true);  // opened elsewhere: this page stays, the request goes on
      return;
    }
    e.preventDefault();  // marked read first, so the next page's bell counts it read
    var go = function () { window.location.assign(open.href); };
    post({ ids: [item.dataset.inboxItem] }, true).then(go, go);
  });
  allButton.addEventListener("click", function () { read(null); });
  return { read: read };
}
