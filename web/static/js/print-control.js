/*
 * The print button: a Leaflet control (top right, "打印") on the wall map
 * that opens the printed map (/print) of the current view as an A3 PDF.
 *
 * wall/setup.js hands it the wall map when the map is made; it keeps the
 * link's bbox in step with the view, and stays away from big screens that use
 * a display token (they may not open /print). Text is set with textContent only.
 */
import { t } from "./lib/messages.js";

function printUrl(map) {
  var b = map.getBounds();
  var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
    return v.toFixed(6);
  });
  var params = new URLSearchParams({ paper: "A3", orientation: "landscape", format: "pdf", bbox: bbox.join(",") });
  // relative to the page, so the app also works below a path prefix
  return new URL("print?" + params.toString(), document.baseURI).toString();
}

export function attachPrintControl(wall) {
  var map = wall.map;
  if (!map || map.guatuPrintControl || (wall.options && wall.options.displayToken)) return;
  var PrintControl = L.Control.extend({
    options: { position: "topright" },
    onAdd: function () {
      var box = L.DomUtil.create("div", "leaflet-bar leaflet-control guatu-print-control");
      var link = L.DomUtil.create("a", "guatu-print-link", box);
      link.textContent = t("print.button");
      link.title = t("print.button_title");
      link.setAttribute("role", "button");
      link.target = "_blank";
      link.rel = "noopener";
      link.style.width = "auto";
      link.style.padding = "0 0.6em";
      var update = function () { link.href = printUrl(map); };
      update();
      map.on("moveend zoomend resize", update);
      L.DomEvent.on(link, "mousedown focus", update);
      L.DomEvent.disableClickPropagation(box);
      return box;
    },
  });
  map.guatuPrintControl = new PrintControl();
  map.addControl(map.guatuPrintControl);
}
