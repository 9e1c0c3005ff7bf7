/*
 * A Web Worker that pays the reporting page's proof of work off the page's
 * thread: given {challenge, bits}, it answers {answer}.
 */
import { sha256, solve } from "./pow.js";

self.onmessage = async function (e) {
  var answer = await solve(e.data.challenge, e.data.bits, sha256);
  self.postMessage({ answer: answer });
};
