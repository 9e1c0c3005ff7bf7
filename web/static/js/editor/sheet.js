/*
 * The side panel as a bottom sheet on a narrow screen (a phone, a tablet
 * upright): editor.css lays the panel over the foot of a full-width map, and
 * its handle raises or lowers it — tapped, or dragged by a finger (pointer
 * events), settling up or down where it is let go. Selecting a place or a
 * message from the editor raises it; starting to draw or to box-select lowers it. On a wide screen the handle is not shown
 * and the panel stays a column on the right. Methods of Editor.
 */
import { elAttrs as el } from "../lib/dom.js";
import { t } from "../lib/messages.js";

var sheet = {};
export default sheet;

var DRAG_PX = 8; // a finger that moves less than this taps

sheet.buildSheet = function () {
  var self = this;
  var handle = (this.sheetHandle = el("button", { type: "button", className: "guatu-sheet-handle", dataset: { action: "sheet" } }));
  handle.addEventListener("click", function (e) {
    if (self.sheetDragged) { self.sheetDragged = false; e.preventDefault(); return; }
    self.setSheet(self.panel.dataset.sheet === "up" ? "down" : "up");
  });
  var drag = null;
  handle.addEventListener("pointerdown", function (e) {
    drag = { y: e.clientY, height: self.panel.getBoundingClientRect().height, moved: false };
    handle.setPointerCapture(e.pointerId);
  });
  handle.addEventListener("pointermove", function (e) {
    if (!drag) return;
    var dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dy) < DRAG_PX) return;
    drag.moved = true;
    self.panel.classList.add("is-dragging");
    var height = Math.max(handle.offsetHeight, Math.min(window.innerHeight * 0.9, drag.height - dy));
    self.panel.style.height = height + "px";
  });
  var release = function () {
    if (!drag) return;
    var moved = drag.moved;
    drag = null;
    self.panel.classList.remove("is-dragging");
    if (!moved) return;
    self.sheetDragged = true;
    var height = self.panel.getBoundingClientRect().height;
    self.panel.style.height = "";
    self.setSheet(height > window.innerHeight * 0.3 ? "up" : "down");
  };
  handle.addEventListener("pointerup", release);
  handle.addEventListener("pointercancel", release);
  this.panel.insertBefore(handle, this.panel.firstChild);
  this.setSheet("down");
};

sheet.setSheet = function (state) {
  this.panel.dataset.sheet = state;
  this.sheetHandle.textContent = t(state === "up" ? "editor.sheet.lower" : "editor.sheet.raise");
  this.sheetHandle.setAttribute("aria-expanded", state === "up" ? "true" : "false");
};

sheet.raiseSheet = function () {
  if (this.sheetHandle) this.setSheet("up");
};

// drawing or box-selecting: the finger needs the map
sheet.lowerSheet = function () {
  if (this.sheetHandle) this.setSheet("down");
};
