"""Several campaigns on one server: a read-only summary of each (the campaigns index, `/campaigns`).

A summary is a campaign's title, its places done against the plan (geo/progress.py `milestones`: the share done,
today's planned share, the verdict ahead / on_track / behind, the next milestone) and its estimated finish. The
server's own campaign is summarised from its store; each other campaign from its data directory (its
campaign.json and its embedded GeoJSON store, the layer files and the change journal), opened here and only
read — that campaign's own server keeps writing it, and several processes share an embedded store safely.

`CampaignShelf` keeps the other campaigns' stores open between requests (a store re-reads a layer file only
when it changed on disk). A directory that cannot be read (gone, no campaign.json, a broken one) gives a row
that says so instead of a summary; it never hides the others.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from geo.config import Campaign, load_campaign
from geo.errors import ConfigError, GuatuError
from geo.messages import message_of, t
from geo.progress import finish_estimates, milestones
from geo.store import Store, open_store


def summary(store: Store, campaign: Campaign, now: datetime) -> dict:
    """One campaign at a glance: places, done, share done and planned today, the verdict, the next milestone
    and the estimated finish of the whole campaign."""
    plan = milestones(store, campaign, now)
    finish = finish_estimates(store, campaign, now)["campaign"]
    return {
        "title": campaign.title, "district": campaign.district, "day": plan["day"],
        "total": plan["total"], "done": plan["done"], "share_done": plan["share_done"],
        "share_planned": plan["share_planned"], "verdict": plan["verdict"] if campaign.milestones else None,
        "next": ({"date": plan["next"]["date"], "label": plan["next"]["label"],
                  "share_planned": plan["next"]["share_planned"]} if plan["next"] else None),
        "estimate": {k: finish[k] for k in ("state", "finish", "days_late", "text")},
    }


class CampaignShelf:
    """The other campaigns' data directories, each opened once (its campaign and store) at its first summary."""

    def __init__(self, dirs: Iterable[Path], clock: Callable[[], datetime]) -> None:
        self.dirs = tuple(Path(d) for d in dirs)
        self.clock = clock
        self._open: dict[Path, tuple[Campaign, Store]] = {}
        self._lock = threading.Lock()

    def _opened(self, folder: Path) -> tuple[Campaign, Store]:
        with self._lock:
            if folder not in self._open:
                campaign = load_campaign(folder)
                self._open[folder] = (campaign, open_store(folder, campaign, clock=self.clock))
            return self._open[folder]

    def summaries(self, now: datetime) -> list[dict]:
        """A summary per directory, in the order given; `error` (and no figures) where one cannot be read."""
        out = []
        for n, folder in enumerate(self.dirs, start=1):
            try:
                campaign, store = self._opened(folder)
                row = summary(store, campaign, now)
            except ConfigError as exc:  # its problems without the server's path
                row = {"title": folder.name, "error": t("campaigns.unreadable", reason="; ".join(exc.problems))}
            except GuatuError as exc:
                row = {"title": folder.name, "error": t("campaigns.unreadable", reason=message_of(exc))}
            except OSError as exc:
                row = {"title": folder.name,
                       "error": t("campaigns.unreadable", reason=exc.strerror or type(exc).__name__)}
            out.append({"index": n, **row})
        return out

    def close(self) -> None:
        with self._lock:
            for _, store in self._open.values():
                store.close()
            self._open.clear()
