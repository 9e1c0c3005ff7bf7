/*
 * Applying a state answer of /api/wall/state to the state a wall holds: a
 * full state replaces it, a delta (`?since=`) is merged into it. Pure: it
 * says which places changed their look and which were removed, and the wall
 * map restyles or drops them (wall/sync.js). Checked by tests/js/.
 *
 * A place's item: [status, overdue 0|1, overnight 0|1, open problems,
 * overdue problems, (category indices), (escalated 1|2: an open case gone up
 * to the sub-district or the district)].
 */

// Whether two items look the same on the map.
export function sameItem(a, b) {
  if (!a || !b) return false;
  for (var i = 0; i < 5; i++) if (a[i] !== b[i]) return false;
  return String(a[5] || "") === String(b[5] || "") && (a[6] || 0) === (b[6] || 0);
}

// Merge `body` (full or delta) into `previous` (null before the first answer).
// Returns {state, changed: [[layerId, id]], removed: [[layerId, id]]}; a delta
// updates `previous` in place and returns it as `state`.
export function mergeState(previous, body) {
  var changed = [];
  var removed = [];
  if (body.kind === "delta" && previous) {
    Object.keys(body.layers).forEach(function (layerId) {
      var into = previous.layers[layerId] || (previous.layers[layerId] = { features: {} });
      var delta = body.layers[layerId];
      into.revision = delta.revision;
      into.shapes = delta.shapes;
      Object.keys(delta.features).forEach(function (id) {
        var before = into.features[id];
        into.features[id] = delta.features[id];
        if (!sameItem(before, delta.features[id])) changed.push([layerId, id]);
      });
      (delta.removed || []).forEach(function (id) {
        delete into.features[id];
        removed.push([layerId, id]);
      });
    });
    previous.revision = body.revision;
    previous.head = body.head;
    previous.day = body.day;
    previous.after_cutoff = body.after_cutoff;
    previous.moment = body.moment;
    if (body.as_of && (!previous.as_of || body.as_of > previous.as_of)) previous.as_of = body.as_of;
    return { state: previous, changed: changed, removed: removed };
  }
  Object.keys(body.layers).forEach(function (layerId) {
    var now = body.layers[layerId].features;
    var before = previous && previous.layers[layerId] ? previous.layers[layerId].features : {};
    Object.keys(now).forEach(function (id) {
      if (!sameItem(before[id], now[id])) changed.push([layerId, id]);
    });
    Object.keys(before).forEach(function (id) {
      if (!(id in now)) removed.push([layerId, id]);
    });
  });
  return { state: body, changed: changed, removed: removed };
}
