"""Stores of campaign layers: one module per backend behind `Store`."""

from __future__ import annotations

from pathlib import Path

from geo.config import Campaign
from geo.store.base import Op, Store, WriteResult

__all__ = ["Op", "Store", "WriteResult", "open_store"]


def open_store(data_dir: Path | str, campaign: Campaign, *, database_url: str | None = None, **kwargs) -> Store:
    """The embedded GeoJSON store, or PostGIS when a database URL is given."""
    if database_url:
        raise NotImplementedError("the PostGIS backend is not available in this version")
    from geo.store.geojson import GeoJSONStore

    return GeoJSONStore(data_dir, campaign, **kwargs)
