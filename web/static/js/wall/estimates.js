/*
 * 预计完成 on the wall's plan panel (pure: no DOM): the estimated finish of
 * each sub-district (the milestones API's `estimates`, geo/progress.py
 * finish_estimates) as short lines, the worst first — no estimate (无法估计),
 * then the latest finish, the ones already done last — or only the screen's
 * own sub-district. Each line is a message key and its parameters.
 */

var RANK = { no_pace: 0, estimated: 1, done: 2 };

function order(a, b) {
  var ra = RANK[a.state] === undefined ? 0 : RANK[a.state];
  var rb = RANK[b.state] === undefined ? 0 : RANK[b.state];
  if (ra !== rb) return ra - rb;
  if (a.finish !== b.finish) return a.finish < b.finish ? 1 : -1; // later finish first
  return a.street < b.street ? -1 : a.street > b.street ? 1 : 0;
}

// One line: {street, state, key, params, late}; `late` is true when it ends after the final milestone.
export function estimateLine(row) {
  var params = { finish: row.finish, n: Math.abs(row.days_late || 0) };
  var key;
  if (row.state === "done") key = "wall.dash.est_done";
  else if (row.state !== "estimated") key = "wall.dash.est_none";
  else if (row.days_late === null || row.days_late === undefined) key = "wall.dash.est_plain";
  else if (row.days_late > 0) key = "wall.dash.est_late";
  else if (row.days_late < 0) key = "wall.dash.est_early";
  else key = "wall.dash.est_on";
  return { street: row.street, state: row.state, key: key, params: params,
           late: row.state === "no_pace" || (row.state === "estimated" && row.days_late > 0) };
}

// The lines to show: every sub-district worst first, or only `street` when the screen shows one.
export function estimateLines(estimates, street) {
  if (!estimates || !estimates.streets) return [];
  var rows = estimates.streets.filter(function (r) { return !street || r.street === street; });
  return rows.slice().sort(order).map(estimateLine);
}
