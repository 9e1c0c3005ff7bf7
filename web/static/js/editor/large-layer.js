/*
 * A large layer in the editor (more places than the campaign's `map.viewport_above`): never loaded whole — a
 * 100,000-place layer as GeoJSON is 50 MB, most of a second to parse and 600 MB of the page's memory, and a
 * million would not fit at all. It is drawn as the wall draws it: the places of the view from the wall's
 * viewport answers (geo/viewport.py: outlines simplified to about a pixel, places too small to see as dots),
 * on the wall's canvas (wall/canvas.js PlaceCanvas, wall/dots.js DotField), fetched again after the map moved;
 * a pan keeps the places the two views share (wall/place.js `placesFromPacked`).
 *
 * A place of it is edited as any other. A click on it (or a search, a box) selects it; the editor then loads it
 * whole from the features API, and `edit` draws that exact shape on top as an ordinary Leaflet path (reshaped
 * with Geoman, saved with its version, explained on a conflict) while its simplified copy on the canvas is
 * hidden. `release` puts the canvas copy back.
 *
 * From the campaign's `map.vector_tiles_from` zoom (the wall's setting; off by default) up to NAMES_FROM, the
 * layer's outlines are drawn from its vector tiles instead (wall/tiled.js PlaceTiles, with this layer as their
 * host): a pan asks only for the tiles that came into view, each made once per shapes revision for every screen and
 * editor, and a status change or a selection repaints the tiles that hold the place, fetching nothing. From
 * NAMES_FROM on the view's answer is asked for anyway, for the names tiles do not carry, and it carries the
 * outlines too: the view draws them (bench/bench_editor_tiles.py measured both). While it switches, the view's
 * places stay until every tile of the view is painted, and the tiles' last picture until the view is drawn. A point
 * of a tile standing for several places too small to see is clicked and box-selected as its first place (a box says
 * how many it left).
 *
 * Looks: each place's status colour from the editor's state (a hatched status striped as on the wall), a place
 * selected for a bulk change outlined in blue (a dot painted blue). On a past day (editor/as-of.js) the statuses
 * are that day's, a place that did not stand then is hidden, and nothing is clicked or box-selected.
 */
import { decodeAttributes, decodeBinary, unpackIds } from "../wall/packed.js";
import { placesFromPacked } from "../wall/place.js";
import { PlaceCanvas } from "../wall/canvas.js";
import { DotField, HIDDEN, dotCollector, pixelOf } from "../wall/dots.js";
import { PlaceTiles } from "../wall/tiled.js";
import { LINE, POINT } from "../wall/mvt.js";
import { json, reason } from "./answers.js";
import { darken } from "../lib/dom.js";
import { settled } from "../lib/settle.js";
import { t } from "../lib/messages.js";

var SELECTED = "#1565c0"; // as editor.js styleFor outlines a selected place
var UNKNOWN = "#9e9e9e";
var PANE = "guatu-edit-large";
var NAMES_FROM = 16; // zoom

export var LargeLayer = L.Layer.extend({
  // `extent`: [west, south, east, north] the editor opens on (the readable places', web/edit/pages.py), what
  // `getBounds` answers whatever the view
  initialize: function (editor, layerId, extent) {
    this.editor = editor;
    this.layerId = layerId;
    this.extent = extent;
    this.places = {}; // id -> Place of the view
    this.field = null; // the view's dots
    this.names = {}; // id -> attributes of the view's places, when its answer carried them (from zoom NAMES_FROM)
    this.drawnAs = null; // zoom, scale, simplification and shapes revision of the answer drawn: a pan at them keeps its places
    this.etag = null;
    this.seq = 0; // views asked for
    this.drawnSeq = 0; // the last of them drawn (or found unchanged)
    this.editing = null; // {id, group}: the selected place drawn whole and editable
    this.tiles = null; // PlaceTiles, made the first time the map is at the tiles' zoom
    this.styles = new Map();
    var palette = [];
    this.looks = {}; // colour -> a dot's look (1 + its place in the palette)
    editor.o.statuses.map(function (s) { return s.color; }).concat([UNKNOWN, SELECTED]).forEach(function (c) {
      palette.push(pixelOf(c));
      this.looks[c] = palette.length;
    }, this);
    this.renderer = new PlaceCanvas({ pane: PANE, padding: 0.3, tolerance: 3, dotRadius: 2, palette: palette });
  },

  onAdd: function (map) {
    if (!map.getPane(PANE)) {
      var pane = map.createPane(PANE);
      pane.style.zIndex = 390; // under the editor's own canvas (its paths, Geoman's), which takes the clicks
      pane.style.pointerEvents = "none";
    }
    map.on("moveend", this._moved, this); // (before the canvas's: a move asks for its view before it redraws)
    this.renderer.addTo(map);
    map.on("click", this._click, this);
    if (this.editor.started) this.load(); // (before, the editor fits the map to the places first: Editor.start)
  },

  onRemove: function (map) {
    if (this._settled) this._settled.cancel();
    map.off("moveend", this._moved, this);
    map.off("click", this._click, this);
    map.removeLayer(this.renderer);
    if (this.tiles) map.removeLayer(this.tiles);
  },

  getBounds: function () {
    var e = this.extent;
    return e ? L.latLngBounds([e[1], e[0]], [e[3], e[2]]) : L.latLngBounds([]);
  },

  // fn(place) for each place of the view drawn as a shape (labels read their names; dots have none to show)
  eachLayer: function (fn, context) {
    var places = this.places;
    Object.keys(places).forEach(function (id) { if (places[id].visible) fn.call(context, places[id]); });
    return this;
  },

  // Ids of the places, boxes and dots of the view meeting `bounds` (a box select; none on a past day: it is read-only);
  // `unlisted`, when given, is told how many more a tile's points stand for (places too small to see at the zoom, a
  // point per pixel: editor/tools.js says so).
  idsIn: function (bounds, unlisted) {
    var out = [];
    if (this.editor.asOf) return out;
    if (this._tiled()) out = this.tiles.idsIn(bounds, unlisted);
    var places = this.places;
    Object.keys(places).forEach(function (id) { if (bounds.intersects(places[id].getBounds())) out.push(id); });
    var f = this.field;
    var w = bounds.getWest(), s = bounds.getSouth(), e = bounds.getEast(), n = bounds.getNorth();
    for (var i = 0; f && i < f.n; i++) { // a dot inside the box, a box meeting it
      var hx = f.half ? f.half[2 * i] : 0, hy = f.half ? f.half[2 * i + 1] : 0;
      var x = f.lngLat[2 * i], y = f.lngLat[2 * i + 1];
      if (x + hx >= w && x - hx <= e && y + hy >= s && y - hy <= n) out.push(f.ids[i]);
    }
    return out;
  },

  // Whether the view holds the place (as a shape or a dot).
  has: function (id) {
    return id in this.places || (!!this.field && this.field.indexOf(id) >= 0) || (this._tiled() && this.tiles.holds(id));
  },

  // --- tiles ----------------------------------------------------------------------------
  // Whether the map is at the tiles' zooms: from the campaign's `map.vector_tiles_from` to NAMES_FROM, as the tiles'
  // GridLayer rounds the map's zoom (the editor zooms in quarter steps).
  _tilesWanted: function () {
    var from = this.editor.o.tilesFrom;
    var zoom = Math.round(this._map.getZoom());
    return from !== null && from !== undefined && !!this.editor.o.api.tiles && zoom >= from && zoom < NAMES_FROM;
  },

  // Whether the outlines are drawn from tiles now.
  _tiled: function () {
    return !!this.tiles && !!this._map && this._map.hasLayer(this.tiles);
  },

  // The tiles on the map at the shapes revision of the editor's state (a new one asks for every tile again, each
  // shown as it was until its new one came); `fresh`: every tile painted again (the state was read again).
  _showTiles: function (fresh) {
    var known = this.editor.state && this.editor.state.layers[this.layerId];
    var revision = known ? known.shapes || 0 : 0;
    if (!this.tiles) this.tiles = new PlaceTiles(this._host(), this.layerId, { pane: PANE });
    if (!this._map.hasLayer(this.tiles)) {
      this.tiles.revision = revision;
      this.tiles.addTo(this._map);
    } else {
      this.tiles.setRevision(revision);
      if (fresh) this.tiles.changed(null);
    }
  },

  // This layer as the tiles' host (wall/tiled.js): the editor's state, looks and selection, no marks.
  _host: function () {
    var self = this;
    var editor = this.editor;
    var layer = editor.o.layers.filter(function (x) { return x.id === self.layerId; })[0];
    // a tile's point: a place of a layer of points, else an outline too small to see at the zoom, a dot
    var points = !!layer && layer.geometryTypes.some(function (type) { return /Point$/.test(type); });
    var failing = editor.tilesFailing; // (shared by the large layers: one message area)
    return {
      tilesFrom: editor.o.tilesFrom,
      tilesBelow: NAMES_FROM,
      tileUrl: function (layerId, coords, revision) {
        return editor.url("tiles", layerId).replace("__z__", coords.z).replace("__x__", coords.x)
          .replace("__y__", coords.y) + "?v=" + revision;
      },
      tileHeaders: function () { return {}; },
      items: function (layerId) { return editor.itemsOf(layerId); },
      // as a view's place is drawn (`_shown`, `_style`): not while it is drawn whole to be edited, nor on a past day
      // when it did not stand then; in its status's colour, blue when selected
      painter: function (layerId, items) {
        return function (id, j, type) {
          if (self.editing && self.editing.id === id) return null;
          var key = j >= 0 ? items.statusAt(j) : undefined;
          if (key === undefined && editor.asOf) return null;
          var shape = type === LINE ? "line" : type === POINT ? (points ? "mark" : "dot") : "area";
          return self._styleFor(editor.statuses[key] || null, !!editor.selection[id], shape);
        };
      },
      look: function (layerId, place) { place.options = self._style(place.feature.id, place); },
      // said once while a layer's tiles fail (each is asked for again, for as long as it fails), taken back when
      // none does (or another layer's still failing said instead)
      failed: function (layerId, err) {
        if (failing[layerId] !== undefined) return;
        failing[layerId] = t("editor.tiles.failed", { message: reason(err) });
        editor.say(failing[layerId], "error");
      },
      mended: function (layerId) {
        var said = failing[layerId];
        delete failing[layerId];
        if (said !== undefined && editor.message.textContent === said) {
          var other = Object.keys(failing)[0];
          if (other !== undefined) editor.say(failing[other], "error");
          else editor.say("");
        }
        self._tilesDrawn();
      },
      loaded: function () { self._tilesDrawn(); },
      marks: null,
    };
  },

  // Every tile of the view painted: the view's places, kept until then (no blank map between), let go.
  _tilesDrawn: function () {
    if (this._tiled() && this.tiles.drawn()) this._forgetView();
  },

  // The view's places let go (the tiles draw the layer).
  _forgetView: function () {
    this.etag = null; // (a 304 would leave the view empty when the map is back at the view's zooms)
    if (this.drawnAs === null && !this.field && !Object.keys(this.places).length) return;
    var byId = this.editor.byId;
    var before = this.places;
    Object.keys(before).forEach(function (id) { if (byId[id] === before[id]) delete byId[id]; });
    this.places = {};
    this.names = {};
    this.field = null;
    this.drawnAs = null;
    this.renderer.setLayer(this.layerId, [], false);
    this.renderer.setField(this.layerId, null);
  },

  // --- fetching ---------------------------------------------------------------------
  _moved: function () { // at once, or once a pan or zoom in steps pauses (lib/settle.js)
    var self = this;
    if (!this._settled) this._settled = settled(function () { self.load(); }, 150, 500);
    this._settled();
  },

  // The view's places fetched (revalidated with the last answer's ETag) and drawn; `fresh`: restyled even when
  // the answer is unchanged (the state was read again).
  load: function (fresh) {
    var self = this;
    var map = this._map;
    if (this._settled) this._settled.cancel(); // asked now: not again after the pause
    if (!map) return Promise.resolve();
    if (this._tilesWanted()) {
      this._showTiles(fresh);
      this.seq++; // (an answer asked for before is not drawn; the view drawn stays until the tiles are: `_tilesDrawn`)
      this.drawnSeq = this.seq;
      this._tilesDrawn();
      return Promise.resolve();
    } // (out of the tiles' zooms, their last picture stays until the view is drawn: `draw`)
    var b = map.getBounds().pad(0.25);
    var box = [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -85), Math.min(b.getEast(), 180), Math.min(b.getNorth(), 85)]
      .map(function (v) { return v.toFixed(5); }).join(",");
    var zoom = Math.floor(map.getZoom());
    // close in, the view's names come with it (the editor writes them from zoom 16: editor/labels.js); further
    // out only the shapes (at a district's zoom the names of a million places would be most of the answer)
    var part = zoom >= NAMES_FROM ? "all" : "geometry";
    var url = this.editor.url("shapes", this.layerId) + "?format=binary&part=" + part + "&bbox=" + box + "&zoom=" + zoom
      + "&boxes=1"; // (places a few pixels across as boxes: wall/dots.js)
    var seq = ++this.seq;
    if (fresh) this.stale = true; // restyled by whichever answer comes last, even an unchanged one
    var headers = this.etag ? { "If-None-Match": '"' + this.etag + '"' } : {};
    return fetch(url, { headers: headers, cache: "no-cache", credentials: "same-origin" }).then(function (resp) {
      if (seq !== self.seq) return null; // a later view was asked for meanwhile
      if (resp.status === 304) return null;
      if (!resp.ok) return json(resp); // (throws the server's words)
      var etag = (resp.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
      return resp.arrayBuffer().then(function (buffer) { return { etag: etag, doc: decodeBinary(buffer) }; });
    }).then(function (answer) {
      if (seq !== self.seq) return;
      if (answer) { // (its ETag kept only now: an answer not drawn is not the view a 304 would keep)
        self.etag = answer.etag;
        self.draw(answer.doc); // (restyled: draw restyles every place)
      } else {
        self._viewTakesOver();
        if (self.stale) self.restyleAll();
      }
      self.stale = false;
      self.drawnSeq = seq;
    }, function (err) { self.editor.say(t("editor.large.failed", { message: reason(err) }), "error"); });
  },

  // The view drawn (or found unchanged) out of the tiles' zooms takes over from their last picture.
  _viewTakesOver: function () {
    if (this._tiled()) this._map.removeLayer(this.tiles);
  },

  draw: function (doc) {
    var self = this;
    this._viewTakesOver();
    var before = this.places;
    var drawnAs = [doc.zoom, doc.scale, doc.tolerance, doc.revision].join(" ");
    this.names = doc.name ? decodeAttributes(doc) : {}; // the view's only: a day of panning keeps no more
    var dots = dotCollector();
    var kept = this.drawnAs === drawnAs ? function (id) { return before[id]; } : null;
    var list = placesFromPacked(doc, this.layerId, unpackIds(doc.ids), dots, kept);
    this.drawnAs = drawnAs;
    var places = {};
    var byId = this.editor.byId;
    Object.keys(before).forEach(function (id) { if (byId[id] === before[id]) delete byId[id]; });
    list.forEach(function (place) {
      var id = place.feature.id;
      places[id] = place;
      place.guatuLarge = self;
      place.feature.properties = self.names[id] || {};
      if (!self.editing || self.editing.id !== id) byId[id] = place;
    });
    this.places = places;
    this.field = DotField.collected(this.layerId, dots, doc);
    this.restyleAll();
    this.renderer.setLayer(this.layerId, list, false);
    this.renderer.setField(this.layerId, this.field);
    this.editor.scheduleLabels();
  },

  // --- looks --------------------------------------------------------------------------
  _status: function (id) {
    return this.editor.statuses[this.editor.statusOf(this.layerId, id)] || null;
  },

  // One style object per status, selection and kind of shape, shared by the places that have it (wall/canvas.js
  // batches by it).
  _style: function (id, place) {
    var shape = place.guatuLine ? "line" : place.guatuPoint ? "point" : "area";
    return this._styleFor(this._status(id), !!this.editor.selection[id], shape);
  },

  // `shape`: "area", "line", "point", or a tile's point: "dot" (a place too small to see at the zoom) or "mark" (a
  // place of a point layer)
  _styleFor: function (status, selected, shape) {
    var key = (status ? status.key : "") + "|" + selected + "|" + shape;
    var style = this.styles.get(key);
    if (!style) {
      var colour = status ? status.color : UNKNOWN;
      var hatch = !!(status && status.hatch);
      var rim = selected ? SELECTED : darken(colour, 0.45);
      style = shape === "line" ? { color: selected ? SELECTED : colour, weight: selected ? 6 : 4, opacity: 1 }
        : shape === "dot" ? { fillColor: selected ? SELECTED : colour, fillOpacity: 1, weight: 0, radius: 2 }
        // a place of a point layer drawn from a tile: a square (the tiles' painter strokes no point), blue when selected
        : shape === "mark" ? { fillColor: selected ? SELECTED : colour, fillOpacity: 1, weight: 0, radius: 5 }
        : shape === "point" ? { fillColor: colour, fillOpacity: 1, color: rim, weight: selected ? 3 : 1.5, radius: 7 }
          : { fillColor: colour, fillOpacity: 0.8, color: rim, weight: selected ? 4 : 1, hatch: hatch ? 1 : 0,
              emphasis: selected }; // (a selected small place outlined in full, not as a hairline: wall/canvas.js)
      this.styles.set(key, style);
    }
    return style;
  },

  // Whether a place of the view is drawn: not while it is drawn whole to be edited, nor on a past day when it did
  // not stand then (that day's state has no status for it).
  _shown: function (id) {
    if (this.editing && this.editing.id === id) return false;
    return !this.editor.asOf || this.editor.statusOf(this.layerId, id) !== null;
  },

  _look: function (id) {
    if (!this._shown(id)) return HIDDEN;
    var status = this._status(id);
    if (this.editor.selection[id]) return this.looks[SELECTED];
    return this.looks[status ? status.color : UNKNOWN];
  },

  restyle: function (id) {
    var place = this.places[id];
    if (place) {
      place.options = this._style(id, place);
      place.visible = this._shown(id);
    }
    var i = this.field ? this.field.indexOf(id) : -1;
    if (i >= 0) this.field.look[i] = this._look(id);
    if (place || i >= 0) this.renderer.requestRedraw();
    if (this._tiled()) this.tiles.changed([id]);
  },

  restyleAll: function () {
    var self = this;
    Object.keys(this.places).forEach(function (id) {
      var place = self.places[id];
      place.options = self._style(id, place);
      place.visible = self._shown(id);
    });
    var f = this.field;
    var items = this.editor.itemsOf(this.layerId);
    if (f && items) { // a million dots: their looks read from the state's columns at once
      var at = f.positionsIn(items);
      var none = this.editor.asOf ? HIDDEN : this.looks[UNKNOWN]; // a place the state does not know (then)
      var looks = items.statuses.map(function (key) {
        var status = self.editor.statuses[key];
        return self.looks[status ? status.color : UNKNOWN];
      });
      for (var i = 0; i < f.n; i++) {
        var code = at[i] < 0 ? -1 : items.status[at[i]];
        f.look[i] = code >= 0 && code < looks.length ? looks[code] : none;
      }
      var marked = Object.keys(this.editor.selection).concat(this.editing ? [this.editing.id] : []);
      marked.forEach(function (id) {
        var j = f.indexOf(id);
        if (j >= 0) f.look[j] = self._look(id);
      });
    } else if (f) {
      for (var k = 0; k < f.n; k++) f.look[k] = this._look(f.ids[k]);
    }
    this.renderer.requestRedraw();
    if (this._tiled()) this.tiles.changed(null);
  },

  // --- editing ---------------------------------------------------------------------------
  // The selected place drawn whole (`feature`, as the features API has it), editable, in the place of its copy.
  edit: function (feature) {
    var editor = this.editor;
    var layerId = this.layerId;
    this.release();
    var group = L.geoJSON(feature, {
      renderer: editor.renderer,
      pmIgnore: true,
      style: function (f) { return editor.styleFor(layerId, f.id, f.geometry); },
    });
    var path = null;
    group.eachLayer(function (l) { path = l; });
    if (!path) return null;
    path.guatuLayer = this.layerId;
    path.on("click", editor.onPlaceClick(this.layerId, feature.id));
    group.addTo(this._map);
    this.editing = { id: feature.id, group: group };
    editor.byId[feature.id] = path;
    this.restyle(feature.id);
    return path;
  },

  // The editable shape taken away, its place drawn from the view again.
  release: function () {
    var editing = this.editing;
    if (!editing) return;
    this.editing = null;
    if (this._map) this._map.removeLayer(editing.group);
    var editor = this.editor;
    if (this.places[editing.id]) editor.byId[editing.id] = this.places[editing.id];
    else delete editor.byId[editing.id];
    this.restyle(editing.id);
  },

  _click: function (e) {
    if (this.editor.asOf) return; // a past day is read-only
    if (this.editor.map.pm.globalDrawModeEnabled()) return; // the click is a vertex being drawn
    var tolerance = Math.max(this.renderer.options.tolerance, 5); // (a point layer's tile squares: 5 px a side)
    var place = (this._tiled() && this.tiles.placeAt(e.latlng, tolerance))
      || this.renderer.placeAt(this._map.latLngToLayerPoint(e.latlng)); // (the view's, until the tiles came)
    if (!place) return;
    this.editor.onPlaceClick(this.layerId, place.feature.id)(e);
  },
});
