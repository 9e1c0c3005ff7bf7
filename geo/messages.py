"""The message catalogue: every user-visible text that code builds, Chinese by default.

Pages, API errors, import reports, PDFs and command-line messages take their
words from here, by key, so a campaign's IT office can read the whole product
in Chinese and a translator finds every string in one place. Each entry has
the Chinese text (`zh`, what users see) and an English translation (`en`, for
readers whose browser prefers English, for logs read by people who do not
read Chinese, and for translators); both take the same `{named}` parameters,
which a test checks, with every key used somewhere in the code or templates.

    from geo.messages import t
    raise BrokenLayer(t("store.layer_missing", file="layers/roads.geojson"))

`t` gives a `Text`: a `str` that reads as the Chinese, so it goes wherever
text goes (errors, reports, logs), and that remembers its key and parameters,
so the boundary renders the same message again in the reader's language
(`localize(body, "en")`: web/core/language.py chooses the language from
Accept-Language). Rules in geo/ raise errors in Chinese and never ask for a
language.

Why a keyed catalogue in Python and not gettext (Flask-Babel): the texts are
used from geo/, which must not import Flask, from the command line and from
log lines as much as from pages; there are two languages, zh the source and
en a translation, kept side by side where a reviewer sees both; keys (not the
source sentence) name each message so a reworded Chinese text keeps its
translation; and the tests check what gettext tooling would (both languages,
the same placeholders, no unused key, no text under two keys). Plural forms,
the main thing gettext adds, neither language here needs.

Add an entry beside the others of its capability (the key's first part), and
keep the Chinese plain: say what happened, where, and what to do.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from functools import cache
from typing import Any

DEFAULT_LANGUAGE = "zh"
LANGUAGES = ("zh", "en")  # the first is the default, and wins a tie

MESSAGES: dict[str, dict[str, str]] = {
    # --- generic ------------------------------------------------------------
    "error.internal": {
        "zh": "服务器内部错误,已记录;请稍后再试或联系管理员",
        "en": "internal server error, logged; try again later or ask the administrator",
    },
    # --- store integrity: layer files, journal, disk (geo/store) -----------------------
    "store.where_line": {"zh": "{file} 第 {line} 行", "en": "{file} line {line}"},
    "store.where_feature": {"zh": "{file} 第 {number} 个要素", "en": "{file} feature #{number}"},
    "store.layer_not_json": {
        "zh": "{where}:不是有效的 JSON({detail})",
        "en": "{where}: not valid JSON ({detail})",
    },
    "store.layer_not_collection": {
        "zh": "{file}:不是 GeoJSON FeatureCollection",
        "en": "{file}: not a GeoJSON FeatureCollection",
    },
    "store.layer_not_feature": {"zh": "{where}:不是 GeoJSON 要素(Feature)", "en": "{where}: not a GeoJSON Feature"},
    "store.layer_no_id": {"zh": "{where}:要素没有字符串 id", "en": "{where}: feature without a string id"},
    "store.layer_duplicate_id": {"zh": "{where}:id {id} 出现了两次", "en": "{where}: id {id} appears twice"},
    "store.layer_no_version": {
        "zh": "{where}:要素 {id} 没有整数 properties.version",
        "en": "{where}: feature {id} has no integer properties.version",
    },
    "store.layer_no_geometry": {
        "zh": "{where}:要素 {id} 没有几何(geometry 为空)",
        "en": "{where}: feature {id} has no geometry",
    },
    "store.layer_bad_geometry": {
        "zh": "{where}:要素 {id} 的几何无法读取({detail})",
        "en": "{where}: the geometry of feature {id} cannot be read ({detail})",
    },
    "store.layer_bad_value": {
        "zh": "{where}:要素 {id} 的属性类型不对({detail})",
        "en": "{where}: feature {id} holds a value of the wrong type ({detail})",
    },
    "boundaries.broken": {
        "zh": "区划文件 {file} 无法使用,暂不显示其边界(不会改写该文件):{reason}",
        "en": "boundary file {file} cannot be used; its outlines are left out (the file is not rewritten): {reason}",
    },
    "file.not_json": {"zh": "不是有效的 JSON({detail})", "en": "not valid JSON ({detail})"},
    "boundaries.unreadable": {"zh": "无法读取({detail})", "en": "cannot be read ({detail})"},
    "boundaries.not_collection": {"zh": "不是 GeoJSON FeatureCollection", "en": "not a GeoJSON FeatureCollection"},
    "boundaries.not_feature": {"zh": "不是 GeoJSON 要素(Feature)", "en": "not a GeoJSON Feature"},
    "boundaries.feature": {"zh": "第 {number} 个要素:{detail}", "en": "feature #{number}: {detail}"},
    "boundaries.remedy": {
        "zh": "用 GIS 软件修正该文件(或换回原来的文件)后保存,无需重启",
        "en": "correct the file in a GIS program (or put the previous one back) and save it; no restart is needed",
    },
    "store.no_feature": {
        "zh": "{layer}中没有编号为 {fid} 的地点(编号有误,或该地点已被删除;编号不会重复使用)",
        "en": "no feature {fid} in {layer} (a wrong id, or the place was deleted; ids are never reused)",
    },
    "store.no_layer": {
        "zh": "没有图层 {layer};现有图层:{layers}",
        "en": "no layer {layer}; layers are {layers}",
    },
    "store.layer_cut_short": {
        "zh": "{file} 不完整:第 {line} 行之后被截断(缺少结尾的 ]}}),其余地点已丢失",
        "en": "{file} is cut short after line {line} (its closing ]}} is missing); the places after it are lost",
    },
    "store.layer_count_mismatch": {
        "zh": "{file} 不完整:首行记录有 {expected} 个地点,文件里只有 {found} 个",
        "en": "{file} is incomplete: its first line records {expected} places, the file holds {found}",
    },
    "store.layer_places_missing": {
        "zh": "{file} 缺少变更日志中仍然存在的 {count} 个地点(如 {ids}):文件被截断或被替换",
        "en": "{file} lacks {count} places the journal says exist (e.g. {ids}): the file was cut short or replaced",
    },
    "store.layer_file_missing": {
        "zh": "{file} 不见了,但变更日志记有此图层的变更(或本服务读到过它):文件被删除或移走",
        "en": "{file} is missing, but the journal has changes to this layer (or this server read it): "
              "the file was deleted or moved",
    },
    "store.layer_withheld": {
        "zh": "图层文件已损坏,暂停提供此图层(不提供残缺数据,也不会改写该文件):{reason}",
        "en": "the layer file is damaged, so the layer is withheld (never served in part nor rewritten): {reason}",
    },
    "store.layer_write_refused": {
        "zh": "{reason};修复前不能编辑此图层",
        "en": "{reason}; this layer cannot be edited until it is repaired",
    },
    "store.place_remedy": {
        "zh": "在该文件中改正所指的地点(可用 QGIS 或文本编辑器)后保存,无需重启即恢复;或运行 flask --app web store repair "
              "--backups 备份目录,回到最近的完好状态(该文件会被移到一旁保留)",
        "en": "correct the place named in the file (in QGIS or a text editor) and save it: the layer is back without a "
              "restart; or run flask --app web store repair --backups BACKUP_DIR to go back to the last sound state "
              "(the file is moved aside and kept)",
    },
    "store.layer_remedy": {
        "zh": "不要手工覆盖该文件。运行 flask --app web store check 查看详情,再运行 flask --app web store repair "
              "--backups 备份目录(损坏的文件会被移到一旁保留,图层从变更日志或该目录中最近的备份重建)",
        "en": "do not overwrite the file by hand. Run flask --app web store check for details, then "
              "flask --app web store repair --backups BACKUP_DIR (the damaged file is moved aside and kept; the "
              "layer is rebuilt from the journal or the latest backup in that folder)",
    },
    "store.journal_bad_line": {
        "zh": "变更日志 {file} 第 {line} 行已损坏(字节位置 {offset}):{detail}",
        "en": "journal {file} line {line} is damaged (byte {offset}): {detail}",
    },
    "store.journal_writes_refused": {
        "zh": "变更日志 {file} 第 {line} 行已损坏,修复前拒绝一切修改(各图层仍可查看)",
        "en": "journal {file} line {line} is damaged; every write is refused until it is repaired "
              "(the layers are still served)",
    },
    "store.journal_missing": {
        "zh": "变更日志 {file} 不见了(被删除或移走),而图层文件记到了第 {seq} 条变更:修改历史无法查看,修改已暂停",
        "en": "the journal {file} is gone (deleted or moved) while the layer files name changes up to seq {seq}: "
              "the history cannot be shown and edits are refused",
    },
    "store.journal_missing_remedy": {
        "zh": "把 {file} 放回原处,或从最近的备份恢复(flask --app web restore 到新目录后拷回 {file});"
              "确实找不回时,运行 flask --app web store repair 新建空的变更日志(此前的历史将无法恢复)",
        "en": "put {file} back, or restore it from the latest backup (flask --app web restore into a new folder, then "
              "copy {file} back); if it is truly lost, run flask --app web store repair to start an empty journal "
              "(the history before it cannot be recovered)",
    },
    "store.repair_journal_new": {
        "zh": "变更日志 {file} 已丢失,已新建空的变更日志:第 {seq} 条及以前的修改历史无法恢复,新的修改从第 {next} 条起编号",
        "en": "the journal {file} was lost and an empty one was started: the history up to seq {seq} cannot be "
              "recovered; new changes are numbered from {next}",
    },
    "store.journal_remedy": {
        "zh": "运行 flask --app web store repair:损坏的日志会被移到一旁保留,可读的变更写回新的日志,之后恢复编辑",
        "en": "run flask --app web store repair: the damaged journal is moved aside and kept, its readable changes "
              "are written to a new journal, and editing resumes",
    },
    "store.journal_torn": {
        "zh": "变更日志 {file} 最后一行不完整(从字节 {offset} 起 {size} 字节),是写入时中断留下的,该修改未生效",
        "en": "the last line of journal {file} is cut short ({size} bytes from byte {offset}), left by an "
              "interrupted write that never took effect",
    },
    "store.journal_torn_remedy": {
        "zh": "无需处理:下次写入(或 store repair)会把它移到日志旁的 .torn 文件保留,其序号不会再用",
        "en": "nothing to do: the next write (or store repair) keeps it in a .torn file beside the journal, "
              "and its seq is never used again",
    },
    "store.layer_behind_journal": {
        "zh": "{file} 停在序号 {seq},变更日志中此图层已到 {journal_seq}(写入中断)",
        "en": "{file} stops at seq {seq}, the journal's changes to this layer reach {journal_seq} (an interrupted write)",
    },
    "store.layer_behind_remedy": {
        "zh": "下次启动或写入时自动补上;也可运行 flask --app web store repair",
        "en": "replayed at the next start or write; or run flask --app web store repair",
    },
    "store.place_differs": {
        "zh": "{file}:地点 {id} 的版本是 {found},变更日志中的最后版本是 {expected}",
        "en": "{file}: place {id} is at version {found}, the journal's last after-image is version {expected}",
    },
    "store.place_not_deleted": {
        "zh": "{file}:地点 {id} 在变更日志中已删除,但仍在文件里",
        "en": "{file}: place {id} was deleted in the journal but is still in the file",
    },
    "store.place_missing": {
        "zh": "{file}:变更日志中存在的地点 {id} 不在文件里",
        "en": "{file}: place {id}, which exists by the journal, is not in the file",
    },
    "store.layer_seq_ahead": {
        "zh": "{file} 首行的序号 {seq} 超过了变更日志的最后序号 {journal_seq}:日志末尾丢失了变更",
        "en": "{file}'s first line names seq {seq}, beyond the journal's last {journal_seq}: the journal lost its tail",
    },
    "store.layer_seq_ahead_remedy": {
        "zh": "文件是当前状态,新的修改会使用更大的序号;丢失的变更历史无法找回",
        "en": "the file is the current state and new changes take higher seqs; the lost history cannot be recovered",
    },
    "store.record_unreadable": {
        "zh": "记录 {file} 无法解析({detail})",
        "en": "record {file} cannot be read ({detail})",
    },
    "accounts.bad_user": {
        "zh": "应为含 username、name、password_hash 文本和有效 role 的对象",
        "en": "expected an object with text username, name and password_hash and a known role",
    },
    "accounts.bad_token": {"zh": "应为含文本 id 的对象", "en": "expected an object with a text id"},
    "accounts.field_missing": {"zh": "某个用户或令牌缺少必需的字段", "en": "a user or token lacks a field every one has"},
    "accounts.damaged": {
        "zh": "账户数据 {where} 无法读取({detail}),暂时无法登录或修改账户;请修正或从该文件的备份恢复(不会改写该文件)",
        "en": "the accounts in {where} cannot be read ({detail}); nobody can sign in or change an account until "
              "it is put right or restored from a copy of it (it is not written over)",
    },
    "store.record_not_as_written": {
        "zh": "记录 {file} 不是 Guatu 写入的格式({detail})",
        "en": "record {file} is not as Guatu writes it ({detail})",
    },
    "store.record_fix_by_hand": {
        "zh": "请按原格式修正该记录,或从备份恢复",
        "en": "put the record right in its own format, or restore it from a backup",
    },
    "store.record_remedy": {
        "zh": "store repair 会把它移到一旁保留;其内容需人工核对",
        "en": "store repair moves it aside and keeps it; its content needs checking by hand",
    },
    "store.check_sound": {
        "zh": "一致:{layers} 个图层共 {places} 个地点、{changes} 条变更、{records} 条记录,未发现问题",
        "en": "consistent: {layers} layers with {places} places, {changes} changes, {records} records; no problems found",
    },
    "store.check_found": {
        "zh": "发现 {count} 个问题;运行 flask --app web store repair 修复可修复的部分",
        "en": "{count} problems found; run flask --app web store repair to fix what can be fixed",
    },
    "store.check_finding": {
        "zh": "{where}:{problem}\n    处理:{remedy}",
        "en": "{where}: {problem}\n    remedy: {remedy}",
    },
    "store.repair_moved": {
        "zh": "已将 {file} 移到 {aside}(保留,未删除)",
        "en": "moved {file} aside to {aside} (kept, not deleted)",
    },
    "store.repair_from_journal": {
        "zh": "已从变更日志重建 {file}:{count} 个地点,到序号 {seq}",
        "en": "rebuilt {file} from the journal: {count} places, up to seq {seq}",
    },
    "store.repair_from_backup": {
        "zh": "已从备份 {backup} 及其后的变更日志重建 {file}:{count} 个地点,到序号 {seq}",
        "en": "rebuilt {file} from backup {backup} and the journal after it: {count} places, up to seq {seq}",
    },
    "store.repair_journal": {
        "zh": "已重写变更日志 {file}:保留 {kept} 条可读变更,{dropped} 个损坏的行留在 {aside}",
        "en": "rewrote journal {file}: {kept} readable changes kept, {dropped} damaged lines left in {aside}",
    },
    "store.repair_replayed": {
        "zh": "已把变更日志中的 {count} 条变更补进 {file}",
        "en": "replayed {count} journal changes into {file}",
    },
    "store.repair_layer_lost": {
        "zh": "{file} 无法恢复:无法证明变更日志记有此图层的全部地点,也没有可用的备份。请用 --backups 指定备份目录后重试;"
              "若确知此图层的地点全部是在挂图系统里新增的,可加 --from-journal {layer}。图层继续暂停提供",
        "en": "{file} cannot be recovered: nothing shows the journal holds every place of this layer and no usable "
              "backup was found. Retry with --backups DIR; if you know every place of the layer was created in "
              "Guatu, add --from-journal {layer}. The layer stays withheld",
    },
    "store.repair_lost_line": {"zh": "第 {line} 行,序号 {seq}", "en": "line {line}, seq {seq}"},
    "store.repair_lost_line_noseq": {"zh": "第 {line} 行,序号无法读出", "en": "line {line}, seq unreadable"},
    "store.repair_lost_changes": {
        "zh": "变更日志中 {count} 个损坏行的内容无法恢复({lines}),原文保留在 {aside}",
        "en": "the content of {count} damaged journal lines cannot be recovered ({lines}); the raw text is kept in {aside}",
    },
    "store.repair_record_aside": {
        "zh": "记录 {file} 无法解析,已移到 {aside};其内容需人工核对后重新录入",
        "en": "record {file} cannot be read and was moved to {aside}; check its content by hand and enter it again",
    },
    "store.readyz_layers_withheld": {
        "zh": "有图层无法读取,已暂停提供:{layers}。处理:{remedy}",
        "en": "layers cannot be read and are withheld: {layers}. Remedy: {remedy}",
    },
    "store.repair_nothing": {"zh": "无需修复:存储一致", "en": "nothing to repair: the store is consistent"},
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

    "ledger.rule_off": {
        "zh": "地点状态不随问题自动变化,请手动设置。",
        "en": "A place's status does not follow its problems: set it by hand.",
    },
    "ledger.rule": {
        "zh": "状态随台账自动变化:已完成({done})的地点出现未销号问题时,状态自动改为「{when_open}」;"
              "问题全部销号后,未完成的地点自动改为「{when_closed}」。验收须由督导人员手动确认。",
        "en": "The status follows the ledger: a place that is done ({done}) with an open problem becomes \"{when_open}\"; once every "
              "problem is closed, a place not done becomes \"{when_closed}\". Acceptance is confirmed by an inspector, by hand.",
    },
    "ledger.no_problem": {"zh": "{fid} 的问题台账中没有问题 {pid}", "en": "no problem {pid} in the ledger of {fid}"},
    "store.id_exists": {"zh": "{layer}中已有编号 {id}", "en": "{id} already exists in {layer}"},
    "store.version_required": {
        "zh": "必填:请写明你的编辑基于哪一版",
        "en": "required: name the version your edit started from",
    },
    "store.changed_meanwhile": {
        "zh": "{id}（{name}）已被修改：现为第 {version} 版，由 {user} 于 {at} 保存；你的编辑基于第 {yours} 版。"
              "请重新加载，或有意覆盖时以第 {version} 版再保存一次。",
        "en": "{id} ({name}) was changed meanwhile: it is at version {version}, saved by {user} at {at}; your edit started "
              "from version {yours}. Reload it, or overwrite deliberately by saving again with version {version}.",
    },
    "store.busy": {
        "zh": "活动数据正忙于另一次写入,请稍后重试",
        "en": "the campaign is busy with another write; try again",
    },
    "store.records_busy": {
        "zh": "另一个进程正在写入{kind}记录,请稍后重试",
        "en": "another process holds the lock of the {kind} records; try again",
    },
    "store.changed_by_another": {
        "zh": "{id} 已被其他人修改,请重新加载后再试",
        "en": "{id} was changed by another writer meanwhile; reload it and try again",
    },
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
    "db.copied_layer": {"zh": "{layer} {count} 个地点", "en": "{layer} {count}"},
    "db.copied": {
        "zh": "已复制:{layers};变更日志 {changes} 条(到第 {revision} 条变更);照片 {photos} 张;用时 {seconds} 秒",
        "en": "copied {layers}; {changes} journal entries (revision {revision}); {photos} photos; in {seconds} s",
    },
    "db.check_sound": {
        "zh": "一致:数据库 {where} 架构 {schema} 中 {layers} 个图层共 {places} 个地点,变更日志到第 {revision} 条,未发现问题",
        "en": "consistent: {layers} layers with {places} places in schema {schema} of {where}, the journal up to "
              "change {revision}; no problems found",
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
    "db.remedy.restore_row": {
        "zh": "store repair 会按日志重建这一行",
        "en": "store repair rebuilds the row from the journal",
    },
    "db.remedy.move_row_aside": {
        "zh": "store repair 会把该行移到 damaged_features 表(保留,不删除),不再作为地点提供",
        "en": "store repair moves the row to damaged_features (kept, not deleted); it is no longer served as a place",
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

    "db.repair_no_options": {
        "zh": "数据库中的活动只按变更日志修复:--backups 和 --from-journal 只用于文件存储;"
              "数据库请用 PostgreSQL 自己的备份(pg_dump、WAL 归档)恢复",
        "en": "a campaign in the database is repaired from its journal only: --backups and --from-journal are for "
              "the file store; restore a database with PostgreSQL's own backups (pg_dump, WAL archiving)",
    },

    # --- ids, campaign area, configuration (geo/config.py, geo/validate.py) ------------
    "config.changed_unusable": {
        "zh": "campaign.json 修改后无法使用({count} 处错误,详见服务器日志),仍按原先的活动配置运行",
        "en": "campaign.json was changed into something unusable ({count} problem(s), in the server's log); the "
              "campaign as it was is kept",
    },
    "config.changed_remedy": {
        "zh": "改正 campaign.json(或换回原文件);保存后本提示消失,新增图层以外的修改需重启服务",
        "en": "correct campaign.json (or put the previous one back); once saved this goes; changes beyond new "
              "layers take a restart",
    },
    "config.changed_needs_restart": {
        "zh": "campaign.json 已修改(不只是新增图层),修改在重启服务后才生效;此前仍按原先的活动配置运行",
        "en": "campaign.json was changed beyond new layers; the changes take effect once the server restarts; "
              "until then the campaign as it was is kept",
    },
    "config.restart_remedy": {
        "zh": "在方便的时候重启服务(停止后再运行 ./guatu serve,或重启各台的 gunicorn)",
        "en": "restart the server when convenient (stop it and run ./guatu serve again, or restart each gunicorn)",
    },
    "config.invalid": {
        "zh": "活动配置 {path} 有 {count} 处错误,改正后才能启动:",
        "en": "the campaign configuration {path} has {count} problem(s); fix them before starting:",
    },
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
    # --- the campaign configuration's schema (geo/config_schema.py): each problem after its JSON path -----------
    "schema.empty": {"zh": "不能为空", "en": "must not be empty"},
    "schema.missing": {"zh": "缺少此项", "en": "missing"},
    "schema.expected_object": {"zh": "应为 JSON 对象", "en": "expected an object"},
    "schema.expected_type": {"zh": "应为{expected},实际为{got}", "en": "expected {expected}, got {got}"},
    # the JSON value a key holds, named as JSON writers know it in Chinese, and as Python names it in English
    "schema.type.str": {"zh": "文字(字符串)", "en": "str"},
    "schema.type.int": {"zh": "整数", "en": "int"},
    "schema.type.float": {"zh": "小数", "en": "float"},
    "schema.type.number": {"zh": "数字", "en": "int or float"},
    "schema.type.bool": {"zh": "true 或 false", "en": "bool"},
    "schema.type.list": {"zh": "列表(数组)", "en": "list"},
    "schema.type.dict": {"zh": "对象", "en": "dict"},
    "schema.type.NoneType": {"zh": "空值(null)", "en": "NoneType"},
    "schema.bad_key": {
        "zh": "{value} 只能由小写字母、数字和 _ 组成",
        "en": "{value} must be lower-case letters, digits and _",
    },
    "schema.outside_data": {"zh": "应为数据目录内的相对路径", "en": "must be a relative path inside the data directory"},
    "schema.no_entry": {"zh": "至少要列出一项", "en": "must list at least one entry"},
    "schema.used_twice": {"zh": "{value} 重复出现", "en": "{value} is used twice"},
    "schema.id_used_twice": {"zh": "id {value} 重复出现", "en": "id {value} is used twice"},
    "schema.not_unique": {"zh": "各项不能重复", "en": "entries must be unique"},
    "schema.not_text": {"zh": "应为非空的文字", "en": "expected a non-empty string"},
    "schema.colour": {"zh": "应为 #rrggbb 形式的颜色,实际为 {value}", "en": "expected #rrggbb, got {value}"},
    "schema.geometry_type": {"zh": "未知的几何类型 {value}", "en": "unknown geometry type {value}"},
    "schema.boundary_level": {
        "zh": "应为 district、street 或 community,实际为 {value}",
        "en": "expected district, street or community, got {value}",
    },
    "schema.one_of": {"zh": "应为以下之一:{choices};实际为 {value}", "en": "expected one of {choices}, got {value}"},
    "schema.zoom": {"zh": "应为 0 到 {maximum} 之间的缩放级别,实际为 {value}", "en": "expected 0 to {maximum}, got {value}"},
    "schema.timeout": {
        "zh": "应为 0 到 60 之间的秒数(不含 0),实际为 {value}",
        "en": "expected seconds between 0 and 60, got {value}",
    },
    "schema.negative": {"zh": "不能为负数", "en": "must not be negative"},
    "schema.subdomains": {
        "zh": "应为 \"1234\" 这样的字符串,或字符串列表",
        "en": "expected a string like \"1234\" or a list of strings",
    },
    "schema.not_for_local": {
        "zh": "{type} 底图用不到此项(它的瓦片来自 path)",
        "en": "not used by a {type} basemap (it is served from `path`)",
    },
    "schema.key_and_key_env": {"zh": "key 和 key_env 只能写一个", "en": "give either key or key_env, not both"},
    "schema.env_name": {"zh": "{value} 不是有效的环境变量名", "en": "{value} is not an environment variable name"},
    "schema.tianditu_key": {
        "zh": "天地图底图需要密钥:key_env(存放密钥的环境变量)或 key",
        "en": "a tianditu basemap needs its key: key_env (an environment variable) or key",
    },
    "schema.url_needs_key": {"zh": "须在放密钥的位置写上 {{key}}", "en": "must contain {{key}} where the key goes"},
    "schema.url_key_unset": {
        "zh": "含有 {{key}},但 key 和 key_env 都没有给出",
        "en": "contains {{key}} but neither key nor key_env is given",
    },
    "schema.key_needs_server": {
        "zh": "带密钥的底图须由服务器代取瓦片(应为 http:// 或 https:// 地址)",
        "en": "a basemap with a key must be fetched by the server (an http:// or https:// URL)",
    },
    "schema.subdomains_missing": {
        "zh": "地址中有 {{s}},请列出 subdomains",
        "en": "the url contains {{s}}, so list the subdomains",
    },
    "schema.crs_fixed": {"zh": "{type} 瓦片总是 {crs} 坐标", "en": "{type} tiles are always in {crs}"},
    "schema.zoom_order": {"zh": "min_zoom 不能大于 max_zoom", "en": "min_zoom must not exceed max_zoom"},
    "schema.url_form": {
        "zh": "应为 http:// 或 https:// 地址,或本服务器上以 / 开头的路径",
        "en": "expected an http:// or https:// URL, or a path on this server starting with /",
    },
    "schema.url_placeholders": {
        "zh": "须含 {{z}}、{{x}} 和 {{y}}(缺少 {missing})",
        "en": "must contain {{z}}, {{x}} and {{y}} (missing {missing})",
    },
    "schema.url_unknown_placeholder": {
        "zh": "未知的占位符 {placeholders}(可用 {{z}} {{x}} {{y}} {{s}} {{key}})",
        "en": "unknown placeholder {placeholders} (use {{z}} {{x}} {{y}} {{s}} {{key}})",
    },
    "schema.one_default": {"zh": "最多只能有一个默认底图", "en": "at most one basemap may be the default"},
    "schema.overlay_default": {"zh": "叠加层不能作为默认底图", "en": "an overlay cannot be the default basemap"},
    "schema.center": {"zh": "应为 [纬度, 经度]", "en": "expected [latitude, longitude]"},
    "schema.bounds": {"zh": "应为 [西, 南, 东, 北],单位为度", "en": "expected [west, south, east, north] in degrees"},
    "schema.bounds_order": {"zh": "应满足 西 < 东、南 < 北", "en": "west must be < east and south < north"},
    "schema.viewport_above": {"zh": "应为不小于 0 的地点数", "en": "expected a number of places ≥ 0"},
    "schema.vector_tiles_from": {"zh": "应为 0 到 24 之间的缩放级别,或 null(不使用矢量瓦片)",
                                 "en": "expected a zoom from 0 to 24, or null (no vector tiles)"},
    "schema.tiles_and_basemaps": {
        "zh": "map.tiles 和 map.basemaps 只能写一个(可把该瓦片地址列为一个 xyz 底图)",
        "en": "give either map.tiles or map.basemaps, not both (list the tile URL as an xyz basemap)",
    },
    "schema.count": {"zh": "应不小于 1,实际为 {value}", "en": "must be at least 1, got {value}"},
    "schema.days": {"zh": "应不小于 0,实际为 {value}", "en": "must be zero or more, got {value}"},
    "schema.weight": {"zh": "权重不能为负数,实际为 {value}", "en": "a weight must not be negative, got {value}"},
    "schema.base_weight": {
        "zh": "应大于 0,每个地点才有机会被抽到",
        "en": "must be greater than 0, so every place can be drawn",
    },
    "schema.share": {"zh": "应为 0 到 1 之间的比例,实际为 {value}", "en": "expected a share between 0 and 1, got {value}"},
    "schema.date": {"zh": "应为 YYYY-MM-DD 形式的日期,实际为 {value}", "en": "expected YYYY-MM-DD, got {value}"},
    "schema.timezone": {"zh": "未知的时区 {value}", "en": "unknown time zone {value}"},
    "schema.time": {"zh": "应为 HH:MM 形式的时间,实际为 {value}", "en": "expected HH:MM, got {value}"},
    "schema.none_open": {
        "zh": "至少要有一个状态表示问题尚未解决(open: true)",
        "en": "at least one status must be open",
    },
    "schema.none_closed": {
        "zh": "至少要有一个状态表示问题已经解决(open: false)",
        "en": "at least one status must be closed (open: false)",
    },
    "schema.layer_ids": {"zh": "图层 id 不能重复", "en": "layer ids must be unique"},
    "schema.dates": {"zh": "日期不能重复,且须按先后排列", "en": "dates must be distinct and in order"},
    "schema.unknown_status": {"zh": "未知的状态 {value}", "en": "unknown status {value}"},
    # --- the server's settings (web/core/settings.py): a value of the wrong type or out of range ---------------------
    "settings.invalid": {
        "zh": "服务器设置有 {count} 处错误,改正后才能启动:",
        "en": "the server settings have {count} problem(s); fix them before starting:",
    },
    "settings.bad_value": {
        "zh": "设置 {name}({source}):{problem}",
        "en": "setting {name} ({source}): {problem}",
    },
    "settings.source_env": {"zh": "环境变量", "en": "environment variable"},
    "settings.source_file": {"zh": "配置文件 {path}", "en": "configuration file {path}"},
    "settings.source_app": {"zh": "应用配置", "en": "application configuration"},
    "settings.expected_integer": {"zh": "应为整数,实际为 {value}", "en": "expected a whole number, got {value}"},
    "settings.expected_number": {"zh": "应为数字,实际为 {value}", "en": "expected a number, got {value}"},
    "settings.expected_boolean": {"zh": "应为 true 或 false,实际为 {value}", "en": "expected true or false, got {value}"},
    "settings.expected_text": {"zh": "应为文字,实际为 {value}", "en": "expected text, got {value}"},
    "settings.at_least": {"zh": "应不小于 {limit},实际为 {value}", "en": "must be at least {limit}, got {value}"},
    "settings.at_most": {"zh": "应不大于 {limit},实际为 {value}", "en": "must be at most {limit}, got {value}"},
    "settings.too_short": {"zh": "至少要 {limit} 个字符", "en": "must have at least {limit} characters"},
    "settings.too_long": {"zh": "最多 {limit} 个字符,实际为 {value}", "en": "must have at most {limit} characters, got {value}"},
    "settings.one_of": {"zh": "应为 {choices} 之一,实际为 {value}", "en": "expected one of {choices}, got {value}"},
    "settings.bad_rate": {
        "zh": "应为“5 per 15 minutes”这样的次数限制,实际为 {value}",
        "en": "expected a rate like \"5 per 15 minutes\", got {value}",
    },
    "settings.bad": {"zh": "取值无效:{value}", "en": "invalid value: {value}"},
    "settings.file_missing": {
        "zh": "GUATU_CONFIG 指向的 {path} 不存在",
        "en": "GUATU_CONFIG names {path}, which does not exist",
    },
    "settings.file_not_toml": {
        "zh": "GUATU_CONFIG {path}:不是有效的 TOML({detail})",
        "en": "GUATU_CONFIG {path}: not valid TOML ({detail})",
    },
    "settings.file_table": {
        "zh": "GUATU_CONFIG {path}:[guatu] 应为一个表(table)",
        "en": "GUATU_CONFIG {path}: [guatu] must be a table",
    },
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
    # --- property and ledger rules of a written place (geo/validate.py) ------------------
    "feature.not_an_object": {"zh": "应为 GeoJSON 要素(Feature)对象", "en": "expected a GeoJSON Feature object"},
    "feature.not_feature_type": {"zh": "type 应为 'Feature',实际是 {got}", "en": "expected 'Feature', got {got}"},
    "feature.bad_id": {
        "zh": "编号须为 1–64 个字母、数字、'-'、'_' 或 '.'",
        "en": "must be 1–64 letters, digits, '-', '_' or '.'",
    },
    "feature.not_an_object_value": {"zh": "应为对象", "en": "expected an object"},
    "feature.geometry_missing": {
        "zh": "缺少几何:每个地点都须有几何图形",
        "en": "missing: every place needs a geometry",
    },
    "feature.not_text": {"zh": "应为文本,实际是 {got}", "en": "expected text, got {got}"},
    "feature.too_long": {"zh": "超过 {limit} 个字符", "en": "longer than {limit} characters"},
    "feature.control_characters": {"zh": "含有控制字符", "en": "contains control characters"},
    "feature.unknown_kind": {
        "zh": "{kind} 不是{layer}的类型;应为以下之一:{kinds}",
        "en": "{kind} is not a kind of {layer}; expected one of {kinds}",
    },
    "feature.unknown_status": {
        "zh": "未知的状态 {status};应为以下之一:{statuses}",
        "en": "unknown status {status}; expected one of {statuses}",
    },
    "feature.bad_property_name": {"zh": "属性名须为 1–64 个字符", "en": "property names must be 1–64 characters"},
    "feature.bad_extra_value": {
        "zh": "附加属性只能是文本、数字或布尔值",
        "en": "extra attributes must be text, numbers or booleans",
    },
    "feature.not_finite": {"zh": "不接受 NaN 和 Infinity", "en": "NaN and Infinity are not allowed"},
    "feature.bad_people": {"zh": "应为“角色 → 姓名”的对象", "en": "expected an object of role → name"},
    "feature.unknown_role": {"zh": "未知的角色;应为以下之一:{roles}", "en": "unknown role; expected one of {roles}"},
    "feature.bad_problems": {"zh": "应为台账条目的列表", "en": "expected a list of ledger entries"},
    "feature.too_many_problems": {"zh": "超过 {limit} 条", "en": "more than {limit} entries"},
    "feature.problem_id_twice": {"zh": "{pid} 用了两次", "en": "{pid} is used twice"},
    "feature.unknown_category": {"zh": "未知的问题类别 {category}", "en": "unknown category {category}"},
    "feature.unknown_problem_status": {
        "zh": "未知的问题状态 {status};应为以下之一:{statuses}",
        "en": "unknown problem status {status}; expected one of {statuses}",
    },
    "feature.closed_while_open": {
        "zh": "问题仍未整改完毕,不能填写销号日期",
        "en": "set on a problem that is still open",
    },
    "feature.deadline_before_found": {"zh": "早于发现问题的日期", "en": "is before the date the problem was found"},
    "feature.geometry_type_not_allowed": {
        "zh": "{layer}不接受 {type};应为 {allowed}",
        "en": "{type} is not allowed in {layer}; expected {allowed}",
    },
    "feature.geometry_unreadable": {"zh": "不是有效的 {type}:{detail}", "en": "not a valid {type}: {detail}"},
    "feature.geometry_empty": {"zh": "几何为空", "en": "is empty"},
    "geometry.empty_part": {"zh": "多部件几何中有空的部件", "en": "an empty part of a multi-part geometry"},
    "feature.geometry_invalid": {
        "zh": "几何无效({reason});确认后可自动修复(make_valid)",
        "en": "is invalid ({reason}); it can be repaired automatically (make_valid) if you confirm",
    },
    "feature.geometry_unrepairable": {
        "zh": "几何无效({reason}),且无法修复为允许的类型",
        "en": "is invalid ({reason}) and cannot be repaired into an allowed type",
    },
    "feature.geometry_repaired": {
        "zh": "{label}:几何已用 make_valid 修复({reason}),现为 {type}",
        "en": "{label}: geometry repaired with make_valid ({reason}); now a {type}",
    },
    "feature.latitude_first": {
        "zh": "纬度超出范围:坐标看起来是 [纬度, 经度];GeoJSON 要求 [经度, 纬度]",
        "en": "latitude out of range: the positions look like [latitude, longitude]; GeoJSON wants [longitude, latitude]",
    },
    "feature.not_wgs84": {
        "zh": "坐标超出 WGS84 经纬度范围(是投影坐标吗?请转换为 EPSG:4326)",
        "en": "coordinates out of range for WGS84 longitude/latitude (projected coordinates? reproject to EPSG:4326)",
    },
    "feature.swapped_positions": {
        "zh": "坐标看起来是 [纬度, 经度];GeoJSON 要求 [经度, 纬度]",
        "en": "the positions look like [latitude, longitude]; GeoJSON wants [longitude, latitude]",
    },
    # --- photos: uploads, a place's photo list, their files (geo/photos, geo/validate.py) ----------------
    "photo.role.place": {"zh": "现场", "en": "on site"},
    "photo.role.before": {"zh": "整改前", "en": "before rectification"},
    "photo.role.after": {"zh": "整改后", "en": "after rectification"},
    "photo.role.check": {"zh": "核查", "en": "verification"},
    "photo.role.inspection": {"zh": "督导", "en": "inspection"},
    "photo.empty": {"zh": "上传的文件是空的(0 字节)", "en": "the uploaded file is empty (0 bytes)"},
    "photo.too_large": {
        "zh": "照片太大:超过 {limit} MB 的上限;请压缩后再传",
        "en": "the photo is too large: over the limit of {limit} MB; compress it and try again",
    },
    "photo.not_an_image": {
        "zh": "上传的文件不是可识别的图片;请上传 JPEG、PNG、WebP 或 HEIC 照片",
        "en": "the uploaded file is not an image we can read; upload a JPEG, PNG, WebP or HEIC photo",
    },
    "photo.unsupported_format": {
        "zh": "不接受 {format} 格式;请上传 JPEG、PNG、WebP 或 HEIC 照片",
        "en": "{format} is not accepted; upload a JPEG, PNG, WebP or HEIC photo",
    },
    "photo.damaged": {
        "zh": "图片不完整或已损坏,无法解码;请重新拍摄或上传原图",
        "en": "the image is incomplete or damaged and cannot be decoded; take it again or upload the original",
    },
    "photo.too_many_pixels": {
        "zh": "图片尺寸过大:{width}×{height} 像素,超过 {limit} 百万像素的上限",
        "en": "the image is too large: {width}×{height} pixels, over the limit of {limit} megapixels",
    },
    "photo.bomb": {
        "zh": "图片声明的尺寸过大(超过 {limit} 百万像素的上限),已拒绝",
        "en": "the image declares too many pixels (over the limit of {limit} megapixels) and was refused",
    },
    "photo.unknown_role": {
        "zh": "未知的照片类型 {role};应为以下之一:{roles}",
        "en": "unknown photo role {role}; expected one of {roles}",
    },
    "photo.role_needs_problem": {
        "zh": "“{label}”照片须属于台账中的一个问题(请指定问题编号)",
        "en": "a “{label}” photo belongs to a problem of the ledger (name the problem)",
    },
    "photo.problem_roles": {
        "zh": "问题的照片只能是整改前、整改后或核查,不能是{role}",
        "en": "a problem's photo is before, after or check, not {role}",
    },
    "photo.no_problem": {
        "zh": "该地点的台账中没有编号为 {pid} 的问题",
        "en": "the place's ledger has no problem {pid}",
    },
    "photo.not_on_place": {
        "zh": "该地点没有编号为 {photo} 的照片(可能已被删除)",
        "en": "the place has no photo {photo} (it may have been removed)",
    },
    "photo.no_file": {"zh": "没有照片 {photo} 的文件", "en": "there is no file of photo {photo}"},
    "photo.bad_id": {
        "zh": "照片编号应为 64 位十六进制的 SHA-256 值",
        "en": "a photo id is the 64 hexadecimal digits of a SHA-256",
    },
    "photo.unknown_variant": {
        "zh": "没有 {variant} 这种照片尺寸;应为以下之一:{variants}",
        "en": "no photo size {variant}; expected one of {variants}",
    },
    "photo.bad_location": {
        "zh": "拍摄位置应为 WGS84 经纬度(经度 −180…180,纬度 −90…90)",
        "en": "the location is a WGS84 longitude and latitude (longitude −180…180, latitude −90…90)",
    },
    "photo.kept_busy": {
        "zh": "地点 {fid} 在保存照片期间被反复修改,照片未能登记;请稍后重试",
        "en": "place {fid} kept changing while the photo was being saved, so it was not recorded; try again shortly",
    },
    "photo.bad_list": {"zh": "应为照片条目的列表", "en": "expected a list of photo entries"},
    "photo.too_many": {"zh": "一个地点最多 {limit} 张照片", "en": "a place holds at most {limit} photos"},
    "photo.twice": {"zh": "照片 {photo} 列了两次", "en": "photo {photo} is listed twice"},
    "photo.unknown_field": {
        "zh": "照片条目没有 {field} 这一项;可有:{fields}",
        "en": "a photo entry has no field {field}; it has {fields}",
    },
    "photo.bad_number": {"zh": "应为不小于 {least} 的整数", "en": "expected a whole number of at least {least}"},
    "photo.unknown_type": {
        "zh": "未知的图片类型 {type};应为以下之一:{types}",
        "en": "unknown image type {type}; expected one of {types}",
    },
    "photo.unknown_location_source": {
        "zh": "拍摄位置的来源应为 device(设备定位)或 exif(照片自带)",
        "en": "a location's source is device (the device's position) or exif (from the photo)",
    },
    "photo.check_missing": {
        "zh": "照片 {photo} 的原图文件不存在",
        "en": "the original file of photo {photo} is missing",
    },
    "photo.check_damaged": {
        "zh": "照片 {photo} 的原图已损坏:内容与编号(SHA-256)不符",
        "en": "the original of photo {photo} is damaged: its content does not hash to its id (SHA-256)",
    },
    "photo.check_variant_missing": {
        "zh": "照片 {photo} 缺少 {variant} 尺寸的文件",
        "en": "photo {photo} has no {variant} file",
    },
    "photo.check_remedy": {
        "zh": "照片无法重建:请从备份中找回该照片的文件(restore 到新目录后复制 photos/ 下对应文件),或在该地点删除这张照片后重新上传",
        "en": "a photo cannot be rebuilt: take its files from a backup (restore into a new folder and copy them from "
              "photos/), or remove the photo from the place and upload it again",
    },
    "photo.check_sound": {
        "zh": "照片 {count} 张,文件完好(另有 {loose} 张已不在任何地点上,为历史保留,可回收)",
        "en": "{count} photos, their files whole ({loose} more no longer on any place, kept for the history, collectable)",
    },
    "photo.repair_cannot": {
        "zh": "{where}:{problem};修复无法凭空恢复照片,请从备份找回",
        "en": "{where}: {problem}; a repair cannot invent a photo: take it from a backup",
    },
    "photo.file_missing": {
        "zh": "照片 {photo} 的文件不存在;请先通过照片接口上传,再引用它",
        "en": "the file of photo {photo} does not exist; upload it through the photo API before naming it",
    },
    # --- OGC API – Features: query parameters, item bodies, preconditions (geo/features_query.py, web/ogc) --
    "ogc.unknown_parameter": {
        "zh": "不认识的查询参数;此请求接受:{allowed}",
        "en": "unknown query parameter; this request takes {allowed}",
    },
    "ogc.empty_parameter": {"zh": "参数为空:不需要时请直接省略", "en": "empty: leave the parameter out instead"},
    "ogc.whole_number": {
        "zh": "应为不小于 {minimum} 的整数,收到的是 {got}",
        "en": "expected a whole number ≥ {minimum}, got {got}",
    },
    "ogc.bbox_count": {
        "zh": "应为 4 个数字:西,南,东,北(或带高程的 6 个)",
        "en": "expected 4 numbers west,south,east,north (or 6 with heights)",
    },
    "ogc.bbox_numbers": {"zh": "应为数字,收到的是 {got}", "en": "expected numbers, got {got}"},
    "ogc.bbox_not_finite": {"zh": "NaN 和 Infinity 不是坐标", "en": "NaN and Infinity are not coordinates"},
    "ogc.bbox_latitudes": {
        "zh": "纬度须在 -90…90 之间,且南 ≤ 北",
        "en": "latitudes must lie in -90…90 with south ≤ north",
    },
    "ogc.bbox_longitudes": {"zh": "经度须在 -180…180 之间", "en": "longitudes must lie in -180…180"},
    "ogc.interval_slashes": {
        "zh": "时间区间的起止之间只有一个 '/'",
        "en": "an interval has one '/' between its start and end",
    },
    "ogc.interval_open": {"zh": "时间区间须有起点或终点", "en": "an interval needs a start or an end"},
    "ogc.interval_reversed": {"zh": "时间区间的终点早于起点", "en": "the interval ends before it starts"},
    "ogc.not_queryable": {"zh": "不能按这个属性筛选", "en": "not a property items can be filtered on"},
    "tiles.bad_zoom": {"zh": "缩放级别须为 0–{max} 的整数", "en": "the zoom must be a whole number from 0 to {max}"},
    "tiles.bad_tile": {"zh": "缩放级别 {z} 的瓦片行列号须在 0–{n} 之间", "en": "at zoom {z} a tile's column and row are 0 to {n}"},
    "ogc.unknown_format": {"zh": "未知的格式 {got};请用 json 或 html", "en": "unknown format {got}; use json or html"},
    "ogc.tiles_format": {"zh": "切片接口只提供 {allowed} 格式,收到的是 {got}", "en": "the tiles answer in {allowed} only, got {got}"},
    "ogc.unknown_tile_matrix_set": {
        "zh": "没有名为 {got} 的切片矩阵集;本服务提供:{known}",
        "en": "no tile matrix set {got}; this service offers {known}",
    },
    "ogc.service_title": {"zh": "OGC API(要素与矢量切片)", "en": "OGC API – Features and Tiles"},
    "ogc.campaign_service": {"zh": "{campaign} · OGC API(要素与矢量切片)", "en": "{campaign} · OGC API – Features and Tiles"},
    "ogc.as_format": {"zh": "{noun}({format})", "en": "{noun} as {format}"},
    "ogc.noun_document": {"zh": "本文档", "en": "this document"},
    "ogc.noun_landing": {"zh": "首页", "en": "the landing page"},
    "ogc.noun_conformance": {"zh": "符合的标准类", "en": "the conformance classes"},
    "ogc.noun_layers": {"zh": "图层列表", "en": "the layers"},
    "ogc.noun_layer": {"zh": "图层“{title}”", "en": "the layer {title}"},
    "ogc.noun_queryables": {"zh": "可筛选字段", "en": "the queryables"},
    "ogc.noun_place": {"zh": "本地点", "en": "this place"},
    "ogc.noun_page": {"zh": "本页", "en": "this page"},
    "ogc.link_next": {"zh": "下一页", "en": "next page"},
    "ogc.link_prev": {"zh": "上一页", "en": "previous page"},
    "ogc.link_api_definition": {"zh": "API 定义(OpenAPI 3.0)", "en": "the API definition (OpenAPI 3.0)"},
    "ogc.link_api_doc": {"zh": "API 说明文档", "en": "the API documentation"},
    "ogc.link_layers": {"zh": "作战图的图层", "en": "the campaign's layers"},
    "ogc.link_tiling_schemes": {"zh": "矢量切片的切片方案", "en": "the tile matrix sets of the vector tiles"},
    "ogc.link_tile_matrix_sets": {"zh": "切片方案列表", "en": "the tile matrix sets"},
    "ogc.link_queryables": {"zh": "可筛选的属性", "en": "properties to filter on"},
    "ogc.link_schema": {"zh": "地点的数据结构(JSON Schema)", "en": "the schema of the places"},
    "ogc.link_gml_schema": {"zh": "地点的 GML 应用模式", "en": "the places as a GML application schema"},
    "ogc.link_layer": {"zh": "所属图层", "en": "the layer"},
    "ogc.tileset_title": {"zh": "{title} · 矢量切片(MVT)", "en": "{title} · vector tiles (MVT)"},
    "ogc.tile_outside": {
        "zh": "缩放级别 {z} 的这块切片(行 {row},列 {col})在图层范围之外;该级别的切片行 {rows}、列 {cols}",
        "en": "at zoom {z} this tile (row {row}, column {col}) lies outside the layer; its tiles are rows {rows}, columns {cols}",
    },
    "ogc.tile_field_id": {"zh": "地点编号", "en": "the place's id"},
    "ogc.tile_field_count": {"zh": "该像素内的地点数(多于一处时)", "en": "places in this pixel (when more than one)"},
    "ogc.tms_title": {"zh": "Web 墨卡托四叉树(WebMercatorQuad,EPSG:3857)", "en": "Web Mercator quadtree (WebMercatorQuad, EPSG:3857)"},
    "db.boxes_misaligned": {
        "zh": "图层 {layer} 的地点范围读取不一致({places} 处地点,{numbers} 个数值),请检查数据库中的图形",
        "en": "the boxes of layer {layer} came back misaligned ({places} places, {numbers} numbers): check its geometries",
    },
    "ogc.body_media_type": {
        "zh": "要素须以 JSON 发送({media}),不能是 {got}",
        "en": "send the feature as JSON ({media}), not {got}",
    },
    "ogc.body_not_json": {"zh": "请求体不是 JSON:{detail}", "en": "the body is not JSON: {detail}"},
    "ogc.stale": {
        "zh": "{fid}({name})现为第 {version} 版,由 {user} 于 {at} 保存;你的编辑基于第 {yours} 版。未写入任何内容:"
              "请重新读取(其 ETag 为 \"{etag}\")后重试。",
        "en": "{fid} ({name}) is at version {version}, saved by {user} at {at}; your edit started from version {yours}. "
              "Nothing was written: read it again (its ETag is \"{etag}\") and retry.",
    },
    "precondition.if_match_missing": {
        "zh": "{fid}:请用 If-Match 发送读取时得到的 ETag(例如 If-Match: \"{fid}-v3\");不说明基于哪一版的写入一律拒绝",
        "en": "{fid}: send If-Match with the ETag you read (e.g. If-Match: \"{fid}-v3\"); a write that does not say "
              "which version it started from is refused",
    },
    "precondition.foreign_etag": {
        "zh": "{fid}:If-Match {tag} 不是这个地点的任何一版(它的 ETag 形如 \"{fid}-v3\");请重新读取后重试",
        "en": "{fid}: If-Match {tag} does not name a version of this item (its ETags look like \"{fid}-v3\"); "
              "read it again and retry",
    },
    "feature.replacement_needs_geometry": {
        "zh": "缺少几何:替换须是完整的要素,包括几何",
        "en": "missing: a replacement is the whole feature, geometry included",
    },
    "feature.patch_not_object": {
        "zh": "应为 JSON 对象(要素的合并补丁)",
        "en": "expected a JSON object (a merge patch of the feature)",
    },
    "feature.geometry_not_removable": {
        "zh": "不能删除几何:每个地点都须有几何图形",
        "en": "cannot be removed: every place needs a geometry",
    },
    "feature.id_changed": {
        "zh": "请求体写的是 {body},网址是 {url};编号不能更改",
        "en": "the body names {body}, the URL {url}; an id cannot change",
    },
    "request.nul": {"zh": "参数不能含有空字符(NUL)", "en": "a parameter may not contain a NUL character"},
    "request.type_string": {"zh": "文本", "en": "text"},
    "request.type_integer": {"zh": "整数", "en": "a whole number"},
    "request.type_number": {"zh": "数字", "en": "a number"},
    "request.type_boolean": {"zh": "true 或 false", "en": "true or false"},
    "request.type_object": {"zh": "对象", "en": "an object"},
    "request.type_array": {"zh": "数组", "en": "an array"},
    "request.or": {"zh": "或", "en": " or "},
    "request.list": {"zh": "、", "en": ", "},
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

    # --- problem documents: the title of each kind of error (geo/problems.py), yes/no text (geo/parsing.py)
    "problem.bad_request": {"zh": "请求无法读取", "en": "the request cannot be read"},
    "problem.bad_parameter": {"zh": "参数有误", "en": "a parameter is wrong"},
    "problem.unauthorized": {"zh": "需要登录或凭据无效", "en": "authentication required or credentials invalid"},
    "problem.login_refused": {"zh": "登录被拒绝", "en": "login refused"},
    "problem.forbidden": {"zh": "无权进行此操作", "en": "not allowed"},
    "problem.not_found": {"zh": "未找到", "en": "not found"},
    "problem.method_not_allowed": {"zh": "不支持此请求方法", "en": "method not allowed"},
    "problem.not_acceptable": {"zh": "无法提供所要求的格式", "en": "no representation the client accepts"},
    "problem.conflict": {"zh": "版本冲突:读取之后已被他人修改", "en": "conflict: changed since it was read"},
    "problem.copy_refused": {"zh": "拒绝复制:目标不是空的", "en": "copy refused: the target is not empty"},
    "problem.case_step": {"zh": "案件当前阶段不能进行此步骤", "en": "not a step the case's stage allows"},
    "problem.precondition_failed": {"zh": "版本不符(If-Match)", "en": "precondition failed (If-Match)"},
    "problem.request_entity_too_large": {"zh": "请求内容过大", "en": "request too large"},
    "problem.unsupported_media_type": {"zh": "不支持的内容类型", "en": "unsupported media type"},
    "problem.invalid": {"zh": "内容不符合规则", "en": "the content breaks a rule"},
    "problem.precondition_required": {"zh": "缺少版本前提(If-Match)", "en": "precondition required (If-Match)"},
    "problem.too_many_attempts": {"zh": "尝试次数过多", "en": "too many attempts"},
    "problem.internal": {"zh": "服务器内部错误", "en": "internal server error"},
    "problem.font_missing": {"zh": "缺少中文字体", "en": "a Chinese font is missing"},
    "problem.bad_gateway": {"zh": "上游服务出错", "en": "the upstream server failed"},
    "problem.busy": {"zh": "系统繁忙,请稍后再试", "en": "busy, try again shortly"},
    "problem.broken_layer": {"zh": "图层文件损坏", "en": "a layer file is damaged"},
    "problem.broken_boundary": {"zh": "区划文件损坏", "en": "a boundary file is damaged"},
    "problem.broken_record": {"zh": "记录损坏", "en": "a record is damaged"},
    "problem.journal_damaged": {"zh": "变更日志损坏", "en": "the change journal is damaged"},
    "problem.store_unavailable": {"zh": "数据库暂时不可用", "en": "the database is unavailable"},
    "problem.gateway_timeout": {"zh": "上游服务超时", "en": "the upstream server timed out"},
    "problem.disk_full": {"zh": "磁盘已满", "en": "the disk is full"},
    "problem.other": {"zh": "请求未能完成(HTTP {status})", "en": "the request failed (HTTP {status})"},
    # the pages' scripts: a request that got no answer, or an answer without words of its own
    "net.unreachable": {"zh": "连不上服务器", "en": "the server cannot be reached"},
    "net.http_status": {"zh": "请求未能完成(HTTP {status})", "en": "the request failed (HTTP {status})"},
    "problem.http_detail": {
        "zh": "{title}(请求的地址:{path})",
        "en": "{title} (the address asked: {path})",
    },
    "parsing.bool_invalid": {
        "zh": "应为是或否(可写作 {expected}),收到的是 {value}",
        "en": "expected yes or no (written {expected}), got {value}",
    },

    # --- route declarations (web/core/routes.py) ------------------------------------------
    "routes.undeclared": {
        "zh": "此地址未声明访问权限,已拒绝。",
        "en": "this address declares no access rule and is refused",
    },

    # --- pages: sign-in, account and administration (web/templates) --------------------------------
    "page.site": {"zh": "挂图", "en": "Guatu"},
    "page.login.title": {"zh": "登录", "en": "Sign in"},
    "page.login.subtitle": {"zh": "挂图作战 · 请登录", "en": "Campaign wall map · please sign in"},
    "page.username": {"zh": "用户名", "en": "User name"},
    "page.password": {"zh": "密码", "en": "Password"},
    "page.nav.wall": {"zh": "作战图", "en": "Wall map"},
    "page.nav.account": {"zh": "我的账户", "en": "My account"},
    "page.nav.admin": {"zh": "账户管理", "en": "Accounts"},
    "page.nav.logout": {"zh": "退出登录", "en": "Sign out"},
    "page.user_role": {"zh": "{name}（{role}）", "en": "{name} ({role})"},
    "page.token.never": {"zh": "从未", "en": "never"},
    "page.token.revoked": {"zh": "已吊销 {at}", "en": "revoked {at}"},
    "page.token.valid": {"zh": "有效", "en": "valid"},
    "page.token.revoke": {"zh": "吊销", "en": "Revoke"},
    "page.account.change_password": {"zh": "修改密码", "en": "Change password"},
    "page.account.current_password": {"zh": "当前密码", "en": "Current password"},
    "page.account.new_password": {"zh": "新密码(至少10位)", "en": "New password (at least 10 characters)"},
    "page.account.confirm": {"zh": "再输一次", "en": "Once more"},
    "page.account.tokens": {"zh": "我的 API 令牌", "en": "My API tokens"},
    "page.account.tokens_help": {
        "zh": "供脚本和 QGIS 等程序使用(Authorization: Bearer …),权限与您的账户相同。",
        "en": "For scripts and programs such as QGIS (Authorization: Bearer …), with your account's rights.",
    },
    "page.col.id": {"zh": "编号", "en": "ID"},
    "page.col.purpose": {"zh": "用途", "en": "Purpose"},
    "page.col.created": {"zh": "创建于", "en": "Created"},
    "page.col.last_used": {"zh": "最近使用", "en": "Last used"},
    "page.col.state": {"zh": "状态", "en": "State"},
    "page.col.user": {"zh": "用户", "en": "User"},
    "page.col.name": {"zh": "姓名", "en": "Name"},
    "page.col.role": {"zh": "角色", "en": "Role"},
    "page.account.token_placeholder": {"zh": "张三电脑上的 QGIS", "en": "QGIS on Zhang San's computer"},
    "page.account.new_token": {"zh": "新建令牌", "en": "New token"},
    "page.admin.users": {"zh": "用户", "en": "Users"},
    "page.admin.reset_password": {"zh": "重置密码", "en": "Reset password"},
    "page.admin.role_of": {"zh": "{user} 的角色", "en": "role of {user}"},
    "page.admin.disabled": {"zh": "已停用", "en": "disabled"},
    "page.admin.active": {"zh": "正常", "en": "active"},
    "page.admin.enable": {"zh": "启用", "en": "Enable"},
    "page.admin.disable": {"zh": "停用", "en": "Disable"},
    "page.admin.new_password_of": {"zh": "{user} 的新密码", "en": "new password of {user}"},
    "page.admin.reset": {"zh": "重置", "en": "Reset"},
    "page.admin.new_user": {"zh": "新建用户", "en": "New user"},
    "page.admin.name_shown": {"zh": "姓名(显示在修改记录中)", "en": "Name (shown in the change history)"},
    "page.admin.create": {"zh": "创建", "en": "Create"},
    "page.admin.api_tokens": {"zh": "API 令牌", "en": "API tokens"},
    "page.admin.no_api_tokens": {
        "zh": "还没有 API 令牌;用户在\"我的账户\"中自己创建。",
        "en": "No API tokens yet; users create their own under \"My account\".",
    },
    "page.admin.display_links": {"zh": "大屏显示链接", "en": "Display links"},
    "page.admin.display_help": {
        "zh": "只读链接,打开一幅作战图,无需登录;适合指挥中心的大屏。链接丢失或泄露时吊销即可。",
        "en": "Read-only links that open a wall map without signing in, for the command centre's screens. "
              "Revoke a link that is lost or leaked.",
    },
    "page.admin.link_name": {"zh": "名称", "en": "Name"},
    "page.admin.link_page": {"zh": "打开的页面", "en": "Page it opens"},
    "page.admin.new_display": {"zh": "新建显示链接", "en": "New display link"},
    "page.admin.display_photos": {"zh": "显示照片缩略图", "en": "Show photo thumbnails"},
    "page.admin.display_photos_on": {"zh": "含照片", "en": "with photos"},
    "page.admin.display_placeholder": {"zh": "指挥中心大屏1", "en": "Command centre screen 1"},
    "page.admin.page": {"zh": "页面", "en": "Page"},
    "page.admin.recent_changes": {"zh": "最近的修改", "en": "Recent changes"},
    "page.col.seq": {"zh": "序号", "en": "Seq"},
    "page.col.time": {"zh": "时间", "en": "Time"},
    "page.col.editor": {"zh": "修改人", "en": "Changed by"},
    "page.col.op": {"zh": "操作", "en": "Action"},
    "page.col.layer": {"zh": "图层", "en": "Layer"},
    "page.op.create": {"zh": "新增", "en": "added"},
    "page.op.update": {"zh": "修改", "en": "changed"},
    "page.op.delete": {"zh": "删除", "en": "deleted"},
    "page.admin.no_changes": {"zh": "还没有修改。", "en": "No changes yet."},
    "page.secret.display_title": {"zh": "显示链接", "en": "Display link"},
    "page.secret.new_display": {"zh": "新的大屏显示链接:{name}", "en": "New display link: {name}"},
    "page.secret.new_token": {"zh": "新的 API 令牌:{name}", "en": "New API token: {name}"},
    "page.secret.once": {
        "zh": "只显示这一次,请立即复制保存。服务器只保存它的摘要,丢失后只能吊销并重新创建。",
        "en": "Shown this once: copy it now. The server keeps only its digest; a lost one can only be revoked and made again.",
    },
    "page.secret.open_on_screen": {"zh": "在大屏的浏览器中打开:", "en": "Open in the screen's browser:"},
    "page.secret.send_bearer": {
        "zh": "在请求中发送 Authorization: Bearer …",
        "en": "Send in requests as Authorization: Bearer …",
    },
    "page.secret.done": {"zh": "完成,返回", "en": "Done, go back"},
    # --- daily random inspections (geo/inspections.py, web/workflow/inspections.py) ----------------
    "inspections.bad_count": {
        "zh": "应为 1 到 {maximum} 之间的整数",
        "en": "expected a whole number from 1 to {maximum}",
    },
    "inspections.bad_seed": {"zh": "应为不小于 0 的整数", "en": "expected a whole number, 0 or more"},
    "inspections.list_exists": {
        "zh": "{day} 的督导清单已存在（随机种子 {seed}）；如需重新抽取，请选择替换",
        "en": "the inspection list of {day} already exists (seed {seed}); ask to replace it to draw again",
    },
    "inspections.list_has_results": {
        "zh": "{day} 的督导清单已有督导结果，不能重新抽取",
        "en": "the inspection list of {day} already has results; it cannot be drawn again",
    },
    "inspections.no_list": {"zh": "{day} 还没有督导清单", "en": "there is no inspection list for {day}"},
    "inspections.not_listed": {
        "zh": "{fid} 不在 {day} 的督导清单上",
        "en": "{fid} is not on the inspection list of {day}",
    },
    "inspections.already_inspected": {
        "zh": "{fid} 已于 {day} 由 {inspector} 督导过",
        "en": "{fid} was already inspected on {day} by {inspector}",
    },
    "inspections.category_needed": {"zh": "请选择发现的问题类别", "en": "say what kind of problem was found"},
    "inspections.whole_number": {"zh": "应为整数", "en": "expected a whole number"},
    "inspections.route_map_format": {
        "zh": "路线图只有 .pdf 或 .png，没有 .{fmt}",
        "en": "the route map is a .pdf or a .png, not .{fmt}",
    },
    "inspections.route_map_title": {"zh": "每日随机督导路线图 {day}", "en": "daily random inspection route {day}"},
    "inspections.route_map_file": {"zh": "督导路线图-{day}.{fmt}", "en": "inspection-route-{day}.{fmt}"},
    # --- inspections recorded from a phone, perhaps after being offline (geo/inspections.py, web/field) ----------
    "inspections.bad_client_id": {
        "zh": "设备编号应为 8–64 位字母、数字、- 或 _",
        "en": "a device id is 8 to 64 letters, digits, - or _",
    },
    "inspections.changed_meanwhile": {
        "zh": "离线期间地点已被修改:{by} 于 {at} 改为第 {version} 版(督导时看到第 {seen} 版);督导结果已记录,未覆盖其修改",
        "en": "the place changed while offline: {by} saved version {version} at {at} (the inspector saw version {seen}); "
              "the result is recorded and their change kept",
    },
    # --- pages: the OGC API's HTML (web/templates/ogc) ---------------------------------------------
    "page.ogc.layers": {"zh": "图层", "en": "Layers"},
    "page.ogc.conformance": {"zh": "一致性", "en": "Conformance"},
    "page.ogc.api": {"zh": "接口文档", "en": "API definition"},
    "page.ogc.other_formats": {"zh": "其他格式:", "en": "Other formats:"},
    "page.ogc.paging": {"zh": "分页", "en": "Pages"},
    "page.ogc.prev": {"zh": "← 上一页", "en": "← Previous"},
    "page.ogc.next": {"zh": "下一页 →", "en": "Next →"},
    "page.ogc.openapi_json": {"zh": "机器可读的 OpenAPI 3.0 文档:", "en": "The OpenAPI 3.0 document, for programs:"},
    "page.ogc.method": {"zh": "方法", "en": "Method"},
    "page.ogc.path": {"zh": "路径", "en": "Path"},
    "page.ogc.summary": {"zh": "说明", "en": "Description"},
    "page.ogc.item_type": {"zh": "要素类型", "en": "Item type"},
    "page.ogc.crs": {"zh": "坐标系", "en": "CRS"},
    "page.ogc.spatial_extent": {"zh": "空间范围", "en": "Spatial extent"},
    "page.ogc.temporal_extent": {"zh": "更新时间范围", "en": "Updated between"},
    "page.ogc.links": {"zh": "链接", "en": "Links"},
    "page.ogc.extent_lonlat": {"zh": "范围(经纬度)", "en": "Extent (longitude, latitude)"},
    "page.ogc.data": {"zh": "数据", "en": "Data"},
    "page.ogc.place_list": {"zh": "地点列表", "en": "List of places"},
    "page.ogc.conformance_classes": {"zh": "一致性类", "en": "Conformance classes"},
    "page.ogc.item_heading": {"zh": "({layer} {id},第 {version} 版)", "en": "({layer} {id}, version {version})"},
    "page.ogc.kind": {"zh": "类型", "en": "Kind"},
    "page.ogc.status": {"zh": "整改状态", "en": "Status"},
    "page.ogc.street": {"zh": "街道", "en": "Sub-district"},
    "page.ogc.community": {"zh": "社区", "en": "Community"},
    "page.ogc.deadline": {"zh": "时间节点", "en": "Deadline"},
    "page.ogc.unit": {"zh": "责任单位", "en": "Responsible unit"},
    "page.ogc.notes": {"zh": "备注", "en": "Notes"},
    "page.ogc.geometry": {"zh": "几何", "en": "Geometry"},
    "page.ogc.last_change": {"zh": "最后修改", "en": "Last changed"},
    "page.ogc.ledger": {"zh": "问题台账", "en": "Problem ledger"},
    "page.ogc.category": {"zh": "类别", "en": "Category"},
    "page.ogc.description": {"zh": "描述", "en": "Description of the problem"},
    "page.ogc.found_on": {"zh": "发现日期", "en": "Found on"},
    "page.ogc.found_by": {"zh": "发现方式", "en": "Found by"},
    "page.ogc.problem_deadline": {"zh": "整改时限", "en": "Fix by"},
    "page.ogc.responsible": {"zh": "责任人", "en": "Responsible"},
    "page.ogc.closed_on": {"zh": "销号日期", "en": "Closed on"},
    "page.ogc.places": {"zh": "地点", "en": "Places"},
    "page.ogc.range": {
        "zh": "第 {first}–{last} 处,共 {matched} 处 · 数据时间 {stamp}",
        "en": "{first}–{last} of {matched} · data as of {stamp}",
    },
    "page.ogc.updated": {"zh": "更新", "en": "Updated"},
    "page.ogc.no_places": {"zh": "没有符合条件的地点。", "en": "No place matches."},
    "page.ogc.landing_help": {
        "zh": "GIS 软件(QGIS、ArcGIS Pro、GDAL)可按 OGC API – Features 标准读取和编辑本作战图的图层:"
              "在 QGIS 中选 {menu},地址填 {url}。各图层另有矢量切片(OGC API – Tiles,MVT),见图层页的链接。",
        "en": "GIS software (QGIS, ArcGIS Pro, GDAL) reads and edits this map's layers through OGC API – Features: "
              "in QGIS choose {menu} and give the address {url}. Each layer also comes as vector tiles (OGC API – Tiles, "
              "MVT): see the links on its page.",
    },
    "page.ogc.qgis_menu": {
        "zh": "图层 → 添加图层 → 添加 WFS / OGC API - Features 图层",
        "en": "Layer → Add Layer → Add WFS / OGC API - Features Layer",
    },
    "page.ogc.queryables": {"zh": "可筛选字段", "en": "Queryables"},
    "page.ogc.queryables_help": {
        "zh": "作为查询参数使用,逗号分隔表示“任一”:例如 {example}。",
        "en": "Use them as query parameters; commas mean \"any of\": for example {example}.",
    },
    "page.ogc.parameter": {"zh": "参数", "en": "Parameter"},
    "page.ogc.meaning": {"zh": "含义", "en": "Meaning"},
    "page.ogc.values": {"zh": "取值", "en": "Values"},
    # --- pages: inspections, my places, daily report (web/templates) -------------------------------
    "page.wf.wall": {"zh": "挂图", "en": "Wall map"},
    "page.wf.inspections": {"zh": "每日督导", "en": "Daily inspections"},
    "page.wf.mine": {"zh": "我的点位", "en": "My places"},
    "page.wf.report": {"zh": "日报", "en": "Daily report"},
    "page.report.title": {"zh": "日报 {day}", "en": "Daily report {day}"},
    "page.report.playback": {"zh": "进度回放(截至本日 30 天)", "en": "Progress playback (30 days to this day)"},
    "page.report.compare": {"zh": "整治前后对比", "en": "Before and after"},
    "page.report.as_of": {"zh": "{day} · 数据截至 {as_of}", "en": "{day} · data as of {as_of}"},
    "page.date": {"zh": "日期", "en": "Date"},
    "page.show": {"zh": "查看", "en": "Show"},
    "page.report.excel": {"zh": "下载日报 Excel", "en": "Download the report (Excel)"},
    "page.report.pdf": {"zh": "下载日报 PDF", "en": "Download the report (PDF)"},
    "page.report.places": {
        "zh": "点位 {places} 处,已完成 {done} 处,完成率 {share}%",
        "en": "{places} places, {done} done, {share}% done",
    },
    "page.report.problems": {
        "zh": "当日新增问题 {opened} 个,销号 {closed} 个",
        "en": "{opened} problems found that day, {closed} closed",
    },
    "page.report.late": {
        "zh": "逾期 {overdue} 项,过夜 {overnight} 项,反弹点位 {relapsed} 处",
        "en": "{overdue} overdue, {overnight} overnight, {relapsed} places relapsed",
    },
    "page.report.inspected": {
        "zh": "每日随机督导:清单 {listed} 处,已督导 {inspected} 处",
        "en": "Daily random inspection: {listed} places listed, {inspected} inspected",
    },
    "page.report.progress": {"zh": "进度", "en": "Progress"},
    "page.mine.heading": {"zh": "我的点位(四包一)", "en": "My places (four-in-one duty)"},
    "page.mine.person": {"zh": "责任人", "en": "Person"},
    "page.mine.or_unit": {"zh": "或责任单位", "en": "or unit"},
    "page.mine.ask": {"zh": "请输入责任人姓名或责任单位。", "en": "Enter a person's name or a unit."},
    "page.mine.shown": {"zh": "第 {first}–{last} 处(共 {count} 处)", "en": "places {first}–{last} of {count}"},
    "page.mine.count": {
        "zh": "共 {count} 处,其中逾期 {overdue} 处、过夜 {overnight} 处。按紧急程度排列:逾期、过夜、时限最近。",
        "en": "{count} places, {overdue} overdue and {overnight} overnight. Most urgent first: overdue, overnight, nearest deadline.",
    },
    "page.mine.place": {"zh": "地点", "en": "Place"},
    "page.mine.where": {"zh": "街道 / 社区", "en": "Sub-district / community"},
    "page.mine.next_deadline": {"zh": "最近时限", "en": "Next deadline"},
    "page.mine.open_problems": {"zh": "未销号问题", "en": "Open problems"},
    "page.tag.overdue": {"zh": "逾期", "en": "overdue"},
    "page.tag.overnight": {"zh": "过夜", "en": "overnight"},
    "page.mine.unit": {"zh": "责任单位", "en": "responsible unit"},
    "page.mine.days_left": {"zh": "还有 {days} 天", "en": "{days} days left"},
    "page.mine.days_past": {"zh": "已过 {days} 天", "en": "{days} days past"},
    "page.problem_due": {"zh": "(限 {deadline})", "en": " (by {deadline})"},
    "page.mine.none": {"zh": "没有找到这位责任人或单位负责的点位。", "en": "No place found for this person or unit."},
    "page.insp.title": {"zh": "每日随机督导 {day}", "en": "Daily random inspection {day}"},
    "page.insp.heading": {"zh": "每日随机地点督导", "en": "Daily random inspection of places"},
    "page.insp.lists": {"zh": "已有清单:", "en": "Lists so far:"},
    "page.insp.count": {"zh": "点位数", "en": "Places"},
    "page.insp.seed": {"zh": "随机种子(可选)", "en": "Random seed (optional)"},
    "page.insp.auto": {"zh": "自动", "en": "automatic"},
    "page.insp.redraw": {"zh": "重新抽取", "en": "Draw again"},
    "page.insp.draw": {"zh": "生成当日督导清单", "en": "Draw the day's list"},
    "page.insp.meta": {
        "zh": "共 {count} 处 · 随机种子 {seed} · 生成 {by} {at}",
        "en": "{count} places · seed {seed} · drawn by {by} {at}",
    },
    "page.insp.weights": {
        "zh": "· 权重:基础 {base},近{days}天完成 +{done},逾期 +{overdue},曾反弹 +{relapsed}",
        "en": "· weights: base {base}, done in the last {days} days +{done}, overdue +{overdue}, relapsed before +{relapsed}",
    },
    "page.insp.print": {"zh": "打印路线单", "en": "Print the route sheet"},
    "page.insp.route_pdf": {"zh": "路线图(PDF)", "en": "Route map (PDF)"},
    "page.insp.duty": {"zh": "四包一", "en": "Four-in-one duty"},
    "page.insp.result": {"zh": "督导结果", "en": "Result"},
    "page.insp.problem": {"zh": "· 问题 {id}", "en": "· problem {id}"},
    "page.insp.fixed_tag": {"zh": "· 立行立改", "en": "· fixed on the spot"},
    "page.insp.result_label": {"zh": "结果", "en": "Result of the inspection"},
    "page.insp.category": {"zh": "问题类别", "en": "Kind of problem"},
    "page.insp.category_choice": {"zh": "(问题类别)", "en": "(kind of problem)"},
    "page.insp.notes": {"zh": "情况说明", "en": "What was found"},
    "page.insp.fixed": {"zh": "立行立改(当场整改完毕)", "en": "Fixed on the spot"},
    "page.insp.record": {"zh": "记录", "en": "Record"},
    "page.insp.rules": {
        "zh": "发现问题或反弹时新增台账问题,发现方式为「{source}」,次日早上仍未销号即为「过夜」(问题不过夜)。",
        "en": "A problem or relapse adds a ledger problem found by \"{source}\"; one still open the next morning is \"overnight\".",
    },
    "page.insp.no_list": {"zh": "{day} 还没有督导清单。", "en": "No inspection list for {day} yet."},
    "page.insp.changed_tag": {"zh": "离线期间地点已被修改", "en": "Place changed while offline"},
    "page.insp.field_link": {"zh": "手机现场督导", "en": "On a phone, in the field"},
    "page.field.title": {"zh": "现场督导 {day}", "en": "Field inspection {day}"},
    "page.field.heading": {"zh": "现场督导", "en": "Field inspection"},
    "page.field.desk": {"zh": "督导清单", "en": "The desk list"},
    "page.field.map": {"zh": "今日督导路线图", "en": "Map of today's route"},
    "page.field.noscript": {
        "zh": "现场督导页需要浏览器启用 JavaScript;也可在电脑上用「督导清单」页记录结果。",
        "en": "The field page needs JavaScript; the desk list page records results too.",
    },
    # --- pages: import, export, history of a place (web/templates) ---------------------------------
    "page.export.title": {"zh": "导出", "en": "Export"},
    "page.export.heading": {"zh": "导出数据", "en": "Export data"},
    "page.export.help": {
        "zh": "整个图层或按条件筛选的地点,导出为 GeoJSON、GeoPackage、Shapefile(.zip)、KML,或台账 Excel。",
        "en": "A whole layer, or the places a filter keeps, as GeoJSON, GeoPackage, Shapefile (.zip), KML or the ledger workbook (Excel).",
    },
    "page.export.format": {"zh": "格式", "en": "Format"},
    "page.export.statuses": {"zh": "状态(可多选,留空为全部)", "en": "Statuses (several allowed; none: all)"},
    "page.export.all": {"zh": "全部", "en": "all"},
    "page.export.download": {"zh": "下载", "en": "Download"},
    "page.history.title": {"zh": "{name} · 修改记录", "en": "{name} · history"},
    "page.back_to_editor": {"zh": "← 返回编辑", "en": "← Back to the editor"},
    "page.history.heading": {"zh": "({layer} {id},当前第 {version} 版)", "en": "({layer} {id}, now version {version})"},
    "page.history.none": {
        "zh": "这处地点还没有修改记录(它在记录开始前就已存在)。",
        "en": "This place has no recorded changes (it existed before the record began).",
    },
    "page.history.version": {"zh": "第 {version} 版 · {op}", "en": "version {version} · {op}"},
    "page.history.created": {"zh": "新建", "en": "created"},
    "page.history.field": {"zh": "字段", "en": "Field"},
    "page.history.before": {"zh": "修改前", "en": "Before"},
    "page.history.after": {"zh": "修改后", "en": "After"},
    "page.history.no_fields": {"zh": "没有字段变化。", "en": "No field changed."},
    "page.history.revert": {"zh": "恢复到这一版", "en": "Restore this version"},
    "page.import.title": {"zh": "导入", "en": "Import"},
    "page.import.heading": {"zh": "导入数据", "en": "Import data"},
    "page.import.help": {
        "zh": "支持 GeoJSON、GeoPackage、KML/KMZ、压缩的 Shapefile(.zip)以及导出的台账 "
              "Excel(.xlsx)。任何坐标系都会转换为 WGS84;先生成预览报告,确认后才写入,且要么全部写入、要么一处也不写。",
        "en": "GeoJSON, GeoPackage, KML/KMZ, zipped Shapefile (.zip) and the exported ledger workbook (.xlsx). Any coordinate "
              "system is converted to WGS84; a preview comes first, and on confirmation everything is written or nothing.",
    },
    "page.import.file": {"zh": "文件", "en": "File"},
    "page.import.encoding": {
        "zh": "Shapefile 属性编码(无 .cpg 时)",
        "en": "Shapefile attribute encoding (without a .cpg)",
    },
    "page.import.auto": {"zh": "自动识别", "en": "detect"},
    "page.import.gcj02": {
        "zh": "坐标为 GCJ-02(在高德地图上采集),转换为 WGS84",
        "en": "Coordinates are GCJ-02 (taken on AMap): convert to WGS84",
    },
    "page.import.repair": {
        "zh": "自动修复无效图形(make_valid),否则拒绝",
        "en": "Repair invalid shapes (make_valid) instead of refusing them",
    },
    "page.import.preview": {"zh": "生成预览", "en": "Preview"},
    "page.import.result": {"zh": "导入结果", "en": "Import result"},
    "page.import.not_imported": {"zh": "未导入", "en": "Not imported"},
    "page.import.done": {"zh": "导入完成", "en": "Imported"},
    "page.import.done_counts": {
        "zh": "新增 {added} 处,修改 {changed} 处(数据版本 {revision})。",
        "en": "{added} added, {changed} changed (revision {revision}).",
    },
    "page.import.again": {"zh": "继续导入", "en": "Import another file"},
    "page.import.back": {"zh": "返回编辑", "en": "Back to the editor"},
    "page.import.preview_title": {"zh": "导入预览", "en": "Import preview"},
    "page.import.unchanged": {"zh": "无变化", "en": "unchanged"},
    "page.import.reject": {"zh": "拒绝", "en": "rejected"},
    "page.import.preview_heading": {"zh": "导入预览:{file} → {layer}", "en": "Import preview: {file} → {layer}"},
    "page.import.counts": {
        "zh": "新增 {add} 处,修改 {change} 处,无变化 {unchanged} 处,拒绝 {reject} 处;图层中另有 {absent} 处不在文件里,保持不变。",
        "en": "{add} to add, {change} to change, {unchanged} unchanged, {reject} rejected;"
              " {absent} places of the layer are not in the file and stay as they are.",
    },
    "page.import.outcome": {"zh": "结果", "en": "Outcome"},
    "page.import.where": {"zh": "位置", "en": "Where"},
    "page.import.changed_fields": {"zh": "修改:{fields}", "en": "changes: {fields}"},
    "page.import.skip": {
        "zh": "跳过被拒绝的 {count} 处,只导入其余的",
        "en": "Skip the {count} rejected and import the rest",
    },
    "page.import.skip_help": {
        "zh": "不勾选时,有被拒绝的地点就不会导入任何内容。",
        "en": "Unticked, one rejected place means nothing is imported.",
    },
    "page.import.confirm": {"zh": "确认导入", "en": "Import"},
    "page.import.nothing": {"zh": "没有可导入的内容。", "en": "Nothing to import."},
    "page.import.choose_again": {"zh": "重新选择文件", "en": "Choose another file"},
    # --- accounts, sessions, tokens, display links --------------------------------------
    "role.viewer": {"zh": "查看", "en": "viewer"},
    "role.inspector": {"zh": "督导员", "en": "inspector"},
    "role.editor": {"zh": "编辑", "en": "editor"},
    "role.admin": {"zh": "管理", "en": "admin"},
    "accounts.no_user": {"zh": "没有用户 {user}", "en": "no user {user}"},
    "accounts.bad_username": {
        "zh": "用户名须为 2–32 个字母、数字、'.'、'_' 或 '-'",
        "en": "2–32 letters, digits, '.', '_' or '-'",
    },
    "accounts.bad_name": {"zh": "须为 1–64 个字符", "en": "1–64 characters"},
    "accounts.bad_email": {"zh": "电子邮箱地址无效:{value}(应为 name@example.cn 这样的一个地址)",
                           "en": "not a valid email address: {value} (one address like name@example.cn)"},
    "accounts.user_exists": {"zh": "用户 {user} 已存在", "en": "user {user} already exists"},
    "accounts.last_admin": {"zh": "不能移除最后一位有效的管理员", "en": "the last active admin cannot be removed"},
    "accounts.display_scope_wall": {
        "zh": "显示链接只能打开以 /wall 开头的作战图地址",
        "en": "a display token opens a wall-map URL beginning with /wall",
    },
    "accounts.no_token": {"zh": "没有令牌 {token}", "en": "no token {token}"},
    "accounts.password_short": {"zh": "密码至少 {minimum} 个字符", "en": "at least {minimum} characters"},
    "accounts.password_long": {"zh": "密码最多 256 个字符", "en": "at most 256 characters"},
    "accounts.visitor": {"zh": "访客", "en": "visitor"},
    "accounts.form_expired": {"zh": "页面已过期,请重新登录。", "en": "The page has expired; please sign in again."},
    "accounts.not_yourself": {
        "zh": "不能修改自己的角色或停用自己;请另一位管理员操作",
        "en": "you cannot change your own role or lock yourself out; ask another admin",
    },
    "accounts.passwords_differ": {"zh": "两次输入的密码不一致", "en": "the two passwords differ"},
    "accounts.user_created": {"zh": "已创建用户 {user}({role})", "en": "created user {user} ({role})"},
    "accounts.role_changed": {"zh": "{user} 的角色已改为 {role}", "en": "{user} is now {role}"},
    "accounts.password_reset": {
        "zh": "已重置 {user} 的密码;其已登录的会话全部失效",
        "en": "reset the password of {user}; every session of theirs has ended",
    },
    "accounts.disabled": {"zh": "已停用 {user}", "en": "disabled {user}"},
    "accounts.enabled": {"zh": "已启用 {user}", "en": "enabled {user}"},
    "accounts.token_revoked": {"zh": "已吊销 {name}", "en": "revoked {name}"},
    "accounts.password_changed": {
        "zh": "密码已修改;其他设备上的登录已失效",
        "en": "password changed; sign-ins on other devices have ended",
    },
    "accounts.no_token_of_yours": {"zh": "没有这个属于你的令牌", "en": "no such token of yours"},
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
    "accounts.login_required": {
        "zh": "请先登录,或在请求中附上个人 API 令牌(Authorization: Bearer …)或 HTTP Basic 用户名和密码",
        "en": "log in, or send a personal API token (Authorization: Bearer …) or HTTP Basic credentials",
    },
    "accounts.token_invalid": {
        "zh": "API 令牌无效或已被吊销;请在“我的账户”中新建一个令牌",
        "en": "invalid or revoked token; make a new one under My account",
    },
    "accounts.display_token_invalid": {
        "zh": "大屏链接无效或已被吊销;请管理员重新生成大屏链接",
        "en": "invalid or revoked display token; ask an administrator for a new display link",
    },
    "accounts.role_needed": {
        "zh": "此操作需要“{role}”权限,你的账户是“{have}”权限",
        "en": "this needs the {role} role; you are {have}",
    },
    "accounts.cross_site_write": {
        "zh": "拒绝来自其他网站的修改请求;请在挂图系统自己的页面上操作",
        "en": "a write sent from another site is refused",
    },
    "accounts.csrf_wrong": {
        "zh": "页面已过期(安全令牌 CSRF 缺失或不符),请刷新页面后重试;未保存任何内容",
        "en": "missing or wrong CSRF token; reload the page and try again; nothing was saved",
    },

    # --- photos over HTTP: uploads, images, display links (web/photos, web/access/display_scope.py) -------
    "photos.display_off": {
        "zh": "此大屏显示链接未开放照片;如需在大屏上显示照片,请管理员新建勾选“显示照片缩略图”的链接",
        "en": "this display link shows no photos; an administrator can make a link with photo thumbnails on",
    },
    "photos.display_thumbs_only": {
        "zh": "大屏显示链接只能查看照片缩略图,不能查看大图或原图",
        "en": "a display link sees photo thumbnails only, never the larger images or the original",
    },
    "photos.file_missing": {
        "zh": "没有收到照片:请在表单字段 file 中上传一张照片(multipart/form-data)",
        "en": "no photo received: send one in the form field file (multipart/form-data)",
    },
    "photos.bad_client_id": {
        "zh": "client_id 应为 1 到 {limit} 个英文字母、数字或“-”“_”“.”“:”",
        "en": "client_id must be 1 to {limit} letters, digits, '-', '_', '.' or ':'",
    },

    # --- the own API, viewports, imports, timelines (web/api, web/wall, web/edit, geo) ----------------
    "api.json_object": {
        "zh": "请求体应为 JSON 对象(Content-Type: application/json)",
        "en": "expected a JSON object (Content-Type: application/json)",
    },
    "api.if_match_form": {
        "zh": "应为 \"{fid}-v<版本>\",即该地点的 ETag",
        "en": "expected \"{fid}-v<version>\", as the feature's ETag",
    },
    "api.version_required": {
        "zh": "{fid}:请写明你的编辑基于哪一版(If-Match 请求头,或请求体中的 \"version\")",
        "en": "{fid}: name the version your edit started from (If-Match header or \"version\" in the body)",
    },
    "api.batch_shape": {
        "zh": "应为“编号 → 版本”的对象(1–{maximum} 项)",
        "en": "expected an object of id → version (1–{maximum})",
    },
    "api.batch_version": {"zh": "每个版本都须是整数", "en": "each version must be a whole number"},
    "api.revision": {
        "zh": "应为数据版本号(不小于 0 的整数),收到的是 {got}",
        "en": "expected a revision (a whole number ≥ 0), got {got}",
    },
    "api.state_format": {"zh": "状态只有 packed 这一种其他格式", "en": "the only other format of the state is packed"},
    "api.shape_format": {
        "zh": "format 应为 {expected} 之一,不能是 {got}",
        "en": "format must be one of {expected}, not {got}",
    },
    "api.shape_part": {
        "zh": "part 应为 geometry 或 attributes,不能是 {got}",
        "en": "part must be geometry or attributes, not {got}",
    },
    "api.viewport_part": {
        "zh": "part 应为 all,或在 format=packed/binary 时为 geometry,不能是 {got}",
        "en": "part must be all, or geometry with format=packed or binary, not {got}",
    },
    "import.choose_file": {"zh": "请选择要导入的文件", "en": "choose a file to import"},
    "import.preview_gone": {
        "zh": "这份导入预览不存在或已过期,请重新上传文件",
        "en": "this import preview does not exist or has expired; upload the file again",
    },
    "import.preview_not_yours": {"zh": "这份导入预览属于其他用户", "en": "this import preview belongs to someone else"},
    "viewport.zoom": {"zh": "应为 0 到 24 之间的地图缩放级别", "en": "expected a map zoom between 0 and 24"},
    "viewport.boxes": {"zh": "应为 0 或 1(是否把几个像素大小的地点作为方块发送)",
                       "en": "expected 0 or 1 (whether places a few pixels across come as boxes)"},
    "viewport.bbox": {
        "zh": "应为以度为单位的 西,南,东,北(西 < 东,南 < 北)",
        "en": "expected west,south,east,north in degrees (west < east, south < north)",
    },
    "viewport.too_many_tiles": {
        "zh": "在缩放级别 {zoom} 覆盖了 {count} 个瓦片(最多 {maximum} 个):请缩小地图或选一个更小的范围",
        "en": "covers {count} tiles at zoom {zoom} (at most {maximum}): zoom out or ask for a smaller box",
    },
    "progress.from_after_to": {"zh": "不能晚于 to", "en": "must not be after `to`"},
    "progress.too_many_days": {"zh": "一次最多 {maximum} 天", "en": "at most {maximum} days at once"},
    "history.people": {"zh": "责任人(四包一)", "en": "People (four-in-one duty)"},
    "history.problems": {"zh": "台账问题", "en": "Ledger problems"},
    "history.geometry": {"zh": "图形", "en": "Shape"},
    "history.geometry_created": {"zh": "新建图形", "en": "shape drawn"},
    "history.geometry_deleted": {"zh": "删除图形", "en": "shape removed"},
    "history.vertices": {"zh": "顶点 {before} → {after}", "en": "vertices {before} → {after}"},
    "history.area": {"zh": "面积 {before} → {after} 平方米", "en": "area {before} → {after} m²"},
    "history.moved": {"zh": "中心移动约 {metres} 米", "en": "centre moved about {metres} m"},
    "history.problem_title": {"zh": "问题 {id}({category})", "en": "problem {id} ({category})"},
    "history.problem_added": {"zh": "新增:{description}({status})", "en": "added: {description} ({status})"},
    "history.problem": {"zh": "问题 {id}", "en": "problem {id}"},
    "history.photo": {"zh": "照片({role})", "en": "photo ({role})"},
    "history.photo_of_problem": {"zh": "问题 {pid} 的照片({role})", "en": "photo of problem {pid} ({role})"},
    "history.photo_added": {"zh": "{by} 添加", "en": "added by {by}"},
    "history.photo_removed": {"zh": "已移除", "en": "removed"},
    "history.problem_deleted": {"zh": "已删除", "en": "deleted"},
    "history.no_version": {
        "zh": "{fid} 的修改记录中没有第 {version} 版",
        "en": "{fid} has no version {version} in its history",
    },
    "history.not_then": {"zh": "{layer}/{fid} 在那时还不存在", "en": "{layer}/{fid} did not exist then"},
    # --- import reports, exports, printed maps (geo/exchange, geo/printing) ---------------------------
    "import.unknown_encoding": {
        "zh": "未知的编码 {encoding};请试试 GBK 或 UTF-8",
        "en": "unknown encoding {encoding}; try GBK or UTF-8",
    },
    "import.id_twice": {
        "zh": "{fid} 在文件中出现了两次(第一次在 {first})",
        "en": "{fid} appears twice in the file (first at {first})",
    },
    "import.no_place": {"zh": "{layer}中没有地点 {fid}", "en": "no place {fid} in {layer}"},
    "import.no_place_id": {"zh": "没有点位编号", "en": "no place id (点位编号)"},
    "import.ledger_updates_only": {
        "zh": "{what};台账只能更新已有的地点",
        "en": "{what}; the ledger can only update places that exist",
    },
    "import.status_votes": {
        "zh": "文件中给出了不同的新状态:{where}",
        "en": "the file gives different new statuses: {where}",
    },
    "import.conflict": {
        "zh": "未导入任何内容:{reason}。请重新预览 {file},查看当前的数据。",
        "en": "nothing was imported: {reason}. Preview {file} again to see the current values.",
    },
    "export.unknown_filter": {
        "zh": "不能按 {key} 筛选;可用的筛选条件:{filters}",
        "en": "cannot filter by {key}; filters are {filters}",
    },
    "export.unknown_format": {
        "zh": "未知的格式 {format};应为以下之一:{formats}",
        "en": "unknown format {format}; expected one of {formats}",
    },
    "import.geometry_unreadable": {
        "zh": "无法读取(文件中的几何已损坏,例如环的点数太少)",
        "en": "cannot be read (broken geometry in the file, e.g. a ring with too few points)",
    },
    "import.attribute_not_json": {
        "zh": "不是有效的 JSON({detail},第 {position} 个字符)",
        "en": "is not valid JSON ({detail} at character {position})",
    },
    "import.row_needs_id": {"zh": "为空:每一行都须有点位编号", "en": "empty: every row needs the place id"},
    "import.problem_needs_category": {"zh": "新问题须填写类别", "en": "a new problem needs its category"},
    "print.font_missing": {
        "zh": "没有找到中文字体(用 fc-match 查找 {family},也查看了 {path}):请安装 Debian 软件包 {package}(安装命令 ./guatu setup 会安装它)",
        "en": "no Chinese font found (looked for {family} with fc-match and in {path}): install "
              "the Debian package {package} (the set-up command `./guatu setup` does it)",
    },
    "print.unknown_value": {
        "zh": "未知的取值 {value};应为以下之一:{choices}",
        "en": "unknown value {value}; expected one of {choices}",
    },
    "print.bbox_form": {
        "zh": "应为以度为单位的 西,南,东,北,收到的是 {got}",
        "en": "expected west,south,east,north in degrees, got {got}",
    },
    "print.bbox_order": {
        "zh": "应为 西 < 东、南 < 北,且在 ±180/±90 度以内,收到的是 {got}",
        "en": "expected west < east and south < north within ±180/±90 degrees, got {got}",
    },
    "print.bbox_outside": {
        "zh": "{got} 在活动范围 {area}(西,南,东,北)之外",
        "en": "{got} lies outside the campaign area {area} (west,south,east,north)",
    },
    "print.unknown_parameter": {"zh": "不认识的参数;可用的参数:{known}", "en": "unknown parameter; known: {known}"},
    "print.cli.written": {
        "zh": "{file}:{paper} {orientation} {format},比例尺 {scale},{places} 处点位",
        "en": "{file}: {paper} {orientation} {format}, scale {scale}, {places} places",
    },
    "print.cli.atlas_written": {"zh": "{file}:共 {pages} 页", "en": "{file}: {pages} pages"},
    "print.dpi": {"zh": "应为以下之一:{choices},收到的是 {got}", "en": "expected one of {choices}, got {got}"},
    "print.scale": {
        "zh": "应为 {minimum} 到 {maximum} 之间的比例尺分母,收到的是 {got}",
        "en": "expected a scale denominator from {minimum} to {maximum}, got {got}",
    },
    "print.too_many_pixels": {
        "zh": "{paper} 在 {dpi} dpi 下为 {width}×{height} 像素({megapixels} "
              "百万像素,超过 {maximum});请降低 dpi,或用 format=pdf(任何尺寸都能打印)",
        "en": "{paper} at {dpi} dpi would be {width}×{height} pixels ({megapixels} megapixels, "
              "more than {maximum}); choose a lower dpi or format=pdf, which prints at any size",
    },
    # --- photos on paper: the per-place dossier (一点一档), the daily report, a map's photo strip (geo/printing) ---
    "print.photo.missing": {"zh": "照片文件缺失", "en": "photo file missing"},
    "print.dossier.kicker": {"zh": "一点一档", "en": "Place dossier"},
    "print.dossier.title": {"zh": "{name} 一点一档", "en": "{name}: place dossier"},
    "print.dossier.id": {"zh": "编号 {id}", "en": "id {id}"},
    "print.dossier.status": {"zh": "整改状态", "en": "Rectification status"},
    "print.dossier.kind": {"zh": "点位类型", "en": "Kind of place"},
    "print.dossier.street": {"zh": "所属街道", "en": "Sub-district (街道)"},
    "print.dossier.community": {"zh": "所属社区", "en": "Community (社区)"},
    "print.dossier.deadline": {"zh": "整改时间节点", "en": "Deadline of the place"},
    "print.dossier.people": {"zh": "四包一责任人", "en": "Four-in-one duty: who answers for the place"},
    "print.dossier.ledger": {"zh": "问题台账(共 {n} 项)", "en": "Problem ledger ({n})"},
    "print.dossier.no_problems": {"zh": "台账中没有问题", "en": "no problem in the ledger"},
    "print.dossier.col.category": {"zh": "问题类别", "en": "Category"},
    "print.dossier.col.description": {"zh": "问题描述", "en": "Description"},
    "print.dossier.col.deadline": {"zh": "整改时限", "en": "Deadline"},
    "print.dossier.col.status": {"zh": "状态", "en": "Status"},
    "print.dossier.problem_photos": {
        "zh": "问题 {id} · {category} · {description}",
        "en": "Problem {id} · {category} · {description}",
    },
    "print.dossier.other_photos": {"zh": "其他照片(共 {n} 张)", "en": "Other photos ({n})"},
    "print.dossier.footer": {"zh": "{title} · 一点一档 · {name}", "en": "{title} · place dossier · {name}"},
    "print.dossier.page": {
        "zh": "第 {page} 页 共 {pages} 页 · 打印于 {printed} {tz}",
        "en": "page {page} of {pages} · printed {printed} {tz}",
    },
    "print.dossier.scale": {"zh": "比例尺 {scale}", "en": "scale {scale}"},
    "print.strip.title": {"zh": "整改后照片 · 图幅内最新 {n} 处", "en": "After rectification · the newest {n} places on the sheet"},
    "print.strip.none": {"zh": "图幅内的点位还没有整改后照片", "en": "no place on the sheet has an after-rectification photo yet"},
    # --- basemaps, boundaries, configuration, copies and backups (geo) ----------------------------------
    "basemap.folder_missing": {
        "zh": "数据目录中没有瓦片文件夹 {path}",
        "en": "tile folder {path} does not exist in the data directory",
    },
    "basemap.mbtiles_missing": {
        "zh": "数据目录中没有 MBTiles 文件 {path}",
        "en": "MBTiles file {path} does not exist in the data directory",
    },
    "basemap.mbtiles_unreadable": {
        "zh": "{path} 不是可读的 MBTiles 文件({detail})",
        "en": "{path} is not a readable MBTiles file ({detail})",
    },
    "basemap.not_raster": {
        "zh": "{path} 中是 {kind} 瓦片;作战图只能显示栅格瓦片({formats})",
        "en": "{path} holds {kind} tiles; the wall map draws raster tiles only ({formats})",
    },
    "basemap.pmtiles_missing": {
        "zh": "数据目录中没有 PMTiles 文件 {path}",
        "en": "PMTiles archive {path} does not exist in the data directory",
    },
    "basemap.not_pmtiles": {
        "zh": "{path} 不是 PMTiles v3 文件({detail})",
        "en": "{path} is not a PMTiles v3 archive ({detail})",
    },
    "basemap.unknown": {"zh": "这里没有底图 {basemap}", "en": "no basemap {basemap} is served here"},
    "basemap.key_missing": {
        "zh": "环境变量 {variable}(key_env)未设置:请把它设为 {type} 的密钥",
        "en": "the environment variable {variable} (key_env) is not set: set it to the {type} key",
    },
    "basemap.zoom_outside": {"zh": "缩放级别 {zoom} 不在 0–{maximum} 之间", "en": "zoom {zoom} is outside 0–{maximum}"},
    "basemap.off_grid": {
        "zh": "瓦片 {tile} 不在瓦片网格上:缩放级别 {zoom} 时 x 和 y 须小于 {size}",
        "en": "tile {tile} is off the grid: x and y must be below {size} at zoom {zoom}",
    },
    "basemap.no_tile": {"zh": "底图 {basemap} 没有瓦片 {tile}", "en": "basemap {basemap} has no tile {tile}"},
    "basemap.crs": {"zh": "crs 应为以下之一:{expected},不能是 {got}", "en": "crs must be one of {expected}, not {got}"},
    "basemap.no_answer": {
        "zh": "底图 {basemap}:瓦片服务器在 {seconds} 秒内没有应答",
        "en": "basemap {basemap}: the tile server did not answer within {seconds} s",
    },
    "basemap.unreachable": {
        "zh": "底图 {basemap}:无法连接瓦片服务器",
        "en": "basemap {basemap}: the tile server cannot be reached",
    },
    "basemap.http_status": {
        "zh": "底图 {basemap}:瓦片服务器返回 HTTP {status}",
        "en": "basemap {basemap}: the tile server answered HTTP {status}",
    },
    "basemap.too_slow": {
        "zh": "底图 {basemap}:瓦片服务器在 {seconds} 秒内没有传完",
        "en": "basemap {basemap}: the tile server did not finish within {seconds} s",
    },
    "basemap.not_an_image": {
        "zh": "底图 {basemap}:瓦片服务器返回的不是图片",
        "en": "basemap {basemap}: the tile server answered with something that is not an image",
    },
    "boundaries.unknown_level": {
        "zh": "没有边界层级 {level};已配置:{levels}",
        "en": "no boundary level {level}; configured: {levels}",
    },
    "area.not_polygons": {
        "zh": "不是由多边形组成的 GeoJSON FeatureCollection({detail})",
        "en": "not a GeoJSON FeatureCollection of polygons ({detail})",
    },
    "area.no_polygon": {"zh": "其中没有多边形", "en": "it holds no polygon"},
    "config.file_not_found": {"zh": "文件不存在", "en": "file not found"},
    "config.not_json": {"zh": "不是有效的 JSON:{detail}", "en": "not valid JSON: {detail}"},
    "config.not_object": {"zh": "最外层须是 JSON 对象", "en": "the top level must be a JSON object"},
    "config.min_free_mb": {
        "zh": "min_free_mb 须不小于 0,收到的是 {got}",
        "en": "min_free_mb must be 0 or more, got {got}",
    },
    "db.copy_schema_not_empty": {
        "zh": "模式 {schema} 中已有活动数据({places} 处地点,{changes} 条变更记录):请复制到新的模式,或先删除这个模式",
        "en": "schema {schema} already holds a campaign ({places} places, {changes} "
              "journal entries): copy into a new schema, or drop this one first",
    },
    "db.copy_folder_not_empty": {
        "zh": "{folder} 中已有 {files}:请复制到空文件夹",
        "en": "{folder} already holds {files}: copy into an empty folder",
    },
    "backup.unsupported_backend": {
        "zh": "这里不能备份 {backend} 存储",
        "en": "the {backend} backend cannot be backed up here",
    },
    "backup.needs_data_dir": {
        "zh": "备份 PostGIS 活动数据需要它的数据目录(campaign.json、边界)",
        "en": "a PostGIS campaign's backup needs its data directory (campaign.json, boundaries)",
    },
    "db.bad_schema_name": {
        "zh": "模式名 {schema}:只能用小写字母、数字和 _(最多 63 个,不以数字开头)",
        "en": "schema name {schema}: use lower-case letters, digits and _ (at most 63, not starting with a digit)",
    },
    "db.where": {"zh": "活动数据库({sqlstate})", "en": "the campaign database ({sqlstate})"},
    # --- the demo campaign and its made-up history (geo/synth.py) ------------------------------------
    "synth.kinds_missing": {
        "zh": "活动配置的图层 {layer} 缺少演示数据需要的类型 {kinds}",
        "en": "the campaign's layer {layer} lacks the demo's kinds {kinds}",
    },
    "synth.statuses_needed": {"zh": "演示数据需要这些状态:{statuses}", "en": "the demo needs the statuses {statuses}"},
    "synth.history_statuses": {
        "zh": "模拟的修改历史需要这些状态:{statuses};活动配置缺少 {missing}",
        "en": "a made-up history needs the statuses {statuses}; the campaign lacks {missing}",
    },
    "synth.journal_exists": {
        "zh": "{folder} 已有变更日志;模拟的修改历史须在所有修改之前生成",
        "en": "{folder} already has a change journal; a made-up history must come first",
    },
    "synth.layers_unreadable": {
        "zh": "{folder}:图层无法读取:{errors}",
        "en": "{folder}: layers cannot be read: {errors}",
    },
    "synth.starts_after_today": {
        "zh": "修改历史会从今天之后开始({first} > {today})",
        "en": "the history would start after today ({first} > {today})",
    },
    "synth.count": {"zh": "数量至少为 1", "en": "count must be at least 1"},
    "notify.unknown_kind": {"zh": "未知的通知事件类型:{kind}", "en": "unknown event kind {kind}"},
    "synth.bad_day": {"zh": "日期应为 YYYY-MM-DD 或 today:{value}", "en": "a day is YYYY-MM-DD or today: {value}"},
    # --- editor, inspections and playback pages (web/edit, web/workflow, web/wall) ----------------------
    "history.reverted": {
        "zh": "已恢复到第 {version} 版(作为新的一次修改记录)。",
        "en": "Restored version {version} (recorded as a new change).",
    },
    "request.incomplete": {"zh": "请求不完整。", "en": "The request is incomplete."},
    "inspections.drawn": {
        "zh": "已生成 {day} 的督导点位 {count} 处(随机种子 {seed})。",
        "en": "Drew {count} places to inspect on {day} (seed {seed}).",
    },
    "inspections.recorded": {"zh": "已记录 {name}:{result}。", "en": "Recorded {name}: {result}."},
    "inspections.nav": {"zh": "督导", "en": "Inspections"},
    "page.nav.playback": {"zh": "进度回放", "en": "Playback"},
    "page.playback_title": {"zh": "进度回放 · {title}", "en": "Playback · {title}"},
    "page.editor_title": {"zh": "编辑 · {title}", "en": "Editor · {title}"},
    # --- the command line (web/cli) ---------------------------------------------------------------
    "cli.new_password_prompt": {"zh": "新密码", "en": "New password"},
    "cli.user_state": {"zh": "{user}：{role}", "en": "{user}: {role}"},
    "cli.user_disabled": {"zh": "{user}：{role}（已停用）", "en": "{user}: {role} (disabled)"},
    "cli.first_admin_name": {"zh": "管理员", "en": "Administrator"},
    "cli.first_admin": {
        "zh": "首次启动:已创建用户 admin,密码 {password}(请用 flask --app web users set admin --password 修改)",
        "en": "first start: created user 'admin' with password {password} (change it with: flask --app web users set admin --password)",
    },
    "cli.token_created": {
        "zh": "已为 {user} 创建令牌 {token};只显示这一次,请妥善保存:",
        "en": "token {token} for {user}; shown once, keep it safe:",
    },
    "cli.token_row": {
        "zh": "{id}\t{user}\t{name}\t创建于 {created}\t最近使用 {used}\t{state}",
        "en": "{id}\t{user}\t{name}\tcreated {created}\tlast used {used}\t{state}",
    },
    "cli.display_created": {
        "zh": "显示链接 {token}({name});在大屏上打开:",
        "en": "display link {token} ({name}); open on the screen:",
    },
    "cli.display_row": {
        "zh": "{id}\t{name}\t{scope}\t最近使用 {used}\t{state}",
        "en": "{id}\t{name}\t{scope}\tlast used {used}\t{state}",
    },
    "cli.copy_direction": {
        "zh": "请给出 --to DATABASE_URL,或 --from DATABASE_URL --to-dir DIR",
        "en": "give either --to DATABASE_URL or --from DATABASE_URL --to-dir DIR",
    },
    "cli.copy_needs_dir": {
        "zh": "--from 需要 --to-dir DIR(新的活动文件夹)",
        "en": "--from needs --to-dir DIR, the new campaign folder",
    },
    "cli.no_database": {
        "zh": "没有数据库:请用 --database-url 指定,或设置 GUATU_DATABASE_URL",
        "en": "no database: pass --database-url or set GUATU_DATABASE_URL",
    },
    "cli.migrated": {
        "zh": "模式 {schema}:已执行迁移 {applied}",
        "en": "schema {schema}: migrations applied: {applied}",
    },
    "cli.up_to_date": {
        "zh": "模式 {schema}:已是最新,无需迁移",
        "en": "schema {schema}: migrations applied: none (up to date)",
    },
    "cli.file_too_large": {
        "zh": "{file} 超过了 {mb} MB 的上传上限",
        "en": "{file} is larger than the {mb} MB upload limit",
    },
    "cli.source": {"zh": "{name}:{count} 个要素", "en": "{name}: {count} feature(s)"},
    "cli.source_encoding": {"zh": "编码 {encoding}({how})", "en": "encoding {encoding} ({how})"},
    "cli.from_gcj02": {"zh": "已从 GCJ-02 转换", "en": "shifted from GCJ-02"},
    "cli.import_counts": {
        "zh": "新增 {add} · 修改 {change} · 无变化 {unchanged} · 拒绝 {reject} · 不在文件中 {absent}(保持不变)",
        "en": "add {add} · change {change} · unchanged {unchanged} · reject {reject} · not in the file {absent} "
              "(left as they are)",
    },
    "cli.new_place": {"zh": "(新)", "en": "(new)"},
    "cli.note": {"zh": "说明:{note}", "en": "note: {note}"},
    "cli.warning": {"zh": "注意:{warning}", "en": "warning: {warning}"},
    "cli.dry_run": {
        "zh": "未写入任何内容。加上 --commit 再运行一次,即可应用 {count} 处修改。",
        "en": "Nothing was written. Run again with --commit to apply {count} change(s).",
    },
    "cli.imported": {
        "zh": "已导入 {layer}:新增 {added} 处,修改 {changed} 处(数据版本 {revision})。",
        "en": "Imported into {layer}: {added} added, {changed} changed (revision {revision}).",
    },
    "cli.would_reject": {"zh": "有 {count} 个要素会被拒绝", "en": "{count} feature(s) would be rejected"},
    "cli.exported": {
        "zh": "已把 {layer} 的 {count} 处地点写入 {file}({size} 字节)。",
        "en": "Wrote {count} place(s) of {layer} to {file} ({size} bytes).",
    },
    "cli.no_history": {"zh": "{fid} 没有修改记录。", "en": "{fid} has no recorded changes."},
    "cli.history_created": {"zh": "新建 {name}({status})", "en": "created {name} ({status})"},
    "cli.history_deleted": {"zh": "删除 {name}", "en": "deleted {name}"},
    "cli.history_no_change": {"zh": "没有可见的变化", "en": "no visible change"},
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
    "backup.target_not_empty": {
        "zh": "{target} 不是空目录,未恢复任何内容;请恢复到一个新的或空的目录",
        "en": "{target} is not empty; nothing was restored; restore into a new or empty directory",
    },
    "backup.not_a_backup": {
        "zh": "{archive} 里没有可读的 {manifest},不是挂图系统的备份;未恢复任何内容",
        "en": "{archive}: no readable {manifest}; not a Guatu backup; nothing was restored",
    },
    "backup.wrong_format": {
        "zh": "{archive} 的 {manifest} 不是 {format} 格式的清单,无法恢复;未恢复任何内容",
        "en": "{archive}: {manifest} is not a {format} manifest; nothing was restored",
    },
    "backup.not_readable": {
        "zh": "无法读取备份文件 {archive}({detail}),未恢复任何内容",
        "en": "cannot read the backup {archive} ({detail}); nothing was restored",
    },
    "backup.member_outside": {
        "zh": "备份文件 {archive} 中的 {member} 位于 {data}/ 之外,已拒绝;未恢复任何内容",
        "en": "{archive}: refusing member {member} outside {data}/; nothing was restored",
    },
    "backup.member_not_file": {
        "zh": "备份文件 {archive} 中的 {member} 不是普通文件,已拒绝;未恢复任何内容",
        "en": "{archive}: refusing {member}: not a plain file; nothing was restored",
    },
    "backup.member_unlisted": {
        "zh": "备份文件 {archive} 中的 {member} 不在清单里,备份已损坏;未恢复任何内容",
        "en": "{archive}: {member} is not listed in the manifest; the backup is damaged; nothing was restored",
    },
    "backup.member_twice": {
        "zh": "备份文件 {archive} 中的 {member} 出现了两次,备份已损坏;未恢复任何内容",
        "en": "{archive}: {member} appears twice; the backup is damaged; nothing was restored",
    },
    "backup.member_checksum": {
        "zh": "备份文件 {archive} 中的 {member} 与清单记录的校验和(checksum)不符,备份已损坏;未恢复任何内容",
        "en": "{archive}: {member} does not match its checksum in the manifest; the archive is damaged; "
              "nothing was restored",
    },
    "backup.members_missing": {
        "zh": "备份文件 {archive} 缺少清单中的 {members},备份不完整;未恢复任何内容",
        "en": "{archive}: missing {members}; the archive is incomplete; nothing was restored",
    },
    "backup.disk_full": {
        "zh": "备份目录 {folder} 所在磁盘已满,备份没有写成,也没有留下半截文件;数据目录未受影响。请清理该磁盘的空间或换一个备份目录后重试",
        "en": "the disk of the backup folder {folder} is full: the backup was not written and left no partial file; "
              "the data directory is untouched. Free space on that disk or choose another backup folder, then retry",
    },
    "backup.layer_withheld": {
        "zh": "注意:图层文件 {file} 备份时已损坏或缺失,此备份里的它原样保留但不能用来恢复该图层;"
              "请运行 flask --app web store check 查看,再用 store repair 修复",
        "en": "note: the layer file {file} was damaged or missing when backed up; the backup keeps it as it was but "
              "cannot restore that layer; run flask --app web store check, then store repair",
    },
    "backup.done": {
        "zh": "已备份到序号 {revision}({files} 个文件):{archive}",
        "en": "backed up revision {revision} ({files} files) to {archive}",
    },
    "backup.restored": {
        "zh": "已恢复到序号 {revision}({files} 个文件):{target};用 GUATU_DATA={target} 启动即可使用",
        "en": "restored revision {revision} ({files} files) into {target}; serve it with GUATU_DATA={target}",
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
    # --- photos in a place's history (geo/history.py) -----------------------------------------------
    "photo.heading": {"zh": "照片", "en": "Photos"},  # a column's or a field's heading: history, printed reports
    "history.photos_added": {"zh": "新增照片 {n} 张({roles})", "en": "{n} photo(s) added ({roles})"},
    "history.photos_removed": {"zh": "删除照片 {n} 张({roles})", "en": "{n} photo(s) removed ({roles})"},
    "history.photos_changed": {"zh": "照片说明修改 {n} 张", "en": "{n} photo caption(s) changed"},
    # --- scopes and levels (三级管理): who writes where (geo/scope.py, geo/accounts.py, web/access, web/admin) -----
    "scope.everywhere": {"zh": "全区", "en": "the whole district"},
    "scope.not_names": {"zh": "应为名称列表", "en": "must be a list of names"},
    "scope.not_object": {"zh": "范围应为对象,含 streets、communities、units",
                         "en": "the scope must be an object with streets, communities, units"},
    "scope.unknown_field": {"zh": "未知的范围字段;可用:{fields}", "en": "unknown scope field; known: {fields}"},
    "scope.unknown_name": {"zh": "本次作战没有“{name}”", "en": "the campaign has no “{name}”"},
    "scope.level.district": {"zh": "指挥部", "en": "district command"},
    "scope.level.street": {"zh": "街道(包村领导)", "en": "sub-district (leader)"},
    "scope.level.community": {"zh": "社区(村三委)", "en": "community (committee)"},
    "scope.level.unit": {"zh": "包村科室", "en": "responsible unit"},
    "scope.out_of_scope": {"zh": "“{place}”({fid})不在你的管理范围内({scope}),不能修改",
                           "en": "“{place}” ({fid}) is outside your scope ({scope}); it cannot be changed"},
    "scope.level_none": {"zh": "只读", "en": "read only"},
    "accounts.scope_changed": {"zh": "{user} 现为{role},管理范围:{scope}", "en": "{user} is now {role}, writing in: {scope}"},
    "page.col.level": {"zh": "层级", "en": "Level"},
    "page.col.scope": {"zh": "管理范围", "en": "Scope"},
    "page.admin.scope_streets": {"zh": "所辖街道", "en": "Sub-districts"},
    "page.admin.scope_communities": {"zh": "所辖社区(村)", "en": "Communities (villages)"},
    "page.admin.scope_units": {"zh": "包村科室(责任单位)", "en": "Responsible units"},
    "page.admin.scope_help": {"zh": "都不选即全区(指挥部);可按住 Ctrl 多选。只能修改范围内的地点,查看不受限制。",
                              "en": "Choose none for the whole district (command); hold Ctrl to choose several. "
                                    "Users change only places in their scope and see everything."},
    "page.admin.set_scope": {"zh": "设置角色与范围", "en": "Set role and scope"},
    "page.admin.scope_of": {"zh": "{user} 的角色与管理范围", "en": "Role and scope of {user}"},
    "editor.scope.read_only": {"zh": "只读:不在你的管理范围内({scope})", "en": "Read only: outside your scope ({scope})"},
    "cli.user_scope": {"zh": "{user}:{role},{level},管理范围:{scope}", "en": "{user}: {role}, {level}, writing in: {scope}"},
    "cli.demo_user": {"zh": "演示用户 {user}({level} · {name}),密码:{password}",
                      "en": "demo user {user} ({level} · {name}), password: {password}"},
    "cli.scope_everywhere_alone": {"zh": "--everywhere 不能与 --street、--community、--unit 同用",
                                   "en": "--everywhere cannot go with --street, --community or --unit"},
    # (scopes: more entries here)
    # --- cases (案件): the loop 立案 → 派遣 → 处置 → 核查 → 结案, calendar, escalation (geo/cases) ---------------
    "case.stage.filed": {"zh": "立案(待派遣)", "en": "filed (to dispatch)"},
    "case.stage.handling": {"zh": "处置中", "en": "being handled"},
    "case.stage.verifying": {"zh": "待核查", "en": "to verify"},
    "case.stage.closed": {"zh": "已结案", "en": "closed"},
    "case.stage.suspended": {"zh": "挂起", "en": "suspended"},
    "case.action.file": {"zh": "立案", "en": "file"},
    "case.action.migrate": {"zh": "迁移为案件", "en": "made a case"},
    "case.action.dispatch": {"zh": "派遣", "en": "dispatch"},
    "case.action.redispatch": {"zh": "重新派遣", "en": "dispatch again"},
    "case.action.send_back": {"zh": "申请退回", "en": "send back"},
    "case.action.report": {"zh": "处置完成", "en": "report fixed"},
    "case.action.confirm": {"zh": "核查通过", "en": "confirm the fix"},
    "case.action.return": {"zh": "核查退回", "en": "return for rework"},
    "case.action.request_extension": {"zh": "延期申请", "en": "ask for more time"},
    "case.action.approve_extension": {"zh": "批准延期", "en": "approve the extension"},
    "case.action.deny_extension": {"zh": "不批准延期", "en": "refuse the extension"},
    "case.action.suspend": {"zh": "挂起案件", "en": "suspend"},
    "case.action.resume": {"zh": "恢复办理", "en": "resume"},
    "case.source.inspection": {"zh": "督导发现", "en": "found by an inspection"},
    "case.source.planner": {"zh": "台账录入", "en": "entered in the ledger"},
    "case.source.resident": {"zh": "群众反映", "en": "reported by a resident"},
    "case.source.migrated": {"zh": "原有问题", "en": "an earlier problem"},
    "case.not_from_stage": {"zh": "案件当前为“{stage}”,不能{action}。{next}",
                            "en": "the case is {stage}: it cannot be given “{action}” now. {next}"},
    "case.nothing_allowed": {"zh": "你现在对此案件没有可办理的操作", "en": "There is nothing you can do on this case now"},
    "case.you_may": {"zh": "你现在可以:{allowed}", "en": "You may: {allowed}"},
    "case.refused_with_allowed": {"zh": "{reason}。{next}", "en": "{reason}. {next}"},
    "case.forbidden.dispatcher": {
        "zh": "只有管理范围覆盖此地点的指挥部、街道或社区编辑人员可以{action}(你的范围:{scope})",
        "en": "only an editor of the district, sub-district or community whose scope covers the place may {action} "
              "(your scope: {scope})"},
    "case.forbidden.handler": {"zh": "只有此案件的处置人可以{action}(处置单位:{unit};处置人:{handler})",
                               "en": "only the case's handler may {action} (unit: {unit}; handler: {handler})"},
    "case.forbidden.own_fix": {"zh": "核查须由处置人以外的人进行:你处置或上报了此案件,不能核查",
                               "en": "the fix must be verified by someone else: you handled or reported this case"},
    "case.forbidden.verifier": {"zh": "只有督导员,或管理范围覆盖此地点的指挥部、街道、社区编辑人员可以核查(你的范围:{scope})",
                                "en": "only an inspector, or an editor whose scope covers the place, may verify "
                                      "(your scope: {scope})"},
    "case.note_required": {"zh": "请填写说明(原因或处置情况)", "en": "a note is required (the reason, or what was done)"},
    "case.unit_required": {"zh": "请指定处置单位或处置人", "en": "name the handling unit or the handler"},
    "case.handler_unknown": {"zh": "没有可以承办案件的账户“{handler}”:承办人须是已启用的督导员、编辑或管理员账户",
                             "en": "no account “{handler}” can handle a case: the handler must be an enabled inspector, "
                                   "editor or admin account"},
    "case.until_required": {"zh": "请填写申请延期到的时间", "en": "give the time to extend to"},
    "case.too_long": {"zh": "不能超过 {limit} 个字", "en": "at most {limit} characters"},
    "case.photos_list": {"zh": "应为照片编号的列表", "en": "must be a list of photo ids"},
    "case.timeline_list": {"zh": "应为办理记录的列表", "en": "must be a list of the case's steps"},
    "case.photo_not_of_problem": {"zh": "不是问题 {pid} 的照片;请先上传到此问题下",
                                  "en": "not a photo of problem {pid}; upload it under the problem first"},
    "case.photo_after_required": {"zh": "上报处置完成须附至少一张“整改后”照片",
                                  "en": "reporting a fix needs at least one photo taken after the fix"},
    "case.photo_check_required": {"zh": "核查通过须附至少一张“核查”照片",
                                  "en": "confirming a fix needs at least one verification photo"},
    "case.bad_due": {"zh": "应为日期(YYYY-MM-DD)或带时区的时间", "en": "expected a day (YYYY-MM-DD) or a time with its zone"},
    "case.due_not_later": {"zh": "应晚于 {after}", "en": "must be later than {after}"},
    "case.place_status": {"zh": "地点状态随案件由“{was}”变为“{now}”", "en": "the place's status followed the case: {was} → {now}"},
    "case.ledger_follows_case": {
        "zh": "问题 {pid} 的{fields}随案件办理而变,不能直接修改(案件当前为“{stage}”);请通过案件的派遣、处置、核查办理",
        "en": "the {fields} of problem {pid} follow its case (now {stage}) and cannot be edited; use the case's "
              "actions"},
    "schema.case_duration": {"zh": "应为工作时长,如 4h(工作小时)或 3d(工作日),实际为 {value}",
                             "en": "expected a working time such as 4h (hours) or 3d (working days), got {value}"},
    "schema.case_workdays": {"zh": "应为不重复的星期数 1–7(1 = 星期一),实际为 {value}",
                             "en": "expected distinct ISO weekdays 1–7 (1 = Monday), got {value}"},
    "schema.case_day_order": {"zh": "day_start 应早于 day_end", "en": "day_start must be before day_end"},
    "schema.case_day_both": {"zh": "这些日期既是节假日又是调休工作日:{days}",
                             "en": "these dates are both holidays and working days: {days}"},
    "schema.case_factor": {"zh": "应大于 0 且不超过 10,实际为 {value}", "en": "must be above 0 and at most 10, got {value}"},
    "schema.case_status_openness": {"zh": "{value} 与阶段不符:结案须对应已关闭的问题状态,其他阶段须对应未关闭的状态",
                                    "en": "{value} does not fit the stage: closed needs a closed problem status, the "
                                          "other stages an open one"},
    "cases.migrate_user": {"zh": "案件迁移", "en": "case migration"},
    "cases.migrate_nothing": {"zh": "没有需要迁移的问题:{already} 个问题已是案件",
                              "en": "nothing to migrate: {already} problems are cases already"},
    "cases.migrate_stage": {"zh": "{stage} {count} 个", "en": "{count} {stage}"},
    "cases.migrate_done": {"zh": "已将 {places} 个地点的 {problems} 个问题迁移为案件:{stages};原已是案件的 {already} 个",
                           "en": "{problems} problems of {places} places are cases now: {stages}; {already} were "
                                 "already"},
    # --- cases over HTTP: API, queues, the case page (web/cases, web/templates) ---------------------------------
    "cases.title": {"zh": "案件", "en": "Cases"},
    "cases.heading": {"zh": "案件办理", "en": "Case handling"},
    "cases.queues": {"zh": "我的案件队列", "en": "My case queues"},
    "cases.queue.handle": {"zh": "待我处理", "en": "To handle"},
    "cases.queue.verify": {"zh": "待我核查", "en": "To verify"},
    "cases.queue.dispatched": {"zh": "我派遣的", "en": "Dispatched by me"},
    "cases.queue.dispatch": {"zh": "待派遣", "en": "To dispatch"},
    "cases.queue.all": {"zh": "全部案件", "en": "All cases"},
    "cases.filter.stage": {"zh": "按阶段", "en": "By stage"},
    "cases.filter.street": {"zh": "按街道", "en": "By sub-district"},
    "cases.filter.community": {"zh": "按社区", "en": "By community"},
    "cases.filter.unit": {"zh": "按承办单位", "en": "By unit"},
    "cases.filter.any": {"zh": "不限", "en": "Any"},
    "cases.filter.overdue": {"zh": "只看逾期", "en": "Overdue only"},
    "cases.filter.apply": {"zh": "筛选", "en": "Filter"},
    "cases.total": {"zh": "共 {count} 件", "en": "{count} cases"},
    "cases.row.assigned": {"zh": "承办:{who}", "en": "assigned to {who}"},
    "cases.row.due": {"zh": "期限 {due}", "en": "due {due}"},
    "cases.badge.overdue": {"zh": "本阶段逾期", "en": "stage overdue"},
    "cases.badge.escalated": {"zh": "已升级至{level}", "en": "escalated to the {level}"},
    "cases.badge.extension": {"zh": "延期待批", "en": "extension requested"},
    "cases.none": {"zh": "没有符合条件的案件", "en": "No cases match"},
    "cases.more": {"zh": "下一页", "en": "Next page"},
    "cases.back_to_queues": {"zh": "返回案件队列", "en": "Back to the queues"},
    "cases.place_history": {"zh": "这一处的修改记录", "en": "This place's history"},
    "cases.case_title": {"zh": "案件 · {place}", "en": "Case · {place}"},
    "cases.fact.stage": {"zh": "当前阶段", "en": "Stage"},
    "cases.fact.since": {"zh": "自 {since}", "en": "since {since}"},
    "cases.fact.urgency": {"zh": "紧急程度", "en": "Urgency"},
    "cases.fact.where": {"zh": "所在街道社区", "en": "Sub-district and community"},
    "cases.fact.unit": {"zh": "承办单位", "en": "Unit"},
    "cases.fact.handler": {"zh": "承办人", "en": "Handler"},
    "cases.fact.due": {"zh": "本阶段期限", "en": "Stage due"},
    "cases.fact.overdue_hours": {"zh": "超期 {hours} 个工作小时", "en": "{hours} working hours past due"},
    "cases.fact.level": {"zh": "督办层级", "en": "Supervised by"},
    "cases.fact.returns": {"zh": "被核查退回次数", "en": "Returned by verifiers"},
    "cases.fact.extension": {"zh": "延期申请", "en": "Extension request"},
    "cases.fact.extension_text": {"zh": "{by} 申请延期至 {until}:{reason}",
                                  "en": "{by} asks to extend to {until}: {reason}"},
    "cases.actions": {"zh": "我可以办理", "en": "What I can do"},
    "cases.form.unit": {"zh": "派给单位", "en": "Assign to unit"},
    "cases.form.handler": {"zh": "派给承办人(用户名)", "en": "Assign to handler (user name)"},
    "cases.form.deadline": {"zh": "处置期限(不填按规定时限)", "en": "Handling due (empty: the configured limit)"},
    "cases.form.urgency": {"zh": "紧急程度(可改)", "en": "Urgency (may change)"},
    "cases.form.note": {"zh": "情况说明", "en": "Note"},
    "cases.form.reason": {"zh": "理由", "en": "Reason"},
    "cases.form.until": {"zh": "延期至", "en": "Extend to"},
    "cases.form.photo_after": {"zh": "整改后照片(拍照或选择)", "en": "Photo after the fix (take or choose)"},
    "cases.form.photo_check": {"zh": "核查照片(拍照或选择)", "en": "Verification photo (take or choose)"},
    "cases.sign_in_to_act": {"zh": "登录后可办理本案件", "en": "Sign in to act on this case"},
    "cases.timeline": {"zh": "办理经过", "en": "Timeline"},
    "cases.timeline_empty": {"zh": "尚无办理记录", "en": "Nothing recorded yet"},
    "cases.event.stages": {"zh": "{frm} → {to}", "en": "{frm} → {to}"},
    "cases.all_photos": {"zh": "本问题的全部照片({count} 张)", "en": "All photos of this problem ({count})"},
    "cases.photo_open": {"zh": "查看大图", "en": "Open the photo"},
    "cases.bad_number": {"zh": "应为 {low} 到 {high} 之间的整数", "en": "expected a whole number from {low} to {high}"},
    # --- cases on the wall, the dashboard, the daily report, the demo (geo/wall, geo/dashboard, geo/synth) ------
    "report.cases.sheet.escalated": {"zh": "升级督办", "en": "Escalated cases"},
    "report.cases.sheet.units": {"zh": "单位考核", "en": "Units' record"},
    "report.cases.col.fid": {"zh": "点位编号", "en": "Place id"},
    "report.cases.col.place": {"zh": "点位名称", "en": "Place"},
    "report.cases.col.street": {"zh": "所属街道", "en": "Sub-district"},
    "report.cases.col.community": {"zh": "所属社区", "en": "Community"},
    "report.cases.col.pid": {"zh": "案件编号", "en": "Case"},
    "report.cases.col.category": {"zh": "问题类别", "en": "Problem category"},
    "report.cases.col.problem": {"zh": "案件描述", "en": "Problem"},
    "report.cases.col.stage": {"zh": "所处环节", "en": "Stage"},
    "report.cases.col.unit": {"zh": "承办单位", "en": "Handling unit"},
    "report.cases.col.handler": {"zh": "承办人", "en": "Handled by"},
    "report.cases.col.due": {"zh": "本环节时限", "en": "Stage due"},
    "report.cases.col.level": {"zh": "督办层级", "en": "Escalated to"},
    "report.cases.col.late": {"zh": "超时(工作小时)", "en": "Overdue (working hours)"},
    "report.cases.col.cases": {"zh": "案件数", "en": "Cases"},
    "report.cases.col.open": {"zh": "在办", "en": "Open"},
    "report.cases.col.overdue": {"zh": "超时在办", "en": "Overdue"},
    "report.cases.col.escalated": {"zh": "已升级", "en": "Escalated"},
    "report.cases.col.reported": {"zh": "已处置", "en": "Reported fixed"},
    "report.cases.col.on_time": {"zh": "按时处置率(%)", "en": "Reported on time (%)"},
    "report.cases.col.avg_hours": {"zh": "平均处置时长(工作小时)", "en": "Average handling (working hours)"},
    "report.cases.col.returned": {"zh": "核查退回率(%)", "en": "Returned by verifiers (%)"},
    "report.cases.no_unit": {"zh": "(未派遣)", "en": "(not dispatched)"},
    "report.cases.summary": {
        "zh": "超时在办案件 {overdue} 件(社区层级 {community}、升级至街道 {street}、升级至指挥部 {district}),升级督办 {escalated} 件",
        "en": "{overdue} open cases overdue ({community} at community level, {street} escalated to the sub-district, "
              "{district} to the district), {escalated} escalated",
    },
    "page.report.escalated": {"zh": "升级督办案件", "en": "Escalated cases"},
    "page.report.units": {"zh": "各单位处置情况", "en": "The units' record"},
    "page.report.none": {"zh": "当日无升级督办案件", "en": "No escalated case that day"},
    "page.report.more_escalated": {
        "zh": "共 {count} 件,此处列出最紧急的 {shown} 件;全部见",
        "en": "{count} in all; the {shown} most urgent are listed here; all of them:",
    },
    "page.report.escalated_queue": {"zh": "当前的升级督办案件", "en": "the cases escalated now"},
    # --- cases in the editor, the ledger workbook, inspections (geo/exchange, geo/inspections) ------------------
    "history.case.dispatch": {"zh": "{pid}:派遣给 {assignee},期限 {due}", "en": "{pid}: dispatched to {assignee}, due {due}"},
    "history.case.redispatch": {"zh": "{pid}:重新派遣给 {assignee},期限 {due}",
                                "en": "{pid}: dispatched again to {assignee}, due {due}"},
    "history.case.send_back": {"zh": "{pid}:处置单位申请退回({note})", "en": "{pid}: sent back by the handler ({note})"},
    "history.case.report": {"zh": "{pid}:处置完成,待核查({note})", "en": "{pid}: reported fixed, to be verified ({note})"},
    "history.case.confirm": {"zh": "{pid}:核查通过,结案({note})", "en": "{pid}: verified and closed ({note})"},
    "history.case.return": {"zh": "{pid}:核查退回,重新处置({note})", "en": "{pid}: returned by the verifier ({note})"},
    "history.case.request_extension": {"zh": "{pid}:申请延期至 {until}({note})",
                                       "en": "{pid}: extension requested until {until} ({note})"},
    "history.case.approve_extension": {"zh": "{pid}:批准延期至 {until}", "en": "{pid}: extension until {until} approved"},
    "history.case.deny_extension": {"zh": "{pid}:不同意延期", "en": "{pid}: extension denied"},
    "history.case.suspend": {"zh": "{pid}:挂起({note})", "en": "{pid}: suspended ({note})"},
    "history.case.resume": {"zh": "{pid}:恢复为{stage},期限 {due}", "en": "{pid}: resumed as {stage}, due {due}"},
    "history.case.other": {"zh": "{pid}:{action}({before} → {after})", "en": "{pid}: {action} ({before} → {after})"},
    "history.case.entered": {"zh": "{pid}:{action},{stage}", "en": "{pid}: {action}, {stage}"},
    "history.case.added": {"zh": "新增:{description};案件阶段:{stage}", "en": "added: {description}; case stage: {stage}"},
    "history.case.import": {"zh": "{pid}:台账导入修改案件,现为{stage},处置 {assignee},期限 {due}",
                            "en": "{pid}: case set by a ledger import, now {stage}, handled by {assignee}, due {due}"},
    "history.case.photos": {"zh": "{text},照片 {n} 张", "en": "{text}, {n} photo(s)"},
    "history.case.no_note": {"zh": "未填说明", "en": "no note"},
    "history.case.no_due": {"zh": "未定", "en": "not set"},
    "history.case.nobody": {"zh": "未指定", "en": "nobody named"},
    "history.case.when": {"zh": "{month}月{day}日 {time}", "en": "{month}/{day} {time}"},
    "history.case.day": {"zh": "{month}月{day}日", "en": "{month}/{day}"},
    "page.insp.stage_due": {"zh": "(本阶段限 {due})", "en": " (stage due {due})"},
    "ledger_xlsx.unknown_stage": {"zh": "问题台账第 {row} 行:没有“{value}”这个案件阶段;可填:{stages}",
                                  "en": "问题台账 row {row}: “{value}” is not a case stage; use one of: {stages}"},
    "ledger_xlsx.unknown_urgency": {"zh": "问题台账第 {row} 行:没有“{value}”这个紧急程度;可填:{urgencies}",
                                    "en": "问题台账 row {row}: “{value}” is not an urgency; use one of: {urgencies}"},
    "ledger_xlsx.bad_due": {"zh": "问题台账第 {row} 行:“{value}”不是时间;请填如 2026-12-05 17:30",
                            "en": "问题台账 row {row}: “{value}” is not a time; write e.g. 2026-12-05 17:30"},
    "ledger_xlsx.follows_case": {
        "zh": "问题 {pid} 的“{column}”随案件变化,不能在台账里直接修改;请在案件页办理,或由指挥部修改“案件阶段”等列",
        "en": "“{column}” of problem {pid} follows its case and is not edited in the ledger; act on the case page, "
              "or have the district command change the case columns",
    },
    "ledger_xlsx.case_edit_refused": {
        "zh": "只有指挥部(全区范围)可以通过台账导入修改案件阶段、处置人和期限(问题:{problems};你的范围:{scope})",
        "en": "only the district command (the whole district) may set case stages, handlers and due times by importing "
              "the ledger (problems: {problems}; your scope: {scope})",
    },
    "ledger_xlsx.yes": {"zh": "是", "en": "yes"},
    "history.case.field": {"zh": "{field}:{before} → {after}", "en": "{field}: {before} → {after}"},
    # --- polish A ---------------------------------------------------------------------------------------------
    # --- polish B ---------------------------------------------------------------------------------------------
    # a place's history in words (geo/history.py) and what a revert will do
    "history.yes": {"zh": "是", "en": "Yes"},
    "history.no": {"zh": "否", "en": "No"},
    "history.date": {"zh": "{year}年{month}月{day}日", "en": "{year}-{month:02d}-{day:02d}"},
    "history.person": {"zh": "{role} {name}", "en": "{role}: {name}"},
    "history.pair": {"zh": "{name}:{value}", "en": "{name}: {value}"},
    "history.empty": {"zh": "(空)", "en": "(empty)"},
    "history.revert.change": {"zh": "{label} {before} → {after}", "en": "{label} {before} → {after}"},
    "history.revert.summary": {"zh": "将恢复到第 {version} 版:{changes}", "en": "Restores version {version}: {changes}"},
    "history.revert.nothing": {"zh": "第 {version} 版与现在没有可恢复的差别,恢复不会改变任何内容。",
                               "en": "Version {version} differs in nothing a revert restores: it would change nothing."},
    "history.revert.delete_open": {
        "zh": "将删除未销号的问题 {pid}({category},{state}):它会从台账、日报和大屏上消失。",
        "en": "Deletes the open problem {pid} ({category}, {state}): it leaves the ledger, the daily report and the wall."},
    "history.revert.delete": {"zh": "将删除已销号的问题 {pid}({category},{state})。",
                              "en": "Deletes the closed problem {pid} ({category}, {state})."},
    "history.revert.reopen": {"zh": "将重新打开问题 {pid}({category},现为{state})。",
                              "en": "Reopens problem {pid} ({category}, now {state})."},
    "history.revert.restore": {"zh": "将恢复已删除的问题 {pid}({category},{state});它的案件办理记录不会恢复。",
                               "en": "Brings back the deleted problem {pid} ({category}, {state}); its case record is not restored."},
    "history.revert.case_kept": {
        "zh": "问题 {pid}({category})的案件保持现状({state}):恢复不会撤销案件的办理步骤,如需变更请在案件页办理。",
        "en": "Problem {pid} ({category}) keeps its case as it is ({state}): a revert undoes no case step; "
              "act on the case page to change it."},
    "history.revert.photos_kept": {"zh": "照片保持现状:恢复不会增删照片。",
                                   "en": "Photos stay as they are: a revert adds or removes none."},
    "page.history.revert_title": {"zh": "{name} · 确认恢复到第 {version} 版", "en": "{name} · restore version {version}?"},
    "page.history.revert_intro": {"zh": "恢复会作为一次新的修改记入修改记录(当前第 {version} 版)。请确认以下变化:",
                                  "en": "A revert is recorded as a new change (now version {version}). Check what it does:"},
    "page.history.revert_warnings": {"zh": "请特别注意", "en": "Take care"},
    "page.history.revert_confirm": {"zh": "确认恢复", "en": "Restore"},
    "page.history.revert_cancel": {"zh": "取消,返回修改记录", "en": "Cancel, back to the history"},
    # an import's report (geo/exchange): notes, warnings and changes in words
    "import.accepted": {"zh": ".geojson、.json、.gpkg、.kml、.kmz、.zip(Shapefile 压缩包)或 .xlsx(台账)",
                        "en": ".geojson, .json, .gpkg, .kml, .kmz, .zip (a zipped Shapefile) or .xlsx (the ledger)"},
    "import.no_suffix": {"zh": "(无扩展名)", "en": "(no extension)"},
    "import.status_default": {"zh": "未给出整改状态:设为 {status}", "en": "no status given: set to {status}"},
    "import.location_filled": {"zh": "{field}为空:按边界填为 {value}", "en": "{field} was empty: set to {value} from the boundaries"},
    "import.status_vote": {"zh": "{where} 为 {status}", "en": "{status} at {where}"},
    "import.older_version": {
        "zh": "文件取自第 {file_version} 版;{fid} 现为第 {version} 版({by} 于 {at} 保存):文件中不同的值将覆盖这些修改",
        "en": "the file was made from version {file_version}; {fid} is now at version {version} (saved by {by} at {at}): "
              "the file's values replace those edits where they differ"},
    "import.cut_text_kept": {"zh": "{field}:Shapefile 只保存了前 254 字节,保留原有完整文字",
                             "en": "{field}: the Shapefile holds only its first 254 bytes; the full text is kept"},
    "import.nothing_to_do": {"zh": "没有要导入的内容:图层已与文件一致", "en": "nothing to import: the layer already matches the file"},
    "import.conflict_created": {"zh": "{fid}({name})在预览之后已被新建({by} 于 {at})",
                                "en": "{fid} ({name}) was created after the preview (by {by} at {at})"},
    "import.conflict_changed": {
        "zh": "{fid}({name})在预览之后已被修改:预览时为第 {seen} 版,现为第 {version} 版({by} 于 {at} 保存)",
        "en": "{fid} ({name}) was changed after the preview: the preview saw version {seen}, it is now at version "
              "{version} (saved by {by} at {at})"},
    "import.change.problem_new": {"zh": "新增问题 {pid}", "en": "new problem {pid}"},
    "import.change.problem_removed": {"zh": "删除问题 {pid}", "en": "problem {pid} removed"},
    "import.change.problem_field": {"zh": "问题 {pid} 的{field}", "en": "{field} of problem {pid}"},
    "import.change.problem_row": {"zh": "台账第 {row} 条问题", "en": "ledger problem {row}"},
    "import.change.problem_row_field": {"zh": "台账第 {row} 条问题的{field}", "en": "{field} of ledger problem {row}"},
    "import.scope": {"zh": "管辖范围", "en": "Scope"},
    "import.columns_same": {"zh": "列 {first} 和 {second} 都表示{field}:使用 {kept},忽略 {dropped}",
                            "en": "columns {first} and {second} both mean {field}; {kept} is used, {dropped} ignored"},
    "import.dbf_cut_character": {
        "zh": "{file}:写文件的程序在字符中间截断了部分列名或文字(DBF 限 10 和 254 字节),已去掉残缺的最后一个字符",
        "en": "{file}: some column names or texts were cut inside a character by the program that wrote the file "
              "(DBF limits of 10 and 254 bytes); the broken last character was dropped"},
    "import.no_crs_projected": {
        "zh": "{file}:没有坐标系(缺少 .prj?),坐标也不是经纬度;请补上 .prj 文件或转换为 EPSG:4326",
        "en": "{file}: no coordinate system is given (.prj missing?) and the coordinates are not longitude/latitude; "
              "add the .prj file or reproject to EPSG:4326"},
    "import.no_crs_lonlat": {"zh": "{file}:没有坐标系,坐标按 WGS84 经纬度读取",
                             "en": "{file}: no coordinate system is given; the coordinates are read as WGS84 longitude/latitude"},
    "import.column_ignored": {"zh": "{sheet}:列 {column} 不属于台账,已忽略",
                              "en": "{sheet}: column {column} is not part of the ledger and is ignored"},
    "cases.status_after": {"zh": "结案后本点位状态将由 {before} 变为 {after}",
                           "en": "Once closed, this place's status changes from {before} to {after}"},
    "cases.status_after_same": {"zh": "结案后本点位状态仍为 {status}(按状态规则)",
                                "en": "Once closed, this place's status stays {status} (by the status rule)"},
    "import.found_today": {"zh": "问题 {pid} 未填发现日期:记为今天 {day}",
                           "en": "problem {pid} has no day found: recorded as today, {day}"},
    "ledger.found_on_required": {"zh": "问题 {pid} 的发现日期必填,不能清空", "en": "problem {pid}: the day it was found is required"},
    # --- polish C ---------------------------------------------------------------------------------------------
    "print.sheet.date": {"zh": "日期:{day}", "en": "Date: {day}"},
    "print.atlas.page": {"zh": "第 {page} 页 / 共 {pages} 页", "en": "page {page} of {pages}"},
    "print.atlas.by_street": {"zh": "分街道图册", "en": "Atlas by sub-district"},
    "print.atlas.by_community": {"zh": "分社区图册", "en": "Atlas by community"},
    "print.atlas.by_route": {"zh": "督导路线图册", "en": "Atlas of the inspection route"},
    "print.atlas.kind": {"zh": "{kind} · 共 {n} 幅图", "en": "{kind} · {n} maps"},
    "print.atlas.printed": {"zh": "打印于 {at}", "en": "printed {at}"},
    "print.atlas.index": {"zh": "目录 · {kind}", "en": "Contents · {kind}"},
    "print.atlas.index_page": {"zh": "第 {page} 页", "en": "p. {page}"},
    "print.atlas.route_stops": {"zh": "路线第 {first}–{last} 站", "en": "route stops {first}–{last}"},
    "print.atlas.empty": {"zh": "没有可印成图册的区域", "en": "there is no area to make an atlas of"},
    "print.atlas.no_route": {"zh": "{day} 没有督导名单,无法印路线图册", "en": "there is no inspection list for {day}, so no route atlas"},
    "print.street_unknown": {
        "zh": "没有名为「{name}」的街道;相近的名称:{candidates}",
        "en": "no sub-district called {name}; close names: {candidates}",
    },
    "print.street_ambiguous": {
        "zh": "「{name}」可指多个街道:{candidates};请写全名",
        "en": "{name} could be several sub-districts: {candidates}; give the full name",
    },
    "print.community_unknown": {
        "zh": "没有名为「{name}」的社区;相近的名称:{candidates}",
        "en": "no community called {name}; close names: {candidates}",
    },
    "print.community_ambiguous": {
        "zh": "「{name}」可指多个社区:{candidates};请写全名",
        "en": "{name} could be several communities: {candidates}; give the full name",
    },
    # --- polish D ---------------------------------------------------------------------------------------------
    "report.pdf.title": {"zh": "{title} 日报 {day}", "en": "{title} daily report {day}"},
    "report.pdf.as_of": {"zh": "数据截至 {as_of}", "en": "data as of {as_of}"},
    "report.pdf.continued": {"zh": "{heading}(续)", "en": "{heading} (continued)"},
    "report.pdf.none": {"zh": "无", "en": "none"},
    "report.pdf.page": {"zh": "第 {page} 页 共 {pages} 页", "en": "page {page} of {pages}"},
    "report.pdf.fig.share": {"zh": "完成率", "en": "share done"},
    "report.pdf.fig.done": {"zh": "已完成 / 点位", "en": "done / places"},
    "report.pdf.fig.opened": {"zh": "当日新增问题", "en": "problems found today"},
    "report.pdf.fig.closed": {"zh": "当日销号", "en": "problems closed today"},
    "report.pdf.fig.relapsed": {"zh": "反弹点位", "en": "relapsed places"},
    "report.pdf.fig.inspected": {"zh": "已督导 / 清单", "en": "inspected / listed"},
    "report.pdf.plan": {
        "zh": "计划进度 {planned}%,实际 {actual}%:{verdict}。",
        "en": "planned {planned}%, actual {actual}%: {verdict}. ",
    },
    "report.pdf.plan_next": {
        "zh": "下一节点 {label}({date})目标 {share}%,还有 {days} 天。",
        "en": "next milestone {label} ({date}): {share}%, {days} days left.",
    },
    "report.pdf.streets": {"zh": "各街道进度(完成率从低到高)", "en": "sub-districts, lowest share done first"},
    "report.pdf.page2": {"zh": "需要关注 {day}", "en": "needs attention {day}"},
    "report.pdf.worst_overdue": {"zh": "逾期最久", "en": "longest overdue"},
    "report.pdf.worst_overnight": {"zh": "过夜问题", "en": "overnight problems"},
    "report.pdf.escalated": {"zh": "升级案件", "en": "escalated cases"},
    "report.pdf.more": {"zh": "另有 {count} 项,见后附“{sheet}”明细", "en": "{count} more in the details ({sheet})"},
    "report.pdf.more_in_workbook": {
        "zh": "另有 {count} 项,见 Excel 日报“{sheet}”表",
        "en": "{count} more in the workbook's sheet {sheet}",
    },
    "report.pdf.photos": {"zh": "今日照片", "en": "today's photos"},
    "report.pdf.details": {"zh": "明细 {day}", "en": "details {day}"},
    "report.pdf.section": {"zh": "{sheet}({count} 项)", "en": "{sheet} ({count})"},
    "report.pdf.map": {"zh": "当日挂图 {day}", "en": "the day's map {day}"},
    "report.pdf.map_now": {"zh": "(地图为当前数据)", "en": "(the map shows the current data)"},
    "report.pdf.map_failed": {"zh": "地图未能生成:{reason}", "en": "the map could not be drawn: {reason}"},
    "schema.route_start": {
        "zh": "应为 [经度, 纬度] 或一个点位编号,实际为 {value}",
        "en": "must be [lon, lat] or a place's id, got {value}",
    },
    "inspections.route_start_unknown": {
        "zh": "督导路线的起点“{start}”不是任何点位的编号",
        "en": "the inspection route's start \"{start}\" is not the id of any place",
    },
    # --- polish E ---------------------------------------------------------------------------------------------
    "page.err.nav": {"zh": "站内导航", "en": "Site navigation"},
    "page.err.nav_edit": {"zh": "编辑地图", "en": "Edit the map"},
    "page.err.code": {"zh": "错误代码 {code}", "en": "Error code {code}"},
    "page.err.back": {"zh": "返回上一页", "en": "Back to the previous page"},
    "page.err.home": {"zh": "回到作战图首页", "en": "Go to the wall map"},
    "page.err.sign_in_other": {"zh": "以其他账户登录", "en": "Sign in as someone else"},
    "page.err.403": {"zh": "没有权限打开此页", "en": "You may not open this page"},
    "page.err.403_text": {"zh": "你的账户无权打开此页;请换一个有权限的账户登录,或联系管理员",
                          "en": "your account may not open this page; sign in with an account that may, or ask the administrator"},
    "page.err.404": {"zh": "找不到此页", "en": "Page not found"},
    "page.err.404_text": {"zh": "没有地址为 {path} 的页面;请检查链接,或从上方导航进入",
                          "en": "there is no page at {path}; check the link, or use the navigation above"},
    "page.err.405": {"zh": "此页不接受这种操作", "en": "This page does not take that request"},
    "page.err.405_text": {"zh": "{path} 不接受 {method} 请求;请用页面上的按钮和链接操作",
                          "en": "{path} does not take {method} requests; use the page's buttons and links"},
    "page.err.500": {"zh": "服务器出错了", "en": "Something went wrong on the server"},
    "page.err.503": {"zh": "服务暂不可用", "en": "Service unavailable"},
    "page.err.503_text": {"zh": "服务暂时无法应答;请稍后刷新此页", "en": "the service cannot answer now; reload this page later"},
    # --- polish F ---------------------------------------------------------------------------------------------
    # --- polish G ---------------------------------------------------------------------------------------------
    "progress.estimate": {"zh": "按近 {days} 天进度,预计 {finish} 完成",
                          "en": "at the pace of the last {days} days, done by {finish}"},
    "progress.estimate_sep": {"zh": ",", "en": ", "},
    "progress.estimate_late": {"zh": "晚于{node}节点 {n} 天", "en": "{n} days after the milestone {node}"},
    "progress.estimate_early": {"zh": "早于{node}节点 {n} 天", "en": "{n} days before the milestone {node}"},
    "progress.estimate_on_node": {"zh": "恰在{node}节点", "en": "on the day of the milestone {node}"},
    "progress.estimate_none": {"zh": "近 {days} 天无进展,无法估计完成日期",
                               "en": "no progress in the last {days} days: no estimate"},
    "progress.estimate_done": {"zh": "已全部完成", "en": "all done"},
    "report.estimate.col.total": {"zh": "点位总数", "en": "Places"},
    "report.estimate.col.done": {"zh": "已完成数", "en": "Done"},
    "report.estimate.col.done_in_pace": {"zh": "近 {days} 天完成", "en": "Done in the last {days} days"},
    "report.estimate.col.per_day": {"zh": "日均完成", "en": "Per day"},
    "report.estimate.col.finish": {"zh": "预计完成日期", "en": "Estimated finish"},
    "report.estimate.col.days_late": {"zh": "较全部完成节点(天)", "en": "Days after the final milestone"},
    "report.estimate.col.text": {"zh": "判断", "en": "In words"},
    "report.estimate.whole": {"zh": "全部点位", "en": "All places"},
    "campaigns.title": {"zh": "作战总览", "en": "Campaigns"},
    "campaigns.intro": {"zh": "本服务器上的 {count} 项作战:完成情况与计划对照(只读)",
                        "en": "{count} campaigns on this server: done against the plan (read-only)"},
    "campaigns.col.title": {"zh": "作战", "en": "Campaign"},
    "campaigns.col.done": {"zh": "已完成点位", "en": "Places done"},
    "campaigns.col.share": {"zh": "完成率 / 今日计划", "en": "Share done / planned today"},
    "campaigns.col.verdict": {"zh": "计划对照", "en": "Against the plan"},
    "campaigns.col.next": {"zh": "下一节点", "en": "Next milestone"},
    "progress.estimate_heading": {"zh": "预计完成", "en": "Estimated finish"},
    "campaigns.this_one": {"zh": "(本作战)", "en": "(this one)"},
    "campaigns.done_of": {"zh": "{done} / {total}", "en": "{done} of {total}"},
    "campaigns.share": {"zh": "{done}% / {planned}%", "en": "{done} % / {planned} %"},
    "progress.verdict.ahead": {"zh": "进度超前", "en": "ahead of plan"},
    "progress.verdict.on_track": {"zh": "进度正常", "en": "on plan"},
    "progress.verdict.behind": {"zh": "进度滞后", "en": "behind plan"},
    "campaigns.no_plan": {"zh": "未设时间节点", "en": "no milestones"},
    "campaigns.unreadable": {"zh": "无法读取该作战的数据:{reason}", "en": "this campaign's data cannot be read: {reason}"},
    # --- notify delivery -------------------------------------------------------------------------------------
    "notify.delivery.channel.open_link": {"zh": "打开查看", "en": "Open"},
    "notify.delivery.error.unknown_type": {"zh": "未知的通知渠道类型:{type}", "en": "unknown channel type: {type}"},
    "notify.delivery.error.timeout": {"zh": "接收方 {seconds} 秒内没有应答(超时)",
                                      "en": "the receiver did not answer within {seconds} s (timeout)"},
    "notify.delivery.error.unreachable": {"zh": "无法连接接收方({detail})", "en": "cannot reach the receiver ({detail})"},
    "notify.delivery.error.http_status": {"zh": "接收方答复 HTTP {status}", "en": "the receiver answered HTTP {status}"},
    "notify.delivery.error.not_json": {"zh": "机器人的答复不是 JSON", "en": "the robot's answer is not JSON"},
    "notify.delivery.error.errcode": {"zh": "机器人拒收:errcode {code}({message})",
                                      "en": "the robot refused it: errcode {code} ({message})"},
    "notify.delivery.error.no_smtp": {"zh": "未配置邮件服务器(GUATU_SMTP_HOST)",
                                      "en": "no mail server is configured (GUATU_SMTP_HOST)"},
    "notify.delivery.error.no_address": {"zh": "没有收件地址", "en": "no address to send to"},
    "notify.delivery.error.smtp": {"zh": "邮件服务器出错:{detail}", "en": "the mail server failed: {detail}"},
    "notify.delivery.error.refused": {"zh": "邮件服务器拒收这些地址:{addresses}",
                                      "en": "the mail server refused these addresses: {addresses}"},
    "notify.delivery.error.no_event": {"zh": "这条通知对应的事件已不存在", "en": "the event of this delivery is gone"},
    "notify.delivery.error.channel_gone": {"zh": "通知渠道已删除", "en": "the channel was removed"},
    "notify.delivery.error.channel_off": {"zh": "通知渠道已停用", "en": "the channel is turned off"},
    "notify.delivery.quiet_bad": {"zh": "免打扰时段应为 时:分(如 22:00 到 07:00)",
                                  "en": "quiet hours are hours:minutes (22:00 to 07:00)"},
    "notify.delivery.stored_differs": {"zh": "不是保存时会写入的值", "en": "is not the value a save writes"},
    "notify.delivery.quiet_empty": {"zh": "免打扰的开始和结束不能相同", "en": "quiet hours cannot start and end at once"},
    "notify.delivery.no_channel": {"zh": "没有这个通知渠道:{channel}", "en": "no such channel: {channel}"},
    "notify.delivery.kinds_bad": {"zh": "事件类型只能是:{kinds}", "en": "event kinds are among: {kinds}"},
    "notify.delivery.channel_not_object": {"zh": "应为 JSON 对象", "en": "must be a JSON object"},
    "notify.delivery.channel_name_bad": {"zh": "渠道名称须为 1–64 个字符", "en": "a channel's name is 1–64 characters"},
    "notify.delivery.url_bad": {"zh": "地址应以 http:// 或 https:// 开头(机器人或接收方的完整 Webhook 地址)",
                                "en": "the address starts with http:// or https:// (the robot's or receiver's whole webhook URL)"},
    "notify.delivery.secret_bad": {"zh": "密钥最长 200 个字符", "en": "a secret is at most 200 characters"},
    "notify.delivery.emails_none": {"zh": "请至少填写一个收件邮箱", "en": "give at least one address"},
    "notify.delivery.emails_many": {"zh": "收件邮箱最多 {n} 个", "en": "at most {n} addresses"},
    "notify.delivery.no_email_address": {"zh": "要接收邮件,请先在账号里填写电子邮箱",
                                         "en": "to get email, first put an address on your account"},
    "notify.delivery.retry_delivered": {"zh": "这条通知已送达,无需重发", "en": "this delivery was made: nothing to retry"},
    "notify.delivery.retry_not_failed": {"zh": "只能重发已失败的通知(这条还在自动重试中)",
                                         "en": "only a failed delivery is retried by hand (this one still retries itself)"},
    "notify.delivery.no_delivery": {"zh": "没有这条通知投递记录:{delivery}", "en": "no such delivery: {delivery}"},
    "notify.delivery.needs_account": {
        "zh": "通知设置属于登录的账号:请先登录",
        "en": "notification settings belong to an account: log in first",
    },
    "notify.delivery.test_title": {"zh": "挂图作战通知测试", "en": "Guatu notification test"},
    "notify.delivery.test_text": {
        "zh": "这是发往“{name}”的测试消息:收到即表示通知渠道工作正常。",
        "en": "A test message to “{name}”: if it arrived, the channel works.",
    },
    "notify.delivery.channel_added": {"zh": "已新增通知渠道:{name}", "en": "channel added: {name}"},
    "notify.delivery.channel_saved": {"zh": "已保存通知渠道:{name}", "en": "channel saved: {name}"},
    "notify.delivery.channel_on": {"zh": "已启用通知渠道:{name}", "en": "channel turned on: {name}"},
    "notify.delivery.channel_off": {
        "zh": "已停用通知渠道:{name}(待发的消息会失败,可在投递记录里重发)",
        "en": "channel turned off: {name} (deliveries owed fail; retry them from the log)",
    },
    "notify.delivery.retried": {"zh": "已安排重新发送:{label}", "en": "sent again shortly: {label}"},
    "notify.delivery.settings_saved": {"zh": "通知设置已保存", "en": "notification settings saved"},
    "notify.delivery.cli_running": {
        "zh": "通知发送进程已启动,每 {seconds} 秒一轮(同一时刻只有一个进程发送);按 Ctrl-C 停止",
        "en": "the notifications' sender runs, a round every {seconds} s (one process sends at a time); Ctrl-C stops it",
    },
    "notify.delivery.cli_not_leader": {
        "zh": "另一个进程正在发送通知,本轮未执行",
        "en": "another process is sending notifications: this round did nothing",
    },
    "notify.delivery.cli_tick": {
        "zh": "新事件 {collected} 条,分发 {fanned} 条;送达 {delivered},失败 {failed}",
        "en": "{collected} new events, {fanned} fanned out; {delivered} delivered, {failed} failed",
    },
    "notify.delivery.cli_test_failed": {"zh": "测试消息未能发到“{name}”:{error}", "en": "the test message did not reach “{name}”: {error}"},
    "notify.delivery.cli_test_ok": {"zh": "测试消息已发到“{name}”", "en": "the test message reached “{name}”"},
    "notify.delivery.kind.case_assigned": {"zh": "案件派遣给我或本单位", "en": "a case dispatched to me or my unit"},
    "notify.delivery.kind.case_due_soon": {"zh": "案件环节即将到期", "en": "a case's stage due soon"},
    "notify.delivery.kind.case_overdue": {"zh": "案件环节已超期", "en": "a case's stage overdue"},
    "notify.delivery.kind.case_escalated": {"zh": "案件升级督办", "en": "a case escalated"},
    "notify.delivery.kind.case_returned": {"zh": "核查退回重办", "en": "a fix sent back by the verifier"},
    "notify.delivery.kind.inspection_drawn": {"zh": "当日随机督查名单已抽取", "en": "today's inspection list drawn"},
    "notify.delivery.kind.relapse": {"zh": "已整改点位出现反弹", "en": "a relapse at a place that was done"},
    "notify.delivery.kind.report_arrived": {"zh": "辖区收到群众随手拍", "en": "a resident's report in the area"},
    "notify.delivery.kind.digest": {"zh": "每日早间汇总", "en": "the morning digest"},
    "notify.delivery.kind.daily_report": {"zh": "日报已生成", "en": "the daily report is ready"},
    "notify.delivery.type.wecom": {"zh": "企业微信群机器人", "en": "企业微信 (WeCom) group robot"},
    "notify.delivery.type.dingtalk": {"zh": "钉钉群机器人", "en": "钉钉 (DingTalk) group robot"},
    "notify.delivery.type.webhook": {"zh": "Webhook(签名 JSON)", "en": "Webhook (signed JSON)"},
    "notify.delivery.type.email": {"zh": "邮件组", "en": "email list"},
    "notify.delivery.state.pending": {"zh": "待发送", "en": "to send"},
    "notify.delivery.state.held": {"zh": "免打扰中,稍后发送", "en": "held for quiet hours"},
    "notify.delivery.state.failed": {"zh": "发送失败", "en": "failed"},
    "notify.delivery.state.delivered": {"zh": "已送达", "en": "delivered"},
    "notify.delivery.page.nav": {"zh": "通知渠道", "en": "Notification channels"},
    "notify.delivery.page.title": {"zh": "通知渠道与投递记录", "en": "Notification channels and deliveries"},
    "notify.delivery.page.help": {
        "zh": "群机器人、Webhook 和邮件组按所选范围和事件接收通知;每条投递都记录每次尝试,失败会自动按间隔重试。",
        "en": "Robots, webhooks and email lists hear of the chosen kinds in their area; every attempt is logged "
              "and failures are retried at growing intervals.",
    },
    "notify.delivery.page.channels": {"zh": "群通知渠道", "en": "Group channels"},
    "notify.delivery.page.name": {"zh": "渠道名称", "en": "Channel name"},
    "notify.delivery.page.type": {"zh": "渠道类型", "en": "Type"},
    "notify.delivery.page.url": {"zh": "Webhook 地址", "en": "Webhook URL"},
    "notify.delivery.page.emails": {"zh": "收件邮箱(用逗号分隔)", "en": "Addresses (comma separated)"},
    "notify.delivery.page.secret": {"zh": "密钥(钉钉加签 / Webhook 签名)", "en": "Secret (钉钉 signing / webhook HMAC)"},
    "notify.delivery.page.secret_help": {
        "zh": "修改时留空则保留原密钥;已存的密钥不会完整显示。",
        "en": "Leave empty to keep the stored secret; a stored secret is never shown in full.",
    },
    "notify.delivery.page.secret_shown": {"zh": "密钥 {secret}", "en": "secret {secret}"},
    "notify.delivery.page.kinds": {"zh": "接收哪些事件", "en": "Kinds it hears of"},
    "notify.delivery.page.area_help": {
        "zh": "不选即为全区;选了则只接收所选街道、社区或责任单位的事件。",
        "en": "None chosen: the whole district; otherwise only events of the chosen sub-districts, communities or units.",
    },
    "notify.delivery.page.where": {"zh": "发往", "en": "Sends to"},
    "notify.delivery.page.area": {"zh": "范围", "en": "Area"},
    "notify.delivery.page.quiet": {"zh": "免打扰", "en": "Quiet hours"},
    "notify.delivery.page.quiet_range": {"zh": "{start}–{end}", "en": "{start} to {end}"},
    "notify.delivery.page.quiet_start": {"zh": "免打扰开始时间", "en": "Quiet from"},
    "notify.delivery.page.quiet_end": {"zh": "免打扰结束时间", "en": "Quiet until"},
    "notify.delivery.page.quiet_help": {
        "zh": "免打扰时段内的邮件会等到时段结束再发(紧急事件除外);站内通知随时可见,不会打扰。",
        "en": "Email waits until quiet hours end (urgent events excepted); the in-app inbox receives at once and disturbs nobody.",
    },
    "notify.delivery.page.enabled": {"zh": "启用此渠道", "en": "Channel on"},
    "notify.delivery.page.test": {"zh": "发送测试消息", "en": "Send a test"},
    "notify.delivery.page.edit": {"zh": "修改设置", "en": "Edit"},
    "notify.delivery.page.edit_of": {"zh": "修改渠道 {name}", "en": "Edit channel {name}"},
    "notify.delivery.page.save": {"zh": "保存设置", "en": "Save settings"},
    "notify.delivery.page.no_channels": {"zh": "还没有群通知渠道。", "en": "No group channel yet."},
    "notify.delivery.page.new_channel": {"zh": "新增通知渠道", "en": "New channel"},
    "notify.delivery.page.log": {"zh": "投递记录", "en": "Delivery log"},
    "notify.delivery.page.all": {"zh": "全部投递", "en": "All"},
    "notify.delivery.page.event": {"zh": "通知事件", "en": "Event"},
    "notify.delivery.page.to": {"zh": "接收方", "en": "To"},
    "notify.delivery.page.attempts": {"zh": "每次尝试", "en": "Attempts"},
    "notify.delivery.page.due": {"zh": "时间:{at}", "en": "at {at}"},
    "notify.delivery.page.attempt_ok": {"zh": "送达成功", "en": "delivered"},
    "notify.delivery.page.retry": {"zh": "重新发送", "en": "Send again"},
    "notify.delivery.page.no_deliveries": {"zh": "没有投递记录。", "en": "No deliveries."},
    "notify.delivery.page.damaged": {
        "zh": "以下投递记录不是 Guatu 写入的样子(可能被手工修改或从错误的备份恢复),未列入下表;待发的修正之前不会发送:",
        "en": "These deliveries are not as Guatu writes them (edited by hand or a bad restore); they are left out of "
              "the table below, and one still to send is not sent until put right:"},
    "notify.delivery.page.mine": {"zh": "我的通知设置", "en": "My notifications"},
    "notify.delivery.page.mine_help": {
        "zh": "派给您的案件和您负责范围内的事件会出现在页面顶部的铃铛里;可以关掉不需要的事件,或同时接收邮件。",
        "en": "Cases assigned to you and events in your area show under the bell; turn off kinds you do not need, or get email copies too.",
    },
    "notify.delivery.page.kinds_mine": {"zh": "我要接收的事件", "en": "Kinds I hear of"},
    "notify.delivery.page.address": {"zh": "电子邮箱地址", "en": "Email address"},
    "notify.delivery.page.email_copies": {"zh": "同时发送邮件到这个地址", "en": "Email copies to this address"},
    # --- notify events ---------------------------------------------------------------------------------------
    "notify.ev.assigned.title": {"zh": "新派遣案件:{place}", "en": "Case assigned: {place}"},
    "notify.ev.assigned.text": {"zh": "{where}「{place}」的问题({category})已派遣给{who},请在 {due} 前处置。",
                                "en": "The problem ({category}) at {place}, {where}, is assigned to {who}; fix it by {due}."},
    "notify.ev.returned.title": {"zh": "核查退回:{place}", "en": "Sent back by the verifier: {place}"},
    "notify.ev.returned.text": {"zh": "{where}「{place}」的问题({category})核查未通过,已退回重新处置,请在 {due} 前完成。{note}",
                                "en": "The fix of the problem ({category}) at {place}, {where}, was not accepted and is sent "
                                      "back; finish it by {due}. {note}"},
    "notify.ev.due_soon.title": {"zh": "即将到期:{place}", "en": "Due soon: {place}"},
    "notify.ev.due_soon.text": {"zh": "{where}「{place}」的问题({category})处于「{stage}」环节,将于 {due} 到期。",
                                "en": "The problem ({category}) at {place}, {where}, at the stage {stage}, is due at {due}."},
    "notify.ev.overdue.title": {"zh": "已逾期:{place}", "en": "Overdue: {place}"},
    "notify.ev.overdue.text": {"zh": "{where}「{place}」的问题({category})「{stage}」环节已于 {due} 到期,尚未完成。",
                               "en": "The problem ({category}) at {place}, {where}, passed the due of its stage {stage} "
                                     "({due}) unfinished."},
    "notify.ev.escalated.title": {"zh": "升级督办({level}):{place}", "en": "Escalated to {level}: {place}"},
    "notify.ev.escalated.text": {"zh": "{where}「{place}」的问题({category})「{stage}」环节逾期未办(应于 {due} 完成),"
                                       "已升级至{level}督办。",
                                 "en": "The problem ({category}) at {place}, {where}, is overdue at the stage {stage} "
                                       "(due {due}) and is escalated to {level}."},
    "notify.ev.level.street": {"zh": "街道", "en": "the sub-district"},
    "notify.ev.level.district": {"zh": "指挥部", "en": "the command"},
    "notify.ev.relapse.title": {"zh": "反弹:{place}", "en": "Relapse: {place}"},
    "notify.ev.relapse.text": {"zh": "{where}「{place}」出现反弹,状态改为「{status}」(记录人:{user})。",
                               "en": "{place}, {where}, has relapsed: its status is now {status} (recorded by {user})."},
    "notify.ev.drawn.title": {"zh": "今日督导清单已生成({day})", "en": "Today's inspection list is drawn ({day})"},
    "notify.ev.drawn.text": {"zh": "{day} 的随机督导清单共 {count} 个点位,请按路线前往督导。",
                             "en": "The random inspection list of {day} holds {count} places; inspect them along the route."},
    "notify.ev.digest.title": {"zh": "每日待办({day}):{who}", "en": "Morning digest ({day}): {who}"},
    "notify.ev.digest.text": {"zh": "在办案件 {open} 件,今日到期 {today} 件,已逾期 {overdue} 件。{first}",
                              "en": "{open} open cases, {today} due today, {overdue} overdue. {first}"},
    "notify.ev.digest.first": {"zh": "最急:{where}「{place}」({stage},{due} 到期)。",
                               "en": "Most urgent: {place}, {where} ({stage}, due {due})."},
    "notify.ev.report.title": {"zh": "{day} 日报已生成", "en": "The daily report of {day} is ready"},
    "notify.ev.report.text": {"zh": "{day} 的作战日报已可查看和下载(PDF、Excel)。",
                              "en": "The campaign's daily report of {day} can be read and downloaded (PDF, Excel)."},
    "notify.ev.nobody": {"zh": "待定", "en": "nobody yet"},
    "notify.ev.no_due": {"zh": "未设期限", "en": "no due"},
    "notify.inbox.no_item": {"zh": "您的通知中没有 {id}(可能已被清理),未做任何标记", "en": "your inbox holds no {id} "
                             "(it may have been cleared); nothing was marked"},
    "notify.inbox.too_many": {"zh": "一次最多标记 {maximum} 条", "en": "at most {maximum} at once"},
    "notify.inbox.ids_or_all": {"zh": "请给出要标为已读的通知 ids,或 all: true(二者选一)",
                                "en": "give the ids of the notifications to mark read, or all: true (one of the two)"},
    "notify.inbox.ids_list": {"zh": "ids 应为通知编号的列表", "en": "ids must be a list of notification ids"},
    "notify.inbox.no_account": {"zh": "通知只发给有账户的人,请先登录", "en": "notifications are for people with an "
                                "account: log in first"},
    "notify.inbox.title": {"zh": "我的通知", "en": "My notifications"},
    "notify.inbox.unread": {"zh": "未读 {count} 条,共 {total} 条", "en": "{count} unread of {total}"},
    "notify.inbox.empty": {"zh": "暂无通知。案件派遣、临期、逾期、督办等消息会出现在这里。",
                           "en": "No notifications yet. Cases assigned, due soon, overdue or escalated show here."},
    "notify.inbox.mark_read": {"zh": "标为已读", "en": "Mark read"},
    "notify.inbox.all_read": {"zh": "全部标为已读", "en": "Mark all read"},
    "notify.inbox.unread_tag": {"zh": "未读", "en": "Unread"},
    "notify.inbox.older": {"zh": "更早的通知 ▸", "en": "Older ▸"},
    "notify.inbox.newer": {"zh": "◂ 较新的通知", "en": "◂ Newer"},
    "notify.inbox.bell": {"zh": "通知:{count} 条未读", "en": "Notifications: {count} unread"},
    "notify.inbox.bell_unknown": {"zh": "通知", "en": "Notifications"},
    "notify.inbox.kind.case_assigned": {"zh": "派遣", "en": "Assigned"},
    "notify.inbox.kind.case_due_soon": {"zh": "临期", "en": "Due soon"},
    "notify.inbox.kind.case_overdue": {"zh": "逾期", "en": "Overdue"},
    "notify.inbox.kind.case_escalated": {"zh": "督办", "en": "Escalated"},
    "notify.inbox.kind.case_returned": {"zh": "退回", "en": "Sent back"},
    "notify.inbox.kind.inspection_drawn": {"zh": "督导清单", "en": "Inspection list"},
    "notify.inbox.kind.relapse": {"zh": "反弹", "en": "Relapse"},
    "notify.inbox.kind.report_arrived": {"zh": "群众上报", "en": "Resident report"},
    "notify.inbox.kind.digest": {"zh": "每日待办", "en": "Digest"},
    "notify.inbox.kind.daily_report": {"zh": "日报已出", "en": "Report ready"},
    # --- residents -------------------------------------------------------------------------------------------
    "residents.challenge_missing": {
        "zh": "缺少防刷验证,请刷新页面后重新提交",
        "en": "the anti-abuse check is missing; reload the page and send again",
    },
    "residents.challenge_forged": {"zh": "防刷验证无效,请刷新页面后重新提交", "en": "the anti-abuse check is not valid; reload"},
    "residents.challenge_expired": {"zh": "防刷验证已过期,请重新提交", "en": "the anti-abuse check has expired; send again"},
    "residents.challenge_unpaid": {"zh": "防刷验证未通过,请重新提交", "en": "the anti-abuse check failed; send again"},
    "residents.challenge_reused": {"zh": "这份防刷验证已用过,请重新提交", "en": "this anti-abuse check was used before; send again"},
    "residents.throttled": {
        "zh": "提交太频繁了,请约 {minutes} 分钟后再试",
        "en": "too many reports from here; try again in about {minutes} minutes",
    },
    "residents.bad_client_id": {"zh": "提交编号格式不对", "en": "not a valid submission id"},
    "residents.body_too_large": {"zh": "提交内容过大(上限 {kb} KB)", "en": "the submission is too large (at most {kb} KB)"},
    "residents.no_file": {"zh": "请选择一张照片", "en": "choose a photo"},
    "residents.unknown_action": {"zh": "未知的分拣操作,应为 {actions} 之一", "en": "unknown triage action; one of {actions}"},
    "residents.no_photo": {"zh": "这条反映没有这张照片", "en": "this report shows no such photo"},
    "residents.page.title": {"zh": "随手拍 · 反映问题", "en": "Report a problem"},
    "residents.page.heading": {"zh": "随手拍:反映身边的问题", "en": "Report a problem near you"},
    "residents.page.lead": {
        "zh": "无需注册。点地图标出位置,选类别、写几句、拍张照,提交后凭受理编号查看办理结果。",
        "en": "No account needed. Pin the place, choose a kind, say what is wrong, add a photo; follow it with the receipt code.",
    },
    "residents.page.where": {"zh": "在哪里", "en": "Where"},
    "residents.page.map": {"zh": "选择位置的地图", "en": "map to pin the place"},
    "residents.page.pin_hint": {
        "zh": "请在地图上点选问题位置,或使用手机定位",
        "en": "tap the map where the problem is, or use the phone's location",
    },
    "residents.page.use_gps": {"zh": "使用我的位置", "en": "Use my location"},
    "residents.page.address": {"zh": "地址或标志物(选填)", "en": "Address or landmark (optional)"},
    "residents.page.what": {"zh": "什么问题", "en": "What"},
    "residents.page.choose": {"zh": "请选择", "en": "choose"},
    "residents.page.description": {"zh": "问题描述", "en": "What is wrong"},
    "residents.page.photos": {"zh": "照片(最多 {n} 张)", "en": "Photos (at most {n})"},
    "residents.page.optional": {"zh": "联系方式(选填)", "en": "Contact (optional)"},
    "residents.page.phone": {"zh": "手机号", "en": "Phone number"},
    "residents.page.phone_note": {
        "zh": "只在需要核实时由工作人员联系您,不会公开显示。",
        "en": "Only staff see it, to call you back if needed; never shown publicly.",
    },
    "residents.page.squad": {"zh": "志愿者小分队编号", "en": "Volunteer squad code"},
    "residents.page.send": {"zh": "提交反映", "en": "Send the report"},
    "residents.page.thanks": {"zh": "感谢您的反映", "en": "Thank you"},
    "residents.page.again": {"zh": "再反映一个问题", "en": "Report another problem"},
    "residents.page.mine": {"zh": "我反映过的问题", "en": "My reports"},
    "residents.page.lookup": {"zh": "凭受理编号查询", "en": "Look up a receipt code"},
    "residents.page.lookup_go": {"zh": "查询", "en": "Look up"},
    "residents.page.noscript": {"zh": "此页面需要启用 JavaScript。", "en": "This page needs JavaScript."},
    "residents.follow.title": {"zh": "反映 {code} 的办理情况", "en": "Report {code}"},
    "residents.follow.heading": {"zh": "办理情况", "en": "Progress"},
    "residents.follow.stage": {"zh": "当前环节:{stage}", "en": "Current step: {stage}"},
    "residents.follow.reason": {"zh": "原因:{reason}", "en": "Reason: {reason}"},
    "residents.follow.area": {"zh": "所在区域", "en": "Area"},
    "residents.follow.when": {"zh": "反映时间", "en": "Reported"},
    "residents.follow.photo": {"zh": "反映时的照片", "en": "photo sent with the report"},
    "residents.follow.after": {"zh": "整改后照片", "en": "after the fix"},
    "residents.follow.rated": {"zh": "您的评价:{rating}", "en": "Your rating: {rating}"},
    "residents.follow.rate": {"zh": "对办理结果满意吗?", "en": "Are you satisfied with the result?"},
    "residents.follow.comment": {"zh": "补充意见(选填)", "en": "Comment (optional)"},
    "residents.follow.rate_send": {"zh": "提交评价", "en": "Send the rating"},
    "residents.follow.back": {"zh": "返回随手拍", "en": "Back to reporting"},
    "residents.triage.title": {"zh": "群众反映分拣", "en": "Residents' reports: triage"},
    "residents.triage.nav": {"zh": "群众反映", "en": "Residents' reports"},
    "residents.triage.empty": {"zh": "没有需要处理的反映。", "en": "No reports here."},
    "residents.triage.hidden": {"zh": "已对公众隐藏", "en": "hidden from the public"},
    "residents.triage.contact": {"zh": "联系人:{name} {phone}", "en": "Contact: {name} {phone}"},
    "residents.triage.case": {"zh": "查看案件", "en": "Open the case"},
    "residents.triage.accept": {"zh": "受理立案", "en": "Accept as a case"},
    "residents.triage.merge_into": {"zh": "并入附近未结案件", "en": "Merge into an open case nearby"},
    "residents.triage.candidate": {"zh": "{place} · {category} · {metres} 米", "en": "{place} · {category} · {metres} m"},
    "residents.triage.merge": {"zh": "并案", "en": "Merge"},
    "residents.triage.reason": {"zh": "不予受理的原因(反映人可见)", "en": "Why it is rejected (the reporter reads it)"},
    "residents.triage.reject": {"zh": "不予受理", "en": "Reject"},
    "residents.triage.hide": {"zh": "对公众隐藏文字和照片", "en": "Hide its text and photos from the public"},
    "residents.triage.show": {"zh": "恢复公开显示", "en": "Show them again"},
    "residents.bad_location": {
        "zh": "位置无效:请在地图上点选或使用手机定位",
        "en": "not a valid position: pin it on the map or use the phone's location",
    },
    "residents.outside_area": {
        "zh": "位置不在{district}范围内,请在辖区内点选",
        "en": "the position is outside {district}; pin a point inside the district",
    },
    "residents.unknown_category": {"zh": "请选择问题类别", "en": "choose a kind of problem"},
    "residents.bad_phone": {
        "zh": "电话号码格式不对(只能含数字、空格和短横线)",
        "en": "not a phone number (digits, spaces and dashes only)",
    },
    "residents.unknown_channel": {"zh": "未知的来源,应为 {channels} 之一", "en": "unknown channel; one of {channels}"},
    "residents.too_many_photos": {"zh": "照片最多 {limit} 张", "en": "at most {limit} photos"},
    "residents.photo_missing": {
        "zh": "照片尚未上传或已失效,请重新选择照片",
        "en": "the photo was not uploaded or has expired; choose it again",
    },
    "residents.event_title": {"zh": "群众随手拍:{category}", "en": "resident report: {category}"},
    "residents.event_text": {"zh": "{area}:{description}", "en": "{area}: {description}"},
    "residents.area_unknown": {"zh": "辖区未定", "en": "area not known"},
    "residents.no_report": {"zh": "没有这个受理编号的反映,请核对编号", "en": "no report has this receipt code; check the code"},
    "residents.not_your_area": {"zh": "这条反映不在您负责的区域内", "en": "this report is outside your areas"},
    "residents.already_triaged": {
        "zh": "这条反映已处理过(当前:{state}),不能再次分拣",
        "en": "this report was triaged before ({state}); it cannot be triaged again",
    },
    "residents.state.received": {"zh": "待分拣", "en": "waiting for triage"},
    "residents.state.accepted": {"zh": "已立案", "en": "accepted as a case"},
    "residents.state.merged": {"zh": "已并案", "en": "merged into a case"},
    "residents.state.rejected": {"zh": "不予受理", "en": "rejected"},
    "residents.place_needs_both": {"zh": "指定地点需同时给出图层和编号", "en": "a place needs both its layer and its id"},
    "residents.no_place": {"zh": "本作战还没有任何地点,无法立案", "en": "the campaign has no place to file the case on"},
    "residents.found_by": {"zh": "群众随手拍 {code}", "en": "resident report {code}"},
    "residents.taken_by": {"zh": "反映人", "en": "reporter"},
    "residents.place_busy": {"zh": "地点 {fid} 正被频繁修改,请稍后再试", "en": "place {fid} is being changed too often; try again shortly"},
    "residents.not_a_candidate": {
        "zh": "只能并入反映点 {metres} 米内未结案的案件",
        "en": "only an open case within {metres} m of the report can take it",
    },
    "residents.progress.received": {"zh": "已收到,待受理", "en": "received, waiting to be accepted"},
    "residents.progress.accepted": {"zh": "已受理", "en": "accepted"},
    "residents.progress.handling": {"zh": "正在处置", "en": "being handled"},
    "residents.progress.closed": {"zh": "已办结", "en": "done"},
    "residents.progress.rejected": {"zh": "未受理", "en": "not accepted"},
    "residents.rating.satisfied": {"zh": "满意", "en": "satisfied"},
    "residents.rating.basic": {"zh": "基本满意", "en": "fairly satisfied"},
    "residents.rating.unsatisfied": {"zh": "不满意", "en": "not satisfied"},
    "residents.unknown_rating": {"zh": "请选择 满意、基本满意 或 不满意", "en": "choose satisfied, fairly satisfied or not satisfied"},
    "residents.rated_before": {"zh": "这条反映已经评价过了", "en": "this report was rated before"},
    "residents.not_closed_yet": {"zh": "办结后才能评价", "en": "it can be rated once it is done"},
    # Open311 and satisfaction
    "open311.service_description": {"zh": "反映“{category}”问题", "en": "report a problem of “{category}”"},
    "open311.unknown_service": {"zh": "没有这项服务:{code}(可用的见 services.json)",
                                "en": "no such service: {code} (services.json lists them)"},
    "open311.missing": {"zh": "缺少必填字段 {field}", "en": "the required field {field} is missing"},
    "open311.bad_number": {"zh": "应为 {low} 到 {high} 之间的数字,收到 {got}",
                           "en": "expected a number from {low} to {high}, got {got}"},
    "open311.lat_long_pair": {"zh": "lat 和 long 要一起给出", "en": "give lat and long together"},
    "open311.no_location": {"zh": "请给出位置:lat 和 long,或 address_string",
                            "en": "give a position: lat and long, or address_string"},
    "open311.address_unknown": {"zh": "地址“{address}”中找不到本次整治的点位、社区或街道名称,请给出 lat 和 long",
                                "en": "“{address}” names no place, community or sub-district of the campaign; "
                                      "give lat and long"},
    "open311.notice_received": {"zh": "已收到,回执码 {code},凭此码可查询办理进度。",
                                "en": "received: receipt code {code}, to follow its progress."},
    "open311.notice_media_url": {"zh": "media_url 未下载(本系统不访问外部地址),请在受理后由工作人员补拍照片。",
                                 "en": "media_url was not fetched (this system reaches nothing outside); staff take "
                                       "the photos once it is accepted."},
    "open311.notice_email": {"zh": "email 不保存。", "en": "email is not kept."},
    "open311.bad_id": {"zh": "回执码应为 8 位字母数字,收到 {got}", "en": "a receipt code has 8 letters and digits, got {got}"},
    "open311.bad_date": {"zh": "日期时间格式应如 2026-12-07T08:00:00+08:00 或 2026-12-07,收到 {got}",
                         "en": "expected a date-time like 2026-12-07T08:00:00+08:00 or a date, got {got}"},
    "open311.bad_status": {"zh": "status 只能是 open、closed,收到 {got}", "en": "status is open or closed, got {got}"},
    "open311.bad_page": {"zh": "{key} 应为 1 到 {high} 的整数,收到 {got}",
                         "en": "{key} is a whole number from 1 to {high}, got {got}"},
    "open311.dates_reversed": {"zh": "end_date 早于 start_date", "en": "end_date is before start_date"},
    "open311.too_large": {"zh": "请求内容超过 {kb} KB", "en": "the request is over {kb} KB"},
    "open311.bad_key": {"zh": "api_key 无效或已撤销", "en": "the api_key is unknown or revoked"},
    "open311.key_role": {"zh": "api_key 所属账号的角色须为督导员或以上",
                         "en": "the api_key's account must be an inspector or above"},
    "open311.key_needed": {"zh": "提交问题需要 api_key(由管理员为接入账号生成的 API 令牌)",
                           "en": "posting needs an api_key (an API token the administrator makes for the account)"},
    "open311.list_needs_key": {"zh": "按条件列出需要 api_key;不带 api_key 只能按回执码(service_request_id)查询",
                               "en": "listing by filters needs an api_key; without one, ask by receipt codes "
                                     "(service_request_id)"},
    "open311.contact": {"zh": "{title} 指挥部", "en": "{title}: the command office"},
    "open311.key_service": {"zh": "api_key 是督导员或以上角色账号的 API 令牌:请管理员建立接入账号并在“我的账户”页生成令牌",
                            "en": "an api_key is an API token of an inspector's (or higher) account: ask the "
                                  "administrator for an account and make the token on its account page"},
    "open311.method": {"zh": "此地址不接受 {method} 请求(可用:{allowed})",
                       "en": "this address does not take {method} (it takes {allowed})"},
    "open311.json_only": {"zh": "本接口只提供 JSON 格式:请把 .xml 换成 .json",
                          "en": "this endpoint speaks JSON only: ask for .json instead of .xml"},
    "open311.not_an_object": {"zh": "请求体应为表单或 JSON 对象", "en": "the body must be a form or a JSON object"},
    "open311.no_such_path": {"zh": "没有这个地址:{path}", "en": "no such address: {path}"},
    "satisfaction.sheet": {"zh": "群众满意度", "en": "Residents' satisfaction"},
    "satisfaction.total": {"zh": "全区合计", "en": "Whole district"},
    "satisfaction.whole_street": {"zh": "(全街道)", "en": "(whole sub-district)"},
    "satisfaction.no_street": {"zh": "(街道未知)", "en": "(sub-district unknown)"},
    "satisfaction.no_community": {"zh": "(社区未知)", "en": "(community unknown)"},
    "satisfaction.col.day_received": {"zh": "当日收到", "en": "Received today"},
    "satisfaction.col.day_accepted": {"zh": "当日受理", "en": "Accepted today"},
    "satisfaction.col.day_closed": {"zh": "当日办结", "en": "Closed today"},
    "satisfaction.col.day_rated": {"zh": "当日评价", "en": "Rated today"},
    "satisfaction.col.day_rate": {"zh": "当日满意率(%)", "en": "Satisfaction today (%)"},
    "satisfaction.col.all_received": {"zh": "累计收到", "en": "Received in all"},
    "satisfaction.col.all_accepted": {"zh": "累计受理", "en": "Accepted in all"},
    "satisfaction.col.all_rejected": {"zh": "累计未受理", "en": "Rejected in all"},
    "satisfaction.col.all_closed": {"zh": "累计办结", "en": "Closed in all"},
    "satisfaction.col.all_rated": {"zh": "累计评价", "en": "Rated in all"},
    "satisfaction.col.all_satisfied": {"zh": "满意", "en": "Satisfied"},
    "satisfaction.col.all_basic": {"zh": "基本满意", "en": "Fairly satisfied"},
    "satisfaction.col.all_unsatisfied": {"zh": "不满意", "en": "Not satisfied"},
    "satisfaction.col.all_rate": {"zh": "累计满意率(%)", "en": "Satisfaction in all (%)"},
    "satisfaction.rate_pct": {"zh": "满意率 {rate}%", "en": "satisfaction {rate} %"},
    "satisfaction.figure": {"zh": "群众满意率(累计)", "en": "residents' satisfaction, in all"},
    "satisfaction.rate_none": {"zh": "尚无评价", "en": "nothing rated yet"},
    "satisfaction.summary": {
        "zh": "群众反映:今日收到 {received} 件、办结 {closed} 件、评价 {rated} 件;累计收到 {all_received} 件、"
              "办结 {all_closed} 件、评价 {all_rated} 件,{rate}(满意 + 基本满意 / 已评价)",
        "en": "Residents' reports: today {received} received, {closed} closed, {rated} rated; in all {all_received} "
              "received, {all_closed} closed, {all_rated} rated, {rate} (satisfied + fairly satisfied over rated)",
    },
    # --- polish H --------------------------------------------------------------------------------------------
    "page.err.retry": {"zh": "重新加载此页", "en": "Reload this page"},
    # the daily report's sheets and columns (geo/daily_report.py), the printed map's sheet (geo/printing/sheet.py)
    "report.sheet.progress": {"zh": "进度", "en": "Progress (sheet)"},
    "report.sheet.problems": {"zh": "问题", "en": "Problems of the day"},
    "report.sheet.overdue": {"zh": "逾期", "en": "Overdue problems"},
    "report.sheet.overnight": {"zh": "过夜", "en": "Overnight problems"},
    "report.sheet.relapsed": {"zh": "反弹", "en": "Relapsed places"},
    "report.sheet.inspections": {"zh": "督导", "en": "Inspections of the day"},
    "report.col.street": {"zh": "街道", "en": "Sub-district (report)"},
    "report.col.total": {"zh": "合计", "en": "Total"},
    "report.col.done": {"zh": "已完成", "en": "Done (report)"},
    "report.col.share": {"zh": "完成率(%)", "en": "Share done (%)"},
    "report.col.change": {"zh": "变化", "en": "Change"},
    "report.col.fid": {"zh": "点位编号", "en": "Place id (report)"},
    "report.col.place": {"zh": "点位名称", "en": "Place (report)"},
    "report.col.community": {"zh": "社区", "en": "Community (report)"},
    "report.col.pid": {"zh": "问题编号", "en": "Problem id"},
    "report.col.category": {"zh": "类别", "en": "Category (report)"},
    "report.col.description": {"zh": "问题描述", "en": "Description (report)"},
    "report.col.found_by": {"zh": "发现方式", "en": "Found by (report)"},
    "report.col.found_on": {"zh": "发现日期", "en": "Found on (report)"},
    "report.col.deadline": {"zh": "整改时限", "en": "Deadline (report)"},
    "report.col.responsible": {"zh": "责任人", "en": "Responsible (report)"},
    "report.col.status": {"zh": "状态", "en": "Status (report)"},
    "report.col.closed_on": {"zh": "销号日期", "en": "Closed on (report)"},
    "report.col.due": {"zh": "时限", "en": "Due"},
    "report.col.days_late": {"zh": "逾期天数", "en": "Days overdue"},
    "report.col.days_open": {"zh": "已过天数", "en": "Days open"},
    "report.col.relapsed_on": {"zh": "反弹日期", "en": "Relapsed on"},
    "report.col.relapsed_today": {"zh": "当日反弹", "en": "Relapsed that day"},
    "report.col.open_problems": {"zh": "未销号问题", "en": "Open problems (report)"},
    "report.col.unit": {"zh": "责任单位", "en": "Responsible unit (report)"},
    "report.col.seq": {"zh": "序号", "en": "No. (report)"},
    "report.col.result": {"zh": "结果", "en": "Result (report)"},
    "report.col.notes": {"zh": "情况说明", "en": "Notes (report)"},
    "report.col.inspector": {"zh": "督导人", "en": "Inspector"},
    "report.col.time": {"zh": "时间", "en": "Time (report)"},
    "report.col.new_problem": {"zh": "新增问题", "en": "New problem (report)"},
    "report.change.opened": {"zh": "新增", "en": "found"},
    "report.change.closed": {"zh": "销号", "en": "closed"},
    "report.change.both": {"zh": "新增并销号", "en": "found and closed"},
    "report.whole_place": {"zh": "整体整改", "en": "the whole place"},
    "report.whole_place_late": {"zh": "未按时间节点完成", "en": "not done by its deadline (report)"},
    "report.yes": {"zh": "是", "en": "yes (report)"},
    "report.not_inspected": {"zh": "未督导", "en": "not inspected yet"},
    "places.no_street": {"zh": "(未填街道)", "en": "(no sub-district)"},
    "places.no_community": {"zh": "(未填社区)", "en": "(no community)"},
    "places.all": {"zh": "全部", "en": "all places"},
    "places.late": {"zh": "整体整改未按时间节点完成", "en": "the whole place is not done by its deadline"},
    "ledger.responsible_role": {"zh": "问题责任人", "en": "responsible for a problem"},
    "mine.no_one": {"zh": "请指定责任人(?person=…)或责任单位(?unit=…)",
                    "en": "Name a person (?person=…) or a unit (?unit=…)"},
    "inspections.result.none": {"zh": "待督导", "en": "to be inspected"},
    "inspections.result.ok": {"zh": "正常", "en": "ok"},
    "inspections.result.problem": {"zh": "发现问题", "en": "problem found"},
    "inspections.result.relapse": {"zh": "反弹", "en": "relapse"},
    "page.ogc.collection_description": {"zh": "{title}: {count} 处 ({kinds})", "en": "{title}: {count} places ({kinds})"},
    "report.file": {"zh": "日报-{day}.{ext}", "en": "daily-report-{day}.{ext}"},
    "report.xlsx.title": {"zh": "{title} 日报 {day}(数据截至 {as_of})", "en": "{title} daily report {day} (data as of {as_of})"},
    "report.xlsx.empty": {"zh": "(无)", "en": "(none)"},
    "campaigns.source_empty": {"zh": "其他行动的数据目录不能为空", "en": "another campaign's data directory cannot be empty"},
    "campaigns.source_shape": {
        "zh": "每项须为数据目录,或只含 {keys} 的表(data 为数据目录)",
        "en": "each entry must be a data directory, or a table with only {keys} (data: the data directory)",
    },
    "campaigns.source_url": {
        "zh": "database_url 须为 postgresql:// 开头的数据库地址",
        "en": "database_url must be a database URL starting with postgresql://",
    },
    "campaigns.source_json": {"zh": "不是有效的 JSON 列表({detail})", "en": "not a valid JSON list ({detail})"},
    "print.atlas.route_overview": {"zh": "全程路线(共 {n} 站)", "en": "the whole route ({n} stops)"},
    "print.creator": {"zh": "Guatu 挂图", "en": "Guatu wall map"},
    "print.sheet.tz.beijing": {"zh": "北京时间", "en": "Beijing time"},
    "print.sheet.tz.urumqi": {"zh": "乌鲁木齐时间", "en": "Urumqi time"},
    "print.sheet.line.district": {"zh": "区界", "en": "District boundary"},
    "print.sheet.line.street": {"zh": "街道界", "en": "Sub-district boundary"},
    "print.sheet.line.community": {"zh": "社区界", "en": "Community boundary"},
    "print.sheet.km": {"zh": "千米", "en": "km"},
    "print.sheet.m": {"zh": "米", "en": "m"},
    "print.sheet.north": {"zh": "北", "en": "N"},
    "print.sheet.scale": {"zh": "比例尺 {scale}", "en": "Scale {scale}"},
    "print.sheet.view": {"zh": "{district}（当前视图）", "en": "{district} (the current view)"},
    "print.sheet.whole": {"zh": "{district}全域", "en": "all of {district}"},
    "print.sheet.layers": {"zh": "图层：{names}", "en": "layers: {names}"},
    "print.sheet.statuses": {"zh": "状态：{names}", "en": "statuses: {names}"},
    "print.sheet.kinds": {"zh": "类型：{names}", "en": "kinds: {names}"},
    "print.sheet.categories": {"zh": "问题类别：{names}", "en": "problem categories: {names}"},
    "print.sheet.scope": {"zh": "范围：{parts}", "en": "scope: {parts}"},
    "print.sheet.no_street": {"zh": "（未填街道）", "en": "(no sub-district given)"},
    "print.sheet.legend": {"zh": "图例 · 整改状态", "en": "Legend \u00b7 status"},
    "print.sheet.overdue_ring": {"zh": "逾期（外圈）", "en": "overdue (outer ring)"},
    "print.sheet.total": {"zh": "合计 {total} 处 · 已完成 {done} 处（{share}）", "en": "{total} places \u00b7 {done} done ({share})"},
    "print.sheet.streets": {"zh": "各街道整改进度", "en": "Progress by sub-district"},
    "print.sheet.col.street": {"zh": "街道", "en": "Sub-district (sheet)"},
    "print.sheet.col.total": {"zh": "总数", "en": "Places"},
    "print.sheet.col.done": {"zh": "完成", "en": "Done (sheet)"},
    "print.sheet.col.share": {"zh": "完成率", "en": "Share (sheet)"},
    "print.sheet.rest": {"zh": "其余 {n} 个街道", "en": "{n} more sub-districts"},
    "print.sheet.sum": {"zh": "合计", "en": "Total (sheet)"},
    "print.sheet.as_of": {"zh": "数据截至 {as_of}", "en": "Data as of {as_of}"},
    "print.sheet.source": {"zh": "数据来源：{source}", "en": "Source: {source}"},
    "print.sheet.default_source": {"zh": "Guatu 挂图作战台账", "en": "Guatu campaign ledger"},
    "print.sheet.crs": {
        "zh": "坐标系 WGS 84 / UTM {zone}（{crs}）· 打印于 {printed}",
        "en": "WGS 84 / UTM {zone} ({crs}) · printed {printed}",
    },
    # --- the pages' scripts (web/static/js): generated into web/static/js/lib/messages.js -----------------------
    # (`python -m web.core.js_messages` writes that file; the key prefixes it takes are declared there)
    # wall map: loading, tooltip
    "wall.load_failed_retrying": {"zh": "数据加载失败,正在重试……", "en": "loading the data failed; retrying…"},
    "wall.tooltip.kind": {"zh": "类型", "en": "Kind"},
    "wall.tooltip.status": {"zh": "状态", "en": "Status"},
    "wall.tooltip.street": {"zh": "街道", "en": "Sub-district"},
    "wall.tooltip.overdue": {"zh": "逾期", "en": "Overdue"},
    "wall.tooltip.overdue_problems": {"zh": "{n} 个问题逾期", "en": "{n} problem(s) overdue"},
    "wall.tooltip.overdue_deadline": {"zh": "未按时间节点完成", "en": "milestone missed"},
    "wall.tooltip.open_problems": {"zh": "未销号问题", "en": "Open problems"},
    "wall.tooltip.open_count": {"zh": "{n} 个", "en": "{n}"},
    "wall.tooltip.open_count_overnight": {"zh": "{n} 个(含过夜问题)", "en": "{n} (some open overnight)"},
    "wall.tooltip.hint": {"zh": "点击查看详情", "en": "click for details"},
    # wall map: today's inspections
    "wall.inspections.title": {"zh": "今日督导", "en": "Today's inspections"},
    "wall.inspections.none": {"zh": "今日没有督导清单", "en": "no inspection list for today"},
    "wall.inspections.fixed": {"zh": "(立行立改)", "en": "(fixed on the spot)"},
    "wall.inspections.more": {"zh": "另有 {n} 处", "en": "{n} more"},
    # basemaps, printing
    "basemaps.none": {"zh": "无底图(仅数据)", "en": "no basemap (data only)"},
    "basemaps.crs_failed": {
        "zh": "底图坐标切换失败,请刷新页面",
        "en": "switching the basemap's coordinate system failed; please reload the page",
    },
    "print.button": {"zh": "打印", "en": "Print"},
    "print.button_title": {"zh": "选择纸张、范围和内容后打印", "en": "choose paper, area and contents, then print"},
    # editor: fields, a stale save
    "editor.field.name": {"zh": "名称", "en": "Name"},
    "editor.field.kind": {"zh": "类型", "en": "Kind"},
    "editor.field.street": {"zh": "街道", "en": "Sub-district"},
    "editor.field.community": {"zh": "社区", "en": "Community"},
    "editor.field.status": {"zh": "状态", "en": "Status"},
    "editor.field.deadline": {"zh": "时间节点", "en": "Milestone"},
    "editor.field.unit": {"zh": "责任单位", "en": "Responsible unit"},
    "editor.field.people": {"zh": "责任人", "en": "Responsible people"},
    "editor.field.notes": {"zh": "备注", "en": "Notes"},
    "editor.field.problems": {"zh": "台账", "en": "Ledger"},
    "editor.conflict.reload": {"zh": "载入最新版本(放弃我的修改)", "en": "Load the latest version (drop my changes)"},
    "editor.conflict.reloaded": {"zh": "已载入最新版本。", "en": "The latest version is loaded."},
    # wall map: title, legend, search, card
    "wall.as_of": {"zh": "数据截至 {time}", "en": "data as of {time}"},
    "wall.filter.statuses": {"zh": "状态:", "en": "Statuses: "},
    "wall.filter.categories": {"zh": "问题类别:", "en": "Problem categories: "},
    "wall.filter.layers": {"zh": "图层:", "en": "Layers: "},
    "wall.filter.and": {"zh": "、", "en": ", "},
    "wall.legend.title": {"zh": "整改状态", "en": "Rectification status"},
    "wall.legend.overdue": {"zh": "逾期(品红外圈)", "en": "overdue (magenta ring)"},
    "wall.legend.overnight": {"zh": "过夜问题(闪烁白圈)", "en": "problem open overnight (blinking white ring)"},
    "wall.legend.flash": {"zh": "刚刚变化(蓝框闪烁)", "en": "just changed (blinking blue frame)"},
    "wall.legend.progress": {"zh": "共 {total} 处 · 完成 {done} 处({pct}%)", "en": "{total} places · {done} done ({pct}%)"},
    "wall.search.placeholder": {"zh": "搜索地点名称", "en": "search a place by name"},
    "wall.search.none": {"zh": "没有找到", "en": "nothing found"},
    "wall.search.searching": {"zh": "正在查找…", "en": "searching…"},
    "wall.search.failed": {
        "zh": "暂时查不到大图层的地点,先列出已载入的",
        "en": "the large layers' places could not be searched; those loaded are listed",
    },
    "wall.card.close": {"zh": "关闭", "en": "Close"},
    "wall.card.dossier": {"zh": "打印一点一档(PDF)", "en": "Print the place dossier (PDF)"},
    "wall.card.loading": {"zh": "正在读取……", "en": "reading…"},
    "wall.card.failed": {"zh": "读取失败", "en": "reading failed"},
    "wall.place.unreachable": {"zh": "未能打开该地点,请稍后再试", "en": "that place could not be opened: try again later"},
    "wall.card.as_of": {"zh": "{day} 当日状态", "en": "status on {day}"},
    "wall.card.overdue": {"zh": "逾期", "en": "overdue"},
    "wall.card.days_late": {"zh": "逾期 {n} 天", "en": "{n} day(s) overdue"},
    "wall.card.has_overnight": {"zh": "有过夜问题", "en": "has problems open overnight"},
    "wall.card.deadline": {"zh": "时间节点", "en": "Milestone"},
    "wall.card.no_deadline": {"zh": "未定", "en": "not set"},
    "wall.card.unit": {"zh": "责任单位", "en": "Responsible unit"},
    "wall.card.open_problems": {"zh": "未销号问题 {n} 个", "en": "{n} open problem(s)"},
    "wall.card.closed_problems": {"zh": "(已销号 {n} 个)", "en": "({n} closed)"},
    "wall.card.problem": {"zh": "问题", "en": "problem"},
    "wall.card.overnight": {"zh": "过夜", "en": "overnight"},
    "wall.card.problem_deadline": {"zh": "时限 {day}", "en": "due {day}"},
    "wall.card.found": {"zh": "发现 {day}", "en": "found {day}"},
    "wall.card.found_by": {"zh": "发现 {day}({by})", "en": "found {day} ({by})"},
    "wall.card.responsible": {"zh": "责任人 {who}", "en": "responsible: {who}"},
    "wall.card.more": {"zh": "另有 {n} 个", "en": "{n} more"},
    # wall map: names on the map
    "wall.labels.probe": {"zh": "测", "en": "M"},
    # wall map: the progress dashboard
    "wall.dash.title": {"zh": "进度看板", "en": "Progress dashboard"},
    "wall.dash.loading": {"zh": "正在统计……", "en": "counting…"},
    "wall.dash.failed": {"zh": "看板数据加载失败,正在重试……", "en": "loading the dashboard failed; retrying…"},
    "wall.dash.totals": {"zh": "整体进度", "en": "Overall progress"},
    "wall.dash.done_of": {"zh": "完成 {done} / {total} 处", "en": "{done} of {total} places done"},
    "wall.dash.fact.overdue": {"zh": "逾期地点", "en": "places overdue"},
    "wall.dash.fact.overnight": {"zh": "过夜地点", "en": "places with overnight problems"},
    "wall.dash.fact.opened": {"zh": "问题", "en": "problems"},
    "wall.dash.fact.closed": {"zh": "已销号", "en": "closed"},
    "wall.dash.fact.open": {"zh": "未销号", "en": "open"},
    "wall.dash.chart": {"zh": "进度曲线(完成率 · 每日发现/销号问题)", "en": "Progress curve (share done · problems found/closed per day)"},
    "wall.dash.streets": {"zh": "各街道", "en": "By sub-district"},
    "wall.dash.communities": {"zh": "各社区", "en": "By community"},
    "wall.dash.communities_lowest": {"zh": "完成率最低的社区", "en": "Communities furthest behind"},
    "wall.dash.categories": {"zh": "问题类别(未销号 / 累计)", "en": "Problem categories (open / all)"},
    "wall.dash.col.name": {"zh": "名称", "en": "Name"},
    "wall.dash.col.progress": {"zh": "进度", "en": "Progress"},
    "wall.dash.col.done": {"zh": "完成", "en": "Done"},
    "wall.dash.col.overdue": {"zh": "逾期", "en": "Overdue"},
    "wall.dash.col.category": {"zh": "类别", "en": "Category"},
    "wall.dash.col.places": {"zh": "涉及地点", "en": "Places"},
    "wall.dash.col.open": {"zh": "未销号", "en": "Open"},
    "wall.dash.col.closed": {"zh": "已销号", "en": "Closed"},
    "wall.dash.alerts": {"zh": "逾期 {overdue} · 过夜 {overnight}", "en": "overdue {overdue} · overnight {overnight}"},
    "wall.dash.days_late": {"zh": "逾期 {n} 天", "en": "{n} d overdue"},
    "wall.dash.days_open": {"zh": "过夜 {n} 天", "en": "open {n} d"},
    "wall.dash.milestones": {"zh": "时间节点", "en": "Milestones"},
    "wall.dash.milestones_all": {"zh": "时间节点(全区)", "en": "Milestones (whole district)"},
    "wall.dash.verdict.ahead": {"zh": "超前", "en": "ahead"},
    "wall.dash.verdict.on_track": {"zh": "正常", "en": "on track"},
    "wall.dash.verdict.behind": {"zh": "滞后", "en": "behind"},
    "wall.dash.ms_share": {"zh": "完成 {done} · 计划 {planned}", "en": "done {done} · planned {planned}"},
    "wall.dash.ms_today_plan": {"zh": "今日计划 {planned}", "en": "planned for today {planned}"},
    "wall.dash.ms_days_left": {"zh": "还有 {n} 天", "en": "{n} day(s) left"},
    "wall.dash.ms_due_today": {"zh": "今天到期", "en": "due today"},
    "wall.dash.ms_next": {
        "zh": "下一节点 {what} · {left} · 计划完成 {planned}",
        "en": "next milestone {what} · {left} · planned done {planned}",
    },
    "wall.dash.ms_all_past": {"zh": "全部时间节点已过", "en": "all milestones are past"},
    "wall.dash.chart_title": {"zh": "完成率与每日问题", "en": "Share done and problems per day"},
    "wall.dash.chart_opened": {"zh": "▲ 发现 最多 {n}", "en": "▲ found, at most {n}"},
    "wall.dash.chart_closed": {"zh": "▼ 销号", "en": "▼ closed"},
    # playback
    "playback.date": {"zh": "{y}年{m}月{d}日", "en": "{y}-{m}-{d}"},
    "playback.weekday.0": {"zh": "星期日", "en": "Sunday"},
    "playback.weekday.1": {"zh": "星期一", "en": "Monday"},
    "playback.weekday.2": {"zh": "星期二", "en": "Tuesday"},
    "playback.weekday.3": {"zh": "星期三", "en": "Wednesday"},
    "playback.weekday.4": {"zh": "星期四", "en": "Thursday"},
    "playback.weekday.5": {"zh": "星期五", "en": "Friday"},
    "playback.weekday.6": {"zh": "星期六", "en": "Saturday"},
    "playback.load_failed_retrying": {"zh": "回放数据加载失败,正在重试……", "en": "loading the playback data failed; retrying…"},
    "playback.load_failed": {"zh": "回放数据加载失败", "en": "loading the playback data failed"},
    "playback.pause": {"zh": "⏸ 暂停", "en": "⏸ Pause"},
    "playback.play": {"zh": "▶ 播放", "en": "▶ Play"},
    "playback.before": {"zh": "整治前", "en": "Before"},
    "playback.after": {"zh": "整治后", "en": "After"},
    "playback.title": {"zh": "进度回放", "en": "Progress playback"},
    "playback.ignored": {"zh": "参数有误,已用默认值:{what}", "en": "wrong parameters, defaults used instead: {what}"},
    "playback.speed": {"zh": "每天 {seconds} 秒,循环播放", "en": "{seconds} s a day, looping"},
    "playback.switch_compare": {"zh": "整治前后对比", "en": "Compare before and after"},
    "playback.switch_play": {"zh": "逐日回放", "en": "Day by day"},
    "playback.range": {"zh": "{from} 至 {to}", "en": "{from} to {to}"},
    "playback.day_of": {"zh": " · 第 {n} 天 / 共 {total} 天", "en": " · day {n} of {total}"},
    "playback.share": {"zh": "完成率 {pct}%", "en": "{pct}% done"},
    "playback.done_of": {"zh": "完成 {done} / {total} 处", "en": "{done} of {total} places done"},
    "playback.gain": {
        "zh": "比整治前 {points} 个百分点,完成处数 {places}",
        "en": "{points} percentage points against before, {places} places done",
    },
    "playback.spark_title": {"zh": "完成率曲线(点击查看某一天)", "en": "share done over time (click a day to see it)"},
    # editor: the map on a past day
    "editor.as_of.shown": {
        "zh": "{day} 当日的地图(只读,共 {n} 处)。编辑前请点「回到当前」。",
        "en": "The map on {day} (read only, {n} places). Click “Back to now” before editing.",
    },
    "editor.as_of.failed": {"zh": "无法显示该日期:{message}", "en": "that day cannot be shown: {message}"},
    # editor: the attribute form
    "editor.new": {"zh": "新建{layer}", "en": "New {layer}"},
    "editor.form.title": {"zh": "{name}({id},第 {version} 版)", "en": "{name} ({id}, version {version})"},
    "editor.form.status": {"zh": "整改状态", "en": "Rectification status"},
    "editor.form.save": {"zh": "保存", "en": "Save"},
    "editor.form.delete": {"zh": "删除", "en": "Delete"},
    "editor.form.history": {"zh": "修改记录", "en": "History of changes"},
    "editor.form.dossier": {"zh": "一点一档(PDF)", "en": "Place dossier (PDF)"},
    "editor.form.cancel": {"zh": "取消", "en": "Cancel"},
    # editor: the problem ledger
    "editor.ledger.title": {"zh": "问题台账", "en": "Problem ledger"},
    "editor.ledger.category": {"zh": "类别", "en": "Category"},
    "editor.ledger.description": {"zh": "问题描述", "en": "Description"},
    "editor.ledger.deadline": {"zh": "整改时限", "en": "Due"},
    "editor.ledger.responsible": {"zh": "责任人", "en": "Responsible"},
    "editor.ledger.edit": {"zh": "编辑", "en": "Edit"},
    "editor.ledger.add": {"zh": "新增问题", "en": "Add a problem"},
    "editor.ledger.found_on": {"zh": "发现日期", "en": "Found on"},
    "editor.ledger.found_by": {"zh": "发现方式", "en": "Found by"},
    "editor.ledger.save": {"zh": "保存问题", "en": "Save the problem"},
    "editor.ledger.create": {"zh": "添加问题", "en": "Add the problem"},
    "editor.ledger.saved": {"zh": "台账已更新(第 {version} 版)。", "en": "ledger updated (version {version})."},
    "editor.ledger.not_saved": {"zh": "台账未更新:{message}", "en": "ledger not updated: {message}"},
    # editor: the side panel
    "editor.title": {"zh": "编辑 · {title}", "en": "Editing · {title}"},
    "editor.user": {"zh": "当前用户:{user}", "en": "signed in as {user}"},
    "editor.layers.withheld": {
        "zh": "图层「{layers}」的文件已损坏,暂不显示也不能编辑;修复后请重新载入此页。",
        "en": "the file of layer “{layers}” is damaged: it is neither shown nor editable; reload this page once it is repaired.",
    },
    "editor.start.failed": {"zh": "地图数据未能载入:{message}", "en": "the map's data could not be loaded: {message}"},
    "editor.start.reload": {"zh": "重新载入此页", "en": "Reload this page"},
    "editor.new_line": {"zh": "新建{layer}(线)", "en": "New {layer} (line)"},
    "editor.box_select": {"zh": "框选多处", "en": "Select by box"},
    "editor.box.unlisted": {"zh": "框内另有 {n} 处地点太小,在此缩放级别下与旁边的地点画成一个点,未被选中;放大后再框选可选中它们。",
                            "en": "{n} more places in the box are too small to draw apart at this zoom and were not selected; "
                                  "zoom in and select again to take them."},
    "editor.as_of.title": {"zh": "查看历史状态", "en": "Status on a past day"},
    "editor.as_of.day": {"zh": "日期", "en": "Day"},
    "editor.as_of.show": {"zh": "查看当日地图", "en": "Show the map on that day"},
    "editor.as_of.exit": {"zh": "回到当前", "en": "Back to now"},
    "editor.hint": {
        "zh": "点击地图上的地点或按名称查找进行编辑;按住 Ctrl 点击可多选;按 Esc 取消绘制、形状编辑或关闭当前地点。",
        "en": "Click a place on the map or find it by name to edit it; Ctrl-click to select several; Esc cancels drawing "
              "or reshaping, or closes the place.",
    },
    # editor: the panel as a bottom sheet on a phone (editor/sheet.js)
    "editor.sheet.raise": {"zh": "▲ 展开编辑面板", "en": "▲ Open the editing panel"},
    "editor.sheet.lower": {"zh": "▼ 收起面板,查看地图", "en": "▼ Lower the panel to see the map"},
    # editor: saving and deleting
    "editor.write.sending": {"zh": "正在保存…", "en": "saving…"},
    "editor.write.unreachable": {
        "zh": "连不上服务器,这次操作没有完成。页面上的内容都还在,网络恢复后请再试一次。",
        "en": "the server cannot be reached: nothing was done. Everything on the page is kept: try again once the network is back.",
    },
    "editor.write.map_stale": {
        "zh": "(地图未能刷新,显示的可能不是最新状态,请稍后重新载入页面)",
        "en": " (the map could not be refreshed and may not be current: reload the page later)",
    },
    "editor.save.notes": {"zh": "({notes})", "en": " ({notes})"},
    "editor.save.saved": {"zh": "已保存:{name},第 {version} 版。", "en": "saved: {name}, version {version}."},
    "editor.save.failed_http": {"zh": "保存失败(HTTP {status})", "en": "saving failed (HTTP {status})"},
    "editor.save.repair_ask": {
        "zh": "图形无效:{message}\n\n是否自动修复(make_valid)后保存?",
        "en": "The shape is invalid: {message}\n\nRepair it automatically (make_valid) and save?",
    },
    "editor.save.invalid": {"zh": "图形无效,未保存:{message}", "en": "the shape is invalid; not saved: {message}"},
    "editor.save.not_saved": {"zh": "未保存:{message}", "en": "not saved: {message}"},
    "editor.delete.ask": {
        "zh": "确定删除「{name}」吗?删除会记录在修改记录中,可以恢复。",
        "en": "Delete “{name}”? The deletion is kept in the history of changes and can be undone.",
    },
    "editor.delete.done": {"zh": "已删除:{name}", "en": "deleted: {name}"},
    "editor.delete.failed": {"zh": "未删除:{message}", "en": "not deleted: {message}"},
    # editor: selecting
    "editor.select.failed": {"zh": "无法读取该地点", "en": "that place cannot be read"},
    "editor.select.unreachable": {"zh": "连不上服务器,无法读取该地点", "en": "the server cannot be reached: that place cannot be read"},
    "editor.select.box_hint": {
        "zh": "在地图上拖出一个矩形,框内的地点将被选中。",
        "en": "Drag a rectangle on the map; the places inside it are selected.",
    },
    "editor.bulk.too_many": {
        "zh": "一次最多设置 {maximum} 处的状态,已选择 {n} 处:请放大地图后分批框选。",
        "en": "at most {maximum} places' status can be set at once and {n} are selected: zoom in and select fewer.",
    },
    "editor.tiles.failed": {"zh": "地图上这一片的图块没能加载,正在自动重试:{message}",
                            "en": "the tiles of this view could not be loaded, trying again: {message}"},
    "editor.large.failed": {"zh": "地图上这一片的地点没能加载:{message}", "en": "the places of this view could not be loaded: {message}"},
    "editor.as_of.read_only": {
        "zh": "正在查看 {day} 的历史地图(只读)。编辑前请点「回到当前」。",
        "en": "The map on {day} is shown (read only). Click “Back to now” before editing.",
    },
    "editor.as_of.large_gone": {
        "zh": "其中 {n} 处已于此后删除,未在图上显示。",
        "en": "{n} of them have been deleted since and are not drawn.",
    },
    "editor.bulk.selected": {"zh": "已选择 {n} 处", "en": "{n} place(s) selected"},
    "editor.bulk.status": {"zh": "统一设置状态", "en": "Set one status for all"},
    "editor.bulk.apply": {"zh": "批量设置状态", "en": "Set the status of all"},
    "editor.bulk.clear": {"zh": "清除选择", "en": "Clear the selection"},
    "editor.bulk.done": {"zh": "已将 {n} 处设为「{status}」。", "en": "{n} place(s) set to “{status}”."},
    # editor: drawing and reshaping
    "editor.draw.line_hint": {
        "zh": "在地图上依次点击画线,点击最后一点结束。",
        "en": "Click points on the map to draw the line; click the last point again to finish.",
    },
    "editor.draw.polygon_hint": {
        "zh": "在地图上依次点击画出边界,点击第一个点闭合。",
        "en": "Click points on the map to draw the boundary; click the first point to close it.",
    },
    "editor.shape.edit": {"zh": "编辑形状", "en": "Edit the shape"},
    "editor.shape.done": {"zh": "完成形状编辑", "en": "Finish editing the shape"},
    # --- the inspector's phone page (web/static/js/field, web/field) -----------------------------------------
    "field.online": {"zh": "在线", "en": "Online"},
    "field.offline": {"zh": "离线", "en": "Offline"},
    "field.queue": {"zh": "待上传 {n}", "en": "{n} to upload"},
    "field.queue_empty": {"zh": "已全部上传", "en": "All uploaded"},
    "field.queue_stuck": {
        "zh": "待上传 {n}(服务器暂时没有接收,稍后自动重试)",
        "en": "{n} to upload (the server has not taken them yet; retrying)",
    },
    "field.gps_waiting": {"zh": "正在定位…", "en": "Finding your position…"},
    "field.gps_off": {"zh": "无法定位,可继续督导(照片不带位置)", "en": "No position; carry on (photos without a location)"},
    "field.gps_here": {"zh": "我的位置(精度约 {m} 米)", "en": "Your position (within about {m} m)"},
    "field.no_list": {"zh": "{day} 还没有督导清单", "en": "No inspection list for {day}"},
    "field.list_failed": {
        "zh": "清单无法加载(网络不通且本机没有保存过),请联网后刷新",
        "en": "The list cannot be loaded (no network and no copy on this phone); reload when online",
    },
    "field.list_saved": {"zh": "离线使用本机保存的清单", "en": "Offline: using the list saved on this phone"},
    "field.open_problems": {"zh": "未销号问题 {n} 个:{list}", "en": "{n} open problem(s): {list}"},
    "field.no_problems": {"zh": "无未销号问题", "en": "No open problems"},
    "field.result": {"zh": "督导结果", "en": "Result"},
    "field.category": {"zh": "问题类别", "en": "Kind of problem"},
    "field.category_choice": {"zh": "(请选择问题类别)", "en": "(choose the kind of problem)"},
    "field.notes": {"zh": "情况说明", "en": "What you found"},
    "field.deadline": {"zh": "整改期限", "en": "Deadline"},
    "field.fixed": {"zh": "立行立改(当场整改完毕)", "en": "Fixed on the spot"},
    "field.camera": {"zh": "拍照 / 选照片", "en": "Take or choose photos"},
    "field.save": {"zh": "保存督导结果", "en": "Save the result"},
    "field.choose_result": {"zh": "请先选择督导结果", "en": "Choose a result first"},
    "field.category_needed": {"zh": "发现问题或反弹时请选择问题类别", "en": "Choose the kind of problem found"},
    "field.queued": {"zh": "已保存在本机,联网后自动上传", "en": "Saved on this phone; it is sent when online"},
    "field.not_kept": {
        "zh": "未能保存在本机(存储空间可能已满),请清理手机空间后再保存一次。",
        "en": "Not kept on this phone (its storage may be full): free some space and save again.",
    },
    "field.photo_not_kept": {
        "zh": "有照片未能保存在本机(存储空间可能已满),请清理手机空间后重新选择这些照片。",
        "en": "A photo was not kept on this phone (its storage may be full): free some space and choose it again.",
    },
    "field.page_failed": {"zh": "本页出错,请重新打开本页。", "en": "This page failed: open it again."},
    "field.map_failed": {
        "zh": "地图未能加载,清单和记录照常可用;联网后重新打开本页可显示地图。",
        "en": "The map could not be loaded; the list and recording work as usual. Open the page again online for the map.",
    },
    "field.no_storage": {
        "zh": "这部手机的浏览器不能在本机保存记录(可能处于无痕模式或存储已满),本页无法使用。请换用普通模式后重新打开本页。",
        "en": "This phone's browser cannot keep records (a private window, or its storage is full), so this page cannot be "
              "used. Open it again in a normal window.",
    },
    "field.recorded": {"zh": "已记录:{label} {time}", "en": "Recorded: {label} {time}"},
    "field.recorded_by": {"zh": "已记录:{label} {time}({who})", "en": "Recorded: {label} {time} ({who})"},
    "field.refused": {"zh": "未能记录:{reason}", "en": "Not recorded: {reason}"},
    "field.photo_refused": {"zh": "照片未能上传:{reason}", "en": "A photo was not uploaded: {reason}"},
    "field.photos_sent": {"zh": "已上传照片 {n} 张", "en": "{n} photo(s) uploaded"},
    "field.signed_out": {
        "zh": "登录已失效:待上传的记录仍保存在本机,重新登录后自动上传。",
        "en": "Signed out: what waits to upload stays on this phone and is sent once you sign in again.",
    },
    "field.sign_in": {"zh": "重新登录", "en": "Sign in again"},
    "field.not_inspected": {"zh": "待督导", "en": "Not yet inspected"},
    "field.last_result": {"zh": "上次督导:{date} {label}", "en": "Last inspected: {date}, {label}"},
    "field.problem_opened": {"zh": "已新增台账问题 {id}", "en": "Ledger problem {id} opened"},
    # photos: the wall's card and its enlarged view, the editor's photo sections, the playback's compare
    "wall.photo.role.place": {"zh": "现场", "en": "on site"},
    "wall.photo.role.before": {"zh": "整改前", "en": "before rectification"},
    "wall.photo.role.after": {"zh": "整改后", "en": "after rectification"},
    "wall.photo.role.check": {"zh": "核查", "en": "verification"},
    "wall.photo.role.inspection": {"zh": "督导", "en": "inspection"},
    "wall.photo.title": {"zh": "照片({n} 张)", "en": "Photos ({n})"},
    "wall.photo.open": {"zh": "放大照片:{role}", "en": "Enlarge the photo: {role}"},
    "wall.photo.close": {"zh": "关闭照片", "en": "Close the photo"},
    "wall.photo.prev": {"zh": "上一张", "en": "Previous"},
    "wall.photo.next": {"zh": "下一张", "en": "Next"},
    "wall.photo.counter": {"zh": "第 {i} / {n} 张", "en": "{i} of {n}"},
    "wall.photo.by": {"zh": "{who} 拍摄", "en": "taken by {who}"},
    "wall.photo.more": {"zh": "另有 {n} 张", "en": "{n} more"},
    "editor.photo.title": {"zh": "照片", "en": "Photos"},
    "editor.photo.problem_title": {"zh": "问题 {id} 的照片", "en": "Photos of problem {id}"},
    "editor.photo.drop": {"zh": "把照片拖到这里,或粘贴图片", "en": "Drop photos here, or paste an image"},
    "editor.photo.choose": {"zh": "选择照片", "en": "Choose photos"},
    "editor.photo.camera": {"zh": "拍照", "en": "Take a photo"},
    "editor.photo.role": {"zh": "照片类型", "en": "Kind of photo"},
    "editor.photo.none": {"zh": "还没有照片", "en": "No photos yet"},
    "editor.photo.uploading": {"zh": "正在上传 {name}:{pct}%", "en": "Uploading {name}: {pct}%"},
    "editor.photo.uploaded": {"zh": "照片已上传(版本 {version})", "en": "Photo uploaded (version {version})"},
    "editor.photo.already": {"zh": "这张照片已经在本处,未重复添加", "en": "This photo is already here; not added twice"},
    "editor.photo.failed": {"zh": "照片未上传:{message}", "en": "The photo was not uploaded: {message}"},
    "editor.photo.failed_http": {"zh": "服务器答复 {status}", "en": "the server answered {status}"},
    "editor.photo.not_image": {"zh": "{name} 不是图片", "en": "{name} is not an image"},
    "editor.photo.remove": {"zh": "删除照片", "en": "Remove the photo"},
    "editor.photo.remove_ask": {
        "zh": "删除这张{role}照片?删除会记入历史。", "en": "Remove this {role} photo? The removal is kept in the history.",
    },
    "editor.photo.removed": {"zh": "照片已删除(版本 {version})", "en": "Photo removed (version {version})"},
    "editor.conflict.photos": {
        "zh": "照片:新增 {added} 张,删除 {removed} 张(照片不会被覆盖)",
        "en": "photos: {added} added, {removed} removed (photos are never overwritten)",
    },
    "editor.photo.remove_failed": {"zh": "照片未删除:{message}", "en": "The photo was not removed: {message}"},
    "playback.photos.before": {"zh": "整治前照片", "en": "Photos before"},
    "playback.photos.after": {"zh": "整治后照片", "en": "Photos after"},
    "playback.photos.none": {"zh": "这一处暂无照片", "en": "No photos of this place"},
    "playback.photos.caption": {"zh": "{day} · {role}", "en": "{day} · {role}"},
    # the queues and the case page (web/static/js/cases)
    "casepage.photos_kept": {"zh": "已上传 {n} 张照片,提交时一并附上", "en": "{n} photos uploaded; they go with the action"},
    "casepage.upload_failed": {"zh": "照片上传失败", "en": "The photo was not uploaded"},
    "casepage.failed": {"zh": "提交失败", "en": "Not sent"},
    "casepage.done": {"zh": "已办理:{action}", "en": "Done: {action}"},
    "casepage.moved_on": {"zh": "案件已被他人办理或已变化,页面已刷新。{reason}",
                          "en": "The case was acted on or changed meanwhile; the page was reloaded. {reason}"},
    "casepage.kept": {"zh": "你填写的内容和已上传的照片都已保留,请确认后再提交。",
                      "en": "What you wrote and the photos you uploaded are kept: check them and send again."},
    "casepage.your_note": {"zh": "你填写的说明:{note}", "en": "What you wrote: {note}"},
    "casepage.offline": {"zh": "网络不通,未提交;内容仍在表单中,请稍后再试。",
                         "en": "No network: nothing was sent; the form keeps what you wrote, try again later."},
    # the wall: case stage on the card, escalation markers, the units' record on the dashboard
    "wall.legend.escalated": {"zh": "升级督办(橙:街道 红:指挥部)", "en": "escalated (orange: sub-district, red: district)"},
    "wall.tooltip.escalated": {"zh": "升级督办", "en": "Escalated"},
    "wall.tooltip.escalated_street": {"zh": "案件超时,已升级至街道", "en": "a case is overdue, escalated to the sub-district"},
    "wall.tooltip.escalated_district": {"zh": "案件超时,已升级至区指挥部", "en": "a case is overdue, escalated to the district"},
    "wall.card.escalated_street": {"zh": "升级至街道督办", "en": "escalated to the sub-district"},
    "wall.card.escalated_district": {"zh": "升级至指挥部督办", "en": "escalated to the district"},
    "wall.card.case_who": {"zh": "承办:{who}", "en": "handled by {who}"},
    "wall.card.case_no_unit": {"zh": "待派遣", "en": "awaiting dispatch"},
    "wall.card.case_due": {"zh": "本环节时限 {at}", "en": "stage due {at}"},
    "wall.card.case_late": {"zh": "超时 {n} 工作小时", "en": "{n} working hours late"},
    "wall.card.case_level": {"zh": "督办:{level}", "en": "escalated to: {level}"},
    "wall.card.case_extension": {"zh": "延期申请待批", "en": "extension requested"},
    "wall.card.case_open": {"zh": "案件详情", "en": "Open the case"},
    "wall.dash.cases.title": {"zh": "三级管理监控", "en": "Three-level management"},
    "wall.dash.cases.level.community": {"zh": "社区层级超时", "en": "overdue, community level"},
    "wall.dash.cases.level.street": {"zh": "升级至街道", "en": "escalated to sub-district"},
    "wall.dash.cases.level.district": {"zh": "升级至指挥部", "en": "escalated to district"},
    "wall.dash.cases.escalated": {"zh": "升级督办 {n} 件", "en": "{n} escalated cases"},
    "wall.dash.cases.hours_late": {"zh": "超 {n} 小时", "en": "{n} h late"},
    "wall.dash.cases.no_unit": {"zh": "(未派遣)", "en": "(not dispatched)"},
    "wall.dash.cases.col.unit": {"zh": "责任单位", "en": "Unit"},
    "wall.dash.cases.col.cases": {"zh": "案件", "en": "Cases"},
    "wall.dash.cases.col.overdue": {"zh": "超时", "en": "Overdue"},
    "wall.dash.cases.col.on_time": {"zh": "按时处置", "en": "On time"},
    "wall.dash.cases.col.avg_hours": {"zh": "平均处置(工时)", "en": "Avg (working h)"},
    "wall.dash.cases.col.returned": {"zh": "退回率", "en": "Returned"},
    # the editor's ledger with cases
    "field.problem_stage": {"zh": "{category}({stage})", "en": "{category} ({stage})"},
    "editor.ledger.stage": {"zh": "案件阶段", "en": "Case stage"},
    "editor.ledger.overdue": {"zh": "逾期", "en": "overdue"},
    "editor.ledger.case_link": {"zh": "案件", "en": "Case"},
    "editor.ledger.case_link_title": {"zh": "打开案件页:派遣、处置、核查、结案都在那里办理",
                                      "en": "Open the case page: dispatch, handling, verification and closing happen there"},
    "editor.ledger.loop_hint": {
        "zh": "问题的状态、整改时限和责任人随案件流转(立案 → 派遣 → 处置 → 核查 → 结案),不在这里修改;请在案件页办理。",
        "en": "A problem's state, due date and responsible follow its case (filed → dispatched → handled → verified → "
              "closed) and are not edited here; act on the case page.",
    },
    # polish A (scripts)
    # the editor's conflict table (editor/conflict.js, editor/conflict-view.js)
    "editor.conflict.intro": {
        "zh": "保存被拒绝:这处地点在您编辑期间已被「{who}」修改(现为第 {version} 版)。下表只列出您和对方不同的字段,"
              "请逐项选择保留哪一个,再保存到第 {version} 版之上;未列出的内容都保留对方的版本。",
        "en": "Save refused: “{who}” changed this place while you were editing it (now version {version}). The table lists "
              "only the fields where you differ; choose per field which to keep, then save on top of version {version}; "
              "everything not listed stays as they saved it.",
    },
    "editor.conflict.intro_none": {
        "zh": "这处地点在您编辑期间已被「{who}」修改(现为第 {version} 版),但您和对方的字段没有不同之处;"
              "可以直接保存到第 {version} 版之上。",
        "en": "“{who}” changed this place while you were editing it (now version {version}), but none of your fields "
              "differ from theirs; you can save on top of version {version}.",
    },
    "editor.conflict.col.field": {"zh": "字段", "en": "Field"},
    "editor.conflict.col.mine": {"zh": "你的值", "en": "Your value"},
    "editor.conflict.col.theirs": {"zh": "对方的值", "en": "Their value"},
    "editor.conflict.col.base": {"zh": "原值", "en": "Original value"},
    "editor.conflict.col.choice": {"zh": "保存哪个", "en": "Keep"},
    "editor.conflict.keep_mine": {"zh": "保留我的", "en": "Keep mine"},
    "editor.conflict.take_theirs": {"zh": "采用对方的", "en": "Take theirs"},
    "editor.conflict.empty": {"zh": "(空)", "en": "(empty)"},
    "editor.conflict.shape": {"zh": "图形", "en": "Shape"},
    "editor.conflict.shape_base": {"zh": "原图形", "en": "the original shape"},
    "editor.conflict.shape_changed": {"zh": "修改后的图形({points} 个顶点)", "en": "a changed shape ({points} vertices)"},
    "editor.conflict.ledger_kept": {
        "zh": "台账:对方新增 {added} 条、修改 {changed} 条、删除 {removed} 条问题(台账不会被覆盖)",
        "en": "ledger: they added {added}, changed {changed} and removed {removed} problem(s) (the ledger is never overwritten)",
    },
    "editor.conflict.save": {"zh": "按所选保存(第 {version} 版之上)", "en": "Save as chosen (on top of version {version})"},
    "editor.conflict.delete_intro": {
        "zh": "删除被拒绝:这处地点在您打开后已被「{who}」修改(现为第 {version} 版)。请先查看对方的修改。",
        "en": "Delete refused: “{who}” changed this place after you opened it (now version {version}). Look at their "
              "changes first.",
    },
    "editor.conflict.delete_anyway": {"zh": "仍然删除第 {version} 版", "en": "Delete version {version} anyway"},
    # the editor's search, keys, bulk change and names on the map
    "editor.search.label": {"zh": "按名称查找地点", "en": "Find a place by name"},
    "editor.search.placeholder": {"zh": "输入地点名称", "en": "type a place's name"},
    "editor.search.none": {"zh": "没有找到", "en": "nothing found"},
    "editor.search.count": {"zh": "找到 {n} 处", "en": "{n} found"},
    "editor.search.searching": {"zh": "正在查找…", "en": "searching…"},
    "editor.search.large_failed": {
        "zh": "大图层的地点暂时查不到,先列出当前视图中的",
        "en": "the large layers' places could not be searched; those in view are listed",
    },
    "editor.esc.draw_cancelled": {"zh": "已取消绘制。", "en": "Drawing cancelled."},
    "editor.esc.shape_cancelled": {"zh": "已取消形状编辑,图形恢复原样。", "en": "Shape editing cancelled; the shape is as it was."},
    "editor.esc.discard_ask": {
        "zh": "放弃对「{name}」未保存的修改并关闭?", "en": "Discard the unsaved changes to “{name}” and close it?",
    },
    "editor.bulk.choose": {"zh": "请选择状态", "en": "choose a status"},
    "editor.bulk.confirm": {"zh": "将 {n} 处改为「{status}」?", "en": "Set {n} place(s) to “{status}”?"},
    # polish B (scripts)
    # polish C (scripts)
    "print.dialog.title": {"zh": "打印地图", "en": "Print the map"},
    "print.dialog.paper": {"zh": "纸张", "en": "Paper"},
    "print.dialog.orientation": {"zh": "方向", "en": "Orientation"},
    "print.dialog.landscape": {"zh": "横向", "en": "Landscape"},
    "print.dialog.portrait": {"zh": "纵向", "en": "Portrait"},
    "print.dialog.scope": {"zh": "打印范围", "en": "Area"},
    "print.dialog.scope_view": {"zh": "当前视图", "en": "The current view"},
    "print.dialog.scope_area": {"zh": "按街道 / 社区", "en": "A sub-district or community"},
    "print.dialog.street": {"zh": "街道", "en": "Sub-district"},
    "print.dialog.community": {"zh": "社区", "en": "Community"},
    "print.dialog.every_street": {"zh": "全区所有街道", "en": "The whole district"},
    "print.dialog.every_community": {"zh": "该街道所有社区", "en": "Every community of it"},
    "print.dialog.layers": {"zh": "图层", "en": "Layers"},
    "print.dialog.statuses": {"zh": "整改状态", "en": "Statuses"},
    "print.dialog.heading": {"zh": "标题", "en": "Title"},
    "print.dialog.heading_hint": {"zh": "留空则用活动标题", "en": "empty: the campaign's title"},
    "print.dialog.date": {"zh": "日期", "en": "Date"},
    "print.dialog.contents": {"zh": "图面内容", "en": "On the sheet"},
    "print.dialog.legend": {"zh": "图例", "en": "Legend"},
    "print.dialog.locator": {"zh": "位置示意图(图框左上角的全区小图)", "en": "Locator inset (the whole district)"},
    "print.dialog.photos": {"zh": "整改后照片条", "en": "A strip of after-rectification photos"},
    "print.dialog.print": {"zh": "生成 PDF", "en": "Make the PDF"},
    "print.dialog.cancel": {"zh": "取消", "en": "Cancel"},
    "print.dialog.atlas": {"zh": "图册(封面、目录,每区一页)", "en": "Atlas (cover, contents, a page per area)"},
    "print.dialog.atlas_street": {"zh": "每个街道一页", "en": "A page per sub-district"},
    "print.dialog.atlas_community": {"zh": "每个社区一页", "en": "A page per community"},
    "print.dialog.atlas_print": {"zh": "生成图册 PDF", "en": "Make the atlas PDF"},
    "print.dialog.need_one": {"zh": "请至少选择一个图层和一种状态", "en": "Choose at least one layer and one status"},
    # polish D (scripts)
    "wall.inspections.route_start": {"zh": "督导路线起点", "en": "where the inspection route starts"},
    # polish E (scripts)
    "wall.search.results": {"zh": "搜索结果", "en": "Search results"},
    "wall.card.label": {"zh": "点位详情", "en": "Place details"},
    "wall.zoom_in": {"zh": "放大地图", "en": "Zoom in"},
    "wall.zoom_out": {"zh": "缩小地图", "en": "Zoom out"},
    "wall.map_label": {"zh": "作战地图", "en": "Campaign map"},
    # polish F (scripts)
    "wall.dash.pager": {"zh": "第 {page}/{pages} 页 · 另有 {n} 条 ▸", "en": "page {page}/{pages} · {n} more ▸"},
    "wall.dash.page_on": {"zh": "下一页", "en": "Next page"},
    "wall.dash.sheet": {"zh": "第 {sheet}/{sheets} 屏 ▸", "en": "screen {sheet}/{sheets} ▸"},
    "wall.dash.sheet_on": {"zh": "下一屏", "en": "Next screen"},
    # polish G (scripts)
    # notify events (scripts)
    "inbox.bell": {"zh": "通知:{count} 条未读", "en": "Notifications: {count} unread"},
    "inbox.bell_none": {"zh": "通知:没有未读", "en": "Notifications: none unread"},
    "inbox.bell_unknown": {"zh": "通知", "en": "Notifications"},
    "inbox.unread": {"zh": "未读 {count} 条,共 {total} 条", "en": "{count} unread of {total}"},
    "inbox.failed": {"zh": "未能标为已读:{reason}", "en": "Could not mark read: {reason}"},
    # residents (scripts)
    "reportpage.pin_set": {"zh": "已选位置:{lon}, {lat}", "en": "pinned at {lon}, {lat}"},
    "reportpage.gps_waiting": {"zh": "正在定位……", "en": "finding your position…"},
    "reportpage.gps_off": {"zh": "无法定位,请在地图上点选", "en": "no position: tap the map instead"},
    "reportpage.online": {"zh": "网络正常", "en": "online"},
    "reportpage.offline": {
        "zh": "当前无网络:提交的反映会保存在手机上,联网后自动发送",
        "en": "offline: reports are kept on the phone and sent when the network is back",
    },
    "reportpage.queued": {"zh": "已保存在手机上,联网后自动发送", "en": "kept on the phone; it is sent when the network is back"},
    "reportpage.sending": {"zh": "正在发送……", "en": "sending…"},
    "reportpage.retrying": {"zh": "服务器暂时没有接收,稍后自动重试……", "en": "the server has not taken it yet; retrying…"},
    "reportpage.sent": {"zh": "已提交。请记下受理编号,凭编号查看办理结果:", "en": "Sent. Keep the receipt code to follow it:"},
    "reportpage.refused": {"zh": "未能提交:{reason}", "en": "not sent: {reason}"},
    "reportpage.need_pin": {"zh": "请先在地图上点选位置", "en": "pin the place on the map first"},
    "reportpage.need_category": {"zh": "请选择问题类别", "en": "choose the kind of problem"},
    "reportpage.need_description": {"zh": "请写几句问题描述", "en": "say what is wrong"},
    "reportpage.too_many_photos": {"zh": "照片最多 {n} 张,已保留前 {n} 张", "en": "at most {n} photos; the first {n} are kept"},
    "reportpage.mine_empty": {"zh": "这部手机还没有提交过反映", "en": "no reports from this phone yet"},
    "reportpage.waiting": {"zh": "待发送", "en": "waiting to be sent"},
    "reportpage.mine_refused": {"zh": "未被受理:{reason}", "en": "not taken: {reason}"},
    "reportpage.dismiss": {"zh": "知道了", "en": "Got it"},
    "reportpage.not_kept": {
        "zh": "未能保存在手机上(存储空间可能已满),请清理空间后再提交一次。",
        "en": "could not be kept on the phone (its storage may be full): free some space and send it again.",
    },
    "reportpage.not_ready": {"zh": "页面尚未准备好,请稍候再提交。", "en": "the page is not ready yet: send it again in a moment."},
    "reportpage.no_storage": {
        "zh": "这部手机的浏览器不能在本机保存反映(可能处于无痕模式或存储已满),请换用普通模式后重新打开本页。",
        "en": "this phone's browser cannot keep a report (a private window, or its storage is full): "
              "open this page again in a normal window.",
    },
    "reportpage.photo_left_out": {"zh": "有照片未能上传,反映已提交:{reason}", "en": "a photo could not be sent; the report was: {reason}"},
    "reportpage.remove_photo": {"zh": "删除这张照片", "en": "remove this photo"},
    # Open311 and satisfaction (scripts)
    "wall.dash.sat.title": {"zh": "群众满意度", "en": "Residents' satisfaction"},
    "wall.dash.sat.fact.rate": {"zh": "累计满意率", "en": "satisfied, in all"},
    "wall.dash.sat.fact.received_today": {"zh": "今日收到", "en": "received today"},
    "wall.dash.sat.fact.closed_today": {"zh": "今日办结", "en": "closed today"},
    "wall.dash.sat.fact.rated_today": {"zh": "今日评价", "en": "rated today"},
    "wall.dash.sat.fact.received": {"zh": "累计收到", "en": "received in all"},
    "wall.dash.sat.fact.rated": {"zh": "累计评价", "en": "rated in all"},
    "wall.dash.sat.col.street": {"zh": "街道", "en": "Sub-district"},
    "wall.dash.sat.col.community": {"zh": "社区", "en": "Community"},
    "wall.dash.sat.col.received": {"zh": "收到", "en": "Received"},
    "wall.dash.sat.col.closed": {"zh": "办结", "en": "Closed"},
    "wall.dash.sat.col.rated": {"zh": "评价", "en": "Rated"},
    "wall.dash.sat.col.satisfied": {"zh": "满意", "en": "Satisfied"},
    "wall.dash.sat.col.basic": {"zh": "基本满意", "en": "Fairly"},
    "wall.dash.sat.col.unsatisfied": {"zh": "不满意", "en": "Not satisfied"},
    "wall.dash.sat.col.rate": {"zh": "满意率", "en": "Rate"},
    # polish H (scripts)
    "wall.dash.est_title": {"zh": "预计完成(按近 {days} 天进度)", "en": "Estimated finish (pace of the last {days} days)"},
    "wall.dash.est_late": {"zh": "{finish} · 晚于节点 {n} 天", "en": "{finish} · {n} days late"},
    "wall.dash.est_early": {"zh": "{finish} · 早于节点 {n} 天", "en": "{finish} · {n} days early"},
    "wall.dash.est_on": {"zh": "{finish} · 恰在节点", "en": "{finish} · on the milestone"},
    "wall.dash.est_plain": {"zh": "{finish}", "en": "{finish}"},
    "wall.dash.est_none": {"zh": "无进展,无法估计", "en": "no progress: no estimate"},
    "wall.dash.est_done": {"zh": "已全部完成 ✓", "en": "all done ✓"},
    # --- issue 22: ogc ---
    # queryables' titles (geo/queryables.py); the HTML items page's filter line
    "page.ogc.filtered_by": {"zh": "筛选条件(CQL2):", "en": "Filter (CQL2):"},
    "ogc.q_id": {"zh": "地点编号", "en": "Place id"},
    "ogc.q_name": {"zh": "地点名称", "en": "Place name"},
    "ogc.q_updated_at": {"zh": "最后修改时间", "en": "Last changed at"},
    "ogc.q_updated_by": {"zh": "最后修改人", "en": "Last changed by"},
    "ogc.q_version": {"zh": "版本号", "en": "Version number"},
    # coordinate reference systems (geo/crs.py, geo/features_query.py)
    "ogc.crs_unknown": {
        "zh": "不支持的坐标系 {got};可用的有:{supported}",
        "en": "unsupported CRS {got}; supported: {supported}",
    },
    "ogc.bbox_projected": {
        "zh": "投影坐标的范围须先写西南角、再写东北角",
        "en": "a projected bbox gives its south-west corner, then its north-east corner",
    },
    "ogc.parameter_type": {"zh": "应为 {type} 类型的值,收到的是 {got}", "en": "expected a value of type {type}, got {got}"},
    # CQL2 filters (geo/cql2.py)
    "ogc.filter_lang": {
        "zh": "不支持的过滤语言 {got};可用的有:{langs}",
        "en": "unsupported filter language {got}; supported: {langs}",
    },
    "ogc.filter_missing": {
        "zh": "只给了 filter-lang 或 filter-crs,却没有 filter",
        "en": "filter-lang or filter-crs was given without a filter",
    },
    "ogc.filter_ends_early": {
        "zh": "过滤条件在第 {position} 个字符处意外结束,条件不完整",
        "en": "the filter ends early, at character {position}: the condition is incomplete",
    },
    "ogc.filter_syntax": {
        "zh": "过滤条件第 {position} 个字符处有语法错误,无法理解 {near}",
        "en": "syntax error at character {position} of the filter: cannot read {near}",
    },
    "ogc.filter_json": {
        "zh": "CQL2 JSON 过滤条件不是合法的 JSON(第 {position} 个字符:{detail})",
        "en": "the CQL2 JSON filter is not valid JSON (character {position}: {detail})",
    },
    "ogc.filter_unreadable": {"zh": "过滤条件中有无法读取的值:{detail}", "en": "the filter holds a value that cannot be read: {detail}"},
    "ogc.filter_not_condition": {
        "zh": "过滤条件须是一个判断(如 status = 'pending'),而不是单独的值",
        "en": "a filter must be a condition (such as status = 'pending'), not a lone value",
    },
    "ogc.filter_bbox": {
        "zh": "BBOX 须有 4 个数字(西、南、东、北)",
        "en": "a BBOX takes 4 numbers (west, south, east, north)",
    },
    "ogc.filter_like": {
        "zh": "LIKE 只能用于文本字段,模式须是一个字符串",
        "en": "LIKE applies to a text property, with a string pattern",
    },
    "ogc.filter_in_list": {
        "zh": "IN 的括号里须是具体的值(如 IN ('pending','relapsed'))",
        "en": "IN takes a list of values (such as IN ('pending','relapsed'))",
    },
    "ogc.filter_is_null": {"zh": "IS NULL 只能用于字段", "en": "IS NULL applies to a property"},
    "ogc.filter_operator": {
        "zh": "不支持运算 {operator};支持的有:{supported}",
        "en": "unsupported operation {operator}; supported: {supported}",
    },
    "ogc.filter_attribute": {
        "zh": "“{name}”不是可筛选字段;可筛选的有:{queryables}",
        "en": "“{name}” is not a queryable; the queryables are {queryables}",
    },
    "ogc.filter_geometry_here": {
        "zh": "几何字段“{name}”只能用在空间函数(如 S_INTERSECTS)中",
        "en": "the geometry “{name}” can only be used in a spatial function (such as S_INTERSECTS)",
    },
    "ogc.filter_casei": {"zh": "CASEI 只能用于文本", "en": "CASEI applies to text"},
    "ogc.filter_types": {
        "zh": "{operator} 两边的类型不一致({name}:{types})",
        "en": "{operator} compares values of different types ({name}: {types})",
    },
    "ogc.filter_no_attribute": {
        "zh": "{operator} 至少一边须是字段",
        "en": "{operator} needs a property on one side",
    },
    "ogc.filter_spatial_args": {
        "zh": "空间函数须比较字段 {geometry} 与一个几何(WKT、GeoJSON 或 BBOX)",
        "en": "a spatial function compares the property {geometry} with a geometry (WKT, GeoJSON or BBOX)",
    },
    "ogc.filter_out_of_range": {
        "zh": "过滤条件中的几何超出经纬度范围:请确认 filter-crs({crs})及其坐标轴顺序",
        "en": "a geometry of the filter lies outside longitude/latitude bounds: check filter-crs ({crs}) and its axis order",
    },

    "ogc.filter_time": {
        "zh": "过滤条件中的时间 {got} 不是有效的日期(YYYY-MM-DD)或时间戳(如 2026-11-30T08:00:00Z)",
        "en": "the time {got} in the filter is not a valid date (YYYY-MM-DD) or timestamp (such as 2026-11-30T08:00:00Z)",
    },
    "ogc.filter_invalid_geometry": {
        "zh": "过滤条件中的几何无效({reason}):请检查多边形是否自相交、闭合",
        "en": "a geometry of the filter is invalid ({reason}): check that polygons are closed and do not cross themselves",
    },
    "ogc.filter_bbox_antimeridian": {
        "zh": "BBOX 的西边界大于东边界:跨越 180° 经线的范围不受支持",
        "en": "the BBOX's west edge is east of its east edge: boxes across the 180° meridian are not supported",
    },

    # --- issue 22: pgr ---
    "pgr.filter_unsupported": {"zh": "数据库无法执行筛选条件中的这一部分:{what}",
                               "en": "the database cannot evaluate this part of the filter: {what}"},
    "pgr.filter_mixed_in": {"zh": "{name} IN (…) 的各个值类型不一致", "en": "the values of {name} IN (…) are of different types"},

    # --- issue 22: shared ---
    "accounts.adopt_no_file": {"zh": "找不到账户文件 {source}", "en": "no accounts file {source}"},
    "accounts.adopt_bad_file": {"zh": "账户文件 {source} 无法读取:{reason}",
                                "en": "the accounts file {source} cannot be read: {reason}"},
    "accounts.adopt_not_empty": {
        "zh": "{where} 已有账户({users} 个用户),导入不会合并或覆盖:只能导入到还没有账户的数据库",
        "en": "{where} already keeps accounts ({users} users); an import never merges or overwrites: only into a "
              "database without accounts"},
    "accounts.adopted": {"zh": "已从 {source} 导入 {users} 个用户和 {tokens} 个令牌到 {where}(原有会话与令牌继续有效)",
                         "en": "{users} users and {tokens} tokens imported from {source} into {where} (their sessions "
                               "and tokens stay valid)"},

    # --- issue 22: jrnl ---
    "bundles.built": {"zh": "已打包地图页面与手机页面的脚本({count} 个入口):{folder}",
                      "en": "Bundled the map and phone pages' scripts ({count} entries) into {folder}"},
    "store.compacted": {"zh": "已把变更日志中尚未写入的修改写入图层文件:{files}",
                        "en": "Wrote the journal's changes not yet in the layer files into: {files}"},
    "store.compact_current": {"zh": "图层文件已包含变更日志中的全部修改,无需写入",
                              "en": "The layer files already hold every change of the journal; nothing to write"},
    "store.compact_not_files": {"zh": "数据保存在 PostgreSQL 中,没有需要写入的图层文件",
                                "en": "The campaign lives in PostgreSQL: there are no layer files to write"},

    # --- issue 22: paint ---

    # --- issue 22: soak ---

    # --- issue 22: imp ---
    "import.nested_columns": {
        "zh": "列 {columns} 的值是数组或对象(如 DataV 的 center、acroutes、parent):将转为文本导入,"
              "数组写成以逗号分隔的值;确认导入时可选择不导入这些列",
        "en": "columns {columns} hold arrays or objects (like DataV's center, acroutes, parent): they are imported as "
              "text, arrays as comma-separated values; when confirming you may leave these columns out",
    },
    "import.drop_unknown": {
        "zh": "不能舍弃列 {columns}:可选择不导入的只有预览列出的数组或对象列({offered})",
        "en": "columns {columns} cannot be left out: only the array or object columns of the preview can ({offered})",
    },
    "page.import.nested_heading": {"zh": "数组或对象列", "en": "Array and object columns"},
    "page.import.nested_help": {
        "zh": "这些列的值不是文本或数字。选择每一列转为文本导入,还是不导入。",
        "en": "These columns do not hold text or numbers. Choose for each whether it is imported as text or left out.",
    },
    "page.import.nested_example": {"zh": "{count} 个地点,例如:{example}", "en": "{count} places, e.g. {example}"},
    "page.import.nested_keep": {"zh": "转为文本", "en": "Import as text"},
    "page.import.nested_drop": {"zh": "不导入", "en": "Leave out"},
    "import.kml_entities": {
        "zh": "{file}:文件声明了 XML 实体或外部引用(<!ENTITY …>),为安全起见不予读取;请用 Google Earth 或 GIS 软件重新导出",
        "en": "{file} declares XML entities or external references (<!ENTITY …>) and is not read, for safety; export it "
              "again from Google Earth or a GIS program",
    },
    "import.new_layer.bad_id": {
        "zh": "新图层的编号 {id} 不可用:须以小写字母开头,只含小写字母、数字和 _,至多 40 个字符",
        "en": "the new layer's id {id} cannot be used: a lower-case letter first, then lower-case letters, digits "
              "and _, at most 40 characters",
    },
    "import.new_layer.id_taken": {"zh": "已有编号为 {id} 的图层({title}):请换一个编号,或导入到该图层",
                                  "en": "a layer with id {id} exists ({title}): choose another id, or import into it"},
    "import.new_layer.bad_title": {"zh": "请填写新图层的名称(至多 {limit} 个字)",
                                   "en": "give the new layer a title (at most {limit} characters)"},
    "import.new_layer.title_taken": {"zh": "已有名为 {title} 的图层", "en": "a layer titled {title} exists"},
    "import.new_layer.bad_kinds": {"zh": "新图层的类型至多 {count} 种,每种至多 {limit} 个字",
                                   "en": "at most {count} kinds for the new layer, each at most {limit} characters"},
    "import.new_layer.no_geometry": {"zh": "文件中没有可读的几何图形,无法确定新图层的几何类型",
                                     "en": "the file has no readable geometry to give the new layer its geometry types"},
    "import.new_layer.not_ledger": {"zh": "台账工作簿只能更新已有图层的地点,不能新建图层",
                                    "en": "a ledger workbook updates places of an existing layer; it cannot make a layer"},
    "page.import.layer_new": {"zh": "新建图层…(仅管理员)", "en": "New layer… (administrators)"},
    "page.import.new_layer_heading": {"zh": "新建图层", "en": "New layer"},
    "page.import.new_layer_help": {
        "zh": "图层选“新建图层”时填写。编号用于网址和地点编号,名称显示在地图和列表中;几何类型取自文件。"
              "确认导入时才建立图层,各服务进程无需重启即可看到。",
        "en": "Fill in when the layer is “New layer”. The id is used in addresses and place ids, the title on maps and "
              "lists; the geometry types come from the file. The layer is made when the import is confirmed, and "
              "every server process sees it without a restart.",
    },
    "page.import.new_layer_id": {"zh": "编号(小写字母、数字和 _)", "en": "Id (lower-case letters, digits and _)"},
    "page.import.new_layer_title": {"zh": "名称", "en": "Title"},
    "page.import.new_layer_kinds": {"zh": "类型(以顿号分隔;不填则与名称相同)",
                                    "en": "Kinds (separated by 、 or commas; the title when empty)"},
    "page.import.new_layer_plan": {
        "zh": "确认后将新建图层“{title}”(编号 {id},地点编号以 {prefix}- 开头),几何类型:{types};类型:{kinds}",
        "en": "Confirming makes the layer “{title}” (id {id}, place ids {prefix}-…), geometry types: {types}; "
              "kinds: {kinds}",
    },

}


class Text(str):
    """A catalogue message: reads as its Chinese text, renders again in another language with `in_lang`."""

    def __new__(cls, render: Callable[[str], str]) -> Text:
        text = super().__new__(cls, render(DEFAULT_LANGUAGE))
        text._render = render
        return text

    def in_lang(self, lang: str) -> str:
        """This message in `lang` (its parameters too, where they are messages)."""
        return self._render(lang) if lang != DEFAULT_LANGUAGE else str.__str__(self)

    def __reduce__(self):  # a copy or a pickle keeps the Chinese text
        return (str, (str.__str__(self),))


def t(key: str, /, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The message `key` in `lang` (Chinese unless asked), with its `{named}` parameters filled in.

    In Chinese it is a `Text`, which the boundary can render again in the reader's language; one without
    parameters is made once (`_plain`: a status or stage label is asked for once per row of a long list)."""
    if not params and lang == DEFAULT_LANGUAGE:
        return _plain(key)
    entry = MESSAGES[key]

    def render(language: str) -> str:
        return entry.get(language, entry[DEFAULT_LANGUAGE]).format(**localize(params, language))

    return Text(render) if lang == DEFAULT_LANGUAGE else render(lang)


@cache  # bounded by the catalogue: one per key
def _plain(key: str) -> Text:
    entry = MESSAGES[key]
    return Text(lambda language: entry.get(language, entry[DEFAULT_LANGUAGE]).format())


def compose(pattern: str, /, **params: object) -> Text:
    """Messages joined by punctuation (`"{where}: {message}"`): the pattern holds no words, only where the
    parameters go, and each parameter that is a message is rendered in the reader's language."""
    return Text(lambda language: pattern.format(**localize(params, language)))


def join(separator: str, parts: list) -> Text:
    """Messages one after another, `separator` between them, each rendered in the reader's language."""
    return Text(lambda language: separator.join(str(localize(p, language)) for p in parts))


def localize(value: Any, lang: str) -> Any:
    """`value` with every message in it (in dicts, lists and tuples too) rendered in `lang`; in Chinese, `value`
    itself (a message reads as its Chinese), so the default language costs nothing."""
    if lang == DEFAULT_LANGUAGE:
        return value
    if isinstance(value, Text):
        return value.in_lang(lang)
    if isinstance(value, dict):
        return {k: localize(v, lang) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [localize(v, lang) for v in value]
    return value


def message_of(exc: BaseException) -> str:
    """What an exception says, keeping a catalogue message as one (`str(exc)` would flatten it to Chinese)."""
    message = getattr(exc, "message", None)
    if isinstance(message, str):
        return message
    if len(exc.args) == 1 and isinstance(exc.args[0], str):
        return exc.args[0]
    return str(exc)


def placeholders(text: str) -> set[str]:
    """The `{named}` parameters a catalogue text takes."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
