"""How a notification leaves Guatu: the 企业微信 and 钉钉 group robots' markdown messages, a signed JSON webhook and
email over SMTP, each one attempt that answers an `Outcome` (never raises for a receiver's fault).

- 企业微信 group robot: POST `{"msgtype": "markdown", "markdown": {"content": …}}` to the robot's webhook URL.
- 钉钉 group robot: POST `{"msgtype": "markdown", "markdown": {"title": …, "text": …}}`; with its 加签 secret the URL
  gets `&timestamp=<ms>&sign=<urlencoded base64 HMAC-SHA256 of "<ms>\\n<secret>" keyed by the secret>`.
  Both robots answer JSON with `errcode`: anything but 0 is a failure, even under HTTP 200.
- Webhook: POST the JSON `{"delivery", "sent_at", "event"}` with `X-Guatu-Event` (the kind), `X-Guatu-Delivery`
  (the idempotency key: the same for every attempt of one delivery), `X-Guatu-Timestamp` and
  `X-Guatu-Signature: sha256=<hex HMAC-SHA256 of the raw body keyed by the channel's secret>`; any 2xx is delivered.
- Email: one message per delivery over SMTP (STARTTLS and login when configured), Chinese subject and body in
  UTF-8, its Message-ID made from the delivery id so a mail system can drop a repeat.

Event texts are people's words: in the robots' markdown the characters that would format (`*`, `_`, `#`, `[`,
`]`, `` ` ``, `<`, `>`, `|`, `~`, a list mark where a line begins) are written in their full-width forms, so a place
named `**急**<font>` reads as typed and formats nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import smtplib
import ssl
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

import orjson
import requests

from geo.messages import t

CHANNEL_TYPES = ("wecom", "dingtalk", "webhook", "email")
ROBOT_LIMIT = 4000  # bytes of markdown a robot message keeps (企业微信 takes 4096)


@dataclass(frozen=True)
class SmtpConfig:
    """Where email goes out (GUATU_SMTP_*); `host` None: no email is sent."""

    host: str | None = None
    port: int = 25
    starttls: bool = False
    user: str | None = None
    password: str | None = None
    sender: str = "guatu@localhost"


@dataclass(frozen=True)
class Transport:
    """What every attempt needs besides the message: the HTTP timeout, the app's address for links, SMTP."""

    timeout: float = 5.0
    base_url: str = ""
    smtp: SmtpConfig = field(default_factory=SmtpConfig)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None = None  # the HTTP status or the SMTP reply code, when there was an answer
    error: str = ""  # what went wrong, in Chinese, for the admin's delivery log


# The characters that format in the robots' markdown (or open a tag), written as their full-width forms: the
# robots' markdown subsets do not all honour backslash escapes, and full-width forms read naturally in Chinese.
_FULL_WIDTH = str.maketrans({"*": "＊", "_": "＿", "`": "｀", "[": "［", "]": "］", "#": "＃", "<": "＜", ">": "＞",
                             "|": "｜", "~": "～", "\\": "＼"})
_LINE_START = re.compile(r"^(\s*)([-+]|\d+\.)(\s)", re.MULTILINE)  # a list item where a line begins


def escape_markdown(text: str) -> str:
    """Text shown as typed in a robot's markdown: nothing in it formats (no emphasis, heading, link, list, tag)."""
    plain = str(text).translate(_FULL_WIDTH)
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2).replace("-", "－").replace("+", "＋").replace(".", "．")
                           + m.group(3), plain)


def link_of(event: dict, base_url: str) -> str:
    """The event's link as an absolute URL ('' without a base URL or a link)."""
    link = event.get("link") or ""
    if not link or not base_url:
        return ""
    return base_url.rstrip("/") + "/" + link.lstrip("/")


def _clip(text: str, limit: int = ROBOT_LIMIT) -> str:
    raw = text.encode()
    return text if len(raw) <= limit else raw[:limit].decode(errors="ignore") + "…"


def robot_markdown(event: dict, base_url: str) -> tuple[str, str]:
    """The title and markdown body of a robot message for the event."""
    title = escape_markdown(event["title"])
    lines = [f"### {'❗' if event.get('urgent') else ''}{title}", "", escape_markdown(event["text"])]
    where = [x for x in (event.get("street"), event.get("community"), event.get("unit")) if x]
    if where:
        lines += ["", "> " + escape_markdown(" · ".join(where))]
    url = link_of(event, base_url)
    if url:
        lines += ["", f"[{t('notify.delivery.channel.open_link')}]({url})"]
    return _clip(event["title"], 128), _clip("\n".join(lines))


def dingtalk_url(url: str, secret: str | None, now: datetime) -> str:
    """The robot's URL, with the 加签 timestamp and sign when it has a secret."""
    if not secret:
        return url
    stamp = str(int(now.timestamp() * 1000))
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"


def webhook_signature(secret: str, body: bytes) -> str:
    """`sha256=<hex>`: the HMAC-SHA256 of the raw body, keyed by the channel's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send(channel: dict, event: dict, delivery_id: str, *, now: datetime, transport: Transport,
         to: list[str] | None = None) -> Outcome:
    """One attempt to send `event` through `channel` (a channel record, or `{"type": "email"}` with `to`)."""
    kind = channel["type"]
    if kind == "email":
        return _email(to or channel.get("emails") or [], event, delivery_id, now=now, transport=transport)
    if kind == "webhook":
        body = orjson.dumps({"delivery": delivery_id, "sent_at": now.isoformat().replace("+00:00", "Z"),
                             "event": event})
        headers = {"Content-Type": "application/json; charset=utf-8", "X-Guatu-Event": event["kind"],
                   "X-Guatu-Delivery": delivery_id, "X-Guatu-Timestamp": str(int(now.timestamp())),
                   "X-Guatu-Signature": webhook_signature(channel.get("secret") or "", body)}
        return _post(channel["url"], body, headers, transport, robot=False)
    title, text = robot_markdown(event, transport.base_url)
    if kind == "wecom":
        message = {"msgtype": "markdown", "markdown": {"content": text}}
        url = channel["url"]
    elif kind == "dingtalk":
        message = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
        url = dingtalk_url(channel["url"], channel.get("secret"), now)
    else:
        return Outcome(False, error=t("notify.delivery.error.unknown_type", type=kind))
    return _post(url, orjson.dumps(message), {"Content-Type": "application/json; charset=utf-8"}, transport,
                 robot=True)


def _post(url: str, body: bytes, headers: dict, transport: Transport, *, robot: bool) -> Outcome:
    try:
        resp = requests.post(url, data=body, headers=headers, timeout=transport.timeout, allow_redirects=False)
    except requests.Timeout:
        return Outcome(False, error=t("notify.delivery.error.timeout", seconds=transport.timeout))
    except requests.RequestException as exc:
        return Outcome(False, error=t("notify.delivery.error.unreachable", detail=type(exc).__name__))
    if not 200 <= resp.status_code < 300:
        return Outcome(False, resp.status_code, t("notify.delivery.error.http_status", status=resp.status_code))
    if robot:
        try:
            answer = resp.json()
        except ValueError:
            return Outcome(False, resp.status_code, t("notify.delivery.error.not_json"))
        code = answer.get("errcode") if isinstance(answer, dict) else None
        if code != 0:
            message = str(answer.get("errmsg", "")) if isinstance(answer, dict) else ""
            return Outcome(False, resp.status_code, t("notify.delivery.error.errcode", code=code, message=message[:200]))
    return Outcome(True, resp.status_code)


def _email(to: list[str], event: dict, delivery_id: str, *, now: datetime, transport: Transport) -> Outcome:
    smtp = transport.smtp
    if not smtp.host:
        return Outcome(False, error=t("notify.delivery.error.no_smtp"))
    if not to:
        return Outcome(False, error=t("notify.delivery.error.no_address"))
    msg = EmailMessage()
    msg["Subject"] = event["title"]
    msg["From"] = smtp.sender
    msg["To"] = ", ".join(to)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = f"<{delivery_id}@guatu>"  # the same for every attempt: a repeat can be dropped
    msg["X-Guatu-Delivery"] = delivery_id
    msg["X-Guatu-Event"] = event["kind"]
    url = link_of(event, transport.base_url)
    body = event["text"] + (f"\n\n{t('notify.delivery.channel.open_link')}: {url}" if url else "")
    msg.set_content(body, charset="utf-8")
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=transport.timeout) as client:
            if smtp.starttls:
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            refused = client.send_message(msg)
    except smtplib.SMTPResponseException as exc:
        return Outcome(False, exc.smtp_code, t("notify.delivery.error.smtp", detail=f"{exc.smtp_code} {exc.smtp_error!r}"[:200]))
    except (smtplib.SMTPException, OSError) as exc:
        return Outcome(False, error=t("notify.delivery.error.smtp", detail=type(exc).__name__))
    if refused:
        return Outcome(False, 250, t("notify.delivery.error.refused", addresses="、".join(sorted(refused))))
    return Outcome(True, 250)
