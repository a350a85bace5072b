"""Run an ASGI app under uvicorn on a free port for the length of a test."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

START_TIMEOUT_S = 30.0


class _Server(uvicorn.Server):
    """A uvicorn server that says when it is listening."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.listening = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start as uvicorn does, then tell the waiting test."""
        await super().startup(sockets)
        self.listening.set()


@contextmanager
def serve_asgi(app: Any) -> Iterator[str]:
    """Serve app on 127.0.0.1 at a free port; yield its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    with serve_config(config) as url:
        yield url


@contextmanager
def serve_config(config: uvicorn.Config) -> Iterator[str]:
    """Run a uvicorn server built from config (port 0: a free one) in a thread; yield its URL."""
    server = _Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    if not server.listening.wait(START_TIMEOUT_S) or not server.started:
        raise RuntimeError("uvicorn did not start")
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
