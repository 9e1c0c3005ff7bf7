/*
 * 进度回放 (playback): the wall map as it stood at the end of each day of a
 * range, stepping day by day and looping; with mode=compare, the first and the
 * last day side by side (整治前 / 整治后) on two synchronised maps, and a chosen
 * place's before and after photos beside them (wall/playback-photos.js).
 *
 * Started on /wall/playback by pages/playback.js (web/playback.py builds the
 * wall's own page, live polling off); the replay itself is wall/playback-model.js. The page's options carry `playback`: {mode, from,
 * to, speed (seconds per day), api, ignored}. GET /api/playback (geo/playback.py)
 * is read once: per layer the places' ids and their status at the end of the day
 * before `from`; per day the changes, and the places per status (the timeline's).
 * Each day's state goes to the wall through `wall.showState` (wall/sync.js), so the
 * wall's own canvas, tooltips and names draw it. Places deleted since come with
 * their last geometry and are drawn until the day they went. A screen showing a
 * part of the campaign (street=, community=, layers=) counts its own places; a
 * whole-campaign screen shows the timeline's counts.
 *
 * No keyboard needed: it autoplays and loops. With a mouse: the button pauses and
 * plays, a click on the curve shows that day. Every text is a text node.
 * The page's playback: pause(), play(), show(day index).
 */
import { ComparePhotos } from "./playback-photos.js";
import { Model, series } from "./playback-model.js";
import { unpackIds } from "./packed.js";
import { placesFromPacked } from "./place.js";
import { darken, el, panelControl, svg } from "../lib/dom.js";
import { t } from "../lib/messages.js";

var HOLD_STEPS = 4; // the last day stays this many steps (at least HOLD_MS) before the loop starts again
var HOLD_MS = 3000;
var root = document.documentElement;


function pct(share) { return Math.round(share * 1000) / 10; }

function longDate(iso) {
  var p = iso.split("-").map(Number);
  return t("playback.date", { y: p[0], m: p[1], d: p[2] });
}

function weekday(iso) {
  var p = iso.split("-").map(Number);
  return t("playback.weekday." + new Date(Date.UTC(p[0], p[1] - 1, p[2])).getUTCDay());
}

// --- the page --------------------------------------------------------------------
export function Playback(wall, makeWall) {
  var self = this;
  var o = wall.options.playback;
  this.makeWall = makeWall; // starts the second map of a comparison as the page started the first
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
    Promise.all([self.fetch()].concat(loaded)).then(function (r) {
      wall.showBanner("", "playback");
      self.begin(r[0]);
    }).catch(function (err) {
      wall.errors.push(String(err));
      wall.showBanner(t("playback.load_failed_retrying"), "playback");
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
  m1.invalidateSize(); // on a phone the pair is stacked (wallmap.css): the first map is now the top half
  var map = L.map(box, { center: m1.getCenter(), zoom: m1.getZoom(), zoomControl: false, preferCanvas: true,
                         zoomSnap: m1.options.zoomSnap, zoomDelta: m1.options.zoomDelta, crs: m1.options.crs });
  L.control.scale().addTo(map);
  m1.eachLayer(function (layer) { // a campaign's fixed tile layer (map.tiles); basemaps.js adds its own
    if (layer instanceof L.TileLayer && !layer.guatuBasemap) L.tileLayer(layer._url, layer.options).addTo(map);
  });
  var options = JSON.parse(JSON.stringify(first.options));
  options.playback.role = "after";
  var wall = this.makeWall(map, options);
  box.classList.add("guatu-playback-map", "guatu-playback-last");
  follow(m1, map);
  m1.setView(map.getCenter(), map.getZoom(), { animate: false }); // stacked on a phone, the first was fitted to its old box
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
    if (self.mode === "compare") self.photos = new ComparePhotos(self.views); // a chosen place's before and after
    self.show(self.mode === "compare" ? self.last : 0);
    root.dataset.guatuPlaybackReady = "true";
    if (self.playing) self.schedule();
  }).catch(function (err) {
    self.wall.errors.push(String(err));
    self.wall.showBanner(t("playback.load_failed"), "playback");
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
    var places = placesFromPacked(geometry, l.id, unpackIds(geometry.ids));
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
  if (this.button) this.button.textContent = t(this.playing ? "playback.pause" : "playback.play");
};

// --- panels ----------------------------------------------------------------------
Playback.prototype.build = function () {
  var self = this;
  this.views.forEach(function (v) {
    var compare = self.mode === "compare";
    var heading = t(compare ? (v.role === "before" ? "playback.before" : "playback.after") : "playback.title");
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
      box.appendChild(el("p", "guatu-playback-ignored", t("playback.ignored", { what: self.o.ignored.join(";") })));
    }
    if (v.wall.options.source && v.role === "before") box.appendChild(el("p", "guatu-source", v.wall.options.source));
    panelControl("bottomleft", function () { return box; }).addTo(v.wall.map);
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
    p.appendChild(el("span", "guatu-playback-speed", t("playback.speed", { seconds: this.speed })));
  }
  if (!this.wall.token) { // a display link shows its own URL: nothing to switch to
    var url = new URL(window.location.href);
    url.searchParams.set("mode", this.mode === "play" ? "compare" : "play");
    var a = el("a", "guatu-playback-switch", t(this.mode === "play" ? "playback.switch_compare" : "playback.switch_play"));
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
  if (playback.mode === "play") box.appendChild(el("p", "guatu-playback-range", t("playback.range", { from: doc.from, to: doc.to })));
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
    var colour = (view.wall.colours || {})[s.key] || s.color; // as the map's theme draws it
    swatch.style.background = colour;
    swatch.style.borderColor = darken(colour, 0.45);
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
  this.dayNo.textContent = weekday(day.date) + (this.pb.mode === "play" ? t("playback.day_of", { n: d + 1, total: this.pb.doc.days.length }) : "");
  this.pct.textContent = t("playback.share", { pct: pct(row.share) });
  this.doneText.textContent = t("playback.done_of", { done: row.done, total: row.total });
  if (this.gain) {
    var first = this.pb.days[0];
    var points = Math.round((row.share - first.share) * 1000) / 10;
    this.gain.textContent = t("playback.gain", { points: (points >= 0 ? "+" : "") + points,
                                                 places: (row.done - first.done >= 0 ? "+" : "") + (row.done - first.done) });
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
  box.appendChild(svg("title", {}, t("playback.spark_title")));
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
