"""Every real-world feed in /work/shared/data/feeds parses cleanly or fails with a clear reason.

The files stay where they are (they are not ours to copy); the tests skip when absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.ingest.fetch import FetchPolicy, fetch_feed
from bot.ingest.parse import InputError, parse_feed
from tests.fakes.feed_server import FakeFeedServer, Feed

FEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "feeds"
FEED_FILES = (
    sorted(path for path in FEEDS_DIR.glob("*") if path.suffix in {".rss", ".atom", ".xml"})
    if FEEDS_DIR.is_dir()
    else []
)
NOT_FEEDS = {"unrecognized.rss"}  # an HTML "Document Moved" page
# Atom files whose only entry has neither title nor content: a valid, empty feed.
NO_USABLE_ENTRIES = {"incomplete-fields.atom", "missing-fields.atom"}
# Items here legitimately lack a body or a date; every other feed must have them.
TITLE_ONLY_FEEDS = {"rss-1.rss", "xml2js-options.rss"}
FEEDS_WITHOUT_ITEM_DATES = {"heraldsun.rss"}  # RSS 0.92: only the channel has a date
# Posts that show XML/HTML code samples as text, so "<a href" in the text is content.
SHOWS_CODE_SAMPLES = {"feedburner.atom"}
OLDEST_SANE = datetime(1995, 1, 1, tzinfo=UTC)
MOJIBAKE = re.compile("\ufffd|Ã[\u0080-\u00bf]|â€")
LEFTOVER_MARKUP = re.compile(r"<(?:p|div|br|img|a|span|script)\b|&(?:amp|lt|gt|quot|nbsp|#\d+);")
POLICY = FetchPolicy(allow_loopback=True, connect_timeout_s=0.5, read_timeout_s=2.0)

pytestmark = pytest.mark.skipif(
    not FEED_FILES, reason=f"shared feed samples not found at {FEEDS_DIR}"
)


def feed_params() -> list[object]:
    return [pytest.param(path, id=path.name) for path in FEED_FILES] or [
        pytest.param(None, id="no-shared-feeds")
    ]


@pytest.mark.parametrize("path", feed_params())
def test_shared_feed_parses_into_clean_articles_or_fails_clearly(path: Path) -> None:
    if path.name in NOT_FEEDS:
        with pytest.raises(InputError, match=r"not a readable RSS/Atom feed: \S"):
            parse_feed(path.read_bytes(), path.name)
        return
    feed = parse_feed(path.read_bytes(), path.name)
    if path.name in NO_USABLE_ENTRIES:
        assert feed.articles == []
        return
    assert feed.articles, "a feed with items yields articles"
    assert feed.title.strip()
    latest_sane = datetime.now(UTC) + timedelta(days=2)
    for article in feed.articles:
        assert article.title.strip(), f"{article.id} has no title"
        assert article.id.strip()
        for text in (article.title, article.text):
            assert not MOJIBAKE.search(text), f"mis-decoded text in {article.id}: {text[:80]!r}"
            if path.name not in SHOWS_CODE_SAMPLES:
                assert not LEFTOVER_MARKUP.search(text), f"markup in {article.id}: {text[:80]!r}"
        if article.published is not None:
            assert article.published.tzinfo is not None
            assert OLDEST_SANE <= article.published <= latest_sane
    with_text = sum(1 for article in feed.articles if article.text.strip())
    if path.name not in TITLE_ONLY_FEEDS:
        assert with_text / len(feed.articles) >= 0.7, "most items have a body"
    if path.name not in FEEDS_WITHOUT_ITEM_DATES:
        assert all(article.published for article in feed.articles), "every item has a date"


def shared(name: str) -> bytes:
    path = FEEDS_DIR / name
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    return path.read_bytes()


def test_portuguese_dates_in_an_undeclared_latin1_feed_are_read() -> None:
    feed = parse_feed(shared("uolNoticias.rss"), "uolNoticias.rss")
    first = feed.articles[0]
    # "Seg, 24 Set 2018 19:42:40 -0300" in the file: Monday, 24 September, UTC-3.
    assert first.published == datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC)
    assert all(article.published is not None for article in feed.articles)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeFeedServer]:
    fake = FakeFeedServer().start()
    yield fake
    fake.stop()


@pytest.mark.parametrize(
    ("name", "content_type", "expected_title"),
    [
        pytest.param(
            "encoding.rss",
            "text/xml",
            "Mãe de utente é a nova presidente da Raríssimas",
            id="declared-iso-8859-1-as-text-xml",
        ),
        pytest.param(
            "encoding.rss",
            "application/rss+xml; charset=utf-8",
            "Mãe de utente é a nova presidente da Raríssimas",
            id="declared-iso-8859-1-with-a-wrong-utf8-header",
        ),
        pytest.param(
            "uolNoticias.rss",
            "application/rss+xml; charset=ISO-8859-1",
            "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno",
            id="undeclared-latin1-with-charset-header",
        ),
        pytest.param(
            "uolNoticias.rss",
            "application/rss+xml",
            "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno",
            id="undeclared-latin1-without-charset",
        ),
        pytest.param(
            "heise.atom",
            "application/atom+xml",
            None,
            id="german-atom",
        ),
    ],
)
def test_shared_feed_served_over_http_keeps_its_accents(
    server: FakeFeedServer, name: str, content_type: str, expected_title: str | None
) -> None:
    body = shared(name)
    path = f"/{name}/{quote(content_type)}"
    server.serve(path, Feed(body, etag='"shared"', content_type=content_type))
    result = fetch_feed(server.url(path), policy=POLICY)
    assert result.status == "ok", result.error
    assert result.feed is not None
    direct = parse_feed(body, name)
    assert [a.title for a in result.feed.articles] == [a.title for a in direct.articles]
    if expected_title is not None:
        assert result.feed.articles[0].title == expected_title
    assert not any(MOJIBAKE.search(a.title + a.text) for a in result.feed.articles)


def test_large_shared_feed_is_served_gzipped(server: FakeFeedServer) -> None:
    body = shared("guardian.rss")
    server.serve("/guardian.rss", Feed(body, gzip=True))
    result = fetch_feed(server.url("/guardian.rss"), policy=POLICY)
    assert result.feed is not None, result.error
    assert len(result.feed.articles) == len(parse_feed(body, "guardian").articles) > 50


def test_shared_html_page_is_reported_over_http(server: FakeFeedServer) -> None:
    server.serve("/moved.rss", Feed(shared("unrecognized.rss"), content_type="text/html"))
    result = fetch_feed(server.url("/moved.rss"), policy=POLICY)
    assert result.status == "error"
    assert result.error.startswith("not a readable RSS/Atom feed: ")
