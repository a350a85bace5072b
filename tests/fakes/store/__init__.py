"""FakeStore: the Store port on dicts and lists, with its state open for tests to read.

One mixin per port family, one module each (channels, entities and watchlists, sources,
articles and stories, outbox, feedback, housekeeping), all on the tables of
`state.State`. Domain rules come from watchlists/ (entity_rules, story_rules), as in
SqlStore. The contract suite in tests/contract runs the same tests against this fake and
SqlStore, so the two agree. Every time a row holds comes from the caller (`now`); `clock`
serves only the seeding helpers: a FakeClock in unit tests, the real clock otherwise.
"""

from __future__ import annotations

from datetime import datetime

from tests.fakes.store.articles import ArticleStoreMixin
from tests.fakes.store.channels import ChannelStoreMixin
from tests.fakes.store.entities import EntityStoreMixin
from tests.fakes.store.feedback import FeedbackStoreMixin
from tests.fakes.store.housekeeping import HousekeepingStoreMixin
from tests.fakes.store.outbox import OutboxStoreMixin
from tests.fakes.store.sources import SourceStoreMixin
from tests.fakes.store.state import Delivery, real_now
from watchlists.model import Article, Entity, Match
from watchlists.ports import (
    AnalysedArticle,
    ArticleStore,
    ChannelStore,
    EntityStore,
    FeedbackStore,
    HousekeepingStore,
    OutboxStore,
    SourceStore,
    Store,
)

__all__ = ["Delivery", "FakeStore", "real_now"]


class FakeStore(
    ChannelStoreMixin,
    EntityStoreMixin,
    SourceStoreMixin,
    ArticleStoreMixin,
    OutboxStoreMixin,
    FeedbackStoreMixin,
    HousekeepingStoreMixin,
):
    """The whole Store port in memory; read its attributes to see what a use case did."""

    def seed_story(
        self,
        *entities: Entity,
        key: str,
        title: str = "",
        source: str = "Wire",
        deal_json: str = "{}",
        update_of: str = "",
        said: str = "",
        at: datetime | None = None,
    ) -> int:
        """Test setup: ingest an article mentioning entities (as said, else by name) and file
        it under key; return its story id."""
        headline = title or f"Story {key}"
        self.add_articles(
            [Article(id=f"{key}/{source}", title=headline, text=f"{headline}.", source=source)],
            None,
            self.clock(),
        )
        article_id = max(self.articles)
        matches = tuple(
            Match(
                e.id,
                e.name,
                e.name,
                "title",
                0,
                len(said or e.name),
                said or e.name,
                100.0,
                "exact",
            )
            for e in entities
        )
        analysed = AnalysedArticle(
            article_id, matches, key, headline, "acquisition", "", deal_json, update_of
        )
        self.file_articles([analysed], at or self.clock())
        return next(story.id for story in self.stories.values() if story.key == key)


def _implements_the_port(store: FakeStore) -> Store:
    """Never called: mypy checks here that FakeStore provides every method of the Store port."""
    return store


def _mixins_mirror_the_families(
    channels: ChannelStoreMixin,
    entities: EntityStoreMixin,
    sources: SourceStoreMixin,
    articles: ArticleStoreMixin,
    outbox: OutboxStoreMixin,
    feedback: FeedbackStoreMixin,
    housekeeping: HousekeepingStoreMixin,
) -> tuple[
    ChannelStore,
    EntityStore,
    SourceStore,
    ArticleStore,
    OutboxStore,
    FeedbackStore,
    HousekeepingStore,
]:
    """Never called: mypy checks here that each mixin alone implements its port family."""
    return channels, entities, sources, articles, outbox, feedback, housekeeping
