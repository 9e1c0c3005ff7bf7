/*
 * The map as it stood on a past day, read-only, in the editor. Methods of
 * Editor (editor/editor.js composes them).
 */
import { darken } from "../lib/dom.js";
import { t } from "../lib/messages.js";

var asOf = {};
export default asOf;

// --- the map as it stood on a past day (read-only) ---------------------------------
asOf.showAsOf = function (day) {
  var self = this;
  this.deselect();
  this.clearSelection();
  var asOfStatus = {};
  // a large layer is not loaded whole for a past day either (its places as GeoJSON: tens of megabytes)
  var large = this.o.layers.filter(function (layer) { return self.large[layer.id]; });
  return Promise.all(this.o.layers.filter(function (layer) { return !self.large[layer.id]; }).map(function (layer) {
    var url = self.url("features", layer.id).replace(/\/features$/, "/as-of/" + encodeURIComponent(day));
    return self.request("GET", url).then(function (r) {
      if (!r.ok) throw new Error(r.body ? r.body.message : String(r.status));
      return [layer.id, r.body];
    });
  })).then(function (results) {
    self.exitAsOf(true);
    self.pastLayers = results.map(function (pair) {
      pair[1].features.forEach(function (f) { asOfStatus[f.id] = f.properties.status; });
      return L.geoJSON(pair[1], {
        renderer: self.renderer, pmIgnore: true, interactive: false,
        style: function (f) {
          var st = self.statuses[f.properties.status] || { color: "#9e9e9e" };
          return { fillColor: st.color, fillOpacity: 0.85, color: darken(st.color, 0.45), weight: 1 };
        },
      }).addTo(self.map);
    });
    Object.keys(self.layers).forEach(function (id) { self.map.removeLayer(self.layers[id]); });
    self.asOf = { day: day, statuses: asOfStatus };
    var left = large.length ? " " + t("editor.as_of.large_left", { layers: large.map(function (l) { return l.title; }).join("、") }) : "";
    self.say(t("editor.as_of.shown", { day: day, n: Object.keys(asOfStatus).length }) + left, "info");
  }).catch(function (err) { self.say(t("editor.as_of.failed", { message: err.message }), "error"); });
};

asOf.exitAsOf = function (quiet) {
  var self = this;
  (this.pastLayers || []).forEach(function (l) { self.map.removeLayer(l); });
  this.pastLayers = null;
  if (this.asOf) Object.keys(this.layers).forEach(function (id) { self.layers[id].addTo(self.map); });
  this.asOf = null;
  if (!quiet) this.say("");
};
