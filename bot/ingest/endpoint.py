"""POST /ingest: push articles over HTTP instead of waiting for a feed poll.

Rules, checked in this order:
    * no DEALWATCH_INGEST_TOKEN configured: the endpoint does not exist (404);
    * `Authorization: Bearer <token>` must match it (constant-time compare), else 401;
    * the body may not exceed DEALWATCH_INGEST_MAX_BYTES (1 MB by default), else 413:
      a too large Content-Length is refused before reading, and the body is read as a
      stream and dropped as soon as it grows past the cap (a missing or lying
      Content-Length gains nothing);
    * the body is one JSON article or a JSON list of them, with the fields of
      `dealwatch match` JSONL (`title`, `text`, `url`, optional `id`, `published`,
      `source`). Any bad item rejects the whole request with 400, naming each bad item by
      its index and the reason, so a client never has to guess what was kept.
Accepted articles are stored under the source "ingest:http" (deduplicated like feed
items: same id or same text from this source is not stored twice) and answered with
202 {"received": n, "new": m}. The answer wakes the pipeline worker, which matches and
delivers at once (bot/worker.py): the request never waits for them.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.ingest.parse import article_from_json
from bot.settings import Settings
from db.store import SqlStore
from watchlists.model import Article

SOURCE_URL = "ingest:http"
SOURCE_TITLE = "HTTP ingest"
# Column widths in db/tables.py: longer values would fail the insert on PostgreSQL.
MAX_ID_CHARS = 2000
MAX_URL_CHARS = 2000
MAX_SOURCE_CHARS = 200

log = logging.getLogger("dealwatch.ingest")


class _TooLarge(Exception):
    """The body grew past the cap while being read."""


def ingest_route(
    store: SqlStore, settings: Settings, on_status: Callable[[int], None] | None = None
) -> Route:
    """The POST /ingest route storing pushed articles; on_status(code) sees every answer."""

    def answer(status: int, payload: dict[str, Any], **headers: str) -> Response:
        if on_status is not None:
            on_status(status)
        return JSONResponse(payload, status_code=status, headers=headers or None)

    async def ingest(request: Request) -> Response:
        token = settings.ingest_token
        if not token:
            return answer(404, {"error": "not found"})
        if not _authorised(request.headers.get("authorization", ""), token):
            return answer(
                401, {"error": "missing or wrong bearer token"}, **{"WWW-Authenticate": "Bearer"}
            )
        cap = settings.ingest_max_bytes
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                return answer(400, {"error": "Content-Length is not a number"})
            if int(declared) > cap:
                return answer(413, {"error": f"body is larger than {cap} bytes"})
        try:
            body = await _read_capped(request, cap)
        except _TooLarge:
            return answer(413, {"error": f"body is larger than {cap} bytes"})
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            return answer(400, {"error": f"body is not JSON: {error}"})
        except RecursionError:
            return answer(400, {"error": "body is not JSON this service reads: nested too deeply"})
        articles, errors = parse_articles(data)
        if errors:
            return answer(
                400,
                {
                    "error": "; ".join(f"item {index}: {reason}" for index, reason in errors),
                    "items": [{"index": index, "reason": reason} for index, reason in errors],
                },
            )
        new = await run_in_threadpool(_store_articles, store, articles)
        log.info(
            "ingested %d article(s) over HTTP, %d new",
            len(articles),
            new,
            extra={"source": SOURCE_URL, "received": len(articles), "new": new},
        )
        return answer(202, {"received": len(articles), "new": new})

    return Route("/ingest", ingest, methods=["POST"])


def _authorised(header: str, token: str) -> bool:
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


async def _read_capped(request: Request, cap: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def parse_articles(data: object) -> tuple[list[Article], list[tuple[int, str]]]:
    """Articles from one JSON object or a list of them, and (index, reason) per bad item."""
    items = data if isinstance(data, list) else [data]
    if not isinstance(data, (list, dict)):
        return [], [(0, "the body must be a JSON object or a list of objects")]
    articles: list[Article] = []
    errors: list[tuple[int, str]] = []
    for index, item in enumerate(items):
        try:
            article = article_from_json(item)
        except (ValueError, TypeError) as error:
            errors.append((index, str(error)))
            continue
        too_long = _too_long(article)
        if too_long:
            errors.append((index, too_long))
            continue
        articles.append(article)
    return articles, errors


def _too_long(article: Article) -> str:
    for name, value, limit in (
        ("id", article.id, MAX_ID_CHARS),
        ("url", article.url, MAX_URL_CHARS),
        ("source", article.source, MAX_SOURCE_CHARS),
    ):
        if len(value) > limit:
            return f"`{name}` is longer than {limit} characters"
    return ""


def _store_articles(store: SqlStore, articles: list[Article]) -> int:
    if not articles:
        return 0
    source_id = store.ensure_source(SOURCE_URL, title=SOURCE_TITLE)
    return store.add_articles(articles, source_id, datetime.now(UTC))
