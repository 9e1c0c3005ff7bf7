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

    # --- database (geo/store/postgis.py) -----------------------------------------------
    "db.unavailable": {
        "zh": "数据库暂时无法连接({where}),请 {seconds} 秒后重试;数据库恢复后服务会自动恢复",
        "en": "the database cannot be reached ({where}); try again in {seconds} s; the service recovers by "
              "itself when the database is back",
    },
    "db.unavailable_remedy": {
        "zh": "检查 PostgreSQL 服务器是否在运行、网络是否连通;恢复后无需重启挂图服务",
        "en": "check that the PostgreSQL server runs and can be reached; Guatu needs no restart afterwards",
    },
    "db.no_postgis": {
        "zh": "数据库没有 PostGIS 扩展,当前用户也无权创建:请数据库管理员在该库中执行 CREATE EXTENSION postgis;",
        "en": "the database has no PostGIS extension and this user may not create it: ask its administrator "
              "to run CREATE EXTENSION postgis; in it",
    },
    "db.postgis_missing": {
        "zh": "数据库服务器未安装 PostGIS({detail}):请安装(Debian 软件包 postgresql-postgis)",
        "en": "PostGIS is not installed on the database server ({detail}): install it (Debian: postgresql-postgis)",
    },
    "db.check.row_missing": {
        "zh": "图层 {layer} 的地点 {id} 在日志中存在(第 {seq} 条变更,版本 {version}),但数据表中没有这一行",
        "en": "layer {layer}: place {id} is in the journal (change {seq}, version {version}) but has no row",
    },
    "db.check.row_extra": {
        "zh": "图层 {layer} 的地点 {id} 在数据表中有一行(版本 {version}),但日志说它{state}",
        "en": "layer {layer}: place {id} has a row (version {version}) but the journal says it {state}",
    },
    "db.check.state_deleted": {"zh": "已被删除", "en": "was deleted"},
    "db.check.state_unknown": {"zh": "从未被创建", "en": "was never created"},
    "db.check.row_version": {
        "zh": "图层 {layer} 的地点 {id} 数据表中是第 {have} 版,日志最后一次变更(第 {seq} 条)是第 {want} 版",
        "en": "layer {layer}: place {id} has version {have} in its row, the journal's last change ({seq}) "
              "version {want}",
    },
    "db.check.row_differs": {
        "zh": "图层 {layer} 的地点 {id} 数据表中的内容与日志第 {seq} 条变更后的内容不一致",
        "en": "layer {layer}: place {id}: its row differs from the journal's after-image of change {seq}",
    },
    "db.check.seq_gap": {
        "zh": "日志缺少第 {first}–{last} 条变更(共 {count} 条)",
        "en": "the journal lacks changes {first}–{last} ({count} in all)",
    },
    "db.check.seq_duplicate": {
        "zh": "日志中第 {seq} 条变更出现了不止一次",
        "en": "journal change {seq} appears more than once",
    },
    "db.check.entry_unreadable": {
        "zh": "日志第 {seq} 条变更无法解析:{detail}",
        "en": "journal change {seq} does not parse: {detail}",
    },
    "db.check.head_wrong": {
        "zh": "图层 {layer} 记录的最后变更是第 {have} 条,日志中是第 {want} 条",
        "en": "layer {layer}: its revision row says change {have}, the journal says {want}",
    },
    "db.check.head_unknown_layer": {
        "zh": "图层修订表中有活动配置里没有的图层 {layer}",
        "en": "the layer revision table names {layer}, which the campaign does not have",
    },
    "db.check.record_unreadable": {
        "zh": "记录 {kind}/{key} 无法解析:{detail}",
        "en": "record {kind}/{key} does not parse: {detail}",
    },
    "db.check.migration_missing": {
        "zh": "数据库未应用迁移 {version:04d}_{name}",
        "en": "migration {version:04d}_{name} has not been applied to the database",
    },
    "db.check.migration_unknown": {
        "zh": "数据库记录了程序中没有的迁移 {version:04d}_{name}(数据库比程序新?)",
        "en": "the database records migration {version:04d}_{name}, which this program does not have "
              "(is the database newer than the program?)",
    },
    "db.remedy.rebuild_row": {
        "zh": "store repair 会把该行移到 damaged_features 表,再按日志重建",
        "en": "store repair moves the row to damaged_features and rebuilds it from the journal",
    },
    "db.remedy.rebuild_head": {
        "zh": "store repair 会按日志改正图层修订",
        "en": "store repair sets the layer revision from the journal",
    },
    "db.remedy.journal": {
        "zh": "日志本身损坏,无法自动修复:从备份恢复(flask --app web restore)",
        "en": "the journal itself is damaged and cannot be repaired automatically: restore a backup",
    },
    "db.remedy.migrate": {
        "zh": "运行 flask --app web store migrate",
        "en": "run flask --app web store migrate",
    },
    "db.remedy.upgrade": {
        "zh": "使用与数据库相同或更新版本的程序",
        "en": "run the same or a newer version of the program as the database",
    },
    "db.remedy.manual": {
        "zh": "无法自动修复:请人工检查该记录或从备份恢复",
        "en": "cannot be repaired automatically: look at it by hand or restore a backup",
    },
    "db.repair.moved": {
        "zh": "图层 {layer} 地点 {id}(第 {version} 版)已移入 {table}",
        "en": "layer {layer}: place {id} (version {version}) moved to {table}",
    },
    "db.repair.rebuilt": {
        "zh": "图层 {layer} 地点 {id} 已按日志第 {seq} 条变更重建(第 {version} 版)",
        "en": "layer {layer}: place {id} rebuilt from journal change {seq} (version {version})",
    },
    "db.repair.head": {
        "zh": "图层 {layer} 的修订已改为第 {seq} 条变更",
        "en": "layer {layer}: revision set to change {seq}",
    },
    "db.repair.layer_incomplete": {
        "zh": "图层 {layer} 的日志不完整(缺少变更或有无法解析的变更),受影响的地点未按日志重建",
        "en": "layer {layer}: its journal is incomplete (missing or unreadable changes); the places concerned "
              "were not rebuilt",
    },
    # the problem banner on every page (web/static/js/problem-banner.js)
    "banner.offline": {
        "zh": "无法连接服务器,显示的是 {time} 的数据;恢复后自动更新",
        "en": "the server cannot be reached; showing data as of {time}; updates resume by themselves",
    },
    "banner.server_error": {
        "zh": "服务器出错(HTTP {status}),显示的是 {time} 的数据;恢复后自动更新",
        "en": "the server answered an error (HTTP {status}); showing data as of {time}; updates resume by "
              "themselves",
    },
    "banner.stale": {
        "zh": "显示的是 {time} 的数据;恢复后自动更新",
        "en": "showing data as of {time}; updates resume by themselves",
    },
    "banner.never": {
        "zh": "尚未取得数据",
        "en": "no data yet",
    },
    "banner.page_unavailable": {
        "zh": "此页暂时无法显示",
        "en": "this page cannot be shown right now",
    },
    "banner.page_retry": {
        "zh": "本页每隔几秒自动重试,问题解决后即恢复显示;已打开的挂图大屏会保留最后的数据并自动恢复。",
        "en": "this page tries again every few seconds and shows itself once the problem is solved; wall "
              "screens already open keep their last data and recover by themselves.",
    },
    "banner.remedy": {
        "zh": "处理办法:",
        "en": "what to do: ",
    },

    # --- ids, campaign area, configuration (geo/config.py, geo/validate.py) ------------

    # --- request validation (one layer at the boundary) --------------------------------

    # --- accounts, sessions, tokens, display links --------------------------------------
    "accounts.login_refused": {
        "zh": "用户名或密码错误。",
        "en": "wrong user name or password",
    },
    "accounts.throttled": {
        "zh": "尝试次数过多,请稍后再试。",
        "en": "too many attempts; try again later",
    },
    "accounts.token_needs_session": {
        "zh": "新建 API 令牌须在浏览器中登录后进行,不能用令牌或 HTTP Basic 创建。",
        "en": "API tokens are created from a browser login, not with a token or HTTP Basic",
    },
    "accounts.token_needs_password": {
        "zh": "为安全起见,新建令牌前请再次输入当前密码。",
        "en": "for safety, enter your current password again before creating a token",
    },
    "accounts.current_password_wrong": {
        "zh": "当前密码不正确。",
        "en": "the current password is wrong",
    },
    "accounts.token_password_label": {
        "zh": "当前密码(登录超过 {minutes} 分钟后需要)",
        "en": "current password (needed when you logged in more than {minutes} minutes ago)",
    },
    "accounts.display_only_wall": {
        "zh": "大屏显示链接只能打开它自己的挂图。",
        "en": "a display link only opens its own wall map",
    },
    "accounts.display_out_of_scope": {
        "zh": "大屏显示链接只能查看其范围({scope})内的数据。",
        "en": "a display link only shows data within its scope ({scope})",
    },
    "accounts.bad_basic": {
        "zh": "HTTP Basic 凭据格式错误。",
        "en": "malformed HTTP Basic credentials",
    },

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
