/*
 * The playback's 整治前/整治后 compare, with photos: when a place is chosen on
 * either map, its 整改前 photos stand beside the first map and its 整改后 ones
 * beside the second (when it has neither, its earliest and latest photos),
 * each captioned with the day it was taken in the campaign's time zone; a tap
 * enlarges one (lib/lightbox.js). A display link that may not see photos
 * gets none from the card (web/wall/data.py) and shows no panel.
 */
import { el, elAttrs, panelControl } from "../lib/dom.js";
import { openLightbox } from "../lib/lightbox.js";
import { t } from "../lib/messages.js";
import { beforeAfter, forDisplay, photoDay } from "../lib/photos.js";

var SHOWN = 4; // photos beside each map; the enlarged view turns through all of them

export function ComparePhotos(views) {
  var self = this;
  this.views = views; // [{wall, role: "before"|"after"}]
  this.asked = null;
  this.boxes = views.map(function (v) {
    var box = el("div", "guatu-panel guatu-compare-photos guatu-compare-photos-" + v.role);
    box.hidden = true;
    panelControl("topright", function () { return box; }).addTo(v.wall.map);
    v.wall.map.on("guatu:select", function (e) { self.choose(v.wall, e.layer, e.id); });
    return box;
  });
}

ComparePhotos.prototype.choose = function (wall, layerId, id) {
  var self = this;
  var key = layerId + "/" + id;
  this.asked = key;
  // the card as it is now: every photo, whichever day the map shows
  return wall.fetchJSON(wall.url(wall.options.api.place, { __layer__: layerId, __id__: id })).then(function (r) {
    if (self.asked === key) self.render(r.body, wall.options.timezone);
  }, function (err) {
    wall.errors.push(String(err));
    if (self.asked !== key) return;
    self.views.forEach(function (v, n) { // never the photos of the place chosen before under this one's name
      var box = self.boxes[n];
      box.textContent = "";
      box.dataset.id = id;
      box.hidden = !!v.wall.token; // a display link shows no panel without photos
      box.appendChild(el("p", "guatu-more", t("wall.card.failed")));
    });
  });
};

ComparePhotos.prototype.render = function (card, timeZone) {
  var self = this;
  var token = this.views[0].wall.token;
  var photos = card.photos || [];
  var split = beforeAfter(photos);
  var all = split.before.concat(split.after);
  var items = all.map(function (p) {
    return { src: forDisplay(p.urls.preview || p.urls.thumb, token), alt: p.role_label,
      lines: [card.name, t("playback.photos.caption", { day: photoDay(p, timeZone), role: p.role_label }), p.caption] };
  });
  this.views.forEach(function (v, n) {
    var box = self.boxes[n];
    box.textContent = "";
    box.dataset.id = card.id;
    box.hidden = !photos.length && !!v.wall.token; // a display link without photos: no panel at all
    if (box.hidden) return;
    var mine = v.role === "before" ? split.before : split.after;
    box.appendChild(el("h3", null, card.name));
    box.appendChild(el("p", "guatu-compare-photos-kicker", t(v.role === "before" ? "playback.photos.before" : "playback.photos.after")));
    if (!mine.length) {
      box.appendChild(el("p", "guatu-more", t("playback.photos.none")));
      return;
    }
    var list = el("ul", "guatu-photo-strip guatu-compare-photo-list");
    mine.slice(0, SHOWN).forEach(function (p) {
      var item = el("li", "guatu-compare-photo");
      var b = elAttrs("button", { type: "button", className: "guatu-photo-thumb guatu-compare-thumb",
        "aria-label": t("wall.photo.open", { role: p.role_label }), dataset: { photo: p.id, role: p.role } });
      b.appendChild(elAttrs("img", { src: forDisplay(p.urls.preview || p.urls.thumb, token), alt: p.role_label }));
      L.DomEvent.on(b, "click", function () { openLightbox(items, all.indexOf(p)); });
      item.appendChild(b);
      item.appendChild(el("span", "guatu-photo-role", t("playback.photos.caption", { day: photoDay(p, timeZone), role: p.role_label })));
      list.appendChild(item);
    });
    if (mine.length > SHOWN) list.appendChild(el("li", "guatu-more", t("wall.photo.more", { n: mine.length - SHOWN })));
    box.appendChild(list);
  });
};
