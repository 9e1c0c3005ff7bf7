/*
 * The print button: a Leaflet control (top right, "打印") on the wall map and
 * in the editor that opens the print dialog (lib/print-dialog.js): paper,
 * orientation, area, layers, statuses, title, date, legend, locator inset,
 * photo strip, or an atlas.
 *
 * The page's entry module hands it {map, options} when the map is made; it
 * stays away from big screens that use a display token (they may not open
 * /print). Text is set with textContent only.
 */
import { t } from "./lib/messages.js";
import { PrintDialog } from "./lib/print-dialog.js";

export function attachPrintControl(wall) {
  var map = wall.map;
  if (!map || map.guatuPrintControl || (wall.options && wall.options.displayToken)) return;
  var dialog = new PrintDialog(map, wall.options);
  var PrintControl = L.Control.extend({
    options: { position: "topright" },
    onAdd: function () {
      var box = L.DomUtil.create("div", "leaflet-bar leaflet-control guatu-print-control");
      var button = L.DomUtil.create("button", "guatu-print-open", box);
      button.type = "button";
      button.textContent = t("print.button");
      button.title = t("print.button_title");
      button.setAttribute("aria-haspopup", "dialog");
      L.DomEvent.on(button, "click", function () { dialog.open(button); });
      L.DomEvent.disableClickPropagation(box);
      return box;
    },
  });
  map.guatuPrintControl = new PrintControl();
  map.guatuPrintDialog = dialog;
  map.addControl(map.guatuPrintControl);
}
