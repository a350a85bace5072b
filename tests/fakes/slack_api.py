"""A fake Slack Web API over real HTTP: records every call once answered, answers like Slack.

Bind to port 0, point `WebClient(base_url=server.url)` at it, then assert on
`server.calls`; wait with `server.wait_for(method, count)` (or `wait_until(condition)`),
which wakes on each recorded call instead of polling. Like Slack it answers only the
methods it knows (`unknown_method`), only callers with a token it knows: the ones it was
given and those its oauth.v2.access issued (`not_authed`, `invalid_auth`), and pages
`conversations.history` with `limit`, `oldest`, `latest`, `inclusive` and cursors.
`fail_next(method, error)` and `rate_limit(method, times, retry_after)` script failures;
`refuse_channel(channel, error)`, `rate_limit_channel(channel, times, retry_after)` and
`accept_then_fail(times, status)` (the post lands, the answer is a 5xx) script them for
chat.postMessage to one channel.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

T = TypeVar("T")

# The Web API methods dealwatch (and Bolt on its behalf) calls; anything else is a typo.
SLACK_METHODS = frozenset(
    {
        "auth.test",
        "chat.postMessage",
        "conversations.history",
        "files.completeUploadExternal",
        "files.getUploadURLExternal",
        "oauth.v2.access",
        "users.conversations",
        "users.info",
        "views.open",
        "views.publish",
        "views.push",
        "views.update",
    }
)
# Methods a caller authenticates with its client id and secret, not a token.
TOKENLESS_METHODS = frozenset({"oauth.v2.access"})
# The bot token the tests configure; tokens oauth.v2.access issues are accepted too.
DEFAULT_TOKENS = ("xoxb-test",)
HISTORY_DEFAULT_LIMIT = 100
HISTORY_MAX_LIMIT = 999
# Long enough for a loaded machine; a wait that succeeds returns as soon as it can.
DEFAULT_WAIT_S = 30.0
# Slack refuses a Home tab or modal with more blocks than this.
MAX_VIEW_BLOCKS = 100
# Slack's history cursors are base64 of "next_ts:<ts>"; the fake's are too.
CURSOR_PREFIX = "next_ts:"


class _Server(ThreadingHTTPServer):
    """A threading server with a listen backlog for a fan-out's worth of connections."""

    # socketserver's default of 5 drops the SYNs of a 30-channel fan-out (slack_sdk opens a
    # connection per call) and the kernel retries them one second later: a stall Slack
    # itself does not have, which showed up as a 1 s step in bench_instant.
    request_queue_size = 128


@dataclass
class Call:
    """One request the fake received and answered."""

    method: str
    body: dict[str, Any]
    headers: dict[str, str]
    path: str = ""
    at: float = field(default_factory=time.monotonic)


@dataclass
class UploadedFile:
    """A file sent the way files_upload_v2 sends it: URL, bytes, then completion."""

    file_id: str
    filename: str
    length: int
    content: bytes = b""
    title: str = ""
    channel: str = ""
    initial_comment: str = ""
    completed: bool = False


class FakeSlack:
    """The server and its observable state."""

    def __init__(
        self,
        tokens: Iterable[str] = DEFAULT_TOKENS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.calls: list[Call] = []
        self.lock = threading.RLock()  # conditions waited on may read the state too
        self._recorded = threading.Condition(self.lock)
        self.tokens = set(tokens)
        self.clock = clock
        self._errors: dict[str, list[str]] = {}
        self._rate_limits: dict[str, list[int]] = {}
        self._refused_channels: dict[str, str] = {}
        self._channel_rate_limits: dict[str, list[int]] = {}
        self._accept_then_fail: list[int] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.user_timezone = "Europe/Moscow"
        # users.conversations answers from user_channels; users.info marks admins as such.
        self.user_channels: dict[str, list[str]] = {}
        self.admins: set[str] = set()
        self.post_delay_s = 0.0
        # What oauth.v2.access installs: a team, its installer and (optionally) rotating tokens.
        self.install_team = ("T0NEW", "New Team")
        self.installer = "U0INSTALLER"
        self.rotating_tokens = False
        self._ts = 1_700_000_000
        self.uploads: dict[str, UploadedFile] = {}
        # Views as Slack holds them: modals by view id (open/update/push), Homes by user.
        self.views: dict[str, dict[str, Any]] = {}
        self.homes: dict[str, dict[str, Any]] = {}
        self._view_ids = 0
        # Every view shown, in order, as (method, view with its id).
        self.shown_views: list[tuple[str, dict[str, Any]]] = []
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

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
        _require_known(method)
        with self.lock:
            self._errors.setdefault(method, []).extend([error] * times)

    def rate_limit(self, method: str, times: int, retry_after: int = 1) -> None:
        """Answer the next `times` calls of method with HTTP 429 and Retry-After."""
        _require_known(method)
        with self.lock:
            self._rate_limits.setdefault(method, []).extend([retry_after] * times)

    def refuse_channel(self, channel: str, error: str) -> None:
        """Answer every chat.postMessage to channel with {"ok": false, "error": error}."""
        with self.lock:
            self._refused_channels[channel] = error

    def rate_limit_channel(self, channel: str, times: int, retry_after: int = 1) -> None:
        """Answer the next `times` chat.postMessage calls to channel with 429 and Retry-After."""
        with self.lock:
            self._channel_rate_limits.setdefault(channel, []).extend([retry_after] * times)

    def accept_then_fail(self, times: int = 1, status: int = 500) -> None:
        """Post the next `times` chat.postMessage messages, but answer them with HTTP status."""
        with self.lock:
            self._accept_then_fail.extend([status] * times)

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        """The messages posted to channel, oldest first."""
        with self.lock:
            return list(self.messages.get(channel, []))

    @property
    def response_url(self) -> str:
        """A response_url for slash-command payloads; its calls are recorded as `response`."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/hooks/response"

    def calls_to(self, method: str) -> list[Call]:
        """The recorded calls of one API method (or `response`, `upload`), in order."""
        with self.lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = DEFAULT_WAIT_S,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """The calls of method (those `where` accepts), once at least count are recorded."""

        def matching() -> list[Call]:
            return [c for c in self.calls if c.method == method and (where is None or where(c))]

        with self._recorded:
            if self._recorded.wait_for(lambda: len(matching()) >= count, timeout):
                return matching()
            seen = [call.body for call in matching()]
        raise AssertionError(
            f"expected {count} {method} calls within {timeout}s, got {len(seen)}: {seen}"
        )

    def wait_until(self, condition: Callable[[], T], timeout: float = DEFAULT_WAIT_S) -> T:
        """The first truthy value of condition, checked again each time a request is recorded."""
        with self._recorded:
            value = self._recorded.wait_for(condition, timeout)
        if not value:
            raise AssertionError(f"the fake Slack never saw what the test waited for ({timeout}s)")
        return value

    def uploaded_files(self) -> list[UploadedFile]:
        """Files whose upload was completed (shared to a channel), in upload order."""
        with self.lock:
            return [upload for upload in self.uploads.values() if upload.completed]

    def handle(
        self, method: str, path: str, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        """Answer one request as Slack would, then record it and wake the waiters."""
        with self._recorded:
            if path.startswith("/hooks/"):
                answer: tuple[int, dict[str, str], dict[str, Any]] = (200, {}, {"ok": True})
            else:
                answer = self._answer(method, body, _token(headers, body))
            self.calls.append(Call(method, body, headers, path, self.clock()))
            self._recorded.notify_all()
        return answer

    def _next_ts(self) -> str:
        self._ts += 1
        return f"{self._ts}.000100"

    def _answer(
        self, method: str, body: dict[str, Any], token: str
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        if method not in SLACK_METHODS:
            return 200, {}, {"ok": False, "error": "unknown_method", "req_method": method}
        if method not in TOKENLESS_METHODS:
            if not token:
                return 200, {}, {"ok": False, "error": "not_authed"}
            if token not in self.tokens:
                return 200, {}, {"ok": False, "error": "invalid_auth"}
        limits = self._rate_limits.get(method)
        if limits:
            retry_after = limits.pop(0)
            return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"}
        errors = self._errors.get(method)
        if errors:
            return 200, {}, {"ok": False, "error": errors.pop(0)}
        if method == "chat.postMessage":
            channel = str(body.get("channel", ""))
            channel_limits = self._channel_rate_limits.get(channel)
            if channel_limits:
                retry_after = channel_limits.pop(0)
                return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"}
            if channel in self._refused_channels:
                return 200, {}, {"ok": False, "error": self._refused_channels[channel]}
            if self._accept_then_fail:
                status = self._accept_then_fail.pop(0)
                self._post(body)  # the message is in the channel; the answer says otherwise
                return status, {}, {"ok": False, "error": "internal_error"}
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
            return self._post(body)
        if method == "conversations.history":
            return self._history(body)
        if method == "users.info":
            user = str(body.get("user"))
            return {
                "ok": True,
                "user": {"id": user, "tz": self.user_timezone, "is_admin": user in self.admins},
            }
        if method == "users.conversations":
            ids = self.user_channels.get(str(body.get("user")), [])
            return {
                "ok": True,
                "channels": [{"id": channel} for channel in ids],
                "response_metadata": {"next_cursor": ""},
            }
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.uploads) + 1:08d}"
            self.uploads[file_id] = UploadedFile(
                file_id, str(body.get("filename", "")), int(body.get("length", 0))
            )
            host, port = self._server.server_address[:2]
            return {
                "ok": True,
                "file_id": file_id,
                "upload_url": f"http://{host!s}:{port}/upload/v1/{file_id}",
            }
        if method == "files.completeUploadExternal":
            shared = []
            for item in json.loads(str(body.get("files", "[]"))):
                upload = self.uploads.get(str(item.get("id")))
                if upload is None:
                    return {"ok": False, "error": "file_not_found"}
                upload.title = str(item.get("title") or upload.filename)
                upload.channel = str(body.get("channel_id", ""))
                upload.initial_comment = str(body.get("initial_comment", ""))
                upload.completed = True
                shared.append(
                    {"id": upload.file_id, "name": upload.filename, "title": upload.title}
                )
            return {"ok": True, "files": shared}
        if method == "oauth.v2.access":
            return self._installation(body)
        if method.startswith("views."):
            return self._view(method, body)
        raise AssertionError(f"{method} is in SLACK_METHODS but has no answer")

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        ts = self._next_ts()
        message = {
            "type": "message",
            "ts": ts,
            "text": body.get("text", ""),
            "metadata": body.get("metadata"),
            "at": self.clock(),
        }
        if body.get("thread_ts"):
            message["thread_ts"] = body["thread_ts"]
            if _true(body.get("reply_broadcast")):
                message["subtype"] = "thread_broadcast"
        self.messages.setdefault(str(body.get("channel")), []).append(message)
        return {"ok": True, "channel": body.get("channel"), "ts": ts, "message": message}

    def _history(self, body: dict[str, Any]) -> dict[str, Any]:
        """One page of a channel's messages, newest first, as conversations.history pages."""
        try:
            limit = int(body.get("limit") or HISTORY_DEFAULT_LIMIT)
            oldest = Decimal(str(body.get("oldest") or "0"))
            latest = Decimal(str(body["latest"])) if body.get("latest") else None
            start = _read_cursor(str(body["cursor"])) if body.get("cursor") else None
        except (ValueError, InvalidOperation):
            return {
                "ok": False,
                "error": "invalid_cursor" if body.get("cursor") else "invalid_arguments",
            }
        limit = min(max(limit, 1), HISTORY_MAX_LIMIT)
        inclusive = _true(body.get("inclusive"))

        def in_range(ts: Decimal) -> bool:
            after_oldest = ts > oldest or (inclusive and ts == oldest)
            before_latest = latest is None or ts < latest or (inclusive and ts == latest)
            return after_oldest and before_latest and (start is None or ts <= start)

        # As in Slack: thread replies are left out, unless also sent to the channel.
        messages = [
            message
            for message in reversed(self.messages.get(str(body.get("channel")), []))
            if ("thread_ts" not in message or message.get("subtype") == "thread_broadcast")
            and in_range(Decimal(message["ts"]))
        ]
        page, rest = messages[:limit], messages[limit:]
        with_metadata = _true(body.get("include_all_metadata"))
        return {
            "ok": True,
            "messages": [_as_listed(message, with_metadata) for message in page],
            "has_more": bool(rest),
            "response_metadata": {"next_cursor": _cursor(rest[0]["ts"]) if rest else ""},
        }

    def _view(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        """views.open/push/update/publish: keep the view, answer it with its id."""
        view = body.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if not isinstance(view, dict) or not view.get("type"):
            return {"ok": False, "error": "invalid_arguments"}
        if len(view.get("blocks") or []) > MAX_VIEW_BLOCKS:
            return {"ok": False, "error": "invalid_blocks"}
        if method in ("views.open", "views.push") and not body.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        if method == "views.update":
            view_id = str(body.get("view_id", ""))
            if view_id not in self.views:
                return {"ok": False, "error": "not_found"}
        elif method == "views.publish":
            view_id = f"VHOME{body.get('user_id', '')}"
        else:
            self._view_ids += 1
            view_id = f"V{self._view_ids:08d}"
        stored = {**view, "id": view_id}
        self.shown_views.append((method, stored))
        if method == "views.publish":
            self.homes[str(body.get("user_id", ""))] = stored
        else:
            self.views[view_id] = stored
        return {"ok": True, "view": stored}

    def _installation(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("grant_type") == "refresh_token":
            self._ts += 1
            token = f"xoxb-refreshed-{self._ts}"
            self.tokens.add(token)
            return {
                "ok": True,
                "token_type": "bot",
                "access_token": token,
                "refresh_token": f"xoxe-1-refreshed-{self._ts}",
                "expires_in": 43200,
            }
        if not body.get("code"):
            return {"ok": False, "error": "invalid_code"}
        team_id, team_name = self.install_team
        token = f"xoxb-{team_id}-{body['code']}"
        self.tokens.add(token)
        answer: dict[str, Any] = {
            "ok": True,
            "app_id": "A0DEALWATCH",
            "authed_user": {"id": self.installer},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": "U0BOT",
            "team": {"id": team_id, "name": team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if self.rotating_tokens:
            answer.update(refresh_token=f"xoxe-1-{team_id}", expires_in=43200)
        return answer

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                url = urlsplit(self.path)
                if url.path.startswith("/upload/v1/"):
                    self._receive_file(self.rfile.read(length))
                    return
                raw = self.rfile.read(length).decode("utf-8")
                if "json" in self.headers.get("Content-Type", ""):
                    body = json.loads(raw or "{}")
                else:
                    body = dict(parse_qsl(raw))
                    for key in ("blocks", "metadata", "attachments", "view"):
                        if isinstance(body.get(key), str):
                            with contextlib.suppress(ValueError):
                                body[key] = json.loads(body[key])
                for key, value in parse_qsl(url.query):
                    body.setdefault(key, value)
                method = url.path.rsplit("/", 1)[-1]
                if method == "chat.postMessage" and fake.post_delay_s:
                    time.sleep(fake.post_delay_s)  # a slow Slack, to crash mid-digest
                status, headers, payload = fake.handle(
                    method, url.path, body, dict(self.headers.items())
                )
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

            def _receive_file(self, data: bytes) -> None:
                file_id = self.path.rsplit("/", 1)[-1]
                with fake._recorded:
                    upload = fake.uploads.get(file_id)
                    if upload is not None:
                        upload.content = data
                    fake.calls.append(
                        Call("upload", {}, dict(self.headers.items()), self.path, fake.clock())
                    )
                    fake._recorded.notify_all()
                status = 200 if upload is not None else 404
                answer = f"OK - {len(data)}".encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _require_known(method: str) -> None:
    if method not in SLACK_METHODS:
        raise ValueError(
            f"{method!r} is not a method the fake Slack answers: {sorted(SLACK_METHODS)}"
        )


def _token(headers: dict[str, str], body: dict[str, Any]) -> str:
    """The caller's token: `Authorization: Bearer ...`, else a `token` field."""
    for name, value in headers.items():
        if name.lower() == "authorization" and value.startswith("Bearer "):
            return value.removeprefix("Bearer ").strip()
    return str(body.get("token") or "")


def _true(value: object) -> bool:
    return value in (True, 1, "true", "1")


def _as_listed(message: dict[str, Any], with_metadata: bool) -> dict[str, Any]:
    """A stored message as conversations.history lists it: metadata only when asked for."""
    listed = {key: value for key, value in message.items() if key not in ("at", "metadata")}
    if with_metadata and message.get("metadata"):
        listed["metadata"] = message["metadata"]
    return listed


def _cursor(ts: str) -> str:
    """An opaque cursor that resumes at message ts, shaped like Slack's."""
    return base64.b64encode(f"{CURSOR_PREFIX}{ts}".encode()).decode()


def _read_cursor(cursor: str) -> Decimal:
    try:
        decoded = base64.b64decode(cursor, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError(cursor) from None
    if not decoded.startswith(CURSOR_PREFIX):
        raise ValueError(cursor)
    return Decimal(decoded.removeprefix(CURSOR_PREFIX))


def block_action_body(
    element: dict[str, Any],
    block_id: str,
    message_ts: str,
    response_url: str,
    channel_id: str = "C0DEALS",
    user_id: str = "U0USER",
    team_id: str = "T0TEST",
    action_ts: str | None = None,
    selected: dict[str, Any] | None = None,
) -> str:
    """The form body Slack sends when someone clicks the button `element` of a message.

    With selected, the element is an overflow menu and selected the option picked.
    """
    action: dict[str, Any] = {
        "type": element.get("type", "button"),
        "action_id": element["action_id"],
        "block_id": block_id,
        "action_ts": action_ts or f"{time.time():.6f}",
    }
    if selected is not None:
        action["selected_option"] = selected
    else:
        action.update(value=element.get("value", ""), text=element["text"])
    payload = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "test"},
        "user": {"id": user_id, "username": "analyst", "team_id": team_id},
        "api_app_id": "A0DEALWATCH",
        "token": "legacy",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "trigger_id": "1.2.3",
        "channel": {"id": channel_id, "name": "deal-desk"},
        "message": {"type": "message", "ts": message_ts},
        "response_url": response_url,
        "actions": [action],
    }
    return urlencode({"payload": json.dumps(payload)})


def view_action_body(
    element: dict[str, Any],
    block_id: str,
    view: dict[str, Any],
    user_id: str = "U0USER",
    team_id: str = "T0TEST",
    selected: dict[str, Any] | None = None,
) -> str:
    """The form body Slack sends when someone uses an element of a Home tab or a modal."""
    action: dict[str, Any] = {
        "type": element.get("type", "button"),
        "action_id": element["action_id"],
        "block_id": block_id,
        "action_ts": f"{time.time():.6f}",
    }
    if selected is not None:
        action["selected_option"] = selected
    else:
        action["value"] = element.get("value", "")
    payload = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "test"},
        "user": {"id": user_id, "username": "analyst", "team_id": team_id},
        "api_app_id": "A0DEALWATCH",
        "token": "legacy",
        "container": {"type": "view", "view_id": view.get("id", "V0")},
        "trigger_id": f"trigger-{time.monotonic_ns()}",
        "view": view,
        "actions": [action],
    }
    return urlencode({"payload": json.dumps(payload)})


def suggestion_body(
    action_id: str, block_id: str, typed: str, view: dict[str, Any], team_id: str = "T0TEST"
) -> str:
    """The form body Slack sends to fill an external_select as someone types."""
    payload = {
        "type": "block_suggestion",
        "team": {"id": team_id, "domain": "test"},
        "user": {"id": "U0USER", "username": "analyst", "team_id": team_id},
        "api_app_id": "A0DEALWATCH",
        "token": "legacy",
        "action_id": action_id,
        "block_id": block_id,
        "value": typed,
        "container": {"type": "view", "view_id": view.get("id", "V0")},
        "view": view,
    }
    return urlencode({"payload": json.dumps(payload)})


def view_submission_body(
    view: dict[str, Any],
    values: dict[str, dict[str, dict[str, Any]]],
    user_id: str = "U0USER",
    team_id: str = "T0TEST",
) -> str:
    """The form body Slack sends when someone submits a modal with these input values."""
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "test"},
        "user": {"id": user_id, "username": "analyst", "team_id": team_id},
        "api_app_id": "A0DEALWATCH",
        "token": "legacy",
        "trigger_id": f"trigger-{time.monotonic_ns()}",
        "view": {**view, "state": {"values": values}},
    }
    return urlencode({"payload": json.dumps(payload)})


def event_body(event: dict[str, Any], event_id: str, team_id: str = "T0TEST") -> str:
    """The JSON body of an Events API delivery."""
    return json.dumps(
        {
            "token": "legacy",
            "team_id": team_id,
            "api_app_id": "A0DEALWATCH",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
        }
    )
