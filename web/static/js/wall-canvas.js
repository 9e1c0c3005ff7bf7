/*
 * Guatu wall map canvas: draws every place of the campaign in one canvas,
 * batched — one path per status colour, not one draw call per place — so a
 * 4K screen shows 20,000 places about as fast as a few hundred.
 *
 *   guatu.Place        one place: id, layer, geometry (Leaflet LatLngs), style,
 *                      flags; getLatLngs/getBounds/setStyle like a Leaflet path
 *   guatu.PlaceCanvas  a Leaflet canvas renderer that projects the places once
 *                      per zoom, draws overdue rings under the fills, then the
 *                      fills and outlines layer by layer (roads last), and finds
 *                      the place under the pointer through a grid of cells
 *   guatu.DotCanvas    the overnight dots, on their own pane (it blinks)
 *   guatu.PlaceGroup   the places of one layer that are drawn, with the
 *                      eachLayer/getLayers/getBounds of a Leaflet group
 */
(function () {
  "use strict";

  var guatu = (window.guatu = window.guatu || {});
  var CELL = 128; // px: hit-test grid
  var TINY = 16; // px: a place smaller than this on screen gets a square for its overdue ring (see _draw)
  var SMALL = 24; // px: … and smaller than this a hairline outline
  var D2R = Math.PI / 180;

  // --- a place -------------------------------------------------------------------
  // type: 0 Polygon, 1 MultiPolygon, 2 LineString, 3 MultiLineString, 4 Point, 5 MultiPoint.
  // coords: one Float64Array per ring (or line, or list of points) holding
  // lng0, lat0, lng1, lat1, …; polys: rings per polygon of a MultiPolygon.
  // Leaflet LatLng objects are made only when asked for (an outline, a card):
  // 20,000 places would otherwise cost 100,000 objects to the garbage collector.
  function Place(id, layerId, type, coords, polys) {
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
  Place.prototype.setStyle = function (style) {
    L.extend(this.options, style);
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
  function placesFromPacked(doc, layerId, ids) {
    var g = doc.geometry, coords = g.coords, parts = g.parts, scale = doc.scale;
    var ci = 0, pi = 0, x = 0, y = 0;
    function run(n) {
      var xy = new Float64Array(2 * n);
      for (var i = 0; i < n; i++) {
        x += coords[ci++];
        y += coords[ci++];
        xy[2 * i] = x / scale;
        xy[2 * i + 1] = y / scale;
      }
      return xy;
    }
    var out = new Array(g.types.length);
    for (var i = 0; i < g.types.length; i++) {
      var t = g.types[i], rings = [], polys = null, r, k;
      if (t === 0) {
        for (r = parts[pi++]; r > 0; r--) rings.push(run(parts[pi++]));
      } else if (t === 1) {
        polys = [];
        for (k = parts[pi++]; k > 0; k--) {
          var nr = parts[pi++];
          polys.push(nr);
          for (r = 0; r < nr; r++) rings.push(run(parts[pi++]));
        }
      } else if (t === 2 || t === 5) {
        rings.push(run(parts[pi++]));
      } else if (t === 3) {
        for (k = parts[pi++]; k > 0; k--) rings.push(run(parts[pi++]));
      } else {
        rings.push(run(1));
      }
      out[i] = new Place(ids[i], layerId, t, rings, polys);
    }
    return out;
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

  // [west, south, east, north] of a place in degrees, computed once.
  function lngLatBox(place) {
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

  var AWAY = [Infinity, Infinity, -Infinity, -Infinity]; // the box of a place not projected: never on screen

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
  function insidePolygon(place, x, y) {
    var hit = false;
    for (var r = 0; r < place.proj.length; r++) {
      var xy = place.proj[r];
      for (var i = 0, j = xy.length - 2; i < xy.length; j = i, i += 2) {
        var yi = xy[i + 1], yj = xy[j + 1];
        if (yi > y !== yj > y && x < ((xy[j] - xy[i]) * (y - yi)) / (yj - yi) + xy[i]) hit = !hit;
      }
    }
    return hit;
  }

  function nearLine(place, x, y, tolerance) {
    for (var r = 0; r < place.proj.length; r++) {
      var xy = place.proj[r];
      for (var i = 2; i < xy.length; i += 2) {
        var ax = xy[i - 2], ay = xy[i - 1], bx = xy[i], by = xy[i + 1];
        var dx = bx - ax, dy = by - ay;
        var t = dx || dy ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy))) : 0;
        var ex = ax + t * dx - x, ey = ay + t * dy - y;
        if (ex * ex + ey * ey <= tolerance * tolerance) return true;
      }
    }
    return false;
  }

  // --- the renderer --------------------------------------------------------------------
  var PlaceCanvas = L.Canvas.extend({
    options: { tolerance: 3, haloColor: "#d4006a", haloWidth: 7, lineHaloWidth: 15 },

    initialize: function (options) {
      L.Canvas.prototype.initialize.call(this, options);
      this.order = []; // layer ids, bottom to top
      this.places = {}; // layer id -> [Place]
      this.outlines = {}; // boundary level -> {lines: [Place], style: {color, weight, dash}}
      this._projected = null;
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
      this._projected = null;
      this.requestRedraw();
    },

    // Reference outlines (district, sub-districts, communities), drawn first:
    // on this canvas rather than their own, one full-screen layer fewer to paint.
    setOutlines: function (level, lines, style) {
      this.outlines[level] = { lines: lines, style: style };
      this._projected = null;
      this.requestRedraw();
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
    // project nothing.
    _project: function () {
      var map = this._map;
      var key = map.getZoom() + ":" + map.getPixelOrigin().toString();
      var b = this._bounds;
      var sw = map.layerPointToLatLng([b.min.x, b.max.y]), ne = map.layerPointToLatLng([b.max.x, b.min.y]);
      var r = this._region;
      if (this._projected === key && r && sw.lng >= r[0] && sw.lat >= r[1] && ne.lng <= r[2] && ne.lat <= r[3]) return;
      var dw = ne.lng - sw.lng, dh = ne.lat - sw.lat;
      var region = [sw.lng - dw, sw.lat - dh, ne.lng + dw, ne.lat + dh];
      var to = projector(map);
      var grid = {};
      var self = this;
      this.order.forEach(function (layerId, z) {
        (self.places[layerId] || []).forEach(function (place, n) {
          place.z = z * 1e7 + n; // draw order, for picking the topmost
          var ll = lngLatBox(place);
          if (ll[2] < region[0] || ll[0] > region[2] || ll[3] < region[1] || ll[1] > region[3]) {
            place.box = AWAY;
            return;
          }
          project(place, to);
          var b = place.box;
          for (var gx = Math.floor(b[0] / CELL); gx <= Math.floor(b[2] / CELL); gx++) {
            for (var gy = Math.floor(b[1] / CELL); gy <= Math.floor(b[3] / CELL); gy++) {
              (grid[gx + ":" + gy] || (grid[gx + ":" + gy] = [])).push(place);
            }
          }
        });
      });
      Object.keys(this.outlines).forEach(function (level) {
        self.outlines[level].lines.forEach(function (line) { project(line, to); });
      });
      this._grid = grid;
      this._projected = key;
      this._region = region;
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
      ctx.globalAlpha = 0.95;
      ctx.fillStyle = o.haloColor;
      ctx.fill(squares);
      ctx.strokeStyle = o.haloColor;
      ctx.lineWidth = o.haloWidth;
      ctx.stroke(halo);
      ctx.lineWidth = o.lineHaloWidth;
      ctx.stroke(lineHalo);
      ctx.globalAlpha = 1;
      // fills and outlines, layer by layer, one path per style
      this.order.forEach(function (layerId) {
        var batches = {};
        (self.places[layerId] || []).forEach(function (p) {
          if (!seen(p)) return;
          var s = p.options;
          var b = p.box;
          // outlines of places a few pixels across are hairlines: the fill carries the colour, and a
          // hairline paints some thirty times faster than a wider stroke
          var weight = !p.guatuLine && Math.max(b[2] - b[0], b[3] - b[1]) < SMALL ? Math.min(1, s.weight) : s.weight;
          var key = (p.guatuLine ? "l" : p.guatuPoint ? "p" : "f") + "|" + s.fillColor + "|" + s.color + "|" + weight + "|" + s.fillOpacity;
          var batch = batches[key] || (batches[key] = { path: new Path2D(), style: s, weight: weight, line: p.guatuLine,
                                                        point: p.guatuPoint });
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
        Object.keys(batches).forEach(function (key) {
          var b = batches[key];
          var s = b.style;
          if (!b.line) {
            ctx.globalAlpha = s.fillOpacity === undefined ? 1 : s.fillOpacity;
            ctx.fillStyle = s.fillColor;
            ctx.fill(b.path, "evenodd");
            ctx.globalAlpha = 1;
          }
          if (b.weight) {
            ctx.strokeStyle = s.color;
            ctx.lineWidth = b.weight;
            ctx.stroke(b.path);
          }
        });
      });
      ctx.restore();
      this.fire("drawn");
    },

    // the topmost drawn place under a layer point
    placeAt: function (point) {
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
        var hit = p.guatuLine ? nearLine(p, point.x, point.y, pad)
          : p.guatuPoint ? true
          : insidePolygon(p, point.x, point.y) || nearLine(p, point.x, point.y, tol);
        if (hit) best = p;
      }
      return best;
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
  var DotCanvas = L.Canvas.extend({
    options: { radius: 6, weight: 2.5, fill: "#ffffff", rim: "#111111" },

    initialize: function (options) {
      L.Canvas.prototype.initialize.call(this, options);
      this.dots = {}; // id -> LatLng
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

    setDots: function (dots) {
      this.dots = dots;
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

    _draw: function () {
      if (!this._map) return;
      var to = projector(this._map);
      var xy = new Float64Array(2);
      var ctx = this._ctx;
      var view = this._bounds;
      var half = this._half;
      var sprite = this._sprite;
      var dots = this.dots;
      Object.keys(dots).forEach(function (id) {
        to(dots[id].lng, dots[id].lat, xy, 0);
        if (xy[0] < view.min.x - half || xy[0] > view.max.x + half || xy[1] < view.min.y - half || xy[1] > view.max.y + half) return;
        ctx.drawImage(sprite, Math.round(xy[0]) - half, Math.round(xy[1]) - half);
      });
    },
  });

  // --- the drawn places of one layer, shaped like a Leaflet group -----------------------
  function PlaceGroup(places) {
    this.places = places; // id -> Place
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
  PlaceGroup.prototype.hasLayer = function (place) { return !!place.visible && this.places[place.feature.id] === place; };
  PlaceGroup.prototype.getBounds = function () {
    var b = L.latLngBounds([]);
    this.eachLayer(function (p) { b.extend(p.getBounds()); });
    return b;
  };

  guatu.Place = Place;
  guatu.placesFromPacked = placesFromPacked;
  guatu.PlaceCanvas = PlaceCanvas;
  guatu.DotCanvas = DotCanvas;
  guatu.PlaceGroup = PlaceGroup;
})();
