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
    "geometry.not_an_object": {
        "zh": "应为 GeoJSON 几何对象(含 type 和 coordinates)",
        "en": "expected a GeoJSON geometry object (with type and coordinates)",
    },
    "geometry.unknown_type": {
        "zh": "几何类型 {got} 无效,应为以下之一:{expected}",
        "en": "unknown geometry type {got}; expected one of {expected}",
    },
    "geometry.expected_array": {
        "zh": "应为数组",
        "en": "expected an array",
    },
    "geometry.too_deep": {
        "zh": "几何集合嵌套过深",
        "en": "geometry collections nested too deep",
    },
    "geometry.missing_coordinates": {
        "zh": "缺少坐标 coordinates",
        "en": "coordinates are missing",
    },
    "geometry.expected_nesting": {
        "zh": "坐标数组的嵌套层数与几何类型 {type} 不符",
        "en": "the coordinate arrays are not nested as a {type} needs",
    },
    "geometry.bad_position": {
        "zh": "坐标点应为 [经度, 纬度]",
        "en": "a position must be [longitude, latitude]",
    },
    "geometry.not_a_number": {
        "zh": "坐标应为数字",
        "en": "coordinates must be numbers",
    },
    "geometry.not_finite": {
        "zh": "坐标不能是 NaN 或无穷大",
        "en": "coordinates cannot be NaN or infinite",
    },
    "geometry.too_many_vertices": {
        "zh": "顶点超过 {limit} 个",
        "en": "more than {limit} vertices",
    },
    "geometry.short_line": {
        "zh": "线至少需要 2 个坐标点",
        "en": "a line needs at least 2 positions",
    },
    "geometry.short_ring": {
        "zh": "多边形的环至少需要 4 个坐标点",
        "en": "a polygon ring needs at least 4 positions",
    },
    "geometry.open_ring": {
        "zh": "多边形的环未闭合:最后一个点须与第一个点相同",
        "en": "the polygon ring is not closed: its last position must equal its first",
    },
    "request.malformed_json": {
        "zh": "请求体不是有效的 JSON(不接受 NaN、Infinity 和过深的嵌套)",
        "en": "the body is not valid JSON (NaN, Infinity and very deep nesting are refused)",
    },
    "request.body_missing": {
        "zh": "缺少请求体",
        "en": "the request body is missing",
    },
    "request.wrong_type": {
        "zh": "类型不对,应为{expected}",
        "en": "wrong type; expected {expected}",
    },
    "request.not_in_enum": {
        "zh": "取值无效,应为以下之一:{expected}",
        "en": "not an allowed value; expected one of {expected}",
    },
    "request.not_const": {
        "zh": "取值应为 {expected}",
        "en": "expected {expected}",
    },
    "request.required": {
        "zh": "必填",
        "en": "required",
    },
    "request.bad_date": {
        "zh": "日期应为 YYYY-MM-DD,且在 2000–2100 年之间",
        "en": "a date is written YYYY-MM-DD and lies in 2000–2100",
    },
    "request.bad_datetime": {
        "zh": "时间应为带时区的 RFC 3339 格式(如 2026-11-24T08:00:00+08:00),且在 2000–2100 年之间",
        "en": "a date-time is RFC 3339 with a time zone (e.g. 2026-11-24T08:00:00+08:00) and lies in 2000–2100",
    },
    "request.bad_format": {
        "zh": "格式不符合 {format}",
        "en": "does not match the format {format}",
    },
    "request.too_small": {
        "zh": "不能小于 {limit}",
        "en": "must not be less than {limit}",
    },
    "request.too_large": {
        "zh": "不能大于 {limit}",
        "en": "must not be more than {limit}",
    },
    "request.too_few": {
        "zh": "至少需要 {limit} 项(或字符)",
        "en": "needs at least {limit} items (or characters)",
    },
    "request.too_many": {
        "zh": "最多 {limit} 项(或字符)",
        "en": "at most {limit} items (or characters)",
    },
    "request.bad_pattern": {
        "zh": "格式不对",
        "en": "not in the expected form",
    },
    "request.no_alternative": {
        "zh": "不符合任何一种允许的形式",
        "en": "matches none of the allowed forms",
    },
    "request.unknown_field": {
        "zh": "不认识这个字段",
        "en": "unknown field",
    },
    "request.invalid_value": {
        "zh": "取值无效",
        "en": "invalid value",
    },
    "request.id_not_text": {
        "zh": "编号应为文本(字母、数字、-、_ 或 .)",
        "en": "an id is text (letters, digits, -, _ or .)",
    },
    "request.unreadable_workbook": {
        "zh": "{file} 无法作为 XLSX 工作簿读取({reason}):文件可能已损坏,请重新导出台账后再编辑上传",
        "en": "{file} cannot be read as an XLSX workbook ({reason}): it may be damaged; export the ledger again, edit and upload that",
    },
    "request.unknown_path_value": {
        "zh": "没有这个 {name}:{value}",
        "en": "there is no {name} {value}",
    },
    "request.bad_parameters": {
        "zh": "参数有误:{fields}",
        "en": "bad parameters: {fields}",
    },
    "dates.not_a_day": {
        "zh": "日期格式应为 YYYY-MM-DD(如 2026-11-24),收到 {value}",
        "en": "a date is written YYYY-MM-DD (e.g. 2026-11-24), got {value}",
    },
    "dates.no_such_day": {
        "zh": "没有这一天:{value}",
        "en": "there is no such day: {value}",
    },
    "dates.not_an_instant": {
        "zh": "时间格式应为 RFC 3339(如 2026-11-24T08:00:00+08:00),收到 {value}",
        "en": "a date-time is written RFC 3339 (e.g. 2026-11-24T08:00:00+08:00), got {value}",
    },
    "dates.needs_zone": {
        "zh": "时间需带时区(…Z 或 …+08:00):{value}",
        "en": "a date-time needs a time zone (…Z or …+08:00): {value}",
    },
    "dates.out_of_range": {
        "zh": "日期 {value} 超出可用范围({first}–{last} 年)",
        "en": "the date {value} is outside the years that can be used ({first}–{last})",
    },

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
