"""Operations endpoints for load balancers and orchestrators: `/healthz` and `/readyz`.

`/healthz` (liveness) answers 200 as long as the process serves requests and
touches nothing else, so a slow database never gets a healthy worker killed.
`/readyz` (readiness) answers 200 when the store is reachable, else 503 with
the reason, so a balancer sends screens only to instances that can answer
them. A layer that cannot be read (withheld, see docs/data-integrity.md) is
the campaign's problem, shared by every instance: readiness stays 200 with
`degraded: true` and the reason, since taking every instance out of the
balancer would blank every screen. Both are public and never cached.
"""

from __future__ import annotations

import time

from flask import jsonify

from geo.errors import GuatuError
from geo.messages import t
from web.core.context import guatu
from web.core.routes import PUBLIC, DeclaredBlueprint

bp = DeclaredBlueprint("core", __name__)


def _no_store(resp):
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/healthz", role=PUBLIC)
def healthz():
    return _no_store(jsonify({"status": "ok"}))


@bp.get("/readyz", role=PUBLIC)
def readyz():
    ctx = guatu()
    store = ctx.store
    started = time.perf_counter()
    body: dict = {"backend": type(store).__name__, "layers": {}}
    try:
        body["revision"] = store.revision()
        broken = store.layer_errors()
        for layer in ctx.campaign.layers:
            body["layers"][layer.id] = {"revision": store.layer_revision(layer.id)} if layer.id not in broken \
                else {"error": broken[layer.id]}
        # A withheld layer is the campaign's, not this instance's (every instance shares the data): the
        # instance still serves the rest, so it stays in the balancer and says it is degraded.
        ready = True
        body["degraded"] = bool(broken)
        if broken:
            body["reason"] = t("store.readyz_layers_withheld", layers="; ".join(broken.values()),
                               remedy=t("store.layer_remedy"))
    except GuatuError as exc:
        ready, body["reason"] = False, exc.message
    except Exception as exc:  # the probe must answer, whatever broke: say what
        ready, body["reason"] = False, f"{type(exc).__name__}: {exc}"
    body["ready"] = ready
    body["seconds"] = round(time.perf_counter() - started, 4)
    resp = jsonify(body)
    resp.status_code = 200 if ready else 503
    return _no_store(resp)
