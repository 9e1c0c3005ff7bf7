/*
 * Entry module of the editor page (/edit): the editor on the map the
 * server's page handed over, its problem banner and basemaps.
 */
import { Editor } from "../editor/editor.js";
import { attachBasemaps } from "../basemaps.js";
import { Banner } from "../problem-banner.js";
import { pageHook, pageMaps } from "../lib/page-hook.js";
import { nameMapControls } from "../lib/map-names.js";

var hook = pageHook();
hook.banner = new Banner();
pageMaps("editor").forEach(function (page) {
  var editor = new Editor(page.map, page.options);
  hook.editors.push(editor);
  nameMapControls(page.map);
  if (page.options.banner) hook.banner.start(page.options.banner);
  editor.errors = [];
  attachBasemaps({ map: page.map, options: page.options, errors: editor.errors });
  editor.start();
});
