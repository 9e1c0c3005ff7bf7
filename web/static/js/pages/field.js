/*
 * The inspector's phone page (/field/): loads the day's list (through the
 * service worker, which keeps a copy for offline), draws the cards and the
 * route map, follows the device's position, queues results and photos on the
 * phone and sends them when there is network (docs/field.md).
 *
 * Test hook: window.guatuPage.field — {list, view, queueCount(), flush()}; the page
 * marks <html data-field-list-shown> when the cards are drawn, <html data-field-ready> when the map is too
 * (or Leaflet could not be loaded), and
 * <html data-field-offline-ready> when it would load again without network.
 */
import { makeCard, showState } from "../field/cards.js";
import { photoPosition } from "../field/fix.js";
import { followMe, loadLeaflet, routeMap } from "../field/map.js";
import { ofPlace } from "../field/order.js";
import { openQueue, placeKey } from "../field/queue.js";
import { Sender } from "../field/sender.js";
import { el } from "../lib/dom.js";
import { pageHook } from "../lib/page-hook.js";
import { t } from "../lib/messages.js";

var root = document.getElementById("field");
var config = JSON.parse(root.dataset.config);
var html = document.documentElement;
var net = document.querySelector("[data-field-net]");
var counter = document.querySelector("[data-field-queue]");
var note = document.querySelector("[data-field-note]");
var here = null; // the device's last position fix (field/map.js followMe)
var refusedPhotos = {};

function thumbUrl(id) {
  return config.thumb.replace("__id__", encodeURIComponent(id));
}

function showNet() {
  net.dataset.state = navigator.onLine ? "online" : "offline";
  net.textContent = navigator.onLine ? t("field.online") : t("field.offline");
}

var stuck = false; // online, and the last try to send stopped at an item the server did not take (lib/queue-sender.js)

function showCount(items) {
  counter.dataset.count = String(items.length);
  counter.dataset.stuck = String(stuck && items.length > 0);
  counter.textContent = !items.length ? t("field.queue_empty")
    : t(stuck ? "field.queue_stuck" : "field.queue", { n: items.length });
}

function say(text) {
  note.hidden = !text;
  note.textContent = text || "";
}

// The session ended (401): what is queued stays, and the inspector is shown the way to sign in again.
function saySignedOut() {
  say(t("field.signed_out") + " ");
  var link = document.createElement("a");
  link.href = config.login;
  link.className = "field-sign-in";
  link.textContent = t("field.sign_in");
  note.append(link);
}

// The list: from the network (the worker keeps a copy), or the copy when there is none.
async function loadList() {
  try {
    var resp = await fetch(config.list, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (resp.ok) {
      var copy = resp.clone();
      caches.open(config.caches.data).then(function (c) { return c.put(config.list, copy); });
      return resp.json();
    }
  } catch {
    // no network and no worker yet: the copy below
  }
  var saved = await caches.match(config.list, { ignoreVary: true });
  if (saved) {
    say(t("field.list_saved"));
    return saved.json();
  }
  return null;
}

// Register the worker and keep this page for offline; then mark the page ready for it.
async function keepOffline() {
  if (!("serviceWorker" in navigator)) return;
  await navigator.serviceWorker.register(config.worker, { scope: config.scope });
  await navigator.serviceWorker.ready;
  if (navigator.onLine) {
    var pages = await caches.open(config.caches.pages);
    await pages.add(new Request(location.href, { credentials: "same-origin" }));
  }
  html.dataset.fieldOfflineReady = "true";
}

async function main() {
  showNet();
  window.addEventListener("online", showNet);
  window.addEventListener("offline", showNet);
  var queue;
  try {
    queue = await openQueue();
  } catch { // the phone's browser cannot keep what is recorded: nothing would survive a dead zone
    say(t("field.no_storage"));
    html.dataset.fieldReady = "true";
    return;
  }
  var list = await loadList();
  var hook = pageHook();
  if (!list) {
    say(t("field.list_failed"));
    html.dataset.fieldReady = "true";
    return;
  }
  if (!list.places.length) say(t("field.no_list", { day: config.day }));
  var cards = document.querySelector("[data-field-cards]");
  var byKey = {};

  async function refresh(items) {
    showCount(items);
    for (var place of list.places) {
      var key = placeKey(config.day, place.layer, place.id);
      showState(byKey[key], place, { queued: ofPlace(items, place.layer, place.id),
        outcome: await queue.outcome(key), photoRefused: refusedPhotos[key], thumb: thumbUrl });
    }
  }

  function placeOf(item) {
    return list.places.find(function (p) { return p.layer === item.layer && p.id === item.fid; });
  }

  var sender = new Sender(config, queue, function (how, item, answer) {
    if (how === "signed_out") {
      saySignedOut();
      return;
    }
    if (note.querySelector(".field-sign-in")) say("");
    var place = placeOf(item);
    if (item.kind === "photo" && how === "refused") {
      refusedPhotos[placeKey(config.day, item.layer, item.fid)] = answer.refused;
    }
    // this phone's own photo made the place's next version: a result saved after it saw that one
    if (item.kind === "photo" && how === "done" && place && answer.feature && answer.feature.version === place.version + 1) {
      place.version = answer.feature.version;
    }
  }, async function () {
    // everything sent: the list again from the server (results, photos, versions as they are now)
    var fresh = await loadList();
    if (!fresh) return;
    fresh.places.forEach(function (f) {
      var place = list.places.find(function (p) { return p.layer === f.layer && p.id === f.id; });
      if (place) Object.assign(place, { version: f.version, result: f.result, photos: f.photos });
    });
    await refresh(await queue.items());
  });
  sender.onWaiting = function (failures) { // (a session that ended says so itself: the way to sign in again)
    stuck = failures > 0 && !note.querySelector(".field-sign-in");
    queue.items().then(showCount);
  };
  var actions = {
    // each resolves once what the inspector did is kept on the phone, or rejects (the card says so: field/cards.js)
    save: function (place, body) {
      return queue.add("result", { day: config.day, layer: place.layer, fid: place.id, body: body })
        .then(function () { sender.flush(); });
    },
    photos: async function (place, files) {
      try {
        for (var file of files) {
          await queue.add("photo", { day: config.day, layer: place.layer, fid: place.id, blob: file, name: file.name,
            type: file.type, takenAt: new Date(file.lastModified || Date.now()).toISOString(),
            ...photoPosition(here, Date.now()) });
        }
      } finally {
        sender.flush(); // those kept before a failure go
      }
    },
  };
  list.places.forEach(function (place) {
    var card = makeCard(place, list, actions);
    byKey[placeKey(config.day, place.layer, place.id)] = card;
    cards.append(card);
  });
  queue.onChange(refresh);
  await refresh(await queue.items());
  html.dataset.fieldListShown = "true"; // the cards, before the map: Leaflet may still be on its way
  hook.field = {
    list: list, view: null,
    queueCount: async function () { return (await queue.items()).length; },
    flush: function () { return sender.flush(); },
  };
  sender.flush(); // what an earlier visit queued goes now, not once the map is in

  // the worker (its precache) once Leaflet is in or given up: on a weak signal they would share the line
  var box = document.getElementById("field-map");
  try {
    await loadLeaflet(config.leaflet);
  } catch { // Leaflet could not be loaded: the cards and the queue work without their map, which says so
    box.append(el("p", "field-map-note", t("field.map_failed")));
    html.dataset.fieldReady = "true";
    keepOffline();
    return;
  }
  var view = routeMap(box, list.places, function (place) {
    byKey[placeKey(config.day, place.layer, place.id)].scrollIntoView({ behavior: "smooth", block: "start" });
  });
  followMe(view, function (text) { document.querySelector("[data-field-gps]").textContent = text; },
    function (pos) { here = pos; });
  hook.field.view = view;
  html.dataset.fieldReady = "true";
  keepOffline();
}

main().catch(function (err) { // not expected: said rather than a page that silently does nothing
  console.error(err);
  say(t("field.page_failed"));
  html.dataset.fieldReady = "true";
});
