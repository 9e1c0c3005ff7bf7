"""The message catalogue: every user-visible text that code builds, Chinese by default.

Pages, API errors, import reports, PDFs and command-line messages take their
words from here, by key, so a campaign's IT office can read the whole product
in Chinese and a translator finds every string in one place. Each entry has
the Chinese text (`zh`, what users see) and an English translation (`en`, for
logs read by people who do not read Chinese and for translators); both take
the same `{named}` parameters, which a test checks.

    from geo.messages import t
    raise BrokenLayer(t("store.layer_missing", file="layers/roads.geojson"))

Add an entry beside the others of its capability (the key's first part), and
keep the Chinese plain: say what happened, where, and what to do.
"""

from __future__ import annotations

import string

DEFAULT_LANGUAGE = "zh"

MESSAGES: dict[str, dict[str, str]] = {
    # --- generic ------------------------------------------------------------
    "error.internal": {
        "zh": "服务器内部错误,已记录;请稍后再试或联系管理员",
        "en": "internal server error, logged; try again later or ask the administrator",
    },
    # --- store integrity: layer files, journal, disk (geo/store) -----------------------
    "store.disk_full": {
        "zh": "磁盘已满,本次操作未保存任何内容。请管理员清理数据目录所在磁盘的空间后重试",
        "en": "the disk is full: nothing of this operation was saved. "
              "Ask the administrator to free space on the data directory's disk, then try again",
    },
    "store.disk_low": {
        "zh": "磁盘空间不足:{where} 所在磁盘仅剩 {free_mb} MB(警戒线 {min_mb} MB),写满后将无法保存任何修改",
        "en": "disk space is low: {free_mb} MB free on the disk of {where} (warning below {min_mb} MB); "
              "once it is full no edit can be saved",
    },
    "store.disk_low_remedy": {
        "zh": "清理或扩容该磁盘(旧备份、日志、临时文件),或把数据目录迁到更大的磁盘",
        "en": "free or grow that disk (old backups, logs, temporary files), or move the data directory to a larger one",
    },

    # --- database (geo/store/postgis.py) -----------------------------------------------

    # --- ids, campaign area, configuration (geo/config.py, geo/validate.py) ------------
    "area.outside_district": {
        "zh": "位于区界外 {distance},超出活动范围(区界及其外 {buffer} 米以内)",
        "en": "lies {distance} outside the district boundary, beyond the campaign area (the district and {buffer} m "
              "around it)",
    },
    "area.outside_bounds": {
        "zh": "超出活动范围(东经 {west}–{east} 度、北纬 {south}–{north} 度,及其外 {buffer} 米以内)",
        "en": "outside the campaign area ({west}–{east} E, {south}–{north} N, and {buffer} m around it)",
    },
    "area.metres": {"zh": "{m} 米", "en": "{m} m"},
    "area.kilometres": {"zh": "{km} 公里", "en": "{km} km"},
    "area.bad_district": {
        "zh": "区界文件 {file} 无法作为活动范围:{reason}",
        "en": "the district boundary file {file} cannot serve as the campaign area: {reason}",
    },
    "area.bad_buffer": {
        "zh": "$.area_buffer_m:应为 0 到 50000 之间的米数,实为 {value}",
        "en": "$.area_buffer_m: expected metres between 0 and 50000, got {value}",
    },
    "ids.used_before": {
        "zh": "编号 {id} 曾属于{layer}中一个已删除的地点,编号不会重复使用:请不填编号,由系统分配新编号",
        "en": "id {id} belonged to a deleted place of {layer}, and ids are never used twice: "
              "leave the id out and a new one is given",
    },

    # --- request validation (one layer at the boundary) --------------------------------

    # --- accounts, sessions, tokens, display links --------------------------------------

    # --- exports, backups, basemap proxy, HTTP preconditions ----------------------------

    # --- shared store remedies ----------------------------------------------------------
    "store.remedy_check": {
        "zh": "运行 flask --app web store check 查看详情,再用 store repair 修复",
        "en": "run flask --app web store check for details, then store repair",
    },
}


def t(key: str, /, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The message `key` in `lang` (Chinese unless asked), with its `{named}` parameters filled in."""
    entry = MESSAGES[key]
    return entry.get(lang, entry[DEFAULT_LANGUAGE]).format(**params)


def placeholders(text: str) -> set[str]:
    """The `{named}` parameters a catalogue text takes."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
