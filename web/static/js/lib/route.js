/*
 * The inspection route's direction marks, shared by the wall and the phone
 * page: given the route's stops as screen points (in order), an arrow halfway
 * along each leg pointing the way. Pure: no DOM, no Leaflet.
 */

// [{x, y, angle}] for each leg at least `minLength` long: its midpoint and its direction in degrees,
// clockwise from east on a screen (y grows downwards), the rotation a right-pointing arrow needs.
export function legArrows(points, minLength) {
  var out = [];
  var min = minLength || 0;
  for (var i = 1; i < points.length; i += 1) {
    var a = points[i - 1];
    var b = points[i];
    var dx = b[0] - a[0];
    var dy = b[1] - a[1];
    if (Math.hypot(dx, dy) < min || (dx === 0 && dy === 0)) continue;
    out.push({ x: (a[0] + b[0]) / 2, y: (a[1] + b[1]) / 2, angle: Math.atan2(dy, dx) * 180 / Math.PI, leg: i });
  }
  return out;
}
