"""One guarded GET for everything dealwatch fetches: feeds and article pages.

Rules:
- Every hop, the first URL and each redirect target, is checked by the SSRF guard
  (`bot.ingest.guard`); at most `policy.max_redirects` redirects are followed and a URL
  seen twice is reported as a redirect loop.
- Timeouts: connect and read timeouts from the policy, plus a total deadline
  (`policy.total_timeout_s` from the start of the GET) held on the wall clock: with a
  client from `build_guarded_client` every socket wait ends by it, so a server dripping a
  byte every few seconds is cut off on time ("took longer than 60 s in total"). Any other
  client is checked against it between reads only.
- Size: the body is streamed and reading stops once it passes `policy.max_bytes` (counted
  after gzip decoding, so a small gzip bomb is stopped too); a larger Content-Length
  fails before reading anything.
- A 304 answer to a conditional GET (If-None-Match or If-Modified-Since sent) is returned
  with an empty body; any other
  non-2xx answer fails with "HTTP <code> from <host>". `accept` may refuse a 2xx answer
  from its headers before the body is read (an article page that is not HTML).
- Every failure is a `FetchFailed` whose message is one line for a person to read.
- Credentials in a URL (`https://user:pass@host/`) go out as a Basic Authorization header,
  never in the request line httpx logs, and every message shows the URL redacted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from bot.ingest.guard import MEGABYTE, FetchPolicy, URLRefused, check_url, wall_clock_deadline
from watchlists.urls import redact_url, redact_urls_in

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
NOT_MODIFIED = 304
_CHUNK_BYTES = 64 * 1024
_VALIDATORS = frozenset({"if-none-match", "if-modified-since"})


class FetchFailed(Exception):
    """A fetch problem already worded for a person; http_status is 0 when none was received."""

    def __init__(self, reason: str, http_status: int = 0) -> None:
        super().__init__(reason)
        self.http_status = http_status


@dataclass(frozen=True)
class Fetched:
    """The answer at the end of the redirects: its URL, status, headers and body."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes
    charset: str | None


def guarded_get(
    client: httpx.Client,
    url: str,
    *,
    policy: FetchPolicy,
    headers: Mapping[str, str],
    accept: Callable[[httpx.Response], None] | None = None,
) -> Fetched:
    """GET url under the policy, following guarded redirects; FetchFailed with the reason."""
    started = time.monotonic()
    timeout = httpx.Timeout(
        policy.read_timeout_s, connect=policy.connect_timeout_s, pool=policy.connect_timeout_s
    )
    conditional = any(name.lower() in _VALIDATORS for name in headers)
    with wall_clock_deadline(policy.total_timeout_s):
        return _follow(client, url, policy, headers, accept, timeout, conditional, started)


def _follow(
    client: httpx.Client,
    url: str,
    policy: FetchPolicy,
    headers: Mapping[str, str],
    accept: Callable[[httpx.Response], None] | None,
    timeout: httpx.Timeout,
    conditional: bool,
    started: float,
) -> Fetched:
    visited: list[str] = []
    current = url
    while True:
        visited.append(current)
        if time.monotonic() - started > policy.total_timeout_s:
            raise FetchFailed(f"took longer than {policy.total_timeout_s:g} s in total")
        _guard(current, policy)
        with _open(client, current, headers, timeout, policy, started) as response:
            if response.status_code in REDIRECT_STATUSES:
                current = _redirect_target(response, current, visited, policy)
                continue
            if response.status_code == NOT_MODIFIED and conditional:
                return Fetched(current, NOT_MODIFIED, response.headers, b"", None)
            if not 200 <= response.status_code < 300:
                raise FetchFailed(
                    f"HTTP {response.status_code} from {response.url.host}", response.status_code
                )
            if accept is not None:
                accept(response)
            body = _read_capped(response, policy, started)
            return Fetched(
                current, response.status_code, response.headers, body, response.charset_encoding
            )


def _guard(url: str, policy: FetchPolicy) -> None:
    try:
        check_url(url, policy)
    except URLRefused as refused:
        raise FetchFailed(redact_urls_in(str(refused))) from None


@contextmanager
def _open(
    client: httpx.Client,
    url: str,
    headers: Mapping[str, str],
    timeout: httpx.Timeout,
    policy: FetchPolicy,
    started: float,
) -> Iterator[httpx.Response]:
    """Send one GET without following redirects; map every send failure to FetchFailed."""
    try:
        bare, auth = _without_credentials(url)
        request = client.build_request("GET", bare, headers=dict(headers), timeout=timeout)
        response = client.send(request, stream=True, follow_redirects=False, auth=auth)
    except Exception as error:
        raise FetchFailed(_explain(error, url, policy, started)) from None
    try:
        yield response
    finally:
        response.close()


def _without_credentials(url: str) -> tuple[httpx.URL, httpx.BasicAuth | None]:
    """The URL without its user name and password, and those as Basic auth.

    httpx logs every request's URL: credentials sent as a header never reach the log.
    """
    parsed = httpx.URL(url)
    if not parsed.userinfo:
        return parsed, None
    return parsed.copy_with(userinfo=b""), httpx.BasicAuth(parsed.username, parsed.password)


def _redirect_target(
    response: httpx.Response, current: str, visited: list[str], policy: FetchPolicy
) -> str:
    location = response.headers.get("Location", "").strip()
    if not location:
        raise FetchFailed(
            f"HTTP {response.status_code} redirect without a Location from {response.url.host}",
            response.status_code,
        )
    try:
        # Joined to the URL asked for, so a relative target keeps its credentials, as before.
        target = str(httpx.URL(current).join(location))
    except httpx.InvalidURL as error:
        raise FetchFailed(
            f"invalid redirect target {redact_url(location)!r}: {redact_urls_in(str(error))}"
        ) from None
    if target in visited:
        chain = " -> ".join(redact_url(hop) for hop in [*visited, target])
        raise FetchFailed(f"redirect loop: {chain}")
    if len(visited) > policy.max_redirects:
        raise FetchFailed(f"too many redirects (more than {policy.max_redirects})")
    return target


def _read_capped(response: httpx.Response, policy: FetchPolicy, started: float) -> bytes:
    limit = size_text(policy.max_bytes)
    declared = response.headers.get("Content-Length", "")
    # A compressed body can shrink on the wire; only trust the header for plain bodies.
    encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
    if declared.isdigit() and not encoded and int(declared) > policy.max_bytes:
        raise FetchFailed(f"response larger than {limit} (Content-Length {declared})")
    chunks: list[bytes] = []
    received = 0
    try:
        for chunk in response.iter_bytes(_CHUNK_BYTES):
            received += len(chunk)
            if received > policy.max_bytes:
                raise FetchFailed(f"response larger than {limit}")
            if time.monotonic() - started > policy.total_timeout_s:
                raise FetchFailed(_over_deadline(str(response.url), policy))
            chunks.append(chunk)
    except httpx.HTTPError as error:
        raise FetchFailed(_explain(error, str(response.url), policy, started)) from None
    return b"".join(chunks)


def _explain(error: Exception, url: str, policy: FetchPolicy, started: float) -> str:
    overdue = time.monotonic() - started >= policy.total_timeout_s
    if overdue and isinstance(error, httpx.TimeoutException):
        return _over_deadline(url, policy)
    return describe_error(error, url, policy)


def _over_deadline(url: str, policy: FetchPolicy) -> str:
    return f"took longer than {policy.total_timeout_s:g} s in total (from {_host(url)})"


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def describe_error(error: Exception, url: str, policy: FetchPolicy) -> str:
    """One line for a person on why sending to url failed; credentials in url are hidden."""
    return redact_urls_in(_describe(error, url, policy))


def _describe(error: Exception, url: str, policy: FetchPolicy) -> str:
    host = _host(url)
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


def size_text(size: int) -> str:
    """A byte count as a person reads it: "10 MB", "64 KB", "500 bytes"."""
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} bytes"
