/*
 * Decoding what the server packs for the wall (geo/wall/codec.py: pack_ids,
 * packed_geometry, binary_body, packed_attributes, the packed state):
 * packed ids, the binary shapes file, the attributes part, a packed full
 * state, the coordinates of a packed shapes document. Pure functions: no
 * DOM, no Leaflet, so node's test runner checks them against files made by
 * geo's own codec (tests/js/).
 */

import { IdIndex, unpackIds } from "./ids.js";
import { PlaceItems, itemsOf } from "./state.js";

export { unpackIds };

// The binary form (geo/wall/codec.py binary_body; docs/packed-shapes.md): "GTU1", header length,
// JSON header, then int32 coordinates in four byte planes.
export function decodeBinary(buffer) {
  var bytes = new Uint8Array(buffer);
  if (String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]) !== "GTU1") throw new Error("not a Guatu shapes file");
  var size = new DataView(buffer).getUint32(4, true);
  var doc = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + size)));
  var n = doc.geometry.n;
  var base = 8 + size;
  var coords = new Int32Array(n);
  for (var i = 0; i < n; i++) {
    coords[i] = bytes[base + i] | (bytes[base + n + i] << 8) | (bytes[base + 2 * n + i] << 16) | (bytes[base + 3 * n + i] << 24);
  }
  doc.geometry.coords = coords;
  return doc;
}

// The attributes part: id -> {name, kind, street, community}
export function decodeAttributes(doc) {
  var ids = unpackIds(doc.ids);
  var out = {};
  for (var i = 0; i < ids.length; i++) {
    out[ids[i]] = {
      name: doc.name[i],
      kind: doc.kinds[doc.kind[i]] || null,
      street: doc.streets[doc.street[i]] || null,
      community: doc.communities[doc.community[i]] || null,
    };
  }
  return out;
}

// A full state as the wall holds it: each layer's items as columns (`PlaceItems`, wall/state.js), taken as
// they come in a packed state (no array made per place); a state in the object-per-place form (id -> item)
// is given its columns too. A delta is left as it is (it is merged into the columns held).
export function unpackState(body) {
  if (body.kind === "delta") return body;
  Object.keys(body.layers).forEach(function (layerId) {
    var l = body.layers[layerId];
    if (body.format !== "packed-1") {
      itemsOf(l);
      return;
    }
    var ids = unpackIds(l.ids);
    l.items = new PlaceItems(body.statuses, ids, l.status, l.flags, l.open, l.overdue_problems, l.categories,
                             IdIndex.ofPacked(l.ids, ids));
    delete l.ids; delete l.status; delete l.flags; delete l.open; delete l.overdue_problems; delete l.categories;
  });
  return body;
}

// Coordinates of a packed shapes document, one Float64Array per ring (or
// line, or list of points) of lng0, lat0, lng1, lat1, …; `each(index, type,
// rings, polys)` is called per place (polys: rings per polygon of a MultiPolygon).
// geometry.types: 0 Polygon, 1 MultiPolygon, 2 LineString, 3 MultiLineString,
// 4 Point, 5 MultiPoint, 6 a dot (a place too small to see, viewport shapes), 7 a box (a place a few pixels
// across: its centre, then its north-east corner; geo/viewport.py `small_places`).
// With `dot(index, lng, lat, halfLng, halfLat)`, dots and boxes are given to it instead, with no array made for
// each (a dot's half sides 0); without, a box is a Polygon of its four corners.
// With `wanted(index)`, a place it answers false for is passed over: no array made, `each` not called.
export function eachPackedShape(doc, each, dot, wanted) {
  var g = doc.geometry, coords = g.coords, parts = g.parts, scale = doc.scale;
  var ci = 0, pi = 0, x = 0, y = 0;
  var skip = false;
  function run(n) {
    if (skip) { // the coordinates are differences: summed, but kept nowhere
      for (var j = 0; j < n; j++) {
        x += coords[ci++];
        y += coords[ci++];
      }
      return null;
    }
    var xy = new Float64Array(2 * n);
    for (var i = 0; i < n; i++) {
      x += coords[ci++];
      y += coords[ci++];
      xy[2 * i] = x / scale;
      xy[2 * i + 1] = y / scale;
    }
    return xy;
  }
  for (var i = 0; i < g.types.length; i++) {
    var t = g.types[i], rings = [], polys = null, r, k;
    if ((t === 6 || t === 7) && dot) {
      x += coords[ci++];
      y += coords[ci++];
      var cx = x, cy = y;
      if (t === 7) {
        x += coords[ci++];
        y += coords[ci++];
      }
      dot(i, cx / scale, cy / scale, (x - cx) / scale, (y - cy) / scale);
      continue;
    }
    if (t === 7) {
      x += coords[ci++];
      y += coords[ci++];
      var ox = x, oy = y;
      x += coords[ci++];
      y += coords[ci++];
      var hx = x - ox, hy = y - oy;
      if (wanted && !wanted(i)) continue;
      if (!hx || !hy) each(i, 6, [Float64Array.of(ox / scale, oy / scale)], null); // (no area at the scale sent: a dot)
      else {
        each(i, 0, [Float64Array.of((ox - hx) / scale, (oy - hy) / scale, (ox + hx) / scale, (oy - hy) / scale,
                                    (ox + hx) / scale, (oy + hy) / scale, (ox - hx) / scale, (oy + hy) / scale)], null);
      }
      continue;
    }
    skip = !!wanted && !wanted(i);
    if (t === 0) {
      for (r = parts[pi++]; r > 0; r--) rings.push(run(parts[pi++]));
    } else if (t === 1) {
      polys = [];
      for (k = parts[pi++]; k > 0; k--) {
        var nr = parts[pi++];
        polys.push(nr);
        for (r = 0; r < nr; r++) rings.push(run(parts[pi++]));
      }
    } else if (t === 2 || t === 5) {
      rings.push(run(parts[pi++]));
    } else if (t === 3) {
      for (k = parts[pi++]; k > 0; k--) rings.push(run(parts[pi++]));
    } else {
      rings.push(run(1));
    }
    if (!skip) each(i, t, rings, polys);
  }
}
