"""Composition: the Bolt app, its HTTP server and the scheduler, built from Settings.

The HTTP edge (limits in SECURITY.md):
- POST /slack/events reads at most MAX_SLACK_BODY bytes (413 above, by Content-Length
  or while streaming) and checks Slack's signature on the raw bytes before anything
  parses or logs the body. A rejected request gets a 4xx and one short log line that
  never holds the body.
- GET /healthz is liveness (the process answers); GET /readyz is readiness (the
  database answers and the scheduler runs), 503 when either does not.
- The server (bot/http_server.py) closes a connection that has not sent a request's
  headers within HEADER_TIMEOUT_S, or idles longer than KEEP_ALIVE_S after a response,
  and answers 503 above MAX_CONNECTIONS connections.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App, Respond
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot import oauth
from bot.http_server import server_config
from bot.ingest.fetch import FetchPolicy
from bot.ingest.fetcher import PREVIEW_WORKERS, HttpFeedFetcher, PreviewFetcher, preview_policy
from bot.listener import start_work_listener
from bot.observability import (
    MeteredFetcher,
    MeteredPipeline,
    MeteredPoster,
    MeteredStore,
    Metrics,
    configure_logging,
    metered_web_client,
    observe_scheduler,
    operations_routes,
)
from bot.pipeline import Pipeline, open_store
from bot.scheduler import build_scheduler, worker_id
from bot.settings import Settings, SettingsError
from bot.worker import PipelineWorker
from handlers import register_all
from handlers.deps import Deps
from handlers.poster import ChannelPacer, SlackPoster, WorkspaceLimiter, make_web_client
from watchlists.ports import Poster, Store

log = logging.getLogger("dealwatch")


def feed_fetcher(settings: Settings) -> HttpFeedFetcher:
    """The feed fetcher the settings allow (loopback only when explicitly allowed)."""
    return HttpFeedFetcher(FetchPolicy(allow_loopback=settings.allow_loopback_feeds))


def preview_fetcher(settings: Settings) -> PreviewFetcher:
    """The fetcher of commands: its own few threads and a short deadline per feed."""
    policy = preview_policy(FetchPolicy(allow_loopback=settings.allow_loopback_feeds))
    return PreviewFetcher(HttpFeedFetcher(policy))


# Bolt's default pool has 5 threads: acks of concurrent requests would queue behind work.
LISTENER_THREADS = 32
# Listener work after the ack runs on its own few threads: the ack threads never wait
# for it. More than the feed-preview workers, so commands still run while every preview
# waits out a slow feed (a single thread let one dripping `feeds add` hold every command).
WORK_THREADS = PREVIEW_WORKERS * 2


# Listener work waits at most this long for the acks in flight to be answered.
ACK_PRIORITY_S = 0.05


class AcksFirst:
    """Counts slash commands being answered; background work waits while there are any."""

    def __init__(self) -> None:
        self._answering = 0
        self._idle = threading.Condition()

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Mark one request as being answered while inside."""
        with self._idle:
            self._answering += 1
        try:
            yield
        finally:
            with self._idle:
                self._answering -= 1
                if not self._answering:
                    self._idle.notify_all()

    def wait(self, limit_s: float = ACK_PRIORITY_S) -> None:
        """Let the acks in flight go first, for at most limit_s."""
        with self._idle:
            self._idle.wait_for(lambda: not self._answering, timeout=limit_s)


# One per process: the interpreter the acks and the listener work share is one too.
ACKS_FIRST = AcksFirst()


class DeferredWork:
    """A bounded pool for listener work done after the ack; failures are logged."""

    def __init__(self, threads: int = WORK_THREADS) -> None:
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="work")

    def __call__(self, work: Callable[[], None]) -> None:
        """Queue work to run after the ack."""
        self.pool.submit(self._run, work)

    @staticmethod
    def _run(work: Callable[[], None]) -> None:
        ACKS_FIRST.wait()
        try:
            work()
        except Exception:
            log.exception("unhandled error in deferred listener work")


def create_app(
    settings: Settings,
    store: Store,
    client: WebClient | None = None,
    pipeline: Pipeline | None = None,
    wake: Callable[[], None] | None = None,
) -> App:
    """The Bolt app with every listener registered (OAuth when a client id and secret are set).

    With a pipeline, commands that read stories first catch up with every accepted article
    under its matching lock; wake asks the pipeline worker for a delivery pass.
    """
    client = client or make_web_client(settings.slack_bot_token, settings.slack_api_url)
    executor = ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener")
    if settings.oauth_enabled:
        engine = getattr(store, "engine", None)
        if not isinstance(engine, Engine):
            raise SettingsError("OAuth mode needs a store on the SQL database")
        app = App(
            client=client,
            signing_secret=settings.slack_signing_secret,
            oauth_settings=oauth.oauth_settings(settings, engine, store),
            listener_executor=executor,
        )
        app.enable_token_revocation_listeners()
    else:
        app = App(
            client=client,
            signing_secret=settings.slack_signing_secret,
            listener_executor=executor,
        )
    deferred = DeferredWork()
    # Kept on the app so a test (or a clean shutdown) can wait for acked work to finish.
    app.deferred_work = deferred  # type: ignore[attr-defined]
    deps = Deps(
        store=store,
        poster_for=SlackPoster,
        fetcher=preview_fetcher(settings),
        defer=deferred,
        failure_reply=failure_reply,
    )
    if pipeline is not None:
        deps = replace(deps, matching=pipeline.matching)
    if wake is not None:
        deps = replace(deps, wake=wake)
    register_all(app, deps)

    @app.error
    def handle_error(error: Exception, respond: Respond | None = None) -> None:
        log.exception("unhandled error in a Slack listener", exc_info=error)
        if respond is None:
            return
        # The request was acked already; without this the person would hear nothing.
        text = DEGRADED_REPLY if isinstance(error, SQLAlchemyError) else FAILED_REPLY
        try:
            respond(text=text, response_type="ephemeral", replace_original=False)
        except Exception:
            log.warning("could not tell the user about the failure", exc_info=True)

    return app


def failure_reply(error: Exception) -> str:
    """What a person hears when their acked command failed: degraded when the database is."""
    return DEGRADED_REPLY if isinstance(error, SQLAlchemyError) else FAILED_REPLY


DEGRADED_REPLY = (
    "dealwatch is degraded: its database is not answering, so your command was not "
    "applied. Please try again in a few minutes."
)
FAILED_REPLY = "Something went wrong on dealwatch's side; your command may not have been applied."

# Slack's own payloads are a few kilobytes; a view submission stays far below this.
MAX_SLACK_BODY = 64 * 1024
SIGNATURE_MAX_AGE_S = 5 * 60
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_LENGTH = re.compile(r"[0-9]{1,12}")


class Rejected(Exception):
    """A request refused at the edge, with its status and a short reason for the log."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def read_capped_body(request: Request, limit: int) -> bytes:
    """The request body, or Rejected(413) as soon as it is known to exceed limit bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not _LENGTH.fullmatch(declared):
            raise Rejected(400, "unreadable Content-Length")
        if int(declared) > limit:
            raise Rejected(413, f"Content-Length {int(declared)} over {limit}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise Rejected(413, f"body over {limit} bytes")
    return bytes(body)


def check_slack_signature(
    secret: str, headers: Any, body: bytes, now: Callable[[], float] = time.time
) -> None:
    """Slack's v0 signature over the raw bytes, or Rejected(401); nothing is parsed first."""
    stamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not _TIMESTAMP.fullmatch(stamp):
        raise Rejected(401, "missing or malformed timestamp")
    if abs(now() - int(stamp)) > SIGNATURE_MAX_AGE_S:
        raise Rejected(401, "stale timestamp")
    base = b"v0:" + stamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise Rejected(401, "bad signature")


def log_rejection(request: Request, rejected: Rejected, size: int | None) -> None:
    """One line per refused request: reason, size and peer, escaped, never the body."""
    peer = request.client.host if request.client else "?"
    log.warning(
        "rejected a %s %s request: %s (%s bytes, from %s)",
        request.method,
        request.url.path,
        rejected.reason,
        "?" if size is None else size,
        ascii(peer[:64]),
    )


# Threads that run Bolt for commands already answered (see create_asgi).
DISPATCH_THREADS = 1
# How long a thread may hold the interpreter while others wait (Python's default is 5 ms):
# shorter turns let the event loop answer acks between slices of listener work.
SWITCH_INTERVAL_S = 0.001


def tune_interpreter() -> None:
    """Shorten the interpreter's thread switch interval for the bot process."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def is_slash_command(content_type: str, body: str) -> bool:
    """True for a slash-command request (form-encoded with a `command` field)."""
    if "application/x-www-form-urlencoded" not in content_type:
        return False
    fields = parse_qs(body, keep_blank_values=True)
    return "command" in fields and "payload" not in fields and "ssl_check" not in fields


def create_asgi(
    app: App,
    extra_routes: Sequence[BaseRoute] = (),
    readiness: Callable[[], dict[str, str]] | None = None,
    signing_secret: str = "",
) -> Starlette:
    """An ASGI app serving POST /slack/events, GET /healthz, GET /readyz and any extra routes.

    The body is capped and its signature checked on the raw bytes before anything parses
    or logs it. A correctly signed slash command is then answered 200 on the event loop at
    once (Slack needs nothing more: our listener acks with an empty body and replies
    through response_url) and Bolt runs it on a dispatch thread: the ack never waits for a
    thread, nor behind listener work.
    """
    # Bolt keeps the secret it verifies with; the edge checks with the same one first.
    secret: str = signing_secret or getattr(app, "_signing_secret", "")
    dispatcher = ThreadPoolExecutor(max_workers=DISPATCH_THREADS, thread_name_prefix="dispatch")

    def dispatch_answered(bolt_request: BoltRequest) -> None:
        ACKS_FIRST.wait()
        try:
            app.dispatch(bolt_request)
        except Exception:
            log.exception("dispatching an acknowledged slash command failed")

    async def slack_events(request: Request) -> Response:
        with ACKS_FIRST.answering():
            size: int | None = None
            try:
                raw = await read_capped_body(request, MAX_SLACK_BODY)
                size = len(raw)
                check_slack_signature(secret, request.headers, raw)
                try:
                    body = raw.decode("utf-8")
                    bolt_request = BoltRequest(
                        body=body,
                        query=request.url.query,
                        headers={key: [value] for key, value in request.headers.items()},
                    )
                except ValueError:
                    raise Rejected(400, "signed, but not UTF-8 JSON or a form") from None
            except Rejected as rejected:
                log_rejection(request, rejected, size)
                return JSONResponse({"error": rejected.reason}, status_code=rejected.status)
            if is_slash_command(request.headers.get("content-type", ""), body):
                dispatcher.submit(dispatch_answered, bolt_request)
                return Response(status_code=200)
        # Bolt's App is synchronous: run it off the event loop.
        bolt_response = await run_in_threadpool(app.dispatch, bolt_request)
        return Response(
            content=bolt_response.body,
            status_code=bolt_response.status,
            headers=bolt_response.first_headers_without_set_cookie(),
        )

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def readyz(_request: Request) -> Response:
        checks = await run_in_threadpool(readiness) if readiness else {}
        ready = all(state in ("ok", "running") for state in checks.values())
        return JSONResponse({"ok": ready, **checks}, status_code=200 if ready else 503)

    oauth_routes: list[BaseRoute] = []
    flow = app.oauth_flow
    if flow is not None:

        async def install(request: Request) -> Response:
            bolt_request = to_bolt_request(request, b"")
            return to_starlette_response(
                await run_in_threadpool(flow.handle_installation, bolt_request)
            )

        async def oauth_redirect(request: Request) -> Response:
            bolt_request = to_bolt_request(request, b"")
            return to_starlette_response(
                await run_in_threadpool(flow.handle_callback, bolt_request)
            )

        oauth_routes = [
            Route(flow.install_path, install, methods=["GET"]),
            Route(flow.redirect_uri_path, oauth_redirect, methods=["GET"]),
        ]

    asgi = Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            *oauth_routes,
            *extra_routes,
        ]
    )
    # Kept so a test (or a clean shutdown) can wait for acked commands to be dispatched.
    asgi.state.dispatcher = dispatcher
    return asgi


def scheduled_poster(settings: Settings, store: Store, client: WebClient) -> Poster:
    """The poster of scheduled digests: the bot token, or each team's own with OAuth."""
    engine = getattr(store, "engine", None)
    if settings.oauth_enabled and isinstance(engine, Engine):
        return oauth.TeamPoster(settings, oauth.installation_store(settings, engine))
    return SlackPoster(
        client,
        ChannelPacer(settings.channel_post_interval_s),
        worker=worker_id(),
        workspace=WorkspaceLimiter(settings.workspace_posts_per_s),
    )


def token_refresher(poster: Poster, store: Store, settings: Settings) -> Callable[[], int] | None:
    """With rotating OAuth tokens, a job that refreshes each known team's token ahead of time."""
    if not (settings.slack_token_rotation and isinstance(poster, oauth.TeamPoster)):
        return None

    def refresh() -> int:
        teams = {channel.team_id for channel in store.list_channels() if channel.team_id}
        return poster.refresh_tokens(sorted(teams))

    return refresh


def readiness_checks(engine: Engine, scheduler: Any) -> Callable[[], dict[str, str]]:
    """The /readyz probe: the database answers a query, and the scheduler runs."""

    def check() -> dict[str, str]:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            database = "ok"
        except SQLAlchemyError as error:
            database = f"down: {type(error).__name__}"
        return {"database": database, "scheduler": "running" if scheduler.running else "stopped"}

    return check


# Above uvicorn's connection limit, with room for the database, feeds and Slack calls.
WANTED_OPEN_FILES = 8192


def raise_open_file_limit(wanted: int = WANTED_OPEN_FILES) -> int:
    """Raise the soft open-files limit towards wanted (never above the hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


def run_bot(settings: Settings) -> int:
    """`dealwatch run`: serve Slack and run the scheduler until interrupted."""
    import uvicorn

    configure_logging(settings)
    settings.require_slack()
    tune_interpreter()
    metrics = Metrics()
    store = MeteredStore(open_store(settings).engine, metrics, settings.secret_box)
    client = metered_web_client(settings.slack_bot_token, settings.slack_api_url, metrics)
    pipeline = MeteredPipeline(store, metrics)
    poster = MeteredPoster(scheduled_poster(settings, store, client), metrics)
    worker = PipelineWorker(pipeline, poster, worker_id())
    app = create_app(settings, store, client, pipeline=pipeline, wake=worker.wake)
    scheduler = build_scheduler(
        pipeline,
        poster,
        settings.pipeline_interval_s,
        MeteredFetcher(feed_fetcher(settings), metrics),
        retention=timedelta(days=settings.retention_days),
        refresh_tokens=token_refresher(poster.poster, store, settings),
        pool=worker.pool,
    )
    observe_scheduler(scheduler, metrics)
    scheduler.start()
    worker.start()
    # Another replica's (or `dealwatch ingest`'s) articles wake this worker at once.
    listener = start_work_listener(store.engine, worker.wake_now)
    try:
        if settings.slack_app_token:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            # Socket Mode needs no inbound HTTP for Slack, but /metrics and /ingest do.
            SocketModeHandler(app, settings.slack_app_token).connect()  # type: ignore[no-untyped-call]
        asgi = create_asgi(
            app,
            operations_routes(store, settings, metrics, worker.wake),
            readiness=readiness_checks(store.engine, scheduler),
            signing_secret=settings.slack_signing_secret,
        )
        raise_open_file_limit()
        uvicorn.Server(server_config(asgi, settings.host, settings.port)).run()
    finally:
        if listener is not None:
            listener.stop()
        worker.stop()
        scheduler.shutdown(wait=False)
    return 0
