/*
 * The reporting page's outbox on the phone (IndexedDB, through the vendored
 * idb): reports waiting to be sent, each with the id the phone made for it
 * (sent as `client_id`, so sending it again after a lost answer keeps one
 * report) and its photos as blobs — and the receipts of the reports this
 * phone sent (code, category, when), so a resident finds them again.
 */
import { openDB } from "../../vendor/idb/idb.js";
import { StoredQueue } from "../lib/stored-queue.js";

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
  return new Outbox(db, ITEMS);
}

class Outbox extends StoredQueue {
  async listenerArgs() {
    return [await this.items(), await this.sent()];
  }

  // body: the report's fields; photos: the Blobs chosen (uploaded when it is sent)
  add(body, photos) {
    return this.put({ id: crypto.randomUUID(), queuedAt: new Date().toISOString(), body: body, photos: photos,
      photoIds: [] });
  }

  sent() {
    return this.db.getAll(SENT);
  }

  async keep(receipt) {
    await this.db.put(SENT, receipt);
    await this.changed();
  }
}
