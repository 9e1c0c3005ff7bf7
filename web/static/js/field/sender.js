/*
 * Sends the field page's queue when there is network: on start, when an item
 * is queued, on the browser's `online` event, and again after a failure with
 * a growing pause (order.js). One item at a time, results before photos; an
 * item leaves the queue only once the server has it (or will never take it),
 * and every item carries the client id the phone made, so sending it twice —
 * an answer lost on the way — records it once. A session that ended (401, or
 * a 403 with no session behind it) keeps the queue and says so; one started
 * again since the page was loaded (a new CSRF token) sends with its token.
 */
import { problemText, QueueSender } from "../lib/queue-sender.js";
import { sendOrder, verdict } from "./order.js";
import { placeKey } from "./queue.js";

function fill(template, values) {
  return template.replace(/__(\w+)__/g, function (m, name) { return encodeURIComponent(values[name]); });
}

export class Sender extends QueueSender {
  constructor(config, queue, report, emptied) {
    super(queue);
    this.config = config;
    this.report = report; // report(how, item, answer) after each item: how is "done", "refused" or "signed_out"
    this.emptied = emptied; // emptied() when a flush that sent something leaves the queue empty
    this.sent = 0;
  }

  order(items) {
    return sendOrder(items);
  }

  drained() {
    if (this.sent) {
      this.sent = 0;
      this.emptied();
    }
  }

  // true: the item is settled (sent, or refused for good); false: try again later
  async sendOne(item, renewed) {
    var resp;
    try {
      resp = item.kind === "result" ? await this.postResult(item) : await this.postPhoto(item);
    } catch {
      return false; // no network
    }
    var how = verdict(resp.status);
    var session = resp.status === 401 ? "signed_out" : resp.status === 403 && !renewed ? await this.checkSession() : "same";
    if (session === "renewed") return this.sendOne(item, true);
    if (session === "signed_out") this.report("signed_out", item, null); // kept, and sent once signed in again
    if (session !== "same") return false;
    if (how === "retry") return false;
    var answer = how === "done" ? await resp.json() : { refused: await problemText(resp) };
    if (item.kind === "result") {
      var key = placeKey(item.day, item.layer, item.fid);
      await this.queue.setOutcome(key, how === "done" ? { result: answer.result } : { refused: answer.refused });
    } else if (how === "done") {
      var outcome = (await this.queue.outcome(placeKey(item.day, item.layer, item.fid))) || {};
      await this.queue.setOutcome(placeKey(item.day, item.layer, item.fid),
        { photos: (outcome.photos || []).concat([item.id]) });
    }
    await this.queue.remove(item.seq);
    this.sent += 1;
    this.report(how, item, answer);
    return true;
  }

  // A 403 may only mean the session changed since the page was loaded: "renewed" (signed in again: a new CSRF
  // token, taken now), "signed_out" (no session any more: a public viewer at most), "same" (the refusal stands) or
  // "unknown" (no answer: try again later).
  async checkSession() {
    var resp;
    try {
      resp = await fetch(this.config.me, { credentials: "same-origin", headers: { Accept: "application/json" } });
    } catch {
      return "unknown";
    }
    if (resp.status === 401) return "signed_out";
    if (!resp.ok) return "unknown";
    var me = await resp.json();
    if (me.via !== "session" || !me.csrf_token) return "signed_out";
    if (me.csrf_token === this.config.csrf) return "same";
    this.config.csrf = me.csrf_token;
    return "renewed";
  }

  postResult(item) {
    var url = fill(this.config.record, { fid: item.fid });
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(item.body),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": this.config.csrf, Accept: "application/json" },
    });
  }

  async postPhoto(item) {
    var outcome = (await this.queue.outcome(placeKey(item.day, item.layer, item.fid))) || {};
    var problem = outcome.result && outcome.result.problem;
    var form = new FormData();
    form.append("file", item.blob, item.name || "photo.jpg");
    form.append("role", problem ? "before" : "inspection");
    form.append("inspection", item.day);
    form.append("client_id", item.id);
    if (item.takenAt) form.append("taken_at", item.takenAt);
    if (item.lon !== null && item.lon !== undefined) {
      form.append("lon", String(item.lon));
      form.append("lat", String(item.lat));
    }
    var url = problem
      ? fill(this.config.problemPhotos, { layer: item.layer, fid: item.fid, pid: problem })
      : fill(this.config.photos, { layer: item.layer, fid: item.fid });
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: form,
      headers: { "X-CSRF-Token": this.config.csrf, Accept: "application/json" },
    });
  }
}
