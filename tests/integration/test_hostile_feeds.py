"""Hostile feed content and servers: markup, scripts, oversized fields, bad dates, dripping."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import httpx
import pytest

from bot.ingest.fetch import FetchPolicy, fetch_feed
from bot.ingest.guard import build_guarded_client, wall_clock_deadline
from bot.ingest.http import FetchFailed, guarded_get
from bot.ingest.parse import html_to_text, parse_feed
from tests.fakes.feed_server import MAX_DRIP_S, Drip, FakeFeedServer, Feed, Redirect, Status

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


def test_nested_deadlines_keep_the_earlier_one() -> None:
    with wall_clock_deadline(5.0) as outer, wall_clock_deadline(60.0) as inner:
        assert inner == outer
