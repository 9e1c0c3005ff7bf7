/*
 * What the editor's ledger shows of a problem's case (案件): its stage, who
 * handles it, when it is due (in the campaign's time zone) and whether it is
 * overdue. Pure: no DOM, no Leaflet; checked by tests/js/.
 *
 * A problem recorded before cases existed has no `case` yet; until the
 * migration writes one it is read as the server reads it (geo/cases
 * `case_of`): open → filed, or handling when it has a deadline and a
 * responsible; closed → closed.
 */

// stages in which the clock does not run for the handler
var STOPPED = { closed: true, suspended: true };

export function caseOf(problem, openStatuses) {
  if (problem.case && typeof problem.case === "object") return problem.case;
  var open = openStatuses.indexOf(problem.status) >= 0;
  var stage = !open ? "closed" : (problem.deadline && problem.responsible ? "handling" : "filed");
  return { stage: stage, unit: null, handler: null, stage_due: null, derived: true };
}

// "2026-12-05 17:30": an instant in the campaign's time zone, as the queues show it.
export function localDue(iso, timeZone) {
  if (!iso) return "";
  var when = new Date(iso);
  if (isNaN(when.getTime())) return String(iso);
  var parts = {};
  new Intl.DateTimeFormat("en-CA", { timeZone: timeZone, year: "numeric", month: "2-digit", day: "2-digit",
                                     hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .formatToParts(when).forEach(function (p) { parts[p.type] = p.value; });
  return parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute;
}

// {stage, label, who, due, overdue, derived} of one problem at `now` (a Date).
export function caseSummary(problem, o, now) {
  var c = caseOf(problem, o.openStatuses);
  var who = [c.unit, c.handler].filter(Boolean).join(" · ") || problem.responsible || "";
  var dueIso = c.stage_due || null;
  var due = dueIso ? localDue(dueIso, o.timeZone) : (problem.deadline || "");
  var overdue = !STOPPED[c.stage] && (dueIso ? new Date(dueIso).getTime() < now.getTime()
    : !!(c.derived && problem.deadline) && problem.deadline < localDue(now.toISOString(), o.timeZone).slice(0, 10));
  return { stage: c.stage, label: o.stageLabels[c.stage] || c.stage, who: who, due: due, overdue: overdue,
           derived: !!c.derived };
}

// The case page of a problem: /cases/<layer>/<fid>/<pid>, from the page's template.
export function casePageUrl(template, layerId, fid, pid) {
  return template.replace("__layer__", encodeURIComponent(layerId)).replace("__id__", encodeURIComponent(fid))
    .replace("__pid__", encodeURIComponent(pid));
}
