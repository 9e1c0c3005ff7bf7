"""The reader's language: Chinese (zh-CN) unless the request's Accept-Language prefers English.

`request_lang()` is the one place that reads Accept-Language; the error
handlers of both APIs render their messages with it (`localize`), and pages
get it through the Jinja globals `t(key, **params)` and `html_lang` (for
`<html lang="…">`). Outside a request (the command line, logs) it is Chinese.
Pages and refusals say `Vary: Accept-Language`, so a cache keeps one copy per
language.
"""

from __future__ import annotations

from flask import Flask, Response, has_request_context, request
from markupsafe import Markup, escape

from geo.messages import DEFAULT_LANGUAGE, LANGUAGES, MESSAGES, localize, t

HTML_LANG = {"zh": "zh-CN", "en": "en"}


def request_lang() -> str:
    """"zh" or "en": what the request's Accept-Language prefers, Chinese on a tie or without the header."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    quality = dict.fromkeys(LANGUAGES, 0.0)  # a language's best quality, any region of it (zh-TW counts as zh)
    for value, q in request.accept_languages:  # parsed by werkzeug
        primary = value.split("-")[0].split("_")[0].lower()
        if primary in quality:
            quality[primary] = max(quality[primary], q)
    best = max(LANGUAGES, key=lambda lang: quality[lang])  # max keeps the first of equals: Chinese wins a tie
    return best if quality[best] > 0 else DEFAULT_LANGUAGE


def localized(value: object) -> object:
    """`value` (an error body, a message) with its catalogue messages in the request's language."""
    return localize(value, request_lang())


def page_text(key: str, /, **params: object) -> str:
    """A catalogue message in the request's language: templates call it as `t(…)`. Markup passed in
    (`{% set link %}<a …>…</a>{% endset %}`) stays markup; every other parameter is escaped as usual."""
    lang = request_lang()
    if not any(isinstance(v, Markup) for v in params.values()):
        return t(key, lang=lang, **params)
    entry = MESSAGES[key]
    return Markup(escape(entry.get(lang, entry[DEFAULT_LANGUAGE]))).format(**localize(params, lang))


def register(app: Flask) -> None:
    """Templates read the catalogue in the request's language, and say which language the page is in."""
    app.jinja_env.globals["t"] = page_text
    app.jinja_env.finalize = localized  # a message passed to a template ({{ message }}) in the reader's language
    app.jinja_env.globals["html_lang"] = lambda: HTML_LANG[request_lang()]

    @app.after_request
    def _vary(resp: Response) -> Response:
        """Pages and refusals are worded for the reader: a cache keeps one copy per language."""
        if resp.mimetype == "text/html" or resp.status_code >= 400:
            resp.vary.add("Accept-Language")
        return resp
