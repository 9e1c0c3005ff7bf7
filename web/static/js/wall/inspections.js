/*
 * The wall map: today's random inspections (每日随机地点督导) as numbered
 * route markers on the map and a compact "今日督导 n/N" panel.
 *
 * Data: GET /api/wall/inspections (geo/inspections.py wall_summary): route
 * order, place, a point inside it in the map's display CRS, result and time —
 * never the inspectors' names or notes. It is asked for again after every
 * applied state ("guatu:state") and on the wall's polling interval (an "ok"
 * result changes no place, so it brings no new state), always with the last
 * ETag: an unchanged list costs a 304. A change of display CRS (AMap basemap)
 * fetches the points again.
 *
 * Markers read without colour too (greyscale print, colour-blind viewers):
 *   待督导   hollow white circle, dashed rim
 *   正常     green circle with ✓
 *   发现问题  amber diamond with !
 *   反弹     dark purple square with ↺
 * each with its route number, on a white rim that stands out on any fill.
 * The route joins them in order (dark blue on a white casing, an arrow halfway
 * along each leg pointing the way), from a white square where it starts.
 *
 * The wall parameter `inspections` (geo/wall/params.py): 0 — nothing is
 * fetched; 1 — the panel stays, saying so when there is no list; unset —
 * markers and panel while there is a list for today. Started for a wall by
 * wall/setup.js; every text is a text node.
 */
import { el, panelControl } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { legArrows } from "../lib/route.js";

var GLYPH = { ok: "✓", problem: "!", relapse: "↺" };
var MARKER_PX = 34; // a marker's width at desk scale; a 4K wall gets about 2.4×
var PANE = "guatu-inspections";
var ROUTE_PANE = "guatu-inspections-route";
var ROUTE_COLOUR = "#0d47a1";

function kind(result) { return result || "pending"; }

// The numbered badge of one place: the marker on the map and the key in the panel.
function badge(p) {
  var k = kind(p.result);
  var node = el("span", "guatu-insp is-" + k);
  node.dataset.id = p.id;
  node.dataset.order = String(p.order);
  node.dataset.result = k;
  node.appendChild(el("span", "guatu-insp-shape"));
  node.appendChild(el("span", "guatu-insp-num", p.order));
  if (GLYPH[k]) node.appendChild(el("span", "guatu-insp-glyph", GLYPH[k]));
  return node;
}

export function Inspections(wall) {
  var self = this;
  this.wall = wall;
  this.map = wall.map;
  this.always = wall.view.inspections === true;
  this.etag = null;
  this.crs = null; // the display CRS of the points shown
  this.busy = false;
  this.again = false;
  this.data = null;
  this.map.createPane(PANE).style.zIndex = 460; // above the places, the flashes and the names
  this.map.createPane(ROUTE_PANE).style.zIndex = 455; // the route, under the numbered markers
  this.markers = L.layerGroup().addTo(this.map);
  this.route = L.layerGroup().addTo(this.map);
  this.map.on("zoomend", function () { if (self.data) self.drawRoute(self.data); });
  this.box = el("section", "guatu-panel guatu-inspections");
  this.box.setAttribute("aria-label", t("wall.inspections.title"));
  this.box.hidden = true;
  panelControl(wall.mode === "wall" ? "bottomleft" : "bottomright", function () { return self.box; }) // by the legend
    .addTo(this.map);
  var started = false;
  var onState = function () {
    self.load();
    if (!started) {
      started = true;
      var seconds = wall.options.refreshSeconds;
      if (seconds > 0) window.setInterval(function () { self.load(); }, seconds * 1000);
    }
  };
  this.map.on("guatu:state", onState);
  if (wall.state) onState(); // made after the wall's first state (wall/setup.js)
  this.map.on("guatu:shapes", function () {
    if (self.crs !== null && self.crs !== wall.crs) self.load();
  });
}

Inspections.prototype.url = function () {
  var view = this.wall.view;
  var q = { street: view.street, community: view.community };
  if (this.wall.crs !== "wgs84") q.crs = this.wall.crs;
  return this.wall.url(this.wall.options.api.inspections, null, q);
};

// One request at a time; a request asked for meanwhile runs after it.
Inspections.prototype.load = function () {
  var self = this;
  if (this.busy) {
    this.again = true;
    return Promise.resolve();
  }
  this.busy = true;
  var crs = this.wall.crs;
  return this.wall.fetchJSON(this.url(), crs === this.crs ? this.etag : null).then(function (r) {
    if (r.notModified) return;
    self.etag = r.etag;
    self.crs = crs;
    self.data = r.body;
    self.render(r.body);
  }, function (err) {
    self.wall.errors.push(String(err)); // the last list stays on the screen
  }).then(function () {
    self.busy = false;
    if (self.again || self.crs !== self.wall.crs) {
      self.again = false;
      return self.load();
    }
  });
};

Inspections.prototype.render = function (d) {
  document.documentElement.dataset.guatuInspections = d.inspected + "/" + d.total;
  this.drawRoute(d);
  this.drawMarkers(d.places);
  this.drawPanel(d);
};

// The line through the stops in route order, from the start when the screen shows the whole list; an arrow on
// each leg long enough to hold one at this zoom.
Inspections.prototype.drawRoute = function (d) {
  var map = this.map;
  var scale = this.wall.scale;
  var layer = this.route;
  layer.clearLayers();
  var stops = d.places.filter(function (p) { return p.point; }).map(function (p) { return [p.point[1], p.point[0]]; });
  if (d.route_start) stops.unshift([d.route_start[1], d.route_start[0]]);
  if (stops.length < 2) return;
  var weight = Math.max(3, Math.round(3 * scale));
  layer.addLayer(L.polyline(stops, { pane: ROUTE_PANE, color: "#fff", weight: weight + 4, opacity: 0.9,
                                     interactive: false, className: "guatu-route-casing" }));
  layer.addLayer(L.polyline(stops, { pane: ROUTE_PANE, color: ROUTE_COLOUR, weight: weight, opacity: 1,
                                     interactive: false, className: "guatu-route-line" }));
  var size = Math.round(16 * scale);
  var screen = stops.map(function (ll) { var pt = map.latLngToLayerPoint(ll); return [pt.x, pt.y]; });
  legArrows(screen, Math.round(MARKER_PX * scale) + 2 * size).forEach(function (a) {
    var arrow = el("span", "guatu-route-arrow");
    arrow.style.transform = "rotate(" + a.angle.toFixed(1) + "deg)";
    arrow.style.fontSize = size + "px";
    arrow.dataset.leg = String(a.leg);
    layer.addLayer(L.marker(map.layerPointToLatLng([a.x, a.y]), {
      pane: ROUTE_PANE, keyboard: false, interactive: false,
      icon: L.divIcon({ className: "guatu-route-arrow-icon", html: arrow, iconSize: [size, size] }),
    }));
  });
  if (d.route_start) {
    layer.addLayer(L.marker(stops[0], {
      pane: ROUTE_PANE, keyboard: false, title: t("wall.inspections.route_start"),
      icon: L.divIcon({ className: "guatu-route-start", html: el("span", "guatu-route-start-box"),
                        iconSize: [size, size] }),
    }));
  }
};

Inspections.prototype.drawMarkers = function (places) {
  var wall = this.wall;
  var size = Math.round(MARKER_PX * wall.scale);
  var layer = this.markers;
  layer.clearLayers();
  places.forEach(function (p) {
    if (!p.point) return; // deleted since the list was drawn
    var node = badge(p);
    node.style.fontSize = size / 2 + "px";
    var icon = L.divIcon({ className: "guatu-insp-marker", html: node, iconSize: [size, size] });
    var marker = L.marker([p.point[1], p.point[0]], {
      icon: icon, pane: PANE, keyboard: false, riseOnHover: true,
      title: p.order + " · " + (p.name || p.id) + " · " + p.label,
    });
    marker.on("click", function () { wall.select(p.layer, p.id); });
    layer.addLayer(marker);
  });
};

Inspections.prototype.drawPanel = function (d) {
  var self = this;
  var box = this.box;
  box.textContent = "";
  box.hidden = !d.total && !this.always;
  var head = el("h2", null, t("wall.inspections.title") + " ");
  head.appendChild(el("b", "guatu-insp-progress", d.inspected + "/" + d.total));
  box.appendChild(head);
  if (!d.total) {
    box.appendChild(el("p", "guatu-insp-none", t("wall.inspections.none")));
    return;
  }
  var counts = el("p", "guatu-insp-counts");
  d.results.forEach(function (r) {
    var n = r.key ? d.counts[r.key] : d.total - d.inspected;
    var item = el("span", "guatu-insp-count is-" + kind(r.key), r.label + " ");
    item.appendChild(el("b", null, n));
    counts.appendChild(item);
  });
  box.appendChild(counts);
  var list = el("ol", "guatu-insp-list");
  d.places.forEach(function (p) {
    // a row is a button inside its list item: reached by Tab, chosen by Enter or Space as by a click
    var item = el("button", "guatu-insp-row");
    item.type = "button";
    item.dataset.id = p.id;
    item.appendChild(badge(p));
    item.appendChild(el("span", "guatu-insp-name", p.name || p.id));
    item.appendChild(el("span", "guatu-insp-street", p.street || ""));
    item.appendChild(el("span", "guatu-insp-result is-" + kind(p.result),
                        p.label + (p.fixed ? t("wall.inspections.fixed") : "") + (p.time ? " " + p.time : "")));
    L.DomEvent.on(item, "click", function () { self.wall.select(p.layer, p.id); });
    list.appendChild(el("li")).appendChild(item);
  });
  box.appendChild(list);
  this.fit(list, d.places.length);
};

// A screen nobody touches cannot scroll: drop rows from the end and say how many.
Inspections.prototype.fit = function (list, total) {
  var box = this.box;
  var rows = list.children.length;
  var more = null;
  while (box.scrollHeight > box.clientHeight + 1 && rows > 3) {
    list.removeChild(list.lastChild);
    rows -= 1;
    if (!more) more = box.appendChild(el("p", "guatu-more"));
    more.textContent = t("wall.inspections.more", { n: total - rows });
  }
};
