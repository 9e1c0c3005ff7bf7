/*
 * Starts one wall map with everything that goes with it: the map and its
 * data (wall/wallmap.js), the problem banner it reports to, today's
 * inspections (unless the view turns them off), the basemap switcher.
 * The page's entry module (pages/wall.js, pages/playback.js) calls it,
 * then adds what that page has besides.
 */
import { WallMap } from "./wallmap.js";
import { Inspections } from "./inspections.js";
import { attachBasemaps } from "../basemaps.js";
import { pageHook } from "../lib/page-hook.js";
import { nameMapControls } from "../lib/map-names.js";

// `before(wall)`, when given, runs before the first fetch (e.g. to listen for the first state).
export function startWall(map, options, banner, before) {
  var wall = new WallMap(map, options, banner);
  pageHook().walls.push(wall);
  nameMapControls(map);
  if (options.banner && banner) banner.start(options.banner);
  if (wall.view.inspections !== false && options.api.inspections) wall.inspections = new Inspections(wall);
  attachBasemaps(wall);
  if (before) before(wall);
  wall.start();
  return wall;
}
