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
