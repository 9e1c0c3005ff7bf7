/*
 * A place's photos as the pages show them (pure: no DOM on import, so node's
 * test runner covers it): their image URLs, newest first, which to set
 * beside the playback's 整治前/整治后 maps, the day a photo was taken in the
 * campaign's time zone, and whether a dropped or pasted file is an image.
 *
 * A photo is an entry of the place's `photos` property (kept oldest first):
 * {id (sha256), role, problem, taken_at, taken_by, added_at, caption, …}.
 */

export var ROLES = ["place", "before", "after", "check", "inspection"];
export var VARIANTS = ["thumb", "preview", "full"];

// {thumb, preview, full} from the page's template ("/photos/__id__/__variant__.jpg"); an entry's own urls win
export function photoUrls(template, photo) {
  if (photo.urls) return photo.urls;
  var out = {};
  VARIANTS.forEach(function (v) {
    out[v] = template.replace("__id__", encodeURIComponent(photo.id)).replace("__variant__", v);
  });
  return out;
}

function when(photo) {
  return photo.taken_at || photo.added_at || "";
}

// newest first: the property keeps them in the order they were added (as geo/photos photos_of reads it)
export function newestFirst(photos) {
  return (photos || []).slice().reverse();
}

// The photos of one problem (pid), or of the place itself (pid null: those of no problem)
export function photosOf(photos, pid) {
  return newestFirst((photos || []).filter(function (p) { return (p.problem || null) === (pid || null); }));
}

// What the compare sets beside its two maps: the 整改前 and 整改后 photos (oldest first); when the place has
// neither role, its first photo before and its last after (one photo: before only)
export function beforeAfter(photos) {
  var oldest = (photos || []).slice();
  var before = oldest.filter(function (p) { return p.role === "before"; });
  var after = oldest.filter(function (p) { return p.role === "after"; });
  if (before.length || after.length) return { before: before, after: after };
  if (!oldest.length) return { before: [], after: [] };
  return { before: [oldest[0]], after: oldest.length > 1 ? [oldest[oldest.length - 1]] : [] };
}

// YYYY-MM-DD of when a photo was taken (else added), in the campaign's time zone
export function photoDay(photo, timeZone) {
  var at = new Date(when(photo));
  if (isNaN(at.getTime())) return "";
  var parts = new Intl.DateTimeFormat("en-CA", { timeZone: timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(at);
  var get = function (type) { return parts.filter(function (x) { return x.type === type; })[0].value; };
  return get("year") + "-" + get("month") + "-" + get("day");
}

// A file worth sending as a photo: an image type, or a phone's HEIC that the browser did not type
export function isImageFile(file) {
  if (!file) return false;
  if (/^image\//.test(file.type || "")) return true;
  return !file.type && /\.(heic|heif|jpe?g|png|webp)$/i.test(file.name || "");
}

// An image URL as a display link asks for it (an <img> sends no header: the link's token goes in the query)
export function forDisplay(url, token) {
  return token ? url + (url.indexOf("?") < 0 ? "?" : "&") + "display=" + encodeURIComponent(token) : url;
}
