"""Real local receivers for the notifications' tests: an HTTP server in a thread that records every POST, checks
its signature (the webhook's `X-Guatu-Signature`, 钉钉's 加签 `timestamp`/`sign`) and answers as the robots do
(`{"errcode": 0}`, or an errcode when the sign does not match); and an SMTP sink (aiosmtpd) that keeps every
message it is sent."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import urllib.parse
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Post:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    signed: bool | None  # None: nothing to check

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers POSTs on /wecom, /dingtalk and /hook. `down`: every POST gets a 503 (and is still recorded);
    `errcode`: the robots answer HTTP 200 with this errcode. Secrets by path check the signatures."""

    secrets: dict[str, str] = field(default_factory=dict)
    down: bool = False
    errcode: int = 0
    posts: list[Post] = field(default_factory=list)

    def __post_init__(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                parts = urllib.parse.urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                query = dict(urllib.parse.parse_qsl(parts.query))
                signed = receiver.check(parts.path, query, self.headers, body)
                receiver.posts.append(Post(parts.path, query, {k.lower(): v for k, v in self.headers.items()}, body,
                                           signed))
                if receiver.down:
                    return self._answer(503, b"down for maintenance")
                if parts.path == "/hook":
                    return self._answer(204 if signed else 401, b"")
                if signed is False:
                    return self._answer(200, json.dumps({"errcode": 310000, "errmsg": "sign not match"}).encode())
                answer = {"errcode": receiver.errcode, "errmsg": "ok" if not receiver.errcode else "refused"}
                return self._answer(200, json.dumps(answer).encode())

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # quiet
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def check(self, path: str, query: dict, headers, body: bytes) -> bool | None:
        secret = self.secrets.get(path)
        if path == "/hook":
            expected = "sha256=" + hmac.new((secret or "").encode(), body, hashlib.sha256).hexdigest()
            return hmac.compare_digest(expected, headers.get("X-Guatu-Signature", ""))
        if path == "/dingtalk" and secret:
            stamp = query.get("timestamp", "")
            digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
            return hmac.compare_digest(base64.b64encode(digest).decode(), query.get("sign", ""))
        return None

    def to(self, path: str) -> list[Post]:
        return [p for p in self.posts if p.path == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Keep:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


class SmtpSink:
    """A local SMTP server (aiosmtpd) keeping each message with its recipients."""

    def __init__(self) -> None:
        self._handler = _Keep()
        # aiosmtpd checks it is up by connecting to the port it was given, so it needs a number, not 0: a free one,
        # and another if a server of a test running beside this one took it meanwhile
        for attempt in range(5):
            self.port = free_port()
            self.controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)
            try:
                self.controller.start()
                break
            except (OSError, RuntimeError):
                if attempt == 4:
                    raise

    @property
    def messages(self) -> list[tuple[list[str], EmailMessage]]:
        return self._handler.messages

    def close(self) -> None:
        self.controller.stop()
