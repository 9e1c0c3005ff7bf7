/*
 * Saving and deleting in the editor: every save names the version it
 * started from; a stale save is refused by the server and explained field
 * by field (editor/conflict-view.js) with a choice per field and a save on
 * top of the other person's version; invalid geometry is repaired only when
 * the planner agrees. Methods of Editor (editor/editor.js composes them).
 */
import { t } from "../lib/messages.js";
import { refusal } from "./answers.js";

var saving = {};
export default saving;

var WRITE_TIMEOUT_MS = 60000;

// --- saving ---------------------------------------------------------------------
// A write (a save, the ledger, a delete, a bulk status): one at a time, 正在保存… while it runs, a second click
// meanwhile ignored, and a server out of reach said (the planner must know nothing was saved; the form keeps what
// they typed). `run(signal)` returns the request's promise (`signal` ends it after WRITE_TIMEOUT_MS); resolves to its
// answer, or null when it was not sent or failed.
saving.write = function (run) {
  var self = this;
  if (this.writing) return Promise.resolve(null);
  this.writing = true;
  this.say(t("editor.write.sending"), "info");
  var stop = new AbortController(); // a request that hangs (a network gone half-way) ends, and so does the wait
  var timer = window.setTimeout(function () { stop.abort(); }, WRITE_TIMEOUT_MS);
  return Promise.resolve(stop.signal).then(run).then(function (r) {
    window.clearTimeout(timer);
    self.writing = false;
    return r;
  }, function () {
    window.clearTimeout(timer);
    self.writing = false;
    self.say(t("editor.write.unreachable"), "error");
    return null;
  });
};

// After a write: the map's layers read again; false when that failed (the write stands, the map is a step behind
// and the message says so).
saving.refresh = function (layerIds) {
  return this.reload(layerIds).then(function () { return true; }, function () { return false; });
};

// The message after a write, with a word when the map could not be refreshed.
saving.sayDone = function (text, fresh) {
  this.say(fresh ? text : text + t("editor.write.map_stale"), "ok");
};

// After a write whose message `text` is shown already (none: nothing to add to): the map's layers read again
// (`layerIds`, else all); when that fails the message says the map is behind. Resolves to whether it was read.
saving.refreshAfter = function (layerIds, text) {
  var self = this;
  return this.refresh(layerIds).then(function (fresh) {
    if (!fresh && text) self.sayDone(text, false);
    return fresh;
  });
};

saving.save = function (options) {
  var self = this;
  var cur = this.current;
  if (!cur) return Promise.resolve();
  options = options || {};
  var props = this.formProperties();
  var geometryLayer = cur.isNew ? cur.layer : this.byId[cur.feature.id];
  // the shape is sent only when it was reshaped (or, after a conflict, the planner kept theirs out)
  var geometry = cur.shapeEdited && geometryLayer ? geometryLayer.toGeoJSON().geometry : cur.keepGeometry || undefined;
  var query = options.repair ? "?repair=true" : "";
  return this.write(function (signal) {
    if (cur.isNew) {
      return self.request("POST", self.featureUrl(cur.layerId) + query, { type: "Feature", properties: props, geometry: geometry },
        undefined, signal);
    }
    var body = { version: options.version || cur.feature.properties.version, properties: props };
    if (geometry) body.geometry = geometry;
    return self.request("PATCH", self.featureUrl(cur.layerId, cur.feature.id) + query, body, undefined, signal);
  }).then(function (r) { return r && self.afterSave(r); });
};

// A large layer's place still open after a reload: drawn whole and editable again as `feature` has it (saved, or
// the other person's version taken) — not if the planner has opened another place or closed it meanwhile.
saving.redrawOpened = function (feature) {
  var cur = this.current;
  var large = cur && this.large[cur.layerId];
  if (large && !cur.isNew && cur.feature && cur.feature.id === feature.id) large.edit(feature);
};

saving.afterSave = function (r) {
  var self = this;
  var cur = this.current;
  if (r.ok) {
    var saved = r.body;
    this.stopShapeEdit();
    if (cur.isNew) this.map.removeLayer(cur.layer);
    this.current = { layerId: cur.layerId, feature: saved, isNew: false, shapeEdited: false };
    var notes = saved.notes && saved.notes.length ? t("editor.save.notes", { notes: saved.notes.join(";") }) : "";
    return this.refresh([cur.layerId]).then(function (fresh) {
      self.redrawOpened(saved);
      self.fillForm();
      self.fillLedger();
      self.sayDone(t("editor.save.saved", { name: saved.properties.name, version: saved.properties.version }) + notes, fresh);
    });
  }
  var body = r.body || { message: t("editor.save.failed_http", { status: r.status }) };
  if (r.status === 409 && body.current) return this.explainConflict(body);
  if (r.status === 422 && /make_valid/.test(body.message)) {
    this.showFieldErrors(body.fields);
    if (window.confirm(t("editor.save.repair_ask", { message: body.message }))) {
      return this.save({ repair: true });
    }
    this.say(t("editor.save.invalid", { message: body.message }), "error");
    return;
  }
  this.showFieldErrors(body.fields);
  this.say(t("editor.save.not_saved", { message: body.message }), "error");
};

saving.remove = function () {
  var self = this;
  var f = this.current.feature;
  if (!window.confirm(t("editor.delete.ask", { name: f.properties.name }))) return Promise.resolve();
  var layerId = this.current.layerId;
  return this.write(function (signal) {
    return self.request("DELETE", self.featureUrl(layerId, f.id), undefined, { "If-Match": '"' + f.id + "-v" + f.properties.version + '"' },
      signal);
  }).then(function (r) {
    if (!r) return;
    if (r.status === 204) {
      self.deselect();
      var done = t("editor.delete.done", { name: f.properties.name });
      self.say(done, "ok");
      return self.refreshAfter([layerId], done);
    }
    if (r.status === 409 && r.body && r.body.current) return self.explainDeleteConflict(r.body);
    self.say(t("editor.delete.failed", { message: refusal(r.body, r.status).message }), "error");
  });
};
