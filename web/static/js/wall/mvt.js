/*
 * A Mapbox Vector Tile read into what the wall's tile painter (wall/tiled.js) draws: per feature its place's id,
 * its kind of shape, its rings as Int32Arrays of tile units (x0, y0, x1, y1, …) and its box. The tiles are
 * geo/tiles.py's: one MVT layer named after the campaign layer, a place's id in the property `id`, `count` on a
 * point that stands for several places too small to see.
 *
 * The protocol buffers are read with pbf (vendored); the geometry's commands (MVT 2.1, 4.3) are decoded straight
 * into typed arrays, with no object per vertex: a 4K screen of a million-place campaign holds some 400,000 outlines.
 * No Leaflet here, so node's test runner imports it.
 */
import { PbfReader } from "../../vendor/pbf/pbf.js";

export var POINT = 1;
export var LINE = 2;
export var POLYGON = 3;

function readValue(tag, value, pbf) {
  if (tag === 1) value.v = pbf.readString();
  else if (tag === 2) value.v = pbf.readFloat();
  else if (tag === 3) value.v = pbf.readDouble();
  else if (tag === 4) value.v = pbf.readVarint(true);
  else if (tag === 5) value.v = pbf.readVarint();
  else if (tag === 6) value.v = pbf.readSVarint();
  else if (tag === 7) value.v = pbf.readBoolean();
}

function readFeature(tag, feature, pbf) {
  if (tag === 1) feature.id = pbf.readVarint();
  else if (tag === 2) feature.tags = pbf.readPackedVarint([]);
  else if (tag === 3) feature.type = pbf.readVarint();
  else if (tag === 4) feature.commands = pbf.readPackedVarint([]);
}

function readLayer(tag, layer, pbf) {
  if (tag === 1) layer.name = pbf.readString();
  else if (tag === 2) layer.raw.push(pbf.readMessage(readFeature, { id: 0, tags: [], type: 0, commands: [] }));
  else if (tag === 3) layer.keys.push(pbf.readString());
  else if (tag === 4) layer.values.push(pbf.readMessage(readValue, { v: null }).v);
  else if (tag === 5) layer.extent = pbf.readVarint();
}

// MoveTo (1) starts a ring (a point, for points), LineTo (2) continues it, ClosePath (7) ends it: the painter
// closes rings itself. Parameters are zigzag-encoded deltas from the last position.
export function decodeGeometry(commands) {
  var rings = [];
  var ring = null;
  var x = 0, y = 0;
  var i = 0;
  while (i < commands.length) {
    var command = commands[i++];
    var id = command & 7, count = command >> 3;
    if (id !== 1 && id !== 2) continue; // ClosePath
    for (var k = 0; k < count; k++) {
      var dx = commands[i++], dy = commands[i++];
      x += (dx >>> 1) ^ -(dx & 1);
      y += (dy >>> 1) ^ -(dy & 1);
      if (id === 1) {
        if (ring) rings.push(Int32Array.from(ring));
        ring = [x, y];
      } else ring.push(x, y);
    }
  }
  if (ring) rings.push(Int32Array.from(ring));
  return rings;
}

function boxOf(rings) {
  var box = [Infinity, Infinity, -Infinity, -Infinity];
  rings.forEach(function (xy) {
    for (var i = 0; i < xy.length; i += 2) {
      if (xy[i] < box[0]) box[0] = xy[i];
      if (xy[i] > box[2]) box[2] = xy[i];
      if (xy[i + 1] < box[1]) box[1] = xy[i + 1];
      if (xy[i + 1] > box[3]) box[3] = xy[i + 1];
    }
  });
  return box;
}

// The features of the tile's layer `layerName` (an ArrayBuffer or Uint8Array): {extent, features: [{id, type,
// count, rings, box}]} in the tile's order (the layer's); no layer of that name: no features.
export function readTile(buffer, layerName) {
  var pbf = new PbfReader(buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer));
  var found = null;
  pbf.readFields(function (tag, _, reader) {
    if (tag !== 3) return;
    var layer = reader.readMessage(readLayer, { name: "", extent: 4096, keys: [], values: [], raw: [] });
    if (layer.name === layerName) found = layer;
  }, null);
  if (!found) return { extent: 4096, features: [] };
  var features = found.raw.map(function (raw) {
    var props = {};
    for (var i = 0; i + 1 < raw.tags.length; i += 2) props[found.keys[raw.tags[i]]] = found.values[raw.tags[i + 1]];
    var rings = decodeGeometry(raw.commands);
    return { id: props.id !== undefined ? String(props.id) : String(raw.id), type: raw.type, count: props.count || 1,
             rings: rings, box: boxOf(rings) };
  });
  return { extent: found.extent, features: features };
}
