"""Full-text extraction for teaser feeds, over real HTTP from the fake feed server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.ingest.fetch import FetchPolicy
from bot.ingest.fetcher import HttpFeedFetcher
from bot.ingest.fulltext import FullTextExtractor, FullTextLimits
from db.store import SqlStore
from handlers.poster import SlackPoster
from tests.conftest import unpaced_poster
from tests.fakes.feed_server import FakeFeedServer, Feed, Hang, Redirect, Response, Status
from tests.fakes.slack_api import FakeSlack
from watchlists.model import Article
from watchlists.polling import add_feed, poll_due_sources

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
LATER = T0 + timedelta(hours=1)


def centred_jitter() -> float:
    """A jitter that neither shortens nor lengthens the poll interval."""
    return 0.5


TEASER = "Harbor Freight Lines agreed to buy Keel Logistics. Read more on our site."
BODY_SENTENCES = (
    "Harbor Freight Lines has agreed to acquire Keel Logistics, a regional operator of "
    "refrigerated warehouses, for 1.2 billion euros in cash, the two companies said on Monday.",
    "The purchase gives Harbor Freight Lines eleven cold-storage sites along the northern "
    "coast and roughly nine hundred employees, most of whom will keep their current roles.",
    "Keel Logistics was founded in 1998 by two brothers who ran a single ice house near the "
    "port; it grew through a series of small purchases and now serves grocery chains.",
    "Completion is expected in the second quarter, subject to approval by competition "
    "authorities, and the buyer said it would fund the deal from cash and a new term loan.",
)
BOILERPLATE = (
    "Subscribe to the Morning Cargo newsletter",
    "Cookie preferences",
    "Advertise with us",
    "Sponsored: refinance your fleet today",
)
ARTICLE_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Harbor Freight Lines to buy Keel Logistics | Cargo Daily</title></head>
<body>
  <header>
    <nav class="site-nav">
      <ul><li><a href="/">Home</a></li><li><a href="/markets">Markets</a></li>
      <li><a href="/shipping">Shipping</a></li><li><a href="/opinion">Opinion</a></li></ul>
      <a class="cta" href="/newsletter">{BOILERPLATE[0]}</a>
    </nav>
  </header>
  <aside class="ad-slot"><p>{BOILERPLATE[3]}</p></aside>
  <main>
    <article>
      <h1>Harbor Freight Lines to buy Keel Logistics for 1.2 billion euros</h1>
      <p class="byline">By a staff reporter</p>
      {"".join(f"<p>{sentence}</p>" for sentence in BODY_SENTENCES)}
    </article>
  </main>
  <footer>
    <ul><li><a href="/privacy">{BOILERPLATE[1]}</a></li><li><a href="/ads">{BOILERPLATE[2]}</a></li>
    <li>Copyright Cargo Daily</li></ul>
  </footer>
</body>
</html>
""".encode()
HTML = "text/html; charset=utf-8"


def rss(*items: tuple[str, str]) -> bytes:
    """An RSS document with one item per (guid, link), each with the teaser as its text."""
    body = "".join(
        f"<item><title>Harbor Freight Lines buys Keel Logistics {guid}</title>"
        f"<link>{link}</link><guid>{guid}</guid><description>{TEASER}</description></item>"
        for guid, link in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Cargo Daily</title>'
        f"{body}</channel></rss>"
    ).encode()


@pytest.fixture
def feeds() -> Iterator[FakeFeedServer]:
    server = FakeFeedServer().start()
    yield server
    server.stop()


def _fetcher(limits: FullTextLimits | None = None) -> HttpFeedFetcher:
    policy = FetchPolicy(
        allow_loopback=True,
        max_bytes=256 * 1024,
        connect_timeout_s=1,
        read_timeout_s=0.5,
        total_timeout_s=3,
    )
    return HttpFeedFetcher(policy, limits)


def _feed_with_new_item(
    engine: Engine, feeds: FakeFeedServer, slack: FakeSlack, link: str, *, full_text: bool
) -> tuple[SqlStore, HttpFeedFetcher, SlackPoster, int]:
    """A channel whose feed, once added, gains one teaser item linking to link."""
    store, fetcher, poster = SqlStore(engine), _fetcher(), unpaced_poster(slack)
    feeds.serve("/wire", Feed(rss()))
    channel = store.ensure_channel("T1", "C1")
    source_id = add_feed(store, fetcher, channel, feeds.url("/wire"), T0, centred_jitter).source.id
    if full_text:
        store.set_full_text(source_id, True)
    feeds.serve("/wire", Feed(rss(("g1", link))))
    return store, fetcher, poster, source_id


def _stored_texts(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT text FROM article ORDER BY id")).scalars())


def test_teaser_stays_a_teaser_and_no_page_is_fetched_by_default(
    engine: Engine, feeds: FakeFeedServer, slack: FakeSlack
) -> None:
    feeds.serve("/story/1", Status(200, ARTICLE_PAGE, HTML))
    store, fetcher, poster, _ = _feed_with_new_item(
        engine, feeds, slack, feeds.url("/story/1"), full_text=False
    )
    report = poll_due_sources(store, fetcher, poster, LATER, jitter=lambda: 0.5)
    assert (report.polled, report.failed, report.new_articles) == (1, 0, 1)
    assert _stored_texts(engine) == [TEASER]
    assert feeds.requests_to("/story/1") == []


def test_full_text_replaces_the_teaser_without_nav_footer_or_ads(
    engine: Engine, feeds: FakeFeedServer, slack: FakeSlack
) -> None:
    feeds.serve("/story/1", Status(200, ARTICLE_PAGE, HTML))
    store, fetcher, poster, source_id = _feed_with_new_item(
        engine, feeds, slack, feeds.url("/story/1"), full_text=True
    )
    report = poll_due_sources(store, fetcher, poster, LATER, jitter=lambda: 0.5)
    assert (report.polled, report.failed, report.new_articles) == (1, 0, 1)
    [stored] = _stored_texts(engine)
    for sentence in BODY_SENTENCES:
        assert sentence in stored
    for noise in BOILERPLATE:
        assert noise not in stored
    assert len(feeds.requests_to("/story/1")) == 1
    [source] = store.channel_sources(store.ensure_channel("T1", "C1").id)
    assert source.id == source_id and source.fetch_full_text


def test_full_text_is_off_for_a_new_source_and_can_be_switched_back_off(engine: Engine) -> None:
    store = SqlStore(engine)
    channel = store.ensure_channel("T1", "C1")
    source = store.add_channel_source(channel.id, "https://news.example/feed", "")
    assert not source.fetch_full_text
    store.set_full_text(source.id, True)
    assert store.channel_sources(channel.id)[0].fetch_full_text
    store.set_full_text(source.id, False)
    assert not store.channel_sources(channel.id)[0].fetch_full_text


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(Status(500, b"oops"), id="server-error"),
        pytest.param(Hang(2.0, then=Status(200, ARTICLE_PAGE, HTML)), id="timeout"),
        pytest.param(Status(200, ARTICLE_PAGE + b" " * (512 * 1024), HTML), id="huge"),
        pytest.param(Status(200, b"%PDF-1.7 " + ARTICLE_PAGE, "application/pdf"), id="not-html"),
        pytest.param(Redirect("http://169.254.169.254/latest/meta-data/"), id="redirect-ssrf"),
    ],
)
def test_a_page_that_fails_keeps_the_teaser_and_the_poll_succeeds(
    engine: Engine, feeds: FakeFeedServer, slack: FakeSlack, page: Response
) -> None:
    feeds.serve("/story/1", page)
    store, fetcher, poster, _ = _feed_with_new_item(
        engine, feeds, slack, feeds.url("/story/1"), full_text=True
    )
    # A page that hangs answers with the article at last: the teaser proves the fetch gave up.
    report = poll_due_sources(store, fetcher, poster, LATER, jitter=lambda: 0.5)
    assert (report.polled, report.failed, report.new_articles) == (1, 0, 1)
    assert _stored_texts(engine) == [TEASER]
    assert len(feeds.requests_to("/story/1")) == 1


def test_at_most_max_pages_are_fetched_per_poll(
    engine: Engine, feeds: FakeFeedServer, slack: FakeSlack
) -> None:
    for n in range(3):
        feeds.serve(f"/story/{n}", Status(200, ARTICLE_PAGE, HTML))
    store, poster = SqlStore(engine), unpaced_poster(slack)
    fetcher = _fetcher(FullTextLimits(max_pages=2))
    feeds.serve("/wire", Feed(rss()))
    source_id = add_feed(
        store, fetcher, store.ensure_channel("T1", "C1"), feeds.url("/wire"), T0, centred_jitter
    ).source.id
    store.set_full_text(source_id, True)
    feeds.serve("/wire", Feed(rss(*((f"g{n}", feeds.url(f"/story/{n}")) for n in range(3)))))
    report = poll_due_sources(store, fetcher, poster, LATER, jitter=lambda: 0.5)
    assert report.new_articles == 3
    assert [len(feeds.requests_to(f"/story/{n}")) for n in range(3)] == [1, 1, 0]
    texts = _stored_texts(engine)
    assert [BODY_SENTENCES[0] in t for t in texts] == [True, True, False]


def test_a_page_the_feed_repeats_is_fetched_once(
    engine: Engine, feeds: FakeFeedServer, slack: FakeSlack
) -> None:
    feeds.serve("/story/1", Status(200, ARTICLE_PAGE, HTML))
    store, fetcher, poster, _ = _feed_with_new_item(
        engine, feeds, slack, feeds.url("/story/1"), full_text=True
    )
    poll_due_sources(store, fetcher, poster, LATER, jitter=lambda: 0.5)
    poll_due_sources(store, fetcher, poster, LATER + timedelta(hours=1), jitter=lambda: 0.5)
    assert len(feeds.requests_to("/wire")) == 3
    assert len(feeds.requests_to("/story/1")) == 1


def _public_resolver(host: str, port: int) -> list[str]:
    """Every name is a public address, so only literal blocked addresses meet the guard."""
    return [host] if host[0].isdigit() else ["93.184.215.14"]


@pytest.mark.parametrize(
    ("url", "fetched"),
    [
        pytest.param("http://169.254.169.254/latest/meta-data/", False, id="metadata-address"),
        pytest.param("http://10.0.0.7/internal/story", False, id="private-address"),
        pytest.param("https://news.example/story/1", True, id="public-host"),
    ],
)
def test_default_policy_never_sends_a_request_to_a_blocked_page_address(
    url: str, fetched: bool
) -> None:
    sent: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(200, content=ARTICLE_PAGE, headers={"Content-Type": HTML})

    extractor = FullTextExtractor(FetchPolicy(resolver=_public_resolver))
    teaser = Article(id="g1", title="Harbor Freight Lines buys Keel", text=TEASER, url=url)
    with httpx.Client(transport=httpx.MockTransport(record)) as client:
        [result] = extractor.expand([teaser], client)
    assert sent == ([url] if fetched else [])
    assert (BODY_SENTENCES[0] in result.text) is fetched
