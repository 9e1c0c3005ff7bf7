/*
 * A stale save in the editor, worked out field by field: the place as the
 * planner loaded it (the base), what the planner has in the form now (mine)
 * and the place as the server has it (theirs, the 409's `current`). The
 * three-way diff lists only the fields where mine and theirs really differ,
 * with readable values; the merge takes the planner's choice per field and
 * gives the values to save on top of theirs. The ledger, photos and cases
 * are not the editor's: a save never sends them, so theirs are always kept
 * and only reported. Pure: no DOM, no Leaflet; checked by tests/js/.
 */
import { t } from "../lib/messages.js";

var GEOMETRY_EPSILON = 1e-7; // degrees (about 1 cm): the store rounds to 6 decimals

// The fields the editor's form edits, in the form's order: each {key, label};
// every 四包一 role is one field ("people.<role>").
export function editorFields(roles) {
  var fields = ["name", "kind", "street", "community", "status", "deadline", "unit"].map(function (k) {
    return { key: k, label: t("editor.field." + k) };
  });
  (roles || []).forEach(function (r) { fields.push({ key: "people." + r.key, label: r.label }); });
  fields.push({ key: "notes", label: t("editor.field.notes") });
  return fields;
}

// A field's value in a place's properties; empty text and a missing value are the same nothing.
export function fieldValue(props, key) {
  var v = key.indexOf("people.") === 0 ? ((props || {}).people || {})[key.slice(7)] : (props || {})[key];
  if (v === undefined || v === null) return null;
  if (typeof v === "string") {
    v = v.trim();
    return v === "" ? null : v;
  }
  return v;
}

function coordsEqual(a, b) {
  if (typeof a === "number" || typeof b === "number") {
    return typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= GEOMETRY_EPSILON;
  }
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (var i = 0; i < a.length; i++) if (!coordsEqual(a[i], b[i])) return false;
  return true;
}

// Whether two GeoJSON geometries are the same shape: same type and coordinates
// (to a centimetre), whatever the order of their keys.
export function sameGeometry(a, b) {
  if (!a || !b) return !a && !b;
  return a.type === b.type && coordsEqual(a.coordinates, b.coordinates);
}

function vertexCount(coords) {
  if (!Array.isArray(coords)) return 0;
  if (typeof coords[0] === "number") return 1;
  return coords.reduce(function (n, c) { return n + vertexCount(c); }, 0);
}

// A value as a person reads it: statuses by their label, nothing as (空).
export function readable(key, value, statuses) {
  if (value === null || value === undefined) return t("editor.conflict.empty");
  if (key === "status") return statuses && statuses[value] ? statuses[value].label : String(value);
  return String(value);
}

function readableShape(geometry, base) {
  if (sameGeometry(geometry, base)) return t("editor.conflict.shape_base");
  return t("editor.conflict.shape_changed", { points: vertexCount(geometry && geometry.coordinates) });
}

// The rows of the conflict table: only the fields where mine and theirs differ.
//   base:   the place as loaded (a GeoJSON feature)
//   mine:   {properties: the form's properties, geometry: the edited shape, or null when the shape was not touched}
//   theirs: the place as the server has it now
// Each row: {key, label, base, mine, theirs (values), text: {base, mine, theirs} (readable),
//            changedByMe, changedByThem, choice: "theirs" when they changed it, else "mine"}.
export function conflictRows(base, mine, theirs, options) {
  var o = options || {};
  var rows = [];
  editorFields(o.roles).forEach(function (f) {
    var b = fieldValue(base.properties, f.key);
    var m = fieldValue(mine.properties, f.key);
    var th = fieldValue(theirs.properties, f.key);
    if (m === th) return;
    rows.push({
      key: f.key, label: f.label, base: b, mine: m, theirs: th,
      text: { base: readable(f.key, b, o.statuses), mine: readable(f.key, m, o.statuses), theirs: readable(f.key, th, o.statuses) },
      changedByMe: m !== b, changedByThem: th !== b, choice: th !== b ? "theirs" : "mine",
    });
  });
  var myShape = mine.geometry || base.geometry;
  if (!sameGeometry(myShape, theirs.geometry)) {
    var byMe = !sameGeometry(myShape, base.geometry);
    var byThem = !sameGeometry(theirs.geometry, base.geometry);
    rows.push({
      key: "geometry", label: t("editor.conflict.shape"), base: base.geometry, mine: myShape, theirs: theirs.geometry,
      text: { base: t("editor.conflict.shape_base"), mine: readableShape(myShape, base.geometry), theirs: readableShape(theirs.geometry, base.geometry) },
      changedByMe: byMe, changedByThem: byThem, choice: byThem ? "theirs" : "mine",
    });
  }
  return rows;
}

// What the planner's save puts on top of theirs: for every row, the value chosen
// (choices: key -> "mine" | "theirs"; a row not named keeps its default).
// Returns {fields: key -> value for the form (every editor field, theirs where not chosen otherwise),
//          geometry: the shape to send, or null to keep theirs, version: theirs}.
export function mergeChoices(rows, theirs, choices, roles) {
  var fields = {};
  editorFields(roles).forEach(function (f) { fields[f.key] = fieldValue(theirs.properties, f.key); });
  var geometry = null;
  rows.forEach(function (row) {
    var choice = (choices && choices[row.key]) || row.choice;
    if (choice !== "mine") return;
    if (row.key === "geometry") geometry = row.mine;
    else fields[row.key] = row.mine;
  });
  return { fields: fields, geometry: geometry, version: theirs.properties.version };
}

// How many photos the other person added and removed (a save never sends the photo list, so it keeps theirs)
export function photoChanges(mine, theirs) {
  var ids = function (list) { return (list || []).map(function (p) { return p.id; }); };
  var before = ids(mine);
  var after = ids(theirs);
  return {
    added: after.filter(function (id) { return before.indexOf(id) < 0; }).length,
    removed: before.filter(function (id) { return after.indexOf(id) < 0; }).length,
  };
}

// The ledger's problems the other person added, changed or removed (kept by every save: the editor never sends them)
export function problemChanges(mine, theirs) {
  var index = function (list) {
    var out = {};
    (list || []).forEach(function (p) { out[p.id] = JSON.stringify(p); });
    return out;
  };
  var before = index(mine);
  var after = index(theirs);
  var added = 0;
  var changed = 0;
  Object.keys(after).forEach(function (id) {
    if (!(id in before)) added++;
    else if (before[id] !== after[id]) changed++;
  });
  var removed = Object.keys(before).filter(function (id) { return !(id in after); }).length;
  return { added: added, changed: changed, removed: removed };
}

// Sentences about what the other person changed that no save touches (ledger, photos): kept as they are.
export function keptChanges(base, theirs) {
  var out = [];
  var problems = problemChanges(base.properties.problems, theirs.properties.problems);
  if (problems.added || problems.changed || problems.removed) out.push(t("editor.conflict.ledger_kept", problems));
  var photos = photoChanges(base.properties.photos, theirs.properties.photos);
  if (photos.added || photos.removed) out.push(t("editor.conflict.photos", photos));
  return out;
}

// The sentence above the table: who saved, their version, and what to do.
export function conflictIntro(theirs, rows) {
  var p = theirs.properties;
  return t(rows.length ? "editor.conflict.intro" : "editor.conflict.intro_none", { who: p.updated_by || "—", version: p.version });
}
