/*
 * The editor's search box: places found by name as the wall finds them
 * (lib/search.js), shown as a listbox under the box — arrows move through it,
 * Enter or a click opens the place in the form, Esc closes the list. Methods
 * of Editor (editor/editor.js composes them).
 */
import { elAttrs as el } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { findByName } from "../lib/search.js";

var search = {};
export default search;

var LIMIT = 8;

// Places of the loaded layers whose name contains the text, best first; of a large layer, every place once its
// names are loaded (Editor.loadLargeNames), else those of the view.
search.searchPlaces = function (text, limit) {
  var self = this;
  return findByName(text, function (visit) {
    Object.keys(self.layers).forEach(function (layerId) {
      var keys = self.largeKeys[layerId];
      if (keys) {
        for (var i = 0; i < keys.length; i++) visit(keys[i].place, keys[i].key);
        return;
      }
      self.layers[layerId].eachLayer(function (layer) {
        var p = layer.feature.properties || {};
        visit({ layerId: layerId, id: layer.feature.id, name: p.name, street: p.street, community: p.community });
      });
    });
  }, limit || LIMIT);
};

search.buildSearch = function () {
  var self = this;
  var box = el("div", { className: "search", role: "search" });
  var input = el("input", {
    type: "search", name: "place-search", autocomplete: "off", role: "combobox", "aria-expanded": "false",
    "aria-controls": "guatu-edit-search-results", "aria-autocomplete": "list",
    placeholder: t("editor.search.placeholder"), "aria-label": t("editor.search.label"),
  });
  var list = el("ul", { id: "guatu-edit-search-results", className: "search-results", role: "listbox", "aria-label": t("editor.search.label") });
  var status = el("p", { className: "search-status", role: "status" });
  list.hidden = true;
  box.appendChild(input);
  box.appendChild(list);
  box.appendChild(status);
  var hits = [];
  var active = -1;
  var mark = function (i) {
    active = i;
    Array.prototype.forEach.call(list.children, function (li, n) { li.setAttribute("aria-selected", n === i ? "true" : "false"); });
    if (i >= 0 && list.children[i]) input.setAttribute("aria-activedescendant", list.children[i].id);
    else input.removeAttribute("aria-activedescendant");
  };
  var close = function () {
    list.textContent = "";
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    mark(-1);
  };
  var render = function () {
    hits = self.searchPlaces(input.value);
    list.textContent = "";
    hits.forEach(function (h, i) {
      var li = el("li", { id: "guatu-edit-hit-" + i, role: "option", className: "search-hit", dataset: { id: h.id, layer: h.layerId } });
      li.appendChild(el("span", { className: "search-name" }, h.name || h.id));
      var where = [h.street, h.community].filter(Boolean).join(" · ");
      if (where) li.appendChild(el("span", { className: "search-where" }, where));
      li.addEventListener("mousedown", function (e) { e.preventDefault(); }); // the box keeps the focus
      li.addEventListener("click", function () { choose(i); });
      list.appendChild(li);
    });
    list.hidden = !hits.length;
    input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    status.textContent = input.value.trim() ? (hits.length ? t("editor.search.count", { n: hits.length }) : t("editor.search.none")) : "";
    mark(hits.length ? 0 : -1);
  };
  var choose = function (i) {
    var h = hits[i];
    if (!h) return;
    close();
    self.select(h.layerId, h.id);
  };
  input.addEventListener("input", render);
  input.addEventListener("focus", function () { // every name of the large layers, the first time the box is used
    if (self.namesAsked) return;
    self.namesAsked = self.loadLargeNames().then(function () { if (input.value.trim()) render(); }, function () {
      self.namesAsked = null; // asked again the next time the box is used; meanwhile the view's places are found
    });
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && hits.length) { e.preventDefault(); mark((active + 1) % hits.length); }
    else if (e.key === "ArrowUp" && hits.length) { e.preventDefault(); mark((active - 1 + hits.length) % hits.length); }
    else if (e.key === "Enter") { e.preventDefault(); choose(active < 0 ? 0 : active); }
    else if (e.key === "Escape" && !list.hidden) { e.preventDefault(); close(); }
  });
  input.addEventListener("blur", close);
  this.searchInput = input;
  return box;
};
