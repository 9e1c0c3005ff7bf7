/*
 * The field page's cards, one per place of the day's list in route order:
 * what the inspector needs to know on the spot (status, street and
 * community, open problems, the last result) and the result form — big
 * toggles for 正常 / 发现问题 / 反弹, the kind of problem, its deadline,
 * 立行立改, notes — with camera capture. Text goes in as text only.
 */
import { el, elAttrs, inkOn } from "../lib/dom.js";
import { t } from "../lib/messages.js";

function hhmm(local) {
  return (local || "").slice(11, 16);
}

function option(value, label, selected) {
  var node = elAttrs("option", { value: value }, label);
  if (selected) node.selected = true;
  return node;
}

// A card for `place`; `list` is the day's list (its results and categories); `actions.save(place, body)` and
// `actions.photos(place, files)` queue what the inspector did.
export function makeCard(place, list, actions) {
  var card = elAttrs("li", { className: "field-card", id: "field-place-" + place.id,
    dataset: { id: place.id, layer: place.layer, order: String(place.order) } });
  card.style.setProperty("--status", place.color);
  if (/^#[0-9a-f]{6}$/i.test(place.color || "")) card.style.setProperty("--status-ink", inkOn(place.color));
  var h = el("h2");
  h.append(el("span", "field-order", place.order), el("span", "field-name", place.name || place.id));
  card.append(h);
  var meta = el("p", "field-meta");
  meta.append(el("span", "field-status", place.status_label || ""),
    " " + [place.street, place.community, place.kind].filter(Boolean).join(" · "));
  card.append(meta);
  var problems = place.open_problems || [];
  card.append(el("p", "field-problems", problems.length
    ? t("field.open_problems", { n: problems.length, list: problems.map(function (q) {
      return q.stage_label ? t("field.problem_stage", { category: q.category, stage: q.stage_label }) : q.category;
    }).join("、") })
    : t("field.no_problems")));
  if (place.last_result) {
    card.append(el("p", "field-last", t("field.last_result",
      { date: place.last_result.date, label: place.last_result.label })));
  }
  card.append(el("p", "field-outcome"));

  var form = elAttrs("form", { className: "field-form", novalidate: "" });
  var toggles = elAttrs("fieldset", { className: "field-results" });
  toggles.append(el("legend", null, t("field.result")));
  var chosen = { value: null };
  list.results.forEach(function (r) {
    var b = elAttrs("button", { type: "button", className: "field-toggle", "aria-pressed": "false",
      dataset: { result: r.key } }, r.label);
    b.addEventListener("click", function () {
      chosen.value = r.key;
      toggles.querySelectorAll(".field-toggle").forEach(function (x) {
        x.setAttribute("aria-pressed", String(x === b));
      });
      form.querySelectorAll(".field-problem-only").forEach(function (x) { x.hidden = r.key === "ok"; });
    });
    toggles.append(b);
  });
  form.append(toggles);
  var category = elAttrs("select", { name: "category" });
  category.append(option("", t("field.category_choice")));
  list.categories.forEach(function (c) { category.append(option(c, c)); });
  var deadline = elAttrs("input", { type: "date", name: "deadline", value: list.default_deadline });
  var fixed = elAttrs("input", { type: "checkbox", name: "fixed" });
  var notes = elAttrs("textarea", { name: "notes", rows: "2" });
  form.append(labelled("field.category", category, true), labelled("field.deadline", deadline, true));
  var fixedLabel = el("label", "field-check field-problem-only");
  fixedLabel.append(fixed, el("span", null, t("field.fixed")));
  fixedLabel.hidden = true;
  form.append(fixedLabel, labelled("field.notes", notes, false));
  var message = el("p", "field-form-message");
  message.setAttribute("role", "alert");
  var save = elAttrs("button", { type: "submit", className: "field-save" }, t("field.save"));
  form.append(message, save);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!chosen.value) {
      message.textContent = t("field.choose_result");
      return;
    }
    var body = { result: chosen.value, layer: place.layer, notes: notes.value.trim() };
    if (chosen.value !== "ok") {
      if (!category.value) {
        message.textContent = t("field.category_needed");
        return;
      }
      body.category = category.value;
      if (deadline.value) body.deadline = deadline.value;
      if (fixed.checked) body.fixed = true;
    }
    if (Number.isInteger(place.version)) body.seen_version = place.version;
    message.textContent = "";
    save.disabled = true;
    actions.save(place, body).catch(function () {
      save.disabled = false; // not kept: the inspector may try again (the form keeps what was chosen)
      message.textContent = t("field.not_kept");
    });
  });
  card.append(form);

  var camera = el("label", "field-camera");
  var photoMessage = el("p", "field-photo-message");
  photoMessage.setAttribute("role", "alert");
  var input = elAttrs("input", { type: "file", accept: "image/*", capture: "environment", multiple: "" });
  input.addEventListener("change", function () {
    var files = Array.from(input.files || []);
    input.value = "";
    if (!files.length) return;
    photoMessage.textContent = "";
    // (its own line: the result's form, and its message, are hidden once a result is recorded or queued)
    actions.photos(place, files).catch(function () { photoMessage.textContent = t("field.photo_not_kept"); });
  });
  camera.append(el("span", null, t("field.camera")), input);
  card.append(camera, photoMessage, el("ul", "field-thumbs"), el("p", "field-photos-sent"));
  return card;
}

function labelled(key, control, problemOnly) {
  var label = el("label", problemOnly ? "field-problem-only" : null);
  label.append(el("span", null, t(key)), control);
  if (problemOnly) label.hidden = true;
  return label;
}

// Show where a place stands: recorded (by the server, perhaps with a notice), queued, refused; and its photos.
export function showState(card, place, state) {
  var outcome = card.querySelector(".field-outcome");
  var form = card.querySelector(".field-form");
  var recorded = (state.outcome && state.outcome.result) || place.result;
  var queuedResult = state.queued.find(function (it) { return it.kind === "result"; });
  outcome.replaceChildren();
  if (recorded) {
    outcome.dataset.kind = recorded.changed_notice ? "changed" : "recorded";
    outcome.append(el("span", null, recorded.inspector
      ? t("field.recorded_by", { label: recorded.label, time: hhmm(recorded.at_local), who: recorded.inspector })
      : t("field.recorded", { label: recorded.label, time: hhmm(recorded.at_local) })));
    if (recorded.problem) outcome.append(" ", el("span", null, t("field.problem_opened", { id: recorded.problem })));
    if (recorded.changed_notice) outcome.append(el("strong", "field-changed", recorded.changed_notice));
    // this phone's result came after another one (the desk, another phone): kept, and the inspector told
    if (state.outcome && state.outcome.refused && !state.outcome.result) {
      outcome.dataset.kind = "refused";
      outcome.append(el("strong", "field-refused", t("field.refused", { reason: state.outcome.refused })));
    }
  } else if (queuedResult) {
    outcome.dataset.kind = "pending";
    outcome.textContent = t("field.queued");
  } else if (state.outcome && state.outcome.refused) {
    outcome.dataset.kind = "refused";
    outcome.textContent = t("field.refused", { reason: state.outcome.refused });
  } else {
    outcome.dataset.kind = "none";
    outcome.textContent = t("field.not_inspected");
  }
  form.hidden = Boolean(recorded || queuedResult);
  form.querySelector(".field-save").disabled = Boolean(queuedResult);

  var thumbs = card.querySelector(".field-thumbs");
  thumbs.querySelectorAll("img[data-local]").forEach(function (img) { URL.revokeObjectURL(img.src); });
  thumbs.replaceChildren();
  (place.photos || []).forEach(function (photo) {
    var li = elAttrs("li", { dataset: { id: photo.id, sent: "true" } });
    li.append(elAttrs("img", { src: state.thumb(photo.id), alt: "" }));
    thumbs.append(li);
  });
  state.queued.filter(function (it) { return it.kind === "photo"; }).forEach(function (it) {
    var li = elAttrs("li", { dataset: { id: it.id, sent: "false" } });
    li.append(elAttrs("img", { src: URL.createObjectURL(it.blob), alt: it.name || "", dataset: { local: "" } }));
    thumbs.append(li);
  });
  var sent = Math.max(((state.outcome && state.outcome.photos) || []).length, (place.photos || []).length);
  var notes = [];
  if (sent) notes.push(t("field.photos_sent", { n: sent }));
  if (state.photoRefused) notes.push(t("field.photo_refused", { reason: state.photoRefused }));
  card.querySelector(".field-photos-sent").textContent = notes.join(" ");
}
