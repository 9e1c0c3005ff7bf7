/*
 * The field page's queue on the phone (IndexedDB, through the vendored idb):
 * results and photos waiting to be sent, each with the id the phone made for
 * it (crypto.randomUUID, sent as `client_id`, so a retry never records twice),
 * in the order they were made; and what the server answered for each place
 * (`outcomes`), so a reload — even offline — shows what was recorded.
 */
import { openDB } from "../../vendor/idb/idb.js";
import { StoredQueue } from "../lib/stored-queue.js";

var NAME = "guatu-field";
var ITEMS = "queue";
var OUTCOMES = "outcomes";

export function placeKey(day, layer, fid) {
  return day + "|" + layer + "|" + fid;
}

export async function openQueue() {
  var db = await openDB(NAME, 1, {
    upgrade: function (db) {
      var items = db.createObjectStore(ITEMS, { keyPath: "seq", autoIncrement: true });
      items.createIndex("id", "id", { unique: true });
      db.createObjectStore(OUTCOMES);
    },
  });
  return new Queue(db, ITEMS);
}

class Queue extends StoredQueue {
  // a result: {day, layer, fid, body}; a photo: {day, layer, fid, blob, name, type, takenAt, lon, lat}
  add(kind, item) {
    var entry = Object.assign({ kind: kind, id: crypto.randomUUID(), queuedAt: new Date().toISOString() }, item);
    if (kind === "result") entry.body = Object.assign({}, item.body, { client_id: entry.id });
    return this.put(entry);
  }

  outcome(key) {
    return this.db.get(OUTCOMES, key);
  }

  async setOutcome(key, value) {
    var before = (await this.db.get(OUTCOMES, key)) || {};
    await this.db.put(OUTCOMES, Object.assign({}, before, value), key);
  }
}
