"""Every user-visible text comes from the catalogue (geo/messages.py): no Chinese literal in a template, no English
sentence in what geo/ and web/ raise, abort with, flash or print on the command line."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "web" / "templates"
CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCE = re.compile(r"[A-Za-z]{2,}[,;:.'()]*\s+[(']*[A-Za-z]{2,}")  # two English words: a message, not a name or a key
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)

# Calls whose text reaches a person: errors raised, HTTP refusals, flashed notes, command-line output.
SHOWN = {"abort", "flash", "echo", "secho", "prompt", "confirm", "ClickException", "UsageError", "FieldError"}
NAMED_FIRST = {"FieldError", "BadParameter"}  # their first argument names a field or parameter, not a message
# Texts for operators and developers, not for the campaign's users: start-up faults a deployment fixes before anyone
# sees a page, and programming errors.
FOR_OPERATORS = {"RuntimeError", "TypeError", "AssertionError", "NotImplementedError", "KeyError", "AttributeError"}

# Texts no campaign user meets, by module: guards against programming errors and set-up faults of a developer's
# checkout, raised before anything is served.
INTERNAL = {
    "geo/geojson_io.py": "a NaN coordinate met while writing (validation refuses them before)",
    "geo/store/geojson.py": "a record name that is not a file name (callers pass constants)",
    "geo/store/postgis.py": "a migration file misnamed in the source tree",
    "geo/synth/campaign.py": "the demo generator's check of its own seeded output (every place inside its community)",
    "geo/synth/shapes.py": "the demo generator's check of its own seeded output (shapes still valid when rounded)",
    "geo/throttle.py": "the login limiter wired without its connection",
    "web/core/assets.py": "front-end files missing from a checkout (`npm ci`)",
    "web/core/errors.py": "the JSON parser's error, replaced by Flask with its own 400",
    "web/core/routes.py": "a route declared with a role that does not exist, refused when the module is imported",
}

# Not yet moved into the catalogue (each one shrinks this list; an entry that is clean fails the test below).
TEMPLATES_TO_MOVE: set[str] = set()
MODULES_TO_MOVE: set[str] = set()


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def _chinese_literals(path: Path) -> list[str]:
    text = JINJA_COMMENT.sub("", path.read_text(encoding="utf-8"))
    return [line.strip() for line in text.splitlines() if CJK.search(line)]


def test_no_template_holds_a_chinese_literal():
    found = {str(p.relative_to(TEMPLATES)): lines for p in _templates() if (lines := _chinese_literals(p))}
    assert {name: lines for name, lines in found.items() if name not in TEMPLATES_TO_MOVE} == {}
    assert TEMPLATES_TO_MOVE <= set(found), "moved: take it off TEMPLATES_TO_MOVE"


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _message_arguments(call: ast.Call) -> list[ast.expr]:
    args = list(call.args)
    if _name(call.func) in NAMED_FIRST and args:
        args = args[1:]
    return args + [k.value for k in call.keywords]


def _english_sentences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls: list[ast.Call] = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and _name(node.exc.func) not in FOR_OPERATORS
                and not _name(node.exc.func).startswith("_")):  # a module's private exception is caught inside it
            calls.append(node.exc)
        elif isinstance(node, ast.Call) and _name(node.func) in SHOWN:
            calls.append(node)
    found = []
    for call in calls:
        for arg in _message_arguments(call):
            for sub in ast.walk(arg):
                if isinstance(sub, ast.Call) and _name(sub.func) == "t":
                    break  # a catalogue message (its key and parameters are not shown as they are)
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and SENTENCE.search(sub.value):
                    found.append(f"line {sub.lineno}: {sub.value!r}")
    return list(dict.fromkeys(found))  # a call inside a raise is met twice


def _modules() -> list[Path]:
    return sorted([*(REPO / "geo").rglob("*.py"), *(REPO / "web").rglob("*.py")])


def test_no_error_or_command_line_output_is_an_english_literal():
    found = {}
    for path in _modules():
        name = str(path.relative_to(REPO))
        if sentences := _english_sentences(path):
            found[name] = sentences
    assert {name: lines for name, lines in found.items() if name not in MODULES_TO_MOVE | set(INTERNAL)} == {}
    assert MODULES_TO_MOVE | set(INTERNAL) <= set(found), "moved: take it off MODULES_TO_MOVE or INTERNAL"


def test_the_scans_find_what_they_look_for(tmp_path):
    template = tmp_path / "page.html"
    template.write_text('{# 注释 #}<h1>{{ t("page.admin.users") }}</h1>\n<p>还没有修改。</p>\n', encoding="utf-8")
    assert _chinese_literals(template) == ["<p>还没有修改。</p>"]
    module = tmp_path / "rules.py"
    module.write_text('def f(x):\n    if x:\n        raise NotFound(f"no place {x} in this layer")\n'
                      '    raise NotFound(t("store.no_layer", layer=x, layers="a b"))\n', encoding="utf-8")
    assert _english_sentences(module) == ["line 3: 'no place '", "line 3: ' in this layer'"]
