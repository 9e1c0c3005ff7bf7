/*
 * The field page's map (Leaflet, vendored): the day's places in their status
 * colours, numbered in route order and joined by the route line (an arrow
 * halfway along each leg points the way), and the
 * inspector's own position (a dot and its accuracy circle) while the device
 * shares it. The page works the same without a position.
 */
import { el } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { nameMapControls } from "../lib/map-names.js";
import { legArrows } from "../lib/route.js";

var ROUTE_COLOUR = "#0d47a1";

// Leaflet, run once the page's cards are drawn (field.html preloads it): resolves once it has run, rejects if it
// could not be loaded (the cards work without their map). Its script is added here, its events heard from the start.
var leaflet = null;
export function loadLeaflet(url) {
  if (window.L) return Promise.resolve();
  if (!leaflet) {
    leaflet = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.addEventListener("load", function () {
        if (window.L) {
          resolve();
        } else { // (a file that ran but did not make Leaflet: as a failed load)
          leaflet = null;
          reject(new Error("Leaflet"));
        }
      });
      script.addEventListener("error", function () { leaflet = null; reject(new Error("Leaflet")); });
      document.head.append(script);
    });
  }
  return leaflet;
}

// An arrow halfway along each leg long enough for one at the map's zoom, pointing the way.
function drawArrows(map, points, group) {
  group.clearLayers();
  var screen = points.map(function (ll) { var pt = map.latLngToLayerPoint(ll); return [pt.x, pt.y]; });
  legArrows(screen, 60).forEach(function (a) {
    var arrow = el("span", "field-route-arrow");
    arrow.style.transform = "rotate(" + a.angle.toFixed(1) + "deg)";
    arrow.dataset.leg = String(a.leg);
    group.addLayer(L.marker(map.layerPointToLatLng([a.x, a.y]), {
      keyboard: false, interactive: false,
      icon: L.divIcon({ className: "field-route-arrow-icon", html: arrow, iconSize: [16, 16] }),
    }));
  });
}

export function routeMap(box, places, onPick) {
  var map = L.map(box, { attributionControl: false, zoomSnap: 0.5 });
  nameMapControls(map);
  var shapes = L.featureGroup();
  var markers = L.featureGroup();
  var points = [];
  places.forEach(function (p) {
    if (!p.geometry) return;
    var layer = L.geoJSON(p.geometry, {
      style: { color: p.color, weight: 3, fillColor: p.color, fillOpacity: 0.35 },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 8 }); },
    });
    layer.on("click", function () { onPick(p); });
    shapes.addLayer(layer);
    var at = layer.getBounds().getCenter();
    points.push(at);
    var icon = L.divIcon({ className: "", html: el("span", "field-route-num", p.order), iconSize: [26, 26] });
    var marker = L.marker(at, { icon: icon, keyboard: false, title: p.name || p.id });
    marker.on("click", function () { onPick(p); });
    markers.addLayer(marker);
  });
  // the view first: Leaflet draws layers on a map that has one
  if (points.length) map.fitBounds(shapes.getBounds(), { padding: [24, 24], maxZoom: 17 });
  else map.setView([34.75, 113.65], 12);
  shapes.addTo(map);
  var route = L.polyline(points, { color: ROUTE_COLOUR, weight: 4, className: "field-route-line" }).addTo(map);
  var arrows = L.layerGroup().addTo(map);
  drawArrows(map, points, arrows);
  map.on("zoomend", function () { drawArrows(map, points, arrows); });
  markers.addTo(map);
  return { map: map, route: route, arrows: arrows, shapes: shapes, markers: markers, me: null };
}

// Follow the device's position; `status(text)` says what is known; `moved(position)` gets each fix ({lon, lat,
// accuracy, at}), or null once the position is lost.
export function followMe(view, status, moved) {
  if (!("geolocation" in navigator)) {
    status(t("field.gps_off"));
    return;
  }
  status(t("field.gps_waiting"));
  navigator.geolocation.watchPosition(function (pos) {
    var at = [pos.coords.latitude, pos.coords.longitude];
    var accuracy = Math.round(pos.coords.accuracy || 0);
    if (!view.me) {
      view.me = {
        circle: L.circle(at, { radius: accuracy, color: "#1976d2", weight: 1, fillOpacity: 0.12 }).addTo(view.map),
        dot: L.circleMarker(at, { radius: 7, color: "#fff", weight: 2, fillColor: "#1976d2", fillOpacity: 1 })
          .addTo(view.map),
      };
    } else {
      view.me.circle.setLatLng(at).setRadius(accuracy);
      view.me.dot.setLatLng(at);
    }
    status(t("field.gps_here", { m: accuracy }));
    moved({ lon: pos.coords.longitude, lat: pos.coords.latitude, accuracy: accuracy, at: pos.timestamp || Date.now() });
  }, function () {
    status(t("field.gps_off"));
    moved(null); // the last fix no longer says where the phone is
  }, { enableHighAccuracy: true, maximumAge: 10000 });
}
