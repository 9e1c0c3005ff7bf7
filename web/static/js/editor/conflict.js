/*
 * What a stale save in the editor is told: the place as the planner loaded
 * it against the place as the server has it now (the 409's `current`),
 * field by field. Pure: no DOM, no Leaflet; checked by tests/js/.
 */
import { t } from "../lib/messages.js";

// the fields compared, in the order they are listed
export var CONFLICT_FIELDS = ["name", "kind", "street", "community", "status", "deadline", "unit", "people", "notes", "problems"];

// The other person's changes, one text per changed field ("名称 → 新名字"),
// statuses by their label, and a line when the outline changed.
export function conflictChanges(mine, theirs, statuses) {
  var changed = [];
  CONFLICT_FIELDS.forEach(function (k) {
    if (JSON.stringify(mine.properties[k]) !== JSON.stringify(theirs.properties[k])) {
      var v = theirs.properties[k];
      if (k === "status" && statuses[v]) v = statuses[v].label;
      changed.push(t("editor.conflict.field", { field: t("editor.field." + k), value: typeof v === "object" ? JSON.stringify(v) : v }));
    }
  });
  if (JSON.stringify(mine.geometry) !== JSON.stringify(theirs.geometry)) changed.push(t("editor.conflict.geometry"));
  var photos = photoChanges(mine.properties.photos, theirs.properties.photos);
  if (photos.added || photos.removed) changed.push(t("editor.conflict.photos", photos));
  return changed;
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

// The whole explanation shown above the planner's choices.
export function conflictMessage(mine, theirs, statuses) {
  var changed = conflictChanges(mine, theirs, statuses);
  return t("editor.conflict.refused", {
    who: theirs.properties.updated_by,
    version: theirs.properties.version,
    changes: changed.join(";") || t("editor.conflict.nothing"),
  });
}
