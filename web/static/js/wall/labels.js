/*
 * The wall map's labels: names written on the map at the zooms they read at.
 *
 *   sub-district (街道) names   below zoom 15.5
 *   community (社区) names      below zoom 17 (at the whole district's zoom where they fit)
 *   the worst places' names     below zoom 17: overdue, or escalated to the district, worst first
 *   place names                 from zoom 17, only places in view
 *
 * Candidates are placed greedily, most important first (sub-districts, then
 * communities, then the worst places, then larger places) by wall/layout.js: a label that would
 * overlap one already placed is left out, so names never pile up. Widths are measured with a
 * canvas in the label's own font. Labels are text nodes in a DOM pane above
 * the map, re-laid out after every move, zoom or data change.
 */
import { BoundedMemo } from "../lib/recent.js";
import { boundaryCandidates, byImportance, placeLabels } from "./layout.js";
import { el } from "../lib/dom.js";
import { t } from "../lib/messages.js";

var MAX_LABELS = 400;

var LEVELS = [
  { cls: "street", priority: 3, from: 0, to: 15.5 },
  { cls: "community", priority: 2, from: 0, to: 17 },
  { cls: "worst", priority: 1.5, from: 0, to: 17 },
  { cls: "place", priority: 1, from: 17, to: 99 },
];
var MAX_WORST = 20; // the worst places named at overview zooms, at most

export function Labels(wall) {
  var self = this;
  this.wall = wall;
  this.map = wall.map;
  this.pane = wall.map.getPane("guatu-labels");
  this.pool = [];
  this.widths = new BoundedMemo(5000); // text widths: names change under edits, the memo stays bounded
  this.fonts = null;
  this.ctx = document.createElement("canvas").getContext("2d");
  this.placed = [];
  var pending = false;
  this.schedule = function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      self.update();
    });
  };
  this.map.on("zoomstart", function () { self.pane.style.visibility = "hidden"; });
  this.map.on("moveend zoomend resize guatu:attributes", this.schedule);
}

// The font of each label class, read from the stylesheet once.
Labels.prototype.font = function (cls) {
  if (!this.fonts) {
    var fonts = {};
    var self = this;
    LEVELS.forEach(function (level) {
      var probe = el("div", "guatu-label guatu-label-" + level.cls);
      var span = el("span", null, t("wall.labels.probe"));
      probe.appendChild(span);
      self.pane.appendChild(probe);
      var cs = window.getComputedStyle(span);
      fonts[level.cls] = { css: cs.fontWeight + " " + cs.fontSize + " " + cs.fontFamily, size: parseFloat(cs.fontSize) || 14 };
      probe.remove();
    });
    this.fonts = fonts;
  }
  return this.fonts[cls];
};

Labels.prototype.width = function (text, cls) {
  var self = this;
  return this.widths.get(cls + "\u0000" + text, function () {
    self.ctx.font = self.font(cls).css;
    return self.ctx.measureText(text).width;
  });
};

Labels.prototype.candidates = function () {
  var wall = this.wall;
  var zoom = this.map.getZoom();
  var view = this.map.getBounds().pad(0.05);
  var out = [];
  LEVELS.forEach(function (level) {
    if (zoom < level.from || zoom >= level.to) return;
    if (level.cls === "worst") {
      out.push.apply(out, worstPlaces(wall, view));
      return;
    }
    if (level.cls === "place") {
      Object.keys(wall.layers).forEach(function (layerId) {
        wall.layers[layerId].eachLayer(function (layer) {
          var at = layer.guatuLabel;
          if (at && view.contains(at) && layer.feature.properties.name) {
            out.push({ text: layer.feature.properties.name, at: at, cls: "place", priority: 1, size: layer.guatuArea || 0 });
          }
        });
      });
      return;
    }
    out.push.apply(out, boundaryCandidates(wall.boundaryData[level.cls], level, function (lon, lat) {
      var at = L.latLng(lat, lon);
      return view.contains(at) ? at : null;
    }));
  });
  out.sort(byImportance);
  return out;
};

// Places that are overdue or escalated to the district, in view: the escalated first, then the larger.
// Their names come with the places' attributes, which the wall otherwise loads on a first touch: asked for
// here (once a layer) when a worst place has none yet; the labels are laid out again when they come.
function worstPlaces(wall, view) {
  var out = [];
  var unnamed = [];
  Object.keys(wall.layers).forEach(function (layerId) {
    // a large layer's dots: those with a mark, overdue or escalated to the district, and named, are made places
    var field = wall.fields && wall.fields[layerId];
    var items = wall.items(layerId);
    if (!items) return;
    var worst = function (id) { // overdue or escalated to the district
      var j = items.indexOf(id);
      return j >= 0 && ((items.flags[j] & 1) || items.escalatedAt(j) === 2);
    };
    var dots = [];
    for (var i = 0; field && i < field.n; i++) { // (a dot's `marked` is its state's flags while it is shown)
      var m = field.marked[i];
      if (!(m & 1) && m >> 2 !== 2) continue;
      if ((wall.dotProperties(layerId, field, field.ids[i]) || {}).name) dots.push(wall.placeOf(layerId, field.ids[i]));
    }
    var consider = function (layer) {
      var at = layer.guatuLabel;
      if (!at || !worst(layer.feature.id) || !view.contains(at)) return;
      var escalated = items.escalatedAt(items.indexOf(layer.feature.id)) === 2;
      if (!layer.feature.properties.name) {
        // a large layer, fetched by viewport, keeps its attributes until a first touch
        if (unnamed.indexOf(layerId) < 0 && !(wall.viewport && wall.viewport[layerId])) unnamed.push(layerId);
        return;
      }
      out.push({ text: layer.feature.properties.name, at: at, cls: "worst", priority: escalated ? 1.6 : 1.5,
                 size: layer.guatuArea || 0 });
    };
    wall.layers[layerId].eachLayer(consider);
    dots.forEach(consider);
  });
  if (unnamed.length && wall.loadAttributes) {
    wall.loadAttributes(unnamed).catch(function (err) { wall.errors.push(String(err)); });
  }
  out.sort(byImportance);
  return out.slice(0, MAX_WORST);
}

Labels.prototype.update = function () {
  var map = this.map;
  if (!map._loaded) return;
  var self = this;
  // panels cover the map: no name is written under them
  var origin = map.getContainer().getBoundingClientRect();
  var panels = [];
  map.getContainer().querySelectorAll(".leaflet-control").forEach(function (panel) {
    var r = panel.getBoundingClientRect();
    if (r.width && r.height) panels.push([r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top]);
  });
  var boxOf = function (c) {
    var p = map.latLngToContainerPoint(c.at);
    var font = self.font(c.cls);
    var w = self.width(c.text, c.cls) + font.size * 0.6;
    var h = font.size * 1.3;
    // place names sit just below their point, which carries the overnight dot
    var top = c.cls === "place" || c.cls === "worst" ? p.y + font.size * 0.45 : p.y - h / 2;
    return [p.x - w / 2, top, p.x + w / 2, top + h];
  };
  this.render(placeLabels(this.candidates(), boxOf, map.getSize(), panels, MAX_LABELS));
  this.pane.style.visibility = "";
};

Labels.prototype.render = function (placed) {
  var map = this.map;
  while (this.pool.length < placed.length) {
    var node = el("div", "guatu-label");
    node.appendChild(el("span"));
    this.pane.appendChild(node);
    this.pool.push(node);
  }
  for (var i = 0; i < this.pool.length; i++) {
    var n = this.pool[i];
    var c = placed[i];
    if (!c) {
      n.hidden = true;
      continue;
    }
    n.hidden = false;
    n.className = "guatu-label guatu-label-" + c.cls;
    if (n.firstChild.textContent !== c.text) n.firstChild.textContent = c.text;
    L.DomUtil.setPosition(n, map.latLngToLayerPoint(c.at));
  }
  this.placed = placed;
};
