/*
 * Where a photo was taken, from the device's last position fix (pure: no DOM, so node's test runner covers it).
 * A fix counts while it is not lost (field/map.js forgets it when the GPS reports an error) and not older than
 * FIX_MAX_AGE_MS: a phone whose GPS went quiet must not stamp photos with where it was long before; no position is
 * better than a wrong one (the server then tells the photo by its place alone).
 */
export var FIX_MAX_AGE_MS = 10 * 60 * 1000; // (a phone standing still may not report again for minutes)

// fix: {lon, lat, at (ms)} or null; now: ms. {lon, lat}, both null when there is no recent fix.
export function photoPosition(fix, now) {
  if (!fix || typeof fix.at !== "number" || now - fix.at > FIX_MAX_AGE_MS) return { lon: null, lat: null };
  return { lon: fix.lon, lat: fix.lat };
}
