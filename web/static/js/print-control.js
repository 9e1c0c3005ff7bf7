/*
 * The print button: a Leaflet control (top right, "打印") on the wall map
 * that opens the printed map (/print) of the current view as an A3 PDF, and
 * "含照片" beside it: the same with the photo strip (photos=1).
 *
 * wall/setup.js hands it the wall map when the map is made; it keeps the
 * link's bbox in step with the view, and stays away from big screens that use
 * a display token (they may not open /print). Text is set with textContent only.
 */
import { t } from "./lib/messages.js";

function printUrl(map, photos) {
  var b = map.getBounds();
  var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
    return v.toFixed(6);
  });
  var params = new URLSearchParams({ paper: "A3", orientation: "landscape", format: "pdf", bbox: bbox.join(",") });
  if (photos) params.set("photos", "1");
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
      var button = function (className, text, title) {
        var a = L.DomUtil.create("a", className, box);
        a.textContent = text;
        a.title = title;
        a.setAttribute("role", "button");
        a.target = "_blank";
        a.rel = "noopener";
        a.style.width = "auto";
        a.style.padding = "0 0.6em";
        return a;
      };
      var link = button("guatu-print-link", t("print.button"), t("print.button_title"));
      // the same view with a strip of the newest 整改后 photos along the bottom
      var withPhotos = button("guatu-print-photos", t("print.button_photos"), t("print.button_photos_title"));
      var update = function () { link.href = printUrl(map); withPhotos.href = printUrl(map, true); };
      update();
      map.on("moveend zoomend resize", update);
      L.DomEvent.on(link, "mousedown focus", update);
      L.DomEvent.on(withPhotos, "mousedown focus", update);
      L.DomEvent.disableClickPropagation(box);
      return box;
    },
  });
  map.guatuPrintControl = new PrintControl();
  map.addControl(map.guatuPrintControl);
}
