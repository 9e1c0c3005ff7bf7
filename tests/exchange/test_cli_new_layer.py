"""`flask --app web import` into a new layer and with array columns left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.config import load_campaign
from web import create_app

FILES = Path(__file__).parent / "files"


@pytest.fixture
def app(data_dir, clock, tmp_path):
    return create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                       "GUATU_INSTANCE": str(tmp_path / "instance")})


def test_the_command_makes_the_new_layer_at_commit_and_leaves_out_the_dropped_columns(app, data_dir):
    runner = app.test_cli_runner()
    args = ["import", str(FILES / "datav_410103.json"), "--layer", "towns", "--new-title", "乡镇", "--drop", "acroutes"]

    dry = runner.invoke(args=args)
    assert dry.exit_code == 0, dry.output
    assert "towns" not in [x.id for x in load_campaign(data_dir).layers]

    done = runner.invoke(args=[*args, "--commit", "--user", "赵管"])
    assert done.exit_code == 0, done.output
    assert load_campaign(data_dir).layer("towns").geometry_types == ("Polygon", "MultiPolygon")
    places = app.extensions["guatu"].store.features("towns")
    assert len(places) == 3 and all("acroutes" not in p["properties"] and p["properties"]["center"] for p in places)


def test_the_command_refuses_to_leave_out_a_column_that_is_not_an_array(app):
    result = app.test_cli_runner().invoke(args=["import", str(FILES / "datav_410103.json"), "--layer", "villages",
                                               "--drop", "name", "--commit"])
    assert result.exit_code != 0
    assert "name" in result.output and "不能舍弃" in result.output
    assert app.extensions["guatu"].store.revision() == 0
