/*
 * Entry module of the playback page (/wall/playback): the wall map, its
 * print button, and the playback that colours it day by day (a comparison
 * starts a second wall map beside it the same way).
 */
import { startWall } from "../wall/setup.js";
import { Playback } from "../wall/playback.js";
import { attachPrintControl } from "../print-control.js";
import { Banner } from "../problem-banner.js";
import { pageHook, pageMaps } from "../lib/page-hook.js";

var hook = pageHook();
var banner = (hook.banner = new Banner());
var makeWall = function (map, options) { return startWall(map, options, banner); };
pageMaps("wall").forEach(function (page, i) {
  var wall = startWall(page.map, page.options, banner, function (w) {
    if (w.options.playback) hook.playbacks.push(new Playback(w, makeWall));
  });
  if (i === 0) attachPrintControl(wall);
});
