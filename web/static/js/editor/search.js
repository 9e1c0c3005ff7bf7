/*
 * The editor's search box: places found by name as the wall finds them
 * (lib/search.js), shown as a listbox under the box — arrows move through it,
 * Enter or a click opens the place in the form, Esc closes the list. A large
 * layer's places are asked of the server (its names are not all in the page):
 * the loaded places are listed at once, the server's best join them when they
 * come (asked after a pause in typing, for the latest text: lib/search.js
 * PausedAsk). Methods of Editor (editor/editor.js composes them).
 */
import { elAttrs as el } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { PausedAsk, findByName, foundFirst, searchText } from "../lib/search.js";

var search = {};
export default search;

var LIMIT = 8;
var PAUSE_MS = 200; // typing pauses this long before the server is asked

// Places whose name contains the text, best first: `found`, the large layers' best as the server found them
// (searchLarge), and those loaded (of a large layer, the view's: further out than names are drawn, without them),
// each place once, as the server has it if it found it.
search.searchPlaces = function (text, limit, found) {
  var self = this;
  return findByName(text, foundFirst(found, function (once) {
    Object.keys(self.layers).forEach(function (layerId) {
      self.layers[layerId].eachLayer(function (layer) {
        var p = layer.feature.properties || {};
        once({ layerId: layerId, id: layer.feature.id, name: p.name, street: p.street, community: p.community });
      });
    });
  }), limit || LIMIT);
};

// The best places of each large layer for the text, as the server finds them (GET /api/layers/{layer}/search, the
// same order as lib/search.js): a promise of [{layerId, id, name, street, community}]. `signal` (optional) aborts it.
search.searchLarge = function (text, limit, signal) {
  var self = this;
  return Promise.all(Object.keys(this.large).map(function (layerId) {
    var url = self.url("search", layerId) + "?q=" + encodeURIComponent(searchText(text)) + "&limit=" + (limit || LIMIT);
    return self.request("GET", url, undefined, undefined, signal).then(function (r) {
      if (!r.ok) throw new Error(r.body && r.body.message ? r.body.message : String(r.status));
      return r.body.places.map(function (p) {
        return { layerId: layerId, id: p.id, name: p.name, street: p.street, community: p.community };
      });
    });
  })).then(function (lists) { return [].concat.apply([], lists); });
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
  var asker = new PausedAsk(PAUSE_MS); // the server's places for the latest text (a newer one aborts the one before)
  var mark = function (i) {
    active = i;
    Array.prototype.forEach.call(list.children, function (li, n) { li.setAttribute("aria-selected", n === i ? "true" : "false"); });
    if (i >= 0 && list.children[i]) input.setAttribute("aria-activedescendant", list.children[i].id);
    else input.removeAttribute("aria-activedescendant");
  };
  var close = function () { // (an answer still to come is dropped)
    asker.cancel();
    list.setAttribute("aria-busy", "false");
    list.textContent = "";
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    mark(-1);
  };
  var render = function () {
    var text = input.value;
    var ask = Boolean(text.trim()) && Object.keys(self.large).length > 0;
    asker.cancel();
    show(self.searchPlaces(text), ask);
    list.setAttribute("aria-busy", ask ? "true" : "false"); // until the server's places are listed too
    if (!ask) return;
    asker.ask(text, function (q, signal) { return self.searchLarge(q, LIMIT, signal); }, function (found) {
      show(self.searchPlaces(text, LIMIT, found));
      list.setAttribute("aria-busy", "false");
    }, function () {
      status.textContent = t("editor.search.large_failed"); // (in Chinese: not the browser's own words for it)
      list.setAttribute("aria-busy", "false");
    });
  };
  // the hits listed (the one marked before stays marked); `pending`: the server is still to answer
  var show = function (found, pending) {
    var was = active >= 0 && hits[active] ? hits[active].layerId + "\u0000" + hits[active].id : null;
    hits = found;
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
    status.textContent = !input.value.trim() ? "" : pending && !hits.length ? t("editor.search.searching")
      : hits.length ? t("editor.search.count", { n: hits.length }) : t("editor.search.none");
    var again = hits.findIndex(function (h) { return h.layerId + "\u0000" + h.id === was; });
    mark(again >= 0 ? again : hits.length ? 0 : -1);
  };
  var choose = function (i) {
    var h = hits[i];
    if (!h) return;
    close();
    self.select(h.layerId, h.id);
  };
  // while an input method composes (pinyin before its characters are chosen) nothing is searched: its end is
  input.addEventListener("input", function (e) { if (!e.isComposing) render(); });
  input.addEventListener("compositionend", render);
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
