/*
 * The wall map's canvas: draws every place of the campaign in one canvas,
 * batched — one path per status colour, not one draw call per place — so a
 * 4K screen shows 20,000 places about as fast as a few hundred.
 *
 *   PlaceCanvas        a Leaflet canvas renderer that projects the places once
 *                      per zoom, draws overdue rings under the fills, then the
 *                      fills and outlines layer by layer (roads last), a large
 *                      layer's dots as pixels in its turn (wall/dots.js), and
 *                      finds the place under the pointer through a grid of cells
 *   DotCanvas          the overnight dots, on their own pane (it blinks)
 *   FlagCanvas         the escalation triangles (升级督办), on a pane above them
 *   PlaceGroup         the places of one layer that are drawn, with the
 *                      eachLayer/getLayers/getBounds of a Leaflet group
 */
import { lngLatBox } from "./place.js";
import { HALO_ALPHA, darkerPixel, pixelOf } from "./dots.js";
import { inkOn } from "../lib/dom.js";

var CELL = 128; // px: hit-test grid
var TINY = 16; // px: a place smaller than this on screen gets a square for its overdue ring (see _draw)
var SMALL = 24; // px: … and smaller than this a hairline outline
var D2R = Math.PI / 180;
var HATCH = 9; // px between the stripes of a hatched status (times the wall's scale)
var HOLD_MS = 3000; // the longest a canvas keeps the old view's pixels while a new view is on its way (Cropped)

// Diagonal stripes in the ink that shows on `colour` (dark on light fills, white on dark), `k` times the size
// (its `guatuSize`: the side of the pattern's tile, for aligning it across canvases: wall/tiled.js)
var hatches = {};
export function hatchPattern(ctx, colour, k) {
  var ink = inkOn(colour);
  var key = ink + "|" + k;
  if (hatches[key]) return hatches[key];
  var size = Math.max(4, Math.round(HATCH * k));
  var tile = document.createElement("canvas");
  tile.width = tile.height = size;
  var t = tile.getContext("2d");
  t.strokeStyle = ink;
  t.lineWidth = Math.max(1, 1.6 * k);
  t.beginPath(); // one stripe from corner to corner, and the two halves that make it seamless
  t.moveTo(0, size); t.lineTo(size, 0);
  t.moveTo(-size / 2, size / 2); t.lineTo(size / 2, -size / 2);
  t.moveTo(size / 2, size * 1.5); t.lineTo(size * 1.5, size / 2);
  t.stroke();
  hatches[key] = ctx.createPattern(tile, "repeat");
  hatches[key].guatuSize = size;
  return hatches[key];
}

// --- projection ------------------------------------------------------------------
function projector(map) {
  var zoom = map.getZoom();
  var origin = map.getPixelOrigin();
  if (map.options.crs === L.CRS.EPSG3857) {
    var scale = 256 * Math.pow(2, zoom);
    var maxLat = L.Projection.SphericalMercator.MAX_LATITUDE;
    return function (lng, lat, out, i) {
      var phi = Math.max(Math.min(maxLat, lat), -maxLat) * D2R;
      out[i] = scale * (lng / 360 + 0.5) - origin.x;
      out[i + 1] = scale * (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)) - origin.y;
    };
  }
  return function (lng, lat, out, i) {
    var p = map.latLngToLayerPoint([lat, lng]);
    out[i] = p.x;
    out[i + 1] = p.y;
  };
}

var AWAY = [Infinity, Infinity, -Infinity, -Infinity]; // the box of a place not projected: never on screen
var epochs = 0; // projections made on this page, each renderer's numbered apart (PlaceCanvas._project)

function project(place, to) {
  var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  place.proj = place.coords.map(function (ring) {
    var xy = new Float64Array(ring.length);
    for (var i = 0; i < ring.length; i += 2) {
      to(ring[i], ring[i + 1], xy, i);
      var x = xy[i], y = xy[i + 1];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    return xy;
  });
  place.box = [minX, minY, maxX, maxY];
}

// Rings are closed with a line back to their first point, not closePath():
// in a path of thousands of rings closePath makes the path quadratic to build.
function trace(path, place, closed) {
  for (var r = 0; r < place.proj.length; r++) {
    var xy = place.proj[r];
    if (!xy.length) continue;
    path.moveTo(xy[0], xy[1]);
    for (var i = 2; i < xy.length; i += 2) path.lineTo(xy[i], xy[i + 1]);
    if (closed) path.lineTo(xy[0], xy[1]);
  }
}

// --- hit testing -------------------------------------------------------------------
// Whether (x, y) lies inside rings of x0, y0, x1, y1, … (even-odd; a ring closes itself whether or not its last
// position repeats its first). Shared with wall/tiled.js, whose rings are a tile's.
export function insideRings(rings, x, y) {
  var hit = false;
  for (var r = 0; r < rings.length; r++) {
    var xy = rings[r];
    for (var i = 0, j = xy.length - 2; i < xy.length; j = i, i += 2) {
      var yi = xy[i + 1], yj = xy[j + 1];
      if (yi > y !== yj > y && x < ((xy[j] - xy[i]) * (y - yi)) / (yj - yi) + xy[i]) hit = !hit;
    }
  }
  return hit;
}

// Whether (x, y) lies within `tolerance` of a ring's lines (`closed`: and of the line back to its first
// position), or of a ring of one position.
export function nearRings(rings, x, y, tolerance, closed) {
  for (var r = 0; r < rings.length; r++) {
    var xy = rings[r];
    var n = xy.length;
    if (n === 2 && (xy[0] - x) * (xy[0] - x) + (xy[1] - y) * (xy[1] - y) <= tolerance * tolerance) return true;
    for (var i = 2; i < n + (closed ? 2 : 0); i += 2) {
      var ax = xy[i - 2], ay = xy[i - 1], bx = xy[i % n], by = xy[(i % n) + 1];
      var dx = bx - ax, dy = by - ay;
      var t = dx || dy ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy))) : 0;
      var ex = ax + t * dx - x, ey = ay + t * dy - y;
      if (ex * ex + ey * ey <= tolerance * tolerance) return true;
    }
  }
  return false;
}

// --- a canvas the size of what it draws ------------------------------------------------------
// With `crop` (the wall: nobody pans it) a canvas covers only the box of what it draws, within the view, and not
// the whole screen. Without a GPU the browser copies every pixel of a canvas that changed into the next frame it
// makes, and allocates them when the canvas is sized: at 3840×2160 some 20 ms a canvas each time, for three
// canvases, while a campaign's district fills perhaps half of a 16:9 wall beside its panels. A renderer that
// crops gives `_extent()` (its content's [w, s, e, n], or null when it draws nothing) and `_reach()` (how many
// pixels its strokes or sprites reach beyond that: one number, or [left, top, right, bottom]). `_bounds` stays
// the view, for what is drawn; `_area` is the part of it the canvas covers.
//
// A canvas may also be *held* while a large layer's new view is on its way (`hold`, `release`): a move then does not
// draw the old view's places again at the new view (at a million places 400,000 dots, some 250 ms of the main
// thread and a frame's raster at 4K, to be drawn over when the answer comes). The canvas keeps its pixels, moved and
// scaled to the new view as Leaflet's zoom animation moves them, and is drawn for the view once released: when
// the new view has come (or failed), or `options.holdMs` (`HOLD_MS`) after the hold whatever comes; at once when the
// map is resized (its pixels cannot follow a view whose middle moved).
var Cropped = {
  hold: function () {
    if (!this._map || !this._bounds) return;
    if (this._held && !this._map.getSize().equals(this._heldSize)) this.release(); // (resized meanwhile: drawn first)
    this._held = true;
    this._heldSize = this._map.getSize();
    window.clearTimeout(this._holdTimer);
    this._holdTimer = window.setTimeout(L.Util.bind(this.release, this), this.options.holdMs || HOLD_MS);
  },

  release: function () {
    if (!this._held) return;
    var map = this._map;
    if (map && map._animatingZoom) { // drawn when the zoom has landed (its zoomend comes before the moveend that may
      map.once("zoomend", this.release, this); // hold it again for a view of its own)
      return;
    }
    this._held = false;
    window.clearTimeout(this._holdTimer);
    if (map) this._reset(); // sized, placed and drawn for the view as it is now
  },

  // (held: the pixels as they are, where the view has gone)
  _followHeld: function () {
    if (!this._held) return false;
    if (this._map.getSize().equals(this._heldSize)) this._updateTransform(this._map.getCenter(), this._map.getZoom());
    else this.release();
    return true;
  },

  _reset: function () { // (L.Canvas draws here after a view reset: held, once released)
    if (this._followHeld()) return;
    L.Canvas.prototype._reset.call(this);
  },

  _update: function () {
    if (this._map._animatingZoom && this._bounds) return;
    if (this._followHeld()) return;
    L.Renderer.prototype._update.call(this);
    var area = this._area = this.options.crop ? this._wanted() : this._bounds;
    var container = this._container;
    var size = area.getSize();
    var m = L.Browser.retina ? 2 : 1;
    L.DomUtil.setPosition(container, area.min);
    container.width = m * size.x; // (also clearing it)
    container.height = m * size.y;
    container.style.width = size.x + "px";
    container.style.height = size.y + "px";
    if (L.Browser.retina) this._ctx.scale(2, 2);
    this._ctx.translate(-area.min.x, -area.min.y);
    this.fire("update");
  },

  // The part of the view the canvas must cover: the content's box and its reach, in layer pixels (none: an empty
  // box at the view's corner).
  _wanted: function () {
    var view = this._bounds;
    if (this.coversView && this.coversView()) return view; // e.g. it takes the pointer for a layer under it
    var e = this._extent();
    if (!e) return L.bounds(view.min, view.min);
    var map = this._map;
    var r = this._reach();
    var reach = (typeof r === "number" ? [r, r, r, r] : r).map(Math.ceil);
    var a = map.latLngToLayerPoint([e[3], e[0]]), b = map.latLngToLayerPoint([e[1], e[2]]);
    var min = L.point(Math.max(view.min.x, Math.floor(Math.min(a.x, b.x)) - reach[0]),
                      Math.max(view.min.y, Math.floor(Math.min(a.y, b.y)) - reach[1]));
    var max = L.point(Math.min(view.max.x, Math.ceil(Math.max(a.x, b.x)) + reach[2]),
                      Math.min(view.max.y, Math.ceil(Math.max(a.y, b.y)) + reach[3]));
    return max.x > min.x && max.y > min.y ? L.bounds(min, max) : L.bounds(view.min, view.min);
  },

  // Drawn again: sized again first when the content grew beyond the canvas, or now needs less than half of it
  // (marks come and go all day on a wall that never moves) — the size clears it, and the 'update' that follows
  // draws it (L.Canvas)
  _redraw: function () {
    if (this._held || (this._map && this._map._animatingZoom)) { // drawn when released, or when the zoom has landed
      this._redrawRequest = null; // (the map is at the new zoom already, the canvas still at the old one)
      return;
    }
    if (this._map && this.options.crop && this._area) {
      var want = this._wanted();
      var has = this._area.getSize(), needs = want.getSize();
      if ((needs.x > 0 && !this._area.contains(want)) || 2 * needs.x * needs.y < has.x * has.y) {
        this._redrawRequest = null;
        this._update();
        return;
      }
    }
    L.Canvas.prototype._redraw.call(this);
  },

  // Leaflet's zoom animation moves the canvas as the view's top left corner: a cropped one is that far from it.
  _updateTransform: function (center, zoom) {
    var map = this._map;
    var scale = map.getZoomScale(zoom, this._zoom);
    var viewHalf = map.getSize().multiplyBy(0.5 + this.options.padding);
    var topLeft = viewHalf.multiplyBy(-scale).add(map.project(this._center, zoom))._subtract(map._getNewPixelOrigin(center, zoom));
    var at = this._area ? topLeft.add(this._area.min.subtract(this._bounds.min).multiplyBy(scale)) : topLeft;
    if (L.Browser.any3d) L.DomUtil.setTransform(this._container, at, scale);
    else L.DomUtil.setPosition(this._container, at);
  },
};

// `box` ([w, s, e, n], Infinity and -Infinity while empty) grown to hold [w, s, e, n].
function grow(box, w, s, e, n) {
  if (w < box[0]) box[0] = w;
  if (s < box[1]) box[1] = s;
  if (e > box[2]) box[2] = e;
  if (n > box[3]) box[3] = n;
}

// --- the renderer --------------------------------------------------------------------
export var PlaceCanvas = L.Canvas.extend({
  includes: Cropped,
  // palette: the dots' colours as pixels (dots.js pixelOf), by look - 1
  options: { tolerance: 3, haloColor: "#d4006a", haloWidth: 7, lineHaloWidth: 15, dotRadius: 1.5, palette: [] },

  initialize: function (options) {
    L.Canvas.prototype.initialize.call(this, options);
    this.order = []; // layer ids, bottom to top
    this.places = {}; // layer id -> [Place]
    this.fields = {}; // layer id -> DotField (wall/dots.js) of a large layer's dots
    this.outlines = {}; // boundary level -> {lines: [Place], style: {color, weight, dash}}
    this._projected = null;
    this._changed = false; // places, dots or outlines given since the last projection
    this._epoch = 0;
    this._hover = null;
  },

  setLayer: function (layerId, places, onTop) {
    var self = this;
    if (this.order.indexOf(layerId) < 0) this.order.push(layerId);
    if (onTop) {
      this.order.splice(this.order.indexOf(layerId), 1);
      this.order.push(layerId);
    }
    this.places[layerId] = places;
    places.forEach(function (p) { p.renderer = self; });
    this._changed = true;
    this._box = undefined;
    this.requestRedraw();
  },

  // A large layer's dots (a DotField, or null), painted after its places.
  setField: function (layerId, field) {
    if (field && this.order.indexOf(layerId) < 0) this.order.push(layerId);
    if (field) this.fields[layerId] = field;
    else delete this.fields[layerId];
    this._changed = true;
    this._box = undefined;
    this.requestRedraw();
  },

  // Reference outlines (district, sub-districts, communities), drawn first:
  // on this canvas rather than their own, one full-screen layer fewer to paint.
  setOutlines: function (level, lines, style) {
    this.outlines[level] = { lines: lines, style: style };
    this._changed = true;
    this._box = undefined;
    this.requestRedraw();
  },

  // What the canvas draws, [w, s, e, n] (Cropped): every place, outline and dot given, shown or not (a place a
  // filter hides may show again without a new extent), kept until they change.
  _extent: function () {
    if (this._box !== undefined) return this._box;
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    var add = function (b) { if (b) grow(box, b[0], b[1], b[2], b[3]); };
    var self = this;
    Object.keys(this.places).forEach(function (id) { self.places[id].forEach(function (p) { add(lngLatBox(p)); }); });
    Object.keys(this.outlines).forEach(function (level) { self.outlines[level].lines.forEach(function (l) { add(lngLatBox(l)); }); });
    Object.keys(this.fields).forEach(function (id) { add(self.fields[id].bounds(true)); });
    return (this._box = box[0] <= box[2] ? box : null);
  },
  // the widest stroke (a road's overdue ring), a point's radius, a dot
  _reach: function () {
    var o = this.options;
    return Math.max(o.haloWidth, o.lineHaloWidth, 2 * o.dotRadius, 24) + 2;
  },

  requestRedraw: function () {
    if (!this._map) return;
    this._redrawBounds = null;
    if (!this._redrawRequest) this._redrawRequest = L.Util.requestAnimFrame(this._redraw, this);
  },

  // called by L.Canvas after every move, zoom and resize
  _updatePaths: function () {
    if (this._postponeUpdatePaths) return;
    this._redrawBounds = null;
    if (this._redrawRequest) L.Util.cancelAnimFrame(this._redrawRequest); // drawn now: no second time
    this._redraw();
  },

  // Places are projected to pixels only within a region around the canvas
  // (its size again on every side), so a zoom into a few streets of a
  // 100,000-place layer projects those streets, and pans within the region
  // project nothing. A place keeps its projection while the zoom, the pixel
  // origin and the region stay (`epoch`): when a large layer's new viewport
  // keeps most of its places (a pan), only the places that came are projected.
  _project: function () {
    var map = this._map;
    var key = map.getZoom() + ":" + map.getPixelOrigin().toString();
    var b = this._bounds;
    var sw = map.layerPointToLatLng([b.min.x, b.max.y]), ne = map.layerPointToLatLng([b.max.x, b.min.y]);
    var region = this._region;
    var same = this._projected === key && region && sw.lng >= region[0] && sw.lat >= region[1] && ne.lng <= region[2] && ne.lat <= region[3];
    if (same && !this._changed) return;
    if (!same) {
      var dw = ne.lng - sw.lng, dh = ne.lat - sw.lat;
      region = [sw.lng - dw, sw.lat - dh, ne.lng + dw, ne.lat + dh];
      this._epoch = ++epochs;
    }
    var epoch = this._epoch;
    var to = projector(map);
    var grid = {};
    var self = this;
    var ready = function (place) { // projected for this epoch; false for a place outside the region
      if (place.epoch !== epoch) {
        place.epoch = epoch;
        var ll = lngLatBox(place);
        if (ll[2] < region[0] || ll[0] > region[2] || ll[3] < region[1] || ll[1] > region[3]) place.box = AWAY;
        else project(place, to);
      }
      return place.box !== AWAY;
    };
    this.order.forEach(function (layerId, z) {
      (self.places[layerId] || []).forEach(function (place, n) {
        place.z = z * 1e7 + n; // draw order, for picking the topmost
        if (!ready(place)) return;
        var b = place.box;
        for (var gx = Math.floor(b[0] / CELL); gx <= Math.floor(b[2] / CELL); gx++) {
          for (var gy = Math.floor(b[1] / CELL); gy <= Math.floor(b[3] / CELL); gy++) {
            (grid[gx + ":" + gy] || (grid[gx + ":" + gy] = [])).push(place);
          }
        }
      });
    });
    Object.keys(this.outlines).forEach(function (level) {
      self.outlines[level].lines.forEach(function (line) { // a boundary is drawn whole, wherever it runs
        if (line.epoch !== epoch) project(line, to);
        line.epoch = epoch;
      });
    });
    Object.keys(this.fields).forEach(function (layerId) {
      var field = self.fields[layerId];
      if (field.epoch !== epoch) field.project(to);
      field.epoch = epoch;
    });
    this._grid = grid;
    this._projected = key;
    this._region = region;
    this._changed = false;
  },

  _draw: function () {
    if (!this._map) return;
    this._project();
    var ctx = this._ctx;
    var view = this._bounds;
    var o = this.options;
    var self = this;
    var seen = function (p) {
      var b = p.box;
      return p.visible && b[2] >= view.min.x - 50 && b[0] <= view.max.x + 50 && b[3] >= view.min.y - 50 && b[1] <= view.max.y + 50;
    };
    ctx.save();
    ctx.lineJoin = "round";
    ctx.lineCap = "round";
    ["district", "street", "community"].concat(Object.keys(this.outlines)).forEach(function (level, i, all) {
      var o2 = self.outlines[level];
      if (!o2 || all.indexOf(level) !== i) return;
      var path = new Path2D();
      o2.lines.forEach(function (line) { trace(path, line, true); });
      ctx.setLineDash(o2.style.dash || []);
      ctx.strokeStyle = o2.style.color;
      ctx.lineWidth = o2.style.weight;
      ctx.stroke(path);
    });
    ctx.setLineDash([]);
    // overdue rings, under every fill: the status colour stays whole on top.
    // A place a few pixels across gets a square behind it (read as a ring at
    // that size, and far cheaper to paint than a thick stroke of its outline).
    var halo = new Path2D();
    var lineHalo = new Path2D();
    var squares = new Path2D();
    var hw = o.haloWidth / 2;
    this.order.forEach(function (layerId) {
      (self.places[layerId] || []).forEach(function (p) {
        if (!p.overdue || p.guatuPoint || !seen(p)) return;
        var b = p.box;
        if (p.guatuLine) trace(lineHalo, p, false);
        else if (Math.max(b[2] - b[0], b[3] - b[1]) < TINY) squares.rect(b[0] - hw, b[1] - hw, b[2] - b[0] + 2 * hw, b[3] - b[1] + 2 * hw);
        else trace(halo, p, true);
      });
    });
    ctx.globalAlpha = HALO_ALPHA;
    ctx.fillStyle = o.haloColor;
    ctx.fill(squares);
    ctx.strokeStyle = o.haloColor;
    ctx.lineWidth = o.haloWidth;
    ctx.stroke(halo);
    ctx.lineWidth = o.lineHaloWidth;
    ctx.stroke(lineHalo);
    var looks = this._boxLooks();
    var alone = this._fieldAlone(seen); // (its boxes' rings then painted with its dots: one copy of the sheet less)
    this.order.forEach(function (layerId) { // a large layer's boxes' rings, as pixels (wall/dots.js)
      var field = self.fields[layerId];
      if (field && field !== alone) field.paintHalos(ctx, self._area || view, looks.halo, looks.reach);
    });
    ctx.globalAlpha = 1;
    // fills and outlines, layer by layer, one path per style (places share their style object: wallmap.js
    // styleFor), in the order each style first comes
    this.order.forEach(function (layerId) {
      var batches = [];
      var byStyle = new Map(); // style -> its batches by kind of shape and weight
      (self.places[layerId] || []).forEach(function (p) {
        if (!seen(p)) return;
        var s = p.options;
        var b = p.box;
        // outlines of places a few pixels across are hairlines: the fill carries the colour, and a
        // hairline paints some thirty times faster than a wider stroke
        // (a style with `emphasis` — the editor's selection — keeps its weight: it must be seen on a small place)
        var weight = !p.guatuLine && !s.emphasis && Math.max(b[2] - b[0], b[3] - b[1]) < SMALL ? Math.min(1, s.weight) : s.weight;
        var slot = (p.guatuLine ? 0 : p.guatuPoint ? 2 : 4) + (weight !== s.weight ? 1 : 0);
        var slots = byStyle.get(s);
        if (!slots) byStyle.set(s, slots = []);
        var batch = slots[slot];
        if (!batch) {
          batch = slots[slot] = { path: new Path2D(), style: s, weight: weight, line: p.guatuLine, point: p.guatuPoint };
          batches.push(batch);
        }
        if (p.guatuPoint) {
          p.proj.forEach(function (xy) {
            for (var i = 0; i < xy.length; i += 2) {
              batch.path.moveTo(xy[i] + s.radius, xy[i + 1]);
              batch.path.arc(xy[i], xy[i + 1], s.radius, 0, 2 * Math.PI);
            }
          });
        } else {
          trace(batch.path, p, !p.guatuLine);
        }
      });
      batches.forEach(function (b) {
        var s = b.style;
        if (!b.line) {
          ctx.globalAlpha = s.fillOpacity === undefined ? 1 : s.fillOpacity;
          ctx.fillStyle = s.fillColor;
          ctx.fill(b.path, "evenodd");
          if (s.hatch && /^#[0-9a-f]{6}$/i.test(s.fillColor)) { // a cue besides colour (the status's `hatch`)
            ctx.globalAlpha = 0.7;
            ctx.fillStyle = hatchPattern(ctx, s.fillColor, s.hatch);
            ctx.fill(b.path, "evenodd");
          }
          ctx.globalAlpha = 1;
        }
        if (b.weight) {
          ctx.strokeStyle = s.color;
          ctx.lineWidth = b.weight;
          ctx.stroke(b.path);
        }
      });
      var field = self.fields[layerId];
      if (field) { // (the canvas's pixels)
        field.paint(ctx, self._area || view, o.dotRadius, o.palette, looks.rims, field === alone ? looks : null);
      }
    });
    ctx.restore();
    this.fire("drawn");
  },

  // The one field drawn when no place is drawn under it (none of its layer's or of a layer below is `seen`): its
  // boxes' overdue rings can then be painted in its turn, in the sheet its dots are painted in, and lie under every
  // fill still (the rings of the places drawn as outlines are of their colour, the outlines of the areas under all).
  // At a million places a zoom of 15 or less is all dots and boxes, and the second copy of a 4K sheet was some 50 ms.
  // Else null.
  _fieldAlone: function (seen) {
    var fields = this.order.filter(function (layerId) { return this.fields[layerId]; }, this);
    if (fields.length !== 1) return null;
    for (var k = 0; k < this.order.length; k++) {
      var layerId = this.order[k];
      if ((this.places[layerId] || []).some(seen)) return null;
      if (layerId === fields[0]) return this.fields[layerId];
    }
    return null;
  },

  // How a field's boxes are painted (wall/dots.js paintPixels, paintHalos): a rim darker than the fill, as a place's
  // outline is (wallmap.js makeStyle), and an overdue box's ring a square behind it, as a place's under TINY pixels is.
  _boxLooks: function () {
    var o = this.options;
    if (!this._boxes || this._boxes.palette !== o.palette || this._boxes.rims.length !== o.palette.length) {
      this._boxes = { palette: o.palette, rims: o.palette.map(function (p) { return darkerPixel(p, 0.45); }),
                      halo: pixelOf(o.haloColor), reach: o.haloWidth / 2 };
    }
    return this._boxes;
  },

  // the topmost drawn place under a layer point
  placeAt: function (point) {
    if (this._held) return this.below ? this.below(point) : null; // (the places are where the old view had them)
    if (!this._grid) return null;
    var cell = this._grid[Math.floor(point.x / CELL) + ":" + Math.floor(point.y / CELL)] || [];
    var tol = this.options.tolerance;
    var best = null;
    for (var i = 0; i < cell.length; i++) {
      var p = cell[i];
      if (!p.visible || (best && best.z > p.z)) continue;
      var b = p.box;
      var pad = tol + (p.options.weight || 0) / 2 + (p.guatuPoint ? p.options.radius || 0 : 0);
      if (point.x < b[0] - pad || point.x > b[2] + pad || point.y < b[1] - pad || point.y > b[3] + pad) continue;
      var hit = p.guatuLine ? nearRings(p.proj, point.x, point.y, pad, false)
        : p.guatuPoint ? true
        : insideRings(p.proj, point.x, point.y) || nearRings(p.proj, point.x, point.y, tol, false);
      if (hit) best = p;
    }
    // a dot of a layer drawn above the place found (or any dot, when none was)
    for (var z = this.order.length - 1; z >= 0 && (!best || best.z < (z + 1) * 1e7); z--) {
      var field = this.fields[this.order[z]];
      var at = field ? field.nearest(point.x, point.y, tol + this.options.dotRadius) : -1;
      if (at >= 0) return field.place(at);
    }
    // nothing of this canvas: a large layer drawn from tiles under it (WallMap.tiledPlaceAt), if any
    return best || (this.below ? this.below(point) : null);
  },

  _onMouseMove: function (e) {
    if (!this._map || this._map.dragging.moving() || this._map._animatingZoom) return;
    var place = this.placeAt(this._map.mouseEventToLayerPoint(e));
    if (place !== this._hover) {
      if (this._hover) this.fire("placeout", { place: this._hover, originalEvent: e });
      this._hover = place;
      L.DomUtil[place ? "addClass" : "removeClass"](this._container, "leaflet-interactive");
    }
    if (place) this.fire("placemove", { place: place, latlng: this._map.mouseEventToLatLng(e), originalEvent: e });
  },

  _handleMouseOut: function (e) {
    if (this._hover) this.fire("placeout", { place: this._hover, originalEvent: e });
    this._hover = null;
    L.DomUtil.removeClass(this._container, "leaflet-interactive");
  },

  _onClick: function (e) {
    if (e.type !== "click" || !this._map) return;
    var place = this.placeAt(this._map.mouseEventToLayerPoint(e));
    if (place) {
      L.DomEvent.stop(e);
      this.fire("placeclick", { place: place, latlng: this._map.mouseEventToLatLng(e), originalEvent: e });
    }
  },
});

// --- overnight marks ------------------------------------------------------------------
// A hollow ring, white on a black rim, at each place's interior point: at
// overview zooms a place is smaller than the ring and its colour shows inside.
export var DotCanvas = L.Canvas.extend({
  includes: Cropped,
  options: { radius: 6, weight: 2.5, fill: "#ffffff", rim: "#111111" },

  initialize: function (options) {
    L.Canvas.prototype.initialize.call(this, options);
    this.dots = {}; // id -> LatLng
    this.fields = [];
    // one ring drawn once, then copied to every place: a copy paints far faster than a stroke
    var o = this.options;
    var half = Math.ceil(o.radius + o.weight * 1.8);
    var sprite = document.createElement("canvas");
    sprite.width = sprite.height = 2 * half;
    var c = sprite.getContext("2d");
    c.beginPath();
    c.arc(half, half, o.radius, 0, 2 * Math.PI);
    c.strokeStyle = o.rim;
    c.lineWidth = o.weight * 1.8;
    c.stroke();
    c.strokeStyle = o.fill;
    c.lineWidth = o.weight * 0.7;
    c.stroke();
    this._sprite = sprite;
    this._half = half;
  },

  // `dots`: id -> the mark's point (FlagCanvas: {latlng, level}); `fields` (optional): DotFields (wall/dots.js) whose
  // dots' and boxes' marks are drawn too, from their `marked` flags, at their points.
  setDots: function (dots, fields) {
    this.dots = dots;
    this.fields = fields || [];
    this._marks = null; // taken as columns at the next draw
    if (!this._map) return;
    this._redrawBounds = null;
    if (!this._redrawRequest) this._redrawRequest = L.Util.requestAnimFrame(this._redraw, this);
  },

  _updatePaths: function () {
    if (this._postponeUpdatePaths) return;
    this._redrawBounds = null;
    if (this._redrawRequest) L.Util.cancelAnimFrame(this._redrawRequest);
    this._redraw();
  },

  // How a mark is drawn: its sprite, where the sprite's top left corner lies from the place's point, and its
  // rank (a mark of a higher rank lies on top); and the place's point.
  _look: function () {
    return this._ring || (this._ring = { sprite: this._sprite, dx: -this._half, dy: -this._half, rank: 0 });
  },
  // The look of a field's dot marked with `flags` (wall/wallmap.js markDot), or null: none of this canvas's.
  _flagged: function (flags) { return flags & 2 ? this._look() : null; },
  _latLng: function (dot) { return dot; },
  _cell: function () { return this._half; },

  // The marks as columns, taken once per setDots (a pan or zoom draws them again): each one's point and look,
  // in the order given, and how far a mark's sprite reaches from its point.
  _columns: function () {
    var self = this;
    var dots = this.dots;
    var ids = Object.keys(dots);
    var fields = this.fields || [];
    var n = ids.length, f, j;
    for (f = 0; f < fields.length; f++) {
      for (j = 0; j < fields[f].n; j++) if (this._flagged(fields[f].marked[j])) n++;
    }
    var lngLat = new Float64Array(2 * n);
    var looks = new Array(n);
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    var i = 0;
    var put = function (lng, lat, look) {
      lngLat[2 * i] = lng;
      lngLat[2 * i + 1] = lat;
      looks[i++] = look;
      grow(box, lng, lat, lng, lat);
    };
    ids.forEach(function (id) {
      var at = self._latLng(dots[id]);
      put(at.lng, at.lat, self._look(dots[id]));
    });
    for (f = 0; f < fields.length; f++) {
      var field = fields[f];
      for (j = 0; j < field.n; j++) {
        var look = this._flagged(field.marked[j]);
        if (look) put(field.lngLat[2 * j], field.lngLat[2 * j + 1], look);
      }
    }
    var reach = 0;
    var sides = [0, 0, 0, 0]; // how far the sprites reach left of, above, right of and below their points
    new Set(looks).forEach(function (look) { // (a few looks, shared by the marks)
      reach = Math.max(reach, look.sprite.width + Math.abs(look.dx), look.sprite.height + Math.abs(look.dy));
      var reaches = [-look.dx, -look.dy, look.sprite.width + look.dx, look.sprite.height + look.dy];
      for (var k = 0; k < 4; k++) if (reaches[k] > sides[k]) sides[k] = reaches[k];
    });
    return { n: n, lngLat: lngLat, looks: looks, reach: reach, sides: sides.map(function (v) { return v + 1; }),
             box: n ? box : null };
  },
  // where the marks stand and how far their sprites reach (Cropped)
  _extent: function () { return (this._marks || (this._marks = this._columns())).box; },
  _reach: function () { return (this._marks || (this._marks = this._columns())).sides; },

  // Each mark drawn at its place's point, the marks off the view left out. Marks closer together than half
  // a mark's size (in one cell of that size) are drawn once: the last of the highest rank in the cell, as a
  // pile of copies would show it. At the district's zoom of a large campaign tens of thousands of marks pile
  // up on a few thousand such cells, and each copy drawn is a draw call (200,000 places: 66,000 flags).
  _draw: function () {
    if (!this._map) return;
    var marks = this._marks || (this._marks = this._columns());
    if (!marks.n) return;
    var to = projector(this._map);
    var view = this._bounds;
    var size = Math.max(1, this._cell());
    var pad = marks.reach;
    var gx = Math.floor((view.min.x - pad) / size), gy = Math.floor((view.min.y - pad) / size);
    var cols = Math.floor((view.max.x + pad) / size) - gx + 1, rows = Math.floor((view.max.y + pad) / size) - gy + 1;
    var top = new Int32Array(cols * rows).fill(-1); // cell -> the mark drawn there
    var xy = new Float64Array(2 * marks.n);
    var looks = marks.looks;
    for (var i = 0; i < marks.n; i++) {
      to(marks.lngLat[2 * i], marks.lngLat[2 * i + 1], xy, 2 * i);
      var look = looks[i];
      var x = Math.round(xy[2 * i] + look.dx), y = Math.round(xy[2 * i + 1] + look.dy);
      if (x > view.max.x || x + look.sprite.width < view.min.x || y > view.max.y || y + look.sprite.height < view.min.y) continue;
      var cell = (Math.floor(xy[2 * i + 1] / size) - gy) * cols + Math.floor(xy[2 * i] / size) - gx;
      if (!(cell >= 0 && cell < top.length)) continue; // a point that is no number
      var there = top[cell];
      if (there < 0 || looks[there].rank <= look.rank) top[cell] = i;
    }
    var drawn = top.filter(function (m) { return m >= 0; }).sort(); // in the order of each pile's top copy
    var ctx = this._ctx;
    for (var k = 0; k < drawn.length; k++) {
      var m = drawn[k], l = looks[m];
      ctx.drawImage(l.sprite, Math.round(xy[2 * m] + l.dx), Math.round(xy[2 * m + 1] + l.dy));
    }
  },
});

// --- escalation marks ------------------------------------------------------------------
// A warning triangle standing above each place with an escalated case (升级督办):
// orange when the case went up to the sub-district, red and larger when it
// reached the district; drawn with a dark rim and a white "!" so it reads on
// any status colour, and above the interior point, so the overnight ring there
// stays visible. `setDots({id: {latlng, level}}, fields)`: the places' triangles by id, and the fields' dots' and
// boxes' from their marks (the escalation level in `marked`, shifted by 2).
export var FlagCanvas = DotCanvas.extend({
  options: { size: 14, street: "#ff8c00", district: "#e00000", rim: "#111111" },

  initialize: function (options) {
    L.Canvas.prototype.initialize.call(this, options);
    this.dots = {};
    this.fields = [];
    var o = this.options;
    this._sprites = { 1: this._triangle(o.size, o.street), 2: this._triangle(o.size * 1.3, o.district) };
    this._looks = {};
  },

  _triangle: function (size, colour) {
    var rim = Math.max(1.5, size / 7);
    var w = Math.ceil(size + 2 * rim);
    var h = Math.ceil(size * 0.9 + 2 * rim);
    var sprite = document.createElement("canvas");
    sprite.width = w;
    sprite.height = h;
    var c = sprite.getContext("2d");
    c.beginPath();
    c.moveTo(w / 2, rim);
    c.lineTo(w - rim, h - rim);
    c.lineTo(rim, h - rim);
    c.closePath();
    c.lineJoin = "round";
    c.lineWidth = rim;
    c.strokeStyle = this.options.rim;
    c.fillStyle = colour;
    c.fill();
    c.stroke();
    c.fillStyle = "#ffffff"; // the "!": a bar and a dot
    c.fillRect(w / 2 - size / 14, h * 0.36, size / 7, h * 0.3);
    c.fillRect(w / 2 - size / 14, h * 0.72, size / 7, size / 7);
    return sprite;
  },

  // the triangle's foot above the place's point; in a pile, a district's triangle wins over a sub-district's
  _look: function (dot) {
    var sprite = this._sprites[dot.level] || this._sprites[1];
    var look = this._looks[dot.level] || (this._looks[dot.level] = {
      sprite: sprite, dx: -sprite.width / 2, dy: -this.options.size * 0.8 - sprite.height, rank: dot.level === 2 ? 1 : 0 });
    return look;
  },
  _flagged: function (flags) {
    var level = flags >> 2;
    return level ? this._looks[level] || this._look({ level: level }) : null;
  },
  _latLng: function (dot) { return dot.latlng; },
  _cell: function () { return this._sprites[1].width / 2; },
});

// --- the drawn places of one layer, shaped like a Leaflet group -----------------------
export function PlaceGroup(places, field) {
  this.places = places; // id -> Place
  this.field = field || null; // the layer's DotField (wall/dots.js), if it has dots
}
PlaceGroup.prototype.eachLayer = function (fn, context) {
  var places = this.places;
  Object.keys(places).forEach(function (id) { if (places[id].visible) fn.call(context, places[id]); });
  return this;
};
PlaceGroup.prototype.getLayers = function () {
  var out = [];
  this.eachLayer(function (p) { out.push(p); });
  return out;
};
// How many places are drawn, the dots of a large layer's field included (eachLayer leaves them out).
PlaceGroup.prototype.count = function () {
  var n = 0;
  var places = this.places;
  Object.keys(places).forEach(function (id) { if (places[id].visible) n++; });
  return n + (this.field ? this.field.count() : 0);
};
PlaceGroup.prototype.getBounds = function () {
  var b = L.latLngBounds([]);
  this.eachLayer(function (p) { b.extend(p.getBounds()); });
  var dots = this.field && this.field.bounds();
  if (dots) b.extend([[dots[1], dots[0]], [dots[3], dots[2]]]);
  return b;
};
