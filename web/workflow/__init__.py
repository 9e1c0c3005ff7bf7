"""The campaign's workflow: daily random inspections, my places, milestones, the timeline and the daily report.

One blueprint, `workflow` (web/workflow/blueprint.py), and the `daily-report` command; the /api routes'
OpenAPI operations are in web/workflow/docs.py.
"""

from __future__ import annotations

from flask import Flask

from web.workflow import inspections, reports
from web.workflow.blueprint import bp

VIEWS = (inspections, reports)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(reports.daily_report_command)
