/*
 * Guatu wall map: draws the campaign's layers on a folium/Leaflet map.
 *
 * Shapes (geometry + display attributes) and state (status + derived flags)
 * come from the API; state is polled with ETags so an unchanged campaign
 * costs a 304, and only changed features are restyled. Every label is built
 * from text nodes: nothing a user typed is ever parsed as HTML.
 */
(function () {
  "use strict";

  var guatu = (window.guatu = window.guatu || {});
  guatu.instances = guatu.instances || [];

  var OVERDUE_STROKE = "#d4006a";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function darken(hex, amount) {
    var n = parseInt(hex.slice(1), 16);
    var r = Math.round(((n >> 16) & 255) * (1 - amount));
    var g = Math.round(((n >> 8) & 255) * (1 - amount));
    var b = Math.round((n & 255) * (1 - amount));
    return "#" + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
  }

  var displayToken = null; // read-only wall screens authenticate with it

  function fetchJSON(url, etag) {
    var headers = etag ? { "If-None-Match": '"' + etag + '"' } : {};
    if (displayToken) headers["X-Guatu-Display"] = displayToken;
    return fetch(url, { headers: headers, cache: "no-cache" }).then(function (resp) {
      if (resp.status === 304) return { notModified: true };
      if (!resp.ok) throw new Error(url + ": HTTP " + resp.status);
      var tag = (resp.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
      return resp.json().then(function (body) {
        return { body: body, etag: tag };
      });
    });
  }

  function formatTime(date, timeZone) {
    if (!date || isNaN(date.getTime())) return "—";
    return date.toLocaleString("zh-CN", { hour12: false, timeZone: timeZone });
  }

  function WallMap(map, options) {
    this.map = map;
    this.options = options;
    this.statuses = {};
    var self = this;
    options.statuses.forEach(function (s) {
      self.statuses[s.key] = s;
    });
    this.layers = {}; // layer id -> L.GeoJSON
    this.lineLayers = {}; // "layer:id" of features drawn as lines
    this.halos = {}; // feature id -> overdue halo drawn under the feature
    this.byId = {}; // feature id -> Leaflet path layer
    this.revisions = {}; // layer id -> shapes revision drawn
    this.state = null;
    this.stateEtag = null;
    this.errors = [];
    this.fitted = false;

    map.getContainer().classList.add("guatu-wall");
    this.boundaryPane = this.pane("guatu-boundaries", 350);
    this.haloPane = this.pane("guatu-halos", 395);
    this.featurePane = this.pane("guatu-features", 400);
    this.roadPane = this.pane("guatu-roads", 410);
    this.renderers = {
      boundaries: L.canvas({ pane: "guatu-boundaries", padding: 0.3 }),
      halos: L.canvas({ pane: "guatu-halos", padding: 0.3 }),
      features: L.canvas({ pane: "guatu-features", padding: 0.3 }),
      roads: L.canvas({ pane: "guatu-roads", padding: 0.3 }),
    };
    this.buildPanels();
  }

  WallMap.prototype.pane = function (name, zIndex) {
    var pane = this.map.createPane(name);
    pane.style.zIndex = zIndex;
    return pane;
  };

  WallMap.prototype.url = function (template, key, value) {
    return template.replace(key, encodeURIComponent(value));
  };

  // --- panels: title, clock, legend, status line -------------------------
  WallMap.prototype.buildPanels = function () {
    var self = this;
    var o = this.options;

    var Title = L.Control.extend({
      onAdd: function () {
        var box = el("div", "guatu-panel guatu-title");
        box.appendChild(el("h1", null, o.title));
        if (o.subtitle) box.appendChild(el("p", "guatu-subtitle", o.subtitle));
        var meta = el("p", "guatu-meta");
        self.clock = el("span", "guatu-clock", "");
        self.asOf = el("span", "guatu-asof", "数据截至 —");
        meta.appendChild(self.clock);
        meta.appendChild(self.asOf);
        box.appendChild(meta);
        self.banner = el("p", "guatu-banner", "");
        self.banner.hidden = true;
        box.appendChild(self.banner);
        L.DomEvent.disableClickPropagation(box);
        return box;
      },
    });
    new Title({ position: "topleft" }).addTo(this.map);

    var Legend = L.Control.extend({
      onAdd: function () {
        var box = el("div", "guatu-panel guatu-legend");
        box.appendChild(el("h2", null, "整改状态"));
        var list = el("ul");
        self.legendCounts = {};
        o.statuses.forEach(function (s) {
          var item = el("li");
          item.dataset.status = s.key;
          var swatch = el("span", "guatu-swatch");
          swatch.style.background = s.color;
          swatch.style.borderColor = darken(s.color, 0.45);
          item.appendChild(swatch);
          item.appendChild(el("span", "guatu-legend-label", s.label));
          var count = el("span", "guatu-legend-count", "—");
          self.legendCounts[s.key] = count;
          item.appendChild(count);
          list.appendChild(item);
        });
        box.appendChild(list);
        var overdue = el("p", "guatu-legend-overdue");
        var mark = el("span", "guatu-swatch guatu-swatch-overdue");
        mark.style.boxShadow = "0 0 0 0.25em " + OVERDUE_STROKE;
        overdue.appendChild(mark);
        overdue.appendChild(el("span", "guatu-legend-label", "逾期(外圈)"));
        self.overdueCount = el("span", "guatu-legend-count", "—");
        overdue.appendChild(self.overdueCount);
        box.appendChild(overdue);
        self.progress = el("p", "guatu-progress", "");
        box.appendChild(self.progress);
        if (o.source) box.appendChild(el("p", "guatu-source", o.source));
        return box;
      },
    });
    new Legend({ position: "bottomright" }).addTo(this.map);

    var tick = function () {
      self.clock.textContent = formatTime(new Date(), o.timezone);
    };
    tick();
    window.setInterval(tick, 1000);
  };

  WallMap.prototype.showBanner = function (text) {
    this.banner.textContent = text || "";
    this.banner.hidden = !text;
  };

  // --- drawing ---------------------------------------------------------------
  WallMap.prototype.featureState = function (layerId, id) {
    var layer = this.state && this.state.layers[layerId];
    return layer ? layer.features[id] : null;
  };

  WallMap.prototype.styleFor = function (layerId, id) {
    var st = this.featureState(layerId, id);
    var status = this.statuses[st ? st[0] : ""] || { color: "#9e9e9e" };
    if (this.lineLayers[layerId + ":" + id]) {
      return { color: status.color, weight: 7, opacity: 1 };
    }
    return {
      fillColor: status.color,
      fillOpacity: 0.85,
      color: darken(status.color, 0.45),
      weight: layerId === "roads" ? 1.5 : 1,
      opacity: 1,
    };
  };

  // Overdue places get a thick ring drawn *under* them, so the status colour
  // stays whole on top of it.
  WallMap.prototype.updateHalo = function (layerId, id) {
    var st = this.featureState(layerId, id);
    var overdue = !!(st && st[1] === 1);
    var halo = this.halos[id];
    if (overdue && !halo && this.byId[id]) {
      this.halos[id] = L.geoJSON(this.byId[id].feature, {
        renderer: this.renderers.halos,
        pane: "guatu-halos",
        interactive: false,
        style: function () {
          return { color: OVERDUE_STROKE, weight: 7, opacity: 0.9, fill: false, lineJoin: "round" };
        },
      }).addTo(this.map);
    } else if (!overdue && halo) {
      this.map.removeLayer(halo);
      delete this.halos[id];
    }
  };

  WallMap.prototype.drawLayer = function (layerId, geojson) {
    var self = this;
    var old = this.layers[layerId];
    if (old) {
      old.eachLayer(function (layer) {
        delete self.byId[layer.feature.id];
        if (self.halos[layer.feature.id]) {
          self.map.removeLayer(self.halos[layer.feature.id]);
          delete self.halos[layer.feature.id];
        }
      });
      this.map.removeLayer(old);
    }
    var isRoad = layerId === "roads";
    var group = L.geoJSON(geojson, {
      renderer: isRoad ? this.renderers.roads : this.renderers.features,
      pane: isRoad ? "guatu-roads" : "guatu-features",
      style: function (feature) {
        var t = feature.geometry && feature.geometry.type;
        if (t === "LineString" || t === "MultiLineString") self.lineLayers[layerId + ":" + feature.id] = true;
        return self.styleFor(layerId, feature.id);
      },
      onEachFeature: function (feature, layer) {
        layer.guatuLayer = layerId;
        self.byId[feature.id] = layer;
        layer.bindTooltip(function () {
          return self.tooltip(layerId, feature);
        }, { sticky: true, className: "guatu-tooltip" });
      },
    });
    group.addTo(this.map);
    this.layers[layerId] = group;
    group.eachLayer(function (layer) {
      self.updateHalo(layerId, layer.feature.id);
    });
  };

  WallMap.prototype.tooltip = function (layerId, feature) {
    var p = feature.properties || {};
    var st = this.featureState(layerId, feature.id);
    var status = this.statuses[st ? st[0] : ""];
    var box = el("div", "guatu-card");
    box.appendChild(el("strong", null, p.name));
    var dl = el("dl");
    var add = function (label, value) {
      if (value === undefined || value === null || value === "") return;
      dl.appendChild(el("dt", null, label));
      dl.appendChild(el("dd", null, value));
    };
    add("类型", p.kind);
    add("状态", status ? status.label : "—");
    add("时间节点", p.deadline + (st && st[1] ? "(已逾期)" : ""));
    add("责任单位", p.unit);
    add("街道", [p.street, p.community].filter(Boolean).join(" · "));
    if (st && st[3]) add("未销号问题", st[3] + " 个" + (st[2] ? "(含过夜问题)" : ""));
    box.appendChild(dl);
    return box;
  };

  WallMap.prototype.drawBoundaries = function (level, geojson) {
    var styles = {
      district: { color: "#3a3a3a", weight: 3.5, fill: false },
      street: { color: "#555555", weight: 2, dashArray: "8 5", fill: false },
      community: { color: "#8a8a8a", weight: 0.8, dashArray: "2 4", fill: false },
    };
    var layer = L.geoJSON(geojson, {
      renderer: this.renderers.boundaries,
      pane: "guatu-boundaries",
      interactive: false,
      style: function () {
        return styles[level] || styles.community;
      },
    }).addTo(this.map);
    if (level === "street") {
      var labels = L.layerGroup();
      geojson.features.forEach(function (f) {
        var pt = f.properties.label_point;
        if (!pt) return;
        L.tooltip({ permanent: true, direction: "center", className: "guatu-label guatu-label-street", interactive: false })
          .setLatLng([pt[1], pt[0]])
          .setContent(el("span", null, f.properties.name))
          .addTo(labels);
      });
      labels.addTo(this.map);
      this.streetLabels = labels;
    }
    return layer;
  };

  // --- data ------------------------------------------------------------------
  WallMap.prototype.applyState = function (state, previous) {
    var self = this;
    this.state = state;
    var changed = [];
    Object.keys(state.layers).forEach(function (layerId) {
      var now = state.layers[layerId].features;
      var before = previous && previous.layers[layerId] ? previous.layers[layerId].features : {};
      Object.keys(now).forEach(function (id) {
        var a = before[id];
        var b = now[id];
        if (!a || a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2]) changed.push([layerId, id]);
      });
    });
    changed.forEach(function (pair) {
      var layer = self.byId[pair[1]];
      if (layer) layer.setStyle(self.styleFor(pair[0], pair[1]));
      self.updateHalo(pair[0], pair[1]);
    });
    this.updatePanels();
    return changed;
  };

  WallMap.prototype.updatePanels = function () {
    var self = this;
    var s = this.state;
    var done = 0;
    this.options.statuses.forEach(function (st) {
      var n = s.counts[st.key] || 0;
      self.legendCounts[st.key].textContent = String(n);
      if (st.done) done += n;
    });
    this.overdueCount.textContent = String(s.overdue_places);
    var pct = s.total ? Math.round((done / s.total) * 1000) / 10 : 0;
    this.progress.textContent = "共 " + s.total + " 处 · 完成 " + done + " 处(" + pct + "%)";
    this.asOf.textContent = "数据截至 " + formatTime(s.as_of ? new Date(s.as_of) : null, this.options.timezone);
  };

  WallMap.prototype.loadShapes = function (layerIds) {
    var self = this;
    return Promise.all(
      layerIds.map(function (layerId) {
        return fetchJSON(self.url(self.options.api.shapes, "__layer__", layerId)).then(function (r) {
          self.drawLayer(layerId, r.body);
          self.revisions[layerId] = self.state ? self.state.layers[layerId].revision : null;
        });
      })
    );
  };

  WallMap.prototype.fit = function () {
    if (this.fitted) return;
    var bounds = null;
    var self = this;
    Object.keys(this.layers).forEach(function (id) {
      var b = self.layers[id].getBounds();
      if (b.isValid()) bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
    });
    if (bounds) {
      this.map.fitBounds(bounds, { padding: [20, 20], animate: false });
      this.fitted = true;
    }
  };

  WallMap.prototype.start = function () {
    var self = this;
    var o = this.options;
    var boundaries = Promise.all(
      o.boundaries.map(function (level) {
        return fetchJSON(self.url(o.api.boundaries, "__level__", level)).then(function (r) {
          self.drawBoundaries(level, r.body);
        });
      })
    );
    var first = fetchJSON(o.api.state).then(function (r) {
      self.stateEtag = r.etag;
      self.state = r.body;
      return self.loadShapes(o.layers.map(function (x) { return x.id; }));
    });
    return Promise.all([boundaries, first])
      .then(function () {
        self.applyState(self.state, null);
        self.fit();
        document.documentElement.dataset.guatuReady = "true";
        self.schedule();
      })
      .catch(function (err) {
        self.errors.push(String(err));
        self.showBanner("数据加载失败,正在重试……");
        window.setTimeout(function () { self.start(); }, 5000);
      });
  };

  WallMap.prototype.schedule = function () {
    var self = this;
    var seconds = this.options.refreshSeconds;
    if (!seconds || seconds <= 0) return;
    window.setTimeout(function () {
      self.poll().then(
        function () { self.showBanner(""); self.schedule(); },
        function (err) {
          self.errors.push(String(err));
          self.showBanner("与服务器的连接中断,显示的是最后一次成功获取的数据");
          self.schedule();
        }
      );
    }, seconds * 1000);
  };

  WallMap.prototype.poll = function () {
    var self = this;
    return fetchJSON(this.options.api.state, this.stateEtag).then(function (r) {
      if (r.notModified) return [];
      self.stateEtag = r.etag;
      var stale = Object.keys(r.body.layers).filter(function (id) {
        return self.revisions[id] !== r.body.layers[id].revision;
      });
      var previous = self.state;
      self.state = r.body;
      return (stale.length ? self.loadShapes(stale) : Promise.resolve()).then(function () {
        return self.applyState(r.body, previous);
      });
    });
  };

  guatu.wallMap = function (map, options) {
    displayToken = options.displayToken || null;
    var wall = new WallMap(map, options);
    guatu.instances.push(wall);
    wall.start();
    return wall;
  };
})();
