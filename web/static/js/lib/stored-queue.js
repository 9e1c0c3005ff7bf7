/*
 * A list of things waiting on the phone to be sent: an IndexedDB object
 * store of auto-numbered entries (`seq`), whose listeners hear of every
 * change. The shared part of the field page's queue (field/queue.js) and the
 * reporting page's outbox (residents/outbox.js).
 */

export class StoredQueue {
  constructor(db, store) {
    this.db = db;
    this.store = store;
    this.listeners = [];
  }

  onChange(fn) {
    this.listeners.push(fn);
  }

  // What the listeners are called with (a subclass may add more): the items.
  async listenerArgs() {
    return [await this.items()];
  }

  async changed() {
    var args = await this.listenerArgs();
    this.listeners.forEach(function (fn) { fn.apply(null, args); });
  }

  async put(entry) {
    await this.db.add(this.store, entry);
    await this.changed();
    return entry;
  }

  items() {
    return this.db.getAll(this.store);
  }

  async update(item) {
    await this.db.put(this.store, item);
  }

  async remove(seq) {
    await this.db.delete(this.store, seq);
    await this.changed();
  }
}
