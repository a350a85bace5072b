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

import argparse
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
from multiprocessing.connection import Connection
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.app import create_app, create_asgi, tune_interpreter
from bot.http_server import guarded_protocols, server_config
from bot.pipeline import Pipeline
from bot.settings import Settings
from db.engine import make_engine, upgrade
from db.store import SqlStore
from handlers.poster import make_web_client
from tests.fakes.servers import serve_asgi, serve_config
from tests.fakes.signing import signed_headers, slash_command_body
from tests.fakes.slack_api import FakeSlack
from watchlists.model import Article, Entity
from watchlists.services import ingest_articles

REQUESTS = 200
# p99 of 200 samples is their third-slowest: several rounds show how much it moves.
ROUNDS = 3
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


def serve_slack(connection: Connection) -> None:
    """In Slack's process: serve the fake Web API, answer "count" with the replies so far."""
    slack = FakeSlack(tokens=("xoxb-bench",)).start()
    connection.send((slack.url, slack.response_url))
    while connection.recv() == "count":
        connection.send(len(slack.calls_to("response")))
    slack.stop()


class SlackProcess:
    """The fake Slack Web API in a process of its own, as Slack's servers are not the bot's."""

    def __init__(self) -> None:
        self._connection, theirs = multiprocessing.get_context("spawn").Pipe()
        self._process = multiprocessing.get_context("spawn").Process(
            target=serve_slack, args=(theirs,), daemon=True
        )

    def __enter__(self) -> SlackProcess:
        self._process.start()
        self.url, self.response_url = self._connection.recv()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._connection.send("stop")
        self._process.join(timeout=10)

    def replies(self) -> int:
        """How many replies response_url got so far."""
        self._connection.send("count")
        return int(self._connection.recv())


class InProcessSlack:
    """The fake Slack Web API in the bot's own process (how this bench ran before session 6)."""

    def __enter__(self) -> InProcessSlack:
        self.slack = FakeSlack(tokens=("xoxb-bench",)).start()
        self.url, self.response_url = self.slack.url, self.slack.response_url
        return self

    def __exit__(self, *_exc: object) -> None:
        self.slack.stop()

    def replies(self) -> int:
        """How many replies response_url got so far."""
        return len(self.slack.calls_to("response"))


def wait_for_replies(slack: SlackProcess | InProcessSlack, count: int) -> float:
    """Wait until response_url got count replies; return the seconds waited."""
    started = time.perf_counter()
    deadline = time.monotonic() + REPLY_LIMIT_S
    while slack.replies() < count:
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


def percentile(seconds: list[float], share: float) -> float:
    """The value below which share of the samples lie (nearest rank)."""
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def summary(label: str, seconds: list[float]) -> str:
    """p50, p99 and max in milliseconds."""
    ordered = sorted(seconds)
    p99 = percentile(ordered, 0.99)
    return (
        f"{label:<28} n={len(ordered):<4} p50={statistics.median(ordered) * 1000:7.1f} ms  "
        f"p99={p99 * 1000:7.1f} ms  max={ordered[-1] * 1000:7.1f} ms"
    )


def bench(kind: str, http: str, rounds: int, slack_in_process: bool) -> None:
    """Print the ack latencies on one database, served as `dealwatch run` serves."""
    slack_server = InProcessSlack() if slack_in_process else SlackProcess()
    with slack_server as slack, database(kind) as engine:
        settings = Settings(
            slack_bot_token="xoxb-bench", slack_signing_secret=SECRET, slack_api_url=slack.url
        )
        store = SqlStore(engine)
        seed(store)
        tune_interpreter()
        app = create_app(settings, store, make_web_client("xoxb-bench", slack.url), Pipeline(store))
        asgi = create_asgi(app, signing_secret=SECRET)
        config = server_config(
            asgi, "127.0.0.1", 0, log_level="warning", lifespan="off", **http_option(http)
        )
        # The client runs in a process of its own, as Slack does: its threads must not
        # compete with the bot's for the interpreter.
        with (
            serve_config(config) as url,
            ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as client,
        ):
            client.submit(send_commands, url, slack.response_url, "C0WARM", 1, 1).result()
            wait_for_replies(slack, 1)
            started = time.perf_counter()
            sequential = client.submit(
                send_commands, url, slack.response_url, "C0SEQ", 1, REQUESTS
            ).result()
            replies = 1 + REQUESTS
            wait_for_replies(slack, replies)
            sequential_s = time.perf_counter() - started
            print(
                summary(f"{kind} {http} sequential", sequential),
                f"all replies {sequential_s:.1f} s",
            )
            p99s = []
            for round_ in range(1, rounds + 1):
                started = time.perf_counter()
                concurrent = client.submit(
                    send_commands, url, slack.response_url, "C0PAR", CONCURRENCY, REQUESTS
                ).result()
                replies += REQUESTS
                wait_for_replies(slack, replies)
                concurrent_s = time.perf_counter() - started
                p99s.append(percentile(concurrent, 0.99))
                print(
                    summary(f"{kind} {http} {CONCURRENCY}-way #{round_}", concurrent),
                    f"all replies {concurrent_s:.1f} s",
                )
            print(
                f"{kind} {http} {CONCURRENCY}-way p99 over {rounds} rounds of {REQUESTS}: "
                f"median {statistics.median(p99s) * 1000:.1f} ms, "
                f"worst {max(p99s) * 1000:.1f} ms"
            )


def http_option(http: str) -> dict[str, object]:
    """The uvicorn `http` option for a protocol name; "default" is what `dealwatch run` uses."""
    protocols = {protocol.__name__: protocol for protocol in guarded_protocols()}
    named = {"h11": "GuardedH11Protocol", "httptools": "GuardedHttpToolsProtocol"}
    return {} if http == "default" else {"http": protocols[named[http]]}


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


def main(argv: list[str] | None = None) -> None:
    """Run on SQLite, and PostgreSQL when configured, after the bare baseline."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="20-way rounds per database")
    parser.add_argument(
        "--slack-in-process",
        action="store_true",
        help="run the fake Slack inside the bot's process (sharing its interpreter), as before",
    )
    parser.add_argument(
        "--http",
        action="append",
        choices=("default", "h11", "httptools"),
        help="uvicorn HTTP protocol (repeat to compare; default: what `dealwatch run` uses)",
    )
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()}")
    bench_bare()
    kinds = ["sqlite"] + (["postgresql"] if os.environ.get("DEALWATCH_TEST_DATABASE_URL") else [])
    for kind in kinds:
        for http in args.http or ["default"]:
            bench(kind, http, args.rounds, args.slack_in_process)
    if len(kinds) == 1:
        print("postgresql: skipped (DEALWATCH_TEST_DATABASE_URL is not set)")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
