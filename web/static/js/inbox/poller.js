/*
 * The bell's poll, without the DOM (pure: node --test tests/js/ covers it).
 * `Poller` asks `fetchCount()` for the unread count every `seconds`, hands
 * each answer to `show(count)`, waits longer after failures (doubling, at
 * most `maxSeconds`) and asks nothing while `paused` (a hidden tab).
 * `refresh()` asks at once (a page that just marked something read).
 * `badge(count)` is the text of the count's pill: "" for none, "99+" above 99.
 */

export var BADGE_MAX = 99;

export function badge(count) {
  if (!Number.isInteger(count) || count <= 0) return "";
  return count > BADGE_MAX ? BADGE_MAX + "+" : String(count);
}

export function delayAfter(seconds, failures, maxSeconds) {
  var wait = seconds * Math.pow(2, Math.min(failures, 10));
  return Math.min(wait, Math.max(maxSeconds, seconds));
}

export class Poller {
  constructor(options) {
    this.fetchCount = options.fetchCount;
    this.show = options.show;
    this.seconds = options.seconds;
    this.maxSeconds = options.maxSeconds || 600;
    this.setTimer = options.setTimer;
    this.clearTimer = options.clearTimer;
    this.failures = 0;
    this.paused = false;
    this.timer = null;
    this.asking = null;
  }

  start() {
    this.schedule();
    return this;
  }

  schedule() {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    if (this.paused || !(this.seconds > 0)) return;
    var self = this;
    this.timer = this.setTimer(function () {
      self.timer = null;
      self.refresh();
    }, delayAfter(this.seconds, this.failures, this.maxSeconds) * 1000);
  }

  refresh() {
    if (this.asking) return this.asking;
    var self = this;
    this.asking = Promise.resolve()
      .then(function () { return self.fetchCount(); })
      .then(function (count) {
        self.failures = 0;
        self.show(count);
        return count;
      }, function () {
        self.failures += 1;
        return null;
      })
      .then(function (count) {
        self.asking = null;
        self.schedule();
        return count;
      });
    return this.asking;
  }

  pause(paused) {
    var was = this.paused;
    this.paused = paused;
    if (paused) {
      this.schedule();
    } else if (was) {
      this.refresh();
    }
  }
}
