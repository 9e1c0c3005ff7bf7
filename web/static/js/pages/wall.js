/*
 * Entry module of the wall and desk pages (/, /wall, /desk): starts the wall
 * map the server's page handed over, with its print button.
 */
import { startWall } from "../wall/setup.js";
import { attachPrintControl } from "../print-control.js";
import { Banner } from "../problem-banner.js";
import { pageHook, pageMaps } from "../lib/page-hook.js";

var banner = (pageHook().banner = new Banner());
pageMaps("wall").forEach(function (page, i) {
  var wall = startWall(page.map, page.options, banner);
  if (i === 0) attachPrintControl(wall);
});
