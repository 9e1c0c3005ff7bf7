"""The server's settings come from one schema: typed values for the code, every bad value named in Chinese, a
refused start that prints the list and no traceback (flask commands and gunicorn), and the README's table."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geo.messages import localize, t
from web import create_app
from web.core.settings import SETTINGS, Settings, SettingsError, get_settings, load, markdown_table

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _problems(environ: dict, overrides: dict | None = None) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        load(environ, overrides)
    return caught.value.problems


def test_environment_values_are_read_as_their_types():
    conf = load({"GUATU_REFRESH_SECONDS": "12", "GUATU_PUBLIC_VIEW": "true", "GUATU_DATABASE_POOL": "3",
                 "GUATU_LOG_FORMAT": "JSON", "GUATU_LOG_LEVEL": "warning", "GUATU_MIN_FREE_MB": "2048"})
    assert (conf.refresh_seconds, conf.public_view, conf.database_pool) == (12.0, True, 3)
    assert (conf.log_format, conf.log_level, conf.min_free_mb) == ("json", "WARNING", 2048.0)


def test_an_empty_variable_is_an_unset_one():
    conf = load({"GUATU_DATABASE_URL": "", "GUATU_MIN_FREE_MB": " ", "GUATU_INSTANCE": "", "GUATU_DATABASE_POOL": ""})
    assert (conf.database_url, conf.min_free_mb, conf.instance, conf.database_pool) == (None, None, None, 10)


@pytest.mark.parametrize(("text", "value"), [("yes", True), ("是", True), ("ON", True), ("1", True),
                                             ("no", False), ("off", False), ("0", False), ("False", False)])
def test_switches_are_read_by_the_one_boolean_reader(text, value):
    assert load({"GUATU_PUBLIC_VIEW": text, "GUATU_HTTPS": text}, None).public_view is value


@pytest.mark.parametrize("text", ["t", "y", "maybe", "2"])  # pydantic alone would take t and y
def test_a_switch_the_boolean_reader_refuses_stops_the_start(text):
    with pytest.raises(SettingsError) as refused:
        load({"GUATU_PUBLIC_VIEW": text}, None)
    assert "GUATU_PUBLIC_VIEW" in refused.value.report() and repr(text) in refused.value.report()


def test_defaults_are_the_documented_ones():
    conf = load({})
    assert (conf.refresh_seconds, conf.database_schema, conf.database_pool, conf.log_format) == (4, "guatu", 10, "text")
    assert conf.data == REPO / "data" and conf.public_view is False and conf.database_url is None


def test_every_bad_value_is_named_at_once_in_chinese_with_where_it_came_from(tmp_path):
    config = tmp_path / "guatu.toml"
    config.write_text('database_pool = 0\nlog_format = "xml"\n', "utf-8")
    problems = _problems({"GUATU_CONFIG": str(config), "GUATU_REFRESH_SECONDS": "soon", "GUATU_HTTPS": "maybe"},
                         {"GUATU_LOGIN_LIMIT_IP": "lots"})
    assert sorted(problems) == sorted([
        "设置 GUATU_REFRESH_SECONDS(环境变量):应为数字,实际为 'soon'",
        f"设置 GUATU_DATABASE_POOL(配置文件 {config}):应不小于 1,实际为 0",
        f"设置 GUATU_LOG_FORMAT(配置文件 {config}):应为 text、json 之一,实际为 'xml'",
        "设置 GUATU_HTTPS(环境变量):应为 true 或 false,实际为 'maybe'",
        "设置 GUATU_LOGIN_LIMIT_IP(应用配置):应为“5 per 15 minutes”这样的次数限制,实际为 'lots'",
    ])


def test_a_settings_file_that_cannot_be_read_is_named_in_chinese(tmp_path):
    missing = tmp_path / "missing.toml"
    assert _problems({"GUATU_CONFIG": str(missing)}) == [t("settings.file_missing", path=missing)]
    assert _problems({"GUATU_CONFIG": str(missing)}) == [f"GUATU_CONFIG 指向的 {missing} 不存在"]
    config = tmp_path / "guatu.toml"
    config.write_text("guatu = 5\n", "utf-8")
    assert _problems({"GUATU_CONFIG": str(config)}) == [t("settings.file_table", path=config)]
    config.write_text("data = [unclosed\n", "utf-8")
    (problem,) = _problems({"GUATU_CONFIG": str(config)})
    assert problem.startswith(f"GUATU_CONFIG {config}:不是有效的 TOML(")
    assert localize(problem, "en").startswith(f"GUATU_CONFIG {config}: not valid TOML (")


def test_a_database_url_is_never_repeated_in_a_message():
    problems = _problems({}, {"GUATU_DATABASE_URL": 5})
    assert problems == ["设置 GUATU_DATABASE_URL(应用配置):应为文字,实际为 …"]


def test_min_free_mb_may_be_written_in_the_file(tmp_path):
    config = tmp_path / "guatu.toml"
    config.write_text("min_free_mb = 2048\n", "utf-8")
    assert load({"GUATU_CONFIG": str(config)}).min_free_mb == 2048


def test_the_app_reads_its_settings_typed_from_one_object(seeded, instance_dir, clock, monkeypatch):
    monkeypatch.setenv("GUATU_REFRESH_SECONDS", "7")
    monkeypatch.setenv("GUATU_LOGIN_LIMIT_IP", "2 per minute")
    monkeypatch.setenv("GUATU_SECRET_KEY", "a key shared by every instance")
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir)})
    conf = get_settings(app)
    assert conf.refresh_seconds == 7 and app.extensions["guatu"].refresh_seconds == 7
    assert conf.data == seeded and conf.instance == instance_dir
    assert str(app.extensions["guatu_login_throttle"].per_ip) == "2 per 1 minute"
    assert app.secret_key == "a key shared by every instance"


def test_a_bad_setting_stops_create_app_with_the_list(seeded, instance_dir, clock, monkeypatch):
    monkeypatch.setenv("GUATU_DATABASE_POOL", "many")
    with pytest.raises(SettingsError, match=re.escape("设置 GUATU_DATABASE_POOL(环境变量):应为整数,实际为 'many'")):
        create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                    "GUATU_INSTANCE": str(instance_dir)})


# --- a refused start prints the Chinese list only -------------------------------------------------------------

def _env(**values: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUATU_")}
    return {**env, "PYTHONPATH": str(REPO), **values}


def test_a_flask_command_with_a_bad_setting_prints_the_chinese_list_and_no_traceback(seeded, instance_dir):
    env = _env(GUATU_DATA=str(seeded), GUATU_INSTANCE=str(instance_dir), GUATU_REFRESH_SECONDS="soon")
    run = subprocess.run([str(BIN / "flask"), "--app", "web", "routes"], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 1
    assert "服务器设置有 1 处错误,改正后才能启动:" in run.stderr
    assert "设置 GUATU_REFRESH_SECONDS(环境变量):应为数字,实际为 'soon'" in run.stderr
    assert "Traceback" not in run.stderr and "Error:" not in run.stderr


def test_a_flask_command_with_a_bad_campaign_prints_the_chinese_list_and_no_traceback(seeded, instance_dir):
    campaign = seeded / "campaign.json"
    campaign.write_text(campaign.read_text("utf-8").replace('"title"', '"titel"', 1), "utf-8")
    env = _env(GUATU_DATA=str(seeded), GUATU_INSTANCE=str(instance_dir))
    run = subprocess.run([str(BIN / "flask"), "--app", "web", "store", "check"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert f"活动配置 {campaign} 有 2 处错误,改正后才能启动:" in run.stderr
    assert "$.titel:未知的设置,是不是要写 title?" in run.stderr
    assert "Traceback" not in run.stderr


def test_gunicorn_with_a_bad_setting_prints_the_chinese_list_and_no_traceback(seeded, instance_dir):
    env = _env(GUATU_DATA=str(seeded), GUATU_INSTANCE=str(instance_dir), GUATU_DATABASE_POOL="0")
    run = subprocess.run([str(BIN / "gunicorn"), "-c", str(REPO / "gunicorn.conf.py"), "--bind", "127.0.0.1:0",
                          "--no-control-socket", "web:create_app()"], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 1
    assert "设置 GUATU_DATABASE_POOL(环境变量):应不小于 1,实际为 '0'" in run.stderr
    assert "Traceback" not in run.stderr and "Worker failed to boot" not in run.stderr


def test_gunicorn_with_a_bad_campaign_prints_the_chinese_list_and_no_traceback(seeded, instance_dir):
    campaign = seeded / "campaign.json"
    campaign.write_text(campaign.read_text("utf-8").replace('"title"', '"titel"', 1), "utf-8")
    env = _env(GUATU_DATA=str(seeded), GUATU_INSTANCE=str(instance_dir))
    run = subprocess.run([str(BIN / "gunicorn"), "-c", str(REPO / "gunicorn.conf.py"), "--bind", "127.0.0.1:0",
                          "--no-control-socket", "web:create_app()"], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 1
    assert "$.titel:未知的设置,是不是要写 title?" in run.stderr
    assert "Traceback" not in run.stderr


# --- documentation --------------------------------------------------------------------------------------------

def test_every_setting_has_a_meaning_and_a_row_in_the_generated_table():
    table = markdown_table()
    for name, field in Settings.model_fields.items():
        assert field.description, name
    rows = re.findall(r"^\| `(GUATU_[A-Z0-9_]+)` \|", table, re.M)
    assert sorted(rows) == sorted(SETTINGS)


def test_the_settings_command_prints_the_table(app):
    result = app.test_cli_runner().invoke(args=["settings"])
    assert result.exit_code == 0 and result.output == markdown_table()



def _readme_settings_table() -> str:
    """The table of settings in README's "Configuration" section, as written."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    start = section.index("| variable | default | meaning |")
    lines = []
    for line in section[start:].splitlines():
        if not line.startswith("|"):
            break
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_the_readme_table_is_the_one_made_from_the_schema():
    assert _readme_settings_table() == markdown_table()
