"""What a wall screen is sent: shapes (rarely change) and state (often).

Shapes carry geometry and the attributes a tooltip or card shows; state
carries, per feature, only the status and the derived flags, so a live
screen can poll the state cheaply and refetch shapes only when a layer's
geometry or attributes changed. Both are serialised once per revision and
cached by the web layer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from geo.config import Campaign
from geo.geojson_io import dumps
from geo.rules import local_now, open_problems, place_overdue, problem_overdue, problem_overnight
from geo.store.base import Store

SHAPE_PROPERTIES = ("name", "kind", "street", "community", "deadline", "unit", "people")


def shapes_bytes(store: Store, layer_id: str) -> bytes:
    """A layer's geometry with display attributes, as a GeoJSON FeatureCollection."""
    lines = []
    for f in store.features(layer_id):
        props = f["properties"]
        slim = {k: props.get(k) for k in SHAPE_PROPERTIES}
        lines.append(dumps({"type": "Feature", "id": f["id"], "properties": slim, "geometry": f["geometry"]}))
    return b'{"type":"FeatureCollection","layer":' + dumps(layer_id) + b',"features":[' + b",".join(lines) + b"]}"


@dataclass(frozen=True)
class FeatureState:
    status: str
    overdue: bool
    overnight: bool
    open_problems: int

    def as_list(self) -> list:
        return [self.status, int(self.overdue), int(self.overnight), self.open_problems]


def feature_state(props: dict, campaign: Campaign, now: datetime) -> FeatureState:
    now_l = local_now(campaign, now)
    problems = open_problems(props, campaign)
    return FeatureState(
        status=props.get("status"),
        overdue=place_overdue(props, campaign, now_l.date()),
        overnight=any(problem_overnight(p, campaign, now_l) for p in problems),
        open_problems=len(problems),
    )


def state_key(store: Store, campaign: Campaign, now: datetime) -> tuple:
    """Everything the state depends on: data revision, local day, cut-off passed."""
    now_l = local_now(campaign, now)
    return (store.revision(), now_l.date().isoformat(), now_l.time() >= campaign.overnight_cutoff)


def wall_state(store: Store, campaign: Campaign, now: datetime) -> dict:
    """Status and flags of every feature, plus the counts a legend shows."""
    today = local_now(campaign, now).date()
    layers: dict[str, dict] = {}
    counts: Counter = Counter()
    overdue_problems = overnight = 0
    latest = ""
    for layer in campaign.layers:
        items: dict[str, list] = {}
        layer_counts: Counter = Counter()
        for f in store.features(layer.id):
            props = f["properties"]
            st = feature_state(props, campaign, now)
            items[f["id"]] = st.as_list()
            layer_counts[st.status] += 1
            overdue_problems += sum(problem_overdue(p, campaign, today) for p in props.get("problems") or ())
            overnight += st.overnight
            latest = max(latest, props.get("updated_at") or "")
        counts.update(layer_counts)
        layers[layer.id] = {"revision": store.layer_revision(layer.id), "features": items, "counts": dict(layer_counts)}
    return {
        "revision": store.revision(),
        "as_of": latest or None,
        "generated_at": now.isoformat(),
        "counts": {s.key: counts.get(s.key, 0) for s in campaign.statuses},
        "total": sum(counts.values()),
        "overdue_places": sum(1 for lyr in layers.values() for v in lyr["features"].values() if v[1]),
        "overdue_problems": overdue_problems,
        "overnight_places": overnight,
        "layers": layers,
    }
