/*
 * Names on the editor's map: sub-district names below zoom 15.5, community
 * names from 14.5 to 17, place names from zoom 16 for the places in view —
 * placed by the wall's greedy layout (wall/layout.js, most important first,
 * nothing overlapping), as text nodes in a pane of their own, laid out again
 * after every move, zoom and reload. Methods of Editor.
 */
import { boundaryCandidates, byImportance, placeLabels } from "../wall/layout.js";
import { elAttrs as el } from "../lib/dom.js";
import { t } from "../lib/messages.js";

var labels = {};
export default labels;

var MAX_LABELS = 300;
var LEVELS = [
  { cls: "street", priority: 3, from: 0, to: 15.5 },
  { cls: "community", priority: 2, from: 14.5, to: 17 },
  { cls: "place", priority: 1, from: 16, to: 99 },
];

labels.buildLabels = function () {
  var self = this;
  var map = this.map;
  this.labelPane = map.createPane("guatu-editor-labels");
  this.labelPool = [];
  this.labelWidths = {};
  this.labelCtx = document.createElement("canvas").getContext("2d");
  this.boundaryData = {};
  this.placedLabels = [];
  var pending = false;
  this.scheduleLabels = function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; self.updateLabels(); });
  };
  map.on("zoomstart", function () { self.labelPane.style.visibility = "hidden"; });
  map.on("moveend zoomend resize", this.scheduleLabels);
};

labels.labelFont = function (cls) {
  if (!this.labelFonts) {
    var fonts = {};
    var pane = this.labelPane;
    LEVELS.forEach(function (level) {
      var probe = el("div", { className: "guatu-edit-label guatu-edit-label-" + level.cls });
      var span = probe.appendChild(el("span", null, t("wall.labels.probe")));
      pane.appendChild(probe);
      var cs = window.getComputedStyle(span);
      fonts[level.cls] = { css: cs.fontWeight + " " + cs.fontSize + " " + cs.fontFamily, size: parseFloat(cs.fontSize) || 13 };
      probe.remove();
    });
    this.labelFonts = fonts;
  }
  return this.labelFonts[cls];
};

labels.labelWidth = function (text, cls) {
  var key = cls + "\u0000" + text;
  if (!(key in this.labelWidths)) {
    this.labelCtx.font = this.labelFont(cls).css;
    this.labelWidths[key] = this.labelCtx.measureText(text).width;
  }
  return this.labelWidths[key];
};

labels.labelCandidates = function () {
  var self = this;
  var zoom = this.map.getZoom();
  var view = this.map.getBounds().pad(0.05);
  var out = [];
  LEVELS.forEach(function (level) {
    if (zoom < level.from || zoom >= level.to) return;
    if (level.cls === "place") {
      Object.keys(self.layers).forEach(function (layerId) {
        self.layers[layerId].eachLayer(function (layer) {
          var name = layer.feature.properties && layer.feature.properties.name;
          if (!name) return;
          var b = layer.getBounds();
          var at = b.getCenter();
          if (!view.contains(at)) return;
          var size = (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest());
          out.push({ text: name, at: at, cls: "place", priority: 1, size: size, id: layer.feature.id });
        });
      });
      return;
    }
    out.push.apply(out, boundaryCandidates(self.boundaryData[level.cls], level, function (lon, lat) {
      var at = L.latLng(lat, lon);
      return view.contains(at) ? at : null;
    }));
  });
  out.sort(byImportance);
  return out;
};

labels.updateLabels = function () {
  var map = this.map;
  if (!map._loaded || !this.labelPane) return;
  var self = this;
  var boxOf = function (c) {
    var p = map.latLngToContainerPoint(c.at);
    var font = self.labelFont(c.cls);
    var w = self.labelWidth(c.text, c.cls) + font.size * 0.6;
    var h = font.size * 1.3;
    return [p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2];
  };
  var placed = placeLabels(this.labelCandidates(), boxOf, map.getSize(), [], MAX_LABELS);
  while (this.labelPool.length < placed.length) {
    var node = el("div", { className: "guatu-edit-label" });
    node.appendChild(el("span"));
    this.labelPane.appendChild(node);
    this.labelPool.push(node);
  }
  this.labelPool.forEach(function (n, i) {
    var c = placed[i];
    n.hidden = !c;
    if (!c) return;
    n.className = "guatu-edit-label guatu-edit-label-" + c.cls;
    if (n.firstChild.textContent !== c.text) n.firstChild.textContent = c.text;
    L.DomUtil.setPosition(n, map.latLngToLayerPoint(c.at));
  });
  this.placedLabels = placed;
  this.labelPane.style.visibility = "";
};
