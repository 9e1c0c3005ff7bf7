/*
 * The editor's drawing tools (Leaflet-Geoman): drawing a new place, the box
 * of a box select, reshaping the selected place — and Esc, which cancels
 * the drawing or the reshaping under way (the shape goes back to what it
 * was), else closes what is open: the conflict table, the place's form (asking
 * first when it holds unsaved changes), the bulk selection. Methods of Editor
 * (editor/editor.js composes them).
 */
import { t } from "../lib/messages.js";

var tools = {};
export default tools;

// --- drawing new places --------------------------------------------------------
tools.startDrawing = function (layerId, shape) {
  if (this.pastDayShown()) return;
  this.deselect();
  this.clearSelection();
  this.drawingLayer = layerId;
  this.map.pm.enableDraw(shape, { continueDrawing: false });
  this.say(t(shape === "Line" ? "editor.draw.line_hint" : "editor.draw.polygon_hint"), "info");
  this.lowerSheet();
};

tools.onCreate = function (e) {
  var self = this;
  if (this.boxSelecting) {
    this.boxSelecting = false;
    var box = e.layer.getBounds();
    this.map.removeLayer(e.layer);
    Object.keys(this.byId).forEach(function (id) {
      if (box.intersects(self.byId[id].getBounds())) self.selection[id] = self.byId[id].guatuLayer || true;
      self.restyle(id);
    });
    var unlisted = { n: 0 }; // places a large layer's tiles draw as one point with others (too small to see)
    Object.keys(this.large).forEach(function (layerId) { // a large layer's dots too
      self.large[layerId].idsIn(box, unlisted).forEach(function (id) {
        self.selection[id] = layerId;
        self.restyle(id);
      });
    });
    this.say(unlisted.n ? t("editor.box.unlisted", { n: unlisted.n }) : "", "info");
    this.showBulk();
    return;
  }
  var layerId = this.drawingLayer;
  this.drawingLayer = null;
  this.current = { layerId: layerId, feature: null, isNew: true, layer: e.layer, shapeEdited: true };
  this.say("");
  this.fillForm();
  this.ledger.hidden = true;
  var c = e.layer.getBounds().getCenter();
  return this.request("GET", this.o.api.locate + "?lon=" + c.lng + "&lat=" + c.lat).then(function (r) {
    if (!r.ok || !self.inputs) return;
    if (r.body.street && !self.inputs.street.value) self.inputs.street.value = r.body.street;
    if (r.body.community && !self.inputs.community.value) self.inputs.community.value = r.body.community;
  }, function () { /* only a help: the planner fills them in, and the server derives them on saving */ });
};

// --- shape editing -------------------------------------------------------------
tools.toggleShapeEdit = function (button) {
  var layer = this.byId[this.current.feature.id];
  if (!layer) return;
  if (this.editingLayer) {
    this.stopShapeEdit();
    button.textContent = t("editor.shape.edit");
    return;
  }
  this.editingLayer = layer;
  this.shapeButton = button;
  this.shapeBefore = layer.toGeoJSON().geometry; // what Esc puts back
  layer.options.pmIgnore = false;
  L.PM.reInitLayer(layer);
  layer.pm.enable({ allowSelfIntersection: true, draggable: true });
  var self = this;
  layer.on("pm:edit pm:dragend", function () { if (self.current) self.current.shapeEdited = true; });
  button.textContent = t("editor.shape.done");
};

tools.stopShapeEdit = function () {
  if (this.editingLayer) {
    if (this.editingLayer.pm) this.editingLayer.pm.disable();
    this.editingLayer = null;
  }
  if (this.shapeButton) this.shapeButton.textContent = t("editor.shape.edit");
  this.shapeButton = null;
};

// Reshaping given up: the outline as it was before, the place no longer reshaped.
tools.cancelShapeEdit = function () {
  var layer = this.editingLayer;
  var before = this.shapeBefore;
  this.stopShapeEdit();
  if (layer && before) {
    var depth = { Point: 0, LineString: 0, Polygon: 1, MultiLineString: 1, MultiPolygon: 2 }[before.type];
    if (before.type !== "Point") layer.setLatLngs(L.GeoJSON.coordsToLatLngs(before.coordinates, depth));
  }
  if (this.current) this.current.shapeEdited = false;
};

// --- Esc ---------------------------------------------------------------------------
tools.listenForEscape = function () {
  var self = this;
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || e.defaultPrevented) return;
    if (self.escape()) e.preventDefault();
  });
};

// What Esc does now, most pressing first; false when nothing was open.
tools.escape = function () {
  if (this.map.pm.globalDrawModeEnabled()) {
    this.map.pm.disableDraw();
    this.drawingLayer = null;
    this.boxSelecting = false;
    this.say(t("editor.esc.draw_cancelled"), "info");
    return true;
  }
  if (this.editingLayer) {
    this.cancelShapeEdit();
    this.say(t("editor.esc.shape_cancelled"), "info");
    return true;
  }
  if (this.conflictOpen) {
    this.say("");
    return true;
  }
  if (this.current) {
    if (this.hasUnsavedChanges() && !window.confirm(t("editor.esc.discard_ask", { name: this.formProperties().name || "" }))) return true;
    this.deselect();
    return true;
  }
  if (Object.keys(this.selection).length) {
    this.clearSelection();
    return true;
  }
  return false;
};
