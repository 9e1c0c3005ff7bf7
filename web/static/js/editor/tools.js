/*
 * The editor's drawing tools (Leaflet-Geoman): drawing a new place, the box
 * of a box select, reshaping the selected place. Methods of Editor
 * (editor/editor.js composes them).
 */
import { t } from "../lib/messages.js";

var tools = {};
export default tools;

// --- drawing new places --------------------------------------------------------
tools.startDrawing = function (layerId, shape) {
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
      if (box.intersects(self.byId[id].getBounds())) self.selection[id] = true;
      self.restyle(id);
    });
    this.say("");
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
  });
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
};
