"""Feed fetching over real HTTP against the fake feed server: every rule of bot.ingest.fetch."""

from __future__ import annotations

import gzip
import itertools
import socket
import tracemalloc
from collections.abc import Iterator

import httpx
import pytest

from bot.ingest.fetch import USER_AGENT, FetchPolicy, FetchResult, fetch_feed
from bot.ingest.guard import URLRefused, blocked_reason, build_guarded_client, check_url
from tests.fakes.feed_server import FakeFeedServer, Feed, Hang, Large, Redirect, Status

MB = 1024 * 1024
POLICY = FetchPolicy(
    allow_loopback=True, connect_timeout_s=0.5, read_timeout_s=0.5, total_timeout_s=5.0
)
ETAG = '"rev-1"'
LAST_MODIFIED = "Mon, 10 Mar 2025 08:00:00 GMT"


def rss(*titles: str, encoding: str = "utf-8") -> bytes:
    """A small RSS document with one item per title."""
    items = "".join(
        f"<item><title>{title}</title><link>https://news.example/{n}</link>"
        f"<description>Deal report number {n} about {title}.</description>"
        f"<pubDate>Mon, 10 Mar 2025 0{n % 10}:15:00 GMT</pubDate></item>"
        for n, title in enumerate(titles)
    )
    document = (
        f'<?xml version="1.0" encoding="{encoding}"?>'
        f"<rss version='2.0'><channel><title>Deal wire</title>{items}</channel></rss>"
    )
    return document.encode(encoding)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeFeedServer]:
    fake = FakeFeedServer().start()
    yield fake
    fake.stop()


_paths = itertools.count()


@pytest.fixture
def path() -> str:
    """A path no other test has scripted."""
    return f"/feed-{next(_paths)}.xml"


def fetch(server: FakeFeedServer, path: str, **kwargs: object) -> FetchResult:
    return fetch_feed(server.url(path), policy=POLICY, **kwargs)  # type: ignore[arg-type]


def titles(result: FetchResult) -> list[str]:
    assert result.feed is not None, result.error
    return [article.title for article in result.feed.articles]


def test_feed_is_fetched_and_parsed_with_its_validators(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Feed(rss("Acme buys Widgetco"), etag=ETAG, last_modified=LAST_MODIFIED))
    result = fetch(server, path)
    assert result.status == "ok"
    assert titles(result) == ["Acme buys Widgetco"]
    assert (result.etag, result.last_modified) == (ETAG, LAST_MODIFIED)
    assert result.http_status == 200
    assert result.elapsed_s > 0
    headers = server.requests_to(path)[0].headers
    assert headers["User-Agent"] == USER_AGENT
    assert "rss+xml" in headers["Accept"]
    assert "If-None-Match" not in headers


def test_matching_etag_gives_not_modified(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Feed(rss("Acme buys Widgetco"), etag=ETAG))
    result = fetch(server, path, etag=ETAG)
    assert result.status == "not_modified"
    assert result.feed is None
    assert result.etag == ETAG
    assert server.requests_to(path)[0].headers["If-None-Match"] == ETAG


def test_matching_last_modified_gives_not_modified(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Feed(rss("Acme buys Widgetco"), last_modified=LAST_MODIFIED))
    result = fetch(server, path, last_modified=LAST_MODIFIED)
    assert result.status == "not_modified"
    assert result.last_modified == LAST_MODIFIED
    assert server.requests_to(path)[0].headers["If-Modified-Since"] == LAST_MODIFIED


def test_changed_feed_is_fetched_again_with_its_new_etag(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Feed(rss("First story"), etag=ETAG))
    first = fetch(server, path)
    server.serve(path, Feed(rss("First story", "Second story"), etag='"rev-2"'))
    second = fetch(server, path, etag=first.etag)
    assert second.status == "ok"
    assert titles(second) == ["First story", "Second story"]
    assert second.etag == '"rev-2"'


def test_server_error_is_reported_and_the_feed_recovers(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Status(500), Status(503), Feed(rss("Back online"), etag='"rev-9"'))
    first = fetch(server, path, etag=ETAG)
    second = fetch(server, path, etag=ETAG)
    third = fetch(server, path, etag=ETAG)
    assert (first.status, first.error, first.http_status) == (
        "error",
        "HTTP 500 from 127.0.0.1",
        500,
    )
    assert second.error == "HTTP 503 from 127.0.0.1"
    assert first.etag == ETAG, "an error keeps the validators the caller already had"
    assert third.status == "ok"
    assert titles(third) == ["Back online"]


def test_hanging_server_times_out_quickly(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Hang(2.0))
    result = fetch(server, path)
    assert result.status == "error"
    assert result.error.startswith("timed out after 0.5 s")
    assert result.elapsed_s < 1.5


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"\x00\x9f\x92garbage<<<>>>", id="binary-garbage"),
        pytest.param(b"<html><body><h1>Moved</h1></body></html>", id="html-page"),
        pytest.param(b"", id="empty-body"),
        pytest.param(b'{"items": []}', id="json"),
    ],
)
def test_garbage_is_reported_as_not_a_feed(server: FakeFeedServer, path: str, body: bytes) -> None:
    server.serve(path, Status(200, body, content_type="application/rss+xml"))
    result = fetch(server, path)
    assert result.status == "error"
    assert result.error.startswith("not a readable RSS/Atom feed: ")
    assert "\n" not in result.error


def test_huge_body_stops_at_the_cap_without_loading_it(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Large(50 * MB, declare_length=False))
    tracemalloc.start()
    try:
        result = fetch_feed(server.url(path), policy=FetchPolicy(allow_loopback=True))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (result.status, result.error) == ("error", "response larger than 10 MB")
    assert peak < 25 * MB
    assert server.requests_to(path)[0].bytes_sent < 30 * MB


def test_declared_huge_length_fails_before_reading(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Large(50 * MB))
    result = fetch(server, path)
    assert result.error == f"response larger than 10 MB (Content-Length {50 * MB})"
    assert server.requests_to(path)[0].bytes_sent < 30 * MB


def test_gzip_feed_is_decoded(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Feed(rss("Compressed deal"), gzip=True))
    result = fetch(server, path)
    assert titles(result) == ["Compressed deal"]
    assert "gzip" in server.requests_to(path)[0].headers["Accept-Encoding"]


def test_gzip_bomb_is_capped_on_decoded_size(server: FakeFeedServer, path: str) -> None:
    bomb = rss("x") + b" " * (5 * MB)
    server.serve(path, Feed(bomb, gzip=True))
    assert len(gzip.compress(bomb)) < MB // 10
    result = fetch_feed(
        server.url(path), policy=FetchPolicy(allow_loopback=True, max_bytes=MB, read_timeout_s=2)
    )
    assert result.error == "response larger than 1 MB"


@pytest.mark.parametrize(
    ("hops", "status"),
    [
        pytest.param(1, 301, id="one-permanent-redirect"),
        pytest.param(3, 302, id="chain-of-three"),
        pytest.param(5, 307, id="five-is-the-limit"),
    ],
)
def test_redirects_are_followed_up_to_five(
    server: FakeFeedServer, path: str, hops: int, status: int
) -> None:
    chain = [f"{path}/hop{n}" for n in range(hops - 1)] + [f"{path}/final"]
    server.serve(path, Redirect(chain[0], status))
    for here, there in itertools.pairwise(chain):
        server.serve(here, Redirect(there, status))
    server.serve(chain[-1], Feed(rss("Redirected deal")))
    result = fetch(server, path)
    assert titles(result) == ["Redirected deal"]
    assert result.final_url == server.url(chain[-1])


def test_sixth_redirect_is_refused(server: FakeFeedServer, path: str) -> None:
    chain = [path] + [f"{path}/hop{n}" for n in range(6)]
    for here, there in itertools.pairwise(chain):
        server.serve(here, Redirect(there))
    server.serve(chain[-1], Feed(rss("Too far")))
    result = fetch(server, path)
    assert result.error == "too many redirects (more than 5)"
    assert server.requests_to(chain[-1]) == []


def test_redirect_loop_is_reported(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Redirect(f"{path}/b", 301))
    server.serve(f"{path}/b", Redirect(path, 302))
    result = fetch(server, path)
    assert result.error.startswith("redirect loop: ")
    assert len(server.requests_to(path)) == 1


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        pytest.param(
            "http://169.254.169.254/latest/meta-data/",
            "blocked: 169.254.169.254 is a cloud metadata address",
            id="aws-metadata",
        ),
        pytest.param(
            "http://10.0.0.1/feed", "blocked: 10.0.0.1 is a private address", id="private"
        ),
        pytest.param(
            "http://[::ffff:169.254.169.254]/",
            "blocked: ::ffff:169.254.169.254 is a cloud metadata address",
            id="ipv4-mapped-metadata",
        ),
        pytest.param(
            "file:///etc/passwd",
            "blocked: only http and https URLs are fetched, not 'file:",
            id="file-scheme",
        ),
    ],
)
def test_redirect_to_a_blocked_target_is_refused(
    server: FakeFeedServer, path: str, target: str, reason: str
) -> None:
    server.serve(path, Redirect(target))
    result = fetch(server, path)
    assert result.status == "error"
    assert result.error.startswith(reason), result.error


def test_default_policy_blocks_loopback(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Feed(rss("Should not be read")))
    result = fetch_feed(server.url(path))
    assert result.error == "blocked: 127.0.0.1 is a loopback address"
    assert server.requests_to(path) == []


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("http://localhost:9/feed", id="localhost-name"),
        pytest.param("http://2130706433/feed", id="decimal-loopback"),
        pytest.param("http://0x7f.1/feed", id="hex-short-loopback"),
        pytest.param("http://[::1]/feed", id="ipv6-loopback"),
        pytest.param("http://0.0.0.0/feed", id="unspecified"),
    ],
)
def test_loopback_in_disguise_is_blocked_by_default(url: str) -> None:
    result = fetch_feed(url)
    assert result.status == "error"
    assert result.error.startswith("blocked: "), result.error


@pytest.mark.parametrize(
    ("address", "category"),
    [
        pytest.param("127.0.0.1", "loopback", id="loopback"),
        pytest.param("::1", "loopback", id="ipv6-loopback"),
        pytest.param("::ffff:127.0.0.1", "loopback", id="ipv4-mapped-loopback"),
        pytest.param("10.1.2.3", "private", id="private-10"),
        pytest.param("192.168.0.10", "private", id="private-192"),
        pytest.param("172.16.5.5", "private", id="private-172"),
        pytest.param("::ffff:10.0.0.1", "private", id="ipv4-mapped-private"),
        pytest.param("fc00::1", "private", id="ipv6-unique-local"),
        pytest.param("169.254.10.10", "link-local", id="link-local"),
        pytest.param("fe80::1", "link-local", id="ipv6-link-local"),
        pytest.param("224.0.0.1", "multicast", id="multicast"),
        pytest.param("ff02::1", "multicast", id="ipv6-multicast"),
        pytest.param("0.0.0.0", "unspecified", id="unspecified"),
        pytest.param("::", "unspecified", id="ipv6-unspecified"),
        pytest.param("240.0.0.1", "reserved", id="reserved"),
        pytest.param("100.64.0.1", "non-public", id="carrier-grade-nat"),
        pytest.param("169.254.169.254", "cloud metadata", id="aws-metadata"),
        pytest.param("fd00:ec2::254", "cloud metadata", id="aws-ipv6-metadata"),
        pytest.param("::ffff:169.254.169.254", "cloud metadata", id="mapped-metadata"),
        pytest.param("::ffff:a9fe:a9fe", "cloud metadata", id="mapped-metadata-hex"),
        pytest.param("64:ff9b::a9fe:a9fe", "cloud metadata", id="nat64-metadata"),
        pytest.param("2002:0a00:0001::1", "private", id="6to4-private"),
    ],
)
def test_internal_addresses_are_blocked(address: str, category: str) -> None:
    reason = blocked_reason(address)
    assert reason is not None
    assert reason.startswith(f"a {category} address")


@pytest.mark.parametrize(
    "address",
    [
        pytest.param("93.184.216.34", id="public-ipv4"),
        pytest.param("2606:4700:4700::1111", id="public-ipv6"),
        pytest.param("8.8.8.8", id="public-dns"),
    ],
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert blocked_reason(address) is None


def test_allowing_loopback_allows_nothing_else() -> None:
    assert blocked_reason("127.0.0.1", allow_loopback=True) is None
    assert blocked_reason("::ffff:127.0.0.1", allow_loopback=True) is None
    assert blocked_reason("10.0.0.1", allow_loopback=True) is not None
    assert blocked_reason("169.254.169.254", allow_loopback=True) is not None


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("ftp://news.example/feed", id="ftp"),
        pytest.param("gopher://news.example/", id="gopher"),
        pytest.param("http://", id="no-host"),
        pytest.param("http://[::1/feed", id="broken-ipv6-literal"),
    ],
)
def test_unfetchable_urls_are_refused(url: str) -> None:
    with pytest.raises(URLRefused):
        check_url(url, FetchPolicy(resolver=lambda host, port: ["93.184.216.34"]))


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("", id="empty"),
        pytest.param("not a url", id="words"),
        pytest.param("http://[::1/feed", id="broken-ipv6-literal"),
        pytest.param("https://news.example:99999/feed", id="port-out-of-range"),
    ],
)
def test_fetch_never_raises_for_bad_urls(url: str) -> None:
    result = fetch_feed(url, policy=POLICY)
    assert result.status == "error"
    assert result.error


def test_named_host_connects_to_the_address_the_guard_checked(
    server: FakeFeedServer, path: str
) -> None:
    server.serve(path, Feed(rss("Pinned deal")))
    policy = FetchPolicy(
        allow_loopback=True, read_timeout_s=0.5, resolver=lambda host, port: ["127.0.0.1"]
    )
    result = fetch_feed(f"http://feeds.dealwatch.test:{server.port}{path}", policy=policy)
    assert titles(result) == ["Pinned deal"]
    assert server.requests_to(path)[0].headers["Host"] == f"feeds.dealwatch.test:{server.port}"


def test_dns_rebinding_is_refused_at_connect_time(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Feed(rss("Should not be read")))
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    policy = FetchPolicy(read_timeout_s=0.5, resolver=lambda host, port: next(answers))
    result = fetch_feed(f"http://rebind.dealwatch.test:{server.port}{path}", policy=policy)
    assert result.error == "blocked: rebind.dealwatch.test resolves to a loopback address 127.0.0.1"
    assert server.requests_to(path) == []


def test_unresolvable_host_is_reported() -> None:
    def no_such_host(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    result = fetch_feed(
        "https://nowhere.dealwatch.test/feed", policy=FetchPolicy(resolver=no_such_host)
    )
    assert result.error.startswith("cannot resolve nowhere.dealwatch.test: ")


def test_refused_connection_is_reported() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch_feed(f"http://127.0.0.1:{port}/feed", policy=POLICY)
    assert result.status == "error"
    assert result.error.startswith("cannot connect to 127.0.0.1: ")


def test_iso_8859_1_feed_keeps_its_accents(server: FakeFeedServer, path: str) -> None:
    server.serve(
        path, Feed(rss("Fusão de café e açúcar", encoding="iso-8859-1"), content_type="text/xml")
    )
    assert titles(fetch(server, path)) == ["Fusão de café e açúcar"]


def test_http_charset_decodes_a_feed_without_xml_declaration(
    server: FakeFeedServer, path: str
) -> None:
    document = "<rss version='2.0'><channel><title>Лента</title><item><title>Сделка года</title>"
    document += "<description>Покупка компании.</description></item></channel></rss>"
    server.serve(
        path,
        Feed(document.encode("cp1251"), content_type="application/rss+xml; charset=windows-1251"),
    )
    assert titles(fetch(server, path)) == ["Сделка года"]


def test_xml_declaration_wins_over_a_wrong_http_charset(server: FakeFeedServer, path: str) -> None:
    server.serve(
        path, Feed(rss("Über-Fusion in Köln"), content_type="text/xml; charset=iso-8859-1")
    )
    assert titles(fetch(server, path)) == ["Über-Fusion in Köln"]


def test_callers_client_is_used_and_still_guarded_per_hop(
    server: FakeFeedServer, path: str
) -> None:
    server.serve(path, Feed(rss("Shared client deal")))
    server.serve(f"{path}/out", Redirect("http://10.0.0.1/internal"))
    with httpx.Client() as client:
        ok = fetch_feed(server.url(path), client=client, policy=POLICY)
        blocked = fetch_feed(server.url(f"{path}/out"), client=client, policy=POLICY)
        assert not client.is_closed, "a caller's client stays open"
    assert titles(ok) == ["Shared client deal"]
    assert blocked.error == "blocked: 10.0.0.1 is a private address"


def test_guarded_client_can_be_shared_across_fetches(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Feed(rss("Reused connection deal"), etag=ETAG))
    with build_guarded_client(POLICY) as client:
        first = fetch_feed(server.url(path), client=client, policy=POLICY)
        second = fetch_feed(server.url(path), client=client, policy=POLICY, etag=first.etag)
    assert titles(first) == ["Reused connection deal"]
    assert second.status == "not_modified"
