"""Random campaign edits through the real store, for the property tests of views kept between revisions
(tests/test_incremental_state.py, tests/test_dashboard_incremental.py).

Each step is one write (or a batch of them), chosen by a seeded `random.Random`:
creations (some with ids out of order; a deleted place's id is never used again), status,
problem, area, name and geometry updates, deletions, and a clock that moves by
minutes and now and then across the overnight cut-off or midnight.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from geo.store.base import Op, Store

STREETS = ("大学路街道", "福华街街道", None)
COMMUNITIES = {"大学路街道": ("金桥社区", "祥和社区"), "福华街街道": ("幸福社区",), None: (None, "无街道社区")}
SOURCES = ("每日随机督导", "义务监督小分队", "社区排查")  # the first two are inspections: their problems stay overnight
LAYERS = {"courtyards": "c", "roads": "r"}


class RandomEdits:
    def __init__(self, store: Store, clock, seed: int, *, deletions: bool = True) -> None:
        self.store = store
        self.deletions = deletions
        self.clock = clock
        self.rng = random.Random(seed)
        self.campaign = store.campaign

    # --- what a place looks like ---------------------------------------------
    def _day(self, back: int, ahead: int = 0) -> str:
        today = self.clock().date()
        return (today + timedelta(days=self.rng.randint(-back, ahead))).isoformat()

    def problems(self) -> list[dict]:
        out = []
        for i in range(self.rng.choice((0, 0, 1, 2, 3))):
            found = self._day(6)
            status = self.rng.choice(("open", "open", "in_progress", "closed"))
            deadline = (date.fromisoformat(found) + timedelta(days=self.rng.randint(0, 8))).isoformat()
            out.append({"id": f"p{i + 1}", "category": self.rng.choice(self.campaign.categories[:5]),
                        "description": "待整改", "found_on": found, "found_by": self.rng.choice(SOURCES),
                        "deadline": deadline, "responsible": self.rng.choice(("社区 孙宏伟", "")), "status": status,
                        "closed_on": self._day(2) if status == "closed" else None})
        return out

    def properties(self) -> dict:
        street = self.rng.choice(STREETS)
        props = {"name": self.rng.choice(("兑周村1号院", "中原东路5号院", "大学路51号院")),
                 "kind": "楼院", "status": self.rng.choice(self.campaign.status_keys), "street": street,
                 "community": self.rng.choice(COMMUNITIES[street]), "problems": self.problems(),
                 "deadline": self.rng.choice((None, self._day(10, 10))),
                 "unit": self.rng.choice((None, "区政府办")), "people": {"cadre": "曹国庆"}}
        return {k: v for k, v in props.items() if v is not None}

    def geometry(self) -> dict:
        x, y = 113.6 + self.rng.random() * 0.1, 34.7 + self.rng.random() * 0.05
        ring = [[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]
        return {"type": "Polygon", "coordinates": [ring]}

    def kinds(self, layer: str) -> dict:
        return {"kind": self.campaign.layer(layer).kinds[0]}

    # --- the edits ---------------------------------------------------------------
    def places(self) -> list[tuple[str, dict]]:
        return [(layer, f) for layer in LAYERS for f in self.store.features(layer)]

    def create_op(self) -> Op:
        layer = self.rng.choice(tuple(LAYERS))
        fid = None
        if self.rng.random() < 0.5:  # an id out of order (never a deleted place's: ids are not given twice)
            fid = f"{LAYERS[layer]}-{self.rng.randint(1, 9999):04d}"
        if fid is not None and (any(f["id"] == fid for f in self.store.features(layer))
                                or self.store.retired_ids(layer, [fid])):
            fid = None
        return Op("create", layer, fid, properties={**self.properties(), **self.kinds(layer)}, geometry=self.geometry())

    def update_op(self, layer: str, f: dict) -> Op:
        what = self.rng.choice(("status", "status", "problems", "area", "name", "geometry", "deadline"))
        props: dict = {}
        geometry = None
        if what == "status":
            props["status"] = self.rng.choice(self.campaign.status_keys)
        elif what == "problems":
            props["problems"] = self.problems()
        elif what == "area":
            street = self.rng.choice(STREETS)
            props.update(street=street, community=self.rng.choice(COMMUNITIES[street]))
        elif what == "name":
            props["name"] = self.rng.choice(("新名字院", "兑周村1号院", "康复前街11号院"))
        elif what == "deadline":
            props["deadline"] = self.rng.choice((None, self._day(10, 10)))
        else:
            geometry = self.geometry()
        return Op("update", layer, f["id"], properties=props, geometry=geometry,
                  expected_version=f["properties"]["version"])

    def step(self) -> str:
        """One random write (or clock move); says what it did."""
        self.clock.advance(minutes=self.rng.randint(1, 30))
        roll = self.rng.random()
        if roll < 0.04:
            self.clock.advance(hours=self.rng.choice((8, 16)))  # across the cut-off or midnight
            return "clock"
        places = self.places()
        if roll < 0.3 or len(places) < 4:
            self.store.apply([self.create_op()], user="t")
            return "create"
        if roll < 0.42 and self.deletions:
            layer, f = self.rng.choice(places)
            self.store.delete(layer, f["id"], expected_version=f["properties"]["version"], user="t")
            return "delete"
        if roll < 0.52:  # a batch: several places at once, a creation among them
            chosen = self.rng.sample(places, 2)
            ops = [self.update_op(layer, f) for layer, f in chosen] + [self.create_op()]
            if self.rng.random() < 0.5 and self.deletions:
                layer, f = chosen[0]
                ops[0] = Op("delete", layer, f["id"], expected_version=f["properties"]["version"])
            self.store.apply(ops, user="t")
            return "batch"
        layer, f = self.rng.choice(places)
        self.store.apply([self.update_op(layer, f)], user="t")
        return "update"


class WalkCounter:
    """Counts whole-layer reads (`store.features`, `store.each_feature`) of a store: a kept state must not walk a
    layer per edit. A walk through `each_feature` counts once, whether or not the store reads it with `features`."""

    def __init__(self, store) -> None:
        self.walks = 0
        self._within_each = False
        features, each_feature = store.features, store.each_feature

        def counted(layer_id):
            self.walks += not self._within_each
            return features(layer_id)

        def counted_each(layer_id):
            self.walks += 1
            self._within_each = True
            try:
                return each_feature(layer_id)  # a store's copy is listed now; a stream reads on as it is walked
            finally:
                self._within_each = False

        store.features, store.each_feature = counted, counted_each


# The stores a kept view is checked on: each backend, and PostGIS reading its layers through a server-side cursor,
# as it reads a layer larger than a process keeps (geo/store/postgis.py `each_feature`, `layer_cache`).
READERS = {"geojson": ("geojson", {}), "postgis": ("postgis", {}), "postgis-streamed": ("postgis", {"layer_cache": 0})}
