"""A real `dealwatch run` subprocess on a free port, for tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
INGEST_TOKEN = "ingest-secret"
START_TIMEOUT_S = 60.0


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def dealwatch_run(
    database_url: str, slack_url: str, extra_env: Mapping[str, str] | None = None
) -> Iterator[str]:
    """Start `dealwatch run` on the database and fake Slack; yield its base URL once healthy."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_API_URL": slack_url,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "DEALWATCH_INGEST_TOKEN": INGEST_TOKEN,
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"dealwatch run exited with {process.returncode}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("dealwatch run did not become healthy")
            time.sleep(0.05)
        yield url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def ingest(url: str, articles: list[dict[str, object]]) -> httpx.Response:
    """POST articles to the bot's /ingest with the bearer token."""
    return httpx.post(
        f"{url}/ingest",
        json=articles,
        headers={"Authorization": f"Bearer {INGEST_TOKEN}"},
        timeout=30,
    )
