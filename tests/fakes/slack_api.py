"""A fake Slack Web API over real HTTP: records every call, answers like Slack.

Bind to port 0, point `WebClient(base_url=server.url)` at it, then assert on
`server.calls`. `fail_next(method, error)` and `rate_limit(method, times, retry_after)`
script failures.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class Call:
    """One request the fake received."""

    method: str
    body: dict[str, Any]
    headers: dict[str, str]
    path: str = ""
    at: float = field(default_factory=time.monotonic)


class FakeSlack:
    """The server and its observable state."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.lock = threading.Lock()
        self._errors: dict[str, list[str]] = {}
        self._rate_limits: dict[str, list[int]] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.user_timezone = "Europe/Moscow"
        self._ts = 1_700_000_000
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL for WebClient(base_url=...), ending in a slash."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/api/"

    def start(self) -> FakeSlack:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, method: str, error: str, times: int = 1) -> None:
        """Answer the next `times` calls of method with {"ok": false, "error": error}."""
        with self.lock:
            self._errors.setdefault(method, []).extend([error] * times)

    def rate_limit(self, method: str, times: int, retry_after: int = 1) -> None:
        """Answer the next `times` calls of method with HTTP 429 and Retry-After."""
        with self.lock:
            self._rate_limits.setdefault(method, []).extend([retry_after] * times)

    @property
    def response_url(self) -> str:
        """A response_url for slash-command payloads; its calls are recorded as `response`."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/hooks/response"

    def calls_to(self, method: str) -> list[Call]:
        """The recorded calls of one API method, in order."""
        with self.lock:
            return [call for call in self.calls if call.method == method]

    def _next_ts(self) -> str:
        self._ts += 1
        return f"{self._ts}.000100"

    def answer(
        self, method: str, body: dict[str, Any]
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        """The status, headers and JSON Slack would send for this call."""
        with self.lock:
            limits = self._rate_limits.get(method)
            if limits:
                retry_after = limits.pop(0)
                return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"}
            errors = self._errors.get(method)
            if errors:
                return 200, {}, {"ok": False, "error": errors.pop(0)}
            return 200, {}, self._ok(method, body)

    def _ok(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "team_id": "T0TEST",
                "user_id": "U0BOT",
                "bot_id": "B0BOT",
                "team": "Test",
                "user": "dealwatch",
                "url": "https://test.slack.com/",
            }
        if method == "chat.postMessage":
            ts = self._next_ts()
            message = {"ts": ts, "text": body.get("text", ""), "metadata": body.get("metadata")}
            self.messages.setdefault(str(body.get("channel")), []).append(message)
            return {"ok": True, "channel": body.get("channel"), "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "conversations.info":
            channel = body.get("channel", "C0")
            return {
                "ok": True,
                "channel": {"id": channel, "name": f"name-{channel}", "is_archived": False},
            }
        if method == "conversations.history":
            messages = list(reversed(self.messages.get(str(body.get("channel")), [])))
            return {"ok": True, "messages": messages, "has_more": False}
        if method == "users.info":
            return {"ok": True, "user": {"id": body.get("user"), "tz": self.user_timezone}}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V0", "type": "home"}}
        return {"ok": True}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length).decode("utf-8")
                if "json" in self.headers.get("Content-Type", ""):
                    body = json.loads(raw or "{}")
                else:
                    body = dict(parse_qsl(raw))
                    for key in ("blocks", "metadata", "attachments", "view"):
                        if isinstance(body.get(key), str):
                            with contextlib.suppress(ValueError):
                                body[key] = json.loads(body[key])
                method = self.path.rsplit("/", 1)[-1]
                with fake.lock:
                    fake.calls.append(Call(method, body, dict(self.headers.items()), self.path))
                status, headers, payload = fake.answer(method, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
