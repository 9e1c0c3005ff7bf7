/*
 * The case page (/cases/<layer>/<fid>/<pid>): the forms of the actions this
 * person may take, and the timeline's photos in the lightbox.
 *
 * An action with photos (处置完成: 整改后, 核查通过: 核查) first uploads them under
 * the problem (POST …/problems/<pid>/photos), then sends the action with the
 * version the page was rendered from (If-Match). When the case moved on
 * meanwhile (409, 403) the page reloads with a Chinese message and keeps what
 * was typed and the photos already uploaded (sessionStorage), so nothing is
 * lost; a refusal of the form itself (422) is shown beside it.
 */
import { openLightbox } from "../lib/lightbox.js";
import { t } from "../lib/messages.js";
import { FIELDS, actionBody, draftKey, makeDraft, needsReload, readDraft, versionAfterUpload } from "./draft.js";

function problemText(body, fallback) {
  if (!body || typeof body !== "object") return fallback;
  var text = body.detail || body.message || fallback;
  var fields = Array.isArray(body.fields) ? body.fields : [];
  var extra = fields.map(function (f) { return f && f.message ? f.message : ""; }).filter(Boolean);
  return extra.length && extra.indexOf(text) < 0 ? text + " " + extra.join(" ") : text;
}

function valuesOf(form) {
  var values = {};
  ["note"].concat(FIELDS).forEach(function (name) {
    var input = form.elements[name];
    if (input && typeof input.value === "string") values[name] = input.value;
  });
  return values;
}

function keptOf(form) {
  try { return JSON.parse(form.dataset.kept || "[]"); } catch { return []; }
}

function showKept(form, photos) {
  form.dataset.kept = JSON.stringify(photos);
  var line = form.querySelector("[data-kept-photos]");
  if (!line) return;
  line.hidden = !photos.length;
  line.textContent = photos.length ? t("casepage.photos_kept", { n: photos.length }) : "";
}

async function readJson(resp) {
  try { return await resp.json(); } catch { return null; }
}

export function startCasePage(root, storage) {
  var config = JSON.parse(root.dataset.config);
  var note = root.querySelector("[data-case-note]");
  var key = draftKey(config.key);
  var doneKey = key + ".done";

  function say(text, kind) {
    note.hidden = !text;
    note.textContent = text || "";
    note.className = "case-note" + (kind ? " case-note-" + kind : "");
  }

  function restore() {
    var done = storage.getItem(doneKey);
    storage.removeItem(doneKey);
    if (done) say(done, "ok");
    var draft = readDraft(storage.getItem(key));
    storage.removeItem(key);
    if (!draft) return;
    var form = root.querySelector('form[data-action="' + draft.action + '"]');
    if (!form) {  // the action is no longer this person's to take: show what they had written
      say(draft.message + " " + (draft.values.note ? t("casepage.your_note", { note: draft.values.note }) : ""), "error");
      return;
    }
    Object.keys(draft.values).forEach(function (name) {
      if (form.elements[name]) form.elements[name].value = draft.values[name];
    });
    showKept(form, draft.photos);
    form.closest("details").open = true;
    say(draft.message + " " + t("casepage.kept"), "error");
  }

  async function upload(form, role, expected, photos) {
    var files = form.elements.photo ? Array.from(form.elements.photo.files || []) : [];
    for (var i = 0; i < files.length; i += 1) {
      var data = new FormData();
      data.append("file", files[i]);
      data.append("role", role);
      var resp = await fetch(config.photos, { method: "POST", body: data, credentials: "same-origin",
                                              headers: { "X-CSRF-Token": config.csrf, Accept: "application/json" } });
      var body = await readJson(resp);
      if (!resp.ok) return { error: problemText(body, t("casepage.upload_failed")), expected: expected };
      if (photos.indexOf(body.photo.id) < 0) photos.push(body.photo.id);
      expected = versionAfterUpload(expected, resp.status, body.feature.version);
      showKept(form, photos);
    }
    if (form.elements.photo) form.elements.photo.value = "";
    return { error: null, expected: expected };
  }

  async function submit(form) {
    var action = form.dataset.action;
    var label = form.querySelector("button[type=submit]").textContent.trim();
    var error = form.querySelector("[data-form-error]");
    var button = form.querySelector("button[type=submit]");
    var values = valuesOf(form);
    var photos = keptOf(form);
    error.hidden = true;
    button.disabled = true;
    root.dataset.busy = action;
    try {
      var expected = config.version;
      if (form.dataset.photoRole) {
        var sent = await upload(form, form.dataset.photoRole, expected, photos);
        if (sent.error) throw new Error(sent.error);
        expected = sent.expected;
      }
      var resp = await fetch(config.action, {
        method: "POST", credentials: "same-origin", body: JSON.stringify(actionBody(action, values, photos)),
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": config.csrf,
                   "If-Match": '"' + config.fid + "-v" + expected + '"' },
      });
      var answer = await readJson(resp);
      if (resp.ok) {
        storage.setItem(doneKey, t("casepage.done", { action: label }));
        window.location.reload();
        return;
      }
      var text = problemText(answer, t("casepage.failed"));
      if (needsReload(resp.status)) {
        storage.setItem(key, JSON.stringify(makeDraft(action, values, photos, t("casepage.moved_on", { reason: text }))));
        window.location.reload();
        return;
      }
      throw new Error(text);
    } catch (e) {
      error.textContent = e instanceof TypeError ? t("casepage.offline") : e.message;
      error.hidden = false;
      button.disabled = false;
      delete root.dataset.busy;
    }
  }

  root.querySelectorAll("form[data-action]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      submit(form);
    });
  });

  var thumbs = Array.from(root.querySelectorAll(".case-thumb"));  // the timeline's, and all the problem's
  var items = thumbs.map(function (b) {
    return { src: b.dataset.full, alt: "", lines: [b.dataset.caption || ""] };
  });
  thumbs.forEach(function (b, i) {
    b.addEventListener("click", function () { openLightbox(items, i); });
  });

  restore();
  return { config: config };
}
