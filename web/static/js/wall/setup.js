/*
 * Starts one wall map with everything that goes with it: the map and its
 * data (wall/wallmap.js), the problem banner it reports to, today's
 * inspections (unless the view turns them off), the basemap switcher.
 * The page's entry module (pages/wall.js, pages/playback.js) calls it,
 * then adds what that page has besides.
 *
 * Today's inspections are loaded (their module too) after the places are
 * painted: the first paint waits for nothing it does not show.
 */
import { WallMap } from "./wallmap.js";
import { attachBasemaps } from "../basemaps.js";
import { afterFirstPaint } from "../lib/dom.js";
import { pageHook } from "../lib/page-hook.js";
import { nameMapControls } from "../lib/map-names.js";

// `before(wall)`, when given, runs before the first fetch (e.g. to listen for the first state).
export function startWall(map, options, banner, before) {
  var wall = new WallMap(map, options, banner);
  pageHook().walls.push(wall);
  nameMapControls(map);
  if (options.banner && banner) banner.start(options.banner);
  if (wall.view.inspections !== false && options.api.inspections) {
    afterFirstPaint(map, function () {
      import("./inspections.js").then(function (m) { wall.inspections = new m.Inspections(wall); },
        function (err) { wall.errors.push(String(err)); });
    });
  }
  attachBasemaps(wall);
  if (before) before(wall);
  wall.start();
  return wall;
}
