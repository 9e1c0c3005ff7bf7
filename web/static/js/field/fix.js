/*
 * Where a photo was taken, from the device's last position fix (pure: no DOM, so node's test runner covers it).
 * A fix counts only while it is recent: a phone that lost its GPS (indoors, a stairwell) must not stamp later
 * photos with where it was minutes before; no position is better than a wrong one (the server then tells the photo
 * by its place alone).
 */
export var FIX_MAX_AGE_MS = 2 * 60 * 1000;

// fix: {lon, lat, at (ms)} or null; now: ms. {lon, lat}, both null when there is no recent fix.
export function photoPosition(fix, now) {
  if (!fix || typeof fix.at !== "number" || now - fix.at > FIX_MAX_AGE_MS) return { lon: null, lat: null };
  return { lon: fix.lon, lat: fix.lat };
}
