/*
 * The wall map's panels: title and clock, legend with counts, search, a
 * place's card. An editor's page gets links to the workflow pages at the foot
 * of the legend (never a display link's). The progress dashboard is in
 * wall/dashboard.js (its methods are composed into Panels below).
 *
 * A place's photos are a strip of thumbnails, newest first; a tap enlarges one
 * (lib/lightbox.js). A display link's card lists none unless its link allows.
 *
 * Every text is a text node: nothing a user typed is ever parsed as HTML.
 * Sizes are in em, so the big-screen stylesheet scales them.
 */
import { Coalescer } from "./coalesce.js";
import dashboard from "./dashboard.js";
import { ESCALATED_DISTRICT, ESCALATED_STREET, OVERDUE_STROKE } from "./theme.js";
import { darken, el, elAttrs, formatTime, inkOn, panelControl } from "../lib/dom.js";
import { openLightbox } from "../lib/lightbox.js";
import { t } from "../lib/messages.js";
import { forDisplay } from "../lib/photos.js";
import { PausedAsk } from "../lib/search.js";

var DASHBOARD_GAP_MS = 15000; // the dashboard is fetched at most this often, however many revisions arrive
var MILESTONE_GAP_MS = 30000; // plan against actual: at most this often
var CARD_THUMBS = 8; // thumbnails on the card; the enlarged view turns through all of them

function pct(done, total) {
  return total ? Math.round((1000 * done) / total) / 10 : 0;
}

export function Panels(wall) {
  this.wall = wall;
  this.o = wall.options;
  this.view = wall.view;
  this.dashKey = null;
  this.dashEtag = null;
  this.dashboard = null;
  this.milestoneBox = null; // the milestone section, kept across dashboard renders
  var self = this;
  // a new revision asks for the panels again; they are fetched at most once per gap (wall/coalesce.js)
  this.dashRefresh = new Coalescer(function () { return self.loadDashboard(); }, DASHBOARD_GAP_MS);
  this.milestonesRefresh = new Coalescer(function () { return self.loadMilestones(); }, MILESTONE_GAP_MS);
  var map = wall.map;
  var wallMode = wall.mode === "wall";

  panelControl("topleft", function () { return self.buildTitle(); }).addTo(map);
  panelControl("topleft", function () { return self.buildSearch(); }).addTo(map);
  panelControl("topleft", function () { return self.buildCard(); }).addTo(map);
  panelControl(wallMode ? "bottomleft" : "bottomright", function () { return self.buildLegend(); }).addTo(map);
  if (this.view.dashboard) panelControl("topright", function () { return self.buildDashboard(); }).addTo(map);

  var tick = function () { self.clock.textContent = formatTime(new Date(), self.o.timezone); };
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
  this.asOf = el("span", "guatu-asof", t("wall.as_of", { time: "—" }));
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
    parts.push(t("wall.filter.statuses") + this.view.statuses.map(function (k) { return (wall.statuses[k] || { label: k }).label; }).join(t("wall.filter.and")));
  }
  if ((this.view.categories || []).length) parts.push(t("wall.filter.categories") + this.view.categories.join(t("wall.filter.and")));
  if (this.o.layers.length < (this.o.layerCount || 0)) {
    parts.push(t("wall.filter.layers") + this.o.layers.map(function (x) { return x.title; }).join(t("wall.filter.and")));
  }
  return parts.join(" · ");
};

// The wall's own notice line, one text per source ("start", "playback", "crs"): a source's text shown until that
// source clears it (`text` empty), so a start that failed once and then came through leaves no stale notice.
Panels.prototype.banner = function (text, source) {
  this.notices = this.notices || {};
  if (text) this.notices[source || ""] = text;
  else delete this.notices[source || ""];
  var shown = Object.keys(this.notices).map(function (k) { return this.notices[k]; }, this).join(" · ");
  this.bannerEl.textContent = shown;
  this.bannerEl.hidden = !shown;
};

// --- legend ----------------------------------------------------------------------
Panels.prototype.buildLegend = function () {
  var self = this;
  var box = el("div", "guatu-panel guatu-legend");
  this.legendBox = box;
  box.appendChild(el("h2", null, t("wall.legend.title")));
  var list = el("ul");
  this.legendCounts = {};
  this.o.statuses.forEach(function (s) {
    var item = el("li");
    item.dataset.status = s.key;
    var swatch = el("span", "guatu-swatch");
    var colour = (self.wall.colours || {})[s.key] || s.color; // as the theme draws it
    swatch.style.background = colour;
    swatch.style.borderColor = darken(colour, 0.45);
    if (s.hatch) { // as the map draws it (wall/canvas.js)
      swatch.classList.add("is-hatched");
      swatch.style.backgroundImage = "repeating-linear-gradient(-45deg, transparent 0 0.25em, " + inkOn(colour) + " 0.25em 0.37em)";
    }
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
  overdue.appendChild(el("span", "guatu-legend-label", t("wall.legend.overdue")));
  this.overdueCount = el("span", "guatu-legend-count", "—");
  overdue.appendChild(this.overdueCount);
  marks.appendChild(overdue);

  var overnight = el("p", "guatu-legend-overnight");
  overnight.appendChild(el("span", "guatu-swatch-overnight"));
  overnight.appendChild(el("span", "guatu-legend-label", t("wall.legend.overnight")));
  this.overnightCount = el("span", "guatu-legend-count", "—");
  overnight.appendChild(this.overnightCount);
  marks.appendChild(overnight);

  var escalated = el("p", "guatu-legend-escalated");
  [ESCALATED_STREET, ESCALATED_DISTRICT].forEach(function (colour) {
    var mark = el("span", "guatu-swatch-escalated");
    mark.style.borderBottomColor = colour;
    escalated.appendChild(mark);
  });
  escalated.appendChild(el("span", "guatu-legend-label", t("wall.legend.escalated")));
  this.escalatedCount = el("span", "guatu-legend-count", "—");
  escalated.appendChild(this.escalatedCount);
  marks.appendChild(escalated);

  var flash = el("p", "guatu-legend-flash");
  flash.appendChild(el("span", "guatu-swatch guatu-swatch-flash"));
  flash.appendChild(el("span", "guatu-legend-label", t("wall.legend.flash")));
  marks.appendChild(flash);
  box.appendChild(marks);

  this.progress = el("p", "guatu-progress", "");
  box.appendChild(this.progress);
  if (this.o.source) box.appendChild(el("p", "guatu-source", this.o.source));
  if ((this.o.links || []).length || this.o.inbox) {
    var nav = el("nav", "guatu-links");
    (this.o.links || []).forEach(function (l) {
      var a = el("a", null, l.label);
      a.href = l.href;
      nav.appendChild(a);
    });
    if (this.o.inbox) { // the reader's notifications (web/inbox), its module loaded when there is one; none on a display link's screen
      var wall = this.wall, inbox = this.o.inbox;
      import("../inbox/bell.js").then(function (m) { m.addBell(nav, inbox); }, function (err) { wall.errors.push(String(err)); });
    }
    box.appendChild(nav);
  }
  return box;
};

// Counts of the places in the view's scope (sub-district, community, layers),
// whatever the status and category filters hide.
Panels.prototype.counts = function () {
  var wall = this.wall;
  var out = { status: {}, total: 0, done: 0, overdue: 0, overnight: 0, escalated: 0 };
  var isDone = function (status) { return !!(wall.statuses[status] && wall.statuses[status].done); };
  // a large layer's places (mostly off screen) counted all at once: the state holds the screen's scope only
  var whole = function (layerId, items) { items.tally(out, isDone); };
  // every place, drawn or not, read from the state's columns
  wall.eachPlace(function (layerId, id, props, items, i) {
    if (i < 0 || !wall.inScopeProps(props)) return;
    var status = items.statusAt(i);
    out.status[status] = (out.status[status] || 0) + 1;
    out.total += 1;
    if (isDone(status)) out.done += 1;
    out.overdue += items.overdueAt(i);
    out.overnight += items.overnightAt(i);
    if (items.escalatedAt(i)) out.escalated += 1;
  }, whole);
  return out;
};

// At a poll that found nothing changed: the dashboard or the milestones whose last load failed asked again (a
// change asks for them anyway: `update`).
Panels.prototype.owed = function () {
  if (this.dashFailed && this.view.dashboard) this.dashRefresh.ask();
  if (this.milestonesFailed && this.o.api.milestones) this.milestonesRefresh.ask();
};

Panels.prototype.update = function () {
  var self = this;
  var s = this.wall.state;
  if (this.o.refreshSeconds > 0) this.refreshCard(); // a new photo or problem shows on an open card within a poll
  var c = this.counts();
  this.o.statuses.forEach(function (st) { self.legendCounts[st.key].textContent = String(c.status[st.key] || 0); });
  this.overdueCount.textContent = String(c.overdue);
  this.overnightCount.textContent = String(c.overnight);
  this.escalatedCount.textContent = String(c.escalated);
  this.progress.textContent = t("wall.legend.progress", { total: c.total, done: c.done, pct: pct(c.done, c.total) });
  this.asOf.textContent = t("wall.as_of", { time: formatTime(s.as_of ? new Date(s.as_of) : null, this.o.timezone) });
  if (this.view.dashboard) {
    var key = [s.revision, s.head, s.day, s.after_cutoff, s.moment].join("/");
    if (key === this.dashKey) this.owed(); // a new state with the same key: what failed to load asked for again
    else {
      this.dashKey = key;
      var self2 = this;
      // after the map's first paint: the places first, then the panels
      window.requestAnimationFrame(function () {
        window.setTimeout(function () {
          self2.dashRefresh.ask();
          if (self2.o.api.milestones) self2.milestonesRefresh.ask();
          if (!self2.satisfactionTimer) self2.loadSatisfaction(); // then every minute on its own
        }, 0);
      });
    }
  }
};

// --- search ----------------------------------------------------------------------
// A combobox with its results as a listbox (WAI-ARIA): the arrow keys move the active option, Enter
// chooses it (the first when none is active), Escape clears; a click or a tap chooses too. The places of
// the layers drawn whole are found in the page at once; a large layer's are asked of the server once typing
// pauses (wall/selection.js searchLarge) and join the list when they come.
var searchCount = 0;
var SEARCH_HITS = 8;
var SEARCH_PAUSE_MS = 200;
Panels.prototype.buildSearch = function () {
  var wall = this.wall;
  var box = el("div", "guatu-panel guatu-search");
  box.setAttribute("role", "search");
  var input = el("input", "guatu-search-input");
  var listId = "guatu-search-results-" + (searchCount += 1);
  input.type = "search";
  input.placeholder = t("wall.search.placeholder");
  input.setAttribute("aria-label", t("wall.search.placeholder"));
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", listId);
  input.setAttribute("aria-expanded", "false");
  input.autocomplete = "off";
  var list = el("ol", "guatu-search-results");
  list.id = listId;
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", t("wall.search.results"));
  list.setAttribute("aria-busy", "false");
  box.appendChild(input);
  box.appendChild(list);
  this.searchInput = input;
  this.searchList = list;
  var hits = [];
  var active = -1;
  var found = null; // the large layers' places the server found for the text typed (null: not asked yet)
  var failed = false; // the server could not be asked
  var asker = new PausedAsk(SEARCH_PAUSE_MS);
  var activate = function (i) {
    active = i;
    Array.prototype.forEach.call(list.querySelectorAll(".guatu-search-hit"), function (item, j) {
      item.setAttribute("aria-selected", String(j === i));
      item.classList.toggle("is-active", j === i);
      if (j === i) item.scrollIntoView({ block: "nearest" });
    });
    if (i >= 0) input.setAttribute("aria-activedescendant", listId + "-" + i);
    else input.removeAttribute("aria-activedescendant");
  };
  var note = function (text, className) {
    var item = el("li", className, text);
    item.setAttribute("role", "option");
    item.setAttribute("aria-disabled", "true");
    list.appendChild(item);
  };
  // the hits listed again (when the server's places or the names come): the one marked stays marked
  var show = function () {
    var was = active >= 0 && hits[active] ? hits[active].layerId + "\u0000" + hits[active].id : null;
    hits = wall.search(input.value, SEARCH_HITS, found);
    list.textContent = "";
    hits.forEach(function (h, i) {
      var item = el("li", "guatu-search-hit");
      item.id = listId + "-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.id = h.id;
      var st = wall.item(h.layerId, h.id);
      var status = st && wall.statuses[st[0]];
      var sw = el("span", "guatu-swatch");
      if (status) sw.style.background = status.color;
      item.appendChild(sw);
      item.appendChild(el("span", "guatu-search-name", h.name || h.id));
      item.appendChild(el("span", "guatu-search-where", [h.street, h.community].filter(Boolean).join(" · ")));
      L.DomEvent.on(item, "click", function () { choose(i); });
      list.appendChild(item);
    });
    var pending = asker.pending();
    if (failed) note(t("wall.search.failed"), "guatu-search-none");
    else if (input.value && !hits.length) note(t(pending ? "wall.search.searching" : "wall.search.none"), "guatu-search-none");
    list.setAttribute("aria-busy", String(pending));
    input.setAttribute("aria-expanded", String(list.children.length > 0));
    activate(hits.findIndex(function (h) { return h.layerId + "\u0000" + h.id === was; }));
  };
  var render = function () {
    var text = input.value;
    found = null;
    failed = false;
    asker.cancel();
    if (text.trim() && wall.searchesServer()) {
      asker.ask(text, function (q, signal) { return wall.searchLarge(q, SEARCH_HITS, signal); }, function (places) {
        found = places;
        show();
      }, function (err) {
        wall.errors.push(String(err)); // (what went wrong is kept there; the screen says it in its words)
        failed = true;
        show();
      });
    }
    show();
  };
  var choose = function (i) {
    var h = hits[i];
    if (!h) return;
    asker.cancel();
    wall.select(h.layerId, h.id);
    list.textContent = "";
    list.setAttribute("aria-busy", "false");
    input.setAttribute("aria-expanded", "false");
    activate(-1);
  };
  // names come the first time they are needed: of the layers drawn whole (a large layer's are asked as typed)
  var names = function () { return wall.loadAttributes(wall.wholeLayers()); };
  var typed = function () {
    render();
    names().then(show, function (err) { wall.errors.push(String(err)); });
  };
  // while an input method composes (pinyin before its characters are chosen) nothing is searched: its end is
  L.DomEvent.on(input, "input", function (e) { if (!e.isComposing) typed(); });
  L.DomEvent.on(input, "compositionstart", function () { asker.cancel(); });
  L.DomEvent.on(input, "compositionend", typed);
  L.DomEvent.on(input, "focus", function () { names().catch(function (err) { wall.errors.push(String(err)); }); });
  L.DomEvent.on(input, "keydown", function (e) {
    L.DomEvent.stopPropagation(e);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!hits.length) return;
      e.preventDefault();
      var step = e.key === "ArrowDown" ? 1 : -1;
      activate((active + step + hits.length + (active < 0 && step < 0 ? 1 : 0)) % hits.length);
    }
    if (e.key === "Enter") choose(active >= 0 ? active : 0);
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
  // the card stops above the panels below it (fitCard): what does not fit is scrolled to, the map stays put
  L.DomEvent.disableScrollPropagation(box);
  var close = el("button", "guatu-card-close", "×");
  close.type = "button";
  close.setAttribute("aria-label", t("wall.card.close"));
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-label", t("wall.card.label"));
  L.DomEvent.on(close, "click", function () { self.closeCard(); });
  // Escape closes the card wherever the focus is, and the focus goes back to where it was before the card
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !box.hidden && !e.defaultPrevented) self.closeCard();
  });
  box.appendChild(close);
  this.cardBody = el("div", "guatu-card-body");
  box.appendChild(this.cardBody);
  this.card = box;
  return box;
};

// The card closed (its × or Escape): the place unselected, the focus back where it was when the card opened
Panels.prototype.closeCard = function () {
  this.card.hidden = true;
  this.stopMakingWay();
  this.wall.unselect();
  var back = this.focusBeforeCard;
  this.focusBeforeCard = null;
  if (this.card.contains(document.activeElement) || document.activeElement === document.body) {
    if (back && back.isConnected) back.focus();
    else this.wall.map.getContainer().focus();
  }
};

Panels.prototype.showCard = function (layerId, id) {
  var self = this;
  var wall = this.wall;
  var layer = wall.placeOf(layerId, id);
  if (this.card.hidden) {
    var from = document.activeElement;
    this.focusBeforeCard = from && from !== document.body && !this.card.contains(from) ? from : null;
  }
  this.card.hidden = false;
  this.card.dataset.id = id;
  this.cardPlace = { layerId: layerId, id: id, etag: null };
  this.cardBody.textContent = "";
  this.cardBody.appendChild(el("h3", null, layer.feature.properties.name || "…"));
  this.cardBody.appendChild(el("p", "guatu-card-loading", t("wall.card.loading")));
  this.fitCard();
  var url = wall.url(this.o.api.place, { __layer__: layerId, __id__: id }, { date: wall.shownDay });
  var asked = this.cardPlace;
  return wall.fetchJSON(url).then(function (r) {
    asked.etag = r.etag;
    if (self.cardPlace === asked) self.renderCard(r.body);
  }, function (err) {
    wall.errors.push(String(err));
    if (self.cardPlace === asked) self.cardBody.lastChild.textContent = t("wall.card.failed"); // (not another's card)
  });
};

// The open card asked again after the wall's state changed (an unchanged card costs a 304)
Panels.prototype.refreshCard = function () {
  var self = this;
  var asked = this.cardPlace;
  if (!asked || this.card.hidden || !asked.etag) return;
  var wall = this.wall;
  var url = wall.url(this.o.api.place, { __layer__: asked.layerId, __id__: asked.id }, { date: wall.shownDay });
  wall.fetchJSON(url, asked.etag).then(function (r) {
    if (r.notModified || self.cardPlace !== asked || self.card.hidden) return;
    asked.etag = r.etag;
    self.renderCard(r.body);
  }, function (err) { wall.errors.push(String(err)); });
};

Panels.prototype.renderCard = function (c) {
  var self = this;
  var body = this.cardBody;
  body.textContent = "";
  body.appendChild(el("h3", null, c.name));
  body.appendChild(el("p", "guatu-card-where", [c.kind, c.street, c.community].filter(Boolean).join(" · ")));
  if (c.as_of) body.appendChild(el("p", "guatu-card-asof", t("wall.card.as_of", { day: c.as_of })));
  var badges = el("p", "guatu-card-badges");
  var status = el("span", "guatu-badge guatu-badge-status", c.status.label);
  if (c.status.color) {
    var sw = el("span", "guatu-swatch");
    sw.style.background = c.status.color;
    status.insertBefore(sw, status.firstChild);
  }
  badges.appendChild(status);
  if (c.overdue) badges.appendChild(el("span", "guatu-badge guatu-badge-overdue", c.days_late ? t("wall.card.days_late", { n: c.days_late }) : t("wall.card.overdue")));
  if (c.overnight) badges.appendChild(el("span", "guatu-badge guatu-badge-overnight", t("wall.card.has_overnight")));
  if (c.escalated) badges.appendChild(el("span", "guatu-badge guatu-badge-escalated is-" + (c.escalated === 2 ? "district" : "street"), t(c.escalated === 2 ? "wall.card.escalated_district" : "wall.card.escalated_street")));
  body.appendChild(badges);
  if ((c.photos || []).length) body.appendChild(this.photoStrip(c.photos));
  var dl = el("dl");
  var add = function (label, value) {
    if (value === undefined || value === null || value === "") return;
    dl.appendChild(el("dt", null, label));
    dl.appendChild(el("dd", null, value));
  };
  add(t("wall.card.deadline"), c.deadline || t("wall.card.no_deadline"));
  add(t("wall.card.unit"), c.unit);
  c.people.forEach(function (p) { add(p.label, p.name); });
  body.appendChild(dl);
  body.appendChild(el("h4", null, t("wall.card.open_problems", { n: c.problems.length }) + (c.closed_problems ? t("wall.card.closed_problems", { n: c.closed_problems }) : "")));
  var list = el("ul", "guatu-card-problems");
  c.problems.slice(0, 6).forEach(function (p) {
    var item = el("li", p.overdue ? "is-overdue" : p.overnight ? "is-overnight" : null);
    var head = el("p", "guatu-problem-head");
    head.appendChild(el("strong", null, p.category || t("wall.card.problem")));
    if (p.overdue) head.appendChild(el("span", "guatu-badge guatu-badge-overdue", t("wall.card.days_late", { n: p.days_late })));
    if (p.overnight) head.appendChild(el("span", "guatu-badge guatu-badge-overnight", t("wall.card.overnight")));
    item.appendChild(head);
    if (p.description) item.appendChild(el("p", null, p.description));
    item.appendChild(el("p", "guatu-problem-meta", [
      p.deadline ? t("wall.card.problem_deadline", { day: p.deadline }) : null,
      p.found_on ? t(p.found_by ? "wall.card.found_by" : "wall.card.found", { day: p.found_on, by: p.found_by }) : null,
      p.responsible ? t("wall.card.responsible", { who: p.responsible }) : null,
    ].filter(Boolean).join(" · ")));
    if (p.case) item.appendChild(self.caseLine(p.case));
    list.appendChild(item);
  });
  if (c.problems.length > 6) list.appendChild(el("li", "guatu-more", t("wall.card.more", { n: c.problems.length - 6 })));
  body.appendChild(list);
  if (this.o.api.dossier) body.appendChild(elAttrs("a", { className: "guatu-card-dossier", href: this.wall.url(this.o.api.dossier, { __layer__: c.layer, __id__: c.id }), target: "_blank", rel: "noopener" }, t("wall.card.dossier")));
  this.fitCard();
};

// A problem's case on the card: its stage, who handles it, when it is due (the
// campaign's time), how late and at which level; a link to the case page
// (never on a display link's screen: its page needs a sign-in).
Panels.prototype.caseLine = function (k) {
  var line = el("p", "guatu-card-case" + (k.escalated ? " is-escalated" : k.overdue ? " is-overdue" : ""));
  line.dataset.stage = k.stage || "";
  line.appendChild(el("span", "guatu-badge guatu-badge-stage", k.stage_label || k.stage));
  var parts = [
    k.unit || k.handler ? t("wall.card.case_who", { who: [k.unit, k.handler].filter(Boolean).join(" ") }) : t("wall.card.case_no_unit"),
    k.due_local ? t("wall.card.case_due", { at: k.due_local }) : null,
    k.overdue ? t("wall.card.case_late", { n: k.overdue_hours || 0 }) : null,
    k.escalated ? t("wall.card.case_level", { level: k.level_label }) : null,
    k.extension_pending ? t("wall.card.case_extension") : null,
  ].filter(Boolean);
  line.appendChild(el("span", "guatu-card-case-text", parts.join(" · ")));
  if (k.url && !this.wall.token) {
    line.appendChild(document.createTextNode(" "));
    line.appendChild(elAttrs("a", { className: "guatu-card-case-link", href: k.url, target: "_blank", rel: "noopener" }, t("wall.card.case_open")));
  }
  return line;
};

// The card's thumbnails, newest first (as the server lists them); a tap enlarges one
Panels.prototype.photoStrip = function (photos) {
  var tz = this.o.timezone;
  var token = this.wall.token;
  var box = el("section", "guatu-card-photos");
  box.appendChild(el("h4", null, t("wall.photo.title", { n: photos.length })));
  var items = photos.map(function (p) {
    return {
      src: forDisplay(p.urls.preview || p.urls.thumb, token), // a display link has thumbnails only
      alt: p.role_label,
      lines: [p.role_label, formatTime(new Date(p.taken_at || p.added_at), tz),
        p.taken_by ? t("wall.photo.by", { who: p.taken_by }) : null, p.caption],
    };
  });
  var strip = el("ul", "guatu-photo-strip");
  photos.slice(0, CARD_THUMBS).forEach(function (p, i) {
    var item = el("li", "guatu-photo-item");
    var b = elAttrs("button", { type: "button", className: "guatu-photo-thumb", "aria-label": t("wall.photo.open", { role: p.role_label }),
      dataset: { photo: p.id, role: p.role } });
    b.appendChild(elAttrs("img", { src: forDisplay(p.urls.thumb, token), alt: p.role_label, loading: "lazy" }));
    L.DomEvent.on(b, "click", function () { openLightbox(items, i); });
    item.appendChild(b);
    item.appendChild(el("span", "guatu-photo-role", p.role_label));
    strip.appendChild(item);
  });
  if (photos.length > CARD_THUMBS) strip.appendChild(el("li", "guatu-more", t("wall.photo.more", { n: photos.length - CARD_THUMBS })));
  box.appendChild(strip);
  return box;
};

// The card stops short of the panels below it (the legend and today's
// inspections share the bottom-left corner of a wall screen). Where those
// leave the card too little room to be read (a 1080p screen with today's
// list), the list makes way while a card is open and comes back when it closes.
Panels.prototype.fitCard = function () {
  var corner = this.legendBox ? Array.prototype.slice.call(this.legendBox.parentNode.children) : [];
  var room = roomBelow(this.card, corner);
  var list = corner.filter(function (panel) { return panel.classList.contains("guatu-inspections"); })[0];
  if (list && room < CARD_ROOM * window.innerHeight && !list.classList.contains("guatu-making-way")) {
    list.classList.add("guatu-making-way");
    room = roomBelow(this.card, corner);
  }
  this.card.style.maxHeight = Math.max(120, room) + "px";
};

Panels.prototype.stopMakingWay = function () {
  var corner = this.legendBox ? this.legendBox.parentNode.children : [];
  Array.prototype.forEach.call(corner, function (panel) { panel.classList.remove("guatu-making-way"); });
};

var CARD_ROOM = 0.4; // the share of the screen's height below which a card is too cramped to read

function roomBelow(cardBox, corner) {
  var card = cardBox.getBoundingClientRect();
  var bottom = window.innerHeight;
  corner.forEach(function (panel) {
    var r = panel.getBoundingClientRect();
    if (r.height && r.left < card.right && r.top > card.top) bottom = Math.min(bottom, r.top);
  });
  return bottom - card.top - 12;
}

Object.assign(Panels.prototype, dashboard); // the dashboard (wall/dashboard.js)
