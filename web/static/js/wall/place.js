/*
 * One place of the wall map: its id, layer, geometry as typed arrays of
 * lng/lat, style and flags, with the getLatLngs/getBounds/setStyle of a
 * Leaflet path (Leaflet objects are made only when asked for) and an
 * interior point for its name and marks. Leaflet is reached only when a
 * method is called, so node's test runner can import this module.
 */
import { eachPackedShape } from "./packed.js";

// --- a place -------------------------------------------------------------------
// type: 0 Polygon, 1 MultiPolygon, 2 LineString, 3 MultiLineString, 4 Point, 5 MultiPoint.
// coords: one Float64Array per ring (or line, or list of points) holding
// lng0, lat0, lng1, lat1, …; polys: rings per polygon of a MultiPolygon.
// Leaflet LatLng objects are made only when asked for (an outline, a card):
// 20,000 places would otherwise cost 100,000 objects to the garbage collector.
export function Place(id, layerId, type, coords, polys) {
  this.feature = { type: "Feature", id: id, properties: {} };
  this.guatuLayer = layerId;
  this.type = type;
  this.coords = coords;
  this.polys = polys || null;
  this.guatuLine = type === 2 || type === 3;
  this.guatuPoint = type === 4 || type === 5 || type === 6;
  this.guatuDot = type === 6; // a place too small to see at this zoom, sent as one point (geo/viewport.py)
  this.options = {};
  this.visible = false;
  this.overdue = false;
  this.overnight = false;
  this.proj = null; // per ring: Float64Array x0, y0, x1, y1, … in layer pixels
  this.box = null; // [minX, minY, maxX, maxY] in layer pixels
  this.epoch = 0; // the projection `proj` and `box` belong to (canvas.js PlaceCanvas._project)
}

function latLngs(xy) {
  var out = new Array(xy.length / 2);
  for (var i = 0; i < out.length; i++) out[i] = L.latLng(xy[2 * i + 1], xy[2 * i]);
  return out;
}

// the geometry as Leaflet's nested LatLng arrays (for outlines drawn with L.polygon)
Place.prototype.getLatLngs = function () {
  if (!this._latlngs) {
    var rings = this.coords.map(latLngs);
    var t = this.type;
    if (t === 0 || t === 3) this._latlngs = rings;
    else if (t === 1) {
      var out = [];
      var at = 0;
      (this.polys || [rings.length]).forEach(function (n) { out.push(rings.slice(at, at + n)); at += n; });
      this._latlngs = out;
    } else if (t === 2 || t === 5) this._latlngs = rings[0];
    else this._latlngs = rings[0][0];
  }
  return this._latlngs;
};
Place.prototype.getLatLng = function () { return L.latLng(this.coords[0][1], this.coords[0][0]); };
Place.prototype.getBounds = function () {
  if (!this._bounds) {
    var w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
    this.coords.forEach(function (xy) {
      for (var i = 0; i < xy.length; i += 2) {
        if (xy[i] < w) w = xy[i];
        if (xy[i] > e) e = xy[i];
        if (xy[i + 1] < s) s = xy[i + 1];
        if (xy[i + 1] > n) n = xy[i + 1];
      }
    });
    this._bounds = L.latLngBounds([s, w], [n, e]);
  }
  return this._bounds;
};
// `options` may be a style shared by many places (WallMap.styleFor): copied before it is changed.
Place.prototype.setStyle = function (style) {
  this.options = L.extend({}, this.options, style);
  if (this.renderer) this.renderer.requestRedraw();
  return this;
};

// An interior point for labels and marks: the largest ring's centroid when
// inside, else the middle of the widest run of a horizontal line through it.
Place.prototype.interior = function () {
  if (this._interior) return this._interior;
  var ring = this.coords[0];
  for (var r = 1; r < this.coords.length; r++) if (this.coords[r].length > ring.length) ring = this.coords[r];
  var n = ring ? ring.length / 2 : 0;
  var out;
  if (!n) out = { point: null, area: 0 };
  else if (this.guatuPoint) out = { point: L.latLng(ring[1], ring[0]), area: 0 };
  else if (this.guatuLine) {
    var m = Math.floor(n / 2);
    out = { point: L.latLng(ring[2 * m + 1], ring[2 * m]), area: 0 };
  } else out = centroid(ring, n);
  this._interior = out;
  return out;
};
Object.defineProperty(Place.prototype, "guatuLabel", { get: function () { return this.interior().point; } });
Object.defineProperty(Place.prototype, "guatuArea", { get: function () { return this.interior().area; } });

function centroid(ring, n) {
  var x0 = ring[0], y0 = ring[1];
  var a = 0, cx = 0, cy = 0;
  for (var i = 0, j = n - 1; i < n; j = i++) {
    var xi = ring[2 * i] - x0, yi = ring[2 * i + 1] - y0, xj = ring[2 * j] - x0, yj = ring[2 * j + 1] - y0;
    var f = xj * yi - xi * yj;
    a += f;
    cx += (xi + xj) * f;
    cy += (yi + yj) * f;
  }
  if (Math.abs(a) < 1e-18) return { point: L.latLng(y0, x0), area: 0 };
  var lat = cy / (3 * a) + y0;
  var lng = cx / (3 * a) + x0;
  var hit = false;
  var xs = [];
  for (var k = 0, q = n - 1; k < n; q = k++) {
    var ky = ring[2 * k + 1], qy = ring[2 * q + 1];
    if (ky > lat !== qy > lat) {
      var x = ((ring[2 * q] - ring[2 * k]) * (lat - ky)) / (qy - ky) + ring[2 * k];
      xs.push(x);
      if (lng < x) hit = !hit;
    }
  }
  if (!hit) { // the centroid is outside (an L or U shape): the middle of the widest run
    xs.sort(function (u, v) { return u - v; });
    var widest = -1;
    for (var t = 0; t + 1 < xs.length; t += 2) {
      if (xs[t + 1] - xs[t] > widest) {
        widest = xs[t + 1] - xs[t];
        lng = (xs[t] + xs[t + 1]) / 2;
      }
    }
  }
  return { point: L.latLng(lat, lng), area: Math.abs(a) / 2 };
}

// The places of a packed shapes document (geo/wall/codec.py), straight into typed arrays.
// With `dots` (wall/dots.js `dotCollector`: ids, lngLat, half, boxes, and the ids' numbers when it was given them),
// the dots and boxes of a viewport are put there instead of made Places (a dot's half sides 0, 0; `boxes` counts
// the boxes).
// With `kept(id)`, a place it answers with a Place (the same place, drawn from the same kind of answer before)
// is that Place, in its turn: nothing of it is made again.
export function placesFromPacked(doc, layerId, ids, dots, kept) {
  var out = [];
  eachPackedShape(doc, function (i, t, rings, polys) { out.push(new Place(ids[i], layerId, t, rings, polys)); },
                  dots && function (i, lng, lat, halfLng, halfLat) {
                    dots.ids.push(ids[i]);
                    if (dots.numbers) dots.numbers.push(dots.from[i]);
                    dots.lngLat.push(lng, lat);
                    dots.half.push(halfLng, halfLat);
                    if (halfLng || halfLat) dots.boxes++;
                  },
                  kept && function (i) {
                    var place = kept(ids[i]);
                    if (place) out.push(place);
                    return !place;
                  });
  return out;
}

// [west, south, east, north] of a place in degrees, computed once.
export function lngLatBox(place) {
  if (place.ll) return place.ll;
  var w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  place.coords.forEach(function (ring) {
    for (var i = 0; i < ring.length; i += 2) {
      if (ring[i] < w) w = ring[i];
      if (ring[i] > e) e = ring[i];
      if (ring[i + 1] < s) s = ring[i + 1];
      if (ring[i + 1] > n) n = ring[i + 1];
    }
  });
  return (place.ll = [w, s, e, n]);
}
