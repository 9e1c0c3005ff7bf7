/*
 * The reporting page's outbox on the phone (IndexedDB, through the vendored
 * idb): reports waiting to be sent, each with the id the phone made for it
 * (sent as `client_id`, so sending it again after a lost answer keeps one
 * report) and its photos as blobs — the receipts of the reports this
 * phone sent (code, category, when), so a resident finds them again, and the
 * reports the server refused for good, with its reason.
 */
import { openDB } from "../../vendor/idb/idb.js";
import { StoredQueue } from "../lib/stored-queue.js";

var NAME = "guatu-reports";
var ITEMS = "outbox";
var SENT = "sent";
var REFUSED = "refused"; // (version 2)

export async function openOutbox() {
  var db = await openDB(NAME, 2, {
    upgrade: function (db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore(ITEMS, { keyPath: "seq", autoIncrement: true });
        db.createObjectStore(SENT, { keyPath: "code" });
      }
      if (oldVersion < 2) db.createObjectStore(REFUSED, { keyPath: "id" });
    },
  });
  return new Outbox(db, ITEMS);
}

class Outbox extends StoredQueue {
  async listenerArgs() {
    return [await this.items(), await this.sent(), await this.refused()];
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

  // The reports the server will never take, with its reason (listed as such in "my reports" until dismissed:
  // a report sent later, after the resident left its screen, is never dropped without a word).
  refused() {
    return this.db.getAll(REFUSED);
  }

  async keepRefused(record) {
    await this.db.put(REFUSED, record);
    await this.changed();
  }

  async dismiss(id) {
    await this.db.delete(REFUSED, id);
    await this.changed();
  }
}
