/*
 * A large layer drawn from vector tiles (the wall from the campaign's `map.vector_tiles_from` zoom on, the editor from
 * it up to the names' zoom; off by default: docs/scale-benchmark.md, "The wall's large layer from its tiles", says
 * when it pays): one 256-pixel canvas per tile (a Leaflet GridLayer), each tile's places painted with the host's
 * styles, batched as the wall's canvas batches them (one path per style: wall/canvas.js). geo/tiles.py makes each
 * tile once per shapes revision for every screen; a pan keeps the tiles it has and asks only for those that came
 * into view, and a status change repaints the tiles that hold the place (from the state, as the rest of the map is
 * coloured) without fetching anything. Further out, where a large layer's places are dots, the host's viewport
 * canvas draws them (wall/sync.js, editor/large-layer.js).
 *
 * A tile's place is made a Place (wall/place.js) only for a card, a tooltip, a flash or a selection: its
 * outline in lng/lat from the tile (cut at the tile's edge, with the tile's buffer, for a place that crosses
 * it). On the wall the overnight rings and escalation triangles are the wall's (`setMarks`), at the centre of the
 * place's box in the first tile that held it.
 *
 * The tiles are drawn for a host: the wall (`wallHost` below) or the editor (editor/large-layer.js). A host has
 *   tilesFrom, tilesBelow      the zooms tiles are drawn at, from the one and below the other (null: no limit); a
 *                              tile asked for at another (a zoom's first moment, before the host takes the layer
 *                              off the map) is left blank, and not called loaded, so the tiles of the zoom before
 *                              stay shown meanwhile;
 *   tileUrl(layerId, coords, revision), tileHeaders()   where a tile is fetched, and how;
 *   items(layerId)             the layer's state columns (wall/state.js PlaceItems), or null;
 *   painter(layerId, items)    for one paint: a function (id, j, type) giving the style of place `id` (at `j` of
 *                              `items`, -1 when they do not hold it; `type` its MVT type), or null when the place
 *                              is not drawn (one style object per look: the paint batches by it; a style with
 *                              `emphasis` keeps its outline's weight on a place too small for more than a hairline);
 *   look(layerId, place)       a Place made from a tile (for a card, a selection) given its look, again when it changed;
 *   failed(layerId, err)       a tile's request failed (it is asked for again); mended(layerId): none fails now;
 *   loaded(layerId, zoom, n)   every tile of the view came (the n-th time);
 *   marks                      the overdue, overnight and escalation marks, or null when the host draws none:
 *                              {halo: {haloColor, haloWidth, lineHaloWidth}, has(id), at(id), set(id, flags, at),
 *                              show(), forget(id, place)}.
 */
import { hatchPattern, insideRings, nearRings } from "./canvas.js";
import { Place } from "./place.js";
import { LINE, POINT, POLYGON, readTile } from "./mvt.js";

var SMALL = 24; // px: a place smaller than this gets a hairline outline (as on the wall's canvas)
var EMPTY = {}; // a tile's place has no attributes in the page (its card has them)
var SHAPES = {}; // MVT type -> what WallMap.styleFor reads of a place
SHAPES[POINT] = { guatuDot: true };
SHAPES[LINE] = { guatuLine: true };
SHAPES[POLYGON] = {};

// A point of tile `coords` (x, y in tile units of `extent`) as a LatLng (spherical Mercator).
function tileLatLng(coords, extent, x, y) {
  var n = Math.pow(2, coords.z);
  var lng = ((coords.x + x / extent) / n) * 360 - 180;
  var my = Math.PI * (1 - (2 * (coords.y + y / extent)) / n);
  return L.latLng((Math.atan(Math.sinh(my)) * 180) / Math.PI, lng);
}

function trace(path, rings, s, closed) {
  for (var r = 0; r < rings.length; r++) {
    var xy = rings[r];
    path.moveTo(xy[0] * s, xy[1] * s);
    for (var i = 2; i < xy.length; i += 2) path.lineTo(xy[i] * s, xy[i + 1] * s);
    if (closed) path.lineTo(xy[0] * s, xy[1] * s);
  }
}

export var PlaceTiles = L.GridLayer.extend({
  options: { tileSize: 256, pane: "guatu-tiles", noWrap: true, updateWhenIdle: false, updateWhenZooming: false,
             keepBuffer: 1 },

  initialize: function (host, layerId, options) {
    L.GridLayer.prototype.initialize.call(this, options);
    this.host = host;
    this.layerId = layerId;
    this.revision = 0; // the layer's shapes revision the tiles are asked for (in their URL)
    this.holding = new Map(); // place id -> the keys of the loaded tiles that hold it
    this.made = new Map(); // place id -> Place made for a card, a tooltip, a flash
    this.dirty = new Set(); // keys of the tiles to paint again at the next frame
    this.loads = 0; // views whose tiles all came (data-guatu-viewport names it, as a viewport's answer)
    this.failing = new Set(); // keys of the tiles whose last request failed
    this.on("tileunload", this._unloaded, this);
    this.on("load", this._loaded, this);
  },

  onRemove: function (map) {
    var marks = this.host.marks;
    if (marks) {
      this.holding.forEach(function (_, id) { marks.set(id, 0, null); });
      this.made.forEach(function (place, id) { marks.forget(id, place); });
    }
    this.holding.clear();
    this.made.clear();
    L.GridLayer.prototype.onRemove.call(this, map);
    if (marks) marks.show();
  },

  // The shapes revision moved: every tile is asked for again (a new URL), each shown as it was until its new one
  // came (no blank screen on a wall while a place is added or moved), and places removed before are gone.
  setRevision: function (revision) {
    if (revision === this.revision) return;
    this.revision = revision;
    this.made.clear();
    var self = this;
    Object.keys(this._tiles || {}).forEach(function (key) {
      var t = self._tiles[key];
      self._fetch(t.el, t.coords, null, 0);
    });
  },

  url: function (coords) {
    return this.host.tileUrl(this.layerId, coords, this.revision);
  },

  createTile: function (coords, done) {
    var tile = L.DomUtil.create("canvas", "guatu-tile");
    var ratio = L.Browser.retina ? 2 : 1;
    var size = this.getTileSize();
    tile.width = size.x * ratio;
    tile.height = size.y * ratio;
    if (!this._drawsAt(coords.z)) { // a zoom out: Leaflet asks for the new zoom's tiles before the zoom's end
      // takes the layer off the map, and at a million places they are some 30 tiles of 65,000 points each that the
      // server would make for nothing (an aborted request does not stop it): left blank, and never called loaded,
      // so Leaflet keeps the zoom before's tiles on screen until the host takes the layer off
      return tile;
    }
    this._fetch(tile, coords, done, 0);
    return tile;
  },

  _drawsAt: function (z) {
    var below = this.host.tilesBelow;
    return z >= this.host.tilesFrom && (below === null || below === undefined || z < below);
  },

  // Fetch, read and paint tile `coords` into its canvas. A tile that failed (the server busy or down) is asked for
  // again after 2, 4, … 60 s while it is on the map: a wall that nobody pans must not keep a blank square. `done`
  // (Leaflet's) is told of the first outcome only.
  _fetch: function (tile, coords, done, attempt) {
    var self = this;
    var key = this._tileCoordsToKey(coords);
    var url = this.url(coords);
    var revision = this.revision;
    var headers = this.host.tileHeaders();
    var current = function () { return self._map && self._tiles[key] && self._tiles[key].el === tile; };
    // one request and one retry at a time per tile: a newer one (a new revision) replaces them; a tile let go
    // before its answer came drops its request
    if (tile.guatuAsked) tile.guatuAsked.abort();
    window.clearTimeout(tile.guatuRetry);
    var asked = tile.guatuAsked = new AbortController();
    fetch(url, { headers: headers, credentials: "same-origin", signal: asked.signal }).then(function (resp) {
      if (!resp.ok) throw new Error(url.split("?")[0] + ": HTTP " + resp.status);
      return resp.arrayBuffer();
    }).then(function (buffer) {
      // (a tile let go meanwhile is not painted, nor an answer for a revision asked for again since)
      if (url === self.url(coords) && current()) {
        var data = readTile(buffer, self.layerId);
        var index = new Map();
        data.features.forEach(function (f) { if (!index.has(f.id)) index.set(f.id, f); });
        if (tile.guatu) self._release(tile.guatu);
        tile.guatu = { key: key, coords: L.extend({}, coords), data: data, index: index, revision: revision };
        self._hold(tile);
        self.paint(tile);
        self._marksLater();
        if (!done) L.DomUtil.addClass(tile, "leaflet-tile-loaded"); // (Leaflet shows a tile it was told was loaded)
      }
      self._mended(key);
      if (done) done(null, tile);
    }).catch(function (err) {
      if (done) done(err, tile);
      if (asked.signal.aborted) return;
      self.failing.add(key);
      self.host.failed(self.layerId, err);
      tile.guatuRetry = window.setTimeout(function () {
        if (current() && tile.guatuAsked === asked) self._fetch(tile, coords, null, attempt + 1);
      }, Math.min(60000, 2000 * Math.pow(2, attempt)));
    });
  },

  // Tile `key` came, or was let go: the host told when no tile is failing any more.
  _mended: function (key) {
    if (this.failing.delete(key) && !this.failing.size && this.host.mended) this.host.mended(this.layerId);
  },

  // (most places lie in one tile: its key is kept as a string, a list only for a place in several)
  _hold: function (tile) {
    var holding = this.holding;
    var key = tile.guatu.key;
    tile.guatu.index.forEach(function (_, id) {
      var keys = holding.get(id);
      if (keys === undefined) holding.set(id, key);
      else if (typeof keys === "string") holding.set(id, [keys, key]);
      else keys.push(key);
    });
  },

  // The keys of the loaded tiles that hold place `id` (a list, empty when none does).
  _keysOf: function (id) {
    var keys = this.holding.get(id);
    return keys === undefined ? [] : typeof keys === "string" ? [keys] : keys;
  },

  // A tile's places no longer held by it (let go, or read again): a place no other tile holds loses its marks.
  _release: function (g) {
    var self = this;
    g.index.forEach(function (_, id) {
      var keys = self.holding.get(id);
      if (keys === undefined) return;
      if (typeof keys !== "string") {
        var at = keys.indexOf(g.key);
        if (at >= 0) keys.splice(at, 1);
        if (keys.length > 1) return;
        if (keys.length === 1) { self.holding.set(id, keys[0]); return; }
      } else if (keys !== g.key) {
        return;
      }
      self.holding.delete(id);
      if (self.host.marks) {
        self.host.marks.forget(id, self.made.get(id));
        self.host.marks.set(id, 0, null); // off the screen's tiles: its marks go with it
      }
      self.made.delete(id);
    });
  },

  _unloaded: function (e) {
    if (e.tile.guatuAsked) e.tile.guatuAsked.abort();
    window.clearTimeout(e.tile.guatuRetry);
    this._mended(this._tileCoordsToKey(e.coords));
    if (!e.tile.guatu) return;
    this._release(e.tile.guatu);
    e.tile.guatu = null;
    this._marksLater();
  },

  // The marks' canvases take every mark again when one changed (wall/canvas.js DotCanvas): while a view's tiles
  // come one by one that is done once a second, and once they are all in, not once a tile (at 4K each time is
  // thousands of marks drawn: at 100,000 places five times a second cost a second of a 12-second zoom).
  _marksLater: function () {
    var self = this;
    if (this._marksTimer) return;
    this._marksTimer = window.setTimeout(function () {
      self._marksTimer = null;
      if (self.host.marks) self.host.marks.show();
    }, 1000);
  },

  _loaded: function () {
    if (!this._drawsAt(this._tileZoom)) return; // the blank tiles of a zoom out (createTile)
    window.clearTimeout(this._marksTimer);
    this._marksTimer = null;
    if (this.host.marks) this.host.marks.show();
    this.loads++;
    this.host.loaded(this.layerId, this._tileZoom, this.loads);
  },

  // Paint a tile's places in their looks from the state: the overdue rings under the fills, then one path per
  // style (a hairline for a place under SMALL pixels), dots as squares; and set the marks of its places.
  paint: function (tile) {
    var g = tile.guatu;
    if (!g) return;
    var host = this.host;
    var marks = host.marks;
    var layerId = this.layerId;
    var ctx = tile.getContext("2d");
    var ratio = tile.width / this.getTileSize().x;
    var s = tile.width / g.data.extent; // tile units -> canvas pixels
    var pixel = g.data.extent / this.getTileSize().x; // tile units per CSS pixel
    var items = host.items(layerId);
    var styleOf = host.painter(layerId, items);
    var halo = new Path2D();
    var lineHalo = new Path2D();
    var batches = [];
    var byStyle = new Map();
    var features = g.data.features;
    for (var n = 0; n < features.length; n++) {
      var f = features[n];
      var j = items ? items.indexOf(f.id) : -1;
      var style = styleOf(f.id, j, f.type);
      if (!style) { // (not drawn: see the hosts' painters)
        if (marks && marks.has(f.id)) marks.set(f.id, 0, null);
        continue;
      }
      var flags = marks && j >= 0 ? items.flags[j] : 0;
      var box = f.box;
      var hairline = f.type !== LINE && Math.max(box[2] - box[0], box[3] - box[1]) < SMALL * pixel;
      var slot = (f.type === POINT ? 2 : 0) + (hairline ? 1 : 0);
      var slots = byStyle.get(style);
      if (!slots) byStyle.set(style, slots = []);
      var batch = slots[slot];
      if (!batch) {
        batch = slots[slot] = { path: new Path2D(), style: style, hairline: hairline, type: f.type };
        batches.push(batch);
      }
      if (f.type === POINT) {
        var r = (style.radius || 1.5) * ratio;
        for (var k = 0; k < f.rings.length; k++) batch.path.rect(f.rings[k][0] * s - r, f.rings[k][1] * s - r, 2 * r, 2 * r);
      } else {
        trace(batch.path, f.rings, s, f.type !== LINE);
        if (flags & 1) trace(f.type === LINE ? lineHalo : halo, f.rings, s, f.type !== LINE);
      }
      if (marks && (flags > 1 || marks.has(f.id))) this._mark(f, g, flags);
    }
    ctx.clearRect(0, 0, tile.width, tile.height);
    ctx.lineJoin = "round";
    ctx.lineCap = "round";
    if (marks) {
      ctx.globalAlpha = 0.95;
      ctx.strokeStyle = marks.halo.haloColor;
      ctx.lineWidth = marks.halo.haloWidth * ratio;
      ctx.stroke(halo);
      ctx.lineWidth = marks.halo.lineHaloWidth * ratio; // a road's ring is wider than the road drawn on it
      ctx.stroke(lineHalo);
      ctx.globalAlpha = 1;
    }
    var origin = [g.coords.x * tile.width, g.coords.y * tile.height]; // the stripes of hatched fills meet at the edges
    batches.forEach(function (b) {
      var st = b.style;
      if (b.type !== LINE) {
        ctx.globalAlpha = st.fillOpacity === undefined ? 1 : st.fillOpacity;
        ctx.fillStyle = st.fillColor;
        ctx.fill(b.path, "evenodd");
        if (st.hatch && /^#[0-9a-f]{6}$/i.test(st.fillColor)) { // a cue besides colour, as on the wall's canvas
          var pattern = hatchPattern(ctx, st.fillColor, st.hatch * ratio);
          var size = pattern.guatuSize;
          pattern.setTransform(new DOMMatrix().translate(-(origin[0] % size), -(origin[1] % size)));
          ctx.globalAlpha = 0.7;
          ctx.fillStyle = pattern;
          ctx.fill(b.path, "evenodd");
          pattern.setTransform(new DOMMatrix()); // (shared with the wall's canvas)
        }
        ctx.globalAlpha = 1;
      }
      var weight = b.type === POINT ? 0 : b.hairline && !st.emphasis ? Math.min(1, st.weight) : st.weight;
      if (weight) {
        ctx.strokeStyle = st.color;
        ctx.lineWidth = weight * ratio;
        ctx.stroke(b.path);
      }
    });
  },

  // A place's overnight ring and escalation triangle (the wall's), at the centre of its box in the first tile
  // that marked it: the same point whichever tile is painted again.
  _mark: function (f, g, flags) {
    var marks = this.host.marks;
    var at = flags > 1 ? marks.at(f.id) : null;
    if (flags > 1 && !at) at = tileLatLng(g.coords, g.data.extent, (f.box[0] + f.box[2]) / 2, (f.box[1] + f.box[3]) / 2);
    marks.set(f.id, flags, at);
  },

  // The places whose look changed (ids; null: every place): their tiles painted again at the next frame, the
  // marks with them.
  changed: function (ids) {
    var self = this;
    if (!ids || ids.length > 5000) {
      Object.keys(this._tiles).forEach(function (key) { self.dirty.add(key); });
      this.made.forEach(function (place) { self.host.look(self.layerId, place); });
    } else {
      ids.forEach(function (id) {
        self._keysOf(id).forEach(function (key) { self.dirty.add(key); });
        var place = self.made.get(id);
        if (place) self.host.look(self.layerId, place);
      });
    }
    if (this.dirty.size && !this._frame) {
      this._frame = L.Util.requestAnimFrame(function () {
        self._frame = null;
        self.dirty.forEach(function (key) {
          var t = self._tiles[key];
          if (t) self.paint(t.el);
        });
        self.dirty.clear();
        if (self.host.marks) self.host.marks.show();
      });
    }
  },

  // A place removed (by the state): its tiles painted again without it (nor its marks) until new ones come.
  hide: function (id) {
    if (this.host.marks) this.host.marks.set(id, 0, null);
    this.changed([id]);
  },

  // The place `id` of a loaded tile, made a Place (null when no loaded tile holds it).
  placeOf: function (id) {
    var keys = this._keysOf(id);
    var t = keys.length ? this._tiles[keys[0]] : null;
    var g = t && t.el.guatu;
    var f = g && g.index.get(id);
    return f ? this._place(f, g) : null;
  },

  _place: function (f, g) {
    var place = this.made.get(f.id);
    if (!place) {
      var coords = f.rings.map(function (xy) {
        var out = new Float64Array(xy.length);
        for (var i = 0; i < xy.length; i += 2) {
          var at = tileLatLng(g.coords, g.data.extent, xy[i], xy[i + 1]);
          out[i] = at.lng;
          out[i + 1] = at.lat;
        }
        return out;
      });
      place = new Place(f.id, this.layerId, f.type === POINT ? 6 : f.type === LINE ? 3 : 0, coords);
      this.made.set(f.id, place);
      this.host.look(this.layerId, place);
    }
    var items = this.host.items(this.layerId);
    if (!items || items.indexOf(f.id) < 0) place.visible = false; // as `paint` leaves it out
    return place;
  },

  // Ids of the places drawn in the loaded tiles whose boxes meet `bounds` (a LatLngBounds): a box select. A point
  // standing for several places too small to see (`count`) gives its first place only; `unlisted`, when given, is
  // told how many others such points stand for.
  idsIn: function (bounds, unlisted) {
    var out = new Set();
    var merged = new Map(); // first place's id -> the places its point stands for
    if (!this._map) return [];
    var self = this;
    var size = this.getTileSize().x;
    var items = this.host.items(this.layerId);
    var styleOf = this.host.painter(this.layerId, items);
    Object.keys(this._tiles).forEach(function (key) {
      var g = self._tiles[key].el.guatu;
      if (!g) return;
      var unit = g.data.extent / size;
      var nw = self._map.project(bounds.getNorthWest(), g.coords.z);
      var se = self._map.project(bounds.getSouthEast(), g.coords.z);
      var x0 = (nw.x - g.coords.x * size) * unit, y0 = (nw.y - g.coords.y * size) * unit;
      var x1 = (se.x - g.coords.x * size) * unit, y1 = (se.y - g.coords.y * size) * unit;
      g.data.features.forEach(function (f) {
        var b = f.box;
        if (out.has(f.id) || b[2] < x0 || b[0] > x1 || b[3] < y0 || b[1] > y1) return;
        if (!styleOf(f.id, items ? items.indexOf(f.id) : -1, f.type)) return;
        out.add(f.id);
        if (f.count > 1) merged.set(f.id, f.count);
      });
    });
    if (unlisted) merged.forEach(function (n) { unlisted.n += n - 1; });
    return Array.from(out);
  },

  // Whether every tile of the view is painted (none still coming, none failed), at a zoom the tiles draw.
  drawn: function () {
    if (!this._map || this._tileZoom === undefined || !this._drawsAt(this._tileZoom)) return false;
    var tiles = this._tiles;
    var keys = Object.keys(tiles).filter(function (key) { return tiles[key].current; });
    return keys.length > 0 && keys.every(function (key) { return !!tiles[key].el.guatu; });
  },

  // Whether a loaded tile holds place `id`.
  holds: function (id) {
    return this.holding.has(id);
  },

  // The topmost place under `latlng` (within `tolerance` CSS pixels of a line or an outline), or null.
  placeAt: function (latlng, tolerance) {
    if (!this._map || this._tileZoom === undefined) return null;
    var size = this.getTileSize().x;
    var p = this._map.project(latlng, this._tileZoom);
    var coords = { x: Math.floor(p.x / size), y: Math.floor(p.y / size), z: this._tileZoom };
    var t = this._tiles[this._tileCoordsToKey(coords)];
    var g = t && t.el.guatu;
    if (!g) return null;
    var unit = g.data.extent / size;
    var x = (p.x - coords.x * size) * unit, y = (p.y - coords.y * size) * unit, tol = tolerance * unit;
    var items = this.host.items(this.layerId);
    var styleOf = this.host.painter(this.layerId, items);
    var features = g.data.features;
    for (var n = features.length - 1; n >= 0; n--) {
      var f = features[n], b = f.box;
      if (x < b[0] - tol || x > b[2] + tol || y < b[1] - tol || y > b[3] + tol) continue;
      if (!styleOf(f.id, items ? items.indexOf(f.id) : -1, f.type)) continue;
      var hit = f.type === POLYGON ? insideRings(f.rings, x, y) || nearRings(f.rings, x, y, tol, true)
        : nearRings(f.rings, x, y, tol, false);
      if (hit) return this._place(f, g);
    }
    return null;
  },
});

// The wall as the tiles' host: its state, filters, styles and marks (wall/wallmap.js).
export function wallHost(wall) {
  return {
    tilesFrom: wall.options.tilesFrom,
    tileUrl: function (layerId, coords, revision) {
      return wall.url(wall.options.api.tiles, { __layer__: layerId, __z__: coords.z, __x__: coords.x, __y__: coords.y },
                      { street: wall.view.street, community: wall.view.community, v: revision });
    },
    tileHeaders: function () { return wall.token ? { "X-Guatu-Display": wall.token } : {}; },
    items: function (layerId) { return wall.items(layerId); },
    // a place the state does not know is not drawn: removed since the tile was made (until the tile of the new
    // shapes revision comes), not yet in the state, or not standing on the past day shown (playback); nor one the
    // view's scope or filters leave out. One style per kind of shape and status code, asked of the wall once a paint.
    painter: function (layerId, items) {
      var filtered = wall.filters();
      var styles = [];
      return function (id, j, type) {
        if (j < 0 || (filtered && !wall.showsAt(EMPTY, items, j))) return null;
        var at = (items.status[j] + 1) * 4 + type; // (status -1: one the campaign does not know)
        return styles[at] || (styles[at] = wall.styleFor(layerId, SHAPES[type] || SHAPES[POLYGON], items.statusAt(j)));
      };
    },
    look: function (layerId, place) { wall.refresh(layerId, place); },
    failed: function (layerId, err) { wall.errors.push(String(err)); },
    mended: function (layerId) { wall.tilesDrawn(layerId); }, // (a tile that failed came: the view may be whole now)
    loaded: function (layerId, zoom, n) {
      wall.tilesDrawn(layerId); // the viewport kept until now let go (wall/sync.js updateTiling)
      document.documentElement.dataset.guatuViewport = "tiles-" + layerId + "-" + zoom + "-" + n;
      wall.map.fire("guatu:shapes", { layer: layerId });
    },
    marks: {
      halo: wall.renderers.features.options,
      has: function (id) { return wall.dots[id] !== undefined || wall.flags[id] !== undefined; },
      at: function (id) { return wall.markPoint(id); },
      set: function (id, flags, at) { wall.setMarks(id, flags, at); },
      show: function () { if (wall.marksChanged) wall.showMarks(); },
      forget: function (id, place) { if (place && wall.halos[id] === place) delete wall.halos[id]; },
    },
  };
}

// Whether the wall draws large layer `layerId` from tiles now: a zoom at or past the campaign's
// `map.vector_tiles_from`, in WGS84 (the tiles are not shifted for a GCJ-02 basemap).
export function tiledAt(wall, layerId) {
  var from = wall.options.tilesFrom;
  return Boolean(wall.viewport[layerId] && wall.options.api.tiles && from !== null && from !== undefined
                 && wall.crs === "wgs84" && wall.map.getZoom() >= from);
}
