/* Large layers: one viewport of a layer at a time, simplified for the zoom.
 *
 * A small adapter for the wall map (wallmap.js is not changed by it):
 *
 *   var vp = guatu.largeLayers.viewport(map, { url: options.api.shapes, crs: "wgs84", displayToken: token });
 *   vp.fetch("courtyards").then(function (r) { if (r.changed) redraw(r.features); });
 *   map.on("moveend", function () { vp.fetch("courtyards").then(...); });
 *
 * It asks GET /api/wall/shapes/<layer>?bbox=w,s,e,n&zoom=z&format=packed
 * (&crs=gcj02 on an AMap basemap). The server widens the box to whole
 * 256-px tiles at the integer zoom and answers with an ETag naming the
 * layer's shapes revision and those tiles, so the adapter keeps one answer
 * per request URL and revalidates it: panning back, or a poll after a
 * status-only change, costs a 304. `r.features` are decoded by
 * guatu.decodePacked when the page has it (same packed-1 layout), else here.
 * When the state's shapes revision of the layer moves, call fetch again.
 */
(function () {
  "use strict";
  var guatu = (window.guatu = window.guatu || {});

  function decode(doc) {
    var g = doc.geometry, coords = g.coords, parts = g.parts, scale = doc.scale;
    var ci = 0, pi = 0, x = 0, y = 0;
    function run(n) {
      var out = new Array(n);
      for (var i = 0; i < n; i++) {
        x += coords[ci++];
        y += coords[ci++];
        out[i] = [y / scale, x / scale];
      }
      return out;
    }
    function polygon() {
      var rings = parts[pi++], out = new Array(rings);
      for (var r = 0; r < rings; r++) out[r] = run(parts[pi++]);
      return out;
    }
    function many(each) {
      var n = parts[pi++], out = new Array(n);
      for (var i = 0; i < n; i++) out[i] = each();
      return out;
    }
    var features = new Array(g.types.length);
    for (var i = 0; i < g.types.length; i++) {
      var t = g.types[i], latlngs;
      if (t === 0) latlngs = polygon();
      else if (t === 1) latlngs = many(polygon);
      else if (t === 2) latlngs = run(parts[pi++]);
      else if (t === 3) latlngs = many(function () { return run(parts[pi++]); });
      else if (t === 4) latlngs = run(1)[0];
      else latlngs = run(parts[pi++]);
      features[i] = {
        id: doc.ids[i], type: t, latlngs: latlngs,
        properties: { name: doc.name[i], kind: doc.kinds[doc.kind[i]], street: doc.streets[doc.street[i]],
                      community: doc.communities[doc.community[i]] },
      };
    }
    return features;
  }

  function Viewport(map, options) {
    this.map = map;
    this.url = options.url; // e.g. "/api/wall/shapes/__layer__"
    this.crs = options.crs || "wgs84";
    this.token = options.displayToken || null;
    this.cache = {}; // request URL -> {etag, features, doc}
  }

  Viewport.prototype.requestUrl = function (layerId) {
    var b = this.map.getBounds();
    var box = [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -85), Math.min(b.getEast(), 180), Math.min(b.getNorth(), 85)];
    var q = new URLSearchParams({
      bbox: box.map(function (v) { return v.toFixed(5); }).join(","),
      zoom: String(Math.floor(this.map.getZoom())),
      format: "packed",
    });
    if (this.crs !== "wgs84") q.set("crs", this.crs);
    return this.url.replace("__layer__", encodeURIComponent(layerId)) + "?" + q.toString();
  };

  Viewport.prototype.fetch = function (layerId) {
    var url = this.requestUrl(layerId), known = this.cache[url], self = this;
    var headers = {};
    if (known) headers["If-None-Match"] = known.etag;
    if (this.token) headers["X-Guatu-Display"] = this.token;
    return fetch(url, { headers: headers, cache: "no-cache", credentials: "same-origin" }).then(function (resp) {
      if (resp.status === 304 && known) return { changed: false, features: known.features, doc: known.doc };
      if (!resp.ok) throw new Error("viewport shapes: HTTP " + resp.status);
      return resp.json().then(function (doc) {
        var features = (guatu.decodePacked && Array.isArray(doc.ids) ? guatu.decodePacked : decode)(doc);
        self.cache[url] = { etag: resp.headers.get("ETag"), features: features, doc: doc };
        return { changed: true, features: features, doc: doc };
      });
    });
  };

  guatu.largeLayers = {
    viewport: function (map, options) { return new Viewport(map, options); },
    decode: decode,
  };
})();
