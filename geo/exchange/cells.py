"""Text that spreadsheets must keep as text: no formula out of a ledger entry (CSV/formula injection).

Excel and WPS run a cell that starts with `=`, `+`, `-`, `@` (or a tab or
carriage return followed by one) as a formula: a place name or a problem
description typed as `=HYPERLINK("http://…")` would become a live link or
worse in the exported ledger. Every workbook the project writes stores text
cells as text with `text_cell`/`text_row` (openpyxl's data type "s", the value
unchanged), and every CSV cell goes through `csv_text`, which prefixes such
text with an apostrophe as OWASP advises; `csv_plain` takes it off again when
the project reads its own CSV back.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    """Whether a spreadsheet would read this text as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def text_cell(ws: Any, value: Any) -> Cell:
    """A cell for `ws` (a write-only or a normal sheet) that holds `value`; text is stored as text."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def text_row(ws: Any, row: list[Any]) -> list[Any]:
    """`row` with every text that looks like a formula wrapped in a text cell (the rest as it was)."""
    return [text_cell(ws, v) if looks_like_formula(v) else v for v in row]


def csv_text(value: str) -> str:
    """A CSV cell that spreadsheets show as text: `=1+1` → `'=1+1`."""
    return "'" + value if looks_like_formula(value) else value


def csv_plain(value: str) -> str:
    """The text `csv_text` was given back from its CSV cell."""
    return value[1:] if value.startswith("'") and looks_like_formula(value[1:]) else value
