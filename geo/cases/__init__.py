"""Cases (案件): a ledger problem with a loop — 立案 → 派遣 → 处置 → 核查 → 结案 — working-day deadlines and
escalation. The public names; docs/cases.md describes the model.

- model.py: stages, actions, labels, the case record and the case read from an older problem (`case_of`)
- calendar.py: working days and hours (`WorkCalendar`)
- deadlines.py: when a stage is due, overdue, the overnight rule
- escalation.py: community → sub-district → district as a stage runs overdue
- loop.py: who may take which action (`allowed_actions`), taking it (`transition`), filing (`file_case`)
- queues.py: a case as a queue row (`case_row`), and whom it waits for (`in_queue`)
- index.py: the queues listed, kept between revisions (`CaseIndex`; from scratch: `case_rows`, `queue_counts`)
- migrate.py: writing the case of every older problem (`migrate_cases`)
"""

from geo.cases.calendar import WorkCalendar, parse_duration
from geo.cases.deadlines import OPEN_STAGES, due_local, overdue_hours, overnight_due, parse_due, stage_due, stage_overdue
from geo.cases.escalation import LEVELS, escalation
from geo.cases.index import CaseIndex, case_rows, queue_counts
from geo.cases.loop import (
    allowed_actions,
    file_case,
    is_dispatcher,
    is_handler,
    may_add_evidence,
    may_verify,
    transition,
)
from geo.cases.migrate import migrate_cases
from geo.cases.model import (
    ACTIONS,
    FROM,
    SOURCES,
    STAGES,
    TO,
    CaseConflict,
    CaseForbidden,
    action_label,
    case_errors,
    case_of,
    find_problem,
    in_step,
    labelled,
    source_label,
    stage_label,
)
from geo.cases.queues import QUEUES, case_row, in_queue

__all__ = [
    "ACTIONS", "FROM", "LEVELS", "OPEN_STAGES", "QUEUES", "SOURCES", "STAGES", "TO", "CaseConflict", "CaseForbidden",
    "CaseIndex", "WorkCalendar", "action_label", "allowed_actions", "case_errors", "case_of", "case_row", "case_rows",
    "due_local", "escalation", "file_case", "find_problem", "in_queue", "in_step", "is_dispatcher", "is_handler", "labelled",
    "may_add_evidence", "may_verify", "migrate_cases", "overdue_hours", "overnight_due", "parse_due",
    "parse_duration", "queue_counts", "source_label", "stage_due", "stage_label", "stage_overdue", "transition",
]
