"""Fetch one RSS/Atom feed over HTTP, politely and defensively.

Rules:
- `fetch_feed` never raises for network, HTTP, guard or parse problems: it returns a
  `FetchResult` whose `status` is "ok", "not_modified" or "error", and on error a one-line
  human `error` ("HTTP 500 from feeds.example.com", "timed out after 20 s waiting for ...",
  "response larger than 10 MB", "not a readable RSS/Atom feed: ...", "blocked: ...").
- Conditional GET: the caller passes the ETag and Last-Modified it stored; they go out as
  If-None-Match / If-Modified-Since, and a 304 gives status "not_modified". `etag` and
  `last_modified` in the result are the values to store next: the response's when it sent
  any, otherwise the ones passed in (so storing them after an error changes nothing); a
  validator longer than its column (300 and 100 characters) is ignored.
- The GET itself is `bot.ingest.http.guarded_get`, shared with full-text fetching: every
  hop checked by the SSRF guard, redirects, timeouts, total deadline and size cap.
- Encoding: the body goes to feedparser as bytes, so the XML declaration decides; only a
  document without one is decoded with the charset of the Content-Type header.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from typing import Literal

import httpx

from bot.ingest.guard import FetchPolicy, build_guarded_client
from bot.ingest.http import NOT_MODIFIED, FetchFailed, guarded_get
from bot.ingest.parse import InputError, ParsedFeed, parse_feed
from watchlists.urls import redact_url, redact_urls_in

__all__ = ["USER_AGENT", "FetchPolicy", "FetchResult", "fetch_feed"]

USER_AGENT = "dealwatch/0.1 (+https://github.com/dealwatch)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
_XML_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=", re.IGNORECASE)
_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

# Column widths in db/tables.py; a validator that does not fit is not kept (a cut one
# would never match, and a longer one would fail the store on PostgreSQL).
MAX_ETAG_CHARS = 300
MAX_LAST_MODIFIED_CHARS = 100

FetchStatus = Literal["ok", "not_modified", "error"]


@dataclass(frozen=True)
class FetchResult:
    """What one fetch produced: a parsed feed, "not modified", or a one-line error."""

    status: FetchStatus
    feed: ParsedFeed | None = None
    etag: str = ""
    last_modified: str = ""
    error: str = ""
    elapsed_s: float = 0.0
    final_url: str = ""
    http_status: int = 0


def fetch_feed(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    client: httpx.Client | None = None,
    policy: FetchPolicy = FetchPolicy(),  # noqa: B008 - frozen dataclass, safe to share
) -> FetchResult:
    """GET url (conditionally) and parse it as a feed; never raises for fetch problems."""
    started = time.monotonic()
    own_client = client is None
    http = build_guarded_client(policy) if client is None else client
    try:
        result = _fetch(http, url, etag, last_modified, policy)
    except FetchFailed as failure:
        result = FetchResult(
            status="error",
            etag=etag,
            last_modified=last_modified,
            error=redact_urls_in(_one_line(str(failure))),
            final_url=url,
            http_status=failure.http_status,
        )
    finally:
        if own_client:
            http.close()
    return _with_elapsed(result, time.monotonic() - started)


def _fetch(
    client: httpx.Client, url: str, etag: str, last_modified: str, policy: FetchPolicy
) -> FetchResult:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    fetched = guarded_get(client, url, policy=policy, headers=headers)
    new_etag = _fitting(fetched.headers.get("ETag", ""), MAX_ETAG_CHARS) or etag
    new_last_modified = (
        _fitting(fetched.headers.get("Last-Modified", ""), MAX_LAST_MODIFIED_CHARS) or last_modified
    )
    if fetched.status == NOT_MODIFIED:
        return FetchResult(
            status="not_modified",
            etag=new_etag,
            last_modified=new_last_modified,
            final_url=fetched.url,
            http_status=NOT_MODIFIED,
        )
    # The URL names a feed without a title, so its credentials must not come along.
    feed = _parse(_apply_http_charset(fetched.body, fetched.charset), redact_url(fetched.url))
    return FetchResult(
        status="ok",
        feed=feed,
        etag=new_etag,
        last_modified=new_last_modified,
        final_url=fetched.url,
        http_status=fetched.status,
    )


def _fitting(validator: str, limit: int) -> str:
    return validator if len(validator) <= limit and validator.isprintable() else ""


def _apply_http_charset(body: bytes, charset: str | None) -> bytes | str:
    if not charset or body.startswith(_BYTE_ORDER_MARKS) or _XML_DECLARED_ENCODING.match(body):
        return body
    try:
        return body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return body


def _parse(content: bytes | str, url: str) -> ParsedFeed:
    try:
        return parse_feed(content, url)
    except InputError as error:
        raise FetchFailed(str(error).removeprefix(f"{url}: ")) from None
    except Exception as error:
        # feedparser is a large parser fed with untrusted bytes: any crash is a bad feed.
        raise FetchFailed(
            f"not a readable RSS/Atom feed: {type(error).__name__}: {error}"
        ) from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _with_elapsed(result: FetchResult, elapsed_s: float) -> FetchResult:
    return replace(result, elapsed_s=round(elapsed_s, 3))
