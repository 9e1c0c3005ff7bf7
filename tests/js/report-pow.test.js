// The reporting page's proof of work: the answer it finds is one the server's check accepts (the same hash and
// the same count of leading zero bits as geo/residents/challenge.py), and the shared retry rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { leadingZeroBits, sha256, solve } from "../../web/static/js/residents/pow.js";
import { backoff, verdict } from "../../web/static/js/lib/retry.js";

test("leading zero bits are counted across bytes", function () {
  assert.equal(leadingZeroBits(new Uint8Array([0, 0, 0x80])), 16);
  assert.equal(leadingZeroBits(new Uint8Array([0, 0x0f])), 12);
  assert.equal(leadingZeroBits(new Uint8Array([0xff])), 0);
  assert.equal(leadingZeroBits(new Uint8Array([0, 0])), 16);
});

test("the answer found pays the challenge as the server checks it", async function () {
  var challenge = "eyJuIjoiYWJjIn0.c2lnbmF0dXJl";
  var answer = await solve(challenge, 10, sha256);
  var digest = createHash("sha256").update(challenge + ":" + answer).digest();
  assert.ok(leadingZeroBits(new Uint8Array(digest)) >= 10);
  for (var i = 0; i < Number(answer); i += 1) { // the first answer that pays: none before it does
    var earlier = createHash("sha256").update(challenge + ":" + i).digest();
    assert.ok(leadingZeroBits(new Uint8Array(earlier)) < 10);
  }
});

test("a report is retried on no network, a busy server or too many reports, and dropped when refused", function () {
  assert.equal(verdict(201), "done");
  assert.equal(verdict(0), "retry");
  assert.equal(verdict(429), "retry");
  assert.equal(verdict(503), "retry");
  assert.equal(verdict(422), "refused");
  assert.equal(verdict(403), "refused");
  assert.deepEqual([1, 2, 3, 10].map(backoff), [2000, 4000, 8000, 60000]);
});
