"""Stores of campaign layers: one module per backend behind `Store`."""

from __future__ import annotations

from pathlib import Path

from geo.config import Campaign
from geo.store.base import Op, Store, WriteResult

__all__ = ["Op", "Store", "WriteResult", "open_store"]


def open_store(data_dir: Path | str, campaign: Campaign, *, database_url: str | None = None, **kwargs) -> Store:
    """The embedded GeoJSON store in `data_dir`, or PostGIS when a database URL is given
    (`schema=` picks the campaign's schema, default "guatu")."""
    if database_url:
        from geo.store.postgis import PostGISStore

        return PostGISStore(database_url, campaign, **kwargs)
    from geo.store.geojson import GeoJSONStore

    return GeoJSONStore(data_dir, campaign, **kwargs)
