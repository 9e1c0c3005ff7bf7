/*
 * Guatu editor: planners draw, reshape and delete places, edit their
 * attributes and ledger, and set many statuses at once.
 *
 * Only the selected place is editable (editing a whole 20k layer freezes a
 * browser). Every save names the version it started from; a stale save is
 * refused by the server and explained here, with the choice to reload or to
 * overwrite deliberately. Invalid geometry is repaired only when the planner
 * agrees. All text goes into the page as text nodes.
 */
(function () {
  "use strict";

  var guatu = (window.guatu = window.guatu || {});
  guatu.editors = guatu.editors || [];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "className") node.className = attrs[k];
      else if (k === "dataset") Object.assign(node.dataset, attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function option(value, label, selected) {
    var o = el("option", { value: value }, label);
    if (selected) o.selected = true;
    return o;
  }

  function darken(hex, amount) {
    var n = parseInt(hex.slice(1), 16);
    var f = function (c) { return Math.round(c * (1 - amount)); };
    return "#" + ((1 << 24) | (f((n >> 16) & 255) << 16) | (f((n >> 8) & 255) << 8) | f(n & 255)).toString(16).slice(1);
  }

  function Editor(map, options) {
    this.map = map;
    this.o = options;
    this.statuses = {};
    var self = this;
    options.statuses.forEach(function (s) { self.statuses[s.key] = s; });
    this.layers = {};       // layer id -> L.GeoJSON
    this.byId = {};         // feature id -> path
    this.state = null;
    this.current = null;    // {layerId, feature (as loaded), isNew, shapeEdited}
    this.selection = {};    // feature id -> true (for bulk changes)
    this.renderer = L.canvas({ padding: 0.3 });
    map.getContainer().classList.add("guatu-editor-map");
    map.invalidateSize(); // the panel takes the right-hand side
    if (map.attributionControl) map.attributionControl.setPrefix("Leaflet"); // no outbound link offline
    map.pm.setLang("zh");
    map.pm.setGlobalOptions({ allowSelfIntersection: true, snappable: false });
    this.buildPanel();
    map.on("pm:create", this.onCreate, this);
  }

  // --- server ------------------------------------------------------------------
  Editor.prototype.request = function (method, url, body, headers) {
    var h = Object.assign({ "X-CSRF-Token": this.o.csrfToken }, headers || {});
    var init = { method: method, headers: h, credentials: "same-origin" };
    if (body !== undefined) {
      h["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (resp) {
      var type = resp.headers.get("Content-Type") || "";
      var parse = type.indexOf("json") >= 0 ? resp.json() : Promise.resolve(null);
      return parse.then(function (data) { return { status: resp.status, ok: resp.ok, body: data }; });
    });
  };

  Editor.prototype.url = function (name, layerId, id) {
    return this.o.api[name].replace("__layer__", encodeURIComponent(layerId)).replace("__id__", encodeURIComponent(id || ""));
  };

  Editor.prototype.featureUrl = function (layerId, id, tail) {
    return this.url("features", layerId) + (id ? "/" + encodeURIComponent(id) : "") + (tail || "");
  };

  // --- drawing -----------------------------------------------------------------
  Editor.prototype.styleFor = function (layerId, id) {
    var st = this.state && this.state.layers[layerId] ? this.state.layers[layerId].features[id] : null;
    var status = this.statuses[st ? st[0] : ""] || { color: "#9e9e9e" };
    var selected = (this.current && this.current.feature && this.current.feature.id === id) || this.selection[id];
    return {
      fillColor: status.color,
      fillOpacity: 0.8,
      color: selected ? "#1565c0" : darken(status.color, 0.45),
      weight: selected ? 4 : 1,
    };
  };

  Editor.prototype.restyle = function (id) {
    var layer = this.byId[id];
    if (layer) layer.setStyle(this.styleFor(layer.guatuLayer, id));
  };

  Editor.prototype.loadState = function () {
    var self = this;
    return fetch(this.o.api.state, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (state) { self.state = state; });
  };

  Editor.prototype.loadLayer = function (layerId) {
    var self = this;
    return fetch(this.url("shapes", layerId), { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (geojson) {
        if (self.layers[layerId]) {
          self.layers[layerId].eachLayer(function (l) { delete self.byId[l.feature.id]; });
          self.map.removeLayer(self.layers[layerId]);
        }
        var group = L.geoJSON(geojson, {
          renderer: self.renderer,
          pmIgnore: true,
          style: function (f) { return self.styleFor(layerId, f.id); },
          onEachFeature: function (feature, layer) {
            layer.guatuLayer = layerId;
            self.byId[feature.id] = layer;
            layer.on("click", function (e) {
              if (self.map.pm.globalDrawModeEnabled()) return; // the click is a vertex being drawn
              L.DomEvent.stopPropagation(e);
              if (e.originalEvent && (e.originalEvent.ctrlKey || e.originalEvent.metaKey)) self.toggleSelection(feature.id);
              else self.select(layerId, feature.id);
            });
          },
        }).addTo(self.map);
        self.layers[layerId] = group;
      });
  };

  Editor.prototype.reload = function (layerIds) {
    var self = this;
    return this.loadState().then(function () {
      return Promise.all((layerIds || self.o.layers.map(function (x) { return x.id; })).map(function (id) {
        return self.loadLayer(id);
      }));
    });
  };

  Editor.prototype.start = function () {
    var self = this;
    var boundaries = (this.o.boundaries || []).map(function (level) {
      return fetch(self.o.api.boundaries.replace("__level__", level), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (g) {
          L.geoJSON(g, { interactive: false, pmIgnore: true, renderer: self.renderer,
            style: { color: "#777", weight: level === "district" ? 3 : 1, fill: false, dashArray: level === "community" ? "2 4" : null } })
            .addTo(self.map);
        });
    });
    return Promise.all(boundaries.concat([this.reload()])).then(function () {
      var bounds = null;
      Object.keys(self.layers).forEach(function (id) {
        var b = self.layers[id].getBounds();
        if (b.isValid()) bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
      });
      if (bounds) self.map.fitBounds(bounds, { animate: false });
      document.documentElement.dataset.guatuReady = "true";
    });
  };

  // --- panel -------------------------------------------------------------------
  Editor.prototype.buildPanel = function () {
    var self = this;
    var panel = (this.panel = el("aside", { className: "guatu-edit-panel" }));
    L.DomEvent.disableClickPropagation(panel);
    L.DomEvent.disableScrollPropagation(panel);

    var head = el("header");
    head.appendChild(el("h1", null, "编辑 · " + this.o.title));
    head.appendChild(el("p", { className: "who" }, "当前用户:" + this.o.user));
    panel.appendChild(head);

    var tools = el("div", { className: "tools" });
    this.o.layers.forEach(function (layer) {
      var drawsLines = layer.geometryTypes.indexOf("Polygon") < 0;
      var b = el("button", { type: "button", dataset: { action: "new", layer: layer.id } }, "新建" + layer.title);
      b.addEventListener("click", function () { self.startDrawing(layer.id, drawsLines ? "Line" : "Polygon"); });
      tools.appendChild(b);
      if (layer.geometryTypes.indexOf("LineString") >= 0 && !drawsLines) {
        var line = el("button", { type: "button", dataset: { action: "new-line", layer: layer.id } }, "新建" + layer.title + "(线)");
        line.addEventListener("click", function () { self.startDrawing(layer.id, "Line"); });
        tools.appendChild(line);
      }
    });
    var box = el("button", { type: "button", dataset: { action: "box" } }, "框选多处");
    box.addEventListener("click", function () { self.startBoxSelect(); });
    tools.appendChild(box);
    panel.appendChild(tools);

    this.message = el("div", { className: "message", role: "status" });
    this.message.hidden = true;
    panel.appendChild(this.message);

    this.bulk = el("section", { className: "bulk" });
    this.bulk.hidden = true;
    panel.appendChild(this.bulk);

    this.form = el("form", { className: "attrs", novalidate: "novalidate" });
    this.form.hidden = true;
    this.form.addEventListener("submit", function (e) { e.preventDefault(); self.save(); });
    panel.appendChild(this.form);

    this.ledger = el("section", { className: "ledger" });
    this.ledger.hidden = true;
    panel.appendChild(this.ledger);

    var past = el("section", { className: "past" });
    past.appendChild(el("h2", null, "查看历史状态"));
    var day = el("input", { type: "date", name: "as-of" });
    past.appendChild(this.field("日期", day));
    var show = el("button", { type: "button", dataset: { action: "as-of" } }, "查看当日地图");
    show.addEventListener("click", function () { if (day.value) self.showAsOf(day.value); });
    past.appendChild(show);
    var back = el("button", { type: "button", dataset: { action: "as-of-exit" } }, "回到当前");
    back.addEventListener("click", function () { self.exitAsOf(); });
    past.appendChild(back);
    panel.appendChild(past);

    var links = el("nav", { className: "links" });
    (this.o.links || []).forEach(function (l) { links.appendChild(el("a", { href: l.href }, l.label)); });
    panel.appendChild(links);

    var hint = el("p", { className: "hint" }, "点击地图上的地点进行编辑;按住 Ctrl 点击可多选。");
    panel.appendChild(hint);
    document.body.appendChild(panel);
  };

  Editor.prototype.say = function (text, kind, actions) {
    var m = this.message;
    m.textContent = "";
    if (!text) { m.hidden = true; return; }
    m.hidden = false;
    m.className = "message message-" + (kind || "info");
    m.appendChild(el("p", null, text));
    (actions || []).forEach(function (a) {
      var b = el("button", { type: "button", dataset: { action: a.action } }, a.label);
      b.addEventListener("click", a.run);
      m.appendChild(b);
    });
  };

  Editor.prototype.field = function (label, input) {
    var wrap = el("label", { className: "field" });
    wrap.appendChild(el("span", null, label));
    wrap.appendChild(input);
    var err = el("small", { className: "field-error" });
    wrap.appendChild(err);
    input.guatuError = err;
    return wrap;
  };

  Editor.prototype.fillForm = function () {
    var self = this;
    var cur = this.current;
    var layerDef = this.o.layers.filter(function (x) { return x.id === cur.layerId; })[0];
    var p = (cur.feature && cur.feature.properties) || {};
    var f = this.form;
    f.textContent = "";
    f.hidden = false;
    var title = cur.isNew ? "新建" + layerDef.title : p.name + "(" + cur.feature.id + ",第 " + p.version + " 版)";
    f.appendChild(el("h2", null, title));
    this.inputs = {};
    var text = function (key, label, value, type) {
      var input = el(type === "textarea" ? "textarea" : "input", { name: key });
      if (type && type !== "textarea") input.type = type;
      input.value = value || "";
      self.inputs[key] = input;
      f.appendChild(self.field(label, input));
    };
    var select = function (key, label, items, value) {
      var s = el("select", { name: key });
      items.forEach(function (it) { s.appendChild(option(it[0], it[1], it[0] === value)); });
      self.inputs[key] = s;
      f.appendChild(self.field(label, s));
    };
    text("name", "名称", p.name);
    select("kind", "类型", layerDef.kinds.map(function (k) { return [k, k]; }), p.kind || layerDef.kinds[0]);
    text("street", "街道", p.street);
    text("community", "社区", p.community);
    select("status", "整改状态", this.o.statuses.map(function (s) { return [s.key, s.label]; }), p.status || this.o.statuses[0].key);
    text("deadline", "时间节点", p.deadline, "date");
    text("unit", "责任单位", p.unit);
    var people = p.people || {};
    this.o.roles.forEach(function (r) { text("people." + r.key, r.label, people[r.key]); });
    text("notes", "备注", p.notes, "textarea");

    var buttons = el("div", { className: "buttons" });
    buttons.appendChild(el("button", { type: "submit", dataset: { action: "save" } }, "保存"));
    if (!cur.isNew) {
      var shape = el("button", { type: "button", dataset: { action: "shape" } }, "编辑形状");
      shape.addEventListener("click", function () { self.toggleShapeEdit(shape); });
      buttons.appendChild(shape);
      var del = el("button", { type: "button", className: "danger", dataset: { action: "delete" } }, "删除");
      del.addEventListener("click", function () { self.remove(); });
      buttons.appendChild(del);
      var hist = el("a", { href: this.url("history", cur.layerId, cur.feature.id), target: "_blank", rel: "noopener" }, "修改记录");
      buttons.appendChild(hist);
    }
    var cancel = el("button", { type: "button", dataset: { action: "cancel" } }, "取消");
    cancel.addEventListener("click", function () { self.deselect(); });
    buttons.appendChild(cancel);
    f.appendChild(buttons);
  };

  Editor.prototype.formProperties = function () {
    var props = { people: {} };
    var self = this;
    Object.keys(this.inputs).forEach(function (key) {
      var value = self.inputs[key].value.trim();
      if (key.indexOf("people.") === 0) {
        if (value) props.people[key.slice(7)] = value;
      } else {
        props[key] = value === "" && (key === "deadline" || key === "street" || key === "community" || key === "unit") ? null : value;
      }
    });
    return props;
  };

  Editor.prototype.showFieldErrors = function (fields) {
    var self = this;
    Object.keys(this.inputs || {}).forEach(function (k) { self.inputs[k].guatuError.textContent = ""; });
    (fields || []).forEach(function (f) {
      var name = f.field.replace(/^properties\./, "");  // the request checks name the body's path
      var input = self.inputs[name] || self.inputs[name.split(".")[0]];
      if (input) input.guatuError.textContent = f.message;
    });
  };

  // --- selecting ----------------------------------------------------------------
  Editor.prototype.select = function (layerId, id) {
    var self = this;
    this.stopShapeEdit();
    this.clearSelection();
    var previous = this.current && this.current.feature ? this.current.feature.id : null;
    return this.request("GET", this.featureUrl(layerId, id)).then(function (r) {
      if (!r.ok) { self.say(r.body ? r.body.message : "无法读取该地点", "error"); return; }
      self.current = { layerId: layerId, feature: r.body, isNew: false, shapeEdited: false };
      var layer = self.byId[id];
      if (layer && !self.map.getBounds().contains(layer.getBounds())) {
        self.map.fitBounds(layer.getBounds(), { maxZoom: 17, animate: false });
      }
      if (previous) self.restyle(previous);
      self.restyle(id);
      self.say("");
      self.fillForm();
      self.fillLedger();
    });
  };

  Editor.prototype.deselect = function () {
    this.stopShapeEdit();
    var previous = this.current && this.current.feature ? this.current.feature.id : null;
    if (this.current && this.current.isNew && this.current.layer) this.map.removeLayer(this.current.layer);
    this.current = null;
    if (previous) this.restyle(previous);
    this.form.hidden = true;
    this.ledger.hidden = true;
    this.say("");
  };

  Editor.prototype.toggleSelection = function (id) {
    if (this.selection[id]) delete this.selection[id];
    else this.selection[id] = true;
    this.restyle(id);
    this.showBulk();
  };

  Editor.prototype.clearSelection = function () {
    var self = this;
    var ids = Object.keys(this.selection);
    this.selection = {};
    ids.forEach(function (id) { self.restyle(id); });
    this.showBulk();
  };

  Editor.prototype.startBoxSelect = function () {
    this.deselect();
    this.boxSelecting = true;
    this.map.pm.enableDraw("Rectangle");
    this.say("在地图上拖出一个矩形,框内的地点将被选中。", "info");
  };

  Editor.prototype.showBulk = function () {
    var self = this;
    var ids = Object.keys(this.selection);
    var b = this.bulk;
    b.textContent = "";
    b.hidden = ids.length === 0;
    if (!ids.length) return;
    b.appendChild(el("h2", null, "已选择 " + ids.length + " 处"));
    var s = el("select", { name: "bulk-status" });
    this.o.statuses.forEach(function (st) { s.appendChild(option(st.key, st.label)); });
    b.appendChild(this.field("统一设置状态", s));
    var apply = el("button", { type: "button", dataset: { action: "bulk-apply" } }, "批量设置状态");
    apply.addEventListener("click", function () { self.bulkStatus(s.value); });
    b.appendChild(apply);
    var clear = el("button", { type: "button", dataset: { action: "bulk-clear" } }, "清除选择");
    clear.addEventListener("click", function () { self.clearSelection(); });
    b.appendChild(clear);
  };

  Editor.prototype.bulkStatus = function (status) {
    var self = this;
    var byLayer = {};
    Object.keys(this.selection).forEach(function (id) {
      var layer = self.byId[id];
      byLayer[layer.guatuLayer] = byLayer[layer.guatuLayer] || [];
      byLayer[layer.guatuLayer].push(id);
    });
    // Versions come from the server so the batch is checked as one.
    var jobs = Object.keys(byLayer).map(function (layerId) {
      return Promise.all(byLayer[layerId].map(function (id) {
        return self.request("GET", self.featureUrl(layerId, id)).then(function (r) { return [id, r.body.properties.version]; });
      })).then(function (pairs) {
        var features = {};
        pairs.forEach(function (p) { features[p[0]] = p[1]; });
        return self.request("POST", self.url("features", layerId).replace(/\/features$/, "/status"), { status: status, features: features });
      });
    });
    return Promise.all(jobs).then(function (results) {
      var bad = results.filter(function (r) { return !r.ok; });
      if (bad.length) self.say(bad[0].body.message, "error");
      else self.say("已将 " + Object.keys(self.selection).length + " 处设为「" + self.statuses[status].label + "」。", "ok");
      self.selection = {};
      self.showBulk();
      return self.reload();
    });
  };

  // --- drawing new places --------------------------------------------------------
  Editor.prototype.startDrawing = function (layerId, shape) {
    this.deselect();
    this.clearSelection();
    this.drawingLayer = layerId;
    this.map.pm.enableDraw(shape, { continueDrawing: false });
    this.say(shape === "Line" ? "在地图上依次点击画线,点击最后一点结束。" : "在地图上依次点击画出边界,点击第一个点闭合。", "info");
  };

  Editor.prototype.onCreate = function (e) {
    var self = this;
    if (this.boxSelecting) {
      this.boxSelecting = false;
      var box = e.layer.getBounds();
      this.map.removeLayer(e.layer);
      Object.keys(this.byId).forEach(function (id) {
        if (box.intersects(self.byId[id].getBounds())) self.selection[id] = true;
        self.restyle(id);
      });
      this.say("");
      this.showBulk();
      return;
    }
    var layerId = this.drawingLayer;
    this.drawingLayer = null;
    this.current = { layerId: layerId, feature: null, isNew: true, layer: e.layer, shapeEdited: true };
    this.say("");
    this.fillForm();
    this.ledger.hidden = true;
    var c = e.layer.getBounds().getCenter();
    return this.request("GET", this.o.api.locate + "?lon=" + c.lng + "&lat=" + c.lat).then(function (r) {
      if (!r.ok || !self.inputs) return;
      if (r.body.street && !self.inputs.street.value) self.inputs.street.value = r.body.street;
      if (r.body.community && !self.inputs.community.value) self.inputs.community.value = r.body.community;
    });
  };

  // --- shape editing -------------------------------------------------------------
  Editor.prototype.toggleShapeEdit = function (button) {
    var layer = this.byId[this.current.feature.id];
    if (!layer) return;
    if (this.editingLayer) {
      this.stopShapeEdit();
      button.textContent = "编辑形状";
      return;
    }
    this.editingLayer = layer;
    layer.options.pmIgnore = false;
    L.PM.reInitLayer(layer);
    layer.pm.enable({ allowSelfIntersection: true, draggable: true });
    var self = this;
    layer.on("pm:edit pm:dragend", function () { if (self.current) self.current.shapeEdited = true; });
    button.textContent = "完成形状编辑";
  };

  Editor.prototype.stopShapeEdit = function () {
    if (this.editingLayer) {
      if (this.editingLayer.pm) this.editingLayer.pm.disable();
      this.editingLayer = null;
    }
  };

  // --- saving ---------------------------------------------------------------------
  Editor.prototype.save = function (options) {
    var self = this;
    var cur = this.current;
    if (!cur) return Promise.resolve();
    options = options || {};
    var props = this.formProperties();
    var geometryLayer = cur.isNew ? cur.layer : this.byId[cur.feature.id];
    var geometry = cur.shapeEdited && geometryLayer ? geometryLayer.toGeoJSON().geometry : undefined;
    var query = options.repair ? "?repair=true" : "";
    var call;
    if (cur.isNew) {
      call = this.request("POST", this.featureUrl(cur.layerId) + query, { type: "Feature", properties: props, geometry: geometry });
    } else {
      var version = options.version || cur.feature.properties.version;
      var body = { version: version, properties: props };
      if (geometry) body.geometry = geometry;
      call = this.request("PATCH", this.featureUrl(cur.layerId, cur.feature.id) + query, body);
    }
    return call.then(function (r) { return self.afterSave(r, props, geometry); });
  };

  Editor.prototype.afterSave = function (r, props, geometry) {
    var self = this;
    var cur = this.current;
    if (r.ok) {
      var saved = r.body;
      this.stopShapeEdit();
      if (cur.isNew) this.map.removeLayer(cur.layer);
      this.current = { layerId: cur.layerId, feature: saved, isNew: false, shapeEdited: false };
      var notes = saved.notes && saved.notes.length ? "(" + saved.notes.join(";") + ")" : "";
      return this.reload([cur.layerId]).then(function () {
        self.fillForm();
        self.fillLedger();
        self.say("已保存:" + saved.properties.name + ",第 " + saved.properties.version + " 版。" + notes, "ok");
      });
    }
    var body = r.body || { message: "保存失败(HTTP " + r.status + ")" };
    if (r.status === 409 && body.current) return this.explainConflict(body);
    if (r.status === 422 && /make_valid/.test(body.message)) {
      this.showFieldErrors(body.fields);
      if (window.confirm("图形无效:" + body.message + "\n\n是否自动修复(make_valid)后保存?")) {
        return this.save({ repair: true });
      }
      this.say("图形无效,未保存:" + body.message, "error");
      return;
    }
    this.showFieldErrors(body.fields);
    this.say("未保存:" + body.message, "error");
  };

  Editor.prototype.explainConflict = function (body) {
    var self = this;
    var mine = this.current.feature;
    var theirs = body.current;
    var changed = [];
    var labels = { name: "名称", kind: "类型", street: "街道", community: "社区", status: "状态", deadline: "时间节点",
      unit: "责任单位", people: "责任人", notes: "备注", problems: "台账" };
    Object.keys(labels).forEach(function (k) {
      if (JSON.stringify(mine.properties[k]) !== JSON.stringify(theirs.properties[k])) {
        var v = theirs.properties[k];
        if (k === "status" && self.statuses[v]) v = self.statuses[v].label;
        changed.push(labels[k] + " → " + (typeof v === "object" ? JSON.stringify(v) : v));
      }
    });
    if (JSON.stringify(mine.geometry) !== JSON.stringify(theirs.geometry)) changed.push("图形已被修改");
    var text = "保存被拒绝:这处地点在您编辑期间已被「" + theirs.properties.updated_by + "」修改(现为第 " +
      theirs.properties.version + " 版)。对方的修改:" + (changed.join(";") || "无字段变化") + "。";
    this.say(text, "conflict", [
      { action: "reload", label: "载入最新版本(放弃我的修改)", run: function () {
        self.current = { layerId: self.current.layerId, feature: theirs, isNew: false, shapeEdited: false };
        self.fillForm(); self.fillLedger(); self.say("已载入最新版本。", "ok");
      } },
      { action: "overwrite", label: "仍然保存(覆盖对方的修改)", run: function () {
        self.save({ version: theirs.properties.version });
      } },
    ]);
  };

  Editor.prototype.remove = function () {
    var self = this;
    var f = this.current.feature;
    if (!window.confirm("确定删除「" + f.properties.name + "」吗?删除会记录在修改记录中,可以恢复。")) return Promise.resolve();
    return this.request("DELETE", this.featureUrl(this.current.layerId, f.id), undefined,
      { "If-Match": '"' + f.id + "-v" + f.properties.version + '"' }).then(function (r) {
      if (r.status === 204) {
        var layerId = self.current.layerId;
        self.deselect();
        self.say("已删除:" + f.properties.name, "ok");
        return self.reload([layerId]);
      }
      if (r.status === 409 && r.body.current) return self.explainConflict(r.body);
      self.say("未删除:" + (r.body ? r.body.message : r.status), "error");
    });
  };

  // --- the map as it stood on a past day (read-only) ---------------------------------
  Editor.prototype.showAsOf = function (day) {
    var self = this;
    this.deselect();
    this.clearSelection();
    var asOfStatus = {};
    return Promise.all(this.o.layers.map(function (layer) {
      var url = self.url("features", layer.id).replace(/\/features$/, "/as-of/" + encodeURIComponent(day));
      return self.request("GET", url).then(function (r) {
        if (!r.ok) throw new Error(r.body ? r.body.message : String(r.status));
        return [layer.id, r.body];
      });
    })).then(function (results) {
      self.exitAsOf(true);
      self.pastLayers = results.map(function (pair) {
        pair[1].features.forEach(function (f) { asOfStatus[f.id] = f.properties.status; });
        return L.geoJSON(pair[1], {
          renderer: self.renderer, pmIgnore: true, interactive: false,
          style: function (f) {
            var st = self.statuses[f.properties.status] || { color: "#9e9e9e" };
            return { fillColor: st.color, fillOpacity: 0.85, color: darken(st.color, 0.45), weight: 1 };
          },
        }).addTo(self.map);
      });
      Object.keys(self.layers).forEach(function (id) { self.map.removeLayer(self.layers[id]); });
      self.asOf = { day: day, statuses: asOfStatus };
      self.say(day + " 当日的地图(只读,共 " + Object.keys(asOfStatus).length + " 处)。编辑前请点「回到当前」。", "info");
    }).catch(function (err) { self.say("无法显示该日期:" + err.message, "error"); });
  };

  Editor.prototype.exitAsOf = function (quiet) {
    var self = this;
    (this.pastLayers || []).forEach(function (l) { self.map.removeLayer(l); });
    this.pastLayers = null;
    if (this.asOf) Object.keys(this.layers).forEach(function (id) { self.layers[id].addTo(self.map); });
    this.asOf = null;
    if (!quiet) this.say("");
  };

  // --- ledger ---------------------------------------------------------------------
  Editor.prototype.fillLedger = function () {
    var self = this;
    var cur = this.current;
    var box = this.ledger;
    box.textContent = "";
    if (!cur || cur.isNew) { box.hidden = true; return; }
    box.hidden = false;
    var labels = {};
    this.o.problemStatuses.forEach(function (p) { labels[p.key] = p.label; });
    box.appendChild(el("h2", null, "问题台账"));
    box.appendChild(el("p", { className: "rule" }, this.o.ruleExplanation));
    var problems = cur.feature.properties.problems || [];
    var table = el("table", { className: "problems" });
    var head = el("tr");
    ["类别", "问题描述", "整改时限", "责任人", "状态", ""].forEach(function (h) { head.appendChild(el("th", null, h)); });
    table.appendChild(head);
    problems.forEach(function (p) {
      var row = el("tr", { dataset: { problem: p.id } });
      [p.category, p.description, p.deadline, p.responsible, labels[p.status] || p.status].forEach(function (v) {
        row.appendChild(el("td", null, v || ""));
      });
      var cell = el("td");
      var edit = el("button", { type: "button", dataset: { action: "problem-edit" } }, "编辑");
      edit.addEventListener("click", function () { self.problemForm(p); });
      cell.appendChild(edit);
      var isOpen = self.o.problemStatuses.some(function (s) { return s.key === p.status && s.open; });
      if (isOpen) {
        var close = el("button", { type: "button", dataset: { action: "problem-close" } }, "销号");
        close.addEventListener("click", function () {
          var closed = self.o.problemStatuses.filter(function (s) { return !s.open; })[0].key;
          self.saveProblem(p.id, { status: closed });
        });
        cell.appendChild(close);
      }
      row.appendChild(cell);
      table.appendChild(row);
    });
    box.appendChild(table);
    var add = el("button", { type: "button", dataset: { action: "problem-add" } }, "新增问题");
    add.addEventListener("click", function () { self.problemForm(null); });
    box.appendChild(add);
    this.problemBox = el("div", { className: "problem-form" });
    box.appendChild(this.problemBox);
  };

  Editor.prototype.problemForm = function (problem) {
    var self = this;
    var p = problem || {};
    var box = this.problemBox;
    box.textContent = "";
    var form = el("form");
    var inputs = {};
    var add = function (key, label, node) { inputs[key] = node; form.appendChild(self.field(label, node)); };
    var cat = el("select", { name: "category" });
    this.o.categories.forEach(function (c) { cat.appendChild(option(c, c, c === p.category)); });
    add("category", "类别", cat);
    var desc = el("textarea", { name: "description" });
    desc.value = p.description || "";
    add("description", "问题描述", desc);
    ["found_on", "deadline"].forEach(function (k) {
      var i = el("input", { name: k, type: "date" });
      i.value = p[k] || "";
      add(k, k === "found_on" ? "发现日期" : "整改时限", i);
    });
    var by = el("input", { name: "found_by" });
    by.value = p.found_by || "";
    add("found_by", "发现方式", by);
    var resp = el("input", { name: "responsible" });
    resp.value = p.responsible || "";
    add("responsible", "责任人", resp);
    var st = el("select", { name: "status" });
    this.o.problemStatuses.forEach(function (s) { st.appendChild(option(s.key, s.label, s.key === (p.status || "open"))); });
    add("status", "状态", st);
    form.appendChild(el("button", { type: "submit", dataset: { action: "problem-save" } }, problem ? "保存问题" : "添加问题"));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var values = {};
      Object.keys(inputs).forEach(function (k) { values[k] = inputs[k].value.trim() || null; });
      values.description = values.description || "";
      if (problem) self.saveProblem(problem.id, values);
      else self.saveProblem(null, values);
    });
    box.appendChild(form);
  };

  Editor.prototype.saveProblem = function (pid, values) {
    var self = this;
    var cur = this.current;
    var base = this.featureUrl(cur.layerId, cur.feature.id, "/problems");
    var body = { version: cur.feature.properties.version, problem: values };
    var call = pid ? this.request("PATCH", base + "/" + encodeURIComponent(pid), body) : this.request("POST", base, body);
    return call.then(function (r) {
      if (r.ok) {
        self.current.feature = r.body;
        self.fillForm();
        self.fillLedger();
        self.say("台账已更新(第 " + r.body.properties.version + " 版)。", "ok");
        return self.reload([cur.layerId]);
      }
      if (r.status === 409 && r.body.current) return self.explainConflict(r.body);
      self.say("台账未更新:" + (r.body ? r.body.message : r.status), "error");
    });
  };

  guatu.editor = function (map, options) {
    var editor = new Editor(map, options);
    guatu.editors.push(editor);
    if (options.banner && guatu.problemBanner) guatu.problemBanner.start(options.banner);
    editor.errors = [];
    if (guatu.attachBasemaps) guatu.attachBasemaps({ map: map, options: options, errors: editor.errors });
    editor.start();
    return editor;
  };
})();
