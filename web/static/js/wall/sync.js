/*
 * The wall map's data: what it fetches and how it stays current.
 *
 * Shapes come packed once per layer (wall/packed.js decodes them); the state
 * is polled with `?since=<revision>` and an ETag, so an unchanged campaign
 * costs a 304 and a change sends only the changed places (merged by
 * wall/state.js), which are restyled in place and flash. A layer's shapes are
 * fetched again only when its shapes revision moves. Large layers are fetched
 * one viewport at a time, again after the map moved. Attributes (names…) are
 * fetched the first time they are needed. `showState` shows a state that was
 * not polled (playback). From the campaign's `map.vector_tiles_from` zoom on, a large layer is drawn from
 * vector tiles instead (wall/tiled.js: `updateTiling`), coloured from the same state.
 *
 * These are methods of WallMap (wall/wallmap.js composes them).
 */
import { decodeAttributes, decodeBinary, unpackIds, unpackState } from "./packed.js";
import { unpackNumbers } from "./ids.js";
import { Place, placesFromPacked } from "./place.js";
import { PlaceGroup } from "./canvas.js";
import { PlaceTiles, tiledAt, wallHost } from "./tiled.js";
import { DotField, HIDDEN, dotCollector } from "./dots.js";
import { mergeState } from "./state.js";
import { THEMES } from "./theme.js";
import { mark } from "../lib/dom.js";
import { t } from "../lib/messages.js";

var sync = {};
export default sync;

sync.url = function (template, values, query) {
  var out = template;
  Object.keys(values || {}).forEach(function (k) { out = out.replace(k, encodeURIComponent(values[k])); });
  var q = Object.keys(query || {}).filter(function (k) { return query[k] !== null && query[k] !== undefined && query[k] !== ""; });
  if (q.length) {
    out += (out.indexOf("?") < 0 ? "?" : "&") + q.map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(query[k]);
    }).join("&");
  }
  return out;
};

sync.fetchJSON = function (url, etag, binary, signal) {
  var headers = {};
  if (etag) headers["If-None-Match"] = '"' + etag + '"';
  if (this.token) headers["X-Guatu-Display"] = this.token;
  return fetch(url, { headers: headers, cache: "no-cache", credentials: "same-origin", signal: signal }).then(function (resp) {
    var tag = (resp.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
    if (resp.status === 304) return { notModified: true, etag: tag || etag };
    if (!resp.ok) {
      var failed = new Error(url.split("?")[0] + ": HTTP " + resp.status);
      failed.status = resp.status;
      throw failed;
    }
    var body = binary ? resp.arrayBuffer().then(decodeBinary) : resp.json();
    return body.then(function (b) { return { body: b, etag: tag }; });
  });
};

// Merge a state answer (full or delta); returns the places whose look changed.
sync.applyState = function (body) {
  var self = this;
  var merged = mergeState(this.state, body);
  this.state = merged.state;
  this.checkLayers();
  merged.removed.forEach(function (pair) { self.removePlace(pair[0], pair[1]); });
  var tiled = {}; // layer id -> the changed places of a layer drawn from tiles: their tiles painted again
  merged.changed.forEach(function (pair) {
    var tiles = self.tiled[pair[0]];
    if (tiles && self.map.hasLayer(tiles)) (tiled[pair[0]] || (tiled[pair[0]] = [])).push(pair[1]);
    // (and the viewport's place, while the two are drawn together: `updateTiling`)
    var layer = self.all[pair[0]] && self.all[pair[0]][pair[1]];
    var field = self.fields[pair[0]];
    var dot = !layer && field ? field.indexOf(pair[1]) : -1;
    if (layer) self.refresh(pair[0], layer);
    else if (dot >= 0) self.refreshDot(pair[0], field, dot);
  });
  Object.keys(tiled).forEach(function (layerId) { self.tiled[layerId].changed(tiled[layerId]); });
  if (merged.changed.length || merged.withheld.length) this.redraw();
  if (merged.back.length) this.updateTiling(false); // the layer's tiles, or (poll) its shapes fetched again
  document.documentElement.dataset.guatuRevision = String(this.state.revision);
  return merged.changed;
};

sync.removePlace = function (layerId, id) {
  var tiles = this.tiled[layerId];
  if (tiles && this.map.hasLayer(tiles)) tiles.hide(id); // (and from the viewport, while both are drawn)
  var places = this.all[layerId];
  var place = places && places[id];
  var field = this.fields[layerId];
  var dot = !place && field ? field.indexOf(id) : -1;
  if (dot >= 0) { // a dot: hidden until the layer's shapes are fetched again
    field.look[dot] = HIDDEN;
    if (field.marked[dot] > 1) this.marksChanged = true;
    field.marked[dot] = 0;
    this.setMarks(id, 0, null); // (a tile's, while both are drawn)
    this.redraw();
    return;
  }
  if (!place) return;
  delete places[id];
  delete this.byId[id];
  delete this.halos[id];
  this.setMarks(id, 0, null);
  this.renderers.features.setLayer(layerId, Object.keys(places).map(function (k) { return places[k]; }));
  this.showMarks();
};

// --- shapes ----------------------------------------------------------------------
sync.shapeQuery = function (extra) {
  var q = { format: "packed", street: this.view.street, community: this.view.community };
  if (this.crs !== "wgs84") q.crs = this.crs;
  return L.extend(q, extra || {});
};

// A large layer's places too small to see come as dots: kept as one DotField (wall/dots.js), not as Places.
// A large layer's new viewport answered at the zoom, simplification, shapes revision and CRS of the one drawn (a
// pan, north and south too: geo/viewport.py simplifies a band of latitudes alike) keeps the Places the two
// share as they are (their outlines simplified alike, their look and marks current: every
// state since was applied to them): only the places that came are made, and only those that went are let go.
sync.drawLayer = function (layerId, doc) {
  var self = this;
  var leaving = this.tiled[layerId];
  if (leaving && leaving.leaving) { // the viewport drawn takes over from the tiles' last picture (`updateTiling`):
    leaving.leaving = false; // taken off first, so the marks they let go are those the viewport then sets
    this.map.removeLayer(leaving);
  }
  var before = this.all[layerId] || {};
  var vp = this.viewport[layerId];
  var drawnAs = vp ? [doc.zoom, doc.scale, doc.tolerance, doc.revision, this.crs].join(" ") : null;
  var kept = vp && vp.drawnAs === drawnAs ? function (id) { return before[id]; } : null;
  var attrs = this.attrs[layerId] && this.attrs[layerId].byId;
  var names = doc.name ? decodeAttributes(doc) : null; // a document carrying its attributes (viewport shapes)
  var places = {};
  var dots = vp ? dotCollector(unpackNumbers(doc.ids)) : null;
  var list = placesFromPacked(doc, layerId, unpackIds(doc.ids), dots, kept);
  list.forEach(function (place) { places[place.feature.id] = place; });
  Object.keys(before).forEach(function (id) {
    if (places[id] === before[id]) return;
    delete self.byId[id];
    delete self.halos[id];
    self.setMarks(id, 0, null);
  });
  var field = dots && DotField.collected(layerId, dots, doc); // (its marks are its own: the old field's go with it)
  var items = this.items(layerId);
  list.forEach(function (place) {
    var id = place.feature.id;
    if (before[id] === place) return;
    place.feature.properties = (names && names[id]) || (attrs && attrs[id]) || {};
    self.byId[id] = place;
    self.refresh(layerId, place, items);
  });
  if (vp) vp.drawnAs = drawnAs;
  this.all[layerId] = places;
  if (field) {
    this.fields[layerId] = field;
    field.names = names; // id -> attributes, when the viewport came with them
    this.refreshField(layerId);
  } else delete this.fields[layerId];
  this.layers[layerId] = new PlaceGroup(places, field);
  this.renderers.features.setLayer(layerId, list, false);
  this.renderers.features.setField(layerId, field);
  if (this.all.roads) this.renderers.features.setLayer("roads", this.renderers.features.places.roads, true); // roads on top
  this.showMarks();
  this.shapesRevision[layerId] = doc.revision;
  if (this.attrs[layerId] && this.attrs[layerId].revision !== doc.revision) {
    delete this.attrs[layerId];
    this.loadAttributes([layerId]);
  }
  this.map.fire("guatu:shapes", { layer: layerId });
};

// A place of a large layer without its name (its layer's attributes are not loaded): its own, from its card
// (GET /api/wall/place/{layer}/{id}), asked once at a time. A promise: true when they came.
sync.placeAttributes = function (place) {
  var layerId = place.guatuLayer;
  var p = place.feature.properties;
  if (!this.viewport[layerId] || (p && p.name !== undefined)) return Promise.resolve(false);
  if (place.guatuAsked) return place.guatuAsked;
  var url = this.url(this.options.api.place, { __layer__: layerId, __id__: place.feature.id });
  place.guatuAsked = this.fetchJSON(url).then(function (r) {
    var card = r.body;
    place.feature.properties = { name: card.name, kind: card.kind, street: card.street, community: card.community };
    delete place.guatuKey;
    return true;
  }).finally(function () { delete place.guatuAsked; });
  return place.guatuAsked;
};

// The page's layers the last state has (a layer withheld meanwhile is not asked for: its file cannot be read).
sync.readableLayers = function () {
  var self = this;
  return Object.keys(this.layers).filter(function (layerId) { return self.readable(layerId); });
};

// The layers drawn whole (not a viewport at a time): all their places are in the page.
sync.wholeLayers = function () {
  var self = this;
  return this.readableLayers().filter(function (layerId) { return !self.viewport[layerId]; });
};

// Names, kinds, sub-districts and communities: fetched the first time they
// are needed (a pointer over the map, a search, names written at zoom 17,
// a card), not for a screen that only shows the overview. A large layer's are
// not fetched whole for these (a million places' names would be tens of
// megabytes): its places are asked of the server as a search is typed, a
// place's own come with its card (placeAttributes), and a screen of one
// sub-district or community counts its places from a state cut to it; only the
// playback of such a screen loads them, to replay its places.
sync.loadAttributes = function (layerIds) {
  var self = this;
  var ids = layerIds || this.readableLayers();
  return Promise.all(ids.map(function (layerId) {
    var have = self.attrs[layerId];
    if (have) return have.promise;
    var entry = { revision: self.shapesRevision[layerId], byId: null };
    var url = self.url(self.options.api.shapes, { __layer__: layerId }, self.shapeQuery({ part: "attributes" }));
    entry.promise = self.fetchJSON(url).then(function (r) {
      entry.byId = decodeAttributes(r.body);
      entry.revision = r.body.revision;
      var places = self.all[layerId] || {};
      Object.keys(places).forEach(function (id) {
        places[id].feature.properties = entry.byId[id] || {};
        delete places[id].guatuKey;
      });
      (self.fields[layerId] ? self.fields[layerId].made() : []).forEach(function (place) {
        place.feature.properties = entry.byId[place.feature.id] || {};
        delete place.guatuKey;
      });
      if (self.hoverPlace && self.hoverPlace.guatuLayer === layerId) self.hoverTip.setContent(self.tooltip(self.hoverPlace));
      self.map.fire("guatu:attributes", { layer: layerId });
    }, function (err) {
      delete self.attrs[layerId];
      throw err;
    });
    self.attrs[layerId] = entry;
    return entry.promise;
  }));
};

// `body` is null when there is nothing new to draw: a large layer's viewport
// answered 304, or a later request for it was made meanwhile.
// `given` (optional, {layerId: packed shapes}): shapes that came with the page, used while the CRS is the
// page's own; the others are fetched.
sync.fetchShapes = function (layerIds, given) {
  var self = this;
  return Promise.all(layerIds.map(function load(layerId) {
    var crs = self.crs;
    var vp = self.viewport[layerId];
    var extra = { format: "binary" };
    if (vp) { // (places a few pixels across as boxes: wall/dots.js)
      L.extend(extra, { part: "geometry", bbox: self.viewportBox(), zoom: String(Math.floor(self.map.getZoom())), boxes: "1" });
    }
    var seq = vp ? ++vp.seq : 0;
    if (given && given[layerId] && !vp && crs === "wgs84") return Promise.resolve({ layerId: layerId, body: given[layerId], crs: crs });
    var url = self.url(self.options.api.shapes, { __layer__: layerId }, self.shapeQuery(extra));
    return self.fetchJSON(url, vp && self.all[layerId] ? vp.etag : null, true).then(function (r) {
      if (crs !== self.crs) { // the CRS changed meanwhile: asked again, unless the layer is drawn from tiles now
        return self.tiledNow(layerId) ? { layerId: layerId, body: null } : load(layerId);
      }
      if (vp && seq !== vp.seq) return { layerId: layerId, body: null };
      if (vp) vp.etag = r.etag;
      return { layerId: layerId, body: r.notModified ? null : r.body, crs: crs };
    });
  }));
};

sync.loadShapes = function (layerIds) {
  var self = this;
  return this.fetchShapes(layerIds.filter(function (layerId) { return !self.tiledNow(layerId); })).then(function (results) {
    // an answer in a CRS the map has left since (the other layers' answers came later) is not drawn: the change of
    // CRS fetched it again, and a large layer would keep its places for the next view of that zoom
    results.forEach(function (r) { if (r.body && r.crs === self.crs) self.drawLayer(r.layerId, r.body); });
  });
};

// The box a large layer is asked for: the screen (a wall is never panned), a
// quarter more each way on a desk where people pan.
sync.viewportBox = function () {
  var b = this.map.getBounds();
  if (this.mode !== "wall") b = b.pad(0.25);
  return [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -85), Math.min(b.getEast(), 180), Math.min(b.getNorth(), 85)]
    .map(function (v) { return v.toFixed(5); }).join(",");
};

// The large layers a move asks for again (not those drawn from tiles: they follow the map themselves).
sync.movedLayers = function () {
  var self = this;
  return Object.keys(this.viewport).filter(function (id) {
    return id in self.layers && self.readable(id) && !self.tiledNow(id);
  });
};

// A move of the map: the canvases keep the old view's pixels, moved with the map, until the large layers' new view
// has come (`viewportMoved`, at once or once the moves pause) rather than draw the old view's places again at the new
// view (canvas.js Cropped `hold`). Called before the canvases hear of the move (the map's first moveend handler).
sync.holdForViewport = function () {
  if (document.documentElement.dataset.guatuReady !== "true" || !this.movedLayers().length) return;
  this.holdTurn = (this.holdTurn || 0) + 1;
  this.canvases().forEach(function (c) { c.hold(); });
};

sync.canvases = function () {
  return [this.renderers.features, this.renderers.overnight, this.renderers.escalated];
};

sync.viewportMoved = function () {
  var self = this;
  var turn = this.holdTurn;
  var release = function () { // drawn for the view they show, unless a later move holds them for its own view
    if (self.holdTurn === turn) self.canvases().forEach(function (c) { c.release(); });
  };
  var ids = document.documentElement.dataset.guatuReady === "true" ? this.movedLayers() : [];
  if (!ids.length) { // (drawn from tiles since the move held them, say: nothing to wait for)
    release();
    return Promise.resolve();
  }
  return this.loadShapes(ids).then(function () {
    release();
    if (self.labels) self.labels.update();
    document.documentElement.dataset.guatuViewport = ids.map(function (id) { return self.viewport[id].etag; }).join(" ");
  }, function (err) {
    release();
    self.errors.push(String(err));
  });
};

// --- boundaries ------------------------------------------------------------------
sync.drawBoundaries = function (level, geojson) {
  var colours = THEMES[this.theme];
  var k = this.scale;
  var styles = {
    district: { color: colours.district, weight: 3.5 * k },
    street: { color: colours.street, weight: 2 * k, dash: [8 * k, 5 * k] },
    community: { color: colours.community, weight: 0.9 * k, dash: [2 * k, 4 * k] },
  };
  this.boundaryData[level] = geojson;
  var lines = [];
  var rings = function (coords, depth) { // GeoJSON coordinates -> flat rings of lng, lat
    if (depth === 0) return [Float64Array.from([].concat.apply([], coords.map(function (c) { return [c[0], c[1]]; })))];
    return [].concat.apply([], coords.map(function (c) { return rings(c, depth - 1); }));
  };
  (geojson.features || []).forEach(function (f) {
    var g = f.geometry;
    if (!g) return;
    var depth = { Polygon: 1, MultiPolygon: 2, LineString: 0, MultiLineString: 1 }[g.type];
    if (depth === undefined) return;
    lines.push(new Place(null, level, 3, rings(g.coordinates, depth)));
  });
  this.renderers.features.setOutlines(level, lines, styles[level] || styles.community);
};

// `given` (optional, {level: GeoJSON}): as fetchShapes'.
sync.loadBoundaries = function (given) {
  var self = this;
  return Promise.all(this.options.boundaries.map(function load(level) {
    var crs = self.crs;
    if (given && given[level] && crs === "wgs84") return self.drawBoundaries(level, given[level]);
    var q = crs !== "wgs84" ? { crs: crs } : null;
    return self.fetchJSON(self.url(self.options.api.boundaries, { __level__: level }, q)).then(function (r) {
      if (crs !== self.crs) return load(level);
      self.drawBoundaries(level, r.body);
    }, function (err) { // a damaged boundary file (503): the map goes on without these outlines, the banner says why
      self.errors.push(String(err));
    });
  }));
};

// --- loading and live updates ---------------------------------------------------
sync.start = function () {
  var self = this;
  var o = this.options;
  mark("guatu:start");
  var first = this.takeFirst(); // what came with the page: drawn in this task, before any frame is painted
  var boundaries = this.loadBoundaries(first.boundaries);
  var took = function (r) {
    self.stateEtag = r.etag;
    self.state = unpackState(r.body);
  };
  // the shapes of the layers the state has (one withheld since the page was made is not asked for): with the
  // state in the page, asked for at once (before the state is unpacked: at a million places that takes a third
  // of a second), else once the state is in (a start again after a failure); places are styled once both are in
  // (a large layer drawn from tiles at this zoom asks for its tiles then)
  var fetchShapes = function (layers) {
    return self.fetchShapes(o.layers.map(function (x) { return x.id; }).filter(function (id) {
      return !tiledAt(self, id) && id in layers;
    }), first.shapes);
  };
  var shapes = first.state ? fetchShapes((first.state.body && first.state.body.layers) || {}) : null;
  var state = (first.state ? Promise.resolve(first.state) : this.fetchJSON(this.stateUrl(null))).then(took);
  if (!shapes) shapes = state.then(function () { return fetchShapes(self.state.layers); });
  return Promise.all([boundaries, state, shapes])
    .then(function (results) {
      mark("guatu:data");
      results[2].forEach(function (r) { if (r.body) self.drawLayer(r.layerId, r.body); });
      self.checkLayers();
      self.updateTiling();
      mark("guatu:places");
      self.fit(); // before the first paint: the places are projected and drawn once, at the final view
      mark("guatu:fitted");
      self.afterState();
      if (self.labels) self.labels.update();
      self.showBanner("", "start"); // a start that failed before and came through now
      document.documentElement.dataset.guatuReady = "true";
      mark("guatu:ready");
      self.schedule();
    })
    .catch(function (err) {
      self.errors.push(String(err));
      if (self.banner) self.banner.report(false, err.status || 0, true);
      self.showBanner(t("wall.load_failed_retrying"), "start");
      window.setTimeout(function () { self.start(); }, 5000);
    });
};

// The first data, inlined in the page as one JSON document (web/wall/pages.py): the state and its ETag,
// the packed shapes of the layers drawn whole, the outlines. Taken once, so a start again after a failure
// fetches everything afresh; without it (another page, or taken already) everything is fetched.
sync.takeFirst = function () {
  var out = { state: null, shapes: {}, boundaries: {} };
  var box = this.options.first ? document.getElementById(this.options.first) : null;
  this.options.first = null;
  if (!box) return out;
  box.remove();
  try {
    var doc = JSON.parse(box.textContent);
    out.state = { body: doc.state, etag: box.dataset.etag || null };
    out.shapes = doc.shapes || {};
    out.boundaries = doc.boundaries || {};
  } catch (err) { // not expected: everything is then fetched
    this.errors.push(String(err));
  }
  return out;
};

sync.afterState = function () {
  document.documentElement.dataset.guatuRevision = String(this.state.revision);
  if (this.panels) this.panels.update();
  this.map.fire("guatu:state", { state: this.state });
};

// Polls start every `refreshSeconds` (start to start, not after the last
// answer), so a change shows within that interval plus one round trip.
sync.schedule = function () {
  var self = this;
  var seconds = this.options.refreshSeconds;
  if (!seconds || seconds <= 0) return;
  var due = (this.lastPoll || Date.now()) + seconds * 1000;
  this.timer = window.setTimeout(function () {
    self.lastPoll = Date.now();
    self.poll().then(
      function () {
        if (self.banner) self.banner.report(true, 0, true);
        self.schedule();
      },
      function (err) {
        // the places stay as last polled; the problem banner says since when (problem-banner.js)
        self.errors.push(String(err));
        if (self.banner) self.banner.report(false, err.status || 0, true);
        self.schedule();
      }
    );
  }, Math.max(250, due - Date.now()));
};

// The wall state of the screen's sub-district and community (the server cuts it: a screen of one counts its
// places, a large layer's off screen too, from the state alone), packed; `since`: only what changed after it.
sync.stateUrl = function (since) {
  return this.url(this.options.api.state, null,
                  { since: since, format: "packed", street: this.view.street, community: this.view.community });
};

sync.poll = function () {
  var self = this;
  return this.fetchJSON(this.stateUrl(this.state ? this.state.revision : null), this.stateEtag).then(function (r) {
    if (r.notModified) { // a layer back whose shapes could not be fetched then is asked for again, and a panel
      self.checkLayers(); // whose data could not be loaded
      if (self.panels) self.panels.owed();
      var owed = self.readableLayers().filter(function (id) { return self.shapesRevision[id] === -1 && !self.tiledNow(id); });
      return (owed.length ? self.loadShapes(owed) : Promise.resolve()).then(function () { return []; });
    }
    self.stateEtag = r.etag;
    var changed = self.applyState(unpackState(r.body));
    var stale = Object.keys(self.state.layers).filter(function (id) {
      return id in self.layers && self.state.layers[id].shapes > (self.shapesRevision[id] || 0);
    });
    stale.forEach(function (id) { // a layer drawn from tiles asks for the new revision's tiles
      if (!self.tiledNow(id)) return;
      self.shapesRevision[id] = self.state.layers[id].shapes;
      self.tiled[id].setRevision(self.shapesRevision[id]);
    });
    return (stale.length ? self.loadShapes(stale) : Promise.resolve()).then(function () {
      if (changed.length && (r.body.kind === "delta" || changed.length <= 200)) self.flash(changed);
      self.afterState();
      if (self.labels) self.labels.update();
      return changed;
    });
  });
};

// Redraw in another display CRS (e.g. "gcj02" under an AMap basemap); safe
// before the first load has finished (what is in flight is fetched again).
sync.setCrs = function (crs) {
  if (crs === this.crs) return Promise.resolve();
  this.crs = crs;
  document.documentElement.dataset.guatuCrs = crs;
  this.updateTiling(false); // tiles are in WGS84 only: under a GCJ-02 basemap a large layer goes back to its viewports
  var self = this;
  return Promise.all([this.loadBoundaries(), this.loadShapes(this.readableLayers())]).then(function () {
    if (self.labels) self.labels.update();
  });
};

// --- playback hook (for wall/playback.js, /wall/playback) ---------------------------
// Show a state that was not polled, e.g. the campaign as it stood at the end of a
// past day: `state` is shaped like a full state answer in the object-per-place form
// ({revision, as_of, layers: {id: {features: {id: [status, 0, 0, 0, 0]}}}}; each layer is given
// its columns when first read, wall/state.js `itemsOf`). Places missing from it are hidden,
// not removed (they may stand again on another day). `extra` (optional, {layerId:
// [Place]}) adds places the shapes no longer hold (deleted since), until the
// layer's shapes are drawn again. The page must not poll (refreshSeconds 0).
sync.showState = function (state, extra) {
  var self = this;
  Object.keys(extra || {}).forEach(function (layerId) {
    var places = self.all[layerId];
    if (!places) return;
    extra[layerId].forEach(function (p) {
      if (places[p.feature.id]) return;
      places[p.feature.id] = p;
      self.byId[p.feature.id] = p;
    });
    self.renderers.features.setLayer(layerId, Object.keys(places).map(function (id) { return places[id]; }));
  });
  this.state = state;
  this.shownDay = state.format === "playback" ? state.day : null; // cards then show the place as of that day
  Object.keys(this.all).forEach(function (layerId) {
    var items = self.items(layerId);
    var places = self.all[layerId];
    Object.keys(places).forEach(function (id) {
      self.refresh(layerId, places[id]);
      if (!items || items.indexOf(id) < 0) places[id].visible = false;
    });
    self.refreshField(layerId, true);
  });
  Object.keys(this.tiled).forEach(function (layerId) {
    if (self.map.hasLayer(self.tiled[layerId])) self.tiled[layerId].changed(null);
  });
  this.redraw();
  this.afterState();
  if (this.labels) this.labels.update();
};

// --- a large layer drawn from vector tiles (wall/tiled.js) -------------------------------
// Whether `layerId` is drawn from its tiles now (they are on the map, and not only until its viewport comes).
sync.tiledNow = function (layerId) {
  var tiles = this.tiled[layerId];
  return Boolean(tiles && this.map.hasLayer(tiles) && !tiles.leaving);
};

// Each large layer drawn from tiles or a viewport at a time, as the zoom and CRS want (tiledAt): its tiles put
// on the map, its viewport let go; or its tiles let go, and its viewport fetched (unless `fetch` is false: the
// caller fetches every layer), again after a failure until it is drawn (a wall is not panned to ask again). The
// layer is not blank between the two: coming to the tiles' zooms the viewport's places stay drawn, over the
// tiles, until every tile of the view is painted (`tilesDrawn`); leaving them, the tiles stay on the map (at a zoom
// they do not draw, the last zoom's tiles stay: wall/tiled.js createTile) until the viewport's answer is drawn
// (`drawLayer`).
sync.updateTiling = function (fetch) {
  var self = this;
  var back = [];
  Object.keys(this.viewport).forEach(function (layerId) {
    var want = tiledAt(self, layerId) && self.readable(layerId), on = self.tiledNow(layerId);
    if (want && !on) {
      var tiles = self.tiled[layerId] || (self.tiled[layerId] = new PlaceTiles(wallHost(self), layerId));
      var known = self.state && self.state.layers[layerId];
      self.shapesRevision[layerId] = known ? known.shapes : self.shapesRevision[layerId] || 0;
      tiles.setRevision(self.shapesRevision[layerId]); // (tiles kept while leaving may be of an older one)
      tiles.leaving = false;
      tiles.addTo(self.map);
      self.viewport[layerId].seq++; // a viewport answer on its way is not drawn
      self.tilesDrawn(layerId);
    } else if (!want && on) {
      if (self.viewportShown(layerId)) { // never let go (its tiles never all came): it is drawn, marked again
        self.map.removeLayer(self.tiled[layerId]);
        self.markViewport(layerId);
      } else if (self.crs !== "wgs84") { // tiles in WGS84 would stand off a GCJ-02 basemap: let go at once
        self.map.removeLayer(self.tiled[layerId]);
        back.push(layerId);
      } else {
        self.tiled[layerId].leaving = true;
        back.push(layerId);
      }
    }
  });
  if (back.length && fetch !== false && document.documentElement.dataset.guatuReady === "true") this.fetchBack(back, 0);
};

// The marks of the layer's viewport's places set again (its tiles, taken off, let go of the marks of the places they
// held; its dots' and boxes' are their field's own, drawn again with it).
sync.markViewport = function (layerId) {
  var self = this;
  var all = this.all[layerId] || {};
  Object.keys(all).forEach(function (id) { self.refresh(layerId, all[id]); });
  if (this.fields[layerId]) this.refreshField(layerId);
  this.showMarks();
};

// Whether anything of the layer's viewport is drawn.
sync.viewportShown = function (layerId) {
  return Object.keys(this.all[layerId] || {}).length > 0 || Boolean(this.fields[layerId]);
};

// The layer's viewport let go once its tiles draw every tile of the view (at once when nothing of it is drawn).
sync.tilesDrawn = function (layerId) {
  if (!this.tiledNow(layerId)) return;
  var tiles = this.tiled[layerId];
  if (!this.viewportShown(layerId)) {
    if (this.viewport[layerId].drawnAs !== null) this.leaveViewport(layerId, tiles);
  } else if (tiles.drawn()) this.leaveViewport(layerId, tiles);
};

// A layer whose viewport has not been drawn since it left its tiles (`drawnAs` is null until an answer, empty or
// not, is drawn) is asked for again after 2, 4 … 60 s, whichever request failed: this one, or the one the move's
// own `viewportMoved` made, which replaces it.
sync.fetchBack = function (layerIds, attempt) {
  var self = this;
  var again = function (err) {
    if (err) self.errors.push(String(err));
    window.setTimeout(function () {
      var blank = layerIds.filter(function (id) {
        return self.readable(id) && !self.tiledNow(id) && self.viewport[id].drawnAs === null;
      });
      if (blank.length) self.fetchBack(blank, attempt + 1);
    }, Math.min(60000, 2000 * Math.pow(2, attempt)));
  };
  this.loadShapes(layerIds).then(function () { again(null); }, again);
};

// Whether the page may be made again for a layer back: once a minute at most (a wall must never flicker in a loop,
// whatever the server says of its layers).
sync.mayReload = function () {
  try {
    var last = Number(window.sessionStorage.getItem("guatu-layers-reload") || 0);
    if (Date.now() - last < 60000) return false;
    window.sessionStorage.setItem("guatu-layers-reload", String(Date.now()));
    return true;
  } catch { // no session storage: made again, as the layer is back
    return true;
  }
};

// Whether the last state has the layer (before the first state, every layer is taken as read).
sync.readable = function (layerId) {
  return !this.state || layerId in this.state.layers;
};

// A layer the last full state left out (its file cannot be read now; the problem banner says why) is not drawn in
// the colours it had: it is let go as a page made now would not have it, and its shapes (or tiles) are asked for
// again when a state has it back (`applyState`, `poll`).
sync.withhold = function (layerId) {
  var tiles = this.tiled[layerId];
  if (tiles && this.map.hasLayer(tiles)) this.map.removeLayer(tiles); // (leaving or not)
  if (tiles) tiles.leaving = false;
  this.leaveViewport(layerId);
  delete this.attrs[layerId]; // (read again when needed once it is back: it may have been put right otherwise)
  this.shapesRevision[layerId] = -1;
};

// After a state is taken (and at every poll: a reload put off is tried again on a wall whose state does not change):
// a layer withheld when the page was made and now in the state means the page is made again with it; a layer of the
// page the state has not (withheld meanwhile, or already at the start) is let go, so it is asked for once it is back.
sync.checkLayers = function () {
  var self = this;
  var layers = this.state.layers;
  if ((this.options.withheld || []).some(function (layerId) { return layerId in layers; }) && this.mayReload()) {
    window.location.reload();
    return;
  }
  this.options.layers.forEach(function (x) {
    if (!(x.id in layers) && self.shapesRevision[x.id] !== -1) self.withhold(x.id);
  });
};

// A layer's places let go (a large layer's viewport, when its tiles draw it now; any layer withheld): its places,
// dots and marks; a viewport answer still on its way is not drawn.
sync.leaveViewport = function (layerId, tiles) {
  var self = this;
  var all = this.all[layerId] || {};
  // (the marks of a place its tiles hold now are the tiles': wall/tiled.js `marks`)
  var tiled = function (id) { return Boolean(tiles && tiles.holds(id)); };
  Object.keys(all).forEach(function (id) {
    if (self.byId[id] === all[id]) delete self.byId[id];
    if (self.halos[id] === all[id]) delete self.halos[id];
    if (!tiled(id)) self.setMarks(id, 0, null);
  });
  this.all[layerId] = {}; // (and its dots' and boxes' marks go with its field)
  delete this.fields[layerId];
  this.layers[layerId] = new PlaceGroup({}, null);
  var vp = this.viewport[layerId];
  if (vp) {
    vp.drawnAs = null;
    vp.etag = null;
    vp.seq++;
  }
  this.renderers.features.setLayer(layerId, [], false);
  this.renderers.features.setField(layerId, null);
  this.showMarks();
};
