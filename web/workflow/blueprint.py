"""The workflow package's one blueprint, `workflow`: daily inspections (inspections.py), my places, milestones,
timeline and the daily report (reports.py)."""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("workflow", __name__)
