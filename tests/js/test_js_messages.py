"""The scripts' message table (web/static/js/lib/messages.js) is what the catalogue (geo/messages.py) makes today."""

from geo.messages import MESSAGES
from web.core.js_messages import MODULE, SCRIPT_PREFIXES, module_text, script_keys


def test_the_committed_message_module_is_what_the_catalogue_makes_today():
    assert MODULE.read_text(encoding="utf-8") == module_text(), (
        "run `python -m web.core.js_messages` and commit web/static/js/lib/messages.js: it differs from geo/messages.py"
    )


def test_the_module_carries_the_scripts_keys_in_chinese_and_english_and_no_server_text():
    text = MODULE.read_text(encoding="utf-8")
    keys = script_keys()
    assert "wall.card.deadline" in keys and "print.button" in keys and "banner.offline" not in keys
    assert text.count('"wall.card.deadline": ') == 2
    assert MESSAGES["wall.inspections.title"]["en"] in text and MESSAGES["wall.inspections.title"]["zh"] in text
    assert '"error.internal"' not in text


def test_the_scripts_keys_are_theirs_alone_so_a_text_changes_in_one_place():
    repo = MODULE.parents[4]
    sources = [p for p in (repo / "geo").rglob("*.py") if p.name != "messages.py"]
    sources += [p for p in (repo / "web").rglob("*.py") if p.name != "js_messages.py"]  # it names a few as examples
    sources += [*(repo / "web" / "templates").rglob("*.html")]
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    shared = [key for key in script_keys() if f'"{key}"' in text or f"'{key}'" in text]
    assert shared == [], f"the server uses the scripts' keys {shared}: give its texts keys outside {SCRIPT_PREFIXES}"
