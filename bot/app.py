"""Composition: the Bolt app, its HTTP server and the scheduler, built from Settings."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot import oauth
from bot.ingest.fetch import FetchPolicy
from bot.ingest.fetcher import HttpFeedFetcher
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


# Bolt's default pool has 5 threads: acks of concurrent requests would queue behind work.
LISTENER_THREADS = 32
# Listener work after the ack runs on its own few threads: the ack threads never wait
# for it, and fewer threads doing Python work leave the acks more of the interpreter.
WORK_THREADS = 1


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
    deps = Deps(
        store=store,
        poster_for=SlackPoster,
        fetcher=feed_fetcher(settings),
        defer=DeferredWork(),
    )
    if pipeline is not None:
        deps = replace(deps, matching=pipeline.matching)
    if wake is not None:
        deps = replace(deps, wake=wake)
    register_all(app, deps)

    @app.error
    def handle_error(error: Exception, body: dict[str, object]) -> None:
        log.exception("unhandled error in a Slack listener", exc_info=error)

    return app


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
    app: App, extra_routes: Sequence[BaseRoute] = (), signing_secret: str = ""
) -> Starlette:
    """An ASGI app serving POST /slack/events, GET /healthz and any extra routes.

    With the signing secret, a correctly signed slash command is answered 200 on the event
    loop at once (Slack needs nothing more: our listener acks with an empty body and
    replies through response_url) and Bolt runs it on a dispatch thread: the ack never
    waits for a thread, nor behind listener work.
    """
    verifier = SignatureVerifier(signing_secret) if signing_secret else None
    dispatcher = ThreadPoolExecutor(max_workers=DISPATCH_THREADS, thread_name_prefix="dispatch")

    def dispatch_answered(bolt_request: BoltRequest) -> None:
        ACKS_FIRST.wait()
        try:
            app.dispatch(bolt_request)
        except Exception:
            log.exception("dispatching an acknowledged slash command failed")

    async def slack_events(request: Request) -> Response:
        with ACKS_FIRST.answering():
            body = (await request.body()).decode("utf-8")
            bolt_request = BoltRequest(
                body=body,
                query=request.url.query,
                headers={key: [value] for key, value in request.headers.items()},
            )
            if (
                verifier is not None
                and is_slash_command(request.headers.get("content-type", ""), body)
                and verifier.is_valid_request(body, dict(request.headers.items()))
            ):
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

    return Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            *oauth_routes,
            *extra_routes,
        ]
    )


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


def run_bot(settings: Settings) -> int:
    """`dealwatch run`: serve Slack and run the scheduler until interrupted."""
    import uvicorn

    configure_logging(settings)
    settings.require_slack()
    tune_interpreter()
    metrics = Metrics()
    store = MeteredStore(open_store(settings).engine, metrics)
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
    try:
        if settings.slack_app_token:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            # Socket Mode needs no inbound HTTP for Slack, but /metrics and /ingest do.
            SocketModeHandler(app, settings.slack_app_token).connect()  # type: ignore[no-untyped-call]
        asgi = create_asgi(
            app,
            operations_routes(store, settings, metrics, worker.wake),
            signing_secret=settings.slack_signing_secret,
        )
        # log_config=None: uvicorn's loggers reach the root handler (and its JSON format).
        uvicorn.run(asgi, host=settings.host, port=settings.port, log_level="info", log_config=None)
    finally:
        worker.stop()
        scheduler.shutdown(wait=False)
    return 0
