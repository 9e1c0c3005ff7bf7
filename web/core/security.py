"""Standard security headers on every response, and the CSP nonce for our own inline scripts.

The wall map page is rendered by folium, which writes its map set-up as
inline <script> and <style> blocks; `add_nonce` stamps them with this
request's nonce so the Content-Security-Policy needs no 'unsafe-inline'.
No user data is ever written into those blocks. The wall page's first data
is a JSON element (`<script type="application/json">`, which no browser runs)
with every `<`, `>` and `&` in it escaped (web/wall/map_page.py `inline_json`).
"""

from __future__ import annotations

import re
import secrets

from flask import Flask, Response, g, request
from werkzeug.exceptions import RequestEntityTooLarge

_TAG = re.compile(r"<(script|style)(?=[\s>])")


def nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def add_nonce(html: str) -> str:
    value = nonce()
    return _TAG.sub(lambda m: f'<{m.group(1)} nonce="{value}"', html)


def _headers(resp: Response) -> Response:
    n = nonce()
    resp.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{n}'; "
        f"style-src 'self' 'nonce-{n}'; "
        "img-src 'self' data: blob:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'self'",
    )
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    resp.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    resp.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        resp.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return resp


def _limit_streamed_body() -> None:
    """A body sent without Content-Length (chunked) is cut at MAX_CONTENT_LENGTH by
    werkzeug without an error, so an oversized one would reach the views truncated;
    refuse it with 413 as a body with a too large Content-Length is."""
    limit = request.max_content_length
    if limit is None or request.content_length is not None or request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if "chunked" in request.headers.get("Transfer-Encoding", "").lower() and len(request.get_data(cache=True)) >= limit:
        raise RequestEntityTooLarge()


def register(app: Flask) -> None:
    app.before_request(_limit_streamed_body)
    app.after_request(_headers)
    app.jinja_env.globals["csp_nonce"] = nonce
