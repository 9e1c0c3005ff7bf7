"""The one sender: on every tick it collects the new events (geo/notify/sources.py), fans the pending ones out
(geo/notify/outbox.py) and tries the deliveries that are due — but only in the process that holds the store's
leader lock (`Store.leader_lock("notify")`: a file lock on the embedded store, a PostgreSQL advisory lock on
PostGIS; docs/notifications.md says why). Every worker runs one; the others wait for the lock to come free.

Requests never send: they only write records (an event, a channel, a retry), so a receiver that is down slows
nobody. A restart loses nothing (what is still to send is in the outbox) and sends nothing again that was
delivered (it was moved to the archive with its outcome). The one edge: a process that dies after a receiver
took a message but before the outcome was kept sends that delivery again after the restart — at least once,
with the same `X-Guatu-Delivery` key (and email Message-ID), so the receiver can drop the repeat.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from geo.accounts import User
from geo.config import Campaign
from geo.errors import BrokenRecord, GuatuError, StoreBusy
from geo.messages import t
from geo.notify import outbox, sources
from geo.notify.channels import Outcome, Transport, send
from geo.notify.events import event, pending_ids
from geo.notify.subscriptions import CHANNELS, channel_faults
from geo.store.base import Store, checked_record, iso

log = logging.getLogger(__name__)
LOCK = "notify"


@dataclass(frozen=True)
class TickReport:
    leader: bool
    collected: int = 0
    fanned_out: int = 0
    delivered: int = 0
    failed: int = 0


class Sender:
    """Sends the outbox's deliveries of one campaign's store; `users` lists the accounts when asked."""

    def __init__(self, store: Store, campaign: Campaign, users: Callable[[], list[User]], *,
                 transport: Transport | None = None, attempts: int = outbox.DEFAULT_ATTEMPTS,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.campaign = campaign
        self.users = users
        self.transport = transport or Transport()
        self.attempts = attempts
        self.clock = clock or store.clock
        self.lock = store.leader_lock(LOCK)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> TickReport:
        """One round, if this process is the leader: collect, fan out, send what is due."""
        if not self.lock.try_acquire():
            return TickReport(leader=False)
        now = self.clock()
        try:  # a damaged pending list: no news is collected or fanned out until it is put right, as said below
            pending_ids(self.store)
        except BrokenRecord as exc:
            damaged, collected, fanned = exc, 0, 0
        else:
            damaged = None
            try:
                collected = sources.collect(self.store, self.campaign, now)
            except StoreBusy:  # another process's round still holds the cursor (a leader that lost its lock): it
                collected = 0  # collects; what is owed is sent all the same

            fanned = outbox.fan_out_pending(self.store, self.users(), now=now, tz=self.campaign.timezone)
        delivered, failed = outbox.send_due(self.store, self.attempt, now=now, attempts=self.attempts)
        if damaged is not None:  # the deliveries made before it are sent all the same; then the round says why
            raise damaged
        return TickReport(True, collected, fanned, delivered, failed)

    def attempt(self, record: dict) -> Outcome:
        """One attempt of a delivery record: its event through its channel (as the channel is now)."""
        try:
            found = event(self.store, record["event"])
        except BrokenRecord as exc:  # the event edited by hand since its fan-out: failed with the reason, tried again
            return Outcome(False, error=exc.message)
        if found is None:
            return Outcome(False, error=t("notify.delivery.error.no_event"))
        if record.get("channel"):
            try:
                channel = checked_record(self.store, CHANNELS, record["channel"], channel_faults)
            except BrokenRecord as exc:  # damaged meanwhile: this attempt fails with the reason, tried again later
                return Outcome(False, error=exc.message)
            if channel is None:
                return Outcome(False, error=t("notify.delivery.error.channel_gone"))
            if not channel.get("enabled", True):
                return Outcome(False, error=t("notify.delivery.error.channel_off"))
            return send(channel, found, record["id"], now=self.clock(), transport=self.transport)
        return send({"type": "email"}, found, record["id"], now=self.clock(), transport=self.transport,
                    to=record.get("to") or [])

    def test(self, channel: dict, *, to: list[str] | None = None) -> Outcome:
        """Send a test message through `channel` now (the admin's 测试 button, `notify test`): nothing is kept."""
        now = self.clock()
        stamp = iso(now)
        probe = {"id": f"test-{now.strftime('%Y%m%dT%H%M%S')}", "kind": "test", "key": stamp, "at": stamp,
                 "title": t("notify.delivery.test_title"),
                 "text": t("notify.delivery.test_text", name=channel.get("name") or channel["type"]),
                 "link": "/", "street": None, "community": None, "unit": None, "users": [], "urgent": False,
                 "data": {}}
        return send(channel, probe, probe["id"], now=now, transport=self.transport, to=to)

    # --- in the background --------------------------------------------------------------------------------
    def run(self, interval: float) -> None:
        """Tick every `interval` seconds until `stop()`; a failing tick (the store down) is logged and the next
        one tries again (a store that is busy, down or damaged is said once, in one line)."""
        said = ""
        while not self._stop.is_set():
            try:
                self.tick()
                said = ""
            except GuatuError as exc:  # the store busy, down or damaged: said once (in one line), tried next round
                if str(exc.message) != said:
                    said = str(exc.message)
                    log.warning("the notifications' sender waits: %s", said)
            except Exception:  # the sender outlives a bad round: logged with its traceback, tried again next tick
                log.exception("the notifications' sender failed a round; it tries again in %s s", interval)
            self._stop.wait(interval)
        self.lock.release()

    def start(self, interval: float) -> threading.Thread:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, args=(interval,), name="guatu-notify-sender", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        else:
            self.lock.release()
