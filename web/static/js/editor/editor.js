/*
 * The editor: planners draw, reshape and delete places, edit their
 * attributes and ledger, and set many statuses at once.
 *
 * Only the selected place is editable (editing a whole 20k layer freezes a
 * browser). Every save names the version it started from; a stale save is
 * refused by the server and explained field by field, with a choice per
 * field and a save on top of the other person's version. Invalid geometry is repaired only when the planner
 * agrees. All text goes into the page as text nodes.
 *
 * This module holds the map, the layers as drawn and the talk with the
 * server; the jobs are composed in from their own modules: the side panel
 * (editor/panel.js; a bottom sheet on a narrow screen: editor/sheet.js),
 * the search box (editor/search.js), names on the map (editor/labels.js),
 * the attribute form (editor/form.js), stripes of hatched statuses (editor/stripes.js), selecting (editor/selection.js),
 * drawing, reshaping and Esc (editor/tools.js), saving and stale saves
 * (editor/saving.js; stale saves field by field: editor/conflict.js,
 * editor/conflict-view.js), the ledger (editor/ledger.js),
 * photos (editor/photos.js) and the past-day viewer (editor/as-of.js). The
 * server's refusals are told in its own words (editor/answers.js).
 */
import asOf from "./as-of.js";
import conflictView from "./conflict-view.js";
import form from "./form.js";
import labels from "./labels.js";
import ledger from "./ledger.js";
import panel from "./panel.js";
import photos from "./photos.js";
import saving from "./saving.js";
import search from "./search.js";
import selection from "./selection.js";
import sheet from "./sheet.js";
import tools from "./tools.js";
import { LINE_DASH, isLine, stripedFill } from "./stripes.js";
import { LargeLayer } from "./large-layer.js";
import { json, reason } from "./answers.js";
import { unpackState } from "../wall/packed.js";
import { itemsOf } from "../wall/state.js";
import { darken } from "../lib/dom.js";
import { t } from "../lib/messages.js";

export function Editor(map, options) {
  this.map = map;
  this.o = options;
  this.statuses = {};
  var self = this;
  options.statuses.forEach(function (s) { self.statuses[s.key] = s; });
  this.layers = {};       // layer id -> L.GeoJSON, or a large layer's LargeLayer (editor/large-layer.js)
  this.large = {};        // layer id -> LargeLayer: layers with more places than the campaign's map.viewport_above
  this.byId = {};         // feature id -> path (a large layer's: the Place of the view, or the selected place's path)
  this.state = null;
  this.current = null;    // {layerId, feature (as loaded), isNew, shapeEdited}
  this.selection = {};    // feature id -> true (for bulk changes)
  this.tilesFailing = {}; // large layer id -> what was said while its tiles fail (editor/large-layer.js)
  this.renderer = L.canvas({ padding: 0.3 });
  // what Geoman draws goes on the same canvas: a second, empty canvas left on top would swallow every click on a place
  map.options.renderer = this.renderer;
  map.getContainer().classList.add("guatu-editor-map");
  map.invalidateSize(); // the panel takes the right-hand side
  if (map.attributionControl) map.attributionControl.setPrefix("Leaflet"); // no outbound link offline
  map.pm.setLang("zh");
  map.pm.setGlobalOptions({ allowSelfIntersection: true, snappable: false });
  this.buildLabels();
  this.buildPanel();
  this.listenForEscape();
  map.on("pm:create", this.onCreate, this);
}

// --- server ------------------------------------------------------------------
// `signal` (optional): an AbortSignal that cancels the request
Editor.prototype.request = function (method, url, body, headers, signal) {
  var h = Object.assign({ "X-CSRF-Token": this.o.csrfToken }, headers || {});
  var init = { method: method, headers: h, credentials: "same-origin", signal: signal };
  if (body !== undefined) {
    h["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  return fetch(url, init).then(function (resp) {
    var type = resp.headers.get("Content-Type") || "";
    var parse = type.indexOf("json") >= 0 ? resp.json() : Promise.resolve(null);
    return parse.then(function (data) { return { status: resp.status, ok: resp.ok, body: data }; });
  });
};

Editor.prototype.url = function (name, layerId, id) {
  return this.o.api[name].replace("__layer__", encodeURIComponent(layerId)).replace("__id__", encodeURIComponent(id || ""));
};

Editor.prototype.featureUrl = function (layerId, id, tail) {
  return this.url("features", layerId) + (id ? "/" + encodeURIComponent(id) : "") + (tail || "");
};

// --- drawing -----------------------------------------------------------------
// A place's style: its status's colour, striped when the palette marks the status `hatch` (editor/stripes.js:
// a striped fill, or a dashed line for a place drawn as a line), the selection in blue.
Editor.prototype.styleFor = function (layerId, id, geometry) {
  var status = this.statuses[this.statusOf(layerId, id)] || { color: "#9e9e9e" };
  var selected = (this.current && this.current.feature && this.current.feature.id === id) || this.selection[id];
  var hatch = !!status.hatch && /^#[0-9a-f]{6}$/i.test(status.color);
  if (isLine(geometry)) {
    return { color: selected ? "#1565c0" : status.color, weight: selected ? 6 : 4, opacity: 1,
             dashArray: hatch && !selected ? LINE_DASH : null, lineCap: hatch && !selected ? "butt" : "round" };
  }
  return {
    fillColor: hatch ? stripedFill(status.color) : status.color,
    fillOpacity: 0.8,
    color: selected ? "#1565c0" : darken(status.color, 0.45),
    weight: selected ? 4 : 1,
  };
};

Editor.prototype.restyle = function (id) {
  var layer = this.byId[id];
  if (layer && !layer.guatuLarge) layer.setStyle(this.styleFor(layer.guatuLayer, id, layer.feature && layer.feature.geometry));
  var large = this.large;
  Object.keys(large).forEach(function (layerId) { large[layerId].restyle(id); });
};

// The layer of a place drawn (or, of a large layer, in the view), else of the place being edited.
Editor.prototype.layerOfId = function (id) {
  if (this.byId[id]) return this.byId[id].guatuLayer;
  var large = this.large;
  var hit = Object.keys(large).filter(function (layerId) { return large[layerId].has(id); })[0];
  return hit || (this.current && this.current.feature && this.current.feature.id === id ? this.current.layerId : null);
};

// What a click on a place does: with Ctrl (⌘), take it into or out of the bulk selection; else open it.
Editor.prototype.onPlaceClick = function (layerId, id) {
  var self = this;
  return function (e) {
    if (self.map.pm.globalDrawModeEnabled()) return; // the click is a vertex being drawn
    if (e.originalEvent) L.DomEvent.stopPropagation(e);
    if (e.originalEvent && (e.originalEvent.ctrlKey || e.originalEvent.metaKey)) self.toggleSelection(id);
    else self.select(layerId, id);
  };
};

// The places' statuses as the wall holds them: packed, each layer's as columns (wall/state.js PlaceItems) — at a
// million places the state as an object per place would be 36 MB of JSON.
Editor.prototype.loadState = function () {
  var self = this;
  return fetch(this.o.api.state + "?format=packed", { credentials: "same-origin" }).then(json)
    .then(function (state) { self.state = unpackState(state); });
};

// A place's status key, or null when the state does not know it (nor, on a past day, a large layer's place that did
// not stand then).
Editor.prototype.statusOf = function (layerId, id) {
  var items = this.itemsOf(layerId);
  var i = items ? items.indexOf(id) : -1;
  var key = i >= 0 ? items.statusAt(i) : undefined; // (undefined: a status code of -1, not standing then)
  return key === undefined ? null : key;
};

// A layer's PlaceItems (wall/state.js): on a past day a large layer's of that day (editor/as-of.js), else the state's.
Editor.prototype.itemsOf = function (layerId) {
  var past = this.asOf && this.asOf.items[layerId];
  if (past) return past;
  return this.state ? itemsOf(this.state.layers[layerId]) : null;
};

Editor.prototype.loadLayer = function (layerId) {
  var self = this;
  var extent = (this.o.large || {})[layerId];
  if (extent !== undefined) { // a large layer: the places of the view (editor/large-layer.js)
    if (!this.large[layerId]) {
      this.large[layerId] = this.layers[layerId] = new LargeLayer(this, layerId, extent);
      this.large[layerId].addTo(this.map); // (on a past day too: it draws that day's statuses)
      return Promise.resolve();
    }
    return this.large[layerId].load(true);
  }
  return fetch(this.url("shapes", layerId), { credentials: "same-origin" }).then(json)
    .then(function (geojson) {
      if (self.layers[layerId]) {
        self.layers[layerId].eachLayer(function (l) { delete self.byId[l.feature.id]; });
        self.map.removeLayer(self.layers[layerId]);
      }
      var group = L.geoJSON(geojson, {
        renderer: self.renderer,
        pmIgnore: true,
        style: function (f) { return self.styleFor(layerId, f.id, f.geometry); },
        onEachFeature: function (feature, layer) {
          layer.guatuLayer = layerId;
          self.byId[feature.id] = layer;
          layer.on("click", self.onPlaceClick(layerId, feature.id));
        },
      }).addTo(self.map);
      self.layers[layerId] = group;
    });
};

Editor.prototype.reload = function (layerIds) {
  var self = this;
  return this.loadState().then(function () {
    return Promise.all((layerIds || self.o.layers.map(function (x) { return x.id; })).map(function (id) {
      return self.loadLayer(id);
    }));
  }).then(function () { self.scheduleLabels(); });
};

Editor.prototype.start = function () {
  var self = this;
  var boundaries = (this.o.boundaries || []).map(function (level) {
    return fetch(self.o.api.boundaries.replace("__level__", level), { credentials: "same-origin" })
      .then(json)
      .then(function (g) {
        self.boundaryData[level] = g; // their names on the map (editor/labels.js)
        L.geoJSON(g, { interactive: false, pmIgnore: true, renderer: self.renderer,
          style: { color: "#777", weight: level === "district" ? 3 : 1, fill: false, dashArray: level === "community" ? "2 4" : null } })
          .addTo(self.map);
      });
  });
  return Promise.all(boundaries.concat([this.reload()])).then(function () {
    var bounds = null;
    Object.keys(self.layers).forEach(function (id) {
      var b = self.layers[id].getBounds();
      if (b.isValid()) bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
    });
    if (bounds) self.map.fitBounds(bounds, { animate: false });
    self.started = true;
    return Promise.all(Object.keys(self.large).map(function (id) { return self.large[id].load(); }));
  }).then(function () {
    self.updateLabels();
    document.documentElement.dataset.guatuReady = "true";
  }, function (err) { // never a blank map without a word: what failed, and a way to try again
    self.say(t("editor.start.failed", { message: reason(err) }), "error",
      [{ action: "reload-page", label: t("editor.start.reload"), run: function () { window.location.reload(); } }]);
  });
};

Object.assign(Editor.prototype, panel, sheet, search, labels, form, selection, tools, saving, conflictView, ledger, photos, asOf);
