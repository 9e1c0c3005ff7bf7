"""A misspelt setting in the TOML file stops the start-up with a suggestion; a misspelt GUATU_* environment
variable is warned about (log and command line), also with a suggestion."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from web import create_app

REPO = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).with_name("flask")


def _app(config: Path, clock, instance_dir):
    return create_app({"TESTING": True, "GUATU_CLOCK": clock, "GUATU_CONFIG": str(config),
                       "GUATU_INSTANCE": str(instance_dir)})


def test_a_misspelt_database_url_stops_the_start_up_instead_of_using_the_files(seeded, tmp_path, clock, instance_dir):
    config = tmp_path / "guatu.toml"
    config.write_text(f'data = "{seeded}"\ndatabse_url = "postgresql://guatu@db.intranet/guatu"\n', "utf-8")
    with pytest.raises(RuntimeError) as caught:
        _app(config, clock, instance_dir)
    assert str(caught.value) == f"配置文件 {config}:未知的设置 databse_url,是不是要写 database_url?"


@pytest.mark.parametrize("text, expected", [
    ('[guatu]\nGUATU_LOG_LEVLE = "INFO"\n', "未知的设置 GUATU_LOG_LEVLE,是不是要写 GUATU_LOG_LEVEL?"),
    ('guatu_refresh_secnds = 3\n', "未知的设置 guatu_refresh_secnds,是不是要写 guatu_refresh_seconds?"),
    ('[gautu]\ndata = "x"\n', "未知的设置 [gautu],是不是要写 [guatu]?"),
    ('colour_scheme = "dark"\n', "未知的设置 colour_scheme(拼写有误?),请删除或改正"),
])
def test_every_form_of_a_misspelt_key_gets_its_suggestion(tmp_path, clock, instance_dir, text, expected):
    config = tmp_path / "guatu.toml"
    config.write_text(text, "utf-8")
    with pytest.raises(RuntimeError, match=re.escape(expected)):
        _app(config, clock, instance_dir)


def test_all_typos_of_the_file_are_named_at_once(tmp_path, clock, instance_dir):
    config = tmp_path / "guatu.toml"
    config.write_text('databse_url = "x"\npublc_view = true\n', "utf-8")
    with pytest.raises(RuntimeError) as caught:
        _app(config, clock, instance_dir)
    assert "database_url" in str(caught.value) and "public_view" in str(caught.value)


def test_known_settings_in_every_form_are_accepted(seeded, tmp_path, clock, instance_dir):
    config = tmp_path / "guatu.toml"
    config.write_text(f'data = "{seeded}"\nGUATU_REFRESH_SECONDS = 30\n[guatu]\nguatu_public_view = true\nworkers = 4\n',
                      "utf-8")
    app = _app(config, clock, instance_dir)
    assert app.config["GUATU_REFRESH_SECONDS"] == 30 and app.config["GUATU_PUBLIC_VIEW"] is True


def test_a_misspelt_environment_variable_is_logged_with_a_suggestion(seeded, instance_dir, clock, monkeypatch, caplog):
    monkeypatch.setenv("GUATU_DATABSE_URL", "postgresql://guatu@db.intranet/guatu")
    monkeypatch.setenv("GUATU_TEST_SOMETHING", "1")  # the tests' own variables are not settings
    with caplog.at_level(logging.WARNING):
        app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                          "GUATU_INSTANCE": str(instance_dir)})
    warnings = [r.getMessage() for r in caplog.records if "GUATU_" in r.getMessage()]
    assert warnings == ["environment variable GUATU_DATABSE_URL is not a Guatu setting and is ignored; "
                        "did you mean GUATU_DATABASE_URL?"]
    assert app.extensions["guatu"].store.__class__.__name__ == "GeoJSONStore"


def test_a_basemaps_key_variable_is_not_taken_for_a_typo(seeded, instance_dir, clock, monkeypatch, caplog):
    from tests.basemaps.tilesets import set_basemaps

    set_basemaps(seeded, [{"id": "tdt", "title": "天地图", "type": "tianditu", "key_env": "GUATU_TIANDITU_KEY",
                           "url": "https://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&z={z}&tk={key}",
                           "subdomains": "01234567"}])
    monkeypatch.setenv("GUATU_TIANDITU_KEY", "k")
    monkeypatch.setenv("GUATU_PUBLC_VIEW", "true")  # a real typo beside it, to show the check ran
    with caplog.at_level(logging.WARNING):
        create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock, "GUATU_INSTANCE": str(instance_dir)})
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert [w for w in warnings if "GUATU_PUBLC_VIEW" in w]
    assert [w for w in warnings if "GUATU_TIANDITU_KEY" in w] == []


def test_a_command_prints_the_warning_in_chinese(seeded, instance_dir):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GUATU_")},
           "GUATU_DATA": str(seeded), "GUATU_INSTANCE": str(instance_dir), "GUATU_PUBLC_VIEW": "true"}
    run = subprocess.run([str(FLASK), "--app", "web", "routes"], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "环境变量 GUATU_PUBLC_VIEW 不是 Guatu 的设置,已忽略;是不是要写 GUATU_PUBLIC_VIEW?" in run.stderr
