"""The suite's own habits: no fixed waits, no skips, no real calendar, no assertion that cannot fail.

Scans every Python file under tests/ (its syntax tree, so text in strings and
comments does not count) for the patterns that made tests flaky or vacuous:

* `time.sleep(<number>)` / `sleep(<number>)` — a fixed wait; poll a condition
  with a deadline instead (tests/waiting.py is the one place that pauses
  between tries; a simulated pace is a named constant, not a bare number),
* `wait_for_timeout(...)` — Playwright's fixed wait; use `expect(...)`,
  `wait_for_function`, `wait_for_event`, or `page.clock`,
* `pytest.skip`, `skipif`, `xfail`, `importorskip` — every test runs,
* `date.today()`, `datetime.now()`, `datetime.utcnow()`, `datetime.today()` —
  a test follows the clock it injects (`GUATU_CLOCK`, `FakeClock`), never the
  real date,
* `assert <anything> or True` and `assert True` — assertions that cannot fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
DEADLINE_HELPERS = {TESTS / "waiting.py"}  # where a pause between tries belongs
SKIPS = {"skip", "skipif", "xfail", "importorskip"}
REAL_CALENDAR = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today")}


def _name(node: ast.AST) -> str:
    """`a.b.c` for a chain of names, else ''."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _name(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def _is_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool)


def findings(source: str, path: Path | None = None) -> list[str]:
    """What in `source` breaks the habits above, as 'line: what' strings in line order."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        where = getattr(node, "lineno", 0)
        if isinstance(node, ast.Call):
            func = _name(node.func)
            if func in ("time.sleep", "sleep") and node.args and _is_number(node.args[0]) \
                    and path not in DEADLINE_HELPERS:
                out.append((where, f"a fixed {func}({node.args[0].value}); wait for a condition with a deadline"))
            if func.endswith("wait_for_timeout"):
                out.append((where, f"{func}(); wait for what the page shows instead"))
            if tuple(func.split(".")[-2:]) in REAL_CALENDAR:
                out.append((where, f"{func}() reads the real calendar; use the test's clock"))
        if isinstance(node, ast.Attribute) and node.attr in SKIPS and _name(node.value) in ("pytest", "pytest.mark"):
            out.append((where, f"pytest.{node.attr}; every test runs"))
        if isinstance(node, ast.Assert):
            test = node.test
            always = isinstance(test, ast.Constant) and bool(test.value)
            or_true = isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) and any(
                isinstance(v, ast.Constant) and bool(v.value) for v in test.values)
            if always or or_true:
                out.append((where, "an assertion that cannot fail"))
    return [f"{line}: {what}" for line, what in sorted(out)]


def test_no_test_waits_a_fixed_time_skips_reads_the_calendar_or_asserts_nothing():
    files = sorted(TESTS.rglob("*.py"))
    assert len(files) > 100  # the whole suite is scanned, not an empty folder
    problems = [f"{path.relative_to(TESTS.parent)}:{finding}" for path in files
                for finding in findings(path.read_text(encoding="utf-8"), path)]
    assert problems == []


def test_the_scan_finds_each_pattern():
    sample = "\n".join([
        "import time, pytest",
        "from time import sleep",
        "from datetime import date, datetime",
        "time.sleep(0.5)",
        "sleep(2)",
        "page.wait_for_timeout(300)",
        "pytest.skip('later')",
        "@pytest.mark.xfail",
        "def f(): pass",
        "pytestmark = pytest.mark.skipif(True, reason='')",
        "today = date.today()",
        "now = datetime.now()",
        "assert x in y or True",
        "assert True",
        "time.sleep(INTERLEAVE)",  # a named pace: allowed
        "time.sleep(state.delay)",  # a simulated slow server: allowed
    ])
    found = findings(sample)
    assert [f.split(":")[0] for f in found] == ["4", "5", "6", "7", "8", "10", "11", "12", "13", "14"], found
    assert findings("time.sleep(0.01)", DEADLINE_HELPERS.copy().pop()) == []  # the deadline helper may pause
