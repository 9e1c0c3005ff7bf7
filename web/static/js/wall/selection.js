/*
 * Finding places on the wall map: selecting one (zoom to it, outline it,
 * open its card), one of a large layer that is off screen (fly there, load
 * that viewport, then select it), and searching the names. Methods of
 * WallMap (wall/wallmap.js composes them).
 */
import { normalise } from "../lib/dom.js";
import { findByName } from "../lib/search.js";

var selection = {};
export default selection;

selection.find = function (id) {
  var layer = this.byId[id];
  return layer ? { layerId: layer.guatuLayer, layer: layer } : null;
};

// Zoom to a place and open its card.
selection.select = function (layerId, id, opts) {
  var layer = this.placeOf(layerId, id);
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
  this.map.fire("guatu:select", { layer: layerId, id: id }); // the playback's compare shows its photos
  if (this.panels) this.panels.showCard(layerId, id);
  return true;
};

// A place of a large layer that is not loaded: its card tells where it is;
// fly there, load that viewport, then select it as usual.
selection.selectOffScreen = function (layerId, id) {
  var self = this;
  var query = this.crs !== "wgs84" ? { crs: this.crs } : null;
  this.fetchJSON(this.url(this.options.api.place, { __layer__: layerId, __id__: id }, query)).then(function (r) {
    var b = r.body.bbox;
    if (!b) return null;
    self.map.fitBounds([[b[1], b[0]], [b[3], b[2]]], L.extend({ maxZoom: 18, animate: false }, self.padding()));
    return self.loadShapes([layerId]).then(function () {
      if (self.placeOf(layerId, id)) {
        self.select(layerId, id, { zoom: false });
        return;
      }
      // flying there moved the map, and the viewport asked for after the move answered instead
      // of this one (wall/sync.js fetchShapes): select the place when that one is drawn
      var drawn = function (e) {
        if (e.layer !== layerId) return;
        self.map.off("guatu:shapes", drawn);
        if (self.placeOf(layerId, id)) self.select(layerId, id, { zoom: false });
      };
      self.map.on("guatu:shapes", drawn);
    });
  }).catch(function (err) { self.errors.push(String(err)); });
  return true;
};

selection.unselect = function () {
  if (this.selected) this.map.removeLayer(this.selected);
  this.selected = null;
  this.selectedId = null;
  delete document.documentElement.dataset.guatuSelected;
};

// Places whose name contains the text, found as every page finds them (lib/search.js).
selection.search = function (text, limit) {
  var self = this;
  return findByName(text, function (visit) {
    self.eachPlace(function (layerId, id, props) {
      if (!self.inScopeProps(props)) return;
      var layer = (self.all[layerId] && self.all[layerId][id]) || { feature: { id: id, properties: props }, guatuLayer: layerId };
      var key = layer.guatuKey || (layer.guatuKey = normalise(props.name));
      visit({ layerId: layerId, id: id, layer: layer, name: props.name }, key);
    });
  }, limit);
};
