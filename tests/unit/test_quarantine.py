"""Poison articles (issue 11 item 7): bounded analysis, and quarantine instead of a stuck batch."""

from __future__ import annotations

from collections.abc import Sequence

from tests.fakes.clock import FakeClock
from tests.fakes.store import FakeStore
from watchlists.matching import MatchIndex
from watchlists.model import Article, Channel, Entity, Match
from watchlists.ports import AnalysedArticle
from watchlists.services import (
    ARTICLE_BUDGET_S,
    MAX_ANALYSED_BYTES,
    analysed_part,
    process_new_articles,
)


def news(guid: str, title: str, text: str = "") -> Article:
    return Article(
        id=guid,
        title=title,
        text=text or f"{title}, the companies said on Monday.",
        url=f"https://news.example/{guid}",
        source="Reuters",
    )


class PoisonedIndex(MatchIndex):
    """Raises on articles titled POISON; takes SLOW_S of the clock on articles titled SLOW."""

    SLOW_S = ARTICLE_BUDGET_S * 3

    def __init__(self, entities: Sequence[Entity], clock: FakeClock) -> None:
        super().__init__(entities)
        self.clock = clock
        self.seen: list[str] = []

    def match(self, article: Article) -> list[Match]:
        self.seen.append(article.title)
        if article.title.startswith("POISON"):
            raise RecursionError("maximum recursion depth exceeded")
        if article.title.startswith("SLOW"):
            self.clock.sleep(self.SLOW_S)
        return super().match(article)


def test_an_article_that_fails_is_quarantined_and_the_next_is_queued(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    store.watch(channel.id, Entity(name="Acme Corp"))
    store.add_articles(
        [news("p", "POISON Acme Corp"), news("ok", "Acme Corp agrees to buy Beta Ltd")],
        None,
        store.clock(),
    )
    index = PoisonedIndex(store.watched_entities(), clock)
    result = process_new_articles(store, index, clock(), clock=clock.monotonic)
    assert (result.articles, result.quarantined, result.deliveries_queued) == (2, 1, 1)
    [item] = store.pending_items(channel.id)
    assert item.title == "Acme Corp agrees to buy Beta Ltd"
    poisoned = next(row for row in store.articles.values() if row.guid == "p")
    assert poisoned.quarantine_reason == "RecursionError: maximum recursion depth exceeded"
    # Quarantined for good: the next pass does not try it again.
    assert process_new_articles(store, index, clock(), clock=clock.monotonic).articles == 0
    assert index.seen.count("POISON Acme Corp") == 1


def test_an_article_over_the_time_budget_is_quarantined_with_the_time_it_took(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    store.watch(channel.id, Entity(name="Acme Corp"))
    store.add_articles(
        [news("s", "SLOW Acme Corp"), news("ok", "Acme Corp buys Beta Ltd")], None, store.clock()
    )
    index = PoisonedIndex(store.watched_entities(), clock)
    result = process_new_articles(store, index, clock(), clock=clock.monotonic)
    assert (result.quarantined, result.deliveries_queued) == (1, 1)
    slow = next(row for row in store.articles.values() if row.guid == "s")
    assert slow.quarantine_reason == (
        f"took {PoisonedIndex.SLOW_S:.1f} s, over the {ARTICLE_BUDGET_S:g} s budget"
    )


class RefusesToFile(FakeStore):
    """Filing fails for any batch holding the article with id bad_id."""

    bad_id = -1

    def file_articles(self, analysed: Sequence[AnalysedArticle], now: object) -> int:
        if any(item.article_id == self.bad_id for item in analysed):
            raise ValueError("value too long for type character varying(64)")
        return super().file_articles(analysed, now)  # type: ignore[arg-type]


def test_an_article_the_store_refuses_is_quarantined_and_the_rest_of_its_batch_filed(
    clock: FakeClock,
) -> None:
    store = RefusesToFile(clock=clock)
    channel = store.ensure_channel("T1", "C1", "deals")
    store.watch(channel.id, Entity(name="Acme Corp"))
    store.add_articles(
        [news("a", "Acme Corp buys Beta Ltd"), news("b", "Acme Corp sells Gamma Inc")],
        None,
        store.clock(),
    )
    store.bad_id = next(row.id for row in store.articles.values() if row.guid == "a")
    result = process_new_articles(store, MatchIndex(store.watched_entities()), clock())
    assert (result.quarantined, result.deliveries_queued) == (1, 1)
    assert [item.title for item in store.pending_items(channel.id)] == ["Acme Corp sells Gamma Inc"]
    assert store.articles[store.bad_id].quarantine_reason.startswith("filing failed: ValueError")


def test_only_the_first_200_kb_of_an_article_are_matched() -> None:
    filler = "Nothing to see here. " * (MAX_ANALYSED_BYTES // 20)
    article = news("big", "Quarterly review", text=f"{filler} Acme Corp buys Beta Ltd.")
    part = analysed_part(article)
    assert len(part.text.encode()) <= MAX_ANALYSED_BYTES < len(article.text.encode())
    assert article.text.startswith(part.text)
    assert MatchIndex([Entity(name="Acme Corp", id=1)]).match(part) == []
    small = news("small", "Acme Corp buys Beta Ltd")
    assert analysed_part(small) is small


def test_the_cut_never_splits_a_character() -> None:
    text = "é" * MAX_ANALYSED_BYTES  # two bytes each
    part = analysed_part(news("wide", "Wide", text=text))
    assert part.text == "é" * (MAX_ANALYSED_BYTES // 2)
