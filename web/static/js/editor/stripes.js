/*
 * Stripes on the editor's map, as the wall draws them (wall/canvas.js): a status the palette marks
 * `hatch` (the demo's 待整改 and 反弹) fills its places with its colour crossed by diagonal stripes in the
 * ink that shows on it, and draws its lines (roads drawn as lines) dashed — a cue besides colour for a
 * colour-blind planner or a greyscale screen. The editor draws on one Leaflet canvas, whose fill takes a
 * canvas pattern as well as a colour.
 */
import { inkOn } from "../lib/dom.js";

var SIZE = 10; // px between the stripes
export var LINE_DASH = "10 6"; // px drawn, px left out: a hatched status's lines

var patterns = {};

// The colour crossed by stripes, as a pattern for a canvas fill (one per colour, made once).
export function stripedFill(colour) {
  if (patterns[colour]) return patterns[colour];
  var tile = document.createElement("canvas");
  tile.width = tile.height = SIZE;
  var ctx = tile.getContext("2d");
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, SIZE, SIZE);
  ctx.strokeStyle = inkOn(colour);
  ctx.lineWidth = 1.6;
  ctx.beginPath(); // one stripe from corner to corner, and the two halves that make it seamless
  ctx.moveTo(0, SIZE); ctx.lineTo(SIZE, 0);
  ctx.moveTo(-SIZE / 2, SIZE / 2); ctx.lineTo(SIZE / 2, -SIZE / 2);
  ctx.moveTo(SIZE / 2, SIZE * 1.5); ctx.lineTo(SIZE * 1.5, SIZE / 2);
  ctx.stroke();
  patterns[colour] = ctx.createPattern(tile, "repeat");
  return patterns[colour];
}

// Whether a GeoJSON geometry is drawn as a line (a road as a centre line) rather than filled.
export function isLine(geometry) {
  return !!geometry && /LineString$/.test(geometry.type);
}
