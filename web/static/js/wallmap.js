/*
 * Guatu wall map: draws the campaign's places on a folium/Leaflet map and keeps
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
 * interior point; both leave the status colour visible.
 *
 * Panels (title, legend, dashboard, search, card) live in wall-panels.js and
 * names on the map in wall-labels.js; every text is a text node.
 *
 * Large layers (more places than the campaign's `map.viewport_above`) are
 * fetched one viewport at a time: the box on screen and the zoom, simplified
 * by the server to about a pixel, places too small to see as dots
 * (geo/viewport.py); again after the map moved, revalidated with the last
 * answer's ETag (the server snaps the box to tiles, so a small move costs a
 * 304). The state still covers every place, so counts, search (over the
 * layer's names, loaded when first needed) and cards reach places off screen.
 *
 * For other scripts (basemaps, printing): `guatu.onWallMap(fn)` calls
 * fn(wall) for every wall map, at once if it already exists, before its data
 * is loaded; `wall.map` is the Leaflet map; `wall.setCrs("gcj02")` refetches
 * the shapes and outlines in another display CRS; the map fires
 * "guatu:state" after every applied state and "guatu:shapes" after a layer
 * was (re)drawn.
 */
(function () {
  "use strict";

  var guatu = (window.guatu = window.guatu || {});
  guatu.instances = guatu.instances || [];
  var hooks = guatu._wallHooks || (guatu._wallHooks = []);

  var OVERDUE_STROKE = "#d4006a";
  var OVERNIGHT_FILL = "#ffffff";
  var OVERNIGHT_RIM = "#111111";
  var FLASH_STROKE = "#00b4ff";
  var FLASH_MS = 4500;
  var THEMES = {
    light: {
      district: "#3a3a3a", street: "#555555", community: "#8a8a8a", unknown: "#9e9e9e",
    },
    dark: {
      district: "#d8dde3", street: "#aab3bd", community: "#6c7680", unknown: "#6e6e6e",
    },
  };

  // --- small helpers shared with wall-panels.js and wall-labels.js ------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function darken(hex, amount) {
    var n = parseInt(hex.slice(1), 16);
    var r = Math.round(((n >> 16) & 255) * (1 - amount));
    var g = Math.round(((n >> 8) & 255) * (1 - amount));
    var b = Math.round((n & 255) * (1 - amount));
    return "#" + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
  }

  function formatTime(date, timeZone) {
    if (!date || isNaN(date.getTime())) return "—";
    return date.toLocaleString("zh-CN", { hour12: false, timeZone: timeZone });
  }

  function normalise(text) {
    return String(text || "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\s·・\-—–_()()【】[\]"“”'‘’]/g, "");
  }

  function mark(name) {
    if (window.performance && performance.mark) performance.mark(name);
  }

  guatu.util = { el: el, darken: darken, formatTime: formatTime, normalise: normalise };

  // --- packed shapes and state ---------------------------------------------------
  // ids: a list, or {prefix, width, step} (differences of the numbers)
  function unpackIds(ids) {
    if (Array.isArray(ids)) return ids;
    var out = new Array(ids.step.length);
    var n = 0;
    for (var i = 0; i < ids.step.length; i++) {
      n += ids.step[i];
      var digits = String(n);
      while (digits.length < ids.width) digits = "0" + digits;
      out[i] = ids.prefix + digits;
    }
    return out;
  }

  // The binary form (geo/wall/codec.py binary_body; docs/packed-shapes.md): "GTU1", header length,
  // JSON header, then int32 coordinates in four byte planes.
  function decodeBinary(buffer) {
    var bytes = new Uint8Array(buffer);
    if (String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]) !== "GTU1") throw new Error("not a Guatu shapes file");
    var size = new DataView(buffer).getUint32(4, true);
    var doc = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + size)));
    var n = doc.geometry.n;
    var base = 8 + size;
    var coords = new Int32Array(n);
    for (var i = 0; i < n; i++) {
      coords[i] = bytes[base + i] | (bytes[base + n + i] << 8) | (bytes[base + 2 * n + i] << 16) | (bytes[base + 3 * n + i] << 24);
    }
    doc.geometry.coords = coords;
    return doc;
  }

  // geometry.types: 0 Polygon, 1 MultiPolygon, 2 LineString, 3 MultiLineString, 4 Point, 5 MultiPoint
  function decodePacked(doc) {
    var g = doc.geometry;
    var coords = g.coords;
    var parts = g.parts;
    var scale = doc.scale;
    var ids = unpackIds(doc.ids);
    var ci = 0;
    var pi = 0;
    var x = 0;
    var y = 0;
    function run(n) {
      var out = new Array(n);
      for (var i = 0; i < n; i++) {
        x += coords[ci++];
        y += coords[ci++];
        out[i] = L.latLng(y / scale, x / scale);
      }
      return out;
    }
    function polygon() {
      var rings = parts[pi++];
      var out = new Array(rings);
      for (var r = 0; r < rings; r++) out[r] = run(parts[pi++]);
      return out;
    }
    function many(each) {
      var n = parts[pi++];
      var out = new Array(n);
      for (var i = 0; i < n; i++) out[i] = each();
      return out;
    }
    var features = new Array(g.types.length);
    for (var i = 0; i < g.types.length; i++) {
      var t = g.types[i];
      var latlngs;
      if (t === 0) latlngs = polygon();
      else if (t === 1) latlngs = many(polygon);
      else if (t === 2) latlngs = run(parts[pi++]);
      else if (t === 3) latlngs = many(function () { return run(parts[pi++]); });
      else if (t === 4 || t === 6) latlngs = run(1)[0]; // 6: a dot, a place too small to see (viewport shapes)
      else latlngs = run(parts[pi++]);
      features[i] = { id: ids[i], type: t, latlngs: latlngs };
      if (doc.name) { // a document carrying its attributes too (e.g. viewport shapes)
        features[i].properties = { name: doc.name[i], kind: doc.kinds[doc.kind[i]], street: doc.streets[doc.street[i]],
                                   community: doc.communities[doc.community[i]] };
      }
    }
    return features;
  }
  guatu.decodePacked = decodePacked;

  // The attributes part: id -> {name, kind, street, community}
  function decodeAttributes(doc) {
    var ids = unpackIds(doc.ids);
    var out = {};
    for (var i = 0; i < ids.length; i++) {
      out[ids[i]] = {
        name: doc.name[i],
        kind: doc.kinds[doc.kind[i]] || null,
        street: doc.streets[doc.street[i]] || null,
        community: doc.communities[doc.community[i]] || null,
      };
    }
    return out;
  }

  // A packed full state as the object-per-place form every other part uses.
  function unpackState(body) {
    if (body.format !== "packed-1") return body;
    Object.keys(body.layers).forEach(function (layerId) {
      var l = body.layers[layerId];
      var ids = unpackIds(l.ids);
      var features = {};
      for (var i = 0; i < ids.length; i++) {
        var item = [body.statuses[l.status[i]], l.flags[i] & 1, (l.flags[i] >> 1) & 1, l.open[i], l.overdue_problems[i]];
        if (l.categories[i]) item.push(l.categories[i]);
        features[ids[i]] = item;
      }
      l.features = features;
      delete l.ids; delete l.status; delete l.flags; delete l.open; delete l.overdue_problems; delete l.categories;
    });
    return body;
  }

  // --- the wall map --------------------------------------------------------------
  function WallMap(map, options) {
    var self = this;
    this.map = map;
    this.options = options;
    this.view = options.view || {};
    this.mode = options.mode || "desk";
    this.token = options.displayToken || null;
    this.crs = "wgs84";
    this.statuses = {};
    options.statuses.forEach(function (s) { self.statuses[s.key] = s; });
    this.categoryFilter = (this.view.categories || []).map(function (c) { return options.categories.indexOf(c); });
    this.layers = {}; // layer id -> guatu.PlaceGroup: the places drawn (eachLayer, getBounds, …)
    this.all = {}; // layer id -> {id: guatu.Place} of every place loaded (drawn or filtered out)
    this.byId = {}; // place id -> guatu.Place
    this.halos = {}; // place id -> place drawn with the overdue ring under it
    this.dots = {}; // place id -> LatLng of its overnight dot
    this.shapesRevision = {}; // layer id -> shapes revision drawn
    this.viewport = {}; // layer id -> {etag, seq} of a large layer fetched one viewport at a time
    (options.layers || []).forEach(function (x) { if (x.viewport) self.viewport[x.id] = { etag: null, seq: 0 }; });
    this.attrs = {}; // layer id -> {revision, byId, promise} of the attributes part
    this.state = null; // {revision, day, after_cutoff, as_of, layers: {id: {features: {...}}}}
    this.stateEtag = null;
    this.boundaryData = {};
    this.errors = [];
    this.fitted = false;
    this.flashed = []; // ids of the places that flashed last
    this.theme = THEMES[this.view.theme] ? this.view.theme : "light";
    this.scale = this.mode === "wall" ? Math.min(3, Math.max(1, window.innerWidth / 1600)) : 1;

    document.documentElement.dataset.theme = this.theme;
    document.documentElement.dataset.guatuMode = this.mode;
    var box = map.getContainer();
    box.classList.add("guatu-wall", "guatu-theme-" + this.theme, "guatu-mode-" + this.mode);
    this.pane("guatu-features", 400); // every layer on one canvas: a canvas above another would take its mouse events
    this.pane("guatu-overnight", 420);
    this.pane("guatu-flash", 430);
    this.pane("guatu-labels", 450).style.pointerEvents = "none";
    if (guatu.panels) this.panels = guatu.panels(this);
    // Open at the places' extent (sent with the page) before any canvas exists:
    // the places are then projected and painted once, at the final view.
    if (options.extent && !this.view.view) {
      var e = options.extent;
      map.fitBounds([[e[1], e[0]], [e[3], e[2]]], L.extend({ animate: false, maxZoom: 18 }, this.padding()));
      this.fitted = true;
    }
    var k = this.scale;
    var padding = this.mode === "wall" ? 0 : 0.3; // nobody pans a wall: no canvas beyond the screen to paint at 4K
    this.renderers = {
      features: new guatu.PlaceCanvas({ pane: "guatu-features", padding: padding, tolerance: 3,
                                        haloColor: OVERDUE_STROKE, haloWidth: 7 * k, lineHaloWidth: 15 * k }),
      overnight: new guatu.DotCanvas({ pane: "guatu-overnight", padding: padding, radius: 6 * k, weight: 2.2 * k,
                                       fill: OVERNIGHT_FILL, rim: OVERNIGHT_RIM }),
      flash: L.svg({ pane: "guatu-flash", padding: padding }),
    };
    this.renderers.features.addTo(map);
    this.renderers.overnight.addTo(map);
    this.renderers.features.on("placemove", function (e) { self.hover(e.place, e.latlng); });
    this.renderers.features.on("placeout", function () { self.hover(null); });
    this.renderers.features.on("placeclick", function (e) {
      self.select(e.place.guatuLayer, e.place.feature.id, { zoom: false });
    });
    var wantAttributes = function () {
      if (document.documentElement.dataset.guatuReady === "true") self.loadAttributes();
    };
    L.DomEvent.on(box, "pointerover", wantAttributes);
    map.on("zoomend", function () { if (map.getZoom() >= 16.5) wantAttributes(); });
    if (guatu.labels && this.view.labels !== false) this.labels = guatu.labels(this);
    if (Object.keys(this.viewport).length) {
      var moved = null;
      map.on("moveend", function () { // after a pause, so a pan or zoom in steps asks once
        window.clearTimeout(moved);
        moved = window.setTimeout(function () { self.viewportMoved(); }, 150);
      });
    }
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

  WallMap.prototype.url = function (template, values, query) {
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

  WallMap.prototype.fetchJSON = function (url, etag, binary) {
    var headers = {};
    if (etag) headers["If-None-Match"] = '"' + etag + '"';
    if (this.token) headers["X-Guatu-Display"] = this.token;
    return fetch(url, { headers: headers, cache: "no-cache", credentials: "same-origin" }).then(function (resp) {
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

  // --- state -----------------------------------------------------------------------
  WallMap.prototype.item = function (layerId, id) {
    var layer = this.state && this.state.layers[layerId];
    return layer ? layer.features[id] : null;
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

  // fn(layerId, id, properties) for every place of the shown layers: those
  // loaded, and of a large layer every place the state knows (most are off
  // screen; properties are {} until the layer's attributes are loaded).
  WallMap.prototype.eachPlace = function (fn) {
    var self = this;
    Object.keys(this.layers).forEach(function (layerId) {
      var places = self.all[layerId] || {};
      var known = self.viewport[layerId] && self.state && self.state.layers[layerId];
      if (!known) {
        Object.keys(places).forEach(function (id) { fn(layerId, id, places[id].feature.properties); });
        return;
      }
      var attrs = (self.attrs[layerId] && self.attrs[layerId].byId) || {};
      Object.keys(known.features).forEach(function (id) { fn(layerId, id, attrs[id] || {}); });
    });
  };

  // Scope (sub-district/community) and the status and category filters of the view.
  WallMap.prototype.matches = function (layerId, layer) {
    if (!this.inScope(layer)) return false;
    var st = this.item(layerId, layer.feature.id);
    var statuses = this.view.statuses || [];
    if (statuses.length && (!st || statuses.indexOf(st[0]) < 0)) return false;
    if (this.categoryFilter.length) {
      var cats = (st && st[5]) || [];
      var hit = false;
      for (var i = 0; i < cats.length && !hit; i++) hit = this.categoryFilter.indexOf(cats[i]) >= 0;
      if (!hit) return false;
    }
    return true;
  };

  WallMap.prototype.styleFor = function (layerId, layer) {
    var st = this.item(layerId, layer.feature.id);
    var status = this.statuses[st ? st[0] : ""];
    var colour = status ? status.color : THEMES[this.theme].unknown;
    var k = this.scale;
    if (layer.guatuLine) return { color: colour, weight: 7 * k, opacity: 1 };
    if (layer.guatuDot) return { color: colour, fillColor: colour, fillOpacity: 1, weight: 0, radius: 1.5 * k };
    if (layer.guatuPoint) return { color: darken(colour, 0.45), fillColor: colour, fillOpacity: 1, weight: 1.5 * k, radius: 7 * k };
    return {
      fillColor: colour,
      fillOpacity: 0.85,
      color: darken(colour, 0.45),
      weight: (layerId === "roads" ? 1.5 : 1) * k,
      opacity: 1,
    };
  };

  // Draw, hide or restyle one place and its marks after its state changed.
  WallMap.prototype.refresh = function (layerId, place) {
    var st = this.item(layerId, place.feature.id);
    var id = place.feature.id;
    place.visible = this.matches(layerId, place);
    L.extend(place.options, this.styleFor(layerId, place));
    place.overdue = !!(place.visible && st && st[1] === 1);
    place.overnight = !!(place.visible && st && st[2] === 1);
    if (place.overdue) this.halos[id] = place;
    else delete this.halos[id];
    if (place.overnight) this.dots[id] = place.guatuLabel || place.getBounds().getCenter();
    else delete this.dots[id];
  };

  // After refreshing places: one redraw of each canvas.
  WallMap.prototype.redraw = function () {
    this.renderers.features.requestRedraw();
    this.renderers.overnight.setDots(this.dots);
  };

  // Outline drawn above everything: a flash for a change, or the selected place.
  WallMap.prototype.outline = function (layer, className, colour) {
    var k = this.scale;
    var style = { renderer: this.renderers.flash, pane: "guatu-flash", interactive: false, className: className,
                  color: colour, weight: 5 * k, opacity: 1, fill: false, lineJoin: "round" };
    if (layer.guatuPoint) return L.circleMarker(layer.getLatLng(), L.extend(style, { radius: 14 * k }));
    if (layer.guatuLine) return L.polyline(layer.getLatLngs(), L.extend(style, { weight: 11 * k }));
    return L.polygon(layer.getLatLngs(), style);
  };

  WallMap.prototype.flash = function (pairs) {
    var self = this;
    var drawn = [];
    pairs.slice(0, 500).forEach(function (pair) {
      var layer = self.all[pair[0]] && self.all[pair[0]][pair[1]];
      if (!layer || !self.layers[pair[0]].hasLayer(layer)) return;
      drawn.push(self.outline(layer, "guatu-flash", FLASH_STROKE).addTo(self.map));
    });
    this.flashed = pairs.map(function (p) { return p[1]; });
    document.documentElement.dataset.guatuFlash = this.flashed.join(" ");
    window.setTimeout(function () {
      drawn.forEach(function (x) { self.map.removeLayer(x); });
    }, FLASH_MS);
  };

  // Merge a state answer (full or delta); returns the places whose look changed.
  WallMap.prototype.applyState = function (body) {
    var self = this;
    var previous = this.state;
    var changed = [];
    if (body.kind === "delta" && previous) {
      Object.keys(body.layers).forEach(function (layerId) {
        var into = previous.layers[layerId] || (previous.layers[layerId] = { features: {} });
        var delta = body.layers[layerId];
        into.revision = delta.revision;
        into.shapes = delta.shapes;
        Object.keys(delta.features).forEach(function (id) {
          var before = into.features[id];
          into.features[id] = delta.features[id];
          if (!sameItem(before, delta.features[id])) changed.push([layerId, id]);
        });
        (delta.removed || []).forEach(function (id) {
          delete into.features[id];
          self.removePlace(layerId, id);
        });
      });
      previous.revision = body.revision;
      previous.head = body.head;
      previous.day = body.day;
      previous.after_cutoff = body.after_cutoff;
      if (body.as_of && (!previous.as_of || body.as_of > previous.as_of)) previous.as_of = body.as_of;
    } else {
      this.state = body;
      Object.keys(body.layers).forEach(function (layerId) {
        var now = body.layers[layerId].features;
        var before = previous && previous.layers[layerId] ? previous.layers[layerId].features : {};
        Object.keys(now).forEach(function (id) {
          if (!sameItem(before[id], now[id])) changed.push([layerId, id]);
        });
        Object.keys(before).forEach(function (id) {
          if (!(id in now)) self.removePlace(layerId, id);
        });
      });
    }
    changed.forEach(function (pair) {
      var layer = self.all[pair[0]] && self.all[pair[0]][pair[1]];
      if (layer) self.refresh(pair[0], layer);
    });
    if (changed.length) this.redraw();
    document.documentElement.dataset.guatuRevision = String(this.state.revision);
    return changed;
  };

  function sameItem(a, b) {
    if (!a || !b) return false;
    for (var i = 0; i < 5; i++) if (a[i] !== b[i]) return false;
    return String(a[5] || "") === String(b[5] || "");
  }

  WallMap.prototype.removePlace = function (layerId, id) {
    var places = this.all[layerId];
    var place = places && places[id];
    if (!place) return;
    delete places[id];
    delete this.byId[id];
    delete this.halos[id];
    delete this.dots[id];
    this.renderers.features.setLayer(layerId, Object.keys(places).map(function (k) { return places[k]; }));
    this.renderers.overnight.setDots(this.dots);
  };

  // --- shapes ----------------------------------------------------------------------
  WallMap.prototype.shapeQuery = function (extra) {
    var q = { format: "packed", street: this.view.street, community: this.view.community };
    if (this.crs !== "wgs84") q.crs = this.crs;
    return L.extend(q, extra || {});
  };

  WallMap.prototype.drawLayer = function (layerId, doc) {
    var self = this;
    Object.keys(this.all[layerId] || {}).forEach(function (id) {
      delete self.byId[id];
      delete self.halos[id];
      delete self.dots[id];
    });
    var attrs = this.attrs[layerId] && this.attrs[layerId].byId;
    var names = doc.name ? decodeAttributes(doc) : null; // a document carrying its attributes (viewport shapes)
    var places = {};
    var list = guatu.placesFromPacked(doc, layerId, unpackIds(doc.ids));
    list.forEach(function (place) {
      var id = place.feature.id;
      place.feature.properties = (names && names[id]) || (attrs && attrs[id]) || {};
      places[id] = place;
      self.byId[id] = place;
      self.refresh(layerId, place);
    });
    this.all[layerId] = places;
    this.layers[layerId] = new guatu.PlaceGroup(places);
    this.renderers.features.setLayer(layerId, list, false);
    if (this.all.roads) this.renderers.features.setLayer("roads", this.renderers.features.places.roads, true); // roads on top
    this.renderers.overnight.setDots(this.dots);
    this.shapesRevision[layerId] = doc.revision;
    if (this.attrs[layerId] && this.attrs[layerId].revision !== doc.revision) {
      delete this.attrs[layerId];
      this.loadAttributes([layerId]);
    }
    this.map.fire("guatu:shapes", { layer: layerId });
  };

  // The tooltip of the place under the pointer (one, moved along; not one per place).
  WallMap.prototype.hover = function (place, latlng) {
    if (!place) {
      if (this.hoverTip) this.map.removeLayer(this.hoverTip);
      this.hoverPlace = null;
      return;
    }
    if (!this.hoverTip) this.hoverTip = L.tooltip({ sticky: true, className: "guatu-tooltip", direction: "auto", offset: [12, 0] });
    if (place !== this.hoverPlace || !this.map.hasLayer(this.hoverTip)) {
      this.hoverPlace = place;
      this.hoverTip.setContent(this.tooltip(place));
      this.loadAttributes([place.guatuLayer]);
    }
    this.hoverTip.setLatLng(latlng);
    if (!this.map.hasLayer(this.hoverTip)) this.hoverTip.addTo(this.map);
  };

  // Names, kinds, sub-districts and communities: fetched the first time they
  // are needed (a pointer over the map, a search, names written at zoom 17,
  // a card), not for a screen that only shows the overview.
  WallMap.prototype.loadAttributes = function (layerIds) {
    var self = this;
    var ids = layerIds || Object.keys(this.layers);
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
    add("类型", p.kind);
    add("状态", status ? status.label : "—");
    add("街道", [p.street, p.community].filter(Boolean).join(" · "));
    if (st && st[1]) add("逾期", st[4] ? st[4] + " 个问题逾期" : "未按时间节点完成");
    if (st && st[3]) add("未销号问题", st[3] + " 个" + (st[2] ? "(含过夜问题)" : ""));
    box.appendChild(dl);
    box.appendChild(el("p", "guatu-hint", "点击查看详情"));
    return box;
  };

  // `body` is null when there is nothing new to draw: a large layer's viewport
  // answered 304, or a later request for it was made meanwhile.
  WallMap.prototype.fetchShapes = function (layerIds) {
    var self = this;
    return Promise.all(layerIds.map(function load(layerId) {
      var crs = self.crs;
      var vp = self.viewport[layerId];
      var extra = { format: "binary" };
      if (vp) L.extend(extra, { part: "geometry", bbox: self.viewportBox(), zoom: String(Math.floor(self.map.getZoom())) });
      var seq = vp ? ++vp.seq : 0;
      var url = self.url(self.options.api.shapes, { __layer__: layerId }, self.shapeQuery(extra));
      return self.fetchJSON(url, vp && self.all[layerId] ? vp.etag : null, true).then(function (r) {
        if (crs !== self.crs) return load(layerId); // the CRS changed meanwhile
        if (vp && seq !== vp.seq) return { layerId: layerId, body: null };
        if (vp) vp.etag = r.etag;
        return { layerId: layerId, body: r.notModified ? null : r.body };
      });
    }));
  };

  WallMap.prototype.loadShapes = function (layerIds) {
    var self = this;
    return this.fetchShapes(layerIds).then(function (results) {
      results.forEach(function (r) { if (r.body) self.drawLayer(r.layerId, r.body); });
    });
  };

  // The box a large layer is asked for: the screen (a wall is never panned), a
  // quarter more each way on a desk where people pan.
  WallMap.prototype.viewportBox = function () {
    var b = this.map.getBounds();
    if (this.mode !== "wall") b = b.pad(0.25);
    return [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -85), Math.min(b.getEast(), 180), Math.min(b.getNorth(), 85)]
      .map(function (v) { return v.toFixed(5); }).join(",");
  };

  WallMap.prototype.viewportMoved = function () {
    var self = this;
    if (document.documentElement.dataset.guatuReady !== "true") return Promise.resolve();
    var ids = Object.keys(this.viewport).filter(function (id) { return id in self.layers; });
    return this.loadShapes(ids).then(function () {
      if (self.labels) self.labels.update();
      document.documentElement.dataset.guatuViewport = ids.map(function (id) { return self.viewport[id].etag; }).join(" ");
    }, function (err) { self.errors.push(String(err)); });
  };

  // --- boundaries ------------------------------------------------------------------
  WallMap.prototype.drawBoundaries = function (level, geojson) {
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
      lines.push(new guatu.Place(null, level, 3, rings(g.coordinates, depth)));
    });
    this.renderers.features.setOutlines(level, lines, styles[level] || styles.community);
  };

  WallMap.prototype.loadBoundaries = function () {
    var self = this;
    return Promise.all(this.options.boundaries.map(function load(level) {
      var crs = self.crs;
      var q = crs !== "wgs84" ? { crs: crs } : null;
      return self.fetchJSON(self.url(self.options.api.boundaries, { __level__: level }, q)).then(function (r) {
        if (crs !== self.crs) return load(level);
        self.drawBoundaries(level, r.body);
      });
    }));
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

  WallMap.prototype.find = function (id) {
    var layer = this.byId[id];
    return layer ? { layerId: layer.guatuLayer, layer: layer } : null;
  };

  // Zoom to a place and open its card.
  WallMap.prototype.select = function (layerId, id, opts) {
    var layer = this.all[layerId] && this.all[layerId][id];
    if (!layer) return this.viewport[layerId] ? this.selectOffScreen(layerId, id) : false;
    if (!opts || opts.zoom !== false) {
      var b = layer.getBounds ? layer.getBounds() : L.latLngBounds([layer.getLatLng(), layer.getLatLng()]);
      this.map.fitBounds(b, L.extend({ maxZoom: 18, animate: false }, this.padding()));
    }
    if (this.selected) this.map.removeLayer(this.selected);
    this.selected = this.outline(layer, "guatu-selected", this.theme === "dark" ? "#ffffff" : "#111111").addTo(this.map);
    this.selectedId = id;
    this.loadAttributes([layerId]);
    document.documentElement.dataset.guatuSelected = id;
    if (this.panels) this.panels.showCard(layerId, id);
    return true;
  };

  // A place of a large layer that is not loaded: its card tells where it is;
  // fly there, load that viewport, then select it as usual.
  WallMap.prototype.selectOffScreen = function (layerId, id) {
    var self = this;
    var query = this.crs !== "wgs84" ? { crs: this.crs } : null;
    this.fetchJSON(this.url(this.options.api.place, { __layer__: layerId, __id__: id }, query)).then(function (r) {
      var b = r.body.bbox;
      if (!b) return null;
      self.map.fitBounds([[b[1], b[0]], [b[3], b[2]]], L.extend({ maxZoom: 18, animate: false }, self.padding()));
      return self.loadShapes([layerId]).then(function () {
        if (self.all[layerId] && self.all[layerId][id]) self.select(layerId, id, { zoom: false });
      });
    }).catch(function (err) { self.errors.push(String(err)); });
    return true;
  };

  WallMap.prototype.unselect = function () {
    if (this.selected) this.map.removeLayer(this.selected);
    this.selected = null;
    this.selectedId = null;
    delete document.documentElement.dataset.guatuSelected;
  };

  // Places whose name contains the text (NFKC, case, spaces and dashes ignored).
  WallMap.prototype.search = function (text, limit) {
    var q = normalise(text);
    if (!q) return [];
    var hits = [];
    var self = this;
    this.eachPlace(function (layerId, id, props) {
      if (!self.inScopeProps(props)) return;
      var layer = (self.all[layerId] && self.all[layerId][id]) || { feature: { id: id, properties: props }, guatuLayer: layerId };
      var key = layer.guatuKey || (layer.guatuKey = normalise(props.name));
      var at = key.indexOf(q);
      if (at >= 0 || id === text) hits.push({ layerId: layerId, id: id, layer: layer, rank: (at === 0 ? 0 : 1) * 1000 + key.length });
    });
    hits.sort(function (a, b) { return a.rank - b.rank || (a.layer.feature.properties.name < b.layer.feature.properties.name ? -1 : 1); });
    return hits.slice(0, limit || 10);
  };

  // --- loading and live updates ---------------------------------------------------
  WallMap.prototype.start = function () {
    var self = this;
    var o = this.options;
    mark("guatu:start");
    var boundaries = this.loadBoundaries();
    var state = this.fetchJSON(this.url(o.api.state, null, { format: "packed" })).then(function (r) {
      self.stateEtag = r.etag;
      self.state = unpackState(r.body);
    });
    // shapes and state are fetched side by side; places are styled once both are in
    var shapes = this.fetchShapes(o.layers.map(function (x) { return x.id; }));
    return Promise.all([boundaries, state, shapes])
      .then(function (results) {
        mark("guatu:data");
        results[2].forEach(function (r) { if (r.body) self.drawLayer(r.layerId, r.body); });
        mark("guatu:places");
        self.fit(); // before the first paint: the places are projected and drawn once, at the final view
        mark("guatu:fitted");
        self.afterState();
        if (self.labels) self.labels.update();
        document.documentElement.dataset.guatuReady = "true";
        mark("guatu:ready");
        if ((self.view.street || self.view.community) && Object.keys(self.viewport).length) {
          // a large layer's places off screen are counted by their sub-district and community
          self.loadAttributes(Object.keys(self.viewport)).then(function () { self.afterState(); });
        }
        self.schedule();
      })
      .catch(function (err) {
        self.errors.push(String(err));
        if (guatu.problemBanner) guatu.problemBanner.report(false, err.status || 0, true);
        if (self.panels) self.panels.banner("数据加载失败,正在重试……");
        window.setTimeout(function () { self.start(); }, 5000);
      });
  };

  WallMap.prototype.afterState = function () {
    document.documentElement.dataset.guatuRevision = String(this.state.revision);
    if (this.panels) this.panels.update();
    this.map.fire("guatu:state", { state: this.state });
  };

  // Polls start every `refreshSeconds` (start to start, not after the last
  // answer), so a change shows within that interval plus one round trip.
  WallMap.prototype.schedule = function () {
    var self = this;
    var seconds = this.options.refreshSeconds;
    if (!seconds || seconds <= 0) return;
    var due = (this.lastPoll || Date.now()) + seconds * 1000;
    this.timer = window.setTimeout(function () {
      self.lastPoll = Date.now();
      self.poll().then(
        function () {
          if (guatu.problemBanner) guatu.problemBanner.report(true, 0, true);
          self.schedule();
        },
        function (err) {
          // the places stay as last polled; the problem banner says since when (problem-banner.js)
          self.errors.push(String(err));
          if (guatu.problemBanner) guatu.problemBanner.report(false, err.status || 0, true);
          self.schedule();
        }
      );
    }, Math.max(250, due - Date.now()));
  };

  WallMap.prototype.poll = function () {
    var self = this;
    var url = this.url(this.options.api.state, null, { since: this.state ? this.state.revision : null, format: "packed" });
    return this.fetchJSON(url, this.stateEtag).then(function (r) {
      if (r.notModified) return [];
      self.stateEtag = r.etag;
      var changed = self.applyState(unpackState(r.body));
      var stale = Object.keys(self.state.layers).filter(function (id) {
        return id in self.layers && self.state.layers[id].shapes > (self.shapesRevision[id] || 0);
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
  WallMap.prototype.setCrs = function (crs) {
    if (crs === this.crs) return Promise.resolve();
    this.crs = crs;
    document.documentElement.dataset.guatuCrs = crs;
    var self = this;
    return Promise.all([this.loadBoundaries(), this.loadShapes(Object.keys(this.layers))]).then(function () {
      if (self.labels) self.labels.update();
    });
  };

  WallMap.prototype.showBanner = function (text) {
    if (this.panels) this.panels.banner(text);
  };

  // --- playback hook (for wall-playback.js, /wall/playback) --------------------------
  // Show a state that was not polled, e.g. the campaign as it stood at the end of a
  // past day: `state` is shaped like an unpacked full state ({revision, as_of, layers:
  // {id: {features: {id: [status, 0, 0, 0, 0]}}}}). Places missing from it are hidden,
  // not removed (they may stand again on another day). `extra` (optional, {layerId:
  // [guatu.Place]}) adds places the shapes no longer hold (deleted since), until the
  // layer's shapes are drawn again. The page must not poll (refreshSeconds 0).
  WallMap.prototype.showState = function (state, extra) {
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
      var items = (state.layers[layerId] || {}).features || {};
      var places = self.all[layerId];
      Object.keys(places).forEach(function (id) {
        self.refresh(layerId, places[id]);
        if (!items[id]) places[id].visible = false;
      });
    });
    this.redraw();
    this.afterState();
    if (this.labels) this.labels.update();
  };
  guatu.unpackIds = unpackIds; // packed ids ({prefix, width, step}) as a list, for wall-playback.js

  guatu.WallMap = WallMap;

  guatu.onWallMap = function (fn) {
    hooks.push(fn);
    guatu.instances.forEach(function (wall) { fn(wall); });
  };

  guatu.wallMap = function (map, options) {
    var wall = new WallMap(map, options);
    guatu.instances.push(wall);
    if (options.banner && guatu.problemBanner) guatu.problemBanner.start(options.banner); // problem-banner.js
    hooks.forEach(function (fn) { fn(wall); });
    wall.start();
    return wall;
  };
})();
