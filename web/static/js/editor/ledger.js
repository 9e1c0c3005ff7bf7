/*
 * The problem ledger (问题台账) of the selected place in the editor: the
 * table with each problem's case (stage, unit/handler, due, overdue, a link
 * to its case page), the form of one problem (with its photos) and saving.
 * A problem's status is not edited here: it follows its case, which moves
 * only through the case loop (派遣 → 处置 → 核查 → 结案) on the case page.
 * Methods of Editor (editor/editor.js composes them).
 */
import { elAttrs as el } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { refusal } from "./answers.js";
import { caseSummary, casePageUrl, localDue } from "./case-view.js";
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
  var view = {
    openStatuses: this.o.problemStatuses.filter(function (s) { return s.open; }).map(function (s) { return s.key; }),
    timeZone: this.o.timezone, stageLabels: this.o.caseStages,
  };
  var now = this.caseClock();
  box.appendChild(el("h2", null, t("editor.ledger.title")));
  box.appendChild(el("p", { className: "rule" }, this.o.ruleExplanation));
  box.appendChild(el("p", { className: "hint case-hint" }, t("editor.ledger.loop_hint")));
  var problems = cur.feature.properties.problems || [];
  var table = el("table", { className: "problems" });
  var head = el("tr");
  ["category", "description", "stage", "responsible", "deadline"].forEach(function (k) { head.appendChild(el("th", null, t("editor.ledger." + k))); });
  head.appendChild(el("th", null, ""));
  table.appendChild(head);
  problems.forEach(function (p) {
    var c = caseSummary(p, view, now);
    var row = el("tr", { dataset: { problem: p.id, stage: c.stage } });
    row.appendChild(el("td", null, p.category || ""));
    row.appendChild(el("td", null, p.description || ""));
    row.appendChild(el("td", { className: "case-stage" }, c.label));
    row.appendChild(el("td", { className: "case-who" }, c.who));
    var due = el("td", { className: "case-due" }, c.due);
    if (c.overdue) {
      row.classList.add("is-overdue");
      due.appendChild(el("span", { className: "badge overdue" }, t("editor.ledger.overdue")));
    }
    row.appendChild(due);
    var cell = el("td");
    var edit = el("button", { type: "button", dataset: { action: "problem-edit" } }, t("editor.ledger.edit"));
    edit.addEventListener("click", function () { self.problemForm(p); });
    cell.appendChild(edit);
    cell.appendChild(el("a", { href: casePageUrl(self.o.api.casePage, cur.layerId, cur.feature.id, p.id),
                               className: "case-link", title: t("editor.ledger.case_link_title"),
                               dataset: { action: "problem-case" } }, t("editor.ledger.case_link")));
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

// The campaign's time now: the server's clock when the page was made, moved on by the desk's since.
ledger.caseClock = function () {
  if (this.clockOffset === undefined) {
    var server = Date.parse(this.o.serverNow);
    this.clockOffset = isNaN(server) ? 0 : server - Date.now();
  }
  return new Date(Date.now() + this.clockOffset);
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
  // required, today (the campaign's day) unless it says otherwise: the daily report counts problems by it
  var found = el("input", { name: "found_on", type: "date", required: true });
  found.value = p.found_on || localDue(this.caseClock().toISOString(), this.o.timezone).slice(0, 10);
  add("found_on", t("editor.ledger.found_on"), found);
  var by = el("input", { name: "found_by" });
  by.value = p.found_by || "";
  add("found_by", t("editor.ledger.found_by"), by);
  // no status, deadline or responsible: they follow the case (dispatch sets them, the loop closes it)
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
  return this.write(function (signal) {
    return pid ? self.request("PATCH", base + "/" + encodeURIComponent(pid), body, undefined, signal)
      : self.request("POST", base, body, undefined, signal);
  }).then(function (r) {
    if (!r) return;
    if (r.ok) {
      self.current.feature = r.body;
      self.fillForm();
      self.fillLedger();
      var saved = t("editor.ledger.saved", { version: r.body.properties.version });
      self.say(saved, "ok");
      return self.refreshAfter([cur.layerId], saved);
    }
    if (r.status === 409 && r.body && r.body.current) return self.explainConflict(r.body);
    self.say(t("editor.ledger.not_saved", { message: refusal(r.body, r.status).message }), "error");
  });
};
