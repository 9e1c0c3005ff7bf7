/*
 * A refresh asked for often, run at most once every `gapMs`: a wall screen
 * sees a new revision at every poll under steady edits, and fetching its
 * dashboard (or the plan against actual) for each one would make thirty
 * screens ask thirty times as often as anyone can read the panel.
 *
 * `ask()` runs the refresh at once when the last run started `gapMs` ago or
 * more; otherwise it sets one timer for the end of the gap (however many
 * more asks arrive meanwhile, that one run answers them all). An ask while
 * a run is in flight is kept and asked again when it ends, so the latest
 * change is always fetched. `clock` ({now, set, clear}) is the page's by
 * default; tests pass their own.
 */

function pageClock() {
  return {
    now: function () { return Date.now(); },
    set: function (fn, ms) { return window.setTimeout(fn, ms); },
    clear: function (id) { window.clearTimeout(id); },
  };
}

export function Coalescer(run, gapMs, clock) {
  this.run = run;
  this.gapMs = gapMs;
  this.clock = clock || pageClock();
  this.last = null; // when the last run started
  this.timer = null;
  this.running = null; // the run in flight (a promise)
  this.again = false; // asked while a run was in flight
  this.runs = 0;
}

Coalescer.prototype.ask = function () {
  if (this.running) {
    this.again = true;
    return this.running;
  }
  if (this.timer !== null) return Promise.resolve();
  var wait = this.last === null ? 0 : this.last + this.gapMs - this.clock.now();
  if (wait > 0) {
    var self = this;
    this.timer = this.clock.set(function () {
      self.timer = null;
      self.fire();
    }, wait);
    return Promise.resolve();
  }
  return this.fire();
};

Coalescer.prototype.fire = function () {
  var self = this;
  this.last = this.clock.now();
  this.runs += 1;
  var done = function () {
    self.running = null;
    if (self.again) {
      self.again = false;
      self.ask();
    }
  };
  this.running = Promise.resolve().then(this.run).then(done, done);
  return this.running;
};

// No run pending any more (the page is closing or the panel goes away).
Coalescer.prototype.stop = function () {
  if (this.timer !== null) this.clock.clear(this.timer);
  this.timer = null;
  this.again = false;
};
