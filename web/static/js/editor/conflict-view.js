/*
 * The conflict table a stale save opens in the editor's message area:
 * 字段 / 你的值 / 对方的值 / 原值 for only the fields that really differ
 * (editor/conflict.js works them out), a choice per field (保留我的 / 采用对方的),
 * what the other person changed that no save touches (ledger, photos), and
 * the save on top of their version. Choosing puts the merged values in the
 * form and takes their version as the one the form started from, so a save
 * keeps everything of theirs not chosen away — and a third person's save in
 * the meantime is a new conflict, explained the same way. Methods of Editor.
 */
import { elAttrs as el } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { conflictIntro, conflictRows, keptChanges, mergeChoices } from "./conflict.js";

var conflictView = {};
export default conflictView;

conflictView.explainConflict = function (body) {
  var self = this;
  var cur = this.current;
  var base = cur.feature;
  var theirs = body.current;
  var geometryLayer = cur.isNew ? cur.layer : this.byId[base.id];
  var mine = {
    properties: this.formProperties(),
    geometry: cur.shapeEdited && geometryLayer ? geometryLayer.toGeoJSON().geometry : cur.keepGeometry || null,
  };
  var rows = conflictRows(base, mine, theirs, { roles: this.o.roles, statuses: this.statuses });
  var choices = {};
  var box = this.showMessage("conflict");
  box.appendChild(el("p", null, conflictIntro(theirs, rows)));
  if (rows.length) box.appendChild(this.conflictTable(rows, choices));
  keptChanges(base, theirs).forEach(function (line) { box.appendChild(el("p", { className: "kept" }, line)); });
  var save = el("button", { type: "button", dataset: { action: "conflict-save" } },
    t("editor.conflict.save", { version: theirs.properties.version }));
  save.addEventListener("click", function () { self.saveOnTop(rows, theirs, choices); });
  box.appendChild(save);
  var reload = el("button", { type: "button", dataset: { action: "reload" } }, t("editor.conflict.reload"));
  reload.addEventListener("click", function () { self.takeTheirs(theirs); });
  box.appendChild(reload);
  this.conflictOpen = true;
};

// The table: one row per differing field, a pair of radio buttons to choose.
conflictView.conflictTable = function (rows, choices) {
  var table = el("table", { className: "conflict" });
  var head = el("tr");
  ["field", "mine", "theirs", "base", "choice"].forEach(function (c) {
    head.appendChild(el("th", { scope: "col" }, t("editor.conflict.col." + c)));
  });
  table.appendChild(el("thead")).appendChild(head);
  var tbody = table.appendChild(el("tbody"));
  rows.forEach(function (row) {
    var tr = el("tr", { dataset: { field: row.key } });
    tr.appendChild(el("th", { scope: "row" }, row.label));
    tr.appendChild(el("td", { className: "mine" + (row.changedByMe ? " changed" : "") }, row.text.mine));
    tr.appendChild(el("td", { className: "theirs" + (row.changedByThem ? " changed" : "") }, row.text.theirs));
    tr.appendChild(el("td", { className: "base" }, row.text.base));
    var pick = el("td", { className: "choice" });
    [["mine", "editor.conflict.keep_mine"], ["theirs", "editor.conflict.take_theirs"]].forEach(function (c) {
      var label = el("label");
      var radio = el("input", { type: "radio", name: "conflict-" + row.key, value: c[0] });
      radio.checked = row.choice === c[0];
      radio.addEventListener("change", function () { if (radio.checked) choices[row.key] = c[0]; });
      label.appendChild(radio);
      label.appendChild(document.createTextNode(t(c[1])));
      pick.appendChild(label);
    });
    tr.appendChild(pick);
    tbody.appendChild(tr);
  });
  return table;
};

// Their version becomes the one the form started from; the form holds the merge; then an ordinary save.
conflictView.saveOnTop = function (rows, theirs, choices) {
  var cur = this.current;
  var merged = mergeChoices(rows, theirs, choices, this.o.roles);
  var self = this;
  Object.keys(merged.fields).forEach(function (key) {
    var input = self.inputs && self.inputs[key];
    if (input) input.value = merged.fields[key] === null ? "" : merged.fields[key];
  });
  var shapeRow = rows.filter(function (r) { return r.key === "geometry"; })[0];
  var keepMyShape = Boolean(merged.geometry);
  if (shapeRow && !keepMyShape && cur.shapeEdited) {
    this.stopShapeEdit();
    cur.shapeEdited = false;
  }
  // my shape chosen over theirs when I had not reshaped (theirs moved it): the original is sent back
  cur.keepGeometry = keepMyShape && !cur.shapeEdited ? merged.geometry : null;
  cur.feature = theirs;
  this.conflictOpen = false;
  return this.save();
};

conflictView.takeTheirs = function (theirs) {
  this.stopShapeEdit();
  this.current = { layerId: this.current.layerId, feature: theirs, isNew: false, shapeEdited: false };
  this.conflictOpen = false;
  this.fillForm();
  this.fillLedger();
  var reloaded = t("editor.conflict.reloaded");
  this.say(reloaded, "ok");
  var self = this;
  return this.refreshAfter([this.current.layerId], reloaded).then(function () { self.redrawOpened(theirs); });
};

// A delete refused because the place changed since it was opened: what they changed, then reload or delete theirs.
conflictView.explainDeleteConflict = function (body) {
  var self = this;
  var base = this.current.feature;
  var theirs = body.current;
  var rows = conflictRows(base, { properties: base.properties, geometry: null }, theirs,
    { roles: this.o.roles, statuses: this.statuses });
  var box = this.showMessage("conflict");
  box.appendChild(el("p", null, t("editor.conflict.delete_intro", { who: theirs.properties.updated_by || "—", version: theirs.properties.version })));
  if (rows.length) {
    var table = this.conflictTable(rows, {});
    Array.prototype.forEach.call(table.querySelectorAll(".choice"), function (td) { td.remove(); });
    table.querySelector("thead tr").lastChild.remove();
    box.appendChild(table);
  }
  keptChanges(base, theirs).forEach(function (line) { box.appendChild(el("p", { className: "kept" }, line)); });
  var reload = el("button", { type: "button", dataset: { action: "reload" } }, t("editor.conflict.reload"));
  reload.addEventListener("click", function () { self.takeTheirs(theirs); });
  box.appendChild(reload);
  var del = el("button", { type: "button", className: "danger", dataset: { action: "delete-anyway" } },
    t("editor.conflict.delete_anyway", { version: theirs.properties.version }));
  del.addEventListener("click", function () {
    self.current.feature = theirs;
    self.conflictOpen = false;
    self.remove();
  });
  box.appendChild(del);
  this.conflictOpen = true;
};
