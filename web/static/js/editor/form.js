/*
 * The attribute form of the selected (or new) place: fields, the properties
 * it sends, and the server's field errors shown beside each field. Methods
 * of Editor (editor/editor.js composes them).
 */
import { elAttrs as el } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { covers, describe } from "../lib/scope.js";
import { editorFields, fieldValue } from "./conflict.js";

var form = {};

export function option(value, label, selected) {
  var o = el("option", { value: value }, label);
  if (selected) o.selected = true;
  return o;
}
export default form;

form.field = function (label, input) {
  var wrap = el("label", { className: "field" });
  wrap.appendChild(el("span", null, label));
  wrap.appendChild(input);
  var err = el("small", { className: "field-error" });
  wrap.appendChild(err);
  input.guatuError = err;
  return wrap;
};

form.fillForm = function () {
  var self = this;
  var cur = this.current;
  var layerDef = this.o.layers.filter(function (x) { return x.id === cur.layerId; })[0];
  var p = (cur.feature && cur.feature.properties) || {};
  var f = this.form;
  f.textContent = "";
  f.hidden = false;
  this.raiseSheet();
  var title = cur.isNew ? t("editor.new", { layer: layerDef.title }) : t("editor.form.title", { name: p.name, id: cur.feature.id, version: p.version });
  f.appendChild(el("h2", null, title));
  // a place outside the user's scope (三级管理) is shown read-only: the server would refuse its save (403)
  var readOnly = !cur.isNew && !covers(this.o.scope, p);
  if (readOnly) f.appendChild(el("p", { className: "scope-read-only", role: "note" }, t("editor.scope.read_only", { scope: describe(this.o.scope) })));
  this.inputs = {};
  var text = function (key, label, value, type) {
    var input = el(type === "textarea" ? "textarea" : "input", { name: key });
    if (type && type !== "textarea") input.type = type;
    input.value = value || "";
    self.inputs[key] = input;
    f.appendChild(self.field(label, input));
  };
  var select = function (key, label, items, value) {
    var s = el("select", { name: key });
    items.forEach(function (it) { s.appendChild(option(it[0], it[1], it[0] === value)); });
    self.inputs[key] = s;
    f.appendChild(self.field(label, s));
  };
  text("name", t("editor.field.name"), p.name);
  select("kind", t("editor.field.kind"), layerDef.kinds.map(function (k) { return [k, k]; }), p.kind || layerDef.kinds[0]);
  text("street", t("editor.field.street"), p.street);
  text("community", t("editor.field.community"), p.community);
  select("status", t("editor.form.status"), this.o.statuses.map(function (s) { return [s.key, s.label]; }), p.status || this.o.statuses[0].key);
  text("deadline", t("editor.field.deadline"), p.deadline, "date");
  text("unit", t("editor.field.unit"), p.unit);
  var people = p.people || {};
  this.o.roles.forEach(function (r) { text("people." + r.key, r.label, people[r.key]); });
  text("notes", t("editor.field.notes"), p.notes, "textarea");

  var buttons = el("div", { className: "buttons" });
  buttons.appendChild(el("button", { type: "submit", dataset: { action: "save" } }, t("editor.form.save")));
  if (!cur.isNew) {
    var shape = el("button", { type: "button", dataset: { action: "shape" } }, t("editor.shape.edit"));
    shape.addEventListener("click", function () { self.toggleShapeEdit(shape); });
    buttons.appendChild(shape);
    var del = el("button", { type: "button", className: "danger", dataset: { action: "delete" } }, t("editor.form.delete"));
    del.addEventListener("click", function () { self.remove(); });
    buttons.appendChild(del);
    var hist = el("a", { href: this.url("history", cur.layerId, cur.feature.id), target: "_blank", rel: "noopener" }, t("editor.form.history"));
    buttons.appendChild(hist);
    buttons.appendChild(el("a", { href: this.url("dossier", cur.layerId, cur.feature.id), target: "_blank", rel: "noopener" }, t("editor.form.dossier")));
  }
  var cancel = el("button", { type: "button", dataset: { action: "cancel" } }, t("editor.form.cancel"));
  cancel.addEventListener("click", function () { self.deselect(); });
  buttons.appendChild(cancel);
  f.appendChild(buttons);
  if (readOnly) {
    Array.prototype.forEach.call(f.querySelectorAll("input, select, textarea, button[data-action=save], button[data-action=shape], button[data-action=delete]"),
      function (input) { input.disabled = true; });
  }
};

form.formProperties = function () {
  var props = { people: {} };
  var self = this;
  Object.keys(this.inputs).forEach(function (key) {
    var value = self.inputs[key].value.trim();
    if (key.indexOf("people.") === 0) {
      if (value) props.people[key.slice(7)] = value;
    } else {
      props[key] = value === "" && (key === "deadline" || key === "street" || key === "community" || key === "unit") ? null : value;
    }
  });
  return props;
};

// Whether the form holds something not saved: a new place, a reshaped one, or a field changed from the place as loaded.
form.hasUnsavedChanges = function () {
  var cur = this.current;
  if (!cur || !this.inputs) return false;
  if (cur.isNew || cur.shapeEdited) return true;
  var mine = this.formProperties();
  var base = cur.feature.properties;
  return editorFields(this.o.roles).some(function (f) {
    return Boolean(this.inputs[f.key]) && fieldValue(mine, f.key) !== fieldValue(base, f.key);
  }, this);
};

form.showFieldErrors = function (fields) {
  var self = this;
  Object.keys(this.inputs || {}).forEach(function (k) { self.inputs[k].guatuError.textContent = ""; });
  (fields || []).forEach(function (f) {
    var name = f.field.replace(/^properties\./, "");  // the request checks name the body's path
    var input = self.inputs[name] || self.inputs[name.split(".")[0]];
    if (input) input.guatuError.textContent = f.message;
  });
};
