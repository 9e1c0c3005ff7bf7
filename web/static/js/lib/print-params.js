/*
 * What the print dialog's choices ask of the server: the parameters of the
 * printed map (/print) and of an atlas (/print/atlas.pdf). Pure: no DOM or
 * Leaflet, so node --test runs it (tests/js/print-params.test.js).
 */

export var PAPERS = ["A4", "A3", "A2", "A1", "A0"];

// The /print parameters a dialog's choices make (pure: tests/js run it without a browser).
// choice: {paper, orientation, scope: "view"|"area", bbox: [w,s,e,n], street, community, layers: [...],
//          allLayers: [...], statuses: [...], allStatuses: [...], title, date, legend, locator, photos}
export function printParams(choice) {
  var p = new URLSearchParams();
  p.set("paper", choice.paper);
  p.set("orientation", choice.orientation);
  p.set("format", "pdf");
  if (choice.scope === "area") {
    if (choice.street) p.set("street", choice.street);
    if (choice.community) p.set("community", choice.community);
  } else if (choice.bbox) {
    p.set("bbox", choice.bbox.map(function (v) { return Number(v).toFixed(6); }).join(","));
  }
  if (choice.layers.length !== choice.allLayers.length) p.set("layers", choice.layers.join(","));
  if (choice.statuses.length !== choice.allStatuses.length) p.set("status", choice.statuses.join(","));
  var title = (choice.title || "").trim();
  if (title) p.set("title", title);
  if (choice.date) p.set("date", choice.date);
  p.set("legend", choice.legend ? "1" : "0");
  p.set("locator", choice.locator ? "1" : "0");
  if (choice.photos) p.set("photos", "1");
  return p;
}

// The atlas's parameters: {by, paper, orientation, title, date}
export function atlasParams(choice) {
  var p = new URLSearchParams({ by: choice.by, paper: choice.paper, orientation: choice.orientation });
  var title = (choice.title || "").trim();
  if (title) p.set("title", title);
  if (choice.date) p.set("date", choice.date);
  return p;
}
