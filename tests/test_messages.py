"""The message catalogue: every entry has Chinese and English with the same parameters, formats, is used, once."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from geo.messages import MESSAGES, compose, localize, placeholders, t
from web.core.js_messages import script_keys

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # Chinese, or Chinese punctuation ("、", "(…)")
LETTER = re.compile(r"[^\W\d_]")
REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_is_chinese_with_an_english_translation_taking_the_same_parameters(key):
    entry = MESSAGES[key]
    words = re.sub(r"\{\w+\}", "", entry["zh"])  # a text of parameters and symbols only ("{field} → {value}") has none
    assert CJK.search(entry["zh"]) or not LETTER.search(words), f"{key}: the Chinese text has no Chinese in it"
    assert entry.get("en"), f"{key}: no English translation"
    assert placeholders(entry["zh"]) == placeholders(entry["en"])
    for lang in ("zh", "en"):  # a stray brace or a bad format spec fails here, not in front of a user
        entry[lang].format(**dict.fromkeys(placeholders(entry[lang]), 0))


def test_a_message_is_chinese_unless_english_is_asked_for():
    assert CJK.search(t("error.internal"))
    assert not CJK.search(t("error.internal", lang="en"))


def test_a_message_renders_again_in_english_with_its_parameters_in_english_too():
    reason = t("store.no_layer", layer="roads", layers="courtyards")
    composed = compose("{field}: {message}", field="layer", message=reason)
    assert composed == "layer: " + t("store.no_layer", layer="roads", layers="courtyards")
    assert localize({"fields": [composed]}, "en") == {"fields": ["layer: " + t("store.no_layer", lang="en", layer="roads",
                                                                                 layers="courtyards")]}


def test_a_message_without_parameters_is_made_once_and_still_renders_in_english():
    """A stage or status label is asked for once per row of a long list (the daily report's 61,000 escalated
    cases at 100,000 places): it is made once per key."""
    first, again = t("case.stage.handling"), t("case.stage.handling")
    assert first is again and CJK.search(first)
    assert first.in_lang("en") == t("case.stage.handling", lang="en") and not CJK.search(first.in_lang("en"))
    assert localize({"stage": first}, "en") == {"stage": t("case.stage.handling", lang="en")}


def test_every_key_is_used_somewhere_in_the_code_or_the_templates():
    sources = [p for p in (REPO / "geo").rglob("*.py") if p != REPO / "geo" / "messages.py"]
    sources += [*(REPO / "web").rglob("*.py"), *(REPO / "web" / "templates").rglob("*.html")]
    sources += [p for p in (REPO / "web" / "static" / "js").rglob("*.js") if p.name != "messages.js"]  # not the generated table
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources)

    def built(key: str) -> bool:  # a key made from its family at run time: f"problem.{code}", "wall.dash.col." + k
        family = key.rsplit(".", 1)[0]
        return f'f"{family}.{{' in text or f'"{family}." +' in text or f"{family}.*" in text

    unused = [key for key in MESSAGES if f'"{key}"' not in text and f"'{key}'" not in text and not built(key)]
    assert unused == []


def test_no_text_is_kept_under_two_keys():
    """One text, one key among the server's texts. The pages' scripts have their own table (generated for the
    browser), and the same words in two parts of the pages (the editor's field label, the wall's tooltip, an OGC
    page's column) are two messages: another language may need different words there."""
    scripts = set(script_keys())
    keys_of = defaultdict(list)
    for key, entry in MESSAGES.items():
        keys_of[(entry["zh"], entry["en"])].append(key)

    def parts_apart(keys: list[str]) -> bool:
        return len(set(keys) - scripts) <= 1 and len({tuple(k.split(".")[:2]) for k in keys}) == len(keys)

    assert [keys for keys in keys_of.values() if len(keys) > 1 and not parts_apart(keys)] == []
