"""The static import graph of a page's entry module, for `<link rel="modulepreload">`.

A browser discovers an ES module's imports only after it has fetched and parsed
the module, so a page of nested modules loads them level by level, one round
trip each. A page that names every module its entry imports statically (the
`import … from "./x.js"` lines, read from the files under web/static) lets the
browser fetch them all at once. Dynamic `import()` is left out on purpose: what
a page loads later (after its first paint) must not compete with what it needs
first.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path, PurePosixPath

STATIC = Path(__file__).resolve().parent.parent / "static"

# `import x from "./a.js";`, `import { a } from "../b.js";`, `export { c } from "./c.js";`, `import "./d.js";`
_IMPORT = re.compile(r'^\s*(?:import|export)\s(?:[^"\'();]*?\sfrom\s)?\s*["\'](\.{1,2}/[^"\']+)["\']', re.MULTILINE)


@lru_cache(maxsize=32)
def static_imports(entry: str, static: Path = STATIC) -> tuple[str, ...]:
    """Every module `entry` (a path under web/static, e.g. "js/pages/wall.js") imports statically, directly or
    not, in a stable order (each before the modules it imports), the entry itself left out."""
    seen: list[str] = []
    todo = [entry]
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.append(name)
        folder = PurePosixPath(name).parent
        text = (static / name).read_text(encoding="utf-8")
        for target in _IMPORT.findall(text):
            todo.append(_normal(folder / target))
    return tuple(seen[1:])


def _normal(path: PurePosixPath) -> str:
    """`a/b/../c.js` as `a/c.js` (the paths stay inside web/static)."""
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)
