"""A fake feed server over real HTTP, scripted per path, recording every request.

Bind to port 0, then script a path with `serve(path, *responses)`: each request to the
path gets the next response and the last one repeats, so `serve("/f", Status(500), feed)`
fails once and then recovers. Responses:
- `Feed(body, etag=..., last_modified=...)` answers 304 to a matching If-None-Match or
  If-Modified-Since; `gzip=True` sends it gzip-encoded.
- `Status(code, body)`, `Redirect(location, status)`, `Hang(seconds)` (sleeps before
  answering, capped at MAX_HANG_S so a broken test cannot wedge the suite),
- `Large(size)` streams `size` bytes of filler (never held in memory),
  optionally without Content-Length.
- `Drip(body, every_s)` sends one byte every `every_s` seconds, the headers too when
  `headers=True`, and gives up after MAX_DRIP_S (or when the server stops) so a broken
  test cannot wedge the suite.
`server.requests` holds (path, headers, bytes_sent) for every request, in order.
"""

from __future__ import annotations

import contextlib
import gzip as gzip_module
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_HANG_S = 3.0
MAX_DRIP_S = 15.0
_FILLER = b"<!-- filler -->\n" * 4096


@dataclass(frozen=True)
class Feed:
    """A feed document with validators; 304 when the client already has it."""

    body: bytes
    etag: str = ""
    last_modified: str = ""
    content_type: str = "application/rss+xml"
    gzip: bool = False


@dataclass(frozen=True)
class Status:
    """A bare status code with an optional body."""

    code: int
    body: bytes = b""
    content_type: str = "text/plain"


@dataclass(frozen=True)
class Redirect:
    """A redirect to location (absolute, or a path on this server)."""

    location: str
    status: int = 302


@dataclass(frozen=True)
class Hang:
    """Sleep before answering: longer than the client's read timeout."""

    seconds: float
    then: Status = Status(200, b"too late")


@dataclass(frozen=True)
class Large:
    """A body of size bytes generated while it is sent."""

    size: int
    declare_length: bool = True


@dataclass(frozen=True)
class Drip:
    """A 200 answer sent one byte every every_s seconds (headers too when headers is set)."""

    body: bytes
    every_s: float = 0.2
    headers: bool = False
    content_type: str = "application/rss+xml"


Response = Feed | Status | Redirect | Hang | Large | Drip


@dataclass
class Request:
    """One request the fake received, and how much body it sent back."""

    path: str
    headers: dict[str, str]
    bytes_sent: int = 0
    at: float = field(default_factory=time.monotonic)


class FakeFeedServer:
    """The server and its observable state."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self._routes: dict[str, list[Response]] = {}
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        """Absolute URL of path on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> FakeFeedServer:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (dripping answers too) and release the port."""
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def serve(self, path: str, *responses: Response) -> None:
        """Answer requests to path with responses in order, repeating the last one."""
        if not responses:
            raise ValueError("serve() needs at least one response")
        with self.lock:
            self._routes[path] = list(responses)

    def requests_to(self, path: str) -> list[Request]:
        """The recorded requests to one path, in order."""
        with self.lock:
            return [request for request in self.requests if request.path == path]

    def _next_response(self, path: str) -> Response:
        with self.lock:
            queue = self._routes.get(path)
            if not queue:
                return Status(404, b"no route")
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.record = Request(self.path, dict(self.headers.items()))
                with fake.lock:
                    fake.requests.append(self.record)
                # The client may stop reading early, as a capped fetch should.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._answer(fake._next_response(self.path))

            def _write(self, data: bytes) -> None:
                self.wfile.write(data)
                self.record.bytes_sent += len(data)

            def _answer(self, response: Response) -> None:
                if isinstance(response, Feed):
                    self._feed(response)
                elif isinstance(response, Redirect):
                    self._send(response.status, b"", {"Location": response.location})
                elif isinstance(response, Hang):
                    time.sleep(min(response.seconds, MAX_HANG_S))
                    self._answer(response.then)
                elif isinstance(response, Large):
                    self._large(response)
                elif isinstance(response, Drip):
                    self._drip(response)
                else:
                    self._send(
                        response.code, response.body, {"Content-Type": response.content_type}
                    )

            def _feed(self, feed: Feed) -> None:
                validators: dict[str, str] = {}
                if feed.etag:
                    validators["ETag"] = feed.etag
                if feed.last_modified:
                    validators["Last-Modified"] = feed.last_modified
                if self._client_has(feed):
                    self._send(304, b"", validators)
                    return
                body, headers = feed.body, {"Content-Type": feed.content_type, **validators}
                if feed.gzip:
                    body = gzip_module.compress(body)
                    headers["Content-Encoding"] = "gzip"
                self._send(200, body, headers)

            def _client_has(self, feed: Feed) -> bool:
                if_none_match = self.headers.get("If-None-Match")
                if if_none_match is not None:
                    return bool(feed.etag) and if_none_match == feed.etag
                if_modified_since = self.headers.get("If-Modified-Since")
                return bool(feed.last_modified) and if_modified_since == feed.last_modified

            def _large(self, large: Large) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                if large.declare_length:
                    self.send_header("Content-Length", str(large.size))
                self.end_headers()
                sent = 0
                while sent < large.size:
                    chunk = _FILLER[: large.size - sent]
                    self._write(chunk)
                    sent += len(chunk)

            def _drip(self, drip: Drip) -> None:
                head = (
                    f"HTTP/1.1 200 OK\r\nContent-Type: {drip.content_type}\r\n"
                    f"Content-Length: {len(drip.body)}\r\n\r\n"
                ).encode()
                dripped = (head if drip.headers else b"") + drip.body
                if not drip.headers:
                    self.wfile.write(head)
                    self.wfile.flush()
                give_up = time.monotonic() + MAX_DRIP_S
                for index in range(len(dripped)):
                    if time.monotonic() > give_up or fake._stopping.is_set():
                        break
                    self._write(dripped[index : index + 1])
                    self.wfile.flush()
                    time.sleep(drip.every_s)
                self.close_connection = True

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self._write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
