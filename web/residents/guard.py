"""What stands in front of every public write of the reporting page: the body's size, the count per client
address and per device (geo/residents/throttle.py, 429 with Retry-After), and — for a report — the proof of work
(geo/residents/challenge.py, 403). Each refusal is a problem document in Chinese; nothing is kept then."""

from __future__ import annotations

from flask import current_app, request

from geo.errors import NotFound, TooLarge
from geo.messages import t
from geo.residents import reports as rr
from geo.residents.challenge import redeem
from geo.residents.photos import MAX_PHOTO_BYTES
from geo.residents.throttle import ReportThrottle, device_hash
from web.core.context import guatu
from web.core.settings import get_settings
from web.core.shared_state import shared_state

DEVICE_HEADER = "X-Guatu-Device"
MAX_REPORT_BYTES = 16 * 1024  # a report's JSON: its texts are a few hundred characters at most


def device() -> str | None:
    """The hash of the device id the page sent (None without one)."""
    return device_hash(request.headers.get(DEVICE_HEADER))


def throttle() -> ReportThrottle:
    return current_app.extensions["guatu_report_throttle"]


def limit_body(limit: int) -> None:
    size = request.content_length
    if size is not None and size > limit:
        raise TooLarge(t("residents.body_too_large", kb=f"{limit // 1024}"))


# the public writes and the largest body each may send: a larger one is a 413 before anything reads it
BODY_LIMITS = {"residents.submit": MAX_REPORT_BYTES, "residents.rating": MAX_REPORT_BYTES,
               "residents.rate_form": MAX_REPORT_BYTES, "residents.photo": MAX_PHOTO_BYTES + 64 * 1024}


def limit_public_bodies() -> None:
    limit = BODY_LIMITS.get(request.endpoint or "")
    if limit is not None:
        limit_body(limit)


def count(what: str) -> None:
    throttle().attempt(what, request.remote_addr or "-", device())


def paid(body: dict) -> None:
    """The report's challenge is genuine, unexpired, paid for and new (403 otherwise)."""
    ctx = guatu()
    redeem(ctx.store, challenge_key(), body.get("challenge"), body.get("answer"), ctx.now(),
           least_bits=get_settings().report_challenge_bits)


def challenge_key() -> bytes:
    """The key challenges are signed with: derived from the app's session key, never the key itself."""
    return b"report-challenge:" + shared_state().session_key()


def report_of(code: str) -> dict:
    """The report with this receipt code; a code that does not exist is counted (`miss`) before its 404, so
    codes cannot be guessed at speed."""
    try:
        return rr.get(guatu().store, code)
    except NotFound:
        count("miss")
        raise
