/*
 * The page's boundary. `pageMaps(kind)`: the maps the server's page handed
 * over — folium's Leaflet map and the page's options, left on the map's
 * element by the page's inline script (web/wallmap.py). And the one handle a
 * page shows outside its modules: `window.guatuPage`, for
 * browser tests and a person at the console — {walls, playbacks, editors,
 * banner}. The entry module of a page (pages/*.js) fills it; nothing in the
 * application reads it: modules hand each other what they need.
 */
export function pageHook() {
  if (!window.guatuPage) window.guatuPage = { walls: [], playbacks: [], editors: [], banner: null };
  return window.guatuPage;
}

export function pageMaps(kind) {
  var out = [];
  document.querySelectorAll(".folium-map").forEach(function (box) {
    if (box.guatuPage && box.guatuPage.kind === kind) out.push(box.guatuPage);
  });
  return out;
}
