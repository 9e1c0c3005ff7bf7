"""The rules of docs/architecture.md, read from the code's own imports.

geo/ never imports Flask or web/ (werkzeug's password hashing is a library like any other); the packages of web/ depend on each other
without a cycle; and no module imports a private name (`_x`) from another
module — what is shared has a public name.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules(package: str) -> dict[str, ast.Module]:
    out = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return out


def _imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((a.name, []) for a in node.names)
    return found


def test_geo_imports_neither_flask_nor_web():
    offending = [(module, imported) for module, tree in _modules("geo").items() for imported, _ in _imports(tree)
                 if imported.split(".")[0] in ("flask", "web")]
    assert offending == []


def test_the_packages_of_web_depend_on_each_other_without_a_cycle():
    graph: dict[str, set[str]] = {}
    for module, tree in _modules("web").items():
        source = ".".join(module.split(".")[:2])
        if source == "web":  # the app factory wires every package
            continue
        needs = graph.setdefault(source, set())
        needs.update(".".join(imported.split(".")[:2]) for imported, _ in _imports(tree)
                     if imported.startswith("web.") and not imported.startswith(source + "."))
        needs.discard(source)
    assert len(graph) > 8  # every package was read
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"the packages of web/ import each other in a cycle: {exc.args[1]}") from None
    assert order.index("web.core") < order.index("web.api")


def test_no_module_imports_a_private_name_from_another_module():
    private = []
    for package in ("geo", "web"):
        for module, tree in _modules(package).items():
            for imported, names in _imports(tree):
                if imported.split(".")[0] in ("geo", "web"):
                    private += [(module, f"{imported}.{n}") for n in names if n.startswith("_") and n != "__version__"]
    assert private == []
