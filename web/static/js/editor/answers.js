/*
 * The server's answers as the editor tells them: a read's JSON, or an Error carrying the server's own words (a layer
 * withheld, the store out of reach, a refusal), or — no answer at all — that the server cannot be reached. Never a
 * browser's English ("Failed to fetch") or a bare status.
 */
import { t } from "../lib/messages.js";

// An Error for an answer that is not OK: `body` its JSON (or null), `status` its HTTP status.
export function refusal(body, status) {
  var err = new Error(body && body.message ? body.message : t("net.http_status", { status: status }));
  err.answered = true;
  return err;
}

// A fetch Response's JSON body; a refusal as an Error (`refusal`).
export function json(resp) {
  if (resp.ok) return resp.json();
  return resp.json().catch(function () { return null; }).then(function (b) { throw refusal(b, resp.status); });
}

// What to tell the planner of a failed read: the server's words, or that it cannot be reached.
export function reason(err) {
  return err && err.answered ? err.message : t("net.unreachable");
}
