/*
 * The dots and boxes of a large layer: its places too small to see at the
 * viewport's zoom, which the server sends as one point each, and those a few
 * pixels across, sent as a box each (geo/viewport.py `small_places`). At the
 * whole district's zoom that is nearly every place, and at a million places a
 * 4K screen at zoom 15 still holds 400,000 boxes: they cannot each be a Place
 * with its own arrays, style and path. A DotField holds them as columns
 * instead —
 *
 *   ids, lng/lat            as the viewport sent them (a box's centre)
 *   half                    a box's half sides in degrees (0, 0 for a dot), or
 *                           null when the viewport sent no box
 *   look                    one byte per dot: 0 hidden, else 1 + its colour's
 *                           index in the wall's palette (set from the state,
 *                           so a status change restyles a dot without a fetch)
 *   x/y, w/h                screen pixels (a box's half sides), projected once
 *                           per zoom
 *   marked                  one byte per dot: its state's flags while shown
 *                           (overdue, overnight, the escalation level): the
 *                           marks' canvases draw its ring and triangle from it
 *   numbers                 each id's number, when the ids came packed
 *
 * and paints them as pixels: each dot a small disc and each box a rectangle
 * with a darker rim (its overdue ring a wider one under it), written straight
 * into an image (`paintPixels`, no path and no draw call per place), which the
 * canvas then draws in one call, in the layer's turn. A dot or box is made a
 * Place only when one is needed (a card, a tooltip, a flash, a name among the
 * worst).
 *
 * Pure but for `paint` and `paintHalos` (no Leaflet), so node's test runner checks it.
 */
import { IdIndex, sameForm } from "./ids.js";
import { Place } from "./place.js";

export var HIDDEN = 0;
var DOT = 6; // the packed geometry type of a dot (geo/viewport.py DOT_CODE)
var RIMMED = 5; // px: a box this wide each way or more gets a rim (smaller, a rim would be most of it)

// `form` (optional): {prefix, width} of the viewport's ids when they came packed (wall/ids.js); `half` (optional):
// each one's half sides in degrees, lng0, lat0, lng1, lat1, … (0, 0 for a dot), when some are boxes; `numbers`
// (optional, with `form`): each id's number, so that finding a dot, or a dot in the state, reads no digits.
export function DotField(layerId, ids, lngLat, form, half, numbers) {
  this.layerId = layerId;
  this.ids = ids; // [id] of each dot
  this.lngLat = lngLat; // Float64Array lng0, lat0, lng1, lat1, …
  this.half = half || null; // Float64Array of the boxes' half sides, or null
  this.n = ids.length;
  this.look = new Uint8Array(this.n);
  this.xy = new Float32Array(2 * this.n); // layer pixels, after `project`
  this.wh = this.half ? new Float32Array(2 * this.n) : null; // a box's half sides in layer pixels, after `project`
  this.epoch = 0; // the projection `xy` belongs to (canvas.js PlaceCanvas._project)
  this.marked = new Uint8Array(this.n); // the flags each dot's marks were drawn for (overdue, overnight, escalated)
  this.names = null; // id -> attributes, when the viewport came with them
  this.form = form || null;
  this.numbers = form && numbers ? numbers : null; // Float64Array, or null
  this._index = null; // id -> index (wall/ids.js), built when first asked
  this._made = {}; // id -> Place made for it (kept, so the tooltip and the card see one object)
}

// What `placesFromPacked` (wall/place.js) collects a viewport's dots and boxes into; `numbers` (optional): the
// numbers of the document's ids (wall/ids.js `unpackNumbers`), the dots' taken with them.
export function dotCollector(numbers) {
  return { ids: [], lngLat: [], half: [], boxes: 0, from: numbers || null, numbers: numbers ? [] : null };
}

// The DotField of what a collector holds from viewport document `doc`, or null when it holds nothing.
DotField.collected = function (layerId, dots, doc) {
  if (!dots.ids.length) return null;
  return new DotField(layerId, dots.ids, Float64Array.from(dots.lngLat),
                      Array.isArray(doc.ids) ? null : { prefix: doc.ids.prefix, width: doc.ids.width },
                      dots.boxes ? Float64Array.from(dots.half) : null, dots.numbers && Float64Array.from(dots.numbers));
};

// Whether dot `i` is a box.
DotField.prototype.isBox = function (i) {
  return !!this.half && (this.half[2 * i] !== 0 || this.half[2 * i + 1] !== 0);
};

DotField.prototype.index = function () {
  if (!this._index) {
    var ids = this.ids;
    this._index = this.numbers ? IdIndex.ofNumbers(this.form, this.numbers, function () { return ids; })
      : IdIndex.ofIds(ids, this.form);
  }
  return this._index;
};

// The index of a dot by its place id, or -1.
DotField.prototype.indexOf = function (id) {
  var at = this.index().get(id);
  return at === undefined ? -1 : at;
};

// How many dots are shown (not hidden by a filter or the view's scope).
DotField.prototype.count = function () {
  var n = 0;
  for (var i = 0; i < this.n; i++) if (this.look[i] !== HIDDEN) n++;
  return n;
};

// Each dot's position in a layer's state items (wall/state.js PlaceItems), -1 for a dot the state does not have.
DotField.prototype.positionsIn = function (items) {
  var out = new Int32Array(this.n), index = items.index, ids = this.ids;
  var numbers = this.numbers && sameForm(index, this.form) ? this.numbers : null; // (no digits read)
  for (var i = 0; i < this.n; i++) {
    var at = numbers ? index.getNumbered(numbers[i], ids[i]) : index.get(ids[i]);
    out[i] = at === undefined ? -1 : at;
  }
  return out;
};

// The dot as a Place (its card, tooltip, flash, outline): made once per dot; a box is a Polygon of its corners.
DotField.prototype.place = function (i) {
  var id = this.ids[i];
  var place = this._made[id];
  if (!place) {
    var x = this.lngLat[2 * i], y = this.lngLat[2 * i + 1];
    if (this.isBox(i)) {
      var hx = this.half[2 * i], hy = this.half[2 * i + 1];
      place = new Place(id, this.layerId, 0, [Float64Array.of(x - hx, y - hy, x + hx, y - hy, x + hx, y + hy, x - hx, y + hy)]);
    } else {
      place = new Place(id, this.layerId, DOT, [Float64Array.of(x, y)]);
    }
    this._made[id] = place;
  }
  place.visible = this.look[i] !== HIDDEN;
  return place;
};

// Every Place made so far (their names are set when the layer's attributes come).
DotField.prototype.made = function () {
  var made = this._made;
  return Object.keys(made).map(function (id) { return made[id]; });
};

// [west, south, east, north] of the shown dots and boxes (`all`: of every one, shown or not), or null.
DotField.prototype.bounds = function (all) {
  var w = Infinity, s = Infinity, e = -Infinity, n = -Infinity, half = this.half;
  for (var i = 0; i < this.n; i++) {
    if (!all && this.look[i] === HIDDEN) continue;
    var x = this.lngLat[2 * i], y = this.lngLat[2 * i + 1];
    var hx = half ? half[2 * i] : 0, hy = half ? half[2 * i + 1] : 0;
    if (x - hx < w) w = x - hx;
    if (x + hx > e) e = x + hx;
    if (y - hy < s) s = y - hy;
    if (y + hy > n) n = y + hy;
  }
  return w <= e ? [w, s, e, n] : null;
};

// `to(lng, lat, out, i)` writes layer pixels (canvas.js `projector`); a box's half sides are its corner's
// distance from its centre.
DotField.prototype.project = function (to) {
  var ll = this.lngLat, half = this.half, xy = new Float64Array(4);
  for (var i = 0; i < this.n; i++) {
    to(ll[2 * i], ll[2 * i + 1], xy, 0);
    this.xy[2 * i] = xy[0];
    this.xy[2 * i + 1] = xy[1];
    if (this.isBox(i)) {
      to(ll[2 * i] + half[2 * i], ll[2 * i + 1] + half[2 * i + 1], xy, 2);
      this.wh[2 * i] = Math.abs(xy[2] - xy[0]);
      this.wh[2 * i + 1] = Math.abs(xy[3] - xy[1]);
    }
  }
};

// The topmost shown dot or box within `reach` pixels of a layer point, or -1 (dots painted later lie on top).
DotField.prototype.nearest = function (x, y, reach) {
  var xy = this.xy, wh = this.wh, r2 = reach * reach;
  for (var i = this.n - 1; i >= 0; i--) {
    if (this.look[i] === HIDDEN) continue;
    var dx = xy[2 * i] - x, dy = xy[2 * i + 1] - y;
    if (this.isBox(i)) {
      if (Math.abs(dx) <= wh[2 * i] + reach && Math.abs(dy) <= wh[2 * i + 1] + reach) return i;
    } else if (dx * dx + dy * dy <= r2) return i;
  }
  return -1;
};

// The pixel offsets of a disc of `radius` device pixels, as [dx0, dy0, dx1, dy1, …].
export function discOffsets(radius) {
  var out = [];
  var r = Math.max(0.5, radius);
  var k = Math.ceil(r - 0.5);
  for (var dy = -k; dy <= k; dy++) {
    for (var dx = -k; dx <= k; dx++) if (dx * dx + dy * dy <= r * r) out.push(dx, dy);
  }
  return Int32Array.from(out);
}

// A colour "#rrggbb" as one pixel of a little-endian RGBA image (what Uint32Array over ImageData reads).
export function pixelOf(colour) {
  var m = /^#([0-9a-f]{6})$/i.exec(colour || "");
  var v = m ? parseInt(m[1], 16) : 0x9e9e9e;
  return (0xff000000 | ((v & 0xff) << 16) | (v & 0xff00) | ((v >> 16) & 0xff)) >>> 0;
}

// A pixel darkened as lib/dom.js `darken` darkens a colour by `amount` (an outline's ink on its fill).
export function darkerPixel(pixel, amount) {
  var f = function (c) { return Math.round(c * (1 - amount)); };
  return ((pixel & 0xff000000) | (f((pixel >>> 16) & 0xff) << 16) | (f((pixel >>> 8) & 0xff) << 8) | f(pixel & 0xff)) >>> 0;
}

// Fill the rectangle [x0, x1) × [y0, y1) of a width × height image (clipped to it) with `colour`.
function fillRect(pixels, width, height, x0, y0, x1, y1, colour) {
  x0 = Math.max(0, x0); y0 = Math.max(0, y0); x1 = Math.min(width, x1); y1 = Math.min(height, y1);
  for (var y = y0; y < y1; y++) pixels.fill(colour, y * width + x0, y * width + x1);
}

// Box `i`'s pixels, [x0, y0, x1, y1) into `rect`: its edges rounded to the pixel (boxes side by side share their
// edge), at least a pixel each way.
function boxPixels(field, i, left, top, ratio, rect) {
  var cx = (field.xy[2 * i] - left) * ratio, cy = (field.xy[2 * i + 1] - top) * ratio;
  var hw = field.wh[2 * i] * ratio, hh = field.wh[2 * i + 1] * ratio;
  rect[0] = Math.round(cx - hw);
  rect[1] = Math.round(cy - hh);
  rect[2] = Math.max(rect[0] + 1, Math.round(cx + hw));
  rect[3] = Math.max(rect[1] + 1, Math.round(cy + hh));
  return rect;
}

// [x0, y0, x1, y1] clipped to a width × height image, or null when nothing was written.
function written(box, width, height) {
  return box[0] < box[2] ? [Math.max(0, box[0]), Math.max(0, box[1]), Math.min(width, box[2]), Math.min(height, box[3])] : null;
}

function grow(box, a, b, c, d) {
  if (a < box[0]) box[0] = a;
  if (b < box[1]) box[1] = b;
  if (c > box[2]) box[2] = c;
  if (d > box[3]) box[3] = d;
}

// Write the shown dots and boxes into `pixels` (a width × height image, row by row), in `palette[look - 1]`: a dot
// a disc of `offsets` around its pixel `(x - left) * ratio`, `(y - top) * ratio`; a box the rectangle of its sides,
// at its own size (where a dot is drawn larger than it is, to be seen at all), with a rim of a pixel in
// `rims[look - 1]` (optional) when it is RIMMED pixels or more each way. Returns the box written, [x0, y0, x1, y1]
// (exclusive ends), or null.
export function paintPixels(pixels, width, height, field, left, top, ratio, offsets, palette, rims) {
  var xy = field.xy, look = field.look;
  var box = [width, height, 0, 0];
  var m = offsets.length, reach = 0, k;
  for (k = 0; k < m; k++) reach = Math.max(reach, Math.abs(offsets[k]));
  var r = new Int32Array(4);
  for (var i = 0; i < field.n; i++) {
    var l = look[i];
    if (l === HIDDEN) continue;
    var colour = palette[l - 1];
    if (field.isBox(i)) {
      boxPixels(field, i, left, top, ratio, r);
      if (r[2] <= 0 || r[3] <= 0 || r[0] >= width || r[1] >= height) continue;
      var rim = rims && r[2] - r[0] >= RIMMED && r[3] - r[1] >= RIMMED ? rims[l - 1] : colour;
      fillRect(pixels, width, height, r[0], r[1], r[2], r[3], rim);
      if (rim !== colour) fillRect(pixels, width, height, r[0] + 1, r[1] + 1, r[2] - 1, r[3] - 1, colour);
      grow(box, r[0], r[1], r[2], r[3]);
      continue;
    }
    var px = Math.round((xy[2 * i] - left) * ratio), py = Math.round((xy[2 * i + 1] - top) * ratio);
    if (px < -reach || py < -reach || px >= width + reach || py >= height + reach) continue;
    if (px >= reach && py >= reach && px < width - reach && py < height - reach) { // wholly inside: no checks
      var at = py * width + px;
      for (k = 0; k < m; k += 2) pixels[at + offsets[k + 1] * width + offsets[k]] = colour;
    } else {
      for (k = 0; k < m; k += 2) {
        var x = px + offsets[k], y = py + offsets[k + 1];
        if (x >= 0 && y >= 0 && x < width && y < height) pixels[y * width + x] = colour;
      }
    }
    grow(box, px - reach, py - reach, px + reach + 1, py + reach + 1);
  }
  return written(box, width, height);
}

// Write the overdue rings of the shown boxes (`marked` & 1) into `pixels` as `paintPixels` lays the boxes out: a
// square of `reach` pixels beyond each box, in `colour`. They are drawn before any place's fill, as the overdue
// rings of the places drawn as outlines are (canvas.js PlaceCanvas._draw), so every fill lies on them. Returns the
// box written, or null.
export function paintHalos(pixels, width, height, field, left, top, ratio, colour, reach) {
  var wh = field.wh, look = field.look;
  var box = [width, height, 0, 0];
  if (!wh) return null;
  var h = Math.round(reach * ratio), r = new Int32Array(4);
  for (var i = 0; i < field.n; i++) {
    if (look[i] === HIDDEN || !(field.marked[i] & 1) || !field.isBox(i)) continue;
    boxPixels(field, i, left, top, ratio, r);
    if (r[2] + h <= 0 || r[3] + h <= 0 || r[0] - h >= width || r[1] - h >= height) continue;
    fillRect(pixels, width, height, r[0] - h, r[1] - h, r[2] + h, r[3] + h, colour);
    grow(box, r[0] - h, r[1] - h, r[2] + h, r[3] + h);
  }
  return written(box, width, height);
}

// The image dots are written into before they are drawn: one per page, of the canvas's size, shared by every
// field (a field paints and draws it whole before the next one), so a new viewport allocates no 4K image.
var sheet = null;

// Draw the dots and boxes on a Leaflet canvas (its context translated by -bounds.min, scaled by its pixel ratio):
// written into the sheet, which is then drawn in one call. `rims`: as `paintPixels` takes them. `halos` (optional,
// {halo, reach}: as `paintHalos` takes them): the boxes' overdue rings written first, in the same sheet, as
// `paintHalos` draws them (at 95 % opacity), when nothing is drawn under the field that they could cover.
DotField.prototype.paint = function (ctx, bounds, radius, palette, rims, halos) {
  var self = this;
  blit(ctx, bounds, function (pixels, width, height, ratio) {
    var under = halos ? paintHalos(pixels, width, height, self, bounds.min.x, bounds.min.y, ratio,
                                   withAlpha(halos.halo, HALO_ALPHA), halos.reach) : null;
    var box = paintPixels(pixels, width, height, self, bounds.min.x, bounds.min.y, ratio, discOffsets(radius * ratio), palette, rims);
    return under && box ? [Math.min(under[0], box[0]), Math.min(under[1], box[1]), Math.max(under[2], box[2]),
                           Math.max(under[3], box[3])] : under || box;
  });
};

export var HALO_ALPHA = 0.95; // the overdue rings' opacity (canvas.js PlaceCanvas._draw draws every ring so)

// A pixel (`pixelOf`) at `alpha` opacity.
function withAlpha(pixel, alpha) {
  return ((pixel & 0x00ffffff) | (Math.round(alpha * 255) << 24)) >>> 0;
}

// Draw the overdue rings of the boxes (`paintHalos`), before any place's fill: nothing (no copy of the sheet) when
// no shown box is overdue.
DotField.prototype.paintHalos = function (ctx, bounds, colour, reach) {
  if (!this.half) return;
  var self = this;
  blit(ctx, bounds, function (pixels, width, height, ratio) { // (drawn at the context's opacity: HALO_ALPHA)
    return paintHalos(pixels, width, height, self, bounds.min.x, bounds.min.y, ratio, colour, reach);
  });
};

// `write(pixels, width, height, ratio)` writes into the sheet (returning the box written, or null), which is then
// drawn on the canvas in one call; only the box written last is cleared first.
function blit(ctx, bounds, write) {
  var canvas = ctx.canvas;
  if (!canvas.width || !canvas.height) return; // a canvas cropped to nothing (canvas.js Cropped): no pixel to paint
  var ratio = canvas.width / Math.max(1, bounds.max.x - bounds.min.x);
  if (!sheet || sheet.canvas.width !== canvas.width || sheet.canvas.height !== canvas.height) {
    var c = document.createElement("canvas");
    c.width = canvas.width;
    c.height = canvas.height;
    var cc = c.getContext("2d");
    var image = cc.createImageData(c.width, c.height);
    sheet = { canvas: c, ctx: cc, image: image, pixels: new Uint32Array(image.data.buffer), box: null };
  }
  var w = sheet.canvas.width;
  if (sheet.box) { // clear what the last paint wrote
    for (var y = sheet.box[1]; y < sheet.box[3]; y++) sheet.pixels.fill(0, y * w + sheet.box[0], y * w + sheet.box[2]);
  }
  var box = write(sheet.pixels, w, sheet.canvas.height, ratio);
  sheet.box = box;
  if (!box) return;
  // (only the box written goes to the sheet's canvas, and only it is drawn from there: what lies outside it there
  // is never drawn, and the image is cleared outside it)
  sheet.ctx.putImageData(sheet.image, 0, 0, box[0], box[1], box[2] - box[0], box[3] - box[1]);
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(sheet.canvas, box[0], box[1], box[2] - box[0], box[3] - box[1], box[0], box[1], box[2] - box[0], box[3] - box[1]);
  ctx.restore();
}
