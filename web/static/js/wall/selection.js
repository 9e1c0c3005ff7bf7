/*
 * Finding places on the wall map: selecting one (zoom to it, outline it,
 * open its card), one of a large layer that is off screen (fly there, load
 * that viewport, then select it), and searching the names (a large layer's
 * asked of the server: its names are not all in the page). Methods of
 * WallMap (wall/wallmap.js composes them).
 */
import { normalise } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { findByName, foundFirst, searchText } from "../lib/search.js";

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
  if (!this.viewport[layerId]) this.loadAttributes([layerId]); // (a large layer's place: its card has them)
  document.documentElement.dataset.guatuSelected = id;
  this.showBanner("", "select");
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
  }).catch(function (err) {
    self.errors.push(String(err));
    if (self.selectedId && self.selectedId !== id) return; // another place opened meanwhile: that one stands
    self.showBanner(t("wall.place.unreachable"), "select"); // until a place is selected again
  });
  return true;
};

selection.unselect = function () {
  if (this.selected) this.map.removeLayer(this.selected);
  this.selected = null;
  this.selectedId = null;
  delete document.documentElement.dataset.guatuSelected;
};

// Places whose name contains the text, found as every page finds them (lib/search.js), best first, as
// {layerId, id, name, street, community}: `found` (a large layer's best as the server found them, searchLarge), the
// places of the layers drawn whole, and a large layer's places loaded with their names (those in view, when names
// are drawn); each place once, as the server has it if it found it.
selection.search = function (text, limit, found) {
  var self = this;
  return findByName(text, foundFirst(found, function (once) {
    Object.keys(self.layers).forEach(function (layerId) {
      var places = self.all[layerId] || {};
      Object.keys(places).forEach(function (id) {
        var layer = places[id];
        var p = layer.feature.properties;
        if (!p || (self.viewport[layerId] && !p.name) || !self.inScopeProps(p)) return;
        var key = layer.guatuKey || (layer.guatuKey = normalise(p.name));
        once({ layerId: layerId, id: id, name: p.name, street: p.street, community: p.community }, key);
      });
    });
  }), limit);
};

// Whether a layer's places are asked of the server (searchLarge) rather than all found in the page.
selection.searchesServer = function () {
  return Object.keys(this.viewport).length > 0 && Boolean(this.options.api.search);
};

// The best places of each large layer for the text in the screen's sub-district and community, as the server finds
// them (GET /api/wall/search/{layer}): a promise of [{layerId, id, name, street, community}]; `signal` aborts it.
selection.searchLarge = function (text, limit, signal) {
  var self = this;
  return Promise.all(Object.keys(this.viewport).map(function (layerId) {
    var query = { q: searchText(text), limit: limit, street: self.view.street, community: self.view.community };
    return self.fetchJSON(self.url(self.options.api.search, { __layer__: layerId }, query), null, false, signal)
      .then(function (r) {
        return r.body.places.map(function (p) {
          return { layerId: layerId, id: p.id, name: p.name, street: p.street, community: p.community };
        });
      });
  })).then(function (lists) { return [].concat.apply([], lists); });
};
