/*
 * The reporting page's outbox on the phone (IndexedDB, through the vendored
 * idb): reports waiting to be sent, each with the id the phone made for it
 * (sent as `client_id`, so sending it again after a lost answer keeps one
 * report) and its photos as blobs — and the receipts of the reports this
 * phone sent (code, category, when), so a resident finds them again.
 */
import { openDB } from "../../vendor/idb/idb.js";

var NAME = "guatu-reports";
var ITEMS = "outbox";
var SENT = "sent";

export async function openOutbox() {
  var db = await openDB(NAME, 1, {
    upgrade: function (db) {
      db.createObjectStore(ITEMS, { keyPath: "seq", autoIncrement: true });
      db.createObjectStore(SENT, { keyPath: "code" });
    },
  });
  return new Outbox(db);
}

class Outbox {
  constructor(db) {
    this.db = db;
    this.listeners = [];
  }

  onChange(fn) {
    this.listeners.push(fn);
  }

  async changed() {
    var items = await this.items();
    var sent = await this.sent();
    this.listeners.forEach(function (fn) { fn(items, sent); });
  }

  // body: the report's fields; photos: the Blobs chosen (uploaded when it is sent)
  async add(body, photos) {
    var entry = { id: crypto.randomUUID(), queuedAt: new Date().toISOString(), body: body, photos: photos,
      photoIds: [] };
    await this.db.add(ITEMS, entry);
    await this.changed();
    return entry;
  }

  items() {
    return this.db.getAll(ITEMS);
  }

  async update(item) {
    await this.db.put(ITEMS, item);
  }

  async remove(seq) {
    await this.db.delete(ITEMS, seq);
    await this.changed();
  }

  sent() {
    return this.db.getAll(SENT);
  }

  async keep(receipt) {
    await this.db.put(SENT, receipt);
    await this.changed();
  }
}
