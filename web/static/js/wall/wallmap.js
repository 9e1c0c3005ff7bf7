/*
 * The wall map: draws the campaign's places on a folium/Leaflet map and keeps
 * them current without reloading.
 *
 * Data: shapes come packed (delta-encoded integer coordinates, see
 * geo/wall/codec.py) once per layer; the state (status + derived flags per
 * place) is polled with `?since=<revision>` and an ETag, so an unchanged
 * campaign costs a 304 and a change sends only the changed places, which
 * are restyled in place and flash briefly. A layer's shapes are fetched
 * again only when its shapes revision moves (geometry or attributes edited).
 *
 * Marks: overdue (逾期) = thick magenta ring drawn *under* the fill;
 * overnight (过夜) = blinking hollow white ring on a black rim at the place's
 * interior point (a large layer's place too small to see: its dot, the centre
 * of its bounding box); escalated (升级督办: an open case overdue and gone up
 * to the sub-district or the district) = an orange or red warning triangle
 * standing above that point; all leave the status colour visible.
 *
 * This module holds the map itself: panes, renderers, how a place is styled,
 * outlined and flashed, its tooltip, the fit of the view. What it fetches and
 * how it stays current is in wall/sync.js, selecting and searching in
 * wall/selection.js (both composed into WallMap below); panels (title, legend,
 * search, card) in wall/panels.js, the dashboard in wall/dashboard.js, names
 * on the map in wall/labels.js; every text is a text node.
 *
 * Large layers (more places than the campaign's `map.viewport_above`) are
 * fetched one viewport at a time: the box on screen and the zoom, simplified
 * by the server to about a pixel, places too small to see as dots
 * (geo/viewport.py); again after the map moved, revalidated with the last
 * answer's ETag (the server snaps the box to tiles, so a small move costs a
 * 304). Its places too small to see come as dots and are kept as one
 * DotField (wall/dots.js): columns painted as pixels, coloured from the
 * state, made a Place only for a card, a tooltip or a flash. The state still
 * covers every place, so counts, search (over the layer's names, loaded when
 * first needed) and cards reach places off screen.
 *
 * For other modules (basemaps, printing, inspections, playback; wired by
 * wall/setup.js): `wall.map` is the Leaflet map; `wall.setCrs("gcj02")` refetches
 * the shapes and outlines in another display CRS; the map fires
 * "guatu:state" after every applied state and "guatu:shapes" after a layer
 * was (re)drawn.
 */
import { recentList } from "../lib/recent.js";
import { settled } from "../lib/settle.js";
import { ESCALATED_DISTRICT, ESCALATED_STREET, FLASH_MS, FLASH_RIM, FLASH_RING_PX, FLASH_STROKE, legible, OVERDUE_STROKE, OVERNIGHT_FILL, OVERNIGHT_RIM,
  THEMES } from "./theme.js";
import { DotCanvas, FlagCanvas, PlaceCanvas } from "./canvas.js";
import { HIDDEN, pixelOf } from "./dots.js";
import { Labels } from "./labels.js";
import { Panels } from "./panels.js";
import selection from "./selection.js";
import sync from "./sync.js";
import { itemsOf } from "./state.js";
import { darken, el } from "../lib/dom.js";
import { t } from "../lib/messages.js";

// `banner`: the page's problem banner (problem-banner.js), told of every poll
export function WallMap(map, options, banner) {
  var self = this;
  this.map = map;
  this.options = options;
  this.view = options.view || {};
  this.mode = options.mode || "desk";
  this.token = options.displayToken || null;
  this.banner = banner || null;
  this.crs = "wgs84";
  this.statuses = {};
  this.colours = {}; // status key -> its colour as this theme draws it (theme.js `legible`)
  this.looks = {}; // status key -> a dot's look (wall/dots.js): 1 + its colour's place in the palette
  var theme = options.view && options.view.theme === "dark" ? "dark" : "light";
  var palette = [];
  options.statuses.forEach(function (s) {
    self.statuses[s.key] = s;
    self.colours[s.key] = theme === "dark" ? legible(s.color, theme) : s.color; // the light map shows them as set
    palette.push(pixelOf(self.colours[s.key]));
    self.looks[s.key] = palette.length;
  });
  this.categoryFilter = (this.view.categories || []).map(function (c) { return options.categories.indexOf(c); });
  this.layers = {}; // layer id -> PlaceGroup: the places drawn (eachLayer, getBounds, …)
  this.all = {}; // layer id -> {id: Place} of every place loaded (drawn or filtered out), a large layer's dots apart
  this.fields = {}; // layer id -> DotField (wall/dots.js): a large layer's places sent as dots
  this.byId = {}; // place id -> Place
  this.halos = {}; // place id -> place drawn with the overdue ring under it
  this.dots = {}; // place id -> LatLng of its overnight dot (a large layer's dots and boxes apart: `field.marked`)
  this.flags = {}; // place id -> {latlng, level} of its escalation triangle (likewise)
  this.marksChanged = false; // dots, flags or a field's marks changed since the canvases last took them
  this.shapesRevision = {}; // layer id -> shapes revision drawn
  this.viewport = {}; // layer id -> {etag, seq} of a large layer fetched one viewport at a time
  this.tiled = {}; // layer id -> PlaceTiles (wall/tiled.js): a large layer drawn from vector tiles at close zooms
  (options.layers || []).forEach(function (x) { if (x.viewport) self.viewport[x.id] = { etag: null, seq: 0 }; });
  this.attrs = {}; // layer id -> {revision, byId, promise} of the attributes part
  this.state = null; // {revision, day, after_cutoff, as_of, layers: {id: {revision, shapes, items: PlaceItems}}}
  this.stateEtag = null;
  this.boundaryData = {};
  this.errors = recentList(100); // what went wrong lately (a screen stays open for days)
  this.fitted = false;
  this.flashed = []; // ids of the places that flashed last
  this.theme = THEMES[this.view.theme] ? this.view.theme : "light";
  palette.push(pixelOf(THEMES[this.theme].unknown));
  this.unknownLook = palette.length;
  this.scale = this.mode === "wall" ? Math.min(3, Math.max(1, window.innerWidth / 1600)) : 1;

  document.documentElement.dataset.theme = this.theme;
  document.documentElement.dataset.guatuMode = this.mode;
  var box = map.getContainer();
  box.classList.add("guatu-wall", "guatu-theme-" + this.theme, "guatu-mode-" + this.mode);
  this.pane("guatu-tiles", 399); // a large layer's tiles at close zooms (wall/tiled.js), under the canvas that picks
  this.pane("guatu-features", 400); // every layer on one canvas: a canvas above another would take its mouse events
  this.pane("guatu-overnight", 420);
  this.pane("guatu-escalated", 425);
  this.pane("guatu-flash", 430);
  this.pane("guatu-labels", 450).style.pointerEvents = "none";
  // a metric scale bar only, and the attribution without Leaflet's flag (nothing is fetched for it)
  L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
  if (map.attributionControl) map.attributionControl.setPrefix("Leaflet");
  this.panels = new Panels(this);
  // Open at the places' extent (sent with the page) before any canvas exists:
  // the places are then projected and painted once, at the final view.
  if (options.extent && !this.view.view) {
    var e = options.extent;
    map.fitBounds([[e[1], e[0]], [e[3], e[2]]], L.extend({ animate: false, maxZoom: 18 }, this.padding()));
    this.fitted = true;
  }
  if (Object.keys(this.viewport).length) { // (before the canvases: a move holds them, and asks for its view, first)
    map.on("zoomend", function () { self.updateTiling(); }); // tiles or a viewport at a time, as the zoom wants
    var moved = settled(function () { self.viewportMoved(); }, 150, 500); // at once, or once steps pause
    map.on("moveend", function () {
      self.holdForViewport();
      moved();
    });
  }
  var k = this.scale;
  // nobody pans a wall: no canvas beyond the screen, nor beyond what it draws, to paint at 4K (canvas.js Cropped)
  var padding = this.mode === "wall" ? 0 : 0.3;
  var crop = this.mode === "wall";
  this.renderers = {
    features: new PlaceCanvas({ pane: "guatu-features", padding: padding, crop: crop, tolerance: 3, dotRadius: 1.5 * k,
                                palette: palette, haloColor: OVERDUE_STROKE, haloWidth: 5 * k, lineHaloWidth: 12 * k }),
    overnight: new DotCanvas({ pane: "guatu-overnight", padding: padding, crop: crop, radius: 6 * k, weight: 2.2 * k,
                               fill: OVERNIGHT_FILL, rim: OVERNIGHT_RIM }),
    escalated: new FlagCanvas({ pane: "guatu-escalated", padding: padding, crop: crop, size: 16 * k,
                                street: ESCALATED_STREET, district: ESCALATED_DISTRICT }),
    flash: L.svg({ pane: "guatu-flash", padding: padding }),
  };
  this.renderers.features.addTo(map);
  this.renderers.overnight.addTo(map);
  this.renderers.escalated.addTo(map);
  this.renderers.features.below = function (point) { return self.tiledPlaceAt(point); };
  // the places' canvas takes the pointer for a large layer's tiles under it: then it covers the whole view
  this.renderers.features.coversView = function () {
    return Object.keys(self.tiled).some(function (id) { return self.tiledNow(id); });
  };
  this.renderers.features.on("placemove", function (e) { self.hover(e.place, e.latlng); });
  this.renderers.features.on("placeout", function () { self.hover(null); });
  this.renderers.features.on("placeclick", function (e) {
    self.select(e.place.guatuLayer, e.place.feature.id, { zoom: false });
  });
  var wantAttributes = function () { // of the layers drawn whole (a large layer's place by place: placeAttributes)
    if (document.documentElement.dataset.guatuReady === "true") {
      self.loadAttributes(self.wholeLayers()).catch(function (err) { self.errors.push(String(err)); });
    }
  };
  L.DomEvent.on(box, "pointerover", wantAttributes);
  map.on("zoomend", function () { if (map.getZoom() >= 16.5) wantAttributes(); });
  if (this.view.labels !== false) this.labels = new Labels(this);
  this.blink();
}

// Overnight dots (and their legend swatch) blink: one attribute switched
// every 0.8 s; nothing moves for people who asked for reduced motion.
WallMap.prototype.blink = function () {
  var root = document.documentElement;
  root.dataset.guatuBlink = "on";
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) return;
  window.setInterval(function () {
    root.dataset.guatuBlink = root.dataset.guatuBlink === "on" ? "off" : "on";
  }, 800);
};

WallMap.prototype.pane = function (name, zIndex) {
  var pane = this.map.createPane(name);
  pane.style.zIndex = zIndex;
  return pane;
};

// --- state -----------------------------------------------------------------------
// The layer's items (PlaceItems, wall/state.js), or null before the first state.
WallMap.prototype.items = function (layerId) {
  return this.state ? itemsOf(this.state.layers[layerId]) : null;
};

// The place's state item, made now (undefined when the state does not know it).
WallMap.prototype.item = function (layerId, id) {
  var items = this.items(layerId);
  return items ? items.get(id) : undefined;
};

// The server sends only the places of the view's sub-district and community;
// this check only matters for places whose attributes changed since.
WallMap.prototype.inScope = function (layer) {
  return this.inScopeProps(layer.feature.properties);
};

WallMap.prototype.inScopeProps = function (p) {
  if (!p || (!p.name && p.name !== "")) return true; // attributes not loaded yet
  if (this.view.street && p.street !== this.view.street) return false;
  if (this.view.community && p.community !== this.view.community) return false;
  return true;
};

// fn(layerId, id, properties, items, i) for every place of the shown layers: those
// loaded, and of a large layer every place the state knows (most are off
// screen; properties are {} until the layer's attributes are loaded). `items`
// are the layer's state items and `i` the place's position in them (-1: the
// state does not know the place; items null before the first state). `whole` (optional): called instead as
// whole(layerId, items) for a large layer's places, all of them at once.
WallMap.prototype.eachPlace = function (fn, whole) {
  var self = this;
  Object.keys(this.layers).forEach(function (layerId) {
    var places = self.all[layerId] || {};
    var items = self.items(layerId);
    if (!self.viewport[layerId] || !items) {
      Object.keys(places).forEach(function (id) {
        fn(layerId, id, places[id].feature.properties, items, items ? items.indexOf(id) : -1);
      });
      return;
    }
    if (whole) {
      whole(layerId, items);
      return;
    }
    var attrs = (self.attrs[layerId] && self.attrs[layerId].byId) || {};
    items.forEach(function (id, i) { fn(layerId, id, attrs[id] || {}, items, i); });
  });
};

// Whether the view shows place `i` of the layer's state items (-1: not in the state) with these properties:
// its scope (sub-district/community), and the status and category filters.
WallMap.prototype.showsAt = function (properties, items, i) {
  if (!this.inScopeProps(properties)) return false;
  var statuses = this.view.statuses || [];
  if (statuses.length && (i < 0 || statuses.indexOf(items.statusAt(i)) < 0)) return false;
  if (this.categoryFilter.length) {
    var cats = (i >= 0 && items.categoriesAt(i)) || [];
    var hit = false;
    for (var k = 0; k < cats.length && !hit; k++) hit = this.categoryFilter.indexOf(cats[k]) >= 0;
    if (!hit) return false;
  }
  return true;
};

// A place's style for its status (a status name, or "" when the state does not know it): one object per
// layer, status and kind of shape, made once and shared as the options of every such place (not copied into
// each: at a million places the copies were most of a move's time in the page and its garbage).
WallMap.prototype.styleFor = function (layerId, layer, status) {
  var shape = layer.guatuLine ? "line" : layer.guatuDot ? "dot" : layer.guatuPoint ? "point" : "area";
  var key = layerId + "\n" + status + "\n" + shape;
  var styles = this.styles || (this.styles = new Map());
  var style = styles.get(key);
  if (!style) styles.set(key, style = this.makeStyle(layerId, shape, this.statuses[status]));
  return style;
};

WallMap.prototype.makeStyle = function (layerId, shape, status) {
  var colour = status ? this.colours[status.key] : THEMES[this.theme].unknown;
  var k = this.scale;
  if (shape === "line") return { color: colour, weight: 7 * k, opacity: 1 };
  if (shape === "dot") return { color: colour, fillColor: colour, fillOpacity: 1, weight: 0, radius: 1.5 * k };
  var hatch = status && status.hatch ? k : 0; // hatched fills: a cue besides colour
  if (shape === "point") return { color: darken(colour, 0.45), fillColor: colour, fillOpacity: 1, weight: 1.5 * k, radius: 7 * k, hatch: hatch };
  return {
    hatch: hatch,
    fillColor: colour,
    fillOpacity: this.theme === "dark" ? 1 : 0.85, // on the dark map the colour drawn is the legible one itself
    color: darken(colour, 0.45),
    weight: (layerId === "roads" ? 1.5 : 1) * k,
    opacity: 1,
  };
};

// Draw, hide or restyle one place and its marks after its state changed (read from the state's columns;
// `items`, when the caller has them, the layer's).
WallMap.prototype.refresh = function (layerId, place, items) {
  items = items || this.items(layerId);
  var id = place.feature.id;
  var j = items ? items.indexOf(id) : -1;
  place.visible = this.showsAt(place.feature.properties, items, j);
  place.options = this.styleFor(layerId, place, j >= 0 ? items.statusAt(j) : ""); // shared, never changed
  var flags = place.visible && j >= 0 ? items.flags[j] : 0; // 1 overdue, 2 overnight, the escalation level shifted by 2
  place.overdue = !!(flags & 1);
  place.overnight = !!(flags & 2);
  if (place.overdue) this.halos[id] = place;
  else delete this.halos[id];
  place.escalated = flags >> 2;
  this.setMarks(id, flags, flags > 1 ? place.guatuLabel || place.getBounds().getCenter() : null); // overnight or escalated
};

// Place `id`'s overnight ring and escalation triangle at `at` (a LatLng) for its state's `flags` (1 overdue, 2
// overnight, the escalation level shifted by 2), or none. The marks' canvases take their marks again at the next
// `redraw` only when one was added, moved, changed or taken away: at a million places that is a fifth of a second
// of the page's time, and most polls change no mark.
WallMap.prototype.setMarks = function (id, flags, at) {
  var dot = this.dots[id], flag = this.flags[id], level = flags >> 2;
  if (flags & 2) {
    if (dot === undefined || !samePoint(dot, at)) { this.dots[id] = at; this.marksChanged = true; }
  } else if (dot !== undefined) { delete this.dots[id]; this.marksChanged = true; }
  if (level) {
    if (!flag || flag.level !== level || !samePoint(flag.latlng, at)) { this.flags[id] = { latlng: at, level: level }; this.marksChanged = true; }
  } else if (flag !== undefined) { delete this.flags[id]; this.marksChanged = true; }
};

// A place of the layer, drawn or not: loaded as a Place, or one of a large layer's dots (made a Place now).
WallMap.prototype.placeOf = function (layerId, id) {
  var place = this.all[layerId] && this.all[layerId][id];
  if (place) return place;
  var field = this.fields[layerId];
  var at = field ? field.indexOf(id) : -1;
  if (at < 0) {
    var tiles = this.tiled[layerId];
    return tiles && this.map.hasLayer(tiles) ? tiles.placeOf(id) : null;
  }
  place = field.place(at);
  var props = this.dotProperties(layerId, field, id);
  if (props && !place.feature.properties.name) place.feature.properties = props;
  return place;
};

// A dot's attributes, if known: from the layer's attributes, or from its viewport when that carried them.
WallMap.prototype.dotProperties = function (layerId, field, id) {
  var attrs = this.attrs[layerId] && this.attrs[layerId].byId;
  return (attrs && attrs[id]) || (field.names && field.names[id]) || null;
};

// `refresh` for dot `i` of a large layer's field: its look, and its overnight and escalation marks (read from
// the state's columns, no item made). Returns whether the state knows the place.
WallMap.prototype.refreshDot = function (layerId, field, i, items) {
  var id = field.ids[i];
  items = items || this.items(layerId);
  var j = items ? items.indexOf(id) : -1;
  var shown = this.showsAt(this.dotProperties(layerId, field, id), items, j);
  field.look[i] = !shown ? HIDDEN : (j >= 0 && this.looks[items.statusAt(j)]) || this.unknownLook;
  this.markDot(field, i, shown && j >= 0 ? items.flags[j] : 0);
  return j >= 0;
};

// Dot `i`'s overnight and escalation marks for its state's `flags` (1 overdue, 2 overnight, the escalation level
// shifted by 2), kept in `field.marked`: the marks' canvases draw a field's marks from there, at the dot's point
// (`showMarks`), not from `dots` and `flags` by id. At a million places a zoom out to the district marked 450,000
// dots, and putting each in those by its id took a third of a second.
WallMap.prototype.markDot = function (field, i, flags) {
  var was = field.marked[i];
  if (flags === was) return; // as it was: no mark (most dots), or the same marks
  if ((flags | 1) !== (was | 1)) this.marksChanged = true; // (overdue alone has no mark on a dot: its ring is a pixel's)
  field.marked[i] = flags;
};

// Where place `id`'s overnight ring or escalation triangle stands (a LatLng), or null: a place's or a tile's from
// `dots` and `flags`, a dot's or a box's its point.
WallMap.prototype.markPoint = function (id) {
  var at = this.dots[id] || (this.flags[id] && this.flags[id].latlng);
  if (at) return at;
  for (var layerId in this.fields) {
    var field = this.fields[layerId];
    var i = field.indexOf(id);
    if (i >= 0 && field.marked[i] > 1) return L.latLng(field.lngLat[2 * i + 1], field.lngLat[2 * i]);
  }
  return null;
};

// The place under a layer point of a large layer drawn from tiles (the places' canvas found none of its own).
WallMap.prototype.tiledPlaceAt = function (point) {
  var latlng = this.map.layerPointToLatLng(point);
  var tolerance = this.renderers.features.options.tolerance;
  var ids = Object.keys(this.tiled);
  for (var i = ids.length - 1; i >= 0; i--) {
    var tiles = this.tiled[ids[i]];
    var place = this.map.hasLayer(tiles) ? tiles.placeAt(latlng, tolerance) : null;
    if (place) return place;
  }
  return null;
};

function samePoint(a, b) { return a === b || (!!a && !!b && a.equals(b)); }

// Whether the view may hide some places (a sub-district or community, a status or category filter).
WallMap.prototype.filters = function () {
  return !!(this.view.street || this.view.community || (this.view.statuses || []).length || this.categoryFilter.length);
};

// Every dot of a large layer's field refreshed (a new viewport, a state not polled); `hideUnknown`: a dot the
// state does not know is hidden (playback: the place did not stand that day), not drawn in the unknown colour.
WallMap.prototype.refreshField = function (layerId, hideUnknown) {
  var field = this.fields[layerId];
  if (!field) return;
  var items = this.items(layerId);
  var i;
  if (this.filters()) {
    for (i = 0; i < field.n; i++) {
      if (!this.refreshDot(layerId, field, i, items) && hideUnknown) field.look[i] = HIDDEN;
    }
    return;
  }
  // nothing filtered: each dot's look and marks read straight from the state's columns, as `refreshDot` would
  var at = items ? field.positionsIn(items) : new Int32Array(field.n).fill(-1);
  var self = this;
  var looks = items ? items.statuses.map(function (s) { return self.looks[s]; }) : [];
  var unknown = hideUnknown ? HIDDEN : this.unknownLook;
  for (i = 0; i < field.n; i++) {
    var j = at[i];
    field.look[i] = j < 0 ? unknown : looks[items.status[j]] || this.unknownLook;
    this.markDot(field, i, j < 0 ? 0 : items.flags[j]);
  }
};

// After refreshing places: one redraw of the places' canvas, and of the marks' when a mark changed.
WallMap.prototype.redraw = function () {
  this.renderers.features.requestRedraw();
  if (this.marksChanged) this.showMarks();
};

// The overnight rings and escalation triangles drawn again from `dots`, `flags` and the fields' marks.
WallMap.prototype.showMarks = function () {
  var self = this;
  var fields = Object.keys(this.fields).map(function (layerId) { return self.fields[layerId]; });
  this.marksChanged = false;
  this.renderers.overnight.setDots(this.dots, fields);
  this.renderers.escalated.setDots(this.flags, fields);
};

// Outline drawn above everything: a flash for a change, or the selected place.
WallMap.prototype.outline = function (layer, className, colour, wider) {
  var k = this.scale;
  var more = (wider || 0) * k;
  var style = { renderer: this.renderers.flash, pane: "guatu-flash", interactive: false, className: className,
                color: colour, weight: 6 * k + more, opacity: 1, fill: false, lineJoin: "round" };
  if (layer.guatuPoint) return L.circleMarker(layer.getLatLng(), L.extend(style, { radius: 14 * k }));
  if (layer.guatuLine) return L.polyline(layer.getLatLngs(), L.extend(style, { weight: 11 * k + more }));
  return L.polygon(layer.getLatLngs(), style);
};

WallMap.prototype.flash = function (pairs) {
  var self = this;
  var drawn = [];
  pairs.slice(0, 500).forEach(function (pair) {
    var layer = self.placeOf(pair[0], pair[1]);
    if (!layer || !layer.visible) return;
    // a dark rim under a thick blue outline, and a ring round the place: a place a few pixels across
    // at the whole district's zoom still flashes large enough to be seen from across the room
    drawn.push(self.outline(layer, "guatu-flash guatu-flash-rim", FLASH_RIM, 4).addTo(self.map));
    drawn.push(self.outline(layer, "guatu-flash", FLASH_STROKE, 0).addTo(self.map));
    var at = layer.guatuLabel || (layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter());
    var k = self.scale;
    [[FLASH_RIM, 9], [FLASH_STROKE, 5]].forEach(function (ring) {
      drawn.push(L.circleMarker(at, { renderer: self.renderers.flash, pane: "guatu-flash", interactive: false,
                                      className: "guatu-flash guatu-flash-ring", color: ring[0], weight: ring[1] * k,
                                      opacity: 1, fill: false, radius: FLASH_RING_PX * k }).addTo(self.map));
    });
  });
  this.flashed = pairs.map(function (p) { return p[1]; });
  document.documentElement.dataset.guatuFlash = this.flashed.join(" ");
  window.setTimeout(function () {
    drawn.forEach(function (x) { self.map.removeLayer(x); });
  }, FLASH_MS);
};

var HOVER_PAUSE_MS = 150; // the pointer rests this long on a large layer's place before its card is asked for

// The tooltip of the place under the pointer (one, moved along; not one per place).
WallMap.prototype.hover = function (place, latlng) {
  if (!place) {
    if (this.hoverTip) this.map.removeLayer(this.hoverTip);
    this.hoverPlace = null;
    return;
  }
  if (!this.hoverTip) this.hoverTip = L.tooltip({ sticky: true, className: "guatu-tooltip", direction: "auto", offset: [12, 0] });
  if (place !== this.hoverPlace || !this.map.hasLayer(this.hoverTip)) {
    var self = this;
    this.hoverPlace = place;
    this.hoverTip.setContent(this.tooltip(place));
    var named = function () { // its name: a large layer's place asks its card once the pointer rests on it
      var asked = self.viewport[place.guatuLayer] ? self.placeAttributes(place) : self.loadAttributes([place.guatuLayer]);
      asked.then(function () {
        if (self.hoverPlace === place) self.hoverTip.setContent(self.tooltip(place));
      }, function (err) { self.errors.push(String(err)); });
    };
    window.clearTimeout(this.hoverPause);
    if (this.viewport[place.guatuLayer]) {
      this.hoverPause = window.setTimeout(function () { if (self.hoverPlace === place) named(); }, HOVER_PAUSE_MS);
    } else named();
  }
  this.hoverTip.setLatLng(latlng);
  if (!this.map.hasLayer(this.hoverTip)) this.hoverTip.addTo(this.map);
};

WallMap.prototype.tooltip = function (layer) {
  var p = layer.feature.properties || {};
  var st = this.item(layer.guatuLayer, layer.feature.id);
  var status = this.statuses[st ? st[0] : ""];
  var box = el("div", "guatu-card guatu-hover");
  box.appendChild(el("strong", null, p.name === undefined ? "…" : p.name));
  var dl = el("dl");
  var add = function (label, value) {
    if (value === undefined || value === null || value === "") return;
    dl.appendChild(el("dt", null, label));
    dl.appendChild(el("dd", null, value));
  };
  add(t("wall.tooltip.kind"), p.kind);
  add(t("wall.tooltip.status"), status ? status.label : "—");
  add(t("wall.tooltip.street"), [p.street, p.community].filter(Boolean).join(" · "));
  if (st && st[1]) add(t("wall.tooltip.overdue"), st[4] ? t("wall.tooltip.overdue_problems", { n: st[4] }) : t("wall.tooltip.overdue_deadline"));
  if (st && st[6]) add(t("wall.tooltip.escalated"), t(st[6] === 2 ? "wall.tooltip.escalated_district" : "wall.tooltip.escalated_street"));
  if (st && st[3]) add(t("wall.tooltip.open_problems"), t(st[2] ? "wall.tooltip.open_count_overnight" : "wall.tooltip.open_count", { n: st[3] }));
  box.appendChild(dl);
  box.appendChild(el("p", "guatu-hint", t("wall.tooltip.hint")));
  return box;
};

// --- view --------------------------------------------------------------------------
WallMap.prototype.padding = function () {
  var right = this.panels && this.panels.reservedRight ? this.panels.reservedRight() : 0;
  var pad = 24 * this.scale;
  return { paddingTopLeft: [pad, pad], paddingBottomRight: [pad + right, pad] };
};

WallMap.prototype.fit = function () {
  if (this.fitted || this.view.view) return;
  var bounds = null;
  var self = this;
  Object.keys(this.layers).forEach(function (id) {
    var b = self.layers[id].getBounds();
    if (b.isValid()) bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
  });
  if (!bounds && this.view.street && this.boundaryData.street) {
    this.boundaryData.street.features.forEach(function (f) {
      if (f.properties.name === self.view.street) bounds = L.geoJSON(f).getBounds();
    });
  }
  if (bounds) {
    this.map.fitBounds(bounds, L.extend({ animate: false, maxZoom: 18 }, this.padding()));
    this.fitted = true;
  }
};

// A notice from `source` on the wall (empty `text`: that source's notice taken away).
WallMap.prototype.showBanner = function (text, source) {
  if (this.panels) this.panels.banner(text, source);
};


Object.assign(WallMap.prototype, sync, selection); // the data (wall/sync.js), finding places (wall/selection.js)
