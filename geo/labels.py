"""The names people read for a place's fields and a ledger problem's fields (状态, 时间节点, 发现日期, …): one copy,
used wherever a field is named to a person — a place's history (geo/history.py) and an import's report
(geo/exchange/importer.py)."""

from __future__ import annotations

from geo.messages import t

FIELD_LABELS = {
    "id": t("page.col.id"), "name": t("page.admin.link_name"), "kind": t("page.ogc.kind"),
    "street": t("page.ogc.street"), "community": t("page.ogc.community"), "status": t("page.col.state"),
    "deadline": t("page.ogc.deadline"), "unit": t("page.ogc.unit"), "people": t("history.people"),
    "notes": t("page.ogc.notes"), "problems": t("history.problems"), "photos": t("photo.heading"),
    "geometry": t("history.geometry"),
}
PROBLEM_LABELS = {
    "category": t("page.ogc.category"), "description": t("print.dossier.col.description"),
    "found_on": t("page.ogc.found_on"), "found_by": t("page.ogc.found_by"), "deadline": t("page.ogc.problem_deadline"),
    "responsible": t("page.ogc.responsible"), "status": t("page.col.state"), "closed_on": t("page.ogc.closed_on"),
}


def field_label(key: str) -> str:
    """A place's field by its label; an attribute of the campaign's own (楼栋数) by its name."""
    return FIELD_LABELS.get(key, key)


def problem_label(key: str) -> str:
    """A ledger problem's field by its label."""
    return PROBLEM_LABELS.get(key, key)
