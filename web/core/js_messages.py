"""The pages' scripts' message table (web/static/js/lib/messages.js), written from the one catalogue, geo/messages.py.

The scripts show texts by key (`t("wall.card.deadline")`), in the page's language: the module reads
`<html lang>` (which the server sets from `Accept-Language`), English when it starts with `en`,
Chinese otherwise. The keys the scripts use are those under `SCRIPT_PREFIXES`; they live in the
catalogue's last section and are written here into the module in both languages. After changing one:

    python -m web.core.js_messages

and commit the file; tests/js/test_js_messages.py fails while the committed file is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from geo.messages import MESSAGES

MODULE = Path(__file__).resolve().parent.parent / "static" / "js" / "lib" / "messages.js"
LANGUAGES = ("zh", "en")
# The key families only the scripts use. "print." also holds the server's refusals of printing
# parameters, so only the print button's keys ("print.button", "print.dialog.", "print.button_title") come along.
SCRIPT_PREFIXES = ("wall.", "playback.", "editor.", "basemaps.", "print.button", "print.dialog.", "field.", "casepage.", "inbox.",
                   "reportpage.", "net.")

HEADER = """\
/*
 * Generated from geo/messages.py by `python -m web.core.js_messages`; do not edit.
 *
 * Every text the front end shows, in Chinese (zh-CN) and English, looked up by
 * key with `t(key, {param: value})`; `{param}` in a text is replaced by the
 * value. The language is the page's (`<html lang>`, set by the server from the
 * browser's Accept-Language): English when it starts with "en", else Chinese.
 * Texts the server sends (problem banner, API errors) come already translated
 * and are shown as they come.
 */
"""

FUNCTIONS = """
// The table for a language tag ("en", "en-US", "zh-CN", ""): English for en*, else Chinese.
export function table(lang) {
  return /^en\\b/i.test(lang || "") ? EN : ZH;
}

// The page's language: <html lang>, or "" where there is no page (node).
export function pageLanguage() {
  return typeof document === "undefined" || !document.documentElement ? "" : document.documentElement.lang || "";
}

// The text of `key` in `lang` with its `{params}` filled in; an unknown key is shown as itself.
export function translate(lang, key, params) {
  var texts = table(lang);
  var text = Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : key;
  if (!params) return text;
  return text.replace(/\\{(\\w+)\\}/g, function (m, name) {
    return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m;
  });
}

// The text of `key` in the page's language.
export function t(key, params) {
  return translate(pageLanguage(), key, params);
}

// Every key (tests check that every key used is here).
export function keys() {
  return Object.keys(ZH);
}
"""


def script_keys() -> list[str]:
    """The catalogue's keys the scripts use, in the catalogue's order."""
    return [key for key in MESSAGES if key.startswith(SCRIPT_PREFIXES)]


def module_text() -> str:
    """The whole of web/static/js/lib/messages.js as the catalogue makes it today."""
    keys = script_keys()
    tables = []
    for lang in LANGUAGES:
        rows = "".join(f"  {json.dumps(key)}: {json.dumps(MESSAGES[key][lang], ensure_ascii=False)},\n" for key in keys)
        tables.append(f"var {lang.upper()} = {{\n{rows}}};\n")
    return HEADER + "\n" + "\n".join(tables) + FUNCTIONS


def main() -> int:
    """Write the module."""
    MODULE.write_text(module_text(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
