"""`flask --app web notify run|tick|test`: the notifications' sender in the foreground, one round of it, and a
test message through a channel."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from geo.errors import GuatuError
from geo.messages import t
from geo.notify.subscriptions import channel
from web.core.settings import get_settings
from web.notify.service import sender


@click.group("notify", help="Notifications: run the sender, one round of it, or test a channel.")
def notify() -> None:
    pass


@notify.command("run", help="Run the sender in the foreground (one sends at a time; Ctrl-C stops it).")
@click.option("--interval", type=float, default=None, help="Seconds between rounds (default GUATU_NOTIFY_INTERVAL).")
@with_appcontext
def run(interval: float | None) -> None:
    app = current_app._get_current_object()
    seconds = interval or get_settings(app).notify_interval
    click.echo(t("notify.delivery.cli_running", seconds=seconds))
    worker = sender(app)
    try:
        worker.run(seconds)
    except KeyboardInterrupt:
        worker.stop()


@notify.command("tick", help="One round: collect new events, fan them out, send what is due.")
@with_appcontext
def tick() -> None:
    try:
        report = sender().tick()
    except GuatuError as exc:  # the store down, or a damaged record the round could not pass: said, not a traceback
        raise click.ClickException(exc.message) from None
    if not report.leader:
        click.echo(t("notify.delivery.cli_not_leader"))
        return
    click.echo(t("notify.delivery.cli_tick", collected=report.collected, fanned=report.fanned_out,
                 delivered=report.delivered, failed=report.failed))


@notify.command("test", help="Send a test message through the channel CHANNEL (its id) now.")
@click.argument("channel_id")
@with_appcontext
def test(channel_id: str) -> None:
    try:
        found = channel(sender().store, channel_id)
    except GuatuError as exc:
        raise click.ClickException(str(exc.message)) from None
    outcome = sender().test(found)
    if not outcome.ok:
        raise click.ClickException(t("notify.delivery.cli_test_failed", name=found["name"], error=outcome.error))
    click.echo(t("notify.delivery.cli_test_ok", name=found["name"]))
