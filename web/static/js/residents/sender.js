/*
 * Sends the reporting page's outbox when there is network: on start, when a
 * report is queued, on the browser's `online` event, and again after a
 * failure with a growing pause (lib/retry.js). For each report: its photos
 * first (their ids kept on the item, so a retry does not send them again; a
 * photo the server refuses for good is left out and the resident told why),
 * then a fresh challenge paid in a Web Worker, then the report with the
 * phone's own id of it. It leaves the outbox once the server has it (the
 * receipt is kept) or will never take it (the resident is told why).
 */
import { problemText, QueueSender } from "../lib/queue-sender.js";
import { verdict } from "../lib/retry.js";

export function deviceId() {
  var id = localStorage.getItem("guatu-device");
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem("guatu-device", id);
  }
  return id;
}

export class ReportSender extends QueueSender {
  constructor(config, outbox, report) {
    super(outbox);
    this.config = config;
    this.report = report; // report(how, item, answer): how is "done" or "refused"
  }

  headers(extra) {
    var out = { Accept: "application/json" };
    out[this.config.deviceHeader] = deviceId();
    return Object.assign(out, extra || {});
  }

  // true: settled (sent, or refused for good); false: try again later
  async sendOne(item) {
    var resp;
    try {
      while (item.photoIds.length < item.photos.length) {
        var form = new FormData();
        form.append("file", item.photos[item.photoIds.length], "photo.jpg");
        resp = await fetch(this.config.photos, { method: "POST", body: form, headers: this.headers() });
        var how = verdict(resp.status);
        if (how === "retry") return false;
        if (how === "refused") { // a photo the server will never take (not an image, too large): the report goes without it
          item.photos.splice(item.photoIds.length, 1);
          item.dropped = (item.dropped || []).concat([await problemText(resp)]);
        } else {
          item.photoIds.push((await resp.json()).id);
        }
        await this.queue.update(item);
      }
      var paid = await this.pay();
      var body = Object.assign({}, item.body, { photos: item.photoIds, client_id: item.id }, paid);
      resp = await fetch(this.config.reports, {
        method: "POST", body: JSON.stringify(body), headers: this.headers({ "Content-Type": "application/json" }),
      });
    } catch {
      return false; // no network
    }
    return this.settle(item, resp);
  }

  async settle(item, resp) {
    var how = verdict(resp.status);
    if (how === "retry") return false;
    var answer = how === "done" ? await resp.json() : { refused: await problemText(resp) };
    if (how === "done") {
      await this.queue.keep({ code: answer.code, category: answer.category, at: answer.at_local,
        state: answer.state, stateText: answer.state_text });
      await this.queue.remove(item.seq);
    } else { // out of the outbox first: never listed as both waiting and refused
      await this.queue.remove(item.seq);
      await this.queue.keepRefused({ id: item.id, category: item.body.category, at: item.queuedAt, reason: answer.refused });
    }
    this.report(how, item, answer);
    return true;
  }

  // A fresh challenge from the server, paid for in a Web Worker: {challenge, answer}.
  async pay() {
    var resp = await fetch(this.config.challenge, { headers: this.headers() });
    if (!resp.ok) throw new Error("challenge " + resp.status);
    var challenge = await resp.json();
    var worker = new Worker(this.config.worker, { type: "module" });
    try {
      var answer = await new Promise(function (resolve, reject) {
        worker.onmessage = function (e) { resolve(e.data.answer); };
        worker.onerror = reject;
        worker.postMessage({ challenge: challenge.challenge, bits: challenge.bits });
      });
      return { challenge: challenge.challenge, answer: answer };
    } finally {
      worker.terminate();
    }
  }
}
