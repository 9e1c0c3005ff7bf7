/*
 * The field page's queue on the phone (IndexedDB, through the vendored idb):
 * results and photos waiting to be sent, each with the id the phone made for
 * it (crypto.randomUUID, sent as `client_id`, so a retry never records twice),
 * in the order they were made; and what the server answered for each place
 * (`outcomes`), so a reload — even offline — shows what was recorded.
 */
import { openDB } from "../../vendor/idb/idb.js";

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
  return new Queue(db);
}

class Queue {
  constructor(db) {
    this.db = db;
    this.listeners = [];
  }

  onChange(fn) {
    this.listeners.push(fn);
  }

  async changed() {
    var items = await this.items();
    this.listeners.forEach(function (fn) { fn(items); });
  }

  // a result: {day, layer, fid, body}; a photo: {day, layer, fid, blob, name, type, takenAt, lon, lat}
  async add(kind, item) {
    var entry = Object.assign({ kind: kind, id: crypto.randomUUID(), queuedAt: new Date().toISOString() }, item);
    if (kind === "result") entry.body = Object.assign({}, item.body, { client_id: entry.id });
    await this.db.add(ITEMS, entry);
    await this.changed();
    return entry;
  }

  items() {
    return this.db.getAll(ITEMS);
  }

  async remove(seq) {
    await this.db.delete(ITEMS, seq);
    await this.changed();
  }

  async update(item) {
    await this.db.put(ITEMS, item);
  }

  outcome(key) {
    return this.db.get(OUTCOMES, key);
  }

  async setOutcome(key, value) {
    var before = (await this.db.get(OUTCOMES, key)) || {};
    await this.db.put(OUTCOMES, Object.assign({}, before, value), key);
  }
}
