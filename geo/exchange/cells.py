"""Text that spreadsheets must keep as text: no formula out of a ledger entry (CSV/formula injection).

Excel and WPS run a cell that starts with `=`, `+`, `-`, `@` (or a tab or
carriage return followed by one) as a formula: a place name or a problem
description typed as `=HYPERLINK("http://…")` would become a live link or
worse in the exported ledger. Every workbook the project writes stores text
cells as text with `text_cell`/`text_row` (openpyxl's data type "s", the value
unchanged), and every CSV cell goes through `csv_text`, which prefixes such
text with an apostrophe as OWASP advises; `csv_plain` takes it off again when
the project reads its own CSV back.

A workbook cannot hold the control characters XML forbids (openpyxl refuses the whole workbook): the write
boundary never stores them, but a layer file edited by hand may carry one (a vertical tab pasted from a word
processor); `text_row` writes each as U+FFFD, so the export is made and shows where one was.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

REPLACEMENT = "\ufffd"  # what a character a workbook cannot hold is written as

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    """Whether a spreadsheet would read this text as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def text_cell(ws: Any, value: Any) -> Cell:
    """A cell for `ws` (a write-only or a normal sheet) that holds `value`; text is stored as text, each character
    a workbook cannot hold as U+FFFD."""
    cell = WriteOnlyCell(ws, value=writable(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def writable(value: Any) -> Any:
    """`value` with each character a workbook cannot hold written as U+FFFD."""
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)
    return value


def text_row(ws: Any, row: list[Any]) -> list[Any]:
    """`row` with every text that looks like a formula wrapped in a text cell and every character a workbook
    cannot hold written as U+FFFD (the rest as it was)."""
    return [_cell(ws, v) for v in row]


def _cell(ws: Any, value: Any) -> Any:
    value = writable(value)
    return text_cell(ws, value) if looks_like_formula(value) else value


def csv_text(value: str) -> str:
    """A CSV cell that spreadsheets show as text: `=1+1` → `'=1+1`."""
    return "'" + value if looks_like_formula(value) else value


def csv_plain(value: str) -> str:
    """The text `csv_text` was given back from its CSV cell."""
    return value[1:] if value.startswith("'") and looks_like_formula(value[1:]) else value
