"""How many reports the public page takes from one client address and from one device, per window, counted in
the storage every worker and instance shares (Flask-Limiter's, set up with the login throttle:
web/access/login_limits.py, geo/throttle.py). A device is the random id the page keeps on the phone, sent as a
header; a client without one is counted by its address alone. Reports and photos are counted apart, photos with
limits as many times larger as a report may carry photos; a follow-up is counted only when its code does not
exist (a few mistyped codes pass, guessing codes does not)."""

from __future__ import annotations

import hashlib
import math
from datetime import datetime

from limits import RateLimitItem, parse
from limits.strategies import RateLimiter

from geo.messages import t
from geo.residents.photos import MAX_PHOTOS
from geo.throttle import Clock, LoginThrottled

MISSES_PER_REPORT = 3  # receipt codes looked up in vain, per report a client may send


def device_hash(device: object) -> str | None:
    """What is kept of a device id: its SHA-256 (a report never holds the phone's own id); None when absent
    or not an id of the page's shape."""
    if not isinstance(device, str) or not 8 <= len(device) <= 64 or not device.replace("-", "").isalnum():
        return None
    return hashlib.sha256(device.encode()).hexdigest()


class ReportThrottle:
    """The rule on top of a `limits` rate limiter."""

    def __init__(self, limiter: RateLimiter, *, per_ip: str, per_device: str, clock: Clock,
                 photos_per_report: int = MAX_PHOTOS) -> None:
        self.limiter = limiter
        self.items: dict[str, tuple[RateLimitItem, RateLimitItem]] = {
            "report": (parse(per_ip), parse(per_device)),
            "photo": (_times(parse(per_ip), photos_per_report), _times(parse(per_device), photos_per_report)),
            # receipt codes looked up that do not exist: a person mistypes a few, a guesser many
            "miss": (_times(parse(per_ip), MISSES_PER_REPORT), _times(parse(per_device), MISSES_PER_REPORT)),
        }
        self.clock = clock

    def attempt(self, what: str, address: str, device: str | None) -> None:
        """Count one `what` (`report`, `photo`) from this address and device; LoginThrottled (429, with
        Retry-After) when either is over its limit."""
        per_ip, per_device = self.items[what]
        counters = [(per_ip, (f"resident-{what}-ip", address or "-"))]
        if device:
            counters.append((per_device, (f"resident-{what}-device", device)))
        refused = [(item, ids) for item, ids in counters if not self.limiter.hit(item, *ids)]
        if refused:
            reset = max(self.limiter.get_window_stats(item, *ids).reset_time for item, ids in refused)
            wait = max(1, math.ceil(reset - _epoch(self.clock())))
            raise LoginThrottled(t("residents.throttled", minutes=max(1, math.ceil(wait / 60))), retry_after=wait)


def _times(item: RateLimitItem, k: int) -> RateLimitItem:
    """The same window, `k` times the amount."""
    return type(item)(item.amount * k, item.multiples, item.namespace)


def _epoch(now: datetime) -> float:
    return now.timestamp()
