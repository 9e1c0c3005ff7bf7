/*
 * A map's moves answered at once when one comes alone, and once they pause when they come in steps (a scroll
 * wheel's zoom, a drag that stops and goes on): the first move of a quiet map asks for its view straight away
 * (at a million places the view's answer is most of a move's time, and a 150 ms wait before asking was a third of
 * the rest), a move that follows another within `quiet` ms waits `pause` ms for the next, so steps ask once more.
 */
export function settled(fn, pause, quiet) {
  var trailing = null;
  var busy = null; // a timer while the map moved within the last `quiet` ms
  var moved = function () {
    window.clearTimeout(trailing);
    trailing = null;
    if (busy === null) fn();
    else trailing = window.setTimeout(function () { trailing = null; fn(); }, pause);
    window.clearTimeout(busy);
    busy = window.setTimeout(function () { busy = null; }, quiet);
  };
  moved.cancel = function () { // the move waiting for a pause not answered (asked already, or the map let go)
    window.clearTimeout(trailing);
    trailing = null;
  };
  return moved;
}
