// A place's photos as the pages show them (web/static/js/lib/photos.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { beforeAfter, forDisplay, isImageFile, newestFirst, photoDay, photosOf, photoUrls } from "../../web/static/js/lib/photos.js";

function photo(id, role, takenAt, more) {
  return Object.assign({ id: id, role: role, problem: null, taken_at: takenAt, added_at: "2026-11-20T02:00:00Z" }, more || {});
}

test("image URLs come from the page's template, or the entry's own", () => {
  var urls = photoUrls("/g/photos/__id__/__variant__.jpg", { id: "ab12" });
  assert.deepEqual(urls, { thumb: "/g/photos/ab12/thumb.jpg", preview: "/g/photos/ab12/preview.jpg", full: "/g/photos/ab12/full.jpg" });
  var own = { thumb: "t", preview: "p", full: "f" };
  assert.equal(photoUrls("/photos/__id__/__variant__.jpg", { id: "x", urls: own }), own);
});

test("newest first: the last added first, as the server lists them", () => {
  var list = [photo("a", "place", "2026-11-01T01:00:00Z"), photo("b", "place", null, { added_at: "2026-11-10T01:00:00Z" }),
    photo("c", "after", "2026-11-15T01:00:00Z"), photo("d", "after", "2026-11-15T01:00:00Z")];
  assert.deepEqual(newestFirst(list).map(function (p) { return p.id; }), ["d", "c", "b", "a"]);
  assert.deepEqual(list.map(function (p) { return p.id; }), ["a", "b", "c", "d"]); // the property itself is left alone
});

test("a problem's photos, and the place's own (those of no problem)", () => {
  var list = [photo("a", "before", "2026-11-01T01:00:00Z", { problem: "c-1-p1" }), photo("b", "place", "2026-11-02T01:00:00Z"),
    photo("c", "after", "2026-11-03T01:00:00Z", { problem: "c-1-p1" })];
  assert.deepEqual(photosOf(list, "c-1-p1").map(function (p) { return p.id; }), ["c", "a"]);
  assert.deepEqual(photosOf(list, null).map(function (p) { return p.id; }), ["b"]);
});

test("the compare sets the 整改前 photos before and the 整改后 after, oldest first", () => {
  var list = [photo("a1", "before", "2026-11-01T05:00:00Z"), photo("p", "place", "2026-11-01T01:00:00Z"),
    photo("a2", "before", "2026-11-02T01:00:00Z"), photo("c", "after", "2026-11-20T01:00:00Z")];
  var split = beforeAfter(list);
  assert.deepEqual(split.before.map(function (p) { return p.id; }), ["a1", "a2"]);
  assert.deepEqual(split.after.map(function (p) { return p.id; }), ["c"]);
});

test("without those roles the compare takes the first and the last photo", () => {
  var list = [photo("e", "place", "2026-11-01T01:00:00Z"), photo("m", "check", "2026-11-10T01:00:00Z"),
    photo("l", "inspection", "2026-11-20T01:00:00Z")];
  assert.deepEqual(beforeAfter(list), { before: [list[0]], after: [list[2]] });
  assert.deepEqual(beforeAfter([list[1]]), { before: [list[1]], after: [] });
  assert.deepEqual(beforeAfter([]), { before: [], after: [] });
});

test("a photo's day is the campaign's: 23:30 UTC is the next morning in Beijing", () => {
  assert.equal(photoDay(photo("a", "place", "2026-11-23T23:30:00Z"), "Asia/Shanghai"), "2026-11-24");
  assert.equal(photoDay(photo("a", "place", "2026-11-23T23:30:00Z"), "UTC"), "2026-11-23");
  assert.equal(photoDay({ id: "x" }, "Asia/Shanghai"), "");
});

test("an image file is one by its type, or an untyped phone photo by its name", () => {
  assert.equal(isImageFile({ type: "image/jpeg", name: "a.jpg" }), true);
  assert.equal(isImageFile({ type: "", name: "IMG_0001.HEIC" }), true);
  assert.equal(isImageFile({ type: "text/plain", name: "a.jpg" }), false);
  assert.equal(isImageFile({ type: "", name: "notes.txt" }), false);
  assert.equal(isImageFile(null), false);
});

test("a display link's image URL carries its token; anyone else's is as it is", () => {
  assert.equal(forDisplay("/photos/ab/thumb.jpg", "s3cr&t"), "/photos/ab/thumb.jpg?display=s3cr%26t");
  assert.equal(forDisplay("/photos/ab/thumb.jpg", null), "/photos/ab/thumb.jpg");
});
