/*
 * Guatu wall map panels: title and clock, legend, search, a place's card and
 * the progress dashboard (totals, plan against actual at the milestones
 * (时间节点), sub-districts, communities, categories, overdue and overnight
 * lists, progress chart drawn as plain SVG). An editor's page gets links to
 * the workflow pages at the foot of the legend (never a display link's).
 *
 * Loaded with wallmap.js, which calls guatu.panels(wall). Every text is a
 * text node or an SVG text node's textContent: nothing a user typed is ever
 * parsed as HTML. Sizes are in em, so the big-screen stylesheet scales them.
 */
(function () {
  "use strict";

  var guatu = (window.guatu = window.guatu || {});
  var SVG = "http://www.w3.org/2000/svg";
  var OVERDUE_STROKE = "#d4006a";
  var MILESTONE_GAP_MS = 30000; // plan against actual replays the journal: asked at most this often
  var VERDICTS = { ahead: ["▲", "超前"], on_track: ["●", "正常"], behind: ["▼", "滞后"] };

  function u() { return guatu.util; }
  function el(tag, className, text) { return u().el(tag, className, text); }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function pct(done, total) {
    return total ? Math.round((1000 * done) / total) / 10 : 0;
  }

  function share(value) {
    return Math.round(1000 * (value || 0)) / 10 + "%";
  }

  function control(position, build) {
    var Box = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var box = build();
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      },
    });
    return new Box();
  }

  function Panels(wall) {
    this.wall = wall;
    this.o = wall.options;
    this.view = wall.view;
    this.dashKey = null;
    this.dashEtag = null;
    this.dashboard = null;
    this.milestoneBox = null; // the milestone section, kept across dashboard renders
    this.milestonesAsked = 0;
    this.milestonesTimer = null;
    var self = this;
    var map = wall.map;
    var wallMode = wall.mode === "wall";

    control("topleft", function () { return self.buildTitle(); }).addTo(map);
    control("topleft", function () { return self.buildSearch(); }).addTo(map);
    control("topleft", function () { return self.buildCard(); }).addTo(map);
    control(wallMode ? "bottomleft" : "bottomright", function () { return self.buildLegend(); }).addTo(map);
    if (this.view.dashboard) control("topright", function () { return self.buildDashboard(); }).addTo(map);

    var tick = function () { self.clock.textContent = u().formatTime(new Date(), self.o.timezone); };
    tick();
    window.setInterval(tick, 1000);
  }

  // --- title, banner ---------------------------------------------------------------
  Panels.prototype.buildTitle = function () {
    var o = this.o;
    var box = el("div", "guatu-panel guatu-title");
    box.appendChild(el("h1", null, o.title));
    var scope = [this.view.street, this.view.community].filter(Boolean).join(" · ");
    if (o.subtitle || scope) box.appendChild(el("p", "guatu-subtitle", scope ? scope + (o.subtitle ? " — " + o.subtitle : "") : o.subtitle));
    var filters = this.filterText();
    if (filters) box.appendChild(el("p", "guatu-filters", filters));
    var meta = el("p", "guatu-meta");
    this.clock = el("span", "guatu-clock", "");
    this.asOf = el("span", "guatu-asof", "数据截至 —");
    meta.appendChild(this.clock);
    meta.appendChild(this.asOf);
    box.appendChild(meta);
    this.bannerEl = el("p", "guatu-banner", "");
    this.bannerEl.hidden = true;
    box.appendChild(this.bannerEl);
    return box;
  };

  Panels.prototype.filterText = function () {
    var wall = this.wall;
    var parts = [];
    if ((this.view.statuses || []).length) {
      parts.push("状态:" + this.view.statuses.map(function (k) { return (wall.statuses[k] || { label: k }).label; }).join("、"));
    }
    if ((this.view.categories || []).length) parts.push("问题类别:" + this.view.categories.join("、"));
    if (this.o.layers.length < (this.o.layerCount || 0)) {
      parts.push("图层:" + this.o.layers.map(function (x) { return x.title; }).join("、"));
    }
    return parts.join(" · ");
  };

  Panels.prototype.banner = function (text) {
    this.bannerEl.textContent = text || "";
    this.bannerEl.hidden = !text;
  };

  // --- legend ----------------------------------------------------------------------
  Panels.prototype.buildLegend = function () {
    var self = this;
    var box = el("div", "guatu-panel guatu-legend");
    this.legendBox = box;
    box.appendChild(el("h2", null, "整改状态"));
    var list = el("ul");
    this.legendCounts = {};
    this.o.statuses.forEach(function (s) {
      var item = el("li");
      item.dataset.status = s.key;
      var swatch = el("span", "guatu-swatch");
      swatch.style.background = s.color;
      swatch.style.borderColor = u().darken(s.color, 0.45);
      item.appendChild(swatch);
      item.appendChild(el("span", "guatu-legend-label", s.label));
      var count = el("span", "guatu-legend-count", "—");
      self.legendCounts[s.key] = count;
      item.appendChild(count);
      list.appendChild(item);
    });
    box.appendChild(list);

    var marks = el("div", "guatu-legend-marks");
    var overdue = el("p", "guatu-legend-overdue");
    var ring = el("span", "guatu-swatch guatu-swatch-overdue");
    ring.style.boxShadow = "0 0 0 0.25em " + OVERDUE_STROKE;
    overdue.appendChild(ring);
    overdue.appendChild(el("span", "guatu-legend-label", "逾期(品红外圈)"));
    this.overdueCount = el("span", "guatu-legend-count", "—");
    overdue.appendChild(this.overdueCount);
    marks.appendChild(overdue);

    var overnight = el("p", "guatu-legend-overnight");
    overnight.appendChild(el("span", "guatu-swatch-overnight"));
    overnight.appendChild(el("span", "guatu-legend-label", "过夜问题(闪烁白圈)"));
    this.overnightCount = el("span", "guatu-legend-count", "—");
    overnight.appendChild(this.overnightCount);
    marks.appendChild(overnight);

    var flash = el("p", "guatu-legend-flash");
    flash.appendChild(el("span", "guatu-swatch guatu-swatch-flash"));
    flash.appendChild(el("span", "guatu-legend-label", "刚刚变化(蓝框闪烁)"));
    marks.appendChild(flash);
    box.appendChild(marks);

    this.progress = el("p", "guatu-progress", "");
    box.appendChild(this.progress);
    if (this.o.source) box.appendChild(el("p", "guatu-source", this.o.source));
    if ((this.o.links || []).length) {
      var nav = el("nav", "guatu-links");
      this.o.links.forEach(function (l) {
        var a = el("a", null, l.label);
        a.href = l.href;
        nav.appendChild(a);
      });
      box.appendChild(nav);
    }
    return box;
  };

  // Counts of the places in the view's scope (sub-district, community, layers),
  // whatever the status and category filters hide.
  Panels.prototype.counts = function () {
    var wall = this.wall;
    var out = { status: {}, total: 0, done: 0, overdue: 0, overnight: 0 };
    wall.eachPlace(function (layerId, id, props) { // every place, drawn or not (a large layer's are mostly off screen)
      if (!wall.inScopeProps(props)) return;
      var st = wall.item(layerId, id);
      if (!st) return;
      out.status[st[0]] = (out.status[st[0]] || 0) + 1;
      out.total += 1;
      if (wall.statuses[st[0]] && wall.statuses[st[0]].done) out.done += 1;
      out.overdue += st[1];
      out.overnight += st[2];
    });
    return out;
  };

  Panels.prototype.update = function () {
    var self = this;
    var s = this.wall.state;
    var c = this.counts();
    this.o.statuses.forEach(function (st) { self.legendCounts[st.key].textContent = String(c.status[st.key] || 0); });
    this.overdueCount.textContent = String(c.overdue);
    this.overnightCount.textContent = String(c.overnight);
    this.progress.textContent = "共 " + c.total + " 处 · 完成 " + c.done + " 处(" + pct(c.done, c.total) + "%)";
    this.asOf.textContent = "数据截至 " + u().formatTime(s.as_of ? new Date(s.as_of) : null, this.o.timezone);
    if (this.view.dashboard) {
      var key = [s.revision, s.head, s.day, s.after_cutoff].join("/");
      if (key !== this.dashKey) {
        this.dashKey = key;
        var self2 = this;
        // after the map's first paint: the places first, then the panels
        window.requestAnimationFrame(function () {
          window.setTimeout(function () {
            self2.loadDashboard();
            if (self2.o.api.milestones) self2.loadMilestones();
          }, 0);
        });
      }
    }
  };

  // --- search ----------------------------------------------------------------------
  Panels.prototype.buildSearch = function () {
    var self = this;
    var box = el("div", "guatu-panel guatu-search");
    var input = el("input", "guatu-search-input");
    input.type = "search";
    input.placeholder = "搜索地点名称";
    input.setAttribute("aria-label", "搜索地点名称");
    input.autocomplete = "off";
    var list = el("ol", "guatu-search-results");
    box.appendChild(input);
    box.appendChild(list);
    this.searchInput = input;
    this.searchList = list;
    var hits = [];
    var render = function () {
      hits = self.wall.search(input.value, 8);
      list.textContent = "";
      hits.forEach(function (h, i) {
        var item = el("li", "guatu-search-hit");
        item.dataset.id = h.id;
        var st = self.wall.item(h.layerId, h.id);
        var status = st && self.wall.statuses[st[0]];
        var sw = el("span", "guatu-swatch");
        if (status) sw.style.background = status.color;
        item.appendChild(sw);
        var p = h.layer.feature.properties;
        item.appendChild(el("span", "guatu-search-name", p.name));
        item.appendChild(el("span", "guatu-search-where", [p.street, p.community].filter(Boolean).join(" · ")));
        L.DomEvent.on(item, "click", function () { choose(i); });
        list.appendChild(item);
      });
      if (input.value && !hits.length) list.appendChild(el("li", "guatu-search-none", "没有找到"));
    };
    var choose = function (i) {
      var h = hits[i];
      if (!h) return;
      self.wall.select(h.layerId, h.id);
      list.textContent = "";
    };
    L.DomEvent.on(input, "input", function () {
      render();
      self.wall.loadAttributes().then(render); // names come the first time they are needed
    });
    L.DomEvent.on(input, "focus", function () { self.wall.loadAttributes(); });
    L.DomEvent.on(input, "keydown", function (e) {
      L.DomEvent.stopPropagation(e);
      if (e.key === "Enter") choose(0);
      if (e.key === "Escape") {
        input.value = "";
        render();
      }
    });
    return box;
  };

  // --- a place's card --------------------------------------------------------------
  Panels.prototype.buildCard = function () {
    var self = this;
    var box = el("div", "guatu-panel guatu-place-card");
    box.hidden = true;
    var close = el("button", "guatu-card-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "关闭");
    L.DomEvent.on(close, "click", function () {
      box.hidden = true;
      self.wall.unselect();
    });
    box.appendChild(close);
    this.cardBody = el("div", "guatu-card-body");
    box.appendChild(this.cardBody);
    this.card = box;
    return box;
  };

  Panels.prototype.showCard = function (layerId, id) {
    var self = this;
    var wall = this.wall;
    var layer = wall.all[layerId][id];
    this.card.hidden = false;
    this.card.dataset.id = id;
    this.cardBody.textContent = "";
    this.cardBody.appendChild(el("h3", null, layer.feature.properties.name || "…"));
    this.cardBody.appendChild(el("p", "guatu-card-loading", "正在读取……"));
    this.fitCard();
    var url = wall.url(this.o.api.place, { __layer__: layerId, __id__: id }, { date: wall.shownDay });
    return wall.fetchJSON(url).then(function (r) {
      if (self.card.dataset.id === id) self.renderCard(r.body);
    }, function (err) {
      wall.errors.push(String(err));
      self.cardBody.lastChild.textContent = "读取失败";
    });
  };

  Panels.prototype.renderCard = function (c) {
    var body = this.cardBody;
    body.textContent = "";
    body.appendChild(el("h3", null, c.name));
    body.appendChild(el("p", "guatu-card-where", [c.kind, c.street, c.community].filter(Boolean).join(" · ")));
    if (c.as_of) body.appendChild(el("p", "guatu-card-asof", c.as_of + " 当日状态"));
    var badges = el("p", "guatu-card-badges");
    var status = el("span", "guatu-badge guatu-badge-status", c.status.label);
    if (c.status.color) {
      var sw = el("span", "guatu-swatch");
      sw.style.background = c.status.color;
      status.insertBefore(sw, status.firstChild);
    }
    badges.appendChild(status);
    if (c.overdue) badges.appendChild(el("span", "guatu-badge guatu-badge-overdue", c.days_late ? "逾期 " + c.days_late + " 天" : "逾期"));
    if (c.overnight) badges.appendChild(el("span", "guatu-badge guatu-badge-overnight", "有过夜问题"));
    body.appendChild(badges);
    var dl = el("dl");
    var add = function (label, value) {
      if (value === undefined || value === null || value === "") return;
      dl.appendChild(el("dt", null, label));
      dl.appendChild(el("dd", null, value));
    };
    add("时间节点", c.deadline || "未定");
    add("责任单位", c.unit);
    c.people.forEach(function (p) { add(p.label, p.name); });
    body.appendChild(dl);
    body.appendChild(el("h4", null, "未销号问题 " + c.problems.length + " 个" + (c.closed_problems ? "(已销号 " + c.closed_problems + " 个)" : "")));
    var list = el("ul", "guatu-card-problems");
    c.problems.slice(0, 6).forEach(function (p) {
      var item = el("li", p.overdue ? "is-overdue" : p.overnight ? "is-overnight" : null);
      var head = el("p", "guatu-problem-head");
      head.appendChild(el("strong", null, p.category || "问题"));
      if (p.overdue) head.appendChild(el("span", "guatu-badge guatu-badge-overdue", "逾期 " + p.days_late + " 天"));
      if (p.overnight) head.appendChild(el("span", "guatu-badge guatu-badge-overnight", "过夜"));
      item.appendChild(head);
      if (p.description) item.appendChild(el("p", null, p.description));
      item.appendChild(el("p", "guatu-problem-meta", [
        p.deadline ? "时限 " + p.deadline : null,
        p.found_on ? "发现 " + p.found_on + (p.found_by ? "(" + p.found_by + ")" : "") : null,
        p.responsible ? "责任人 " + p.responsible : null,
      ].filter(Boolean).join(" · ")));
      list.appendChild(item);
    });
    if (c.problems.length > 6) list.appendChild(el("li", "guatu-more", "另有 " + (c.problems.length - 6) + " 个"));
    body.appendChild(list);
    this.fitCard();
  };

  // The card stops short of the panels below it (the legend and today's
  // inspections share the bottom-left corner of a wall screen).
  Panels.prototype.fitCard = function () {
    var card = this.card.getBoundingClientRect();
    var bottom = window.innerHeight;
    var corner = this.legendBox ? this.legendBox.parentNode.children : [];
    Array.prototype.forEach.call(corner, function (panel) {
      var r = panel.getBoundingClientRect();
      if (r.height && r.left < card.right && r.top > card.top) bottom = Math.min(bottom, r.top);
    });
    this.card.style.maxHeight = Math.max(120, bottom - card.top - 12) + "px";
  };

  // --- dashboard -------------------------------------------------------------------
  Panels.prototype.buildDashboard = function () {
    var box = el("div", "guatu-panel guatu-dashboard");
    box.setAttribute("aria-label", "进度看板");
    this.dashBox = box;
    box.appendChild(el("p", "guatu-card-loading", "正在统计……"));
    return box;
  };

  Panels.prototype.reservedRight = function () {
    return this.dashBox ? this.dashBox.offsetWidth + 10 : 0;
  };

  Panels.prototype.loadDashboard = function () {
    var self = this;
    var wall = this.wall;
    var url = wall.url(this.o.api.dashboard, null, {
      street: this.view.street, community: this.view.community, layers: (this.view.layers || []).join(","),
    });
    return wall.fetchJSON(url, this.dashEtag).then(function (r) {
      if (r.notModified) return;
      self.dashEtag = r.etag;
      self.dashboard = r.body;
      self.renderDashboard(r.body);
    }, function (err) { wall.errors.push(String(err)); });
  };

  function section(title, className) {
    var s = el("section", "guatu-dash-section " + (className || ""));
    s.appendChild(el("h2", null, title));
    return s;
  }

  Panels.prototype.statusBar = function (byStatus, total) {
    var bar = el("span", "guatu-bar");
    this.o.statuses.forEach(function (s) {
      var n = byStatus[s.key] || 0;
      if (!n) return;
      var part = el("span", "guatu-bar-part");
      part.style.width = (100 * n) / total + "%";
      part.style.background = s.color;
      part.title = s.label + " " + n;
      bar.appendChild(part);
    });
    return bar;
  };

  Panels.prototype.groupRows = function (rows, withStreet) {
    var self = this;
    var table = el("table", "guatu-dash-table");
    var head = el("tr");
    ["名称", "进度", "完成", "逾期"].forEach(function (t) { head.appendChild(el("th", null, t)); });
    table.appendChild(head);
    rows.forEach(function (r) {
      var tr = el("tr", "guatu-dash-row");
      var name = el("td", "guatu-dash-name", r.name);
      if (withStreet && r.street) name.title = r.street;
      tr.appendChild(name);
      var bar = el("td", "guatu-dash-bar");
      bar.appendChild(self.statusBar(r.by_status, r.total));
      tr.appendChild(bar);
      tr.appendChild(el("td", "guatu-num", r.pct + "%"));
      tr.appendChild(el("td", "guatu-num" + (r.overdue ? " guatu-alert" : ""), r.overdue));
      table.appendChild(tr);
    });
    return table;
  };

  Panels.prototype.renderDashboard = function (d) {
    var self = this;
    var box = this.dashBox;
    box.textContent = "";
    var t = d.totals;

    var top = section("整体进度", "guatu-dash-totals");
    var big = el("p", "guatu-dash-big");
    big.appendChild(el("span", "guatu-dash-pct", t.pct + "%"));
    big.appendChild(el("span", "guatu-dash-sub", "完成 " + t.done + " / " + t.total + " 处"));
    top.appendChild(big);
    top.appendChild(this.statusBar(t.by_status, t.total || 1));
    var facts = el("p", "guatu-dash-facts");
    [["逾期地点", t.overdue, "guatu-alert"], ["过夜地点", t.overnight, "guatu-alert"],
     ["问题", t.problems.opened, null], ["已销号", t.problems.closed, null], ["未销号", t.problems.open, null]]
      .forEach(function (f) {
        var item = el("span", "guatu-fact" + (f[2] && f[1] ? " " + f[2] : ""));
        item.appendChild(el("b", null, f[1]));
        item.appendChild(el("span", null, f[0]));
        facts.appendChild(item);
      });
    top.appendChild(facts);
    box.appendChild(top);
    if (this.milestoneBox) box.appendChild(this.milestoneBox);

    var chart = section("进度曲线(完成率 · 每日发现/销号问题)", "guatu-dash-chart");
    chart.appendChild(this.chart(d.progress));
    box.appendChild(chart);

    if (d.streets.length > 1 || !this.view.street) {
      var streets = section("各街道", "guatu-dash-streets");
      streets.appendChild(this.groupRows(d.streets, false));
      box.appendChild(streets);
    }
    var comms = d.communities.slice().sort(function (a, b) { return a.pct - b.pct || b.total - a.total; });
    var cs = section(this.view.street || this.view.community ? "各社区" : "完成率最低的社区", "guatu-dash-communities");
    cs.appendChild(this.groupRows(comms, true));
    box.appendChild(cs);

    var cats = d.categories.slice().sort(function (a, b) { return b.open - a.open || b.opened - a.opened; });
    var cat = section("问题类别(未销号 / 累计)", "guatu-dash-categories");
    var ct = el("table", "guatu-dash-table");
    var ch = el("tr");
    ["类别", "涉及地点", "未销号", "已销号", "逾期"].forEach(function (x) { ch.appendChild(el("th", null, x)); });
    ct.appendChild(ch);
    cats.forEach(function (c) {
      var tr = el("tr", "guatu-dash-row");
      tr.appendChild(el("td", "guatu-dash-name", c.name));
      tr.appendChild(el("td", "guatu-num", c.places));
      tr.appendChild(el("td", "guatu-num", c.open));
      tr.appendChild(el("td", "guatu-num", c.closed));
      tr.appendChild(el("td", "guatu-num" + (c.overdue ? " guatu-alert" : ""), c.overdue));
      ct.appendChild(tr);
    });
    cat.appendChild(ct);
    box.appendChild(cat);

    var alerts = section("逾期 " + d.overdue.total + " · 过夜 " + d.overnight.total, "guatu-dash-alerts");
    var list = el("ul", "guatu-alerts");
    var rows = [];
    var n = Math.max(d.overdue.rows.length, d.overnight.rows.length);
    for (var i = 0; i < n; i++) {
      if (d.overdue.rows[i]) rows.push(["overdue", d.overdue.rows[i]]);
      if (d.overnight.rows[i]) rows.push(["overnight", d.overnight.rows[i]]);
    }
    rows.forEach(function (pair) {
      var r = pair[1];
      var item = el("li", "guatu-alert-row is-" + pair[0]);
      item.dataset.id = r.id;
      item.appendChild(el("span", "guatu-alert-kind", pair[0] === "overdue" ? "逾期 " + r.days_late + " 天" : "过夜 " + (r.days_open || 1) + " 天"));
      item.appendChild(el("span", "guatu-alert-place", r.name));
      item.appendChild(el("span", "guatu-alert-problem", r.category ? r.category + ":" + (r.problem || "") : r.problem));
      item.appendChild(el("span", "guatu-alert-who", r.responsible || ""));
      L.DomEvent.on(item, "click", function () { self.wall.select(r.layer, r.id); });
      list.appendChild(item);
    });
    alerts.appendChild(list);
    box.appendChild(alerts);
    this.fitDashboard();
  };

  // --- plan against actual (时间节点) ----------------------------------------------
  // Asked again when the state revision or the day moved, at most every
  // MILESTONE_GAP_MS (a later change is fetched when the gap is over).
  Panels.prototype.loadMilestones = function () {
    var self = this;
    var wait = this.milestonesAsked + MILESTONE_GAP_MS - Date.now();
    if (wait > 0) {
      if (!this.milestonesTimer) {
        this.milestonesTimer = window.setTimeout(function () {
          self.milestonesTimer = null;
          self.loadMilestones();
        }, wait);
      }
      return Promise.resolve();
    }
    this.milestonesAsked = Date.now();
    return this.wall.fetchJSON(this.o.api.milestones).then(function (r) {
      self.renderMilestones(r.body);
    }, function (err) { self.wall.errors.push(String(err)); });
  };

  // Today's share done against the plan, the verdict, the next milestone; the
  // whole campaign's, even on a screen of one sub-district (the plan is set for all).
  Panels.prototype.renderMilestones = function (m) {
    var old = this.milestoneBox;
    if (!m.milestones || !m.milestones.length) {
      if (old && old.parentNode) old.parentNode.removeChild(old);
      this.milestoneBox = null;
      return;
    }
    var scoped = this.view.street || this.view.community;
    var s = section(scoped ? "时间节点(全区)" : "时间节点", "guatu-dash-milestones");
    s.dataset.verdict = m.verdict;
    var verdict = VERDICTS[m.verdict] || ["", m.verdict];
    var today = el("p", "guatu-ms-today");
    today.appendChild(el("span", "guatu-verdict is-" + m.verdict, verdict[0] + " " + verdict[1]));
    today.appendChild(el("span", "guatu-ms-share", "完成 " + share(m.share_done) + " · 计划 " + share(m.share_planned)));
    s.appendChild(today);
    var bar = el("span", "guatu-ms-bar");
    var done = bar.appendChild(el("span", "guatu-ms-done is-" + m.verdict));
    done.style.width = Math.min(100, 100 * m.share_done) + "%";
    var plan = bar.appendChild(el("span", "guatu-ms-plan"));
    plan.style.left = Math.min(100, 100 * m.share_planned) + "%";
    plan.title = "今日计划 " + share(m.share_planned);
    s.appendChild(bar);
    var n = m.next;
    var left = n ? (n.days_left ? "还有 " + n.days_left + " 天" : "今天到期") : "";
    s.appendChild(el("p", "guatu-ms-next", n
      ? "下一节点 " + [n.label, n.date].filter(Boolean).join(" ") + " · " + left + " · 计划完成 " + share(n.share_planned)
      : "全部时间节点已过"));
    if (old && old.parentNode) old.parentNode.replaceChild(s, old);
    else {
      var totals = this.dashBox && this.dashBox.querySelector(".guatu-dash-totals");
      if (totals) totals.parentNode.insertBefore(s, totals.nextSibling);
    }
    this.milestoneBox = s;
    if (s.parentNode) this.fitDashboard();
  };

  // A screen nobody touches cannot scroll: drop table rows from the bottom of
  // the longest lists until the dashboard fits the screen.
  Panels.prototype.fitDashboard = function () {
    var box = this.dashBox;
    var lists = [".guatu-alerts", ".guatu-dash-categories table", ".guatu-dash-communities table", ".guatu-dash-streets table"]
      .map(function (sel) { return box.querySelector(sel); })
      .filter(Boolean);
    var guard = 400;
    while (box.scrollHeight > box.clientHeight + 1 && guard-- > 0) {
      var longest = null;
      lists.forEach(function (l) {
        var rows = l.querySelectorAll(".guatu-dash-row, .guatu-alert-row").length;
        if (rows > 3 && (!longest || rows > longest.rows)) longest = { list: l, rows: rows };
      });
      if (!longest) break;
      var all = longest.list.querySelectorAll(".guatu-dash-row, .guatu-alert-row");
      all[all.length - 1].remove();
    }
  };

  // Completion (% of places done, line) over the days, with the ledger
  // problems found (up) and closed (down) each day as bars.
  Panels.prototype.chart = function (p) {
    var W = 600;
    var H = 230;
    var L0 = 46;
    var R0 = 12;
    var top = 14;
    var mid = 140;
    var bottom = 200;
    var n = p.days.length;
    var box = svg("svg", { viewBox: "0 0 " + W + " " + H, class: "guatu-chart", role: "img" });
    box.appendChild(svg("title", {}, "完成率与每日问题"));
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
    box.appendChild(svg("text", { x: L0 + 4, y: base - half + 2, class: "guatu-chart-axis guatu-chart-key-opened" }, "▲ 发现 最多 " + maxBar));
    box.appendChild(svg("text", { x: L0 + 4, y: base + half + 4, class: "guatu-chart-axis guatu-chart-key-closed" }, "▼ 销号"));
    return box;
  };

  guatu.panels = function (wall) { return new Panels(wall); };
  guatu.panelControl = control; // a Leaflet control around a panel (wall-inspections.js)
})();
