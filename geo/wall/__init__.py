"""What a wall screen is sent and how it is kept up to date, one module per job.

* `codec`: the shape formats (GeoJSON, packed `packed-1` JSON and binary; see docs/packed-shapes.md);
* `catchup`: catching up with the change journal since a revision, or building again (`CatchUp`, which the
  wall's full state and the dashboard, geo/dashboard.py, share);
* `state`: a place's state (status and derived flags) and one layer's states kept between revisions;
* `data`: `WallData`, what one process answers wall screens with: shapes, full state, deltas, revisions;
* `cards`: a place's card;
* `params`: the wall URL's query parameters (`WallView`, `parse_view`).

(The catch-up machinery — `Basis`, `changes_to`, `clock_of`, `MAX_DELTA` — has a module of its own rather than
living with the state: the dashboard uses it and nothing of the wall's state. `params` is named for what it
parses, the wall URL's parameters; "view" is kept for `WallView`, what those parameters ask a screen to show.)
"""
