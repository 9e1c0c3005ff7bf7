/*
 * The map as it stood on a past day, read-only, in the editor. Methods of
 * Editor (editor/editor.js composes them).
 */
import { refusal, reason } from "./answers.js";
import { darken } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { Model } from "../wall/playback-model.js";
import { PlaceItems } from "../wall/state.js";

var asOf = {};
export default asOf;

// --- the map as it stood on a past day (read-only) ---------------------------------
// A layer's places as they stood at the end of the day, drawn read-only in place of the layer. A large layer is not
// loaded whole for it either (its places as GeoJSON: tens of megabytes): it stays drawn a view at a time, its places
// coloured by their statuses of that day from the playback document of that one day (geo/playback.py), those that
// did not stand then hidden. A large layer's place deleted since has no outline in the views: it is counted, said,
// and not drawn.
asOf.showAsOf = function (day) {
  var self = this;
  this.deselect();
  this.clearSelection();
  var asOfStatus = {};
  var isLarge = function (layer) { return (self.o.large || {})[layer.id] !== undefined; }; // (editor/editor.js loadLayer)
  var large = this.o.layers.filter(isLarge);
  var whole = this.o.layers.filter(function (layer) { return !isLarge(layer); });
  var pastOfLarge = !large.length ? Promise.resolve(null)
    : this.request("GET", this.o.api.playback + "?from=" + encodeURIComponent(day) + "&to=" + encodeURIComponent(day))
      .then(function (r) {
        if (!r.ok) throw refusal(r.body, r.status);
        return r.body;
      });
  return Promise.all([pastOfLarge].concat(whole.map(function (layer) {
    var url = self.url("features", layer.id).replace(/\/features$/, "/as-of/" + encodeURIComponent(day));
    return self.request("GET", url).then(function (r) {
      if (!r.ok) throw refusal(r.body, r.status);
      return [layer.id, r.body];
    });
  }))).then(function (results) {
    self.exitAsOf(true);
    var past = results[0] ? pastItems(results[0], large.map(function (l) { return l.id; })) : { items: {}, standing: 0, gone: 0 };
    self.pastLayers = results.slice(1).map(function (pair) {
      pair[1].features.forEach(function (f) { asOfStatus[f.id] = f.properties.status; });
      return L.geoJSON(pair[1], {
        renderer: self.renderer, pmIgnore: true, interactive: false,
        style: function (f) {
          var st = self.statuses[f.properties.status] || { color: "#9e9e9e" };
          return { fillColor: st.color, fillOpacity: 0.85, color: darken(st.color, 0.45), weight: 1 };
        },
      }).addTo(self.map);
    });
    whole.forEach(function (layer) { if (self.layers[layer.id]) self.map.removeLayer(self.layers[layer.id]); });
    self.asOf = { day: day, statuses: asOfStatus, items: past.items };
    large.forEach(function (layer) { if (self.large[layer.id]) self.large[layer.id].restyleAll(); });
    self.scheduleLabels(); // a place made since loses its name, as it lost its shape
    var n = Object.keys(asOfStatus).length + past.standing;
    var gone = past.gone ? " " + t("editor.as_of.large_gone", { n: past.gone }) : "";
    self.say(t("editor.as_of.shown", { day: day, n: n }) + gone, "info");
  }).catch(function (err) { self.say(t("editor.as_of.failed", { message: reason(err) }), "error"); });
};

// Whether a past day is shown (then nothing is selected, drawn or edited: it says so).
asOf.pastDayShown = function () {
  if (!this.asOf) return false;
  this.say(t("editor.as_of.read_only", { day: this.asOf.day }), "info");
  return true;
};

asOf.exitAsOf = function (quiet) {
  var self = this;
  (this.pastLayers || []).forEach(function (l) { self.map.removeLayer(l); });
  this.pastLayers = null;
  var was = this.asOf;
  this.asOf = null;
  if (was) {
    Object.keys(this.layers).forEach(function (id) {
      if (self.large[id]) self.large[id].restyleAll();
      else self.layers[id].addTo(self.map);
    });
    this.scheduleLabels();
  }
  if (!quiet) this.say("");
};

// The large layers' places at the end of the playback document's one day (replayed as the playback page replays
// it: wall/playback-model.js): layer id -> PlaceItems (wall/state.js) of every place the document knows (a status
// code of -1 for one that did not stand then); how many stood then, and how many of those are gone now (the
// document's `extra`: no view has their outlines).
export function pastItems(doc, layerIds) {
  var model = new Model(doc);
  model.seek(doc.days.length - 1);
  var out = { items: {}, standing: 0, gone: 0 };
  model.layers.forEach(function (l, n) {
    if (layerIds.indexOf(l.id) < 0) return;
    var ids = l.ids, status = model.codes[n];
    var gone = (doc.layers[n].extra && doc.layers[n].extra.attributes) || {}; // the places gone now, by id
    var zeros = new Int32Array(ids.length);
    out.items[l.id] = new PlaceItems(doc.statuses, ids, status, zeros, zeros, zeros, []);
    for (var k = 0; k < ids.length; k++) {
      if (status[k] < 0) continue;
      out.standing += 1;
      if (Object.prototype.hasOwnProperty.call(gone, ids[k])) out.gone += 1;
    }
  });
  return out;
}
