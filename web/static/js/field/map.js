/*
 * The field page's map (Leaflet, vendored): the day's places in their status
 * colours, numbered in route order and joined by the route line, and the
 * inspector's own position (a dot and its accuracy circle) while the device
 * shares it. The page works the same without a position.
 */
import { el } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { nameMapControls } from "../lib/map-names.js";

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
  var route = L.polyline(points, { color: "#1f3a5f", weight: 3, dashArray: "6 6" }).addTo(map);
  markers.addTo(map);
  return { map: map, route: route, shapes: shapes, markers: markers, me: null };
}

// Follow the device's position; `status(text)` says what is known; `moved(position)` gets each fix.
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
    moved({ lon: pos.coords.longitude, lat: pos.coords.latitude, accuracy: accuracy });
  }, function () {
    status(t("field.gps_off"));
  }, { enableHighAccuracy: true, maximumAge: 10000 });
}
