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
    "upload.empty": {
        "zh": "{file} 是空文件",
        "en": "{file} is empty",
    },
    "upload.too_large": {
        "zh": "{file} 大小为 {size},上传上限为 {limit}",
        "en": "{file} is {size}; uploads are limited to {limit}",
    },
    "upload.too_many_entries": {
        "zh": "{file} 含 {count} 个条目,最多接受 {limit} 个",
        "en": "{file} holds {count} entries; at most {limit} are accepted",
    },
    "upload.entry_nul": {
        "zh": "{file}:条目 {entry} 的名称含 NUL 字符,已拒绝",
        "en": "{file}: entry {entry} has a NUL character in its name; refused",
    },
    "upload.entry_absolute": {
        "zh": "{file}:条目 {entry} 使用绝对路径,已拒绝",
        "en": "{file}: entry {entry} has an absolute path; refused",
    },
    "upload.entry_outside": {
        "zh": "{file}:条目 {entry} 指向压缩包之外(..),已拒绝",
        "en": "{file}: entry {entry} points outside the archive ('..'); refused",
    },
    "upload.entry_symlink": {
        "zh": "{file}:条目 {entry} 是符号链接,已拒绝",
        "en": "{file}: entry {entry} is a symbolic link; refused",
    },
    "upload.entry_encrypted": {
        "zh": "{file}:条目 {entry} 已加密;请上传不带密码的压缩包",
        "en": "{file}: entry {entry} is encrypted; upload an archive without a password",
    },
    "upload.too_big_uncompressed": {
        "zh": "{file} 解压后将超过 {limit},已拒绝",
        "en": "{file} would take more than {limit} once uncompressed; refused",
    },
    "upload.zip_bomb": {
        "zh": "{file}:条目 {entry} 的压缩比为 {ratio} 倍(最多 {limit} 倍),疑似压缩炸弹(zip bomb),已拒绝",
        "en": "{file}: entry {entry} is compressed {ratio} times (at most {limit} accepted); this looks like a zip bomb and is refused",
    },
    "upload.not_a_zip": {
        "zh": "{file} 不是可读取的 zip 压缩包",
        "en": "{file} is not a readable zip archive",
    },
    "upload.entry_lies": {
        "zh": "{file}:条目 {entry} 比其文件头声明的更大,已拒绝",
        "en": "{file}: entry {entry} is larger than its header says; refused",
    },
    "upload.entry_twice": {
        "zh": "{file}:条目 {entry} 出现了两次",
        "en": "{file}: entry {entry} appears twice",
    },
    "upload.entry_unreadable": {
        "zh": "{file}:条目 {entry} 无法解压({reason})",
        "en": "{file}: entry {entry} cannot be extracted ({reason})",
    },
    "upload.no_kml_in_kmz": {
        "zh": "{file} 中没有 .kml 文档,不是 KMZ 文件",
        "en": "{file} holds no .kml document; it is not a KMZ file",
    },
    "upload.nothing_geographic": {
        "zh": ("{file} 中没有 Shapefile(.shp)、GeoPackage、GeoJSON 或 KML,只有:{listing}。"
               "压缩的 Shapefile 需要把 .shp、.shx、.dbf(以及 .prj)放在一起"),
        "en": ("{file} holds no Shapefile (.shp), GeoPackage, GeoJSON or KML; it holds: {listing}. "
               "A zipped Shapefile needs its .shp, .shx, .dbf (and .prj) side by side"),
    },
    "upload.shapefile_parts_missing": {
        "zh": "{file}:{shp} 旁缺少 {missing};Shapefile 需要把 .shp、.shx 和 .dbf(以及表示坐标系的 .prj)一起压缩上传",
        "en": ("{file}: {shp} has no {missing} beside it; a Shapefile needs its .shp, .shx "
               "and .dbf files (and .prj for its coordinate system) zipped together"),
    },
    "upload.content_mismatch": {
        "zh": "{file} 不是 {format} 文件(内容与扩展名不符)",
        "en": "{file} is not a {format} file (its content does not match its extension)",
    },
    "upload.no_such_layer": {
        "zh": "文件中没有图层 {layer};其中的图层有:{layers}",
        "en": "the file has no layer {layer}; its layers are: {layers}",
    },
    "upload.no_geometry_layer": {
        "zh": "文件中没有含几何图形的图层",
        "en": "the file holds no layer with geometries",
    },
    "upload.bad_json": {
        "zh": "{file} 不是有效的 JSON:{reason}",
        "en": "{file} is not valid JSON: {reason}",
    },
    "upload.invalid_format": {
        "zh": "{file} 不是有效的 {format} 文件",
        "en": "{file} is not a valid {format} file",
    },
    "upload.unreadable": {
        "zh": "{file} 无法读取:{reason}",
        "en": "{file} cannot be read: {reason}",
    },
    "upload.bad_encoding": {
        "zh": "{file}:属性无法按 {codec} 解码;请选择正确的编码",
        "en": "{file}: the attributes cannot be decoded as {codec}; declare the right encoding",
    },
    "upload.bad_crs": {
        "zh": "{file}:无法识别其坐标系({crs})",
        "en": "{file}: its coordinate system cannot be understood ({crs})",
    },
    "upload.bad_cpg": {
        "zh": "{file}:其 .cpg 声明了未知编码 {encoding};请删除 .cpg 并选择正确的编码",
        "en": "{file}: its .cpg names an unknown encoding {encoding}; remove the .cpg and declare the encoding",
    },
    "upload.shapefile_part_alone": {
        "zh": "{file} 只是 Shapefile 的一部分;Shapefile 由多个文件组成(.shp、.shx、.dbf、.prj、.cpg):请把它们压缩成一个 .zip 再上传",
        "en": ("{file} is one part of a Shapefile, which is several files (.shp,"
               " .shx, .dbf, .prj, .cpg): zip them together and upload the .zip"),
    },
    "upload.unknown_type": {
        "zh": "{file}:不能导入 {suffix} 类型的文件;请上传 {accepted}",
        "en": "{file}: files of type {suffix} cannot be imported; upload {accepted}",
    },
    "upload.rejected_in_preview": {
        "zh": "{file} 中有 {count} 个要素在预览中被拒绝,未导入任何内容。请修正文件后重新预览,或跳过被拒绝的要素再提交",
        "en": ("{count} feature(s) of {file} were rejected in the preview; nothing was imported. "
               "Fix the file and preview it again, or commit without the rejected features"),
    },
    "upload.xlsx_not_zip": {
        "zh": "{file} 不是 XLSX 工作簿(不是 zip 压缩包)",
        "en": "{file} is not an XLSX workbook (it is not a zip archive)",
    },
    "upload.not_a_ledger": {
        "zh": "{file} 不是挂图台账:没有工作表 {problems} 或 {places}(其工作表为 {sheets});请先导出台账,在导出的文件上编辑",
        "en": ("{file} is not a Guatu ledger: it has no sheet {problems} or {places} "
               "(its sheets are {sheets}); export the ledger first and edit that"),
    },
    "upload.no_id_column": {
        "zh": "工作表 {sheet} 没有 {column} 列(点位编号)",
        "en": "sheet {sheet} has no column {column} (the place id)",
    },
    "request.unknown_path_value": {
        "zh": "没有这个 {name}:{value}",
        "en": "there is no {name} {value}",
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
