/*
 * The residents' reporting page (/report, no account): a map to pin the
 * place (or the phone's position), the category, a description, photos and
 * optional contact; the report goes into the phone's outbox and is sent when
 * there is network (residents/sender.js), so it works offline. The receipt
 * code is shown once the server has it, and the codes this phone sent are
 * listed with their state (docs/residents.md).
 *
 * Test hook: window.guatuPage.report — {pin(lon, lat), queueCount(), flush()};
 * <html data-report-ready> once the map is drawn, <html data-report-offline-ready>
 * when the page would load again without network (the shared service worker,
 * lib/offline-sw.js, registered as /report/sw.js).
 */
import { attachBasemaps } from "../basemaps.js";
import { el } from "../lib/dom.js";
import { t } from "../lib/messages.js";
import { nameMapControls } from "../lib/map-names.js";
import { pageHook } from "../lib/page-hook.js";
import { openOutbox } from "../residents/outbox.js";
import { deviceId, ReportSender } from "../residents/sender.js";

var root = document.getElementById("report");
var config = JSON.parse(root.dataset.config);
var form = document.getElementById("report-form");
var net = document.getElementById("report-net");
var pinText = document.getElementById("report-pin");
var error = document.getElementById("report-error");
var done = document.getElementById("report-done");
var doneText = document.getElementById("report-done-text");
var codeBox = document.getElementById("report-code");
var mine = document.getElementById("report-mine");
var photosInput = document.getElementById("report-photos");
var thumbs = document.getElementById("report-thumbs");
var sendButton = document.getElementById("report-send");
var pin = null;
var marker = null;
var chosen = [];

function showNet() {
  net.dataset.state = navigator.onLine ? "online" : "offline";
  net.textContent = navigator.onLine ? t("reportpage.online") : t("reportpage.offline");
}

var c = config.center;
var map = L.map("report-map", { attributionControl: false, zoomSnap: 0.5 }).setView([c[0], c[1]], config.zoom);
nameMapControls(map);
if (config.basemaps) attachBasemaps({ map: map, options: { api: { basemaps: config.basemaps } }, errors: [] });
fetch(config.area).then(function (r) { return r.ok ? r.json() : null; }).then(function (area) {
  if (area) {
    L.geoJSON(area, { interactive: false, style: { color: "#546e7a", weight: 1.5, fillOpacity: 0.04 } }).addTo(map);
  }
}).catch(function () { /* offline: the map works without the outlines */ });

function setPin(lon, lat) {
  pin = { lon: Number(lon.toFixed(7)), lat: Number(lat.toFixed(7)) };
  if (!marker) marker = L.circleMarker([lat, lon], { radius: 9, color: "#fff", weight: 2, fillColor: "#c62828",
    fillOpacity: 1 }).addTo(map);
  else marker.setLatLng([lat, lon]);
  pinText.dataset.pinned = "true";
  pinText.textContent = t("reportpage.pin_set", { lon: pin.lon.toFixed(5), lat: pin.lat.toFixed(5) });
}

map.on("click", function (e) { setPin(e.latlng.lng, e.latlng.lat); });

document.getElementById("report-gps").addEventListener("click", function () {
  if (!("geolocation" in navigator)) {
    pinText.textContent = t("reportpage.gps_off");
    return;
  }
  pinText.textContent = t("reportpage.gps_waiting");
  navigator.geolocation.getCurrentPosition(function (pos) {
    setPin(pos.coords.longitude, pos.coords.latitude);
    map.setView([pos.coords.latitude, pos.coords.longitude], Math.max(map.getZoom(), 16));
  }, function () {
    pinText.textContent = t("reportpage.gps_off");
  }, { enableHighAccuracy: true, timeout: 15000 });
});

function drawThumbs() {
  thumbs.replaceChildren();
  chosen.forEach(function (file, i) {
    var img = el("img");
    img.src = URL.createObjectURL(file);
    img.alt = "";
    var drop = el("button", "report-thumb-remove", "×");
    drop.type = "button";
    drop.setAttribute("aria-label", t("reportpage.remove_photo"));
    drop.addEventListener("click", function () {
      chosen.splice(i, 1);
      drawThumbs();
    });
    var li = el("li");
    li.append(img, drop);
    thumbs.append(li);
  });
}

photosInput.addEventListener("change", function () {
  chosen = chosen.concat(Array.from(photosInput.files || []));
  if (chosen.length > config.maxPhotos) {
    chosen = chosen.slice(0, config.maxPhotos);
    say(t("reportpage.too_many_photos", { n: config.maxPhotos }));
  }
  photosInput.value = "";
  drawThumbs();
});

function say(text) {
  error.hidden = !text;
  error.textContent = text || "";
}

function field(name) {
  return (form.elements[name].value || "").trim();
}

function followUrl(code) {
  return config.follow.replace("__code__", encodeURIComponent(code));
}

function drawMine(items, sent, refused, outbox) {
  mine.replaceChildren();
  items.forEach(function (item) {
    mine.append(el("li", "report-mine-waiting", item.body.category + " · " + t("reportpage.waiting")));
  });
  refused.forEach(function (r) { // sent later and refused: why, until the resident has read it
    var li = el("li", "report-mine-refused", r.category + " · " + t("reportpage.mine_refused", { reason: r.reason }) + " ");
    var seen = el("button", "report-mine-dismiss", t("reportpage.dismiss"));
    seen.type = "button";
    seen.addEventListener("click", function () { outbox.dismiss(r.id); });
    li.append(seen);
    mine.append(li);
  });
  sent.slice().sort(function (a, b) { return String(b.at).localeCompare(String(a.at)); }).forEach(function (r) {
    var link = el("a", "report-mine-code", r.code);
    link.href = followUrl(r.code);
    var li = el("li");
    li.append(link, " · " + r.category + " · ", el("span", "report-mine-state", r.stateText || ""));
    li.dataset.code = r.code;
    mine.append(li);
  });
  if (!items.length && !sent.length && !refused.length) mine.append(el("li", "report-mine-empty", t("reportpage.mine_empty")));
}

// The states of the reports this phone sent, asked again when there is network.
async function refreshStates(outbox) {
  if (!navigator.onLine) return;
  for (var r of await outbox.sent()) {
    try {
      var resp = await fetch(config.receipt.replace("__code__", encodeURIComponent(r.code)),
        { headers: { Accept: "application/json" } });
      if (!resp.ok) continue;
      var view = await resp.json();
      await outbox.keep(Object.assign({}, r, { state: view.state, stateText: view.state_text }));
    } catch {
      return;
    }
  }
}

function showReceipt(code) {
  form.hidden = true;
  done.hidden = false;
  doneText.textContent = t("reportpage.sent");
  codeBox.replaceChildren();
  var link = el("a", "", code);
  link.href = followUrl(code);
  link.id = "report-receipt";
  codeBox.append(link);
}

function reset() {
  form.reset();
  chosen = [];
  drawThumbs();
  pin = null;
  if (marker) {
    map.removeLayer(marker);
    marker = null;
  }
  pinText.dataset.pinned = "";
  pinText.textContent = "";
  say("");
}

// The service worker keeps the page, its scripts and the map's outlines for a phone with no network.
async function keepOffline() {
  if (!("serviceWorker" in navigator)) return;
  await navigator.serviceWorker.register(config.serviceWorker, { scope: config.scope });
  await navigator.serviceWorker.ready;
  if (navigator.onLine) {
    var pages = await caches.open(config.caches.pages);
    await pages.add(new Request(location.href, { credentials: "same-origin" }));
  }
  document.documentElement.dataset.reportOfflineReady = "true";
}

async function start() {
  var outbox = await openOutbox();
  var current = null; // the item this screen is waiting for
  var sender = new ReportSender(config, outbox, function (how, item, answer) {
    if (!current || item.id !== current) return;
    if (how === "done") {
      showReceipt(answer.code);
      if (item.dropped && item.dropped.length) {
        done.append(el("p", "report-error", t("reportpage.photo_left_out", { reason: item.dropped[0] })));
      }
    }
    else { // the form again, as the resident filled it in, with the reason: no need to list it as well
      form.hidden = false;
      done.hidden = true;
      say(t("reportpage.refused", { reason: answer.refused }));
      outbox.dismiss(item.id);
    }
  });
  sender.onWaiting = function (failures) { // the report on the screen not taken yet though the phone is online
    if (current && !done.hidden && !codeBox.firstChild) {
      doneText.textContent = failures ? t("reportpage.retrying") : t("reportpage.sending");
    }
  };
  outbox.onChange(function (items, sent, refused) { drawMine(items, sent, refused, outbox); });
  await outbox.changed();

  var keeping = false; // a report being put in the outbox: a second tap meanwhile is not a second report
  form.addEventListener("submit", async function (e) {
    e.preventDefault();
    if (keeping) return;
    say("");
    if (!pin) return say(t("reportpage.need_pin"));
    if (!field("category")) return say(t("reportpage.need_category"));
    if (!field("description")) return say(t("reportpage.need_description"));
    var body = { lon: pin.lon, lat: pin.lat, category: field("category"), description: field("description") };
    ["address", "phone", "squad"].forEach(function (name) {
      if (field(name)) body[name] = field(name);
    });
    keeping = true;
    sendButton.disabled = true;
    var item;
    try {
      item = await outbox.add(body, chosen.slice());
    } catch {
      return say(t("reportpage.not_kept")); // (the form keeps what was filled in)
    } finally {
      keeping = false;
      sendButton.disabled = false;
    }
    current = item.id;
    form.hidden = true;
    done.hidden = false;
    codeBox.replaceChildren();
    doneText.textContent = navigator.onLine ? t("reportpage.sending") : t("reportpage.queued");
    sender.flush();
  });
  document.getElementById("report-again").addEventListener("click", function () {
    current = null;
    done.querySelectorAll("p.report-error").forEach(function (p) { p.remove(); });
    reset();
    form.hidden = false;
    done.hidden = true;
  });
  document.getElementById("report-lookup").addEventListener("submit", function (e) {
    e.preventDefault();
    var code = document.getElementById("report-lookup-code").value.trim().toUpperCase();
    if (code) window.location.href = followUrl(code);
  });
  window.addEventListener("online", function () { showNet(); refreshStates(outbox); });
  window.addEventListener("offline", showNet);
  showNet();
  deviceId();
  pageHook().report = {
    pin: setPin,
    queueCount: async function () { return (await outbox.items()).length; },
    flush: function () { return sender.flush(); },
  };
  ready = true;
  document.documentElement.dataset.reportReady = "true";
  sender.flush();
  refreshStates(outbox);
  keepOffline();
}

// Until the outbox is open a report has nowhere to wait: the form is not sent as a page (its fields would go into
// the address); a phone whose browser cannot keep one (a private window, storage full) is told so.
var ready = false;
form.addEventListener("submit", function (e) {
  if (ready) return;
  e.preventDefault();
  say(t("reportpage.not_ready"));
});
start().catch(function () {
  sendButton.disabled = true;
  say(t("reportpage.no_storage"));
});
