"""Ack latency of /deals over real HTTP: the app on a free port, the fake Slack Web API.

Sends REQUESTS signed commands (`list` and `lookup Alibaba` in turn, on a database with
stored stories) one after another, then REQUESTS more from CONCURRENCY threads at once,
and prints p50/p99/max of the time until the HTTP answer (Slack's 3-second ack
deadline). Each phase also waits for every reply through response_url, so the work
after the ack is done (and timed) inside the phase, not hidden. Runs on SQLite, and on
PostgreSQL when DEALWATCH_TEST_DATABASE_URL is set (in a schema of its own, dropped
afterwards).

    .venv/bin/python -m benchmarks.bench_ack
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.app import create_app, create_asgi, tune_interpreter
from bot.pipeline import Pipeline
from bot.settings import Settings
from db.engine import make_engine, upgrade
from db.store import SqlStore
from handlers.poster import make_web_client
from tests.fakes.servers import serve_asgi
from tests.fakes.signing import signed_headers, slash_command_body
from tests.fakes.slack_api import FakeSlack
from watchlists.model import Article, Entity
from watchlists.services import ingest_articles

REQUESTS = 200
CONCURRENCY = 20
COMMANDS = ("list", "lookup Alibaba")
SEEDED_ARTICLES = 50
REPLY_LIMIT_S = 300.0
SECRET = "bench-signing-secret"


@contextmanager
def database(kind: str) -> Iterator[Engine]:
    """A migrated engine on a fresh SQLite file or PostgreSQL schema."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
            upgrade(engine)
            yield engine
            engine.dispose()
        return
    url = os.environ["DEALWATCH_TEST_DATABASE_URL"]
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    engine = make_engine(f"{url}{separator}options=-csearch_path%3D{schema}")
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def seed(store: SqlStore) -> None:
    """A channel watching Alibaba, with processed articles about it."""
    channel = store.ensure_channel("T0TEST", "C0SEED", "seed")
    store.watch(channel.id, Entity(name="Alibaba"))
    articles = [
        Article(
            id=f"seed-{n}",
            title=f"Alibaba agrees to buy Zorvex{n:03d} Robotics",
            text=f"Alibaba agrees to buy Zorvex{n:03d} Robotics for ${n + 10} million.",
            url=f"https://wire.test/{n}",
            published=datetime.now(UTC),
        )
        for n in range(SEEDED_ARTICLES)
    ]
    ingest_articles(store, articles, None, datetime.now(UTC))
    Pipeline(store).process()


def wait_for_replies(slack: FakeSlack, count: int) -> float:
    """Wait until response_url got count replies; return the seconds waited."""
    started = time.perf_counter()
    deadline = time.monotonic() + REPLY_LIMIT_S
    while len([c for c in slack.calls if c.path == "/hooks/response"]) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"fewer than {count} replies after {REPLY_LIMIT_S} s")
        time.sleep(0.01)
    return time.perf_counter() - started


def timed_command(
    client: httpx.Client, url: str, response_url: str, channel: str, n: int = 0
) -> float:
    """Seconds until the bot answered one signed /deals command."""
    # A unique trigger_id, as Slack sends: identical signed bodies would be dropped as retries.
    trigger = f"{n}.{uuid.uuid4().hex}"
    body = slash_command_body(COMMANDS[n % len(COMMANDS)], response_url, channel, trigger)
    headers = signed_headers(SECRET, body)
    started = time.perf_counter()
    answer = client.post(f"{url}/slack/events", content=body, headers=headers)
    elapsed = time.perf_counter() - started
    if answer.status_code != 200:
        raise RuntimeError(f"the bot answered {answer.status_code}")
    return elapsed


def send_commands(
    url: str, response_url: str, prefix: str, concurrency: int, count: int
) -> list[float]:
    """In the client process: send count commands from concurrency threads; their ack times."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    with httpx.Client(limits=limits) as client, ThreadPoolExecutor(concurrency) as pool:
        return list(
            pool.map(
                lambda n: timed_command(client, url, response_url, f"{prefix}{n % 10}", n),
                range(count),
            )
        )


def summary(label: str, seconds: list[float]) -> str:
    """p50, p99 and max in milliseconds."""
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{label:<28} n={len(ordered):<4} p50={statistics.median(ordered) * 1000:7.1f} ms  "
        f"p99={p99 * 1000:7.1f} ms  max={ordered[-1] * 1000:7.1f} ms"
    )


def bench(kind: str) -> None:
    """Print the ack latencies on one database."""
    slack = FakeSlack(tokens=("xoxb-bench",)).start()
    try:
        with database(kind) as engine:
            settings = Settings(
                slack_bot_token="xoxb-bench", slack_signing_secret=SECRET, slack_api_url=slack.url
            )
            store = SqlStore(engine)
            seed(store)
            tune_interpreter()
            app = create_app(
                settings, store, make_web_client("xoxb-bench", slack.url), Pipeline(store)
            )
            # The client runs in a process of its own, as Slack does: its threads must not
            # compete with the bot's for the interpreter.
            with (
                serve_asgi(create_asgi(app, signing_secret=SECRET)) as url,
                ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as client,
            ):
                client.submit(send_commands, url, slack.response_url, "C0WARM", 1, 1).result()
                wait_for_replies(slack, 1)
                started = time.perf_counter()
                sequential = client.submit(
                    send_commands, url, slack.response_url, "C0SEQ", 1, REQUESTS
                ).result()
                wait_for_replies(slack, 1 + REQUESTS)
                sequential_s = time.perf_counter() - started
                started = time.perf_counter()
                concurrent = client.submit(
                    send_commands, url, slack.response_url, "C0PAR", CONCURRENCY, REQUESTS
                ).result()
                wait_for_replies(slack, 1 + 2 * REQUESTS)
                concurrent_s = time.perf_counter() - started
                print(
                    summary(f"{kind} sequential", sequential), f"all replies {sequential_s:.1f} s"
                )
                print(
                    summary(f"{kind} {CONCURRENCY}-way concurrent", concurrent),
                    f"all replies {concurrent_s:.1f} s",
                )
    finally:
        slack.stop()


def bench_bare() -> None:
    """The same-run baseline: the same client against a bare ASGI app that answers 200."""

    async def answer(_request: Request) -> Response:
        return Response(status_code=200)

    bare = Starlette(routes=[Route("/slack/events", answer, methods=["POST"])])
    with (
        serve_asgi(bare) as url,
        ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as client,
    ):
        client.submit(send_commands, url, url, "C0WARM", 1, 1).result()
        concurrent = client.submit(send_commands, url, url, "C0PAR", CONCURRENCY, REQUESTS).result()
    print(summary(f"baseline bare {CONCURRENCY}-way", concurrent))


def main() -> None:
    """Run on SQLite, and PostgreSQL when configured, after the bare baseline."""
    print(f"load average before: {os.getloadavg()}")
    bench_bare()
    bench("sqlite")
    if os.environ.get("DEALWATCH_TEST_DATABASE_URL"):
        bench("postgresql")
    else:
        print("postgresql: skipped (DEALWATCH_TEST_DATABASE_URL is not set)")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
