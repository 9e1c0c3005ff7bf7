/*
 * Photos in the editor: a section in the place's panel and one in the form of
 * each ledger problem. Files come by drag and drop, by pasting an image, by
 * the file chooser or a phone's camera; each is sent to the place's (or the
 * problem's) photos with the role chosen, with a progress bar; the server's
 * refusal is shown as it says it. A photo is removed after a confirmation.
 *
 * Adding or removing a photo is a new version of the place: the editor takes
 * that version in when nobody else changed the place meanwhile, so its next
 * save does not conflict with its own photo; when someone did, it keeps the
 * version it started from and the save explains the conflict as usual.
 * Methods of Editor (editor/editor.js composes them).
 */
import { elAttrs as el, formatTime } from "../lib/dom.js";
import { openLightbox } from "../lib/lightbox.js";
import { t } from "../lib/messages.js";
import { isImageFile, photosOf, photoUrls, ROLES } from "../lib/photos.js";
import { option } from "./form.js";

var PROBLEM_ROLES = ["before", "after", "check"];

var photos = {};
export default photos;

function roleLabel(role) {
  return ROLES.indexOf(role) >= 0 ? t("wall.photo.role." + role) : role;
}

// The place's own photo section (below its attributes); pasting an image anywhere goes to the last one touched
photos.fillPhotos = function () {
  var cur = this.current;
  var box = this.photoBox;
  box.textContent = "";
  if (!cur || cur.isNew) { box.hidden = true; return; }
  box.hidden = false;
  box.appendChild(this.photoSection(null));
  if (!this.pasteListening) {
    this.pasteListening = true;
    var self = this;
    document.addEventListener("paste", function (e) { self.onPaste(e); });
  }
};

photos.photoSection = function (pid) {
  var self = this;
  var section = el("section", { className: "photos", dataset: { problem: pid || "" } });
  section.appendChild(el(pid ? "h3" : "h2", null, pid ? t("editor.photo.problem_title", { id: pid }) : t("editor.photo.title")));
  var list = this.current.feature.properties.photos || [];
  var shown = photosOf(list, pid);
  var strip = el("ul", { className: "guatu-photo-strip" });
  var items = shown.map(function (p) {
    return { src: photoUrls(self.o.api.photo, p).preview, alt: roleLabel(p.role),
      lines: [roleLabel(p.role), formatTime(new Date(p.taken_at || p.added_at), self.o.timezone), p.taken_by, p.caption] };
  });
  shown.forEach(function (p, i) {
    var item = el("li", { className: "guatu-photo-item", dataset: { photo: p.id } });
    var thumb = el("button", { type: "button", className: "guatu-photo-thumb", "aria-label": t("wall.photo.open", { role: roleLabel(p.role) }) });
    thumb.appendChild(el("img", { src: photoUrls(self.o.api.photo, p).thumb, alt: roleLabel(p.role) }));
    thumb.addEventListener("click", function () { openLightbox(items, i); });
    item.appendChild(thumb);
    item.appendChild(el("span", { className: "guatu-photo-role" }, roleLabel(p.role)));
    var remove = el("button", { type: "button", className: "danger photo-remove", dataset: { action: "photo-remove" },
      "aria-label": t("editor.photo.remove") }, "✕");
    remove.addEventListener("click", function () { self.removePhoto(p); });
    item.appendChild(remove);
    strip.appendChild(item);
  });
  if (!shown.length) section.appendChild(el("p", { className: "hint" }, t("editor.photo.none")));
  section.appendChild(strip);

  var roles = pid ? PROBLEM_ROLES : ROLES;
  var role = el("select", { name: "photo-role" });
  roles.forEach(function (r) { role.appendChild(option(r, roleLabel(r), r === (pid ? "before" : "place"))); });
  section.appendChild(this.field(t("editor.photo.role"), role));

  var target = { pid: pid, role: role, section: section };
  var send = function (files) { self.target = target; return self.uploadFiles(files, target); };
  var zone = el("div", { className: "photo-drop", tabindex: "0", dataset: { action: "photo-drop" } }, t("editor.photo.drop"));
  zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("is-over"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("is-over"); });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("is-over");
    send(Array.prototype.slice.call((e.dataTransfer && e.dataTransfer.files) || []));
  });
  section.addEventListener("focusin", function () { self.target = target; });
  section.addEventListener("pointerdown", function () { self.target = target; });
  section.appendChild(zone);

  var buttons = el("div", { className: "buttons photo-buttons" });
  var picker = function (label, action, camera) {
    var wrap = el("label", { className: "photo-pick", dataset: { action: action } });
    var input = el("input", { type: "file", accept: "image/*", name: action });
    if (camera) input.setAttribute("capture", "environment");
    else input.multiple = true;
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      input.value = "";
      send(files);
    });
    wrap.appendChild(input);
    wrap.appendChild(el("span", null, label));
    buttons.appendChild(wrap);
  };
  picker(t("editor.photo.choose"), "photo-file", false);
  picker(t("editor.photo.camera"), "photo-camera", true);
  section.appendChild(buttons);
  var progress = el("progress", { className: "photo-progress", max: "100", value: "0" });
  progress.hidden = true;
  section.appendChild(progress);
  target.progress = progress;
  if (!pid) this.target = target;
  return section;
};

photos.onPaste = function (e) {
  if (!this.current || this.current.isNew || !this.target || !document.body.contains(this.target.section)) return;
  var files = Array.prototype.slice.call((e.clipboardData && e.clipboardData.files) || []).filter(isImageFile);
  if (!files.length) return; // text pasted into a field stays text
  e.preventDefault();
  this.uploadFiles(files, this.target);
};

// One file after another (each is a new version of the place)
photos.uploadFiles = function (files, target) {
  var self = this;
  var chain = Promise.resolve();
  files.forEach(function (file) {
    chain = chain.then(function () {
      if (!isImageFile(file)) { self.say(t("editor.photo.failed", { message: t("editor.photo.not_image", { name: file.name }) }), "error"); return null; }
      return self.uploadPhoto(file, target);
    });
  });
  return chain;
};

photos.photosUrl = function (pid) {
  var cur = this.current;
  return this.featureUrl(cur.layerId, cur.feature.id, pid ? "/problems/" + encodeURIComponent(pid) + "/photos" : "/photos");
};

// XMLHttpRequest, not fetch: only it reports the upload's progress
photos.uploadPhoto = function (file, target) {
  var self = this;
  var cur = this.current;
  var mine = cur.feature.properties.version;
  var data = new FormData();
  data.append("file", file, file.name || "photo");
  data.append("role", target.role.value);
  var progress = target.progress;
  var name = file.name || t("editor.photo.title");
  progress.hidden = false;
  progress.value = 0;
  this.say(t("editor.photo.uploading", { name: name, pct: 0 }), "info");
  return new Promise(function (resolve) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", self.photosUrl(target.pid));
    xhr.setRequestHeader("X-CSRF-Token", self.o.csrfToken);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.round((100 * e.loaded) / e.total);
      progress.value = pct;
      self.say(t("editor.photo.uploading", { name: name, pct: pct }), "info");
    });
    xhr.addEventListener("loadend", function () {
      progress.hidden = true;
      var json = /json/.test(xhr.getResponseHeader("Content-Type") || "");
      var body = json && xhr.responseText ? JSON.parse(xhr.responseText) : null;
      resolve({ status: xhr.status, ok: xhr.status >= 200 && xhr.status < 300, body: body });
    });
    xhr.send(data);
  }).then(function (r) {
    if (!r.ok || !r.body || !r.body.photo) {
      var message = r.body && r.body.message ? r.body.message
        : r.status ? t("editor.photo.failed_http", { status: r.status }) : t("net.unreachable"); // (0: no answer)
      self.say(t("editor.photo.failed", { message: message }), "error");
      return;
    }
    var created = r.status === 201;
    return self.takeIn(cur, mine, r.body.feature && r.body.feature.version, created ? 1 : 0).then(function () {
      self.say(created ? t("editor.photo.uploaded", { version: self.current.feature.properties.version }) : t("editor.photo.already"), "ok");
    });
  });
};

photos.removePhoto = function (p) {
  var self = this;
  var cur = this.current;
  var mine = cur.feature.properties.version;
  if (!window.confirm(t("editor.photo.remove_ask", { role: roleLabel(p.role) }))) return Promise.resolve();
  return this.write(function (signal) {
    return self.request("DELETE", self.featureUrl(cur.layerId, cur.feature.id, "/photos/" + encodeURIComponent(p.id)), undefined,
      { "If-Match": '"' + cur.feature.id + "-v" + mine + '"' }, signal);
  }).then(function (r) {
    if (!r) return;
    if (!r.ok) {
      if (r.status === 409 && r.body && r.body.current) return self.explainConflict(r.body);
      self.say(t("editor.photo.remove_failed", { message: r.body && r.body.message ? r.body.message : t("editor.photo.failed_http", { status: r.status }) }), "error");
      return;
    }
    var version = r.body && r.body.feature ? r.body.feature.version : null;
    return self.takeIn(cur, mine, version, 1).then(function () {
      self.say(t("editor.photo.removed", { version: self.current.feature.properties.version }), "ok");
    });
  });
};

// After the editor's own photo change: read the place again; take in its new version only when it is the
// version the editor started from plus its own change (else someone else changed the place: the next save
// names the old version and is told of their change). The attribute form keeps what is typed in it.
photos.takeIn = function (cur, mine, answered, steps) {
  var self = this;
  return this.request("GET", this.featureUrl(cur.layerId, cur.feature.id)).catch(function () {
    return { ok: false }; // the photo is in; the place is read again when it is next opened
  }).then(function (r) {
    if (!r.ok || self.current !== cur) return;
    var fresh = r.body;
    var expected = mine + steps;
    var ours = fresh.properties.version === expected && (answered === undefined || answered === null || answered === expected);
    if (ours) {
      cur.feature = fresh;
      var title = self.form.querySelector("h2");
      if (title) title.textContent = t("editor.form.title", { name: fresh.properties.name, id: fresh.id, version: fresh.properties.version });
    } else {
      cur.feature.properties.photos = fresh.properties.photos;
    }
    self.fillPhotos();
    self.fillProblemPhotos();
  });
};

// The photo section of the problem whose form is open (its typed values stay)
photos.fillProblemPhotos = function () {
  var box = this.problemPhotoBox;
  if (!box || !document.body.contains(box) || !this.current || this.current.isNew) return;
  box.textContent = "";
  box.appendChild(this.photoSection(box.dataset.problem));
};
