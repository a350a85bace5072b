"""Hostile feed content and servers: markup, scripts, oversized fields, bad dates, dripping."""

from __future__ import annotations

import itertools
import logging
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.ingest.fetch import FetchPolicy, fetch_feed
from bot.ingest.fetcher import HttpFeedFetcher
from bot.ingest.guard import build_guarded_client, wall_clock_deadline
from bot.ingest.http import FetchFailed, guarded_get
from bot.ingest.parse import html_to_text, parse_feed
from bot.observability import collect_status, render_status
from db.secrets import SecretBox, new_key
from db.store import SqlStore
from tests.conftest import unpaced_poster
from tests.fakes.feed_server import MAX_DRIP_S, Drip, FakeFeedServer, Feed, Redirect, Status
from tests.fakes.slack_api import FakeSlack
from watchlists.polling import FeedError, add_feed, poll_due_sources

POLICY = FetchPolicy(
    allow_loopback=True, connect_timeout_s=0.5, read_timeout_s=0.5, total_timeout_s=5.0
)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeFeedServer]:
    fake = FakeFeedServer().start()
    yield fake
    fake.stop()


_paths = itertools.count()


@pytest.fixture
def path() -> str:
    """A path no other test has scripted."""
    return f"/hostile-{next(_paths)}.xml"


def rss_items(*items: str, title: str = "Deal wire") -> bytes:
    """An RSS document around ready-made <item> elements."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f"<rss version='2.0'><channel><title>{title}</title>{''.join(items)}</channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        pytest.param(
            "<p>Acme buys Widgetco.</p><script>var deal = 'Globex buys Initech';</script>",
            "Acme buys Widgetco.",
            id="script",
        ),
        pytest.param(
            "<style>.x { content: 'Globex buys Initech' }</style><div>Acme buys Widgetco</div>",
            "Acme buys Widgetco",
            id="style",
        ),
        pytest.param(
            "Acme <!-- Globex buys Initech --> buys <b>Widgetco</b>",
            "Acme buys Widgetco",
            id="comment",
        ),
        pytest.param(
            "<SCRIPT type='text/javascript'>alert('Globex')</SCRIPT>Acme buys Widgetco",
            "Acme buys Widgetco",
            id="upper-case-script",
        ),
        pytest.param(
            "<p>Acme buys</p><p>Widgetco &amp; Co</p><ul><li>one</li><li>two</li></ul>",
            "Acme buys\nWidgetco & Co\none\ntwo",
            id="paragraphs-and-entities",
        ),
        pytest.param("Acme\x00 buys\x07 Widgetco <b>now</b>", "Acme buys Widgetco now", id="nul"),
    ],
)
def test_html_to_text_keeps_only_readable_text(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected


def test_script_in_a_feed_item_never_reaches_the_article_text() -> None:
    item = (
        "<item><title>Acme buys Widgetco</title><link>https://news.example/1</link>"
        "<description><![CDATA[<p>Acme agreed to buy Widgetco.</p>"
        "<script>document.write('Globex buys Initech')</script>"
        "<style>p { color: red }</style>]]></description></item>"
    )
    article = parse_feed(rss_items(item), "hostile").articles[0]
    assert article.text == "Acme agreed to buy Widgetco."
    assert "Globex" not in article.text and "color" not in article.text


def test_guarded_get_follows_redirects_and_returns_the_final_body(
    server: FakeFeedServer, path: str
) -> None:
    server.serve(path, Redirect(f"{path}.moved"))
    server.serve(f"{path}.moved", Feed(b"<rss/>", content_type="text/xml"))
    with build_guarded_client(POLICY) as client:
        fetched = guarded_get(client, server.url(path), policy=POLICY, headers={})
    assert (fetched.url, fetched.status, fetched.body) == (
        server.url(f"{path}.moved"),
        200,
        b"<rss/>",
    )


def test_guarded_get_gives_304_only_to_a_conditional_request(
    server: FakeFeedServer, path: str
) -> None:
    server.serve(path, Status(304))
    with build_guarded_client(POLICY) as client:
        fetched = guarded_get(
            client, server.url(path), policy=POLICY, headers={"If-None-Match": '"v1"'}
        )
        assert (fetched.status, fetched.body) == (304, b"")
        with pytest.raises(FetchFailed, match=r"HTTP 304 from 127\.0\.0\.1"):
            guarded_get(client, server.url(path), policy=POLICY, headers={})


def test_guarded_get_lets_the_caller_refuse_before_the_body(
    server: FakeFeedServer, path: str
) -> None:
    server.serve(path, Status(200, b"x" * 100_000, content_type="image/png"))

    def refuse(response: httpx.Response) -> None:
        raise FetchFailed(f"refused {response.headers['Content-Type']}")

    with build_guarded_client(POLICY) as client, pytest.raises(FetchFailed, match="refused image"):
        guarded_get(client, server.url(path), policy=POLICY, headers={}, accept=refuse)


# Each byte comes well within the read timeout, so only a wall-clock deadline stops the drip.
DRIP_POLICY = FetchPolicy(
    allow_loopback=True, connect_timeout_s=0.5, read_timeout_s=0.5, total_timeout_s=1.0
)
# Far below the fake's own give-up time: a fetch that ends here was cut off by the deadline.
DEADLINE_MARGIN_S = MAX_DRIP_S / 3


@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers"])
def test_a_dripping_server_is_cut_off_at_the_wall_clock_deadline(
    server: FakeFeedServer, path: str, headers: bool
) -> None:
    server.serve(path, Drip(b"<rss>" + b" " * 10_000 + b"</rss>", every_s=0.1, headers=headers))
    result = fetch_feed(server.url(path), policy=DRIP_POLICY)
    assert result.status == "error"
    assert result.error == "took longer than 1 s in total (from 127.0.0.1)"
    assert result.elapsed_s < DRIP_POLICY.total_timeout_s + DEADLINE_MARGIN_S


def test_a_tls_handshake_that_never_ends_is_cut_off_at_the_deadline() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    accepting = threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True)
    accepting.start()
    # Connect and read timeouts far longer than the deadline: only the deadline can end it.
    policy = FetchPolicy(
        allow_loopback=True, connect_timeout_s=30, read_timeout_s=30, total_timeout_s=1.0
    )
    try:
        result = fetch_feed(f"https://127.0.0.1:{listener.getsockname()[1]}/f", policy=policy)
    finally:
        accepting.join(DEADLINE_MARGIN_S)
        for connection in [*held, listener]:
            connection.close()
    assert result.error == "took longer than 1 s in total (from 127.0.0.1)"
    assert result.elapsed_s < policy.total_timeout_s + DEADLINE_MARGIN_S


def test_nested_deadlines_keep_the_earlier_one() -> None:
    with wall_clock_deadline(5.0) as outer, wall_clock_deadline(60.0) as inner:
        assert inner == outer


T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
LONG_LINK = "https://news.example/" + "a" * 2_100
LONG_GUID = "urn:item:" + "g" * 2_100
HOSTILE_ITEMS = (
    f"<item><title>Long link</title><link>{LONG_LINK}</link><guid>g-1</guid></item>",
    f"<item><title>Long guid</title><link>https://news.example/2</link><guid>{LONG_GUID}</guid></item>",
    "<item><title>Nul&#0; in the title</title><link>https://news.example/3</link></item>",
    "<item><title>Control\x01 char</title><link>https://news.example/4</link></item>",
    "<item><title>Year zero</title><link>https://news.example/5</link>"
    "<pubDate>0000-00-00T00:00:00Z</pubDate></item>",
    "<item><title>Year 9999</title><link>https://news.example/6</link>"
    "<pubDate>Fri, 31 Dec 9999 23:59:59 -1400</pubDate></item>",
    "<item><title>Plain</title><link>https://news.example/7</link>"
    "<pubDate>Mon, 10 Mar 2025 08:00:00 GMT</pubDate></item>",
)
HOSTILE_FEED = rss_items(*HOSTILE_ITEMS, title="T" * 400)


def _articles(engine: Engine) -> dict[str, tuple[str, str, object]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT title, guid, url, published_at FROM article"))
        return {row[0]: (row[1], row[2], row[3]) for row in rows}


def _source_titles(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(text("SELECT title FROM source"))]


def test_bad_dates_leave_their_item_undated_and_keep_the_rest() -> None:
    articles = {a.title: a for a in parse_feed(HOSTILE_FEED, "hostile").articles}
    assert articles["Year zero"].published is None
    assert articles["Year 9999"].published is None
    assert articles["Plain"].published == datetime(2025, 3, 10, 8, 0, tzinfo=UTC)


def test_oversized_and_nul_fields_are_fitted_at_parse_time() -> None:
    feed = parse_feed(HOSTILE_FEED, "hostile")
    articles = {a.title: a for a in feed.articles}
    assert len(feed.title) == 300
    assert articles["Long link"].url == "" and articles["Long link"].id == "g-1"
    assert articles["Long guid"].id.startswith("sha256:") and len(articles["Long guid"].id) < 100
    assert "Nul in the title" in articles and "Control char" in articles


def test_a_hostile_feed_is_added_with_every_item_on_each_database(
    engine: Engine, server: FakeFeedServer, path: str
) -> None:
    store = SqlStore(engine)
    server.serve(path, Feed(HOSTILE_FEED))
    channel = store.ensure_channel("T1", "C1")
    added = add_feed(store, HttpFeedFetcher(POLICY), channel, server.url(path), T0, lambda: 0.5)
    assert added.existing_items == len(HOSTILE_ITEMS)
    stored = _articles(engine)
    assert len(stored) == len(HOSTILE_ITEMS)
    assert stored["Long link"][1] == ""
    assert stored["Year 9999"][2] is None
    assert _source_titles(engine) == ["T" * 300]


def test_a_feed_url_too_long_to_store_is_refused_and_leaves_no_source(
    engine: Engine, server: FakeFeedServer
) -> None:
    store = SqlStore(engine)
    url = server.url("/" + "u" * 2_100)
    channel = store.ensure_channel("T1", "C1")
    with pytest.raises(FeedError, match="longer than 2000 characters"):
        add_feed(store, HttpFeedFetcher(POLICY), channel, url, T0, lambda: 0.5)
    assert _source_titles(engine) == []


def test_a_hostile_feed_in_a_poll_costs_neither_its_items_nor_the_next_feed(
    engine: Engine, server: FakeFeedServer, path: str, slack: FakeSlack
) -> None:
    store = SqlStore(engine)
    fetcher = HttpFeedFetcher(POLICY)
    channel = store.ensure_channel("T1", "C1")
    server.serve(path, Feed(rss_items(title="Hostile")), Feed(HOSTILE_FEED))
    server.serve(f"{path}.next", Feed(rss_items(title="Next")), Feed(rss_items(HOSTILE_ITEMS[-1])))
    add_feed(store, fetcher, channel, server.url(path), T0, lambda: 0.5)
    add_feed(store, fetcher, channel, server.url(f"{path}.next"), T0, lambda: 0.5)
    report = poll_due_sources(
        store, fetcher, unpaced_poster(slack), T0 + timedelta(days=1), jitter=lambda: 0.5
    )
    assert (report.polled, report.failed) == (2, 0)
    assert report.new_articles == len(HOSTILE_ITEMS) + 1


def test_an_oversized_etag_is_not_kept(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Feed(rss_items(HOSTILE_ITEMS[-1]), etag='"' + "e" * 400 + '"'))
    result = fetch_feed(server.url(path), policy=POLICY, etag='"old"')
    assert result.status == "ok" and result.etag == '"old"'


SECRET = "s3cr3t-pw"


def test_credentials_go_out_as_basic_auth_and_never_reach_the_log(
    server: FakeFeedServer, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    server.serve(path, Feed(rss_items(HOSTILE_ITEMS[-1], title="")))
    url = server.url(path).replace("http://", f"http://reader:{SECRET}@")
    with caplog.at_level(logging.DEBUG):
        result = fetch_feed(url, policy=POLICY)
    assert result.status == "ok", result.error
    assert server.requests_to(path)[0].headers["Authorization"].startswith("Basic ")
    assert result.feed is not None and SECRET not in result.feed.title
    assert "http://***@127.0.0.1" in result.feed.title
    assert caplog.records and not [r for r in caplog.records if SECRET in r.getMessage()]


def test_a_relative_redirect_keeps_the_credentials(server: FakeFeedServer, path: str) -> None:
    server.serve(path, Redirect(f"{path}.moved"))
    server.serve(f"{path}.moved", Feed(rss_items(HOSTILE_ITEMS[-1])))
    result = fetch_feed(server.url(path).replace("http://", f"http://r:{SECRET}@"), policy=POLICY)
    assert result.status == "ok", result.error
    assert "Authorization" in server.requests_to(f"{path}.moved")[0].headers


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(f"ftp://r:{SECRET}@feeds.example/rss", id="scheme"),
        pytest.param(f"http://r:{SECRET}@[::1/rss", id="invalid"),
        pytest.param(f"http://r:{SECRET}@10.0.0.1/rss", id="blocked"),
    ],
)
def test_errors_never_show_the_credentials(url: str) -> None:
    result = fetch_feed(url, policy=POLICY)
    assert result.status == "error"
    assert SECRET not in result.error


def test_a_broken_feed_with_credentials_is_reported_without_them(
    engine: Engine, server: FakeFeedServer, path: str, slack: FakeSlack
) -> None:
    # Credentials are stored only encrypted: this store has a key.
    store = SqlStore(engine, SecretBox([new_key()]))
    fetcher = HttpFeedFetcher(POLICY)
    channel = store.ensure_channel("T1", "C1")
    server.serve(path, Feed(rss_items(title="")), Status(500))
    url = server.url(path).replace("http://", f"http://r:{SECRET}@")
    add_feed(store, fetcher, channel, url, T0, lambda: 0.5)
    now = T0 + timedelta(days=1)
    for _ in range(6):
        poll_due_sources(store, fetcher, unpaced_poster(slack), now, jitter=lambda: 0.5)
        now += timedelta(days=1)
    [source] = store.channel_sources(channel.id)
    assert source.consecutive_failures == 6 and SECRET not in source.title + source.last_error
    notices = [call.body["text"] for call in slack.calls_to("chat.postMessage")]
    assert notices and not [text for text in notices if SECRET in text]
    report = render_status(collect_status(store, now))
    assert "http://***@127.0.0.1" in report and SECRET not in report
