"""The campaigns index reads another campaign kept in PostgreSQL: its campaign.json from its directory, its
places from its schema (GUATU_CAMPAIGNS as JSON), on the real PostGIS server of the tests."""

from __future__ import annotations

import json
import shutil

from geo.config import load_campaign
from geo.store import open_store
from geo.store.transfer import copy_to_postgis
from geo.synth.synthetic import write_synthetic
from tests.web.conftest import PASSWORD, login
from web import create_app


def test_the_index_summarises_a_campaign_kept_in_postgresql(tmp_path, clock, postgis_url, postgis_schema):
    demo = tmp_path / "erqi"
    write_synthetic(demo, 20, seed=1)
    other = tmp_path / "zhongyuan"
    write_synthetic(other, 50, seed=7)
    raw = json.loads((other / "campaign.json").read_text(encoding="utf-8"))
    (other / "campaign.json").write_text(json.dumps({**raw, "title": "中原区库内作战"}, ensure_ascii=False),
                                         encoding="utf-8")
    campaign = load_campaign(other)
    copy_to_postgis(other, campaign, postgis_url, schema=postgis_schema)
    store = open_store(other, campaign, database_url=postgis_url, schema=postgis_schema)
    try:  # one change made in the database after the copy: the index must show it
        first = store.features(campaign.layers[0].id)[0]
        store.update(campaign.layers[0].id, first["id"], expected_version=first["properties"]["version"], user="t",
                     properties={"status": "accepted" if first["properties"]["status"] != "accepted" else "pending"})
        statuses = [f["properties"]["status"] for layer in campaign.layers for f in store.features(layer.id)]
    finally:
        store.close()
    shutil.rmtree(other / "layers")  # its places are in the database only: the index cannot read them from files

    sources = json.dumps([{"data": str(other), "database_url": postgis_url, "schema": postgis_schema}])
    app = create_app({"TESTING": True, "GUATU_DATA": str(demo), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_CAMPAIGNS": sources})
    app.extensions["guatu_accounts"].create_user("viewer1", PASSWORD, "viewer", "王看")
    try:
        client = app.test_client()
        login(client, "viewer1")
        own, row = client.get("/api/campaigns").get_json()
        assert own["index"] == 0 and row["index"] == 1 and "error" not in row, row
        assert row["title"] == "中原区库内作战"
        done = sum(s in campaign.done_statuses for s in statuses)
        assert (row["total"], row["done"]) == (len(statuses), done) and len(statuses) > 0
        assert row["share_done"] == round(done / len(statuses), 4)
        assert "中原区库内作战" in client.get("/campaigns").get_data(as_text=True)
    finally:
        app.extensions["guatu_campaigns"].close()
        app.extensions["guatu"].store.close()
