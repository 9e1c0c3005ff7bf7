/*
 * Names a Leaflet map's parts in the page's language for people using a screen reader or a keyboard:
 * the zoom buttons (Leaflet calls them "Zoom in" / "Zoom out") and the map itself (a labelled region
 * that takes the focus, so its arrow keys pan and +/- zoom).
 */
import { t } from "./messages.js";

export function nameMapControls(map) {
  var box = map.getContainer();
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", t("wall.map_label"));
  [["leaflet-control-zoom-in", "wall.zoom_in"], ["leaflet-control-zoom-out", "wall.zoom_out"]].forEach(function (pair) {
    Array.prototype.forEach.call(box.getElementsByClassName(pair[0]), function (button) {
      button.title = t(pair[1]);
      button.setAttribute("aria-label", t(pair[1]));
    });
  });
}
