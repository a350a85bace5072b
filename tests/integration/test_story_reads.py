"""Digests, lookups, recent posts and the story index read no whole article text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from db.store import SqlStore
from watchlists.model import Article, Entity, Match
from watchlists.ports import AnalysedArticle
from watchlists.stories import LEAD_READ_CHARS, lead_of

# A column list naming the article text outright (not inside substr(...)).
WHOLE_TEXT = re.compile(r"(?<!substr\()\barticle\.text\b", re.IGNORECASE)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Record every SQL statement the engine runs inside the block."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def filed_story(store: SqlStore, summary: str) -> tuple[int, Entity]:
    """A channel watching Acme and a story about it with a 1 MB text; (channel id, Acme)."""
    channel = store.ensure_channel("T1", "C1")
    acme = store.watch(channel.id, Entity(name="Acme"))
    now = datetime.now(UTC)
    store.add_articles(
        [
            Article(
                id="a1",
                title="Acme buys Beta",
                text="Wire copy. " * 100_000,
                url="https://news.example/a1",
            )
        ],
        None,
        now,
    )
    [(article_id, _)] = store.unmatched_articles(10)
    match = Match(
        entity_id=acme.id,
        entity="Acme",
        alias="Acme",
        field="title",
        start=0,
        end=4,
        text="Acme",
        score=100.0,
        kind="exact",
    )
    filed = AnalysedArticle(
        article_id=article_id,
        matches=(match,),
        story_key="k1",
        story_title="Acme buys Beta",
        deal_type="acquisition",
        deal_stage="announced",
        deal_json=json.dumps({"summary": summary}),
        update_of="",
    )
    store.file_articles([filed], now)
    return channel.id, acme


def test_a_digest_and_a_lookup_never_read_a_whole_article_text(engine: Engine) -> None:
    store = SqlStore(engine)
    channel_id, acme = filed_story(store, "Acme agreed to buy Beta.")
    with statements(engine) as seen:
        [pending] = store.pending_items(channel_id)
        [looked_up] = store.stories_for_entity(acme.id, datetime.now(UTC) - timedelta(hours=1), 5)
    store.mark_sending(channel_id, [pending.story_id])
    store.mark_posted(channel_id, [pending.story_id], "1.1", datetime.now(UTC))
    with statements(engine) as posts_seen:
        [post] = store.recent_posts(channel_id, 5)
    seen += posts_seen
    assert pending.summary == looked_up.summary == "Acme agreed to buy Beta."
    assert post.url == "https://news.example/a1"
    assert [s for s in seen if s.lstrip().upper().startswith("SELECT")], "the reads were recorded"
    assert not [s for s in seen if WHOLE_TEXT.search(s)]


def test_without_a_deal_summary_only_the_start_of_the_text_is_read(engine: Engine) -> None:
    store = SqlStore(engine)
    channel_id, _acme = filed_story(store, "")
    with statements(engine) as seen:
        [pending] = store.pending_items(channel_id)
    assert pending.summary.startswith("Wire copy. Wire copy.")
    assert [s for s in seen if "substr" in s.lower()]
    assert not [s for s in seen if WHOLE_TEXT.search(s)]


def test_the_story_index_is_seeded_with_only_the_start_of_each_first_text(engine: Engine) -> None:
    store = SqlStore(engine)
    filed_story(store, "Acme agreed to buy Beta.")
    with statements(engine) as seen:
        [story] = store.recent_stories(datetime.now(UTC) - timedelta(hours=1))
    assert story.article.text == ("Wire copy. " * 100_000)[:LEAD_READ_CHARS]
    assert lead_of(story.article) == "Wire copy."
    assert not [s for s in seen if WHOLE_TEXT.search(s)]
