"""Several campaigns on one server: a read-only summary of each (the campaigns index, `/campaigns`).

A summary is a campaign's title, its places done against the plan (geo/progress.py `milestones`: the share done,
today's planned share, the verdict ahead / on_track / behind, the next milestone) and its estimated finish. The
server's own campaign is summarised from its store; each other campaign (a `CampaignSource`) from its data
directory (its campaign.json) and its places: the embedded GeoJSON store in that directory (the layer files and
the change journal), or its schema of a PostgreSQL database when the source names one. Either is opened here
and only read — that campaign's own server keeps writing it, and both stores are shared by several processes
safely.

`CampaignShelf` keeps the other campaigns' stores open between requests (a store re-reads a layer file only
when it changed on disk). A directory that cannot be read (gone, no campaign.json, a broken one) gives a row
that says so instead of a summary; it never hides the others.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from geo.config import Campaign, load_campaign
from geo.errors import ConfigError, GuatuError
from geo.messages import message_of, t
from geo.progress import finish_estimates, milestones
from geo.store import Store, open_store

DEFAULT_SCHEMA = "guatu"
SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")  # as geo/store/postgis.py takes them
CONNECT_TIMEOUT = 5.0  # seconds: a database that is down makes its row say so, not the page wait
SOURCE_KEYS = ("data", "database_url", "schema")


@dataclass(frozen=True)
class CampaignSource:
    """Where another campaign is kept: its data directory (campaign.json, boundaries and, without a database, the
    layer files and the journal) and, for a campaign in PostgreSQL, the database URL and its schema there."""

    data: Path
    database_url: str | None = None
    schema: str = DEFAULT_SCHEMA

    def __repr__(self) -> str:  # a database URL may hold a password: never in a log line or an error
        where = f", database=…, schema={self.schema!r}" if self.database_url else ""
        return f"CampaignSource({str(self.data)!r}{where})"


def campaign_source(entry: object) -> CampaignSource:
    """One entry of GUATU_CAMPAIGNS: a data directory (text or path), or a table with `data`, and `database_url`
    with `schema` for a campaign kept in PostgreSQL. Raises ValueError saying what is wrong."""
    if isinstance(entry, CampaignSource):
        return entry
    if isinstance(entry, (str, Path)):
        if not str(entry).strip():
            raise ValueError(t("campaigns.source_empty"))
        return CampaignSource(Path(entry))
    if not isinstance(entry, dict):
        raise ValueError(t("campaigns.source_shape", keys=", ".join(SOURCE_KEYS)))
    unknown = sorted(set(entry) - set(SOURCE_KEYS))
    if unknown or not isinstance(entry.get("data"), str) or not entry["data"].strip():
        raise ValueError(t("campaigns.source_shape", keys=", ".join(SOURCE_KEYS)))
    url, schema = entry.get("database_url"), entry.get("schema", DEFAULT_SCHEMA)
    if url is not None and (not isinstance(url, str) or not url.startswith(("postgresql://", "postgres://"))):
        raise ValueError(t("campaigns.source_url"))
    if not isinstance(schema, str) or not SCHEMA_NAME.match(schema):
        raise ValueError(t("db.bad_schema_name", schema=repr(schema)))
    return CampaignSource(Path(entry["data"]), url or None, schema)


def summary(store: Store, campaign: Campaign, now: datetime, kept: dict | None = None) -> dict:
    """One campaign at a glance: places, done, share done and planned today, the verdict, the next milestone
    and the estimated finish of the whole campaign; from `kept` (`ProgressData.get`: the milestones with their
    estimates, kept between revisions by the process serving the campaign) when given, else from scratch."""
    plan = kept if kept is not None else milestones(store, campaign, now)
    finish = (kept["estimates"] if kept is not None else finish_estimates(store, campaign, now))["campaign"]
    return {
        "title": campaign.title, "district": campaign.district, "day": plan["day"],
        "total": plan["total"], "done": plan["done"], "share_done": plan["share_done"],
        "share_planned": plan["share_planned"], "verdict": plan["verdict"] if campaign.milestones else None,
        "next": ({"date": plan["next"]["date"], "label": plan["next"]["label"],
                  "share_planned": plan["next"]["share_planned"]} if plan["next"] else None),
        "estimate": {k: finish[k] for k in ("state", "finish", "days_late", "text")},
    }


class CampaignShelf:
    """The other campaigns (their sources), each opened once (its campaign and store) at its first summary."""

    def __init__(self, sources: Iterable[CampaignSource | Path | str], clock: Callable[[], datetime]) -> None:
        self.sources = tuple(campaign_source(s) for s in sources)
        self.clock = clock
        self._open: dict[CampaignSource, tuple[Campaign, Store]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.sources)

    def _opened(self, source: CampaignSource) -> tuple[Campaign, Store]:
        with self._lock:
            if source not in self._open:
                campaign = load_campaign(source.data)
                if source.database_url:  # its places in PostgreSQL, in its schema
                    store = open_store(source.data, campaign, database_url=source.database_url, schema=source.schema,
                                       clock=self.clock, connect_timeout=CONNECT_TIMEOUT)
                else:
                    store = open_store(source.data, campaign, clock=self.clock)
                self._open[source] = (campaign, store)
            return self._open[source]

    def summaries(self, now: datetime) -> list[dict]:
        """A summary per source, in the order given; `error` (and no figures) where one cannot be read."""
        out = []
        for n, source in enumerate(self.sources, start=1):
            folder = source.data
            try:
                campaign, store = self._opened(source)
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
