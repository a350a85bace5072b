"""Fetch one RSS/Atom feed over HTTP, politely and defensively.

Rules:
- `fetch_feed` never raises for network, HTTP, guard or parse problems: it returns a
  `FetchResult` whose `status` is "ok", "not_modified" or "error", and on error a one-line
  human `error` ("HTTP 500 from feeds.example.com", "timed out after 20 s waiting for ...",
  "response larger than 10 MB", "not a readable RSS/Atom feed: ...", "blocked: ...").
- Conditional GET: the caller passes the ETag and Last-Modified it stored; they go out as
  If-None-Match / If-Modified-Since, and a 304 gives status "not_modified". `etag` and
  `last_modified` in the result are the values to store next: the response's when it sent
  any, otherwise the ones passed in (so storing them after an error changes nothing).
- Every hop, the first URL and each redirect target, is checked by the SSRF guard
  (`bot.ingest.guard`); at most `policy.max_redirects` redirects are followed and a URL
  seen twice is reported as a redirect loop.
- Timeouts: connect and read timeouts from the policy, plus a total deadline that stops a
  server dripping bytes just fast enough to dodge the read timeout.
- Size: the body is streamed and reading stops once it passes `policy.max_bytes` (counted
  after gzip decoding, so a small gzip bomb is stopped too); a larger Content-Length
  fails before reading anything.
- Encoding: the body goes to feedparser as bytes, so the XML declaration decides; only a
  document without one is decoded with the charset of the Content-Type header.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import urlsplit

import httpx

from bot.ingest.guard import (
    MEGABYTE,
    FetchPolicy,
    URLRefused,
    build_guarded_client,
    check_url,
)
from bot.ingest.parse import InputError, ParsedFeed, parse_feed

__all__ = ["USER_AGENT", "FetchPolicy", "FetchResult", "fetch_feed"]

USER_AGENT = "dealwatch/0.1 (+https://github.com/dealwatch)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK_BYTES = 64 * 1024
_XML_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=", re.IGNORECASE)
_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

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


class _FetchFailed(Exception):
    """A fetch problem already worded for FetchResult.error."""

    def __init__(self, reason: str, http_status: int = 0) -> None:
        super().__init__(reason)
        self.http_status = http_status


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
        result = _fetch(http, url, etag, last_modified, policy, started)
    except _FetchFailed as failure:
        result = FetchResult(
            status="error",
            etag=etag,
            last_modified=last_modified,
            error=_one_line(str(failure)),
            final_url=url,
            http_status=failure.http_status,
        )
    finally:
        if own_client:
            http.close()
    return _with_elapsed(result, time.monotonic() - started)


def _fetch(
    client: httpx.Client,
    url: str,
    etag: str,
    last_modified: str,
    policy: FetchPolicy,
    started: float,
) -> FetchResult:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(
        policy.read_timeout_s, connect=policy.connect_timeout_s, pool=policy.connect_timeout_s
    )
    visited: list[str] = []
    current = url
    while True:
        visited.append(current)
        if time.monotonic() - started > policy.total_timeout_s:
            raise _FetchFailed(f"took longer than {policy.total_timeout_s:g} s in total")
        _guard(current, policy)
        with _open(client, current, headers, timeout, policy) as response:
            host = response.url.host
            if response.status_code in REDIRECT_STATUSES:
                current = _redirect_target(response, visited, policy)
                continue
            new_etag = response.headers.get("ETag", "") or etag
            new_last_modified = response.headers.get("Last-Modified", "") or last_modified
            if response.status_code == 304:
                return FetchResult(
                    status="not_modified",
                    etag=new_etag,
                    last_modified=new_last_modified,
                    final_url=current,
                    http_status=304,
                )
            if not 200 <= response.status_code < 300:
                raise _FetchFailed(f"HTTP {response.status_code} from {host}", response.status_code)
            body = _read_capped(response, policy, started)
            content = _apply_http_charset(body, response.charset_encoding)
        feed = _parse(content, current)
        return FetchResult(
            status="ok",
            feed=feed,
            etag=new_etag,
            last_modified=new_last_modified,
            final_url=current,
            http_status=response.status_code,
        )


def _guard(url: str, policy: FetchPolicy) -> None:
    try:
        check_url(url, policy)
    except URLRefused as refused:
        raise _FetchFailed(str(refused)) from None


@contextmanager
def _open(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    timeout: httpx.Timeout,
    policy: FetchPolicy,
) -> Iterator[httpx.Response]:
    """Send one GET without following redirects; map every send failure to _FetchFailed."""
    try:
        request = client.build_request("GET", url, headers=headers, timeout=timeout)
        response = client.send(request, stream=True, follow_redirects=False)
    except Exception as error:
        raise _FetchFailed(_describe(error, url, policy)) from None
    try:
        yield response
    finally:
        response.close()


def _redirect_target(response: httpx.Response, visited: list[str], policy: FetchPolicy) -> str:
    location = response.headers.get("Location", "").strip()
    if not location:
        raise _FetchFailed(
            f"HTTP {response.status_code} redirect without a Location from {response.url.host}",
            response.status_code,
        )
    try:
        target = str(response.url.join(location))
    except httpx.InvalidURL as error:
        raise _FetchFailed(f"invalid redirect target {location!r}: {error}") from None
    if target in visited:
        raise _FetchFailed(f"redirect loop: {' -> '.join([*visited, target])}")
    if len(visited) > policy.max_redirects:
        raise _FetchFailed(f"too many redirects (more than {policy.max_redirects})")
    return target


def _read_capped(response: httpx.Response, policy: FetchPolicy, started: float) -> bytes:
    limit = _size_text(policy.max_bytes)
    declared = response.headers.get("Content-Length", "")
    # A compressed body can shrink on the wire; only trust the header for plain bodies.
    encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
    if declared.isdigit() and not encoded and int(declared) > policy.max_bytes:
        raise _FetchFailed(f"response larger than {limit} (Content-Length {declared})")
    chunks: list[bytes] = []
    received = 0
    try:
        for chunk in response.iter_bytes(_CHUNK_BYTES):
            received += len(chunk)
            if received > policy.max_bytes:
                raise _FetchFailed(f"response larger than {limit}")
            if time.monotonic() - started > policy.total_timeout_s:
                raise _FetchFailed(
                    f"took longer than {policy.total_timeout_s:g} s in total "
                    f"(from {response.url.host})"
                )
            chunks.append(chunk)
    except httpx.HTTPError as error:
        raise _FetchFailed(_describe(error, str(response.url), policy)) from None
    return b"".join(chunks)


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
        raise _FetchFailed(str(error).removeprefix(f"{url}: ")) from None
    except Exception as error:
        # feedparser is a large parser fed with untrusted bytes: any crash is a bad feed.
        raise _FetchFailed(
            f"not a readable RSS/Atom feed: {type(error).__name__}: {error}"
        ) from None


def _describe(error: Exception, url: str, policy: FetchPolicy) -> str:
    try:
        host = urlsplit(url).hostname or url
    except ValueError:
        host = url
    if isinstance(error, URLRefused):
        return str(error)
    if isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout):
        return f"connection to {host} timed out after {policy.connect_timeout_s:g} s"
    if isinstance(error, httpx.TimeoutException):
        return f"timed out after {policy.read_timeout_s:g} s waiting for {host}"
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect to {host}: {error}"
    if isinstance(error, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return f"invalid URL {url!r}: {error}"
    if isinstance(error, httpx.HTTPError):
        return f"HTTP error from {host}: {type(error).__name__}: {error}"
    return f"fetch of {url} failed: {type(error).__name__}: {error}"


def _size_text(size: int) -> str:
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} bytes"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _with_elapsed(result: FetchResult, elapsed_s: float) -> FetchResult:
    return replace(result, elapsed_s=round(elapsed_s, 3))
