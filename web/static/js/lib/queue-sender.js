/*
 * What the phone pages' senders share (the field page's results and photos,
 * the reporting page's reports): send a queue kept on the phone when there is
 * network — on start, when something is queued, on the browser's `online`
 * event, and again after a failure with a growing pause (retry.js) — one item
 * at a time, stopping at the first that must wait. A subclass gives
 * `sendOne(item)` (true: settled — sent, or refused for good; false: try
 * again later) and may give `order(items)` and `drained()` (called when a
 * flush ends with nothing left waiting). A page may set `onWaiting(failures)`:
 * told, while the phone is online, how many flushes in a row stopped at an
 * item the server or the network did not take (a 5xx, a 429, a login page of
 * a public Wi-Fi answering instead of the server), and 0 once one went through,
 * so a queue that is stuck says so rather than looking like one about to go.
 */
import { t } from "./messages.js";
import { backoff } from "./retry.js";

// The words of a refusal: the problem document's detail or title, else what the status says.
export async function problemText(resp) {
  var body = await resp.json().catch(function () { return null; });
  return (body && (body.detail || body.title)) || t("net.http_status", { status: resp.status });
}

export class QueueSender {
  constructor(queue) {
    this.queue = queue;
    this.running = null; // the flush in flight (a promise)
    this.again = false;
    this.failures = 0;
    this.timer = null;
    this.onWaiting = null;
    this.stuck = false; // the page was told of a flush that stopped while online (`onWaiting`)
    var self = this;
    window.addEventListener("online", function () { self.failures = 0; self.flush(); });
  }

  order(items) {
    return items;
  }

  drained() {}

  waiting(failures) {
    this.stuck = failures > 0;
    if (this.onWaiting) this.onWaiting(failures);
  }

  // Send everything queued; a call while sending makes the running one look again when it ends (unless it stopped:
  // then its timer tries again) and resolves with it.
  flush() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    if (!navigator.onLine) return Promise.resolve();
    var self = this;
    this.running = this.send().finally(function () { self.running = null; });
    return this.running;
  }

  async send() {
    clearTimeout(this.timer);
    try {
      var stopped = false;
      do {
        this.again = false;
        stopped = false;
        for (var item of this.order(await this.queue.items())) {
          var settled;
          try {
            settled = await this.sendOne(item);
          } catch { // not the answer expected (a page that is not JSON): tried again later, like no network
            settled = false;
          }
          if (!settled) {
            stopped = true;
            break;
          }
        }
        if (stopped) {
          this.failures += 1;
          var self = this;
          this.timer = setTimeout(function () { self.flush(); }, backoff(this.failures));
          if (navigator.onLine) this.waiting(this.failures);
          break;
        }
        if (this.stuck) this.waiting(0);
        this.failures = 0;
      } while (this.again);
      if (!stopped) this.drained();
    } finally {
      this.again = false;
    }
  }
}
