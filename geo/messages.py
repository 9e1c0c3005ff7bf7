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

    # --- ids, campaign area, configuration (geo/config.py, geo/validate.py) ------------
    "config.unknown_key": {
        "zh": "{where}.{key}:未知的设置(拼写有误?),请删除或改正",
        "en": "{where}.{key}: unknown setting (a typo?); remove or correct it",
    },
    "config.unknown_key_suggest": {
        "zh": "{where}.{key}:未知的设置,是不是要写 {suggestion}?",
        "en": "{where}.{key}: unknown setting; did you mean {suggestion}?",
    },
    "config.file_unknown_key": {
        "zh": "配置文件 {path}:未知的设置 {key}(拼写有误?),请删除或改正",
        "en": "configuration file {path}: unknown setting {key} (a typo?); remove or correct it",
    },
    "config.file_unknown_key_suggest": {
        "zh": "配置文件 {path}:未知的设置 {key},是不是要写 {suggestion}?",
        "en": "configuration file {path}: unknown setting {key}; did you mean {suggestion}?",
    },
    "config.unknown_env": {
        "zh": "环境变量 {name} 不是 Guatu 的设置,已忽略(拼写有误?)",
        "en": "environment variable {name} is not a Guatu setting and is ignored (a typo?)",
    },
    "config.unknown_env_suggest": {
        "zh": "环境变量 {name} 不是 Guatu 的设置,已忽略;是不是要写 {suggestion}?",
        "en": "environment variable {name} is not a Guatu setting and is ignored; did you mean {suggestion}?",
    },

    # --- request validation (one layer at the boundary) --------------------------------

    # --- accounts, sessions, tokens, display links --------------------------------------

    # --- exports, backups, basemap proxy, HTTP preconditions ----------------------------
    "backup.archive_incomplete": {
        "zh": "备份文件 {archive} 不完整或已损坏(读到中途就结束了,可能没有复制完),未恢复任何内容;请换一份完整的备份",
        "en": "the backup {archive} is incomplete or damaged (it ends part-way, perhaps not fully copied); "
              "nothing was restored; use a complete backup",
    },
    "backup.member_size": {
        "zh": "备份文件 {archive} 中的 {member} 大小为 {size} 字节,与清单记录的 {expected} 字节不符,备份已损坏;未恢复任何内容",
        "en": "{member} in the backup {archive} is {size} bytes, but its manifest says {expected}; the backup is "
              "damaged; nothing was restored",
    },
    "backup.manifest_too_large": {
        "zh": "备份文件 {archive} 的清单有 {size} 字节,超过上限 {limit} 字节,不是正常的备份;未恢复任何内容",
        "en": "the manifest of the backup {archive} is {size} bytes, over the limit of {limit}; not a real backup; "
              "nothing was restored",
    },
    "backup.leftover_removed": {
        "zh": "已删除被中断的备份留下的临时文件 {path}",
        "en": "removed {path}, left behind by a backup that was interrupted",
    },
    "basemap.redirect_refused": {
        "zh": "底图 {basemap}:瓦片服务器把请求转到了别的地址,已拒绝(只访问配置的服务器)",
        "en": "basemap {basemap}: the tile server redirected elsewhere; refused (only the configured server is asked)",
    },
    "basemap.too_many_redirects": {
        "zh": "底图 {basemap}:瓦片服务器重定向超过 {n} 次,已放弃",
        "en": "basemap {basemap}: the tile server redirected more than {n} times; gave up",
    },
    "basemap.tile_too_large": {
        "zh": "底图 {basemap}:瓦片服务器返回的内容超过 {limit} 字节,不是正常的瓦片,已拒绝",
        "en": "basemap {basemap}: the tile server sent more than {limit} bytes, which is no tile; refused",
    },
    "precondition.weak_etag": {
        "zh": "{fid}:If-Match 中的 {tag} 是弱 ETag(W/…),写入只认强 ETag;请用读取时返回的 ETag(例如 \"{fid}-v3\")重试,未写入任何内容",
        "en": "{fid}: {tag} in If-Match is a weak ETag (W/…); writes compare strongly. Retry with the ETag the read "
              "returned (e.g. \"{fid}-v3\"); nothing was written",
    },
    "precondition.any_missing": {
        "zh": "{fid} 不存在(可能已被删除);If-Match: * 要求它存在,未写入任何内容",
        "en": "{fid} does not exist (perhaps deleted); If-Match: * requires it to exist; nothing was written",
    },

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
