/*
 * The case page's pure parts (no DOM on import, so node --test covers them):
 * the body of an action from its form's values, the version an action names
 * after its photos were uploaded, and the draft kept across a reload so a
 * conflict loses nothing a person typed or uploaded.
 */

// The fields an action may send besides `action`, `note` and `photos`.
export var FIELDS = ["unit", "handler", "deadline", "urgency", "until"];

// {action, note?, photos?, unit?, …}: empty values are left out.
export function actionBody(action, values, photos) {
  var body = { action: action };
  var note = (values.note || "").trim();
  if (note) body.note = note;
  FIELDS.forEach(function (name) {
    var value = (values[name] || "").trim();
    if (value) body[name] = value;
  });
  if (photos && photos.length) body.photos = photos.slice();
  return body;
}

// The version to name in If-Match after a photo upload answered `status`
// with the place's `version`: our own upload moved it on by one (201) or left
// it (200, the photo was there); anything else means somebody else wrote
// meanwhile, and the page's version stays, so the action is refused as stale.
export function versionAfterUpload(expected, status, version) {
  if (status === 201 && version === expected + 1) return version;
  if (status === 200 && version === expected) return expected;
  return expected;
}

// An answer that means the case moved on under the page: reload it (keeping the draft).
export function needsReload(status) {
  return status === 409 || status === 403 || status === 412;
}

export function draftKey(caseKey) {
  return "guatu.case-draft." + caseKey;
}

// What is kept across the reload: the action, what was typed, the photos already uploaded, the message.
export function makeDraft(action, values, photos, message) {
  var kept = {};
  ["note"].concat(FIELDS).forEach(function (name) {
    if (values[name]) kept[name] = String(values[name]);
  });
  return { action: action, values: kept, photos: (photos || []).slice(), message: message || "" };
}

export function readDraft(text) {
  if (!text) return null;
  try {
    var draft = JSON.parse(text);
    if (!draft || typeof draft.action !== "string") return null;
    return { action: draft.action, values: draft.values || {}, photos: Array.isArray(draft.photos) ? draft.photos : [],
             message: typeof draft.message === "string" ? draft.message : "" };
  } catch {
    return null;
  }
}
