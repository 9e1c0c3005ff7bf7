"""The app's notifications sender, built from the settings (GUATU_NOTIFY_*, GUATU_SMTP_*) and kept on
`app.extensions["guatu_notify"]`; `start_sender(app)` runs it in the background of a server process (gunicorn's
`post_worker_init`, gunicorn.conf.py), never at import nor in a test that does not start it."""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app

from geo.notify.channels import SmtpConfig, Transport
from geo.notify.sender import Sender
from web.core.settings import Settings, get_settings

EXTENSION = "guatu_notify"
log = logging.getLogger(__name__)


def transport_of(conf: Settings) -> Transport:
    smtp = SmtpConfig(host=conf.smtp_host, port=conf.smtp_port, starttls=conf.smtp_starttls, user=conf.smtp_user,
                      password=conf.smtp_password, sender=conf.smtp_from)
    return Transport(timeout=conf.notify_timeout, base_url=conf.notify_base_url or "", smtp=smtp)


def install(app: Flask) -> Sender:
    """The app's sender (not started): the campaign's store, the app's clock, the accounts as they are now."""
    conf = get_settings(app)
    ctx = app.extensions["guatu"]
    sender = Sender(ctx.store, ctx.campaign, lambda: app.extensions["guatu_accounts"].users(),
                    transport=transport_of(conf), attempts=conf.notify_attempts, clock=ctx.clock)
    app.extensions[EXTENSION] = sender
    return sender


def sender(app: Flask | None = None) -> Sender:
    return (app or current_app).extensions[EXTENSION]


def start_sender(app: Flask) -> threading.Thread | None:
    """Run the sender in the background of this process when GUATU_NOTIFY_SENDER is on (the default); every
    process runs one and the store's leader lock lets one of them send."""
    conf = get_settings(app)
    if not conf.notify_sender:
        return None
    thread = sender(app).start(conf.notify_interval)
    log.info("the notifications' sender runs every %s s", conf.notify_interval)
    return thread
