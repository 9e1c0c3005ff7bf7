/*
 * The problem ledger (问题台账) of the selected place in the editor: the
 * table, the form of one problem (with its photos), closing (销号) and saving. Methods of
 * Editor (editor/editor.js composes them).
 */
import { elAttrs as el } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { option } from "./form.js";

var ledger = {};
export default ledger;

// --- ledger ---------------------------------------------------------------------
ledger.fillLedger = function () {
  var self = this;
  var cur = this.current;
  var box = this.ledger;
  box.textContent = "";
  this.fillPhotos(); // the place's photos (editor/photos.js)
  if (!cur || cur.isNew) { box.hidden = true; return; }
  box.hidden = false;
  var labels = {};
  this.o.problemStatuses.forEach(function (p) { labels[p.key] = p.label; });
  box.appendChild(el("h2", null, t("editor.ledger.title")));
  box.appendChild(el("p", { className: "rule" }, this.o.ruleExplanation));
  var problems = cur.feature.properties.problems || [];
  var table = el("table", { className: "problems" });
  var head = el("tr");
  ["category", "description", "deadline", "responsible", "status"].forEach(function (k) { head.appendChild(el("th", null, t("editor.ledger." + k))); });
  head.appendChild(el("th", null, ""));
  table.appendChild(head);
  problems.forEach(function (p) {
    var row = el("tr", { dataset: { problem: p.id } });
    [p.category, p.description, p.deadline, p.responsible, labels[p.status] || p.status].forEach(function (v) {
      row.appendChild(el("td", null, v || ""));
    });
    var cell = el("td");
    var edit = el("button", { type: "button", dataset: { action: "problem-edit" } }, t("editor.ledger.edit"));
    edit.addEventListener("click", function () { self.problemForm(p); });
    cell.appendChild(edit);
    var isOpen = self.o.problemStatuses.some(function (s) { return s.key === p.status && s.open; });
    if (isOpen) {
      var close = el("button", { type: "button", dataset: { action: "problem-close" } }, t("editor.ledger.close"));
      close.addEventListener("click", function () {
        var closed = self.o.problemStatuses.filter(function (s) { return !s.open; })[0].key;
        self.saveProblem(p.id, { status: closed });
      });
      cell.appendChild(close);
    }
    row.appendChild(cell);
    table.appendChild(row);
  });
  box.appendChild(table);
  var add = el("button", { type: "button", dataset: { action: "problem-add" } }, t("editor.ledger.add"));
  add.addEventListener("click", function () { self.problemForm(null); });
  box.appendChild(add);
  this.problemBox = el("div", { className: "problem-form" });
  box.appendChild(this.problemBox);
};

ledger.problemForm = function (problem) {
  var self = this;
  var p = problem || {};
  var box = this.problemBox;
  box.textContent = "";
  var form = el("form");
  var inputs = {};
  var add = function (key, label, node) { inputs[key] = node; form.appendChild(self.field(label, node)); };
  var cat = el("select", { name: "category" });
  this.o.categories.forEach(function (c) { cat.appendChild(option(c, c, c === p.category)); });
  add("category", t("editor.ledger.category"), cat);
  var desc = el("textarea", { name: "description" });
  desc.value = p.description || "";
  add("description", t("editor.ledger.description"), desc);
  ["found_on", "deadline"].forEach(function (k) {
    var i = el("input", { name: k, type: "date" });
    i.value = p[k] || "";
    add(k, t(k === "found_on" ? "editor.ledger.found_on" : "editor.ledger.deadline"), i);
  });
  var by = el("input", { name: "found_by" });
  by.value = p.found_by || "";
  add("found_by", t("editor.ledger.found_by"), by);
  var resp = el("input", { name: "responsible" });
  resp.value = p.responsible || "";
  add("responsible", t("editor.ledger.responsible"), resp);
  var st = el("select", { name: "status" });
  this.o.problemStatuses.forEach(function (s) { st.appendChild(option(s.key, s.label, s.key === (p.status || "open"))); });
  add("status", t("editor.ledger.status"), st);
  form.appendChild(el("button", { type: "submit", dataset: { action: "problem-save" } }, t(problem ? "editor.ledger.save" : "editor.ledger.create")));
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var values = {};
    Object.keys(inputs).forEach(function (k) { values[k] = inputs[k].value.trim() || null; });
    values.description = values.description || "";
    if (problem) self.saveProblem(problem.id, values);
    else self.saveProblem(null, values);
  });
  box.appendChild(form);
  if (problem) { // its photos: 整改前, 整改后, 核查 (editor/photos.js)
    this.problemPhotoBox = el("div", { className: "problem-photos", dataset: { problem: problem.id } });
    box.appendChild(this.problemPhotoBox);
    this.fillProblemPhotos();
  }
};

ledger.saveProblem = function (pid, values) {
  var self = this;
  var cur = this.current;
  var base = this.featureUrl(cur.layerId, cur.feature.id, "/problems");
  var body = { version: cur.feature.properties.version, problem: values };
  var call = pid ? this.request("PATCH", base + "/" + encodeURIComponent(pid), body) : this.request("POST", base, body);
  return call.then(function (r) {
    if (r.ok) {
      self.current.feature = r.body;
      self.fillForm();
      self.fillLedger();
      self.say(t("editor.ledger.saved", { version: r.body.properties.version }), "ok");
      return self.reload([cur.layerId]);
    }
    if (r.status === 409 && r.body.current) return self.explainConflict(r.body);
    self.say(t("editor.ledger.not_saved", { message: r.body ? r.body.message : r.status }), "error");
  });
};
