/*
 * Basemaps: the campaign's configured tile layers (campaign.json
 * `map.basemaps`) on the wall map, with a layer switcher, and the data drawn
 * in the coordinates of the chosen basemap.
 *
 * The list comes from the server (GET api/basemaps). Every tile URL in it is
 * on this server (/tiles/<id>/{z}/{x}/{y}, or a path the deployment serves),
 * so the page never talks to another host; keys stay on the server. A wall
 * screen's display token goes along as ?display= (an <img> sends no headers).
 *
 * wall/setup.js attaches it to every wall map; the editor calls
 * `attachBasemaps({map, options: {api: {basemaps}}, errors})`.
 *
 * CRS: AMap tiles are in GCJ-02. When a basemap with crs "gcj02" is chosen,
 * `wall.setCrs("gcj02")` (wall/sync.js) refetches shapes and outlines shifted
 * by the server (?crs=gcj02); back to "wgs84" for any other basemap. A page
 * that cannot redraw its data in another CRS (no `setCrs`, e.g. the editor,
 * whose drawn outlines are saved as they are) is offered only the WGS84
 * basemaps: on GCJ-02 tiles its outlines would sit hundreds of metres off.
 *
 * Names and attributions go through escapeHtml: Leaflet's layer control and
 * attribution take HTML.
 */
import { escapeHtml } from "./lib/dom.js";
import { t } from "./lib/messages.js";


function withParam(url, name, value) {
  return url + (url.indexOf("?") >= 0 ? "&" : "?") + name + "=" + encodeURIComponent(value);
}

function token(wall) {
  return (wall.options && wall.options.displayToken) || null;
}

function getJSON(wall, url) {
  var headers = {};
  if (token(wall)) headers["X-Guatu-Display"] = token(wall);
  return fetch(url, { headers: headers, cache: "no-cache" }).then(function (resp) {
    if (!resp.ok) throw new Error(url + ": HTTP " + resp.status);
    return resp.json();
  });
}

function listUrl(wall) {
  var api = (wall.options && wall.options.api) || {};
  return api.basemaps || new URL("api/basemaps", document.baseURI).toString();
}

function tileLayer(wall, b) {
  var map = wall.map;
  var opts = {
    attribution: escapeHtml(b.attribution),
    minZoom: b.min_zoom || 0,
    maxZoom: Math.max(map.getMaxZoom() || 18, b.max_native_zoom || 0),
    tms: !!b.tms,
    className: "guatu-basemap guatu-basemap-" + b.id,
    zIndex: b.overlay ? 2 : 1,
  };
  if (b.max_native_zoom !== null && b.max_native_zoom !== undefined) opts.maxNativeZoom = b.max_native_zoom;
  if (b.bounds) opts.bounds = L.latLngBounds([b.bounds[1], b.bounds[0]], [b.bounds[3], b.bounds[2]]);
  var url = token(wall) ? withParam(b.url, "display", token(wall)) : b.url;
  var layer = L.tileLayer(url, opts);
  layer.guatuBasemap = b;
  return layer;
}

// --- drawing the data in the basemap's CRS -------------------------------
function setCrs(wall, crs) {
  var state = wall.guatuBasemaps;
  if (state.crs === crs) return Promise.resolve();
  state.crs = crs;
  if (typeof wall.setCrs !== "function") {
    if (wall.errors) wall.errors.push("basemaps: this wall map cannot redraw its data in " + crs);
    return Promise.resolve();
  }
  return Promise.resolve(wall.setCrs(crs)).then(function () {
    if (wall.showBanner) wall.showBanner("", "crs"); // a later switch that came through
  }, function (err) {
    if (wall.errors) wall.errors.push(String(err));
    if (wall.showBanner) wall.showBanner(t("basemaps.crs_failed"), "crs");
  });
}

// --- the switcher --------------------------------------------------------
function build(wall, list) {
  var map = wall.map;
  var state = wall.guatuBasemaps;
  var bases = {};
  var overlays = {};
  var active = null;
  var none = L.layerGroup();
  none.guatuBasemap = { id: "", crs: "wgs84" };
  bases[escapeHtml(t("basemaps.none"))] = none;
  list.forEach(function (b) {
    var layer = tileLayer(wall, b);
    state.layers[b.id] = layer;
    if (b.overlay) {
      overlays[escapeHtml(b.title)] = layer;
    } else {
      bases[escapeHtml(b.title)] = layer;
      if (b.default) active = layer;
    }
  });
  (active || none).addTo(map);
  state.control = L.control.layers(bases, overlays, { position: "topright", collapsed: true }).addTo(map);
  map.on("baselayerchange", function (e) {
    var b = e.layer.guatuBasemap || { id: "", crs: "wgs84" };
    state.active = b.id;
    setCrs(wall, b.crs || "wgs84");
  });
  state.active = active ? active.guatuBasemap.id : "";
  document.documentElement.dataset.guatuBasemaps = "ready";
  return setCrs(wall, active ? active.guatuBasemap.crs || "wgs84" : "wgs84");
}

export function attachBasemaps(wall) {
  if (!wall || !wall.map || wall.guatuBasemaps) return;
  wall.guatuBasemaps = { layers: {}, control: null, active: "", crs: "wgs84" };
  getJSON(wall, listUrl(wall))
    .then(function (body) {
      var list = (body && body.basemaps) || [];
      if (typeof wall.setCrs !== "function") {
        var usable = list.filter(function (b) { return (b.crs || "wgs84") === "wgs84"; });
        var bases = usable.filter(function (b) { return !b.overlay; });
        if (usable.length < list.length && bases.length && !bases.some(function (b) { return b.default; })) {
          bases[0] = Object.assign({}, bases[0], { default: true }); // the default was GCJ-02: the first left
          usable = usable.map(function (b) { return b.id === bases[0].id ? bases[0] : b; });
        }
        list = usable;
      }
      if (!list.length) {
        document.documentElement.dataset.guatuBasemaps = "none";
        return null;
      }
      return build(wall, list);
    })
    .catch(function (err) {
      if (wall.errors) wall.errors.push(String(err));
      document.documentElement.dataset.guatuBasemaps = "failed";
    });
}
