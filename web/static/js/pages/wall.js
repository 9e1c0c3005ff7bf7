/*
 * Entry module of the wall and desk pages (/, /wall, /desk): starts the wall
 * map the server's page handed over, with its print button (loaded once the
 * places are painted).
 */
import { startWall } from "../wall/setup.js";
import { Banner } from "../problem-banner.js";
import { afterFirstPaint } from "../lib/dom.js";
import { pageHook, pageMaps } from "../lib/page-hook.js";

var banner = (pageHook().banner = new Banner());
pageMaps("wall").forEach(function (page, i) {
  var wall = startWall(page.map, page.options, banner);
  if (i !== 0) return;
  afterFirstPaint(page.map, function () {
    import("../print-control.js").then(function (m) { m.attachPrintControl(wall); },
      function (err) { wall.errors.push(String(err)); });
  });
});
