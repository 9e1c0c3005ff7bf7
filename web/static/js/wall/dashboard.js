/*
 * The progress dashboard of a wall map (when the view asks for it): totals,
 * plan against actual at the milestones (时间节点), sub-districts,
 * communities, categories, overdue and overnight lists, the progress chart
 * drawn as plain SVG, and 三级管理监控 (the cases: overdue by level, the
 * escalated ones, each unit's record). Methods of Panels (wall/panels.js composes them).
 */
import { el, svg } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { estimateLines } from "./estimates.js";

var VERDICTS = { ahead: "▲", on_track: "●", behind: "▼" }; // and their words: wall.dash.verdict.*

function pct(done, total) {
  return total ? Math.round((1000 * done) / total) / 10 : 0;
}

function share(value) {
  return Math.round(1000 * (value || 0)) / 10 + "%";
}

// A list's rows, made when shown (`make(i)` builds row i: the node to put in the list). Only the rows of the
// page on screen are in the document (`showRange`): at a thousand places the lists hold over a thousand rows,
// and building and laying out every one of them at 4K, each time the dashboard came, took 100-200 ms of the
// wall's main thread for the few dozen shown.
var ROWS = new WeakMap(); // list container -> its rows: how many, how made, which are in the document
function lazyRows(container, n, make) {
  ROWS.set(container, { container: container, n: n, make: make, shown: [], from: 0, to: 0 });
  return container;
}

var dashboard = {};
export default dashboard;

// --- dashboard -------------------------------------------------------------------
dashboard.buildDashboard = function () {
  var box = el("div", "guatu-panel guatu-dashboard");
  box.setAttribute("aria-label", t("wall.dash.title"));
  this.dashBox = box;
  box.appendChild(el("p", "guatu-card-loading", t("wall.dash.loading")));
  return box;
};

dashboard.reservedRight = function () {
  return this.dashBox ? this.dashBox.offsetWidth + 10 : 0;
};

dashboard.loadDashboard = function () {
  var self = this;
  var wall = this.wall;
  var url = wall.url(this.o.api.dashboard, null, {
    street: this.view.street, community: this.view.community, layers: (this.view.layers || []).join(","),
  });
  return wall.fetchJSON(url, this.dashEtag).then(function (r) {
    self.dashFailed = false;
    if (r.notModified) return;
    self.dashEtag = r.etag;
    self.dashboard = r.body;
    self.renderDashboard(r.body);
  }, function (err) {
    wall.errors.push(String(err));
    self.dashFailed = true; // asked again at the next poll (Panels.owed), even if nothing changed meanwhile
    if (!self.dashboard) { // nothing shown yet: say so rather than "loading" for good (else the last one stays)
      self.dashBox.textContent = "";
      self.dashBox.appendChild(el("p", "guatu-card-loading", t("wall.dash.failed")));
    }
  });
};

function section(title, className) {
  var s = el("section", "guatu-dash-section " + (className || ""));
  s.appendChild(el("h2", null, title));
  return s;
}

dashboard.statusBar = function (byStatus, total) {
  var self = this;
  var bar = el("span", "guatu-bar");
  this.o.statuses.forEach(function (s) {
    var n = byStatus[s.key] || 0;
    if (!n) return;
    var part = el("span", "guatu-bar-part");
    part.style.width = (100 * n) / total + "%";
    part.style.background = (self.wall.colours && self.wall.colours[s.key]) || s.color;
    part.title = s.label + " " + n;
    bar.appendChild(part);
  });
  return bar;
};

dashboard.groupRows = function (rows, withStreet) {
  var self = this;
  var table = el("table", "guatu-dash-table");
  var head = el("tr");
  ["name", "progress", "done", "overdue"].forEach(function (k) { head.appendChild(el("th", null, t("wall.dash.col." + k))); });
  table.appendChild(head);
  return lazyRows(table, rows.length, function (i) {
    var r = rows[i];
    var tr = el("tr", "guatu-dash-row");
    var name = el("td", "guatu-dash-name", r.name);
    if (withStreet && r.street) name.title = r.street;
    tr.appendChild(name);
    var bar = el("td", "guatu-dash-bar");
    bar.appendChild(self.statusBar(r.by_status, r.total));
    tr.appendChild(bar);
    tr.appendChild(el("td", "guatu-num", r.pct + "%"));
    tr.appendChild(el("td", "guatu-num" + (r.overdue ? " guatu-alert" : ""), r.overdue));
    return tr;
  });
};

dashboard.renderDashboard = function (d) {
  var self = this;
  var box = this.dashBox;
  box.textContent = "";
  var tot = d.totals;

  var top = section(t("wall.dash.totals"), "guatu-dash-totals");
  var big = el("p", "guatu-dash-big");
  big.appendChild(el("span", "guatu-dash-pct", tot.pct + "%"));
  big.appendChild(el("span", "guatu-dash-sub", t("wall.dash.done_of", { done: tot.done, total: tot.total })));
  top.appendChild(big);
  top.appendChild(this.statusBar(tot.by_status, tot.total || 1));
  var facts = el("p", "guatu-dash-facts");
  [[t("wall.dash.fact.overdue"), tot.overdue, "guatu-alert"], [t("wall.dash.fact.overnight"), tot.overnight, "guatu-alert"],
   [t("wall.dash.fact.opened"), tot.problems.opened, null], [t("wall.dash.fact.closed"), tot.problems.closed, null],
   [t("wall.dash.fact.open"), tot.problems.open, null]]
    .forEach(function (f) {
      var item = el("span", "guatu-fact" + (f[2] && f[1] ? " " + f[2] : ""));
      item.appendChild(el("b", null, f[1]));
      item.appendChild(el("span", null, f[0]));
      facts.appendChild(item);
    });
  top.appendChild(facts);
  box.appendChild(top);
  if (this.milestoneBox) box.appendChild(this.milestoneBox);

  var chart = section(t("wall.dash.chart"), "guatu-dash-chart");
  chart.appendChild(this.chart(d.progress));
  box.appendChild(chart);

  if (d.streets.length > 1 || !this.view.street) {
    var streets = section(t("wall.dash.streets"), "guatu-dash-streets");
    streets.appendChild(this.groupRows(d.streets, false));
    box.appendChild(streets);
  }
  var comms = d.communities.slice().sort(function (a, b) { return a.pct - b.pct || b.total - a.total; });
  var cs = section(t(this.view.street || this.view.community ? "wall.dash.communities" : "wall.dash.communities_lowest"), "guatu-dash-communities");
  cs.appendChild(this.groupRows(comms, true));
  box.appendChild(cs);

  var cats = d.categories.slice().sort(function (a, b) { return b.open - a.open || b.opened - a.opened; });
  var cat = section(t("wall.dash.categories"), "guatu-dash-categories");
  var ct = el("table", "guatu-dash-table");
  var ch = el("tr");
  ["category", "places", "open", "closed", "overdue"].forEach(function (k) { ch.appendChild(el("th", null, t("wall.dash.col." + k))); });
  ct.appendChild(ch);
  cat.appendChild(lazyRows(ct, cats.length, function (i) {
    var c = cats[i];
    var tr = el("tr", "guatu-dash-row");
    tr.appendChild(el("td", "guatu-dash-name", c.name));
    tr.appendChild(el("td", "guatu-num", c.places));
    tr.appendChild(el("td", "guatu-num", c.open));
    tr.appendChild(el("td", "guatu-num", c.closed));
    tr.appendChild(el("td", "guatu-num" + (c.overdue ? " guatu-alert" : ""), c.overdue));
    return tr;
  }));
  box.appendChild(cat);

  if (d.cases) box.appendChild(this.casesSection(d.cases));
  if (this.satisfaction) box.appendChild(this.satisfactionSection(this.satisfaction));

  var alerts = section(t("wall.dash.alerts", { overdue: d.overdue.total, overnight: d.overnight.total }), "guatu-dash-alerts");
  var list = el("ul", "guatu-alerts");
  var rows = [];
  var n = Math.max(d.overdue.rows.length, d.overnight.rows.length);
  for (var i = 0; i < n; i++) {
    if (d.overdue.rows[i]) rows.push(["overdue", d.overdue.rows[i]]);
    if (d.overnight.rows[i]) rows.push(["overnight", d.overnight.rows[i]]);
  }
  alerts.appendChild(lazyRows(list, rows.length, function (i) {
    var pair = rows[i];
    var r = pair[1];
    // a row is a button inside its list item: reached by Tab, chosen by Enter or Space as by a click
    var item = el("button", "guatu-alert-row is-" + pair[0]);
    item.type = "button";
    item.dataset.id = r.id;
    item.appendChild(el("span", "guatu-alert-kind", pair[0] === "overdue" ? t("wall.dash.days_late", { n: r.days_late }) : t("wall.dash.days_open", { n: r.days_open || 1 })));
    item.appendChild(el("span", "guatu-alert-place", r.name));
    item.appendChild(el("span", "guatu-alert-problem", r.category ? r.category + ":" + (r.problem || "") : r.problem));
    item.appendChild(el("span", "guatu-alert-who", r.responsible || ""));
    L.DomEvent.on(item, "click", function () { self.wall.select(r.layer, r.id); });
    var li = el("li");
    li.appendChild(item);
    return li;
  }));
  box.appendChild(alerts);
  this.fitDashboard();
};

// --- 三级管理监控 -----------------------------------------------------------------------
// Open cases overdue by the level they stand at, each unit's record, and the
// escalated cases (a tap opens the place's card).
function rate(value) {
  return value === null || value === undefined ? "—" : value + "%";
}

dashboard.casesSection = function (c) {
  var self = this;
  var s = section(t("wall.dash.cases.title"), "guatu-dash-cases");
  var facts = el("p", "guatu-dash-facts guatu-dash-levels");
  ["community", "street", "district"].forEach(function (level) {
    var n = c.overdue_by_level[level] || 0;
    var item = el("span", "guatu-fact guatu-level-" + level + (n ? " guatu-alert" : ""));
    item.dataset.level = level;
    item.appendChild(el("b", null, n));
    item.appendChild(el("span", null, t("wall.dash.cases.level." + level)));
    facts.appendChild(item);
  });
  s.appendChild(facts);
  var table = el("table", "guatu-dash-table guatu-dash-units");
  var head = el("tr");
  ["unit", "cases", "overdue", "on_time", "avg_hours", "returned"].forEach(function (k) {
    head.appendChild(el("th", null, t("wall.dash.cases.col." + k)));
  });
  table.appendChild(head);
  lazyRows(table, c.units.length, function (i) {
    var u = c.units[i];
    var tr = el("tr", "guatu-dash-row");
    tr.dataset.unit = u.unit || "";
    tr.appendChild(el("td", "guatu-dash-name", u.unit || t("wall.dash.cases.no_unit")));
    tr.appendChild(el("td", "guatu-num", u.cases));
    tr.appendChild(el("td", "guatu-num" + (u.overdue ? " guatu-alert" : ""), u.overdue));
    tr.appendChild(el("td", "guatu-num", rate(u.on_time_pct)));
    tr.appendChild(el("td", "guatu-num", u.avg_hours === null ? "—" : String(u.avg_hours)));
    tr.appendChild(el("td", "guatu-num", rate(u.returned_pct)));
    return tr;
  });
  s.appendChild(table);
  if (c.escalated.rows.length) {
    s.appendChild(el("h3", null, t("wall.dash.cases.escalated", { n: c.escalated.total })));
    var list = el("ul", "guatu-escalated-list");
    lazyRows(list, c.escalated.rows.length, function (i) {
      var r = c.escalated.rows[i];
      var item = el("li", "guatu-alert-row is-escalated is-" + r.level);
      item.dataset.id = r.id;
      item.appendChild(el("span", "guatu-alert-kind", t("wall.dash.cases.hours_late", { n: r.overdue_hours })));
      item.appendChild(el("span", "guatu-alert-place", r.name));
      item.appendChild(el("span", "guatu-alert-problem", r.category ? r.category + ":" + (r.problem || "") : r.problem));
      item.appendChild(el("span", "guatu-alert-who", r.unit || r.handler || t("wall.dash.cases.no_unit")));
      L.DomEvent.on(item, "click", function () { self.wall.select(r.layer, r.id); });
      return item;
    });
    s.appendChild(list);
  }
  return s;
};

// --- 群众满意度 -------------------------------------------------------------------------
// Residents' reports today and in all, and the satisfaction rate ((满意 + 基本满意) over the rated), per
// sub-district (per community on a screen of one sub-district), worst first. Reports and ratings are no
// journaled change: the panel asks on its own every SATISFACTION_GAP_MS (a 304 while nothing changed).
var SATISFACTION_GAP_MS = 60000;

dashboard.loadSatisfaction = function () {
  var self = this;
  if (!this.o.api.satisfaction) return Promise.resolve();
  window.clearTimeout(this.satisfactionTimer);
  this.satisfactionTimer = window.setTimeout(function () { self.loadSatisfaction(); }, SATISFACTION_GAP_MS);
  var url = this.wall.url(this.o.api.satisfaction, null, { street: this.view.street, community: this.view.community });
  return this.wall.fetchJSON(url, this.satisfactionEtag).then(function (r) {
    if (r.notModified) return;
    self.satisfactionEtag = r.etag;
    self.satisfaction = r.body;
    self.renderSatisfaction(r.body);
  }, function (err) { self.wall.errors.push(String(err)); });
};

dashboard.renderSatisfaction = function (data) {
  var box = this.dashBox;
  if (!box || !box.querySelector(".guatu-dash-totals")) return; // the dashboard's own answer draws it then
  var fresh = this.satisfactionSection(data);
  var old = box.querySelector(".guatu-dash-satisfaction");
  if (old) box.replaceChild(fresh, old);
  else {
    var alerts = box.querySelector(".guatu-dash-alerts");
    box.insertBefore(fresh, alerts);
  }
  this.fitDashboard();
};

dashboard.satisfactionSection = function (data) {
  var s = section(t("wall.dash.sat.title"), "guatu-dash-satisfaction");
  s.id = "guatu-satisfaction";
  var all = data.total.all;
  var day = data.total.day;
  var facts = el("p", "guatu-dash-facts");
  [["rate", all.rate === null ? "—" : all.rate + "%", all.rate !== null && all.rate < 80],
   ["received_today", day.received, false], ["closed_today", day.closed, false], ["rated_today", day.rated, false],
   ["received", all.received, false], ["rated", all.rated, false]]
    .forEach(function (f) {
      var item = el("span", "guatu-fact" + (f[2] ? " guatu-alert" : ""));
      item.dataset.fact = f[0];
      item.appendChild(el("b", null, String(f[1])));
      item.appendChild(el("span", null, t("wall.dash.sat.fact." + f[0])));
      facts.appendChild(item);
    });
  s.appendChild(facts);
  var scoped = this.view.street || this.view.community;
  if (!scoped) s.appendChild(satisfactionTable(data.streets, "street", "guatu-dash-sat"));
  // every community of the screen's sub-districts, worst first (its sub-district in the row's title)
  var communities = [];
  data.streets.forEach(function (st) {
    st.communities.forEach(function (c) { communities.push(Object.assign({ street: st.name }, c)); });
  });
  communities.sort(function (a, b) {
    var ra = a.all.rate === null ? Infinity : a.all.rate;
    var rb = b.all.rate === null ? Infinity : b.all.rate;
    return ra - rb || b.all.received - a.all.received || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  });
  s.appendChild(satisfactionTable(communities, "community", "guatu-dash-sat-communities"));
  return s;
};

function satisfactionTable(rows, level, className) {
  var table = el("table", "guatu-dash-table " + className);
  var head = el("tr");
  head.appendChild(el("th", null, t("wall.dash.sat.col." + level)));
  ["received", "closed", "rated", "satisfied", "basic", "unsatisfied", "rate"].forEach(function (k) {
    head.appendChild(el("th", null, t("wall.dash.sat.col." + k)));
  });
  table.appendChild(head);
  return lazyRows(table, rows.length, function (i) {
    var r = rows[i];
    var tr = el("tr", "guatu-dash-row");
    tr.dataset.area = r.name;
    tr.dataset.level = level;
    var name = el("td", "guatu-dash-name", r.name);
    if (r.street) name.title = r.street;
    tr.appendChild(name);
    ["received", "closed", "rated", "satisfied", "basic"].forEach(function (k) {
      tr.appendChild(el("td", "guatu-num", String(r.all[k])));
    });
    tr.appendChild(el("td", "guatu-num" + (r.all.unsatisfied ? " guatu-alert" : ""), String(r.all.unsatisfied)));
    tr.appendChild(el("td", "guatu-num", r.all.rate === null ? "—" : r.all.rate + "%"));
    return tr;
  });
}

// --- plan against actual (时间节点) ----------------------------------------------
// Asked again when the state revision or the day moved, at most every
// MILESTONE_GAP_MS (wall/panels.js `milestonesRefresh`).
dashboard.loadMilestones = function () {
  var self = this;
  return this.wall.fetchJSON(this.o.api.milestones).then(function (r) {
    self.milestonesFailed = false;
    self.renderMilestones(r.body);
  }, function (err) {
    self.wall.errors.push(String(err));
    self.milestonesFailed = true; // asked again at the next poll (Panels.owed)
  });
};

// Today's share done against the plan, the verdict, the next milestone; the
// whole campaign's, even on a screen of one sub-district (the plan is set for all).
dashboard.renderMilestones = function (m) {
  var old = this.milestoneBox;
  if (!m.milestones || !m.milestones.length) {
    if (old && old.parentNode) old.parentNode.removeChild(old);
    this.milestoneBox = null;
    return;
  }
  var scoped = this.view.street || this.view.community;
  var s = section(t(scoped ? "wall.dash.milestones_all" : "wall.dash.milestones"), "guatu-dash-milestones");
  s.dataset.verdict = m.verdict;
  var verdict = VERDICTS[m.verdict] ? [VERDICTS[m.verdict], t("wall.dash.verdict." + m.verdict)] : ["", m.verdict];
  var today = el("p", "guatu-ms-today");
  today.appendChild(el("span", "guatu-verdict is-" + m.verdict, verdict[0] + " " + verdict[1]));
  today.appendChild(el("span", "guatu-ms-share", t("wall.dash.ms_share", { done: share(m.share_done), planned: share(m.share_planned) })));
  s.appendChild(today);
  var bar = el("span", "guatu-ms-bar");
  var done = bar.appendChild(el("span", "guatu-ms-done is-" + m.verdict));
  done.style.width = Math.min(100, 100 * m.share_done) + "%";
  var plan = bar.appendChild(el("span", "guatu-ms-plan"));
  plan.style.left = Math.min(100, 100 * m.share_planned) + "%";
  plan.title = t("wall.dash.ms_today_plan", { planned: share(m.share_planned) });
  s.appendChild(bar);
  var n = m.next;
  var left = n ? (n.days_left ? t("wall.dash.ms_days_left", { n: n.days_left }) : t("wall.dash.ms_due_today")) : "";
  s.appendChild(el("p", "guatu-ms-next", n
    ? t("wall.dash.ms_next", { what: [n.label, n.date].filter(Boolean).join(" "), left: left, planned: share(n.share_planned) })
    : t("wall.dash.ms_all_past")));
  var estimates = this.estimatesList(m.estimates);
  if (estimates) s.appendChild(estimates);
  if (old && old.parentNode) old.parentNode.replaceChild(s, old);
  else {
    var totals = this.dashBox && this.dashBox.querySelector(".guatu-dash-totals");
    if (totals) totals.parentNode.insertBefore(s, totals.nextSibling);
  }
  this.milestoneBox = s;
  if (s.parentNode) this.fitDashboard();
};

// 预计完成: a compact line per sub-district (the screen's own only, on a
// screen of one), the worst first; the whole sentence in the line's title.
dashboard.estimatesList = function (est) {
  var lines = estimateLines(est, this.view.street);
  if (!lines.length) return null;
  var box = el("div", "guatu-ms-estimates");
  box.appendChild(el("p", "guatu-ms-est-title", t("wall.dash.est_title", { days: est.pace_days })));
  var texts = {};
  est.streets.forEach(function (r) { texts[r.street] = r.text; });
  var list = el("ul", "guatu-ms-est-list");
  lines.forEach(function (line) {
    var item = el("li", "guatu-ms-est is-" + line.state + (line.late ? " is-late" : ""));
    item.appendChild(el("span", "guatu-ms-est-street", line.street));
    item.appendChild(el("span", "guatu-ms-est-when", t(line.key, line.params)));
    if (texts[line.street]) item.title = texts[line.street];
    list.appendChild(item);
  });
  box.appendChild(list);
  return box;
};

// --- paging -----------------------------------------------------------------------------
// A screen nobody touches cannot scroll, and a list cut short hides its worst
// rows. So every list (sub-districts, communities, categories, units, escalated
// cases, alerts) keeps all its rows, ranked worst first, and shows one page of
// them (only that page's rows are made: `lazyRows`). The totals, the plan and the chart stay; when the lists do not fit
// beside them, they are shared out over sheets (at least MIN_PAGE rows each, then
// the shortest page grows while the sheet fits). The rotation shows each sheet
// until its longest list has shown all its pages, then the next sheet: every
// `view.rotate` seconds one step, so it reaches every row. A pager under a list
// says 第 p/n 页 and how many rows wait (另有 N); a tap on it pages on. Where
// the rotation stands is kept when the data comes again.
var PAGED = [
  [".guatu-dash-streets table", "streets"], [".guatu-dash-communities table", "communities"],
  [".guatu-dash-categories table", "categories"], [".guatu-dash-units", "units"],
  [".guatu-escalated-list", "escalated"], [".guatu-dash-sat", "satisfaction"],
  [".guatu-dash-sat-communities", "satisfaction-communities"], [".guatu-alerts", "alerts"],
];
var MIN_PAGE = 5; // rows a page holds at least (fewer when the list is shorter, or the sheet too small)
var MAX_PAGE = 60; // rows a page may hold (more never fit a screen)
var ROW = ".guatu-dash-row, .guatu-alert-row"; // the row itself, in the node a list's `make` builds

// Rows `from` to `to` (not included) of a list in the document, in place of those it had.
function showRange(list, from, to) {
  var rows = list.rows;
  if (rows.from === from && rows.to === to) return;
  rows.shown.forEach(function (node) { node.parentNode.removeChild(node); });
  rows.shown = [];
  for (var i = from; i < to; i++) {
    var node = rows.make(i);
    var row = node.matches(ROW) ? node : node.querySelector(ROW);
    row.dataset.row = String(i);
    rows.shown.push(rows.container.appendChild(node));
  }
  rows.from = from;
  rows.to = to;
}

function showPage(list) {
  var pages = Math.max(1, Math.ceil(list.n / list.size));
  list.page = ((list.page % pages) + pages) % pages;
  var start = list.page * list.size;
  var shown = Math.min(list.size, list.n - start);
  showRange(list, start, start + shown);
  list.pager.hidden = pages < 2;
  list.pager.textContent = t("wall.dash.pager", { page: list.page + 1, pages: pages, n: list.n - shown });
  list.pager.dataset.page = String(list.page + 1);
  list.pager.dataset.pages = String(pages);
  list.pages = pages;
}

dashboard.pagedLists = function () {
  var self = this;
  var box = this.dashBox;
  return PAGED.map(function (entry) {
    var container = box.querySelector(entry[0]);
    if (!container || !ROWS.has(container)) return null;
    var pager = container.nextElementSibling;
    if (!pager || !pager.classList.contains("guatu-dash-pager")) {
      pager = el("button", "guatu-dash-pager");
      pager.type = "button";
      pager.dataset.list = entry[1];
      pager.title = t("wall.dash.page_on");
      container.parentNode.insertBefore(pager, container.nextSibling);
      L.DomEvent.on(pager, "click", function (e) {
        L.DomEvent.stop(e);
        self.pageOn(entry[1]);
      });
    }
    var rows = ROWS.get(container);
    container.dataset.rows = String(rows.n); // how many the list holds, whichever page is shown
    return { key: entry[1], rows: rows, n: rows.n, section: container.closest("section"), page: 0, pager: pager,
             size: Math.max(1, Math.min(MAX_PAGE, rows.n)) };
  }).filter(Boolean);
};

// The heights the fit works from, read in one layout of the 4K page: every section shown, every list with its
// first MAX_PAGE rows (the most a page holds; laying out hundreds more costs more than the fit saves) and its
// pager. A row further down is taken to be as tall as the tallest of those. A sheet's height is then computed
// (`height`), not laid out for each try: fitting the lists by laying the page out after each row added took
// some forty layouts, 100-170 ms of the wall's main thread each time the dashboard came.
function measure(box, lists, sections) {
  sections.forEach(function (sec) { sec.hidden = false; });
  lists.forEach(function (l) {
    showRange(l, 0, Math.min(MAX_PAGE, l.n));
    l.pager.hidden = false;
    l.pager.textContent = t("wall.dash.pager", { page: 1, pages: 2, n: 1 });
  });
  var room = box.clientHeight;
  var whole = box.scrollHeight;
  var gap = parseFloat(window.getComputedStyle(box).rowGap) || 0;
  var sectionHeights = sections.map(function (sec) { return sec.getBoundingClientRect().height; });
  lists.forEach(function (l) {
    var container = l.pager.previousElementSibling;
    l.pagerHeight = l.pager.getBoundingClientRect().bottom - container.getBoundingClientRect().bottom;
    var measured = l.rows.shown.map(function (node) {
      var row = node.matches(ROW) ? node : node.querySelector(ROW);
      return row.getBoundingClientRect().height + (parseFloat(window.getComputedStyle(row).marginBottom) || 0);
    });
    l.shownHeight = measured.reduce(function (a, h) { return a + h; }, 0); // the rows' height in this layout
    var tallest = Math.max.apply(null, [0].concat(measured));
    l.heights = [];
    for (var i = 0; i < l.n; i++) l.heights.push(i < measured.length ? measured[i] : tallest);
  });
  var rest = whole - sectionHeights.reduce(function (a, h) { return a + h + gap; }, 0); // the totals, the chart, …
  return {
    fitsWhole: whole <= room + 1,
    // the dashboard's height with the sections of `sheet` shown, each list at its `size`
    height: function (sheet) {
      var sum = rest;
      sheet.forEach(function (sec) { sum += sectionHeights[sections.indexOf(sec)] + gap; });
      lists.forEach(function (l) {
        if (sheet.indexOf(l.section) < 0) return;
        sum += Math.max.apply(null, [0].concat(pageHeights(l))) - l.shownHeight;
        if (l.size >= l.n) sum -= l.pagerHeight; // one page: no pager
      });
      return sum;
    },
    room: room,
  };
}

dashboard.fitDashboard = function () {
  var box = this.dashBox;
  var lists = this.pagedLists();
  var overflows = function () { return box.scrollHeight > box.clientHeight + 1; };
  var sections = [];
  lists.forEach(function (l) { if (sections.indexOf(l.section) < 0) sections.push(l.section); });
  var show = function (sheet) {
    sections.forEach(function (sec) { sec.hidden = sheet.indexOf(sec) < 0; });
    lists.forEach(showPage);
  };
  var fit = measure(box, lists, sections);
  var over = function (sheet) { return fit.height(sheet) > fit.room + 1; };
  var sheets = [];
  if (fit.fitsWhole || !over(sections)) sheets.push(sections);
  else {
    // share the sections out: each at MIN_PAGE rows a list, as many on a sheet as fit
    lists.forEach(function (l) { l.size = Math.min(l.size, MIN_PAGE); });
    var sheet = [];
    sections.forEach(function (sec) {
      if (sheet.length && over(sheet.concat([sec]))) {
        sheets.push(sheet);
        sheet = [];
      }
      sheet.push(sec);
    });
    if (sheet.length) sheets.push(sheet);
    if (!sheets.length) sheets.push(sheet); // no list to page: one sheet, as it is
    // then on each sheet the shortest page that has more rows grows while the sheet fits
    sheets.forEach(function (sh) {
      var mine = lists.filter(function (l) { return sh.indexOf(l.section) >= 0; });
      while (over(sh)) { // one section alone too long: its longest page gives way
        var longest = mine.reduce(function (a, l) { return !a || l.size > a.size ? l : a; }, null);
        if (!longest || longest.size <= 1) break;
        longest.size -= 1;
      }
      var growing = mine.filter(function (l) { return l.size < Math.min(MAX_PAGE, l.n); });
      while (growing.length) {
        var shortest = growing.reduce(function (a, l) { return !a || l.size < a.size ? l : a; }, null);
        shortest.size += 1;
        if (over(sh) || shortest.size >= Math.min(MAX_PAGE, shortest.n)) {
          if (over(sh)) shortest.size -= 1;
          growing.splice(growing.indexOf(shortest), 1);
        }
      }
    });
  }
  // each sheet laid out once, at its pages' tallest: where the computed heights were short of the page's by
  // a rounding, its longest page gives way row by row until it fits (nothing to check when no list pages)
  var paged = lists.some(function (l) { return l.size < l.n; });
  sheets.forEach(function (sh) {
    if (!paged && fit.fitsWhole) return;
    var mine = lists.filter(function (l) { return sh.indexOf(l.section) >= 0; });
    mine.forEach(function (l) { l.page = tallestPage(l); });
    show(sh);
    while (overflows()) {
      var longest = mine.reduce(function (a, l) { return !a || l.size > a.size ? l : a; }, null);
      if (!longest || longest.size <= 1) break;
      longest.size -= 1;
      longest.page = tallestPage(longest);
      showPage(longest);
    }
    mine.forEach(function (l) { l.page = 0; });
  });
  this.dashLists = lists;
  this.dashSheets = sheets.map(function (sh) {
    return { sections: sh, lists: lists.filter(function (l) { return sh.indexOf(l.section) >= 0; }) };
  });
  var at = this.dashAt || { sheet: 0, step: 0 };
  this.dashAt = { sheet: Math.min(at.sheet, sheets.length - 1), step: at.step };
  this.showSheet();
  this.startRotation();
};

// The height of each page of `l` at its size, from the rows' heights `measure` read (rows may differ in height).
function pageHeights(l) {
  var out = [];
  for (var start = 0; start < l.heights.length; start += l.size) {
    var sum = 0;
    for (var i = start; i < Math.min(start + l.size, l.heights.length); i++) sum += l.heights[i];
    out.push(sum);
  }
  return out;
}

// The page of `l` whose rows are the tallest together, by the heights `measure` read (a row past the first
// MAX_PAGE taken as tall as the tallest of those): the page a sheet is checked with.
function tallestPage(l) {
  var heights = pageHeights(l);
  return Math.max(0, heights.indexOf(Math.max.apply(null, heights)));
}

// The sheet the rotation stands at, each of its lists at the page of this step.
dashboard.showSheet = function () {
  var at = this.dashAt;
  var sheet = this.dashSheets[at.sheet];
  (this.dashLists || []).forEach(function (l) {
    l.section.hidden = sheet.sections.indexOf(l.section) < 0;
    l.page = at.step;
    if (!l.section.hidden) showPage(l); // (a list of another sheet makes its rows when its sheet comes)
  });
  this.dashBox.dataset.sheet = String(at.sheet + 1);
  this.dashBox.dataset.sheets = String(this.dashSheets.length);
  // which sheet, in the totals' heading (no line of its own); a tap shows the next sheet
  var self = this;
  var heading = this.dashBox.querySelector(".guatu-dash-totals h2");
  var mark = heading && heading.querySelector(".guatu-dash-sheet");
  if (heading && !mark) {
    mark = heading.appendChild(el("button", "guatu-dash-sheet"));
    mark.type = "button";
    mark.title = t("wall.dash.sheet_on");
    L.DomEvent.on(mark, "click", function (e) {
      L.DomEvent.stop(e);
      self.dashAt = { sheet: (self.dashAt.sheet + 1) % self.dashSheets.length, step: 0 };
      self.showSheet();
    });
  }
  if (mark) {
    mark.hidden = this.dashSheets.length < 2;
    mark.textContent = t("wall.dash.sheet", { sheet: at.sheet + 1, sheets: this.dashSheets.length });
  }
};

// One step of the rotation: the next page of the sheet's lists, or the next sheet
// once its longest list has shown them all.
dashboard.rotateOn = function () {
  var at = this.dashAt;
  var sheet = this.dashSheets[at.sheet];
  var steps = Math.max.apply(null, [1].concat(sheet.lists.map(function (l) { return l.pages || 1; })));
  if (at.step + 1 < steps) at.step += 1;
  else this.dashAt = { sheet: (at.sheet + 1) % this.dashSheets.length, step: 0 };
  this.showSheet();
};

// A tap on a list's pager: that list's next page.
dashboard.pageOn = function (key) {
  (this.dashLists || []).forEach(function (l) {
    if (l.key !== key || l.pages < 2) return;
    l.page += 1;
    showPage(l);
  });
};

dashboard.startRotation = function () {
  var self = this;
  var seconds = Number(this.view.rotate);
  if (this.rotationTimer || !(seconds > 0)) return;
  this.rotationTimer = window.setInterval(function () { self.rotateOn(); }, seconds * 1000);
};

// Completion (% of places done, line) over the days, with the ledger
// problems found (up) and closed (down) each day as bars.
dashboard.chart = function (p) {
  var W = 600;
  var H = 230;
  var L0 = 46;
  var R0 = 12;
  var top = 14;
  var mid = 140;
  var bottom = 200;
  var n = p.days.length;
  var box = svg("svg", { viewBox: "0 0 " + W + " " + H, class: "guatu-chart", role: "img" });
  box.appendChild(svg("title", {}, t("wall.dash.chart_title")));
  var x = function (i) { return L0 + (n > 1 ? (i * (W - L0 - R0)) / (n - 1) : (W - L0 - R0) / 2); };
  var y = function (v) { return mid - ((mid - top) * v) / 100; };
  [0, 50, 100].forEach(function (v) {
    box.appendChild(svg("line", { x1: L0, x2: W - R0, y1: y(v), y2: y(v), class: "guatu-chart-grid" }));
    box.appendChild(svg("text", { x: L0 - 6, y: y(v) + 5, "text-anchor": "end", class: "guatu-chart-axis" }, v + "%"));
  });
  var maxBar = 1;
  for (var i = 0; i < n; i++) maxBar = Math.max(maxBar, p.opened[i], p.closed[i]);
  var base = (mid + bottom) / 2 + 8;
  var half = (bottom - mid) / 2 - 6;
  var bw = Math.max(1, ((W - L0 - R0) / Math.max(n, 1)) * 0.8);
  for (var j = 0; j < n; j++) {
    if (p.opened[j]) box.appendChild(svg("rect", { x: x(j) - bw / 2, y: base - (half * p.opened[j]) / maxBar, width: bw,
                                                    height: (half * p.opened[j]) / maxBar, class: "guatu-chart-opened" }));
    if (p.closed[j]) box.appendChild(svg("rect", { x: x(j) - bw / 2, y: base, width: bw,
                                                    height: (half * p.closed[j]) / maxBar, class: "guatu-chart-closed" }));
  }
  box.appendChild(svg("line", { x1: L0, x2: W - R0, y1: base, y2: base, class: "guatu-chart-grid" }));
  var pts = [];
  for (var k = 0; k < n; k++) pts.push(x(k).toFixed(1) + "," + y(pct(p.done[k], p.total)).toFixed(1));
  if (pts.length) {
    box.appendChild(svg("polygon", { points: L0 + "," + y(0) + " " + pts.join(" ") + " " + x(n - 1) + "," + y(0), class: "guatu-chart-area" }));
    box.appendChild(svg("polyline", { points: pts.join(" "), class: "guatu-chart-line" }));
    var last = pct(p.done[n - 1], p.total);
    box.appendChild(svg("text", { x: x(n - 1), y: y(last) - 8, "text-anchor": "end", class: "guatu-chart-value" }, last + "%"));
  }
  box.appendChild(svg("text", { x: L0, y: H - 6, class: "guatu-chart-axis" }, p.days[0] || ""));
  box.appendChild(svg("text", { x: W - R0, y: H - 6, "text-anchor": "end", class: "guatu-chart-axis" }, p.days[n - 1] || ""));
  box.appendChild(svg("text", { x: L0 + 4, y: base - half + 2, class: "guatu-chart-axis guatu-chart-key-opened" }, t("wall.dash.chart_opened", { n: maxBar })));
  box.appendChild(svg("text", { x: L0 + 4, y: base + half + 4, class: "guatu-chart-axis guatu-chart-key-closed" }, t("wall.dash.chart_closed")));
  return box;
};
