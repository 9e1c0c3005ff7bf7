/*
 * Guatu 进度回放 (playback): the wall map as it stood at the end of each day of a
 * range, stepping day by day and looping; with mode=compare, the first and the
 * last day side by side (整治前 / 整治后) on two synchronised maps.
 *
 * Loaded on /wall/playback after wallmap.js (web/playback.py builds the wall's
 * own page, live polling off). The page's options carry `playback`: {mode, from,
 * to, speed (seconds per day), api, ignored}. GET /api/playback (geo/playback.py)
 * is read once: per layer the places' ids and their status at the end of the day
 * before `from`; per day the changes, and the places per status (the timeline's).
 * Each day's state goes to the wall through `wall.showState` (wallmap.js), so the
 * wall's own canvas, tooltips and names draw it. Places deleted since come with
 * their last geometry and are drawn until the day they went. A screen showing a
 * part of the campaign (street=, community=, layers=) counts its own places; a
 * whole-campaign screen shows the timeline's counts.
 *
 * No keyboard needed: it autoplays and loops. With a mouse: the button pauses and
 * plays, a click on the curve shows that day. Every text is a text node.
 * `guatu.playbacks[0]` is the page's playback: pause(), play(), show(day index).
 */
(function () {
  "use strict";

  var guatu = (window.guatu = window.guatu || {});
  var SVG = "http://www.w3.org/2000/svg";
  var HOLD_STEPS = 4; // the last day stays this many steps (at least HOLD_MS) before the loop starts again
  var HOLD_MS = 3000;
  var WEEKDAYS = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];
  var root = document.documentElement;

  function el(tag, className, text) { return guatu.util.el(tag, className, text); }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function pct(share) { return Math.round(share * 1000) / 10; }

  function longDate(iso) {
    var p = iso.split("-").map(Number);
    return p[0] + "年" + p[1] + "月" + p[2] + "日";
  }

  function weekday(iso) {
    var p = iso.split("-").map(Number);
    return WEEKDAYS[new Date(Date.UTC(p[0], p[1] - 1, p[2])).getUTCDay()];
  }

  function control(map, position, box) {
    var Box = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      },
    });
    new Box().addTo(map);
  }

  // --- the replay: statuses of every place, one day after another ------------------
  function Model(doc) {
    this.doc = doc;
    this.layers = doc.layers.map(function (l) { return { id: l.id, ids: guatu.unpackIds(l.ids) }; });
    this.reset();
  }

  Model.prototype.reset = function () {
    this.codes = this.doc.layers.map(function (l) { return Int32Array.from(l.start); });
    this.day = -1; // the end of the day before `from`
  };

  // each(layer index, place index, status index before, after) for every change applied
  Model.prototype.apply = function (d, each) {
    var flat = this.doc.days[d].changes;
    for (var k = 0; k < flat.length; k += 3) {
      var codes = this.codes[flat[k]];
      var before = codes[flat[k + 1]];
      codes[flat[k + 1]] = flat[k + 2];
      if (each) each(flat[k], flat[k + 1], before, flat[k + 2]);
    }
    this.day = d;
  };

  Model.prototype.seek = function (d) {
    if (d < this.day) this.reset();
    while (this.day < d) this.apply(this.day + 1);
  };

  // The day's state, shaped like the wall's unpacked full state; `live` lends the revisions.
  Model.prototype.state = function (live) {
    var doc = this.doc;
    var day = doc.days[this.day];
    var layers = {};
    var codes = this.codes;
    this.layers.forEach(function (l, n) {
      var features = {};
      var c = codes[n];
      for (var i = 0; i < c.length; i++) if (c[i] >= 0) features[l.ids[i]] = [doc.statuses[c[i]], 0, 0, 0, 0];
      var was = (live && live.layers[l.id]) || {};
      layers[l.id] = { features: features, revision: was.revision || 0, shapes: was.shapes || 0, counts: {} };
    });
    return { kind: "full", format: "playback", revision: live ? live.revision : doc.revision, head: live ? live.head : doc.revision,
             day: day.date, after_cutoff: false, as_of: day.end, layers: layers };
  };

  // Per day: places per status, total, done, share done. The timeline's for a whole
  // campaign; counted here, in one pass over the changes, when `inScope` picks a part.
  function series(doc, inScope) {
    if (!inScope) {
      return doc.days.map(function (d) { return { counts: d.counts, total: d.total, done: d.done, share: d.share_done }; });
    }
    var done = {};
    doc.done.forEach(function (k) { done[k] = true; });
    var counts = {};
    var total = 0;
    var nDone = 0;
    var add = function (code, sign) {
      if (code < 0) return;
      var key = doc.statuses[code];
      counts[key] = (counts[key] || 0) + sign;
      total += sign;
      if (done[key]) nDone += sign;
    };
    var model = new Model(doc);
    model.codes.forEach(function (codes, n) {
      for (var i = 0; i < codes.length; i++) if (inScope(n, i)) add(codes[i], 1);
    });
    return doc.days.map(function (d, k) {
      model.apply(k, function (n, i, before, after) {
        if (!inScope(n, i)) return;
        add(before, -1);
        add(after, 1);
      });
      return { counts: L.extend({}, counts), total: total, done: nDone, share: total ? Math.round((10000 * nDone) / total) / 10000 : 0 };
    });
  }

  // --- the page --------------------------------------------------------------------
  function Playback(wall) {
    var self = this;
    var o = wall.options.playback;
    this.wall = wall;
    this.o = o;
    this.mode = o.mode === "compare" ? "compare" : "play";
    this.speed = Math.max(0.2, Number(o.speed) || 0.8);
    this.playing = this.mode === "play";
    this.at = 0;
    root.dataset.guatuPlayback = this.mode;
    root.dataset.guatuPlaybackReady = "false";
    wall.map.getContainer().classList.add("guatu-playback-map", "guatu-playback-first");
    this.walls = [wall];
    if (this.mode === "compare") this.walls.push(this.second(wall));
    var loaded = this.walls.map(function (w) {
      return new Promise(function (resolve) { w.map.once("guatu:state", function () { resolve(w); }); });
    });
    this.load = function () {
      Promise.all([self.fetch()].concat(loaded)).then(function (r) { self.begin(r[0]); }).catch(function (err) {
        wall.errors.push(String(err));
        wall.showBanner("回放数据加载失败,正在重试……");
        window.setTimeout(self.load, 5000);
      });
    };
    this.load();
  }

  Playback.prototype.fetch = function () {
    var wall = this.wall;
    var crs = wall.crs;
    var url = wall.url(this.o.api, null, { from: this.o.from, to: this.o.to, crs: crs !== "wgs84" ? crs : null });
    return wall.fetchJSON(url).then(function (r) {
      r.body.crs = crs;
      return r.body;
    });
  };

  // The second map of a comparison: the same page options, beside the first, moving with it.
  Playback.prototype.second = function (first) {
    var m1 = first.map;
    var box = el("div", "guatu-playback-second");
    document.body.appendChild(box);
    var map = L.map(box, { center: m1.getCenter(), zoom: m1.getZoom(), zoomControl: false, preferCanvas: true,
                           zoomSnap: m1.options.zoomSnap, zoomDelta: m1.options.zoomDelta, crs: m1.options.crs });
    L.control.scale().addTo(map);
    m1.eachLayer(function (layer) { // a campaign's fixed tile layer (map.tiles); basemaps.js adds its own
      if (layer instanceof L.TileLayer && !layer.guatuBasemap) L.tileLayer(layer._url, layer.options).addTo(map);
    });
    var options = JSON.parse(JSON.stringify(first.options));
    options.playback.role = "after";
    var wall = guatu.wallMap(map, options);
    box.classList.add("guatu-playback-map", "guatu-playback-last");
    follow(m1, map);
    return wall;
  };

  function follow(a, b) {
    var busy = false;
    var link = function (from, to) {
      return function () {
        if (busy) return;
        busy = true;
        to.setView(from.getCenter(), from.getZoom(), { animate: false });
        busy = false;
      };
    };
    a.on("move zoomend", link(a, b));
    b.on("move zoomend", link(b, a));
  }

  Playback.prototype.begin = function (doc) {
    var self = this;
    this.doc = doc;
    this.crs = doc.crs;
    this.last = doc.days.length - 1;
    this.views = this.walls.map(function (wall, n) {
      var view = { wall: wall, model: new Model(doc), live: wall.state, extra: self.extras(wall, doc), role: n ? "after" : "before" };
      wall.map.on("guatu:shapes", function () { self.redrawn(view); });
      return view;
    });
    var scoped = this.scoped();
    (scoped ? this.wall.loadAttributes() : Promise.resolve()).then(function () {
      self.days = series(doc, scoped ? self.scopeTest() : null);
      self.build();
      self.show(self.mode === "compare" ? self.last : 0);
      root.dataset.guatuPlaybackReady = "true";
      if (self.playing) self.schedule();
    }).catch(function (err) {
      self.wall.errors.push(String(err));
      self.wall.showBanner("回放数据加载失败");
    });
  };

  // A screen showing a part of the campaign: a sub-district, a community or some layers.
  Playback.prototype.scoped = function () {
    var shown = this.wall.options.layers.map(function (x) { return x.id; });
    var view = this.wall.view;
    return !!(view.street || view.community) || this.doc.layers.some(function (l) { return shown.indexOf(l.id) < 0; });
  };

  Playback.prototype.scopeTest = function () {
    var wall = this.wall;
    var view = wall.view;
    var shown = {};
    wall.options.layers.forEach(function (x) { shown[x.id] = true; });
    var fits = function (p) {
      return !!p && (!view.street || p.street === view.street) && (!view.community || p.community === view.community);
    };
    var model = this.views[0].model;
    var table = this.doc.layers.map(function (l, n) {
      var ids = model.layers[n].ids;
      var ok = new Uint8Array(ids.length);
      if (!shown[l.id]) return ok;
      var attrs = (wall.attrs[l.id] && wall.attrs[l.id].byId) || {};
      var extra = (l.extra && l.extra.attributes) || {};
      for (var i = 0; i < ids.length; i++) ok[i] = fits(attrs[ids[i]] || extra[ids[i]]) ? 1 : 0;
      return ok;
    });
    return function (n, i) { return table[n][i] === 1; };
  };

  // Places gone since (deleted), drawn from their last geometry while they stood.
  Playback.prototype.extras = function (wall, doc) {
    var out = {};
    doc.layers.forEach(function (l) {
      if (!l.extra || !(l.id in wall.all)) return;
      var geometry = l.extra.geometry;
      var places = guatu.placesFromPacked(geometry, l.id, guatu.unpackIds(geometry.ids));
      places.forEach(function (p) { p.feature.properties = l.extra.attributes[p.feature.id] || {}; });
      out[l.id] = places.filter(function (p) { return wall.inScope(p); });
    });
    return out;
  };

  // A layer's shapes were drawn again (a large layer's viewport, another display CRS):
  // its places gone since are added back, fetched again if the CRS changed.
  Playback.prototype.redrawn = function (view) {
    var self = this;
    if (view.pending) return;
    view.pending = true;
    window.setTimeout(function () {
      view.pending = false;
      if (view.wall.crs === self.crs) {
        view.extra = self.extras(view.wall, self.doc);
        self.paint(view);
        return;
      }
      self.fetch().then(function (doc) {
        self.crs = doc.crs;
        self.views.forEach(function (v) {
          v.extra = self.extras(v.wall, doc);
          self.paint(v);
        });
      }, function (err) { view.wall.errors.push(String(err)); });
    }, 0);
  };

  Playback.prototype.paint = function (view) {
    view.wall.showState(view.model.state(view.live), view.extra);
  };

  Playback.prototype.show = function (d) {
    var self = this;
    this.at = d;
    this.views.forEach(function (v) {
      v.model.seek(self.mode === "compare" && v.role === "before" ? 0 : d);
      v.panel.render(v.model.day); // first: names on the map keep clear of the panel at its new size
      self.paint(v);
    });
    if (this.spark) this.spark.mark(d);
    root.dataset.guatuPlaybackDay = this.doc.days[d].date;
  };

  // --- stepping --------------------------------------------------------------------
  Playback.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    if (!this.playing || this.last < 1) return;
    var step = this.speed * 1000;
    var wait = this.at >= this.last ? Math.max(HOLD_MS, HOLD_STEPS * step) : step;
    this.timer = window.setTimeout(function () {
      self.show(self.at >= self.last ? 0 : self.at + 1);
      self.schedule();
    }, wait);
  };

  Playback.prototype.play = function () {
    this.playing = true;
    this.schedule();
    this.controls();
  };

  Playback.prototype.pause = function () {
    this.playing = false;
    window.clearTimeout(this.timer);
    this.controls();
  };

  Playback.prototype.jump = function (d) {
    this.show(Math.max(0, Math.min(this.last, d)));
    this.schedule();
  };

  Playback.prototype.controls = function () {
    root.dataset.guatuPlaybackState = this.playing ? "playing" : "paused";
    if (this.button) this.button.textContent = this.playing ? "⏸ 暂停" : "▶ 播放";
  };

  // --- panels ----------------------------------------------------------------------
  Playback.prototype.build = function () {
    var self = this;
    this.views.forEach(function (v) {
      var compare = self.mode === "compare";
      var heading = compare ? (v.role === "before" ? "整治前" : "整治后") : "进度回放";
      v.panel = new DayPanel(self, v, heading);
      var box = v.panel.box;
      if (!compare) {
        self.spark = new Spark(self);
        box.appendChild(self.spark.box);
        box.appendChild(self.buildControls());
      } else if (v.role === "before") {
        box.appendChild(self.buildControls());
      }
      if (self.o.ignored && self.o.ignored.length && v.role === "before") {
        box.appendChild(el("p", "guatu-playback-ignored", "参数有误,已用默认值:" + self.o.ignored.join(";")));
      }
      if (v.wall.options.source && v.role === "before") box.appendChild(el("p", "guatu-source", v.wall.options.source));
      control(v.wall.map, "bottomleft", box);
    });
    this.controls();
  };

  Playback.prototype.buildControls = function () {
    var self = this;
    var p = el("p", "guatu-playback-controls");
    if (this.mode === "play") {
      this.button = el("button", "guatu-playback-button", "");
      this.button.type = "button";
      L.DomEvent.on(this.button, "click", function () { if (self.playing) self.pause(); else self.play(); });
      p.appendChild(this.button);
      p.appendChild(el("span", "guatu-playback-speed", "每天 " + this.speed + " 秒,循环播放"));
    }
    if (!this.wall.token) { // a display link shows its own URL: nothing to switch to
      var url = new URL(window.location.href);
      url.searchParams.set("mode", this.mode === "play" ? "compare" : "play");
      var a = el("a", "guatu-playback-switch", this.mode === "play" ? "整治前后对比" : "逐日回放");
      a.href = url.pathname + url.search;
      p.appendChild(a);
    }
    return p;
  };

  // The date, the share done and the places per status of the day a map shows.
  function DayPanel(playback, view, heading) {
    var self = this;
    this.pb = playback;
    this.view = view;
    var box = el("div", "guatu-panel guatu-playback-panel guatu-playback-" + view.role);
    var doc = playback.doc;
    box.appendChild(el("p", "guatu-playback-kicker", heading));
    if (playback.mode === "play") box.appendChild(el("p", "guatu-playback-range", doc.from + " 至 " + doc.to));
    this.date = el("p", "guatu-playback-date", "");
    this.dayNo = el("p", "guatu-playback-dayno", "");
    box.appendChild(this.date);
    box.appendChild(this.dayNo);
    var share = el("p", "guatu-playback-share");
    this.pct = el("span", "guatu-playback-pct", "");
    this.doneText = el("span", "guatu-playback-done", "");
    share.appendChild(this.pct);
    share.appendChild(this.doneText);
    box.appendChild(share);
    if (playback.mode === "compare" && view.role === "after") { // 蝶变: what the range changed
      this.gain = el("p", "guatu-playback-gain", "");
      box.appendChild(this.gain);
    }
    this.bar = el("span", "guatu-bar guatu-playback-bar");
    box.appendChild(this.bar);
    var list = el("ul", "guatu-playback-counts");
    this.counts = {};
    view.wall.options.statuses.forEach(function (s) {
      var item = el("li");
      item.dataset.status = s.key;
      var swatch = el("span", "guatu-swatch");
      swatch.style.background = s.color;
      swatch.style.borderColor = guatu.util.darken(s.color, 0.45);
      item.appendChild(swatch);
      item.appendChild(el("span", "guatu-legend-label", s.label));
      self.counts[s.key] = el("span", "guatu-legend-count", "—");
      item.appendChild(self.counts[s.key]);
      list.appendChild(item);
    });
    box.appendChild(list);
    this.box = box;
  }

  DayPanel.prototype.render = function (d) {
    var self = this;
    var row = this.pb.days[d];
    var day = this.pb.doc.days[d];
    this.box.dataset.day = day.date;
    this.date.textContent = longDate(day.date);
    this.dayNo.textContent = weekday(day.date) + (this.pb.mode === "play" ? " · 第 " + (d + 1) + " 天 / 共 " + this.pb.doc.days.length + " 天" : "");
    this.pct.textContent = "完成率 " + pct(row.share) + "%";
    this.doneText.textContent = "完成 " + row.done + " / " + row.total + " 处";
    if (this.gain) {
      var first = this.pb.days[0];
      var points = Math.round((row.share - first.share) * 1000) / 10;
      this.gain.textContent = "比整治前 " + (points >= 0 ? "+" : "") + points + " 个百分点,完成处数 " +
        (row.done - first.done >= 0 ? "+" : "") + (row.done - first.done);
    }
    this.box.dataset.share = String(row.share);
    this.bar.textContent = "";
    this.view.wall.options.statuses.forEach(function (s) {
      var n = row.counts[s.key] || 0;
      self.counts[s.key].textContent = String(n);
      if (!n || !row.total) return;
      var part = el("span", "guatu-bar-part");
      part.style.width = (100 * n) / row.total + "%";
      part.style.background = s.color;
      self.bar.appendChild(part);
    });
  };

  // The share done over the range as a curve, the day shown marked; a click shows a day.
  function Spark(playback) {
    var self = this;
    var W = 400;
    var H = 130;
    var L0 = 44;
    var R0 = 8;
    var top = 14;
    var bottom = 102;
    var days = playback.days;
    var n = days.length;
    this.x = function (i) { return L0 + (n > 1 ? (i * (W - L0 - R0)) / (n - 1) : (W - L0 - R0) / 2); };
    this.y = function (share) { return bottom - (bottom - top) * share; };
    var box = svg("svg", { viewBox: "0 0 " + W + " " + H, class: "guatu-chart guatu-playback-spark", role: "img" });
    box.appendChild(svg("title", {}, "完成率曲线(点击查看某一天)"));
    [0, 0.5, 1].forEach(function (v) {
      box.appendChild(svg("line", { x1: L0, x2: W - R0, y1: self.y(v), y2: self.y(v), class: "guatu-chart-grid" }));
      box.appendChild(svg("text", { x: L0 - 6, y: self.y(v) + 5, "text-anchor": "end", class: "guatu-chart-axis" }, v * 100 + "%"));
    });
    var pts = days.map(function (d, i) { return self.x(i).toFixed(1) + "," + self.y(d.share).toFixed(1); });
    if (n > 1) {
      box.appendChild(svg("polygon", { points: L0 + "," + this.y(0) + " " + pts.join(" ") + " " + this.x(n - 1) + "," + this.y(0),
                                       class: "guatu-chart-area" }));
    }
    box.appendChild(svg("polyline", { points: pts.join(" "), class: "guatu-chart-line" }));
    this.cursor = svg("line", { x1: 0, x2: 0, y1: top - 4, y2: bottom, class: "guatu-playback-cursor" });
    this.dot = svg("circle", { cx: 0, cy: 0, r: 7, class: "guatu-playback-dot" });
    this.value = svg("text", { x: 0, y: 0, class: "guatu-chart-value guatu-playback-value" }, "");
    box.appendChild(this.cursor);
    box.appendChild(this.dot);
    box.appendChild(this.value);
    box.appendChild(svg("text", { x: L0, y: H - 6, class: "guatu-chart-axis" }, playback.doc.from));
    box.appendChild(svg("text", { x: W - R0, y: H - 6, "text-anchor": "end", class: "guatu-chart-axis" }, playback.doc.to));
    L.DomEvent.on(box, "click", function (e) {
      var r = box.getBoundingClientRect();
      var vx = ((e.clientX - r.left) * W) / r.width;
      playback.jump(n > 1 ? Math.round(((vx - L0) * (n - 1)) / (W - L0 - R0)) : 0);
    });
    this.W = W;
    this.box = box;
    this.days = days;
  }

  Spark.prototype.mark = function (d) {
    var x = this.x(d);
    var y = this.y(this.days[d].share);
    this.cursor.setAttribute("x1", x);
    this.cursor.setAttribute("x2", x);
    this.dot.setAttribute("cx", x);
    this.dot.setAttribute("cy", y);
    var right = x > this.W * 0.75;
    this.value.setAttribute("x", right ? x - 10 : x + 10);
    this.value.setAttribute("y", Math.max(y - 10, 24));
    this.value.setAttribute("text-anchor", right ? "end" : "start");
    this.value.textContent = pct(this.days[d].share) + "%";
  };

  guatu.playbacks = guatu.playbacks || [];
  guatu.onWallMap(function (wall) {
    var o = wall.options && wall.options.playback;
    if (!o || o.role === "after") return; // the second map of a comparison is driven by the first one's playback
    guatu.playbacks.push(new Playback(wall));
  });
})();
