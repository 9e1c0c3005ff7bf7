/*
 * The print dialog: paper (A4–A0), orientation, area (the current view, or a
 * sub-district / community), layers, statuses, title, date, legend, locator
 * inset and photo strip, then a link to the printed map (/print) with exactly
 * those parameters; and an atlas (/print/atlas.pdf) with a page per
 * sub-district or community. The server checks every parameter again.
 *
 * A native <dialog> opened modal: focus stays in it, Esc closes it and focus
 * returns to the button that opened it; every control is a labelled form
 * element, large enough to touch, and the dialog scrolls within a phone's
 * screen. Names are set with textContent only. The sub-districts and
 * communities come from /print/areas.json (what /print itself finds).
 */
import { t } from "./messages.js";
import { el, elAttrs } from "./dom.js";
import { PAPERS, atlasParams, printParams } from "./print-params.js";

function url(path, params) {
  // relative to the page, so the app also works below a path prefix
  return new URL(path + "?" + params.toString(), document.baseURI).toString();
}

var counter = 0;

function field(labelText, control) {
  var id = "guatu-print-" + ++counter;
  control.id = id;
  var row = el("div", "guatu-print-row");
  row.append(elAttrs("label", { for: id }, labelText), control);
  return row;
}

function select(name, options, chosen) {
  var s = elAttrs("select", { name: name });
  options.forEach(function (o) {
    var opt = elAttrs("option", { value: o.value }, o.label);
    if (o.value === chosen) opt.selected = true;
    s.append(opt);
  });
  return s;
}

function choices(legend, name, items, type) {
  var box = el("fieldset", "guatu-print-choices");
  box.append(el("legend", null, legend));
  items.forEach(function (item) {
    var id = "guatu-print-" + ++counter;
    var input = elAttrs("input", { type: type || "checkbox", name: name, value: item.value, id: id });
    input.checked = item.checked !== false;
    var label = elAttrs("label", { for: id, className: "guatu-print-choice" });
    label.append(input, document.createTextNode(item.label));
    box.append(label);
  });
  return box;
}

function checked(form, name) {
  return Array.prototype.filter.call(form.querySelectorAll('input[name="' + name + '"]'), function (i) {
    return i.checked;
  }).map(function (i) { return i.value; });
}

export class PrintDialog {
  // map: the Leaflet map (its view is the default area); options: the page's {statuses, layers}
  constructor(map, options) {
    this.map = map;
    this.options = options || {};
    this.dialog = null;
    this.areas = null;
  }

  open(opener) {
    if (!this.dialog) this.build();
    this.opener = opener || document.activeElement;
    this.loadAreas();
    this.update();
    this.dialog.showModal();
    this.form.elements.paper.focus();
  }

  close() {
    if (this.dialog && this.dialog.open) this.dialog.close();
  }

  build() {
    var self = this;
    var d = elAttrs("dialog", { className: "guatu-print-dialog", "aria-labelledby": "guatu-print-heading" });
    var form = elAttrs("form", { method: "dialog" });
    this.form = form;
    form.append(elAttrs("h2", { id: "guatu-print-heading" }, t("print.dialog.title")));

    var sheet = el("div", "guatu-print-grid");
    sheet.append(field(t("print.dialog.paper"), select("paper", PAPERS.map(function (p) {
      return { value: p, label: p };
    }), "A3")));
    sheet.append(field(t("print.dialog.orientation"), select("orientation", [
      { value: "landscape", label: t("print.dialog.landscape") },
      { value: "portrait", label: t("print.dialog.portrait") },
    ], "landscape")));
    form.append(sheet);

    var scope = choices(t("print.dialog.scope"), "scope", [
      { value: "view", label: t("print.dialog.scope_view"), checked: true },
      { value: "area", label: t("print.dialog.scope_area"), checked: false },
    ], "radio");
    this.street = select("street", [{ value: "", label: t("print.dialog.every_street") }], "");
    this.community = select("community", [{ value: "", label: t("print.dialog.every_community") }], "");
    this.areaRows = el("div", "guatu-print-grid");
    this.areaRows.append(field(t("print.dialog.street"), this.street), field(t("print.dialog.community"), this.community));
    scope.append(this.areaRows);
    form.append(scope);

    var layers = (this.options.layers || []).map(function (l) { return { value: l.id, label: l.title }; });
    var statuses = (this.options.statuses || []).map(function (s) { return { value: s.key, label: s.label }; });
    this.allLayers = layers.map(function (l) { return l.value; });
    this.allStatuses = statuses.map(function (s) { return s.value; });
    form.append(choices(t("print.dialog.layers"), "layers", layers));
    form.append(choices(t("print.dialog.statuses"), "statuses", statuses));

    var texts = el("div", "guatu-print-grid");
    texts.append(field(t("print.dialog.heading"), elAttrs("input", {
      type: "text", name: "title", maxlength: "120", placeholder: t("print.dialog.heading_hint"),
    })));
    texts.append(field(t("print.dialog.date"), elAttrs("input", { type: "date", name: "date" })));
    form.append(texts);
    form.append(choices(t("print.dialog.contents"), "contents", [
      { value: "legend", label: t("print.dialog.legend"), checked: true },
      { value: "locator", label: t("print.dialog.locator"), checked: true },
      { value: "photos", label: t("print.dialog.photos"), checked: false },
    ]));

    this.warning = elAttrs("p", { className: "guatu-print-warning", role: "alert" });
    this.warning.hidden = true;
    form.append(this.warning);

    var actions = el("div", "guatu-print-actions");
    this.go = elAttrs("a", { className: "guatu-print-go", target: "_blank", rel: "noopener" }, t("print.dialog.print"));
    var cancel = elAttrs("button", { type: "button", className: "guatu-print-cancel" }, t("print.dialog.cancel"));
    actions.append(this.go, cancel);
    form.append(actions);

    var atlas = choices(t("print.dialog.atlas"), "by", [
      { value: "street", label: t("print.dialog.atlas_street"), checked: true },
      { value: "community", label: t("print.dialog.atlas_community"), checked: false },
    ], "radio");
    this.atlas = elAttrs("a", { className: "guatu-print-atlas", target: "_blank", rel: "noopener" },
      t("print.dialog.atlas_print"));
    atlas.append(this.atlas);
    form.append(atlas);

    d.append(form);
    document.body.append(d);
    this.dialog = d;

    form.addEventListener("input", function () { self.update(); });
    form.addEventListener("change", function (e) {
      if (e.target === self.street) self.fillCommunities();
      self.update();
    });
    cancel.addEventListener("click", function () { self.close(); });
    [this.go, this.atlas].forEach(function (a) {
      a.addEventListener("click", function (e) {
        if (a.getAttribute("aria-disabled") === "true") { e.preventDefault(); return; }
        self.close();
      });
    });
    d.addEventListener("close", function () {
      if (self.opener && self.opener.focus) self.opener.focus();
    });
  }

  loadAreas() {
    var self = this;
    if (this.areas) return;
    fetch(new URL("print/areas.json", document.baseURI), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body) return;
        self.areas = body.streets;
        body.streets.forEach(function (s) { self.street.append(elAttrs("option", { value: s.name }, s.name)); });
        var date = self.form.elements.date;
        if (!date.value) date.value = body.today;
        self.update();
      })
      .catch(function () { /* the area list stays "the whole district"; the view still prints */ });
  }

  fillCommunities() {
    var street = this.street.value;
    var found = (this.areas || []).filter(function (s) { return s.name === street; })[0];
    while (this.community.options.length > 1) this.community.remove(1);
    this.community.value = "";
    (found ? found.communities : []).forEach(function (c) {
      this.community.append(elAttrs("option", { value: c }, c));
    }, this);
  }

  choice() {
    var f = this.form;
    var b = this.map.getBounds();
    var contents = checked(f, "contents");
    return {
      paper: f.elements.paper.value,
      orientation: f.elements.orientation.value,
      scope: checked(f, "scope")[0] || "view",
      bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
      street: this.street.value,
      community: this.community.value,
      layers: checked(f, "layers"),
      allLayers: this.allLayers,
      statuses: checked(f, "statuses"),
      allStatuses: this.allStatuses,
      title: f.elements.title.value,
      date: f.elements.date.value,
      legend: contents.indexOf("legend") >= 0,
      locator: contents.indexOf("locator") >= 0,
      photos: contents.indexOf("photos") >= 0,
      by: checked(f, "by")[0] || "street",
    };
  }

  update() {
    var c = this.choice();
    this.areaRows.hidden = c.scope !== "area";
    var empty = !c.layers.length || !c.statuses.length;
    this.warning.hidden = !empty;
    this.warning.textContent = empty ? t("print.dialog.need_one") : "";
    if (empty) {
      this.go.removeAttribute("href");
      this.go.setAttribute("aria-disabled", "true");
    } else {
      this.go.href = url("print", printParams(c));
      this.go.removeAttribute("aria-disabled");
    }
    this.atlas.href = url("print/atlas.pdf", atlasParams(c));
  }
}
