/*
 * Entry module of the pages without a map (base.html): the problem banner,
 * started with the options on this module's script tag (data-options).
 */
import { Banner } from "../problem-banner.js";
import { pageHook } from "../lib/page-hook.js";

var tag = document.querySelector("script[data-guatu-banner]");
if (tag && tag.dataset.options) {
  pageHook().banner = new Banner().start(JSON.parse(tag.dataset.options));
}
