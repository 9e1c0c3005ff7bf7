/*
 * Selecting in the editor: one place to edit (its form and ledger), several
 * to change at once (Ctrl+click, a box), and the bulk status change — which
 * starts with no status chosen, cannot be sent before one is, and asks with
 * the count ("将 23 处改为「整改中」?"). Methods of Editor (editor/editor.js
 * composes them).
 */
import { elAttrs as el } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { option } from "./form.js";

var selection = {};
export default selection;

// --- selecting ----------------------------------------------------------------
selection.select = function (layerId, id) {
  var self = this;
  if (this.pastDayShown()) return Promise.resolve();
  this.stopShapeEdit();
  this.clearSelection();
  var previous = this.current && this.current.feature ? this.current.feature.id : null;
  return this.request("GET", this.featureUrl(layerId, id)).then(function (r) {
    if (!r.ok) { self.say(r.body ? r.body.message : t("editor.select.failed"), "error"); return; }
    self.releaseLarge();
    self.current = { layerId: layerId, feature: r.body, isNew: false, shapeEdited: false };
    if (self.large[layerId]) self.large[layerId].edit(r.body); // drawn whole and editable (editor/large-layer.js)
    var layer = self.byId[id];
    if (layer && !self.map.getBounds().contains(layer.getBounds())) {
      self.map.fitBounds(layer.getBounds(), { maxZoom: 17, animate: false });
    }
    if (previous) self.restyle(previous);
    self.restyle(id);
    self.say("");
    self.fillForm();
    self.fillLedger();
  }, function () { self.say(t("editor.select.unreachable"), "error"); });
};

selection.deselect = function () {
  this.stopShapeEdit();
  var previous = this.current && this.current.feature ? this.current.feature.id : null;
  if (this.current && this.current.isNew && this.current.layer) this.map.removeLayer(this.current.layer);
  this.current = null;
  this.releaseLarge();
  if (previous) this.restyle(previous);
  this.form.hidden = true;
  this.photoBox.hidden = true;
  this.ledger.hidden = true;
  this.say("");
};

// A large layer's place no longer edited: its whole shape taken away, its copy in the view drawn again.
selection.releaseLarge = function () {
  var large = this.large;
  Object.keys(large).forEach(function (layerId) { large[layerId].release(); });
};

// `selection` maps each selected id to its layer (found when it is selected: a large layer's place may have left
// the view by the time the status is set).
selection.toggleSelection = function (id) {
  if (this.pastDayShown()) return;
  if (this.selection[id]) delete this.selection[id];
  else this.selection[id] = this.layerOfId(id) || true;
  this.restyle(id);
  this.showBulk();
};

selection.clearSelection = function () {
  var self = this;
  var ids = Object.keys(this.selection);
  this.selection = {};
  ids.forEach(function (id) { self.restyle(id); });
  this.showBulk();
};

selection.startBoxSelect = function () {
  if (this.pastDayShown()) return;
  this.deselect();
  this.boxSelecting = true;
  this.map.pm.enableDraw("Rectangle");
  this.say(t("editor.select.box_hint"), "info");
  this.lowerSheet();
};

selection.showBulk = function () {
  var self = this;
  var ids = Object.keys(this.selection);
  var b = this.bulk;
  b.textContent = "";
  b.hidden = ids.length === 0;
  if (!ids.length) return;
  b.appendChild(el("h2", null, t("editor.bulk.selected", { n: ids.length })));
  var s = el("select", { name: "bulk-status", required: "required" });
  s.appendChild(option("", t("editor.bulk.choose"), true));
  s.firstChild.disabled = true;
  this.o.statuses.forEach(function (st) { s.appendChild(option(st.key, st.label)); });
  b.appendChild(this.field(t("editor.bulk.status"), s));
  var apply = el("button", { type: "button", dataset: { action: "bulk-apply" } }, t("editor.bulk.apply"));
  apply.disabled = true; // nothing is sent before a status is chosen
  s.addEventListener("change", function () { apply.disabled = !self.statuses[s.value]; });
  apply.addEventListener("click", function () {
    var status = self.statuses[s.value];
    if (!status) return;
    var n = Object.keys(self.selection).length;
    var limit = self.o.bulkLimit; // what the API takes in one change (web/api/writes.py MAX_BATCH): said before anything is sent
    if (limit && n > limit) {
      self.say(t("editor.bulk.too_many", { n: n, maximum: limit }), "error");
      return;
    }
    if (window.confirm(t("editor.bulk.confirm", { n: n, status: status.label }))) self.bulkStatus(status.key);
  });
  b.appendChild(apply);
  var clear = el("button", { type: "button", dataset: { action: "bulk-clear" } }, t("editor.bulk.clear"));
  clear.addEventListener("click", function () { self.clearSelection(); });
  b.appendChild(clear);
};

selection.bulkStatus = function (status) {
  var self = this;
  var byLayer = {};
  Object.keys(this.selection).forEach(function (id) {
    var layerId = typeof self.selection[id] === "string" ? self.selection[id] : self.layerOfId(id);
    byLayer[layerId] = byLayer[layerId] || [];
    byLayer[layerId].push(id);
  });
  // Versions come from the server so the batch is checked as one.
  var send = function (signal) {
    return Promise.all(Object.keys(byLayer).map(function (layerId) {
      var ids = byLayer[layerId];
      return Promise.all(ids.map(function (id) {
        return self.request("GET", self.featureUrl(layerId, id), undefined, undefined, signal);
      })).then(function (answers) {
        var failed = answers.filter(function (a) { return !a.ok; })[0];
        if (failed) return failed;
        var features = {};
        answers.forEach(function (a, i) { features[ids[i]] = a.body.properties.version; });
        return self.request("POST", self.url("features", layerId).replace(/\/features$/, "/status"), { status: status, features: features },
          undefined, signal);
      });
    }));
  };
  return this.write(send).then(function (results) {
    if (!results) return; // not sent: the selection stays for another try
    var bad = results.filter(function (r) { return !r.ok; })[0];
    var done = t("editor.bulk.done", { n: Object.keys(self.selection).length, status: self.statuses[status].label });
    if (bad) self.say(bad.body ? bad.body.message : t("editor.save.failed_http", { status: bad.status }), "error");
    else self.say(done, "ok");
    if (!bad) self.selection = {}; // (refused: the selection stays, to be tried again or changed)
    self.showBulk();
    return self.refreshAfter(undefined, bad ? null : done);
  });
};
