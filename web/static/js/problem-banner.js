/*
 * The problem banner on every page: what is wrong now, in the words of the
 * server's message catalogue.
 *
 * Two sources:
 *  - /api/health's `problems` ({code, where, message, remedy}: a layer file
 *    that cannot be read, the database down…), asked at the page's rhythm
 *    (a wall map's refresh interval; 30 s elsewhere);
 *  - this page's own requests: the server cannot be reached, or answered 5xx
 *    ("showing data as of HH:MM", in the campaign's time zone). A wall map
 *    reports each poll with `report(ok, status)`, so its screen says so on
 *    the first failed poll and clears on the first good one.
 *
 * The banner never covers the map's centre (a strip at the top: centred
 * between the title and the dashboard on a wall), pushes a page's text down
 * rather than covering it, and never clears anything the page shows. Every text is a text node: nothing from the server is
 * parsed as HTML.
 *
 * Options ({health, timezone, refreshSeconds, mode, texts, displayToken}) come from the
 * server: map pages pass them from their options to `banner.start()`; other
 * pages put them on their entry script's tag (data-options, pages/banner.js).
 * One banner per page, made by the page's entry module.
 */
export function Banner() {
  this.o = null;
  this.el = null;
  this.problems = [];
  this.failure = null; // {offline: bool, status: number} while the page's requests fail
  this.lastGood = null; // when the page last had fresh data
  this.timer = null;
}

Banner.prototype.start = function (options) {
  if (this.o || !options) return this; // one banner per page, whoever starts it first
  this.o = options;
  this.lastGood = new Date(); // the page was just served
  var self = this;
  var build = function () {
    self.build();
    self.check();
  };
  if (document.body) build();
  else document.addEventListener("DOMContentLoaded", build);
  return this;
};

Banner.prototype.build = function () {
  var box = document.createElement("div");
  box.className = "guatu-problem-banner guatu-problem-banner-" + (this.o.mode || "page");
  box.setAttribute("role", "alert");
  box.setAttribute("aria-live", "assertive");
  box.hidden = true;
  // over a map it floats at the top; on a page of text it comes first, pushing the text down
  if (this.o.mode === "page") document.body.insertBefore(box, document.body.firstChild);
  else document.body.appendChild(box);
  this.el = box;
  this.render();
};

// Ask /api/health; then again after the page's interval (start to start).
Banner.prototype.check = function () {
  var self = this;
  var seconds = Math.max(2, Number(this.o.refreshSeconds) || 30);
  var next = function () {
    window.clearTimeout(self.timer);
    self.timer = window.setTimeout(function () { self.check(); }, seconds * 1000);
  };
  var headers = this.o.displayToken ? { "X-Guatu-Display": this.o.displayToken } : {};
  fetch(this.o.health, { headers: headers, cache: "no-store", credentials: "same-origin" })
    .then(function (resp) {
      var json = resp.headers.get("Content-Type") || "";
      if (json.indexOf("json") < 0) return { status: resp.status, body: null };
      return resp.json().then(function (body) { return { status: resp.status, body: body }; });
    })
    .then(function (r) {
      if (r.body && Array.isArray(r.body.problems)) {
        self.problems = r.body.problems;
        if (!self.reporting) self.report(true);
      } else if (r.status >= 500 && !self.reporting) {
        self.report(false, r.status);
      }
      self.render();
    })
    .catch(function () {
      if (!self.reporting) self.report(false, 0);
      self.render();
    })
    .then(next, next);
};

// A page whose own requests say whether it has fresh data (the wall's poll) reports
// each one: ok, or the HTTP status that failed (0: the server could not be reached).
Banner.prototype.report = function (ok, status, fromPage) {
  if (fromPage) this.reporting = true;
  if (ok) {
    var recovered = this.failure || this.problems.length;
    this.failure = null;
    this.lastGood = new Date();
    if (recovered && fromPage && this.el) this.check(); // the page is back: ask whether the rest is too
  } else {
    this.failure = { offline: !status, status: status || 0 };
  }
  this.render();
};

Banner.prototype.time = function (date) {
  if (!date) return this.o.texts["banner.never"];
  try {
    return new Intl.DateTimeFormat("zh-CN", {
      timeZone: this.o.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).format(date);
  } catch {
    return date.toTimeString().slice(0, 5);
  }
};

Banner.prototype.lines = function () {
  var t = this.o.texts;
  var out = [];
  if (this.failure) {
    // a server that answers says itself what is wrong (the problems below): then only say since when
    var key = this.failure.offline ? "banner.offline" : this.problems.length ? "banner.stale" : "banner.server_error";
    out.push({ message: fill(t[key], { time: this.time(this.lastGood), status: this.failure.status }) });
  }
  this.problems.forEach(function (p) { out.push({ message: p.message, remedy: p.remedy }); });
  return out;
};

Banner.prototype.render = function () {
  if (!this.el) return;
  var lines = this.lines();
  var box = this.el;
  while (box.firstChild) box.removeChild(box.firstChild);
  var remedyLabel = this.o.texts["banner.remedy"];
  lines.forEach(function (line) {
    var p = document.createElement("p");
    p.className = "guatu-problem";
    p.appendChild(document.createTextNode(String(line.message || "")));
    if (line.remedy) {
      var r = document.createElement("span");
      r.className = "guatu-problem-remedy";
      r.appendChild(document.createTextNode(remedyLabel + String(line.remedy)));
      p.appendChild(r);
    }
    box.appendChild(p);
  });
  box.hidden = !lines.length;
  document.documentElement.dataset.guatuProblems = String(lines.length);
};

function fill(text, params) {
  return String(text || "").replace(/\{(\w+)\}/g, function (m, name) {
    return name in params ? String(params[name]) : m;
  });
}
