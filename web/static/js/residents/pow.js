/*
 * The proof of work of the reporting page (pure: the digest is given, so
 * node's test runner covers it): find an answer such that
 * SHA-256(challenge + ":" + answer) starts with `bits` zero bits — what the
 * server checks with one hash (geo/residents/challenge.py).
 */

export function leadingZeroBits(bytes) {
  var n = 0;
  for (var i = 0; i < bytes.length; i += 1) {
    if (bytes[i] === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(bytes[i]) - 24;
  }
  return n;
}

// `digest(text)` resolves to the SHA-256 of the text as a Uint8Array.
export async function solve(challenge, bits, digest) {
  for (var i = 0; ; i += 1) {
    var hash = await digest(challenge + ":" + i);
    if (leadingZeroBits(hash) >= bits) return String(i);
  }
}

export async function sha256(text) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}
