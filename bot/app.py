"""Composition: the Bolt app, its HTTP server and the scheduler, built from Settings."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.ingest.fetch import FetchPolicy
from bot.ingest.fetcher import HttpFeedFetcher
from bot.pipeline import Pipeline, open_store
from bot.scheduler import build_scheduler
from bot.settings import Settings
from handlers import register_all
from handlers.deps import Deps
from handlers.poster import SlackPoster, make_web_client
from watchlists.ports import Store

log = logging.getLogger("dealwatch")


def feed_fetcher(settings: Settings) -> HttpFeedFetcher:
    """The feed fetcher the settings allow (loopback only when explicitly allowed)."""
    return HttpFeedFetcher(FetchPolicy(allow_loopback=settings.allow_loopback_feeds))


def create_app(settings: Settings, store: Store, client: WebClient | None = None) -> App:
    """The Bolt app with every listener registered."""
    client = client or make_web_client(settings.slack_bot_token, settings.slack_api_url)
    app = App(client=client, signing_secret=settings.slack_signing_secret)
    register_all(app, Deps(store=store, poster_for=SlackPoster, fetcher=feed_fetcher(settings)))

    @app.error
    def handle_error(error: Exception, body: dict[str, object]) -> None:
        log.exception("unhandled error in a Slack listener", exc_info=error)

    return app


def create_asgi(app: App) -> Starlette:
    """An ASGI app serving POST /slack/events and GET /healthz."""

    async def slack_events(request: Request) -> Response:
        body = (await request.body()).decode("utf-8")
        bolt_request = BoltRequest(
            body=body,
            query=request.url.query,
            headers={key: [value] for key, value in request.headers.items()},
        )
        # Bolt's App is synchronous: run it off the event loop.
        bolt_response = await run_in_threadpool(app.dispatch, bolt_request)
        return Response(
            content=bolt_response.body,
            status_code=bolt_response.status,
            headers=bolt_response.first_headers_without_set_cookie(),
        )

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


def run_bot(settings: Settings) -> int:
    """`dealwatch run`: serve Slack and run the scheduler until interrupted."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings.require_slack()
    store = open_store(settings)
    client = make_web_client(settings.slack_bot_token, settings.slack_api_url)
    app = create_app(settings, store, client)
    scheduler = build_scheduler(
        Pipeline(store), SlackPoster(client), settings.pipeline_interval_s, feed_fetcher(settings)
    )
    scheduler.start()
    try:
        if settings.slack_app_token:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            SocketModeHandler(app, settings.slack_app_token).start()
        else:
            uvicorn.run(create_asgi(app), host=settings.host, port=settings.port, log_level="info")
    finally:
        scheduler.shutdown(wait=False)
    return 0
