/*
 * The one copy of the small DOM and text helpers every page module uses:
 * elements built from text nodes only (nothing is ever parsed as HTML), SVG
 * elements, a darker shade of a status colour, times in the campaign's time
 * zone, the normal form of a name for search, HTML escaping for the few
 * Leaflet APIs that take HTML, and a Leaflet control around a panel.
 *
 * Nothing here touches the DOM or Leaflet when the module is imported, so
 * node's test runner can import it too.
 */

var SVG_NS = "http://www.w3.org/2000/svg";

// el("p", "class-name", "text"); the text goes in as a text node
export function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// el() with attributes: {className, dataset: {...}, any-attribute: value}
export function elAttrs(tag, attrs, text) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === "className") node.className = attrs[k];
    else if (k === "dataset") Object.assign(node.dataset, attrs[k]);
    else node.setAttribute(k, attrs[k]);
  });
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function svg(tag, attrs, text) {
  var node = document.createElementNS(SVG_NS, tag);
  Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
  if (text !== undefined) node.textContent = String(text);
  return node;
}

// "#rrggbb" made darker by `amount` (0..1): the outline of a status colour
export function darken(hex, amount) {
  var n = parseInt(hex.slice(1), 16);
  var f = function (c) { return Math.round(c * (1 - amount)); };
  return "#" + ((1 << 24) | (f((n >> 16) & 255) << 16) | (f((n >> 8) & 255) << 8) | f(n & 255)).toString(16).slice(1);
}

// The text colour on a "#rrggbb" fill: near-black or white, whichever contrasts more (WCAG relative luminance)
export function inkOn(hex) {
  var n = parseInt(hex.slice(1), 16);
  var lin = function (c) { c /= 255; return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
  var y = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
  var dark = 0.0091; // luminance of #111
  return (y + 0.05) / (dark + 0.05) >= 1.05 / (y + 0.05) ? "#111" : "#fff";
}

var timeFormats = {}; // time zone -> its Intl.DateTimeFormat, made once (making one costs more than using it)

export function formatTime(date, timeZone) {
  if (!date || isNaN(date.getTime())) return "—";
  var key = timeZone || "";
  if (!timeFormats[key]) { // as date.toLocaleString("zh-CN", {hour12: false, timeZone}) writes it
    timeFormats[key] = new Intl.DateTimeFormat("zh-CN", { hour12: false, timeZone: timeZone, year: "numeric", month: "numeric",
      day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
  }
  return timeFormats[key].format(date);
}

// `fn` once the map's first state is drawn and painted (the map fires "guatu:state", wall/sync.js): what the
// first paint does not need waits for it, so the places are on the screen first.
export function afterFirstPaint(map, fn) {
  map.once("guatu:state", function () {
    window.requestAnimationFrame(function () { window.setTimeout(fn, 0); });
  });
}

// NFKC, lower case, spaces, dots, dashes, brackets and quotes dropped: how names are compared in search
export function normalise(text) {
  return String(text || "")
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s·・\-—–_()()【】[\]"“”'‘’]/g, "");
}

export function escapeHtml(text) {
  return String(text === undefined || text === null ? "" : text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

// A Leaflet control holding the box `build()` returns; clicks and scrolls stay in it.
export function panelControl(position, build) {
  var Box = L.Control.extend({
    options: { position: position },
    onAdd: function () {
      var box = build();
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  return new Box();
}

export function mark(name) {
  if (typeof performance !== "undefined" && performance.mark) performance.mark(name);
}
