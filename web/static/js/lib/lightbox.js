/*
 * A photo enlarged over the whole page: the preview image, its caption lines,
 * the previous and next photo (big buttons, a swipe, or the arrow keys) and a
 * big ✕; a tap outside the image closes it too (a wall has no keyboard).
 * Used by the wall's place card and the editor's photo sections.
 *
 * openLightbox([{src, alt, lines: ["整改后 · 2026/11/24 10:00", …]}], index)
 */
import { el, elAttrs } from "./dom.js";
import { t } from "./messages.js";

var SWIPE = 40; // px a finger moves sideways to turn to the next photo

export function openLightbox(items, index) {
  if (!items.length) return null;
  var at = Math.max(0, Math.min(index || 0, items.length - 1));
  var box = elAttrs("div", { className: "guatu-lightbox", role: "dialog", "aria-modal": "true" });
  var figure = el("figure", "guatu-lightbox-figure");
  var img = elAttrs("img", { className: "guatu-lightbox-img", alt: "" });
  var caption = el("figcaption", "guatu-lightbox-caption");
  figure.appendChild(img);
  figure.appendChild(caption);
  box.appendChild(figure);
  var button = function (cls, text, label, run) {
    var b = elAttrs("button", { type: "button", className: "guatu-lightbox-button " + cls, "aria-label": label }, text);
    b.addEventListener("click", function (e) { e.stopPropagation(); run(); });
    box.appendChild(b);
    return b;
  };
  var show = function (i) {
    at = (i + items.length) % items.length;
    var item = items[at];
    img.src = item.src;
    img.alt = item.alt || "";
    caption.textContent = "";
    item.lines.filter(Boolean).forEach(function (line) { caption.appendChild(el("span", null, line)); });
    if (items.length > 1) caption.appendChild(el("span", "guatu-lightbox-count", t("wall.photo.counter", { i: at + 1, n: items.length })));
    box.dataset.index = String(at);
  };
  var close = function () {
    document.removeEventListener("keydown", keys, true);
    box.remove();
  };
  var keys = function (e) {
    if (e.key === "Escape") close();
    else if (e.key === "ArrowRight") show(at + 1);
    else if (e.key === "ArrowLeft") show(at - 1);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  button("guatu-lightbox-close", "✕", t("wall.photo.close"), close);
  if (items.length > 1) {
    button("guatu-lightbox-prev", "‹", t("wall.photo.prev"), function () { show(at - 1); });
    button("guatu-lightbox-next", "›", t("wall.photo.next"), function () { show(at + 1); });
  }
  var swiped = false; // the click that ends a swipe does not close
  box.addEventListener("click", function (e) {
    if (!swiped && (e.target === box || e.target === figure)) close();
    swiped = false;
  });
  var startX = null;
  box.addEventListener("pointerdown", function (e) { startX = e.clientX; });
  box.addEventListener("pointerup", function (e) {
    if (startX === null) return;
    var dx = e.clientX - startX;
    startX = null;
    swiped = Math.abs(dx) >= SWIPE;
    if (swiped && items.length > 1) show(dx < 0 ? at + 1 : at - 1);
  });
  document.addEventListener("keydown", keys, true);
  show(at);
  document.body.appendChild(box);
  return { element: box, show: show, close: close };
}
