/*
 * The editor's side panel: the tools (new place per layer, box select), the
 * search box, the message line with its actions, the bulk, attribute, photo and ledger sections,
 * the past-day viewer, links. Methods of Editor (editor/editor.js composes them).
 */
import { elAttrs as el } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { addBell } from "../inbox/bell.js";

var panel = {};
export default panel;

// --- panel -------------------------------------------------------------------
panel.buildPanel = function () {
  var self = this;
  var panel = (this.panel = el("aside", { className: "guatu-edit-panel" }));
  L.DomEvent.disableClickPropagation(panel);
  L.DomEvent.disableScrollPropagation(panel);

  var head = el("header");
  head.appendChild(el("h1", null, t("editor.title", { title: this.o.title })));
  head.appendChild(el("p", { className: "who" }, t("editor.user", { user: this.o.user })));
  if (this.o.withheld && this.o.withheld.length) { // damaged layer files: not drawn, not offered (the banner says why)
    head.appendChild(el("p", { className: "withheld", role: "alert" }, t("editor.layers.withheld", { layers: this.o.withheld.join("、") })));
  }
  panel.appendChild(head);

  var tools = el("div", { className: "tools" });
  this.o.layers.forEach(function (layer) {
    var drawsLines = layer.geometryTypes.indexOf("Polygon") < 0;
    var b = el("button", { type: "button", dataset: { action: "new", layer: layer.id } }, t("editor.new", { layer: layer.title }));
    b.addEventListener("click", function () { self.startDrawing(layer.id, drawsLines ? "Line" : "Polygon"); });
    tools.appendChild(b);
    if (layer.geometryTypes.indexOf("LineString") >= 0 && !drawsLines) {
      var line = el("button", { type: "button", dataset: { action: "new-line", layer: layer.id } }, t("editor.new_line", { layer: layer.title }));
      line.addEventListener("click", function () { self.startDrawing(layer.id, "Line"); });
      tools.appendChild(line);
    }
  });
  var box = el("button", { type: "button", dataset: { action: "box" } }, t("editor.box_select"));
  box.addEventListener("click", function () { self.startBoxSelect(); });
  tools.appendChild(box);
  panel.appendChild(tools);
  panel.appendChild(this.buildSearch());

  this.message = el("div", { className: "message", role: "status" });
  this.message.hidden = true;
  panel.appendChild(this.message);

  this.bulk = el("section", { className: "bulk" });
  this.bulk.hidden = true;
  panel.appendChild(this.bulk);

  this.form = el("form", { className: "attrs", novalidate: "novalidate" });
  this.form.hidden = true;
  this.form.addEventListener("submit", function (e) { e.preventDefault(); self.save(); });
  panel.appendChild(this.form);

  this.photoBox = el("div", { className: "place-photos" });
  this.photoBox.hidden = true;
  panel.appendChild(this.photoBox);

  this.ledger = el("section", { className: "ledger" });
  this.ledger.hidden = true;
  panel.appendChild(this.ledger);

  var past = el("section", { className: "past" });
  past.appendChild(el("h2", null, t("editor.as_of.title")));
  var day = el("input", { type: "date", name: "as-of" });
  past.appendChild(this.field(t("editor.as_of.day"), day));
  var show = el("button", { type: "button", dataset: { action: "as-of" } }, t("editor.as_of.show"));
  show.addEventListener("click", function () { if (day.value) self.showAsOf(day.value); });
  past.appendChild(show);
  var back = el("button", { type: "button", dataset: { action: "as-of-exit" } }, t("editor.as_of.exit"));
  back.addEventListener("click", function () { self.exitAsOf(); });
  past.appendChild(back);
  panel.appendChild(past);

  var links = el("nav", { className: "links" });
  (this.o.links || []).forEach(function (l) { links.appendChild(el("a", { href: l.href }, l.label)); });
  addBell(links, this.o.inbox); // the reader's notifications (web/inbox)
  panel.appendChild(links);

  var hint = el("p", { className: "hint" }, t("editor.hint"));
  panel.appendChild(hint);
  document.body.appendChild(panel);
  this.buildSheet();
};

panel.say = function (text, kind, actions) {
  if (!text) {
    this.message.textContent = "";
    this.message.hidden = true;
    this.conflictOpen = false;
    return;
  }
  var m = this.showMessage(kind || "info");
  m.appendChild(el("p", null, text));
  (actions || []).forEach(function (a) {
    var b = el("button", { type: "button", dataset: { action: a.action } }, a.label);
    b.addEventListener("click", a.run);
    m.appendChild(b);
  });
};

// The message area emptied, shown and raised, of a kind (info, ok, error, conflict): the box to fill.
panel.showMessage = function (kind) {
  var m = this.message;
  m.textContent = "";
  m.hidden = false;
  this.conflictOpen = false;
  this.raiseSheet();
  m.className = "message message-" + kind;
  return m;
};
