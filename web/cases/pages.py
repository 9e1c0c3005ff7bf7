"""The case pages, phone-first and server-rendered: the queues (`/cases`) and one case (`/cases/<layer>/<fid>/<pid>`).

The queues page lists what geo/cases/queues.py answers for the reader — 待我处理, 待我核查, 我派遣的, 待派遣 or
all (`?queue=all`); opened bare it shows the reader's first queue that holds something — with the filters of
the API (stage, 街道, 社区, unit, overdue only) as an ordinary GET form. The case page
shows the case, its timeline and one form per action the reader may take now; its script
(web/static/js/pages/case.js) uploads the photos through the problem photo API and sends the action to
/api/cases/…/actions with the version the page was rendered from.
"""

from __future__ import annotations

from flask import render_template, request, url_for

from geo.scope import level_label
from web.access.auth import accounts, csrf_token, principal
from web.cases import shape
from web.cases.blueprint import bp
from web.core.context import guatu
from web.core.photo_links import url_template
from web.core.routes import VIEWER

QUEUE_LABELS = {"handle": "cases.queue.handle", "verify": "cases.queue.verify",
                "dispatched": "cases.queue.dispatched", "dispatch": "cases.queue.dispatch"}
PHOTO_ROLE = {"report": "after", "confirm": "check"}  # the actions that send a photo, and its role


# The queue /cases opens on: the first of these that holds something for the reader (全部案件 when none does)
OPENING_ORDER = ("handle", "verify", "dispatch", "dispatched")
ALL = "all"  # ?queue=all: every case, asked for by the 全部案件 tab


def opening_queue(counts: dict[str, int]) -> str | None:
    """The reader's first queue with cases in it, so a handler on a phone opens on 待我处理 rather than the
    whole district's list."""
    return next((queue for queue in OPENING_ORDER if counts.get(queue)), None)


@bp.get("/cases", role=VIEWER)
def cases_page():
    args = {k: v for k, v in request.args.items() if not (k == "queue" and v == ALL)}
    query = shape.query_of(args)
    limit, offset = shape.page_of(args)
    counts = None
    if not request.args:  # the bare page, from the menu: open on the reader's own work
        counts = shape.counts_of()
        query["queue"] = opening_queue(counts)
    data = shape.listing(query, limit, offset, counts)
    return render_template("cases.html", data=data, query=query, limit=limit, offset=offset,
                           queues=QUEUE_LABELS, choices=shape.choices(), stages=shape.stage_choices(),
                           level_label=level_label, people={u.username: u.name for u in accounts().users()})


@bp.get("/cases/<layer_id>/<fid>/<pid>", role=VIEWER)
def case_page(layer_id: str, fid: str, pid: str):
    data = shape.detail(layer_id, fid, pid)
    ctx = guatu()
    p = principal()
    allowed = [a["action"] for a in data["allowed"]]
    config = {
        "action": url_for("cases.case_action", layer_id=layer_id, fid=fid, pid=pid),
        "photos": url_for("photos.upload_problem_photo", layer_id=layer_id, fid=fid, pid=pid),
        "fid": fid, "version": data["feature"]["version"], "photo_url": url_template(),
        "key": f"{layer_id}/{fid}/{pid}", "csrf": csrf_token() if data["allowed"] else "",
    }
    dispatching = {"dispatch", "redispatch"} & set(allowed)
    names = ctx.responsibility.names(ctx.store.revision(), ctx.now()) if dispatching else None
    handlers = shape.handler_choices() if names else []
    return render_template("cases_detail.html", data=data, case=data["case"], allowed=data["allowed"],
                           config=config, photo_roles=PHOTO_ROLE, names=names, handlers=handlers,
                           urgencies=shape.urgency_choices(), signed_in=p is not None and p.via != "public",
                           level_label=level_label,
                           status_after=shape.status_after(layer_id, fid, pid) if "confirm" in allowed else None)
